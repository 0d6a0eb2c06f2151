// kstatus readiness rules, table-driven.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeStatus } from '../../src/kube/index.js';

const dep = (spec: number, st: Record<string, unknown>, gen = 1) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation: gen }, spec: { replicas: spec }, status: st });
const job = (conds: Array<{ type: string; status: string }>, st: Record<string, unknown> = {}) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: {}, status: { conditions: conds, ...st } });

const cases: Array<[string, unknown, string, string?, boolean?]> = [
  ['missing', null, 'NotFound'],
  ['terminating', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', deletionTimestamp: 'x' } }, 'Terminating'],
  ['configmap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'Current'],
  ['deployment not observed', dep(2, {}), 'InProgress'],
  ['deployment old generation', dep(2, { observedGeneration: 1 }, 2), 'InProgress'],
  ['deployment rolling', dep(2, { observedGeneration: 1, replicas: 2, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 }), 'InProgress', 'Updated: 1/2'],
  ['deployment available', dep(2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 }), 'Current'],
  ['deployment deadline', dep(2, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }), 'Failed'],
  ['job failed', job([{ type: 'Failed', status: 'True' }], { failed: 1 }), 'Failed', 'Job Failed. failed: 1/1'],
  ['job complete', job([{ type: 'Complete', status: 'True' }], { succeeded: 1 }), 'Current', 'Job Completed. succeeded: 1/1'],
  ['job running counts as current', job([], { startTime: 't', active: 1 }), 'Current'],
  ['job running, --wait-for-jobs', job([], { startTime: 't', active: 1 }), 'InProgress', undefined, true],
  ['pod running not ready', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }, 'InProgress'],
  ['pod succeeded', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Succeeded' } }, 'Current'],
  ['pvc pending', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, status: { phase: 'Pending' } }, 'InProgress'],
  ['lb without ingress', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer' }, status: {} }, 'InProgress'],
  ['crd established', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' }, status: { conditions: [{ type: 'Established', status: 'True' }] } }, 'Current'],
  ['custom resource Ready=False', { apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'f' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'InProgress'],
  ['custom resource Stalled', { apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'f' }, status: { conditions: [{ type: 'Stalled', status: 'True' }] } }, 'Failed'],
];

for (const [name, obj, want, message, jobs] of cases) {
  test(name, () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const s = computeStatus(obj as any, { jobsMustComplete: jobs });
    assert.equal(s.status, want, s.message);
    if (message) assert.equal(s.message, message);
  });
}
