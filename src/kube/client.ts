// The transport to one cluster: kubeconfig (through @kubernetes/client-node, so token, token-file, client
// certificates, exec plugins and auth providers work as that library does), one keep-alive connection pool, a
// per-cluster token-bucket limiter (QPS and burst), and retries with backoff.
//
// Retry rules: an answer of 429 means the server did not process the request, so every call is retried on it
// (honouring Retry-After). 5xx answers and dropped connections are retried only for idempotent calls (GET, PUT,
// DELETE, server-side apply PATCH) — for a POST the server may already have acted. A refused connection never
// reached the server and is retried for any call.
//
// Unreachable clusters: a failure before a connection is established (refused, DNS failure, no route, connect or
// TLS handshake timeout, TLS handshake failure) sent nothing, so it is retried for any call — but only a few times
// while the cluster has never answered (a flaky network gets a chance; helm gives none), and only one request
// probes a cluster that has not answered yet (the others wait for its first connection). When those retries run
// out, the cluster is unreachable for the life of this client: every later request fails at once with
// KubeUnreachableError ("Kubernetes cluster unreachable: <context>: <reason>"), without connecting, and requests
// still connecting or backing off end with it too. An answer of any status, from a live server, is never that.
import type { KubeConfig } from '@kubernetes/client-node';
import https from 'node:https';
import http from 'node:http';
import tls from 'node:tls';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYamlDoc } from 'yaml';
import { apiError, KubeApiError, KubeConfigError, KubeTransportError, KubeUnreachableError } from './errors.js';
import { TokenBucket } from './ratelimit.js';

export interface ConnectOptions {
  /** Path(s) of kubeconfig files (KUBECONFIG syntax); default KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Context to use; default the kubeconfig's current context. */
  readonly context?: string;
  /** Sustained requests per second (default 50; helm's --qps). */
  readonly qps?: number;
  /** Requests allowed in a burst (default 100; helm's --burst-limit). */
  readonly burst?: number;
  /** Retries of a failing call before giving up (default 8). */
  readonly maxRetries?: number;
  /**
   * Retries of a failed connection while the cluster has never answered (default 3), before it is declared
   * unreachable. Once it has answered, connection failures get maxRetries.
   */
  readonly connectRetries?: number;
  /** Bound on connecting (TCP and TLS handshake) and on retrying a connection, in ms (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** User-Agent sent with every request. */
  readonly userAgent?: string;
  /** helm's --kube-* flags: they override the kubeconfig's context (see ConfigOverrides). */
  readonly overrides?: ConfigOverrides;
}

/**
 * What helm's global --kube-apiserver, --kube-token, --kube-ca-file, --kube-insecure-skip-tls-verify,
 * --kube-tls-server-name, --kube-as-user and --kube-as-group change in the selected kubeconfig context (as client-go's
 * clientcmd overrides do). With a server given, no kubeconfig cluster is needed at all.
 */
export interface ConfigOverrides {
  readonly server?: string;
  readonly token?: string;
  readonly caFile?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  readonly asUser?: string;
  readonly asGroups?: readonly string[];
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  /** A JSON value (sent as JSON) or a string sent as is. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Accept header (default application/json). */
  readonly accept?: string;
  /** Override the method's default (GET/PUT/DELETE idempotent; PATCH idempotent only for apply). */
  readonly idempotent?: boolean;
  readonly timeoutMs?: number;
}

export interface Answer {
  readonly status: number;
  readonly text: string;
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Connection failures worth another try (the network, not the configuration). Others before a connection is up
 * (certificate verification, a TLS protocol error such as HTTPS to a plain port) make the cluster unreachable at once.
 */
const CONNECT_RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EPIPE',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
]);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Loads a kubeconfig the way kubectl and helm do: explicit path(s), else KUBECONFIG (a list: files that do not exist
 * are skipped, the rest merged by kubectl's rules), else ~/.kube/config.
 */
export async function loadKubeConfig(path: string | undefined, context: string | undefined, clusterOptional = false): Promise<KubeConfig> {
  // Loaded on demand: importing the package costs most of a second, and plain kubeconfigs do not need it.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    const list = path ?? process.env.KUBECONFIG;
    const files = list ? list.split(delimiter).filter(Boolean) : [];
    if (files.length === 1) kc.loadFromFile(files[0]!);
    else if (files.length > 1) kc.loadFromString(JSON.stringify(mergedKubeconfig(path ? files : files.filter((f) => existsSync(f)))));
    else kc.loadFromDefault();
  } catch (e) {
    throw new KubeConfigError(`Kubernetes cluster unreachable: ${(e as Error).message}`);
  }
  if (context) {
    if (!kc.getContextObject(context)) throw new KubeConfigError(`Kubernetes cluster unreachable: context "${context}" does not exist`);
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster() && !clusterOptional) throw new KubeConfigError('Kubernetes cluster unreachable: no cluster is configured (set KUBECONFIG or --kubeconfig)');
  return kc;
}

/** The fields of kubeconfig entries that name files, relative to the kubeconfig that holds them. */
const FILE_FIELDS: Record<string, readonly string[]> = { clusters: ['certificate-authority'], users: ['client-certificate', 'client-key', 'tokenFile'] };

/**
 * Several kubeconfig files as one, by kubectl's rules (client-go's clientcmd): the first file that sets
 * current-context wins, and so does the first definition of each cluster, user and context name; paths inside a
 * file are relative to its folder. (client-node's own merge takes the last current-context and throws on a name
 * defined twice.)
 */
function mergedKubeconfig(files: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  for (const file of files) {
    const doc = parsedKubeconfig(file);
    if (!isRecord(doc)) continue;
    if (out['current-context'] === undefined && typeof doc['current-context'] === 'string' && doc['current-context']) out['current-context'] = doc['current-context'];
    for (const [section, entry] of [['clusters', 'cluster'], ['users', 'user'], ['contexts', 'context']] as const) {
      const merged = out[section] as Entry[];
      const entries = Array.isArray(doc[section]) ? (doc[section] as unknown[]).filter(isRecord) : [];
      for (const e of entries as Entry[]) {
        if (merged.some((m) => m.name === e.name)) continue;
        const body = isRecord(e[entry]) ? { ...(e[entry] as Record<string, unknown>) } : e[entry];
        for (const k of FILE_FIELDS[section] ?? []) {
          if (isRecord(body) && typeof body[k] === 'string' && body[k] && !isAbsolute(body[k] as string)) body[k] = resolve(dirname(file), body[k] as string);
        }
        merged.push({ ...e, [entry]: body });
      }
    }
  }
  return out;
}

/** What the transport needs of a kubeconfig: the selected context, its server and its TLS and auth options. */
interface ConfigSource {
  readonly server: string;
  readonly skipTLSVerify: boolean;
  readonly contextName: string;
  readonly namespace: string;
  applyToHTTPSOptions(o: https.RequestOptions): Promise<void>;
}

function fromKubeConfig(kc: KubeConfig): ConfigSource {
  const cluster = kc.getCurrentCluster();
  const contextName = kc.getCurrentContext() ?? '';
  return {
    server: cluster?.server ?? '',
    skipTLSVerify: cluster?.skipTLSVerify ?? false,
    contextName,
    namespace: kc.getContextObject(contextName)?.namespace || 'default',
    applyToHTTPSOptions: (o) => kc.applyToHTTPSOptions(o),
  };
}

/** The context with helm's --kube-* overrides applied on top. */
function withOverrides(kc: ConfigSource, ov: ConfigOverrides): ConfigSource {
  let ca: Buffer | undefined;
  if (ov.caFile) {
    try {
      ca = readFileSync(ov.caFile);
    } catch (e) {
      throw new KubeConfigError(`Kubernetes cluster unreachable: --kube-ca-file: ${(e as Error).message}`);
    }
  }
  const insecure = ov.insecureSkipTlsVerify === true;
  return {
    server: ov.server ? ov.server.replace(/\/+$/, '') : kc.server,
    skipTLSVerify: insecure || kc.skipTLSVerify,
    contextName: kc.contextName,
    namespace: kc.namespace,
    applyToHTTPSOptions: async (o) => {
      await kc.applyToHTTPSOptions(o);
      if (ca) o.ca = ca;
      if (ov.tlsServerName) o.servername = ov.tlsServerName;
      // As clientcmd: skipping verification drops the CA the kubeconfig names.
      if (insecure) {
        o.rejectUnauthorized = false;
        delete o.ca;
      }
      const headers = (o.headers ??= {}) as Record<string, string | string[]>;
      if (ov.token) {
        headers.Authorization = `Bearer ${ov.token}`;
        delete o.auth;
      }
      if (ov.asUser) headers['Impersonate-User'] = ov.asUser;
      if (ov.asGroups && ov.asGroups.length > 0) headers['Impersonate-Group'] = [...ov.asGroups];
    },
  };
}

const PLAIN_CLUSTER_KEYS = new Set(['server', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name']);
const PLAIN_USER_KEYS = new Set(['token', 'client-certificate-data', 'client-key-data', 'username', 'password']);
const PLAIN_CONTEXT_KEYS = new Set(['cluster', 'user', 'namespace']);

/** A kubeconfig file parsed once per process while its size and modification time stay the same (one per cluster otherwise). */
const parsedFiles = new Map<string, { stamp: string; doc: unknown }>();
function parsedKubeconfig(file: string): unknown {
  const st = statSync(file);
  const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
  const known = parsedFiles.get(file);
  if (known && known.stamp === stamp) return known.doc;
  const doc: unknown = parseYamlDoc(readFileSync(file, 'utf8'));
  parsedFiles.set(file, { stamp, doc });
  return doc;
}

type Entry = { name?: unknown; [k: string]: unknown };
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (v: unknown, allowed: Set<string>): v is Record<string, unknown> => isRecord(v) && Object.keys(v).every((k) => allowed.has(k));

/**
 * A kubeconfig that needs nothing of @kubernetes/client-node (one file; the selected context's cluster and user
 * with inline data, a token or basic auth only: no exec, auth provider, token or certificate files, proxy or
 * impersonation) is read directly, with client-node's exact interpretation; anything else returns undefined and
 * goes through client-node (which also reports every error, with its own wording).
 */
function plainKubeConfig(path: string | undefined, context: string | undefined): ConfigSource | undefined {
  const file = path ?? process.env.KUBECONFIG;
  if (!file) return undefined;
  const files = file.split(delimiter).filter(Boolean);
  if (files.length !== 1) return undefined;
  let doc: unknown;
  try {
    doc = parsedKubeconfig(files[0]!);
  } catch {
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  const list = (k: string): Entry[] | undefined => (doc[k] === undefined || doc[k] === null ? [] : Array.isArray(doc[k]) && (doc[k] as unknown[]).every(isRecord) ? (doc[k] as Entry[]) : undefined);
  const clusters = list('clusters');
  const users = list('users');
  const contexts = list('contexts');
  if (!clusters || !users || !contexts) return undefined;
  // client-node rejects a file with any malformed entry; leave those to it.
  if (clusters.some((c) => !c.name || !isRecord(c.cluster) || !c.cluster.server || typeof c.cluster.server !== 'string')) return undefined;
  if (users.some((u) => !u.name)) return undefined;
  if (contexts.some((c) => !c.name || !isRecord(c.context) || !c.context.cluster)) return undefined;
  const contextName = context ?? doc['current-context'];
  if (typeof contextName !== 'string' || !contextName) return undefined;
  const ctx = contexts.find((c) => c.name === contextName)?.context;
  if (!onlyKeys(ctx, PLAIN_CONTEXT_KEYS)) return undefined;
  const cluster = clusters.find((c) => c.name === ctx.cluster)?.cluster;
  const userEntry = users.find((u) => u.name === ctx.user);
  if (!onlyKeys(cluster, PLAIN_CLUSTER_KEYS) || !userEntry) return undefined;
  const user = userEntry.user ?? {};
  if (!onlyKeys(user, PLAIN_USER_KEYS)) return undefined;
  for (const v of [cluster['certificate-authority-data'], cluster['tls-server-name'], user.token, user['client-certificate-data'], user['client-key-data'], user.username, user.password]) {
    if (v !== undefined && v !== null && typeof v !== 'string') return undefined;
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const skipTLSVerify = cluster['insecure-skip-tls-verify'] === true;
  const namespace = str(ctx.namespace) ?? 'default';
  return {
    server: (cluster.server as string).replace(/\/$/, ''),
    skipTLSVerify,
    contextName,
    namespace,
    applyToHTTPSOptions: async (o) => {
      if (skipTLSVerify) o.rejectUnauthorized = false;
      if (str(cluster['tls-server-name'])) o.servername = cluster['tls-server-name'] as string;
      if (str(cluster['certificate-authority-data'])) o.ca = Buffer.from(cluster['certificate-authority-data'] as string, 'base64');
      if (str(user['client-certificate-data'])) o.cert = Buffer.from(user['client-certificate-data'] as string, 'base64');
      if (str(user['client-key-data'])) o.key = Buffer.from(user['client-key-data'] as string, 'base64');
      o.headers ??= {};
      if (str(user.token)) (o.headers as Record<string, string>).Authorization = `Bearer ${user.token as string}`;
      if (str(user.username)) o.auth = `${user.username as string}:${user.password as string}`;
    },
  };
}

interface AuthState {
  /** Repeated headers (Impersonate-Group) as lists. */
  headers: Record<string, string | string[]>;
  fetchedAt: number;
}

export class KubeTransport {
  readonly server: URL;
  readonly contextName: string;
  /** The context's namespace ('default' when unset). */
  readonly namespace: string;
  private readonly agent: https.Agent | http.Agent;
  private readonly limiter: TokenBucket;
  private readonly maxRetries: number;
  private auth: AuthState | undefined;
  private authPending: Promise<AuthState> | undefined;
  private readonly userAgent: string;
  private readonly connectRetries: number;
  private readonly connectTimeoutMs: number;
  /** Counters for benchmarks and tests: `connects` counts new connections attempted. */
  readonly stats = { requests: 0, retries: 0, watches: 0, connects: 0 };
  /** 'unknown' until a connection to the cluster is up, then 'up'; 'down' once it is judged unreachable. */
  private reach: 'unknown' | 'up' | 'down' = 'unknown';
  private verdict: KubeUnreachableError | undefined;
  /** Pending while the first request to a cluster that never answered is connecting (the others wait on it). */
  private firstContact: Promise<void> | undefined;
  private openFirstContact: (() => void) | undefined;
  /** Ends a request that is connecting, or a stream: what the verdict does to every one of them. */
  private readonly inflight = new Set<(e: Error) => void>();
  /** Backoff sleeps in progress: the verdict cuts them short. */
  private readonly sleepers = new Set<() => void>();

  private constructor(
    private readonly kc: ConfigSource,
    tlsOpts: https.AgentOptions,
    opts: ConnectOptions,
  ) {
    this.server = new URL(kc.server.replace(/\/+$/, ''));
    this.contextName = kc.contextName;
    this.namespace = kc.namespace;
    // One TLS context for every connection of this cluster (the agent would otherwise build one, parsing the CA and
    // the client key, per connection).
    const secureContext = this.server.protocol === 'https:' ? tls.createSecureContext({ ca: tlsOpts.ca, cert: tlsOpts.cert, key: tlsOpts.key }) : undefined;
    const agentOpts = { keepAlive: true, maxSockets: 32, ...tlsOpts, secureContext };
    this.agent = this.server.protocol === 'https:' ? new https.Agent(agentOpts) : new http.Agent({ keepAlive: true, maxSockets: 32 });
    this.limiter = new TokenBucket(opts.qps ?? 50, opts.burst ?? 100);
    this.maxRetries = opts.maxRetries ?? 8;
    this.connectRetries = opts.connectRetries ?? 3;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.userAgent = opts.userAgent ?? 'bosun';
  }

  static async connect(opts: ConnectOptions = {}): Promise<KubeTransport> {
    const ov = opts.overrides;
    const base = plainKubeConfig(opts.kubeconfig, opts.context) ?? fromKubeConfig(await loadKubeConfig(opts.kubeconfig, opts.context, ov?.server !== undefined && ov.server !== ''));
    const kc = ov ? withOverrides(base, ov) : base;
    const cluster = kc;
    if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
      // client-node refuses plain HTTP unless TLS checks are explicitly skipped; so do we.
      throw new KubeConfigError(`Kubernetes cluster unreachable: plain http server ${cluster.server} needs insecure-skip-tls-verify`);
    }
    const o: https.RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(o);
    } catch (e) {
      throw new KubeConfigError(`Kubernetes cluster unreachable: ${(e as Error).message}`);
    }
    const tls: https.AgentOptions = {
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      servername: o.servername,
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
    };
    return new KubeTransport(kc, tls, opts);
  }

  /** Authorization (and impersonation) headers, refreshed every minute and after a 401. */
  private async authHeaders(force = false): Promise<Record<string, string | string[]>> {
    if (!force && this.auth && Date.now() - this.auth.fetchedAt < 60_000) return this.auth.headers;
    this.authPending ??= (async () => {
      const o: https.RequestOptions = {};
      await this.kc.applyToHTTPSOptions(o);
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(o.headers ?? {})) if (typeof v === 'string' || Array.isArray(v)) headers[k] = v;
      if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
      return { headers, fetchedAt: Date.now() };
    })().finally(() => (this.authPending = undefined));
    this.auth = await this.authPending;
    return this.auth.headers;
  }

  url(path: string, query?: RequestSpec['query']): URL {
    const u = new URL(this.server.href.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /** The unreachable verdict on this cluster, once there is one. */
  get unreachable(): KubeUnreachableError | undefined {
    return this.verdict;
  }

  /**
   * Lets a call go: throws the verdict when there is one; while a first connection to a cluster that never answered
   * is being made, waits for it. Returns true when this call is that first one (the probe).
   */
  private async admit(): Promise<boolean> {
    if (this.verdict) throw this.verdict;
    if (this.reach === 'up') return false;
    if (!this.firstContact) {
      this.firstContact = new Promise((resolve) => (this.openFirstContact = resolve));
      return true;
    }
    await this.firstContact;
    if (this.verdict) throw this.verdict;
    return false;
  }

  private openGate(): void {
    this.openFirstContact?.();
    this.openFirstContact = undefined;
  }

  /** A connection to the cluster is up. */
  private reached(): void {
    if (this.reach !== 'unknown') return;
    this.reach = 'up';
    this.openGate();
  }

  /** Judges the cluster unreachable (once): ends requests still connecting, backoffs and streams with the verdict. */
  private markUnreachable(f: KubeTransportError): KubeUnreachableError {
    if (!this.verdict) {
      let reason = f.reason;
      if (!reason.includes(this.server.hostname)) reason += ` (${this.server.host})`;
      // Without a context (--kube-apiserver and no kubeconfig cluster) the server names the cluster.
      this.verdict = new KubeUnreachableError(this.contextName || this.server.host, reason, f.code);
      this.reach = 'down';
      this.openGate();
      for (const end of [...this.inflight]) end(this.verdict);
      for (const wake of [...this.sleepers]) wake();
    }
    return this.verdict;
  }

  /** A backoff sleep that the verdict ends early. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** One API call with rate limiting and retries; answers of any status are returned, transport failures thrown. */
  async call(spec: RequestSpec): Promise<Answer> {
    const idempotent = spec.idempotent ?? (spec.method === 'GET' || spec.method === 'PUT' || spec.method === 'DELETE');
    let body: string | undefined;
    if (spec.body !== undefined) body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    let reauth = false;
    const probe = await this.admit();
    try {
      /** When the first attempt that failed to connect started. */
      let connectSince: number | undefined;
      for (let attempt = 0; ; attempt++) {
        await this.limiter.take();
        if (this.verdict) throw this.verdict;
        this.stats.requests++;
        let answer: (Answer & { retryAfter?: number }) | undefined;
        let failure: KubeTransportError | undefined;
        const attemptStart = Date.now();
        try {
          answer = await this.once(spec, body, reauth);
        } catch (e) {
          failure = e as KubeTransportError;
        }
        reauth = false;
        if (answer) {
          if (answer.status === 401 && attempt === 0) {
            reauth = true;
            continue;
          }
          const retry = answer.status === 429 || (idempotent && answer.status >= 500 && answer.status !== 501);
          if (!retry || attempt >= this.maxRetries) return answer;
          this.stats.retries++;
          await this.pause(this.backoff(attempt, answer.retryAfter));
          if (this.verdict) throw this.verdict;
          continue;
        }
        const f = failure!;
        if (this.verdict) throw this.verdict;
        if (f instanceof KubeTransportError && f.connect) {
          // Nothing reached the server: any call may be tried again, within the connection budget.
          connectSince ??= attemptStart;
          const budget = this.reach === 'up' ? this.maxRetries : this.connectRetries;
          const retry = CONNECT_RETRYABLE_CODES.has(f.code) && attempt < budget && Date.now() - connectSince < this.connectTimeoutMs;
          if (!retry) throw this.markUnreachable(f);
          this.stats.retries++;
          await this.pause(this.reach === 'up' ? this.backoff(attempt) : this.connectBackoff(attempt));
          if (this.verdict) throw this.verdict;
          continue;
        }
        const retry = f.code === 'ECONNREFUSED' || (idempotent && RETRYABLE_CODES.has(f.code));
        if (!retry || attempt >= this.maxRetries) throw f;
        this.stats.retries++;
        await this.pause(this.backoff(attempt));
        if (this.verdict) throw this.verdict;
      }
    } finally {
      if (probe) this.openGate();
    }
  }

  /** Backoff between connection attempts to a cluster that never answered: 100-200 ms, then doubling. */
  private connectBackoff(attempt: number): number {
    const base = Math.min(200 * 2 ** attempt, 2000);
    return base / 2 + Math.random() * (base / 2);
  }

  /**
   * Follows a request's connection: counts new connections, bounds connecting (TCP and TLS handshake) by
   * connectTimeoutMs, notes the cluster as reached once a connection is up, and lets the verdict end the request
   * while it connects (or, with `whole`, as long as it runs). Returns whether its connection is up.
   */
  private follow(req: http.ClientRequest, whole: boolean): () => boolean {
    let established = false;
    let timer: NodeJS.Timeout | undefined;
    const end = (e: Error) => req.destroy(e);
    this.inflight.add(end);
    const up = () => {
      if (established) return;
      established = true;
      clearTimeout(timer);
      if (!whole) this.inflight.delete(end);
      this.reached();
    };
    req.on('socket', (s) => {
      if (req.reusedSocket) return up();
      this.stats.connects++;
      timer = setTimeout(() => req.destroy(Object.assign(new Error(`connect timed out after ${this.connectTimeoutMs / 1000}s`), { code: 'ETIMEDOUT' })), this.connectTimeoutMs);
      s.once(s instanceof tls.TLSSocket ? 'secureConnect' : 'connect', up);
    });
    req.on('close', () => {
      clearTimeout(timer);
      this.inflight.delete(end);
    });
    return () => established;
  }

  /** The error for a failed request: a connection failure when its connection never came up. */
  private failure(what: string, e: NodeJS.ErrnoException, connected: boolean): KubeTransportError {
    if (e instanceof KubeUnreachableError) return e;
    return new KubeTransportError(`${what}: ${e.message}`, e.code ?? 'ECONNRESET', !connected, e.message);
  }

  /** Backoff: exponential from 50 ms with jitter, capped at 2 s; a server's Retry-After (capped at 2 s) wins. */
  private backoff(attempt: number, retryAfterSeconds?: number): number {
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) return Math.min(retryAfterSeconds * 1000, 2000);
    const base = Math.min(50 * 2 ** attempt, 2000);
    return base / 2 + Math.random() * (base / 2);
  }

  private async once(spec: RequestSpec, body: string | undefined, reauth: boolean): Promise<Answer & { retryAfter?: number }> {
    const headers: Record<string, string | string[]> = {
      ...(await this.authHeaders(reauth)),
      Accept: spec.accept ?? 'application/json',
      'User-Agent': this.userAgent,
    };
    if (body !== undefined) {
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const url = this.url(spec.path, spec.query);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: spec.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ra = Number(res.headers['retry-after']);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: Number.isFinite(ra) ? ra : undefined });
        });
        res.on('error', (e: NodeJS.ErrnoException) => reject(new KubeTransportError(`${spec.method} ${spec.path}: ${e.message}`, e.code ?? 'ECONNRESET')));
        res.on('aborted', () => reject(new KubeTransportError(`${spec.method} ${spec.path}: connection dropped`, 'ECONNRESET')));
      });
      const connected = this.follow(req, false);
      req.setTimeout(spec.timeoutMs ?? 60_000, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => reject(this.failure(`${spec.method} ${spec.path}`, e, connected())));
      // Headers and body leave in one write (end(body) before the headers went out), not two.
      if (body !== undefined) req.end(body);
      else req.end();
    });
  }

  /** A call whose non-2xx answers become KubeApiError; returns the parsed JSON body. */
  async json<T = unknown>(spec: RequestSpec): Promise<T> {
    const a = await this.call(spec);
    if (a.status < 200 || a.status > 299) throw apiError(a.status, a.text, `${spec.method} ${spec.path}`);
    return (a.text ? JSON.parse(a.text) : undefined) as T;
  }

  /**
   * A streaming GET (watch): calls `onLine` for each newline-terminated line, resolves when the server closes the
   * stream or `signal` aborts it. A non-200 answer is thrown as KubeApiError.
   */
  async stream(path: string, query: RequestSpec['query'], onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    if (this.verdict) throw this.verdict;
    if (this.reach !== 'up' && this.firstContact) await this.firstContact;
    await this.limiter.take();
    if (this.verdict) throw this.verdict;
    this.stats.requests++;
    this.stats.watches++;
    const headers = { ...(await this.authHeaders()), Accept: 'application/json', 'User-Agent': this.userAgent };
    const url = this.url(path, query);
    const mod = url.protocol === 'https:' ? https : http;
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      const req = mod.request(url, { method: 'GET', headers, agent: this.agent, signal }, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(apiError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), `watch ${path}`)));
          res.on('error', () => reject(new KubeTransportError(`watch ${path}: connection dropped`, 'ECONNRESET')));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim()) onLine(line);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.on('aborted', () => resolve());
        res.on('close', () => resolve());
      });
      const connected = this.follow(req, true);
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof KubeUnreachableError) reject(e);
        else if (signal.aborted) resolve();
        else reject(this.failure(`watch ${path}`, e, connected()));
      });
      req.end();
    });
    // A stream the verdict ended (its handlers take any end as the stream's end).
    if (this.verdict && !signal.aborted) throw this.verdict;
  }

  close(): void {
    this.agent.destroy();
  }
}

export { KubeApiError };
