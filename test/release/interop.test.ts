// Interop with the real helm (v4.1.4 and v3.17.3) on the sandbox, Secret driver: after bosun install and upgrade,
// helm list/history/get values/status print what bosun prints and helm rollback/upgrade work on bosun's release;
// after helm install, bosun list/history/upgrade/rollback work on helm's release. The release record bosun writes
// has helm 4's exact JSON shape (compared field by field with helm's own record of the same chart and values).
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, bosun, haveTool, helm, sandboxEnv, writeChart, SANDBOX_APP, type Env } from './helpers.js';

async function configMessage(e: Env, ns: string, name: string): Promise<string | undefined> {
  const r = await api(e.sb, 'prod', 'GET', `/api/v1/namespaces/${ns}/configmaps/${name}-sandbox-app`);
  return r.json?.data?.message;
}

async function recordJson(e: Env, ns: string, name: string, rev: number): Promise<Record<string, unknown>> {
  const s = await api(e.sb, 'prod', 'GET', `/api/v1/namespaces/${ns}/secrets/sh.helm.release.v1.${name}.v${rev}`);
  assert.equal(s.status, 200, `release secret ${name}.v${rev} in ${ns}`);
  const inner = Buffer.from(s.json.data.release, 'base64').toString('latin1');
  return JSON.parse(gunzipSync(Buffer.from(inner, 'base64')).toString('utf8'));
}

/** helm status' header: everything before RESOURCES / TEST SUITE / NOTES. */
const statusHead = (s: string) => s.split(/\n(?=RESOURCES:|TEST SUITE:|NOTES:)/)[0]!.trimEnd();

/** helm status' text with its RESOURCES sections sorted (helm prints them in Go map order) and ages blanked. */
function statusSections(s: string): string[] {
  const m = /^RESOURCES:\n([\s\S]*?\n)\n(?=TEST SUITE:|NOTES:|(?![\s\S]))/m.exec(s);
  assert.ok(m, `a RESOURCES section in:\n${s}`);
  const rest = s.replace(m[0], '');
  // AGE is the last column: it is not padded, so another age leaves the alignment as it is.
  const sections = m[1]!.split(/^(?===> )/m).map((x) => x.replace(/ \d+[smhdy](\d+[smh])?$/gm, ' AGE'));
  return [rest, ...sections.sort()];
}

for (const which of ['helm4', 'helm3'] as const) {
  describe(`interop with ${which}`, { skip: !haveTool(which) && `${which} not in .tools (run node scripts/fetch-tools.mjs)` }, () => {
    let e: Env;
    const h = (...args: string[]) => helm(which, e, ['--kube-context', 'prod', ...args]);
    const b = (...args: string[]) => bosun(args, e);
    before(async () => {
      e = await sandboxEnv({ clusters: ['prod'], controllerDelayMs: 20 });
    });
    after(async () => e?.close());

    test('bosun install and upgrade; helm list, history, get values, status agree; helm rollback and upgrade work', async () => {
      let r = await b('install', 'web', SANDBOX_APP, '-n', 'apps', '--create-namespace', '--set', 'message=one', '--set', 'replicaCount=3');
      assert.equal(r.code, 0, r.stderr);
      r = await b('upgrade', 'web', SANDBOX_APP, '-n', 'apps', '--set', 'message=two', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await configMessage(e, 'apps', 'web'), 'two');

      for (const cmd of [['list', '-n', 'apps'], ['list', '-A', '-o', 'json'], ['history', 'web', '-n', 'apps'], ['history', 'web', '-n', 'apps', '-o', 'json'], ['get', 'values', 'web', '-n', 'apps'], ['get', 'values', 'web', '-n', 'apps', '--all'], ['get', 'values', 'web', '-n', 'apps', '-o', 'json'], ['get', 'manifest', 'web', '-n', 'apps'], ['get', 'hooks', 'web', '-n', 'apps']]) {
        const hr = await h(...cmd);
        const br = await b(...cmd);
        assert.equal(hr.code, 0, hr.stderr);
        assert.equal(br.code, 0, br.stderr);
        assert.equal(br.stdout, hr.stdout, `bosun ${cmd.join(' ')} prints what ${which} prints`);
      }
      // helm 4's get metadata (helm 3's lacks the labels and the apply method): newest and given revision, each format.
      if (which === 'helm4') {
        for (const extra of [[], ['--revision', '1']]) {
          for (const format of ['table', 'json', 'yaml']) {
            const cmd = ['get', 'metadata', 'web', '-n', 'apps', '-o', format, ...extra];
            const [hr, br] = [await h(...cmd), await b(...cmd)];
            assert.equal(hr.code, 0, hr.stderr);
            assert.equal(br.stdout, hr.stdout, `bosun ${cmd.join(' ')} prints what helm4 prints`);
          }
        }
      }
      const hs = which === 'helm4' ? await h('status', 'web', '-n', 'apps') : await h('status', 'web', '-n', 'apps', '--show-desc');
      const bs = await b('status', 'web', '-n', 'apps');
      assert.equal(hs.code, 0, hs.stderr);
      if (which === 'helm4') assert.equal(statusHead(bs.stdout), statusHead(hs.stdout));
      else for (const line of statusHead(hs.stdout).split('\n')) assert.ok(bs.stdout.includes(line), `bosun status has "${line}"`);
      if (which === 'helm4') {
        // helm 4's status shows the live objects and their pods: the same tables (helm prints the kinds in Go map
        // order, which varies from run to run, so sections are compared as a set), and the same JSON and YAML.
        assert.match(bs.stdout, /^==> v1\/Deployment\nNAME +READY +UP-TO-DATE +AVAILABLE +AGE\nweb-sandbox-app   2\/2 /m);
        assert.deepEqual(statusSections(bs.stdout), statusSections(hs.stdout));
        for (const format of ['json', 'yaml']) {
          const [hr, br] = [await h('status', 'web', '-n', 'apps', '-o', format), await b('status', 'web', '-n', 'apps', '-o', format)];
          assert.equal(hr.code, 0, hr.stderr);
          assert.equal(br.stdout, hr.stdout, `bosun status -o ${format} prints what helm4 prints`);
        }
        assert.match((await b('status', 'web', '-n', 'apps', '-o', 'json')).stdout, /"resources":\{"v1\/ConfigMap":\[\{"apiVersion":"v1","data":/);
      }

      r = await h('rollback', 'web', '1', '-n', 'apps', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, `${which} rollback of bosun's release: ${r.stderr}`);
      assert.equal(await configMessage(e, 'apps', 'web'), 'one');
      r = await h('upgrade', 'web', SANDBOX_APP, '-n', 'apps', '--set', 'message=three', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, `${which} upgrade of bosun's release: ${r.stderr}`);
      assert.equal(await configMessage(e, 'apps', 'web'), 'three');

      const hist = await b('history', 'web', '-n', 'apps', '-o', 'json');
      const rows = JSON.parse(hist.stdout) as Array<{ revision: number; status: string; description: string }>;
      assert.deepEqual(
        rows.map((x) => [x.revision, x.status, x.description]),
        [
          [1, 'superseded', 'Install complete'],
          [2, 'superseded', 'Upgrade complete'],
          [3, 'superseded', 'Rollback to 1'],
          [4, 'deployed', 'Upgrade complete'],
        ],
      );
      // bosun carries on after helm.
      r = await b('upgrade', 'web', SANDBOX_APP, '-n', 'apps', '--set', 'message=four');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await configMessage(e, 'apps', 'web'), 'four');
      r = await b('uninstall', 'web', '-n', 'apps');
      assert.equal(r.code, 0, r.stderr);
      const gone = await h('history', 'web', '-n', 'apps');
      assert.match(gone.stderr, /release: not found/);
    });

    test('helm install; bosun list, history, upgrade and rollback work on it', async () => {
      let r = await h('install', 'api', SANDBOX_APP, '-n', 'other', '--create-namespace', '--set', 'message=h1');
      assert.equal(r.code, 0, r.stderr);
      for (const cmd of [['list', '-n', 'other'], ['history', 'api', '-n', 'other'], ['get', 'values', 'api', '-n', 'other', '--all']]) {
        const hr = await h(...cmd);
        const br = await b(...cmd);
        assert.equal(br.code, 0, br.stderr);
        assert.equal(br.stdout, hr.stdout, `bosun ${cmd.join(' ')} on ${which}'s release`);
      }
      r = await b('upgrade', 'api', SANDBOX_APP, '-n', 'other', '--set', 'message=b2', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await configMessage(e, 'other', 'api'), 'b2');
      r = await b('rollback', 'api', '1', '-n', 'other');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await configMessage(e, 'other', 'api'), 'h1');
      const hh = await h('history', 'api', '-n', 'other', '-o', 'json');
      assert.equal(hh.code, 0, hh.stderr);
      assert.deepEqual(
        (JSON.parse(hh.stdout) as Array<{ status: string; description: string }>).map((x) => [x.status, x.description]),
        [
          ['superseded', 'Install complete'],
          ['superseded', 'Upgrade complete'],
          ['deployed', 'Rollback to 1'],
        ],
      );
      const hv = await h('get', 'values', 'api', '-n', 'other');
      assert.equal(hv.stdout, 'USER-SUPPLIED VALUES:\nmessage: h1\n');
    });

    if (which === 'helm4') {
      test("bosun's record has helm 4's JSON shape", async () => {
        const vals = ['--set', 'message=<b>&"x"', '--set', 'replicaCount=2', '--set-string', 'extra.n=007', '--set', 'big=1e6', '--set', 'list={a,b}'];
        let r = await h('install', 'same', SANDBOX_APP, '-n', 'by-helm', '--create-namespace', ...vals);
        assert.equal(r.code, 0, r.stderr);
        r = await b('install', 'same', SANDBOX_APP, '-n', 'by-bosun', '--create-namespace', ...vals);
        assert.equal(r.code, 0, r.stderr);
        const norm = (j: Record<string, unknown>) =>
          JSON.stringify(j)
            .replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"T"')
            .replace(/by-(helm|bosun)/g, 'NS')
            .replace(/"apply_method":"[a-z]+"/, '"apply_method":"X"');
        const hj = await recordJson(e, 'by-helm', 'same', 1);
        const bj = await recordJson(e, 'by-bosun', 'same', 1);
        assert.equal(norm(bj), norm(hj));
        assert.equal(hj.apply_method, 'ssa');
        assert.equal(bj.apply_method, 'csa', 'bosun records csa so that a later helm upgrade does not conflict with field manager bosun');
        // Same labels on the storage objects.
        const hs = (await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/by-helm/secrets/sh.helm.release.v1.same.v1')).json;
        const bs = (await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/by-bosun/secrets/sh.helm.release.v1.same.v1')).json;
        assert.deepEqual(Object.keys(bs.metadata.labels).sort(), Object.keys(hs.metadata.labels).sort());
        assert.equal(bs.type, hs.type);
      });
    }
  });
}

describe('what install and upgrade print, as helm 4 prints it', { skip: !haveTool('helm4') && 'helm4 not in .tools' }, () => {
  // A chart with notes, a hook and no test hooks ("TEST SUITE: None"); dry runs print hooks and manifest before the
  // notes. The deploy time is the only difference left out.
  let e: Env;
  let chart: string;
  const work = mkdtempSync(join(tmpdir(), 'bosun-print-'));
  before(async () => {
    e = await sandboxEnv({ clusters: ['prod'], controllerDelayMs: 20 });
    chart = writeChart(join(work, 'noted'), {
      'Chart.yaml': 'apiVersion: v2\nname: noted\nversion: 0.1.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: {{ .Values.v | default "1" | quote }}\n',
      'templates/hook.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n    helm.sh/hook: post-install,post-upgrade\n',
      'templates/NOTES.txt': 'Release {{ .Release.Name }} in {{ .Release.Namespace }}.\n',
    });
  });
  after(async () => {
    await e?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('install, dry runs and upgrade print what helm 4 prints', async () => {
    const same = (s: string) => s.replace(/^LAST DEPLOYED: .*$/m, 'LAST DEPLOYED: -');
    for (const args of [
      ['install', 'r', chart, '-n', 'print', '--create-namespace', '--dry-run=server'],
      ['install', 'r', chart, '-n', 'print', '--create-namespace', '--dry-run=client'],
      ['install', 'r', chart, '-n', 'print', '--create-namespace'],
      ['upgrade', 'r', chart, '-n', 'print', '--set', 'v=2', '--dry-run=server'],
      ['upgrade', 'r', chart, '-n', 'print', '--set', 'v=2'],
    ]) {
      // Each tool acts on its own namespace, so both see the same history.
      const hr = await helm('helm4', e, ['--kube-context', 'prod', ...args.map((a) => (a === 'print' ? 'print-h' : a))]);
      const br = await bosun(args.map((a) => (a === 'print' ? 'print-b' : a)), e);
      assert.equal(hr.code, 0, hr.stderr);
      assert.equal(br.code, 0, br.stderr);
      assert.equal(same(br.stdout).replaceAll('print-b', 'NS'), same(hr.stdout).replaceAll('print-h', 'NS'), args.join(' '));
    }
  });

  test('--render-subchart-notes and --hide-secret print what helm 4 prints', async () => {
    const same = (s: string) => s.replace(/^LAST DEPLOYED: .*$/m, 'LAST DEPLOYED: -');
    const canary = 'canary-hunter2';
    const files = (rootNotes: boolean) => ({
      'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\n',
      'templates/all.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  password: ${canary}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n`,
      ...(rootNotes ? { 'templates/NOTES.txt': 'Top notes for {{ .Release.Name }}\n' } : {}),
      'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'charts/sub/templates/NOTES.txt': 'Sub notes {{ .Chart.Name }}\n\n',
      'charts/sub/templates/s.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s2\ndata:\n  k: dg==\n',
    });
    const subOnly = writeChart(join(work, 'sub-notes'), files(false));
    const both = writeChart(join(work, 'both-notes'), files(true));
    for (const args of [
      ['install', 'r', subOnly, '-n', 'notes', '--dry-run=client', '--render-subchart-notes', '--hide-secret'],
      ['install', 'r', subOnly, '-n', 'notes', '--dry-run=server'],
      ['install', 'r', both, '-n', 'notes', '--dry-run=client', '--hide-secret'],
      ['upgrade', '--install', 'r', subOnly, '-n', 'notes', '--dry-run=server', '--render-subchart-notes', '--hide-secret'],
    ]) {
      const hr = await helm('helm4', e, ['--kube-context', 'prod', ...args]);
      const br = await bosun(args, e);
      assert.equal(hr.code, 0, hr.stderr);
      assert.equal(br.code, 0, br.stderr);
      assert.equal(same(br.stdout), same(hr.stdout), args.join(' '));
      if (args.includes('--hide-secret')) assert.ok(!br.stdout.includes(canary) && !br.stdout.includes('dg=='), 'Secret data hidden');
    }
    // Several notes: helm joins them in Go map order (either order, run to run); bosun puts the root chart's first.
    const args = ['install', 'r', both, '-n', 'notes', '--dry-run=client', '--render-subchart-notes'];
    const hr = await helm('helm4', e, ['--kube-context', 'prod', ...args]);
    const br = await bosun(args, e);
    const [hHead, hNotes] = same(hr.stdout).split('NOTES:\n');
    const [bHead, bNotes] = same(br.stdout).split('NOTES:\n');
    assert.equal(bHead, hHead);
    // (Blank lines differ with the order: the joined notes are printed trimmed.)
    const lines = (t: string) => t.split('\n').filter((l) => l !== '').sort();
    assert.deepEqual(lines(bNotes!), lines(hNotes!), 'the same notes');
    assert.match(bNotes!, /^Top notes for r\n/);
    // Without a dry run both refuse, with helm's message: install prefixes it, upgrade --install of a new release
    // does not (helm's upgrade command hands install's error on as it is).
    for (const [cmd, message] of [
      [['install', 'r'], 'Error: INSTALLATION FAILED: hiding Kubernetes secrets requires a dry-run mode'],
      [['upgrade', '--install', 'r'], 'Error: hiding Kubernetes secrets requires a dry-run mode'],
    ] as const) {
      const a = [...cmd, subOnly, '-n', 'notes', '--hide-secret'];
      const h = await helm('helm4', e, ['--kube-context', 'prod', ...a]);
      const b = await bosun(a, e);
      assert.equal(h.code, 1);
      assert.equal(b.code, 1);
      // helm logs the error once more before it (level=ERROR), as for its other install errors; bosun does not.
      assert.equal(b.stderr.trim(), h.stderr.trim().split('\n').pop());
      assert.equal(b.stderr.trim(), message);
    }
    // Any install error on that path (here a template's fail) is unprefixed too.
    const bad = writeChart(join(work, 'bad'), { 'Chart.yaml': 'apiVersion: v2\nname: bad\nversion: 0.1.0\n', 'templates/x.yaml': '{{ fail "boom" }}\n' });
    const h = await helm('helm4', e, ['--kube-context', 'prod', 'upgrade', '--install', 'bad', bad, '-n', 'notes']);
    const b = await bosun(['upgrade', '--install', 'bad', bad, '-n', 'notes'], e);
    assert.equal(b.stderr.trim(), h.stderr.trim().split('\n').pop());
    assert.equal(b.stderr.trim(), 'Error: execution error at (bad/templates/x.yaml:1:3): boom');
  });

  test('-o json and -o yaml print the whole release, chart included, as helm 4 does', async () => {
    // Timestamps are the only difference left out (and apply_method: bosun records csa, see the record test).
    const same = (s: string) =>
      s
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, 'T')
        .replace(/"apply_method":"[a-z]+"|apply_method: [a-z]+/, 'apply_method')
        .replaceAll('json-b', 'NS')
        .replaceAll('json-h', 'NS');
    for (const args of [
      ['install', 'r', chart, '-n', 'json', '--create-namespace', '--set', 'v=x', '-o', 'json', '--dry-run=server'],
      ['install', 'r', chart, '-n', 'json', '--create-namespace', '--set', 'v=x', '-o', 'json'],
      ['upgrade', 'r', chart, '-n', 'json', '--set', 'v=2', '-o', 'yaml'],
    ]) {
      // args[4] is the namespace: each tool acts on its own.
      const hr = await helm('helm4', e, ['--kube-context', 'prod', ...args.map((a, i) => (i === 4 ? 'json-h' : a))]);
      const br = await bosun(args.map((a, i) => (i === 4 ? 'json-b' : a)), e);
      assert.equal(hr.code, 0, hr.stderr);
      assert.equal(br.code, 0, br.stderr);
      assert.match(br.stdout, /"chart":\{"metadata":|^chart:\n {2}files:|^chart:\n {2}metadata:/m, 'the chart is printed');
      assert.equal(same(br.stdout), same(hr.stdout), args.join(' '));
    }
  });
});
