// One virtual cluster's objects: a Map per resource, one monotonically increasing resourceVersion, and a bounded
// history of changes that serves watches from an old resourceVersion and consistent paginated lists.
import type { Obj } from './util.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  /** Resource key (`apps/deployments`). */
  rk: string;
  /** Object key inside the resource (`ns/name` or `name`). */
  key: string;
  /** New state (last state for DELETED). */
  obj: Obj;
  /** State before the change (undefined for ADDED). */
  prev?: Obj;
}

export type StoreListener = (ev: StoreEvent) => void;

interface Table {
  objs: Map<string, Obj>;
  sorted?: string[];
}

export const objectKey = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

/** Serialized JSON of stored objects, computed once (stored objects are never mutated). */
const jsonCache = new WeakMap<Obj, string>();
export function toJson(o: Obj): string {
  let s = jsonCache.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    jsonCache.set(o, s);
  }
  return s;
}

export class ClusterStore {
  /** The last resourceVersion handed out. */
  rv = 0;
  /** resourceVersion of the newest change no longer in the history (older watches get 410 Expired). */
  compactedRv = 0;
  private readonly tables = new Map<string, Table>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();

  constructor(
    readonly name: string,
    private readonly maxHistory = 5000,
  ) {}

  private table(rk: string): Table {
    let t = this.tables.get(rk);
    if (!t) {
      t = { objs: new Map() };
      this.tables.set(rk, t);
    }
    return t;
  }

  get(rk: string, key: string): Obj | undefined {
    return this.tables.get(rk)?.objs.get(key);
  }

  /** Objects of a resource in key order, optionally only one namespace's. */
  list(rk: string, namespace?: string): Obj[] {
    const t = this.tables.get(rk);
    if (!t) return [];
    if (!t.sorted) t.sorted = [...t.objs.keys()].sort();
    const out: Obj[] = [];
    if (namespace) {
      const prefix = namespace + '/';
      for (const k of t.sorted) if (k.startsWith(prefix)) out.push(t.objs.get(k)!);
    } else for (const k of t.sorted) out.push(t.objs.get(k)!);
    return out;
  }

  /** Keys in order with their objects, as of resourceVersion `rv` (reconstructed from history). */
  listAt(rk: string, rv: number, namespace?: string): Array<[string, Obj]> | undefined {
    if (rv < this.compactedRv) return undefined;
    const t = this.tables.get(rk);
    const state = new Map<string, Obj | undefined>(t ? t.objs : []);
    // Undo the changes made after rv, newest first.
    for (let i = this.history.length - 1; i >= 0; i--) {
      const ev = this.history[i]!;
      if (ev.rv <= rv) break;
      if (ev.rk !== rk) continue;
      state.set(ev.key, ev.type === 'ADDED' ? undefined : ev.prev);
    }
    const keys = [...state.keys()].filter((k) => state.get(k) !== undefined && (!namespace || k.startsWith(namespace + '/'))).sort();
    return keys.map((k) => [k, state.get(k)!]);
  }

  count(rk: string): number {
    return this.tables.get(rk)?.objs.size ?? 0;
  }

  resourceKeys(): string[] {
    return [...this.tables.keys()];
  }

  /** The next resourceVersion (assigned by `write`). */
  nextRv(): number {
    return this.rv + 1;
  }

  /**
   * Store `obj` (whose metadata.resourceVersion the caller set to `nextRv()`), or delete the key when `obj` is null.
   * Emits the change to listeners.
   */
  write(rk: string, key: string, obj: Obj | null): StoreEvent | undefined {
    const t = this.table(rk);
    const prev = t.objs.get(key);
    let ev: StoreEvent;
    if (obj === null) {
      if (!prev) return undefined;
      this.rv++;
      t.objs.delete(key);
      t.sorted = undefined;
      const last = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(this.rv) } };
      ev = { rv: this.rv, type: 'DELETED', rk, key, obj: last, prev };
    } else {
      this.rv++;
      obj.metadata.resourceVersion = String(this.rv);
      if (!prev) t.sorted = undefined;
      t.objs.set(key, obj);
      ev = { rv: this.rv, type: prev ? 'MODIFIED' : 'ADDED', rk, key, obj, prev };
    }
    this.history.push(ev);
    if (this.history.length > this.maxHistory * 1.25) this.compact(this.history.length - this.maxHistory);
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (e) {
        process.emitWarning(`sandbox listener failed: ${(e as Error).stack ?? e}`);
      }
    }
    return ev;
  }

  /** Load an object as-is (restoring a snapshot): no event, no resourceVersion change. */
  load(rk: string, key: string, obj: Obj): void {
    const t = this.table(rk);
    t.objs.set(key, obj);
    t.sorted = undefined;
  }

  /** Drop the `n` oldest history entries (all when n is undefined): watches from before then get 410. */
  compact(n?: number): void {
    const drop = n === undefined ? this.history.length : Math.min(n, this.history.length);
    if (drop <= 0) {
      this.compactedRv = this.rv;
      return;
    }
    this.compactedRv = this.history[drop - 1]!.rv;
    this.history = this.history.slice(drop);
    if (n === undefined) this.compactedRv = this.rv;
  }

  /** Changes after `rv` (undefined when they are no longer all known). */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  subscribe(l: StoreListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Every stored object per resource key (for snapshots). */
  dump(): Record<string, Obj[]> {
    const out: Record<string, Obj[]> = {};
    for (const [rk, t] of this.tables) if (t.objs.size) out[rk] = this.list(rk);
    return out;
  }
}
