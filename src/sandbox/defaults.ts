// Per-kind behaviour of the built-in types: defaulting (what diff tools meet), light validation, immutable fields
// and when metadata.generation moves.
import { fieldForbidden, fieldImmutable, fieldInvalid, fieldNotSupported, fieldRequired, type Cause } from './errors.js';
import type { ResourceType } from './resources.js';
import { selectorMatches } from './selectors.js';
import { deepEqual, ensureObj, isObj, setDefault, type Obj } from './util.js';

export interface DefaultingContext {
  allocateClusterIP(): string;
  allocateNodePort(): number;
  /** Name of the default StorageClass, if any. */
  defaultStorageClass(): string | undefined;
}

// ------------------------------------------------------------------ pod spec

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isObj(p.httpGet)) setDefault(p.httpGet, 'scheme', 'HTTP');
  if (isObj(p.grpc)) setDefault(p.grpc, 'service', '');
}

function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c.imagePullPolicy === undefined) {
    const image = String(c.image ?? '');
    const noDigest = !image.includes('@');
    const tag = /:([^/:]+)$/.exec(image)?.[1];
    c.imagePullPolicy = noDigest && (!tag || tag === 'latest') ? 'Always' : 'IfNotPresent';
  }
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) setDefault(p, 'protocol', 'TCP');
  if (Array.isArray(c.env))
    for (const e of c.env) if (isObj(e) && isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) setDefault(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  for (const k of ['configMap', 'secret', 'downwardAPI', 'projected']) if (isObj(v[k])) setDefault(v[k], 'defaultMode', 420);
  if (isObj(v.hostPath)) setDefault(v.hostPath, 'type', '');
  if (isObj(v.downwardAPI) && Array.isArray(v.downwardAPI.items))
    for (const i of v.downwardAPI.items) if (isObj(i) && isObj(i.fieldRef)) setDefault(i.fieldRef, 'apiVersion', 'v1');
  if (isObj(v.projected) && Array.isArray(v.projected.sources))
    for (const s of v.projected.sources) if (isObj(s) && isObj(s.serviceAccountToken)) setDefault(s.serviceAccountToken, 'expirationSeconds', 3600);
}

export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) if (Array.isArray(spec[list])) spec[list].forEach(defaultContainer);
  if (Array.isArray(spec.volumes)) spec.volumes.forEach(defaultVolume);
  if (spec.serviceAccount !== undefined && spec.serviceAccountName === undefined) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName !== undefined) spec.serviceAccount = spec.serviceAccountName;
}

function defaultTemplate(t: unknown): void {
  if (!isObj(t)) return;
  defaultPodSpec(t.spec);
}

// ------------------------------------------------------------------ defaults

export function applyDefaults(t: ResourceType, o: Obj, old: Obj | undefined, ctx: DefaultingContext): void {
  if (t.custom) return;
  const spec = isObj(o.spec) ? o.spec : undefined;
  switch (t.kind) {
    case 'Deployment':
      if (!spec) return;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      if (!isObj(spec.strategy)) spec.strategy = {};
      setDefault(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        const ru = ensureObj(spec.strategy, ['rollingUpdate']);
        setDefault(ru, 'maxUnavailable', '25%');
        setDefault(ru, 'maxSurge', '25%');
      }
      defaultTemplate(spec.template);
      return;
    case 'ReplicaSet':
    case 'ReplicationController':
      if (!spec) return;
      setDefault(spec, 'replicas', 1);
      if (t.kind === 'ReplicationController' && isObj(spec.template)) {
        setDefault(spec, 'selector', { ...(spec.template.metadata?.labels ?? {}) });
        if (!o.metadata.labels && spec.template.metadata?.labels) o.metadata.labels = { ...spec.template.metadata.labels };
      }
      defaultTemplate(spec.template);
      return;
    case 'StatefulSet':
      if (!spec) return;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'revisionHistoryLimit', 10);
      if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
      setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') setDefault(ensureObj(spec.updateStrategy, ['rollingUpdate']), 'partition', 0);
      if (!isObj(spec.persistentVolumeClaimRetentionPolicy)) spec.persistentVolumeClaimRetentionPolicy = {};
      setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain');
      setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain');
      if (Array.isArray(spec.volumeClaimTemplates))
        for (const v of spec.volumeClaimTemplates) {
          if (!isObj(v)) continue;
          setDefault(v, 'apiVersion', 'v1');
          setDefault(v, 'kind', 'PersistentVolumeClaim');
          if (isObj(v.spec)) setDefault(v.spec, 'volumeMode', 'Filesystem');
          setDefault(v, 'status', { phase: 'Pending' });
        }
      defaultTemplate(spec.template);
      return;
    case 'DaemonSet':
      if (!spec) return;
      setDefault(spec, 'revisionHistoryLimit', 10);
      if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
      setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        const ru = ensureObj(spec.updateStrategy, ['rollingUpdate']);
        setDefault(ru, 'maxUnavailable', 1);
        setDefault(ru, 'maxSurge', 0);
      }
      defaultTemplate(spec.template);
      return;
    case 'Job': {
      if (!spec) return;
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'completions', 1);
      setDefault(spec, 'backoffLimit', 6);
      setDefault(spec, 'completionMode', 'NonIndexed');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
      if (!spec.manualSelector) {
        const uid = String(o.metadata.uid ?? '');
        const name = String(o.metadata.name ?? '');
        if (!old) {
          spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
          if (isObj(spec.template)) {
            const labels = ensureObj(spec.template, ['metadata', 'labels']);
            labels['batch.kubernetes.io/controller-uid'] = uid;
            labels['batch.kubernetes.io/job-name'] = name;
            labels['controller-uid'] = uid;
            labels['job-name'] = name;
          }
        } else {
          if (spec.selector === undefined) spec.selector = old.spec?.selector;
          if (isObj(spec.template) && isObj(old.spec?.template?.metadata?.labels)) {
            const labels = ensureObj(spec.template, ['metadata', 'labels']);
            for (const k of ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name'])
              if (labels[k] === undefined && old.spec.template.metadata.labels[k] !== undefined) labels[k] = old.spec.template.metadata.labels[k];
          }
        }
      }
      if (isObj(spec.template)) {
        defaultPodSpec(spec.template.spec);
      }
      return;
    }
    case 'CronJob':
      if (!spec) return;
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      if (isObj(spec.jobTemplate?.spec?.template)) defaultPodSpec(spec.jobTemplate.spec.template.spec);
      return;
    case 'Pod':
      if (!spec) return;
      defaultPodSpec(spec);
      setDefault(spec, 'enableServiceLinks', true);
      setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
      setDefault(spec, 'priority', 0);
      setDefault(spec, 'serviceAccountName', 'default');
      setDefault(spec, 'serviceAccount', spec.serviceAccountName);
      if (!Array.isArray(spec.tolerations)) spec.tolerations = [];
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
        if (!spec.tolerations.some((x: Obj) => x?.key === key)) spec.tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
      return;
    case 'Service':
      defaultService(o, old, ctx);
      return;
    case 'Namespace':
      o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
      if (!isObj(o.spec)) o.spec = {};
      setDefault(o.spec, 'finalizers', ['kubernetes']);
      if (!isObj(o.status)) o.status = {};
      setDefault(o.status, 'phase', 'Active');
      return;
    case 'Secret':
      setDefault(o, 'type', 'Opaque');
      if (isObj(o.stringData)) {
        o.data = { ...(isObj(o.data) ? o.data : {}) };
        for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        delete o.stringData;
      }
      return;
    case 'PersistentVolumeClaim':
      if (!spec) return;
      setDefault(spec, 'volumeMode', 'Filesystem');
      if (spec.storageClassName === undefined && !old) {
        const sc = ctx.defaultStorageClass();
        if (sc) spec.storageClassName = sc;
      }
      if (!isObj(o.status)) o.status = { phase: 'Pending' };
      return;
    case 'PersistentVolume':
      if (!spec) return;
      setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
      setDefault(spec, 'volumeMode', 'Filesystem');
      return;
    case 'StorageClass':
      setDefault(o, 'reclaimPolicy', 'Delete');
      setDefault(o, 'volumeBindingMode', 'Immediate');
      return;
    case 'PriorityClass':
      setDefault(o, 'preemptionPolicy', 'PreemptLowerPriority');
      return;
    case 'NetworkPolicy':
      if (!spec) return;
      if (spec.policyTypes === undefined) spec.policyTypes = spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
      for (const dir of ['ingress', 'egress'])
        if (Array.isArray(spec[dir])) for (const r of spec[dir]) if (isObj(r) && Array.isArray(r.ports)) for (const p of r.ports) if (isObj(p)) setDefault(p, 'protocol', 'TCP');
      return;
    case 'HorizontalPodAutoscaler':
      if (!spec) return;
      setDefault(spec, 'minReplicas', 1);
      if (spec.metrics === undefined)
        spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      return;
    case 'ServiceAccount':
    case 'ConfigMap':
    default:
      return;
  }
}

function defaultService(o: Obj, old: Obj | undefined, ctx: DefaultingContext): void {
  if (!isObj(o.spec)) o.spec = {};
  const spec = o.spec;
  const oldSpec: Obj = isObj(old?.spec) ? old!.spec : {};
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.type === 'ExternalName') return;
  if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = oldSpec.clusterIP ?? ctx.allocateClusterIP();
  if (spec.clusterIPs === undefined || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 0))
    spec.clusterIPs = oldSpec.clusterIP === spec.clusterIP && Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs : [spec.clusterIP];
  setDefault(spec, 'ipFamilies', oldSpec.ipFamilies ?? ['IPv4']);
  setDefault(spec, 'ipFamilyPolicy', oldSpec.ipFamilyPolicy ?? 'SingleStack');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  const needsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  }
  if (Array.isArray(spec.ports))
    for (const p of spec.ports) {
      if (!isObj(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      if (p.targetPort === undefined) p.targetPort = p.port;
      if (needsNodePorts && p.nodePort === undefined) {
        const prev = (oldSpec.ports as Obj[] | undefined)?.find((q) => q?.port === p.port && (q?.protocol ?? 'TCP') === p.protocol);
        p.nodePort = prev?.nodePort ?? ctx.allocateNodePort();
      }
      if (!needsNodePorts && spec.type === 'ClusterIP') delete p.nodePort;
    }
  if (!isObj(o.status)) o.status = { loadBalancer: {} };
}

// ------------------------------------------------------------------ validation

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAMES = new Set(['Namespace', 'Pod' /* subdomain really, kept lax below */]);

export function validateName(t: ResourceType, name: string): Cause[] {
  if (t.kind === 'Service') {
    if (name.length > 63 || !DNS_1035.test(name))
      return [fieldInvalid('metadata.name', name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")];
    return [];
  }
  if (t.kind === 'Namespace' && (name.length > 63 || !DNS_LABEL.test(name)))
    return [fieldInvalid('metadata.name', name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")];
  if (t.group === 'rbac.authorization.k8s.io') return name.includes('/') || name.includes('%') ? [fieldInvalid('metadata.name', name, 'may not contain "/" or "%"')] : [];
  if (!LABEL_NAMES.has(t.kind) && (name.length > 253 || !DNS_SUBDOMAIN.test(name)))
    return [fieldInvalid('metadata.name', name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")];
  return [];
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUALIFIED_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateKey(field: string, key: string, causes: Cause[]): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !QUALIFIED_PREFIX.test(prefix)))
    causes.push(fieldInvalid(field, key, 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character'));
  else if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name))
    causes.push(
      fieldInvalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
    );
}

/** Labels and annotations: qualified keys, label values, the 256 KiB annotation budget. */
export function validateMetadata(meta: Obj): Cause[] {
  const causes: Cause[] = [];
  for (const [k, v] of Object.entries((meta.labels ?? {}) as Obj)) {
    validateKey('metadata.labels', k, causes);
    const val = String(v ?? '');
    if (val.length > 63) causes.push(fieldInvalid('metadata.labels', val, 'must be no more than 63 characters'));
    else if (val !== '' && !LABEL_NAME.test(val))
      causes.push(fieldInvalid('metadata.labels', val, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
  }
  let size = 0;
  for (const [k, v] of Object.entries((meta.annotations ?? {}) as Obj)) {
    validateKey('metadata.annotations', k, causes);
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v ?? ''));
  }
  if (size > 262144) causes.push({ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 262144 bytes', field: 'metadata.annotations' });
  return causes;
}

function validatePodSpec(spec: unknown, path: string, causes: Cause[]): void {
  if (!isObj(spec)) {
    causes.push(fieldRequired(`${path}.containers`));
    return;
  }
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    causes.push(fieldRequired(`${path}.containers`));
    return;
  }
  spec.containers.forEach((c: unknown, i: number) => {
    if (!isObj(c) || !c.name) causes.push(fieldRequired(`${path}.containers[${i}].name`));
    if (!isObj(c) || !c.image) causes.push(fieldRequired(`${path}.containers[${i}].image`));
  });
}

function validateWorkload(o: Obj, old: Obj | undefined, causes: Cause[], requireSelector: boolean): void {
  const spec = o.spec;
  if (!isObj(spec)) {
    causes.push(fieldRequired('spec'));
    return;
  }
  const labels = spec.template?.metadata?.labels;
  if (requireSelector) {
    if (!isObj(spec.selector)) causes.push(fieldRequired('spec.selector'));
    else if (Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length === 0)
      causes.push(fieldInvalid('spec.selector', spec.selector, 'empty selector is invalid for deployment'));
    else if (!selectorMatches(spec.selector, labels)) causes.push(fieldInvalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
    if (old && isObj(old.spec) && !deepEqual(old.spec.selector, spec.selector)) causes.push(fieldImmutable('spec.selector', spec.selector));
  }
  validatePodSpec(spec.template?.spec, 'spec.template.spec', causes);
}

export function validate(t: ResourceType, o: Obj, old: Obj | undefined): Cause[] {
  const causes: Cause[] = [];
  if (t.custom) return causes;
  switch (t.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      validateWorkload(o, old, causes, true);
      if (t.kind === 'StatefulSet' && old && isObj(old.spec) && isObj(o.spec)) {
        const forbidden = ['serviceName', 'volumeClaimTemplates', 'podManagementPolicy'].filter((k) => !deepEqual(old.spec[k], o.spec[k]));
        if (forbidden.length)
          causes.push(fieldForbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
      }
      break;
    case 'ReplicationController':
      validateWorkload(o, old, causes, false);
      break;
    case 'Pod':
      validatePodSpec(o.spec, 'spec', causes);
      break;
    case 'Job': {
      const spec = o.spec;
      if (!isObj(spec) || !isObj(spec.template)) {
        causes.push(fieldRequired('spec.template'));
        break;
      }
      validatePodSpec(spec.template.spec, 'spec.template.spec', causes);
      const rp = spec.template.spec?.restartPolicy;
      if (rp !== 'Never' && rp !== 'OnFailure') causes.push(fieldNotSupported('spec.template.spec.restartPolicy', rp, ['OnFailure', 'Never']));
      if (old && isObj(old.spec)) {
        const strip = (tpl: unknown): unknown => tpl;
        if (!deepEqual(strip(old.spec.template), strip(spec.template)) && !spec.suspend) causes.push(fieldImmutable('spec.template', spec.template));
        if (!deepEqual(old.spec.selector, spec.selector)) causes.push(fieldImmutable('spec.selector', spec.selector));
        if (old.spec.completions !== spec.completions) causes.push(fieldImmutable('spec.completions', spec.completions));
      }
      break;
    }
    case 'CronJob':
      if (!isObj(o.spec) || !o.spec.schedule) causes.push(fieldRequired('spec.schedule'));
      if (!isObj(o.spec?.jobTemplate)) causes.push(fieldRequired('spec.jobTemplate'));
      break;
    case 'Service': {
      const spec = o.spec ?? {};
      const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
      if (!types.includes(spec.type)) causes.push(fieldNotSupported('spec.type', spec.type, types));
      if (spec.type === 'ExternalName' && !spec.externalName) causes.push(fieldRequired('spec.externalName'));
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && (!Array.isArray(spec.ports) || spec.ports.length === 0)) causes.push(fieldRequired('spec.ports'));
      if (Array.isArray(spec.ports))
        spec.ports.forEach((p: Obj, i: number) => {
          if (!isObj(p) || typeof p.port !== 'number') causes.push(fieldRequired(`spec.ports[${i}].port`));
          else if (p.port < 1 || p.port > 65535) causes.push(fieldInvalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
          if (spec.ports.length > 1 && isObj(p) && !p.name) causes.push(fieldRequired(`spec.ports[${i}].name`));
        });
      if (old && old.spec?.clusterIP && spec.clusterIP !== old.spec.clusterIP && old.spec.type !== 'ExternalName' && spec.type !== 'ExternalName')
        causes.push(fieldInvalid('spec.clusterIPs[0]', spec.clusterIP, 'may not change once set'));
      break;
    }
    case 'Secret':
      if (isObj(o.data))
        for (const [k, v] of Object.entries(o.data))
          if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) causes.push(fieldInvalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
      if (old && old.type !== o.type) causes.push(fieldImmutable('type', o.type));
      if (old?.immutable && !deepEqual(old.data, o.data)) causes.push(fieldForbidden('data', 'field is immutable when `immutable` is set'));
      break;
    case 'ConfigMap':
      if (old?.immutable && (!deepEqual(old.data, o.data) || !deepEqual(old.binaryData, o.binaryData)))
        causes.push(fieldForbidden('data', 'field is immutable when `immutable` is set'));
      break;
    case 'PersistentVolumeClaim':
      if (!isObj(o.spec) || !Array.isArray(o.spec.accessModes) || o.spec.accessModes.length === 0) causes.push(fieldRequired('spec.accessModes'));
      if (!isObj(o.spec?.resources?.requests) || o.spec.resources.requests.storage === undefined) causes.push(fieldRequired('spec.resources[storage]'));
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      if (!isObj(o.roleRef)) causes.push(fieldRequired('roleRef'));
      else if (old && !deepEqual(old.roleRef, o.roleRef)) causes.push(fieldInvalid('roleRef', o.roleRef, 'cannot change roleRef'));
      break;
    case 'Ingress':
      if (isObj(o.spec) && Array.isArray(o.spec.rules))
        o.spec.rules.forEach((r: Obj, i: number) =>
          (r?.http?.paths ?? []).forEach((p: Obj, j: number) => {
            if (!p?.pathType) causes.push(fieldRequired(`spec.rules[${i}].http.paths[${j}].pathType`, 'pathType must be specified'));
          }),
        );
      break;
    default:
      break;
  }
  return causes;
}

/** Does this change move metadata.generation? */
export function generationChanged(t: ResourceType, old: Obj, neu: Obj): boolean {
  if (!t.generation) return false;
  const strip = (o: Obj): Obj => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  if (!deepEqual(strip(old), strip(neu))) return true;
  if (t.kind === 'Deployment' && !deepEqual(old.metadata?.annotations ?? {}, neu.metadata?.annotations ?? {})) return true;
  return false;
}
