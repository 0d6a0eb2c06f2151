// The cluster client on the sandbox: kubeconfig loading (context choice, token and exec-plugin auth through
// client-node), discovery cached per cluster, retries of idempotent calls on 500/429/dropped connections but not of
// POSTs on 500, QPS limits, server-side apply as field manager bosun, waits through watches.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Cluster, Discovery, KubeApiError, KubeConfigError, type KubeTransport, type RequestSpec } from '../../src/kube/index.js';
import { haveTool, run, sandboxEnv, tool, type Env } from '../sandbox/helpers.js';

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

test('KUBECONFIG with several files: merged by kubectl\'s rules, as the real kubectl reads them', { skip: !haveTool('kubectl') && 'kubectl not in .tools' }, async () => {
  // The first current-context and the first definition of each name win; a missing file is skipped; a path inside a
  // file is relative to that file's folder.
  const dir = join(e.dir, 'merged');
  mkdirSync(join(dir, 'certs'), { recursive: true });
  writeFileSync(join(dir, 'certs', 'ca.crt'), e.sb.caPem ?? '');
  const cfg = (body: string) => `apiVersion: v1\nkind: Config\n${body}`;
  writeFileSync(join(dir, 'contexts'), cfg('current-context: mine\ncontexts:\n  - name: mine\n    context: {cluster: cb, user: u, namespace: from-first}\n'));
  writeFileSync(
    join(dir, 'clusters'),
    cfg(`current-context: other\nclusters:\n  - name: cb\n    cluster: {server: "${e.sb.serverUrl('b')}", certificate-authority: certs/ca.crt}\nusers:\n  - name: u\n    user: {token: ${e.sb.token}}\ncontexts:\n  - name: mine\n    context: {cluster: nowhere, user: u}\n`),
  );
  writeFileSync(join(dir, 'later'), cfg('clusters:\n  - name: cb\n    cluster: {server: "https://127.0.0.1:1"}\nusers:\n  - name: u\n    user: {token: wrong}\n'));
  const list = [join(dir, 'contexts'), join(dir, 'missing'), join(dir, 'clusters'), join(dir, 'later')].join(':');
  const k = await run(tool('kubectl'), ['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].name} {.clusters[0].cluster.server} {.contexts[0].context.namespace}'], { ...e.env, KUBECONFIG: list });
  assert.equal(k.code, 0, k.stderr);
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = list;
  try {
    const c = await Cluster.connect({});
    try {
      assert.equal(`${c.transport.contextName} ${c.transport.server.href.replace(/\/$/, '')} ${c.transport.namespace}`, k.stdout.trim());
      assert.ok(await c.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }), 'the CA file relative to its kubeconfig is read');
    } finally {
      c.close();
    }
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
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
  // Aggregated discovery: /api and /apis once each answer every group/version, none is asked for on its own.
  assert.equal(requests.filter((r) => /GET (\/clusters\/b)?\/api \d+$/.test(r)).length, 1, '/api once');
  assert.equal(requests.filter((r) => /GET (\/clusters\/b)?\/apis \d+$/.test(r)).length, 1, '/apis once');
  assert.equal(requests.filter((r) => /GET (\/clusters\/b)?\/apis?\/[^/ ]+(\/v[^/ ]*)? \d+$/.test(r) && !/\/api \d|\/apis \d/.test(r)).length, 0, 'no group/version list');
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

/** A transport that records the paths asked for and can refuse aggregated discovery (a server without it). */
function recording(c: Cluster, legacyOnly: boolean): { transport: KubeTransport; paths: string[] } {
  const paths: string[] = [];
  const transport = {
    json: (spec: RequestSpec) => {
      paths.push(spec.path);
      return c.transport.json(legacyOnly ? { ...spec, accept: undefined } : spec);
    },
  } as unknown as KubeTransport;
  return { transport, paths };
}

test('Capabilities.APIVersions: the set the real helm 4 renders, through aggregated discovery and without it', { skip: !haveTool('helm4') }, async () => {
  const chart = join(e.dir, 'capchart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: cap\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  v: |\n{{ toYaml .Capabilities.APIVersions | indent 4 }}\n');
  const r = await run(tool('helm4'), ['install', 'caps', chart, '--dry-run=server', '--kube-context', 'a'], e.env);
  assert.equal(r.code, 0, r.stderr);
  const fromHelm = [...r.stdout.matchAll(/^ {4}- (\S+)$/gm)].map((m) => m[1]!).sort();
  assert.ok(fromHelm.includes('apps/v1/Scale') && fromHelm.includes('apps/v1/Deployment'), fromHelm.join(' '));
  const c = await Cluster.connect({ kubeconfig: e.kubeconfig, context: 'a' });
  const aggregated = recording(c, false);
  const legacy = recording(c, true);
  const viaAggregated = await new Discovery(aggregated.transport).apiVersions();
  const viaLegacy = await new Discovery(legacy.transport).apiVersions();
  c.close();
  assert.deepEqual([...viaAggregated].sort(), fromHelm);
  assert.deepEqual([...viaLegacy].sort(), fromHelm);
  assert.equal(new Set(viaAggregated).size, viaAggregated.length, 'each entry once');
  assert.deepEqual(aggregated.paths.sort(), ['/api', '/apis']);
  assert.ok(legacy.paths.includes('/apis/apps/v1') && legacy.paths.length > 10, legacy.paths.join(' '));
});

test('aggregated discovery: a Stale group/version is read on its own, the others come from the aggregated answer', async () => {
  const paths: string[] = [];
  const doc = (items: unknown[]) => ({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', items });
  const answers: Record<string, unknown> = {
    '/api': doc([{ metadata: { name: '' }, versions: [{ version: 'v1', resources: [{ resource: 'configmaps', responseKind: { kind: 'ConfigMap' }, scope: 'Namespaced' }] }] }]),
    '/apis': doc([
      { metadata: { name: 'apps' }, versions: [{ version: 'v1', resources: [{ resource: 'deployments', responseKind: { kind: 'Deployment' }, scope: 'Namespaced', subresources: [{ subresource: 'scale', responseKind: { kind: 'Scale' } }] }] }] },
      { metadata: { name: 'metrics.example.com' }, versions: [{ version: 'v1', resources: [], freshness: 'Stale' }] },
    ]),
    '/apis/metrics.example.com/v1': { resources: [{ name: 'nodemetrics', kind: 'NodeMetrics', namespaced: false }] },
  };
  const transport = {
    json: async (spec: RequestSpec) => {
      paths.push(spec.path);
      if (spec.path === '/api' || spec.path === '/apis') assert.match(spec.accept ?? '', /g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/);
      if (!(spec.path in answers)) throw new Error(`unexpected ${spec.path}`);
      return answers[spec.path];
    },
  } as unknown as KubeTransport;
  const d = new Discovery(transport);
  assert.deepEqual(await d.resourceFor('apps/v1', 'Deployment'), { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true });
  assert.deepEqual(await d.apiVersions(), ['v1', 'apps/v1', 'metrics.example.com/v1', 'v1/ConfigMap', 'apps/v1/Deployment', 'apps/v1/Scale', 'metrics.example.com/v1/NodeMetrics']);
  assert.deepEqual(paths, ['/api', '/apis', '/apis/metrics.example.com/v1']);
});
