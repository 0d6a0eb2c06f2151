// TOML as Helm's toToml/fromToml see it: BurntSushi/toml's Encoder (sorted keys, plain values before tables,
// two-space indentation of nested tables) and its decoder into map[string]interface{} (int64 integers, float64
// floats, time.Time datetimes). Parsing uses smol-toml; error texts are rewritten in BurntSushi's form.
import { createRequire } from 'node:module';
import type { TomlDate, TomlError } from 'smol-toml';
import { GoInt, GoStruct, compareGoStrings, newMap, newSlice, type GoMap, type GoValue } from '../template/value.js';
import { DataFormatError } from './errors.js';
import { formatF } from './gofloat.js';
import { MarshalerError, callMarshaler, exportedFields, isTimeLike, rfc3339Nano, textMarshaler } from './structs.js';
import { GoTime, fixedZone, formatTime, localLocation, makeDate, UTC, type GoLocation } from '../template/funcs/gotime.js';

// ---------------------------------------------------------------------------------------------------------------
// Encoding

const ERR_NIL_ELEMENT = 'toml: cannot encode array with nil element';
const ERR_NO_KEY = 'toml: top-level values must be Go maps or structs';

class EncodeFail extends Error {}

type TomlType = 'bool' | 'integer' | 'float' | 'string' | 'datetime' | 'array' | 'arrayHash' | 'hash' | undefined;

function isMapValue(v: GoValue): v is GoMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof GoInt) && !(v instanceof GoStruct);
}

function tomlType(v: GoValue): TomlType {
  if (v === null) return undefined;
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
  }
  if (v instanceof GoInt) return 'integer';
  if (v instanceof GoStruct) {
    if (isTimeLike(v)) return 'datetime';
    if (textMarshaler(v)) return 'string';
    return 'hash';
  }
  if (v instanceof Uint8Array) return 'array';
  if (Array.isArray(v)) return isTableArray(v) ? 'arrayHash' : 'array';
  return 'hash';
}

function isTableArray(arr: GoValue[]): boolean {
  if (arr.length === 0) return false;
  let all = true;
  for (const el of arr) {
    const t = tomlType(el);
    if (t === undefined) throw new EncodeFail(ERR_NIL_ELEMENT);
    if (t !== 'hash') all = false;
  }
  return all;
}

const isTable = (t: TomlType) => t === 'hash' || t === 'arrayHash';

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function quoteTomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function maybeQuoted(k: string): string {
  if (k === '') return '""';
  return BARE_KEY.test(k) ? k : quoteTomlString(k);
}

class TomlEncoder {
  private readonly out: string[] = [];
  private hasWritten = false;

  result(): string {
    return this.out.join('');
  }

  private wf(s: string): void {
    this.out.push(s);
    this.hasWritten = true;
  }
  private newline(): void {
    if (this.hasWritten) this.wf('\n');
  }
  private indentStr(key: string[]): string {
    return '  '.repeat(Math.max(0, key.length - 1));
  }

  encode(key: string[], v: GoValue): void {
    if (v === null) return;
    if (v instanceof GoStruct && (isTimeLike(v) || textMarshaler(v))) return this.keyValue(key, v, false);
    const t = tomlType(v);
    if (t === 'arrayHash') return this.arrayOfTables(key, v as GoValue[]);
    if (t === 'hash') return this.table(key, v);
    this.keyValue(key, v, false);
  }

  private keyValue(key: string[], v: GoValue, inline: boolean): void {
    if (key.length === 0) return this.element(v);
    this.wf(this.indentStr(key) + maybeQuoted(key[key.length - 1]) + ' = ');
    this.element(v);
    if (!inline) this.newline();
  }

  private element(v: GoValue): void {
    if (v === null) throw new EncodeFail('toml: cannot encode array with nil element');
    switch (typeof v) {
      case 'string':
        return this.wf(quoteTomlString(v));
      case 'boolean':
        return this.wf(v ? 'true' : 'false');
      case 'number':
        if (Number.isNaN(v)) return this.wf('nan');
        if (!Number.isFinite(v)) return this.wf(v < 0 ? '-inf' : 'inf');
        return this.wf(floatAddDecimal(formatF(v)));
    }
    if (v instanceof GoInt) {
      if (v.named?.name === 'time.Duration' && v.named.stringer) return this.wf(quoteTomlString(v.named.stringer(v)));
      return this.wf(v.value.toString());
    }
    if (v instanceof GoStruct) {
      if (isTimeLike(v)) return this.wf(tomlTimeText(v));
      const tm = textMarshaler(v);
      if (tm) return this.wf(quoteTomlString(callMarshaler(v, 'MarshalText', () => tm.marshalText())));
      return this.inlineTable(tomlFieldsOf(v));
    }
    if (v instanceof Uint8Array) return this.wf('[' + Array.from(v).join(', ') + ']');
    if (Array.isArray(v)) {
      this.wf('[');
      v.forEach((el, i) => {
        this.element(el);
        if (i !== v.length - 1) this.wf(', ');
      });
      this.wf(']');
      return;
    }
    const m = v as GoMap;
    this.inlineTable(Object.keys(m).map((k) => [k, m[k]]));
  }

  private inlineTable(entries: Array<[string, GoValue]>): void {
    const direct: Array<[string, GoValue]> = [];
    const sub: Array<[string, GoValue]> = [];
    for (const e of entries) (isTable(tomlType(e[1])) ? sub : direct).push(e);
    const byKey = (a: [string, GoValue], b: [string, GoValue]) => compareGoStrings(a[0], b[0]);
    direct.sort(byKey);
    sub.sort(byKey);
    this.wf('{');
    const write = (list: Array<[string, GoValue]>, trailComma: boolean) => {
      list.forEach(([k, val], i) => {
        if (val === null) return;
        this.keyValue([k], val, true);
        if (trailComma || i !== list.length - 1) this.wf(', ');
      });
    };
    write(direct, sub.length > 0);
    write(sub, false);
    this.wf('}');
  }

  private arrayOfTables(key: string[], arr: GoValue[]): void {
    if (key.length === 0) throw new EncodeFail(ERR_NO_KEY);
    for (const el of arr) {
      if (el === null) continue;
      this.newline();
      this.wf(this.indentStr(key) + '[[' + key.map(maybeQuoted).join('.') + ']]');
      this.newline();
      this.mapOrStruct(key, el);
    }
  }

  private table(key: string[], v: GoValue): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.wf(this.indentStr(key) + '[' + key.map(maybeQuoted).join('.') + ']');
      this.newline();
    }
    this.mapOrStruct(key, v);
  }

  private mapOrStruct(key: string[], v: GoValue): void {
    const entries: Array<[string, GoValue]> =
      v instanceof GoStruct ? tomlFieldsOf(v) : isMapValue(v) ? Object.keys(v).map((k) => [k, v[k]]) : [];
    const direct: Array<[string, GoValue]> = [];
    const sub: Array<[string, GoValue]> = [];
    for (const e of entries) (isTable(tomlType(e[1])) ? sub : direct).push(e);
    if (!(v instanceof GoStruct)) {
      const byKey = (a: [string, GoValue], b: [string, GoValue]) => compareGoStrings(a[0], b[0]);
      direct.sort(byKey);
      sub.sort(byKey);
    }
    for (const [k, val] of direct) if (val !== null) this.encode([...key, k], val);
    for (const [k, val] of sub) if (val !== null) this.encode([...key, k], val);
  }
}

/** A struct's fields as BurntSushi/toml sees them: exported Go field names in declaration order. */
function tomlFieldsOf(v: GoStruct): Array<[string, GoValue]> {
  return exportedFields(v);
}

function floatAddDecimal(s: string): string {
  return s.includes('.') ? s : s + '.0';
}

function tomlTimeText(t: GoTime): string {
  switch (t.loc.name) {
    case 'datetime-local':
      return formatTime(t, '2006-01-02T15:04:05.999999999');
    case 'date-local':
      return formatTime(t, '2006-01-02');
    case 'time-local':
      return formatTime(t, '15:04:05.999999999');
  }
  return rfc3339Nano(t);
}

/**
 * BurntSushi/toml Encoder.Encode(v): the document text (key/value lines end in "\n"; a bare top-level value such
 * as a list or string is written without one). Throws DataFormatError with the encoder's error text.
 */
export function toToml(v: GoValue): string {
  const enc = new TomlEncoder();
  try {
    enc.encode([], v);
  } catch (e) {
    if (e instanceof EncodeFail) throw new DataFormatError(e.message);
    if (e instanceof MarshalerError) throw new DataFormatError(e.message.replace(/^json: error calling MarshalText for type [^:]+: /, ''));
    throw e;
  }
  return enc.result();
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

class RangeFail extends Error {
  constructor(readonly literal: bigint) {
    super('range');
  }
}

// BurntSushi/toml's pseudo-locations for TOML's local date-times.
const LOCAL_DATETIME = fixedZone('datetime-local', 0);
const LOCAL_DATE = fixedZone('date-local', 0);
const LOCAL_TIME = fixedZone('time-local', 0);

// smol-toml is loaded on first use (most renders never read TOML).
type SmolToml = typeof import('smol-toml');
let smolToml: SmolToml | undefined;
function smol(): SmolToml {
  return (smolToml ??= createRequire(import.meta.url)('smol-toml') as SmolToml);
}

function timeFrom(d: TomlDate): GoTime {
  const iso = d.toISOString();
  if (d.isTime()) {
    const [h, m, s] = iso.split(':');
    const [sec, fr] = s.split('.');
    return makeDate(0, 1, 1, +h, +m, +sec, fracNanos(fr), LOCAL_TIME);
  }
  const date = /^(-?\d+)-(\d\d)-(\d\d)/.exec(iso) as RegExpExecArray;
  const [y, mo, dd] = [+date[1], +date[2], +date[3]];
  if (d.isDate()) return makeDate(y, mo, dd, 0, 0, 0, 0, LOCAL_DATE);
  const t = /T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(iso) as RegExpExecArray;
  const [h, mi, s, ns] = [+t[1], +t[2], +t[3], fracNanos(t[4])];
  if (d.isLocal()) return makeDate(y, mo, dd, h, mi, s, ns, LOCAL_DATETIME);
  const z = t[5] ?? 'Z';
  if (z === 'Z') return makeDate(y, mo, dd, h, mi, s, ns, UTC);
  // time.ParseInLocation(..., time.Local): the local zone when it has this offset at that instant, else unnamed.
  const offset = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(4, 6)) * 60);
  const inUtc = makeDate(y, mo, dd, h, mi, s, ns, UTC);
  const instant = new GoTime(inUtc.sec - offset, ns, UTC);
  const local: GoLocation = localLocation();
  const loc = local.lookup(instant.sec).offset === offset ? local : fixedZone('', offset);
  return instant.withLoc(loc);
}

function fracNanos(fr: string | undefined): number {
  return fr ? Number(fr.slice(0, 9).padEnd(9, '0')) : 0;
}

/** Dotted paths declared with [[...]] headers (BurntSushi decodes those as []map[string]interface{}). */
function tableArrayPaths(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*\[\[([^\]\n]+)\]\]/gm)) {
    out.add(m[1].split('.').map((p) => p.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2')).join('.'));
  }
  return out;
}

function fromToml(x: unknown, path: string, tableArrays: Set<string>): GoValue {
  switch (typeof x) {
    case 'bigint':
      if (x < INT64_MIN || x > INT64_MAX) throw new RangeFail(x);
      return new GoInt(x, 'int64');
    case 'number':
    case 'string':
    case 'boolean':
      return x;
  }
  if (x instanceof smol().TomlDate) return timeFrom(x);
  if (Array.isArray(x)) {
    const items = x.map((e) => fromToml(e, path, tableArrays));
    return newSlice(items, tableArrays.has(path) ? '[]map[string]interface {}' : undefined);
  }
  const m = newMap();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) m[k] = fromToml(v, path === '' ? k : path + '.' + k, tableArrays);
  return m;
}

/** The key BurntSushi reports as "last key" for an error on a given line: the table header plus the line's key. */
function lastKeyAt(text: string, line: number): string {
  const lines = text.split('\n');
  let table = '';
  for (let i = 0; i < line - 1 && i < lines.length; i++) {
    const h = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(lines[i]);
    if (h) table = h[1].replace(/\s*\.\s*/g, '.');
  }
  const kv = /^\s*([^=#[\s][^=#]*?)\s*=/.exec(lines[line - 1] ?? '');
  const key = kv ? kv[1].replace(/\s*\.\s*/g, '.').replace(/^"(.*)"$/, '$1') : '';
  return table && key ? `${table}.${key}` : table || key;
}

function tomlErrorText(text: string, e: TomlError): string {
  const line = e.line;
  const raw = e.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
  const key = lastKeyAt(text, line);
  let msg = raw;
  if (/invalid value|unexpected end|unfinished/.test(raw) && /=\s*$/.test(text.split('\n')[line - 1] ?? '')) {
    msg = 'unexpected EOF; expected value';
  } else if (/already defined/.test(raw)) {
    msg = `Key '${key}' has already been defined.`;
  }
  return key ? `toml: line ${line} (last key "${key}"): ${msg}` : `toml: line ${line}: ${msg}`;
}

/**
 * BurntSushi/toml Unmarshal into map[string]interface{}: integers int64 (GoInt), floats float64, datetimes
 * time.Time (GoTime), inline arrays []interface{}, arrays of tables []map[string]interface{}.
 * Throws DataFormatError ("toml: line N (last key "k"): ...").
 */
export function parseToml(text: string): GoValue {
  let parsed: unknown;
  try {
    parsed = smol().parse(text, { integersAsBigInt: true });
  } catch (e) {
    if (e instanceof smol().TomlError) throw new DataFormatError(tomlErrorText(text, e as TomlError));
    throw new DataFormatError('toml: ' + String((e as Error).message ?? e));
  }
  try {
    return fromToml(parsed, '', tableArrayPaths(text));
  } catch (e) {
    if (e instanceof RangeFail) {
      const lines = text.split('\n');
      const idx = lines.findIndex((l) => l.replace(/_/g, '').includes(e.literal.toString()));
      const line = idx < 0 ? 1 : idx + 1;
      const key = lastKeyAt(text, line);
      const msg = `Integer '${lines[line - 1]?.split('=').slice(1).join('=').trim() ?? e.literal}' is out of the range of 64-bit signed integers`;
      throw new DataFormatError(key ? `toml: line ${line} (last key "${key}"): ${msg}` : `toml: line ${line}: ${msg}`);
    }
    throw e;
  }
}
