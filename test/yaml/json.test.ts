// encoding/json behaviour: expected texts from Go's encoding/json tests (scanner_test.go, decode_test.go,
// stream_test.go) and helm v4.1.4 output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoInt, newMap, type GoValue } from '../../src/template/value.js';
import { DataFormatError, parseJson, toJson, unmarshalJsonInto } from '../../src/yaml/index.js';

function map(entries: Record<string, GoValue>): GoValue {
  const m = newMap();
  for (const [k, v] of Object.entries(entries)) m[k] = v;
  return m;
}

// TestCompactAndIndent, with the values the compact texts denote.
const INDENT: Array<[GoValue, string]> = [
  [new GoInt(1), '1'],
  [newMap(), '{}'],
  [[], '[]'],
  [map({ '': new GoInt(2) }), '{\n\t"": 2\n}'],
  [[new GoInt(3)], '[\n\t3\n]'],
  [[new GoInt(1), new GoInt(2), new GoInt(3)], '[\n\t1,\n\t2,\n\t3\n]'],
  [map({ x: new GoInt(1) }), '{\n\t"x": 1\n}'],
  [[true, false, null, 'x', new GoInt(1), 1.5, 0], '[\n\ttrue,\n\tfalse,\n\tnull,\n\t"x",\n\t1,\n\t1.5,\n\t0\n]'],
];
for (const [v, want] of INDENT) {
  test(`toJson indent: ${want.replace(/\s+/g, '')}`, () => assert.equal(toJson(v, { indent: '\t' }), want));
}

// Syntax errors (scanner_test TestIndentErrors, decode_test unmarshalTests, stream_test tokenStreamCases) and
// helm's fromJson cases.
const SYNTAX: Array<[string, string]> = [
  ['{"X": "foo", "Y"}', "invalid character '}' after object key"],
  ['{"X": "foo" "Y": "bar"}', `invalid character '"' after object key:value pair`],
  ['[1, 2, 3+]', "invalid character '+' after array element"],
  ['{ "\\a" }', "invalid character 'a' in string escape code"],
  [' \\a', "invalid character '\\\\' looking for beginning of value"],
  ['{bad', "invalid character 'b' looking for beginning of object key string"],
  ['', 'unexpected end of JSON input'],
  ['[1,', 'unexpected end of JSON input'],
];
for (const [input, message] of SYNTAX) {
  test(`parseJson syntax error: ${JSON.stringify(input)}`, () => {
    assert.throws(() => parseJson(input), (e: unknown) => e instanceof DataFormatError && e.message === message);
  });
}

test('parseJson: numbers are float64, duplicate keys keep the last value', () => {
  assert.deepEqual(parseJson('{"a":1,"a":2,"b":[true,null,1.5e3]}'), map({ a: 2, b: [true, null, 1500] }));
  assert.equal(parseJson('12345678901234567890'), 12345678901234567000);
});

test('unmarshalJsonInto: type mismatch and null', () => {
  assert.throws(() => unmarshalJsonInto('[1,2]', 'map'), /^DataFormatError: json: cannot unmarshal array into Go value of type map\[string\]interface \{\}$/);
  assert.throws(() => unmarshalJsonInto('42', 'map'), /cannot unmarshal number into Go value of type map/);
  assert.throws(() => unmarshalJsonInto('{}', 'slice'), /cannot unmarshal object into Go value of type \[\]interface \{\}/);
  assert.equal(unmarshalJsonInto('null', 'map'), undefined);
});

test('toJson: HTML escaping, line separators, floats (helm v4.1.4)', () => {
  assert.equal(toJson("<a>&'"), '"\\u003ca\\u003e\\u0026\'"');
  assert.equal(toJson('<x>', { escapeHtml: false }), '"<x>"');
  assert.equal(toJson('a\u2028b\u2029c'), '"a\\u2028b\\u2029c"');
  assert.equal(toJson('a\x01\tb\n'), '"a\\u0001\\tb\\n"');
  assert.equal(toJson(0.000001), '0.000001');
  assert.equal(toJson(1e20), '100000000000000000000');
  assert.equal(toJson(1e21), '1e+21');
  assert.equal(toJson(new GoInt(9007199254740993n, 'int64')), '9007199254740993');
  assert.equal(toJson(map({ b: 1, a: 2, B: 3, _: 4 })), '{"B":3,"_":4,"a":2,"b":1}');
  assert.throws(() => toJson(NaN), /json: unsupported value: NaN/);
  assert.throws(() => toJson(-Infinity), /json: unsupported value: -Inf/);
});
