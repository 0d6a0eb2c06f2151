// strconv.FormatFloat, Quote, QuoteToASCII, QuoteRune, QuoteRuneToASCII, CanBackquote and IsPrint.
//
// strconv.helm.json: outputs of the real helm v4.1.4 (go1.25.9) for random and hand-picked float64 values (every
// magnitude, exact decimal ties, subnormals) and for a sample of code points; see its "about" field. The ftoa table
// below holds expected strings from Go's own strconv test table (facts, not code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  canBackquote,
  formatFloat,
  formatInt,
  isPrint,
  quote,
  quoteRune,
  quoteRuneToASCII,
  quoteToASCII,
  type FloatFormat,
} from '../../src/template/strconv.js';

function locate(...rel: string[]): string {
  const paths = rel.map((r) => fileURLToPath(new URL(r, import.meta.url)));
  return paths.find((p) => existsSync(p)) ?? paths[0]!;
}

interface HelmStrconv {
  floats: [fmt: FloatFormat, prec: number, value: string, out: string][];
  quotes: [cp: number, quoteRune: string, quoteRuneASCII: string, quote: string, quoteASCII: string, sharpQ: string][];
}
const data = JSON.parse(readFileSync(locate('./strconv.helm.json', '../../../test/template/strconv.helm.json'), 'utf8')) as HelmStrconv;

function report(failures: string[], total: number): void {
  if (failures.length > 0) assert.fail(`${failures.length} of ${total} differ:\n  ${failures.slice(0, 60).join('\n  ')}`);
}

test('FormatFloat: helm-rendered values', () => {
  assert.ok(data.floats.length > 1000);
  const failures: string[] = [];
  for (const [fmt, prec, lit, want] of data.floats) {
    const got = formatFloat(Number(lit), fmt, prec, 64);
    if (got !== want) failures.push(`FormatFloat(${lit}, '${fmt}', ${prec}): want ${want} got ${got}`);
  }
  report(failures, data.floats.length);
});

// Go's strconv ftoa test table: [value, fmt, prec, expected].
const ftoa: [number, FloatFormat, number, string][] = [
  [1, 'e', 5, '1.00000e+00'],
  [1, 'f', 5, '1.00000'],
  [1, 'g', 5, '1'],
  [1, 'g', -1, '1'],
  [1, 'x', -1, '0x1p+00'],
  [1, 'x', 5, '0x1.00000p+00'],
  [20, 'g', -1, '20'],
  [20, 'x', -1, '0x1.4p+04'],
  [1234567.8, 'g', -1, '1.2345678e+06'],
  [1234567.8, 'x', -1, '0x1.2d687cccccccdp+20'],
  [200000, 'g', -1, '200000'],
  [200000, 'x', -1, '0x1.86ap+17'],
  [200000, 'X', -1, '0X1.86AP+17'],
  [2000000, 'g', -1, '2e+06'],
  [400, 'g', 2, '4e+02'],
  [40, 'g', 2, '40'],
  [4, 'g', 2, '4'],
  [0.4, 'g', 2, '0.4'],
  [0.04, 'g', 2, '0.04'],
  [0.004, 'g', 2, '0.004'],
  [0.0004, 'g', 2, '0.0004'],
  [0.00004, 'g', 2, '4e-05'],
  [0.000004, 'g', 2, '4e-06'],
  [0, 'e', 5, '0.00000e+00'],
  [0, 'f', 5, '0.00000'],
  [0, 'g', 5, '0'],
  [0, 'g', -1, '0'],
  [0, 'x', 5, '0x0.00000p+00'],
  [-1, 'e', 5, '-1.00000e+00'],
  [-1, 'f', 5, '-1.00000'],
  [-1, 'g', 5, '-1'],
  [-1, 'g', -1, '-1'],
  [12, 'e', 5, '1.20000e+01'],
  [12, 'f', 5, '12.00000'],
  [12, 'g', 5, '12'],
  [12, 'g', -1, '12'],
  [123456700, 'e', 5, '1.23457e+08'],
  [123456700, 'f', 5, '123456700.00000'],
  [123456700, 'g', 5, '1.2346e+08'],
  [123456700, 'g', -1, '1.234567e+08'],
  [1.2345e6, 'e', 5, '1.23450e+06'],
  [1.2345e6, 'f', 5, '1234500.00000'],
  [1.2345e6, 'g', 5, '1.2345e+06'],
  [1e23, 'e', 17, '9.99999999999999916e+22'],
  [1e23, 'f', 17, '99999999999999991611392.00000000000000000'],
  [1e23, 'g', 17, '9.9999999999999992e+22'],
  [1e23, 'e', -1, '1e+23'],
  [1e23, 'f', -1, '100000000000000000000000'],
  [1e23, 'g', -1, '1e+23'],
  [99999999999999974834176, 'e', 17, '9.99999999999999748e+22'],
  [99999999999999974834176, 'f', 17, '99999999999999974834176.00000000000000000'],
  [99999999999999974834176, 'g', 17, '9.9999999999999975e+22'],
  [99999999999999974834176, 'e', -1, '9.999999999999997e+22'],
  [99999999999999974834176, 'f', -1, '99999999999999970000000'],
  [99999999999999974834176, 'g', -1, '9.999999999999997e+22'],
  [100000000000000008388608, 'e', 17, '1.00000000000000008e+23'],
  [100000000000000008388608, 'f', 17, '100000000000000008388608.00000000000000000'],
  [100000000000000008388608, 'g', 17, '1.0000000000000001e+23'],
  [100000000000000008388608, 'e', -1, '1.0000000000000001e+23'],
  [100000000000000008388608, 'f', -1, '100000000000000010000000'],
  [100000000000000008388608, 'g', -1, '1.0000000000000001e+23'],
  [5e-324, 'g', -1, '5e-324'],
  [-5e-324, 'g', -1, '-5e-324'],
  [32, 'g', -1, '32'],
  [32, 'g', 0, '3e+01'],
  [100, 'x', -1, '0x1.9p+06'],
  [NaN, 'g', -1, 'NaN'],
  [Infinity, 'g', -1, '+Inf'],
  [-Infinity, 'g', -1, '-Inf'],
  [-1, 'b', -1, '-4503599627370496p-52'],
  [0.9, 'f', 1, '0.9'],
  [0.09, 'f', 1, '0.1'],
  [0.0999, 'f', 1, '0.1'],
  [0.05, 'f', 1, '0.1'],
  [0.05, 'f', 0, '0'],
  [0.5, 'f', 1, '0.5'],
  [0.5, 'f', 0, '0'],
  [1.5, 'f', 0, '2'],
  [2.2250738585072012e-308, 'g', -1, '2.2250738585072014e-308'],
  [2.2250738585072011e-308, 'g', -1, '2.225073858507201e-308'],
  [383260575764816448, 'f', 0, '383260575764816448'],
  [383260575764816448, 'g', -1, '3.8326057576481645e+17'],
  [498484681984085570, 'f', -1, '498484681984085570'],
  [-5.8339553793802237e23, 'g', -1, '-5.8339553793802237e+23'],
  [2.275555555555555, 'x', -1, '0x1.23456789abcdep+01'],
  [2.275555555555555, 'x', 0, '0x1p+01'],
  [2.275555555555555, 'x', 2, '0x1.23p+01'],
  [2.275555555555555, 'x', 16, '0x1.23456789abcde000p+01'],
  [2.275555555555555, 'x', 21, '0x1.23456789abcde00000000p+01'],
  [2.2755555510520935, 'x', -1, '0x1.2345678p+01'],
  [2.2755555510520935, 'x', 6, '0x1.234568p+01'],
  [2.275555431842804, 'x', -1, '0x1.2345668p+01'],
  [2.275555431842804, 'x', 6, '0x1.234566p+01'],
  [3.999969482421875, 'x', -1, '0x1.ffffp+01'],
  [3.999969482421875, 'x', 4, '0x1.ffffp+01'],
  [3.999969482421875, 'x', 3, '0x1.000p+02'],
  [3.999969482421875, 'x', 2, '0x1.00p+02'],
  [3.999969482421875, 'x', 1, '0x1.0p+02'],
  [3.999969482421875, 'x', 0, '0x1p+02'],
];

test('FormatFloat: Go ftoa table (64-bit, and 32-bit where the value is a float32)', () => {
  for (const [f, fmt, prec, want] of ftoa) {
    assert.equal(formatFloat(f, fmt, prec, 64), want, `FormatFloat(${f}, '${fmt}', ${prec}, 64)`);
    if (Math.fround(f) === f || Number.isNaN(f)) {
      if (fmt !== 'b') assert.equal(formatFloat(f, fmt, prec, 32), want, `FormatFloat(${f}, '${fmt}', ${prec}, 32)`);
    }
  }
});

test('FormatFloat: negative zero and the invalid-format spelling', () => {
  assert.equal(formatFloat(-0, 'g', -1), '-0');
  assert.equal(formatFloat(-0, 'f', 2), '-0.00');
  assert.equal(formatFloat(-0, 'e', -1), '-0e+00');
  assert.equal(formatFloat(100, 'y' as FloatFormat, -1), '%y'); // Go's ftoa table: {100, 'y', -1, "%y"}
});

test('Quote, QuoteToASCII, QuoteRune, QuoteRuneToASCII, CanBackquote: helm-rendered code points', () => {
  assert.ok(data.quotes.length > 1000);
  const failures: string[] = [];
  for (const [cp, qr, qra, q, qa, sharp] of data.quotes) {
    const check = (what: string, got: string, want: string) => {
      if (got !== want) failures.push(`${what}(U+${cp.toString(16)}): want ${want} got ${got}`);
    };
    check('QuoteRune', quoteRune(cp), qr);
    check('QuoteRuneToASCII', quoteRuneToASCII(cp), qra);
    // printf "%c" turns an invalid code point into U+FFFD before the string is quoted.
    const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    const s = String.fromCodePoint(valid ? cp : 0xfffd);
    check('Quote', quote(s), q);
    check('QuoteToASCII', quoteToASCII(s), qa);
    check('CanBackquote', canBackquote(s) ? '`' + s + '`' : quote(s), sharp);
    const shownPlain = valid && qr === "'" + String.fromCodePoint(cp) + "'";
    if (valid && cp !== 0x27 && cp !== 0x5c && isPrint(cp) !== shownPlain) failures.push(`IsPrint(U+${cp.toString(16)}) = ${isPrint(cp)}`);
  }
  report(failures, data.quotes.length);
});

test('Quote: whole strings (Go strconv quote examples)', () => {
  // Expected strings from Go's strconv quote test table and package examples.
  assert.equal(quote('\x07\b\f\r\n\t\v'), '"\\a\\b\\f\\r\\n\\t\\v"');
  assert.equal(quote('\\'), '"\\\\"');
  assert.equal(quote('\u263a'), '"☺"');
  assert.equal(quote('\u{10ffff}'), '"\\U0010ffff"');
  assert.equal(quote('\x04'), '"\\x04"');
  assert.equal(quote('!\u00a0!\u2000!\u3000!'), '"!\\u00a0!\\u2000!\\u3000!"');
  assert.equal(quote('\x7f'), '"\\x7f"');
  assert.equal(quoteToASCII('\u263a'), '"\\u263a"');
  assert.equal(quoteToASCII('"Fran & Freddie\'s Diner\t\u263a"'), '"\\"Fran & Freddie\'s Diner\\t\\u263a\\""');
  assert.equal(quote('"Fran & Freddie\'s Diner"'), '"\\"Fran & Freddie\'s Diner\\""');
  assert.equal(quoteRune(0x263a), "'☺'");
  assert.equal(quoteRune(0x27), "'\\''");
  assert.equal(quoteRune(0x22), "'\"'");
  assert.equal(quoteRuneToASCII(0x263a), "'\\u263a'");
  assert.equal(canBackquote('Fran & Freddie\'s Diner ☺'), true);
  assert.equal(canBackquote('`can\'t backquote this`'), false);
  assert.equal(canBackquote('\ufeff'), false);
  assert.equal(canBackquote('a\tb'), true);
  assert.equal(canBackquote('a\nb'), false);
});

test('FormatInt', () => {
  assert.equal(formatInt(-9223372036854775808n, 10), '-9223372036854775808');
  assert.equal(formatInt(18446744073709551615n, 16), 'ffffffffffffffff');
  assert.equal(formatInt(-42, 2), '-101010');
  assert.equal(formatInt(35, 36), 'z');
});

test('FormatFloat 32-bit shortest: reads back as the same float32, never longer than 9 digits', () => {
  const dv = new DataView(new ArrayBuffer(4));
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    dv.setUint32(0, (seed * 2 + (i & 1)) >>> 0);
    const f = dv.getFloat32(0);
    if (!Number.isFinite(f)) continue;
    const s = formatFloat(f, 'e', -1, 32);
    assert.equal(Math.fround(Number(s)), f, s);
    assert.ok(s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').length <= 9, s);
  }
});
