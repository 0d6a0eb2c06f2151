// bench/sandbox: drives `bosun sandbox` with concurrent clients over loopback HTTPS and prints requests per second
// for get, list, server-side apply and watch fan-out, for a fleet of 15 clusters x 40 releases.
//
// The sandbox runs in a child process (the server gets a core of its own, as it would under bosun); the clients run
// here over keep-alive HTTPS agents that trust the sandbox CA. Each release is a namespace with a Deployment, a
// Service, a ConfigMap, a Secret and a Helm release Secret, created by server-side apply.
//
//   npm run bench:sandbox [-- --clusters 15 --releases 40 --concurrency 32 --requests 6000 --watchers 20
//                             --events 50 --profile DIR]
// --profile writes a V8 CPU profile of the sandbox process (node --cpu-prof) into DIR and prints its hottest
// functions.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// ------------------------------------------------------------------ options

function arg(name: string, dflt: number): number;
function arg(name: string, dflt: string | undefined): string | undefined;
function arg(name: string, dflt: number | string | undefined): number | string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = process.argv[i + 1];
  return typeof dflt === 'number' ? Number(v) : v;
}

const CLUSTERS = arg('clusters', 15);
const RELEASES = arg('releases', 40);
const CONCURRENCY = arg('concurrency', 32);
const REQUESTS = arg('requests', 6000);
const WATCHERS = arg('watchers', 20);
const EVENTS = arg('events', 50);
const PROFILE = arg('profile', undefined);

// ------------------------------------------------------------------ the server process

interface Ready {
  url: string;
  caPem: string;
  token: string;
}

async function serve(names: string[]): Promise<void> {
  const { startSandbox } = await import('../src/sandbox/index.js');
  const sb = await startSandbox({ clusters: names, controllerDelayMs: 100 });
  const ready: Ready = { url: sb.url, caPem: sb.caPem!, token: sb.token };
  process.send!(ready);
  process.on('message', async (m) => {
    if (m === 'cpu') process.send!({ cpu: process.cpuUsage(), t: Number(process.hrtime.bigint() / 1000n) });
    if (m === 'close') {
      await sb.close();
      process.exit(0);
    }
  });
}

function startServer(names: string[]): Promise<{ child: ChildProcess; ready: Ready }> {
  const execArgv = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE)}`] : [];
  if (PROFILE) mkdirSync(resolve(PROFILE), { recursive: true });
  const child = fork(fileURLToPath(import.meta.url), ['--serve', names.join(',')], { execArgv, stdio: 'inherit' });
  return new Promise((res, rej) => {
    child.once('message', (m) => res({ child, ready: m as Ready }));
    child.once('exit', (code) => rej(new Error(`sandbox process exited with ${code}`)));
  });
}

// ------------------------------------------------------------------ the clients

interface Answer {
  status: number;
  body: string;
}

class Client {
  private readonly agent: https.Agent;
  /** keepAlive false: a new TCP+TLS connection per request (resumed from the agent's session cache unless sessions is 0). */
  constructor(
    private readonly ready: Ready,
    maxSockets: number,
    opts: { keepAlive?: boolean; sessions?: number } = {},
  ) {
    this.agent = new https.Agent({ keepAlive: opts.keepAlive ?? true, maxSockets, ca: ready.caPem, maxCachedSessions: opts.sessions ?? 1000 });
  }

  request(cluster: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((res, rej) => {
      const req = https.request(
        `${this.ready.url}/clusters/${cluster}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.ready.token}`,
            Accept: 'application/json',
            'User-Agent': 'bench-sandbox/1.0',
            ...(data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}),
          },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          r.on('error', rej);
        },
      );
      req.on('error', rej);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** A watch: counts events until `stop()`; `opened` resolves once the response headers arrived. */
  watch(cluster: string, path: string, onEvent: (type: string) => void): { opened: Promise<void>; stop(): void } {
    let stop = (): void => {};
    const opened = new Promise<void>((res, rej) => {
      const req = https.request(`${this.ready.url}/clusters/${cluster}${path}`, { method: 'GET', agent: this.agent, headers: { Authorization: `Bearer ${this.ready.token}` } }, (r) => {
        if (r.statusCode !== 200) rej(new Error(`watch answered ${r.statusCode}`));
        res();
        let buf = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => {
          buf += c;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line) onEvent((JSON.parse(line) as { type: string }).type);
          }
        });
        r.on('error', () => {});
      });
      req.on('error', () => {});
      req.end();
      stop = () => req.destroy();
    });
    return { opened, stop: () => stop() };
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Result {
  name: string;
  requests: number;
  seconds: number;
  latencies: number[];
  failures: number;
  /** CPU time (user + system) the sandbox process spent during the phase, in seconds. */
  serverCpu?: number;
  /** The phase's start and end on the sandbox process's monotonic clock (µs), to attribute profile samples. */
  window?: [number, number];
}

let serverProcess: ChildProcess | undefined;

/** The sandbox process's CPU time so far (user + system, seconds) and its monotonic clock (µs). */
function serverCpu(): Promise<{ cpu: number; t: number }> {
  const child = serverProcess;
  if (!child) return Promise.resolve({ cpu: 0, t: 0 });
  return new Promise((res) => {
    const on = (m: unknown): void => {
      const { cpu, t } = m as { cpu?: { user: number; system: number }; t: number };
      if (!cpu) return;
      child.off('message', on);
      res({ cpu: (cpu.user + cpu.system) / 1e6, t });
    };
    child.on('message', on);
    child.send('cpu');
  });
}

/** Runs `total` requests with `concurrency` in flight; `make(i)` issues request i. */
async function pool(name: string, total: number, concurrency: number, make: (i: number) => Promise<Answer>, ok: (a: Answer) => boolean = (a) => a.status < 300): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const cpu0 = await serverCpu();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        const a = await make(i);
        latencies.push(performance.now() - s);
        if (!ok(a)) {
          failures++;
          firstFailure ??= `${a.status} ${a.body.slice(0, 300)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = await serverCpu();
  if (firstFailure) console.log(`  ${name}: ${failures} failures, first: ${firstFailure}`);
  return { name, requests: total, seconds, latencies, failures, serverCpu: cpu1.cpu - cpu0.cpu, window: [cpu0.t, cpu1.t] };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function report(r: Result): void {
  const s = [...r.latencies].sort((a, b) => a - b);
  const rps = r.requests / r.seconds;
  // The sandbox's own cost: CPU time per request, and what one fully available core could serve at that cost.
  const us = r.serverCpu !== undefined ? (r.serverCpu * 1e6) / r.requests : undefined;
  const cpuText = us !== undefined ? `   server ${us.toFixed(0).padStart(4)} us CPU/req = ${String(Math.round(1e6 / us)).padStart(5)} req/s per core, busy ${((100 * r.serverCpu!) / r.seconds).toFixed(0).padStart(3)}%` : '';
  console.log(
    `  ${r.name.padEnd(36)} ${String(Math.round(rps)).padStart(6)} req/s   p50 ${pct(s, 50).toFixed(1).padStart(5)} ms   p99 ${pct(s, 99).toFixed(1).padStart(6)} ms${cpuText}   (${r.requests}${r.failures ? `, ${r.failures} failed` : ''})`,
  );
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// ------------------------------------------------------------------ the fleet

const pad = (n: number): string => String(n).padStart(2, '0');
const clusterNames = Array.from({ length: CLUSTERS }, (_, i) => `c${pad(i + 1)}`);
const releaseNames = Array.from({ length: RELEASES }, (_, i) => `rel-${pad(i + 1)}`);

function manifests(release: string, generation = 1): Array<{ path: string; body: object }> {
  const labels = { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/managed-by': 'bosun', bench: 'fleet' };
  const ns = `/api/v1/namespaces/${release}`;
  return [
    {
      path: `${ns}/configmaps/${release}-config`,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${release}-config`, labels }, data: { LOG_LEVEL: 'info', GENERATION: String(generation), FEATURES: 'a,b,c' } },
    },
    {
      path: `${ns}/secrets/${release}-secret`,
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${release}-secret`, labels }, type: 'Opaque', data: { password: Buffer.from(`pw-${release}`).toString('base64') } },
    },
    {
      path: `${ns}/secrets/sh.helm.release.v1.${release}.v1`,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `sh.helm.release.v1.${release}.v1`, labels: { name: release, owner: 'helm', status: 'deployed', version: '1' } },
        type: 'helm.sh/release.v1',
        data: { release: Buffer.from('x'.repeat(1500)).toString('base64') },
      },
    },
    {
      path: `${ns}/services/${release}`,
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: release, labels }, spec: { selector: { app: release }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    },
    {
      path: `/apis/apps/v1/namespaces/${release}/deployments/${release}`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: release, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: release } },
          template: {
            metadata: { labels: { app: release } },
            spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'bench' }] }] },
          },
        },
      },
    },
  ];
}

const APPLY_CT = 'application/apply-patch+yaml';
const releaseOf = (path: string): string => /\/namespaces\/([^/]+)\//.exec(path)![1]!;
const applyQuery = '?fieldManager=bosun&force=true';

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  console.log(`bench/sandbox: ${CLUSTERS} clusters x ${RELEASES} releases, ${CONCURRENCY} concurrent clients, ${REQUESTS} requests per phase`);
  console.log(`  machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, load average before: ${load()}`);
  const { child, ready } = await startServer(clusterNames);
  serverProcess = child;
  const client = new Client(ready, CONCURRENCY);
  const watchClient = new Client(ready, Infinity);
  const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;
  const results: Result[] = [];
  try {
    // Seed the fleet: namespaces, then every release's objects by server-side apply.
    const nsJobs = clusterNames.flatMap((c) => releaseNames.map((r) => ({ c, r })));
    const ns = await pool('create namespaces', nsJobs.length, CONCURRENCY, (i) =>
      client.request(nsJobs[i]!.c, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsJobs[i]!.r } }),
    );
    const seedJobs = nsJobs.flatMap(({ c, r }) => manifests(r).map((m) => ({ c, ...m })));
    const seed = await pool('apply (create, 5 kinds)', seedJobs.length, CONCURRENCY, (i) => client.request(seedJobs[i]!.c, 'PATCH', seedJobs[i]!.path + applyQuery, seedJobs[i]!.body, APPLY_CT));
    results.push(ns, seed);
    // Let the simulated controllers settle (ReplicaSets, Pods, ready Deployments) before measuring reads.
    await new Promise((r) => setTimeout(r, 1500));

    const objects = seedJobs.map((j) => ({ c: j.c, path: j.path }));
    const configMaps = objects.filter((o) => o.path.includes('/configmaps/'));
    const deployments = objects.filter((o) => o.path.includes('/deployments/'));
    results.push(await pool('get (one object)', REQUESTS, CONCURRENCY, (i) => client.request(pick(objects, i * 7919).c, 'GET', pick(objects, i * 7919).path)));
    // TLS: what a connection costs when clients do not keep it (kubectl and helm start a process, and so at least one
    // connection, per command). Resumed sessions skip the RSA signature of a full handshake.
    const fresh = new Client(ready, CONCURRENCY, { keepAlive: false });
    const full = new Client(ready, CONCURRENCY, { keepAlive: false, sessions: 0 });
    results.push(await pool('get, new connection, resumed TLS', Math.max(300, REQUESTS / 10), CONCURRENCY, (i) => fresh.request(pick(objects, i).c, 'GET', pick(objects, i).path)));
    results.push(await pool('get, new connection, full handshake', Math.max(300, REQUESTS / 10), CONCURRENCY, (i) => full.request(pick(objects, i).c, 'GET', pick(objects, i).path)));
    fresh.close();
    full.close();
    results.push(
      await pool('list (release namespace, selector)', REQUESTS, CONCURRENCY, (i) => {
        const o = pick(configMaps, i * 7919);
        const release = releaseOf(o.path);
        return client.request(o.c, 'GET', `/api/v1/namespaces/${release}/secrets?labelSelector=owner%3Dhelm`);
      }),
    );
    results.push(await pool('list (all deployments of a cluster)', Math.max(200, REQUESTS / 20), CONCURRENCY, (i) => client.request(pick(clusterNames, i), 'GET', '/apis/apps/v1/deployments')));
    // Apply: the same configuration again (what a no-change upgrade does) and a changed ConfigMap.
    results.push(
      await pool('apply (unchanged ConfigMap)', REQUESTS, CONCURRENCY, (i) => {
        const o = pick(configMaps, i * 7919);
        const release = releaseOf(o.path);
        return client.request(o.c, 'PATCH', o.path + applyQuery, manifests(release)[0]!.body, APPLY_CT);
      }),
    );
    results.push(
      await pool('apply (changed ConfigMap)', REQUESTS, CONCURRENCY, (i) => {
        const o = pick(configMaps, i * 7919);
        const release = releaseOf(o.path);
        return client.request(o.c, 'PATCH', o.path + applyQuery, manifests(release, i + 2)[0]!.body, APPLY_CT);
      }),
    );
    results.push(
      await pool('apply (changed Deployment)', Math.max(600, REQUESTS / 4), CONCURRENCY, (i) => {
        const o = pick(deployments, i * 7919);
        const release = releaseOf(o.path);
        const d = manifests(release)[4]!.body as { spec: { template: { spec: { containers: Array<{ env: object[] }> } } } };
        d.spec.template.spec.containers[0]!.env = [{ name: 'MODE', value: `bench-${i}` }];
        return client.request(o.c, 'PATCH', o.path + applyQuery, d, APPLY_CT);
      }),
    );

    console.log(`  load average during the request phases: ${load()}`);
    for (const r of results) report(r);
    const small = results.filter((r) => r.name.startsWith('get') || r.name.startsWith('list (release') || r.name.startsWith('apply (unchanged') || r.name.startsWith('apply (changed ConfigMap'));
    const smallRps = small.reduce((a, r) => a + r.requests, 0) / small.reduce((a, r) => a + r.seconds, 0);
    console.log(`  small requests overall (get, small list, ConfigMap apply): ${Math.round(smallRps)} req/s (target >= 2000)`);

    // Watch fan-out: WATCHERS watchers per cluster on the fleet's ConfigMaps; EVENTS changes per cluster.
    const totalWatchers = WATCHERS * CLUSTERS;
    const counts = new Map<string, number[]>();
    const watches: Array<{ stop(): void }> = [];
    for (const c of clusterNames) {
      const rv = JSON.parse((await client.request(c, 'GET', '/api/v1/configmaps?labelSelector=bench%3Dfleet&limit=1')).body).metadata.resourceVersion as string;
      const perCluster = Array.from({ length: WATCHERS }, () => 0);
      counts.set(c, perCluster);
      for (let w = 0; w < WATCHERS; w++) {
        const h = watchClient.watch(c, `/api/v1/configmaps?watch=1&labelSelector=bench%3Dfleet&resourceVersion=${rv}`, (type) => {
          if (type === 'MODIFIED') perCluster[w]!++;
        });
        watches.push(h);
        await h.opened;
      }
    }
    const t0 = performance.now();
    const writes = await pool('watch fan-out: writes', EVENTS * CLUSTERS, Math.min(CONCURRENCY, 16), (i) => {
      const c = clusterNames[i % CLUSTERS]!;
      const release = pick(releaseNames, Math.floor(i / CLUSTERS));
      return client.request(c, 'PATCH', `/api/v1/namespaces/${release}/configmaps/${release}-config`, { data: { WATCH: String(i) } }, 'application/merge-patch+json');
    });
    const expected = EVENTS * totalWatchers;
    const received = (): number => [...counts.values()].reduce((a, xs) => a + xs.reduce((x, y) => x + y, 0), 0);
    const deadline = Date.now() + 60_000;
    while (received() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const fanSeconds = (performance.now() - t0) / 1000;
    for (const w of watches) w.stop();
    const got = received();
    console.log(
      `  watch fan-out: ${totalWatchers} watchers x ${EVENTS} events each = ${got}/${expected} events delivered in ${fanSeconds.toFixed(2)} s: ${Math.round(got / fanSeconds)} events/s (writes ${Math.round(writes.requests / writes.seconds)} req/s)`,
    );
    console.log(`  load average after: ${load()}`);
  } finally {
    client.close();
    watchClient.close();
    child.send('close');
    await new Promise((r) => child.once('exit', r));
  }
  if (PROFILE) summarizeProfile(resolve(PROFILE), results);
}

// ------------------------------------------------------------------ profile summary

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function summarizeProfile(dir: string, phases: Result[]): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  const latest = files.sort().pop();
  if (!latest) return;
  const prof = JSON.parse(readFileSync(latest, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const label = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  // Sample times on the sandbox's monotonic clock (µs), to split the profile by phase.
  const times: number[] = [];
  let t = prof.startTime;
  for (const d of prof.timeDeltas) times.push((t += d));
  const top = (title: string, from: number, to: number, n: number): void => {
    const self = new Map<string, number>();
    let total = 0;
    prof.samples.forEach((id, i) => {
      if (times[i]! < from || times[i]! > to) return;
      const k = label(id);
      self.set(k, (self.get(k) ?? 0) + 1);
      total++;
    });
    if (!total) return;
    console.log(`\n  ${title} (${total} samples): hottest functions by self time`);
    for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`    ${((100 * c) / total).toFixed(1).padStart(5)}%  ${k}`);
  };
  console.log(`\n  CPU profile of the sandbox process: ${latest}`);
  top('whole run', -Infinity, Infinity, 20);
  for (const p of phases) if (p.window) top(p.name, p.window[0], p.window[1], 10);
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3]!.split(',')).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
