// Sprig v3.3.0's date functions (date.go) over the Go time model of ./gotime.ts.
import { type GoFunc, type GoValue, GoInt, gofn } from '../value.js';
import { GoTime, UTC, ZERO_TIME, duration, formatDuration, formatTime, loadLocation, localLocation, now, parseDuration, parseTime, unixTime } from './gotime.js';

/** The time Sprig's date/dateInZone/htmlDate use: time.Time as is, int/int32/int64 as Unix seconds, else now. */
function asTime(v: GoValue): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof GoInt && v.named === undefined && (v.kind === 'int' || v.kind === 'int64' || v.kind === 'int32')) return unixTime(v.toNumber());
  return now();
}

function dateInZone(layout: string, date: GoValue, zone: string): string {
  const loc = loadLocation(zone) ?? UTC;
  return formatTime(asTime(date).withLoc(loc), layout);
}

function dateModify(fmt: string, date: GoTime): GoTime {
  let d: bigint;
  try {
    d = parseDuration(fmt);
  } catch {
    return date;
  }
  return date.add(d);
}

function mustDateModify(fmt: string, date: GoTime): GoTime {
  return date.add(parseDuration(fmt));
}

function ago(date: GoValue): string {
  let t: GoTime;
  if (date instanceof GoTime) t = date;
  else if (date instanceof GoInt && date.named === undefined && (date.kind === 'int' || date.kind === 'int64')) t = unixTime(date.toNumber());
  else t = now();
  const since = duration(now().sub(t));
  return formatDuration(roundDuration(since.value, 1_000_000_000n));
}

function roundDuration(d: bigint, m: bigint): bigint {
  let r = d % m;
  if (d < 0n) {
    r = -r;
    return r + r < m ? d + r : d - m + r;
  }
  return r + r < m ? d - r : d + m - r;
}

function durationString(sec: GoValue): string {
  let n = 0n;
  if (typeof sec === 'string') {
    if (/^[+-]?[0-9]+$/.test(sec)) {
      const v = BigInt(sec);
      // strconv.ParseInt saturates out-of-range values.
      n = v < -(1n << 63n) ? -(1n << 63n) : v >= 1n << 63n ? (1n << 63n) - 1n : v;
    }
  } else if (sec instanceof GoInt && sec.kind === 'int64' && sec.named === undefined) n = sec.value;
  return formatDuration(BigInt.asIntN(64, n * 1_000_000_000n));
}

const YEAR = 365n * 24n * 3600n * 1_000_000_000n;
const MONTH = 30n * 24n * 3600n * 1_000_000_000n;
const DAY = 24n * 3600n * 1_000_000_000n;
const HOUR = 3600n * 1_000_000_000n;
const MINUTE = 60n * 1_000_000_000n;
const SECOND = 1_000_000_000n;

function durationRound(v: GoValue): string {
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoInt && v.kind === 'int64' && v.named === undefined) d = v.value;
  else if (v instanceof GoTime) d = now().sub(v);
  const u = BigInt.asUintN(64, d < 0n ? -d : d);
  if (u > YEAR) return `${u / YEAR}y`;
  if (u > MONTH) return `${u / MONTH}mo`;
  if (u > DAY) return `${u / DAY}d`;
  if (u > HOUR) return `${u / HOUR}h`;
  if (u > MINUTE) return `${u / MINUTE}m`;
  if (u > SECOND) return `${u / SECOND}s`;
  return '0s';
}

function toDate(layout: string, value: string): GoTime {
  try {
    return parseTime(layout, value, localLocation());
  } catch {
    return ZERO_TIME;
  }
}

const T = 'time.Time';

export const dateFuncs: Record<string, GoFunc> = {
  ago: gofn(['any'], ago, undefined, 'string'),
  date: gofn(['string', 'any'], (layout: string, d: GoValue) => dateInZone(layout, d, 'Local'), undefined, 'string'),
  date_in_zone: gofn(['string', 'any', 'string'], dateInZone, undefined, 'string'),
  dateInZone: gofn(['string', 'any', 'string'], dateInZone, undefined, 'string'),
  date_modify: gofn(['string', T], dateModify, undefined, T),
  dateModify: gofn(['string', T], dateModify, undefined, T),
  must_date_modify: gofn(['string', T], mustDateModify, undefined, T),
  mustDateModify: gofn(['string', T], mustDateModify, undefined, T),
  duration: gofn(['any'], durationString, undefined, 'string'),
  durationRound: gofn(['any'], durationRound, undefined, 'string'),
  htmlDate: gofn(['any'], (d: GoValue) => dateInZone('2006-01-02', d, 'Local'), undefined, 'string'),
  htmlDateInZone: gofn(['any', 'string'], (d: GoValue, zone: string) => dateInZone('2006-01-02', d, zone), undefined, 'string'),
  mustToDate: gofn(['string', 'string'], (layout: string, value: string) => parseTime(layout, value, localLocation()), undefined, T),
  now: gofn([], now, undefined, T),
  toDate: gofn(['string', 'string'], toDate, undefined, T),
  unixEpoch: gofn([T], (t: GoTime) => String(t.sec), undefined, 'string'),
};
