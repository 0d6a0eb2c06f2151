// One cluster of a fleet unreachable (its server accepts TCP connections and cuts them during the TLS handshake):
// diff, apply and sync finish in seconds, with a handful of connection attempts to the dead cluster however many
// targets it has (one probe, a few retries, then the verdict), no per-target retries there, the other clusters
// complete, the summary names the cluster, and the exit code is non-zero.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { bosun, sandboxEnv, writeTree, type Env } from './helpers.js';

let env: Env;
let dead: { port: number; connections: number; close(): Promise<void> };
let kubeconfig: string;

before(async () => {
  env = await sandboxEnv({ clusters: ['c1', 'c2'] });
  const server = net.createServer((s) => {
    dead.connections++;
    s.on('error', () => undefined);
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dead = {
    port: (server.address() as net.AddressInfo).port,
    connections: 0,
    close: () => new Promise((r) => server.close(() => r())),
  };
  // c1 and c2 on the sandbox; c3 at the server that cuts every connection.
  const doc = YAML.parse(env.sb.kubeconfig());
  doc.clusters.push({ name: 'c3', cluster: { ...doc.clusters[0].cluster, server: `https://127.0.0.1:${dead.port}` } });
  doc.users.push({ name: 'c3', user: { token: env.sb.token } });
  doc.contexts.push({ name: 'c3', context: { cluster: 'c3', user: 'c3', namespace: 'default' } });
  kubeconfig = join(env.dir, 'kubeconfig-with-c3');
  writeFileSync(kubeconfig, YAML.stringify(doc));
});
after(async () => {
  await dead?.close();
  await env?.close();
});

/** A state file: `n` releases in `namespace` (each but the first needs the one before every fifth) over c1, c2 and c3. */
function state(name: string, n: number, namespace = 'fleet'): string {
  const d = join(env.dir, name);
  writeTree(d, {
    'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
    'chart/values.yaml': 'greeting: hello\n',
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  });
  let y = 'environments:\n  default:\n    clusters:\n      - name: c1\n      - name: c2\n      - name: c3\nreleases:\n';
  for (let i = 0; i < n; i++) {
    y += `  - name: r${i}\n    namespace: ${namespace}\n    chart: ./chart\n`;
    if (i % 5 !== 0) y += `    needs: [r${i - (i % 5)}]\n`;
  }
  writeFileSync(join(d, 'bosun.yaml'), y);
  return join(d, 'bosun.yaml');
}

/** Runs bosun; returns the result, its duration and the connections the dead cluster received meanwhile. */
async function timed(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number; connections: number }> {
  const before = dead.connections;
  const t0 = Date.now();
  const r = await bosun(args, { CI: 'true' });
  return { ...r, ms: Date.now() - t0, connections: dead.connections - before };
}

const UNREACHABLE = new RegExp(`Kubernetes cluster unreachable: c3: .*\\(127\\.0\\.0\\.1:\\d+\\)`);

test('diff and apply with one cluster unreachable: seconds, not minutes; a few connections to it, not one per target; apply completes the other clusters', async () => {
  for (const n of [10, 30]) {
    const f = state(`diff-${n}`, n, `fleet-${n}`);
    const d = await timed(['diff', '-f', f, '--kubeconfig', kubeconfig]);
    assert.equal(d.code, 1, d.stderr);
    assert.ok(d.ms < 20_000, `diff of ${3 * n} targets took ${d.ms} ms`);
    assert.ok(d.connections >= 1 && d.connections <= 4, `diff: ${d.connections} connections to the dead cluster (${n} targets there)`);
    assert.match(d.stdout, new RegExp(`Plan: ${2 * n} of ${3 * n} targets to change .* ${n} errors`));
    const errors = d.stdout.match(/error: .*/g) ?? [];
    assert.equal(errors.length, n, d.stdout.slice(-2000));
    for (const line of errors) assert.match(line, UNREACHABLE);
    assert.match(d.stderr, new RegExp(`diff failed on ${n} of ${3 * n} targets`));

    const a = await timed(['apply', '-f', f, '--kubeconfig', kubeconfig]);
    assert.notEqual(a.code, 0);
    assert.ok(a.ms < 20_000, `apply took ${a.ms} ms`);
    assert.ok(a.connections >= 1 && a.connections <= 4, `apply: ${a.connections} connections to the dead cluster`);
    // A failed diff fails its own target only: the reachable clusters are applied in full.
    assert.match(a.stdout, new RegExp(`^c1\\s+${n}\\s+0\\s+0\\s+0`, 'm'));
    assert.match(a.stdout, new RegExp(`^c2\\s+${n}\\s+0\\s+0\\s+0`, 'm'));
    assert.match(a.stdout, new RegExp(`^c3\\s+0\\s+0\\s+${n}\\s+0`, 'm'));
    assert.match(a.stdout, new RegExp(`c3/fleet-${n}/r0: Kubernetes cluster unreachable: c3: `));
  }
});

test('sync with one cluster unreachable: the others complete, no per-target retries there, the summary names it', async () => {
  const n = 10;
  const f = state('sync', n);
  const events = join(env.dir, 'sync-events.ndjson');
  const r = await timed(['sync', '-f', f, '--kubeconfig', kubeconfig, '--retries', '3', '--events', events]);
  assert.notEqual(r.code, 0);
  assert.ok(r.ms < 20_000, `sync took ${r.ms} ms`);
  assert.ok(r.connections >= 1 && r.connections <= 4, `sync: ${r.connections} connections to the dead cluster`);
  assert.match(r.stdout, new RegExp(`^c1\\s+${n}\\s+0\\s+0\\s+0`, 'm'));
  assert.match(r.stdout, new RegExp(`^c2\\s+${n}\\s+0\\s+0\\s+0`, 'm'));
  assert.match(r.stdout, /^c3\s+0\s+0\s+2\s+8/m);
  assert.match(r.stdout, new RegExp(`Failed \\(2\\):\\n  c3/fleet/r0: Kubernetes cluster unreachable: c3: `));
  assert.match(r.stdout, /c3\/fleet\/r1: skipped \(need c3\/fleet\/r0 failed\)/);
  assert.match(r.stderr, /failed: c3\/fleet\/r0, c3\/fleet\/r5/);
  const evs = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; cluster?: string; error?: string });
  assert.equal(evs.filter((e) => e.type === 'target.retry').length, 0, 'no target is retried');
  const failed = evs.filter((e) => e.type === 'target.failed');
  assert.deepEqual([...new Set(failed.map((e) => e.cluster))], ['c3']);
  for (const e of failed) assert.match(e.error ?? '', UNREACHABLE);
  assert.equal(evs.filter((e) => e.type === 'target.done').length, 2 * n);
});
