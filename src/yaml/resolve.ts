// Implicit typing of plain YAML scalars as go-yaml does it (v2 for reading and for toYaml's quoting decisions, v3 for
// toYamlPretty). YAML 1.1 booleans, the null forms, Go-syntax integers (0x.., 0o.., 0b.., leading-zero octal, with
// underscores), floats, .inf/.nan, and timestamps in the four layouts go-yaml accepts.

export type Resolved =
  | { tag: 'null' }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: bigint; unsigned: boolean }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: TimeParts; text: string }
  | { tag: 'str'; value: string };

export interface TimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  /** Zone offset in seconds; null when the text had no zone (Go then uses UTC). */
  offset: number | null;
}

const NULL: Resolved = { tag: 'null' };
const TRUE: Resolved = { tag: 'bool', value: true };
const FALSE: Resolved = { tag: 'bool', value: false };

function table(v3: boolean): Map<string, Resolved> {
  const m = new Map<string, Resolved>();
  const add = (r: Resolved, words: string[]) => words.forEach((w) => m.set(w, r));
  if (!v3) {
    add(TRUE, ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
    add(FALSE, ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
  }
  add(TRUE, ['true', 'True', 'TRUE']);
  add(FALSE, ['false', 'False', 'FALSE']);
  add(NULL, ['', '~', 'null', 'Null', 'NULL']);
  add({ tag: 'float', value: NaN }, ['.nan', '.NaN', '.NAN']);
  add({ tag: 'float', value: Infinity }, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
  add({ tag: 'float', value: -Infinity }, ['-.inf', '-.Inf', '-.INF']);
  return m;
}
const MAP_V2 = table(false);
const MAP_V3 = table(true);

/** First-character hints: which rules can apply to a scalar starting with this character. */
function hint(c: string): 'M' | 'D' | 'S' | '.' | undefined {
  if (c >= '0' && c <= '9') return 'D';
  if (c === '+' || c === '-') return 'S';
  if (c === '.') return '.';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return undefined;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const DIGITS: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

function bigFrom(digits: string, base: number): bigint {
  if (base === 10) return BigInt(digits);
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : '0b';
  return BigInt(prefix + digits);
}

/** Unsigned magnitude of Go base-0 integer syntax (no sign, no underscores), or undefined. */
function base0Magnitude(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  let base = 10;
  let body = s;
  if (s[0] === '0' && s.length > 1) {
    const p = s[1].toLowerCase();
    if (p === 'x') (base = 16), (body = s.slice(2));
    else if (p === 'b') (base = 2), (body = s.slice(2));
    else if (p === 'o') (base = 8), (body = s.slice(2));
    else (base = 8), (body = s.slice(1));
  }
  if (!DIGITS[base].test(body)) return undefined;
  return bigFrom(body, base);
}

/** strconv.ParseInt(s, 0, 64) for an underscore-free s. */
export function goParseInt(s: string): bigint | undefined {
  let neg = false;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  const m = base0Magnitude(body);
  if (m === undefined) return undefined;
  const v = neg ? -m : m;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** strconv.ParseUint(s, 0, 64) for an underscore-free s. */
export function goParseUint(s: string): bigint | undefined {
  const m = base0Magnitude(s);
  return m === undefined || m > UINT64_MAX ? undefined : m;
}

/** strconv.ParseInt(s, base, 64) for an explicit base (sign allowed, no underscores). */
function parseIntBase(s: string, base: number): bigint | undefined {
  let neg = false;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  if (!DIGITS[base].test(body)) return undefined;
  const m = bigFrom(body, base);
  const v = neg ? -m : m;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}
function parseUintBase(s: string, base: number): bigint | undefined {
  if (!DIGITS[base].test(s)) return undefined;
  const m = bigFrom(s, base);
  return m > UINT64_MAX ? undefined : m;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat on a string starting with '.': decimal digits, underscores only between digits.
const DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;

function intResult(v: bigint, unsigned: boolean): Resolved {
  return { tag: 'int', value: v, unsigned };
}

/**
 * go-yaml's resolve("", s) for a plain scalar: v2 (YAML 1.1 booleans) or v3 rules.
 * Timestamps are reported as such; go-yaml then hands them to interface{} targets as the original string.
 */
export function resolvePlain(s: string, v3 = false): Resolved {
  const h = s === '' ? 'N' : hint(s[0]);
  if (h === undefined) return { tag: 'str', value: s };
  const known = (v3 ? MAP_V3 : MAP_V2).get(s);
  if (known !== undefined) return known;
  if (h === '.') {
    if (DOT_FLOAT.test(s)) {
      const f = Number(s.replace(/_/g, ''));
      if (Number.isFinite(f)) return { tag: 'float', value: f };
    }
    return { tag: 'str', value: s };
  }
  if (h === 'D' || h === 'S') {
    const t = parseTimestamp(s);
    if (t !== undefined) return { tag: 'timestamp', value: t, text: s };
    const plain = s.includes('_') ? s.replace(/_/g, '') : s;
    const i = goParseInt(plain);
    if (i !== undefined) return intResult(i, false);
    const u = goParseUint(plain);
    if (u !== undefined) return intResult(u, true);
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: 'float', value: f };
    }
    if (plain.startsWith('0b')) {
      const b = parseIntBase(plain.slice(2), 2);
      if (b !== undefined) return intResult(b, false);
      const ub = parseUintBase(plain.slice(2), 2);
      if (ub !== undefined) return intResult(ub, true);
    } else if (plain.startsWith('-0b')) {
      const b = parseIntBase('-' + plain.slice(3), 2);
      if (b !== undefined) return intResult(b, false);
    }
    if (!v3) {
      // sigs.k8s.io/yaml's go-yaml v2 fork reads unsigned integers too large for uint64 as big integers.
      const big = base0Magnitude(plain);
      if (big !== undefined && big > UINT64_MAX) return intResult(big, true);
    }
    if (v3) {
      if (plain.startsWith('0o')) {
        const o = parseIntBase(plain.slice(2), 8);
        if (o !== undefined) return intResult(o, false);
        const uo = parseUintBase(plain.slice(2), 8);
        if (uo !== undefined) return intResult(uo, true);
      } else if (plain.startsWith('-0o')) {
        const o = parseIntBase('-' + plain.slice(3), 8);
        if (o !== undefined) return intResult(o, false);
      }
    }
  }
  return { tag: 'str', value: s };
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** YAML 1.1 sexagesimal numbers ("1:20"): go-yaml does not read them as numbers but quotes them when writing. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0];
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60.test(s);
}

const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
/** go-yaml v3 quotes the YAML 1.1 booleans even though it reads them as strings. */
export function isOldBool(s: string): boolean {
  return OLD_BOOLS.has(s);
}

/** Whether go-yaml's encoder may write s as a plain scalar (it would read back as the same string). */
export function canBePlain(s: string, v3: boolean): boolean {
  if (resolvePlain(s, v3).tag !== 'str') return false;
  if (isBase60Float(s)) return false;
  return !(v3 && isOldBool(s));
}

// ---------------------------------------------------------------------------------------------------------------
// Timestamps: Go's time.Parse with the layouts "2006-1-2T15:4:5.999999999Z07:00", the same with a lower-case t,
// "2006-1-2 15:4:5.999999999" and "2006-1-2".

const TS_DATE = /^(\d{4})-(\d\d?)-(\d\d?)/;
const TS_TIME = /^(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?/;

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function nanos(frac: string | undefined): number {
  if (!frac) return 0;
  // Go keeps nanosecond precision and ignores digits beyond the ninth.
  return Number(frac.slice(0, 9).padEnd(9, '0'));
}

/** go-yaml's parseTimestamp: the parsed parts, or undefined when s is not a timestamp. */
export function parseTimestamp(s: string): TimeParts | undefined {
  if (s.length < 5 || s[4] !== '-') return undefined;
  for (let i = 0; i < 4; i++) if (s[i] < '0' || s[i] > '9') return undefined;
  const d = TS_DATE.exec(s);
  if (!d) return undefined;
  const year = Number(d[1]);
  const month = Number(d[2]);
  const day = Number(d[3]);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysIn(month, year)) return undefined;
  const base: TimeParts = { year, month, day, hour: 0, minute: 0, second: 0, nanosecond: 0, offset: null };
  let rest = s.slice(d[0].length);
  if (rest === '') return base;
  const sep = rest[0];
  if (sep !== 'T' && sep !== 't' && sep !== ' ') return undefined;
  rest = rest.slice(1);
  const t = TS_TIME.exec(rest);
  if (!t) return undefined;
  const hour = Number(t[1]);
  const minute = Number(t[2]);
  const second = Number(t[3]);
  if (hour >= 24 || minute >= 60 || second >= 60) return undefined;
  const ns = nanos(t[4]);
  rest = rest.slice(t[0].length);
  const parts = { ...base, hour, minute, second, nanosecond: ns };
  if (sep === ' ') return rest === '' ? parts : undefined;
  if (rest === 'Z') return { ...parts, offset: 0 };
  const z = /^([+-])(\d\d):(\d\d)$/.exec(rest);
  if (!z) return undefined;
  const zh = Number(z[2]);
  const zm = Number(z[3]);
  if (zh > 24 || zm > 60) return undefined;
  return { ...parts, offset: (z[1] === '-' ? -1 : 1) * (zh * 3600 + zm * 60) };
}
