// Sprig's default/empty/coalesce/all/any/ternary, called directly. Expected outputs are helm v4.1.4's
// (shared/vectors, category defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fixedValues, int, show } from './sprig-support.js';
import { typeName, GoStruct, type GoValue } from '../../src/template/value.js';

const V = fixedValues();

class Release extends GoStruct {
  get typeName(): string {
    return 'common.Release';
  }
}

/** `{{ empty X }}|{{ default "D" X }}` */
const emptyDefault = (x: GoValue) => `${show('empty', x)}|${show('default', 'D', x)}`;

const cases: [string, () => string, string][] = [
  ['empty-default-int', () => emptyDefault(V.i!), 'false|42'],
  ['empty-default-float', () => emptyDefault(V.f!), 'false|1.5'],
  ['empty-default-zero', () => emptyDefault(V.zero!), 'true|D'],
  ['empty-default-neg', () => emptyDefault(V.neg!), 'false|-3'],
  ['empty-default-small', () => emptyDefault(V.small!), 'false|1e-06'],
  ['empty-default-str-zero', () => emptyDefault('0'), 'false|0'],
  ['empty-default-str-space', () => emptyDefault(' '), 'false| '],
  ['empty-default-true', () => emptyDefault(V.b!), 'false|true'],
  ['empty-default-false', () => emptyDefault(V.bf!), 'true|D'],
  ['empty-default-null', () => emptyDefault(null), 'true|D'],
  ['empty-default-list', () => emptyDefault(V.l!), 'false|[1 two 3 true <nil>]'],
  ['empty-default-empty-list', () => emptyDefault(call('list')), 'true|D'],
  ['empty-default-map', () => emptyDefault(V.nested!), 'false|map[a:1 b:2 c:map[d:x e:[1 2]]]'],
  ['empty-default-empty-map', () => emptyDefault(call('dict')), 'true|D'],
  ['empty-default-const-0', () => emptyDefault(int(0)), 'true|D'],
  ['empty-default-const-0.0', () => emptyDefault(0.0), 'true|D'],
  ['empty-default-list-of-nil', () => emptyDefault(call('list', null)), 'false|[<nil>]'],
  ['default-multi-given', () => show('default', 'd', '', 'x'), 'd'],
  ['default-keeps-type', () => typeName(call('default', int(5), V.i!)), 'float64'],
  ['default-list-default', () => show('default', call('list', int(1), int(2)), null), '[1 2]'],
  ['default with no given', () => show('default', 'd'), 'd'],
  ['empty-struct-like', () => show('empty', new Release()), 'false'],
  ['coalesce', () => show('coalesce', null, V.e!, V.zero!, 'x', 'y'), 'x'],
  ['coalesce-all-empty', () => `[${show('coalesce', null, V.e!, int(0))}]`, '[<no value>]'],
  ['coalesce-first', () => show('coalesce', V.s!, 'x'), 'hello'],
  ['ternary-true', () => show('ternary', 'yes', 'no', true), 'yes'],
  ['ternary-false', () => show('ternary', 'yes', 'no', false), 'no'],
  ['all-values', () => show('all', V.i!, V.s!, V.l!), 'true'],
  ['all with an empty', () => show('all', V.i!, ''), 'false'],
  ['all-none', () => show('all'), 'true'],
  ['any-one', () => show('any', int(0), '', 'x'), 'true'],
  ['any-none', () => show('any'), 'false'],
];

test('default family matches helm', () => {
  for (const [name, got, want] of cases) assert.equal(got(), want, name);
});
