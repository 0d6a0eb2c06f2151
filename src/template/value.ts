// The Go value model shared by the template engine and every function library.
//
// Templates in Helm run over Go values, and their Go types show in output (`%T`, typeOf, kindOf, int versus
// float formatting, "wrong type for value" errors). Each Go value has exactly one JavaScript representation:
//
//   Go                                  JavaScript
//   nil (untyped, or invalid Value)     null
//   float64                             number            (never used for Go integers)
//   int, int64, uint8, int32, ...       GoInt             (bigint payload: int64 is exact beyond 2^53)
//   string                              string            (Go strings are UTF-8 bytes: use utf8Len etc.)
//   bool                                boolean
//   map[string]interface {}             plain object      (Object.create(null) preferred; see newMap)
//   named map (common.Values, ...)      plain object tagged with GO_TYPE
//   []interface {}                      Array
//   []string and other slices           Array tagged with GO_TYPE ('[]string')
//   []byte                              Uint8Array
//   structs, pointers, named types      subclasses of GoStruct (fields, methods, Stringer)
//
// Nothing else may flow through the engine: undefined is never a value (use null).

/** Tag carrying the Go type name of a map or slice when it is not the default interface{} element type. */
export const GO_TYPE: unique symbol = Symbol.for('bosun.goType');

/**
 * Marks an (empty) map or slice as Go's typed nil: it prints like an empty one (`map[]`, `[]`) but encodes as JSON
 * `null` and is "nil" to reflection. Use nilMap()/nilSlice() to make one and isGoNil() to test.
 */
export const GO_NIL: unique symbol = Symbol.for('bosun.goNil');

export type IntKind =
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr';

const INT_BITS: Record<IntKind, { bits: number; signed: boolean }> = {
  int: { bits: 64, signed: true },
  int8: { bits: 8, signed: true },
  int16: { bits: 16, signed: true },
  int32: { bits: 32, signed: true },
  int64: { bits: 64, signed: true },
  uint: { bits: 64, signed: false },
  uint8: { bits: 8, signed: false },
  uint16: { bits: 16, signed: false },
  uint32: { bits: 32, signed: false },
  uint64: { bits: 64, signed: false },
  uintptr: { bits: 64, signed: false },
};

/** A named type layered over a basic kind, e.g. time.Duration over int64, with its methods. */
export interface NamedType {
  readonly name: string;
  /** Methods take the receiver as their first argument (not listed in params); lookupMethod binds it. */
  readonly methods?: Readonly<Record<string, GoFunc>>;
  /** fmt's Stringer: how %v and %s print the value. */
  readonly stringer?: (v: GoInt) => string;
}

/** A Go integer of a given kind. The value always fits the kind (wrapped like Go's two's complement). */
export class GoInt {
  readonly value: bigint;
  constructor(
    value: bigint | number,
    readonly kind: IntKind = 'int',
    readonly named?: NamedType,
  ) {
    const v = typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
    const { bits, signed } = INT_BITS[kind];
    this.value = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  }
  /** Go type name as %T prints it. */
  get typeName(): string {
    return this.named?.name ?? this.kind;
  }
  toNumber(): number {
    return Number(this.value);
  }
  get signed(): boolean {
    return INT_BITS[this.kind].signed;
  }
}

export function goInt(v: bigint | number, kind: IntKind = 'int'): GoInt {
  return new GoInt(v, kind);
}
export function int64(v: bigint | number): GoInt {
  return new GoInt(v, 'int64');
}

/**
 * A Go function or method as the template engine calls it. `params` are Go type names of the fixed parameters
 * (see GoParamType); `variadic` is the element type of a trailing `...T`. The engine converts template arguments
 * to these types exactly as text/template does (constants convert; other values must be assignable) and reports
 * "wrong type for value; expected X; got Y" otherwise. An implementation signals Go's error result by throwing
 * (any Error): the engine reports `error calling NAME: <message>`.
 */
export interface GoFunc {
  readonly params: readonly GoParamType[];
  readonly variadic?: GoParamType;
  /** Go result type, when a caller (e.g. the engine's `call` or %T) needs it; informational. */
  readonly result?: string;
  readonly fn: (...args: GoValue[]) => GoValue;
}

/**
 * Parameter types understood by the engine's argument conversion:
 *   'any'                       interface{}: anything, nil included
 *   'string' 'bool' 'float64'   exact basic types
 *   'int' 'int64' 'uint' ...    exact integer kinds (IntKind)
 *   'map'                       map[string]interface{} (named map types such as common.Values are assignable)
 *   '[]any'                     []interface{}
 *   '[]string'                  []string
 *   '[]byte'                    []byte
 *   any other string            a GoStruct / GoInt named type, matched by its Go type name (e.g. 'time.Time',
 *                               '*semver.Version', 'time.Duration')
 */
export type GoParamType = 'any' | 'string' | 'bool' | 'float64' | IntKind | 'map' | '[]any' | '[]string' | '[]byte' | (string & {});

/** Declares a Go function with its signature. */
export function gofn(params: readonly GoParamType[], fn: (...args: any[]) => GoValue, variadic?: GoParamType, result?: string): GoFunc {
  return variadic === undefined ? { params, fn, result } : { params, variadic, fn, result };
}

/**
 * Base of Go structs, pointers to structs and other named non-basic types (time.Time, *semver.Version,
 * common.KubeVersion, engine.files ...). Field access `.X` looks up a field first, then a method.
 */
export abstract class GoStruct {
  /** Type name as %T prints it, e.g. 'common.KubeVersion' or '*semver.Version'. */
  abstract get typeName(): string;
  /** reflect.Kind name as kindOf prints it: 'struct', 'ptr', 'map', 'slice', 'int64' ... */
  get kindName(): string {
    return this.typeName.startsWith('*') ? 'ptr' : 'struct';
  }
  /** Exported field names in declaration order (for %v / %+v printing and field lookup). */
  fieldNames(): readonly string[] {
    return [];
  }
  /** The field's value, or undefined when the struct has no such field. */
  field(_name: string): GoValue | undefined {
    return undefined;
  }
  /** The method, or undefined when there is none. */
  method(_name: string): GoFunc | undefined {
    return undefined;
  }
  /** fmt's Stringer / error: when defined, %v and %s print this instead of the fields. */
  goString?(): string;
  /**
   * A String method with a pointer receiver: text/template prints it for an action whose value it reached through a
   * pointer (a field of a pointer struct, a variable or dot holding one), but a function given the value prints the
   * fields (common.KubeVersion: `{{ .Capabilities.KubeVersion }}` is v1.35.0, `{{ print .Capabilities.KubeVersion }}`
   * is {v1.35.0 v1.35.0 1 35}).
   */
  pointerString?(): string;
  /** Pointer types print as &{...} under %v; nil pointers as <nil>. */
  get isPointer(): boolean {
    return this.typeName.startsWith('*');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Methods of named map, slice and basic types (engine.files, common.VersionSet ...). Structs carry their own
// methods (GoStruct.method); a tagged map or slice finds its methods here by its Go type name.

const namedMethods = new Map<string, Readonly<Record<string, GoFunc>>>();

/** Declares the methods of a named map or slice type, e.g. registerMethods('common.VersionSet', { Has }). */
export function registerMethods(typeName: string, methods: Readonly<Record<string, GoFunc>>): void {
  namedMethods.set(typeName, methods);
}

/** Whether the named type `typeName` has a method `name` (registered with registerMethods). */
export function hasNamedMethod(typeName: string, name: string): boolean {
  const methods = namedMethods.get(typeName);
  return methods !== undefined && Object.hasOwn(methods, name);
}

/**
 * The method `name` of v bound to v as receiver, or undefined. Works for GoStruct, named GoInt types, and maps or
 * slices tagged with a GO_TYPE that has registered methods.
 */
export function lookupMethod(v: GoValue, name: string): GoFunc | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if (v instanceof GoStruct) return v.method(name);
  if (v instanceof GoInt) return bindReceiver(v, v.named?.methods?.[name]);
  if (v instanceof Uint8Array) return undefined;
  const t = (v as GoMap | GoSlice)[GO_TYPE];
  if (t === undefined) return undefined;
  return bindReceiver(v, namedMethods.get(t)?.[name]);
}

/** Methods are declared with the receiver as first parameter (not listed in params); this binds it. */
function bindReceiver(recv: GoValue, m: GoFunc | undefined): GoFunc | undefined {
  if (m === undefined) return undefined;
  return { params: m.params, variadic: m.variadic, result: m.result, fn: (...args: GoValue[]) => m.fn(recv, ...args) };
}

export type GoMap = { [key: string]: GoValue; [GO_TYPE]?: string };
export type GoSlice = GoValue[] & { [GO_TYPE]?: string };

export type GoValue = null | number | boolean | string | GoInt | GoMap | GoSlice | Uint8Array | GoStruct;

// ---------------------------------------------------------------------------------------------------------------
// Constructors

/** A new map[string]interface{} (or a named map type). Null prototype: keys like "__proto__" are ordinary keys. */
export function newMap(typeName?: string): GoMap {
  const m = Object.create(null) as GoMap;
  if (typeName !== undefined) Object.defineProperty(m, GO_TYPE, { value: typeName, enumerable: false, writable: true });
  return m;
}

/** A slice of the given Go type ('[]string' ...); []interface{} when omitted. */
export function newSlice(items: GoValue[] = [], typeName?: string): GoSlice {
  const s = items as GoSlice;
  if (typeName !== undefined && typeName !== '[]interface {}') {
    Object.defineProperty(s, GO_TYPE, { value: typeName, enumerable: false, writable: true });
  }
  return s;
}

export function stringSlice(items: string[]): GoSlice {
  return newSlice(items, '[]string');
}

/** A typed nil slice (e.g. Go's nil []string): empty, prints `[]`, JSON-encodes as null. */
export function nilSlice(typeName?: string): GoSlice {
  const s = newSlice([], typeName);
  Object.defineProperty(s, GO_NIL, { value: true, enumerable: false });
  return s;
}

/** A typed nil map (e.g. a nil map[string]string): empty, prints `map[]`, JSON-encodes as null. */
export function nilMap(typeName?: string): GoMap {
  const m = newMap(typeName);
  Object.defineProperty(m, GO_NIL, { value: true, enumerable: false });
  return m;
}

/** True for typed nil maps and slices made by nilMap/nilSlice. */
export function isGoNil(v: GoValue): boolean {
  return v !== null && typeof v === 'object' && (v as { [GO_NIL]?: boolean })[GO_NIL] === true;
}

// ---------------------------------------------------------------------------------------------------------------
// Type predicates

export function isMap(v: GoValue | undefined): v is GoMap {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array || v instanceof GoStruct || v instanceof GoInt) {
    return false;
  }
  return true;
}
export function isSlice(v: GoValue | undefined): v is GoSlice {
  return Array.isArray(v);
}
export function isInt(v: GoValue | undefined): v is GoInt {
  return v instanceof GoInt;
}
export function isFloat(v: GoValue | undefined): v is number {
  return typeof v === 'number';
}
export function isBytes(v: GoValue | undefined): v is Uint8Array {
  return v instanceof Uint8Array;
}
export function isStruct(v: GoValue | undefined): v is GoStruct {
  return v instanceof GoStruct;
}

/** Go type name as fmt's %T prints it. */
export function typeName(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof GoInt) return v.typeName;
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return (v as GoSlice)[GO_TYPE] ?? '[]interface {}';
  return (v as GoMap)[GO_TYPE] ?? 'map[string]interface {}';
}

/** reflect.Kind name as kindOf prints it. */
export function kindName(v: GoValue): string {
  if (v === null) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoStruct) return v.kindName;
  if (v instanceof Uint8Array || Array.isArray(v)) return 'slice';
  return 'map';
}

/** Element type name of a slice, e.g. 'interface {}' or 'string'. */
export function sliceElemType(v: GoSlice | Uint8Array): string {
  if (v instanceof Uint8Array) return 'uint8';
  return typeName(v).slice(2);
}

/** Element type name of a map, e.g. 'interface {}' (named maps such as common.Values hold interface {}). */
export function mapElemType(v: GoMap): string {
  const t = v[GO_TYPE];
  if (t && t.startsWith('map[string]')) return t.slice('map[string]'.length);
  return 'interface {}';
}

// ---------------------------------------------------------------------------------------------------------------
// Truth and emptiness

/**
 * text/template's truth: false for nil, false, 0, "", and empty maps, slices and arrays; structs are always true.
 */
export function isTrue(v: GoValue): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'boolean':
      return v;
  }
  if (v instanceof GoInt) return v.value !== 0n;
  if (v instanceof GoStruct) return true;
  if (v instanceof Uint8Array) return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  for (const _ in v) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// UTF-8 helpers: Go strings are byte sequences and len, slicing and indexing count bytes.
//
// A Go string may hold bytes that are not valid UTF-8 (b64dec of binary data, substr through a multi-byte
// character). Such a byte b is carried in the JavaScript string as the lone surrogate U+DC00+b ("surrogate
// escape"): decoding UTF-8 never yields a lone surrogate, so the mapping is lossless both ways. utf8Bytes turns
// these back into the original bytes; every byte-level operation and the final output go through it.

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const ESCAPED = /[\uDC80-\uDCFF]/;

function isEscapedByteAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xdc80 || c > 0xdcff) return false;
  const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
  return !(prev >= 0xd800 && prev <= 0xdbff);
}

/** The bytes of a Go string (UTF-8, with surrogate-escaped raw bytes restored). */
export function utf8Bytes(s: string): Uint8Array {
  if (!ESCAPED.test(s)) return encoder.encode(s);
  const parts: number[] = [];
  let run = 0;
  const flush = (end: number) => {
    if (end > run) for (const b of encoder.encode(s.slice(run, end))) parts.push(b);
  };
  for (let i = 0; i < s.length; i++) {
    if (isEscapedByteAt(s, i)) {
      flush(i);
      parts.push(s.charCodeAt(i) - 0xdc00);
      run = i + 1;
    }
  }
  flush(s.length);
  return Uint8Array.from(parts);
}

/** Go's string(b): valid UTF-8 decodes as text; each byte of an invalid sequence becomes an escaped byte. */
export function bytesToString(b: Uint8Array): string {
  try {
    return strictDecoder.decode(b);
  } catch {
    return decodeWithEscapes(b);
  }
}

function decodeWithEscapes(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let cp = 0;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07;
    }
    let ok = n > 0 && i + n < b.length;
    if (ok) {
      for (let k = 1; k <= n; k++) {
        const d = b[i + k];
        if (d === undefined || (d & 0xc0) !== 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (d & 0x3f);
      }
    }
    // Overlong forms, surrogates and values above U+10FFFF are invalid in Go as in the UTF-8 standard.
    if (ok && ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += n + 1;
    } else {
      out += String.fromCharCode(0xdc00 + c);
      i++;
    }
  }
  return out;
}

/** True when the Go string holds bytes that are not valid UTF-8. */
export function hasInvalidUtf8(s: string): boolean {
  if (!ESCAPED.test(s)) return false;
  for (let i = 0; i < s.length; i++) if (isEscapedByteAt(s, i)) return true;
  return false;
}

/** len(s) in Go: the number of UTF-8 bytes. */
export function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else if (c >= 0xdc80 && c <= 0xdcff) n += 1; // an escaped raw byte
    else n += 3;
  }
  return n;
}

/** Map keys in Go's sorted order (byte order of UTF-8, which for strings equals code point order). */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

/** Compares strings as Go does (byte-wise UTF-8, i.e. by code point, not by UTF-16 unit). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in code point order.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/**
 * Converts a JavaScript structure from JSON.parse-like data into Go values: numbers as float64 (encoding/json's
 * interface{} decoding), or with `wholeAsInt64` whole numbers as int64 (apimachinery's unstructured decoding, what
 * helm's lookup returns).
 */
export function fromPlain(x: unknown, wholeAsInt64 = false): GoValue {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      return wholeAsInt64 && Number.isSafeInteger(x) ? new GoInt(x, 'int64') : x;
    case 'bigint':
      return new GoInt(x, 'int64');
  }
  if (x instanceof GoInt || x instanceof GoStruct || x instanceof Uint8Array) return x;
  if (Array.isArray(x)) return x.map((v) => fromPlain(v, wholeAsInt64));
  const m = newMap();
  for (const [k, v] of Object.entries(x as object)) m[k] = fromPlain(v, wholeAsInt64);
  return m;
}
