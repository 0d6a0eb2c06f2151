// Go's strconv as the template engine needs it: float formatting (FormatFloat), integer formatting and string /
// rune quoting (Quote, QuoteToASCII, QuoteRune, CanBackquote, IsPrint). Output is Go's, byte for byte; JavaScript's
// own number-to-string conversions are only used for what they provably share with Go (the shortest round-trip
// digits of a float64, and BigInt integer digits).
import { PRINTABLE_RANGES } from './isprint.js';

// ---------------------------------------------------------------------------------------------------------------
// IsPrint

/** Sorted [first, last] code point ranges of printable runes, flattened. */
const printTable: Uint32Array = (() => {
  const pairs = PRINTABLE_RANGES.split(' ');
  const t = new Uint32Array(pairs.length * 2);
  let prev = -1;
  for (let i = 0; i < pairs.length; i++) {
    const dot = pairs[i]!.indexOf('.');
    const start = prev + 1 + Number.parseInt(pairs[i]!.slice(0, dot), 36);
    const end = start + Number.parseInt(pairs[i]!.slice(dot + 1), 36);
    t[2 * i] = start;
    t[2 * i + 1] = end;
    prev = end;
  }
  return t;
})();

/** strconv.IsPrint / unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space (Unicode 15.0). */
export function isPrint(r: number): boolean {
  if (r < 0x7f) return r >= 0x20;
  if (r < 0xa1) return false;
  let lo = 0;
  let hi = (printTable.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r < printTable[2 * mid]!) hi = mid - 1;
    else if (r > printTable[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Quoting

const LOWER_HEX = '0123456789abcdef';
const SIMPLE_QUOTE_SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function hexN(v: number, n: number): string {
  let s = '';
  for (let shift = (n - 1) * 4; shift >= 0; shift -= 4) s += LOWER_HEX[(v / 2 ** shift) & 0xf];
  return s;
}

/** The escape sequence for a rune that cannot appear literally inside a quoted literal. */
function escapeRune(r: number): string {
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hexN(r, 2);
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x10000) return '\\u' + hexN(r, 4);
  return '\\U' + hexN(r, 8);
}

function appendQuotedRune(r: number, quoteChar: number, asciiOnly: boolean): string {
  if (r === quoteChar || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r);
  return escapeRune(r);
}

function quoteWith(s: string, quoteChar: number, asciiOnly: boolean): string {
  const q = String.fromCharCode(quoteChar);
  let out = q;
  for (let i = 0; i < s.length; i++) {
    let r = s.charCodeAt(i);
    if (r >= 0xd800 && r <= 0xdfff) {
      const lo = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (r <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        r = 0x10000 + ((r - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else {
        // A lone surrogate cannot come from UTF-8; it stands for an invalid sequence (U+FFFD).
        r = 0xfffd;
      }
    }
    out += appendQuotedRune(r, quoteChar, asciiOnly);
  }
  return out + q;
}

/** strconv.Quote: a double-quoted Go string literal; non-printable runes are escaped. */
export function quote(s: string): string {
  if (SIMPLE_QUOTE_SAFE.test(s)) return '"' + s + '"';
  return quoteWith(s, 0x22, false);
}

/** strconv.QuoteToASCII: like quote, but every non-ASCII rune is escaped too. */
export function quoteToASCII(s: string): string {
  if (SIMPLE_QUOTE_SAFE.test(s)) return '"' + s + '"';
  return quoteWith(s, 0x22, true);
}

function validRune(r: number): number {
  return r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) ? 0xfffd : r;
}

/** strconv.QuoteRune: a single-quoted Go rune literal (invalid runes become U+FFFD). */
export function quoteRune(r: number): string {
  return "'" + appendQuotedRune(validRune(r), 0x27, false) + "'";
}

/** strconv.QuoteRuneToASCII. */
export function quoteRuneToASCII(r: number): string {
  return "'" + appendQuotedRune(validRune(r), 0x27, true) + "'";
}

/** strconv.CanBackquote: whether s can be written as a raw string literal without change. */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x60 || c === 0x7f || c === 0xfeff) return false;
    if (c >= 0xd800 && c <= 0xdfff) {
      const lo = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) i++;
      else return false; // invalid UTF-8
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Integers

/** strconv.FormatInt / FormatUint for any integer value (bases 2 to 36, lower-case digits). */
export function formatInt(v: bigint | number, base = 10): string {
  return typeof v === 'number' ? BigInt(Math.trunc(v)).toString(base) : v.toString(base);
}

// ---------------------------------------------------------------------------------------------------------------
// Floats

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G' | 'b' | 'x' | 'X';

/** A decimal digit string d (no leading or trailing zeros; '' for zero) with the decimal point at dp: 0.d × 10^dp. */
interface Decimal {
  d: string;
  dp: number;
}

const f64 = new DataView(new ArrayBuffer(8));

/** Binary decomposition of |x| (finite): value = mant × 2^(exp - mantBits), mant holding the implicit bit. */
function decompose(x: number, bitSize: 32 | 64): { mant: bigint; exp: number; mantBits: number } {
  if (bitSize === 32) {
    f64.setFloat32(0, x);
    const bits = f64.getUint32(0);
    let exp = (bits >>> 23) & 0xff;
    let mant = bits & 0x7fffff;
    if (exp === 0) exp++;
    else mant |= 0x800000;
    return { mant: BigInt(mant), exp: exp - 127, mantBits: 23 };
  }
  f64.setFloat64(0, x);
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { mant, exp: exp - 1023, mantBits: 52 };
}

const pow5Cache: bigint[] = [];
function pow5(k: number): bigint {
  let p = pow5Cache[k];
  if (p === undefined) {
    p = 5n ** BigInt(k);
    if (k < 1200) pow5Cache[k] = p;
  }
  return p;
}

/** The exact decimal expansion of |x| (x finite; the value of a float32 when bitSize is 32). */
function exactDecimal(x: number, bitSize: 32 | 64): Decimal {
  if (x === 0) return { d: '', dp: 0 };
  const { mant, exp, mantBits } = decompose(x, bitSize);
  let e2 = exp - mantBits;
  let m = mant;
  while (e2 < 0 && (m & 1n) === 0n) {
    m >>= 1n;
    e2++;
  }
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (m << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (m * pow5(-e2)).toString();
    dp = s.length + e2;
  }
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x30) end--;
  return { d: s.slice(0, end), dp };
}

/** The shortest decimal that reads back as |x| (x finite). */
function shortestDecimal(x: number, bitSize: 32 | 64): Decimal {
  if (x === 0) return { d: '', dp: 0 };
  x = Math.abs(x);
  if (bitSize === 32) return shortestDecimal32(x);
  // ECMAScript's Number::toString digits are the shortest that round-trip, nearest to x on a choice: Go's too.
  const s = x.toExponential();
  const e = s.indexOf('e');
  const digits = s.charCodeAt(1) === 0x2e ? s[0]! + s.slice(2, e) : s.slice(0, e);
  return { d: digits, dp: Number(s.slice(e + 1)) + 1 };
}

/**
 * Shortest digits for a float32 value x > 0: for each length, the nearest decimals below and above x are tested
 * exactly against the interval of reals that round to x (its ends included when the mantissa is even).
 */
function shortestDecimal32(x: number): Decimal {
  const { mant, exp, mantBits } = decompose(x, 32);
  const exact = exactDecimal(x, 32);
  // In units of 2^(e2-2): x = 4m, the interval is [x - lo, x + 2] (lo = 1 below a power of two, else 2).
  const e2 = exp - mantBits;
  const lowGap = mant === 1n << 23n && exp > -126 ? 1n : 2n;
  const inclusive = (mant & 1n) === 0n;
  for (let p = 1; p < 9; p++) {
    if (exact.d.length <= p) return exact;
    const q = exact.dp - p; // candidates are c × 10^q
    const cLo = BigInt(exact.d.slice(0, p));
    // Common scale making x, the interval ends and c × 10^q integers.
    const twoPow = e2 - 2 < 0 ? 2 - e2 : 0; // multiply by 2^twoPow
    const tenPow = q < 0 ? -q : 0; // multiply by 10^tenPow
    const unit = (e2 - 2 >= 0 ? 1n << BigInt(e2 - 2) : 1n) * 10n ** BigInt(tenPow); // 2^(e2-2), scaled
    const scaleC = (q >= 0 ? 10n ** BigInt(q) : 1n) * (1n << BigInt(twoPow));
    const X = 4n * mant * unit;
    const lo = X - lowGap * unit;
    const hi = X + 2n * unit;
    let best: bigint | undefined;
    let bestDist = 0n;
    for (const c of [cLo, cLo + 1n]) {
      const v = c * scaleC;
      const inside = inclusive ? v >= lo && v <= hi : v > lo && v < hi;
      if (!inside) continue;
      const dist = v > X ? v - X : X - v;
      if (best === undefined || dist < bestDist || (dist === bestDist && (c & 1n) === 0n)) {
        best = c;
        bestDist = dist;
      }
    }
    if (best !== undefined) {
      let d = best.toString();
      let dp = exact.dp;
      if (d.length > p) dp++; // 99..9 + 1
      let end = d.length;
      while (end > 0 && d.charCodeAt(end - 1) === 0x30) end--;
      d = d.slice(0, end);
      return { d, dp };
    }
  }
  return roundDecimal(exact, 9);
}

/**
 * Whether x (finite, >= 0) could lie exactly halfway between two multiples of 10^-prec. Its exact decimal
 * expansion has as many fractional digits as x has fractional bits, and a tie needs exactly prec + 1 of them.
 */
function mayTieFixed(x: number, prec: number): boolean {
  let k = 0;
  while (!Number.isInteger(x)) {
    if (++k > prec + 1) return false;
    x *= 2;
  }
  return k === prec + 1;
}

/** Rounds to nd digits, ties to even (Go's decimal.Round: nothing happens when nd < 0 or nd >= the digit count). */
function roundDecimal(a: Decimal, nd: number): Decimal {
  const { d } = a;
  if (nd < 0 || nd >= d.length) return a;
  const c = d.charCodeAt(nd);
  let up: boolean;
  if (c !== 0x35) up = c > 0x35;
  else if (nd + 1 < d.length) up = true; // more nonzero digits follow (no trailing zeros are kept)
  else up = nd > 0 && (d.charCodeAt(nd - 1) - 0x30) % 2 === 1; // exactly halfway: to even
  if (!up) {
    let end = nd;
    while (end > 0 && d.charCodeAt(end - 1) === 0x30) end--;
    return { d: d.slice(0, end), dp: a.dp };
  }
  for (let i = nd - 1; i >= 0; i--) {
    const ch = d.charCodeAt(i);
    if (ch < 0x39) return { d: d.slice(0, i) + String.fromCharCode(ch + 1), dp: a.dp };
  }
  return { d: '1', dp: a.dp + 1 };
}

function expDigits(exp: number): string {
  return exp < 10 ? '0' + exp : String(exp);
}

/** %e: d.ddddde±dd with prec digits after the point. */
function fmtE(neg: boolean, a: Decimal, prec: number, e: string): string {
  let s = neg ? '-' : '';
  s += a.d.length === 0 ? '0' : a.d[0];
  if (prec > 0) {
    s += '.';
    const m = Math.min(a.d.length, prec + 1);
    let i = 1;
    if (i < m) {
      s += a.d.slice(1, m);
      i = m;
    }
    if (i <= prec) s += '0'.repeat(prec - i + 1);
  }
  let exp = a.d.length === 0 ? 0 : a.dp - 1;
  s += e;
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else s += '+';
  return s + expDigits(exp);
}

/** %f: ddddd.ddd with prec digits after the point. */
function fmtF(neg: boolean, a: Decimal, prec: number): string {
  let s = neg ? '-' : '';
  const { d, dp } = a;
  if (dp > 0) {
    const m = Math.min(d.length, dp);
    s += d.slice(0, m);
    if (m < dp) s += '0'.repeat(dp - m);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      const j = dp + i;
      s += j >= 0 && j < d.length ? d[j] : '0';
    }
  }
  return s;
}

/** %b: mantissa "p" binary exponent, e.g. 6755399441055744p-52. */
function fmtB(neg: boolean, x: number, bitSize: 32 | 64): string {
  const { mant, exp, mantBits } = decompose(x, bitSize);
  const e = exp - mantBits;
  return (neg ? '-' : '') + mant.toString() + 'p' + (e >= 0 ? '+' : '') + e;
}

const MASK64 = (1n << 64n) - 1n;
const BIT60 = 1n << 60n;
const FRAC60 = BIT60 - 1n;

/** %x: -0x1.yyyyp±dd (hexadecimal mantissa, decimal power-of-two exponent). */
function fmtX(neg: boolean, x: number, prec: number, fmt: 'x' | 'X', bitSize: 32 | 64): string {
  let { mant, exp, mantBits } = decompose(x, bitSize);
  if (mant === 0n) exp = 0;
  mant <<= BigInt(60 - mantBits);
  while (mant !== 0n && (mant & BIT60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & FRAC60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : LOWER_HEX;
  let s = (neg ? '-' : '') + '0' + fmt + ((mant >> 60n) & 1n ? '1' : '0');
  mant = (mant << 4n) & MASK64;
  if (prec < 0 && mant !== 0n) {
    s += '.';
    while (mant !== 0n) {
      s += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK64;
    }
  } else if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      s += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK64;
    }
  }
  s += fmt === 'X' ? 'P' : 'p';
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else s += '+';
  return s + expDigits(exp);
}

/**
 * strconv.FormatFloat(f, fmt, prec, bitSize). prec -1 means the fewest digits that read back exactly; otherwise
 * the number of digits after the point ('e', 'f') or of significant digits ('g'), rounded half to even on the
 * exact binary value as Go does.
 */
export function formatFloat(f: number, fmt: FloatFormat, prec: number, bitSize: 32 | 64 = 64): string {
  if (f !== f) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (bitSize === 32) f = Math.fround(f);
  const neg = f < 0 || Object.is(f, -0);
  const x = Math.abs(f);
  switch (fmt) {
    case 'b':
      return fmtB(neg, x, bitSize);
    case 'x':
    case 'X':
      return fmtX(neg, x, prec, fmt, bitSize);
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      break;
    default:
      return '%' + String(fmt);
  }
  let a: Decimal;
  const shortest = prec < 0;
  if (shortest) {
    a = shortestDecimal(x, bitSize);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(a.d.length - 1, 0);
        break;
      case 'f':
        prec = Math.max(a.d.length - a.dp, 0);
        break;
      default:
        prec = a.d.length;
    }
  } else if (fmt === 'f' && x < 1e21 && prec <= 100 && !mayTieFixed(x, prec)) {
    // Number::toFixed rounds correctly except on exact ties (it rounds those up, Go to even).
    return (neg ? '-' : '') + x.toFixed(prec);
  } else {
    a = exactDecimal(x, bitSize);
    switch (fmt) {
      case 'e':
      case 'E':
        a = roundDecimal(a, prec + 1);
        break;
      case 'f':
        a = roundDecimal(a, a.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        a = roundDecimal(a, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, a, prec, fmt);
    case 'f':
      return fmtF(neg, a, prec);
  }
  // %g: %e for large and small exponents, %f otherwise.
  let eprec = prec;
  const nd = a.d.length;
  if (eprec > nd && nd >= a.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = a.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmtE(neg, a, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > a.dp) prec = nd;
  return fmtF(neg, a, Math.max(prec - a.dp, 0));
}

/** fmt's %v of a float64: FormatFloat(f, 'g', -1, 64), computed from JavaScript's shortest digits directly. */
export function formatFloatV(f: number): string {
  const a = f < 0 ? -f : f;
  // %f form for exponents -4..5: the same text as Number::toString (shortest digits, no exponent).
  if (a >= 1e-4 && a < 1e6) return String(f);
  if (a === 0) return 1 / f < 0 ? '-0' : '0';
  if (a !== a || a === Infinity) return formatFloat(f, 'g', -1, 64);
  // %e form: toExponential() gives Go's digits; Go writes at least two exponent digits.
  const s = f.toExponential();
  const e = s.indexOf('e');
  return s.length - e === 3 ? s.slice(0, e + 2) + '0' + s.slice(e + 2) : s;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing: strconv.ParseUint, ParseInt, Atoi and ParseFloat (Go literal syntax with base 0: prefixes, `_`
// separators, hex floats). Used by the template parser for number constants and by spf13/cast conversions.

export type ParseIntResult = { ok: true; value: bigint } | { ok: false; range: boolean; value: bigint };

function lower(c: string): string {
  return c.length === 1 && c >= 'A' && c <= 'Z' ? String.fromCharCode(c.charCodeAt(0) | 0x20) : c;
}

/** strconv's rule for '_' digit separators (only legal with base 0 / Go literal syntax). */
export function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && (lower(s[1]!) === 'b' || lower(s[1]!) === 'o' || lower(s[1]!) === 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]!) === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    const lc = lower(c);
    if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, base, bitSize). On a range error the value is the maximum, as Go returns it. */
export function parseUint(s0: string, base0: number, bitSize = 64): ParseIntResult {
  if (s0 === '') return { ok: false, range: false, value: 0n };
  let s = s0;
  let base = base0;
  const baseZero = base0 === 0;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      if (s.length >= 3 && lower(s[1]!) === 'b') {
        base = 2;
        s = s.slice(2);
      } else if (s.length >= 3 && lower(s[1]!) === 'o') {
        base = 8;
        s = s.slice(2);
      } else if (s.length >= 3 && lower(s[1]!) === 'x') {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  } else if (base < 2 || base > 36) {
    return { ok: false, range: false, value: 0n };
  }
  const maxVal = (1n << BigInt(bitSize)) - 1n;
  const b = BigInt(base);
  let underscores = false;
  let n = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c === 0x5f && baseZero) {
      underscores = true;
      continue;
    } else if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) d = (c | 0x20) - 0x61 + 10;
    else return { ok: false, range: false, value: 0n };
    if (d >= base) return { ok: false, range: false, value: 0n };
    n = n * b + BigInt(d);
    if (n > maxVal) return { ok: false, range: true, value: maxVal };
  }
  if (underscores && !underscoreOK(s0)) return { ok: false, range: false, value: 0n };
  return { ok: true, value: n };
}

/** strconv.ParseInt(s, base, bitSize). On a range error the value is clamped, as Go returns it. */
export function parseInt(s0: string, base: number, bitSize = 64): ParseIntResult {
  if (s0 === '') return { ok: false, range: false, value: 0n };
  let s = s0;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  const u = parseUint(s, base, bitSize);
  if (!u.ok && !u.range) return { ok: false, range: false, value: 0n };
  const cutoff = 1n << BigInt(bitSize - 1);
  if (!neg && u.value >= cutoff) return { ok: false, range: true, value: cutoff - 1n };
  if (neg && u.value > cutoff) return { ok: false, range: true, value: -cutoff };
  if (!u.ok) return { ok: false, range: true, value: neg ? -cutoff : cutoff - 1n };
  return { ok: true, value: neg ? -u.value : u.value };
}

/** strconv.Atoi: base 10, no separators; a range error still returns the clamped value (Sprig ignores the error). */
export function atoi(s: string): bigint {
  return parseInt(s, 10, 64).value;
}

function special(s: string): number | undefined {
  if (s.length === 0) return undefined;
  let sign = 1;
  let nsign = 0;
  let t = s;
  const c = s[0]!;
  if (c === '+' || c === '-') {
    if (c === '-') sign = -1;
    nsign = 1;
    t = s.slice(1);
  }
  const lt = t.toLowerCase();
  if (c === '+' || c === '-' || c === 'i' || c === 'I') {
    let n = 0;
    const inf = 'infinity';
    while (n < lt.length && n < inf.length && lt[n] === inf[n]) n++;
    if (n > 3 && n < 8) n = 3;
    if ((n === 3 || n === 8) && nsign + n === s.length) return sign * Infinity;
    return undefined;
  }
  if ((c === 'n' || c === 'N') && lt === 'nan') return NaN;
  return undefined;
}

/**
 * strconv.ParseFloat(s, 64): Go float literal syntax (decimal or hex with p exponent, '_' separators, inf/nan).
 * Returns undefined on a syntax error or when the value overflows (Go's ErrRange).
 */
export function parseFloat(s: string): number | undefined {
  const sp = special(s);
  if (sp !== undefined) return sp;
  let i = 0;
  let neg = false;
  if (s[i] === '+') i++;
  else if (s[i] === '-') {
    neg = true;
    i++;
  }
  let hex = false;
  if (i + 2 < s.length && s[i] === '0' && lower(s[i + 1]!) === 'x') {
    hex = true;
    i += 2;
  }
  let underscores = false;
  let sawdot = false;
  let sawdigits = false;
  let mantDigits = '';
  let fracDigits = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '_') {
      underscores = true;
      continue;
    }
    if (c === '.') {
      if (sawdot) break;
      sawdot = true;
      continue;
    }
    const isDec = c >= '0' && c <= '9';
    const isHex = hex && lower(c) >= 'a' && lower(c) <= 'f';
    if (isDec || isHex) {
      sawdigits = true;
      mantDigits += c;
      if (sawdot) fracDigits++;
      continue;
    }
    break;
  }
  if (!sawdigits) return undefined;
  let exp = 0;
  const expChar = hex ? 'p' : 'e';
  if (i < s.length && lower(s[i]!) === expChar) {
    i++;
    if (i >= s.length) return undefined;
    let esign = 1;
    if (s[i] === '+') i++;
    else if (s[i] === '-') {
      i++;
      esign = -1;
    }
    if (i >= s.length || s[i]! < '0' || s[i]! > '9') return undefined;
    let e = 0;
    for (; i < s.length && ((s[i]! >= '0' && s[i]! <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') {
        underscores = true;
        continue;
      }
      if (e < 10000) e = e * 10 + (s.charCodeAt(i) - 0x30);
    }
    exp = e * esign;
  } else if (hex) {
    return undefined;
  }
  if (i !== s.length) return undefined;
  if (underscores && !underscoreOK(s.slice(0, i))) return undefined;
  let v: number;
  if (hex) {
    const m = BigInt('0x' + mantDigits);
    if (m === 0n) v = 0;
    else v = hexFloat(m, exp - 4 * fracDigits);
  } else {
    const intLen = mantDigits.length - fracDigits;
    v = Number(`${mantDigits.slice(0, intLen) || '0'}.${mantDigits.slice(intLen)}e${exp}`);
  }
  if (!Number.isFinite(v)) return undefined;
  return neg ? -v : v;
}

/** m * 2^e rounded to the nearest float64 (ties to even), for hex float literals. */
function hexFloat(m: bigint, e: number): number {
  // Normalise m to 64 significant bits so Number() performs the single rounding step, then scale by 2^e.
  let bits = m.toString(2).length;
  let mm = m;
  let ee = e;
  if (bits > 64) {
    const shift = bits - 64;
    const sticky = (mm & ((1n << BigInt(shift)) - 1n)) !== 0n ? 1n : 0n;
    mm = (mm >> BigInt(shift)) | sticky;
    ee += shift;
    bits = 64;
  }
  let v = Number(mm);
  // Scale in steps to stay within the representable exponent range.
  while (ee > 0) {
    const step = Math.min(ee, 1000);
    v *= 2 ** step;
    ee -= step;
  }
  while (ee < 0) {
    const step = Math.min(-ee, 1000);
    v /= 2 ** step;
    ee += step;
  }
  return v;
}
