// Storage drivers: where release records live. Every driver stores Helm's encoded record under Helm's key
// (`sh.helm.release.v1.<name>.v<revision>`) with Helm's labels, so helm and bosun read each other's releases.
import { decodeRelease, encodeRelease, type Release } from './record.js';

export class ReleaseNotFoundError extends Error {
  constructor(message = 'release: not found') {
    super(message);
  }
}
export class ReleaseExistsError extends Error {
  constructor(message = 'release: already exists') {
    super(message);
  }
}

export const SYSTEM_LABELS = ['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'] as const;

export function releaseKey(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

export function filterSystemLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (!(SYSTEM_LABELS as readonly string[]).includes(k)) out[k] = v;
  return out;
}

export interface Driver {
  /** Helm's driver name: Secret, ConfigMap, Memory, SQL. */
  readonly name: string;
  /** The namespace the driver works in; '' lists across all namespaces. */
  readonly namespace: string;
  get(key: string): Promise<Release>;
  /** Every release record (owner=helm) in the namespace (all namespaces when ''). */
  list(): Promise<Release[]>;
  /** Records whose labels match (name, status, owner, version); ReleaseNotFoundError when none. */
  query(labels: Record<string, string>): Promise<Release[]>;
  create(key: string, rls: Release): Promise<void>;
  update(key: string, rls: Release): Promise<void>;
  delete(key: string): Promise<Release>;
  close?(): Promise<void>;
}

/** Unix seconds as a label value. */
export const unixNow = (): string => String(Math.floor(Date.now() / 1000));

/** The labels Helm sets on a storage object (createdAt on create, modifiedAt on update), custom labels first. */
export function storageLabels(rls: Release, stamp: 'createdAt' | 'modifiedAt'): Record<string, string> {
  return {
    ...filterSystemLabels(rls.labels),
    [stamp]: unixNow(),
    name: rls.name,
    owner: 'helm',
    status: rls.info.status,
    version: String(rls.version),
  };
}

/** In memory (tests, dry runs, `helm template`-like flows). Stores encoded records so copies never alias. */
export class MemoryDriver implements Driver {
  readonly name = 'Memory';
  private readonly store = new Map<string, Map<string, { data: string; labels: Record<string, string> }>>();

  constructor(readonly namespace = 'default') {}

  private ns(ns: string) {
    let m = this.store.get(ns);
    if (!m) this.store.set(ns, (m = new Map()));
    return m;
  }

  private decode(e: { data: string; labels: Record<string, string> }): Release {
    const r = decodeRelease(e.data);
    r.labels = filterSystemLabels(e.labels);
    r.storageLabels = { ...e.labels };
    return r;
  }

  async get(key: string): Promise<Release> {
    const e = this.ns(this.namespace).get(key);
    if (!e) throw new ReleaseNotFoundError();
    return this.decode(e);
  }

  private all(): Array<{ data: string; labels: Record<string, string> }> {
    const spaces = this.namespace === '' ? [...this.store.values()] : [this.ns(this.namespace)];
    return spaces.flatMap((m) => [...m.values()]);
  }

  async list(): Promise<Release[]> {
    return this.all().map((e) => this.decode(e));
  }

  async query(labels: Record<string, string>): Promise<Release[]> {
    const out = this.all()
      .filter((e) => Object.entries(labels).every(([k, v]) => e.labels[k] === v))
      .map((e) => this.decode(e));
    if (out.length === 0) throw new ReleaseNotFoundError();
    return out;
  }

  async create(key: string, rls: Release): Promise<void> {
    const m = this.ns(rls.namespace || this.namespace);
    if (m.has(key)) throw new ReleaseExistsError();
    m.set(key, { data: encodeRelease(rls), labels: storageLabels(rls, 'createdAt') });
  }

  async update(key: string, rls: Release): Promise<void> {
    const m = this.ns(rls.namespace || this.namespace);
    if (!m.has(key)) throw new ReleaseNotFoundError();
    m.set(key, { data: encodeRelease(rls), labels: storageLabels(rls, 'modifiedAt') });
  }

  async delete(key: string): Promise<Release> {
    const m = this.ns(this.namespace);
    const e = m.get(key);
    if (!e) throw new ReleaseNotFoundError();
    m.delete(key);
    return this.decode(e);
  }

  /** A view of the same store bound to another namespace. */
  withNamespace(namespace: string): MemoryDriver {
    const d = new MemoryDriver(namespace);
    (d as unknown as { store: MemoryDriver['store'] }).store = this.store;
    return d;
  }
}
