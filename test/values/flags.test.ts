// The --set family, -f files and their order, checked against what the real helm v4.1.4 produced for each case
// (test/fixtures/charts/values-oracle.json, made by support/gen-values-oracle.ts), plus facts from Helm's own
// pkg/strvals/parser_test.go tables (copied as expected values, not code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../chart/support/root.js';
import { FLAG_CASES } from './support/cases.js';
import { bosunOutcome, flagChart, type Outcome } from './support/run.js';
import { parseSet, parseSetString, parseSetInto, parseSetJsonInto, parseSetLiteral, typedValue } from '../../src/values/index.js';
import { GoInt, newMap, type GoValue, isMap } from '../../src/template/value.js';
import { dumpValues } from './support/dump.js';

const oracle = JSON.parse(readFileSync(join(FIXTURES, 'values-oracle.json'), 'utf8')) as {
  flags: Record<string, Outcome>;
};

for (const c of FLAG_CASES) {
  const want = oracle.flags[c.id];
  test(`flags: ${c.id}`, () => {
    assert.ok(want, `no oracle entry for ${c.id}: run support/gen-values-oracle.ts`);
    const got = bosunOutcome(flagChart(c.valuesYaml), c.flags, c.files);
    if (!want.ok) {
      assert.equal(got.ok, false, `helm failed with: ${want.error}`);
      assert.equal(got.error, want.error);
      return;
    }
    assert.equal(got.error, undefined);
    assert.equal(got.dumps?.c, want.dumps?.c);
  });
}

/** Go values from a plain description: numbers → int64 unless marked, for the parser_test tables. */
function v(x: unknown): GoValue {
  if (x === null) return null;
  if (typeof x === 'number') return new GoInt(BigInt(x), 'int64');
  if (Array.isArray(x)) return x.map(v);
  if (typeof x === 'object') {
    const m = newMap();
    for (const [k, y] of Object.entries(x as object)) m[k] = v(y);
    return m;
  }
  return x as GoValue;
}

// From helm/helm pkg/strvals/parser_test.go TestParseSet (inputs and expected results, as facts).
const PARSE_SET: Array<[string, unknown] | [string, 'error']> = [
  ['name1=null,f=false,t=true', { name1: null, f: false, t: true }],
  ['name1=value1', { name1: 'value1' }],
  ['name1=value1,name2=value2', { name1: 'value1', name2: 'value2' }],
  ['name1=value1,name2=value2,', { name1: 'value1', name2: 'value2' }],
  ['name1=value1,,,,name2=value2,', 'error'],
  ['name1=,name2=value2', { name1: '', name2: 'value2' }],
  ['leading_zeros=00009', { leading_zeros: '00009' }],
  ['zero_int=0', { zero_int: 0 }],
  ['long_int=1234567890', { long_int: 1234567890 }],
  ['boolean=true', { boolean: true }],
  ['is_null=null', { is_null: null }],
  ['name1,name2=', 'error'],
  ['name1,name2=value2', 'error'],
  ['name1,name2=value2\\', 'error'],
  ['name1,name2', 'error'],
  ['name1=one\\,two,name2=three\\,four', { name1: 'one,two', name2: 'three,four' }],
  ['name1=one\\=two,name2=three\\=four', { name1: 'one=two', name2: 'three=four' }],
  ['name1=one two three,name2=three two one', { name1: 'one two three', name2: 'three two one' }],
  ['outer.inner=value', { outer: { inner: 'value' } }],
  ['outer.middle.inner=value', { outer: { middle: { inner: 'value' } } }],
  ['outer.inner1=value,outer.inner2=value2', { outer: { inner1: 'value', inner2: 'value2' } }],
  ['outer.inner1=value,outer.middle.inner=value', { outer: { inner1: 'value', middle: { inner: 'value' } } }],
  ['name1.name2', 'error'],
  ['name1.name2,name1.name3', 'error'],
  ['name1.name2=', { name1: { name2: '' } }],
  ['name1.=name2', 'error'],
  ['name1.,name2', 'error'],
  ['name1={value1,value2}', { name1: ['value1', 'value2'] }],
  ['name1={value1,value2},name2={value1,value2}', { name1: ['value1', 'value2'], name2: ['value1', 'value2'] }],
  ['name1={1021,902}', { name1: [1021, 902] }],
  ['name1.name2={value1,value2}', { name1: { name2: ['value1', 'value2'] } }],
  ['name1={1021,902', 'error'],
  ['list[0]=foo', { list: ['foo'] }],
  ['list[0].foo=bar', { list: [{ foo: 'bar' }] }],
  ['list[0].foo=bar,list[0].hello=world', { list: [{ foo: 'bar', hello: 'world' }] }],
  ['list[0].foo=bar,list[-30].hello=world', 'error'],
  ['list[0]=foo,list[1]=bar', { list: ['foo', 'bar'] }],
  ['list[0]=foo,list[1]=bar,', { list: ['foo', 'bar'] }],
  ['list[0]=foo,list[3]=bar', { list: ['foo', null, null, 'bar'] }],
  ['list[0]=foo,list[-20]=bar', 'error'],
  ['illegal[0]name.foo=bar', 'error'],
  ['noval[0]', { noval: [] }],
  ['noval[0]=', { noval: [''] }],
  ['nested[0][0]=1', { nested: [[1]] }],
  ['nested[1][1]=1', { nested: [null, [null, 1]] }],
  ['name1.name2[0].foo=bar,name1.name2[1].foo=bar', { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } }],
  ['name1.name2[1].foo=bar,name1.name2[0].foo=bar', { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } }],
  ['name1.name2[1].foo=bar', { name1: { name2: [null, { foo: 'bar' }] } }],
  [']={}].', 'error'],
];

test('strvals: Helm parser_test TestParseSet table', () => {
  for (const [input, want] of PARSE_SET) {
    if (want === 'error') {
      assert.throws(() => parseSet(input), Error, input);
      continue;
    }
    assert.equal(dumpValues(parseSet(input)), dumpValues(v(want)), input);
  }
});

test('strvals: ParseString keeps strings (parser_test testsString)', () => {
  for (const [input, key, want] of [
    ['long_int_string=1234567890', 'long_int_string', '1234567890'],
    ['boolean=true', 'boolean', 'true'],
    ['is_null=null', 'is_null', 'null'],
    ['zero=0', 'zero', '0'],
  ] as const) {
    assert.equal(parseSetString(input)[key], want);
  }
});

test('strvals: ParseInto merges into existing maps and nested lists (parser_test TestParseInto)', () => {
  const got = v({ outer: { inner1: 'overwrite', inner2: 'value2' } }) as ReturnType<typeof newMap>;
  parseSetInto('outer.inner1=value1,outer.inner3=value3,outer.inner4=4', got);
  assert.equal(dumpValues(got), dumpValues(v({ outer: { inner1: 'value1', inner2: 'value2', inner3: 'value3', inner4: 4 } })));

  const l = newMap();
  parseSetInto('listOuter[0][0].type=listValue', l);
  parseSetInto('listOuter[0][0].status=alive', l);
  assert.equal(dumpValues(l), dumpValues(v({ listOuter: [[{ type: 'listValue', status: 'alive' }]] })));

  const l2 = newMap();
  parseSetInto('listOuter[0][0].type=listValue', l2);
  parseSetInto('listOuter[1][0].status=alive', l2);
  assert.equal(dumpValues(l2), dumpValues(v({ listOuter: [[{ type: 'listValue' }], [{ status: 'alive' }]] })));

  const l3 = v({ listOuter: [[[{ exited: 'old' }]]] }) as ReturnType<typeof newMap>;
  parseSetInto('listOuter[0][1][0].type=listValue', l3);
  parseSetInto('listOuter[0][0][1].status=alive', l3);
  assert.equal(dumpValues(l3), dumpValues(v({ listOuter: [[[{ exited: 'old' }, { status: 'alive' }], [{ type: 'listValue' }]]] })));
});

test('strvals: ParseJSON (parser_test TestParseJSON): JSON values, empty is nil, numbers float64', () => {
  const got = newMap();
  const outer = newMap();
  const inner1 = newMap();
  inner1.x = 'overwrite';
  outer.inner1 = inner1;
  outer.inner2 = 'value2';
  got.outer = outer;
  parseSetJsonInto('outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null', got);
  const o = got.outer as ReturnType<typeof newMap>;
  assert.equal(o.inner1, null);
  assert.equal(o.inner2, 'value2');
  const i3 = o.inner3 as ReturnType<typeof newMap>;
  assert.equal(i3.aa, '1');
  assert.equal(i3.bb, 2);
  assert.deepEqual(i3.cc, [1, null, 3]);
  assert.throws(() =>
    parseSetJsonInto('outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner5={"A":"1","B":2,"C":[1,2,3]}]', newMap()),
  );
});

test('strvals: literal values are taken verbatim', () => {
  const m = parseSetLiteral('a.b=x,y=z\\,{1}');
  assert.ok(isMap(m.a!));
  assert.equal((m.a as ReturnType<typeof newMap>).b, 'x,y=z\\,{1}');
});

test('strvals: --set typing', () => {
  const int = (n: bigint) => new GoInt(n, 'int64');
  const table: Array<[string, GoValue]> = [
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['null', null],
    ['Null', null],
    ['0', int(0n)],
    ['-1', int(-1n)],
    ['+5', int(5n)],
    ['007', '007'],
    ['1.5', '1.5'],
    ['1e3', '1e3'],
    ['9223372036854775807', int(9223372036854775807n)],
    ['9223372036854775808', '9223372036854775808'],
    ['', ''],
  ];
  for (const [input, want] of table) assert.equal(dumpValues(typedValue(input, false)), dumpValues(want), input);
});
