// The bad inputs of the issue, each one clear error naming file and line, raised before anything is rendered.
import { test } from 'node:test';
import { loadStateSync } from '../../src/state/index.js';
import { tree, targetsOf, throwsState, chartFiles } from './support.js';

const C = chartFiles('c');

test('unknown key', () => {
  const dir = tree({ 'bosun.yaml': 'releases:\n  - name: a\n    chart: x/y\n    namespce: apps\n' });
  throwsState(() => loadStateSync({ cwd: dir }), { file: 'bosun.yaml', line: 4, field: 'releases[0].namespce', message: /unknown key "namespce" \(did you mean "namespace"\?\)/ });
});

test('unknown environment', () => {
  const dir = tree({ 'bosun.yaml': 'releases: []\nenvironments:\n  staging: {}\n  prod: {}\n' });
  throwsState(() => loadStateSync({ cwd: dir, environment: 'qa' }), { file: 'bosun.yaml', line: 2, field: 'environments', message: /environment "qa" is not defined \(defined: staging, prod\)/ });
  // A state without environments only knows `default` (helmfile: UndefinedEnvError).
  const none = tree({ 'bosun.yaml': 'releases: []\n' });
  throwsState(() => loadStateSync({ cwd: none, environment: 'qa' }), { file: 'bosun.yaml', message: /environment "qa" is not defined/ });
});

test('missing values file', () => {
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - values/a.yaml\n' });
  throwsState(() => targetsOf(dir), { file: 'bosun.yaml', line: 5, field: 'releases[0].values[0]', message: /values file values\/a\.yaml does not exist/ });
});

test('undefined need', () => {
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    needs:\n      - platform/certs\n' });
  throwsState(() => targetsOf(dir), { file: 'bosun.yaml', line: 5, field: 'releases[0].needs[0]', message: /needs "platform\/certs", which is not defined in cluster "default"/ });
});

test('a needs cycle', () => {
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - {name: a, chart: ./charts/c, needs: [b]}\n  - {name: b, chart: ./charts/c, needs: [a]}\n' });
  throwsState(() => targetsOf(dir), { file: 'bosun.yaml', line: 2, field: 'releases[0].needs[0]', message: /^needs cycle: default\/\/a -> default\/\/b -> default\/\/a$/ });
});

test('a template error in a .gotmpl', () => {
  const parse = tree({ 'bosun.yaml.gotmpl': 'releases:\n  - name: a\n---\nreleases:\n  - name: {{ .Values.x\n' });
  throwsState(() => loadStateSync({ cwd: parse }), { file: 'bosun.yaml.gotmpl', line: 6, message: /^template: unclosed action started at bosun\.yaml\.gotmpl:5$/ });
  const exec = tree({ 'bosun.yaml.gotmpl': '# first part\n---\nreleases:\n  - name: {{ fail "no name" }}\n' });
  throwsState(() => loadStateSync({ cwd: exec }), { file: 'bosun.yaml.gotmpl', line: 4, message: /no name/ });
});

test('a release name used twice in one cluster', () => {
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - {name: a, chart: ./charts/c}\n  - {name: a, chart: ./charts/c}\n' });
  throwsState(() => targetsOf(dir), { file: 'bosun.yaml', line: 3, field: 'releases[1].name', message: /release "a" is defined twice in cluster "default"/ });
});

test('a values file that is not a map', () => {
  const release = tree({ ...C, 'list.yaml': '- a\n- b\n', 'bosun.yaml': 'releases:\n  - {name: a, chart: ./charts/c, values: [list.yaml]}\n' });
  throwsState(() => targetsOf(release), { file: 'list.yaml', message: /values must be a map: .*cannot unmarshal array into Go value of type map\[string\]interface \{\}/ });
  const env = tree({ 'scalar.yaml': 'just text\n', 'bosun.yaml': 'environments:\n  prod:\n    values: [scalar.yaml]\n' });
  throwsState(() => loadStateSync({ cwd: env, environment: 'prod' }), { file: 'scalar.yaml', line: 1, message: /values file must hold a map, not a scalar/ });
});

test('helmfile features bosun does not support yet fail clearly: HCL and remote values files', () => {
  const hcl = tree({ 'bosun.yaml': 'environments:\n  prod:\n    values: [values.hcl]\n' });
  throwsState(() => loadStateSync({ cwd: hcl, environment: 'prod' }), { line: 3, field: 'environments.prod.values[0]', message: /HCL values files are not supported by bosun yet/ });
  const remote = tree({ 'bosun.yaml': 'values:\n  - git::https://github.com/org/repo.git@values.yaml?ref=main\n' });
  throwsState(() => loadStateSync({ cwd: remote }), { line: 2, field: 'values[0]', message: /remote values files are not supported by bosun yet/ });
});
