// Field conflicts in the fleet diff and apply, on the sandbox (which answers a conflicting server-side apply as the
// API server does: 409 with one FieldManagerConflict cause per field). Another manager owning a field the chart
// sets is a conflict: the diff names it (text, JSON validated against schema/plan.schema.json, Markdown, HTML) and
// shows what taking it over changes; apply refuses that target before touching it, skips what needs it and applies
// the rest; --force-conflicts (or forceConflicts on the release or in helmDefaults) takes the field over, also when
// applying a saved plan made without it. sync, which does not diff, fails on the conflict as helm 4 does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bosun, openFleetSuite, writeTree, type Env, DEPLOYMENT_TEMPLATE } from './helpers.js';
import { Cluster, type KubeObject } from '../../src/kube/index.js';
import { planValidator } from '../../src/plan/planfile.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;
/** Writes (not reads, not dry runs) of cluster c1, as "METHOD path". */
const writes: string[] = [];

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'chart/values.yaml': 'greeting: hello\n',
  'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  'chart/templates/deploy.yaml': DEPLOYMENT_TEMPLATE,
};

const kc = () => ['--kubeconfig', env.kubeconfig];

before(async () => {
  ({ env, dir, close } = await openFleetSuite(
    {
      clusters: ['c1'],
      controllerDelayMs: 50,
      onRequest: (i) => {
        if (i.method !== 'GET' && !/dryRun=All/.test(i.path)) writes.push(`${i.method} ${i.path.replace(/^\/clusters\/c1/, '')}`);
      },
    },
    'bosun-conflicts-',
  ));
});

after(() => close());

/** r1 and r2, and r3 which needs r1; `extra` goes under every release, `top` before them. */
function state(name: string, extra = '', top = ''): string {
  const d = join(dir, name);
  writeTree(d, CHART);
  let y = `environments:\n  default:\n    clusters:\n      - name: c1\n${top}releases:\n`;
  for (const r of ['r1', 'r2', 'r3']) y += `  - name: ${r}\n    namespace: ${name}\n    chart: ./chart\n${r === 'r3' ? '    needs: [r1]\n' : ''}${extra}`;
  writeFileSync(join(d, 'bosun.yaml'), y);
  return join(d, 'bosun.yaml');
}

/** Another field manager takes r1's replicas over (as `kubectl scale` or an HPA would). */
async function scaleByOther(namespace: string, replicas: number): Promise<void> {
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  try {
    await c.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'r1', namespace }, spec: { replicas } }, { fieldManager: 'kubectl-edit', force: true });
  } finally {
    c.close();
  }
}

async function live(namespace: string, kind: string, name: string): Promise<KubeObject> {
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  try {
    const o = await c.get({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, namespace, name });
    assert.ok(o, `${kind} ${namespace}/${name} exists`);
    return o;
  } finally {
    c.close();
  }
}

async function revisions(namespace: string, release: string): Promise<number[]> {
  const h = await bosun(['history', release, '-n', namespace, '--kube-context', 'c1', ...kc(), '-o', 'json']);
  assert.equal(h.code, 0, h.stderr);
  return (JSON.parse(h.stdout) as Array<{ revision: number }>).map((r) => r.revision);
}

interface PlanJson {
  targets: Array<{ id: string; action: string; changes: Array<{ kind: string; name: string; diff: string; conflicts?: Array<{ manager: string; field: string }> }> }>;
}

test('a field another manager owns: the diff names the conflict, apply refuses only that target and what needs it', async () => {
  const file = state('conf');
  assert.equal((await bosun(['apply', '-f', file, ...kc()])).code, 0);
  await scaleByOther('conf', 3);
  // r2 and r3 (which needs r1) get an ordinary change at the same time.
  writeFileSync(file, readFileSync(file, 'utf8').replace(/( {2}- name: r[23]\n {4}namespace: conf\n {4}chart: \.\/chart\n)/g, '$1    set:\n      - name: greeting\n        value: changed\n'));

  const md = join(dir, 'conf-report.md');
  const html = join(dir, 'conf-report.html');
  const json = await bosun(['diff', '-f', file, ...kc(), '-o', 'json', '--detailed-exitcode', '--report', md, '--report', html]);
  assert.equal(json.code, 2, json.stderr);
  const plan = JSON.parse(json.stdout) as PlanJson;
  assert.ok(planValidator()(plan), JSON.stringify(planValidator().errors));
  const byId = new Map(plan.targets.map((t) => [t.id, t]));
  const r1 = byId.get('c1/conf/r1')!;
  assert.equal(r1.action, 'upgrade');
  assert.deepEqual(
    r1.changes.map((c) => [c.kind, c.name, c.conflicts]),
    [['Deployment', 'r1', [{ manager: 'kubectl-edit', field: '.spec.replicas' }]]],
  );
  // What taking the field over would change.
  assert.match(r1.changes[0]!.diff, /^-  replicas: 3$/m);
  assert.match(r1.changes[0]!.diff, /^\+  replicas: 1$/m);
  assert.deepEqual(byId.get('c1/conf/r2')!.changes.map((c) => [c.kind, c.conflicts]), [['ConfigMap', undefined]]);
  assert.equal(byId.get('c1/conf/r3')!.action, 'upgrade');

  const text = await bosun(['diff', '-f', file, ...kc()]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^ {4}CONFLICT: \.spec\.replicas is managed by "kubectl-edit" \(apply leaves this target untouched without --force-conflicts\)$/m);
  assert.match(text.stdout, /1 target changes fields that other managers own/);
  assert.match(readFileSync(md, 'utf8'), /\*\*conflict\*\* on Deployment conf\/r1: `\.spec\.replicas` is managed by `kubectl-edit`/);
  assert.match(readFileSync(html, 'utf8'), /<strong>conflict<\/strong> on Deployment conf\/r1: <code>\.spec\.replicas<\/code> is managed by <code>kubectl-edit<\/code>/);

  // Forced, the diff shows the same change with no conflict.
  const forced = JSON.parse((await bosun(['diff', '-f', file, ...kc(), '-o', 'json', '--force-conflicts'])).stdout) as PlanJson;
  const f1 = forced.targets.find((t) => t.id === 'c1/conf/r1')!;
  assert.deepEqual(f1.changes.map((c) => [c.kind, c.conflicts, c.diff]), [['Deployment', undefined, r1.changes[0]!.diff]]);

  writes.length = 0;
  const applied = await bosun(['apply', '-f', file, ...kc()]);
  assert.equal(applied.code, 1, applied.stdout);
  assert.match(applied.stderr, /c1\/conf\/r1: upgrade FAILED.*refused, nothing applied: the apply would take a field that other field managers own: Deployment conf\/r1: \.spec\.replicas \(managed by "kubectl-edit"\)/);
  assert.match(applied.stderr, /c1\/conf\/r3: skipped/);
  assert.match(applied.stderr, /c1\/conf\/r2: upgrade done/);
  // Nothing of r1 was written: no record, no object; r2 was applied.
  assert.deepEqual(writes.filter((w) => /\/r1(-cm)?\b|sh\.helm\.release\.v1\.r1\./.test(w)), []);
  assert.ok(writes.some((w) => /configmaps\/r2-cm/.test(w)), writes.join('\n'));
  assert.deepEqual(await revisions('conf', 'r1'), [1]);
  assert.deepEqual(await revisions('conf', 'r2'), [1, 2]);
  assert.deepEqual(await revisions('conf', 'r3'), [1]);
  assert.equal((await live('conf', 'Deployment', 'r1')).spec?.replicas, 3);

  // A plan saved without forcing is refused on that target, and applied when the apply forces.
  const planFile = join(dir, 'conf-plan.json');
  assert.equal((await bosun(['diff', '-f', file, ...kc(), '--save-plan', planFile])).code, 0);
  const refused = await bosun(['apply', '-f', file, ...kc(), '--plan', planFile]);
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(refused.stderr, /c1\/conf\/r1: upgrade FAILED.*refused, nothing applied/);
  assert.deepEqual(await revisions('conf', 'r1'), [1]);
  const taken = await bosun(['apply', '-f', file, ...kc(), '--plan', planFile, '--force-conflicts']);
  assert.equal(taken.code, 0, taken.stderr);
  assert.deepEqual(await revisions('conf', 'r1'), [1, 2]);
  const d = await live('conf', 'Deployment', 'r1');
  assert.equal(d.spec?.replicas, 1);
  const owners = ((d.metadata.managedFields ?? []) as Array<{ manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }>).filter((m) => m.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined).map((m) => m.manager);
  assert.deepEqual(owners, ['bosun']);
  assert.equal((await bosun(['diff', '-f', file, ...kc(), '--detailed-exitcode'])).code, 0);
});

test('forceConflicts in helmDefaults or on the release takes the field over without the flag', async () => {
  for (const [name, extra, top] of [
    ['confhd', '', 'helmDefaults:\n  forceConflicts: true\n'],
    ['confrel', '    forceConflicts: true\n', ''],
  ] as const) {
    const file = state(name, extra, top);
    assert.equal((await bosun(['apply', '-f', file, ...kc()])).code, 0);
    await scaleByOther(name, 4);
    const plan = JSON.parse((await bosun(['diff', '-f', file, ...kc(), '-o', 'json'])).stdout) as PlanJson;
    assert.deepEqual(plan.targets.find((t) => t.id === `c1/${name}/r1`)!.changes.map((c) => [c.kind, c.conflicts]), [['Deployment', undefined]], name);
    const applied = await bosun(['apply', '-f', file, ...kc()]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await live(name, 'Deployment', 'r1')).spec?.replicas, 1, name);
  }
});

test('sync, which does not diff, fails on the conflict as helm does, and takes the field with --force-conflicts', async () => {
  const file = state('confsync');
  assert.equal((await bosun(['sync', '-f', file, ...kc()])).code, 0);
  await scaleByOther('confsync', 5);
  const failed = await bosun(['sync', '-f', file, ...kc()]);
  assert.equal(failed.code, 1, failed.stdout);
  assert.match(failed.stderr, /c1\/confsync\/r1: upgrade FAILED.*conflict occurred while applying object confsync\/r1 apps\/v1, Kind=Deployment: Apply failed with 1 conflict: conflict with "kubectl-edit": \.spec\.replicas/);
  assert.equal((await live('confsync', 'Deployment', 'r1')).spec?.replicas, 5);
  const forced = await bosun(['sync', '-f', file, ...kc(), '--force-conflicts']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal((await live('confsync', 'Deployment', 'r1')).spec?.replicas, 1);
});
