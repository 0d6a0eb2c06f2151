// Resource types the sandbox serves: the built-in table and the types that created CRDs add.
import type { Obj } from './util.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface ResourceType {
  group: string;
  /** Versions served, preferred (and storage) first. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  /** Subresources (status, scale, log, ...) in discovery order. */
  subresources: string[];
  /** Main-resource writes ignore status and /status writes only status. */
  statusSubresource: boolean;
  /** metadata.generation is tracked (1 on create, +1 on spec change). */
  generation: boolean;
  /** Served from a CRD (custom resource): JSON/merge patch only, RV required on update. */
  custom: boolean;
  /** Create-only virtual resources (access reviews): answered, never stored. */
  virtual?: boolean;
  /** The CRD object for custom resources (its schema drives pruning, defaults and list semantics). */
  crd?: Obj;
  /** Scale subresource paths for custom resources. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** Extra printer columns for custom resources. */
  printerColumns?: Obj[];
}

/** Key of a resource inside one cluster's store: `apps/deployments`, `/configmaps`. */
export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}
export const keyOf = (t: ResourceType): string => resourceKey(t.group, t.plural);

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

interface Def {
  g: string;
  v: string | string[];
  kind: string;
  plural?: string;
  ns?: boolean;
  short?: string[];
  cat?: string[];
  sub?: string[];
  gen?: boolean;
  verbs?: Verb[];
  virtual?: boolean;
}

const lower = (s: string): string => s.toLowerCase();
function pluralize(kind: string): string {
  const k = lower(kind);
  if (k.endsWith('s')) return k + 'es';
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return k.slice(0, -1) + 'ies';
  return k + 's';
}

const ALL = ['all'];
const CREATE_ONLY: Verb[] = ['create'];

const DEFS: Def[] = [
  // core/v1
  { g: '', v: 'v1', kind: 'Binding', verbs: CREATE_ONLY, virtual: true },
  { g: '', v: 'v1', kind: 'ComponentStatus', plural: 'componentstatuses', ns: false, short: ['cs'], verbs: ['get', 'list'] },
  { g: '', v: 'v1', kind: 'ConfigMap', short: ['cm'] },
  { g: '', v: 'v1', kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
  { g: '', v: 'v1', kind: 'Event', short: ['ev'] },
  { g: '', v: 'v1', kind: 'LimitRange', short: ['limits'] },
  { g: '', v: 'v1', kind: 'Namespace', ns: false, short: ['ns'], sub: ['finalize', 'status'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { g: '', v: 'v1', kind: 'Node', ns: false, short: ['no'], sub: ['proxy', 'status'] },
  { g: '', v: 'v1', kind: 'PersistentVolumeClaim', short: ['pvc'], sub: ['status'] },
  { g: '', v: 'v1', kind: 'PersistentVolume', ns: false, short: ['pv'], sub: ['status'] },
  { g: '', v: 'v1', kind: 'Pod', short: ['po'], cat: ALL, sub: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'resize', 'status'] },
  { g: '', v: 'v1', kind: 'PodTemplate' },
  { g: '', v: 'v1', kind: 'ReplicationController', short: ['rc'], cat: ALL, sub: ['scale', 'status'], gen: true },
  { g: '', v: 'v1', kind: 'ResourceQuota', short: ['quota'], sub: ['status'] },
  { g: '', v: 'v1', kind: 'Secret' },
  { g: '', v: 'v1', kind: 'ServiceAccount', short: ['sa'], sub: ['token'] },
  { g: '', v: 'v1', kind: 'Service', short: ['svc'], cat: ALL, sub: ['proxy', 'status'] },
  // apps/v1
  { g: 'apps', v: 'v1', kind: 'ControllerRevision' },
  { g: 'apps', v: 'v1', kind: 'DaemonSet', short: ['ds'], cat: ALL, sub: ['status'], gen: true },
  { g: 'apps', v: 'v1', kind: 'Deployment', short: ['deploy'], cat: ALL, sub: ['scale', 'status'], gen: true },
  { g: 'apps', v: 'v1', kind: 'ReplicaSet', short: ['rs'], cat: ALL, sub: ['scale', 'status'], gen: true },
  { g: 'apps', v: 'v1', kind: 'StatefulSet', short: ['sts'], cat: ALL, sub: ['scale', 'status'], gen: true },
  // batch/v1
  { g: 'batch', v: 'v1', kind: 'CronJob', short: ['cj'], cat: ALL, sub: ['status'], gen: true },
  { g: 'batch', v: 'v1', kind: 'Job', cat: ALL, sub: ['status'], gen: true },
  // autoscaling
  { g: 'autoscaling', v: 'v2', kind: 'HorizontalPodAutoscaler', short: ['hpa'], cat: ALL, sub: ['status'], gen: true },
  // networking.k8s.io/v1
  { g: 'networking.k8s.io', v: 'v1', kind: 'IngressClass', ns: false },
  { g: 'networking.k8s.io', v: 'v1', kind: 'Ingress', short: ['ing'], sub: ['status'], gen: true },
  { g: 'networking.k8s.io', v: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', short: ['netpol'], gen: true },
  // policy/v1
  { g: 'policy', v: 'v1', kind: 'PodDisruptionBudget', short: ['pdb'], sub: ['status'], gen: true },
  // rbac
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'ClusterRoleBinding', ns: false },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'ClusterRole', ns: false },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'RoleBinding' },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'Role' },
  // storage.k8s.io/v1
  { g: 'storage.k8s.io', v: 'v1', kind: 'CSIDriver', ns: false },
  { g: 'storage.k8s.io', v: 'v1', kind: 'CSINode', ns: false },
  { g: 'storage.k8s.io', v: 'v1', kind: 'CSIStorageCapacity', plural: 'csistoragecapacities' },
  { g: 'storage.k8s.io', v: 'v1', kind: 'StorageClass', plural: 'storageclasses', ns: false, short: ['sc'] },
  { g: 'storage.k8s.io', v: 'v1', kind: 'VolumeAttachment', ns: false, sub: ['status'] },
  // scheduling, node
  { g: 'scheduling.k8s.io', v: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', ns: false, short: ['pc'] },
  { g: 'node.k8s.io', v: 'v1', kind: 'RuntimeClass', ns: false },
  // admissionregistration
  { g: 'admissionregistration.k8s.io', v: 'v1', kind: 'MutatingWebhookConfiguration', ns: false, gen: true },
  { g: 'admissionregistration.k8s.io', v: 'v1', kind: 'ValidatingAdmissionPolicy', plural: 'validatingadmissionpolicies', ns: false, sub: ['status'], gen: true },
  { g: 'admissionregistration.k8s.io', v: 'v1', kind: 'ValidatingAdmissionPolicyBinding', ns: false, gen: true },
  { g: 'admissionregistration.k8s.io', v: 'v1', kind: 'ValidatingWebhookConfiguration', ns: false, gen: true },
  // apiregistration
  { g: 'apiregistration.k8s.io', v: 'v1', kind: 'APIService', plural: 'apiservices', ns: false, sub: ['status'] },
  // coordination, discovery, events
  { g: 'coordination.k8s.io', v: 'v1', kind: 'Lease' },
  { g: 'discovery.k8s.io', v: 'v1', kind: 'EndpointSlice' },
  // apiextensions
  { g: 'apiextensions.k8s.io', v: 'v1', kind: 'CustomResourceDefinition', ns: false, short: ['crd', 'crds'], sub: ['status'], gen: true },
  // certificates
  { g: 'certificates.k8s.io', v: 'v1', kind: 'CertificateSigningRequest', ns: false, short: ['csr'], sub: ['approval', 'status'] },
  // access reviews (answered, never stored)
  { g: 'authentication.k8s.io', v: 'v1', kind: 'SelfSubjectReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authentication.k8s.io', v: 'v1', kind: 'TokenReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'LocalSubjectAccessReview', verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'SelfSubjectAccessReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'SelfSubjectRulesReview', ns: false, verbs: CREATE_ONLY, virtual: true },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'SubjectAccessReview', ns: false, verbs: CREATE_ONLY, virtual: true },
];

function fromDef(d: Def): ResourceType {
  const plural = d.plural ?? pluralize(d.kind);
  const sub = d.sub ?? [];
  return {
    group: d.g,
    versions: Array.isArray(d.v) ? d.v : [d.v],
    plural,
    singular: lower(d.kind),
    kind: d.kind,
    listKind: `${d.kind}List`,
    namespaced: d.ns ?? true,
    shortNames: d.short ?? [],
    categories: d.cat ?? [],
    verbs: d.verbs ?? ALL_VERBS,
    subresources: sub,
    statusSubresource: sub.includes('status'),
    generation: d.gen ?? false,
    custom: false,
    virtual: d.virtual,
  };
}

export const BUILTIN_TYPES: readonly ResourceType[] = DEFS.map(fromDef);

/** Build the resource type a CRD defines (or undefined when the CRD is not usable). */
export function typeFromCRD(crd: Obj): ResourceType | undefined {
  const spec = crd.spec;
  if (!spec?.names?.plural || !spec.names.kind || !spec.group || !Array.isArray(spec.versions)) return undefined;
  const served = (spec.versions as Obj[]).filter((v) => v.served !== false);
  if (served.length === 0) return undefined;
  const storage = served.find((v) => v.storage) ?? served[0]!;
  const ordered = [storage, ...served.filter((v) => v !== storage)];
  const subs = storage.subresources ?? {};
  const subresources: string[] = [];
  if (subs.scale) subresources.push('scale');
  if (subs.status) subresources.push('status');
  return {
    group: spec.group,
    versions: ordered.map((v) => v.name as string),
    plural: spec.names.plural,
    singular: spec.names.singular || lower(spec.names.kind),
    kind: spec.names.kind,
    listKind: spec.names.listKind || `${spec.names.kind}List`,
    namespaced: spec.scope !== 'Cluster',
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    verbs: ALL_VERBS,
    subresources,
    statusSubresource: !!subs.status,
    generation: true,
    custom: true,
    crd,
    scale: subs.scale,
    printerColumns: storage.additionalPrinterColumns,
  };
}

/** Preferred version of a group among the served ones: Kubernetes' ordering (GA > beta > alpha, higher first). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v];
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0), v];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  if (pa[2] !== pb[2]) return pb[2] - pa[2];
  return pa[3] < pb[3] ? -1 : pa[3] > pb[3] ? 1 : 0;
}
