// spf13/cast (v1.7) conversions as Sprig uses them, plus Go's strconv number parsing they rest on, and Sprig's
// strval/strslice string helpers. Shared by the other function libraries; exposes no template functions itself.
//
// cast's rules, in short: integers and floats convert with Go's conversion (float → int truncates toward zero;
// out of range or NaN gives math.MinInt64 as on amd64), bools give 1/0, nil gives 0, strings are parsed with
// strconv (integers in base 0 after dropping a trailing ".000", floats with ParseFloat), and anything that does
// not convert gives 0.
import { type GoFunc, type GoValue, GO_TYPE, GoInt, GoStruct, bytesToString, isMap } from '../value.js';
import { formatFloat, sprint } from '../fmt.js';

/** This module exposes no template functions; its helpers serve the others. */
export const castFuncs: Record<string, GoFunc> = {};

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

// ---------------------------------------------------------------------------------------------------------------
// strconv

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

// ---------------------------------------------------------------------------------------------------------------
// cast

/** Go's float64 → int64 conversion as amd64 performs it (CVTTSD2SQ): out of range and NaN give MinInt64. */
export function floatToInt64(f: number): bigint {
  if (Number.isNaN(f)) return MIN_INT64;
  const t = Math.trunc(f);
  if (t >= 9223372036854775808 || t < -9223372036854775808) return MIN_INT64;
  return BigInt(t);
}

/** cast's trimZeroDecimal: "12.000" → "12"; anything else is left alone. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

function isCastableNamedInt(v: GoInt): boolean {
  // cast recognises the plain integer kinds plus time.Weekday and time.Month; other named integer types
  // (time.Duration, ...) fall through to its error path.
  return v.named === undefined || v.named.name === 'time.Weekday' || v.named.name === 'time.Month';
}

/** cast.ToInt64E: the value and whether the conversion succeeded. */
export function toInt64E(v: GoValue): { ok: boolean; value: bigint } {
  if (v === null) return { ok: true, value: 0n };
  switch (typeof v) {
    case 'number':
      return { ok: true, value: floatToInt64(v) };
    case 'boolean':
      return { ok: true, value: v ? 1n : 0n };
    case 'string': {
      const r = parseInt(trimZeroDecimal(v), 0, 64);
      return r.ok ? { ok: true, value: r.value } : { ok: false, value: 0n };
    }
  }
  if (v instanceof GoInt) {
    if (!isCastableNamedInt(v)) return { ok: false, value: 0n };
    return { ok: true, value: BigInt.asIntN(64, v.value) };
  }
  return { ok: false, value: 0n };
}

/** cast.ToInt64 (errors give 0). */
export function toInt64(v: GoValue): bigint {
  return toInt64E(v).value;
}

/** cast.ToInt: identical to ToInt64 on a 64-bit platform. */
export function toInt(v: GoValue): bigint {
  return toInt64E(v).value;
}

/** cast.ToFloat64E. */
export function toFloat64E(v: GoValue): { ok: boolean; value: number } {
  if (v === null) return { ok: true, value: 0 };
  switch (typeof v) {
    case 'number':
      return { ok: true, value: v };
    case 'boolean':
      return { ok: true, value: v ? 1 : 0 };
    case 'string': {
      const f = parseFloat(v);
      return f === undefined ? { ok: false, value: 0 } : { ok: true, value: f };
    }
  }
  if (v instanceof GoInt) {
    if (!isCastableNamedInt(v)) return { ok: false, value: 0 };
    return { ok: true, value: Number(v.value) };
  }
  return { ok: false, value: 0 };
}

/** cast.ToFloat64 (errors give 0). */
export function toFloat64(v: GoValue): number {
  return toFloat64E(v).value;
}

export { MIN_INT64, MAX_INT64 };

/** strconv.ParseBool. */
export function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** cast.ToBoolE: bools, non-zero numbers (time.Duration included), ParseBool strings; nil is false. */
export function toBoolE(v: GoValue): { ok: boolean; value: boolean } {
  if (v === null) return { ok: true, value: false };
  switch (typeof v) {
    case 'boolean':
      return { ok: true, value: v };
    case 'number':
      return { ok: true, value: v !== 0 };
    case 'string': {
      const b = parseBool(v);
      return b === undefined ? { ok: false, value: false } : { ok: true, value: b };
    }
  }
  if (v instanceof GoInt) {
    const named = v.named?.name;
    if (named !== undefined && named !== 'time.Duration' && !isCastableNamedInt(v)) return { ok: false, value: false };
    return { ok: true, value: v.value !== 0n };
  }
  return { ok: false, value: false };
}

/** cast.ToStringE: floats in strconv 'f' -1 form (not %v), integers in decimal, Stringers and errors by method. */
export function toStringE(v: GoValue): { ok: boolean; value: string } {
  if (v === null) return { ok: true, value: '' };
  switch (typeof v) {
    case 'string':
      return { ok: true, value: v };
    case 'boolean':
      return { ok: true, value: v ? 'true' : 'false' };
    case 'number':
      return { ok: true, value: formatFloat(v, 'f', -1, 64) };
  }
  if (v instanceof Uint8Array) return { ok: true, value: bytesToString(v) };
  if (v instanceof GoInt) {
    if (v.named?.stringer) return { ok: true, value: v.named.stringer(v) };
    if (!isCastableNamedInt(v)) return { ok: false, value: '' };
    return { ok: true, value: v.value.toString() };
  }
  if (v instanceof GoStruct && v.goString) return { ok: true, value: v.goString() };
  return { ok: false, value: '' };
}

// ---------------------------------------------------------------------------------------------------------------
// Sprig's string helpers

/** Sprig's strval: strings as they are, []byte as text, error/Stringer through their method, else fmt %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return bytesToString(v);
  if (v instanceof GoStruct && v.goString) return v.goString();
  return sprint([v]);
}

/**
 * The elements of a value whose reflect kind is slice or array, as interface values (Index(i).Interface()), or
 * undefined for any other kind. []byte yields uint8 integers.
 */
export function sliceElems(v: GoValue): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => new GoInt(b, 'uint8'));
  return undefined;
}

/** Sprig's strslice: a []string from a slice (nil elements dropped), a scalar, or nothing for nil. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) {
    if (isStringSlice(v)) return v as string[];
    const out: string[] = [];
    for (const e of v) if (e !== null) out.push(strval(e));
    return out;
  }
  if (v instanceof Uint8Array) return Array.from(v, (b) => String(b));
  if (v === null) return [];
  return [strval(v)];
}

/** True for a slice whose Go type is []string. */
export function isStringSlice(v: GoValue): boolean {
  return Array.isArray(v) && (v as GoValue[] & { [GO_TYPE]?: string })[GO_TYPE] === '[]string';
}

/** Go's reflect Kind name of a value, for error messages ("Cannot find first on type string"). */
export function reflectKind(v: GoValue): string {
  if (v === null) return 'invalid';
  if (isMap(v)) return 'map';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoStruct) return v.kindName;
  switch (typeof v) {
    case 'number':
      return 'float64';
    case 'string':
      return 'string';
    default:
      return 'bool';
  }
}

/** The panic Go raises when reflect.TypeOf(nil).Kind() (or any method call on a nil interface) is evaluated. */
export function nilDereference(): Error {
  return new Error('runtime error: invalid memory address or nil pointer dereference');
}
