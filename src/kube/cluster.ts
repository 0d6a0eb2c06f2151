// One cluster as bosun uses it: typed-free object operations over the transport (objects stay plain JSON, so no
// field is ever dropped by a model), with discovery for REST mapping, server-side apply, deletes with propagation,
// and waits driven by watches.
import { computeStatus, type Status, type StatusOptions } from './status.js';
import { Discovery, type ResourceInfo } from './discovery.js';
import { apiError, KubeApiError, KubeTransportError, WaitError } from './errors.js';
import { KubeTransport, sleep, type ConnectOptions } from './client.js';

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
  /** Called on every status change (progress output). */
  readonly onStatus?: (ref: ObjectRef, status: Status, message: string) => void;
}

export const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });

/** "Kind/namespace/name" or "Kind/name" for messages. */
export function describeRef(r: ObjectRef): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

const shared = new Map<string, Promise<Cluster>>();

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
    const key = JSON.stringify([opts.kubeconfig ?? process.env.KUBECONFIG ?? '', opts.context ?? '', opts.qps ?? 0, opts.burst ?? 0]);
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

  close(): void {
    this.transport.close();
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
    try {
      return await this.transport.json<KubeObject>({ method: 'GET', path: this.path(info, ref.namespace, ref.name) });
    } catch (e) {
      if (e instanceof KubeApiError && e.notFound) return null;
      throw e;
    }
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

  /** PUT without resourceVersion: an unconditional replace (what Helm's storage drivers do). */
  async replace(obj: KubeObject, opts: { fieldManager?: string } = {}): Promise<KubeObject> {
    const info = await this.resource(obj.apiVersion, obj.kind);
    return this.transport.json<KubeObject>({
      method: 'PUT',
      path: this.path(info, obj.metadata.namespace, obj.metadata.name),
      query: { fieldManager: opts.fieldManager ?? 'bosun' },
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
  async watchObject<T>(ref: ObjectRef, deadline: number, done: (obj: KubeObject | null) => T | undefined): Promise<T | undefined> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    let attempt = 0;
    while (Date.now() < deadline) {
      let rv: string | undefined;
      try {
        const o = await this.get(ref);
        const r = done(o);
        if (r !== undefined) return r;
        rv = o?.metadata.resourceVersion;
      } catch (e) {
        if (!(e instanceof KubeApiError || e instanceof KubeTransportError)) throw e;
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
        if (!(e instanceof KubeApiError || e instanceof KubeTransportError)) throw e;
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
      refs.map((ref) =>
        this.watchObject(ref, deadline, (o) => {
          const s = computeStatus(o, opts);
          const prev = last.get(ref);
          if (!prev || prev.status !== s.status || prev.message !== s.message) opts.onStatus?.(ref, s.status, s.message);
          last.set(ref, s);
          if (s.status === 'Current') return 'ok';
          if (s.status === 'Failed') return `resource ${describeRef(ref)} failed: ${s.message}`;
          return undefined;
        }),
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
