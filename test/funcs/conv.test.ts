// Sprig conversion functions (atoi, int, int64, float64, toDecimal, toString), called directly. Expected outputs
// are helm v4.1.4's (shared/vectors, category conv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fixedValues, int, show } from './sprig-support.js';
import { typeName } from '../../src/template/value.js';

const V = fixedValues();

const conv: [string, () => string, string][] = [
  ['int-float', () => show('int', 1.9), '1'],
  ['int-neg-float', () => show('int', -1.9), '-1'],
  ['int-string-dot0', () => show('int', '4.0'), '4'],
  ['int-hex-string', () => show('int', '0x1F'), '31'],
  ['int-octal-string', () => show('int', '010'), '8'],
  ['int-exp-string', () => show('int', '1e3'), '0'],
  ['int-spaced-string', () => show('int', ' 42 '), '0'],
  ['int-null', () => show('int', null), '0'],
  ['int-neg-string', () => show('int', '-7'), '-7'],
  ['int-values-big', () => show('int', V.big!), '1000000'],
  ['int-values-float', () => show('int', V.f!), '1'],
  ['int-binary-string', () => show('int', '0b101'), '5'],
  ['int-underscore-string', () => show('int', '1_000'), '1000'],
  ['int-plus-string', () => show('int', '+5'), '5'],
  ['int-empty-string', () => show('int', ''), '0'],
  ['int-list', () => show('int', V.l!), '0'],
  ['int-typeof', () => typeName(call('int', 1.5)), 'int'],
  ['int bool', () => show('int', true), '1'],
  ['int64-huge', () => show('int64', V.huge!), '-9223372036854775808'],
  ['int64-max-string', () => show('int64', '9223372036854775807'), '9223372036854775807'],
  ['int64-overflow-string', () => show('int64', '9223372036854775808'), '0'],
  ['int64-float', () => show('int64', 2.99), '2'],
  ['float64-bad-string', () => show('float64', 'abc'), '0'],
  ['float64-int', () => show('float64', int(1)), '1'],
  ['float64-exp-string', () => show('float64', '1e3'), '1000'],
  ['float64-inf', () => show('float64', 'Inf'), '+Inf'],
  ['float64-neg-inf', () => show('float64', '-inf'), '-Inf'],
  ['float64-true', () => show('float64', true), '1'],
  ['float64-hex-string', () => show('float64', '0x10'), '0'],
  ['float64 hex float', () => show('float64', '0x1.8p1'), '3'],
  ['float64-null', () => show('float64', null), '0'],
  ['float64-values-int', () => show('float64', V.i!), '42'],
  ['float64-spaced-string', () => show('float64', ' 1.5 '), '0'],
  ['float64 overflow', () => show('float64', '1e400'), '0'],
  ['float64-typeof', () => typeName(call('float64', int(1))), 'float64'],
  ['float-sum-precision-print', () => show('float64', '0.8'), '0.8'],
  ['atoi-frac', () => show('atoi', '4.2'), '0'],
  ['atoi-plus', () => show('atoi', '+5'), '5'],
  ['atoi-empty', () => show('atoi', ''), '0'],
  ['atoi-leading-space', () => show('atoi', ' 5'), '0'],
  ['atoi-hex', () => show('atoi', '0x10'), '0'],
  ['atoi-overflow', () => show('atoi', '99999999999999999999'), '9223372036854775807'],
  ['atoi-values-num-str', () => show('atoi', V.num_str!), '123'],
  ['atoi-typeof', () => typeName(call('atoi', '1')), 'int'],
  ['toString-int', () => show('toString', int(42)), '42'],
  ['toString-bool', () => show('toString', true), 'true'],
  ['toString-map', () => show('toString', V.nested!), 'map[a:1 b:2 c:map[d:x e:[1 2]]]'],
  ['toString-int64', () => show('toString', call('add', int(1), int(1))), '2'],
  ['toString-bytes', () => show('toString', new Uint8Array([104, 105])), 'hi'],
  ['toDecimal-octal-string', () => show('toDecimal', '0777'), '511'],
  ['toDecimal-int', () => show('toDecimal', int(777)), '511'],
  ['toDecimal-invalid', () => show('toDecimal', '8'), '0'],
  ['toDecimal-typeof', () => typeName(call('toDecimal', '7')), 'int64'],
  ['float-to-int-to-string', () => show('toString', call('int', V.big!)), '1000000'],
];

test('conversion functions match helm', () => {
  for (const [name, got, want] of conv) assert.equal(got(), want, name);
});

test('cast helpers (spf13/cast v1.7, strconv) used by other libraries', async () => {
  const cast = await import('../../src/template/funcs/cast.js');
  assert.deepEqual(cast.toBoolE('True'), { ok: true, value: true });
  assert.deepEqual(cast.toBoolE('yes'), { ok: false, value: false });
  assert.deepEqual(cast.toBoolE(int(2)), { ok: true, value: true });
  assert.deepEqual(cast.toBoolE(0.0), { ok: true, value: false });
  assert.deepEqual(cast.toStringE(1e21), { ok: true, value: '1000000000000000000000' });
  assert.deepEqual(cast.toStringE(1.5), { ok: true, value: '1.5' });
  assert.deepEqual(cast.toStringE(int(-3)), { ok: true, value: '-3' });
  assert.deepEqual(cast.toStringE(null), { ok: true, value: '' });
  assert.deepEqual(cast.toStringE(call('list')), { ok: false, value: '' });
  assert.deepEqual(cast.parseInt('0x_1F', 0), { ok: true, value: 31n });
  assert.deepEqual(cast.parseInt('1__0', 0), { ok: false, range: false, value: 0n });
  assert.deepEqual(cast.parseInt('-9223372036854775809', 10), { ok: false, range: true, value: -9223372036854775808n });
  assert.equal(cast.parseFloat('0x1p-2'), 0.25);
  assert.equal(cast.parseFloat('1e400'), undefined);
  assert.equal(cast.parseFloat('infinity'), Infinity);
  assert.equal(cast.parseFloat('+nan'), undefined);
  assert.equal(cast.strval(new Uint8Array([0xc3, 0xa9])), 'é');
});
