// The Secret (Helm's default) and ConfigMap drivers: one object per revision named by the release key, type
// helm.sh/release.v1 (Secrets), labels name/owner/status/version/createdAt|modifiedAt plus custom labels, and
// data.release = base64(gzip(json)) (for Secrets base64'd once more by the API's []byte encoding).
import { Cluster, KubeApiError, KubeTransportError, type KubeObject } from '../kube/index.js';
import { decodeRelease, encodeRelease, type Release } from './record.js';
import { filterSystemLabels, ReleaseExistsError, ReleaseNotFoundError, storageLabels, type Driver } from './driver.js';

type Kind = 'Secret' | 'ConfigMap';

export class KubeDriver implements Driver {
  readonly name: string;

  constructor(
    private readonly cluster: Cluster,
    private readonly kind: Kind,
    readonly namespace: string,
  ) {
    this.name = kind;
  }

  private payload(o: KubeObject): string {
    const raw = o.data?.release;
    if (typeof raw !== 'string') throw new Error(`storage object ${o.metadata.name} has no release data`);
    return this.kind === 'Secret' ? Buffer.from(raw, 'base64').toString('latin1') : raw;
  }

  private decode(o: KubeObject): Release {
    const r = decodeRelease(this.payload(o));
    r.labels = filterSystemLabels(o.metadata.labels);
    r.storageLabels = { ...o.metadata.labels };
    return r;
  }

  private object(key: string, rls: Release, stamp: 'createdAt' | 'modifiedAt'): KubeObject {
    const enc = encodeRelease(rls);
    const namespace = rls.namespace || this.namespace;
    const metadata = { name: key, namespace, labels: storageLabels(rls, stamp) };
    if (this.kind === 'Secret') {
      return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'helm.sh/release.v1', data: { release: Buffer.from(enc, 'latin1').toString('base64') } };
    }
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: enc } };
  }

  private ref(key: string, namespace = this.namespace) {
    return { apiVersion: 'v1', kind: this.kind, name: key, namespace };
  }

  async get(key: string): Promise<Release> {
    const o = await this.cluster.get(this.ref(key));
    if (!o) throw new ReleaseNotFoundError();
    return this.decode(o);
  }

  private async listObjects(selector: string): Promise<KubeObject[]> {
    return this.cluster.list('v1', this.kind, this.namespace || undefined, { labelSelector: selector });
  }

  private decodeAll(objs: KubeObject[]): Release[] {
    const out: Release[] = [];
    for (const o of objs) {
      try {
        out.push(this.decode(o));
      } catch {
        // Helm logs and skips records it cannot decode; so do we (list must not fail on one bad object).
      }
    }
    return out;
  }

  /** Every release record object of the namespace, in one listing (to answer many history queries from it). */
  listRecords(): Promise<KubeObject[]> {
    return this.listObjects('owner=helm');
  }

  /** What query({ name, owner: 'helm' }) answers ([] for none), from a listRecords() result. */
  historyFrom(records: readonly KubeObject[], name: string): Release[] {
    return this.decodeAll(records.filter((o) => o.metadata.labels?.name === name && o.metadata.labels?.owner === 'helm'));
  }

  async list(): Promise<Release[]> {
    return this.decodeAll(await this.listObjects('owner=helm'));
  }

  async query(labels: Record<string, string>): Promise<Release[]> {
    const sel = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const objs = await this.listObjects(sel);
    if (objs.length === 0) throw new ReleaseNotFoundError();
    return this.decodeAll(objs);
  }

  /**
   * POST the new object. A create is not idempotent, so after an ambiguous failure (5xx, dropped connection) we
   * look: our own object there means it went through; nothing there means we send it again.
   */
  async create(key: string, rls: Release): Promise<void> {
    const obj = this.object(key, rls, 'createdAt');
    for (let attempt = 0; ; attempt++) {
      try {
        await this.cluster.createOnly(obj);
        return;
      } catch (e) {
        if (e instanceof KubeApiError && e.alreadyExists) {
          if (attempt > 0 && (await this.isOurs(obj))) return;
          throw new ReleaseExistsError();
        }
        const ambiguous = (e instanceof KubeApiError && e.status >= 500) || e instanceof KubeTransportError;
        if (!ambiguous || attempt >= 8) throw e;
        await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 5)));
        if (await this.isOurs(obj)) return;
      }
    }
  }

  private async isOurs(obj: KubeObject): Promise<boolean> {
    const live = await this.cluster.get(this.ref(obj.metadata.name, obj.metadata.namespace));
    return live !== null && live.data?.release === obj.data.release;
  }

  async update(key: string, rls: Release): Promise<void> {
    await this.cluster.replaceOnly(this.object(key, rls, 'modifiedAt'));
  }

  async delete(key: string): Promise<Release> {
    const o = await this.cluster.get(this.ref(key));
    if (!o) throw new ReleaseNotFoundError();
    await this.cluster.delete(this.ref(key), 'Background');
    return this.decode(o);
  }
}
