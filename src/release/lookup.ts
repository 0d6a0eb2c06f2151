// Helm's `lookup` template function against a live cluster (install, upgrade, server dry runs and the fleet diff;
// `bosun template` keeps the cluster-less lookup, which finds nothing, as `helm template` does).
//
// The template engine is synchronous and a cluster read is not, so a render that looks up an object this process
// has not fetched yet gets {} for it (what helm answers for a missing object), and renders again once every such
// object is fetched. The result is the render in which every lookup had its answer: the one helm makes against the
// same cluster state. A chart that never calls lookup renders once.
import { splitApiVersion, type Cluster } from '../kube/index.js';
import { apiError } from '../kube/errors.js';
import { fromPlain, newMap, type GoValue } from '../template/value.js';
import { MAX_ROUNDS, renderInRounds } from '../render/index.js';

export type LookupFn = (apiVersion: string, kind: string, namespace: string, name: string) => GoValue;

type Answer = { readonly json: unknown } | { readonly error: Error };

/** Runs `render` with lookups answered from `cluster`; see the module comment. */
export async function renderWithLookups<T>(cluster: Cluster, render: (lookup: LookupFn) => T | Promise<T>): Promise<T> {
  const answers = new Map<string, Answer>();
  const missing = new Map<string, readonly [string, string, string, string]>();
  const lookup: LookupFn = (apiVersion, kind, namespace, name) => {
    const key = JSON.stringify([apiVersion, kind, namespace, name]);
    const a = answers.get(key);
    if (a === undefined) {
      missing.set(key, [apiVersion, kind, namespace, name]);
      return newMap();
    }
    if ('error' in a) throw a.error;
    // A fresh value per call, as helm decodes each answer anew: a template may change what it got (set, unset).
    return fromPlain(a.json, true);
  };
  return renderInRounds(
    () => {
      missing.clear();
      return render(lookup);
    },
    {
      asked: () => missing.size > 0,
      answer: async () => {
        await Promise.all([...missing].map(async ([key, args]) => answers.set(key, await fetchAnswer(cluster, ...args))));
      },
      exhausted: `lookup: the templates still asked for new objects after ${MAX_ROUNDS} rounds of lookups`,
    },
  );
}

/** What helm's lookup returns for these arguments, read from the cluster: the object, the list, or {} when absent. */
async function fetchAnswer(cluster: Cluster, apiVersion: string, kind: string, namespace: string, name: string): Promise<Answer> {
  let info;
  try {
    info = await cluster.discovery.lookupResource(apiVersion, kind);
  } catch (e) {
    return { error: new Error(`unable to get apiresource from unstructured: ${gvkString(apiVersion, kind)}: ${(e as Error).message}`) };
  }
  // A group/version without that kind: helm then asks for a path without a resource, which finds nothing.
  if (info === undefined) return { json: {} };
  // helm's client: in the namespace for a namespaced kind given one, else cluster-wide (all namespaces).
  const path = cluster.path(info, namespace || undefined, name || undefined);
  let a;
  try {
    a = await cluster.transport.call({ method: 'GET', path });
  } catch (e) {
    return { error: e as Error };
  }
  if (a.status === 404) return { json: {} };
  if (a.status < 200 || a.status > 299) return { error: apiError(a.status, a.text, `GET ${path}`) };
  const json = JSON.parse(a.text) as Record<string, unknown>;
  if (name) return { json };
  // A list: client-go gives each item the list's apiVersion and its kind (the list kind without "List") when the
  // server sent them without.
  const itemKind = String(json.kind ?? '').replace(/List$/, '');
  const items = Array.isArray(json.items) ? json.items : [];
  json.items = items.map((it: Record<string, unknown>) => (it.kind || it.apiVersion ? it : { apiVersion: json.apiVersion, kind: itemKind, ...it }));
  return { json };
}

/** apimachinery's GroupVersionKind.String(): "group/version, Kind=kind" ("/v1, Kind=Secret" for the core group). */
function gvkString(apiVersion: string, kind: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return `${group}/${version}, Kind=${kind}`;
}
