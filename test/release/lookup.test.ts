// Helm's `lookup` against the cluster during install and upgrade, checked against the real helm v4 on the sandbox:
// the same chart installed by helm and by bosun looks up the same objects (one, missing, lists, cluster-scoped,
// a lookup whose arguments come from another lookup, int64 numbers) and stores the same manifest; an unknown
// group/version fails both with the same message; a chart asking for new objects forever stops after 16 rounds;
// a generated password read back with lookup survives upgrades.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, bosun, haveTool, helm, sandboxEnv, writeChart, type Env } from './helpers.js';
import { KEPT_PASSWORD_SECRET } from '../support/lookup-charts.js';

const LOOKUPS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-looked
data:
  color: {{ (lookup "v1" "ConfigMap" "fixtures" "settings").data.color | quote }}
  missing: {{ lookup "v1" "ConfigMap" "fixtures" "absent" | quote }}
  missingEmpty: {{ empty (lookup "v1" "ConfigMap" "fixtures" "absent") | quote }}
  password: {{ (lookup "v1" "Secret" "fixtures" "creds").data.password | b64dec | quote }}
  {{- $port := (index (lookup "v1" "Service" "fixtures" "svc").spec.ports 0).port }}
  port: {{ $port | quote }}
  portKind: {{ kindOf $port | quote }}
  {{- $list := lookup "v1" "ConfigMap" "fixtures" "" }}
  listKind: {{ $list.kind | quote }}
  listApiVersion: {{ $list.apiVersion | quote }}
  items: {{ range $list.items }}{{ .kind }}/{{ .apiVersion }}/{{ .metadata.name }},{{ end }}
  namespace: {{ (lookup "v1" "Namespace" "" "fixtures").metadata.name | quote }}
  namespaceIgnored: {{ (lookup "v1" "Namespace" "elsewhere" "fixtures").metadata.name | quote }}
  {{- $first := lookup "v1" "ConfigMap" "fixtures" "settings" }}
  chained: {{ (lookup "v1" "ConfigMap" "fixtures" $first.data.next).data.color | quote }}
  deployment: {{ (lookup "apps/v1" "Deployment" "fixtures" "absent") | quote }}
`;

describe('lookup during install and upgrade', { skip: !haveTool('helm4') && 'helm4 not in .tools (run node scripts/fetch-tools.mjs)' }, () => {
  let e: Env;
  let dir: string;
  before(async () => {
    e = await sandboxEnv({ clusters: ['prod'], controllerDelayMs: 20 });
    dir = mkdtempSync(join(tmpdir(), 'bosun-lookup-'));
    const put = async (path: string, body: unknown) => {
      const r = await api(e.sb, 'prod', 'POST', path, body);
      assert.ok(r.status === 201, `POST ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    };
    await put('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fixtures' } });
    await put('/api/v1/namespaces/fixtures/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color: 'blue', next: 'other' } });
    await put('/api/v1/namespaces/fixtures/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { color: 'green' } });
    await put('/api/v1/namespaces/fixtures/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    await put('/api/v1/namespaces/fixtures/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 8080 }], selector: { app: 'x' } } });
  });
  after(async () => {
    await e?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('helm and bosun look up the same objects and store the same manifest', async () => {
    const chart = writeChart(join(dir, 'lk'), { 'Chart.yaml': 'apiVersion: v2\nname: lk\nversion: 0.1.0\n', 'templates/cm.yaml': LOOKUPS });
    const h = await helm('helm4', e, ['--kube-context', 'prod', 'install', 'r', chart, '-n', 'h', '--create-namespace']);
    assert.equal(h.code, 0, h.stderr);
    const b = await bosun(['install', 'r', chart, '-n', 'b', '--create-namespace'], e);
    assert.equal(b.code, 0, b.stderr);
    const hm = await helm('helm4', e, ['--kube-context', 'prod', 'get', 'manifest', 'r', '-n', 'h']);
    const bm = await bosun(['get', 'manifest', 'r', '-n', 'b', '--kube-context', 'prod'], e);
    assert.equal(bm.stdout, hm.stdout);
    // What helm found, spelled out, so that a lookup finding nothing on both sides cannot pass.
    assert.match(bm.stdout, /color: "blue"/);
    assert.match(bm.stdout, /password: "s3cret"/);
    assert.match(bm.stdout, /chained: "green"/);
    assert.match(bm.stdout, /portKind: "int64"/);

    // Upgrade renders with lookups too (the objects changed since).
    const cm = await api(e.sb, 'prod', 'PATCH', '/api/v1/namespaces/fixtures/configmaps/settings', { data: { color: 'red' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(cm.status, 200);
    const hu = await helm('helm4', e, ['--kube-context', 'prod', 'upgrade', 'r', chart, '-n', 'h']);
    assert.equal(hu.code, 0, hu.stderr);
    const bu = await bosun(['upgrade', 'r', chart, '-n', 'b', '--kube-context', 'prod'], e);
    assert.equal(bu.code, 0, bu.stderr);
    const hm2 = await helm('helm4', e, ['--kube-context', 'prod', 'get', 'manifest', 'r', '-n', 'h']);
    const bm2 = await bosun(['get', 'manifest', 'r', '-n', 'b', '--kube-context', 'prod'], e);
    assert.equal(bm2.stdout, hm2.stdout);
    assert.match(bm2.stdout, /color: "red"/);
  });

  test('an unknown group/version fails the install with helm\'s message, and nothing is installed', async () => {
    const chart = writeChart(join(dir, 'bad'), {
      'Chart.yaml': 'apiVersion: v2\nname: bad\nversion: 0.1.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ lookup "nope.example.com/v1" "Thing" "" "" | quote }}\n',
    });
    const h = await helm('helm4', e, ['--kube-context', 'prod', 'install', 'bad', chart, '-n', 'h']);
    const b = await bosun(['install', 'bad', chart, '-n', 'b', '--kube-context', 'prod'], e);
    assert.notEqual(h.code, 0);
    assert.notEqual(b.code, 0);
    const line = (s: string) => s.split('\n').find((l) => l.includes('error calling lookup'));
    assert.ok(line(h.stderr), h.stderr);
    assert.equal(line(b.stderr), line(h.stderr));
    const rec = await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/b/secrets?labelSelector=name%3Dbad');
    assert.deepEqual(rec.json.items, [], 'no release record');
  });

  test('a chart that keeps asking for new objects (random names) stops after 16 rounds, with nothing installed', async () => {
    const chart = writeChart(join(dir, 'rand'), {
      'Chart.yaml': 'apiVersion: v2\nname: rand\nversion: 0.1.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ lookup "v1" "ConfigMap" "fixtures" (randAlphaNum 8 | lower) | quote }}\n',
    });
    const b = await bosun(['install', 'rand', chart, '-n', 'b', '--kube-context', 'prod'], e);
    assert.notEqual(b.code, 0);
    assert.match(b.stderr, /INSTALLATION FAILED: lookup: the templates still asked for new objects after 16 rounds of lookups/);
    const rec = await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/b/secrets?labelSelector=name%3Drand');
    assert.deepEqual(rec.json.items, [], 'no release record');
  });

  test('a password generated once and read back with lookup survives upgrades', async () => {
    const chart = writeChart(join(dir, 'pw'), {
      'Chart.yaml': 'apiVersion: v2\nname: pw\nversion: 0.1.0\n',
      'templates/secret.yaml': KEPT_PASSWORD_SECRET,
    });
    const read = async () => (await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/b/secrets/keep-pw')).json.data.password as string;
    let r = await bosun(['install', 'keep', chart, '-n', 'b', '--kube-context', 'prod'], e);
    assert.equal(r.code, 0, r.stderr);
    const first = await read();
    for (let i = 0; i < 2; i++) {
      r = await bosun(['upgrade', 'keep', chart, '-n', 'b', '--kube-context', 'prod'], e);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await read(), first);
    }
  });
});
