// needs: resolution forms, per-cluster edges, cross-file needs, errors (undefined need, cycle with its path,
// duplicate release), installed: false and condition (helmfile docs/index.md "DAG-aware installation/deletion
// ordering with needs", pkg/app/dag_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStateSync, resolveTargets } from '../../src/state/index.js';
import { tree, targetsOf, ids, byId, throwsState, chartFiles } from './support.js';

const C = chartFiles('c');
const twoClusters = 'environments:\n  prod:\n    clusters:\n      - {name: eu, kubeContext: ctx-eu}\n      - {name: us, kubeContext: ctx-us}\n';

function state(releases: string, head = twoClusters): string {
  return tree({ ...C, 'bosun.yaml': `${head}releases:\n${releases}` });
}

test('needs resolve within the same cluster: name, namespace/name', () => {
  const dir = state(
    [
      '  - {name: certs, namespace: platform, chart: ./charts/c}',
      '  - {name: edge, namespace: ingress, chart: ./charts/c, needs: [platform/certs]}',
      '  - {name: api, namespace: apps, chart: ./charts/c, needs: [ingress/edge]}',
      '  - {name: web, namespace: apps, chart: ./charts/c, needs: [api]}',
      '',
    ].join('\n'),
  );
  const { targets, graph } = resolveTargets(loadStateSync({ cwd: dir, environment: 'prod' }));
  assert.deepEqual(byId(targets, 'eu/apps/web').release.needs, ['eu/apps/api']);
  assert.deepEqual(byId(targets, 'us/ingress/edge').release.needs, ['us/platform/certs']);
  assert.deepEqual(graph.levels(), [
    ['eu/platform/certs', 'us/platform/certs'],
    ['eu/ingress/edge', 'us/ingress/edge'],
    ['eu/apps/api', 'us/apps/api'],
    ['eu/apps/web', 'us/apps/web'],
  ]);
  // Each target may start as soon as its own needs are done, whatever the other cluster does.
  assert.deepEqual(graph.ready(new Set(['eu/platform/certs'])), ['us/platform/certs', 'eu/ingress/edge']);
});

test('a name-only need prefers the own namespace, takes a unique release elsewhere, and rejects an ambiguous one', () => {
  const ok = state('  - {name: db, namespace: data, chart: ./charts/c}\n  - {name: app, namespace: apps, chart: ./charts/c, needs: [db]}\n');
  assert.deepEqual(byId(targetsOf(ok, { environment: 'prod' }), 'eu/apps/app').release.needs, ['eu/data/db']);
  const own = state('  - {name: db, namespace: data, chart: ./charts/c}\n  - {name: db, namespace: apps, chart: ./charts/c}\n  - {name: app, namespace: apps, chart: ./charts/c, needs: [db]}\n');
  assert.deepEqual(byId(targetsOf(own, { environment: 'prod' }), 'eu/apps/app').release.needs, ['eu/apps/db']);
  const amb = state('  - {name: db, namespace: a, chart: ./charts/c}\n  - {name: db, namespace: b, chart: ./charts/c}\n  - {name: app, namespace: apps, chart: ./charts/c, needs: [db]}\n');
  throwsState(() => targetsOf(amb, { environment: 'prod' }), { line: 9, field: 'releases[2].needs[0]', message: /need "db" is ambiguous in cluster "eu": it matches a\/db, b\/db/ });
});

test('cluster/namespace/name names another cluster; a kubeContext works in its place (helmfile form)', () => {
  const dir = state('  - {name: dns, namespace: ops, chart: ./charts/c, clusters: [us]}\n  - {name: app, chart: ./charts/c, needs: [us/ops/dns]}\n  - {name: app2, chart: ./charts/c, needs: [ctx-us/ops/dns]}\n');
  const ts = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(byId(ts, 'eu//app').release.needs, ['us/ops/dns']);
  assert.deepEqual(byId(ts, 'us//app').release.needs, ['us/ops/dns']);
  assert.deepEqual(byId(ts, 'eu//app2').release.needs, ['us/ops/dns']);
});

test('helmfile-style needs with an implicit cluster: kubecontext/namespace/name and kubecontext//name', () => {
  // pkg/app/dag_test.go: with kube context "default", kube-system/logging is default/kube-system/logging.
  const dir = tree({
    ...C,
    'helmfile.yaml': [
      'releases:',
      '  - {name: logging, chart: ./charts/c, namespace: kube-system}',
      '  - {name: kes, chart: ./charts/c, namespace: kube-system, needs: [kube-system/logging]}',
      '  - {name: test2, chart: ./charts/c, needs: [default/kube-system/kes]}',
      '  - {name: test3, chart: ./charts/c, needs: [test2]}',
      '',
    ].join('\n'),
  });
  const { graph } = resolveTargets(loadStateSync({ cwd: dir }));
  assert.deepEqual(graph.levels(), [['default/kube-system/logging'], ['default/kube-system/kes'], ['default//test2'], ['default//test3']]);
});

test('needs work across nested state files', () => {
  const dir = tree({
    ...C,
    'infra/helmfile.yaml': 'releases:\n  - {name: certs, namespace: platform, chart: ../charts/c, needs: [apps/config]}\n',
    'bosun.yaml': 'helmfiles: [infra/helmfile.yaml]\nreleases:\n  - {name: config, namespace: apps, chart: ./charts/c}\n  - {name: web, namespace: apps, chart: ./charts/c, needs: [platform/certs]}\n',
  });
  const { targets, graph } = resolveTargets(loadStateSync({ cwd: dir }));
  assert.deepEqual(ids(targets), ['default/platform/certs', 'default/apps/config', 'default/apps/web']);
  assert.deepEqual(graph.topoOrder(), ['default/apps/config', 'default/platform/certs', 'default/apps/web']);
});

test('a needs cycle is an error with the cycle\'s path', () => {
  const dir = state(
    '  - name: a\n    chart: ./charts/c\n    needs: [b]\n  - name: b\n    chart: ./charts/c\n    needs: [c]\n  - name: c\n    chart: ./charts/c\n    needs: [a]\n',
  );
  const e = throwsState(() => targetsOf(dir, { environment: 'prod' }), { file: 'bosun.yaml', line: 9, field: 'releases[0].needs[0]', message: /^needs cycle: eu\/\/a -> eu\/\/b -> eu\/\/c -> eu\/\/a$/ });
  assert.match(e.message, /^bosun\.yaml:9: releases\[0\]\.needs\[0\]: needs cycle/);
});

test('an undefined need is an error naming the release, cluster and need', () => {
  const dir = state('  - name: a\n    chart: ./charts/c\n    needs: [ghost]\n');
  throwsState(() => targetsOf(dir, { environment: 'prod' }), { line: 9, field: 'releases[0].needs[0]', message: /release "a" in cluster "eu" needs "ghost", which is not defined in cluster "eu"$/ });
  const other = state('  - {name: db, chart: ./charts/c, clusters: [us]}\n  - name: a\n    chart: ./charts/c\n    needs: [db]\n');
  throwsState(() => targetsOf(other, { environment: 'prod' }), { field: 'releases[1].needs[0]', message: /not defined in cluster "eu" \(it is deployed to us; name another cluster/ });
  const badForm = state('  - {name: a, chart: ./charts/c, needs: [a/b/c/d]}\n');
  throwsState(() => targetsOf(badForm, { environment: 'prod' }), { message: /must be name, namespace\/name or cluster\/namespace\/name/ });
});

test('a release name used twice in one cluster is an error; another namespace is fine', () => {
  const dir = state('  - {name: a, namespace: x, chart: ./charts/c}\n  - {name: a, namespace: x, chart: ./charts/c}\n');
  throwsState(() => targetsOf(dir, { environment: 'prod' }), { line: 8, field: 'releases[1].name', message: /release "a" is defined twice in cluster "eu" \(namespace "x"\); first defined at bosun\.yaml:7/ });
  const ok = state('  - {name: a, namespace: x, chart: ./charts/c}\n  - {name: a, namespace: y, chart: ./charts/c}\n');
  assert.equal(targetsOf(ok, { environment: 'prod' }).length, 4);
});

test('installed: false keeps the target (to be uninstalled) and its edges', () => {
  // pkg/app/dag_test.go lists the disabled release in the DAG, with its dependents after it.
  const dir = state('  - {name: old, chart: ./charts/c, installed: false}\n  - {name: app, chart: ./charts/c, needs: [old]}\n');
  const ts = targetsOf(dir, { environment: 'prod' });
  assert.equal(byId(ts, 'eu//old').release.installed, false);
  assert.deepEqual(byId(ts, 'eu//app').release.needs, ['eu//old']);
});

test('condition false drops the target, and needs on it are dropped', () => {
  // docs/configuration.md "Condition": a values path ending in .enabled, or true/false.
  const dir = state(
    '  - {name: vault, chart: ./charts/c, condition: vault.enabled}\n  - {name: app, chart: ./charts/c, needs: [vault]}\n  - {name: off, chart: ./charts/c, condition: false}\n',
    twoClusters.replace('{name: us, kubeContext: ctx-us}', '{name: us, kubeContext: ctx-us, values: [{vault: {enabled: true}}]}'),
  );
  const ts = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(ids(ts), ['us//vault', 'eu//app', 'us//app']);
  assert.deepEqual(byId(ts, 'eu//app').release.needs, []);
  assert.deepEqual(byId(ts, 'us//app').release.needs, ['us//vault']);
  const bad = state('  - {name: v, chart: ./charts/c, condition: vault}\n');
  throwsState(() => targetsOf(bad, { environment: 'prod' }), { field: 'releases[0].condition', message: /ending in "\.enabled"/ });
});

test('release templates: inherit merges lists, own scalars win, except drops fields, cycles and unknown templates fail', () => {
  // docs/writing-helmfile.md "Release Template"; pkg/state/state_exec_tmpl.go releaseWithInheritedTemplate.
  const dir = tree({
    ...C,
    'bosun.yaml': [
      'templates:',
      '  base:',
      '    namespace: base-ns',
      '    labels: {tier: base, keep: yes}',
      '    needs: [first]',
      '  child:',
      '    inherit: [{template: base}]',
      '    namespace: child-ns',
      '    labels: {tier: child}',
      'releases:',
      '  - {name: first, namespace: child-ns, chart: ./charts/c}',
      '  - name: app',
      '    chart: ./charts/c',
      '    inherit: [{template: child, except: [labels]}]',
      '    labels: {own: "1"}',
      '',
    ].join('\n'),
  });
  const t = byId(targetsOf(dir), 'default/child-ns/app');
  assert.deepEqual(t.release.labels, { own: '1' });
  assert.deepEqual(t.release.needs, ['default/child-ns/first']);
  const cyc = tree({ 'bosun.yaml': 'templates:\n  a: {inherit: [{template: b}]}\n  b: {inherit: [{template: a}]}\nreleases:\n  - {name: x, chart: x/y, inherit: [{template: a}]}\n' });
  throwsState(() => targetsOf(cyc), { message: /cyclic inheritance detected: a->b->a/ });
  const missing = tree({ 'bosun.yaml': 'releases:\n  - {name: x, chart: x/y, inherit: [{template: nope}]}\n' });
  throwsState(() => targetsOf(missing), { line: 2, field: 'releases[0].inherit[0].template', message: /release "x" tried to inherit inexistent release template "nope"/ });
});

test('defaultInherit applies a template to every release', () => {
  const dir = tree({ ...C, 'bosun.yaml': 'templates:\n  d: {namespace: shared, chart: ./charts/c}\ndefaultInherit: d\nreleases:\n  - {name: a}\n  - {name: b, namespace: own}\n' });
  assert.deepEqual(ids(targetsOf(dir)), ['default/shared/a', 'default/own/b']);
});
