// --state-dir: one JSON snapshot per cluster (written after changes, debounced, and on close) plus the CA, so a
// restarted sandbox serves the same objects and its old kubeconfigs keep verifying.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from './cluster.js';
import { typeFromCRD } from './resources.js';
import { objectKey } from './store.js';
import type { CertAuthority } from './tls.js';
import type { Obj } from './util.js';

interface Snapshot {
  version: 1;
  cluster: string;
  resourceVersion: number;
  objects: Record<string, Obj[]>;
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

const snapshotFile = (dir: string, cluster: string): string => join(dir, `${encodeURIComponent(cluster)}.json`);

export function loadCA(dir: string): CertAuthority | undefined {
  const f = join(dir, 'ca.json');
  if (!existsSync(f)) return undefined;
  const o = JSON.parse(readFileSync(f, 'utf8')) as CertAuthority;
  return o.certPem && o.keyPem ? o : undefined;
}

export function saveCA(dir: string, ca: CertAuthority): void {
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'ca.json'), JSON.stringify(ca));
}

/** Restore a cluster from its snapshot; false when there is none. */
export function restoreCluster(dir: string, cluster: Cluster): boolean {
  const f = snapshotFile(dir, cluster.name);
  if (!existsSync(f)) return false;
  const snap = JSON.parse(readFileSync(f, 'utf8')) as Snapshot;
  for (const [rk, objs] of Object.entries(snap.objects)) for (const o of objs) cluster.store.load(rk, objectKey(o.metadata?.namespace, o.metadata?.name), o);
  cluster.store.rv = snap.resourceVersion;
  cluster.store.compact();
  for (const crd of cluster.store.list('apiextensions.k8s.io/customresourcedefinitions')) if (typeFromCRD(crd)) cluster.syncCRD(crd, crd.metadata.name);
  for (const svc of cluster.store.list('/services')) cluster.reserveFrom(svc);
  return true;
}

/** Writes a cluster's snapshot some time after changes (debounced) and on flush. */
export class Persister {
  private timer?: NodeJS.Timeout;
  private dirty = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly dir: string,
    private readonly cluster: Cluster,
    private readonly debounceMs = 250,
  ) {
    mkdirSync(dir, { recursive: true });
    this.unsubscribe = cluster.store.subscribe(() => this.changed());
  }

  private changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    const snap: Snapshot = { version: 1, cluster: this.cluster.name, resourceVersion: this.cluster.store.rv, objects: this.cluster.store.dump() };
    writeAtomic(snapshotFile(this.dir, this.cluster.name), JSON.stringify(snap));
  }

  close(): void {
    this.unsubscribe();
    this.dirty = true;
    this.flush();
  }
}
