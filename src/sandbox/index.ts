// bosun sandbox: a local Kubernetes API server serving many virtual clusters over the real HTTP API, faithful
// enough for kubectl, helm (v3 and v4) and @kubernetes/client-node. One process, objects in memory (optionally
// snapshotted to a state directory), simulated controllers so that waits finish, fault injection per cluster.
//
//   const sb = await startSandbox({ clusters: ['eu', 'us'] });
//   sb.writeKubeconfig('/tmp/kubeconfig');      // contexts "eu" and "us"
//   sb.faults('eu').set({ errorRate: 0.2 });    // 20% of eu's requests answer 503 with Retry-After
//   await sb.close();
//
// Each cluster is served at https://127.0.0.1:<port>/clusters/<name> (kubectl and client-go accept a path prefix
// in the server URL). TLS uses a CA made at start (kept in the state directory when there is one); any bearer
// token is accepted, and the kubeconfig carries a fixed one.
import { writeFileSync } from 'node:fs';
import { Cluster } from './cluster.js';
import { Controllers } from './controllers.js';
import type { FaultCounters, FaultSettings } from './faults.js';
import { clusterServerUrl, renderKubeconfig } from './kubeconfig.js';
import { loadCA, Persister, restoreCluster, saveCA } from './persist.js';
import { SandboxServer, type RequestInfo } from './server.js';
import { createCA, createServingCert, newKeyPem, type CertAuthority, type ServingCert } from './tls.js';

export type { FaultSettings, FaultCounters } from './faults.js';
export type { RequestInfo } from './server.js';
export { FAIL_ANNOTATION } from './controllers.js';

export interface SandboxOptions {
  /** Names of the virtual clusters (also the kubeconfig context names). */
  clusters: string[];
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Serve HTTPS with a self-signed CA (default true). Plain HTTP otherwise (kubeconfig then skips TLS checks). */
  https?: boolean;
  /** Keep objects (and the CA) across restarts: one JSON snapshot per cluster in this directory. */
  stateDir?: string;
  /** How long simulated controllers take to make pods ready, jobs complete, PVCs bound (default 200 ms). */
  controllerDelayMs?: number;
  /** Interval of watch bookmarks (default 15 s). */
  bookmarkIntervalMs?: number;
  /** Called after every answered request (for logging). */
  onRequest?: (info: RequestInfo) => void;
}

/** Fault injection for one cluster, switchable while the sandbox runs. */
export interface FaultHandle {
  /** Change some settings (others keep their values). */
  set(settings: Partial<FaultSettings>): void;
  /** Back to no faults. */
  reset(): void;
  /** The cluster refuses every request (connection reset) until `up()`. */
  down(): void;
  up(): void;
  readonly settings: Readonly<FaultSettings>;
  /** How many faults were injected so far. */
  readonly counters: Readonly<FaultCounters>;
  /** Forget the change history (like etcd compaction): watches and continue tokens from before answer 410 Expired. */
  compactHistory(): void;
}

export interface Sandbox {
  /** Base URL, e.g. https://127.0.0.1:43121 */
  readonly url: string;
  readonly port: number;
  readonly clusters: readonly string[];
  /** Server URL of one cluster (what the kubeconfig names). */
  serverUrl(cluster: string): string;
  /** The CA certificate (PEM) clients must trust; undefined when serving plain HTTP. */
  readonly caPem?: string;
  /** The bearer token written to the kubeconfig (any token is accepted). */
  readonly token: string;
  /** Kubeconfig YAML: one context per cluster, named after it; current context = first cluster. */
  kubeconfig(): string;
  writeKubeconfig(file: string): void;
  faults(cluster: string): FaultHandle;
  /** Write the state-dir snapshots now (also done after changes and on close). */
  flush(): void;
  close(): Promise<void>;
}

let cachedTls: Promise<{ ca: CertAuthority; cert: ServingCert }> | undefined;

async function tlsMaterial(stateDir: string | undefined): Promise<{ ca: CertAuthority; cert: ServingCert }> {
  if (stateDir) {
    const saved = loadCA(stateDir);
    const [caKey, serverKey] = await Promise.all([saved ? undefined : newKeyPem(), newKeyPem()]);
    const ca = saved ?? createCA(caKey!);
    if (!saved) saveCA(stateDir, ca);
    return { ca, cert: createServingCert(ca, serverKey) };
  }
  // Without a state dir the CA only lives as long as the process: make it once (both keys in parallel).
  cachedTls ??= Promise.all([newKeyPem(), newKeyPem()]).then(([caKey, serverKey]) => {
    const ca = createCA(caKey);
    return { ca, cert: createServingCert(ca, serverKey) };
  });
  return cachedTls;
}

const TOKEN = 'bosun-sandbox-token';

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const names = [...new Set(opts.clusters.map((c) => c.trim()).filter(Boolean))];
  if (names.length === 0) throw new Error('startSandbox: at least one cluster name is required');
  for (const n of names) if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n)) throw new Error(`startSandbox: invalid cluster name "${n}" (lowercase letters, digits, '-' and '.')`);
  const useHttps = opts.https !== false;
  const tls = useHttps ? await tlsMaterial(opts.stateDir) : undefined;
  const delay = opts.controllerDelayMs ?? 200;

  const clusters = new Map<string, Cluster>();
  const persisters: Persister[] = [];
  const controllers: Controllers[] = [];
  for (const name of names) {
    const c = new Cluster(name);
    const restored = opts.stateDir ? restoreCluster(opts.stateDir, c) : false;
    if (!restored) c.bootstrap();
    clusters.set(name, c);
    if (opts.stateDir) persisters.push(new Persister(opts.stateDir, c));
    const ctl = new Controllers(c, delay, tls?.ca.certPem ?? '');
    ctl.start();
    controllers.push(ctl);
  }

  const server = new SandboxServer(clusters, {
    tls: tls ? { key: tls.cert.keyPem, cert: tls.cert.certPem } : undefined,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    onRequest: opts.onRequest,
  });
  const port = await server.listen(opts.port ?? 0, '127.0.0.1');
  const url = `${useHttps ? 'https' : 'http'}://127.0.0.1:${port}`;
  let closed = false;

  const sandbox: Sandbox = {
    url,
    port,
    clusters: names,
    caPem: tls?.ca.certPem,
    token: TOKEN,
    serverUrl: (cluster) => clusterServerUrl(url, cluster),
    kubeconfig: () => renderKubeconfig({ clusters: names, baseUrl: url, caPem: tls?.ca.certPem, token: TOKEN }),
    writeKubeconfig(file) {
      writeFileSync(file, sandbox.kubeconfig(), { mode: 0o600 });
    },
    faults(cluster) {
      const c = clusters.get(cluster);
      if (!c) throw new Error(`sandbox: no cluster named "${cluster}"`);
      const f = c.faults;
      return {
        set: (s) => f.set(s),
        reset: () => f.reset(),
        down: () => f.set({ down: true }),
        up: () => f.set({ down: false }),
        get settings() {
          return f.settings;
        },
        get counters() {
          return f.counters;
        },
        compactHistory: () => c.store.compact(),
      };
    },
    flush() {
      for (const p of persisters) p.flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of controllers) c.stop();
      for (const p of persisters) p.close();
      await server.close();
    },
  };
  return sandbox;
}
