// Simulated controllers, so that waits finish: deployments → replica sets → pods, stateful sets, daemon sets, jobs
// (complete, or fail when annotated sandbox.bosun.dev/fail: "true"), a kubelet that runs pods, PVC binding,
// load balancer addresses, the namespace lifecycle and garbage collection through ownerReferences.
import { commitWrite, deleteStored, maybeFinishNamespace } from './api.js';
import type { Cluster } from './cluster.js';
import { keyOf, type ResourceType } from './resources.js';
import { objectKey, type StoreEvent } from './store.js';
import { clone, isObj, nowRfc3339, randomSuffix, shortHash, type Obj } from './util.js';

export const FAIL_ANNOTATION = 'sandbox.bosun.dev/fail';

const RK = {
  pods: '/pods',
  namespaces: '/namespaces',
  services: '/services',
  pvcs: '/persistentvolumeclaims',
  serviceaccounts: '/serviceaccounts',
  configmaps: '/configmaps',
  deployments: 'apps/deployments',
  replicasets: 'apps/replicasets',
  statefulsets: 'apps/statefulsets',
  daemonsets: 'apps/daemonsets',
  jobs: 'batch/jobs',
  crds: 'apiextensions.k8s.io/customresourcedefinitions',
};

const OWNER_KIND_RK: Record<string, string> = {
  ReplicaSet: RK.replicasets,
  Deployment: RK.deployments,
  StatefulSet: RK.statefulsets,
  DaemonSet: RK.daemonsets,
  Job: RK.jobs,
};

/** Metadata without the owner reference to `uid`; an emptied list is dropped, as the API server omits an empty ownerReferences. */
function withoutOwner(metadata: Obj, uid: string): Obj {
  const md = clone(metadata);
  const refs = ((md.ownerReferences ?? []) as Obj[]).filter((r) => r.uid !== uid);
  if (refs.length > 0) md.ownerReferences = refs;
  else delete md.ownerReferences;
  return md;
}

function condition(prev: Obj[] | undefined, type: string, status: string, reason: string, message: string, now: string, withUpdate = true): Obj {
  const old = prev?.find((c) => c.type === type);
  const same = old && old.status === status;
  const c: Obj = { type, status };
  if (withUpdate) c.lastUpdateTime = same && old!.reason === reason && old!.message === message ? old!.lastUpdateTime ?? now : now;
  c.lastTransitionTime = same ? old!.lastTransitionTime ?? now : now;
  c.reason = reason;
  c.message = message;
  return c;
}

function isControlledBy(o: Obj, uid: string): boolean {
  return ((o.metadata?.ownerReferences ?? []) as Obj[]).some((r) => r.uid === uid && r.controller === true);
}

function ownerRef(apiVersion: string, kind: string, owner: Obj): Obj {
  return { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function podReady(p: Obj): boolean {
  return p.status?.phase === 'Running' && ((p.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

function intOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export class Controllers {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly owners = new Map<string, Set<string>>(); // owner uid → "rk|key" of dependents
  private unsubscribe?: () => void;
  private stopped = false;
  private podIP = 10;

  constructor(
    private readonly cluster: Cluster,
    private readonly delayMs: number,
    private readonly caPem: string,
  ) {}

  start(): void {
    // Index what exists already (restored state), then reconcile everything once.
    for (const rk of this.cluster.store.resourceKeys()) for (const o of this.cluster.store.list(rk)) this.index(rk, undefined, o);
    this.unsubscribe = this.cluster.store.subscribe((ev) => this.onEvent(ev));
    for (const rk of [RK.namespaces, RK.deployments, RK.replicasets, RK.statefulsets, RK.daemonsets, RK.jobs, RK.pods, RK.pvcs, RK.services])
      for (const o of this.cluster.store.list(rk)) this.enqueue(rk, objectKey(o.metadata.namespace, o.metadata.name), 0);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }

  // ---------------------------------------------------------------- plumbing

  private readonly uids = new Map<string, string>(); // uid → "rk|key"
  private eventSeq = 0;
  private readonly eventKeys: string[] = [];

  private index(rk: string, prev: Obj | undefined, obj: Obj | undefined): void {
    const key = (o: Obj): string => `${rk}|${objectKey(o.metadata?.namespace, o.metadata?.name)}`;
    if (prev?.metadata?.uid && !obj) this.uids.delete(prev.metadata.uid);
    if (obj?.metadata?.uid) this.uids.set(obj.metadata.uid, key(obj));
    for (const r of (prev?.metadata?.ownerReferences ?? []) as Obj[]) this.owners.get(r.uid)?.delete(key(prev!));
    for (const r of (obj?.metadata?.ownerReferences ?? []) as Obj[]) {
      let s = this.owners.get(r.uid);
      if (!s) this.owners.set(r.uid, (s = new Set()));
      s.add(key(obj!));
    }
  }

  private enqueue(rk: string, key: string, delay: number): void {
    if (this.stopped) return;
    const id = `${rk}|${key}`;
    if (this.pending.has(id)) return;
    const t = setTimeout(() => {
      this.pending.delete(id);
      if (this.stopped) return;
      try {
        this.reconcile(rk, key);
      } catch (e) {
        process.emitWarning(`sandbox controller ${rk} ${key}: ${(e as Error).stack ?? e}`);
      }
    }, delay);
    this.pending.set(id, t);
  }

  private onEvent(ev: StoreEvent): void {
    this.index(ev.rk, ev.prev, ev.type === 'DELETED' ? undefined : ev.obj);
    const o = ev.obj;
    const ns = o.metadata?.namespace as string | undefined;
    // Wake the controlling owner.
    for (const r of (o.metadata?.ownerReferences ?? []) as Obj[]) {
      const ork = OWNER_KIND_RK[r.kind];
      if (ork && r.controller) this.enqueue(ork, objectKey(ns, r.name), 0);
    }
    if (ev.type === 'DELETED') {
      this.collectDependents(o.metadata.uid);
      // An owner waiting on foreground deletion may be done now.
      for (const r of (o.metadata?.ownerReferences ?? []) as Obj[]) this.wakeOwnerByUid(r.uid);
      if (ns) {
        const nsObj = this.cluster.store.get(RK.namespaces, ns);
        if (nsObj?.metadata?.deletionTimestamp) this.enqueue(RK.namespaces, ns, 0);
      }
      return;
    }
    const fin: string[] = o.metadata?.finalizers ?? [];
    if (o.metadata?.deletionTimestamp && (fin.includes('foregroundDeletion') || fin.includes('orphan'))) this.enqueue(`gc:${ev.rk}`, ev.key, 0);
    switch (ev.rk) {
      case RK.namespaces:
        this.enqueue(ev.rk, ev.key, o.metadata?.deletionTimestamp ? this.delayMs : 0);
        break;
      case RK.deployments:
      case RK.replicasets:
      case RK.statefulsets:
      case RK.daemonsets:
      case RK.jobs:
        this.enqueue(ev.rk, ev.key, 0);
        break;
      case RK.pods:
      case RK.pvcs:
      case RK.services:
        this.enqueue(ev.rk, ev.key, this.delayMs);
        break;
      case RK.crds:
        if (o.metadata?.deletionTimestamp) this.enqueue(ev.rk, ev.key, this.delayMs);
        break;
      default:
        break;
    }
  }

  private wakeOwnerByUid(uid: string): void {
    const id = this.uids.get(uid);
    if (!id) return;
    const i = id.indexOf('|');
    const rk = id.slice(0, i);
    const key = id.slice(i + 1);
    if (this.cluster.store.get(rk, key)?.metadata?.deletionTimestamp) this.enqueue(`gc:${rk}`, key, 0);
  }

  private type(rk: string): ResourceType {
    return this.cluster.typeByKey(rk)!;
  }

  private write(rk: string, old: Obj | undefined, next: Obj, manager: string, sub?: string): Obj | undefined {
    const t = this.type(rk);
    try {
      return commitWrite(this.cluster, t, t.versions[0]!, old, next, { manager, sub, dryRun: false, fieldValidation: 'Ignore', warnings: [] }).obj;
    } catch (e) {
      process.emitWarning(`sandbox controller could not write ${rk} ${next.metadata?.name}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private setStatus(rk: string, old: Obj, status: Obj, manager = 'kube-controller-manager'): void {
    this.write(rk, old, { ...old, status }, manager, 'status');
  }

  private create(rk: string, obj: Obj, manager = 'kube-controller-manager'): Obj | undefined {
    const ns = obj.metadata?.namespace;
    if (ns) {
      const nsObj = this.cluster.store.get(RK.namespaces, ns);
      if (!nsObj || nsObj.metadata?.deletionTimestamp) return undefined;
    }
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomSuffix();
    if (this.cluster.store.get(rk, objectKey(ns, obj.metadata.name))) return undefined;
    return this.write(rk, undefined, obj, manager);
  }

  /** Record a core/v1 Event about an object (what `kubectl describe` and `kubectl get events` show). */
  private event(involved: Obj, reason: string, message: string, component: string, type = 'Normal'): void {
    const ns = involved.metadata?.namespace ?? 'default';
    const now = nowRfc3339();
    const t = this.cluster.typeByKind(String(involved.apiVersion ?? '').includes('/') ? String(involved.apiVersion).split('/')[0]! : '', String(involved.kind));
    const created = this.create('/events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.metadata.name}.${(BigInt(Date.now()) * 1000000n + BigInt(this.eventSeq++ % 1000000)).toString(16)}`, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion ?? (t ? (t.group ? `${t.group}/${t.versions[0]}` : t.versions[0]) : 'v1'),
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: ns,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    }, component);
    // Like the API server's event TTL, keep only the newest events.
    this.eventKeys.push(objectKey(ns, created?.metadata.name ?? ''));
    if (this.eventKeys.length > 1000) {
      const old = this.cluster.store.get('/events', this.eventKeys.shift()!);
      if (old) this.remove('/events', old);
    }
  }

  private remove(rk: string, o: Obj): void {
    const t = this.type(rk);
    deleteStored(this.cluster, t, t.versions[0]!, o, { dryRun: false, propagationPolicy: 'Background' });
  }

  private owned(rk: string, ns: string, uid: string): Obj[] {
    return this.cluster.store.list(rk, ns).filter((o) => isControlledBy(o, uid));
  }

  // ---------------------------------------------------------------- dispatch

  private reconcile(rk: string, key: string): void {
    if (rk.startsWith('gc:')) return this.reconcileDeleting(rk.slice(3), key);
    const o = this.cluster.store.get(rk, key);
    if (!o) return;
    switch (rk) {
      case RK.namespaces:
        return this.reconcileNamespace(o);
      case RK.deployments:
        return this.reconcileDeployment(o);
      case RK.replicasets:
        return this.reconcileReplicaSet(o);
      case RK.statefulsets:
        return this.reconcileStatefulSet(o);
      case RK.daemonsets:
        return this.reconcileDaemonSet(o);
      case RK.jobs:
        return this.reconcileJob(o);
      case RK.pods:
        return this.runPod(o);
      case RK.pvcs:
        return this.bindPVC(o);
      case RK.services:
        return this.loadBalancer(o);
      case RK.crds:
        return this.cleanupCRD(o);
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- garbage collection

  private dependents(uid: string): Array<[string, Obj]> {
    const out: Array<[string, Obj]> = [];
    for (const id of this.owners.get(uid) ?? []) {
      const i = id.indexOf('|');
      const rk = id.slice(0, i);
      const o = this.cluster.store.get(rk, id.slice(i + 1));
      if (o) out.push([rk, o]);
    }
    return out;
  }

  private collectDependents(uid: string): void {
    const deps = this.dependents(uid);
    if (!deps.length) return;
    setTimeout(() => {
      if (this.stopped) return;
      for (const [rk, o] of this.dependents(uid)) {
        const refs = (o.metadata.ownerReferences ?? []) as Obj[];
        // Only when no other owner remains.
        const others = refs.filter((r) => r.uid !== uid && this.ownerExists(r, o.metadata.namespace));
        if (others.length) {
          this.write(rk, o, { ...clone(o), metadata: withoutOwner(o.metadata, uid) }, 'kube-controller-manager');
          continue;
        }
        if (!o.metadata.deletionTimestamp) this.remove(rk, o);
      }
    }, 0);
  }

  private ownerExists(ref: Obj, ns: string | undefined): boolean {
    for (const rk of this.cluster.store.resourceKeys()) {
      const t = this.cluster.typeByKey(rk);
      if (!t || t.kind !== ref.kind) continue;
      const o = this.cluster.store.get(rk, objectKey(t.namespaced ? ns : undefined, ref.name));
      if (o && o.metadata.uid === ref.uid) return true;
    }
    return false;
  }

  private reconcileDeleting(rk: string, key: string): void {
    const o = this.cluster.store.get(rk, key);
    if (!o || !o.metadata?.deletionTimestamp) return;
    const fin: string[] = o.metadata.finalizers ?? [];
    const uid = o.metadata.uid;
    if (fin.includes('orphan')) {
      for (const [drk, d] of this.dependents(uid))
        this.write(drk, d, { ...clone(d), metadata: withoutOwner(d.metadata, uid) }, 'kube-controller-manager');
      this.write(rk, o, { ...clone(o), metadata: { ...clone(o.metadata), finalizers: fin.filter((f) => f !== 'orphan') } }, 'kube-controller-manager');
      return;
    }
    if (fin.includes('foregroundDeletion')) {
      const deps = this.dependents(uid);
      for (const [drk, d] of deps) {
        if (d.metadata.deletionTimestamp) continue;
        const t = this.type(drk);
        deleteStored(this.cluster, t, t.versions[0]!, d, { dryRun: false, propagationPolicy: 'Foreground' });
      }
      if (this.dependents(uid).length === 0) {
        const cur = this.cluster.store.get(rk, key);
        if (cur) this.write(rk, cur, { ...clone(cur), metadata: { ...clone(cur.metadata), finalizers: fin.filter((f) => f !== 'foregroundDeletion') } }, 'kube-controller-manager');
      }
    }
  }

  // ---------------------------------------------------------------- namespaces

  private reconcileNamespace(ns: Obj): void {
    const name = ns.metadata.name;
    if (!ns.metadata.deletionTimestamp) {
      if (!this.cluster.store.get(RK.serviceaccounts, `${name}/default`))
        this.create(RK.serviceaccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
      if (!this.cluster.store.get(RK.configmaps, `${name}/kube-root-ca.crt`))
        this.create(
          RK.configmaps,
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': this.caPem } },
          'kube-controller-manager',
        );
      return;
    }
    // Terminating: delete the contents, then let the namespace go.
    let remaining = 0;
    for (const t of this.cluster.allTypes()) {
      if (!t.namespaced || t.virtual) continue;
      for (const o of this.cluster.store.list(keyOf(t), name)) {
        remaining++;
        if (!o.metadata.deletionTimestamp) deleteStored(this.cluster, t, t.versions[0]!, o, { dryRun: false, propagationPolicy: 'Background' });
      }
    }
    let left = 0;
    for (const t of this.cluster.allTypes()) if (t.namespaced && !t.virtual) left += this.cluster.store.list(keyOf(t), name).length;
    const cur = this.cluster.store.get(RK.namespaces, name);
    if (!cur) return;
    if (left === 0) {
      const next = clone(cur);
      next.spec = { ...(next.spec ?? {}), finalizers: [] };
      next.status = {
        phase: 'Terminating',
        conditions: [{ type: 'NamespaceContentRemaining', status: 'False', lastTransitionTime: nowRfc3339(), reason: 'ContentRemoved', message: 'All content successfully removed' }],
      };
      const w = this.write(RK.namespaces, cur, next, 'kube-controller-manager', 'finalize');
      maybeFinishNamespace(this.cluster, w ?? next);
    } else if (remaining > 0) {
      // Objects held by finalizers: look again later.
      this.enqueue(RK.namespaces, name, Math.max(this.delayMs, 500));
    }
  }

  // ---------------------------------------------------------------- workloads

  private podFromTemplate(owner: Obj, ownerKind: string, ownerApiVersion: string, template: Obj, name: { name?: string; generateName?: string }, extraLabels: Obj = {}): Obj {
    const tpl = clone(template ?? {});
    const meta = tpl.metadata ?? {};
    const pod: Obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...name,
        namespace: owner.metadata.namespace,
        labels: { ...(meta.labels ?? {}), ...extraLabels },
        ...(meta.annotations ? { annotations: meta.annotations } : {}),
        ownerReferences: [ownerRef(ownerApiVersion, ownerKind, owner)],
      },
      spec: tpl.spec ?? {},
    };
    pod.spec.nodeName ??= `${this.cluster.name}-control-plane`;
    return pod;
  }

  private reconcileDeployment(d: Obj): void {
    if (d.metadata.deletionTimestamp || !isObj(d.spec)) return;
    const ns = d.metadata.namespace;
    const replicas = Number(d.spec.replicas ?? 1);
    const template = d.spec.template ?? {};
    const hash = shortHash(JSON.stringify(template));
    const owned = this.owned(RK.replicasets, ns, d.metadata.uid);
    const rev = (rs: Obj): number => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const maxRev = owned.reduce((a, rs) => Math.max(a, rev(rs)), 0);
    let cur = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const surge = d.spec.strategy?.type === 'RollingUpdate' ? intOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true) : 0;
    const maxUnavailable = d.spec.strategy?.type === 'RollingUpdate' ? intOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false) : 0;
    const annotations = {
      ...Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')),
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + surge),
    };
    if (!cur) {
      const tpl = clone(template);
      tpl.metadata = { ...(tpl.metadata ?? {}), labels: { ...(tpl.metadata?.labels ?? {}), 'pod-template-hash': hash } };
      const sel = clone(d.spec.selector ?? {});
      sel.matchLabels = { ...(sel.matchLabels ?? {}), 'pod-template-hash': hash };
      cur = this.create(RK.replicasets, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
          annotations: { ...annotations, 'deployment.kubernetes.io/revision': String(maxRev + 1) },
          ownerReferences: [ownerRef('apps/v1', 'Deployment', d)],
        },
        spec: { replicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: sel, template: tpl },
      });
      if (!cur) return;
      this.event(d, 'ScalingReplicaSet', `Scaled up replica set ${cur.metadata.name} from 0 to ${replicas}`, 'deployment-controller');
    } else {
      const want: Obj = { ...(cur.metadata.annotations ?? {}), ...annotations };
      if (rev(cur) < maxRev) want['deployment.kubernetes.io/revision'] = String(maxRev + 1);
      if (cur.spec.replicas !== replicas || JSON.stringify(want) !== JSON.stringify(cur.metadata.annotations ?? {})) {
        if (cur.spec.replicas !== replicas)
          this.event(d, 'ScalingReplicaSet', `Scaled ${cur.spec.replicas < replicas ? 'up' : 'down'} replica set ${cur.metadata.name} from ${cur.spec.replicas} to ${replicas}`, 'deployment-controller');
        const next = clone(cur);
        next.spec.replicas = replicas;
        next.metadata.annotations = want;
        cur = this.write(RK.replicasets, cur, next, 'kube-controller-manager') ?? cur;
      }
    }
    for (const rs of owned) {
      if (rs.metadata.uid === cur.metadata.uid || rs.spec?.replicas === 0) continue;
      this.event(d, 'ScalingReplicaSet', `Scaled down replica set ${rs.metadata.name} from ${rs.spec?.replicas} to 0`, 'deployment-controller');
      const next = clone(rs);
      next.spec.replicas = 0;
      this.write(RK.replicasets, rs, next, 'kube-controller-manager');
    }
    // Status from the replica sets.
    const all = this.owned(RK.replicasets, ns, d.metadata.uid);
    const sum = (f: (rs: Obj) => number): number => all.reduce((a, rs) => a + f(rs), 0);
    const curNow = all.find((rs) => rs.metadata.uid === cur!.metadata.uid) ?? cur;
    const total = sum((rs) => Number(rs.status?.replicas ?? 0));
    const ready = sum((rs) => Number(rs.status?.readyReplicas ?? 0));
    const available = sum((rs) => Number(rs.status?.availableReplicas ?? 0));
    const updated = Number(curNow.status?.replicas ?? 0);
    const now = nowRfc3339();
    const prev = d.status?.conditions as Obj[] | undefined;
    const minAvailable = available >= replicas - maxUnavailable;
    const done = updated === replicas && available >= replicas && total === replicas && curNow.status?.observedGeneration === curNow.metadata.generation;
    const status: Obj = {
      observedGeneration: d.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
    };
    if (replicas - available > 0) status.unavailableReplicas = replicas - available;
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
    status.conditions = [
      minAvailable
        ? condition(prev, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
        : condition(prev, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now),
      done
        ? condition(prev, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${curNow.metadata.name}" has successfully progressed.`, now)
        : condition(prev, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${curNow.metadata.name}" is progressing.`, now),
    ];
    const latest = this.cluster.store.get(RK.deployments, objectKey(ns, d.metadata.name));
    if (latest) this.setStatus(RK.deployments, latest, status);
  }

  private reconcileReplicaSet(rs: Obj): void {
    if (rs.metadata.deletionTimestamp || !isObj(rs.spec)) return;
    const ns = rs.metadata.namespace;
    const want = Number(rs.spec.replicas ?? 1);
    let pods = this.owned(RK.pods, ns, rs.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    if (pods.length < want) {
      for (let i = pods.length; i < want; i++)
        this.create(RK.pods, this.podFromTemplate(rs, 'ReplicaSet', 'apps/v1', rs.spec.template, { generateName: `${rs.metadata.name}-` }));
    } else if (pods.length > want) {
      const extra = [...pods].sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? 1 : -1)).slice(0, pods.length - want);
      for (const p of extra) this.remove(RK.pods, p);
    }
    pods = this.owned(RK.pods, ns, rs.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const ready = pods.filter(podReady).length;
    const status: Obj = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation };
    if (pods.length === 0) delete status.fullyLabeledReplicas;
    if (ready === 0) {
      delete status.readyReplicas;
      delete status.availableReplicas;
    }
    const latest = this.cluster.store.get(RK.replicasets, objectKey(ns, rs.metadata.name));
    if (latest) this.setStatus(RK.replicasets, latest, status);
  }

  private reconcileStatefulSet(s: Obj): void {
    if (s.metadata.deletionTimestamp || !isObj(s.spec)) return;
    const ns = s.metadata.namespace;
    const name = s.metadata.name;
    const want = Number(s.spec.replicas ?? 1);
    const revision = `${name}-${shortHash(JSON.stringify(s.spec.template ?? {}))}`;
    const pods = this.owned(RK.pods, ns, s.metadata.uid);
    for (const p of pods) {
      const idx = Number(p.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? -1);
      if (p.metadata.deletionTimestamp) continue;
      if (idx >= want || p.metadata.labels?.['controller-revision-hash'] !== revision) this.remove(RK.pods, p);
    }
    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      if (this.cluster.store.get(RK.pods, objectKey(ns, podName))) continue;
      for (const vct of (s.spec.volumeClaimTemplates ?? []) as Obj[]) {
        const pvcName = `${vct.metadata?.name}-${podName}`;
        if (this.cluster.store.get(RK.pvcs, objectKey(ns, pvcName))) continue;
        this.create(RK.pvcs, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: pvcName, namespace: ns, labels: { ...(s.spec.selector?.matchLabels ?? {}) } },
          spec: clone(vct.spec ?? {}),
        });
      }
      const pod = this.podFromTemplate(s, 'StatefulSet', 'apps/v1', s.spec.template, { name: podName }, {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(i),
      });
      pod.spec.hostname = podName;
      if (s.spec.serviceName) pod.spec.subdomain = s.spec.serviceName;
      const vols = ((s.spec.volumeClaimTemplates ?? []) as Obj[]).map((v) => ({ name: v.metadata?.name, persistentVolumeClaim: { claimName: `${v.metadata?.name}-${podName}` } }));
      if (vols.length) pod.spec.volumes = [...(pod.spec.volumes ?? []), ...vols];
      this.create(RK.pods, pod);
    }
    const live = this.owned(RK.pods, ns, s.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter(podReady).length;
    const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const status: Obj = {
      observedGeneration: s.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      currentReplicas: updated,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision: updated === want ? revision : s.status?.currentRevision ?? revision,
      updateRevision: revision,
      collisionCount: 0,
    };
    if (ready === 0) delete status.readyReplicas;
    const latest = this.cluster.store.get(RK.statefulsets, objectKey(ns, name));
    if (latest) this.setStatus(RK.statefulsets, latest, status);
  }

  private reconcileDaemonSet(ds: Obj): void {
    if (ds.metadata.deletionTimestamp || !isObj(ds.spec)) return;
    const ns = ds.metadata.namespace;
    const hash = shortHash(JSON.stringify(ds.spec.template ?? {}));
    const pods = this.owned(RK.pods, ns, ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    for (const p of pods) if (p.metadata.labels?.['controller-revision-hash'] !== hash) this.remove(RK.pods, p);
    const current = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash);
    if (current.length === 0)
      this.create(
        RK.pods,
        this.podFromTemplate(ds, 'DaemonSet', 'apps/v1', ds.spec.template, { generateName: `${ds.metadata.name}-` }, {
          'controller-revision-hash': hash,
          'pod-template-generation': String(ds.metadata.generation ?? 1),
        }),
      );
    const live = this.owned(RK.pods, ns, ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp && p.metadata.labels?.['controller-revision-hash'] === hash);
    const ready = live.filter(podReady).length;
    const status: Obj = {
      currentNumberScheduled: live.length,
      desiredNumberScheduled: 1,
      numberAvailable: ready,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: live.length,
    };
    if (ready === 0) {
      delete status.numberAvailable;
      status.numberUnavailable = 1;
    }
    const latest = this.cluster.store.get(RK.daemonsets, objectKey(ns, ds.metadata.name));
    if (latest) this.setStatus(RK.daemonsets, latest, status);
  }

  private reconcileJob(j: Obj): void {
    if (j.metadata.deletionTimestamp || !isObj(j.spec)) return;
    const conds = (j.status?.conditions ?? []) as Obj[];
    if (conds.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;
    if (j.spec.suspend) return;
    const ns = j.metadata.namespace;
    const pods = this.owned(RK.pods, ns, j.metadata.uid);
    const now = nowRfc3339();
    const fail = j.metadata.annotations?.[FAIL_ANNOTATION] === 'true';
    if (pods.length === 0) {
      const pod = this.podFromTemplate(j, 'Job', 'batch/v1', j.spec.template, { generateName: `${j.metadata.name}-` });
      if (fail) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [FAIL_ANNOTATION]: 'true' };
      const created = this.create(RK.pods, pod);
      if (created) this.event(j, 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'job-controller');
      this.setStatus(RK.jobs, j, { ...(j.status ?? {}), startTime: j.status?.startTime ?? now, active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
      return;
    }
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const active = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
    const completions = Number(j.spec.completions ?? 1);
    const base: Obj = { startTime: j.status?.startTime ?? now, ready: pods.filter(podReady).length, terminating: 0, uncountedTerminatedPods: {} };
    let status: Obj;
    if (failed > 0) {
      this.event(j, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'job-controller', 'Warning');
      status = {
        ...base,
        failed,
        conditions: [
          { type: 'FailureTarget', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
          { type: 'Failed', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        ],
      };
    } else if (succeeded >= completions) {
      this.event(j, 'Completed', 'Job completed', 'job-controller');
      status = {
        ...base,
        succeeded,
        completionTime: now,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        ],
      };
    } else {
      status = { ...base, active };
      if (succeeded) status.succeeded = succeeded;
      if (active < 1 && succeeded < completions) {
        const pod = this.podFromTemplate(j, 'Job', 'batch/v1', j.spec.template, { generateName: `${j.metadata.name}-` });
        this.create(RK.pods, pod);
      }
    }
    this.setStatus(RK.jobs, j, status);
  }

  // ---------------------------------------------------------------- kubelet, volumes, load balancers

  private runPod(p: Obj): void {
    if (p.metadata.deletionTimestamp) return;
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const rp = p.spec?.restartPolicy ?? 'Always';
    if (phase === 'Running' && rp === 'Always') return;
    let cur = p;
    if (!cur.spec?.nodeName) {
      const next = clone(cur);
      next.spec.nodeName = `${this.cluster.name}-control-plane`;
      cur = this.write(RK.pods, cur, next, 'kube-scheduler') ?? cur;
    }
    const now = nowRfc3339();
    const fail = cur.metadata.annotations?.[FAIL_ANNOTATION] === 'true';
    const finishes = rp !== 'Always';
    const ip = cur.status?.podIP ?? `10.244.${Math.floor(this.podIP / 250)}.${(this.podIP++ % 250) + 2}`;
    const containers = (cur.spec?.containers ?? []) as Obj[];
    const cstatus = (c: Obj): Obj => {
      const base: Obj = {
        name: c.name,
        image: c.image,
        imageID: `docker.io/library/${String(c.image ?? '').split(':')[0]}@sha256:${shortHash(String(c.image)).padEnd(64, '0')}`,
        containerID: `containerd://${shortHash(cur.metadata.uid + c.name).padEnd(64, '0')}`,
        restartCount: 0,
      };
      if (!finishes) return { ...base, ready: true, started: true, state: { running: { startedAt: now } } };
      return { ...base, ready: false, started: false, state: { terminated: { exitCode: fail ? 1 : 0, reason: fail ? 'Error' : 'Completed', startedAt: cur.metadata.creationTimestamp, finishedAt: now } } };
    };
    const ready = finishes ? 'False' : 'True';
    const readyReason = finishes ? { reason: 'PodCompleted' } : {};
    const status: Obj = {
      phase: finishes ? (fail ? 'Failed' : 'Succeeded') : 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: finishes ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now, ...readyReason },
        { type: 'Ready', status: ready, lastProbeTime: null, lastTransitionTime: now, ...readyReason },
        { type: 'ContainersReady', status: ready, lastProbeTime: null, lastTransitionTime: now, ...readyReason },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: cur.metadata.creationTimestamp },
      ],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: cur.status?.startTime ?? cur.metadata.creationTimestamp,
      containerStatuses: containers.map(cstatus),
      qosClass: 'BestEffort',
    };
    if ((cur.spec?.initContainers ?? []).length)
      status.initContainerStatuses = (cur.spec.initContainers as Obj[]).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        containerID: `containerd://${shortHash(cur.metadata.uid + c.name).padEnd(64, '0')}`,
        ready: true,
        restartCount: 0,
        started: false,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: cur.metadata.creationTimestamp, finishedAt: now } },
      }));
    this.setStatus(RK.pods, cur, status, 'kubelet');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: cur.metadata };
    this.event(pod, 'Scheduled', `Successfully assigned ${cur.metadata.namespace}/${cur.metadata.name} to ${cur.spec.nodeName ?? `${this.cluster.name}-control-plane`}`, 'default-scheduler');
    for (const c of containers) {
      this.event(pod, 'Pulled', `Container image "${c.image}" already present on machine`, 'kubelet');
      this.event(pod, 'Started', `Started container ${c.name}`, 'kubelet');
    }
  }

  private bindPVC(pvc: Obj): void {
    if (pvc.metadata.deletionTimestamp || pvc.status?.phase === 'Bound') return;
    let cur = pvc;
    if (!cur.spec?.volumeName) {
      const next = clone(cur);
      next.spec.volumeName = `pvc-${cur.metadata.uid}`;
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
      cur = this.write(RK.pvcs, cur, next, 'kube-controller-manager') ?? cur;
    }
    this.setStatus(RK.pvcs, cur, {
      phase: 'Bound',
      accessModes: cur.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: cur.spec?.resources?.requests?.storage ?? '1Gi' },
    });
  }

  /** A deleted CRD takes its custom resources with it, then goes. */
  private cleanupCRD(crd: Obj): void {
    if (!crd.metadata.deletionTimestamp) return;
    const rk = `${crd.spec?.group}/${crd.spec?.names?.plural}`;
    const t = this.cluster.typeByKey(rk);
    if (t) for (const cr of this.cluster.store.list(rk)) if (!cr.metadata.deletionTimestamp) deleteStored(this.cluster, t, t.versions[0]!, cr, { dryRun: false, propagationPolicy: 'Background' });
    if (this.cluster.store.list(rk).length > 0) {
      this.enqueue(RK.crds, crd.metadata.name, Math.max(this.delayMs, 500));
      return;
    }
    const fin: string[] = crd.metadata.finalizers ?? [];
    if (fin.includes('customresourcecleanup.apiextensions.k8s.io'))
      this.write(RK.crds, crd, { ...clone(crd), metadata: { ...clone(crd.metadata), finalizers: fin.filter((f) => f !== 'customresourcecleanup.apiextensions.k8s.io') } }, 'kube-apiserver');
  }

  private lbCounter = 1;
  private loadBalancer(svc: Obj): void {
    if (svc.metadata.deletionTimestamp || svc.spec?.type !== 'LoadBalancer') return;
    if ((svc.status?.loadBalancer?.ingress ?? []).length) return;
    const ip = `172.18.255.${(this.lbCounter++ % 250) + 1}`;
    this.setStatus(RK.services, svc, { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } });
  }
}

