// What helm 4's status shows of a release's objects: each object of its manifest read from the cluster, grouped
// under "version/Kind" in manifest order, and the pods of each workload (by its selector's matchLabels; a selector
// seen before is not listed again) under "v1/Pod(related)". For the table output the server prints them (Tables,
// as kubectl get asks); for JSON and YAML they are the objects themselves (a workload's pods as one PodList).
// Objects that are missing, or of kinds the cluster does not serve, are left out, as helm leaves them out.
import type { KubeObject } from '../kube/index.js';
import type { ReleaseContext } from './context.js';
import type { Release } from './record.js';
import { decodeManifest } from './resources.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const RELATED_PODS = 'v1/Pod(related)';

/** Kinds whose pods helm lists, and where their selector's labels are. */
function podSelector(o: KubeObject): Record<string, string> | undefined {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  let labels: unknown;
  if (['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)) labels = (spec.selector as Record<string, unknown> | undefined)?.matchLabels;
  else if (o.kind === 'ReplicationController') labels = spec.selector;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/**
 * The release's live objects by "version/Kind" (manifest order; related pods after the objects), as Tables when
 * `tables`, else as objects.
 */
export async function liveResources(ctx: ReleaseContext, rel: Release, tables: boolean): Promise<Map<string, unknown[]>> {
  const { cluster } = ctx;
  const out = new Map<string, unknown[]>();
  const add = (key: string, v: unknown) => {
    const list = out.get(key);
    if (list) list.push(v);
    else out.set(key, [v]);
  };
  // A read that fails (missing object, forbidden, unreachable) leaves the object out, as helm's Get does.
  const read = async (path: string, query?: Record<string, string>): Promise<unknown | null> => {
    const a = await cluster.transport
      .call({ method: 'GET', path, query: tables ? { ...query, includeObject: 'Object' } : query, accept: tables ? TABLE_ACCEPT : undefined })
      .catch(() => null);
    if (a === null || a.status < 200 || a.status > 299) return null;
    return JSON.parse(a.text) as unknown;
  };
  const selectors = new Set<string>();
  const pods: { namespace: string; selector: string }[] = [];
  for (const o of decodeManifest(rel.manifest)) {
    let info;
    try {
      info = await cluster.resource(o.apiVersion, o.kind);
    } catch {
      continue; // a kind the cluster does not serve (helm's builder skips it)
    }
    const namespace = info.namespaced ? o.metadata.namespace || rel.namespace : undefined;
    const got = await read(cluster.path(info, namespace, o.metadata.name));
    if (got === null) continue;
    add(`${info.version}/${info.kind}`, got);
    const sel = podSelector(o);
    if (!sel) continue;
    const selector = Object.keys(sel)
      .sort()
      .map((k) => `${k}=${sel[k]}`)
      .join(',');
    // Label keys and values cannot hold ',' or '=': equal selectors give equal strings.
    if (selectors.has(selector)) continue;
    selectors.add(selector);
    pods.push({ namespace: namespace ?? rel.namespace, selector });
  }
  for (const p of pods) {
    const list = (await read(`/api/v1/namespaces/${encodeURIComponent(p.namespace)}/pods`, { labelSelector: p.selector })) as { items?: Record<string, unknown>[] } | null;
    if (list === null) continue;
    // A decoded list names each item's kind, as client-go's unstructured lists do.
    if (!tables) list.items = (list.items ?? []).map((i) => ({ ...i, apiVersion: 'v1', kind: 'Pod' }));
    add(RELATED_PODS, list);
  }
  return out;
}
