// Go's time package, as far as templates see it: time.Time (a GoStruct), time.Duration and time.Month /
// time.Weekday (named integers), *time.Location, layout-based Format and Parse, ParseDuration.
//
// Zones come from the system's tzdata (TZif files under /usr/share/zoneinfo, read the way Go reads them: the
// transitions, then the POSIX TZ footer for times after the last one), so offsets and abbreviations ("CET", "IST",
// "+04", "LMT") are Go's. Without a zoneinfo file, Intl supplies offsets and numeric abbreviations.
// The local zone follows TZ like Go: unset → /etc/localtime ("Local"), "" or "UTC" → UTC, otherwise that zone.
import { readFileSync } from 'node:fs';
import { type GoFunc, type GoValue, type NamedType, GoInt, GoStruct, gofn, utf8Bytes } from '../value.js';

const SECONDS_PER_DAY = 86400;
/** Seconds from 0001-01-01 (Go's zero time) to 1970-01-01. */
const ZERO_TO_UNIX = 62135596800;
const NS = 1_000_000_000n;

// ---------------------------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian)

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (m > 2 ? m - 3 : m + 9) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_MONTHS = LONG_MONTHS.map((s) => s.slice(0, 3));
const SHORT_DAYS = LONG_DAYS.map((s) => s.slice(0, 3));

// ---------------------------------------------------------------------------------------------------------------
// Locations

interface Zone {
  name: string;
  offset: number;
  isDST: boolean;
}
interface ZoneTrans {
  when: number;
  index: number;
}
interface Lookup {
  name: string;
  offset: number;
  start: number;
  end: number;
  isDST: boolean;
}

const ALPHA = -Number.MAX_SAFE_INTEGER;
const OMEGA = Number.MAX_SAFE_INTEGER;

/** A *time.Location. */
export class GoLocation extends GoStruct {
  constructor(
    readonly name: string,
    readonly zones: Zone[],
    readonly tx: ZoneTrans[],
    readonly extend: string = '',
    /** Offsets from Intl when no zoneinfo file exists. */
    readonly intlZone?: string,
  ) {
    super();
  }
  get typeName(): string {
    return '*time.Location';
  }
  override goString(): string {
    return this.name;
  }
  override method(name: string): GoFunc | undefined {
    if (name === 'String') return gofn([], () => this.name, undefined, 'string');
    return undefined;
  }

  lookup(sec: number): Lookup {
    if (this.intlZone) return intlLookup(this.intlZone, sec);
    if (this.zones.length === 0) return { name: 'UTC', offset: 0, start: ALPHA, end: OMEGA, isDST: false };
    const tx = this.tx;
    if (tx.length === 0 || sec < tx[0]!.when) {
      const z = this.zones[this.firstZone()]!;
      return { name: z.name, offset: z.offset, start: ALPHA, end: tx.length > 0 ? tx[0]!.when : OMEGA, isDST: z.isDST };
    }
    let lo = 0;
    let hi = tx.length;
    let end = OMEGA;
    while (hi - lo > 1) {
      const m = (lo + hi) >> 1;
      if (sec < tx[m]!.when) {
        end = tx[m]!.when;
        hi = m;
      } else lo = m;
    }
    const z = this.zones[tx[lo]!.index]!;
    const start = tx[lo]!.when;
    if (lo === tx.length - 1 && this.extend !== '') {
      const r = tzset(this.extend, start, sec);
      if (r) return r;
    }
    return { name: z.name, offset: z.offset, start, end, isDST: z.isDST };
  }

  private firstZone(): number {
    if (!this.tx.some((t) => t.index === 0)) return 0;
    if (this.tx.length > 0 && this.zones[this.tx[0]!.index]!.isDST) {
      for (let zi = this.tx[0]!.index - 1; zi >= 0; zi--) if (!this.zones[zi]!.isDST) return zi;
    }
    for (let zi = 0; zi < this.zones.length; zi++) if (!this.zones[zi]!.isDST) return zi;
    return 0;
  }

  /** The offset of the zone abbreviated `name` around time `unix`, as Go's lookupName. */
  lookupName(name: string, unix: number): number | undefined {
    for (const z of this.zones) {
      if (z.name === name && this.lookup(unix - z.offset).name === z.name) return this.lookup(unix - z.offset).offset;
    }
    for (const z of this.zones) if (z.name === name) return z.offset;
    return undefined;
  }
}

export const UTC = new GoLocation('UTC', [], []);

export function fixedZone(name: string, offset: number): GoLocation {
  return new GoLocation(name, [{ name, offset, isDST: false }], [{ when: ALPHA, index: 0 }]);
}

// POSIX TZ strings (the TZif footer), evaluated as Go's tzset does.
interface Rule {
  kind: 'julian' | 'doy' | 'mwd';
  day: number;
  week: number;
  mon: number;
  time: number;
}

function tzsetName(s: string): [string, string] | undefined {
  if (s === '') return undefined;
  if (s[0] !== '<') {
    let i = 0;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === ',' || c === '-' || c === '+' || (c >= '0' && c <= '9')) break;
    }
    if (i < 3) return undefined;
    return [s.slice(0, i), s.slice(i)];
  }
  const end = s.indexOf('>');
  if (end < 0) return undefined;
  return [s.slice(1, end), s.slice(end + 1)];
}

function tzsetNum(s: string, min: number, max: number): [number, string] | undefined {
  let i = 0;
  let n = 0;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') {
    n = n * 10 + s.charCodeAt(i) - 48;
    if (n > max) return undefined;
    i++;
  }
  if (i === 0 || n < min) return undefined;
  return [n, s.slice(i)];
}

function tzsetOffset(s: string): [number, string] | undefined {
  if (s === '') return undefined;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  let r = tzsetNum(s, 0, 24 * 7);
  if (!r) return undefined;
  let off = r[0] * 3600;
  s = r[1];
  if (s[0] === ':') {
    r = tzsetNum(s.slice(1), 0, 59);
    if (!r) return undefined;
    off += r[0] * 60;
    s = r[1];
    if (s[0] === ':') {
      r = tzsetNum(s.slice(1), 0, 59);
      if (!r) return undefined;
      off += r[0];
      s = r[1];
    }
  }
  return [neg ? -off : off, s];
}

function tzsetRule(s: string): [Rule, string] | undefined {
  const r: Rule = { kind: 'doy', day: 0, week: 0, mon: 0, time: 7200 };
  let x: [number, string] | undefined;
  if (s === '') return undefined;
  if (s[0] === 'J') {
    x = tzsetNum(s.slice(1), 1, 365);
    if (!x) return undefined;
    r.kind = 'julian';
    r.day = x[0];
    s = x[1];
  } else if (s[0] === 'M') {
    x = tzsetNum(s.slice(1), 1, 12);
    if (!x || x[1][0] !== '.') return undefined;
    r.mon = x[0];
    x = tzsetNum(x[1].slice(1), 1, 5);
    if (!x || x[1][0] !== '.') return undefined;
    r.week = x[0];
    x = tzsetNum(x[1].slice(1), 0, 6);
    if (!x) return undefined;
    r.day = x[0];
    r.kind = 'mwd';
    s = x[1];
  } else {
    x = tzsetNum(s, 0, 365);
    if (!x) return undefined;
    r.day = x[0];
    s = x[1];
  }
  if (s === '' || s[0] !== '/') return [r, s];
  const o = tzsetOffset(s.slice(1));
  if (!o) return undefined;
  r.time = o[0];
  return [r, o[1]];
}

function tzruleTime(year: number, r: Rule, off: number): number {
  let s: number;
  if (r.kind === 'julian') {
    s = (r.day - 1) * SECONDS_PER_DAY;
    if (isLeap(year) && r.day >= 60) s += SECONDS_PER_DAY;
  } else if (r.kind === 'doy') {
    s = r.day * SECONDS_PER_DAY;
  } else {
    // Day of week of the first day of the month, then the r.week-th r.day in it.
    const first = ((daysFromCivil(year, r.mon, 1) % 7) + 11) % 7; // 1970-01-01 was a Thursday (4)
    let d = r.day - first;
    if (d < 0) d += 7;
    for (let i = 1; i < r.week; i++) {
      if (d + 7 >= daysIn(r.mon, year)) break;
      d += 7;
    }
    d += DAYS_BEFORE[r.mon - 1]!;
    if (isLeap(year) && r.mon > 2) d++;
    s = d * SECONDS_PER_DAY;
  }
  return s + r.time - off;
}

function tzset(spec: string, lastTxSec: number, sec: number): Lookup | undefined {
  let s = spec;
  const n1 = tzsetName(s);
  if (!n1) return undefined;
  let stdName = n1[0];
  const o1 = tzsetOffset(n1[1]);
  if (!o1) return undefined;
  let stdOffset = -o1[0];
  s = o1[1];
  if (s === '' || s[0] === ',') return { name: stdName, offset: stdOffset, start: lastTxSec, end: OMEGA, isDST: false };
  const n2 = tzsetName(s);
  if (!n2) return undefined;
  let dstName = n2[0];
  s = n2[1];
  let dstOffset: number;
  if (s === '' || s[0] === ',') dstOffset = stdOffset + 3600;
  else {
    const o2 = tzsetOffset(s);
    if (!o2) return undefined;
    dstOffset = -o2[0];
    s = o2[1];
  }
  if (s === '') s = ',M3.2.0,M11.1.0';
  if (s[0] !== ',' && s[0] !== ';') return undefined;
  const r1 = tzsetRule(s.slice(1));
  if (!r1 || r1[1][0] !== ',') return undefined;
  const r2 = tzsetRule(r1[1].slice(1));
  if (!r2 || r2[1] !== '') return undefined;
  const days = floorDiv(sec, SECONDS_PER_DAY);
  const [year] = civilFromDays(days);
  const yearStart = daysFromCivil(year, 1, 1) * SECONDS_PER_DAY;
  const ysec = sec - yearStart;
  let startSec = tzruleTime(year, r1[0], stdOffset);
  let endSec = tzruleTime(year, r2[0], dstOffset);
  let dstIsDST = true;
  let stdIsDST = false;
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
    [stdIsDST, dstIsDST] = [dstIsDST, stdIsDST];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, start: yearStart, end: startSec + yearStart, isDST: stdIsDST };
  if (ysec >= endSec) return { name: stdName, offset: stdOffset, start: endSec + yearStart, end: yearStart + 365 * SECONDS_PER_DAY, isDST: stdIsDST };
  return { name: dstName, offset: dstOffset, start: startSec + yearStart, end: endSec + yearStart, isDST: dstIsDST };
}

/** Parses a TZif file (RFC 8536) into a location, preferring the 64-bit data of version 2+. */
function parseTZif(name: string, b: Buffer): GoLocation | undefined {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = b[4]!;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + i * 4));
  let [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts(0) as [number, number, number, number, number, number];
  let p = 44;
  let timeSize = 4;
  if (version >= 0x32) {
    // Skip the v1 block.
    p += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
    [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts(p) as [number, number, number, number, number, number];
    p += 44;
    timeSize = 8;
  }
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++) times.push(timeSize === 8 ? Number(b.readBigInt64BE(p + i * 8)) : b.readInt32BE(p + i * 4));
  p += timecnt * timeSize;
  const idx: number[] = [];
  for (let i = 0; i < timecnt; i++) idx.push(b[p + i]!);
  p += timecnt;
  const types: { off: number; dst: boolean; abbr: number }[] = [];
  for (let i = 0; i < typecnt; i++) types.push({ off: b.readInt32BE(p + i * 6), dst: b[p + i * 6 + 4] !== 0, abbr: b[p + i * 6 + 5]! });
  p += typecnt * 6;
  const chars = b.toString('latin1', p, p + charcnt);
  p += charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
  let extend = '';
  if (version >= 0x32 && b[p] === 0x0a) {
    const end = b.indexOf(0x0a, p + 1);
    if (end > p) extend = b.toString('latin1', p + 1, end);
  }
  const zones: Zone[] = types.map((t) => {
    const e = chars.indexOf('\0', t.abbr);
    return { name: chars.slice(t.abbr, e < 0 ? undefined : e), offset: t.off, isDST: t.dst };
  });
  if (zones.length === 0) return undefined;
  const tx: ZoneTrans[] = times.map((when, i) => ({ when, index: idx[i]! }));
  return new GoLocation(name, zones, tx, extend);
}

function zoneinfoDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.ZONEINFO) dirs.push(process.env.ZONEINFO);
  dirs.push('/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/locale/TZ', '/etc/zoneinfo');
  return dirs;
}

function loadZoneFile(name: string, path: string): GoLocation | undefined {
  try {
    return parseTZif(name, readFileSync(path));
  } catch {
    return undefined;
  }
}

// Without tzdata: offsets from Intl, abbreviations numeric ("+0530", "-05") like tzdata's unnamed zones.
function intlOffset(zone: string, sec: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(sec * 1000));
  const tz = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(tz);
  if (!m) return 0;
  const off = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -off : off;
}

function intlLookup(zone: string, sec: number): Lookup {
  const offset = intlOffset(zone, sec);
  let name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(sec * 1000)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (!/^[A-Z]{3,5}$/.test(name) || name === 'GMT') {
    if (offset === 0 && (zone === 'UTC' || zone === 'Etc/UTC')) name = 'UTC';
    else {
      const a = Math.abs(offset);
      const hh = String(Math.floor(a / 3600)).padStart(2, '0');
      const mm = Math.floor((a % 3600) / 60);
      name = (offset < 0 ? '-' : '+') + hh + (mm ? String(mm).padStart(2, '0') : '');
    }
  }
  // Valid for the rest of the hour: a conservative window for Date's offset correction.
  const start = sec - (((sec % 3600) + 3600) % 3600);
  return { name, offset, start, end: start + 3600, isDST: false };
}

const locationCache = new Map<string, GoLocation>();

/** time.LoadLocation: undefined when the zone is unknown. */
export function loadLocation(name: string): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return localLocation();
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return undefined;
  const cached = locationCache.get(name);
  if (cached) return cached;
  let loc: GoLocation | undefined;
  for (const dir of zoneinfoDirs()) {
    loc = loadZoneFile(name, `${dir}/${name}`);
    if (loc) break;
  }
  if (!loc) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) loc = new GoLocation(name, [], [], '', name);
    } catch {
      loc = undefined;
    }
  }
  if (loc) locationCache.set(name, loc);
  return loc;
}

let local: GoLocation | undefined;

/** time.Local, initialised as Go does from TZ. */
export function localLocation(): GoLocation {
  if (local) return local;
  let tz = process.env.TZ;
  let loc: GoLocation | undefined;
  if (tz === undefined) {
    const l = loadZoneFile('Local', '/etc/localtime');
    if (l) loc = l;
    else {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && zone !== 'UTC' && zone !== 'Etc/UTC') {
        const z = loadLocation(zone);
        if (z) loc = new GoLocation('Local', z.zones, z.tx, z.extend, z.intlZone);
      }
    }
  } else {
    if (tz.startsWith(':')) tz = tz.slice(1);
    if (tz.startsWith('/')) {
      const l = loadZoneFile(tz, tz);
      if (l) loc = new GoLocation('Local', l.zones, l.tx, l.extend);
    } else if (tz !== '' && tz !== 'UTC') loc = loadLocation(tz);
  }
  local = loc ?? UTC;
  return local;
}

// ---------------------------------------------------------------------------------------------------------------
// time.Duration, time.Month, time.Weekday

const MIN_DURATION = -(1n << 63n);
const MAX_DURATION = (1n << 63n) - 1n;

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let s = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) s = String(digit) + s;
    v /= 10n;
  }
  return [print ? '.' + s : '', v];
}

/** Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function formatDuration(d: bigint): string {
  let u = d < 0n ? -d : d;
  const neg = d < 0n;
  let out: string;
  if (u < NS) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1000000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = String(rest) + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = String(u % 60n) + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = String(u % 60n) + 'm' + out;
      u /= 60n;
      if (u > 0n) out = String(u) + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

/** time's quote(): double quotes, \" and \\ escaped, bytes outside printable ASCII as \xNN. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const byte of utf8Bytes(ch)) out += '\\x' + byte.toString(16).padStart(2, '0');
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1000000n,
  s: NS,
  m: 60n * NS,
  h: 3600n * NS,
};

/** time.ParseDuration: nanoseconds, or throws with Go's message. */
export function parseDuration(orig: string): bigint {
  const invalid = (): never => {
    throw new Error('time: invalid duration ' + timeQuote(orig));
  };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') invalid();
  const LIMIT = 1n << 63n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) invalid();
    let i = 0;
    let v = 0n;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9') {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v >= LIMIT) invalid();
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    let post = false;
    let f = 0n;
    let scale = 1;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (j < s.length && s[j]! >= '0' && s[j]! <= '9') {
        if (!overflow) {
          if (f > (LIMIT - 1n) / 10n) overflow = true;
          else {
            f = f * 10n + BigInt(s.charCodeAt(j) - 48);
            scale *= 10;
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) invalid();
    let k = 0;
    while (k < s.length && !(s[k] === '.' || (s[k]! >= '0' && s[k]! <= '9'))) k++;
    if (k === 0) throw new Error('time: missing unit in duration ' + timeQuote(orig));
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) throw new Error('time: unknown unit ' + timeQuote(u) + ' in duration ' + timeQuote(orig));
    if (v > LIMIT / unit) invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) invalid();
    }
    d += v;
    if (d > LIMIT) invalid();
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) invalid();
  return d;
}

function durationRound(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    return d1 < d ? d1 : MIN_DURATION;
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  return d1 > d && d1 <= MAX_DURATION ? d1 : MAX_DURATION;
}

const dur = (v: GoInt): bigint => v.value;

export const DURATION_TYPE: NamedType = {
  name: 'time.Duration',
  stringer: (v: GoInt) => formatDuration(v.value),
  // Receiver first; params exclude it.
  methods: {
    String: gofn([], (v: GoInt) => formatDuration(dur(v)), undefined, 'string'),
    Hours: gofn([], (v: GoInt) => Number(dur(v) / (3600n * NS)) + Number(dur(v) % (3600n * NS)) / 3.6e12, undefined, 'float64'),
    Minutes: gofn([], (v: GoInt) => Number(dur(v) / (60n * NS)) + Number(dur(v) % (60n * NS)) / 6e10, undefined, 'float64'),
    Seconds: gofn([], (v: GoInt) => Number(dur(v) / NS) + Number(dur(v) % NS) / 1e9, undefined, 'float64'),
    Milliseconds: gofn([], (v: GoInt) => new GoInt(dur(v) / 1000000n, 'int64'), undefined, 'int64'),
    Microseconds: gofn([], (v: GoInt) => new GoInt(dur(v) / 1000n, 'int64'), undefined, 'int64'),
    Nanoseconds: gofn([], (v: GoInt) => new GoInt(dur(v), 'int64'), undefined, 'int64'),
    Round: gofn(['time.Duration'], (v: GoInt, m: GoInt) => duration(durationRound(dur(v), dur(m))), undefined, 'time.Duration'),
    Truncate: gofn(['time.Duration'], (v: GoInt, m: GoInt) => duration(m.value <= 0n ? dur(v) : dur(v) - (dur(v) % m.value)), undefined, 'time.Duration'),
    Abs: gofn([], (v: GoInt) => duration(dur(v) >= 0n ? dur(v) : dur(v) === MIN_DURATION ? MAX_DURATION : -dur(v)), undefined, 'time.Duration'),
  },
};

export function duration(ns: bigint): GoInt {
  return new GoInt(ns, 'int64', DURATION_TYPE);
}

export function isDuration(v: GoValue): v is GoInt {
  return v instanceof GoInt && v.named === DURATION_TYPE;
}

export const MONTH_TYPE: NamedType = {
  name: 'time.Month',
  stringer: (v: GoInt) => (v.value >= 1n && v.value <= 12n ? LONG_MONTHS[Number(v.value) - 1]! : `%!Month(${v.value})`),
  methods: {
    String: gofn([], (v: GoInt) => MONTH_TYPE.stringer!(v), undefined, 'string'),
  },
};

export const WEEKDAY_TYPE: NamedType = {
  name: 'time.Weekday',
  stringer: (v: GoInt) => (v.value >= 0n && v.value <= 6n ? LONG_DAYS[Number(v.value)]! : `%!Weekday(${v.value})`),
  methods: {
    String: gofn([], (v: GoInt) => WEEKDAY_TYPE.stringer!(v), undefined, 'string'),
  },
};

// ---------------------------------------------------------------------------------------------------------------
// time.Time

const processStart = process.hrtime.bigint();

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  yday: number;
  weekday: number;
  zoneName: string;
  offset: number;
}

/** A time.Time: Unix seconds + nanoseconds, a location, and (from now) a monotonic clock reading. */
export class GoTime extends GoStruct {
  constructor(
    /** Seconds since 1970-01-01 UTC. */
    readonly sec: number,
    /** 0..999999999 */
    readonly nsec: number,
    readonly loc: GoLocation = UTC,
    /** Nanoseconds on the monotonic clock since process start (only times from now carry one). */
    readonly mono?: bigint,
  ) {
    super();
  }
  get typeName(): string {
    return 'time.Time';
  }
  override goString(): string {
    return timeString(this);
  }
  /** json.Marshaler (the encoders' convention, see src/yaml/structs.ts): RFC 3339 with nanoseconds, quoted. */
  marshalJSON(): string {
    return '"' + marshalTime(this, 'Time.MarshalJSON') + '"';
  }
  /** encoding.TextMarshaler. */
  marshalText(): string {
    return marshalTime(this, 'Time.MarshalText');
  }
  override method(name: string): GoFunc | undefined {
    const m = TIME_METHODS[name];
    if (!m) return undefined;
    return { ...m, fn: (...args: GoValue[]) => m.fn(this, ...args) };
  }

  civil(): Civil {
    const z = this.loc.lookup(this.sec);
    const local = this.sec + z.offset;
    const days = floorDiv(local, SECONDS_PER_DAY);
    const sod = local - days * SECONDS_PER_DAY;
    const [year, month, day] = civilFromDays(days);
    const yday = days - daysFromCivil(year, 1, 1) + 1;
    const weekday = (((days + 4) % 7) + 7) % 7;
    return { year, month, day, hour: Math.floor(sod / 3600), min: Math.floor((sod % 3600) / 60), sec: sod % 60, yday, weekday, zoneName: z.name, offset: z.offset };
  }

  isZero(): boolean {
    return this.sec === -ZERO_TO_UNIX && this.nsec === 0;
  }

  withLoc(loc: GoLocation): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }

  /** Nanoseconds since the Unix epoch. */
  unixNano(): bigint {
    return BigInt(this.sec) * NS + BigInt(this.nsec);
  }

  add(d: bigint): GoTime {
    const total = BigInt(this.nsec) + (d % NS);
    let sec = BigInt(this.sec) + d / NS;
    let nsec = total;
    if (nsec < 0n) {
      nsec += NS;
      sec -= 1n;
    } else if (nsec >= NS) {
      nsec -= NS;
      sec += 1n;
    }
    return new GoTime(Number(sec), Number(nsec), this.loc, this.mono === undefined ? undefined : this.mono + d);
  }

  sub(u: GoTime): bigint {
    if (this.mono !== undefined && u.mono !== undefined) return clampDuration(this.mono - u.mono);
    return clampDuration(this.unixNano() - u.unixNano());
  }
}

function clampDuration(d: bigint): bigint {
  return d > MAX_DURATION ? MAX_DURATION : d < MIN_DURATION ? MIN_DURATION : d;
}

/** The zero time.Time (0001-01-01 00:00:00 UTC). */
export const ZERO_TIME = new GoTime(-ZERO_TO_UNIX, 0, UTC);

/** time.Now(). */
export function now(): GoTime {
  const ms = Date.now();
  const hr = process.hrtime.bigint();
  const sub = Number(hr % 1000000n); // sub-millisecond digits from the monotonic clock
  const sec = Math.floor(ms / 1000);
  const nsec = (ms % 1000) * 1000000 + sub;
  return new GoTime(sec, nsec, localLocation(), hr - processStart + 1n);
}

/** time.Unix(sec, 0) in the local zone. */
export function unixTime(sec: number): GoTime {
  return new GoTime(sec, 0, localLocation());
}

/** time.Date: normalises out-of-range fields; resolves the wall clock in loc as Go does. */
export function makeDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: GoLocation): GoTime {
  let m = month - 1;
  year += floorDiv(m, 12);
  m -= floorDiv(m, 12) * 12;
  sec += floorDiv(nsec, 1e9);
  nsec -= floorDiv(nsec, 1e9) * 1e9;
  min += floorDiv(sec, 60);
  sec -= floorDiv(sec, 60) * 60;
  hour += floorDiv(min, 60);
  min -= floorDiv(min, 60) * 60;
  day += floorDiv(hour, 24);
  hour -= floorDiv(hour, 24) * 24;
  const days = daysFromCivil(year, m + 1, 1) + day - 1;
  let unix = days * SECONDS_PER_DAY + hour * 3600 + min * 60 + sec;
  const z = loc.lookup(unix);
  if (z.offset !== 0) {
    const utc = unix - z.offset;
    let offset = z.offset;
    if (utc < z.start || utc >= z.end) offset = loc.lookup(utc).offset;
    unix -= offset;
  }
  return new GoTime(unix, nsec, loc);
}

// ---------------------------------------------------------------------------------------------------------------
// Layouts

type Std =
  | { k: 'longMonth' | 'month' | 'numMonth' | 'zeroMonth' | 'longWeekDay' | 'weekDay' | 'day' | 'underDay' | 'zeroDay' }
  | { k: 'underYearDay' | 'zeroYearDay' | 'hour' | 'hour12' | 'zeroHour12' | 'minute' | 'zeroMinute' | 'second' | 'zeroSecond' }
  | { k: 'longYear' | 'year' | 'PM' | 'pm' | 'TZ' }
  | { k: 'iso8601TZ' | 'iso8601SecondsTZ' | 'iso8601ShortTZ' | 'iso8601ColonTZ' | 'iso8601ColonSecondsTZ' }
  | { k: 'numTZ' | 'numSecondsTz' | 'numShortTZ' | 'numColonTZ' | 'numColonSecondsTZ' }
  | { k: 'fracSecond0' | 'fracSecond9'; digits: number; sep: string };

const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';
const startsWithLower = (s: string): boolean => s.length > 0 && s[0]! >= 'a' && s[0]! <= 'z';

const STD0X: Std['k'][] = ['zeroMonth', 'zeroDay', 'zeroHour12', 'zeroMinute', 'zeroSecond', 'year'];

/** Splits layout into [prefix, std, suffix]; std null at the end. */
function nextStdChunk(layout: string): [string, Std | null, string] {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const at = (s: string): boolean => layout.startsWith(s, i);
    const ret = (k: Std['k'], len: number): [string, Std, string] => [layout.slice(0, i), { k } as Std, layout.slice(i + len)];
    switch (c) {
      case 'J':
        if (at('Jan')) {
          if (at('January')) return ret('longMonth', 7);
          if (!startsWithLower(layout.slice(i + 3))) return ret('month', 3);
        }
        break;
      case 'M':
        if (at('Mon')) {
          if (at('Monday')) return ret('longWeekDay', 6);
          if (!startsWithLower(layout.slice(i + 3))) return ret('weekDay', 3);
        }
        if (at('MST')) return ret('TZ', 3);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1]! >= '1' && layout[i + 1]! <= '6') return ret(STD0X[layout.charCodeAt(i + 1) - 49]!, 2);
        if (at('002')) return ret('zeroYearDay', 3);
        break;
      case '1':
        if (at('15')) return ret('hour', 2);
        return ret('numMonth', 1);
      case '2':
        if (at('2006')) return ret('longYear', 4);
        return ret('day', 1);
      case '_':
        if (at('_2')) {
          if (at('_2006')) return [layout.slice(0, i + 1), { k: 'longYear' }, layout.slice(i + 5)];
          return ret('underDay', 2);
        }
        if (at('__2')) return ret('underYearDay', 3);
        break;
      case '3':
        return ret('hour12', 1);
      case '4':
        return ret('minute', 1);
      case '5':
        return ret('second', 1);
      case 'P':
        if (at('PM')) return ret('PM', 2);
        break;
      case 'p':
        if (at('pm')) return ret('pm', 2);
        break;
      case '-':
        if (at('-070000')) return ret('numSecondsTz', 7);
        if (at('-07:00:00')) return ret('numColonSecondsTZ', 9);
        if (at('-0700')) return ret('numTZ', 5);
        if (at('-07:00')) return ret('numColonTZ', 6);
        if (at('-07')) return ret('numShortTZ', 3);
        break;
      case 'Z':
        if (at('Z070000')) return ret('iso8601SecondsTZ', 7);
        if (at('Z07:00:00')) return ret('iso8601ColonSecondsTZ', 9);
        if (at('Z0700')) return ret('iso8601TZ', 5);
        if (at('Z07:00')) return ret('iso8601ColonTZ', 6);
        if (at('Z07')) return ret('iso8601ShortTZ', 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1]!;
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return [layout.slice(0, i), { k: ch === '0' ? 'fracSecond0' : 'fracSecond9', digits: j - (i + 1), sep: c }, layout.slice(j)];
          }
        }
        break;
    }
  }
  return [layout, null, ''];
}

function pad(n: number, width: number): string {
  if (n < 0) return '-' + pad(-n, width);
  return String(n).padStart(width, '0');
}

function appendNano(nsec: number, std: { k: string; digits: number; sep: string }): string {
  const trim = std.k === 'fracSecond9';
  if (trim && (std.digits === 0 || nsec === 0)) return '';
  let s = String(nsec).padStart(9, '0').slice(0, std.digits);
  if (trim) s = s.replace(/0+$/, '');
  return s === '' ? '' : std.sep + s;
}

/** Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const c = t.civil();
  let out = '';
  for (;;) {
    const [prefix, std, suffix] = nextStdChunk(layout);
    out += prefix;
    if (!std) break;
    layout = suffix;
    switch (std.k) {
      case 'year':
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case 'longYear':
        out += pad(c.year, 4);
        break;
      case 'month':
        out += SHORT_MONTHS[c.month - 1];
        break;
      case 'longMonth':
        out += LONG_MONTHS[c.month - 1];
        break;
      case 'numMonth':
        out += c.month;
        break;
      case 'zeroMonth':
        out += pad(c.month, 2);
        break;
      case 'weekDay':
        out += SHORT_DAYS[c.weekday];
        break;
      case 'longWeekDay':
        out += LONG_DAYS[c.weekday];
        break;
      case 'day':
        out += c.day;
        break;
      case 'underDay':
        out += (c.day < 10 ? ' ' : '') + c.day;
        break;
      case 'zeroDay':
        out += pad(c.day, 2);
        break;
      case 'underYearDay':
        out += String(c.yday).padStart(3, ' ');
        break;
      case 'zeroYearDay':
        out += pad(c.yday, 3);
        break;
      case 'hour':
        out += pad(c.hour, 2);
        break;
      case 'hour12':
        out += c.hour % 12 === 0 ? 12 : c.hour % 12;
        break;
      case 'zeroHour12':
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case 'minute':
        out += c.min;
        break;
      case 'zeroMinute':
        out += pad(c.min, 2);
        break;
      case 'second':
        out += c.sec;
        break;
      case 'zeroSecond':
        out += pad(c.sec, 2);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case 'iso8601TZ':
      case 'iso8601ColonTZ':
      case 'iso8601SecondsTZ':
      case 'iso8601ShortTZ':
      case 'iso8601ColonSecondsTZ':
      case 'numTZ':
      case 'numColonTZ':
      case 'numSecondsTz':
      case 'numShortTZ':
      case 'numColonSecondsTZ': {
        const k = std.k;
        if (c.offset === 0 && k.startsWith('iso8601')) {
          out += 'Z';
          break;
        }
        let zone = Math.trunc(c.offset / 60);
        let abs = c.offset;
        if (zone < 0) {
          out += '-';
          zone = -zone;
          abs = -abs;
        } else out += '+';
        out += pad(Math.floor(zone / 60), 2);
        if (k === 'iso8601ColonTZ' || k === 'numColonTZ' || k === 'iso8601ColonSecondsTZ' || k === 'numColonSecondsTZ') out += ':';
        if (k !== 'numShortTZ' && k !== 'iso8601ShortTZ') out += pad(zone % 60, 2);
        if (k === 'iso8601SecondsTZ' || k === 'numSecondsTz' || k === 'numColonSecondsTZ' || k === 'iso8601ColonSecondsTZ') {
          if (k === 'numColonSecondsTZ' || k === 'iso8601ColonSecondsTZ') out += ':';
          out += pad(abs % 60, 2);
        }
        break;
      }
      case 'TZ': {
        if (c.zoneName !== '') {
          out += c.zoneName;
          break;
        }
        let zone = Math.trunc(c.offset / 60);
        if (zone < 0) {
          out += '-';
          zone = -zone;
        } else out += '+';
        out += pad(Math.floor(zone / 60), 2) + pad(zone % 60, 2);
        break;
      }
      case 'fracSecond0':
      case 'fracSecond9':
        out += appendNano(t.nsec, std);
        break;
    }
  }
  return out;
}

function timeString(t: GoTime): string {
  let s = formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (t.mono !== undefined) {
    let m = t.mono;
    const sign = m < 0n ? '-' : '+';
    if (m < 0n) m = -m;
    const m2 = m % NS;
    const m1all = m / NS;
    const m0 = m1all / NS;
    const m1 = m1all % NS;
    s += ' m=' + sign + (m0 !== 0n ? String(m0) + String(m1).padStart(9, '0') : String(m1)) + '.' + String(m2).padStart(9, '0');
  }
  return s;
}

/** time.ParseError. */
export class TimeParseError extends Error {
  override readonly name = 'TimeParseError';
}

function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): TimeParseError {
  if (message === '') {
    return new TimeParseError(`parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`);
  }
  return new TimeParseError(`parsing time ${timeQuote(value)}${message}`);
}

const BAD = Symbol('bad');

function getnum(s: string, fixed: boolean): [number, string] | typeof BAD {
  if (!isDigitAt(s, 0)) return BAD;
  if (!isDigitAt(s, 1)) {
    if (fixed) return BAD;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] | typeof BAD {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) return BAD;
  return [n, s.slice(i)];
}

function lookupName(tab: string[], val: string): [number, string] | typeof BAD {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase()) {
      // Go folds ASCII letters only; the names are ASCII, so a non-ASCII value never matches them anyway.
      if (/^[\x00-\x7f]*$/.test(val.slice(0, v.length))) return [i, val.slice(v.length)];
    }
  }
  return BAD;
}

/** time's atoi: optional sign, decimal digits only. */
function atoi(s: string): number | typeof BAD {
  let neg = false;
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '' || !/^[0-9]+$/.test(s)) return BAD;
  const x = Number(s);
  return neg ? -x : x;
}

function parseNanoseconds(value: string, nbytes: number): { ns: number; range: string } | typeof BAD {
  if (value[0] !== '.' && value[0] !== ',') return BAD;
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  const ns = atoi(value.slice(1, nbytes));
  if (ns === BAD) return BAD;
  if (ns < 0) return { ns: 0, range: 'fractional second' };
  return { ns: ns * 10 ** (10 - nbytes), range: '' };
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

function skip(value: string, prefix: string): [string, boolean] {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return [value, false];
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return [value, false];
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return [value, true];
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  let i = 1;
  let x = 0;
  while (i < value.length && isDigitAt(value, i)) {
    x = x * 10 + value.charCodeAt(i) - 48;
    i++;
  }
  if (i === 1 || x > 12) return 0;
  return i;
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.length >= 4 && (value.startsWith('ChST') || value.startsWith('MeST'))) return 4;
  if (value.startsWith('GMT')) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value[nUpper]!;
    if (c < 'A' || c > 'Z') break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === 'T' ? 5 : 0;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

/** time.ParseInLocation (loc is both the default and the "local" zone, as ParseInLocation passes them). */
export function parseTime(layout: string, value: string, loc: GoLocation): GoTime {
  const alayout = layout;
  const avalue = value;
  let rangeErr = '';
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = '';
  for (;;) {
    const [prefix, std, suffix] = nextStdChunk(layout);
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    let ok: boolean;
    [value, ok] = skip(value, prefix);
    if (!ok) throw parseError(alayout, avalue, prefix, value, '');
    if (!std) {
      if (value.length !== 0) throw parseError(alayout, avalue, '', value, ': extra text: ' + timeQuote(value));
      break;
    }
    layout = suffix;
    const hold = value;
    let bad = false;
    const num = (r: [number, string] | typeof BAD): number => {
      if (r === BAD) {
        bad = true;
        return 0;
      }
      value = r[1];
      return r[0];
    };
    switch (std.k) {
      case 'year': {
        if (value.length < 2) {
          bad = true;
          break;
        }
        const p = value.slice(0, 2);
        value = value.slice(2);
        const y = atoi(p);
        if (y === BAD) bad = true;
        else year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case 'longYear': {
        if (value.length < 4 || !isDigitAt(value, 0)) {
          bad = true;
          break;
        }
        const y = atoi(value.slice(0, 4));
        value = value.slice(4);
        if (y === BAD) bad = true;
        else year = y;
        break;
      }
      case 'month':
        month = num(lookupName(SHORT_MONTHS, value)) + 1;
        break;
      case 'longMonth':
        month = num(lookupName(LONG_MONTHS, value)) + 1;
        break;
      case 'numMonth':
      case 'zeroMonth':
        month = num(getnum(value, std.k === 'zeroMonth'));
        if (!bad && (month <= 0 || month > 12)) rangeErr = 'month';
        break;
      case 'weekDay':
        num(lookupName(SHORT_DAYS, value));
        break;
      case 'longWeekDay':
        num(lookupName(LONG_DAYS, value));
        break;
      case 'day':
      case 'underDay':
      case 'zeroDay':
        if (std.k === 'underDay' && value[0] === ' ') value = value.slice(1);
        day = num(getnum(value, std.k === 'zeroDay'));
        break;
      case 'underYearDay':
      case 'zeroYearDay':
        for (let i = 0; i < 2; i++) if (std.k === 'underYearDay' && value[0] === ' ') value = value.slice(1);
        yday = num(getnum3(value, std.k === 'zeroYearDay'));
        break;
      case 'hour':
        hour = num(getnum(value, false));
        if (hour < 0 || hour >= 24) rangeErr = 'hour';
        break;
      case 'hour12':
      case 'zeroHour12':
        hour = num(getnum(value, std.k === 'zeroHour12'));
        if (hour < 0 || hour > 12) rangeErr = 'hour';
        break;
      case 'minute':
      case 'zeroMinute':
        min = num(getnum(value, std.k === 'zeroMinute'));
        if (min < 0 || min >= 60) rangeErr = 'minute';
        break;
      case 'second':
      case 'zeroSecond': {
        sec = num(getnum(value, std.k === 'zeroSecond'));
        if (bad) break;
        if (sec < 0 || sec >= 60) {
          rangeErr = 'second';
          break;
        }
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          const next = nextStdChunk(layout)[1];
          if (next && (next.k === 'fracSecond0' || next.k === 'fracSecond9')) break;
          let n = 2;
          while (n < value.length && isDigitAt(value, n)) n++;
          const r = parseNanoseconds(value, n);
          if (r === BAD) bad = true;
          else {
            nsec = r.ns;
            rangeErr = r.range;
          }
          value = value.slice(n);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        if (value.length < 2) {
          bad = true;
          break;
        }
        const p = value.slice(0, 2);
        value = value.slice(2);
        const [am, pm] = std.k === 'PM' ? ['AM', 'PM'] : ['am', 'pm'];
        if (p === pm) pmSet = true;
        else if (p === am) amSet = true;
        else bad = true;
        break;
      }
      case 'iso8601TZ':
      case 'iso8601ShortTZ':
      case 'iso8601ColonTZ':
      case 'iso8601SecondsTZ':
      case 'iso8601ColonSecondsTZ':
      case 'numTZ':
      case 'numShortTZ':
      case 'numColonTZ':
      case 'numSecondsTz':
      case 'numColonSecondsTZ': {
        const k = std.k;
        if (k.startsWith('iso8601') && value.length >= 1 && value[0] === 'Z') {
          value = value.slice(1);
          z = UTC;
          break;
        }
        let sign: string, hh: string, mm: string, ss: string;
        if (k === 'iso8601ColonTZ' || k === 'numColonTZ') {
          if (value.length < 6 || value[3] !== ':') {
            bad = true;
            break;
          }
          [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), '00', value.slice(6)];
        } else if (k === 'numShortTZ' || k === 'iso8601ShortTZ') {
          if (value.length < 3) {
            bad = true;
            break;
          }
          [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), '00', '00', value.slice(3)];
        } else if (k === 'iso8601ColonSecondsTZ' || k === 'numColonSecondsTZ') {
          if (value.length < 9 || value[3] !== ':' || value[6] !== ':') {
            bad = true;
            break;
          }
          [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
        } else if (k === 'iso8601SecondsTZ' || k === 'numSecondsTz') {
          if (value.length < 7) {
            bad = true;
            break;
          }
          [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
        } else {
          if (value.length < 5) {
            bad = true;
            break;
          }
          [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), '00', value.slice(5)];
        }
        const h = getnum(hh, true);
        const m = h === BAD ? BAD : getnum(mm, true);
        const s2 = m === BAD ? BAD : getnum(ss, true);
        if (h === BAD || m === BAD || s2 === BAD) {
          bad = true;
          break;
        }
        if (h[0] > 24) rangeErr = 'time zone offset hour';
        if (m[0] > 60) rangeErr = 'time zone offset minute';
        if (s2[0] > 60) rangeErr = 'time zone offset second';
        zoneOffset = (h[0] * 60 + m[0]) * 60 + s2[0];
        if (sign === '-') zoneOffset = -zoneOffset;
        else if (sign !== '+') bad = true;
        break;
      }
      case 'TZ': {
        if (value.length >= 3 && value.startsWith('UTC')) {
          z = UTC;
          value = value.slice(3);
          break;
        }
        const n = parseTimeZone(value);
        if (n === 0) {
          bad = true;
          break;
        }
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case 'fracSecond0': {
        const ndigit = 1 + std.digits;
        if (value.length < ndigit) {
          bad = true;
          break;
        }
        const r = parseNanoseconds(value, ndigit);
        if (r === BAD) bad = true;
        else {
          nsec = r.ns;
          rangeErr = r.range;
        }
        value = value.slice(ndigit);
        break;
      }
      case 'fracSecond9': {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
        let i = 0;
        while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
        const r = parseNanoseconds(value, 1 + i);
        if (r === BAD) bad = true;
        else {
          nsec = r.ns;
          rangeErr = r.range;
        }
        value = value.slice(1 + i);
        break;
      }
    }
    if (rangeErr !== '') throw parseError(alayout, avalue, stdstr, value, ': ' + rangeErr + ' out of range');
    if (bad) throw parseError(alayout, avalue, stdstr, hold, '');
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw parseError(alayout, avalue, '', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) throw parseError(alayout, avalue, '', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw parseError(alayout, avalue, '', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(alayout, avalue, '', value, ': day out of range');

  if (z) return makeDate(year, month, day, hour, min, sec, nsec, z);
  if (zoneOffset !== -1) {
    const t = makeDate(year, month, day, hour, min, sec, nsec, UTC);
    const unix = t.sec - zoneOffset;
    const l = loc.lookup(unix);
    if (l.offset === zoneOffset && (zoneName === '' || l.name === zoneName)) return new GoTime(unix, t.nsec, loc);
    return new GoTime(unix, t.nsec, fixedZone(zoneName, zoneOffset));
  }
  if (zoneName !== '') {
    const t = makeDate(year, month, day, hour, min, sec, nsec, UTC);
    const offset = loc.lookupName(zoneName, t.sec);
    if (offset !== undefined) return new GoTime(t.sec - offset, t.nsec, loc);
    let off = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) off = Number(zoneName.slice(3)) * 3600;
    // Go records the offset without moving the instant: the wall clock read as UTC, shown in the fake zone.
    return new GoTime(t.sec, t.nsec, fixedZone(zoneName, off));
  }
  return makeDate(year, month, day, hour, min, sec, nsec, loc);
}

// ---------------------------------------------------------------------------------------------------------------
// Methods of time.Time (value receiver; the receiver comes first)

const int = (n: number): GoInt => new GoInt(n, 'int');
const i64 = (n: number | bigint): GoInt => new GoInt(n, 'int64');
const T = 'time.Time';

function roundTime(t: GoTime, d: bigint, round: boolean): GoTime {
  const stripped = new GoTime(t.sec, t.nsec, t.loc);
  if (d <= 0n) return stripped;
  const abs = (BigInt(t.sec) + BigInt(ZERO_TO_UNIX)) * NS + BigInt(t.nsec);
  let r = abs % d;
  if (r < 0n) r += d;
  if (!round || r + r < d) return stripped.add(-r);
  return stripped.add(d - r);
}

function marshalTime(t: GoTime, what: string): string {
  const y = t.civil().year;
  if (y < 0 || y > 9999) throw new Error(`${what}: year outside of range [0,9999]`);
  return formatTime(t, '2006-01-02T15:04:05.999999999Z07:00');
}

const TIME_METHODS: Record<string, GoFunc> = {
  String: gofn([], (t: GoTime) => timeString(t), undefined, 'string'),
  Format: gofn(['string'], (t: GoTime, layout: string) => formatTime(t, layout), undefined, 'string'),
  Year: gofn([], (t: GoTime) => int(t.civil().year), undefined, 'int'),
  Month: gofn([], (t: GoTime) => new GoInt(t.civil().month, 'int', MONTH_TYPE), undefined, 'time.Month'),
  Day: gofn([], (t: GoTime) => int(t.civil().day), undefined, 'int'),
  Hour: gofn([], (t: GoTime) => int(t.civil().hour), undefined, 'int'),
  Minute: gofn([], (t: GoTime) => int(t.civil().min), undefined, 'int'),
  Second: gofn([], (t: GoTime) => int(t.civil().sec), undefined, 'int'),
  Nanosecond: gofn([], (t: GoTime) => int(t.nsec), undefined, 'int'),
  YearDay: gofn([], (t: GoTime) => int(t.civil().yday), undefined, 'int'),
  Weekday: gofn([], (t: GoTime) => new GoInt(t.civil().weekday, 'int', WEEKDAY_TYPE), undefined, 'time.Weekday'),
  Unix: gofn([], (t: GoTime) => i64(t.sec), undefined, 'int64'),
  UnixMilli: gofn([], (t: GoTime) => i64(t.unixNano() / 1000000n), undefined, 'int64'),
  UnixMicro: gofn([], (t: GoTime) => i64(t.unixNano() / 1000n), undefined, 'int64'),
  UnixNano: gofn([], (t: GoTime) => i64(t.unixNano()), undefined, 'int64'),
  UTC: gofn([], (t: GoTime) => t.withLoc(UTC), undefined, T),
  Local: gofn([], (t: GoTime) => t.withLoc(localLocation()), undefined, T),
  In: gofn(['*time.Location'], (t: GoTime, loc: GoLocation | null) => {
    if (loc === null) throw new Error('time: missing Location in call to Time.In');
    return t.withLoc(loc);
  }, undefined, T),
  Location: gofn([], (t: GoTime) => t.loc, undefined, '*time.Location'),
  IsDST: gofn([], (t: GoTime) => t.loc.lookup(t.sec).isDST, undefined, 'bool'),
  IsZero: gofn([], (t: GoTime) => t.isZero(), undefined, 'bool'),
  Add: gofn(['time.Duration'], (t: GoTime, d: GoInt) => t.add(d.value), undefined, T),
  AddDate: gofn(['int', 'int', 'int'], (t: GoTime, y: GoInt, m: GoInt, d: GoInt) => {
    const c = t.civil();
    return makeDate(c.year + y.toNumber(), c.month + m.toNumber(), c.day + d.toNumber(), c.hour, c.min, c.sec, t.nsec, t.loc);
  }, undefined, T),
  Sub: gofn([T], (t: GoTime, u: GoTime) => duration(t.sub(u)), undefined, 'time.Duration'),
  Before: gofn([T], (t: GoTime, u: GoTime) => t.sub(u) < 0n, undefined, 'bool'),
  After: gofn([T], (t: GoTime, u: GoTime) => t.sub(u) > 0n, undefined, 'bool'),
  Equal: gofn([T], (t: GoTime, u: GoTime) => t.sub(u) === 0n, undefined, 'bool'),
  Compare: gofn([T], (t: GoTime, u: GoTime) => {
    const d = t.sub(u);
    return int(d < 0n ? -1 : d > 0n ? 1 : 0);
  }, undefined, 'int'),
  Round: gofn(['time.Duration'], (t: GoTime, d: GoInt) => roundTime(t, d.value, true), undefined, T),
  Truncate: gofn(['time.Duration'], (t: GoTime, d: GoInt) => roundTime(t, d.value, false), undefined, T),
  MarshalJSON: gofn([], (t: GoTime) => utf8Bytes('"' + marshalTime(t, 'Time.MarshalJSON') + '"'), undefined, '[]uint8'),
  MarshalText: gofn([], (t: GoTime) => utf8Bytes(marshalTime(t, 'Time.MarshalText')), undefined, '[]uint8'),
};
