// Reading YAML as Helm does (sigs.k8s.io/yaml + go-yaml v2). Expected values come from helm v4.1.4 output (the
// vectors), go-yaml v2's resolver tests and sigs.k8s.io/yaml's goyaml.v2 tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMap, type GoValue } from '../../src/template/value.js';
import { DataFormatError, parseYaml, parseYamlDocuments, splitYamlDocuments, unmarshalYamlInto } from '../../src/yaml/index.js';

function map(entries: Record<string, GoValue>): GoValue {
  const m = newMap();
  for (const [k, v] of Object.entries(entries)) m[k] = v;
  return m;
}

const SCALARS: Array<[string, GoValue]> = [
  // YAML 1.1 booleans and nulls (helm vectors yaml/fromYaml-*).
  ['yes', true],
  ['on', true],
  ['off', false],
  ['y', true],
  ['~', null],
  ['', null],
  // Numbers are float64 after the JSON step.
  ['1e3', 1000],
  ['1_000', 1000],
  ['0x10', 16],
  ['12345678901234567890', 12345678901234567000],
  // Strings: dates and sexagesimal numbers stay text.
  ['2024-01-01', '2024-01-01'],
  ['2024-01-01T10:20:30Z', '2024-01-01T10:20:30Z'],
  ['12:30', '12:30'],
  ['!!str 1', '1'],
  ['!!binary aGk=', 'hi'],
  ['">\\n  x\\n  y\\n"', '>\n  x\n  y\n'],
  // TestQuotingMaintained (goyaml.v2): hex integers beyond uint64 are big integers.
  ['0x0000000000000000000000010000000000000000', 18446744073709551616],
];
for (const [text, want] of SCALARS) {
  test(`parseYaml scalar: a: ${text}`, () => assert.deepEqual(parseYaml(`a: ${text}`), map({ a: want })));
}

test('parseYaml: YAML 1.1 keys become JSON strings (helm vector yaml/fromYaml-keys-yaml11)', () => {
  assert.deepEqual(
    parseYaml('on: 1\nyes: 2\nn: 3\ny: 4\n1: 5\n1.5: 6\ntrue: 7\nOff: 8'),
    map({ true: 7, false: 8, '1': 5, '1.5': 6 }),
  );
});

test('parseYaml: merge keys (helm vector yaml/fromYaml-merge-key)', () => {
  assert.deepEqual(parseYaml('base: &b {x: 1}\nd:\n  <<: *b\n  y: 2'), map({ base: map({ x: 1 }), d: map({ x: 1, true: 2 }) }));
});

test('parseYaml: errors read like Helm', () => {
  assert.throws(
    () => parseYaml('null: 4'),
    (e: unknown) => e instanceof DataFormatError && e.message === 'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: 4',
  );
  assert.throws(() => parseYaml('a: .nan'), /error converting YAML to JSON: json: unsupported value: NaN/);
  // The real helm v4.1.4 on a values file holding `a: b: c`: go-yaml names no line for a problem on the first one.
  assert.throws(() => parseYaml('a: b: c'), (e: unknown) => e instanceof DataFormatError && e.message === 'error converting YAML to JSON: yaml: mapping values are not allowed in this context');
  assert.throws(() => parseYaml('x: 1\na: b: c'), (e: unknown) => e instanceof DataFormatError && e.message === 'error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context');
  assert.throws(() => parseYaml('a: *nope'), /unknown anchor 'nope' referenced/);
});

/** Each text fails to parse with go-yaml's message (as `[text, 'yaml: line N: ...']`, the words helm printed). */
function assertGoYamlErrors(cases: [string, string][]): void {
  for (const [text, want] of cases) {
    assert.throws(() => parseYaml(text), (e: unknown) => e instanceof DataFormatError && e.message === `error converting YAML to JSON: ${want}`, JSON.stringify(text));
  }
}

test('parseYaml: a tab in a block scalar\'s indentation and a key indicator in a value, as the real helm v4.1.4 words them', () => {
  // Each message is what helm 4.1.4 printed for a values file holding the text (after "failed to parse FILE:
  // cannot unmarshal yaml document: ").
  const cases: [string, string][] = [
    ['a: |\n  x\n\ty\n', 'yaml: line 3: found a tab character where an indentation space is expected'],
    ['a: |\n\tx\n', 'yaml: line 2: found a tab character where an indentation space is expected'],
    ['a: >\n  x\n\ty\n', 'yaml: line 3: found a tab character where an indentation space is expected'],
    ['a:\n  b: |\n    x\n\ty\n', 'yaml: line 4: found a tab character where an indentation space is expected'],
    ['a:\n  b: |\n    x\n \tc: 1\n', 'yaml: line 4: found a tab character where an indentation space is expected'],
    ['a: |\n  x\n\n\ty\n', 'yaml: line 4: found a tab character where an indentation space is expected'],
    ['x: 1\na: |\n\tx\n', 'yaml: line 3: found a tab character where an indentation space is expected'],
    ['a: ? x\n', 'yaml: mapping keys are not allowed in this context'],
    ['x: 1\na: ? x\n', 'yaml: line 2: mapping keys are not allowed in this context'],
    ['x: 1\na:\n  b: ? x\n', 'yaml: line 3: mapping keys are not allowed in this context'],
  ];
  assertGoYamlErrors(cases);
  // A tab past the scalar's indentation is content.
  assert.deepEqual(parseYaml('a: |\n  x\n  \ty\n'), map({ a: 'x\n\ty\n' }));
});

test('parseYaml: entries at the wrong indentation and keys without a colon, as the real helm v4.1.4 words them', () => {
  // A `- x` among a mapping's keys or a `k: v` among a sequence's entries, a scalar that should be a key, and a
  // plain scalar whose next lines hold a `:`. Each message is what helm 4.1.4 printed for a values file holding the
  // text (after "failed to parse FILE: cannot unmarshal yaml document: error converting YAML to JSON: ").
  const cases: [string, string][] = [
    ['data:\n  a: b\n  - c\n', 'yaml: line 2: did not find expected key'],
    ['a: b\n- c\n', 'yaml: line 1: did not find expected key'],
    ['data:\n  a: b\n  - c: d\n', 'yaml: line 2: did not find expected key'],
    ['x:\n  - a\n  b: c\n', 'yaml: line 2: did not find expected \'-\' indicator'],
    ['data:\n  a:\n    x: 1\n  - c\n', 'yaml: line 3: did not find expected key'],
    ['x:\n  - a: 1\n    b: 2\n  c: 3\n', 'yaml: line 3: did not find expected \'-\' indicator'],
    ['x:\n- a\ny: b: c\n', 'yaml: line 3: mapping values are not allowed in this context'],
    ['a: 1\nb: 2\n- c\nd: 4\n', 'yaml: line 2: did not find expected key'],
    ['# comment\na: b\n\n- c\n', 'yaml: line 3: did not find expected key'],
    ['a:\n  b: |\n    text\n  - c\n', 'yaml: line 3: did not find expected key'],
    ['list:\n  - a\n  - b\n  key: v\n', 'yaml: line 3: did not find expected \'-\' indicator'],
    ['- a\n- b\nc: d\n', 'yaml: line 2: did not find expected \'-\' indicator'],
    ['a:\n  - b\n - c\n', 'yaml: line 2: did not find expected key'],
    ['a:\n  b: 1\n  -c\n', 'yaml: line 4: could not find expected \':\''],
    ['a:\n  b: 1\n  -\n', 'yaml: line 2: did not find expected key'],
    ['a:\n  b: 1\n  - [1, 2]\n', 'yaml: line 2: did not find expected key'],
    ['a:\n  - b\n  c:\n', 'yaml: line 2: did not find expected \'-\' indicator'],
    ['a:\n  - b\n  "c": 1\n', 'yaml: line 2: did not find expected \'-\' indicator'],
    ['a:\n  b: 1\n  # x\n  - c\n', 'yaml: line 3: did not find expected key'],
    ['a:\n  b: [1,\n    2]\n  - c\n', 'yaml: line 3: did not find expected key'],
    ['a:\n  b: 1\n  -c\n  d: 2\n', 'yaml: line 4: could not find expected \':\''],
    ['a:\n  b: 1\n  c\n', 'yaml: line 4: could not find expected \':\''],
    ['a: 1\nb\n', 'yaml: line 3: could not find expected \':\''],
    ['a: 1\nb\nc: 2\n', 'yaml: line 3: could not find expected \':\''],
    ['a: 1\nb\n\n# x\nc: 2\n', 'yaml: line 4: could not find expected \':\''],
    ['a: 1\nb', 'yaml: line 3: could not find expected \':\''],
    ['a: 1\n"b"\n', 'yaml: line 3: could not find expected \':\''],
    ['a: 1\n"b"\n\n# x\nc: 2\n', 'yaml: line 5: could not find expected \':\''],
    ['a: 1\nb # c\nd: 2\n', 'yaml: line 3: could not find expected \':\''],
    ['a: 1\nb\n\nc: 2\n', 'yaml: line 4: could not find expected \':\''],
    ['a:\n  - b\n  c\n', 'yaml: line 4: could not find expected \':\''],
    ['a: 1\nb\n c\n', 'yaml: line 4: could not find expected \':\''],
    ['a: [1, 2]\nb\n', 'yaml: line 3: could not find expected \':\''],
    ['a: 1\n    "q": 2', 'yaml: line 2: mapping values are not allowed in this context'],
    ['- x\n  - y: 1', 'yaml: line 2: mapping values are not allowed in this context'],
    ['  e\n  b:', 'yaml: line 2: mapping values are not allowed in this context'],
    ['  - x\n    i: j: k', 'yaml: line 2: mapping values are not allowed in this context'],
    ['a:\n  e\n  b: 1\n', 'yaml: line 3: mapping values are not allowed in this context'],
    ['-\n"q": 2', 'yaml: line 1: did not find expected node content'],
    ['- name: web\n  - name: web\n', 'yaml: line 1: did not find expected key'],
  ];
  assertGoYamlErrors(cases);
});

test('parseYaml: a root collection indented deeper than a later line ends there; go-yaml never reads the rest', () => {
  // helm 4.1.4 renders these values files as {"a":1}, {"a":{"b":1}} and (a list) fails to merge them.
  assert.deepEqual(parseYaml('  a: 1\nb: 2\n'), map({ a: 1 }));
  assert.deepEqual(parseYaml('    a:\n      b: 1\n  c: 2\n'), map({ a: map({ b: 1 }) }));
  assert.deepEqual(parseYaml('  - x\n- y\n'), ['x']);
  assert.deepEqual(parseYaml('    f: [1, 2]\ne'), map({ f: [1, 2] }));
});

test('parseYaml: only the first document counts (helm vector yaml/fromYaml-multi-doc)', () => {
  assert.deepEqual(parseYaml('a: 1\n---\nb: 2'), map({ a: 1 }));
  assert.deepEqual(parseYaml('---\na: 1\n...'), map({ a: 1 }));
});

test('unmarshalYamlInto: type mismatches (helm vectors yaml/fromYaml-list, fromYamlArray-map)', () => {
  assert.throws(
    () => unmarshalYamlInto('- a', 'map'),
    (e: unknown) =>
      e instanceof DataFormatError &&
      e.message === 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
  assert.throws(() => unmarshalYamlInto('a: 1', 'slice'), /cannot unmarshal object into Go value of type \[\]interface \{\}/);
  assert.equal(unmarshalYamlInto('', 'map'), undefined);
});

// k8s.io/apimachinery YAMLReader (TestSplitDocuments).
test('splitYamlDocuments: YAMLReader semantics', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-1\n';
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: service-1\n';
  assert.deepEqual(splitYamlDocuments(''), []);
  assert.deepEqual(splitYamlDocuments(pod), [pod]);
  assert.deepEqual(splitYamlDocuments(pod + '---\n' + svc), [pod, svc]);
  assert.throws(() => splitYamlDocuments('a: |\n-----END RSA PRIVATE KEY-----"\n'), /invalid Yaml document separator: --END RSA PRIVATE KEY-----"/);
  assert.deepEqual(parseYamlDocuments('a: 1\n---\nb: 2\n'), [map({ a: 1 }), map({ b: 2 })]);
});
