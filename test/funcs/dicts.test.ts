// Sprig dict functions, called directly. Expected outputs are helm v4.1.4's (shared/vectors, categories dicts and
// lists/dig-*), printed with %v.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, failure, fixedValues, int, show } from './sprig-support.js';
import { typeName, type GoValue } from '../../src/template/value.js';

const V = fixedValues();
const dict = (...v: GoValue[]) => call('dict', ...v);
const list = (...v: GoValue[]) => call('list', ...v);
const json = (v: GoValue) => JSON.stringify(v);

const cases: [string, () => string, string][] = [
  ['dict-print', () => show('dict', 'b', int(2), 'a', int(1)), 'map[a:1 b:2]'],
  ['dict-odd-args', () => show('dict', 'a', int(1), 'b'), 'map[a:1 b:]'],
  ['dict-values-number-key', () => json(Object.keys(dict(V.big!, 'x') as object)), '["1e+06"]'],
  ['dict-empty', () => show('dict'), 'map[]'],
  ['dict-dup-key', () => show('dict', 'a', int(1), 'a', int(2)), 'map[a:2]'],
  ['dict-nested-print', () => show('dict', 'x', dict('y', list(int(1), 'z'))), 'map[x:map[y:[1 z]]]'],
  ['get-missing', () => `[${show('get', dict('a', int(1)), 'b')}]`, '[]'],
  ['get-missing-typeof', () => typeName(call('get', dict(), 'b')), 'string'],
  ['get-null-value', () => `[${show('get', V, 'n')}]`, '[]'],
  ['set-returns-dict', () => show('set', dict(), 'k', 'v'), 'map[k:v]'],
  ['set-overwrite', () => show('set', dict('k', int(1)), 'k', int(2)), 'map[k:2]'],
  ['set on nil map', () => failure('set', null, 'a', int(1)), 'assignment to entry in nil map'],
  ['hasKey', () => show('hasKey', V.nested!, 'a'), 'true'],
  ['hasKey-missing', () => show('hasKey', V.nested!, 'zz'), 'false'],
  ['hasKey-dots', () => show('hasKey', V.m!, 'key.with.dots'), 'true'],
  ['pluck', () => show('pluck', 'a', dict('a', int(1)), dict('b', int(2)), dict('a', int(3))), '[1 3]'],
  ['pluck-null-values', () => show('pluck', 'a', dict('a', null)), '[<nil>]'],
  ['keys', () => show('sortAlpha', call('keys', V.nested!)), '[a b c]'],
  ['keys-multi', () => show('sortAlpha', call('keys', dict('a', int(1)), dict('b', int(2), 'a', int(3)))), '[a a b]'],
  ['keys-single', () => show('keys', dict('only', int(1))), '[only]'],
  ['keys-empty', () => show('keys', dict()), '[]'],
  ['keys-len-values', () => String((call('keys', V) as GoValue[]).length), '24'],
  ['values-sorted', () => show('sortAlpha', call('values', V.m!)), '[1 2 3]'],
  ['pick-missing', () => show('pick', V.nested!, 'a', 'zz'), 'map[a:1]'],
  ['pick-none', () => show('pick', V.nested!), 'map[]'],
  ['omit-multiple', () => show('omit', V.nested!, 'c', 'a', 'zz'), 'map[b:2]'],
  ['merge', () => show('merge', dict('a', int(1), 'n', dict('x', int(1))), dict('a', int(2), 'b', int(3), 'n', dict('y', int(2)))), 'map[a:1 b:3 n:map[x:1 y:2]]'],
  ['merge-dst-empty-string', () => show('merge', dict('a', ''), dict('a', 'x')), 'map[a:x]'],
  ['merge-dst-zero', () => show('merge', dict('a', int(0)), dict('a', int(5))), 'map[a:5]'],
  ['merge-dst-nil', () => show('merge', dict('a', null), dict('a', int(1))), 'map[a:1]'],
  ['merge-lists-not-merged', () => show('merge', dict('l', list(int(1))), dict('l', list(int(2), int(3)))), 'map[l:[1]]'],
  ['merge fills an empty list', () => show('merge', dict('l', list()), dict('l', list(int(2)))), 'map[l:[2]]'],
  ['merge skips nil src values', () => show('merge', dict(), dict('a', null)), 'map[]'],
  ['mergeOverwrite-empty-src', () => show('mergeOverwrite', dict('a', int(1)), dict('a', '')), 'map[a:]'],
  ['mergeOverwrite-src-zero', () => show('mergeOverwrite', dict('a', int(1)), dict('a', int(0))), 'map[a:0]'],
  ['mergeOverwrite-src-false', () => show('mergeOverwrite', dict('a', true), dict('a', false)), 'map[a:false]'],
  ['mergeOverwrite-src-nil', () => show('mergeOverwrite', dict('a', int(1)), dict('a', null)), 'map[a:<nil>]'],
  ['mergeOverwrite-type-mismatch', () => show('mergeOverwrite', dict('a', dict('x', int(1))), dict('a', 'str')), 'map[a:str]'],
  ['mergeOverwrite map over scalar', () => show('mergeOverwrite', dict('a', 'str'), dict('a', dict('x', int(1)))), 'map[a:map[x:1]]'],
  ['mergeOverwrite deep', () => show('mergeOverwrite', dict('a', dict('x', int(1), 'y', int(1))), dict('a', dict('x', int(2)))), 'map[a:map[x:2 y:1]]'],
  ['mergeOverwrite-multiple', () => show('mergeOverwrite', dict('a', int(1)), dict('a', int(2)), dict('a', int(3))), 'map[a:3]'],
  ['mustMerge-ok', () => show('mustMerge', dict('a', int(1)), dict('b', int(2))), 'map[a:1 b:2]'],
  ['mustMergeOverwrite-ok', () => show('mustMergeOverwrite', dict('a', int(1)), dict('a', int(2))), 'map[a:2]'],
  ['deepCopy-list', () => show('deepCopy', V.l!), '[1 two 3 true <nil>]'],
  ['deepCopy-typeof-values', () => typeName(call('deepCopy', V)), 'common.Values'],
  ['deepCopy of nil panics (copystructure)', () => failure('deepCopy', null), 'reflect: call of reflect.Value.Type on zero Value'],
  ['mustDeepCopy-ok', () => show('mustDeepCopy', dict('a', list(int(1)))), 'map[a:[1]]'],
  ['dict-int-value-type', () => typeName(call('get', dict('a', int(1)), 'a')), 'int'],
  ['dig-missing', () => show('dig', 'c', 'zz', 'def', V.nested!), 'def'],
  ['dig-top-missing', () => show('dig', 'zz', 'yy', 'def', V.nested!), 'def'],
  ['dig-returns-map', () => show('dig', 'c', 'def', V.nested!), 'map[d:x e:[1 2]]'],
  ['dig-through-scalar', () => failure('dig', 'a', 'x', 'def', V.nested!), 'interface conversion: interface {} is float64, not map[string]interface {}'],
  ['dig-non-string-key', () => failure('dig', int(1), 'def', dict()), 'interface conversion: interface {} is int, not string'],
  ['dig on common.Values', () => failure('dig', 'nested', 'def', V), 'interface conversion: interface {} is common.Values, not map[string]interface {}'],
  ['dig too few', () => failure('dig', 'a', dict()), 'dig needs at least three arguments'],
];

test('dict functions match helm', () => {
  for (const [name, got, want] of cases) assert.equal(got(), want, name);
});

test('merge mutates and returns dst; set on a shared inner dict shows through', () => {
  const d = dict('a', int(1));
  const r = call('merge', d, dict('b', int(2)));
  assert.equal(r, d);
  assert.equal(show('dict', 'x', d), 'map[x:map[a:1 b:2]]');
  const inner = dict('v', int(1));
  const outer = dict('i', inner);
  call('set', inner, 'v', int(2));
  assert.equal(show('dig', 'i', 'v', 'def', outer), '2');
});

test('set/unset/merge return a named map as map[string]interface {} sharing its storage (helm)', () => {
  const values = fixedValues();
  const r = call('set', values, 's', 'changed');
  assert.equal(typeName(r), 'map[string]interface {}');
  assert.equal(typeName(values), 'common.Values');
  assert.equal(values.s, 'changed');
  assert.equal(typeName(call('merge', values, dict('new', int(1)))), 'map[string]interface {}');
  assert.ok('new' in values);
  assert.equal(show('unset', null, 'a'), 'map[]');
  // A nested map[string]string cannot take interface{} values: reflect panics inside mergo.
  assert.match(failure('merge', dict('a', call('split', ',', 'x,y')), dict('a', dict('_2', 'w'))), /not assignable to type string/);
});

test('unset deletes in place', () => {
  const d = dict('a', int(1), 'b', int(2));
  call('unset', d, 'a');
  assert.equal(show('dict', 'd', d), 'map[d:map[b:2]]');
});

test('deepCopy copies nested containers', () => {
  const d = dict('a', list(dict('x', int(1))));
  const c = call('deepCopy', d);
  call('set', ((d as Record<string, GoValue>).a as GoValue[])[0]!, 'x', int(2));
  assert.equal(show('toString', c), 'map[a:[map[x:1]]]');
});
