// Discovery documents (legacy /api, /apis, per group/version resource lists, and the aggregated
// apidiscovery.k8s.io v2/v2beta1 form) and the minimal OpenAPI v3 documents clients need to use server-side field
// validation.
import { createHash } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { compareVersions, groupVersion, type ResourceType, type Verb } from './resources.js';
import type { Obj } from './util.js';

/** Builtin group order (roughly the API server's priority order); custom groups follow, sorted. */
const GROUP_ORDER = [
  'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling',
  'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io',
  'discovery.k8s.io',
];

interface SubInfo {
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

function subresourceInfo(t: ResourceType, sub: string): SubInfo {
  switch (sub) {
    case 'status':
      return { kind: t.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
    case 'log':
      return { kind: 'Pod', verbs: ['get'] };
    case 'eviction':
      return { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] };
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'token':
      return { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] };
    case 'exec':
      return { kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach':
      return { kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward':
      return { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'proxy':
      return { kind: `${t.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    case 'finalize':
      return { kind: 'Namespace', verbs: ['update'] };
    case 'approval':
      return { kind: t.kind, verbs: ['get', 'patch', 'update'] };
    case 'ephemeralcontainers':
    case 'resize':
      return { kind: 'Pod', verbs: ['get', 'patch', 'update'] };
    default:
      return { kind: t.kind, verbs: ['get'] };
  }
}

function storageVersionHash(t: ResourceType): string {
  return createHash('sha256').update(`${t.group}/${t.versions[0]}/${t.kind}`).digest('base64').slice(0, 11) + '=';
}

interface GroupInfo {
  name: string;
  versions: string[];
  preferred: string;
}

export function groups(cluster: Cluster): GroupInfo[] {
  const byGroup = new Map<string, Set<string>>();
  for (const t of cluster.allTypes()) {
    if (!t.group) continue;
    let s = byGroup.get(t.group);
    if (!s) byGroup.set(t.group, (s = new Set()));
    for (const v of t.versions) s.add(v);
  }
  const names = [...byGroup.keys()].sort((a, b) => {
    const ia = GROUP_ORDER.indexOf(a);
    const ib = GROUP_ORDER.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0) return -1;
    if (ib >= 0) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return names.map((name) => {
    const versions = [...byGroup.get(name)!].sort(compareVersions);
    // A CRD's storage version is not necessarily the preferred one: Kubernetes prefers by version priority.
    return { name, versions, preferred: versions[0]! };
  });
}

function typesIn(cluster: Cluster, group: string, version: string): ResourceType[] {
  return cluster
    .allTypes()
    .filter((t) => t.group === group && t.versions.includes(version))
    .sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
}

export function hasGroupVersion(cluster: Cluster, group: string, version: string): boolean {
  return cluster.allTypes().some((t) => t.group === group && t.versions.includes(version));
}

export function apiVersions(): Obj {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

function groupDoc(g: GroupInfo): Obj {
  return {
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
  };
}

export function apiGroupList(cluster: Cluster): Obj {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(cluster).map(groupDoc) };
}

export function apiGroup(cluster: Cluster, name: string): Obj | undefined {
  const g = groups(cluster).find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

export function resourceList(cluster: Cluster, group: string, version: string): Obj | undefined {
  const types = typesIn(cluster, group, version);
  if (types.length === 0) return undefined;
  const resources: Obj[] = [];
  for (const t of types) {
    const r: Obj = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs };
    if (t.shortNames.length) r.shortNames = t.shortNames;
    if (t.categories.length) r.categories = t.categories;
    if (!t.virtual) r.storageVersionHash = storageVersionHash(t);
    resources.push(r);
    for (const sub of t.subresources) {
      const info = subresourceInfo(t, sub);
      const s: Obj = { name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: info.kind, verbs: info.verbs };
      if (info.group !== undefined) {
        s.group = info.group;
        s.version = info.version;
      }
      resources.push(s);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

// ------------------------------------------------------------------ aggregated discovery

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header asks for, if any (first acceptable wins). */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('g=apidiscovery.k8s.io') || !p.includes('as=APIGroupDiscoveryList')) {
      if (p.startsWith('application/json') || p.startsWith('*/*')) return undefined;
      continue;
    }
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}

function discoveryResource(t: ResourceType, version: string): Obj {
  const r: Obj = {
    resource: t.plural,
    responseKind: { group: t.group, version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: t.verbs,
  };
  if (t.shortNames.length) r.shortNames = t.shortNames;
  if (t.categories.length) r.categories = t.categories;
  if (t.subresources.length)
    r.subresources = t.subresources.map((sub) => {
      const info = subresourceInfo(t, sub);
      return { subresource: sub, responseKind: { group: info.group ?? t.group, version: info.version ?? version, kind: info.kind }, verbs: info.verbs };
    });
  return r;
}

export function aggregated(cluster: Cluster, legacy: boolean, version: 'v2' | 'v2beta1'): Obj {
  const items: Obj[] = [];
  const groupList: GroupInfo[] = legacy ? [{ name: '', versions: ['v1'], preferred: 'v1' }] : groups(cluster);
  for (const g of groupList) {
    items.push({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v, resources: typesIn(cluster, g.name, v).map((t) => discoveryResource(t, v)), freshness: 'Current' })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

// ------------------------------------------------------------------ OpenAPI v3

function hashOf(s: string): string {
  return createHash('sha512').update(s).digest('hex').slice(0, 64).toUpperCase();
}

function allGroupVersions(cluster: Cluster): Array<[string, string]> {
  const out: Array<[string, string]> = [['', 'v1']];
  for (const g of groups(cluster)) for (const v of g.versions) out.push([g.name, v]);
  return out;
}

const gvPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

export function openapiRoot(cluster: Cluster): Obj {
  const paths: Obj = {};
  for (const [g, v] of allGroupVersions(cluster)) {
    const doc = JSON.stringify(openapiGroupVersion(cluster, g, v));
    paths[gvPath(g, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g, v)}?hash=${hashOf(doc)}` };
  }
  return { paths };
}

const VERB_OPS: Array<[Verb, string]> = [
  ['get', 'get'],
  ['update', 'put'],
  ['patch', 'patch'],
  ['delete', 'delete'],
];

function schemaName(t: ResourceType, version: string): string {
  const g = t.group || 'core';
  const reversed = t.custom ? t.group.split('.').reverse().join('.') : `io.k8s.api.${g.replace(/\.k8s\.io$/, '').replace(/\./g, '')}`;
  return `${reversed}.${version}.${t.kind}`;
}

export function openapiGroupVersion(cluster: Cluster, group: string, version: string): Obj {
  const paths: Obj = {};
  const schemas: Obj = {};
  const base = '/' + gvPath(group, version);
  const queryParams = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } }));
  for (const t of typesIn(cluster, group, version)) {
    const gvk = { group: t.group, version, kind: t.kind };
    const ref = { $ref: `#/components/schemas/${schemaName(t, version)}` };
    const itemPath = t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}/{name}` : `${base}/${t.plural}/{name}`;
    const collPath = t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}` : `${base}/${t.plural}`;
    const item: Obj = {};
    for (const [verb, op] of VERB_OPS) {
      if (!t.verbs.includes(verb)) continue;
      item[op] = {
        operationId: `${op}${t.kind}`,
        'x-kubernetes-action': verb === 'update' ? 'put' : verb,
        'x-kubernetes-group-version-kind': gvk,
        parameters: verb === 'patch' || verb === 'update' ? queryParams : [],
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
      };
    }
    if (Object.keys(item).length) paths[itemPath] = item;
    if (t.verbs.includes('create') || t.verbs.includes('list')) {
      const coll: Obj = {};
      if (t.verbs.includes('create'))
        coll.post = {
          operationId: `create${t.kind}`,
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': gvk,
          parameters: queryParams.filter((p) => p.name !== 'force'),
          responses: { '201': { description: 'Created', content: { 'application/json': { schema: ref } } } },
        };
      if (t.verbs.includes('list'))
        coll.get = { operationId: `list${t.kind}`, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } };
      paths[collPath] = coll;
    }
    schemas[schemaName(t, version)] = {
      type: 'object',
      description: `${t.kind} (bosun sandbox: schema accepts any fields)`,
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [gvk],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.1' },
    paths,
    components: { schemas },
  };
}

// ------------------------------------------------------------------ OpenAPI v2 (empty document)

function pbString(field: number, s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
}
function pbMessage(field: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, body.length]), body]);
}

/**
 * An OpenAPI v2 document without definitions, as gnostic protobuf (what client-go asks for) or JSON. Clients
 * then skip client-side validation of kinds they find no schema for and rely on v3 (server-side validation).
 */
export function openapiV2(protobuf: boolean): { body: Buffer; contentType: string } {
  if (protobuf) {
    const info = Buffer.concat([pbString(1, 'Kubernetes'), pbString(2, 'v1.33.1')]);
    const body = Buffer.concat([pbString(1, '2.0'), pbMessage(2, info), pbMessage(8, Buffer.alloc(0)), pbMessage(9, Buffer.alloc(0))]);
    return { body, contentType: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' };
  }
  return { body: Buffer.from(JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.33.1' }, paths: {}, definitions: {} })), contentType: 'application/json' };
}
