// The unreachable verdict of the cluster client: a cluster whose connections fail (refused, cut during the TLS
// handshake, never completing it, failing certificate checks) is retried a few times, then judged unreachable;
// every later request fails at once with the same error and without connecting, requests still connecting end with
// it, and only one request probes a cluster that never answered. A live server answering 503, 429 or 4xx, or
// dropping connections after they are up, is never unreachable.
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { Cluster, KubeApiError, KubeTransportError, KubeUnreachableError, type KubeObject } from '../../src/kube/index.js';
import { sandboxEnv, type Env } from '../sandbox/helpers.js';

let e: Env;
before(async () => {
  e = await sandboxEnv({ clusters: ['a'] });
});
after(async () => e?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' } });
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'default' });

/** A TCP server on 127.0.0.1 counting connections: it destroys them, leaves them hanging or forwards them. */
interface Tcp {
  readonly port: number;
  connections: number;
  mode: 'destroy' | 'hang' | 'forward';
  /** Ends every connection it holds. */
  dropAll(): void;
  close(): Promise<void>;
}

async function tcpServer(mode: Tcp['mode'], forwardPort = 0): Promise<Tcp> {
  const held = new Set<net.Socket>();
  const hold = (s: net.Socket) => {
    held.add(s);
    s.on('close', () => held.delete(s));
    s.on('error', () => undefined);
  };
  const server = net.createServer((s) => {
    t.connections++;
    hold(s);
    if (t.mode === 'destroy') return void s.destroy();
    if (t.mode === 'hang') return;
    const up = net.connect(forwardPort, '127.0.0.1');
    hold(up);
    s.pipe(up).pipe(s);
    up.on('close', () => s.destroy());
    s.on('close', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const t: Tcp = {
    port: (server.address() as net.AddressInfo).port,
    connections: 0,
    mode,
    dropAll: () => {
      for (const s of held) s.destroy();
    },
    close: () => {
      t.dropAll();
      return new Promise((r) => server.close(() => r()));
    },
  };
  return t;
}

/** A port nothing listens on (connections are refused). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The sandbox's kubeconfig plus one context per entry, its cluster at the given server (the sandbox's CA and token). */
function kubeconfigWith(extra: Record<string, { server: string; tlsServerName?: string }>): string {
  const doc = YAML.parse(e.sb.kubeconfig());
  const base = doc.clusters[0].cluster;
  for (const [name, x] of Object.entries(extra)) {
    doc.clusters.push({ name, cluster: { ...base, server: x.server, ...(x.tlsServerName ? { 'tls-server-name': x.tlsServerName } : {}) } });
    doc.users.push({ name, user: { token: e.sb.token } });
    doc.contexts.push({ name, context: { cluster: name, user: name, namespace: 'default' } });
  }
  const file = join(e.dir, `kubeconfig-${Object.keys(extra).join('-')}`);
  writeFileSync(file, YAML.stringify(doc));
  return file;
}

test('refused connections: the first request retries its connection 3 times, then every request fails at once without connecting', async () => {
  const port = await closedPort();
  const c = await Cluster.connect({ kubeconfig: kubeconfigWith({ dead: { server: `https://127.0.0.1:${port}` } }), context: 'dead' });
  const t0 = Date.now();
  const first = await c.get(ref('x')).catch((x: unknown) => x);
  const firstMs = Date.now() - t0;
  assert.ok(first instanceof KubeUnreachableError, String(first));
  assert.equal(first.message, `Kubernetes cluster unreachable: dead: connect ECONNREFUSED 127.0.0.1:${port}`);
  assert.ok(first instanceof KubeTransportError && first.connect);
  assert.equal(c.transport.unreachable, first);
  assert.equal(c.transport.stats.connects, 4, 'one connection and 3 retries');
  assert.ok(firstMs < 5000, `first request took ${firstMs} ms`);

  const t1 = Date.now();
  const later = await Promise.all(
    [
      ...Array.from({ length: 20 }, (_, i) => c.get(ref(`y${i}`))),
      c.create(cm('p')),
      c.apply(cm('q')),
      c.list('v1', 'ConfigMap', 'default'),
      c.transport.call({ method: 'GET', path: '/version' }),
      c.transport.stream('/api/v1/configmaps', { watch: 1 }, () => undefined, new AbortController().signal),
      c.waitReady([ref('w')], { timeoutMs: 30_000 }),
    ].map((p) => p.then(() => 'succeeded', (x: unknown) => x)),
  );
  const laterMs = Date.now() - t1;
  for (const x of later) assert.equal(x, first, 'the same error');
  assert.equal(c.transport.stats.connects, 4, 'no connection after the verdict');
  assert.ok(laterMs < 1000, `later requests took ${laterMs} ms`);
  c.close();
});

test('a TLS handshake cut by the server: 30 concurrent first requests make one probe (4 connections), then fail together', async () => {
  const srv = await tcpServer('destroy');
  try {
    const c = await Cluster.connect({ kubeconfig: kubeconfigWith({ cut: { server: `https://127.0.0.1:${srv.port}` } }), context: 'cut' });
    const t0 = Date.now();
    const all = await Promise.all(Array.from({ length: 30 }, (_, i) => c.get(ref(`c${i}`)).then(() => 'succeeded', (x: unknown) => x)));
    const ms = Date.now() - t0;
    const verdict = c.transport.unreachable;
    assert.ok(verdict instanceof KubeUnreachableError);
    assert.match(verdict.message, new RegExp(`^Kubernetes cluster unreachable: cut: .*\\(127\\.0\\.0\\.1:${srv.port}\\)$`));
    for (const x of all) assert.equal(x, verdict);
    assert.equal(srv.connections, 4, `connections: ${srv.connections}`);
    assert.ok(ms < 5000, `${ms} ms`);
    await assert.rejects(c.get(ref('again')), (x: unknown) => x === verdict);
    assert.equal(srv.connections, 4);
    c.close();
  } finally {
    await srv.close();
  }
});

test('a handshake that never completes: one connect timeout, no retry past the connect timeout', async () => {
  const srv = await tcpServer('hang');
  try {
    const c = await Cluster.connect({ kubeconfig: kubeconfigWith({ hang: { server: `https://127.0.0.1:${srv.port}` } }), context: 'hang', connectTimeoutMs: 400 });
    const t0 = Date.now();
    await assert.rejects(c.get(ref('h')), (x: unknown) => x instanceof KubeUnreachableError && x.message === `Kubernetes cluster unreachable: hang: connect timed out after 0.4s (127.0.0.1:${srv.port})`);
    const ms = Date.now() - t0;
    assert.equal(srv.connections, 1);
    assert.ok(ms < 3000, `${ms} ms`);
    c.close();
  } finally {
    await srv.close();
  }
});

test('a certificate that does not match is unreachable at once (no retry)', async () => {
  const c = await Cluster.connect({ kubeconfig: kubeconfigWith({ badname: { server: e.sb.serverUrl('a'), tlsServerName: 'not-the-sandbox.example' } }), context: 'badname' });
  await assert.rejects(c.get(ref('b')), (x: unknown) => x instanceof KubeUnreachableError && /^Kubernetes cluster unreachable: badname: .*not-the-sandbox\.example/.test(x.message));
  assert.equal(c.transport.stats.connects, 1);
  c.close();
});

test('a live server answering 503, 429 or 404, or dropping connections once they are up, is not unreachable', async () => {
  const c = await Cluster.connect({ kubeconfig: e.kubeconfig, context: 'a', maxRetries: 1 });
  const f = e.sb.faults('a');
  await c.apply(cm('live'));
  try {
    f.set({ failNext: 10, errorCodes: [503], retryAfterSeconds: 0 });
    await assert.rejects(c.get(ref('live')), (x: unknown) => x instanceof KubeApiError && x.status === 503);
    f.set({ failNext: 10, errorCodes: [429], retryAfterSeconds: 0 });
    await assert.rejects(c.get(ref('live')), (x: unknown) => x instanceof KubeApiError && x.status === 429);
    f.reset();
    assert.equal(await c.get(ref('absent')), null);
    f.down();
    await assert.rejects(c.get(ref('live')), (x: unknown) => x instanceof KubeTransportError && !(x instanceof KubeUnreachableError) && !x.connect);
  } finally {
    f.reset();
  }
  assert.equal(c.transport.unreachable, undefined);
  assert.equal((await c.get(ref('live')))?.data?.a, '1');
  c.close();
});

test('a cluster that dies mid-run: after its retries the verdict ends the requests still connecting at once', async () => {
  const proxy = await tcpServer('forward', e.sb.port);
  try {
    const kc = kubeconfigWith({ via: { server: `https://127.0.0.1:${proxy.port}/clusters/a` } });
    const c = await Cluster.connect({ kubeconfig: kc, context: 'via', maxRetries: 2, connectTimeoutMs: 20_000 });
    await c.apply(cm('mid'));
    // The cluster goes away: open connections end, a new one hangs in its handshake, later ones are cut.
    proxy.mode = 'hang';
    proxy.dropAll();
    await sleep(100);
    const before = proxy.connections;
    const t0 = Date.now();
    const hanging = c.get(ref('mid')).then(() => 'succeeded', (x: unknown) => x);
    while (proxy.connections === before) await sleep(5);
    proxy.mode = 'destroy';
    const cut = await c.get(ref('other')).then(() => 'succeeded', (x: unknown) => x);
    assert.ok(cut instanceof KubeUnreachableError, String(cut));
    const r = await Promise.race([hanging, sleep(3000).then(() => 'still connecting')]);
    assert.equal(r, cut, 'the hanging request ends with the verdict');
    assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
    c.close();
  } finally {
    await proxy.close();
  }
});
