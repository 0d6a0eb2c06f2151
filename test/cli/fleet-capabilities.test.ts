// The fleet diff renders each target with its cluster's capabilities, as the apply does: a chart that reads
// .Capabilities shows in the diff exactly what gets applied, and a second diff after the apply is clean.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bosun, openFleetSuite, writeTree, type Env } from '../plan/helpers.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: ['c1', 'c2'] }, 'bosun-caps-test-'));
});

after(() => close());

test('diff renders with the cluster capabilities; after apply the diff is clean', async () => {
  writeTree(dir, {
    'chart/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: caps
data:
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  hasScale: {{ .Capabilities.APIVersions.Has "apps/v1/Scale" | quote }}
`,
    'bosun.yaml': 'environments:\n  default:\n    clusters:\n      - name: c1\n      - name: c2\nreleases:\n  - name: caps\n    namespace: caps\n    chart: ./chart\n',
  });
  const state = join(dir, 'bosun.yaml');
  const kc = ['--kubeconfig', env.kubeconfig];
  const first = await bosun(['diff', '-f', state, ...kc, '--detailed-exitcode']);
  assert.equal(first.code, 2, first.stderr);
  // Without a cluster (helm template) Has "apps/v1/Scale" is false; the sandbox's discovery serves that kind.
  assert.match(first.stdout, /hasScale: "true"/);
  assert.doesNotMatch(first.stdout, /hasScale: "false"/);
  const applied = await bosun(['apply', '-f', state, ...kc]);
  assert.equal(applied.code, 0, applied.stderr + applied.stdout);
  const second = await bosun(['diff', '-f', state, ...kc, '--detailed-exitcode']);
  assert.equal(second.code, 0, second.stdout + second.stderr);
});

test('an upgrade is diffed as the upgrade renders it: .Release.Revision and .Release.IsUpgrade', async () => {
  const d = join(dir, 'rev');
  writeTree(d, {
    'chart/Chart.yaml': 'apiVersion: v2\nname: rev\nversion: 0.1.0\n',
    'chart/values.yaml': 'greeting: hello\n',
    'chart/templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: rev
data:
  greeting: {{ .Values.greeting | quote }}
  revision: {{ .Release.Revision | quote }}
  upgrade: {{ .Release.IsUpgrade | quote }}
`,
    'bosun.yaml': 'environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n  - name: rev\n    namespace: rev\n    chart: ./chart\n',
  });
  const state = join(d, 'bosun.yaml');
  const kc = ['--kubeconfig', env.kubeconfig];
  const install = await bosun(['apply', '-f', state, ...kc]);
  assert.equal(install.code, 0, install.stderr + install.stdout);
  const diff = await bosun(['diff', '-f', state, ...kc, '--state-values-set', 'x=1', '--detailed-exitcode']);
  // Same inputs, but the next apply is an upgrade to revision 2: the diff shows what it will change.
  assert.equal(diff.code, 2, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /^\s*-\s+revision: "1"$/m);
  assert.match(diff.stdout, /^\s*\+\s+revision: "2"$/m);
  assert.match(diff.stdout, /^\s*\+\s+upgrade: "true"$/m);
  const upgrade = await bosun(['apply', '-f', state, ...kc]);
  assert.equal(upgrade.code, 0, upgrade.stderr + upgrade.stdout);
  // What was applied is what the diff showed.
  const got = await bosun(['get', 'manifest', 'rev', '-n', 'rev', ...kc, '--kube-context', 'c1']);
  assert.equal(got.code, 0, got.stderr);
  assert.match(got.stdout, /revision: "2"\n\s+upgrade: "true"/);
});
