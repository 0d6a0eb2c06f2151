// helmfile release and helmDefaults keys that change how a fleet is diffed, applied and destroyed, on the sandbox:
// rollbackOnFailure, cascade, suppressDiff, suppressOutputLineRegex, syncReleaseLabels, disableValidation(OnInstall)
// and serverSide. What each must do is helmfile's documented behaviour (see schema/bosun.schema.json).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bosun, openFleetSuite, writeTree, type Env, DEPLOYMENT_TEMPLATE } from './helpers.js';
import { Cluster, type KubeObject } from '../../src/kube/index.js';
import { suppressLines } from '../../src/plan/diff.js';
import { compile } from '../../src/template/funcs/re2.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'chart/values.yaml': 'greeting: hello\nversion: "1"\ndeploy: false\nfailingJob: false\nwidget: false\n',
  'chart/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n  labels:\n    version: {{ .Values.version | quote }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  'chart/templates/deploy.yaml': `{{- if .Values.deploy }}\n${DEPLOYMENT_TEMPLATE}{{- end }}\n`,
  'chart/templates/job.yaml':
    '{{- if .Values.failingJob }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-job\n  annotations:\n    sandbox.bosun.dev/fail: "true"\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: job\n          image: busybox\n{{- end }}\n',
  'chart/templates/widget.yaml': '{{- if .Values.widget }}\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: {{ .Release.Name }}-widget\nspec:\n  size: 3\n{{- end }}\n',
};

/** A state folder `name` with the chart and this bosun.yaml (one cluster, k1); returns the state file's path. */
function state(name: string, yaml: string): string {
  const d = join(dir, name);
  writeTree(d, { ...CHART, 'bosun.yaml': `environments:\n  default:\n    clusters:\n      - name: k1\n${yaml}` });
  return join(d, 'bosun.yaml');
}

const kc = () => ['--kubeconfig', env.kubeconfig];

async function withCluster<T>(body: (c: Cluster) => Promise<T>): Promise<T> {
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'k1' });
  try {
    return await body(c);
  } finally {
    c.close();
  }
}

/** Helm's release records (Secrets owned by helm) of `release` in `ns`. */
const records = (ns: string, release: string) => withCluster((c) => c.list('v1', 'Secret', ns, { labelSelector: `owner=helm,name=${release}` }));

/** The ReplicaSets of a Deployment named `app`, polled until `want(list)` holds or `ms` pass. */
async function replicaSetsOf(ns: string, app: string, want: (rs: KubeObject[]) => boolean, ms = 5000): Promise<KubeObject[]> {
  return withCluster(async (c) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const rs = (await c.list('apps/v1', 'ReplicaSet', ns)).filter((r) => r.metadata.name.startsWith(`${app}-`));
      if (want(rs) || Date.now() > deadline) return rs;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}

/** Every hunk header's line counts agree with the lines under it (what a patch tool checks). */
function assertHunkCounts(diff: string): void {
  const hunks = diff.split(/^(?=@@ )/m).filter((h) => h.startsWith('@@ '));
  assert.ok(hunks.length > 0, diff);
  for (const h of hunks) {
    const [header, ...lines] = h.replace(/\n$/, '').split('\n');
    const m = /^@@ -\d+,(\d+) \+\d+,(\d+) @@/.exec(header!)!;
    assert.equal(Number(m[1]), lines.filter((l) => l[0] === ' ' || l[0] === '-').length, h);
    assert.equal(Number(m[2]), lines.filter((l) => l[0] === ' ' || l[0] === '+').length, h);
  }
}

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: ['k1'], controllerDelayMs: 50 }, 'bosun-helmfile-keys-'));
});

after(() => close());

test('rollbackOnFailure (helmDefaults or release) rolls back a failed install, as atomic does; without it the failed record stays', async () => {
  const f = state(
    'rollback',
    'helmDefaults:\n  wait: true\n  waitForJobs: true\n  timeout: 20\nreleases:\n' +
      '  - {name: rb-default, namespace: rb, chart: ./chart, set: [{name: failingJob, value: true}]}\n' +
      '  - {name: rb-own, namespace: rb, chart: ./chart, rollbackOnFailure: true, set: [{name: failingJob, value: true}]}\n',
  );
  const withDefault = state(
    'rollback-hd',
    'helmDefaults:\n  wait: true\n  waitForJobs: true\n  rollbackOnFailure: true\nreleases:\n  - {name: rb-hd, namespace: rb, chart: ./chart, set: [{name: failingJob, value: true}]}\n',
  );
  const r = await bosun(['apply', '-f', f, ...kc()], { CI: 'true' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const r2 = await bosun(['apply', '-f', withDefault, ...kc()], { CI: 'true' });
  assert.equal(r2.code, 1, r2.stdout + r2.stderr);
  const kept = await records('rb', 'rb-default');
  assert.deepEqual(kept.map((s) => s.metadata.labels?.status), ['failed']);
  assert.deepEqual(await records('rb', 'rb-own'), [], 'the failed install was uninstalled');
  assert.deepEqual(await records('rb', 'rb-hd'), [], 'helmDefaults.rollbackOnFailure applies too');
});

test('cascade: the release’s own value, then --cascade, then helmDefaults; orphan leaves the ReplicaSets', async () => {
  const releases = (names: [string, string?][]) =>
    'helmDefaults:\n  wait: true\n  cascade: orphan\nreleases:\n' +
    names.map(([n, own]) => `  - {name: ${n}, namespace: cs, chart: ./chart, set: [{name: deploy, value: true}]${own ? `, cascade: ${own}` : ''}}\n`).join('');
  const f = state('cascade', releases([['own-bg', 'background'], ['hd-orphan']]));
  assert.equal((await bosun(['apply', '-f', f, ...kc()], { CI: 'true' })).code, 0);
  assert.equal((await replicaSetsOf('cs', 'own-bg', (l) => l.length === 1)).length, 1);
  assert.equal((await replicaSetsOf('cs', 'hd-orphan', (l) => l.length === 1)).length, 1);
  const d = await bosun(['destroy', '-f', f, ...kc()], { CI: 'true' });
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.deepEqual(await replicaSetsOf('cs', 'own-bg', (l) => l.length === 0), [], "the release's background beats helmDefaults' orphan");
  // The garbage collector had a second to delete it (it takes milliseconds in the sandbox).
  const orphaned = await replicaSetsOf('cs', 'hd-orphan', () => false, 1000);
  assert.equal(orphaned.length, 1, 'helmDefaults.cascade: orphan keeps the ReplicaSet');
  assert.equal(orphaned[0]!.metadata.ownerReferences, undefined, 'and orphans it');

  const g = state('cascade-flag', releases([['flag-bg']]));
  assert.equal((await bosun(['apply', '-f', g, ...kc()], { CI: 'true' })).code, 0);
  assert.equal((await bosun(['destroy', '-f', g, ...kc(), '--cascade', 'background'], { CI: 'true' })).code, 0);
  assert.deepEqual(await replicaSetsOf('cs', 'flag-bg', (l) => l.length === 0), [], '--cascade beats helmDefaults');

  const bad = await bosun(['destroy', '-f', g, ...kc(), '--cascade', 'sideways']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid cascading flag value: sideways/);
  const badState = state('cascade-bad', 'releases:\n  - {name: x, namespace: cs, chart: ./chart, cascade: sideways}\n');
  const e = await bosun(['diff', '-f', badState, ...kc()]);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /bosun\.yaml:6: releases\[0\]\.cascade: must be one of background, foreground, orphan/);
});

test('suppressOutputLineRegex drops matching diff lines (the change still counts); the release’s list, then the flag, then helmDefaults', async () => {
  const yaml = (greeting: string, version: string) =>
    "helmDefaults:\n  suppressOutputLineRegex: ['greeting']\nreleases:\n" +
    `  - {name: own, namespace: sl, chart: ./chart, suppressOutputLineRegex: ['version'], set: [{name: greeting, value: ${greeting}}, {name: version, value: '${version}'}]}\n` +
    `  - {name: inherits, namespace: sl, chart: ./chart, set: [{name: greeting, value: ${greeting}}, {name: version, value: '${version}'}]}\n`;
  assert.equal((await bosun(['apply', '-f', state('lines', yaml('hello', '1')), ...kc()], { CI: 'true' })).code, 0);
  const f = state('lines', yaml('bonjour', '2'));

  const d = await bosun(['diff', '-f', f, ...kc(), '--detailed-exitcode', '--output', 'json']);
  assert.equal(d.code, 2, d.stderr);
  const plan = JSON.parse(d.stdout) as { targets: { release: string; changes: { diff: string; suppressedLines?: number }[] }[] };
  const own = plan.targets.find((t) => t.release === 'own')!.changes[0]!;
  assert.match(own.diff, /^-\s+greeting: hello$/m);
  assert.match(own.diff, /^\+\s+greeting: bonjour$/m);
  assert.doesNotMatch(own.diff, /version/, "the release's own pattern");
  assert.equal(own.suppressedLines, 2);
  assertHunkCounts(own.diff);
  const inherited = plan.targets.find((t) => t.release === 'inherits')!.changes[0]!;
  assert.doesNotMatch(inherited.diff, /greeting/, "helmDefaults' pattern");
  assert.match(inherited.diff, /^\+\s+version: "2"$/m);

  const flag = await bosun(['diff', '-f', f, ...kc(), '--output', 'json', '--suppress-output-line-regex', '^\\s+version:']);
  const byFlag = (JSON.parse(flag.stdout) as typeof plan).targets.find((t) => t.release === 'inherits')!.changes[0]!;
  assert.match(byFlag.diff, /greeting: bonjour/, 'the flag replaces helmDefaults');
  assert.doesNotMatch(byFlag.diff, /version: "2"/);

  const text = await bosun(['diff', '-f', f, ...kc()]);
  assert.match(text.stdout, /~ ConfigMap sl\/own-cm {2}\(2 lines suppressed by suppressOutputLineRegex\)/);

  const bad = state('lines-bad', "releases:\n  - name: x\n    namespace: sl\n    chart: ./chart\n    suppressOutputLineRegex:\n      - 'ok'\n      - '('\n");
  const e = await bosun(['diff', '-f', bad, ...kc()]);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /bosun\.yaml:11: releases\[0\]\.suppressOutputLineRegex\[1\]: error parsing regexp: missing closing \): `\(`/);
  const badFlag = await bosun(['diff', '-f', f, ...kc(), '--suppress-output-line-regex', 'a[']);
  assert.equal(badFlag.code, 1);
  assert.match(badFlag.stderr, /--suppress-output-line-regex "a\[": error parsing regexp: missing closing \]: `\[`/);
});

test('suppressLines: dropped lines leave recounted hunks, starting at their first kept line; a hunk with no change left goes', () => {
  const diff = '@@ -1,4 +1,4 @@\n a: 1\n-b: 2\n+b: 3\n c: 4\n-version: 1\n+version: 2\n';
  assert.deepEqual(suppressLines(diff, [compile('^a:'), compile('version')]), { diff: '@@ -2,2 +2,2 @@\n-b: 2\n+b: 3\n c: 4\n', dropped: 3 });
  assert.deepEqual(suppressLines(diff, [compile('^[bv]')]), { diff: '', dropped: 4 });
  assert.deepEqual(suppressLines(diff, []), { diff, dropped: 0 });
});

test('suppressDiff hides the object diffs in every output, the changes still count and are applied', async () => {
  const yaml = (greeting: string) => `releases:\n  - {name: quiet, namespace: sd, chart: ./chart, suppressDiff: true, set: [{name: greeting, value: ${greeting}}]}\n`;
  assert.equal((await bosun(['apply', '-f', state('quiet', yaml('hello')), ...kc()], { CI: 'true' })).code, 0);
  const f = state('quiet', yaml('kept-out-of-the-diff'));
  const report = join(dir, 'quiet-report.md');
  const html = join(dir, 'quiet-report.html');
  const d = await bosun(['diff', '-f', f, ...kc(), '--detailed-exitcode', '--report', report, '--report', html]);
  assert.equal(d.code, 2, d.stderr);
  assert.match(d.stdout, /object diffs suppressed \(suppressDiff\)/);
  assert.match(d.stdout, /~ ConfigMap sd\/quiet-cm/);
  for (const out of [d.stdout, readFileSync(report, 'utf8'), readFileSync(html, 'utf8')]) {
    assert.match(out, /object diffs suppressed/);
    assert.doesNotMatch(out, /kept-out-of-the-diff|greeting: /, 'no diff line');
  }
  const json = JSON.parse((await bosun(['diff', '-f', f, ...kc(), '--output', 'json'])).stdout) as { targets: { diffSuppressed?: boolean; changes: { diff: string }[] }[] };
  assert.equal(json.targets[0]!.diffSuppressed, true);
  assert.deepEqual(json.targets[0]!.changes.map((c) => c.diff), ['']);

  const a = await bosun(['apply', '-f', f, ...kc()], { CI: 'true' });
  assert.equal(a.code, 0, a.stdout + a.stderr);
  const cm = await withCluster((c) => c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'sd', name: 'quiet-cm' }));
  assert.equal((cm as { data?: Record<string, string> } | null)?.data?.greeting, 'kept-out-of-the-diff');
  // --suppress-diff asks the same for every release.
  const g = state('loud', 'releases:\n  - {name: loud, namespace: sd, chart: ./chart}\n');
  const flagged = await bosun(['diff', '-f', g, ...kc(), '--suppress-diff']);
  assert.match(flagged.stdout, /object diffs suppressed/);
  assert.doesNotMatch(flagged.stdout, /greeting: /);
});

test('syncReleaseLabels stores the release labels on its record, leaving out Helm’s own', async () => {
  const f = state('labels', 'releases:\n  - {name: lab, namespace: lb, chart: ./chart, syncReleaseLabels: true, labels: {team: payments, tier: "1"}}\n  - {name: nolab, namespace: lb, chart: ./chart, labels: {team: other}}\n');
  assert.equal((await bosun(['apply', '-f', f, ...kc()], { CI: 'true' })).code, 0);
  const [rec] = await records('lb', 'lab');
  assert.equal(rec?.metadata.labels?.team, 'payments');
  assert.equal(rec?.metadata.labels?.tier, '1');
  assert.equal(rec?.metadata.labels?.name, 'lab', "helm's own name label is untouched");
  const [plain] = await records('lb', 'nolab');
  assert.equal(plain?.metadata.labels?.team, undefined, 'without syncReleaseLabels the record has no user labels');
  // --sync-release-labels asks for every release
  const g = state('labels-flag', 'releases:\n  - {name: nolab, namespace: lb, chart: ./chart, labels: {team: other}, set: [{name: greeting, value: again}]}\n');
  assert.equal((await bosun(['apply', '-f', g, ...kc(), '--sync-release-labels'], { CI: 'true' })).code, 0);
  const latest = (await records('lb', 'nolab')).find((s) => s.metadata.labels?.version === '2');
  assert.equal(latest?.metadata.labels?.team, 'other');
});

test('disableValidation shows objects of kinds the cluster does not serve as new; without it the diff fails on them', async () => {
  const strict = state('widgets', 'releases:\n  - {name: w, namespace: dv, chart: ./chart, set: [{name: widget, value: true}]}\n');
  const failed = await bosun(['diff', '-f', strict, ...kc()]);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout + failed.stderr, /Widget/);
  for (const key of ['disableValidation', 'disableValidationOnInstall']) {
    const f = state(`widgets-${key}`, `releases:\n  - {name: w, namespace: dv, chart: ./chart, ${key}: true, set: [{name: widget, value: true}]}\n`);
    const d = await bosun(['diff', '-f', f, ...kc(), '--detailed-exitcode']);
    assert.equal(d.code, 2, d.stdout + d.stderr);
    assert.match(d.stdout, /\+ Widget dv\/w-widget/);
    assert.match(d.stdout, /^\s+\+\s+size: 3$/m);
  }
  const hd = state('widgets-hd', 'helmDefaults:\n  disableValidation: true\nreleases:\n  - {name: w, namespace: dv, chart: ./chart, disableValidation: false, set: [{name: widget, value: true}]}\n');
  assert.equal((await bosun(['diff', '-f', hd, ...kc()])).code, 1, "the release's own false beats helmDefaults");
});

test('serverSide: true and auto are accepted; false (client-side apply) is refused before anything runs', async () => {
  const ok = state('ssa', "helmDefaults:\n  serverSide: auto\nreleases:\n  - {name: s, namespace: ss, chart: ./chart, serverSide: 'true'}\n");
  assert.equal((await bosun(['diff', '-f', ok, ...kc(), '--server-side', 'auto'])).code, 0);
  const no = state('csa', 'releases:\n  - name: s\n    namespace: ss\n    chart: ./chart\n    serverSide: false\n');
  const e = await bosun(['apply', '-f', no, ...kc()], { CI: 'true' });
  assert.equal(e.code, 1);
  assert.match(e.stderr, /bosun\.yaml:9: releases\[0\]\.serverSide: serverSide false asks for client-side apply; bosun applies server-side only/);
  const hd = state('csa-hd', "helmDefaults:\n  serverSide: 'false'\nreleases: []\n");
  assert.match((await bosun(['diff', '-f', hd, ...kc()])).stderr, /bosun\.yaml:6: helmDefaults\.serverSide: serverSide false/);
  const flag = await bosun(['sync', '-f', ok, ...kc(), '--server-side=false'], { CI: 'true' });
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /--server-side=false: bosun applies server-side only/);
  assert.deepEqual(await records('ss', 's'), [], 'nothing was installed');
});
