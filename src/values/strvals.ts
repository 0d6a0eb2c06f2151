// Helm's --set family parser (pkg/strvals): `a.b=1,c[0].d={x,y},e\.f=g`.
//
//   ,        separates assignments          .        nests maps            name[i]   indexes lists (padded with nil)
//   \c       escapes c in names and values  {a,b}    a list value          k=        sets ""
//
// Value typing depends on the flag: --set types `true`/`false` (any case) as bool, `null` as nil, `0` and integers
// without a leading zero as int64, everything else string; --set-string keeps strings; --set-file reads the value as
// a file path; --set-json parses JSON after `=`; --set-literal takes everything after the first `=` verbatim.
// Errors read like Helm's; panics Helm recovers from (a key that is a scalar used as a map or list) are reported
// with Go's `interface conversion` wording.
import { type GoMap, type GoValue, GoInt, newMap, isMap, typeName } from '../template/value.js';
import { parseJson } from '../yaml/index.js';
import { goQuote } from '../chart/index.js';

/** Largest list index Helm accepts. */
export const MAX_INDEX = 65536;
/** Deepest `a.b.c` nesting Helm accepts. */
export const MAX_NESTED_NAME_LEVEL = 30;

export class StrvalsError extends Error {}

/** Marks end of input (Go's io.EOF), which ends parsing normally. */
class Eof extends Error {}
const EOF = new Eof('EOF');

class NotList extends Error {}

type Reader = (runes: string) => GoValue;

/** A rune reader over the input with Go's ReadRune/UnreadRune. */
class Scanner {
  private readonly runes: string[];
  private pos = 0;
  constructor(s: string) {
    this.runes = Array.from(s);
  }
  read(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }
  unread(): void {
    this.pos--;
  }
  rest(): string {
    return this.runes.slice(this.pos).join('');
  }
  skip(n: number): void {
    this.pos += n;
  }
}

/** runesUntil: reads up to a stop rune (consumed and returned), resolving `\` escapes unless literal. */
function runesUntil(sc: Scanner, stop: string, literal = false): { v: string; last: string | undefined; eof: boolean } {
  let v = '';
  for (;;) {
    const r = sc.read();
    if (r === undefined) return { v, last: undefined, eof: true };
    if (stop.includes(r)) return { v, last: r, eof: false };
    if (!literal && r === '\\') {
      const next = sc.read();
      if (next === undefined) return { v, last: undefined, eof: true };
      v += next;
      continue;
    }
    v += r;
  }
}

/** Go's interface-conversion panic text for a failed type assertion. */
function conversionPanic(v: GoValue, want: string): StrvalsError {
  const got = v === null ? 'nil' : typeName(v);
  return new StrvalsError(`unable to parse key: interface conversion: interface {} is ${got}, not ${want}`);
}

function asList(v: GoValue | undefined): GoValue[] {
  if (!Array.isArray(v)) throw conversionPanic(v ?? null, '[]interface {}');
  return v;
}

function asMap(v: GoValue | undefined): GoMap {
  if (!isMap(v)) throw conversionPanic(v ?? null, 'map[string]interface {}');
  return v;
}

function set(data: GoMap, key: string, val: GoValue): void {
  if (key.length === 0) return;
  data[key] = val;
}

function setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
  if (index < 0) throw new StrvalsError(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  if (list.length <= index) {
    const grown = list.slice();
    while (grown.length <= index) grown.push(null);
    list = grown;
  }
  list[index] = val;
  return list;
}

/** strconv.Atoi: an optionally signed decimal int64. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new StrvalsError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new StrvalsError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(n);
}

/** The --set value typing (typedVal). */
export function typedValue(v: string, forceString: boolean): GoValue {
  if (forceString) return v;
  const lower = v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (v === '0') return new GoInt(0n, 'int64');
  if (v.length > 0 && v[0] !== '0' && /^[+-]?[0-9]+$/.test(v)) {
    const n = BigInt(v);
    if (n <= 2n ** 63n - 1n && n >= -(2n ** 63n)) return new GoInt(n, 'int64');
  }
  return v;
}

type Mode = 'typed' | 'string' | 'json' | 'file';

class Parser {
  private readonly sc: Scanner;
  constructor(
    input: string,
    private readonly data: GoMap,
    private readonly mode: Mode,
    private readonly reader: Reader,
  ) {
    this.sc = new Scanner(input);
  }

  parse(): void {
    for (;;) {
      try {
        this.key(this.data, 0);
      } catch (e) {
        if (e instanceof Eof) return;
        throw e;
      }
    }
  }

  /** Reads the rest of a JSON value from the input the way json.Decoder does, consuming only its bytes. */
  private jsonValue(): GoValue {
    const rest = this.sc.rest();
    const end = scanJsonValue(rest);
    if (end < 0) throw new StrvalsError('invalid JSON value');
    const text = rest.slice(0, end);
    const v = parseJson(text);
    this.sc.skip(Array.from(text).length);
    return v;
  }

  /** Consumes spaces and one comma; true when the value is empty (comma or end reached). */
  private emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === undefined) return true;
      if (r === ',') return true;
      if (!/^\s$/u.test(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  private val(): string {
    return runesUntil(this.sc, ',').v;
  }

  private valList(): GoValue[] {
    const r = this.sc.read();
    if (r === undefined) throw EOF;
    if (r !== '{') {
      this.sc.unread();
      throw new NotList();
    }
    const list: GoValue[] = [];
    for (;;) {
      const { v, last, eof } = runesUntil(this.sc, ',}');
      if (eof) throw new StrvalsError("list must terminate with '}'");
      if (last === '}') {
        const after = this.sc.read();
        if (after !== undefined && after !== ',') this.sc.unread();
        list.push(this.reader(v));
        return list;
      }
      list.push(this.reader(v));
    }
  }

  private keyIndex(): number {
    const { v, eof } = runesUntil(this.sc, ']');
    if (eof) throw EOF;
    return atoi(v);
  }

  /** The value after `=`: JSON, a {list}, or a scalar through the reader. `eofOk` mirrors Helm's two call sites. */
  private assigned(): { value: GoValue; eof: boolean } {
    try {
      return { value: this.valList(), eof: false };
    } catch (e) {
      if (e instanceof Eof) return { value: '', eof: true };
      if (!(e instanceof NotList)) throw e;
    }
    return { value: this.reader(this.val()), eof: false };
  }

  private key(data: GoMap, nested: number): void {
    for (;;) {
      const { v: k, last, eof } = runesUntil(this.sc, '=[,.');
      if (eof) {
        if (k.length === 0) throw EOF;
        throw new StrvalsError(`key ${goQuoted(k)} has no value`);
      }
      switch (last) {
        case '[': {
          let i: number;
          try {
            i = this.keyIndex();
          } catch (e) {
            throw new StrvalsError(`error parsing index: ${e === EOF ? 'EOF' : (e as Error).message}`);
          }
          let list: GoValue[] = [];
          if (Object.prototype.hasOwnProperty.call(data, k)) list = asList(data[k]);
          let err: unknown;
          try {
            list = this.listItem(list, i, nested);
          } catch (e) {
            err = e;
            if (e instanceof ListError) list = e.list;
          }
          set(data, k, list);
          if (err !== undefined) throw err instanceof ListError ? err.cause : err;
          return;
        }
        case '=': {
          if (this.mode === 'json') {
            if (this.emptyVal()) {
              set(data, k, null);
              return;
            }
            set(data, k, this.jsonValue());
            this.emptyVal();
            return;
          }
          const { value, eof: atEnd } = this.assigned();
          set(data, k, value);
          if (atEnd) throw EOF;
          return;
        }
        case ',':
          set(data, k, '');
          throw new StrvalsError(`key ${goQuoted(k)} has no value (cannot end with ,)`);
        case '.': {
          nested++;
          if (nested > MAX_NESTED_NAME_LEVEL) {
            throw new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
          }
          let inner = newMap();
          if (Object.prototype.hasOwnProperty.call(data, k)) inner = asMap(data[k]);
          let err: unknown;
          try {
            this.key(inner, nested);
          } catch (e) {
            err = e;
          }
          if (err === undefined && Object.keys(inner).length === 0) throw new StrvalsError(`key map ${goQuoted(k)} has no value`);
          if (Object.keys(inner).length !== 0) set(data, k, inner);
          if (err !== undefined) throw err;
          return;
        }
      }
    }
  }

  private listItem(list: GoValue[], i: number, nested: number): GoValue[] {
    if (i < 0) throw new ListError(list, new StrvalsError(`negative ${i} index not allowed`));
    const { v: k, last, eof } = runesUntil(this.sc, '[.=');
    if (k.length > 0) throw new ListError(list, new StrvalsError(`unexpected data at end of array index: ${goQuotedRunes(k)}`));
    if (eof) throw new ListError(list, EOF);
    switch (last) {
      case '=': {
        if (this.mode === 'json') {
          if (this.emptyVal()) return wrapIndex(list, i, null);
          const v = this.jsonValue();
          list = wrapIndex(list, i, v);
          this.emptyVal();
          return list;
        }
        let vl: GoValue[] | undefined;
        try {
          vl = this.valList();
        } catch (e) {
          if (e instanceof Eof) return wrapIndex(list, i, '');
          if (!(e instanceof NotList)) throw new ListError(list, e);
        }
        if (vl !== undefined) return wrapIndex(list, i, vl);
        return wrapIndex(list, i, this.reader(this.val()));
      }
      case '[': {
        let nextI: number;
        try {
          nextI = this.keyIndex();
        } catch (e) {
          throw new ListError(list, new StrvalsError(`error parsing index: ${e === EOF ? 'EOF' : (e as Error).message}`));
        }
        let crt: GoValue[] = [];
        if (list.length > i && list[i] !== null) crt = asList(list[i]);
        let list2: GoValue[];
        try {
          list2 = this.listItem(crt, nextI, nested);
        } catch (e) {
          throw new ListError(list, e instanceof ListError ? e.cause : e);
        }
        return wrapIndex(list, i, list2);
      }
      case '.': {
        let inner = newMap();
        if (list.length > i) {
          const cur = list[i];
          if (isMap(cur)) inner = cur;
          else list[i] = inner;
        }
        try {
          this.key(inner, nested);
        } catch (e) {
          throw new ListError(list, e);
        }
        return wrapIndex(list, i, inner);
      }
    }
    throw new ListError(list, new StrvalsError(`parse error: unexpected token ${last}`));
  }
}

/** An error from listItem together with the list as it stood (Helm stores it before returning the error). */
class ListError extends Error {
  constructor(
    readonly list: GoValue[],
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function wrapIndex(list: GoValue[], i: number, v: GoValue): GoValue[] {
  try {
    return setIndex(list, i, v);
  } catch (e) {
    throw new ListError(list, e);
  }
}

function goQuoted(s: string): string {
  return goQuote(s);
}

/** Go's %q of a []rune: each rune quoted like strconv.QuoteRune, space separated, in brackets. */
function goQuotedRunes(s: string): string {
  const q = (r: string): string => {
    if (r === "'") return "'\\''";
    const inner = goQuote(r).slice(1, -1).replace(/\\"/g, '"');
    return `'${inner}'`;
  };
  return `[${Array.from(s).map(q).join(' ')}]`;
}

/** End offset (in UTF-16 units) of the first JSON value in s after leading white space, or -1. */
export function scanJsonValue(s: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++;
  };
  const value = (): boolean => {
    ws();
    const c = s[i];
    if (c === undefined) return false;
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (s[i] === close) {
        i++;
        return true;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (s[i] !== '"' || !str()) return false;
          ws();
          if (s[i] !== ':') return false;
          i++;
        }
        if (!value()) return false;
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === close) {
          i++;
          return true;
        }
        return false;
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(s.slice(i));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const str = (): boolean => {
    i++;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\') i += 2;
      else if (c === '"') {
        i++;
        return true;
      } else i++;
    }
    return false;
  };
  return value() ? i : -1;
}

/** The literal parser (--set-literal): no escapes, no lists, no commas; the value is everything after `=`. */
function parseLiteral(input: string, data: GoMap): void {
  const sc = new Scanner(input);
  const key = (d: GoMap, nested: number): void => {
    for (;;) {
      const { v: k, last, eof } = runesUntil(sc, '=[.', true);
      if (eof) {
        if (k.length === 0) throw EOF;
        throw new StrvalsError(`key ${goQuoted(k)} has no value`);
      }
      if (last === '=') {
        set(d, k, runesUntil(sc, '', true).v);
        return;
      }
      if (last === '.') {
        nested++;
        if (nested > MAX_NESTED_NAME_LEVEL) {
          throw new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        }
        let inner = newMap();
        if (Object.prototype.hasOwnProperty.call(d, k)) inner = asMap(d[k]);
        let err: unknown;
        try {
          key(inner, nested);
        } catch (e) {
          err = e;
        }
        if (err === undefined && Object.keys(inner).length === 0) throw new StrvalsError(`key map ${goQuoted(k)} has no value`);
        if (Object.keys(inner).length !== 0) set(d, k, inner);
        if (err !== undefined) throw err;
        return;
      }
      // '['
      const idx = runesUntil(sc, ']', true);
      if (idx.eof) throw new StrvalsError('error parsing index: EOF');
      let i: number;
      try {
        i = atoi(idx.v);
      } catch (e) {
        throw new StrvalsError(`error parsing index: ${(e as Error).message}`);
      }
      let list: GoValue[] = [];
      if (Object.prototype.hasOwnProperty.call(d, k)) list = asList(d[k]);
      let err: unknown;
      try {
        list = literalItem(list, i, nested);
      } catch (e) {
        err = e;
        if (e instanceof ListError) list = e.list;
      }
      set(d, k, list);
      if (err !== undefined) throw err instanceof ListError ? err.cause : err;
      return;
    }
  };
  const literalItem = (list: GoValue[], i: number, nested: number): GoValue[] => {
    if (i < 0) throw new ListError(list, new StrvalsError(`negative ${i} index not allowed`));
    const { v: k, last, eof } = runesUntil(sc, '[.=', true);
    if (k.length > 0) throw new ListError(list, new StrvalsError(`unexpected data at end of array index: ${goQuotedRunes(k)}`));
    if (eof) throw new ListError(list, EOF);
    if (last === '=') return wrapIndex(list, i, runesUntil(sc, '', true).v);
    if (last === '.') {
      let inner = newMap();
      if (list.length > i) {
        const cur = list[i];
        if (isMap(cur)) inner = cur;
        else list[i] = inner;
      }
      try {
        key(inner, nested);
      } catch (e) {
        throw new ListError(list, e);
      }
      return wrapIndex(list, i, inner);
    }
    const idx = runesUntil(sc, ']', true);
    if (idx.eof) throw new ListError(list, new StrvalsError('error parsing index: EOF'));
    let nextI: number;
    try {
      nextI = atoi(idx.v);
    } catch (e) {
      throw new ListError(list, new StrvalsError(`error parsing index: ${(e as Error).message}`));
    }
    let crt: GoValue[] = [];
    if (list.length > i && list[i] !== null) crt = asList(list[i]);
    let list2: GoValue[];
    try {
      list2 = literalItem(crt, nextI, nested);
    } catch (e) {
      throw new ListError(list, e instanceof ListError ? e.cause : e);
    }
    return wrapIndex(list, i, list2);
  };
  for (;;) {
    try {
      key(data, 0);
    } catch (e) {
      if (e instanceof Eof) return;
      throw e;
    }
  }
}

function run(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrvalsError) throw e;
    if (e instanceof Eof) return;
    throw new StrvalsError(e instanceof Error ? e.message : String(e));
  }
}

/** strvals.ParseInto (--set): merges `s` into dest, typing values. */
export function parseSetInto(s: string, dest: GoMap): void {
  run(() => new Parser(s, dest, 'typed', (v) => typedValue(v, false)).parse());
}

/** strvals.ParseIntoString (--set-string). */
export function parseSetStringInto(s: string, dest: GoMap): void {
  run(() => new Parser(s, dest, 'string', (v) => v).parse());
}

/** strvals.ParseIntoFile (--set-file): each value is a path; `readFile` returns its content as a string. */
export function parseSetFileInto(s: string, dest: GoMap, readFile: (path: string) => string): void {
  run(() => new Parser(s, dest, 'file', (v) => readFile(v)).parse());
}

/** strvals.ParseJSON (--set-json key=value form): values are JSON (numbers float64); an empty value is nil. */
export function parseSetJsonInto(s: string, dest: GoMap): void {
  run(() => new Parser(s, dest, 'json', (v) => v).parse());
}

/** strvals.ParseLiteralInto (--set-literal). */
export function parseSetLiteralInto(s: string, dest: GoMap): void {
  run(() => parseLiteral(s, dest));
}

/** strvals.Parse: a fresh map from one --set string. */
export function parseSet(s: string): GoMap {
  const m = newMap();
  parseSetInto(s, m);
  return m;
}

export function parseSetString(s: string): GoMap {
  const m = newMap();
  parseSetStringInto(s, m);
  return m;
}

export function parseSetLiteral(s: string): GoMap {
  const m = newMap();
  parseSetLiteralInto(s, m);
  return m;
}
