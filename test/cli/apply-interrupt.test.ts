// `bosun apply` as a user runs it (bin/bosun.cjs in its own process) on the sandbox: Ctrl-C stops scheduling and
// leaves every release record consistent (checked with the real helm), and -i asks on a terminal before applying
// (only about the targets it would apply: one refused for a field conflict is counted apart).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxEnv, writeTree, type Env, DEPLOYMENT_TEMPLATE } from '../plan/helpers.js';
import { helm4, projectRoot } from '../support/paths.js';
import { Cluster } from '../../src/kube/index.js';

const bin = join(projectRoot, 'bin', 'bosun.cjs');
let env: Env;
let dir: string;

/** One chart with a Deployment, so that `wait: true` holds each target until the sandbox's pods are ready. */
const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'chart/templates/deploy.yaml': DEPLOYMENT_TEMPLATE,
};

function stateWith(name: string, releases: string[], namespace: string): string {
  const d = join(dir, name);
  let y = 'environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n';
  for (const r of releases) y += `  - name: ${r}\n    namespace: ${namespace}\n    chart: ./chart\n    wait: true\n`;
  writeTree(d, { ...CHART, 'bosun.yaml': y });
  return join(d, 'bosun.yaml');
}

/**
 * Runs a command without blocking this process, which serves the sandbox the command talks to (spawnSync here
 * would deadlock: the child waits on the sandbox, the sandbox waits on the event loop).
 */
function exec(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? env.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

interface HelmRelease {
  name: string;
  status: string;
}

async function helmList(namespace: string): Promise<HelmRelease[]> {
  const r = await exec(helm4, ['list', '--deployed', '--failed', '--pending', '--uninstalling', '-n', namespace, '-o', 'json', '--kubeconfig', env.kubeconfig]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as HelmRelease[]).map((x) => ({ name: x.name, status: x.status }));
}

before(async () => {
  env = await sandboxEnv({ clusters: ['c1'], controllerDelayMs: 300 });
  dir = mkdtempSync(join(tmpdir(), 'bosun-interrupt-test-'));
});

after(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Ctrl-C during apply: no new target starts, the one in flight finishes, every record is consistent', async (t) => {
  if (!existsSync(helm4)) return t.skip('.tools/helm4 missing: run npm run tools');
  const releases = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
  const file = stateWith('interrupt', releases, 'intr');
  const child = spawn(process.execPath, [bin, 'apply', '-f', file, '--kubeconfig', env.kubeconfig, '--concurrency', '1'], {
    env: { ...env.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    // Interrupt as soon as the first target has started installing.
    if (!interrupted && /install started/.test(stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.ok(interrupted, `apply never started a target:\n${stderr}`);
  assert.notEqual(code, 0, 'an interrupted apply must not report success');
  assert.match(stderr, /interrupted: no new targets will start/);
  const records = await helmList('intr');
  // Whatever was in flight completed (deployed); nothing was left pending; the rest was never started.
  assert.ok(records.length >= 1 && records.length < releases.length, `records: ${JSON.stringify(records)}\n${stderr}`);
  for (const r of records) assert.equal(r.status, 'deployed', `${r.name} left ${r.status}`);
  assert.match(stdout + stderr, /did not complete/);

  // A second apply finishes the job.
  const again = await exec(process.execPath, [bin, 'apply', '-f', file, '--kubeconfig', env.kubeconfig], { env: { ...env.env, CI: 'true' } });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    (await helmList('intr')).map((r) => `${r.name}=${r.status}`).sort(),
    releases.map((r) => `${r}=deployed`),
  );
});

/** Runs `bosun apply -i` on a pseudo-terminal (util-linux `script`), answering `answer` to its question. */
async function applyOnTerminal(file: string, answer: string): Promise<{ code: number | null; out: string }> {
  const cmd = [process.execPath, bin, 'apply', '-i', '-f', file, '--kubeconfig', env.kubeconfig].map((a) => `'${a}'`).join(' ');
  const r = await exec('script', ['-qec', cmd, '/dev/null'], { input: `${answer}\n`, env: { ...env.env, CI: 'true' } });
  return { code: r.code, out: r.stdout + r.stderr };
}

test('apply -i asks on a terminal: "n" applies nothing, "y" applies', async (t) => {
  if (!existsSync(helm4)) return t.skip('.tools/helm4 missing: run npm run tools');
  if (spawnSync('script', ['--version']).status !== 0) return t.skip('util-linux script is not installed');
  const file = stateWith('interactive', ['i1', 'i2'], 'inter');
  const no = await applyOnTerminal(file, 'n');
  assert.match(no.out, /Apply changes to 2 targets\? \[y\/N\]/);
  assert.match(no.out, /Aborted: nothing applied/);
  assert.equal(no.code, 0);
  assert.deepEqual(await helmList('inter'), []);

  const yes = await applyOnTerminal(file, 'y');
  assert.equal(yes.code, 0, yes.out);
  assert.deepEqual((await helmList('inter')).map((r) => `${r.name}=${r.status}`).sort(), ['i1=deployed', 'i2=deployed']);
});

test('apply -i without a terminal refuses instead of applying unasked', async () => {
  const file = stateWith('no-tty', ['n1'], 'notty');
  const r = await exec(process.execPath, [bin, 'apply', '-i', '-f', file, '--kubeconfig', env.kubeconfig], { env: { ...env.env, CI: 'true' }, input: 'y\n' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /-i\/--interactive needs a terminal/);
});

test('apply -i asks only about the targets it would apply; a target refused for a field conflict is counted apart', async (t) => {
  if (!existsSync(helm4)) return t.skip('.tools/helm4 missing: run npm run tools');
  if (spawnSync('script', ['--version']).status !== 0) return t.skip('util-linux script is not installed');
  const file = stateWith('interactive-conflict', ['k1', 'k2'], 'iconf');
  const first = await exec(process.execPath, [bin, 'apply', '-f', file, '--kubeconfig', env.kubeconfig], { env: { ...env.env, CI: 'true' } });
  assert.equal(first.code, 0, first.stderr);
  // Another manager takes k1's replicas over (a conflict for the next apply); k2 gets new values.
  const c = await Cluster.connect({ kubeconfig: env.kubeconfig, context: 'c1' });
  try {
    await c.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'k1', namespace: 'iconf' }, spec: { replicas: 2 } }, { fieldManager: 'kubectl-edit', force: true });
  } finally {
    c.close();
  }
  writeFileSync(file, readFileSync(file, 'utf8').replace(/( {2}- name: k2\n(?: {4}.*\n)*)/, '$1    set:\n      - name: note\n        value: changed\n'));

  const no = await applyOnTerminal(file, 'n');
  assert.match(no.out, /Apply changes to 1 target \(1 target more refused for field conflicts, as the plan shows\)\? \[y\/N\]/);
  assert.match(no.out, /Aborted: nothing applied/);
  assert.deepEqual((await helmHistory('k2', 'iconf')).length, 1);

  // With k2 put back, only the refused target has a change: nothing to ask, and the run reports the refusal.
  writeFileSync(file, readFileSync(file, 'utf8').replace(/ {4}set:\n {6}- name: note\n {8}value: changed\n/, ''));
  const refused = await applyOnTerminal(file, 'y');
  assert.equal(refused.code, 1, refused.out);
  assert.doesNotMatch(refused.out, /Apply changes to/);
  assert.match(refused.out, /c1\/iconf\/k1: upgrade FAILED.*refused, nothing applied/);
  assert.deepEqual((await helmHistory('k1', 'iconf')).length, 1);
});

async function helmHistory(release: string, namespace: string): Promise<unknown[]> {
  const r = await exec(helm4, ['history', release, '-n', namespace, '-o', 'json', '--kubeconfig', env.kubeconfig]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown[];
}
