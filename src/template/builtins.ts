// Go's predefined template functions (text/template funcs.go behaviour): and, or, not, len, index, slice, print,
// printf, println, html, js, urlquery, call, eq, ne, lt, le, gt, ge.
//
// They are GoFuncs like any other, with 'any' parameters (Go declares them over reflect.Value, so nothing is converted
// and nil is accepted). `and`, `or` and `call` need the executor (short-circuit evaluation, the callee's name): the
// executor special-cases them when they come from this table; the implementations here serve direct calls.
import { isPrint, sprint, sprintf, sprintln } from './fmt.js';
import {
  GO_TYPE,
  hasNamedMethod,
  GoInt,
  GoStruct,
  bytesToString,
  compareGoStrings,
  isTrue,
  mapElemType,
  newMap,
  newSlice,
  typeName,
  utf8Bytes,
  utf8Len,
  type GoFunc,
  type GoMap,
  type GoParamType,
  type GoSlice,
  type GoValue,
  type IntKind,
} from './value.js';

// ---------------------------------------------------------------------------------------------------------------
// Small shared helpers (also used by the executor)

/** A Go complex128 constant (only template literals such as `1i` produce one). */
export class GoComplex extends GoStruct {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {
    super();
  }
  get typeName(): string {
    return 'complex128';
  }
  override get kindName(): string {
    return 'complex128';
  }
  override goString(): string {
    const im = sprint([this.im]);
    return `(${sprint([this.re])}${im.startsWith('-') || im.startsWith('+') ? '' : '+'}${im}i)`;
  }
}

/** A function value (a GoFunc stored in data): what `call` invokes. */
export function isGoFunc(v: unknown): v is GoFunc {
  return typeof v === 'object' && v !== null && typeof (v as { fn?: unknown }).fn === 'function' && Array.isArray((v as { params?: unknown }).params);
}

/** Go's spelling of a parameter type: 'any' is `interface {}`, 'map' is `map[string]interface {}`. */
export function paramTypeString(t: GoParamType): string {
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'map':
      return 'map[string]interface {}';
    case '[]any':
      return '[]interface {}';
    case '[]byte':
      return '[]uint8';
  }
  return t;
}

/** Go type name of any value the engine handles, function values included. */
export function valueTypeName(v: GoValue): string {
  if (isGoFunc(v)) {
    const f = v as unknown as GoFunc;
    const params = f.params.map(paramTypeString);
    if (f.variadic !== undefined) params.push('...' + paramTypeString(f.variadic));
    return `func(${params.join(', ')}) ${f.result ?? 'interface {}'}`;
  }
  return typeName(v);
}

/** Go's truth: isTrue plus complex numbers. */
export function truth(v: GoValue | undefined): boolean {
  if (v === undefined || v === null) return false;
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
  return isTrue(v);
}

const SIGNED: ReadonlySet<string> = new Set(['int', 'int8', 'int16', 'int32', 'int64']);
const UNSIGNED: ReadonlySet<string> = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

export function isSignedKind(t: string): t is IntKind {
  return SIGNED.has(t);
}
export function isUnsignedKind(t: string): t is IntKind {
  return UNSIGNED.has(t);
}

/** The zero value of a Go element type, as map lookups of missing keys produce it (missingkey=zero, index). */
export function zeroValue(elemType: string): GoValue {
  switch (elemType) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float64':
    case 'float32':
      return 0;
    case '[]uint8':
    case '[]byte':
      return new Uint8Array(0);
  }
  if (SIGNED.has(elemType) || UNSIGNED.has(elemType)) return new GoInt(0n, elemType as IntKind);
  // Nil slices and maps print like empty ones.
  if (elemType.startsWith('[]')) return newSlice([], elemType);
  if (elemType.startsWith('map[')) return newMap(elemType);
  return null;
}

/**
 * Element types of the named map types Helm hands to templates (the value model records only a named map's name;
 * value.ts's mapElemType assumes interface {} for them).
 */
const NAMED_MAP_ELEM: ReadonlyMap<string, string> = new Map([
  ['common.Values', 'interface {}'],
  ['chartutil.Values', 'interface {}'],
  ['engine.files', '[]uint8'],
]);

/**
 * Whether `.name` on a map of Go type `typeName` (undefined: map[string]interface {}) reads an interface {} entry:
 * the type's elements are interface {} and it has no method of that name. What values, dicts and .Values are.
 */
export function isInterfaceEntry(typeName: string | undefined, name: string): boolean {
  return typeName === undefined || (NAMED_MAP_ELEM.get(typeName) === 'interface {}' && !hasNamedMethod(typeName, name));
}

/** The element type of a map value, named map types included. */
export function mapElemTypeOf(m: GoMap): string {
  const t = m[GO_TYPE];
  if (t !== undefined && !t.startsWith('map[')) return NAMED_MAP_ELEM.get(t) ?? 'interface {}';
  return mapElemType(m);
}

function isPlainMap(v: GoValue): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoStruct) && !(v instanceof GoInt) && !(v instanceof Uint8Array) && !isGoFunc(v);
}

// ---------------------------------------------------------------------------------------------------------------
// len, index, slice

function length(item: GoValue): GoValue {
  if (item === null) throw new Error('len of nil pointer');
  if (typeof item === 'string') return new GoInt(utf8Len(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return new GoInt(item.length);
  if (isPlainMap(item)) return new GoInt(Object.keys(item).length);
  throw new Error(`len of type ${valueTypeName(item)}`);
}

/** Go's indexArg: an integer index within [0, cap]. */
function indexArg(index: GoValue, cap: number): number {
  if (index instanceof GoInt) {
    const x = index.value;
    if (x < 0n || x > BigInt(cap)) throw new Error(`index out of range: ${x}`);
    return Number(x);
  }
  if (index === null) throw new Error('cannot index slice/array with nil');
  throw new Error(`cannot index slice/array with type ${valueTypeName(index)}`);
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) throw new Error('index of untyped nil');
  for (const ix of indexes) {
    if (item === null) throw new Error('index of nil pointer');
    if (typeof item === 'string') {
      const bytes = utf8Bytes(item);
      const x = indexArg(ix, bytes.length);
      if (x === bytes.length) throw new Error('reflect: string index out of range');
      item = new GoInt(bytes[x]!, 'uint8');
    } else if (item instanceof Uint8Array) {
      const x = indexArg(ix, item.length);
      if (x === item.length) throw new Error('reflect: slice index out of range');
      item = new GoInt(item[x]!, 'uint8');
    } else if (Array.isArray(item)) {
      const x = indexArg(ix, item.length);
      if (x === item.length) throw new Error('reflect: slice index out of range');
      item = item[x] ?? null;
    } else if (isPlainMap(item)) {
      if (ix === null) throw new Error('value is nil; should be of type string');
      if (typeof ix !== 'string') throw new Error(`value has type ${valueTypeName(ix)}; should be string`);
      item = Object.hasOwn(item, ix) ? item[ix]! : zeroValue(mapElemTypeOf(item));
    } else {
      throw new Error(`can't index item of type ${valueTypeName(item)}`);
    }
  }
  return item;
}

function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Uint8Array | undefined;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    bytes = utf8Bytes(item);
    len = bytes.length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    len = item.length;
  } else {
    throw new Error(`can't slice item of type ${valueTypeName(item)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix, len)));
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes !== undefined) return bytesToString(bytes.subarray(idx[0], idx[1]));
  if (item instanceof Uint8Array) return item.slice(idx[0], idx[1]);
  const arr = item as GoSlice;
  const out = arr.slice(idx[0], idx[1]) as GoSlice;
  const t = arr[GO_TYPE];
  if (t !== undefined) Object.defineProperty(out, GO_TYPE, { value: t, enumerable: false, writable: true });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

const enum Kind {
  Invalid,
  Bool,
  Complex,
  Int,
  Float,
  String,
  Uint,
}

function basicKind(v: GoValue): Kind {
  switch (typeof v) {
    case 'boolean':
      return Kind.Bool;
    case 'number':
      return Kind.Float;
    case 'string':
      return Kind.String;
  }
  if (v instanceof GoInt) return v.signed ? Kind.Int : Kind.Uint;
  if (v instanceof GoComplex) return Kind.Complex;
  return Kind.Invalid;
}

/** reflect.Kind of a non-basic value, for canCompare. */
function reflectKind(v: GoValue): string {
  if (v === null) return 'invalid';
  if (isGoFunc(v)) return 'func';
  if (v instanceof GoStruct) return v.kindName;
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (typeof v === 'object' && !(v instanceof GoInt)) return 'map';
  return typeof v;
}

function isComparable(v: GoValue): boolean {
  const k = reflectKind(v);
  return k !== 'map' && k !== 'slice' && k !== 'func';
}

function basicEqual(k: Kind, a: GoValue, b: GoValue): boolean {
  switch (k) {
    case Kind.Int:
    case Kind.Uint:
      return (a as GoInt).value === (b as GoInt).value;
    case Kind.Complex:
      return (a as GoComplex).re === (b as GoComplex).re && (a as GoComplex).im === (b as GoComplex).im;
    default:
      return a === b;
  }
}

function eq(arg1: GoValue, ...arg2: GoValue[]): boolean {
  if (arg2.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (k1 === Kind.Int && k2 === Kind.Uint) t = (arg1 as GoInt).value >= 0n && (arg1 as GoInt).value === (arg as GoInt).value;
      else if (k1 === Kind.Uint && k2 === Kind.Int) t = (arg as GoInt).value >= 0n && (arg1 as GoInt).value === (arg as GoInt).value;
      else if (arg1 !== null && arg !== null) {
        throw new Error(`incompatible types for comparison: ${valueTypeName(arg1)} and ${valueTypeName(arg)}`);
      }
    } else if (k1 !== Kind.Invalid) {
      t = basicEqual(k1, arg1, arg);
    } else {
      const r1 = reflectKind(arg1);
      const r2 = reflectKind(arg);
      if (r1 !== r2 && r1 !== 'invalid' && r2 !== 'invalid') {
        throw new Error(`non-comparable types ${sprint([arg1])}: ${valueTypeName(arg1)}, ${valueTypeName(arg)}: ${sprint([arg])}`);
      }
      if (arg1 === null || arg === null) t = arg1 === arg;
      else {
        if (!isComparable(arg)) throw new Error(`non-comparable type ${sprint([arg])}: ${valueTypeName(arg)}`);
        t = arg1 === arg;
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(arg1: GoValue, arg2: GoValue): boolean {
  const k1 = basicKind(arg1);
  if (k1 === Kind.Invalid) throw new Error('invalid type for comparison');
  const k2 = basicKind(arg2);
  if (k2 === Kind.Invalid) throw new Error('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === Kind.Int && k2 === Kind.Uint) return (arg1 as GoInt).value < 0n || (arg1 as GoInt).value < (arg2 as GoInt).value;
    if (k1 === Kind.Uint && k2 === Kind.Int) return (arg2 as GoInt).value >= 0n && (arg1 as GoInt).value < (arg2 as GoInt).value;
    throw new Error(`incompatible types for comparison: ${valueTypeName(arg1)} and ${valueTypeName(arg2)}`);
  }
  switch (k1) {
    case Kind.Bool:
    case Kind.Complex:
      throw new Error('invalid type for comparison');
    case Kind.Float:
      return (arg1 as number) < (arg2 as number);
    case Kind.String:
      return compareGoStrings(arg1 as string, arg2 as string) < 0;
    default:
      return (arg1 as GoInt).value < (arg2 as GoInt).value;
  }
}

function le(a: GoValue, b: GoValue): boolean {
  return lt(a, b) || eq(a, b);
}

// ---------------------------------------------------------------------------------------------------------------
// Escapers

/** text/template's evalArgs: the arguments as fmt.Sprint prints them, nil shown as <no value>. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  if (!/["'&<>\0]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\0':
        out += '\uFFFD';
        break;
      case '"':
        out += '&#34;';
        break;
      case "'":
        out += '&#39;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

const HEX = '0123456789ABCDEF';

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x20) out += '\\u00' + HEX[c >> 4] + HEX[c & 15];
    else if (c < 0x80 || isPrint(c)) out += ch;
    else out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// call

/** Go's prepareArg for `call`: nil to nilable types, assignable values, integer conversions between int kinds. */
function prepareArg(v: GoValue, t: GoParamType): GoValue {
  if (v === null) {
    if (t === 'any' || t === 'map' || t.startsWith('[]') || t.startsWith('*') || t.startsWith('map[')) return null;
    throw new Error(`value is nil; should be of type ${paramTypeString(t)}`);
  }
  if (isAssignable(v, t)) return v;
  if (v instanceof GoInt && (SIGNED.has(t) || UNSIGNED.has(t))) return new GoInt(v.value, t as IntKind);
  throw new Error(`value has type ${valueTypeName(v)}; should be ${paramTypeString(t)}`);
}

/** Whether a (non-nil) value may be passed for a parameter of type t without conversion (Go assignability). */
export function isAssignable(v: GoValue, t: GoParamType): boolean {
  switch (t) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'float64':
      return typeof v === 'number';
    case 'map': {
      if (!isPlainMap(v)) return false;
      const mt = v[GO_TYPE];
      return mt === undefined || mt === 'map[string]interface {}' || (!mt.startsWith('map[') && mapElemTypeOf(v) === 'interface {}');
    }
    case '[]any': {
      if (!Array.isArray(v)) return false;
      const st = (v as GoSlice)[GO_TYPE];
      return st === undefined || st === '[]interface {}';
    }
    case '[]byte':
    case '[]uint8':
      return v instanceof Uint8Array;
  }
  if (v instanceof GoInt) return v.named !== undefined ? v.named.name === t : v.kind === t;
  if (v instanceof GoStruct) return v.typeName === t || v.typeName === '*' + t;
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) return (v as GoMap)[GO_TYPE] === t;
  return false;
}

/** Go's `call`: invokes a function value with the arguments (checked like Go's call builtin). */
export function callFunction(name: string, fn: GoValue, args: GoValue[]): GoValue {
  if (fn === null) throw new Error('call of nil');
  if (!isGoFunc(fn)) throw new Error(`non-function ${name} of type ${valueTypeName(fn)}`);
  const f = fn as unknown as GoFunc;
  const numIn = f.params.length;
  if (f.variadic !== undefined) {
    if (args.length < numIn) throw new Error(`wrong number of args for ${name}: got ${args.length} want at least ${numIn}`);
  } else if (args.length !== numIn) {
    throw new Error(`wrong number of args for ${name}: got ${args.length} want ${numIn}`);
  }
  const argv = args.map((a, i) => {
    const t = i < numIn ? f.params[i]! : f.variadic!;
    try {
      return prepareArg(a, t);
    } catch (e) {
      throw new Error(`arg ${i}: ${(e as Error).message}`, { cause: e });
    }
  });
  const r = f.fn(...argv);
  return r === undefined ? null : r;
}

// ---------------------------------------------------------------------------------------------------------------
// The table

function fn(params: GoParamType[], f: (...args: any[]) => GoValue, variadic?: GoParamType): GoFunc {
  return variadic === undefined ? { params, fn: f } : { params, variadic, fn: f };
}

export const builtins: Readonly<Record<string, GoFunc>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, GoFunc>, {
    and: fn(['any'], (a: GoValue, ...rest: GoValue[]) => {
      for (const v of [a, ...rest]) if (!truth(v)) return v;
      return rest.length ? rest[rest.length - 1]! : a;
    }, 'any'),
    or: fn(['any'], (a: GoValue, ...rest: GoValue[]) => {
      for (const v of [a, ...rest]) if (truth(v)) return v;
      return rest.length ? rest[rest.length - 1]! : a;
    }, 'any'),
    not: fn(['any'], (a: GoValue) => !truth(a)),
    len: fn(['any'], length),
    index: fn(['any'], index, 'any'),
    slice: fn(['any'], slice, 'any'),
    print: fn([], (...args: GoValue[]) => sprint(args), 'any'),
    printf: fn(['string'], (format: string, ...args: GoValue[]) => sprintf(format, args), 'any'),
    println: fn([], (...args: GoValue[]) => sprintln(args), 'any'),
    html: fn([], (...args: GoValue[]) => htmlEscape(evalArgs(args)), 'any'),
    js: fn([], (...args: GoValue[]) => jsEscape(evalArgs(args)), 'any'),
    urlquery: fn([], (...args: GoValue[]) => urlQueryEscape(evalArgs(args)), 'any'),
    call: fn(['any'], (f: GoValue, ...args: GoValue[]) => callFunction('fn', f, args), 'any'),
    eq: fn(['any'], eq, 'any'),
    ne: fn(['any', 'any'], (a: GoValue, b: GoValue) => !eq(a, b)),
    lt: fn(['any', 'any'], lt),
    le: fn(['any', 'any'], le),
    gt: fn(['any', 'any'], (a: GoValue, b: GoValue) => !le(a, b)),
    ge: fn(['any', 'any'], (a: GoValue, b: GoValue) => !lt(a, b)),
  }),
);
