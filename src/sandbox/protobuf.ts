// Decoding of Kubernetes protobuf request bodies ("k8s\0" + runtime.Unknown). Recent client-go (kubectl 1.34,
// helm 3.17 and 4) sends built-in objects created through typed clients as protobuf — helm's release Secrets among
// them. Only the kinds such clients create are described here; others are refused with 415 so the caller can
// fall back to JSON.
import { ApiError } from './errors.js';
import { isObj, type Obj } from './util.js';

type Scalar = 'string' | 'bytes' | 'bool' | 'int' | 'time' | 'json';
interface Field {
  name: string;
  /** A scalar type or the name of a message in MESSAGES. */
  type: Scalar | string;
  repeated?: boolean;
  /** map<string, T>: entries are messages {1: key, 2: value}. */
  map?: boolean;
  /** Keep zero values (0, "") instead of dropping them (fields without omitempty). */
  keepZero?: boolean;
}
type Message = Record<number, Field>;

const f = (name: string, type: string, extra: Partial<Field> = {}): Field => ({ name, type, ...extra });

const MESSAGES: Record<string, Message> = {
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  Unknown: { 1: f('typeMeta', 'TypeMeta'), 2: f('raw', 'bytes'), 3: f('contentEncoding', 'string'), 4: f('contentType', 'string') },
  ObjectMeta: {
    1: f('name', 'string'),
    2: f('generateName', 'string'),
    3: f('namespace', 'string'),
    4: f('selfLink', 'string'),
    5: f('uid', 'string'),
    6: f('resourceVersion', 'string'),
    7: f('generation', 'int'),
    8: f('creationTimestamp', 'time'),
    9: f('deletionTimestamp', 'time'),
    10: f('deletionGracePeriodSeconds', 'int'),
    11: f('labels', 'string', { map: true }),
    12: f('annotations', 'string', { map: true }),
    13: f('ownerReferences', 'OwnerReference', { repeated: true }),
    14: f('finalizers', 'string', { repeated: true }),
    17: f('managedFields', 'ManagedFieldsEntry', { repeated: true }),
  },
  OwnerReference: { 1: f('kind', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'), 6: f('controller', 'bool', { keepZero: true }), 7: f('blockOwnerDeletion', 'bool', { keepZero: true }) },
  ManagedFieldsEntry: {
    1: f('manager', 'string'),
    2: f('operation', 'string'),
    3: f('apiVersion', 'string'),
    4: f('time', 'time'),
    6: f('fieldsType', 'string'),
    7: f('fieldsV1', 'FieldsV1'),
    8: f('subresource', 'string'),
  },
  FieldsV1: { 1: f('raw', 'json') },
  LabelSelector: { 1: f('matchLabels', 'string', { map: true }), 2: f('matchExpressions', 'LabelSelectorRequirement', { repeated: true }) },
  LabelSelectorRequirement: { 1: f('key', 'string'), 2: f('operator', 'string'), 3: f('values', 'string', { repeated: true }) },
  ObjectReference: {
    1: f('kind', 'string'),
    2: f('namespace', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
    6: f('resourceVersion', 'string'),
    7: f('fieldPath', 'string'),
  },
  LocalObjectReference: { 1: f('name', 'string') },
  // core/v1
  Secret: { 1: f('metadata', 'ObjectMeta'), 2: f('data', 'bytes', { map: true }), 3: f('type', 'string'), 4: f('stringData', 'string', { map: true }), 5: f('immutable', 'bool', { keepZero: true }) },
  ConfigMap: { 1: f('metadata', 'ObjectMeta'), 2: f('data', 'string', { map: true }), 3: f('binaryData', 'bytes', { map: true }), 4: f('immutable', 'bool', { keepZero: true }) },
  Namespace: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'NamespaceSpec'), 3: f('status', 'NamespaceStatus') },
  NamespaceSpec: { 1: f('finalizers', 'string', { repeated: true }) },
  NamespaceStatus: { 1: f('phase', 'string') },
  ServiceAccount: {
    1: f('metadata', 'ObjectMeta'),
    2: f('secrets', 'ObjectReference', { repeated: true }),
    3: f('imagePullSecrets', 'LocalObjectReference', { repeated: true }),
    4: f('automountServiceAccountToken', 'bool', { keepZero: true }),
  },
  // rbac.authorization.k8s.io/v1
  PolicyRule: {
    1: f('verbs', 'string', { repeated: true }),
    2: f('apiGroups', 'string', { repeated: true }),
    3: f('resources', 'string', { repeated: true }),
    4: f('resourceNames', 'string', { repeated: true }),
    5: f('nonResourceURLs', 'string', { repeated: true }),
  },
  AggregationRule: { 1: f('clusterRoleSelectors', 'LabelSelector', { repeated: true }) },
  Role: { 1: f('metadata', 'ObjectMeta'), 2: f('rules', 'PolicyRule', { repeated: true }) },
  ClusterRole: { 1: f('metadata', 'ObjectMeta'), 2: f('rules', 'PolicyRule', { repeated: true }), 3: f('aggregationRule', 'AggregationRule') },
  Subject: { 1: f('kind', 'string'), 2: f('apiGroup', 'string'), 3: f('name', 'string'), 4: f('namespace', 'string') },
  RoleRef: { 1: f('apiGroup', 'string', { keepZero: true }), 2: f('kind', 'string'), 3: f('name', 'string') },
  RoleBinding: { 1: f('metadata', 'ObjectMeta'), 2: f('subjects', 'Subject', { repeated: true }), 3: f('roleRef', 'RoleRef') },
  ClusterRoleBinding: { 1: f('metadata', 'ObjectMeta'), 2: f('subjects', 'Subject', { repeated: true }), 3: f('roleRef', 'RoleRef') },
  // scheduling.k8s.io/v1
  PriorityClass: { 1: f('metadata', 'ObjectMeta'), 2: f('value', 'int', { keepZero: true }), 3: f('globalDefault', 'bool'), 4: f('description', 'string'), 5: f('preemptionPolicy', 'string') },
  // coordination.k8s.io/v1
  Lease: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'LeaseSpec') },
  LeaseSpec: {
    1: f('holderIdentity', 'string'),
    2: f('leaseDurationSeconds', 'int'),
    3: f('acquireTime', 'microtime'),
    4: f('renewTime', 'microtime'),
    5: f('leaseTransitions', 'int'),
  },
  // authorization.k8s.io/v1 (kubectl auth can-i)
  SelfSubjectAccessReview: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'SelfSubjectAccessReviewSpec') },
  SelfSubjectAccessReviewSpec: { 1: f('resourceAttributes', 'ResourceAttributes'), 2: f('nonResourceAttributes', 'NonResourceAttributes') },
  ResourceAttributes: { 1: f('namespace', 'string'), 2: f('verb', 'string'), 3: f('group', 'string'), 4: f('version', 'string'), 5: f('resource', 'string'), 6: f('subresource', 'string'), 7: f('name', 'string') },
  NonResourceAttributes: { 1: f('path', 'string'), 2: f('verb', 'string') },
  SelfSubjectRulesReview: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'SelfSubjectRulesReviewSpec') },
  SelfSubjectRulesReviewSpec: { 1: f('namespace', 'string') },
  // authentication.k8s.io/v1 (service account tokens)
  TokenRequest: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'TokenRequestSpec') },
  TokenRequestSpec: { 1: f('audiences', 'string', { repeated: true }), 4: f('expirationSeconds', 'int'), 3: f('boundObjectRef', 'BoundObjectReference') },
  BoundObjectReference: { 1: f('kind', 'string'), 2: f('apiVersion', 'string'), 3: f('name', 'string'), 4: f('uid', 'string') },
  // workloads (what `kubectl create deployment|job|cronjob|service` sends)
  Deployment: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'DeploymentSpec') },
  DeploymentSpec: {
    1: f('replicas', 'int', { keepZero: true }),
    2: f('selector', 'LabelSelector'),
    3: f('template', 'PodTemplateSpec'),
    4: f('strategy', 'DeploymentStrategy'),
    5: f('minReadySeconds', 'int'),
    6: f('revisionHistoryLimit', 'int', { keepZero: true }),
    7: f('paused', 'bool'),
    9: f('progressDeadlineSeconds', 'int', { keepZero: true }),
  },
  DeploymentStrategy: { 1: f('type', 'string'), 2: f('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: f('maxUnavailable', 'intorstr'), 2: f('maxSurge', 'intorstr') },
  PodTemplateSpec: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'PodSpec') },
  PodSpec: {
    1: f('volumes', 'Volume', { repeated: true }),
    2: f('containers', 'Container', { repeated: true }),
    3: f('restartPolicy', 'string'),
    4: f('terminationGracePeriodSeconds', 'int', { keepZero: true }),
    5: f('activeDeadlineSeconds', 'int', { keepZero: true }),
    6: f('dnsPolicy', 'string'),
    7: f('nodeSelector', 'string', { map: true }),
    8: f('serviceAccountName', 'string'),
    9: f('serviceAccount', 'string'),
    10: f('nodeName', 'string'),
    11: f('hostNetwork', 'bool'),
    12: f('hostPID', 'bool'),
    13: f('hostIPC', 'bool'),
    15: f('imagePullSecrets', 'LocalObjectReference', { repeated: true }),
    16: f('hostname', 'string'),
    17: f('subdomain', 'string'),
    19: f('schedulerName', 'string'),
    20: f('initContainers', 'Container', { repeated: true }),
    21: f('automountServiceAccountToken', 'bool', { keepZero: true }),
    24: f('priorityClassName', 'string'),
  },
  Container: {
    1: f('name', 'string'),
    2: f('image', 'string'),
    3: f('command', 'string', { repeated: true }),
    4: f('args', 'string', { repeated: true }),
    5: f('workingDir', 'string'),
    6: f('ports', 'ContainerPort', { repeated: true }),
    7: f('env', 'EnvVar', { repeated: true }),
    8: f('resources', 'ResourceRequirements'),
    9: f('volumeMounts', 'VolumeMount', { repeated: true }),
    13: f('terminationMessagePath', 'string'),
    14: f('imagePullPolicy', 'string'),
    16: f('stdin', 'bool'),
    17: f('stdinOnce', 'bool'),
    18: f('tty', 'bool'),
    20: f('terminationMessagePolicy', 'string'),
  },
  ContainerPort: { 1: f('name', 'string'), 2: f('hostPort', 'int'), 3: f('containerPort', 'int', { keepZero: true }), 4: f('protocol', 'string'), 5: f('hostIP', 'string') },
  EnvVar: { 1: f('name', 'string'), 2: f('value', 'string') },
  ResourceRequirements: { 1: f('limits', 'quantity', { map: true }), 2: f('requests', 'quantity', { map: true }) },
  VolumeMount: { 1: f('name', 'string'), 2: f('readOnly', 'bool'), 3: f('mountPath', 'string'), 4: f('subPath', 'string') },
  Volume: { 1: f('name', 'string') },
  Job: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'JobSpec') },
  JobSpec: {
    1: f('parallelism', 'int', { keepZero: true }),
    2: f('completions', 'int', { keepZero: true }),
    3: f('activeDeadlineSeconds', 'int', { keepZero: true }),
    4: f('selector', 'LabelSelector'),
    5: f('manualSelector', 'bool', { keepZero: true }),
    6: f('template', 'PodTemplateSpec'),
    7: f('backoffLimit', 'int', { keepZero: true }),
    8: f('ttlSecondsAfterFinished', 'int', { keepZero: true }),
    10: f('suspend', 'bool', { keepZero: true }),
  },
  CronJob: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'CronJobSpec') },
  CronJobSpec: {
    1: f('schedule', 'string'),
    2: f('startingDeadlineSeconds', 'int', { keepZero: true }),
    3: f('concurrencyPolicy', 'string'),
    4: f('suspend', 'bool', { keepZero: true }),
    5: f('jobTemplate', 'JobTemplateSpec'),
    6: f('successfulJobsHistoryLimit', 'int', { keepZero: true }),
    7: f('failedJobsHistoryLimit', 'int', { keepZero: true }),
    8: f('timeZone', 'string'),
  },
  JobTemplateSpec: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'JobSpec') },
  Service: { 1: f('metadata', 'ObjectMeta'), 2: f('spec', 'ServiceSpec') },
  ServiceSpec: {
    1: f('ports', 'ServicePort', { repeated: true }),
    2: f('selector', 'string', { map: true }),
    3: f('clusterIP', 'string'),
    4: f('type', 'string'),
    5: f('externalIPs', 'string', { repeated: true }),
    7: f('sessionAffinity', 'string'),
    10: f('externalName', 'string'),
  },
  ServicePort: { 1: f('name', 'string'), 2: f('protocol', 'string'), 3: f('port', 'int', { keepZero: true }), 4: f('targetPort', 'intorstr'), 5: f('nodePort', 'int') },
  // policy/v1 (kubectl drain)
  Eviction: { 1: f('metadata', 'ObjectMeta'), 2: f('deleteOptions', 'DeleteOptions') },
  DeleteOptions: { 1: f('gracePeriodSeconds', 'int'), 3: f('orphanDependents', 'bool'), 4: f('propagationPolicy', 'string'), 5: f('dryRun', 'string', { repeated: true }) },
};

class Reader {
  i = 0;
  constructor(readonly b: Buffer) {}
  varint(): bigint {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      if (this.i >= this.b.length) throw new Error('truncated varint');
      const x = this.b[this.i++]!;
      r |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if (!(x & 0x80)) return r;
    }
  }
  bytes(): Buffer {
    const n = Number(this.varint());
    const out = this.b.subarray(this.i, this.i + n);
    if (out.length !== n) throw new Error('truncated field');
    this.i += n;
    return out;
  }
}

function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const d = new Date(seconds * 1000);
  const base = d.toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

function decodeTime(b: Buffer, micro: boolean): string | undefined {
  const r = new Reader(b);
  let seconds = 0;
  let nanos = 0;
  while (r.i < b.length) {
    const key = Number(r.varint());
    if ((key & 7) !== 0) throw new Error('bad time');
    const v = Number(BigInt.asIntN(64, r.varint()));
    if (key >> 3 === 1) seconds = v;
    else if (key >> 3 === 2) nanos = v;
  }
  return b.length === 0 ? undefined : rfc3339(seconds, nanos, micro);
}

function skip(r: Reader, wt: number): void {
  if (wt === 0) r.varint();
  else if (wt === 2) r.bytes();
  else if (wt === 1) r.i += 8;
  else if (wt === 5) r.i += 4;
  else throw new Error(`unsupported wire type ${wt}`);
}

function scalar(type: string, wt: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'time':
      return decodeTime(r.bytes(), false);
    case 'microtime':
      return decodeTime(r.bytes(), true);
    case 'quantity': {
      const m = new Reader(r.bytes());
      let q = '';
      while (m.i < m.b.length) {
        const k = Number(m.varint());
        if (k >> 3 === 1) q = m.bytes().toString('utf8');
        else skip(m, k & 7);
      }
      return q;
    }
    case 'intorstr': {
      const m = new Reader(r.bytes());
      let type = 0;
      let iv = 0;
      let sv = '';
      while (m.i < m.b.length) {
        const k = Number(m.varint());
        if (k >> 3 === 1) type = Number(m.varint());
        else if (k >> 3 === 2) iv = Number(BigInt.asIntN(64, m.varint()));
        else if (k >> 3 === 3) sv = m.bytes().toString('utf8');
        else skip(m, k & 7);
      }
      return type === 1 ? sv : iv;
    }
    case 'json': {
      const b = r.bytes();
      return b.length ? JSON.parse(b.toString('utf8')) : undefined;
    }
    default:
      if (wt !== 2) throw new Error(`field of message type ${type} with wire type ${wt}`);
      return decodeMessage(type, r.bytes());
  }
}

class UnknownField extends Error {}

/** Is an encoded field value (without its key) a zero value, or a message made only of zero values? */
function isZero(raw: Buffer, wt: number): boolean {
  const r = new Reader(raw);
  if (wt === 0) return r.varint() === 0n;
  if (wt !== 2) return raw.every((x) => x === 0);
  const body = r.bytes();
  if (body.length === 0) return true;
  try {
    const m = new Reader(body);
    while (m.i < body.length) {
      const key = Number(m.varint());
      const start = m.i;
      skip(m, key & 7);
      if (!isZero(body.subarray(start, m.i), key & 7)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function decodeMessage(name: string, b: Buffer): Obj {
  const schema = MESSAGES[name];
  if (!schema) throw new Error(`no schema for ${name}`);
  const r = new Reader(b);
  const out: Obj = {};
  while (r.i < b.length) {
    const key = Number(r.varint());
    const num = key >> 3;
    const wt = key & 7;
    const field = schema[num];
    if (!field) {
      // Fields this decoder does not know are fine only when they carry nothing (proto2 emits zero values).
      const start = r.i;
      skip(r, wt);
      if (!isZero(r.b.subarray(start, r.i), wt)) throw new UnknownField(`${name} field ${num}`);
      continue;
    }
    if (field.map) {
      const entry = new Reader(r.bytes());
      let k = '';
      let v: unknown = field.type === 'bytes' ? '' : '';
      while (entry.i < entry.b.length) {
        const ek = Number(entry.varint());
        if (ek >> 3 === 1) k = entry.bytes().toString('utf8');
        else if (ek >> 3 === 2) v = scalar(field.type, ek & 7, entry);
        else skip(entry, ek & 7);
      }
      (out[field.name] ??= {})[k] = v;
      continue;
    }
    const v = scalar(field.type, wt, r);
    if (field.repeated) (out[field.name] ??= []).push(v);
    else out[field.name] = v;
  }
  for (const [num, field] of Object.entries(schema)) {
    void num;
    const v = out[field.name];
    if (v === undefined) continue;
    if (!field.keepZero && !field.repeated && !field.map && (v === '' || v === 0 || v === false)) delete out[field.name];
    if (isObj(v) && Object.keys(v).length === 0 && field.type !== 'ObjectMeta' && !field.map) delete out[field.name];
  }
  return out;
}

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode a protobuf-encoded built-in object into its JSON form (with apiVersion and kind). */
export function decodeProtobufObject(body: Buffer): Obj {
  if (body.length < 4 || !body.subarray(0, 4).equals(PROTOBUF_MAGIC))
    throw new ApiError(400, 'BadRequest', 'the protobuf body does not start with the Kubernetes magic prefix');
  let unknown: Obj;
  try {
    unknown = decodeMessage('Unknown', body.subarray(4));
  } catch (e) {
    throw new ApiError(400, 'BadRequest', `invalid protobuf body: ${(e as Error).message}`);
  }
  const kind = unknown.typeMeta?.kind as string | undefined;
  const apiVersion = unknown.typeMeta?.apiVersion as string | undefined;
  if (!kind || !MESSAGES[kind])
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the bosun sandbox cannot decode protobuf bodies of kind ${kind ?? '(unknown)'}; send application/json (for example kubectl apply, or kubectl create -o yaml --dry-run=client | kubectl apply -f -)`,
    );
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  try {
    const obj = decodeMessage(kind, raw);
    return { apiVersion, kind, ...obj };
  } catch (e) {
    if (e instanceof UnknownField)
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the bosun sandbox cannot decode this protobuf ${kind} (${e.message} is not supported); send application/json (for example kubectl apply)`,
      );
    throw new ApiError(400, 'BadRequest', `invalid protobuf ${kind}: ${(e as Error).message}`);
  }
}
