// Server-side printing: the meta.k8s.io/v1 Table answers `kubectl get` asks for (Accept ...;as=Table), with the
// usual columns of the common kinds and a CRD's additionalPrinterColumns.
import type { ResourceType } from './resources.js';
import { isObj, type Obj } from './util.js';

export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0]!.replace(/\s+/g, '');
  return first.includes('as=Table') && first.includes('g=meta.k8s.io');
}

export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) return `${Math.floor(hours / 24 / 365)}y${Math.floor(hours / 24) % 365}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: Obj): string => (o.metadata?.creationTimestamp ? humanDuration(Date.now() - Date.parse(o.metadata.creationTimestamp)) : '<unknown>');

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description?: string;
  cell: (o: Obj) => unknown;
}

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', cell: (o) => o.metadata?.name };
const AGE: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', cell: age };
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const col = (name: string, type: string, cell: (o: Obj) => unknown, priority = 0): Column => ({ name, type, cell, priority });

function podStatus(o: Obj): string {
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  const cs = (o.status?.containerStatuses ?? []) as Obj[];
  for (const c of cs) {
    if (c.state?.waiting?.reason) return c.state.waiting.reason;
    if (c.state?.terminated?.reason && o.status?.phase !== 'Succeeded') return c.state.terminated.reason;
  }
  if (o.status?.phase === 'Succeeded') return 'Completed';
  if (o.status?.phase === 'Failed') return 'Error';
  return o.status?.reason ?? o.status?.phase ?? 'Pending';
}

function servicePorts(o: Obj): string {
  const ports = (o.spec?.ports ?? []) as Obj[];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIP(o: Obj): string {
  const t = o.spec?.type;
  if (t === 'ExternalName') return o.spec?.externalName ?? '<none>';
  if (t === 'LoadBalancer') {
    const ing = ((o.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip ?? i.hostname).filter(Boolean);
    return ing.length ? ing.join(',') : '<pending>';
  }
  return (o.spec?.externalIPs ?? []).join(',') || '<none>';
}

function cond(o: Obj, type: string): Obj | undefined {
  return ((o.status?.conditions ?? []) as Obj[]).find((c) => c.type === type);
}

function jobStatus(o: Obj): string {
  if (cond(o, 'Complete')?.status === 'True') return 'Complete';
  if (cond(o, 'Failed')?.status === 'True') return 'Failed';
  if (o.spec?.suspend) return 'Suspended';
  return 'Running';
}

function jobDuration(o: Obj): string {
  const s = o.status?.startTime;
  if (!s) return '';
  const e = o.status?.completionTime ? Date.parse(o.status.completionTime) : Date.now();
  return humanDuration(e - Date.parse(s));
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    col('Ready', 'string', (o) => `${((o.status?.containerStatuses ?? []) as Obj[]).filter((c) => c.ready).length}/${(o.spec?.containers ?? []).length}`),
    col('Status', 'string', podStatus),
    col('Restarts', 'string', (o) => String(((o.status?.containerStatuses ?? []) as Obj[]).reduce((a, c) => a + n(c.restartCount), 0))),
    AGE,
    col('IP', 'string', (o) => o.status?.podIP ?? '<none>', 1),
    col('Node', 'string', (o) => o.spec?.nodeName ?? '<none>', 1),
  ],
  Deployment: [
    NAME,
    col('Ready', 'string', (o) => `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas)}`),
    col('Up-to-date', 'integer', (o) => n(o.status?.updatedReplicas)),
    col('Available', 'integer', (o) => n(o.status?.availableReplicas)),
    AGE,
    col('Containers', 'string', (o) => ((o.spec?.template?.spec?.containers ?? []) as Obj[]).map((c) => c.name).join(','), 1),
    col('Images', 'string', (o) => ((o.spec?.template?.spec?.containers ?? []) as Obj[]).map((c) => c.image).join(','), 1),
  ],
  ReplicaSet: [NAME, col('Desired', 'integer', (o) => n(o.spec?.replicas)), col('Current', 'integer', (o) => n(o.status?.replicas)), col('Ready', 'integer', (o) => n(o.status?.readyReplicas)), AGE],
  StatefulSet: [NAME, col('Ready', 'string', (o) => `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas)}`), AGE],
  DaemonSet: [
    NAME,
    col('Desired', 'integer', (o) => n(o.status?.desiredNumberScheduled)),
    col('Current', 'integer', (o) => n(o.status?.currentNumberScheduled)),
    col('Ready', 'integer', (o) => n(o.status?.numberReady)),
    col('Up-to-date', 'integer', (o) => n(o.status?.updatedNumberScheduled)),
    col('Available', 'integer', (o) => n(o.status?.numberAvailable)),
    col('Node Selector', 'string', (o) => Object.entries(o.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'),
    AGE,
  ],
  Service: [NAME, col('Type', 'string', (o) => o.spec?.type), col('Cluster-IP', 'string', (o) => o.spec?.clusterIP ?? '<none>'), col('External-IP', 'string', externalIP), col('Port(s)', 'string', servicePorts), AGE],
  ConfigMap: [NAME, col('Data', 'integer', (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length), AGE],
  Secret: [NAME, col('Type', 'string', (o) => o.type), col('Data', 'integer', (o) => Object.keys(o.data ?? {}).length), AGE],
  ServiceAccount: [NAME, col('Secrets', 'integer', (o) => (o.secrets ?? []).length), AGE],
  Namespace: [NAME, col('Status', 'string', (o) => o.status?.phase), AGE],
  Job: [NAME, col('Status', 'string', jobStatus), col('Completions', 'string', (o) => `${n(o.status?.succeeded)}/${o.spec?.completions ?? 1}`), col('Duration', 'string', jobDuration), AGE],
  CronJob: [NAME, col('Schedule', 'string', (o) => o.spec?.schedule), col('Timezone', 'string', (o) => o.spec?.timeZone ?? '<none>'), col('Suspend', 'boolean', (o) => !!o.spec?.suspend), col('Active', 'integer', (o) => (o.status?.active ?? []).length), col('Last Schedule', 'string', (o) => (o.status?.lastScheduleTime ? humanDuration(Date.now() - Date.parse(o.status.lastScheduleTime)) : '<none>')), AGE],
  PersistentVolumeClaim: [
    NAME,
    col('Status', 'string', (o) => o.status?.phase ?? 'Pending'),
    col('Volume', 'string', (o) => o.spec?.volumeName ?? ''),
    col('Capacity', 'string', (o) => o.status?.capacity?.storage ?? ''),
    col('Access Modes', 'string', (o) => ((o.status?.accessModes ?? []) as string[]).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[m] ?? m).join(',')),
    col('StorageClass', 'string', (o) => o.spec?.storageClassName ?? '<unset>'),
    AGE,
  ],
  Node: [
    NAME,
    col('Status', 'string', (o) => (cond(o, 'Ready')?.status === 'True' ? 'Ready' : 'NotReady')),
    col('Roles', 'string', (o) => Object.keys(o.metadata?.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24)).join(',') || '<none>'),
    AGE,
    col('Version', 'string', (o) => o.status?.nodeInfo?.kubeletVersion ?? ''),
  ],
  Ingress: [
    NAME,
    col('Class', 'string', (o) => o.spec?.ingressClassName ?? '<none>'),
    col('Hosts', 'string', (o) => ((o.spec?.rules ?? []) as Obj[]).map((r) => r.host ?? '*').join(',') || '*'),
    col('Address', 'string', (o) => ((o.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip ?? i.hostname).join(',')),
    col('Ports', 'string', (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80')),
    AGE,
  ],
  CustomResourceDefinition: [NAME, col('Created At', 'date', (o) => o.metadata?.creationTimestamp)],
  HorizontalPodAutoscaler: [
    NAME,
    col('Reference', 'string', (o) => `${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}`),
    col('MinPods', 'string', (o) => String(o.spec?.minReplicas ?? 1)),
    col('MaxPods', 'integer', (o) => n(o.spec?.maxReplicas)),
    col('Replicas', 'integer', (o) => n(o.status?.currentReplicas)),
    AGE,
  ],
  PodDisruptionBudget: [NAME, col('Min Available', 'string', (o) => String(o.spec?.minAvailable ?? 'N/A')), col('Max Unavailable', 'string', (o) => String(o.spec?.maxUnavailable ?? 'N/A')), col('Allowed Disruptions', 'integer', (o) => n(o.status?.disruptionsAllowed)), AGE],
  Event: [
    col('Last Seen', 'string', (o) => (o.lastTimestamp ? humanDuration(Date.now() - Date.parse(o.lastTimestamp)) : age(o))),
    col('Type', 'string', (o) => o.type),
    col('Reason', 'string', (o) => o.reason),
    col('Object', 'string', (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}`),
    col('Message', 'string', (o) => o.message),
  ],
};

function jsonPath(o: Obj, path: string): unknown {
  const p = path.replace(/^\{?\.?/, '').replace(/\}$/, '');
  let cur: unknown = o;
  for (const seg of p.split(/\.(?![^[]*\])/)) {
    if (!seg) continue;
    const m = /^([^[]*)(?:\[(\d+)\])?$/.exec(seg);
    if (!m) return undefined;
    if (m[1]) cur = isObj(cur) ? cur[m[1]] : undefined;
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  return cur;
}

function columnsFor(t: ResourceType): Column[] {
  if (t.custom) {
    const pcs = (t.printerColumns ?? []) as Obj[];
    if (!pcs.length) return [NAME, AGE];
    return [
      NAME,
      ...pcs.map((pc) => ({
        name: String(pc.name),
        type: String(pc.type ?? 'string'),
        priority: Number(pc.priority ?? 0),
        description: pc.description,
        cell: (o: Obj) => {
          const v = jsonPath(o, String(pc.jsonPath ?? ''));
          if (pc.type === 'date' && typeof v === 'string') return humanDuration(Date.now() - Date.parse(v));
          return v === undefined ? null : Array.isArray(v) || isObj(v) ? JSON.stringify(v) : v;
        },
      })),
      ...(pcs.some((pc) => pc.name === 'Age') ? [] : [AGE]),
    ];
  }
  return COLUMNS[t.kind] ?? [NAME, AGE];
}

function rowObject(o: Obj, include: string): Obj | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(t: ResourceType, objects: Obj[], listMeta: Obj, includeObject: string | null, withHeaders = true): Obj {
  const cols = columnsFor(t);
  const include = includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withHeaders ? cols.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })) : [],
    rows: objects.map((o) => {
      const row: Obj = { cells: cols.map((c) => c.cell(o) ?? '') };
      const obj = rowObject(o, include);
      if (obj) row.object = obj;
      return row;
    }),
  };
}
