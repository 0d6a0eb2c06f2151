// The examples load and resolve: the multi-region platform for dev, staging and prod, and the plain helmfile.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStateSync, resolveTargets } from '../../src/state/index.js';
import { toYaml } from '../../src/yaml/index.js';
import { ROOT, byId, plain } from './support.js';

const PLATFORM = 'examples/platform/bosun.yaml';
const RELEASES = 12;
const load = (environment: string) => loadStateSync({ cwd: ROOT, file: PLATFORM, environment });

test('prod: every release fans out to the fifteen regional clusters', () => {
  const st = load('prod');
  assert.equal(st.clusters.length, 15);
  for (const c of st.clusters) {
    assert.equal(c.kubeContext, c.name);
    assert.equal(c.labels.region, c.name);
  }
  const { targets, graph } = resolveTargets(st);
  assert.equal(targets.length, 15 * RELEASES);
  assert.equal(new Set(targets.map((t) => t.release.name)).size, RELEASES);
  assert.deepEqual(st.warnings, []);
  // Certificates before the edge before the apps, in every region, as one graph (not groups).
  for (const c of st.clusters) {
    const order = graph.topoOrder().filter((id) => id.startsWith(`${c.name}/`));
    const at = (name: string) => order.findIndex((id) => id.endsWith(`/${name}`));
    assert.ok(at('certificates') < at('edge') && at('edge') < at('api') && at('api') < at('storefront'), order.join(' '));
  }
  assert.equal(graph.roots().length, 15 * 4); // certificates, platform-config, metrics-agent, log-shipper in each region
  const api = byId(targets, 'eu-central-1/apps/api');
  assert.deepEqual(api.release.needs, ['eu-central-1/ingress/edge', 'eu-central-1/platform/platform-config']);
  assert.deepEqual(plain(api.values), {
    image: { repository: 'registry.example.com/platform/api', tag: '2.14.0' },
    region: 'eu-central-1',
    replicaCount: 8,
    host: 'api.eu-central-1.example.com',
    config: { LOG_LEVEL: 'warn', SEARCH_V2: 'false' },
  });
  assert.equal(byId(targets, 'eu-north-1/apps/api').values.replicaCount, 4);
  assert.deepEqual(api.release.labels, { tier: 'apps', platform: 'bosun-demo' });
  assert.equal(api.release.wait, true);
  assert.equal(api.release.timeout, 600);
});

test('staging: two clusters; dev: one, with the metrics agent turned off by its condition', () => {
  const staging = resolveTargets(load('staging'));
  assert.equal(staging.targets.length, 2 * RELEASES);
  assert.deepEqual([...new Set(staging.targets.map((t) => t.cluster.name))], ['staging-eu-west-1', 'staging-us-east-1']);
  const dev = resolveTargets(load('dev'));
  assert.equal(dev.targets.length, RELEASES - 1);
  assert.ok(!dev.targets.some((t) => t.release.name === 'metrics-agent'));
  assert.equal(dev.targets[0]!.cluster.kubeContext, 'kind-bosun-dev');
});

test('selecting the apps of one region with their needs', () => {
  const { targets } = resolveTargets(load('prod'), { selectors: ['tier=apps,cluster=ap-south-1'], includeTransitiveNeeds: true });
  assert.deepEqual(
    targets.map((t) => t.id),
    [
      'ap-south-1/platform/certificates',
      'ap-south-1/platform/platform-config',
      'ap-south-1/ingress/edge',
      'ap-south-1/apps/api',
      'ap-south-1/apps/storefront',
      'ap-south-1/apps/admin-portal',
      'ap-south-1/apps/orders-worker',
      'ap-south-1/apps/email-worker',
      'ap-south-1/apps/search-indexer',
    ],
  );
});

test('the plain helmfile.yaml example works unchanged', () => {
  for (const [env, cluster] of [
    ['default', 'default'],
    ['production', 'prod-cluster'],
  ] as const) {
    const st = loadStateSync({ cwd: ROOT, file: 'examples/helmfile/helmfile.yaml', environment: env });
    const { targets, graph } = resolveTargets(st);
    assert.deepEqual(
      targets.map((t) => t.id),
      [`${cluster}/shop/config`, `${cluster}/shop/shop`, `${cluster}/shop/mailer`],
    );
    assert.deepEqual(graph.topoOrder(), [`${cluster}/shop/config`, `${cluster}/shop/shop`, `${cluster}/shop/mailer`]);
    assert.deepEqual(plain(byId(targets, `${cluster}/shop/shop`).values, true), { host: 'shop.example.com', config: { CURRENCY: 'EUR' }, replicaCount: { int: 2 } });
  }
});

const helm = join(ROOT, '.tools', 'helm4');

test('every example chart renders with the real helm template and the values bosun computed', { skip: !existsSync(helm) && 'no .tools/helm4' }, () => {
  const { targets } = resolveTargets(load('staging'));
  const dir = mkdtempSync(join(tmpdir(), 'bosun-example-'));
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.release.chartRef.kind !== 'local' || seen.has(t.release.chartRef.path)) continue;
    seen.add(t.release.chartRef.path);
    const f = join(dir, `${t.release.name}.yaml`);
    writeFileSync(f, toYaml(t.values));
    const r = spawnSync(helm, ['template', t.release.name, t.release.chartRef.path, '--namespace', t.release.namespace, '-f', f], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${t.id}: ${r.stderr}`);
    assert.match(r.stdout, /kind: /);
  }
  assert.equal(seen.size, 5);
});
