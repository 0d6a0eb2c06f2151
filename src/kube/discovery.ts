// Discovery and REST mapping: which resource (plural, scope) serves a kind in a group/version, the server's version
// and its API versions (for .Capabilities). Cached per cluster for the life of the process, so many releases on one
// cluster share one discovery; `reset()` after CRDs are installed, and a kind missing from a cached group/version is
// looked up once more before it is reported (a CRD may have been established since).
import { KubeApiError } from './errors.js';
import type { KubeTransport } from './client.js';

export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. 'deployments'. */
  readonly plural: string;
  readonly namespaced: boolean;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class NoKindMatchError extends Error {}

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

export class Discovery {
  private readonly gvResources = new Map<string, Promise<ApiResource[] | null>>();
  private groupVersions: Promise<string[]> | undefined;
  private version: Promise<ServerVersion> | undefined;

  constructor(private readonly t: KubeTransport) {}

  reset(): void {
    this.gvResources.clear();
    this.groupVersions = undefined;
  }

  serverVersion(): Promise<ServerVersion> {
    this.version ??= this.t.json<ServerVersion>({ method: 'GET', path: '/version' }).catch((e) => {
      this.version = undefined;
      throw e;
    });
    return this.version;
  }

  /** Every served group/version ("v1", "apps/v1", ...), then "group/version/Kind" for each resource, as helm's Capabilities. */
  async apiVersions(): Promise<string[]> {
    const gvs = await this.listGroupVersions();
    const out = [...gvs];
    const lists = await Promise.all(gvs.map(async (gv) => [gv, await this.resources(gv)] as const));
    for (const [gv, rs] of lists) for (const r of rs ?? []) if (!r.name.includes('/')) out.push(`${gv}/${r.kind}`);
    return out;
  }

  private listGroupVersions(): Promise<string[]> {
    this.groupVersions ??= (async () => {
      const core = await this.t.json<{ versions: string[] }>({ method: 'GET', path: '/api' });
      const groups = await this.t.json<{ groups: Array<{ versions: Array<{ groupVersion: string }> }> }>({ method: 'GET', path: '/apis' });
      return [...core.versions, ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
    })().catch((e) => {
      this.groupVersions = undefined;
      throw e;
    });
    return this.groupVersions;
  }

  private resources(gv: string, refresh = false): Promise<ApiResource[] | null> {
    let p = refresh ? undefined : this.gvResources.get(gv);
    if (!p) {
      const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
      p = this.t
        .json<{ resources: ApiResource[] }>({ method: 'GET', path })
        .then((l) => l.resources)
        .catch((e) => {
          if (e instanceof KubeApiError && e.notFound) return null;
          this.gvResources.delete(gv);
          throw e;
        });
      this.gvResources.set(gv, p);
    }
    return p;
  }

  /** The resource serving `kind` in `apiVersion`; throws NoKindMatchError (helm's wording) when none does. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const find = (rs: ApiResource[] | null) => rs?.find((r) => r.kind === kind && !r.name.includes('/'));
    let r = find(await this.resources(apiVersion));
    if (!r) r = find(await this.resources(apiVersion, true));
    if (!r) {
      throw new NoKindMatchError(`resource mapping not found for kind "${kind}" in version "${apiVersion}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`);
    }
    const slash = apiVersion.indexOf('/');
    return {
      group: slash < 0 ? '' : apiVersion.slice(0, slash),
      version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
      kind,
      plural: r.name,
      namespaced: r.namespaced,
    };
  }
}
