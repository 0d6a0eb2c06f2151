// Sprig's reflection functions, called directly. Expected outputs are helm v4.1.4's (shared/vectors, category
// reflect).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fixedValues, int, show } from './sprig-support.js';
import { GoInt, GoStruct, newMap, type GoValue } from '../../src/template/value.js';

const V = fixedValues();

class Version extends GoStruct {
  constructor(readonly v: string) {
    super();
  }
  get typeName(): string {
    return '*semver.Version';
  }
  override goString(): string {
    return this.v;
  }
}

const typeKind = (x: GoValue) => `${show('typeOf', x)}|${show('kindOf', x)}`;

const cases: [string, () => string, string][] = [
  ['typeOf-values-string', () => typeKind(V.s!), 'string|string'],
  ['typeOf-values-bool', () => typeKind(V.b!), 'bool|bool'],
  ['typeOf-values-list', () => typeKind(V.l!), '[]interface {}|slice'],
  ['typeOf-int', () => typeKind(int(1)), 'int|int'],
  ['typeOf-float', () => typeKind(1.5), 'float64|float64'],
  ['typeOf-list', () => typeKind(call('list')), '[]interface {}|slice'],
  ['typeOf-int64', () => typeKind(call('add', int(1), int(1))), 'int64|int64'],
  ['typeOf-values-root', () => typeKind(V), 'common.Values|map'],
  ['typeOf-release', () => typeKind(newMap()), 'map[string]interface {}|map'],
  ['typeOf-strings', () => typeKind(call('splitList', ',', 'a')), '[]string|slice'],
  ['typeOf-byte-from-index', () => typeKind(new GoInt(97, 'uint8')), 'uint8|uint8'],
  ['typeOf-url', () => typeKind(call('urlParse', 'http://x')), 'map[string]interface {}|map'],
  ['typeOf nil', () => show('typeOf', null), '<nil>'],
  ['kindOf nil (helm)', () => show('kindOf', null), 'invalid'],
  ['kindIs invalid nil (helm)', () => show('kindIs', 'invalid', null), 'true'],
  ['kindIs-map', () => show('kindIs', 'map', V.nested!), 'true'],
  ['kindIs-slice', () => show('kindIs', 'slice', V.l!), 'true'],
  ['kindIs-float64', () => show('kindIs', 'float64', V.i!), 'true'],
  ['kindIs-int', () => show('kindIs', 'int', V.i!), 'false'],
  ['kindIs-ptr', () => show('kindIs', 'ptr', new Version('1.0.0')), 'true'],
  ['typeIs-nil', () => show('typeIs', '<nil>', null), 'true'],
  ['typeIsLike-ptr', () => show('typeIsLike', '*semver.Version', new Version('1.0.0')), 'true'],
  ['typeIsLike-deref', () => show('typeIsLike', 'semver.Version', new Version('1.0.0')), 'true'],
  ['typeIsLike-plain', () => show('typeIsLike', 'string', 'x'), 'true'],
  ['deepEqual-lists', () => show('deepEqual', call('list', int(1), int(2)), call('list', int(1), int(2))), 'true'],
  ['deepEqual-int-float', () => show('deepEqual', int(1), 1.0), 'false'],
  ['deepEqual-values-float', () => show('deepEqual', V.i!, 42.0), 'true'],
  ['deepEqual-nils', () => show('deepEqual', null, null), 'true'],
  ['deepEqual-values-vs-map', () => show('deepEqual', V.nested!, call('dict', 'a', 1.0, 'b', 2.0, 'c', (V.nested as Record<string, GoValue>).c!)), 'true'],
  ['deepEqual int vs int64', () => show('deepEqual', int(1), call('int64', int(1))), 'false'],
  ['deepEqual common.Values vs map', () => show('deepEqual', V, call('deepCopy', newMap())), 'false'],
  ['deepEqual NaN', () => show('deepEqual', NaN, NaN), 'false'],
  ['deepEqual maps differ', () => show('deepEqual', call('dict', 'a', int(1)), call('dict', 'a', int(2))), 'false'],
];

test('reflection functions match helm', () => {
  for (const [name, got, want] of cases) assert.equal(got(), want, name);
});
