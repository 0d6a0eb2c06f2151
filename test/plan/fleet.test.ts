// bosun diff / apply / sync / destroy over a state file on the sandbox: exit codes, secret masking, collapsed diffs,
// needs order without barriers, failure isolation, stale plans and injected API errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bosun, openFleetSuite, writeTree, type Env, DEPLOYMENT_TEMPLATE } from './helpers.js';
import { Cluster } from '../../src/kube/index.js';

const CLUSTERS = ['c1', 'c2', 'c3'];
const CANARY = 'canary-s3cr3t-value-7f3a9d';
const CANARY2 = 'canary-rotated-value-c41e82';

let env: Env;
let dir: string;
let close: () => Promise<void>;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'values.yaml': 'greeting: hello\ntoken: none\nslow: false\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  'templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-secret\nstringData:\n  token: {{ .Values.token | quote }}\n  other: unchanged-value\n',
  'templates/deploy.yaml': `{{- if .Values.slow }}\n${DEPLOYMENT_TEMPLATE}{{- end }}\n`,
};

interface Rel {
  name: string;
  ns?: string;
  needs?: string[];
  set?: Record<string, string>;
  wait?: boolean;
  installed?: boolean;
}

/** Writes a state file with the given releases over the given clusters; returns its path. */
function state(name: string, releases: Rel[], clusters = CLUSTERS, perCluster?: (c: string) => Record<string, string>): string {
  const d = join(dir, name);
  writeTree(d, Object.fromEntries(Object.entries(CHART).map(([k, v]) => [`chart/${k}`, v])));
  let y = 'environments:\n  default:\n    clusters:\n';
  for (const c of clusters) {
    y += `      - name: ${c}\n`;
    const v = perCluster?.(c);
    if (v) y += `        values: [${c}.yaml]\n`;
    if (v) writeFileSync(join(d, `${c}.yaml`), Object.entries(v).map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join('\n') + '\n');
  }
  y += 'releases:\n';
  for (const r of releases) {
    y += `  - name: ${r.name}\n    namespace: ${r.ns ?? 'fleet'}\n    chart: ./chart\n    wait: ${r.wait ?? false}\n`;
    if (r.installed === false) y += '    installed: false\n';
    if (r.needs?.length) y += `    needs: [${r.needs.join(', ')}]\n`;
    const set = { ...(r.set ?? {}) };
    if (perCluster) {
      writeFileSync(join(d, 'release-values.yaml.gotmpl'), 'greeting: {{ .Values.greeting }}\n');
      y += '    values: [release-values.yaml.gotmpl]\n';
    }
    if (Object.keys(set).length) {
      y += '    set:\n';
      for (const [k, v] of Object.entries(set)) y += `      - name: ${k}\n        value: ${JSON.stringify(v)}\n`;
    }
  }
  writeFileSync(join(d, 'bosun.yaml'), y);
  return join(d, 'bosun.yaml');
}

const kc = () => ['--kubeconfig', env.kubeconfig];

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: CLUSTERS, controllerDelayMs: 600 }, 'bosun-fleet-test-'));
});

after(() => close());

test('diff exit codes: 2 with changes, 0 once applied, 1 on errors', async () => {
  const f = state('exit', [{ name: 'ex' }]);
  const d1 = await bosun(['diff', '-f', f, ...kc(), '--detailed-exitcode']);
  assert.equal(d1.code, 2, d1.stderr);
  assert.match(d1.stdout, /3 of 3 targets to change \(3 to install/);
  const plain = await bosun(['diff', '-f', f, ...kc()]);
  assert.equal(plain.code, 0, 'without --detailed-exitcode, changes are not an error');
  const a = await bosun(['apply', '-f', f, ...kc()], { CI: 'true' });
  assert.equal(a.code, 0, a.stderr);
  const d2 = await bosun(['diff', '-f', f, ...kc(), '--detailed-exitcode']);
  assert.equal(d2.code, 0, d2.stdout + d2.stderr);
  assert.match(d2.stdout, /No changes/);
  const again = await bosun(['apply', '-f', f, ...kc()], { CI: 'true' });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /Nothing to do/);
  const bad = await bosun(['diff', '-f', f, '--kubeconfig', join(dir, 'missing-kubeconfig'), '--detailed-exitcode']);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
});

test('secret values never appear in text, JSON, Markdown, HTML, plans, events or errors', async () => {
  const f = state('mask', [{ name: 'sec', set: { token: CANARY } }]);
  const events = join(dir, 'mask-events.ndjson');
  const md = join(dir, 'mask-report.md');
  const html = join(dir, 'mask-report.html');
  const planFile = join(dir, 'mask-plan.json');
  const outs: string[] = [];
  for (const o of ['text', 'json', 'markdown']) {
    const r = await bosun(['diff', '-f', f, ...kc(), '-o', o, '--events', events, '--report', md, '--report', html, '--save-plan', planFile]);
    assert.equal(r.code, 0, r.stderr);
    outs.push(r.stdout, r.stderr, readFileSync(events, 'utf8'), readFileSync(md, 'utf8'), readFileSync(html, 'utf8'), readFileSync(planFile, 'utf8'));
  }
  assert.match(outs[0]!, /Secret fleet\/sec-secret\s+\(keys added: other, token; values masked\)/);
  const a = await bosun(['apply', '-f', f, ...kc(), '--events', events], { CI: 'true' });
  assert.equal(a.code, 0, a.stderr);
  outs.push(a.stdout, a.stderr, readFileSync(events, 'utf8'));
  // rotate the secret: the diff names the key, never the old or new value
  const f2 = state('mask', [{ name: 'sec', set: { token: CANARY2 } }]);
  const d = await bosun(['diff', '-f', f2, ...kc(), '--report', md]);
  assert.match(d.stdout, /keys changed: token; values masked/);
  assert.doesNotMatch(d.stdout, /keys changed: .*other/);
  outs.push(d.stdout, d.stderr, readFileSync(md, 'utf8'));
  for (const o of ['json', 'markdown']) {
    const r = await bosun(['diff', '-f', f2, ...kc(), '-o', o]);
    outs.push(r.stdout, r.stderr);
  }
  // errors: the target's cluster refuses every request while the apply runs
  env.sb.faults('c2').down();
  try {
    const fail = await bosun(['apply', '-f', f2, ...kc(), '--retries', '1', '--events', events], { CI: 'true' });
    assert.notEqual(fail.code, 0);
    outs.push(fail.stdout, fail.stderr, readFileSync(events, 'utf8'));
  } finally {
    env.sb.faults('c2').up();
  }
  const all = outs.join('\n');
  for (const v of [CANARY, CANARY2, Buffer.from(CANARY).toString('base64'), Buffer.from(CANARY2).toString('base64')]) assert.ok(!all.includes(v), `secret value leaked: ${v}`);
  // --show-secrets opts in
  const shown = await bosun(['diff', '-f', f2, ...kc(), '--show-secrets']);
  assert.ok(shown.stdout.includes(Buffer.from(CANARY2).toString('base64')) || shown.stdout.includes(CANARY2));
});

test('identical changes across clusters are collapsed, outliers shown in full', async () => {
  const f = state('collapse', [{ name: 'col' }], CLUSTERS, (c) => ({ greeting: c === 'c3' ? 'bonjour' : 'hello' }));
  const r = await bosun(['diff', '-f', f, ...kc()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /col \(namespace fleet\) — install — same change on 2 clusters: c1, c2/);
  assert.match(r.stdout, /col \(namespace fleet\) — install — cluster c3/);
  assert.match(r.stdout, /greeting: bonjour/);
  const j = JSON.parse((await bosun(['diff', '-f', f, ...kc(), '-o', 'json'])).stdout);
  assert.equal(j.groups.length, 2);
  assert.deepEqual(j.groups[0].clusters, ['c1', 'c2']);
});

test('apply respects needs without a barrier between unrelated targets', async () => {
  const f = state('order', [
    { name: 'slow', ns: 'order', set: { slow: 'true' }, wait: true },
    { name: 'after-slow', ns: 'order', needs: ['slow'] },
    { name: 'fast', ns: 'order' },
    { name: 'after-fast', ns: 'order', needs: ['fast'] },
  ], ['c1']);
  const events = join(dir, 'order-events.ndjson');
  const r = await bosun(['apply', '-f', f, ...kc(), '--events', events], { CI: 'true' });
  assert.equal(r.code, 0, r.stderr);
  const evs = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; release?: string; ts: string });
  const at = (type: string, rel: string) => Date.parse(evs.find((e) => e.type === type && e.release === rel)!.ts);
  assert.ok(at('target.start', 'after-slow') >= at('target.done', 'slow'));
  assert.ok(at('target.start', 'after-fast') >= at('target.done', 'fast'));
  assert.ok(at('target.done', 'after-fast') <= at('target.done', 'slow'), 'after-fast waited for an unrelated target');
  // CI mode: plain timestamped lines
  assert.match(r.stderr, /^\d{4}-\d\d-\d\dT[\d:.]+Z c1\/order\/slow: install started$/m);
});

test('apply does not wait for the diffs of unrelated targets: a slow cluster holds back only its own targets', async () => {
  const f = state('nodiffbarrier', [{ name: 'quick', ns: 'nobarrier' }], ['c1', 'c2']);
  const events = join(dir, 'nobarrier-events.ndjson');
  env.sb.faults('c2').set({ latencyMs: 700 });
  let r;
  try {
    r = await bosun(['apply', '-f', f, ...kc(), '--events', events], { CI: 'true' });
  } finally {
    env.sb.faults('c2').reset();
  }
  assert.equal(r.code, 0, r.stderr);
  const evs = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; ts: string });
  const at = (type: string, id: string) => Date.parse(evs.find((e) => e.type === type && e.id === id)!.ts);
  assert.ok(at('target.done', 'c1/nobarrier/quick') < at('diff.done', 'c2/nobarrier/quick'), 'c1 waited for the diff of c2');
  // The whole plan is still printed, and both targets were applied.
  assert.match(r.stdout, /quick \(namespace nobarrier\) — install — same change on 2 clusters: c1, c2/);
  assert.match(r.stdout, /^c1\s+1\s+0\s+0\s+0/m);
  assert.match(r.stdout, /^c2\s+1\s+0\s+0\s+0/m);
});

test('one cluster down: every other cluster completes, the summary names the failure, exit non-zero', async () => {
  const f = state('down', [{ name: 'dn' }, { name: 'dn-child', needs: ['dn'] }]);
  const metrics = join(dir, 'down.prom');
  env.sb.faults('c3').down();
  let r;
  try {
    r = await bosun(['sync', '-f', f, ...kc(), '--retries', '1', '--metrics-file', metrics], { CI: 'true' });
  } finally {
    env.sb.faults('c3').up();
  }
  assert.notEqual(r.code, 0);
  assert.match(r.stdout, /^c1\s+2\s+0\s+0\s+0/m);
  assert.match(r.stdout, /^c2\s+2\s+0\s+0\s+0/m);
  assert.match(r.stdout, /^c3\s+0\s+0\s+1\s+1/m);
  assert.match(r.stdout, /Failed \(1\):\n  c3\/fleet\/dn: /);
  assert.match(r.stdout, /c3\/fleet\/dn-child: skipped \(need c3\/fleet\/dn failed\)/);
  assert.match(r.stderr, /failed: c3\/fleet\/dn/);
  const prom = readFileSync(metrics, 'utf8');
  assert.match(prom, /bosun_targets_total\{result="succeeded"\} 4/);
  assert.match(prom, /bosun_deploy_success 0/);
});

test('apply --plan applies a saved plan and refuses stale targets and old plans', async () => {
  const f = state('stale', [{ name: 'st' }], ['c1', 'c2']);
  const planFile = join(dir, 'stale-plan.json');
  const d = await bosun(['diff', '-f', f, ...kc(), '--save-plan', planFile]);
  assert.equal(d.code, 0, d.stderr);
  const ok = await bosun(['apply', '-f', f, ...kc(), '--plan', planFile], { CI: 'true' });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);

  // new plan; then someone changes c2's ConfigMap behind our back
  const f2 = state('stale', [{ name: 'st', set: { greeting: 'changed' } }], ['c1', 'c2']);
  assert.equal((await bosun(['diff', '-f', f2, ...kc(), '--save-plan', planFile])).code, 0);
  const c2 = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c2' });
  await c2.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'st-cm', namespace: 'fleet', labels: { touched: 'yes' } } }, { fieldManager: 'kubectl' });
  c2.close();
  const stale = await bosun(['apply', '-f', f2, ...kc(), '--plan', planFile], { CI: 'true' });
  assert.notEqual(stale.code, 0);
  assert.match(stale.stdout, /c2\/fleet\/st: stale plan refused: ConfigMap fleet\/st-cm changed since the plan/);
  assert.match(stale.stdout, /^c1\s+1\s/m);

  // inputs changed since the plan
  assert.equal((await bosun(['diff', '-f', f2, ...kc(), '--save-plan', planFile])).code, 0);
  const f3 = state('stale', [{ name: 'st', set: { greeting: 'changed-again' } }], ['c1', 'c2']);
  const inputs = await bosun(['apply', '-f', f3, ...kc(), '--plan', planFile], { CI: 'true' });
  assert.notEqual(inputs.code, 0);
  assert.match(inputs.stdout, /render digest differs/);

  // too old
  const p = JSON.parse(readFileSync(planFile, 'utf8'));
  p.createdAt = new Date(Date.now() - 2 * 3600_000).toISOString();
  writeFileSync(planFile, JSON.stringify(p));
  const old = await bosun(['apply', '-f', f2, ...kc(), '--plan', planFile]);
  assert.equal(old.code, 1);
  assert.match(old.stderr, /the plan is too old/);
});

test('10% injected API errors: apply completes and a second apply has nothing to do', async () => {
  const f = state('flaky', [{ name: 'fl1' }, { name: 'fl2', needs: ['fl1'] }, { name: 'fl3' }, { name: 'fl4', needs: ['fl3'] }]);
  for (const c of CLUSTERS) env.sb.faults(c).set({ errorRate: 0.1 });
  let r;
  try {
    r = await bosun(['apply', '-f', f, ...kc(), '--retries', '5'], { CI: 'true' });
  } finally {
    for (const c of CLUSTERS) env.sb.faults(c).reset();
  }
  assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr.slice(-3000));
  assert.match(r.stdout, /12 of 12 targets applied/);
  const again = await bosun(['apply', '-f', f, ...kc()], { CI: 'true' });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Nothing to do/);
});

test('destroy uninstalls in reverse needs order; sync uninstalls installed: false targets', async () => {
  const f = state('destroy', [{ name: 'base' }, { name: 'top', needs: ['base'] }], ['c1']);
  assert.equal((await bosun(['sync', '-f', f, ...kc()], { CI: 'true' })).code, 0);
  const events = join(dir, 'destroy-events.ndjson');
  const r = await bosun(['destroy', '-f', f, ...kc(), '--events', events], { CI: 'true' });
  assert.equal(r.code, 0, r.stderr);
  const evs = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; release?: string; ts: string });
  const idx = (type: string, rel: string) => evs.findIndex((e) => e.type === type && e.release === rel);
  assert.ok(idx('target.start', 'base') > idx('target.done', 'top'));
  const d = await bosun(['diff', '-f', f, ...kc(), '--detailed-exitcode']);
  assert.equal(d.code, 2, 'destroyed releases show as installs again');

  assert.equal((await bosun(['sync', '-f', f, ...kc()], { CI: 'true' })).code, 0);
  const f2 = state('destroy', [{ name: 'base' }, { name: 'top', needs: ['base'], installed: false }], ['c1']);
  const plan = JSON.parse((await bosun(['diff', '-f', f2, ...kc(), '-o', 'json'])).stdout);
  assert.deepEqual(plan.targets.map((t: { action: string }) => t.action), ['none', 'uninstall']);
  const s = await bosun(['sync', '-f', f2, ...kc()], { CI: 'true' });
  assert.equal(s.code, 0, s.stderr);
  const after = await bosun(['diff', '-f', f2, ...kc(), '--detailed-exitcode']);
  assert.equal(after.code, 0, after.stdout);
});
