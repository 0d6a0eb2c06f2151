// Selectors (-l) and the needs flags, as helmfile documents them (docs/index.md "Labels Overview" and
// "Selectors and needs"; pkg/state/release_filters.go; pkg/app/app_diff_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStateSync, resolveTargets, parseSelector, matchesSelector, SelectorError } from '../../src/state/index.js';
import { tree, ids, throwsState, chartFiles } from './support.js';

// The docs' example: serviceA needs serviceB needs serviceC; serviceD stands alone.
const docsExample = tree({
  ...chartFiles('c'),
  'helmfile.yaml': [
    'releases:',
    '  - {name: serviceA, chart: ./charts/c, needs: [serviceB]}',
    '  - {name: serviceB, chart: ./charts/c, needs: [serviceC]}',
    '  - {name: serviceC, chart: ./charts/c}',
    '  - {name: serviceD, chart: ./charts/c}',
    '',
  ].join('\n'),
});

const resolve = (dir: string, opts: Parameters<typeof resolveTargets>[1], load = {}) => resolveTargets(loadStateSync({ cwd: dir, ...load }), opts);
const names = (r: ReturnType<typeof resolve>) => r.graph.topoOrder().map((id) => id.split('/')[2]);

test('-l name=serviceA: needs are skipped by default', () => {
  const r = resolve(docsExample, { selectors: ['name=serviceA'] });
  assert.deepEqual(names(r), ['serviceA']);
  assert.deepEqual(r.targets[0]!.release.needs, []);
});

test('--include-needs adds the direct needs', () => {
  const r = resolve(docsExample, { selectors: ['name=serviceA'], includeNeeds: true });
  assert.deepEqual(names(r), ['serviceB', 'serviceA']);
  assert.deepEqual(
    r.targets.map((t) => [t.release.name, t.selected]),
    [
      ['serviceA', true],
      ['serviceB', false],
    ],
  );
});

test('--include-transitive-needs adds needs of needs', () => {
  assert.deepEqual(names(resolve(docsExample, { selectors: ['name=serviceA'], includeTransitiveNeeds: true })), ['serviceC', 'serviceB', 'serviceA']);
});

test('--skip-needs=false without an include flag fails on an unselected need', () => {
  // pkg/app/app_diff_test.go: `release "…" depends on "…" which does not match the selectors …`.
  const dir = docsExample;
  throwsState(() => resolve(dir, { selectors: ['name=serviceA'], skipNeeds: false }), {
    field: 'releases[0].needs[0]',
    message: /release "default\/\/serviceA" depends on "default\/\/serviceB" which does not match the selectors\. Please add a selector like "--selector name=serviceB"/,
  });
});

test('no selector: everything, with every edge', () => {
  const r = resolve(docsExample, {});
  assert.deepEqual(names(r), ['serviceC', 'serviceB', 'serviceA', 'serviceD']);
});

const labelled = tree({
  ...chartFiles('web'),
  'bosun.yaml': [
    'environments:',
    '  prod:',
    '    clusters: [{name: eu}, {name: us}]',
    'repositories:',
    '  - {name: stable, url: https://charts.example.com}',
    'releases:',
    '  - {name: web, namespace: apps, chart: ./charts/web, labels: {tier: frontend, team: a}}',
    '  - {name: api, namespace: apps, chart: stable/api, labels: {tier: backend, team: a}}',
    '  - {name: db, namespace: data, chart: stable/postgres, labels: {tier: backend}}',
    '',
  ].join('\n'),
});

test('comma means and, repeated selectors mean or, != also matches a missing label', () => {
  const sel = (...s: string[]) => ids(resolve(labelled, { selectors: s }, { environment: 'prod' }).targets);
  assert.deepEqual(sel('tier=backend,team=a'), ['eu/apps/api', 'us/apps/api']);
  assert.deepEqual(sel('tier=frontend', 'tier=backend'), ['eu/apps/web', 'us/apps/web', 'eu/apps/api', 'us/apps/api', 'eu/data/db', 'us/data/db']);
  assert.deepEqual(sel('team!=a'), ['eu/data/db', 'us/data/db']);
  assert.deepEqual(sel('tier=backend,team!=a'), ['eu/data/db', 'us/data/db']);
});

test('implicit labels: name, namespace, chart (without repository) and cluster', () => {
  const sel = (...s: string[]) => ids(resolve(labelled, { selectors: s }, { environment: 'prod' }).targets);
  assert.deepEqual(sel('name=web'), ['eu/apps/web', 'us/apps/web']);
  assert.deepEqual(sel('namespace=data'), ['eu/data/db', 'us/data/db']);
  assert.deepEqual(sel('chart=postgres'), ['eu/data/db', 'us/data/db']);
  assert.deepEqual(sel('chart=web'), ['eu/apps/web', 'us/apps/web']);
  assert.deepEqual(sel('cluster=us,tier=backend'), ['us/apps/api', 'us/data/db']);
});

test('a malformed selector is an error', () => {
  assert.throws(() => parseSelector('tier'), SelectorError);
  assert.throws(() => parseSelector('a=b,,c=d'), /malformed label: \. Expected label in form k=v or k!=v/);
  throwsState(() => resolve(labelled, { selectors: ['tier==x'] }, { environment: 'prod' }), { file: '--selector', message: /malformed label/ });
  assert.equal(matchesSelector(parseSelector('a=1,b!=2'), { a: '1' }), true);
});

test('--include-needs does not pull in a need that is not installed', () => {
  // pkg/app/app_diff_test.go "include-needs should not fail on disabled direct need".
  const dir = tree({
    ...chartFiles('c'),
    'helmfile.yaml': 'releases:\n  - {name: disabled, chart: ./charts/c, namespace: kube-system, installed: false}\n  - {name: test2, chart: ./charts/c, needs: [kube-system/disabled]}\n  - {name: test3, chart: ./charts/c, needs: [test2]}\n',
  });
  assert.deepEqual(ids(resolve(dir, { selectors: ['name=test2'], includeNeeds: true }).targets), ['default//test2']);
  assert.deepEqual(ids(resolve(dir, { selectors: ['name=test3'], includeTransitiveNeeds: true }).targets), ['default//test2', 'default//test3']);
});

test('selectors of a helmfiles entry replace the command line\'s for the nested releases; [] selects all', () => {
  // docs/index.md "selectors": "When a selector is specified, only this selector applies".
  const dir = tree({
    ...chartFiles('c'),
    'a.yaml': 'releases:\n  - {name: prometheus, chart: ./charts/c}\n  - {name: grafana, chart: ./charts/c}\n',
    'b.yaml': 'releases:\n  - {name: loki, chart: ./charts/c}\n',
    'c.yaml': 'releases:\n  - {name: tempo, chart: ./charts/c}\n  - {name: web, chart: ./charts/c}\n',
    'bosun.yaml': 'helmfiles:\n  - {path: a.yaml, selectors: [name=prometheus]}\n  - {path: b.yaml, selectors: []}\n  - c.yaml\nreleases:\n  - {name: web2, chart: ./charts/c}\n',
  });
  assert.deepEqual(ids(resolve(dir, {}).targets), ['default//prometheus', 'default//loki', 'default//tempo', 'default//web', 'default//web2']);
  assert.deepEqual(ids(resolve(dir, { selectors: ['name=web'] }).targets), ['default//prometheus', 'default//loki', 'default//web']);
});
