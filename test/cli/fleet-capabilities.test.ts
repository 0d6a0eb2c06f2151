// The fleet diff renders each target with its cluster's capabilities, as the apply does: a chart that reads
// .Capabilities shows in the diff exactly what gets applied, and a second diff after the apply is clean.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bosun, sandboxEnv, writeTree, type Env } from '../plan/helpers.js';
import { Cluster } from '../../src/kube/index.js';

let env: Env;
let dir: string;

before(async () => {
  env = await sandboxEnv({ clusters: ['c1', 'c2'] });
  dir = mkdtempSync(join(tmpdir(), 'bosun-caps-test-'));
});

after(async () => {
  await Cluster.closeAll();
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

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
