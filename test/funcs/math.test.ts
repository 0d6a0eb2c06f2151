// Sprig math functions, called directly. Expected outputs are helm v4.1.4's (shared/vectors, category math).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, failure, fixedValues, int, show } from './sprig-support.js';
import { typeName } from '../../src/template/value.js';

const V = fixedValues();

const math: [string, () => string, string][] = [
  ['add', () => show('add', int(1), int(2), int(3)), '6'],
  ['add-values', () => show('add', V.i!, int(1)), '43'],
  ['add-values-float', () => show('add', V.f!, V.f!), '2'],
  ['add-string-num', () => show('add', '3', int(4)), '7'],
  ['add-string-float', () => show('add', '3.7', int(1)), '1'],
  ['add-string-bad', () => show('add', 'x', int(1)), '1'],
  ['add-none', () => show('add'), '0'],
  ['add-huge', () => show('add', V.huge!, int(0)), '-9223372036854775808'],
  ['add-hex-string', () => show('add', '0x10', int(0)), '16'],
  ['add wraps', () => show('add', int(9223372036854775807n), int(1)), '-9223372036854775808'],
  ['add1', () => show('add1', V.i!), '43'],
  ['add1-float', () => show('add1', V.f!), '2'],
  ['add1f', () => show('add1f', V.f!), '2.5'],
  ['sub-negative', () => show('sub', int(3), int(10)), '-7'],
  ['sub-values', () => show('sub', V.i!, V.neg!), '45'],
  ['div-negative', () => show('div', int(-7), int(2)), '-3'],
  ['div-float-args', () => show('div', 7.9, int(2)), '3'],
  ['div-values', () => show('div', V.big!, int(3)), '333333'],
  ['div by zero', () => failure('div', int(1), int(0)), 'runtime error: integer divide by zero'],
  ['mod-negative', () => show('mod', int(-7), int(3)), '-1'],
  ['mul', () => show('mul', int(2), int(3), int(4)), '24'],
  ['mul-one-arg', () => show('mul', int(5)), '5'],
  ['mul-values-float', () => show('mul', V.f!, int(2)), '2'],
  ['max-mixed', () => show('max', int(1), 2.9), '2'],
  ['max-negative', () => show('max', int(-1), int(-5)), '-1'],
  ['max-single', () => show('max', int(7)), '7'],
  ['biggest', () => show('biggest', int(1), int(8), int(3)), '8'],
  ['min', () => show('min', int(4), int(2), int(8)), '2'],
  ['min-strings', () => show('min', '10', '9'), '9'],
  ['maxf', () => show('maxf', int(1), 2.9, int(2)), '2.9'],
  ['minf', () => show('minf', 1.5, -2.25), '-2.25'],
  ['maxf-strings', () => show('maxf', '3.5', int(1)), '3.5'],
  ['minf-values', () => show('minf', V.big!, V.small!), '1e-06'],
  ['floor', () => show('floor', 1.7), '1'],
  ['floor-negative', () => show('floor', -1.2), '-2'],
  ['floor-typeof', () => typeName(call('floor', int(1))), 'float64'],
  ['ceil', () => show('ceil', 1.2), '2'],
  ['ceil-int', () => show('ceil', int(3)), '3'],
  ['ceil-negative', () => show('ceil', -1.7), '-1'],
  ['round', () => show('round', 1.2345, int(2)), '1.23'],
  ['round-2.675', () => show('round', 2.675, int(2)), '2.68'],
  ['round-custom-threshold', () => show('round', 1.5, int(0), 0.6), '1'],
  ['round-negative-places', () => show('round', 123.456, int(-1)), '120'],
  ['addf-int', () => show('addf', int(1), int(2)), '3'],
  ['addf-many', () => show('addf', 1.5, 2.25, '3'), '6.75'],
  ['addf-none', () => show('addf'), '0'],
  ['subf', () => show('subf', int(1), 0.9), '0.1'],
  ['subf-many', () => show('subf', int(10), 1.5, 2.5), '6'],
  ['mulf-big', () => show('mulf', int(1000), int(1000)), '1e+06'],
  ['divf', () => show('divf', int(1), int(3)), '0.3333333333333333'],
  ['divf-2-3', () => show('divf', int(2), int(3)), '0.6666666666666667'],
  ['divf-exact', () => show('divf', int(10), int(4)), '2.5'],
  ['divf-zero', () => failure('divf', int(1), int(0)), 'decimal division by 0'],
  ['divf negative rounds away from zero', () => show('divf', int(-2), int(3)), '-0.6666666666666667'],
  ['addf-values', () => show('addf', V.f!, V.i!), '43.5'],
  ['mulf-values-small', () => show('mulf', V.small!, int(1000000)), '1'],
  ['float-sum-precision-print', () => show('addf', 0.1, 0.7), '0.8'],
  ['addf of Inf', () => failure('addf', call('float64', 'Inf')), 'Cannot create a Decimal from +Inf'],
  ['randInt-deterministic', () => show('randInt', int(5), int(6)), '5'],
  ['randInt empty range', () => failure('randInt', int(5), int(5)), 'invalid argument to Intn'],
  ['pipeline-chain', () => show('sub', int(100), call('mul', int(3), call('add', int(1), int(2)))), '91'],
];

test('math functions match helm', () => {
  for (const [name, got, want] of math) assert.equal(got(), want, name);
});

test('randInt stays in [min, max)', () => {
  for (let k = 0; k < 50; k++) {
    const r = Number((call('randInt', int(1), int(10)) as { value: bigint }).value);
    assert.ok(r >= 1 && r < 10);
  }
});
