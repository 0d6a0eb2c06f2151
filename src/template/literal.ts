// Go's literal syntax as text/template reads it (strconv.Unquote, UnquoteChar, ParseInt/ParseUint with base 0,
// ParseFloat, and parse.NumberNode's rules for which Go types a number constant can take).
import { parseFloat, parseInt, parseUint } from './strconv.js';
import { quote } from './fmt.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8enc = new TextEncoder();

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

interface Escape {
  /** A code point (from \u, \U or a simple escape) or a raw byte (from \x or octal). */
  value: number;
  isByte: boolean;
  end: number;
}

/** Reads the escape starting after the backslash at s[i]; null when invalid. `quote` is the enclosing quote. */
function readEscape(s: string, i: number, quote: number): Escape | null {
  const c = s.charCodeAt(i);
  switch (c) {
    case 97: // a
      return { value: 7, isByte: false, end: i + 1 };
    case 98: // b
      return { value: 8, isByte: false, end: i + 1 };
    case 102: // f
      return { value: 12, isByte: false, end: i + 1 };
    case 110: // n
      return { value: 10, isByte: false, end: i + 1 };
    case 114: // r
      return { value: 13, isByte: false, end: i + 1 };
    case 116: // t
      return { value: 9, isByte: false, end: i + 1 };
    case 118: // v
      return { value: 11, isByte: false, end: i + 1 };
    case 92: // \\
      return { value: 92, isByte: false, end: i + 1 };
    case 39: // '
    case 34: // "
      return c === quote ? { value: c, isByte: false, end: i + 1 } : null;
    case 120: // x
    case 117: // u
    case 85: {
      // U
      const n = c === 120 ? 2 : c === 117 ? 4 : 8;
      let v = 0;
      for (let k = 1; k <= n; k++) {
        const h = hexVal(s.charCodeAt(i + k));
        if (h < 0) return null;
        v = v * 16 + h;
      }
      if (c === 120) return { value: v, isByte: true, end: i + 1 + n };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
      return { value: v, isByte: false, end: i + 1 + n };
    }
  }
  if (c >= 48 && c <= 55) {
    let v = 0;
    for (let k = 0; k < 3; k++) {
      const d = s.charCodeAt(i + k) - 48;
      if (!(d >= 0 && d <= 7)) return null;
      v = v * 8 + d;
    }
    if (v > 255) return null;
    return { value: v, isByte: true, end: i + 3 };
  }
  return null;
}

/** strconv.Unquote for "…" and `…` literals; null on invalid syntax. */
export function unquote(lit: string): string | null {
  const q = lit.charCodeAt(0);
  if (lit.length < 2 || lit.charCodeAt(lit.length - 1) !== q) return null;
  const body = lit.slice(1, -1);
  if (q === 96) return body.includes('\r') ? body.replaceAll('\r', '') : body;
  if (q !== 34) return null;
  if (!body.includes('\\')) return body.includes('"') || body.includes('\n') ? null : body;
  const bytes: number[] = [];
  const enc = utf8enc;
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === 34 || c === 10) return null;
    if (c !== 92) {
      let j = i + 1;
      while (j < body.length && body.charCodeAt(j) !== 92) j++;
      for (const b of enc.encode(body.slice(i, j))) bytes.push(b);
      i = j;
      continue;
    }
    const e = readEscape(body, i + 1, 34);
    if (e === null) return null;
    if (e.isByte) bytes.push(e.value);
    else for (const b of enc.encode(String.fromCodePoint(e.value))) bytes.push(b);
    i = e.end;
  }
  return utf8.decode(new Uint8Array(bytes));
}

/** strconv.UnquoteChar of a character constant 'x'; the code point, or an error message. */
export function unquoteChar(lit: string): number | string {
  const body = lit.slice(1);
  if (body.length === 0) return 'invalid syntax';
  const c = body.charCodeAt(0);
  let value: number;
  let end: number;
  if (c === 39) return 'invalid syntax';
  if (c === 92) {
    const e = readEscape(body, 1, 39);
    if (e === null) return 'invalid syntax';
    value = e.value;
    end = e.end;
  } else {
    value = body.codePointAt(0)!;
    end = value > 0xffff ? 2 : 1;
  }
  if (body.slice(end) !== "'") return `malformed character constant: ${lit}`;
  return value;
}

/** strconv.ParseUint(s, 0, 64) as the parser calls it; null on syntax or range error. */
function parseUint64(s: string): bigint | null {
  const r = parseUint(s, 0, 64);
  return r.ok ? r.value : null;
}

/** strconv.ParseInt(s, 0, 64); null on syntax or range error. */
function parseInt64(s: string): bigint | null {
  const r = parseInt(s, 0, 64);
  return r.ok ? r.value : null;
}

/** strconv.ParseFloat(s, 64); null on syntax or range error. */
function parseGoFloat(s: string): number | null {
  return parseFloat(s) ?? null;
}

/**
 * What a number constant is: every Go type that can represent it (ints within int64, uints within uint64, floats that
 * convert to float64, complex numbers), like text/template's NumberNode.
 */
export interface NumberInfo {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: readonly [number, number];
}

function setFromFloat(n: NumberInfo, f: number): void {
  n.isFloat = true;
  n.float64 = f;
  if (!n.isInt && Number.isInteger(f) && f >= -9223372036854775808 && f < 9223372036854775808) {
    n.isInt = true;
    n.int64 = BigInt(f);
  }
  if (!n.isUint && Number.isInteger(f) && f >= 0 && f < 18446744073709551616) {
    n.isUint = true;
    n.uint64 = BigInt(f);
  }
}

function simplifyComplex(n: NumberInfo): void {
  const [re, im] = n.complex;
  if (im === 0) setFromFloat(n, re);
}

/** 1 to 15 decimal digits, no leading zero unless the whole text is "0" (a leading 0 makes Go read octal). */
function isSmallDecimal(text: string): boolean {
  const len = text.length;
  if (len === 0 || len > 15 || (len > 1 && text.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Reads a number, character ('x') or complex (1+2i) constant as Go's parse.newNumber does. Returns the Go error
 * message for invalid ones ("integer overflow: …", "illegal number syntax: …", "invalid syntax", …).
 */
export function parseNumber(text: string, kind: 'number' | 'char' | 'complex'): NumberInfo | string {
  if (kind === 'number' && isSmallDecimal(text)) {
    // The common case (`nindent 4`, `trunc 63`): a decimal integer without sign, underscores or leading zero is an
    // int, a uint and a float alike.
    const v = Number(text);
    const b = BigInt(v);
    return { isInt: true, isUint: true, isFloat: true, isComplex: false, int64: b, uint64: b, float64: v, complex: [0, 0] };
  }
  const n: NumberInfo = { isInt: false, isUint: false, isFloat: false, isComplex: false, int64: 0n, uint64: 0n, float64: 0, complex: [0, 0] };
  if (kind === 'char') {
    const r = unquoteChar(text);
    if (typeof r === 'string') return r;
    n.isInt = n.isUint = n.isFloat = true;
    n.int64 = n.uint64 = BigInt(r);
    n.float64 = r;
    return n;
  }
  if (kind === 'complex') {
    // re±im i: the sign that starts the imaginary part is the last one not inside an exponent.
    let split = -1;
    for (let k = text.length - 2; k > 0; k--) {
      if ((text[k] === '+' || text[k] === '-') && !/[eEpP]/.test(text[k - 1]!)) {
        split = k;
        break;
      }
    }
    const re = split > 0 ? parseGoFloat(text.slice(0, split)) : null;
    const im = split > 0 ? parseGoFloat(text.slice(split, -1)) : null;
    if (re === null || im === null) return `illegal number syntax: ${quote(text)}`;
    n.isComplex = true;
    n.complex = [re, im];
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) {
      n.isComplex = true;
      n.complex = [0, f];
      simplifyComplex(n);
      return n;
    }
  }
  const u = parseUint64(text);
  if (u !== null) {
    n.isUint = true;
    n.uint64 = u;
  }
  const i = parseInt64(text);
  if (i !== null) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = u ?? 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${quote(text)}`;
      setFromFloat(n, f);
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${quote(text)}`;
  return n;
}
