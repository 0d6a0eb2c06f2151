// toYaml (sigs.k8s.io/yaml.Marshal → go-yaml v2) and toYamlPretty (go-yaml v3, indent 2).
// Expected texts come from go-yaml's own test tables (sigs.k8s.io/yaml goyaml.v2/encode_test.go, go-yaml v3
// encode_test.go) for values whose JSON round trip leaves them unchanged, and from helm v4.1.4 output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoInt, newMap, stringSlice, type GoValue } from '../../src/template/value.js';
import { sortYamlKeys, toYaml, toYamlPretty, DataFormatError } from '../../src/yaml/index.js';

function map(entries: Record<string, GoValue>): GoValue {
  const m = newMap();
  for (const [k, v] of Object.entries(entries)) m[k] = v;
  return m;
}
const int = (n: number | bigint) => new GoInt(n, 'int');

// go-yaml v2 marshalTests (sigs.k8s.io/yaml goyaml.v2/encode_test.go).
const V2_MARSHAL: Array<[string, GoValue, string]> = [
  ['nil', null, 'null\n'],
  ['empty struct', newMap(), '{}\n'],
  ['string', map({ v: 'hi' }), 'v: hi\n'],
  ['"true" quoted', map({ v: 'true' }), 'v: "true"\n'],
  ['"false" quoted', map({ v: 'false' }), 'v: "false"\n'],
  ['bool true', map({ v: true }), 'v: true\n'],
  ['bool false', map({ v: false }), 'v: false\n'],
  ['int', map({ v: int(10) }), 'v: 10\n'],
  ['negative int', map({ v: int(-10) }), 'v: -10\n'],
  ['uint', map({ v: new GoInt(42, 'uint') }), 'v: 42\n'],
  ['int64', map({ v: new GoInt(4294967296n, 'int64') }), 'v: 4294967296\n'],
  ['numeric string', map({ v: '10' }), 'v: "10"\n'],
  ['float', map({ v: 0.1 }), 'v: 0.1\n'],
  ['negative float', map({ v: -0.1 }), 'v: -0.1\n'],
  ['null value', map({ v: null }), 'v: null\n'],
  ['empty string', map({ v: '' }), 'v: ""\n'],
  ['string list', map({ v: stringSlice(['A', 'B']) }), 'v:\n- A\n- B\n'],
  ['literal in list', map({ v: stringSlice(['A', 'B\nC']) }), 'v:\n- A\n- |-\n  B\n  C\n'],
  ['mixed list', map({ v: ['A', int(1), map({ B: [int(2), int(3)] })] }), 'v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n'],
  ['nested map', map({ a: map({ b: 'c' }) }), 'a:\n  b: c\n'],
  ['dash', map({ a: '-' }), "a: '-'\n"],
  ['root int', int(123), '123\n'],
  ['struct-like', map({ hello: 'world' }), 'hello: world\n'],
  ['angle brackets', map({ a: '<foo>' }), 'a: <foo>\n'],
  ['base 60', map({ a: '1:1' }), 'a: "1:1"\n'],
  ['NUL', map({ a: '\x00' }), 'a: "\\0"\n'],
  ['unicode', map({ a: '你好' }), 'a: 你好\n'],
  ['timestamp-like', map({ a: '2015-02-24T18:19:39Z' }), 'a: "2015-02-24T18:19:39Z"\n'],
  ['colon space', map({ a: 'b: c' }), "a: 'b: c'\n"],
  ['hash', map({ a: 'Hello #comment' }), "a: 'Hello #comment'\n"],
  ['hash after unicode', map({ a: '你好 #comment' }), "a: '你好 #comment'\n"],
  // TestLineWrapping: single-quoted scalars fold at spaces past column 80.
  [
    'line wrapping',
    map({ a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ' }),
    "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n",
  ],
];

for (const [name, value, want] of V2_MARSHAL) {
  test(`toYaml: ${name}`, () => assert.equal(toYaml(value), want));
}

// go-yaml v3 marshalTests / TestSetIndent (indent 2), for the Go values Helm passes to toYamlPretty.
const V3_MARSHAL: Array<[string, GoValue, string]> = [
  ['nil', null, 'null\n'],
  ['string', map({ v: 'hi' }), 'v: hi\n'],
  ['"true"', map({ v: 'true' }), 'v: "true"\n'],
  ['int', map({ v: int(10) }), 'v: 10\n'],
  ['float', map({ v: 0.1 }), 'v: 0.1\n'],
  ['+Inf', map({ v: Infinity }), 'v: .inf\n'],
  ['-Inf', map({ v: -Infinity }), 'v: -.inf\n'],
  ['NaN', map({ v: NaN }), 'v: .nan\n'],
  ['empty string', map({ v: '' }), 'v: ""\n'],
  ['"off"', map({ A: 'off' }), 'A: "off"\n'],
  ['dash', map({ a: '-' }), "a: '-'\n"],
  ['base 60', map({ a: '1:1' }), 'a: "1:1"\n'],
  ['timestamp-like', map({ a: '2015-02-24T18:19:39Z' }), 'a: "2015-02-24T18:19:39Z"\n'],
  ['hash', map({ a: 'Hello #comment' }), "a: 'Hello #comment'\n"],
  [
    'no wrapping',
    map({ a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 ' }),
    "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n",
  ],
  [
    'SetIndent(2)',
    map({ a: map({ b: map({ c: 'd' }), e: [int(1), int(2), int(3)], f: stringSlice(['g', 'h']) }) }),
    'a:\n  b:\n    c: d\n  e:\n    - 1\n    - 2\n    - 3\n  f:\n    - g\n    - h\n',
  ],
];

for (const [name, value, want] of V3_MARSHAL) {
  test(`toYamlPretty: ${name}`, () => assert.equal(toYamlPretty(value), want));
}

test('key order: go-yaml TestSortedOutput (string keys)', () => {
  const order = [
    '', '.1', '.2', '.a', '1', '2', 'a!10', 'a/0001', 'a/002', 'a/3', 'a/10', 'a/11', 'a/0012', 'a/100', 'a~10',
    'ab/1', 'b/1', 'b/01', 'b/2', 'b/02', 'b/3', 'b/03', 'b1', 'b01', 'b3', 'c2.10', 'c10.2', 'd1', 'd7', 'd7abc',
    'd12', 'd12a', 'e2b', 'e4b', 'e21a',
  ];
  const shuffled = [...order].reverse();
  shuffled.push(shuffled.splice(3, 1)[0]);
  assert.deepEqual(sortYamlKeys(shuffled), order);
});

test('toYaml errors: encoding/json rejects NaN', () => {
  assert.throws(() => toYaml(map({ x: NaN })), (e: unknown) => e instanceof DataFormatError && e.message === 'error marshaling into JSON: json: unsupported value: NaN');
});
