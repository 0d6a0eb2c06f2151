// One virtual cluster: its store, the resource types it serves (built-ins plus established CRDs), address
// allocators and fault settings.
import { randomUUID } from 'node:crypto';
import { FaultState } from './faults.js';
import { BUILTIN_TYPES, keyOf, resourceKey, typeFromCRD, type ResourceType } from './resources.js';
import { ClusterStore, objectKey } from './store.js';
import { isObj, nowRfc3339, type Obj } from './util.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1',
  gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T08:19:08Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export class Cluster {
  readonly store: ClusterStore;
  readonly faults = new FaultState();
  private readonly types = new Map<string, ResourceType>();
  /** Bumped whenever the set of served types changes (discovery documents are cached per generation). */
  discoveryGeneration = 0;
  private readonly usedIPs = new Set<string>();
  private nextIP = 10;
  private readonly usedNodePorts = new Set<number>();
  readonly cache = new Map<string, string>();

  constructor(readonly name: string) {
    this.store = new ClusterStore(name);
    for (const t of BUILTIN_TYPES) this.types.set(keyOf(t), t);
  }

  /** The type served at group/version/plural (undefined when not served). */
  typeFor(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.types.get(resourceKey(group, plural));
    return t && t.versions.includes(version) ? t : undefined;
  }

  typeByKey(rk: string): ResourceType | undefined {
    return this.types.get(rk);
  }

  typeByKind(group: string, kind: string): ResourceType | undefined {
    for (const t of this.types.values()) if (t.group === group && t.kind === kind) return t;
    return undefined;
  }

  allTypes(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Serve (or stop serving) the custom resource a CRD defines, according to its current state. */
  syncCRD(crd: Obj | null, name: string): void {
    for (const [rk, t] of this.types)
      if (t.custom && t.crd?.metadata?.name === name) {
        this.types.delete(rk);
      }
    if (crd) {
      const established = (crd.status?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Established' && c.status === 'True');
      const t = typeFromCRD(crd);
      if (t && established && !this.types.has(keyOf(t))) this.types.set(keyOf(t), t);
    }
    this.discoveryGeneration++;
    this.cache.clear();
  }

  allocateClusterIP(): string {
    for (;;) {
      const n = this.nextIP++;
      const ip = `10.96.${(n >> 8) & 0xff}.${n & 0xff}`;
      if ((n & 0xff) === 0 || (n & 0xff) === 255) continue;
      if (!this.usedIPs.has(ip)) {
        this.usedIPs.add(ip);
        return ip;
      }
    }
  }

  allocateNodePort(): number {
    for (;;) {
      const p = 30000 + Math.floor(Math.random() * 2768);
      if (!this.usedNodePorts.has(p)) {
        this.usedNodePorts.add(p);
        return p;
      }
    }
  }

  defaultStorageClass(): string | undefined {
    for (const sc of this.store.list('storage.k8s.io/storageclasses'))
      if (sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true') return sc.metadata.name;
    return undefined;
  }

  /** Note addresses already in use (after restoring a snapshot). */
  reserveFrom(svc: Obj): void {
    const spec = svc.spec;
    if (!isObj(spec)) return;
    for (const ip of (spec.clusterIPs as string[] | undefined) ?? [spec.clusterIP]) if (typeof ip === 'string') this.usedIPs.add(ip);
    for (const p of (spec.ports as Obj[] | undefined) ?? []) if (typeof p?.nodePort === 'number') this.usedNodePorts.add(p.nodePort);
  }

  /** Objects a fresh cluster has: system namespaces, the kubernetes Service, a node, a default StorageClass. */
  bootstrap(): void {
    const now = nowRfc3339();
    const meta = (name: string, namespace?: string, extra: Obj = {}): Obj => ({
      name,
      ...(namespace ? { namespace } : {}),
      uid: randomUUID(),
      creationTimestamp: now,
      ...extra,
    });
    const put = (rk: string, obj: Obj): void => {
      this.store.write(rk, objectKey(obj.metadata.namespace, obj.metadata.name), obj);
    };
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      put('/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: meta(ns, undefined, { labels: { 'kubernetes.io/metadata.name': ns } }),
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    this.usedIPs.add('10.96.0.1');
    put('/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kubernetes', 'default', { labels: { component: 'apiserver', provider: 'kubernetes' } }),
      spec: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    });
    this.usedIPs.add('10.96.0.10');
    put('/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kube-dns', 'kube-system', { labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } }),
      spec: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    });
    put('/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(`${this.name}-control-plane`, undefined, {
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': `${this.name}-control-plane`,
          'kubernetes.io/os': 'linux',
          'node-role.kubernetes.io/control-plane': '',
          'topology.kubernetes.io/region': this.name,
          'topology.kubernetes.io/zone': `${this.name}-a`,
        },
      }),
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
      status: {
        addresses: [
          { address: '172.18.0.2', type: 'InternalIP' },
          { address: `${this.name}-control-plane`, type: 'Hostname' },
        ],
        allocatable: { cpu: '8', 'ephemeral-storage': '100Gi', memory: '32Gi', pods: '110' },
        capacity: { cpu: '8', 'ephemeral-storage': '100Gi', memory: '32Gi', pods: '110' },
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now },
        ],
        nodeInfo: {
          architecture: 'amd64',
          containerRuntimeVersion: 'containerd://2.1.1',
          kernelVersion: '6.8.0',
          kubeProxyVersion: SERVER_VERSION.gitVersion,
          kubeletVersion: SERVER_VERSION.gitVersion,
          operatingSystem: 'linux',
          osImage: 'bosun sandbox',
          machineID: '',
          systemUUID: '',
          bootID: '',
        },
      },
    });
    put('storage.k8s.io/storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta('standard', undefined, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
    for (const [name, value] of [
      ['system-cluster-critical', 2000000000],
      ['system-node-critical', 2000001000],
    ] as const)
      put('scheduling.k8s.io/priorityclasses', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: meta(name),
        value,
        preemptionPolicy: 'PreemptLowerPriority',
        description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
      });
  }
}
