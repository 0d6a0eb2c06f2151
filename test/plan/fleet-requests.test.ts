// What a fleet diff and apply ask of the API server, and that asking less keeps the semantics: a diff lists a
// namespace's objects of a kind once instead of a GET per object (Secrets still one by one; a namespace too large
// for one page falls back to GETs) with the same plan; an install the diff saw no record for creates revision 1
// without listing the history again, and still fails, leaving the other writer's record alone, when a record
// appeared in between (checked with the real helm); an upgrade lists its history once, and --history-max still
// prunes as helm sees it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bosun, openFleetSuite, writeTree, type Env, DEPLOYMENT_TEMPLATE } from './helpers.js';
import { haveTool, run, tool } from '../sandbox/helpers.js';
import { Cluster } from '../../src/kube/index.js';
import { loadState, resolveTargets } from '../../src/state/index.js';
import { chartsFor, renderTarget } from '../../src/cli/state.js';
import { diffFleet, prepare, runFleet } from '../../src/plan/fleet.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;
/** Requests as "METHOD path?query" of cluster c1, while `recording` is on. */
const log: string[] = [];
let recording = false;

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'chart/values.yaml': 'greeting: hello\n',
  'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  'chart/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-secret\nstringData:\n  token: t0ken\n',
  'chart/templates/deploy.yaml': DEPLOYMENT_TEMPLATE,
  // What "someone else" installs with the real helm under a name the fleet is about to install.
  'other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 9.9.9\n',
  'other/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-ours\ndata:\n  a: b\n',
};

function state(name: string, releases: string[], namespace: string, extra = ''): string {
  const d = join(dir, name);
  writeTree(d, CHART);
  let y = `environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n`;
  for (const r of releases) y += `  - name: ${r}\n    namespace: ${namespace}\n    chart: ./chart\n    wait: true\n${extra}`;
  writeFileSync(join(d, 'bosun.yaml'), y);
  return join(d, 'bosun.yaml');
}

const kc = () => ['--kubeconfig', env.kubeconfig];
const recorded = async <T>(body: () => Promise<T>): Promise<{ result: T; requests: string[] }> => {
  log.length = 0;
  recording = true;
  try {
    return { result: await body(), requests: [...log] };
  } finally {
    recording = false;
  }
};
const count = (requests: string[], re: RegExp) => requests.filter((r) => re.test(r)).length;

before(async () => {
  ({ env, dir, close } = await openFleetSuite(
    {
      clusters: ['c1'],
      controllerDelayMs: 300,
      onRequest: (i) => {
        if (recording && (i.cluster === 'c1' || i.path.startsWith('/clusters/c1/'))) log.push(`${i.method} ${i.path.replace(/^\/clusters\/c1/, '')}`);
      },
    },
    'bosun-fleet-requests-',
  ));
});

after(() => close());

test('diff: one list per namespace and kind instead of a GET per object, Secrets read one by one, the same plan', async () => {
  const file = state('snap', ['s1', 's2', 's3', 's4'], 'snap');
  assert.equal((await bosun(['apply', '-f', file, ...kc()])).code, 0);
  // s1's greeting changes; the other three stay as they are.
  writeFileSync(join(dir, 'snap', 'bosun.yaml'), readFileSync(file, 'utf8').replace('  - name: s1\n    namespace: snap\n    chart: ./chart\n    wait: true\n', '  - name: s1\n    namespace: snap\n    chart: ./chart\n    wait: true\n    set:\n      - name: greeting\n        value: changed\n'));
  const { result: fleet, requests } = await recorded(() => bosun(['diff', '-f', file, ...kc(), '-o', 'json']));
  assert.equal(fleet.code, 0, fleet.stderr);
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/snap\/configmaps\?/), 1, requests.join('\n'));
  assert.equal(count(requests, /^GET \/apis\/apps\/v1\/namespaces\/snap\/deployments\?(?!watch=)/), 1, requests.join("\n"));
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/snap\/(configmaps|deployments)\//), 0);
  assert.equal(count(requests, /^GET \/apis\/apps\/v1\/namespaces\/snap\/deployments\//), 0);
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/snap\/secrets\/s\d-secret/), 4, 'each Secret on its own');
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/snap\/secrets\?(?!.*labelSelector)/), 0, 'no list of every Secret');
  // The plan of each target equals the one a diff of that target alone (object by object) computes.
  const all = JSON.parse(fleet.stdout) as { targets: Array<{ id: string; live: unknown; [k: string]: unknown }> };
  assert.deepEqual(all.targets.map((t) => [t.id, t.action]), [['c1/snap/s1', 'upgrade'], ['c1/snap/s2', 'none'], ['c1/snap/s3', 'none'], ['c1/snap/s4', 'none']]);
  for (const t of all.targets) {
    const { result: one, requests: alone } = await recorded(() => bosun(['diff', '-f', file, ...kc(), '-o', 'json', '-l', `name=${t.id.split('/')[2]}`]));
    assert.equal(count(alone, /^GET \/api\/v1\/namespaces\/snap\/configmaps\//), 1, 'a lone target reads its object itself');
    assert.deepEqual((JSON.parse(one.stdout) as typeof all).targets[0], t);
  }
});

test('diff: an object unchanged since the last apply and still held live takes no dry run; drift in a field it sets does', async () => {
  const file = state('same', ['k1', 'k2'], 'same');
  assert.equal((await bosun(['apply', '-f', file, ...kc()])).code, 0);
  const dryRuns = (requests: string[], kind: string) => count(requests, new RegExp(`^PATCH .*/namespaces/same/${kind}/k\\d[^?]*\\?.*dryRun=All`));

  const quiet = await recorded(() => bosun(['diff', '-f', file, ...kc(), '-o', 'json', '--detailed-exitcode']));
  assert.equal(quiet.result.code, 0, quiet.result.stderr);
  assert.deepEqual((JSON.parse(quiet.result.stdout) as { targets: Array<{ action: string; changes: unknown[] }> }).targets.map((t) => [t.action, t.changes.length]), [['none', 0], ['none', 0]]);
  assert.equal(dryRuns(quiet.requests, 'configmaps'), 0, quiet.requests.join('\n'));
  assert.equal(dryRuns(quiet.requests, 'deployments'), 0);
  // The Secret sets stringData, which the server stores as data: live never holds it as sent, so it is dry-run.
  assert.equal(dryRuns(quiet.requests, 'secrets'), 2);

  // Another writer takes over two values the chart sets (k1's greeting, k2's replicas) and adds one it does not set
  // (an annotation on k2's ConfigMap).
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  await c.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k1-cm', namespace: 'same' }, data: { greeting: 'drifted' } }, { fieldManager: 'someone', force: true });
  await c.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k2-cm', namespace: 'same', annotations: { note: 'theirs' } } }, { fieldManager: 'someone' });
  await c.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'k2', namespace: 'same' }, spec: { replicas: 3 } }, { fieldManager: 'someone', force: true });
  c.close();
  const drift = await recorded(() => bosun(['diff', '-f', file, ...kc(), '-o', 'json', '--detailed-exitcode']));
  assert.equal(drift.result.code, 2, drift.result.stderr);
  const plans = (JSON.parse(drift.result.stdout) as { targets: Array<{ id: string; action: string; changes: Array<{ op: string; kind: string; name: string; diff: string; conflicts?: unknown }> }> }).targets;
  const k1 = plans.find((t) => t.id === 'c1/same/k1')!;
  const k2 = plans.find((t) => t.id === 'c1/same/k2')!;
  assert.deepEqual(k1.changes.map((x) => `${x.op} ${x.kind} ${x.name}`), ['change ConfigMap k1-cm']);
  assert.match(k1.changes[0]!.diff, /^-  greeting: drifted$/m);
  assert.match(k1.changes[0]!.diff, /^\+  greeting: hello$/m);
  assert.deepEqual(k2.changes.map((x) => `${x.op} ${x.kind} ${x.name}`), ['change Deployment k2']);
  assert.match(k2.changes[0]!.diff, /^-  replicas: 3$/m);
  assert.match(k2.changes[0]!.diff, /^\+  replicas: 1$/m);
  // The other writer owns those fields now: conflicts, which the apply would refuse to take without forcing.
  assert.deepEqual(k1.changes[0]!.conflicts, [{ manager: 'someone', field: '.data.greeting' }]);
  assert.deepEqual(k2.changes[0]!.conflicts, [{ manager: 'someone', field: '.spec.replicas' }]);
  // Only the drifted objects were dry-run (each twice: refused by the conflict, then forced to show the change);
  // k2's ConfigMap, changed only in a field the chart does not set, was not.
  assert.equal(count(drift.requests, /^PATCH .*\/configmaps\/k1-cm\?.*dryRun=All/), 2);
  assert.equal(count(drift.requests, /^PATCH .*\/configmaps\/k2-cm\?.*dryRun=All/), 0);
  assert.equal(count(drift.requests, /^PATCH .*\/deployments\/k2\?.*dryRun=All/), 2);
  assert.equal(count(drift.requests, /^PATCH .*\/deployments\/k1\?.*dryRun=All/), 0);

  // Once the other writer puts the chart's values back (still owning them), there is nothing to do again, and only the
  // Secrets are dry-run.
  const c2 = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  await c2.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k1-cm', namespace: 'same' }, data: { greeting: 'hello' } }, { fieldManager: 'someone', force: true });
  await c2.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'k2', namespace: 'same' }, spec: { replicas: 1 } }, { fieldManager: 'someone', force: true });
  c2.close();
  const again = await recorded(() => bosun(['diff', '-f', file, ...kc(), '--detailed-exitcode']));
  assert.equal(again.result.code, 0, again.result.stdout);
  assert.equal(count(again.requests, /dryRun=All/), 2, again.requests.join('\n'));
});

test('diff: a namespace with more objects than one page is read object by object', async () => {
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big' } });
  await Promise.all(Array.from({ length: 120 }, (_, i) => c.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `filler-${i}`, namespace: 'big' }, data: { i: String(i) } })));
  c.close();
  const file = state('big', ['b1', 'b2'], 'big');
  const { result, requests } = await recorded(() => bosun(['diff', '-f', file, ...kc(), '-o', 'json']));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/big\/configmaps\?limit=100$/), 1, requests.join('\n'));
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/big\/configmaps\/b[12]-cm$/), 2);
  const plan = JSON.parse(result.stdout) as { targets: Array<{ action: string; changes: Array<{ op: string; kind: string }> }> };
  assert.deepEqual(plan.targets.map((t) => [t.action, t.changes.map((x) => `${x.op} ${x.kind}`).sort()]), [
    ['install', ['add ConfigMap', 'add Deployment', 'add Secret']],
    ['install', ['add ConfigMap', 'add Deployment', 'add Secret']],
  ]);
});

test('install after a diff that saw no record: no second history read; a record that appeared since stops it', { skip: !haveTool('helm4') }, async () => {
  const file = state('lock', ['l1', 'l2', 'l3'], 'lock');
  const st = await loadState({ file, environment: 'default' });
  const targets = resolveTargets(st, {}).targets;
  const prepared = prepare(targets, await chartsFor(targets), (t, c, upgradeTo) => renderTarget(t, c, { upgradeTo }));
  const opts = { kubeconfig: env.kubeconfig, concurrency: 4 };
  const plans = await diffFleet(prepared, opts, {});
  assert.deepEqual(plans.map((p) => p.action), ['install', 'install', 'install']);
  // Between the diff and the apply, someone installs l2 with the real helm.
  const h = await run(tool('helm4'), ['install', 'l2', join(dir, 'lock', 'other'), '-n', 'lock', '--create-namespace', '--kube-context', 'c1'], env.env);
  assert.equal(h.code, 0, h.stderr);
  const { result, requests } = await recorded(() => runFleet(prepared.map((p) => ({ prepared: p, action: 'install' as const })), opts));
  const byRelease = new Map(result.outcomes.map((o) => [o.release, o]));
  assert.equal(byRelease.get('l1')?.status, 'succeeded', byRelease.get('l1')?.error);
  assert.equal(byRelease.get('l3')?.status, 'succeeded', byRelease.get('l3')?.error);
  assert.equal(byRelease.get('l2')?.status, 'failed');
  assert.match(byRelease.get('l2')!.error!, /cannot reuse a name that is still in use/);
  assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/lock\/secrets\?.*labelSelector/), 0, requests.join('\n'));
  // No object of l2 was applied; helm's record of l2 is untouched, and helm sees l1 and l3 deployed.
  assert.equal(count(requests, /^PATCH .*\/l2(-cm|-secret)?\?/), 0);
  const list = await run(tool('helm4'), ['list', '-n', 'lock', '--kube-context', 'c1', '-o', 'json'], env.env);
  const rows = (JSON.parse(list.stdout) as Array<{ name: string; status: string; revision: string; chart: string }>).map((r) => `${r.name} ${r.revision} ${r.status} ${r.chart}`).sort();
  assert.deepEqual(rows, ['l1 1 deployed app-0.1.0', 'l2 1 deployed other-9.9.9', 'l3 1 deployed app-0.1.0']);
  // --wait still waited: the Deployments were ready when the run returned.
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  for (const n of ['l1', 'l3']) assert.equal((await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: n, namespace: 'lock' }))?.status?.readyReplicas, 1);
  c.close();
});

test('upgrade: the history is listed once per target; --history-max still prunes as helm sees it', { skip: !haveTool('helm4') }, async () => {
  const file = state('hist', ['h1', 'h2'], 'hist', '    historyMax: 2\n');
  assert.equal((await bosun(['apply', '-f', file, ...kc()])).code, 0);
  for (const greeting of ['one', 'two', 'three']) {
    writeFileSync(join(dir, 'hist', 'chart', 'values.yaml'), `greeting: ${greeting}\n`);
    const { result, requests } = await recorded(() => bosun(['apply', '-f', file, ...kc()]));
    assert.equal(result.code, 0, result.stderr);
    // One listing of the namespace's records by the diff, then one history read per upgraded release.
    assert.equal(count(requests, /^GET \/api\/v1\/namespaces\/hist\/secrets\?.*labelSelector=owner%3Dhelm(&|$)/), 1, requests.join('\n'));
    for (const n of ['h1', 'h2']) assert.equal(count(requests, new RegExp(`^GET /api/v1/namespaces/hist/secrets\\?.*labelSelector=name%3D${n}%2Cowner%3Dhelm(&|$)`)), 1, requests.join('\n'));
  }
  for (const n of ['h1', 'h2']) {
    const r = await run(tool('helm4'), ['history', n, '-n', 'hist', '--kube-context', 'c1', '-o', 'json'], env.env);
    assert.equal(r.code, 0, r.stderr);
    const revs = (JSON.parse(r.stdout) as Array<{ revision: number; status: string }>).map((x) => `${x.revision} ${x.status}`);
    assert.deepEqual(revs, ['3 superseded', '4 deployed']);
  }
});
