// Developer tool, not a test: asks the real helm v4.1.4 which (apiVersion, kind) pairs its lint reports as
// deprecated, and with what message, then prints the table that src/lint/deprecations.ts holds.
//
//   npx tsx test/lint/tools/probe-deprecations.ts > /tmp/rows.txt
//
// Candidates are every prerelease group/version of helm's built-in scheme (DEFAULT_API_VERSIONS) crossed with the
// kinds known for that API group (and their List kinds). helm lint is run at --kube-version 1.999 so that every
// deprecated pair is reported; the message names the deprecation and removal versions and the replacement.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEFAULT_API_VERSIONS } from '../../../src/render/index.js';
import { helm4 } from '../../support/paths.js';

const KINDS: Record<string, string[]> = {
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  ],
  'internal.apiserver.k8s.io': ['StorageVersion'],
  apps: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision', 'Scale', 'DeploymentRollback'],
  'authentication.k8s.io': ['TokenReview', 'SelfSubjectReview', 'TokenRequest'],
  'authorization.k8s.io': ['SubjectAccessReview', 'SelfSubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectRulesReview'],
  autoscaling: ['HorizontalPodAutoscaler', 'Scale'],
  batch: ['CronJob', 'Job', 'JobTemplate'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle', 'PodCertificateRequest'],
  'coordination.k8s.io': ['Lease', 'LeaseCandidate'],
  'discovery.k8s.io': ['EndpointSlice'],
  'events.k8s.io': ['Event'],
  extensions: ['DaemonSet', 'Deployment', 'Ingress', 'NetworkPolicy', 'PodSecurityPolicy', 'ReplicaSet', 'Scale', 'DeploymentRollback', 'ReplicationControllerDummy'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io': ['Ingress', 'IngressClass', 'NetworkPolicy', 'IPAddress', 'ServiceCIDR', 'ClusterCIDR'],
  'node.k8s.io': ['RuntimeClass'],
  policy: ['PodDisruptionBudget', 'PodSecurityPolicy', 'Eviction'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'resource.k8s.io': [
    'ResourceClaim', 'ResourceClaimTemplate', 'DeviceClass', 'ResourceSlice', 'PodSchedulingContext', 'ResourceClass',
    'DeviceTaintRule', 'ResourceClaimParameters', 'ResourceClassParameters',
  ],
  'scheduling.k8s.io': ['PriorityClass', 'Workload'],
  'storage.k8s.io': ['StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'VolumeAttributesClass'],
  'storagemigration.k8s.io': ['StorageVersionMigration'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  '': ['Pod', 'Service', 'ConfigMap'],
};

const candidates: Array<[string, string]> = [];
for (const gv of DEFAULT_API_VERSIONS) {
  const slash = gv.indexOf('/');
  const group = slash < 0 ? '' : gv.slice(0, slash);
  const version = slash < 0 ? gv : gv.slice(slash + 1);
  if (!/(alpha|beta)/.test(version)) continue;
  for (const k of KINDS[group] ?? []) candidates.push([gv, k], [gv, `${k}List`]);
}

const root = mkdtempSync(join(tmpdir(), 'bosun-probe-'));
const dir = join(root, 'probe');
mkdirSync(join(dir, 'templates'), { recursive: true });
writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 1.0.0\nicon: https://example.com/i.png\n');
writeFileSync(join(dir, 'values.yaml'), '');
// One template per candidate so each warning names its pair.
candidates.forEach(([gv, k], i) => {
  writeFileSync(join(dir, 'templates', `t${String(i).padStart(4, '0')}.yaml`), `apiVersion: ${gv}\nkind: ${k}\nmetadata:\n  name: x\n  labels: {matchLabels: x}\n`);
});
const r = spawnSync(helm4, ['lint', dir, '--kube-version', '1.999'], { encoding: 'utf8' });
rmSync(root, { recursive: true, force: true });
const lines = r.stdout.split('\n').filter((l) => l.startsWith('[WARNING] templates/t'));
// Printed as the ROWS of src/lint/deprecations.ts: apiVersion, kind, deprecated in, removed in, replacement.
for (const l of lines) {
  const m = /^\[WARNING\] templates\/t(\d+)\.yaml: (.*)$/.exec(l)!;
  const [gv, k] = candidates[Number(m[1])]!;
  const d = /^(\S+) (\S+) is deprecated in v(\d+\.\d+)\+, unavailable in v(\d+\.\d+)\+(?:; use (\S+ \S+))?$/.exec(m[2]!);
  if (!d || d[1] !== gv || d[2] !== k) throw new Error(`unexpected message for ${gv} ${k}: ${m[2]}`);
  console.log(`  [${[gv, k, d[3]!, d[4]!, d[5] ?? ''].map((x) => JSON.stringify(x)).join(', ')}],`);
}
console.error(`${candidates.length} candidates, ${lines.length} deprecated`);
