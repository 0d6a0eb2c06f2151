// Sprig date functions and the Go time model, against outputs of the real helm v4.1.4 (shared/vectors category
// "date" and further cases rendered with the same binary, TZ=UTC).
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateFuncs } from '../../src/template/funcs/date.js';
import { GoTime, parseDuration, formatDuration } from '../../src/template/funcs/gotime.js';
import { GoInt, GoStruct, typeName, type GoValue } from '../../src/template/value.js';

const f = (n: string, ...a: GoValue[]): GoValue => dateFuncs[n]!.fn(...a);
const td = (l: string, v: string): GoTime => f('toDate', l, v) as GoTime;
function m(t: GoValue, n: string, ...a: GoValue[]): GoValue {
  if (t instanceof GoInt) return t.named!.methods![n]!.fn(t, ...a);
  return (t as GoTime).method(n)!.fn(...a);
}
function s(v: GoValue): string {
  if (v instanceof GoStruct) return v.goString!();
  if (v instanceof GoInt) return v.named?.stringer ? v.named.stringer(v) : String(v.value);
  return String(v);
}
const i64 = (n: bigint | number): GoInt => new GoInt(n, 'int64');

test('toDate / mustToDate (layouts, zones, errors)', () => {
  const rows: [string, string, string][] = [
    ['2006-01-02', '2024-03-05', '2024-03-05 00:00:00 +0000 UTC'],
    ['2006-01-02', 'nope', '0001-01-01 00:00:00 +0000 UTC'],
    ['2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30+02:00', '2024-03-05 10:20:30 +0200 +0200'],
    ['2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30Z', '2024-03-05 10:20:30 +0000 UTC'],
    ['Jan 2 2006 3:04pm', 'Mar 5 2024 1:20pm', '2024-03-05 13:20:00 +0000 UTC'],
    ['2006-01-02 MST', '2024-03-05 EST', '2024-03-05 00:00:00 +0000 EST'],
    ['2006-01-02 MST', '2024-03-05 GMT+3', '2024-03-05 03:00:00 +0300 GMT+3'],
    ['2006-01-02 -0700 MST', '2024-03-05 +0100 CET', '2024-03-05 00:00:00 +0100 CET'],
    ['15:04:05', '10:20:30.5', '0000-01-01 10:20:30.5 +0000 UTC'],
    ['2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30.123456789Z', '2024-03-05 10:20:30.123456789 +0000 UTC'],
    ['02 Jan 06 15:04 MST', '05 Mar 24 10:20 PST', '2024-03-05 10:20:00 +0000 PST'],
    ['2006-01-02', '0000-01-01', '0000-01-01 00:00:00 +0000 UTC'],
    ['2006-01-02', '9999-12-31', '9999-12-31 00:00:00 +0000 UTC'],
    ['2006-002', '2024-060', '2024-02-29 00:00:00 +0000 UTC'],
    ['Monday, 02-Jan-06', 'tuesday, 05-MAR-24', '2024-03-05 00:00:00 +0000 UTC'],
    ['3:04:05 PM', '12:00:00 AM', '0000-01-01 00:00:00 +0000 UTC'],
    ['_2 Jan', ' 5 Mar', '0000-03-05 00:00:00 +0000 UTC'],
  ];
  for (const [l, v, want] of rows) assert.equal(s(td(l, v)), want, `${l} | ${v}`);
  assert.equal(typeName(td('2006-01-02', '2024-03-05')), 'time.Time');
  assert.equal(m(td('2006', 'bad'), 'IsZero'), true);
  assert.equal(s(f('mustToDate', '2006-01-02', '2024-03-05')), '2024-03-05 00:00:00 +0000 UTC');
  const errs: [string, string, string][] = [
    ['2006-01-02', 'nope', 'parsing time "nope" as "2006-01-02": cannot parse "nope" as "2006"'],
    ['2006-01-02', '2024-02-30', 'parsing time "2024-02-30": day out of range'],
    ['2006-01-02', '2024-13-01', 'parsing time "2024-13-01": month out of range'],
    ['2006-01-02', '2024-03-05x', 'parsing time "2024-03-05x": extra text: "x"'],
    ['2006-01-02', '2024/03/05', 'parsing time "2024/03/05" as "2006-01-02": cannot parse "/03/05" as "-"'],
    ['15:04', '25:00', 'parsing time "25:00": hour out of range'],
  ];
  for (const [l, v, want] of errs) assert.throws(() => f('mustToDate', l, v), (e: Error) => e.message === want, `${l} | ${v}`);
});

test('time.Time methods and Format', () => {
  const t = td('2006-01-02 15:04:05.000000', '2024-03-05 10:20:30.123456');
  assert.equal(s(t), '2024-03-05 10:20:30.123456 +0000 UTC');
  assert.equal(s(m(t, 'Nanosecond')), '123456000');
  assert.equal(s(m(t, 'Weekday')), 'Tuesday');
  assert.equal(s(m(t, 'UnixNano')), '1709634030123456000');
  assert.equal(
    m(t, 'Format', 'Mon Monday Jan January 1 01 2 02 _2 3 03 15 4 04 5 05 06 2006 PM pm MST -0700 -07:00 -07 Z07:00 Z0700 .000 .999 .9 ,000 002 __2'),
    'Tue Tuesday Mar March 3 03 5 05  5 10 10 10 20 20 30 30 24 2024 AM am UTC +0000 +00:00 +00 Z Z .123 .123 .1 ,123 065  65',
  );
  const d = td('2006-01-02', '2024-03-05');
  assert.equal(s(m(d, 'Year')), '2024');
  assert.equal(s(m(d, 'YearDay')), '65');
  assert.equal(s(m(d, 'Unix')), '1709596800');
  assert.equal(typeName(m(d, 'Unix')), 'int64');
  assert.equal(typeName(m(d, 'Day')), 'int');
  assert.equal(m(d, 'Format', 'Jan 2, 2006'), 'Mar 5, 2024');
  assert.equal(m(m(d, 'AddDate', new GoInt(0), new GoInt(1), new GoInt(0)), 'Format', '2006-01-02'), '2024-04-05');
  assert.equal(s(m(td('2006-01-02', '2024-01-31'), 'AddDate', new GoInt(0), new GoInt(1), new GoInt(0))), '2024-03-02 00:00:00 +0000 UTC');
  const month = m(d, 'Month') as GoInt;
  assert.equal(s(month), 'March');
  assert.equal(month.value, 3n);
  assert.equal(typeName(month), 'time.Month');
  assert.equal(month.kind, 'int');
  assert.equal(typeName(m(d, 'Weekday')), 'time.Weekday');
  assert.equal(s(m(td('2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30+02:00'), 'UTC')), '2024-03-05 08:20:30 +0000 UTC');
  assert.equal(s(m(d, 'Add', i64(5400000000000n))), '2024-03-05 01:30:00 +0000 UTC');
  const sub = m(d, 'Sub', td('2006-01-02', '2024-01-01'));
  assert.equal(s(sub), '1536h0m0s');
  assert.equal(typeName(sub), 'time.Duration');
  assert.equal(m(sub, 'Hours'), 1536);
  assert.equal(m(d, 'Before', td('2006-01-02', '2024-03-06')), true);
  assert.equal(m(d, 'After', td('2006-01-02', '2024-03-06')), false);
  assert.equal(m(d, 'Equal', td('2006-01-02', '2024-03-05')), true);
  assert.equal(s(m(d, 'Compare', td('2006-01-02', '2024-03-06'))), '-1');
  const t2 = td('2006-01-02 15:04:05', '2024-03-05 10:20:30');
  assert.equal(s(m(t2, 'Round', i64(3600000000000n))), '2024-03-05 10:00:00 +0000 UTC');
  assert.equal(s(m(t2, 'Truncate', i64(3600000000000n))), '2024-03-05 10:00:00 +0000 UTC');
  assert.equal(s(m(d, 'Location')), 'UTC');
  assert.equal(s(m(td('2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30+02:00'), 'Location')), '');
  assert.equal(Buffer.from(m(td('2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30.5+02:00'), 'MarshalJSON') as Uint8Array).toString(), '"2024-03-05T10:20:30.5+02:00"');
  assert.equal(Buffer.from(m(td('2006-01-02', '2024-01-02'), 'MarshalJSON') as Uint8Array).toString(), '"2024-01-02T00:00:00Z"');
  const n = f('now') as GoTime;
  assert.equal(typeName(n), 'time.Time');
  assert.match(s(n), /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ \+0000 UTC m=\+[0-9]+\.[0-9]{9}$/);
  assert.equal(s(m(n, 'Sub', n)), '0s');
});

test('date, dateInZone, htmlDate, unixEpoch', () => {
  const noon = td('2006-01-02 15:04:05', '2024-07-01 12:34:56');
  assert.equal(f('date', '15:04:05.000', noon), '12:34:56.000');
  assert.equal(f('date', '2006-01-02T15:04:05Z07:00', new GoInt(0)), '1970-01-01T00:00:00Z');
  assert.equal(f('date', '2006-01-02 15:04', i64(1700000000)), '2023-11-14 22:13');
  assert.equal(f('date', '2006', new GoInt(0)), '1970');
  assert.equal((f('date', '2006-01-02', 1.5) as string).length, 10);
  assert.equal(f('dateInZone', '2006-01-02 15:04 MST', noon, 'America/New_York'), '2024-07-01 08:34 EDT');
  assert.equal(f('dateInZone', '2006-01-02 15:04 -0700', noon, 'Asia/Kolkata'), '2024-07-01 18:04 +0530');
  assert.equal(f('dateInZone', '2006-01-02 15:04 MST', noon, 'Not/AZone'), '2024-07-01 12:34 UTC');
  assert.equal(f('date_in_zone', '15:04', noon, 'Asia/Tokyo'), '21:34');
  assert.equal(f('htmlDateInZone', noon, 'Pacific/Auckland'), '2024-07-02');
  assert.equal(f('htmlDate', new GoInt(0)), '1970-01-01');
  assert.equal(f('htmlDateInZone', new GoInt(0), 'Bad/Zone'), '1970-01-01');
  const jan = td('2006-01-02', '2024-01-15');
  const jul = td('2006-01-02', '2024-07-15');
  assert.equal(f('dateInZone', '2006-01-02 15:04:05 MST', jan, 'Europe/Berlin'), '2024-01-15 01:00:00 CET');
  assert.equal(f('dateInZone', '2006-01-02 15:04:05 MST', jul, 'Europe/Berlin'), '2024-07-15 02:00:00 CEST');
  assert.equal(f('dateInZone', '2006-01-02 15:04 MST', jul, 'Asia/Dubai'), '2024-07-15 04:00 +04');
  assert.equal(f('dateInZone', 'MST', jul, 'Asia/Kolkata'), 'IST');
  assert.equal(f('dateInZone', 'MST -07:00', jul, 'Australia/Sydney'), 'AEST +10:00');
  assert.equal(f('dateInZone', 'MST', td('2006-01-02', '2040-07-15'), 'America/New_York'), 'EDT');
  assert.equal(f('dateInZone', 'MST', td('2006-01-02', '1900-07-15'), 'America/New_York'), 'EST');
  assert.equal(f('dateInZone', '15:04 MST', td('2006-01-02', '1800-07-15'), 'Europe/Paris'), '00:09 LMT');
  assert.deepEqual(['Local', '', 'UTC', 'EST', 'Etc/GMT+5'].map((z) => f('dateInZone', 'MST', new GoInt(0), z)), ['UTC', 'UTC', 'UTC', 'EST', '-05']);
  assert.equal(f('unixEpoch', td('2006-01-02', '2024-03-05')), '1709596800');
  assert.equal(f('unixEpoch', td('2006-01-02', '1960-03-05')), '-310089600');
});

test('dateModify, duration, durationRound', () => {
  const d = td('2006-01-02', '2024-03-05');
  assert.equal(s(f('date_modify', '2h', d)), '2024-03-05 02:00:00 +0000 UTC');
  assert.equal(s(f('must_date_modify', '1s', d)), '2024-03-05 00:00:01 +0000 UTC');
  assert.equal(s(f('dateModify', 'bogus', d)), '2024-03-05 00:00:00 +0000 UTC');
  assert.equal(s(f('dateModify', '-1.5h', d)), '2024-03-04 22:30:00 +0000 UTC');
  assert.equal(s(f('mustDateModify', '1µs', d)), '2024-03-05 00:00:00.000001 +0000 UTC');
  for (const [arg, msg] of [
    ['bogus', 'time: invalid duration "bogus"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['1', 'time: missing unit in duration "1"'],
    ['', 'time: invalid duration ""'],
  ] as const) {
    assert.throws(() => f('mustDateModify', arg, d), (e: Error) => e.message === msg, arg);
  }
  const durs: [GoValue, string][] = [
    [new GoInt(90), '0s'],
    [i64(90), '1m30s'],
    ['90', '1m30s'],
    ['3600', '1h0m0s'],
    [new GoInt(0), '0s'],
    [new GoInt(86400), '0s'],
    [new GoInt(-5), '0s'],
    [1.5, '0s'],
    ['1', '1s'],
    ['-1', '-1s'],
    ['0', '0s'],
    ['9223372036', '2562047h47m16s'],
    [i64(1), '1s'],
    ['x', '0s'],
  ];
  for (const [arg, want] of durs) assert.equal(f('duration', arg), want, `duration ${String(arg)}`);
  const rounds: [GoValue, string][] = [
    ['2h10m5s', '2h'],
    ['3000h', '4mo'],
    ['8760h', '12mo'],
    ['25h', '1d'],
    ['59s', '59s'],
    ['0s', '0s'],
    [i64(3600000000000n), '60m'],
    ['bogus', '0s'],
    ['-2h', '2h'],
    ['1.5ms', '0s'],
    ['1000h', '1mo'],
    ['8761h', '1y'],
    ['720h', '30d'],
    ['721h', '1mo'],
    ['61s', '1m'],
    ['1s', '0s'],
  ];
  for (const [arg, want] of rounds) assert.equal(f('durationRound', arg), want, `durationRound ${String(arg)}`);
  // A time.Duration is neither int64 nor string for Sprig: 0s.
  const zero = m(f('now'), 'Sub', f('now'));
  assert.equal(f('duration', zero), '0s');
});

test('ParseDuration and Duration.String', () => {
  assert.equal(formatDuration(parseDuration('1h2m3.5s')), '1h2m3.5s');
  assert.equal(formatDuration(parseDuration('1.5ms')), '1.5ms');
  assert.equal(formatDuration(parseDuration('-90s')), '-1m30s');
  assert.equal(formatDuration(1500n), '1.5µs');
  assert.equal(formatDuration(0n), '0s');
});
