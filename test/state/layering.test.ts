// Values layering, rule by rule (helmfile docs/values-and-merging.md, pkg/state/create.go, state_exec_tmpl.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStateSync } from '../../src/state/index.js';
import { tree, targetsOf, plain, throwsState, chartFiles } from './support.js';

const C = chartFiles('c');

test('state values: bases < root values < environment values < cluster values < --state-values-file < --state-values-set', () => {
  // docs/values-and-merging.md "Values Sources and Precedence" (1. bases, 2. root values, 3. environment values,
  // 6. CLI overrides); bosun puts cluster values right below the CLI overrides.
  const dir = tree({
    ...C,
    'base.yaml': 'values:\n  - {k0: base, k1: base, k2: base, k3: base, k4: base, k5: base}\nenvironments:\n  prod:\n    values:\n      - {e0: base-env, e1: base-env}\n',
    'bosun.yaml': [
      'bases: [base.yaml]',
      'values:',
      '  - {k1: root, k2: root, k3: root, k4: root, k5: root}',
      'environments:',
      '  prod:',
      '    values:',
      '      - {k2: env, k3: env, k4: env, k5: env, e1: env}',
      '    clusters:',
      '      - name: c',
      '        values: [{k3: cluster, k4: cluster, k5: cluster}]',
      'releases:',
      '  - {name: a, chart: ./charts/c}',
      '',
    ].join('\n'),
    'cli.yaml': 'k4: file\nk5: file\n',
  });
  const [t] = targetsOf(dir, { environment: 'prod', stateValuesFiles: ['cli.yaml'], stateValuesSet: ['k5=set'] });
  assert.deepEqual(plain(t!.stateValues), { k0: 'base', k1: 'root', k2: 'env', k3: 'cluster', k4: 'file', k5: 'set', e0: 'base-env', e1: 'env' });
});

test('maps merge deeply, lists are replaced, a list with nulls merges element by element', () => {
  // docs/values-and-merging.md "Array Merge Strategies": sparse auto-detection for state values.
  const dir = tree({
    ...C,
    'bosun.yaml': [
      'values:',
      '  - {m: {a: 1, b: {c: 1}}, l: [1, 2, 3], s: [a, b, c]}',
      '  - {m: {b: {d: 2}}, l: [9], s: [null, B]}',
      'releases:',
      '  - {name: a, chart: ./charts/c}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(plain(targetsOf(dir)[0]!.stateValues), { m: { a: 1, b: { c: 1, d: 2 } }, l: [9], s: ['a', 'B', 'c'] });
});

test('--state-values-set merges lists element by element; --state-values-file lists replace', () => {
  // docs/values-and-merging.md "CLI Override Strategy (Element-by-Element Merge)".
  const dir = tree({ ...C, 'over.yaml': 'servers: [x]\n', 'bosun.yaml': 'values:\n  - servers: [a, b, c]\nreleases:\n  - {name: a, chart: ./charts/c}\n' });
  assert.deepEqual(plain(targetsOf(dir, { stateValuesSet: ['servers[0]=prod1'] })[0]!.stateValues), { servers: ['prod1', 'b', 'c'] });
  assert.deepEqual(plain(targetsOf(dir, { stateValuesFiles: ['over.yaml'] })[0]!.stateValues), { servers: ['x'] });
});

test('environments from bases merge deeply: values lists concatenate, the including file wins', () => {
  // pkg/state/create.go mergeEnvironments: later layer's values come after the base's.
  const dir = tree({
    ...C,
    'envs.yaml': 'environments:\n  prod:\n    kubeContext: base-ctx\n    values: [{a: base, b: base}]\n',
    'bosun.yaml': 'bases: [envs.yaml]\nenvironments:\n  prod:\n    values: [{b: main}]\nreleases:\n  - {name: a, chart: ./charts/c}\n',
  });
  const [t] = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(plain(t!.stateValues), { a: 'base', b: 'main' });
  assert.equal(t!.cluster.kubeContext, 'base-ctx');
});

test('release values: valuesTemplate < template values < values entries in order < set < setString', () => {
  // pkg/state/release.go: valuesTemplate entries are put before values; inherited template values are appended
  // before the release's own (mergo WithAppendSlice); each values entry is one `helm -f` in order; --set, then
  // --set-string (Helm's MergeValues order).
  const dir = tree({
    ...C,
    'f.yaml': 'k3: file\nk4: file\n',
    'bosun.yaml': [
      'templates:',
      '  t:',
      '    values: [{k1: tpl, k2: tpl}]',
      'releases:',
      '  - name: a',
      '    chart: ./charts/c',
      '    inherit: [{template: t}]',
      '    valuesTemplate: [{k0: vt, k1: vt}]',
      '    values:',
      '      - {k2: inline, k3: inline}',
      '      - f.yaml',
      '    set:',
      '      - {name: k4, value: set}',
      '      - {name: k5, value: "5"}',
      '    setString:',
      '      - {name: k5, value: "5"}',
      '',
    ].join('\n'),
  });
  const [t] = targetsOf(dir);
  assert.deepEqual(plain(t!.values, true), { k0: 'vt', k1: 'tpl', k2: 'inline', k3: 'file', k4: 'set', k5: '5' });
  assert.equal(t!.valuesSources.length, 4);
});

test('values entries apply in the order listed, files and inline maps alike', () => {
  const dir = tree({ ...C, 'f.yaml': 'k: file\n', 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - f.yaml\n      - {k: inline}\n' });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values), { k: 'inline' });
});

test('release values follow Helm: numbers are float64, --set integers int64, lists replace, files may hold several documents', () => {
  const dir = tree({
    ...C,
    'multi.yaml': 'a: 1\nl: [1, 2]\n---\nb: 2\n',
    'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - multi.yaml\n      - {l: [3], n: 3}\n    set:\n      - {name: replicas, value: 3}\n',
  });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values, true), { a: 1, b: 2, l: [3], n: 3, replicas: { int: 3 } });
});

test('set entries: values lists, files, and escaped commas and braces', () => {
  // helmfile pkg/state/state.go: values → --set name={a,b}; file → --set-file; names and values are escaped.
  const dir = tree({
    ...C,
    'ca.pem': 'PEM\n',
    'bosun.yaml': [
      'releases:',
      '  - name: a',
      '    chart: ./charts/c',
      '    set:',
      '      - {name: hosts, values: [a.example.com, b.example.com]}',
      '      - {name: ca, file: ca.pem}',
      '      - {name: csv, value: "x,y"}',
      '      - {name: braces, value: "{z}"}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values), { hosts: ['a.example.com', 'b.example.com'], ca: 'PEM\n', csv: 'x,y', braces: '{z}' });
});

test('a missing values file is an error at its entry, unless missingFileHandler says otherwise', () => {
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - there.yaml\n      - missing.yaml\n', 'there.yaml': 'x: 1\n' });
  throwsState(() => targetsOf(dir), { file: 'bosun.yaml', line: 6, field: 'releases[0].values[1]', message: /values file missing\.yaml does not exist/ });
  const warn = tree({ ...C, 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    missingFileHandler: Warn\n    values: [missing.yaml, {x: 1}]\n' });
  const st = loadStateSync({ cwd: warn });
  assert.deepEqual(plain(targetsOf(warn)[0]!.values), { x: 1 });
  void st;
});

test('environment values: missing files follow the environment, then the state, missingFileHandler', () => {
  const envLevel = tree({ 'bosun.yaml': 'environments:\n  prod:\n    missingFileHandler: Info\n    values: [nope.yaml, {a: 1}]\n' });
  const st = loadStateSync({ cwd: envLevel, environment: 'prod' });
  assert.deepEqual(plain(st.values), { a: 1 });
  assert.match(st.warnings[0]!, /^info: skipping missing values file nope\.yaml/);
  const stateLevel = tree({ 'bosun.yaml': 'missingFileHandler: Warn\nenvironments:\n  prod:\n    values: [nope.yaml]\n' });
  assert.doesNotThrow(() => loadStateSync({ cwd: stateLevel, environment: 'prod' }));
  const strict = tree({ 'bosun.yaml': 'environments:\n  prod:\n    values:\n      - nope.yaml\n' });
  throwsState(() => loadStateSync({ cwd: strict, environment: 'prod' }), { line: 4, field: 'environments.prod.values[0]', message: /values file nope\.yaml does not exist/ });
});

test('values files may be glob patterns, matched in sorted order', () => {
  const dir = tree({ ...C, 'v/b.yaml': 'k: b\nb: 1\n', 'v/a.yaml': 'k: a\na: 1\n', 'bosun.yaml': 'values: ["v/*.yaml"]\nreleases:\n  - {name: a, chart: ./charts/c, values: ["v/*.yaml"]}\n' });
  const [t] = targetsOf(dir);
  assert.deepEqual(plain(t!.stateValues), { k: 'b', a: 1, b: 1 });
  assert.deepEqual(plain(t!.values), { k: 'b', a: 1, b: 1 });
});

test('helmDefaults apply to every release; the release wins; commonLabels win over release labels', () => {
  // docs/configuration.md: helmDefaults are defaults, per-release options override them; pkg/state
  // state_exec_tmpl.go copies commonLabels over the release's labels.
  const dir = tree({
    ...C,
    'bosun.yaml': 'helmDefaults:\n  wait: true\n  timeout: 600\n  atomic: true\ncommonLabels:\n  team: platform\nreleases:\n  - name: a\n    chart: ./charts/c\n    wait: false\n    labels: {team: mine, tier: web}\n  - {name: b, chart: ./charts/c}\n',
  });
  const [a, b] = targetsOf(dir);
  assert.deepEqual([a!.release.wait, a!.release.timeout, a!.release.atomic, a!.release.createNamespace, a!.release.historyMax], [false, 600, true, true, 10]);
  assert.deepEqual([b!.release.wait, b!.release.timeout], [true, 600]);
  assert.deepEqual(a!.release.labels, { team: 'platform', tier: 'web' });
});

test('a later part replaces the lists of earlier parts (helmfile does not merge arrays across layers)', () => {
  // docs/writing-helmfile.md "Merging Arrays in Layers": the releases of the last layer win.
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - {name: metricbeat, chart: ./charts/c}\n---\nreleases:\n  - {name: myapp, chart: ./charts/c}\n' });
  assert.deepEqual(
    targetsOf(dir).map((t) => t.release.name),
    ['myapp'],
  );
});

test('releases from bases are appended before the including file\'s releases', () => {
  // pkg/state/create.go loadBases: mergo.Merge with WithAppendSlice.
  const dir = tree({ ...C, 'common.yaml': 'releases:\n  - {name: common, chart: ./charts/c}\n', 'bosun.yaml': 'bases: [common.yaml]\nreleases:\n  - {name: own, chart: ./charts/c}\n' });
  assert.deepEqual(
    targetsOf(dir).map((t) => t.release.name),
    ['common', 'own'],
  );
});
