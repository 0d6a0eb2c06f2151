// Readiness by the kstatus rules (kubernetes-sigs/cli-utils pkg/kstatus), which Helm 4's --wait uses: every object
// is Current, InProgress, Failed or Terminating, computed from its own status alone.

export type Status = 'Current' | 'InProgress' | 'Failed' | 'Terminating' | 'NotFound';

export interface StatusResult {
  readonly status: Status;
  readonly message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const conditions = (o: Obj): Condition[] => (Array.isArray(o.status?.conditions) ? (o.status.conditions as Condition[]) : []);
const condition = (o: Obj, type: string): Condition | undefined => conditions(o).find((c) => c.type === type);
const num = (v: unknown, dflt = 0): number => (typeof v === 'number' ? v : dflt);
const current = (message = 'Resource is current'): StatusResult => ({ status: 'Current', message });
const inProgress = (message: string): StatusResult => ({ status: 'InProgress', message });
const failed = (message: string): StatusResult => ({ status: 'Failed', message });

export interface StatusOptions {
  /** Jobs count as Current only when complete (helm --wait-for-jobs); otherwise a started Job is Current. */
  readonly jobsMustComplete?: boolean;
}

/** kstatus' Compute for one object. */
export function computeStatus(o: Obj | null, opts: StatusOptions = {}): StatusResult {
  if (!o) return { status: 'NotFound', message: 'Resource not found' };
  if (o.metadata?.deletionTimestamp) return { status: 'Terminating', message: 'Resource scheduled for deletion' };
  const generation = o.metadata?.generation;
  const observed = o.status?.observedGeneration;
  if (typeof observed === 'number' && typeof generation === 'number' && observed !== generation) {
    return inProgress(`${o.kind} generation is ${generation}, but latest observed generation is ${observed}`);
  }
  const group = String(o.apiVersion ?? '').split('/').length === 2 ? String(o.apiVersion).split('/')[0] : '';
  switch (`${group}/${o.kind}`) {
    case 'apps/Deployment':
      return deployment(o);
    case 'apps/StatefulSet':
      return statefulSet(o);
    case 'apps/DaemonSet':
      return daemonSet(o);
    case 'apps/ReplicaSet':
      return replicaSet(o);
    case 'batch/Job':
      return job(o, opts);
    case '/Pod':
      return pod(o);
    case '/PersistentVolumeClaim':
      return o.status?.phase === 'Bound' ? current('PVC is Bound') : inProgress('PVC is not Bound');
    case '/Service':
      if (o.spec?.type === 'LoadBalancer' && !(o.status?.loadBalancer?.ingress?.length > 0)) return inProgress('Pending external IP');
      return current('Service is ready');
    case '/Namespace':
      return o.status?.phase === 'Terminating' ? { status: 'Terminating', message: 'Namespace is terminating' } : current('Namespace is active');
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      return crd(o);
    case 'policy/PodDisruptionBudget':
      if (typeof observed !== 'number') return inProgress('PodDisruptionBudget not observed');
      return current('AllowedDisruptions has been computed.');
    default:
      return generic(o);
  }
}

function generic(o: Obj): StatusResult {
  const stalled = condition(o, 'Stalled');
  if (stalled?.status === 'True') return failed(stalled.message ?? 'Stalled');
  const reconciling = condition(o, 'Reconciling');
  if (reconciling?.status === 'True') return inProgress(reconciling.message ?? 'Reconciling');
  const ready = condition(o, 'Ready');
  if (ready && ready.status !== 'True') return inProgress(ready.message ?? 'Not ready');
  return current();
}

function deployment(o: Obj): StatusResult {
  if (typeof o.status?.observedGeneration !== 'number') return inProgress('Deployment not observed yet');
  const want = num(o.spec?.replicas, 1);
  const s = o.status;
  const progressing = condition(o, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return failed('Progress deadline exceeded');
  const updated = num(s.updatedReplicas);
  const ready = num(s.readyReplicas);
  const available = num(s.availableReplicas);
  const replicas = num(s.replicas);
  if (o.spec?.paused) return inProgress('Deployment is paused');
  if (want > replicas) return inProgress(`Replicas: ${replicas}/${want}`);
  if (want > updated) return inProgress(`Updated: ${updated}/${want}`);
  if (replicas > want) return inProgress(`Pending termination: ${replicas - want}`);
  if (updated > available) return inProgress(`Available: ${available}/${updated}`);
  if (want > ready) return inProgress(`Ready: ${ready}/${want}`);
  const avail = condition(o, 'Available');
  if (avail && avail.status !== 'True') return inProgress('Deployment not Available');
  return current(`Deployment is available. Replicas: ${replicas}`);
}

function statefulSet(o: Obj): StatusResult {
  if (typeof o.status?.observedGeneration !== 'number') return inProgress('StatefulSet not observed yet');
  if (o.spec?.updateStrategy?.type === 'OnDelete') return current('StatefulSet is using the OnDelete strategy');
  const want = num(o.spec?.replicas, 1);
  const s = o.status;
  if (num(s.replicas) < want) return inProgress(`Replicas: ${num(s.replicas)}/${want}`);
  if (num(s.readyReplicas) < want) return inProgress(`Ready: ${num(s.readyReplicas)}/${want}`);
  const partition = num(o.spec?.updateStrategy?.rollingUpdate?.partition);
  if (partition > 0) {
    if (num(s.updatedReplicas) < want - partition) return inProgress(`updated: ${num(s.updatedReplicas)}/${want - partition}`);
    return current(`Partitioned roll out complete. updated: ${num(s.updatedReplicas)}`);
  }
  if (num(s.currentReplicas) < want) return inProgress(`current: ${num(s.currentReplicas)}/${want}`);
  if (s.updateRevision && s.currentRevision !== s.updateRevision) return inProgress('Waiting for updated revision to match current');
  return current(`All replicas scheduled as expected. Replicas: ${num(s.replicas)}`);
}

function daemonSet(o: Obj): StatusResult {
  if (typeof o.status?.observedGeneration !== 'number') return inProgress('DaemonSet not observed yet');
  const s = o.status;
  const desired = num(s.desiredNumberScheduled);
  if (num(s.currentNumberScheduled) < desired) return inProgress(`Current: ${num(s.currentNumberScheduled)}/${desired}`);
  if (num(s.updatedNumberScheduled) < desired) return inProgress(`Updated: ${num(s.updatedNumberScheduled)}/${desired}`);
  if (num(s.numberAvailable) < desired) return inProgress(`Available: ${num(s.numberAvailable)}/${desired}`);
  if (num(s.numberReady) < desired) return inProgress(`Ready: ${num(s.numberReady)}/${desired}`);
  return current(`All replicas scheduled as expected. Replicas: ${desired}`);
}

function replicaSet(o: Obj): StatusResult {
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  if (num(s.replicas) < want) return inProgress(`Replicas: ${num(s.replicas)}/${want}`);
  if (num(s.readyReplicas) < want) return inProgress(`Ready: ${num(s.readyReplicas)}/${want}`);
  if (num(s.availableReplicas) < want) return inProgress(`Available: ${num(s.availableReplicas)}/${want}`);
  return current(`ReplicaSet is available. Replicas: ${num(s.replicas)}`);
}

function job(o: Obj, opts: StatusOptions): StatusResult {
  const completions = num(o.spec?.completions, num(o.spec?.parallelism, 1));
  const s = o.status ?? {};
  const failedCond = condition(o, 'Failed');
  if (failedCond?.status === 'True') return failed(`Job Failed. failed: ${num(s.failed)}/${completions}`);
  const complete = condition(o, 'Complete');
  if (complete?.status === 'True') return current(`Job Completed. succeeded: ${num(s.succeeded)}/${completions}`);
  if (!s.startTime) return inProgress('Job not started');
  const message = `Job in progress. success:${num(s.succeeded)}, active: ${num(s.active)}, failed: ${num(s.failed)}`;
  return opts.jobsMustComplete ? inProgress(message) : current(message);
}

function pod(o: Obj): StatusResult {
  const phase = o.status?.phase;
  if (phase === 'Succeeded') return current('Pod has completed successfully');
  if (phase === 'Failed') return failed('Pod has completed, but not successfully');
  if (phase === 'Running') {
    const ready = condition(o, 'Ready');
    if (ready?.status === 'True') return current('Pod is Ready');
    return inProgress('Pod is running but is not Ready');
  }
  return inProgress(`Pod phase is ${phase ?? 'unknown'}`);
}

function crd(o: Obj): StatusResult {
  const names = condition(o, 'NamesAccepted');
  if (names?.status === 'False') return failed(names.message ?? 'names not accepted');
  const est = condition(o, 'Established');
  if (est?.status === 'True') return current('CRD is established');
  return inProgress('CRD is not established yet');
}
