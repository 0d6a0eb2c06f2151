// The cluster client on the sandbox: kubeconfig loading (context choice, token and exec-plugin auth through
// client-node), discovery cached per cluster, retries of idempotent calls on 500/429/dropped connections but not of
// POSTs on 500, QPS limits, server-side apply as field manager bosun, waits through watches.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Cluster, KubeApiError, KubeConfigError } from '../../src/kube/index.js';
import { sandboxEnv, type Env } from '../sandbox/helpers.js';

let e: Env;
const requests: string[] = [];
before(async () => {
  e = await sandboxEnv({ clusters: ['a', 'b'], controllerDelayMs: 20, onRequest: (i) => requests.push(`${i.cluster} ${i.method} ${i.path.replace(/\?.*/, '')} ${i.code}`) });
});
after(async () => e?.close());

test('contexts: the named one is used; an unknown one is a clear error', async () => {
  const c = await Cluster.connect({ kubeconfig: e.kubeconfig, context: 'b' });
  assert.equal(c.transport.contextName, 'b');
  assert.match(c.transport.server.href, /\/clusters\/b$/);
  c.close();
  await assert.rejects(Cluster.connect({ kubeconfig: e.kubeconfig, context: 'zz' }), (x: Error) => x instanceof KubeConfigError && /context "zz" does not exist/.test(x.message));
});

test('exec plugin credentials (client-node runs the plugin)', async () => {
  const plugin = join(e.dir, 'cred.sh');
  writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec"}}'\n`);
  chmodSync(plugin, 0o755);
  const kc = e.sb.kubeconfig().replace(/token: .*/g, `exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ${plugin}\n        interactiveMode: Never`);
  const file = join(e.dir, 'kubeconfig-exec');
  writeFileSync(file, kc);
  const c = await Cluster.connect({ kubeconfig: file, context: 'a' });
  assert.ok((await c.discovery.serverVersion()).gitVersion.startsWith('v1.'));
  c.close();
});

test('retries: GET/apply through 500 and 429; a POST is not retried on 500', async () => {
  const c = await Cluster.connect({ kubeconfig: e.kubeconfig, context: 'a' });
  await c.discovery.serverVersion();
  const f = e.sb.faults('a');
  f.set({ failNext: 3, errorCodes: [500], retryAfterSeconds: 0 });
  const cm = await c.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r1', namespace: 'default' }, data: { a: '1' } });
  assert.equal(cm.metadata.managedFields?.[0] && (cm.metadata.managedFields[0] as { manager: string }).manager, 'bosun');
  f.set({ failNext: 2, errorCodes: [429] });
  assert.ok(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'r1', namespace: 'default' }));
  f.set({ failNext: 1, errorCodes: [500] });
  await assert.rejects(c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r2', namespace: 'default' } }), (x: Error) => x instanceof KubeApiError && x.status === 500);
  f.set({ failNext: 1, errorCodes: [429] });
  await c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r2', namespace: 'default' } });
  f.set({ dropRate: 0.3 });
  for (let i = 0; i < 10; i++) assert.ok(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'r1', namespace: 'default' }));
  f.reset();
  assert.ok(c.transport.stats.retries >= 6, `retries: ${c.transport.stats.retries}`);
  c.close();
});

test('discovery is fetched once per cluster; QPS limits the request rate', async () => {
  requests.length = 0;
  const c = await Cluster.connect({ kubeconfig: e.kubeconfig, context: 'b', qps: 20, burst: 2 });
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: `x${i}`, namespace: 'default' });
  const ms = Date.now() - t0;
  assert.equal(requests.filter((r) => /GET (\/clusters\/b)?\/apis\/apps\/v1 \d+$/.test(r)).length, 1, 'apps/v1 discovered once');
  assert.ok(ms >= 350, `11 requests at 20 qps with burst 2 took ${ms} ms`);
  c.close();
});

test('waitReady follows a deployment through watches; a timeout names what is not ready', async () => {
  const c = await Cluster.connect({ kubeconfig: e.kubeconfig, context: 'a' });
  await c.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const seen: string[] = [];
  await c.waitReady([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', namespace: 'default' }], { timeoutMs: 10_000, onStatus: (_r, s) => seen.push(s) });
  assert.equal(seen[seen.length - 1], 'Current');
  await c.apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'none-such', resources: { requests: { storage: '1Gi' } } } });
  e.sb.faults('a').set({ down: true });
  await assert.rejects(
    c.waitReady([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nothing', namespace: 'default' }], { timeoutMs: 500 }),
    /ConfigMap\/default\/nothing not ready.*\ncontext deadline exceeded/s,
  );
  e.sb.faults('a').reset();
  assert.equal(await c.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', namespace: 'default' }, 'Foreground'), true);
  await c.waitDeleted([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', namespace: 'default' }], 10_000);
  assert.equal(await c.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', namespace: 'default' }), false);
  c.close();
});
