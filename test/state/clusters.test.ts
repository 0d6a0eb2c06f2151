// Environment clusters (bosun): one release fans out to every cluster of the environment; a release may narrow
// its clusters by name, by label selector, or by kubeContext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStateSync } from '../../src/state/index.js';
import { tree, targetsOf, ids, byId, plain, throwsState, chartFiles } from './support.js';

const C = chartFiles('c');

const clusters = [
  'environments:',
  '  prod:',
  '    clusters:',
  '      - {name: us-east-1, labels: {region: us-east-1, geo: us}}',
  '      - {name: eu-west-1, kubeContext: ctx-eu, labels: {region: eu-west-1, geo: eu}}',
  '      - {name: ap-south-1, labels: {region: ap-south-1, geo: ap}, values: [{edge: false}]}',
  '  staging:',
  '    clusters:',
  '      - {name: staging, labels: {geo: eu}}',
].join('\n');

function state(releases: string): string {
  return tree({ ...C, 'bosun.yaml': `${clusters}\nreleases:\n${releases}` });
}

test('a release fans out to every cluster of the environment, release by release', () => {
  const dir = state('  - {name: web, namespace: apps, chart: ./charts/c}\n  - {name: api, namespace: apps, chart: ./charts/c}\n');
  const ts = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(ids(ts), ['us-east-1/apps/web', 'eu-west-1/apps/web', 'ap-south-1/apps/web', 'us-east-1/apps/api', 'eu-west-1/apps/api', 'ap-south-1/apps/api']);
  assert.deepEqual(byId(ts, 'us-east-1/apps/web').cluster, { name: 'us-east-1', kubeContext: 'us-east-1', labels: { region: 'us-east-1', geo: 'us' } });
  assert.equal(byId(ts, 'eu-west-1/apps/web').cluster.kubeContext, 'ctx-eu');
  assert.deepEqual(ids(targetsOf(dir, { environment: 'staging' })), ['staging/apps/web', 'staging/apps/api']);
});

test('clusters: [names] narrows a release to those clusters', () => {
  const dir = state('  - {name: web, chart: ./charts/c, clusters: [eu-west-1, ap-south-1]}\n');
  assert.deepEqual(ids(targetsOf(dir, { environment: 'prod' })), ['eu-west-1//web', 'ap-south-1//web']);
});

test('an unknown cluster name is an error at the entry', () => {
  const dir = state('  - name: web\n    chart: ./charts/c\n    clusters: [eu-west-1, mars-1]\n');
  throwsState(() => targetsOf(dir, { environment: 'prod' }), { file: 'bosun.yaml', line: 13, field: 'releases[0].clusters[1]', message: /cluster "mars-1" is not a cluster of environment "prod"/ });
});

test('clusterSelector narrows by labels: comma = and, list = or, != and the implicit name label', () => {
  const dir = state(
    [
      '  - {name: eu, chart: ./charts/c, clusterSelector: "geo=eu"}',
      '  - {name: not-us, chart: ./charts/c, clusterSelector: "geo!=us"}',
      '  - {name: either, chart: ./charts/c, clusterSelector: ["geo=us", "name=ap-south-1"]}',
      '  - {name: both, chart: ./charts/c, clusterSelector: "geo=eu,region=eu-west-1"}',
      '  - {name: none, chart: ./charts/c, clusterSelector: "geo=mars"}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(ids(targetsOf(dir, { environment: 'prod' })), [
    'eu-west-1//eu',
    'eu-west-1//not-us',
    'ap-south-1//not-us',
    'us-east-1//either',
    'ap-south-1//either',
    'eu-west-1//both',
  ]);
});

test('a release kubeContext narrows to the clusters using it', () => {
  const dir = state('  - {name: web, chart: ./charts/c, kubeContext: ctx-eu}\n');
  assert.deepEqual(ids(targetsOf(dir, { environment: 'prod' })), ['eu-west-1//web']);
  const bad = state('  - {name: web, chart: ./charts/c, kubeContext: nowhere}\n');
  throwsState(() => targetsOf(bad, { environment: 'prod' }), { field: 'releases[0].kubeContext', message: /no cluster of environment "prod" uses kube context "nowhere"/ });
});

test('cluster values are state values of that cluster only; condition is evaluated per cluster', () => {
  const dir = tree({
    ...C,
    'bosun.yaml': `${clusters}\nvalues: [{edge: true}]\nreleases:\n  - {name: edge, chart: ./charts/c, condition: edge.enabled}\n  - {name: web, chart: ./charts/c}\n`.replace(
      'values: [{edge: true}]',
      'values: [{edge: {enabled: true}}]',
    ).replace('values: [{edge: false}]', 'values: [{edge: {enabled: false}}]'),
  });
  const ts = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(ids(ts), ['us-east-1//edge', 'eu-west-1//edge', 'us-east-1//web', 'eu-west-1//web', 'ap-south-1//web']);
  assert.deepEqual(plain(byId(ts, 'ap-south-1//web').stateValues), { edge: { enabled: false } });
  assert.deepEqual(plain(byId(ts, 'us-east-1//web').stateValues), { edge: { enabled: true } });
});

test('cluster values files are relative to the state file and may be templates with .Cluster', () => {
  const dir = tree({
    ...C,
    'clusters/common.yaml.gotmpl': 'host: {{ .Cluster.Name }}.{{ .Values.domain }}\nregion: {{ .Cluster.Labels.region }}\n',
    'bosun.yaml': 'values: [{domain: example.com}]\nenvironments:\n  prod:\n    clusters:\n      - {name: a, labels: {region: r1}, values: [clusters/common.yaml.gotmpl]}\nreleases:\n  - {name: web, chart: ./charts/c}\n',
  });
  assert.deepEqual(plain(targetsOf(dir, { environment: 'prod' })[0]!.stateValues), { domain: 'example.com', host: 'a.example.com', region: 'r1' });
});

test('without clusters, an environment is one cluster named after its kubeContext (or "default")', () => {
  const dir = tree({ ...C, 'helmfile.yaml': 'environments:\n  default: {}\n  prod:\n    kubeContext: prod-ctx\nreleases:\n  - {name: web, chart: ./charts/c}\n  - {name: other, chart: ./charts/c, kubeContext: other-ctx}\n' });
  assert.deepEqual(ids(targetsOf(dir)), ['default//web', 'other-ctx//other']);
  const prod = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(ids(prod), ['prod-ctx//web', 'other-ctx//other']);
  assert.equal(prod[0]!.cluster.kubeContext, 'prod-ctx');
  const hd = tree({ ...C, 'helmfile.yaml': 'helmDefaults: {kubeContext: hd-ctx}\nreleases:\n  - {name: web, chart: ./charts/c}\n' });
  assert.deepEqual(ids(targetsOf(hd)), ['hd-ctx//web']);
});

test('a nested state without clusters of its own fans out to its parent\'s clusters', () => {
  const dir = tree({
    ...C,
    'apps/helmfile.yaml': 'environments:\n  prod: {}\nreleases:\n  - {name: nested, chart: ../charts/c}\n',
    'bosun.yaml': `${clusters}\nhelmfiles: [apps/helmfile.yaml]\nreleases:\n  - {name: own, chart: ./charts/c, clusters: [us-east-1]}\n`,
  });
  assert.deepEqual(ids(targetsOf(dir, { environment: 'prod' })), ['us-east-1//nested', 'eu-west-1//nested', 'ap-south-1//nested', 'us-east-1//own']);
});

test('a cluster name used twice is an error', () => {
  const dir = tree({ 'bosun.yaml': 'environments:\n  prod:\n    clusters:\n      - name: a\n      - name: a\n' });
  throwsState(() => loadStateSync({ cwd: dir, environment: 'prod' }), { line: 5, field: 'environments.prod.clusters[1].name', message: /cluster "a" is defined twice/ });
});

test('the state exposes the environment\'s clusters', () => {
  const st = loadStateSync({ cwd: state(''), environment: 'prod' });
  assert.deepEqual(
    st.clusters.map((c) => `${c.name}@${c.kubeContext}`),
    ['us-east-1@us-east-1', 'eu-west-1@ctx-eu', 'ap-south-1@ap-south-1'],
  );
});
