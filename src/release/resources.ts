// From a stored or rendered manifest to the objects bosun sends: YAML documents decoded as Kubernetes decodes them
// (sigs.k8s.io/yaml: go-yaml v2 scalars, then JSON), namespace filled in for namespaced kinds, Helm's ownership
// label and annotations, and resource identity for diffs between revisions.
import { splitManifests } from '../render/index.js';
import { parseYaml, toJson } from '../yaml/index.js';
import type { Cluster, KubeObject, ObjectRef } from '../kube/index.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';
export const RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';

export class ManifestError extends Error {}

/** One object of a release: what was rendered (for the record) and what is sent. */
export interface Resource {
  readonly obj: KubeObject;
  readonly namespaced: boolean;
}

/** Decodes one YAML document into a plain JSON object (null for an empty document). */
export function decodeDocument(doc: string): KubeObject | null {
  const o = decodeJson(doc);
  return o && checked(o);
}

function decodeJson(doc: string): KubeObject | null {
  const v = parseYaml(doc);
  if (v === null) return null;
  const o = JSON.parse(toJson(v, { escapeHtml: false })) as KubeObject;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ManifestError(`error validating data: document is not an object:\n${doc.slice(0, 200)}`);
  return o;
}

function checked(o: KubeObject): KubeObject {
  if (!o.apiVersion || !o.kind) throw new ManifestError(`error validating data: [apiVersion not set, kind not set]`);
  if (!o.metadata || typeof o.metadata.name !== 'string' || o.metadata.name === '') {
    if (!o.metadata?.generateName) throw new ManifestError(`${o.kind}: metadata.name: Required value: name or generateName is required`);
  }
  o.metadata ??= { name: '' };
  return o;
}

/**
 * A document's objects: the object itself, or the items of a list (`kind: List`, or a typed one such as
 * `RoleBindingList`: any object with `items`), as Helm's resource builder flattens them. An item without kind or
 * apiVersion takes the list's (a typed list's kind less "List"), as Kubernetes decodes lists.
 */
function objectsOf(o: KubeObject): KubeObject[] {
  const items = (o as { items?: unknown }).items;
  if (!('items' in o)) return [checked(o)];
  if (!Array.isArray(items)) throw new ManifestError(`error validating data: ${o.kind || 'list'}: items is not a list`);
  return items.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ManifestError(`error validating data: ${o.kind || 'list'}: an item is not an object`);
    const it = item as KubeObject;
    if (!it.kind && typeof o.kind === 'string' && o.kind.length > 4 && o.kind.endsWith('List')) it.kind = o.kind.slice(0, -4);
    if (!it.apiVersion && o.apiVersion) it.apiVersion = o.apiVersion;
    return objectsOf(it);
  });
}

/** Every object of a manifest stream (`---` separated, `# Source:` comments allowed), lists flattened. */
export function decodeManifest(manifest: string): KubeObject[] {
  // The same manifest is decoded by the diff and again by the apply (and often for several clusters): the decoded
  // objects are kept as JSON text, and every call gets fresh objects parsed from it. Failures are not kept.
  const known = decodedManifests.get(manifest);
  if (known !== undefined) return JSON.parse(known) as KubeObject[];
  const out: KubeObject[] = [];
  for (const doc of splitManifests(manifest)) {
    const o = decodeJson(doc);
    if (o) out.push(...objectsOf(o));
  }
  if (decodedManifests.size >= 1024) decodedManifests.clear();
  decodedManifests.set(manifest, JSON.stringify(out));
  return out;
}

const decodedManifests = new Map<string, string>();

/** Resolves scope through discovery: sets the namespace of namespaced objects, drops it from cluster-scoped ones. */
export async function buildResources(cluster: Cluster, objs: readonly KubeObject[], namespace: string): Promise<Resource[]> {
  return Promise.all(objs.map(async (o) => scoped(o, (await cluster.resource(o.apiVersion, o.kind)).namespaced, namespace)));
}

/** A copy of `o` in its scope: namespaced, in its own namespace or `namespace`; cluster-scoped, in none. */
export function scoped(o: KubeObject, namespaced: boolean, namespace: string): Resource {
  const obj: KubeObject = { ...o, metadata: { ...o.metadata } };
  if (namespaced) obj.metadata.namespace = o.metadata.namespace || namespace;
  else delete obj.metadata.namespace;
  return { obj, namespaced };
}

/** Without a cluster (client dry run): namespace set on every object that has none. */
export function offlineResources(objs: readonly KubeObject[], namespace: string): Resource[] {
  return objs.map((o) => ({ obj: { ...o, metadata: { namespace, ...o.metadata } }, namespaced: true }));
}

/** Adds Helm's ownership label and annotations (setMetadataVisitor with force). */
export function withOwnership(obj: KubeObject, release: string, namespace: string): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata.labels, [MANAGED_BY_LABEL]: 'Helm' },
      annotations: { ...obj.metadata.annotations, [RELEASE_NAME_ANNOTATION]: release, [RELEASE_NAMESPACE_ANNOTATION]: namespace },
    },
  };
}

/** Identity of an object across revisions: group, kind, namespace, name (Helm compares these). */
export function resourceKey(o: KubeObject): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export const refOfResource = (r: Resource): ObjectRef => ({
  apiVersion: r.obj.apiVersion,
  kind: r.obj.kind,
  name: r.obj.metadata.name,
  namespace: r.namespaced ? r.obj.metadata.namespace : undefined,
});

/** `Kind "name" in namespace "ns"` as Helm words it. */
export function describeResource(o: KubeObject): string {
  // As helm names it: a cluster-scoped object is `in namespace ""`.
  return `${o.kind} "${o.metadata.name}" in namespace "${o.metadata.namespace ?? ''}"`;
}

/**
 * Helm's ownership check for an existing object: the errors (empty when the object belongs to this release).
 */
export function ownershipErrors(live: KubeObject, release: string, namespace: string): string[] {
  const errs: string[] = [];
  const check = (kind: 'label' | 'annotation', map: Record<string, string> | undefined, key: string, want: string) => {
    const got = map?.[key];
    if (got === undefined) errs.push(`${kind} validation error: missing key "${key}": must be set to "${want}"`);
    else if (got !== want) errs.push(`${kind} validation error: key "${key}" must equal "${want}": current value is "${got}"`);
  };
  check('label', live.metadata.labels, MANAGED_BY_LABEL, 'Helm');
  check('annotation', live.metadata.annotations, RELEASE_NAME_ANNOTATION, release);
  check('annotation', live.metadata.annotations, RELEASE_NAMESPACE_ANNOTATION, namespace);
  return errs;
}

export const keepPolicy = (o: KubeObject | null | undefined): boolean =>
  (o?.metadata?.annotations?.[RESOURCE_POLICY_ANNOTATION] ?? '').trim().toLowerCase() === 'keep';
