// One cluster as bosun uses it: typed-free object operations over the transport (objects stay plain JSON, so no
// field is ever dropped by a model), with discovery for REST mapping, server-side apply, deletes with propagation,
// and waits driven by watches.
import { computeStatus, type Status, type StatusOptions } from './status.js';
import { Discovery, type ResourceInfo } from './discovery.js';
import { apiError, KubeApiError, KubeTransportError, KubeUnreachableError, WaitError } from './errors.js';
import { KubeTransport, sleep, type ConnectOptions } from './client.js';

/** An error a wait retries after a pause: the server or the network failed, but the cluster is not judged unreachable. */
function isRetryable(e: unknown): boolean {
  return (e instanceof KubeApiError || e instanceof KubeTransportError) && !(e instanceof KubeUnreachableError);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = { apiVersion: string; kind: string; metadata: ObjectMeta; [key: string]: any };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  deletionTimestamp?: string;
  managedFields?: unknown[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** Identifies one object: apiVersion, kind, name and (for namespaced kinds) namespace. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ApplyOptions {
  /** Field manager (default 'bosun'). */
  readonly fieldManager?: string;
  /** Take ownership of fields other managers own. */
  readonly force?: boolean;
  /** Server-side dry run: everything is checked, nothing persisted. */
  readonly dryRun?: boolean;
}

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface WaitOptions extends StatusOptions {
  readonly timeoutMs: number;
  /** A first observation of each ref (by index; e.g. what an apply answered): watched from there, without a GET. */
  readonly initial?: ReadonlyArray<KubeObject | undefined>;
  /** Called on every status change (progress output). */
  readonly onStatus?: (ref: ObjectRef, status: Status, message: string) => void;
}

export const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });

/** "Kind/namespace/name" or "Kind/name" for messages. */
export function describeRef(r: ObjectRef): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

const shared = new Map<string, Promise<Cluster>>();

interface WatchEvent {
  readonly type: string;
  readonly object: KubeObject;
}

/** A resourceVersion as a number, when it is one (the API server's are; they are opaque by contract). */
function rvNumber(rv: unknown): bigint | undefined {
  return typeof rv === 'string' && /^[0-9]{1,30}$/.test(rv) ? BigInt(rv) : undefined;
}

/** How long a collection watch stays open without subscribers (the next release of the namespace reuses it). */
const WATCH_LINGER_MS = 3000;

/**
 * One watch over a collection (a resource in a namespace) shared by every wait of this process on objects in it:
 * one stream instead of a stream (and a connection) per object. `position` is the resourceVersion of the newest
 * event delivered; a subscriber whose own observation is older than that re-reads its object after subscribing.
 * When the stream ends it is resumed from `position`; when it fails or expires, every subscriber re-reads. When the
 * cluster is judged unreachable, every subscriber gets that error and the stream stops.
 */
class CollectionWatch {
  private readonly subs = new Set<(ev: WatchEvent | 'resync' | KubeUnreachableError) => void>();
  position: bigint | undefined;
  private running = false;
  private ac: AbortController | undefined;
  private linger: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly path: string,
  ) {}

  /** Subscribes; starts the stream from `from` when it is not running. Returns the position at subscription. */
  subscribe(fn: (ev: WatchEvent | 'resync' | KubeUnreachableError) => void, from: bigint): { position: bigint; unsubscribe: () => void } {
    if (this.linger) {
      clearTimeout(this.linger);
      this.linger = undefined;
    }
    this.subs.add(fn);
    if (!this.running) {
      this.position = from;
      this.running = true;
      void this.run();
    }
    return {
      position: this.position!,
      unsubscribe: () => {
        this.subs.delete(fn);
        if (this.subs.size === 0 && !this.linger) {
          this.linger = setTimeout(() => {
            this.linger = undefined;
            if (this.subs.size === 0) this.ac?.abort();
          }, WATCH_LINGER_MS);
          this.linger.unref();
        }
      },
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.subs.size > 0 || this.linger) {
      const ac = new AbortController();
      this.ac = ac;
      let resync = false;
      try {
        await this.cluster.transport.stream(
          this.path,
          { watch: 1, resourceVersion: String(this.position), allowWatchBookmarks: 'true', timeoutSeconds: 300 },
          (line) => {
            let ev: WatchEvent;
            try {
              ev = JSON.parse(line);
            } catch {
              return;
            }
            if (ev.type === 'ERROR') {
              resync = true;
              ac.abort();
              return;
            }
            const rv = rvNumber(ev.object?.metadata?.resourceVersion);
            if (rv !== undefined && (this.position === undefined || rv > this.position)) this.position = rv;
            if (ev.type === 'BOOKMARK') return;
            for (const fn of [...this.subs]) fn(ev);
          },
          ac.signal,
        );
        failures = 0;
      } catch (e) {
        if (e instanceof KubeUnreachableError) {
          this.fail(e);
          break;
        }
        resync = true;
        failures++;
      }
      if (ac.signal.aborted && !resync) continue; // stopped (no subscribers left): the loop condition decides
      if (resync) {
        if (failures > 0) await sleep(Math.min(100 * 2 ** (failures - 1), 1000));
        // Restart from now and have every subscriber read its object again.
        try {
          const l = await this.cluster.transport.json<{ metadata?: { resourceVersion?: string } }>({ method: 'GET', path: this.path, query: { limit: 1 } });
          const rv = rvNumber(l.metadata?.resourceVersion);
          if (rv !== undefined) this.position = rv;
        } catch (e) {
          if (e instanceof KubeUnreachableError) {
            this.fail(e);
            break;
          }
          failures++;
          continue;
        }
        for (const fn of [...this.subs]) fn('resync');
      }
    }
    this.running = false;
    this.ac = undefined;
  }

  /** The cluster is unreachable: every subscriber gets the error, and none is left. */
  private fail(e: KubeUnreachableError): void {
    const subs = [...this.subs];
    this.subs.clear();
    if (this.linger) clearTimeout(this.linger);
    this.linger = undefined;
    for (const fn of subs) fn(e);
  }

  stop(): void {
    this.subs.clear();
    if (this.linger) clearTimeout(this.linger);
    this.linger = undefined;
    this.ac?.abort();
  }
}

export class Cluster {
  readonly discovery: Discovery;

  private constructor(readonly transport: KubeTransport) {
    this.discovery = new Discovery(transport);
  }

  static async connect(opts: ConnectOptions = {}): Promise<Cluster> {
    return new Cluster(await KubeTransport.connect(opts));
  }

  /**
   * A process-wide client per kubeconfig and context: discovery, auth and connections are reused by every release
   * that targets the same cluster.
   */
  static shared(opts: ConnectOptions = {}): Promise<Cluster> {
    const key = JSON.stringify([opts.kubeconfig ?? process.env.KUBECONFIG ?? '', opts.context ?? '', opts.qps ?? 0, opts.burst ?? 0, opts.overrides ?? null]);
    let p = shared.get(key);
    if (!p) {
      p = Cluster.connect(opts);
      p.catch(() => shared.delete(key));
      shared.set(key, p);
    }
    return p;
  }

  /** Closes every shared client (end of a CLI run, so the process can exit). */
  static async closeAll(): Promise<void> {
    const all = [...shared.values()];
    shared.clear();
    for (const p of all) {
      try {
        (await p).close();
      } catch {
        // never connected
      }
    }
  }

  get namespace(): string {
    return this.transport.namespace;
  }

  private readonly watches = new Map<string, CollectionWatch>();

  close(): void {
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
    this.transport.close();
  }

  /**
   * Waits on one object through the shared watch of its collection, from a first observation (what an apply
   * answered, else a GET). Falls back to watchObject when resourceVersions are not numbers.
   */
  private async watchShared<T>(ref: ObjectRef, deadline: number, done: (obj: KubeObject | null) => T | undefined, initial?: KubeObject): Promise<T | undefined> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    let first = initial;
    if (!first) {
      const o = await this.get(ref).catch(() => undefined);
      if (!o) return this.watchObject(ref, deadline, done);
      first = o;
    }
    const r0 = done(first);
    if (r0 !== undefined) return r0;
    let known = rvNumber(first.metadata.resourceVersion);
    if (known === undefined) return this.watchObject(ref, deadline, done, first);
    const path = this.path(info, ref.namespace);
    let w = this.watches.get(path);
    if (!w) this.watches.set(path, (w = new CollectionWatch(this, path)));
    const watch = w;
    return new Promise<T | undefined>((resolve, reject) => {
      let settled = false;
      let reading = false;
      let buffered: WatchEvent[] = [];
      let sub: { position: bigint; unsubscribe: () => void } | undefined;
      const finish = (v: T | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub?.unsubscribe();
        resolve(v);
      };
      const timer = setTimeout(() => finish(undefined), Math.max(0, deadline - Date.now()));
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub?.unsubscribe();
        reject(e);
      };
      const consider = (ev: WatchEvent) => {
        if (settled) return;
        const rv = rvNumber(ev.object?.metadata?.resourceVersion);
        if (rv !== undefined && known !== undefined && rv <= known) return; // older than what we saw
        if (rv !== undefined) known = rv;
        const r = done(ev.type === 'DELETED' ? null : ev.object);
        if (r !== undefined) finish(r);
      };
      // Re-reads the object (its events meanwhile are held, then those newer than the read are applied).
      let again = false;
      const reread = async (): Promise<void> => {
        if (reading) {
          again = true; // a resync during a read: read once more after it
          return;
        }
        reading = true;
        again = false;
        let attempt = 0;
        while (!settled) {
          try {
            const o = await this.get(ref);
            if (settled) return;
            if (!o) {
              // Gone: the per-object wait handles what follows (done(null) first, as it does).
              sub?.unsubscribe();
              settled = true;
              clearTimeout(timer);
              resolve(this.watchObject(ref, deadline, done));
              return;
            }
            known = rvNumber(o.metadata.resourceVersion);
            const r = done(o);
            if (r !== undefined) return finish(r);
            break;
          } catch (e) {
            if (!isRetryable(e)) return fail(e);
            if (Date.now() >= deadline) return finish(undefined);
            await sleep(Math.min(100 * 2 ** attempt++, 1000));
          }
        }
        reading = false;
        if (again) return reread();
        const held = buffered;
        buffered = [];
        for (const ev of held) consider(ev);
      };
      const onEvent = (ev: WatchEvent | 'resync' | KubeUnreachableError) => {
        if (settled) return;
        if (ev instanceof KubeUnreachableError) return fail(ev);
        if (ev === 'resync') {
          void reread().catch(fail);
          return;
        }
        if (ev.object?.metadata?.name !== ref.name) return;
        if (reading) buffered.push(ev);
        else consider(ev);
      };
      sub = watch.subscribe(onEvent, known!);
      // Events up to the stream's position were delivered before we subscribed: if that is past our observation,
      // one of them may have been ours, so read the object again.
      if (sub.position > known!) void reread().catch(fail);
    });
  }

  /** REST path of a resource collection or object. */
  path(info: ResourceInfo, namespace: string | undefined, name?: string, sub?: string): string {
    const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
    const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${info.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`;
  }

  resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resourceFor(apiVersion, kind);
  }

  async get(ref: ObjectRef): Promise<KubeObject | null> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const path = this.path(info, ref.namespace, ref.name);
    // A 404 is an answer here, not an error: no exception (and stack trace) is built for it.
    const a = await this.transport.call({ method: 'GET', path });
    if (a.status === 404) return null;
    if (a.status < 200 || a.status > 299) throw apiError(a.status, a.text, `GET ${path}`);
    return (a.text ? JSON.parse(a.text) : undefined) as KubeObject;
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, opts: { labelSelector?: string; fieldSelector?: string } = {}): Promise<KubeObject[]> {
    const info = await this.resource(apiVersion, kind);
    const out: KubeObject[] = [];
    let cont: string | undefined;
    do {
      const l = await this.transport.json<{ items: KubeObject[]; metadata?: { continue?: string } }>({
        method: 'GET',
        path: this.path(info, namespace),
        query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: 500, continue: cont },
      });
      for (const it of l.items) out.push({ ...it, apiVersion, kind });
      cont = l.metadata?.continue || undefined;
    } while (cont);
    return out;
  }

  /**
   * The first page of a list (at most `limit` objects, each with apiVersion and kind set); `complete` is false
   * when the server has more.
   */
  async listPage(apiVersion: string, kind: string, namespace: string | undefined, limit: number): Promise<{ items: KubeObject[]; complete: boolean }> {
    const info = await this.resource(apiVersion, kind);
    const l = await this.transport.json<{ items: KubeObject[]; metadata?: { continue?: string } }>({ method: 'GET', path: this.path(info, namespace), query: { limit } });
    return { items: l.items.map((it) => ({ ...it, apiVersion, kind })), complete: !l.metadata?.continue };
  }

  /** Server-side apply (PATCH application/apply-patch+yaml, fieldValidation=Strict). Creates the object if missing. */
  async apply(obj: KubeObject, opts: ApplyOptions = {}): Promise<KubeObject> {
    const info = await this.resource(obj.apiVersion, obj.kind);
    const body = { ...obj, metadata: { ...obj.metadata } };
    delete body.metadata.managedFields;
    delete body.metadata.resourceVersion;
    if (!info.namespaced) delete body.metadata.namespace;
    return this.transport.json<KubeObject>({
      method: 'PATCH',
      path: this.path(info, obj.metadata.namespace, obj.metadata.name),
      query: { fieldManager: opts.fieldManager ?? 'bosun', force: opts.force ? 'true' : 'false', fieldValidation: 'Strict', dryRun: opts.dryRun ? 'All' : undefined },
      body,
      contentType: 'application/apply-patch+yaml',
      idempotent: true,
    });
  }

  /** PATCH application/json-patch+json (RFC 6902 operations), as manager `fieldManager`. */
  async jsonPatch(ref: ObjectRef, ops: readonly object[], opts: { fieldManager?: string } = {}): Promise<KubeObject> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    return this.transport.json<KubeObject>({
      method: 'PATCH',
      path: this.path(info, ref.namespace, ref.name),
      query: { fieldManager: opts.fieldManager ?? 'bosun' },
      body: ops,
      contentType: 'application/json-patch+json',
    });
  }

  /** POST. Not retried after an ambiguous failure: callers that need certainty check with get(). */
  async create(obj: KubeObject, opts: { dryRun?: boolean; fieldManager?: string } = {}): Promise<KubeObject> {
    const info = await this.resource(obj.apiVersion, obj.kind);
    return this.transport.json<KubeObject>({
      method: 'POST',
      path: this.path(info, obj.metadata.namespace),
      query: { fieldManager: opts.fieldManager ?? 'bosun', dryRun: opts.dryRun ? 'All' : undefined },
      body: obj,
    });
  }

  /** create() for a caller that does not use the answer (it is not parsed). */
  async createOnly(obj: KubeObject): Promise<void> {
    const info = await this.resource(obj.apiVersion, obj.kind);
    await this.send({ method: 'POST', path: this.path(info, obj.metadata.namespace), query: { fieldManager: 'bosun' }, body: obj });
  }

  /** replace() for a caller that does not use the answer (it is not parsed). */
  async replaceOnly(obj: KubeObject): Promise<void> {
    const info = await this.resource(obj.apiVersion, obj.kind);
    await this.send({ method: 'PUT', path: this.path(info, obj.metadata.namespace, obj.metadata.name), query: { fieldManager: 'bosun' }, body: obj });
  }

  private async send(spec: Parameters<KubeTransport['call']>[0]): Promise<void> {
    const a = await this.transport.call(spec);
    if (a.status < 200 || a.status > 299) throw apiError(a.status, a.text, `${spec.method} ${spec.path}`);
  }

  /** PUT: without resourceVersion, an unconditional replace (what Helm's storage drivers do). */
  async replace(obj: KubeObject, opts: { fieldManager?: string; dryRun?: boolean } = {}): Promise<KubeObject> {
    const info = await this.resource(obj.apiVersion, obj.kind);
    return this.transport.json<KubeObject>({
      method: 'PUT',
      path: this.path(info, obj.metadata.namespace, obj.metadata.name),
      query: { fieldManager: opts.fieldManager ?? 'bosun', dryRun: opts.dryRun ? 'All' : undefined },
      body: obj,
    });
  }

  /** DELETE with a propagation policy. Returns false when the object was already gone. */
  async delete(ref: ObjectRef, propagation: Propagation = 'Background', dryRun = false): Promise<boolean> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const a = await this.transport.call({
      method: 'DELETE',
      path: this.path(info, ref.namespace, ref.name),
      query: { dryRun: dryRun ? 'All' : undefined },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: propagation },
    });
    if (a.status === 404) return false;
    if (a.status < 200 || a.status > 299) throw apiError(a.status, a.text, `DELETE ${describeRef(ref)}`);
    return true;
  }

  /**
   * Watches one object until `done(obj)` returns a value other than undefined, or the deadline passes (then
   * undefined). Starts from a GET, then a watch from its resourceVersion; a closed or expired watch re-GETs. API
   * faults and dropped connections are retried until the deadline.
   */
  async watchObject<T>(ref: ObjectRef, deadline: number, done: (obj: KubeObject | null) => T | undefined, initial?: KubeObject): Promise<T | undefined> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    let attempt = 0;
    let first = initial;
    while (Date.now() < deadline) {
      let rv: string | undefined;
      try {
        const o = first ?? (await this.get(ref));
        first = undefined;
        const r = done(o);
        if (r !== undefined) return r;
        rv = o?.metadata.resourceVersion;
      } catch (e) {
        if (!isRetryable(e)) throw e;
        await sleep(Math.min(100 * 2 ** attempt++, 1000));
        continue;
      }
      const ac = new AbortController();
      const left = deadline - Date.now();
      if (left <= 0) break;
      const timer = setTimeout(() => ac.abort(), left);
      let result: T | undefined;
      let found = false;
      try {
        await this.transport.stream(
          this.path(info, ref.namespace),
          {
            watch: 1,
            fieldSelector: `metadata.name=${ref.name}`,
            resourceVersion: rv,
            allowWatchBookmarks: 'true',
            timeoutSeconds: Math.max(1, Math.min(300, Math.ceil(left / 1000))),
          },
          (line) => {
            if (found) return;
            let ev: { type: string; object: KubeObject };
            try {
              ev = JSON.parse(line);
            } catch {
              return;
            }
            if (ev.type === 'BOOKMARK') return;
            if (ev.type === 'ERROR') {
              ac.abort();
              return;
            }
            const r = done(ev.type === 'DELETED' ? null : ev.object);
            if (r !== undefined) {
              result = r;
              found = true;
              ac.abort();
            }
          },
          ac.signal,
        );
        attempt = 0;
      } catch (e) {
        if (!isRetryable(e)) throw e;
        await sleep(Math.min(100 * 2 ** attempt++, 1000));
      } finally {
        clearTimeout(timer);
      }
      if (found) return result;
    }
    return undefined;
  }

  /**
   * Waits until every object is Current by the kstatus rules (Helm 4's --wait), or throws WaitError naming the
   * objects that are not, when the timeout passes or one of them Failed.
   */
  async waitReady(refs: readonly ObjectRef[], opts: WaitOptions): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    const last = new Map<ObjectRef, { status: Status; message: string }>();
    const results = await Promise.all(
      refs.map((ref, i) =>
        this.watchShared(ref, deadline, (o) => {
          const s = computeStatus(o, opts);
          const prev = last.get(ref);
          if (!prev || prev.status !== s.status || prev.message !== s.message) opts.onStatus?.(ref, s.status, s.message);
          last.set(ref, s);
          if (s.status === 'Current') return 'ok';
          if (s.status === 'Failed') return `resource ${describeRef(ref)} failed: ${s.message}`;
          return undefined;
        }, opts.initial?.[i]),
      ),
    );
    const problems: string[] = [];
    results.forEach((r, i) => {
      if (r === 'ok') return;
      const ref = refs[i]!;
      if (r !== undefined) problems.push(r);
      else {
        const s = last.get(ref);
        problems.push(`resource ${describeRef(ref)} not ready. status: ${s?.status ?? 'Unknown'}, message: ${s?.message ?? 'no status'}`);
      }
    });
    if (problems.length > 0) {
      const timedOut = results.some((r) => r === undefined);
      throw new WaitError(timedOut ? `${problems.join('\n')}\ncontext deadline exceeded` : problems.join('\n'));
    }
  }

  /** Waits until every object is gone. */
  async waitDeleted(refs: readonly ObjectRef[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const results = await Promise.all(refs.map((ref) => this.watchObject(ref, deadline, (o) => (o === null ? true : undefined))));
    const left = refs.filter((_, i) => results[i] !== true);
    if (left.length > 0) throw new WaitError(`timed out waiting for the deletion of ${left.map(describeRef).join(', ')}: context deadline exceeded`);
  }

  /**
   * Helm 4's wait for a hook: a Job until complete, a Pod until Succeeded (Failed ends the wait with an error);
   * any other kind is done once applied.
   */
  async waitHook(ref: ObjectRef, timeoutMs: number): Promise<void> {
    const isJob = ref.kind === 'Job' && ref.apiVersion === 'batch/v1';
    const isPod = ref.kind === 'Pod' && ref.apiVersion === 'v1';
    if (!isJob && !isPod) return;
    let last = { status: 'Unknown', message: 'no status' };
    const r = await this.watchObject(ref, Date.now() + timeoutMs, (o) => {
      const s = computeStatus(o, { jobsMustComplete: true });
      last = s;
      if (o === null) return `resource ${describeRef(ref)} was deleted while waiting`;
      if (isPod && s.status === 'Current' && o.status?.phase !== 'Succeeded') return undefined;
      if (s.status === 'Current') return 'ok';
      if (s.status === 'Failed') return `resource ${describeRef(ref)} not ready. status: Failed, message: ${s.message}`;
      return undefined;
    });
    if (r === 'ok') return;
    throw new WaitError(r ?? `resource ${describeRef(ref)} not ready. status: ${last.status}, message: ${last.message}\ncontext deadline exceeded`);
  }
}
