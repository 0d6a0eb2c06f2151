// Discovery and REST mapping: which resource (plural, scope) serves a kind in a group/version, the server's version
// and its API versions (for .Capabilities). Cached per cluster for the life of the process, so many releases on one
// cluster share one discovery; `reset()` after CRDs are installed, and a kind missing from a cached group/version is
// looked up once more before it is reported (a CRD may have been established since).
//
// Aggregated discovery (apidiscovery.k8s.io/v2, Kubernetes 1.26+, what client-go and so helm 4 use): `/api` and
// `/apis` asked for with its media type answer every group/version with its resources, so one cluster is discovered
// in two requests instead of two plus one per group/version. A server that does not know the media type answers
// the plain lists, and each group/version is then fetched on its own; a group/version marked Stale in the aggregated
// document (an aggregated API server that did not answer) is fetched on its own too.
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

/** Accept header for aggregated discovery, with plain JSON as the fallback a server without it answers. */
export const AGGREGATED_DISCOVERY_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface DiscoveryResource {
  resource?: string;
  responseKind?: { kind?: string };
  scope?: string;
  subresources?: Array<{ subresource?: string; responseKind?: { kind?: string } }>;
}
interface DiscoveryList {
  kind?: string;
  items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version?: string; resources?: DiscoveryResource[]; freshness?: string }> }>;
  versions?: string[];
  groups?: Array<{ versions: Array<{ groupVersion: string }> }>;
}

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

export class Discovery {
  private readonly gvResources = new Map<string, Promise<ApiResource[] | null>>();
  private groupVersions: Promise<string[]> | undefined;
  private version: Promise<ServerVersion> | undefined;
  /** apiVersions() as last computed; dropped by reset() and whenever a group/version is looked up again. */
  private apis: Promise<readonly string[]> | undefined;

  constructor(private readonly t: KubeTransport) {}

  reset(): void {
    this.gvResources.clear();
    this.groupVersions = undefined;
    this.apis = undefined;
  }

  serverVersion(): Promise<ServerVersion> {
    this.version ??= this.t.json<ServerVersion>({ method: 'GET', path: '/version' }).catch((e) => {
      this.version = undefined;
      throw e;
    });
    return this.version;
  }

  /**
   * Every served group/version ("v1", "apps/v1", ...), then "group/version/Kind" for each resource and subresource
   * (apps/v1/Scale from deployments/scale), each once: the set helm's Capabilities.APIVersions holds (helm builds it
   * from a Go map, so its order varies; ours is discovery's).
   */
  apiVersions(): Promise<readonly string[]> {
    // Every release rendered for this cluster asks; the answer changes only with what discovery holds.
    const apis = (this.apis ??= (async () => {
      const gvs = await this.listGroupVersions();
      const out = new Set(gvs);
      const lists = await Promise.all(gvs.map(async (gv) => [gv, await this.resources(gv)] as const));
      for (const [gv, rs] of lists) for (const r of rs ?? []) if (r.kind) out.add(`${gv}/${r.kind}`);
      return [...out];
    })());
    apis.catch(() => {
      if (this.apis === apis) this.apis = undefined;
    });
    return apis;
  }

  private listGroupVersions(): Promise<string[]> {
    this.groupVersions ??= (async () => {
      const accept = AGGREGATED_DISCOVERY_ACCEPT;
      const [core, groups] = await Promise.all([this.t.json<DiscoveryList>({ method: 'GET', path: '/api', accept }), this.t.json<DiscoveryList>({ method: 'GET', path: '/apis', accept })]);
      return [...this.groupVersionsOf(core, true), ...this.groupVersionsOf(groups, false)];
    })().catch((e) => {
      this.groupVersions = undefined;
      throw e;
    });
    return this.groupVersions;
  }

  /** The group/versions of a discovery answer; an aggregated one also fills the resource cache. */
  private groupVersionsOf(doc: DiscoveryList, core: boolean): string[] {
    if (doc.kind !== 'APIGroupDiscoveryList') {
      return core ? [...(doc.versions ?? [])] : (doc.groups ?? []).flatMap((g) => g.versions.map((v) => v.groupVersion));
    }
    const out: string[] = [];
    for (const item of doc.items ?? []) {
      const group = core ? '' : (item.metadata?.name ?? '');
      for (const v of item.versions ?? []) {
        if (!v.version) continue;
        const gv = group ? `${group}/${v.version}` : v.version;
        out.push(gv);
        if (v.freshness === 'Stale' || this.gvResources.has(gv)) continue;
        // The same entries as the group/version's own list: each resource, then its subresources as "plural/sub".
        const rs: ApiResource[] = [];
        for (const r of v.resources ?? []) {
          if (!r.resource) continue;
          const namespaced = r.scope === 'Namespaced';
          if (r.responseKind?.kind) rs.push({ name: r.resource, kind: r.responseKind.kind, namespaced });
          for (const sub of r.subresources ?? []) if (sub.subresource) rs.push({ name: `${r.resource}/${sub.subresource}`, kind: sub.responseKind?.kind ?? '', namespaced });
        }
        this.gvResources.set(gv, Promise.resolve(rs));
      }
    }
    return out;
  }

  private async resources(gv: string, refresh = false): Promise<ApiResource[] | null> {
    if (!refresh && !this.gvResources.has(gv)) {
      // The first lookup discovers everything at once (aggregated discovery) when the server offers it.
      try {
        await this.listGroupVersions();
      } catch {
        // the group/version's own request below reports the problem
      }
    }
    let p = refresh ? undefined : this.gvResources.get(gv);
    if (refresh) this.apis = undefined; // a kind was missing: what apiVersions() holds may be out of date too
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

  /**
   * The resource serving `kind` in `apiVersion`, from the group/version's resource list (read again when the cached
   * one lacks the kind: a CRD may have been established since). Undefined when the group/version lists no such
   * kind; null when the server does not serve the group/version.
   */
  private async find(apiVersion: string, kind: string): Promise<ResourceInfo | null | undefined> {
    const pick = (rs: ApiResource[] | null) => rs?.find((r) => r.kind === kind && !r.name.includes('/'));
    let rs = await this.resources(apiVersion);
    if (!pick(rs)) rs = await this.resources(apiVersion, true);
    if (rs === null) return null;
    const r = pick(rs);
    return r && infoOf(apiVersion, kind, r);
  }

  /** How Helm's `lookup` resolves a kind: undefined when the group/version lists none; KubeApiError when it is not served. */
  async lookupResource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const r = await this.find(apiVersion, kind);
    if (r === null) throw new KubeApiError(404, 'NotFound', 'the server could not find the requested resource');
    return r;
  }

  /** The resource serving `kind` in `apiVersion`; throws NoKindMatchError (helm's wording) when none does. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const r = await this.find(apiVersion, kind);
    if (!r) {
      throw new NoKindMatchError(`resource mapping not found for kind "${kind}" in version "${apiVersion}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`);
    }
    return r;
  }
}

/** "apps/v1" → group "apps", version "v1"; "v1" → the core group "". */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function infoOf(apiVersion: string, kind: string, r: ApiResource): ResourceInfo {
  return {
    ...splitApiVersion(apiVersion),
    kind,
    plural: r.name,
    namespaced: r.namespaced,
  };
}
