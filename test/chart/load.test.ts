// Chart loading: every corpus chart against the real helm's view of it (test/fixtures/charts/corpus-listing.json:
// `helm package` listings, made by support/gen-corpus-listing.ts), INDEX.tsv template counts, and tables of Helm
// v4.1.4 loader behaviour and messages observed with the reference binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CORPUS, FIXTURES } from './support/root.js';
import { Chart, ChartError, loadChart, loadChartSync, loadFromMemory } from '../../src/chart/index.js';
import { missingDependencies } from '../../src/values/index.js';


/** Per chart (by its path as Helm saves it): template names and other file names, in order. */
interface View {
  templates: string[];
  files: string[];
}

const SPECIAL = new Set(['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json']);

/** Groups a `helm package` listing by chart (root/charts/sub/...). */
function viewOfListing(names: string[]): Map<string, View> {
  const out = new Map<string, View>();
  for (const n of names) {
    const parts = n.split('/');
    let base = parts[0]!;
    let i = 1;
    while (parts[i] === 'charts' && i + 2 < parts.length) {
      base += `/charts/${parts[i + 1]}`;
      i += 2;
    }
    const rel = parts.slice(i).join('/');
    let v = out.get(base);
    if (!v) out.set(base, (v = { templates: [], files: [] }));
    if (SPECIAL.has(rel)) continue;
    (rel.startsWith('templates/') ? v.templates : v.files).push(rel);
  }
  return out;
}

function viewOfChart(c: Chart): Map<string, View> {
  const out = new Map<string, View>();
  for (const ch of c.walk()) out.set(ch.fullPath, { templates: ch.templates.map((f) => f.name), files: ch.files.map((f) => f.name) });
  return out;
}

const listing = JSON.parse(readFileSync(join(FIXTURES, 'corpus-listing.json'), 'utf8')) as { charts: Record<string, string[]> };

test('corpus: every chart loads as helm loads it (templates, files, subcharts, order)', { skip: !existsSync(CORPUS) }, async () => {
  const names = readdirSync(join(CORPUS, 'charts')).sort();
  assert.equal(names.length, 40);
  for (const name of names) {
    const chart = await loadChart(join(CORPUS, 'charts', name));
    const mine = viewOfChart(chart);
    const helm = viewOfListing(listing.charts[name]!);
    if (name === 'kube-prometheus-stack') {
      // The corpus lacks this chart's four .tgz dependencies (the listing was made without them too).
      assert.deepEqual(missingDependencies(chart), ['kube-state-metrics', 'prometheus-node-exporter', 'grafana', 'prometheus-windows-exporter']);
    }
    assert.deepEqual([...mine.keys()].sort(), [...helm.keys()].sort(), `${name}: charts`);
    for (const [path, v] of helm) assert.deepEqual(mine.get(path), v, `${name}: ${path}`);
  }
});

test('corpus: template counts match INDEX.tsv (root/all), with the two explained exceptions', { skip: !existsSync(CORPUS) }, () => {
  const rows = readFileSync(join(CORPUS, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  // grafana: its .helmignore has `tests/`, which drops templates/tests/* (6 files INDEX counts; helm never loads them).
  // kube-prometheus-stack: 83 templates live in the four .tgz dependencies missing from the corpus.
  const expected: Record<string, string> = { grafana: '37/37', 'kube-prometheus-stack': '181/187' };
  for (const r of rows) {
    const c = loadChartSync(join(CORPUS, 'charts', r[0]!));
    let total = 0;
    for (const ch of c.walk()) total += ch.templates.length;
    assert.equal(`${c.templates.length}/${total}`, expected[r[0]!] ?? r[4], r[0]);
  }
});

test('fixtures: deps, ignore, legacy and schema load as helm package lists them', () => {
  const oracle = JSON.parse(readFileSync(join(FIXTURES, 'values-oracle.json'), 'utf8')) as { listing: Record<string, string[]> };
  for (const [name, names] of Object.entries(oracle.listing)) {
    const mine = viewOfChart(loadChartSync(join(FIXTURES, name)));
    const helm = viewOfListing(names);
    assert.deepEqual([...mine.keys()].sort(), [...helm.keys()].sort(), `${name}: charts`);
    for (const [path, v] of helm) assert.deepEqual(mine.get(path), v, `${name}: ${path}`);
  }
});

// ---------------------------------------------------------------------------------------------------------------

function chartDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bosun-load-'));
  const dir = join(root, 'c');
  mkdirSync(dir);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

function loadError(files: Record<string, string>): ChartError {
  const dir = chartDir(files);
  try {
    loadChartSync(dir);
  } catch (e) {
    assert.ok(e instanceof ChartError, String(e));
    return e;
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
  assert.fail('expected a load error');
}

const V2 = 'apiVersion: v2\nname: c\nversion: 1.0.0\n';

// Chart.yaml → `Error: <message>` as helm v4.1.4 printed it for `helm template r ./c`.
const CHART_YAML_ERRORS: Array<[string, string]> = [
  ['apiVersion: v3\nname: c\nversion: 1.0.0\n', 'invalid chart apiVersion'],
  ['apiVersion: v9\nname: c\nversion: 1.0.0\n', 'unsupported chart version'],
  [`${V2}apiVersion: 2\n`, 'unsupported chart version'],
  ['apiVersion: v2\nversion: 1.0.0\n', 'validation: chart.metadata.name is required'],
  ['', 'validation: chart.metadata.name is required'],
  ['apiVersion: v2\nname: a/b\nversion: 1.0.0\n', 'validation: chart.metadata.name "a/b" is invalid'],
  [`${V2}type: foo\n`, 'validation: chart.metadata.type must be application or library'],
  ['apiVersion: v2\nname: c\n', 'validation: chart.metadata.version is required'],
  ['apiVersion: v2\nname: c\nversion: 1.2.3-01\n', 'validation: chart.metadata.version "1.2.3-01" is invalid'],
  ['apiVersion: v2\nname: c\nversion: 1.2.3.4\n', 'validation: chart.metadata.version "1.2.3.4" is invalid'],
  ['apiVersion: v2\nname: c\nversion: 99999999999999999999.0.0\n', 'validation: chart.metadata.version "99999999999999999999.0.0" is invalid'],
  ['apiVersion: v2\nname: c\nversion: 1.2.3-\n', 'validation: chart.metadata.version "1.2.3-" is invalid'],
  ['apiVersion: v2\nname: c\nversion: latest\n', 'validation: chart.metadata.version "latest" is invalid'],
  [`${V2}dependencies:\n- name: x\n  alias: a.b\n`, 'validation: dependency "x" has disallowed characters in the alias'],
  [`${V2}dependencies:\n- name: x\n- name: x\n`, 'validation: more than one dependency with name or alias "x"'],
  [`${V2}dependencies:\n-\n`, 'validation: dependencies must not contain empty or null nodes'],
  [`${V2}maintainers:\n-\n`, 'validation: maintainers must not contain empty or null nodes'],
  [
    `${V2}keywords: foo\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.keywords of type []string',
  ],
  [
    `${V2}annotations: [1]\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.annotations of type map[string]string',
  ],
  [
    `${V2}annotations: {a: [1]}\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.annotations of type string',
  ],
  [
    `${V2}maintainers: x\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.maintainers of type []*v2.Maintainer',
  ],
  [
    `${V2}maintainers: [{name: [1]}]\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string',
  ],
  [
    `${V2}dependencies: [{name: x, tags: t}]\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Dependency.dependencies.tags of type []string',
  ],
  [
    `${V2}dependencies: [{name: x, enabled: 3}]\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Dependency.dependencies.enabled of type bool',
  ],
  [
    `${V2}dependencies: [{name: x, import-values: a}]\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Dependency.dependencies.import-values of type []interface {}',
  ],
  [
    `${V2}deprecated: 3\n`,
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Metadata.deprecated of type bool',
  ],
  [
    'apiVersion: v2\nname: [c]\nversion: 1.0.0\n',
    'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.name of type string',
  ],
  [`${V2}foo: [c\n`, "cannot load Chart.yaml: error converting YAML to JSON: yaml: line 4: did not find expected ',' or ']'"],
];

test('Chart.yaml: helm v4.1.4 load and validation errors', () => {
  for (const [chartYaml, want] of CHART_YAML_ERRORS) {
    const e = loadError({ 'Chart.yaml': chartYaml });
    assert.equal(e.helmMessage, want, chartYaml);
    assert.match(e.message, /Chart\.yaml/);
  }
});

test('Chart.yaml: values helm v4.1.4 showed for .Chart fields', () => {
  // version / appVersion as written in Chart.yaml → .Chart.Version|.Chart.AppVersion as helm printed them.
  const table: Array<[string, string, string]> = [
    ['1.0', '1.10', '1|1.1'],
    ['1.0', '3.14159265', '1|3.1415927'],
    ['1.0', '12345678', '1|12345678'],
    ['1.0', 'true', '1|true'],
    ['1.0', '0x1F', '1|31'],
    ['1.0', '010', '1|8'],
    ['1.0', '"1.0"', '1|1.0'],
    ['1.0', '~', '1|'],
    ['v1.2.3', '2024-01-01', 'v1.2.3|2024-01-01'],
    ['01.2.3', 'x', '01.2.3|x'],
  ];
  for (const [version, appVersion, want] of table) {
    const c = loadFromMemory([['Chart.yaml', `apiVersion: v2\nname: c\nversion: ${version}\nappVersion: ${appVersion}\n`]]);
    assert.equal(`${c.metadata.version}|${c.metadata.appVersion}`, want, `${version} / ${appVersion}`);
  }
  const c = loadFromMemory([
    [
      'Chart.yaml',
      `${V2}Name: d\nannotations: {a: 1, b: true, c: null, d: 1.5}\nsources: [1, true, null, 2.50]\ndescription: "a\\tb\\u0001c\\nd\\u00a0e\\u200bf"\nkeywords: ["a\\tb"]\nmaintainers: [{name: "a\\tb", email: 1}]\n`,
    ],
  ]);
  assert.equal(c.name, 'c'); // exact-case `name` wins over `Name`
  assert.deepEqual({ ...c.metadata.annotations }, { a: '1', b: 'true', c: '', d: '1.5' });
  assert.deepEqual(c.metadata.sources, ['1', 'true', '', '2.5']);
  assert.equal(c.metadata.description, 'a bc d ef');
  assert.deepEqual(c.metadata.keywords, ['a b']);
  assert.deepEqual(c.metadata.maintainers, [{ name: 'a b', email: '1', url: '' }]);
  assert.equal(loadFromMemory([['Chart.yaml', 'name: c\nversion: 1.0.0\n']]).metadata.apiVersion, 'v1');
});

test('loader: missing Chart.yaml and broken subcharts (helm v4.1.4 messages)', () => {
  const empty = mkdtempSync(join(tmpdir(), 'bosun-empty-'));
  try {
    assert.throws(
      () => loadChartSync(empty),
      (e: ChartError) => e.helmMessage === `unable to detect chart at ${join(empty, 'Chart.yaml')}: open ${join(empty, 'Chart.yaml')}: no such file or directory`,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  const p = { 'Chart.yaml': 'apiVersion: v2\nname: p\nversion: 1.0.0\n', 'templates/t.yaml': 'a: 1\n' };
  assert.equal(loadError({ ...p, 'charts/sub/README': 'x' }).helmMessage, 'error unpacking subchart sub in p: Chart.yaml file is missing');
  assert.equal(loadError({ ...p, 'charts/file.txt': 'x' }).helmMessage, 'error unpacking subchart file.txt in p: Chart.yaml file is missing');
  assert.equal(
    loadError({ ...p, 'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\n' }).helmMessage,
    'error unpacking subchart sub in p: validation: chart.metadata.version is required',
  );
  // charts/ entries starting with _ or . are not subcharts; *.prov files are plain files.
  const ok = loadFromMemory([
    ['Chart.yaml', 'apiVersion: v2\nname: p\nversion: 1.0.0\n'],
    ['charts/_ignore_me', 'x'],
    ['charts/.hidden/Chart.yaml', 'junk'],
    ['charts/sub-1.0.0.tgz.prov', 'sig'],
  ]);
  assert.deepEqual(ok.dependencies, []);
  assert.deepEqual(ok.files.map((f) => f.name), ['charts/sub-1.0.0.tgz.prov']);
});

test('loader: classification of files (templates, .Files, special files, v1 requirements)', () => {
  const c = loadFromMemory([
    ['Chart.yaml', 'apiVersion: v1\nname: legacy\nversion: 0.1.0\n'],
    ['requirements.yaml', 'dependencies:\n- name: req\n  version: 1.0.0\n  condition: req.enabled\n'],
    ['requirements.lock', 'digest: sha256:x\ndependencies: []\n'],
    ['values.yaml', 'a: 1\n---\nb: 2\n'],
    ['values.schema.json', '{}'],
    ['templates/cm.yaml', 'x'],
    ['crds/crd.yaml', 'kind: CustomResourceDefinition'],
    ['README.md', '# hi'],
  ]);
  assert.deepEqual(c.templates.map((f) => f.name), ['templates/cm.yaml']);
  assert.deepEqual(c.files.map((f) => f.name).sort(), ['README.md', 'crds/crd.yaml', 'requirements.lock', 'requirements.yaml']);
  assert.deepEqual({ ...c.values }, { a: 1, b: 2 });
  assert.equal(new TextDecoder().decode(c.rawValues!), 'a: 1\n---\nb: 2\n');
  assert.equal(new TextDecoder().decode(c.schema!), '{}');
  assert.equal(c.metadata.dependencies?.[0]?.name, 'req');
  assert.equal(c.lock?.digest, 'sha256:x');
  assert.deepEqual(c.crdObjects().map((o) => o.filename), ['legacy/crds/crd.yaml']);
});

test('loader: values.yaml stream errors (helm v4.1.4 messages)', () => {
  const table: Array<[string, string]> = [
    ['--- foo: 1\n', 'cannot load values.yaml: error reading yaml document: invalid Yaml document separator: foo: 1'],
    ['a: 1\n----\nb: 2\n', 'cannot load values.yaml: error reading yaml document: invalid Yaml document separator: -'],
    [
      'foo\n',
      'cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}',
    ],
    [
      '[1]\n',
      'cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    ],
  ];
  for (const [values, want] of table) assert.equal(loadError({ 'Chart.yaml': V2, 'values.yaml': values }).helmMessage, want, values);
  // Documents merge in order; empty and comment-only documents are skipped; `...` ends a document.
  const merged = loadFromMemory([
    ['Chart.yaml', V2],
    ['values.yaml', '# only comment\n---\na: {x: 1, z: 2}\n---\n---\na: {z: 3}\nb: [1]\n--- # c\nb: [2]\n'],
  ]);
  assert.deepEqual(JSON.parse(JSON.stringify(merged.values)), { a: { x: 1, z: 3 }, b: [2] });
});

test('loader: symbolic links are followed; a broken one is an error even when ignored', () => {
  const dir = chartDir({ 'Chart.yaml': V2, '.helmignore': 'broken\n', 'target/t.txt': 'hi' });
  const outside = mkdtempSync(join(tmpdir(), 'bosun-outside-'));
  try {
    writeFileSync(join(outside, 'data.txt'), 'linked');
    symlinkSync(join(outside, 'data.txt'), join(dir, 'link.txt'));
    symlinkSync(outside, join(dir, 'linkdir'));
    const c = loadChartSync(dir);
    assert.deepEqual(c.files.map((f) => f.name), ['.helmignore', 'link.txt', 'linkdir/data.txt', 'target/t.txt']);
    symlinkSync('/nonexistent-bosun', join(dir, 'broken'));
    assert.throws(
      () => loadChartSync(dir),
      (e: ChartError) => e.helmMessage === `error evaluating symlink ${join(dir, 'broken')}: lstat /nonexistent-bosun: no such file or directory`,
    );
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('loader: a UTF-8 BOM is stripped, files over 5 MiB are rejected', () => {
  const dir = chartDir({ 'Chart.yaml': '\ufeff' + V2, 'b.txt': '\ufeffab' });
  try {
    const c = loadChartSync(dir);
    assert.equal(c.name, 'c');
    assert.deepEqual([...c.files[0]!.data], [0x61, 0x62]);
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(5 * 1024 * 1024 + 1));
    assert.throws(() => loadChartSync(dir), (e: ChartError) => e.helmMessage === 'chart file "big.bin" is larger than the maximum file size 5242880');
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
});

test('chart model: fullPath, digest, sync and async loads agree', async () => {
  const a = loadChartSync(join(FIXTURES, 'deps'));
  const b = await loadChart(join(FIXTURES, 'deps'));
  assert.equal(a.digest, b.digest);
  assert.match(a.digest, /^[0-9a-f]{64}$/);
  assert.deepEqual([...a.walk()].map((c) => c.fullPath), [...b.walk()].map((c) => c.fullPath));
  const subA = a.dependencies.find((d) => d.name === 'sub-a')!;
  assert.equal(subA.parent, a);
  assert.equal(subA.dependencies[0]!.fullPath, 'deps/charts/sub-a/charts/inner');
  assert.equal(subA.dependencies[0]!.chartPath, 'deps.sub-a.inner');
  const tgz = a.dependencies.find((d) => d.name === 'sub-d')!;
  assert.equal(tgz.fullPath, 'deps/charts/sub-d');
  const changed = loadFromMemory([...a.raw.map((f) => [f.name, f.data] as [string, Uint8Array]), ['extra.txt', 'x']]);
  assert.notEqual(changed.digest, a.digest);
});
