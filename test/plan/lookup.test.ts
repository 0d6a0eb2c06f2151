// Charts calling `lookup` in a fleet: the diff reads each target's own cluster (what apply will render there), a
// password kept with lookup shows no change once applied, and a looked-up object that changes shows in the diff.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bosun, openFleetSuite, writeTree, type Env } from './helpers.js';
import { api } from '../sandbox/helpers.js';
import { KEPT_PASSWORD_SECRET } from '../support/lookup-charts.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: lk\nversion: 0.1.0\n',
  'templates/cm.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-cm',
    'data:',
    '  color: {{ (lookup "v1" "ConfigMap" "fixtures" "settings").data.color | default "none" | quote }}',
    '',
  ].join('\n'),
  'templates/secret.yaml': KEPT_PASSWORD_SECRET,
};

const settings = (color: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color } });

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: ['c1', 'c2'], controllerDelayMs: 20 }, 'bosun-fleet-lookup-'));
  for (const [c, color] of [['c1', 'blue'], ['c2', 'green']] as const) {
    assert.equal((await api(env.sb, c, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fixtures' } })).status, 201);
    assert.equal((await api(env.sb, c, 'POST', '/api/v1/namespaces/fixtures/configmaps', settings(color))).status, 201);
  }
});

after(() => close());

test('diff and apply render lookups against each target\'s cluster; a kept password shows no change', async () => {
  const d = join(dir, 'state');
  writeTree(d, Object.fromEntries(Object.entries(CHART).map(([k, v]) => [`chart/${k}`, v])));
  writeFileSync(join(d, 'bosun.yaml'), 'environments:\n  default:\n    clusters:\n      - name: c1\n      - name: c2\nreleases:\n  - name: app\n    namespace: fleet\n    chart: ./chart\n');
  const f = join(d, 'bosun.yaml');
  const kc = ['--kubeconfig', env.kubeconfig];

  const first = await bosun(['diff', '-f', f, ...kc]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /cluster c1[\s\S]*\+\s+color: blue/);
  assert.match(first.stdout, /cluster c2[\s\S]*\+\s+color: green/);

  const a = await bosun(['apply', '-f', f, ...kc], { CI: 'true' });
  assert.equal(a.code, 0, a.stderr);
  for (const [c, color] of [['c1', 'blue'], ['c2', 'green']]) {
    const cm = await api(env.sb, c, 'GET', '/api/v1/namespaces/fleet/configmaps/app-cm');
    assert.equal(cm.json?.data?.color, color, `${c}'s ConfigMap`);
  }

  // The Secret's password was generated once; lookup reads it back, so nothing changes.
  const again = await bosun(['diff', '-f', f, ...kc, '--detailed-exitcode']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const apply2 = await bosun(['apply', '-f', f, ...kc], { CI: 'true' });
  assert.equal(apply2.code, 0, apply2.stderr);
  assert.match(apply2.stdout, /Nothing to do/);

  // A looked-up object changes on c1 only: the diff shows it there.
  const patched = await api(env.sb, 'c1', 'PATCH', '/api/v1/namespaces/fixtures/configmaps/settings', { data: { color: 'red' } }, { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(patched.status, 200);
  const changed = await bosun(['diff', '-f', f, ...kc, '--detailed-exitcode']);
  assert.equal(changed.code, 2, changed.stderr);
  assert.match(changed.stdout, /-\s+color: blue\n\s*\+\s+color: red/);
  assert.match(changed.stdout, /1 of 2 targets to change/);

  // A saved plan holds while the looked-up objects stay as they were, and is refused once one changes.
  const planFile = join(dir, 'plan.json');
  const saved = await bosun(['diff', '-f', f, ...kc, '--save-plan', planFile]);
  assert.equal(saved.code, 0, saved.stderr);
  const applied = await bosun(['apply', '-f', f, ...kc, '--plan', planFile], { CI: 'true' });
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.equal((await api(env.sb, 'c1', 'GET', '/api/v1/namespaces/fleet/configmaps/app-cm')).json?.data?.color, 'red');
  const recolor = (color: string) => api(env.sb, 'c2', 'PATCH', '/api/v1/namespaces/fixtures/configmaps/settings', { data: { color } }, { 'Content-Type': 'application/merge-patch+json' });
  await recolor('yellow');
  const saved2 = await bosun(['diff', '-f', f, ...kc, '--save-plan', planFile]);
  assert.equal(saved2.code, 0, saved2.stderr);
  assert.match(saved2.stdout, /\+\s+color: yellow/);
  await recolor('purple');
  const stale = await bosun(['apply', '-f', f, ...kc, '--plan', planFile], { CI: 'true' });
  assert.notEqual(stale.code, 0);
  assert.match(stale.stdout + stale.stderr, /c2\/fleet\/app[\s\S]*stale plan refused: inputs changed since the plan/);
});

test('a release with enableDNS: diff and apply resolve getHostByName, also in a chart whose lookups re-render it', async () => {
  const d = join(dir, 'dns');
  writeTree(d, {
    'chart/Chart.yaml': 'apiVersion: v2\nname: dns\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-hosts',
      'data:',
      '  ip: {{ getHostByName "10.1.2.3" | quote }}',
      '  color: {{ (lookup "v1" "ConfigMap" "fixtures" "settings").data.color | default "none" | quote }}',
      '',
    ].join('\n'),
  });
  writeFileSync(
    join(d, 'bosun.yaml'),
    'environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n  - name: on\n    namespace: dns\n    chart: ./chart\n    enableDNS: true\n  - name: off\n    namespace: dns\n    chart: ./chart\n',
  );
  const f = join(d, 'bosun.yaml');
  const kc = ['--kubeconfig', env.kubeconfig];
  const diff = await bosun(['diff', '-f', f, ...kc]);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /\+\s+ip: 10\.1\.2\.3/);
  assert.match(diff.stdout, /\+\s+ip: ""/);
  const a = await bosun(['apply', '-f', f, ...kc], { CI: 'true' });
  assert.equal(a.code, 0, a.stderr);
  assert.equal((await api(env.sb, 'c1', 'GET', '/api/v1/namespaces/dns/configmaps/on-hosts')).json?.data?.ip, '10.1.2.3');
  assert.equal((await api(env.sb, 'c1', 'GET', '/api/v1/namespaces/dns/configmaps/off-hosts')).json?.data?.ip, '');
  const again = await bosun(['diff', '-f', f, ...kc, '--detailed-exitcode']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
});
