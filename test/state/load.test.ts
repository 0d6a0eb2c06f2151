// Loading state files: discovery, schema validation with file:line:field errors, the schema itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStateSync, StateError, stateSchema, schemaPath, formatField } from '../../src/state/index.js';
import { tree, targetsOf, ids, throwsState, chartFiles } from './support.js';

const rel = (name: string) => `  - name: ${name}\n    chart: ./charts/c\n`;

test('state file discovery: bosun.yaml wins over helmfile.yaml in the working directory', () => {
  const dir = tree({ ...chartFiles('c'), 'bosun.yaml': `releases:\n${rel('from-bosun')}`, 'helmfile.yaml': `releases:\n${rel('from-helmfile')}` });
  assert.deepEqual(ids(targetsOf(dir)), ['default//from-bosun']);
});

test('state file discovery: helmfile.yaml.gotmpl, and -f naming a directory', () => {
  const dir = tree({ ...chartFiles('c'), 'sub/helmfile.yaml.gotmpl': `releases:\n  - name: {{ "tpl" }}\n    chart: ../charts/c\n` });
  assert.deepEqual(ids(targetsOf(dir, { file: 'sub' })), ['default//tpl']);
});

test('helmfile.d/*.yaml(.gotmpl) are loaded in sorted order, each an independent state', () => {
  // helmfile docs/index.md "Single directory": all the yaml files under helmfile.d are processed in alphabetical order.
  const dir = tree({
    ...chartFiles('c'),
    'helmfile.d/01-frontend.yaml': `releases:\n  - name: frontend\n    chart: ../charts/c\n`,
    'helmfile.d/00-backend.yaml.gotmpl': `releases:\n  - name: backend-{{ .Environment.Name }}\n    chart: ../charts/c\n`,
    'helmfile.d/00-database.yaml': `releases:\n  - name: database\n    chart: ../charts/c\n`,
  });
  assert.deepEqual(ids(targetsOf(dir)), ['default//backend-default', 'default//database', 'default//frontend']);
});

test('no state file is an error naming the directory', () => {
  const dir = tree({ 'README.md': 'x' });
  assert.throws(() => loadStateSync({ cwd: dir }), (e: unknown) => e instanceof StateError && /no state file found/.test(e.message));
});

test('an unknown top-level key is an error with file, line and a suggestion', () => {
  const dir = tree({ 'bosun.yaml': 'releases: []\nhelmDefault:\n  wait: true\n' });
  throwsState(() => loadStateSync({ cwd: dir }), { file: 'bosun.yaml', line: 2, field: 'helmDefault', message: /unknown key "helmDefault" \(did you mean "helmDefaults"\?\)/ });
});

test('an unknown release key names the release field path', () => {
  const dir = tree({ ...chartFiles('c'), 'bosun.yaml': `releases:\n${rel('a')}${rel('b')}    replicas: 3\n` });
  const e = throwsState(() => loadStateSync({ cwd: dir }), { file: 'bosun.yaml', line: 6, field: 'releases[1].replicas', message: /unknown key "replicas"/ });
  assert.equal(e.message, 'bosun.yaml:6: releases[1].replicas: unknown key "replicas"');
});

test('a helmfile key bosun does not support yet is a clear error naming it', () => {
  const dir = tree({ 'helmfile.yaml': `releases:\n  - name: a\n    chart: x/y\n    postRenderer: ./kustomize.sh\n` });
  throwsState(() => loadStateSync({ cwd: dir }), { line: 4, field: 'releases[0].postRenderer', message: /helmfile key "postRenderer" is not supported by bosun yet/ });
  const dir2 = tree({ 'helmfile.yaml': `helmDefaults:\n  args: ["--debug"]\n` });
  throwsState(() => loadStateSync({ cwd: dir2 }), { line: 2, field: 'helmDefaults.args', message: /helmfile key "args" is not supported/ });
  const dir3 = tree({ 'helmfile.yaml': `environments:\n  prod:\n    mergeStrategy: fallback\n`, 'x': '' });
  throwsState(() => loadStateSync({ cwd: dir3, environment: 'prod' }), { line: 3, field: 'environments.prod.mergeStrategy', message: /not supported by bosun yet/ });
});

test('helmfile keys taken as helmfile resolves them: rollbackOnFailure is atomic, cascade and suppressOutputLineRegex keep their layers', () => {
  const dir = tree({
    ...chartFiles('c'),
    'helmfile.yaml':
      "helmDefaults:\n  rollbackOnFailure: true\n  cascade: orphan\n  suppressOutputLineRegex: ['a']\n  waitRetries: 3\n  skipRefresh: true\n" +
      "releases:\n  - {name: a, chart: ./charts/c, cascade: foreground, continueOnError: true, suppressOutputLineRegex: ['', 'b']}\n  - {name: b, chart: ./charts/c, atomic: false, suppressOutputLineRegex: []}\n",
  });
  const [a, b] = targetsOf(dir);
  assert.equal(a!.release.atomic, true, 'helmDefaults.rollbackOnFailure');
  assert.equal(b!.release.atomic, true, 'atomic: false on the release does not turn off rollbackOnFailure from helmDefaults');
  assert.deepEqual(a!.release.cascade, { release: 'foreground', defaults: 'orphan' });
  assert.deepEqual(b!.release.cascade, { release: undefined, defaults: 'orphan' });
  assert.deepEqual(a!.release.suppressOutputLineRegex, { release: ['b'], defaults: ['a'] }, 'empty patterns are skipped');
  assert.deepEqual(b!.release.suppressOutputLineRegex, { release: undefined, defaults: ['a'] }, 'an empty list leaves it to the next layer');
});

test('unknown keys in nested places: environments, clusters, templates, set entries', () => {
  const cases: [string, number, string][] = [
    ['environments:\n  prod:\n    value: []\n', 3, 'environments.prod.value'],
    ['environments:\n  prod:\n    clusters:\n      - name: a\n        context: x\n', 5, 'environments.prod.clusters[0].context'],
    ['templates:\n  t:\n    namespce: x\n', 3, 'templates.t.namespce'],
    ['releases:\n  - name: a\n    chart: x/y\n    set:\n      - name: k\n        val: 1\n', 6, 'releases[0].set[0].val'],
  ];
  for (const [text, line, field] of cases) {
    const dir = tree({ 'bosun.yaml': text });
    throwsState(() => loadStateSync({ cwd: dir, environment: 'prod' }), { line, field, message: /unknown key/ });
  }
});

test('errors in a rendered .gotmpl point at the template line even when rendering changed the line count', () => {
  const dir = tree({
    'bosun.yaml.gotmpl': 'releases:\n{{- range list "a" "b" "c" }}\n  - name: {{ . }}\n    chart: x/y\n{{- end }}\n  - name: d\n    chart: x/y\n    bogus: 1\n',
  });
  throwsState(() => loadStateSync({ cwd: dir }), { file: 'bosun.yaml.gotmpl', line: 8, field: 'releases[3].bogus', message: /unknown key "bogus"/ });
});

test('wrong types are errors at the field', () => {
  const dir = tree({ 'bosun.yaml': 'releases:\n  - name: a\n    chart: x/y\n    wait: "yes"\n' });
  throwsState(() => loadStateSync({ cwd: dir }), { line: 4, field: 'releases[0].wait', message: /must be true or false/ });
  const dir2 = tree({ 'bosun.yaml': 'releases:\n  - name: a\n    chart: x/y\n    values: foo.yaml\n' });
  throwsState(() => loadStateSync({ cwd: dir2 }), { line: 4, field: 'releases[0].values', message: /must be a list/ });
  const dir3 = tree({ 'bosun.yaml': 'environments:\n  prod:\n    missingFileHandler: Ignore\n' });
  throwsState(() => loadStateSync({ cwd: dir3, environment: 'prod' }), { line: 3, field: 'environments.prod.missingFileHandler', message: /one of Error, Warn, Info, Debug/ });
});

test('a YAML syntax error names the line', () => {
  const dir = tree({ 'bosun.yaml': 'releases:\n  - name: a\n    chart: [x\n' });
  throwsState(() => loadStateSync({ cwd: dir }), { file: 'bosun.yaml', message: /^yaml: / });
});

test('a key given twice is an error (go-yaml v3 rejects duplicate keys)', () => {
  const dir = tree({ 'bosun.yaml': 'releases: []\nreleases: []\n' });
  throwsState(() => loadStateSync({ cwd: dir }), { line: 2, message: /yaml: .*unique/i });
});

test('numbers in string fields keep their text (go-yaml decodes scalars into strings verbatim)', () => {
  const dir = tree({ ...chartFiles('c'), 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    version: 1.10\n    labels:\n      build: 007\n' });
  const [t] = targetsOf(dir);
  assert.equal(t!.release.version, '1.10');
  assert.equal(t!.release.labels.build, '007');
});

test('StateError prints file:line: field: message', () => {
  assert.equal(new StateError('a.yaml', 3, 'releases[0].name', 'bad').message, 'a.yaml:3: releases[0].name: bad');
  assert.equal(new StateError('a.yaml', 0, '', 'bad').message, 'a.yaml: bad');
  assert.equal(formatField(['environments', 'prod', 'clusters', 0, 'values', 2]), 'environments.prod.clusters[0].values[2]');
  assert.equal(formatField(['templates', 'my template']), 'templates["my template"]');
});

test('the JSON schema is draft 2020-12 and every key has a description (for editor completion)', () => {
  const schema = stateSchema();
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual(JSON.parse(readFileSync(schemaPath(), 'utf8')), schema);
  const missing: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${path}/${i}`));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.properties) {
      for (const [k, v] of Object.entries(o.properties as Record<string, Record<string, unknown>>)) {
        const desc = v.description ?? (typeof v.$ref === 'string' ? (schema.$defs as Record<string, Record<string, unknown>>)[v.$ref.slice(8)]?.description : undefined);
        if (typeof desc !== 'string' || desc.length < 5) missing.push(`${path}/properties/${k}`);
      }
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
  };
  walk(schema, '#');
  assert.deepEqual(missing, []);
  // Bosun's own keys are in it.
  const defs = schema.$defs as Record<string, { properties?: Record<string, unknown> }>;
  assert.ok(defs.releaseFields!.properties!.clusters && defs.releaseFields!.properties!.clusterSelector);
  assert.ok(defs.cluster!.properties!.labels);
});

test('the examples validate against the schema file used by editors', () => {
  const root = join(schemaPath(), '..', '..');
  for (const f of ['examples/platform/bosun.yaml', 'examples/helmfile/helmfile.yaml']) {
    assert.doesNotThrow(() => loadStateSync({ cwd: root, file: f, environment: f.includes('platform') ? 'staging' : 'production' }));
  }
});
