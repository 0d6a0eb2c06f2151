// spf13/cast (v1.7) conversions as Sprig uses them, plus Go's strconv number parsing they rest on, and Sprig's
// strval/strslice string helpers. Shared by the other function libraries; exposes no template functions itself.
//
// cast's rules, in short: integers and floats convert with Go's conversion (float → int truncates toward zero;
// out of range or NaN gives math.MinInt64 as on amd64), bools give 1/0, nil gives 0, strings are parsed with
// strconv (integers in base 0 after dropping a trailing ".000", floats with ParseFloat), and anything that does
// not convert gives 0.
import { type GoFunc, type GoValue, GO_TYPE, GoInt, GoStruct, bytesToString, isMap } from '../value.js';
import { formatFloat, sprint } from '../fmt.js';
import { parseInt, parseFloat } from '../strconv.js';

export { underscoreOK, parseUint, parseInt, atoi, parseFloat, type ParseIntResult } from '../strconv.js';

/** This module exposes no template functions; its helpers serve the others. */
export const castFuncs: Record<string, GoFunc> = {};

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

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
