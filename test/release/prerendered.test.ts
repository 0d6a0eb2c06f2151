// install/upgrade with a render the caller already made (a fleet diff renders every target): an install uses it only
// when the cluster's capabilities are the ones it was made with; an upgrade always renders again.
// The caller's render here is marked, so the stored manifest tells which render was applied.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChart } from '../../src/chart/index.js';
import { renderChart, type RenderedRelease } from '../../src/render/index.js';
import { clusterCapabilities, installOrUpgrade, openContext, type ReleaseContext } from '../../src/release/index.js';
import { Cluster } from '../../src/kube/index.js';
import { sandboxEnv, writeChart, type Env } from './helpers.js';

let env: Env;
let dir: string;
let ctx: ReleaseContext;

before(async () => {
  env = await sandboxEnv({ clusters: ['c1'] });
  dir = mkdtempSync(join(tmpdir(), 'bosun-prerendered-'));
  ctx = await openContext({ kubeconfig: env.kubeconfig, context: 'c1', namespace: 'pre' });
});

after(async () => {
  await Cluster.closeAll();
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a caller render is reused by an install on the same capabilities, rendered again otherwise and on upgrade', async () => {
  const chart = await loadChart(
    writeChart(join(dir, 'chart'), {
      'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: hello\n',
    }),
  );
  const caps = await clusterCapabilities(ctx);
  const marked = (name: string): RenderedRelease => {
    const r = renderChart(chart, {}, { releaseName: name, namespace: 'pre', kubeVersion: caps.kubeVersion, apiVersions: caps.apiVersions });
    return { ...r, manifests: r.manifests.map((m) => ({ ...m, content: m.content.replace('hello', 'from-caller') })) };
  };
  const deploy = async (name: string, pre: { kubeVersion?: string } = {}) => {
    const rel = await installOrUpgrade(ctx, {
      releaseName: name,
      chart,
      values: {},
      createNamespace: true,
      prerendered: { release: marked(name), capabilities: { kubeVersion: pre.kubeVersion ?? caps.kubeVersion, apiVersions: caps.apiVersions } },
    });
    return /greeting: (\S+)/.exec(rel.manifest)![1];
  };
  // Install: reused with the cluster's capabilities, rendered again with other ones.
  assert.equal(await deploy('a'), 'from-caller');
  assert.equal(await deploy('b', { kubeVersion: 'v1.20.0' }), 'hello');
  // Upgrade: rendered again.
  assert.equal(await deploy('a'), 'hello');
});
