// Sprig list functions, called directly. Expected outputs are helm v4.1.4's (shared/vectors, category lists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, failure, fixedValues, int, show } from './sprig-support.js';
import { newSlice, typeName, type GoValue } from '../../src/template/value.js';

const V = fixedValues();
const list = (...v: GoValue[]) => call('list', ...v);

const cases: [string, () => string, string][] = [
  ['list-print', () => show('list', int(1), 'a', 2.5, true, null), '[1 a 2.5 true <nil>]'],
  ['list-of-lists', () => show('list', list(int(1), int(2)), list()), '[[1 2] []]'],
  ['first', () => show('first', V.sl!), 'b'],
  ['first-empty', () => `[${show('first', list())}]`, '[<no value>]'],
  ['first-string', () => failure('first', 'abc'), 'Cannot find first on type string'],
  ['first-nil', () => failure('first', null), 'runtime error: invalid memory address or nil pointer dereference'],
  ['mustFirst-ok', () => show('mustFirst', V.l!), '1'],
  ['rest', () => show('rest', V.sl!), '[a c a]'],
  ['rest-empty', () => `[${show('rest', list())}]`, '[[]]'],
  ['rest-single', () => show('rest', list(int(1))), '[]'],
  ['mustRest-ok', () => show('mustRest', V.l!), '[two 3 true <nil>]'],
  ['mustRest-map', () => failure('mustRest', V.nested!), 'Cannot find rest on type map'],
  ['last', () => show('last', V.sl!), 'a'],
  ['mustLast-string', () => failure('mustLast', 'x'), 'Cannot find last on type string'],
  ['initial', () => show('initial', V.sl!), '[b a c]'],
  ['append', () => show('append', V.sl!, 'z'), '[b a c a z]'],
  ['push', () => show('push', V.sl!, 'z'), '[b a c a z]'],
  ['append-typeof-string-slice', () => typeName(call('append', call('splitList', ',', 'a,b'), 'c')), '[]interface {}'],
  ['append-pipe-order-error', () => failure('append', 'c', call('splitList', ',', 'a,b')), 'Cannot push on type string'],
  ['mustAppend-ok', () => show('mustAppend', list(), int(1)), '[1]'],
  ['mustPush-ok', () => show('mustPush', list(int(1)), int(2)), '[1 2]'],
  ['prepend', () => show('prepend', V.sl!, 'z'), '[z b a c a]'],
  ['concat', () => show('concat', V.sl!, list(int(1)), list()), '[b a c a 1]'],
  ['concat-non-list', () => failure('concat', V.sl!, 'x'), 'Cannot concat type string as list'],
  ['reverse', () => show('reverse', V.sl!), '[a c a b]'],
  ['reverse-empty', () => show('reverse', list()), '[]'],
  ['mustReverse-string', () => failure('mustReverse', 'ab'), 'Cannot find reverse on type string'],
  ['uniq', () => show('uniq', V.sl!), '[b a c]'],
  ['uniq-maps', () => show('uniq', list(call('dict', 'a', int(1)), call('dict', 'a', int(1)))), '[map[a:1]]'],
  ['mustUniq-string', () => failure('mustUniq', 'x'), 'Cannot find uniq on type string'],
  ['without', () => show('without', V.sl!, 'a'), '[b c]'],
  ['without-multiple', () => show('without', V.sl!, 'a', 'b'), '[c]'],
  ['without-values-number', () => show('without', V.l!, int(1), 1.0), '[two 3 true <nil>]'],
  ['mustWithout-ok', () => show('mustWithout', list(int(1), int(2)), int(2)), '[1]'],
  ['has', () => show('has', 'a', V.sl!), 'true'],
  ['has-int-vs-float', () => show('has', int(1), V.l!), 'false'],
  ['has-float', () => show('has', 1.0, V.l!), 'true'],
  ['has-null-haystack', () => show('has', int(1), null), 'false'],
  ['has-string-haystack', () => failure('has', 'a', 'abc'), 'Cannot find has on type string'],
  ['compact', () => show('compact', V.l!), '[1 two 3 true]'],
  ['compact-empties', () => show('compact', list(int(0), '', false, null, 'x', list(), call('dict'), 0.0)), '[x]'],
  ['mustCompact-string', () => failure('mustCompact', 'x'), 'Cannot compact on type string'],
  ['slice', () => show('slice', V.sl!, int(1), int(3)), '[a c]'],
  ['slice keeps []string', () => typeName(call('slice', call('splitList', ',', 'a,b,c'), int(1))), '[]string'],
  ['slice of empty list is nil', () => `[${show('slice', list())}]`, '[<no value>]'],
  ['slice out of range', () => failure('slice', V.sl!, int(2), int(9)), 'reflect.Value.Slice: slice index out of bounds'],
  ['chunk', () => show('chunk', int(2), V.l!), '[[1 two] [3 true] [<nil>]]'],
  ['chunk-exact', () => show('chunk', int(2), V.sl!), '[[b a] [c a]]'],
  ['chunk-bigger', () => show('chunk', int(10), V.sl!), '[[b a c a]]'],
  ['chunk-empty', () => show('chunk', int(2), list()), '[]'],
  ['chunk-zero', () => failure('chunk', int(0), V.sl!), 'runtime error: makeslice: len out of range'],
  ['mustChunk-ok', () => show('mustChunk', int(3), call('until', int(7))), '[[0 1 2] [3 4 5] [6]]'],
  ['until', () => show('until', int(5)), '[0 1 2 3 4]'],
  ['until typeof', () => typeName(call('until', int(5))), '[]int'],
  ['until-negative', () => show('until', int(-3)), '[0 -1 -2]'],
  ['untilStep', () => show('untilStep', int(0), int(10), int(3)), '[0 3 6 9]'],
  ['untilStep-zero-step', () => show('untilStep', int(0), int(10), int(0)), '[]'],
  ['untilStep-wrong-dir', () => show('untilStep', int(0), int(10), int(-1)), '[]'],
  ['seq-2', () => show('seq', int(2), int(5)), '2 3 4 5'],
  ['seq-down', () => show('seq', int(5), int(2)), '5 4 3 2'],
  ['seq-step', () => show('seq', int(0), int(2), int(10)), '0 2 4 6 8 10'],
  ['seq-zero', () => show('seq', int(0)), '1 0'],
  ['seq-negative', () => show('seq', int(-3)), '1 0 -1 -2 -3'],
  ['seq-none', () => `[${show('seq')}]`, '[]'],
  ['seq-wrong-step', () => `[${show('seq', int(10), int(-3), int(1))}]`, '[10 7 4 1]'],
  ['seq-neg-step', () => `${show('seq', int(10), int(-3), int(1))}|${show('seq', int(10), int(-3), int(0))}`, '10 7 4 1|10 7 4 1'],
  ['seq-typeof', () => typeName(call('seq', int(2))), 'string'],
  ['list-index-via-func', () => show('last', list('a', 'b')), 'b'],
];

test('list functions match helm', () => {
  for (const [name, got, want] of cases) assert.equal(got(), want, name);
});

test('append does not mutate its list', () => {
  const a = list(int(1), int(2));
  call('append', a, int(3));
  assert.equal(show('list', ...(a as GoValue[])), '[1 2]');
});

test('list elements keep their identity (set through index)', () => {
  const d = call('dict', 'a', int(1));
  const l = list(d);
  call('set', (l as GoValue[])[0]!, 'a', int(2));
  assert.equal(show('list', ...(l as GoValue[])), '[map[a:2]]');
  assert.equal(show('first', newSlice([])), '<no value>');
});
