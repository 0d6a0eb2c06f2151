// BurntSushi/toml as Helm's toToml/fromToml use it; expected texts from helm v4.1.4 (vectors toml/*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoInt, newMap, typeName, type GoValue } from '../../src/template/value.js';
import { DataFormatError, parseToml, toToml } from '../../src/yaml/index.js';

function map(entries: Record<string, GoValue>): GoValue {
  const m = newMap();
  for (const [k, v] of Object.entries(entries)) m[k] = v;
  return m;
}
const int = (n: number) => new GoInt(n);

const ENCODE: Array<[string, GoValue, string]> = [
  ['floats and a table', map({ b: 2, a: 1, c: map({ d: 'x', e: [1, 2] }) }), 'a = 1.0\nb = 2.0\n\n[c]\n  d = "x"\n  e = [1.0, 2.0]\n'],
  ['int list', map({ l: [int(1), int(2)] }), 'l = [1, 2]\n'],
  ['nested tables', map({ a: map({ b: map({ c: int(1) }) }), top: int(1) }), 'top = 1\n\n[a]\n  [a.b]\n    c = 1\n'],
  ['top-level list', [int(1), int(2)], '[1, 2]'],
  ['escapes', map({ s: 'a"b\n\t✓' }), 's = "a\\"b\\n\\t✓"\n'],
  ['mixed list', map({ l: [int(1), 'a', true] }), 'l = [1, "a", true]\n'],
  ['quoted keys', map({ 'a b': int(1), 'key.with.dots': int(2), 'ok_key-1': int(3) }), '"a b" = 1\n"key.with.dots" = 2\nok_key-1 = 3\n'],
  ['empty map', newMap(), ''],
  ['scalar', 'x', '"x"'],
  ['NaN', map({ x: NaN }), 'x = nan\n'],
];
for (const [name, v, want] of ENCODE) {
  test(`toToml: ${name}`, () => assert.equal(toToml(v), want));
}

test('parseToml: int64, float64, time.Time, arrays of tables', () => {
  const v = parseToml('a = 1\nb = "x"\nf = 1.5e3\nd = 1979-05-27T07:32:00Z\n[[p]]\nn = 1\n[[p]]\nn = 2\n') as Record<string, GoValue>;
  assert.equal(typeName(v.a), 'int64');
  assert.equal(v.f, 1500);
  assert.equal((v.d as { goString(): string }).goString(), '1979-05-27 07:32:00 +0000 UTC');
  assert.equal(typeName(v.p), '[]map[string]interface {}');
});

test('parseToml: errors in BurntSushi form', () => {
  assert.throws(() => parseToml('a = '), (e: unknown) => e instanceof DataFormatError && e.message === 'toml: line 1 (last key "a"): unexpected EOF; expected value');
  assert.throws(() => parseToml('a = 1\na = 2'), (e: unknown) => e instanceof DataFormatError && e.message === `toml: line 2 (last key "a"): Key 'a' has already been defined.`);
});
