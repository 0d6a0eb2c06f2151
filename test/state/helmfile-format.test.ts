// helmfile.yaml files read with helmfile v1's meaning. The fixtures under test/fixtures/state/ are written from
// helmfile's documentation (docs/configuration.md, docs/writing-helmfile.md); each expectation names its source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadStateSync, resolveTargets } from '../../src/state/index.js';
import { fixture, ids, byId, plain } from './support.js';

const load = (name: string, environment?: string) => loadStateSync({ cwd: fixture(name), environment });

test('helmfile-basic: releases, helmDefaults, commonLabels, condition, set/setString and recorded keys', () => {
  const st = load('helmfile-basic');
  const { targets } = resolveTargets(st);
  // No clusters: the environment deploys to helmDefaults.kubeContext (docs/configuration.md helmDefaults.kubeContext).
  assert.deepEqual(ids(targets), ['kube-context/vault/vault', 'kube-context/another/grafana']);
  const vault = byId(targets, 'kube-context/vault/vault');
  assert.deepEqual(vault.release.chartRef, { kind: 'repo', repo: 'roboll', name: 'vault-secret-manager', url: 'roboll.io/charts', oci: true });
  assert.equal(vault.release.version, '~1.24.1');
  // commonLabels are added to every release (docs/configuration.md commonLabels).
  assert.deepEqual(vault.release.labels, { foo: 'bar', hello: 'world' });
  // A release's own options override helmDefaults; the others come from helmDefaults.
  assert.deepEqual([vault.release.wait, vault.release.timeout, vault.release.atomic], [false, 60, true]);
  const grafana = byId(targets, 'kube-context/another/grafana');
  assert.deepEqual([grafana.release.wait, grafana.release.timeout, grafana.release.historyMax], [true, 600, 10]);
  // values files and inline values in order, then `set name={1,2}` (a list at bar[0]) and `--set-string`.
  assert.deepEqual(plain(vault.values, true), { server: { ha: true }, address: 'https://vault.example.com', bar: [[{ int: 1 }, { int: 2 }]], namespace: 'vault' });
  // Recorded: secrets (as absolute paths), hooks, kubeVersion, apiVersions, repositories.
  assert.deepEqual(vault.release.secrets, [join(fixture('helmfile-basic'), 'values/vault-secrets.yaml')]);
  assert.equal(vault.release.hooks.length, 1);
  assert.equal(vault.release.kubeVersion, 'v1.21');
  assert.deepEqual(vault.release.apiVersions, ['example/v1']);
  assert.deepEqual(
    st.repositories.map((r) => r.name),
    ['stable', 'roboll'],
  );
  assert.equal(st.hooks.length, 1);
  assert.equal(st.kubeVersion, 'v1.21');
});

test('helmfile-basic production: environment values turn the vault release off through its condition', () => {
  // docs/configuration.md: `condition: vault.enabled` filters by the boolean at vault.enabled; production sets it false.
  const st = load('helmfile-basic', 'production');
  assert.deepEqual(plain(st.values), { vault: { enabled: false }, myChartVer: '1.0.0', replicas: 3 });
  assert.deepEqual(ids(resolveTargets(st).targets), ['kube-context/another/grafana']);
});

test('helmfile-layers: each part renders with the values of the parts before (docs "Layering State Template Files")', () => {
  const st = load('helmfile-layers', 'test');
  const [t] = resolveTargets(st).targets;
  // "rendered to: chart: mychart-dog"; helmDefaults from mydefaults.yaml.gotmpl: kubeContext test, wait false.
  assert.equal(t!.release.chart, 'mychart-dog');
  assert.equal(t!.cluster.kubeContext, 'test');
  assert.equal(t!.release.wait, false);
  assert.equal(t!.release.timeout, 600);
  assert.equal(t!.release.force, true);
  assert.deepEqual(plain(t!.values), { replicaCount: 1, image: { repository: 'nginx', tag: 'latest' } });
});

test('helmfile-nested: values passed to a sub-helmfile, installed from get, and an entry\'s selectors', () => {
  // docs/writing-helmfile.md "Re-using environment state in sub-helmfiles".
  const stage = resolveTargets(load('helmfile-nested', 'stage')).targets;
  assert.deepEqual(ids(stage), ['default//mychart-staged', 'default//kept']);
  const t = stage[0]!;
  assert.equal(t.release.installed, true);
  assert.equal(t.release.version, '0.1.0');
  assert.deepEqual(plain(t.values), { fullnameOverride: 'staged' });
  const prod = resolveTargets(load('helmfile-nested', 'prod')).targets;
  assert.equal(prod[0]!.id, 'default//mychart-production');
  assert.equal(prod[0]!.release.installed, false);
});

test('helmfile-templates: release templates with inherit/except, anchors, missing files skipped with Warn', () => {
  // docs/writing-helmfile.md "Release Template / Conventional Directory Structure".
  const st = load('helmfile-templates');
  const { targets } = resolveTargets(st);
  assert.deepEqual(ids(targets), ['default/kube-system/heapster', 'default/kube-system/kubernetes-dashboard', 'default/monitoring/prometheus']);
  const heapster = byId(targets, 'default/kube-system/heapster');
  assert.equal(heapster.release.chart, 'stable/heapster');
  assert.equal(heapster.release.version, '0.3.2');
  assert.deepEqual(plain(heapster.values), { from: 'values', resources: 'small' });
  assert.deepEqual(heapster.release.secrets, []); // except: [secrets]
  const dash = byId(targets, 'default/kube-system/kubernetes-dashboard');
  assert.deepEqual(dash.release.secrets, [join(fixture('helmfile-templates'), 'config/kubernetes-dashboard/secrets.yaml')]);
  assert.deepEqual(plain(dash.values), { dashboard: true });
  assert.equal(byId(targets, 'default/monitoring/prometheus').release.chart, 'stable/anchored');
  // missingFileHandler: Warn — the missing default.yaml files are reported, not fatal.
  assert.ok(st.warnings.some((w) => w.startsWith('warn: skipping missing values file') && w.includes('heapster/default.yaml')));
  const prod = resolveTargets(load('helmfile-templates', 'production')).targets;
  assert.deepEqual(plain(prod[0]!.values), { from: 'values', resources: 'large' });
});
