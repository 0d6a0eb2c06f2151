// Sprig's string functions (strings.go and the string entries of functions.go), with the Go library behaviour
// they inherit: strings.* work on UTF-8 bytes and runes, goutils (Masterminds/goutils) and huandu/xstrings
// supply the word and case helpers.
//
// Go strings are byte sequences; ours are JavaScript strings. Functions that slice at byte offsets (trunc,
// substr, abbrev, wrap) work on the UTF-8 encoding and decode the result, so a cut inside a multi-byte character
// shows as U+FFFD where Go would keep the raw byte.
import { randomInt } from 'node:crypto';
import { type GoFunc, type GoValue, GoInt, gofn, newMap, stringSlice, utf8Bytes, bytesToString, compareGoStrings } from '../value.js';
import { quote as goQuote, sprint } from '../fmt.js';
import { strval, strslice, isStringSlice, reflectKind } from './cast.js';

// ---------------------------------------------------------------------------------------------------------------
// Unicode predicates and simple case mappings, as Go's unicode package defines them.

const RE_UPPER = /^\p{Lu}$/u;
const RE_LOWER = /^\p{Ll}$/u;
const RE_TITLE = /^\p{Lt}$/u;
const RE_LETTER = /^\p{L}$/u;
const RE_DIGIT = /^\p{Nd}$/u;
const RE_NUMBER = /^\p{N}$/u;
const RE_PUNCT = /^\p{P}$/u;
const RE_SPACE = /^\p{White_Space}$/u;

/** unicode.IsSpace. */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return RE_SPACE.test(String.fromCodePoint(r));
}
/** unicode.IsUpper. */
export function isUpper(r: number): boolean {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a;
  return RE_UPPER.test(String.fromCodePoint(r));
}
/** unicode.IsLower. */
export function isLower(r: number): boolean {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a;
  return RE_LOWER.test(String.fromCodePoint(r));
}
/** unicode.IsTitle. */
export function isTitle(r: number): boolean {
  if (r < 0x80) return false;
  return RE_TITLE.test(String.fromCodePoint(r));
}
/** unicode.IsLetter. */
export function isLetter(r: number): boolean {
  if (r < 0x80) return (r | 0x20) >= 0x61 && (r | 0x20) <= 0x7a;
  return RE_LETTER.test(String.fromCodePoint(r));
}
/** unicode.IsDigit (Nd). */
export function isDigit(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return RE_DIGIT.test(String.fromCodePoint(r));
}
/** unicode.IsNumber (N). */
export function isNumber(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return RE_NUMBER.test(String.fromCodePoint(r));
}
/** unicode.IsPunct (P). */
export function isPunct(r: number): boolean {
  return RE_PUNCT.test(String.fromCodePoint(r));
}

// JavaScript applies full case mappings (SpecialCasing); Go uses the simple one-to-one mappings. Where the full
// mapping yields several characters, the simple mapping is either the identity or one of these.
function simpleUpperException(r: number): number | undefined {
  if ((r >= 0x1f80 && r <= 0x1f87) || (r >= 0x1f90 && r <= 0x1f97) || (r >= 0x1fa0 && r <= 0x1fa7)) return r + 8;
  if (r === 0x1fb3) return 0x1fbc;
  if (r === 0x1fc3) return 0x1fcc;
  if (r === 0x1ff3) return 0x1ffc;
  return undefined;
}

/** unicode.ToUpper. */
export function toUpperRune(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  const ex = simpleUpperException(r);
  if (ex !== undefined) return ex;
  const u = String.fromCodePoint(r).toUpperCase();
  const cp = u.codePointAt(0)!;
  return u.length === (cp > 0xffff ? 2 : 1) ? cp : r;
}

/** unicode.ToLower. */
export function toLowerRune(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  if (r === 0x130) return 0x69;
  const l = String.fromCodePoint(r).toLowerCase();
  const cp = l.codePointAt(0)!;
  return l.length === (cp > 0xffff ? 2 : 1) ? cp : r;
}

/** unicode.ToTitle. */
export function toTitleRune(r: number): number {
  if (r >= 0x1c4 && r <= 0x1c6) return 0x1c5;
  if (r >= 0x1c7 && r <= 0x1c9) return 0x1c8;
  if (r >= 0x1ca && r <= 0x1cc) return 0x1cb;
  if (r >= 0x1f1 && r <= 0x1f3) return 0x1f2;
  // Georgian Mkhedruli letters have an uppercase (Mtavruli) but are their own titlecase.
  if ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff)) return r;
  return toUpperRune(r);
}

/** The code points of s; a raw (invalid UTF-8) byte stays as its escape, U+DC80..U+DCFF (see value.ts). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

const RUNE_ERROR = 0xfffd;

/** Go's []rune(s): like codePoints, but each raw byte decodes to U+FFFD (utf8.RuneError). */
function runes(s: string): number[] {
  const out = codePoints(s);
  for (let i = 0; i < out.length; i++) if (out[i]! >= 0xdc80 && out[i]! <= 0xdcff) out[i] = RUNE_ERROR;
  return out;
}

function fromCodePoints(cps: readonly number[]): string {
  let out = '';
  for (let i = 0; i < cps.length; i += 4096) out += String.fromCodePoint(...cps.slice(i, i + 4096));
  return out;
}

/** strings.Map: raw bytes come out as U+FFFD, as Go re-encodes utf8.RuneError. */
function mapRunes(s: string, f: (r: number) => number): string {
  return fromCodePoints(runes(s).map(f));
}

const ASCII = /^[\x00-\x7f]*$/;

/** strings.ToUpper. */
export function goToUpper(s: string): string {
  return ASCII.test(s) ? s.toUpperCase() : mapRunes(s, toUpperRune);
}
/** strings.ToLower. */
export function goToLower(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : mapRunes(s, toLowerRune);
}

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  while (a < b && isSpace(cps[a]!)) a++;
  while (b > a && isSpace(cps[b - 1]!)) b--;
  return a === 0 && b === cps.length ? s : fromCodePoints(cps.slice(a, b));
}

/** strings.Trim(s, cutset). */
function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(codePoints(cutset));
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(cps[a]!)) a++;
  while (b > a && set.has(cps[b - 1]!)) b--;
  return fromCodePoints(cps.slice(a, b));
}

/** strings.Repeat, with its panics. */
export function goRepeat(s: string, count: number): string {
  if (count < 0) throw new Error('strings: negative Repeat count');
  if (s.length > 0 && count > 0 && s.length * count > 2 ** 62) throw new Error('strings: Repeat output length overflow');
  return s.repeat(count);
}

/** strings.Replace(s, old, new, -1). */
function replaceAll(s: string, old: string, rep: string): string {
  if (old === '') return rep + Array.from(s).join(rep) + (s === '' ? '' : rep);
  return s.split(old).join(rep);
}

/** strings.Split. */
export function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

/** strings.SplitN. */
function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (n < 0) return goSplit(s, sep);
  if (sep === '') {
    const runes = Array.from(s);
    if (runes.length <= n) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Byte-offset helpers

function isAscii(s: string): boolean {
  return ASCII.test(s);
}

/** s[start:end] on the UTF-8 bytes. */
function byteSlice(s: string, start: number, end?: number): string {
  if (isAscii(s)) return s.slice(start, end);
  return bytesToString(utf8Bytes(s).subarray(start, end));
}

function byteLen(s: string): number {
  return isAscii(s) ? s.length : utf8Bytes(s).length;
}

function sliceBoundsError(msg: string): Error {
  return new Error(`runtime error: slice bounds out of range ${msg}`);
}

/** Go's s[start:end] with its bounds panics (end === undefined means s[start:]). */
function goSliceString(s: string, start: number | undefined, end: number | undefined): string {
  const n = byteLen(s);
  const lo = start ?? 0;
  const hi = end ?? n;
  if (end !== undefined) {
    if (hi < 0) throw sliceBoundsError(`[:${hi}]`);
    if (hi > n) throw sliceBoundsError(`[:${hi}] with length ${n}`);
  }
  if (lo < 0) throw sliceBoundsError(`[${lo}:]`);
  if (lo > hi) throw sliceBoundsError(`[${lo}:${hi}]`);
  return byteSlice(s, lo, hi);
}

function num(i: GoInt): number {
  return Number(i.value);
}

// ---------------------------------------------------------------------------------------------------------------
// goutils

/** goutils.AbbreviateFull; the error result becomes "" as Sprig discards it. */
function abbreviateFull(s: string, offset0: number, maxWidth: number): string {
  if (s === '') return '';
  if (maxWidth < 4) return '';
  const n = byteLen(s);
  if (n <= maxWidth) return s;
  let offset = offset0;
  if (offset > n) offset = n;
  if (n - offset < maxWidth - 3) offset = n - (maxWidth - 3);
  const marker = '...';
  if (offset <= 4) return byteSlice(s, 0, maxWidth - 3) + marker;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < n) return marker + abbreviateFull(byteSlice(s, offset), 0, maxWidth - 3);
  return marker + byteSlice(s, n - (maxWidth - 3));
}

/** goutils.WrapCustom: wraps at spaces counting bytes. */
function wrapCustom(str: string, wrapLength0: number, newLine0: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  const newLine = newLine0 === '' ? '\n' : newLine0;
  const wrapLength = wrapLength0 < 1 ? 1 : wrapLength0;
  const b = utf8Bytes(str);
  const n = b.length;
  const SPACE = 0x20;
  const parts: string[] = [];
  const piece = (a: number, z: number) => bytesToString(b.subarray(a, z));
  let offset = 0;
  while (n - offset > wrapLength) {
    if (b[offset] === SPACE) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    let spaceToWrapAt = b.subarray(offset, end).lastIndexOf(SPACE) + offset;
    if (spaceToWrapAt >= offset) {
      parts.push(piece(offset, spaceToWrapAt), newLine);
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      parts.push(piece(offset, wrapLength + offset), newLine);
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = b.subarray(e).indexOf(SPACE);
      spaceToWrapAt = idx === -1 ? -1 : idx + e;
      if (spaceToWrapAt >= 0) {
        parts.push(piece(offset, spaceToWrapAt), newLine);
        offset = spaceToWrapAt + 1;
      } else {
        parts.push(piece(offset, n));
        offset = n;
      }
    }
  }
  parts.push(piece(offset, n));
  return parts.join('');
}

/** goutils.Initials: looks at single bytes, writing each chosen byte as the rune of that value. */
function initials(s: string): string {
  if (s === '') return s;
  const b = utf8Bytes(s);
  let out = '';
  let lastWasGap = true;
  for (const c of b) {
    if (isSpace(c)) lastWasGap = true;
    else if (lastWasGap) {
      out += String.fromCharCode(c);
      lastWasGap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace: byte-wise, writing each kept byte as the rune of that value. */
function deleteWhiteSpace(s: string): string {
  if (s === '') return s;
  const b = utf8Bytes(s);
  let out = '';
  let count = 0;
  for (const c of b) {
    if (!isSpace(c)) {
      out += String.fromCharCode(c);
      count++;
    }
  }
  return count === b.length ? s : out;
}

/** goutils.Uncapitalize with whitespace delimiters. */
function uncapitalize(s: string): string {
  if (s === '') return s;
  const cps = runes(s);
  let next = true;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    if (isSpace(ch)) next = true;
    else if (next) {
      cps[i] = toLowerRune(ch);
      next = false;
    }
  }
  return fromCodePoints(cps);
}

/** goutils.SwapCase: word-initial lowercase letters become titlecase. */
function swapCase(s: string): string {
  if (s === '') return s;
  const cps = runes(s);
  let whitespace = true;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    if (isUpper(ch) || isTitle(ch)) {
      cps[i] = toLowerRune(ch);
      whitespace = false;
    } else if (isLower(ch)) {
      if (whitespace) {
        cps[i] = toTitleRune(ch);
        whitespace = false;
      } else {
        cps[i] = toUpperRune(ch);
      }
    } else {
      whitespace = isSpace(ch);
    }
  }
  return fromCodePoints(cps);
}

/** strings.Title (deprecated in Go, still what Sprig calls). */
function title(s: string): string {
  const isSeparator = (r: number): boolean => {
    if (r <= 0x7f) {
      if ((r >= 0x30 && r <= 0x39) || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || r === 0x5f) return false;
      return true;
    }
    if (isLetter(r) || isDigit(r)) return false;
    return isSpace(r);
  };
  let prev = 0x20;
  return mapRunes(s, (r) => {
    const out = isSeparator(prev) ? toTitleRune(r) : r;
    prev = r;
    return out;
  });
}

// goutils.CryptoRandom over the printable ASCII range, keeping letters and/or digits as asked.
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
let ASCII_PRINTABLE = '';
for (let c = 32; c < 127; c++) ASCII_PRINTABLE += String.fromCharCode(c);

function cryptoRandom(count: number, alphabet: string): string {
  if (count <= 0) return '';
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// huandu/xstrings (v1.5)

function isConnector(r: number): boolean {
  return r === 0x2d || r === 0x5f || isSpace(r);
}

function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

/** xstrings.ToPascalCase (Sprig's camelcase). */
function toPascalCase(s: string): string {
  if (s === '') return '';
  const cps = runes(s);
  const out: number[] = [];
  let i = 0;
  let r0 = 0;
  let isFirstRuneUpper = false;
  let consumed = false;
  while (i < cps.length) {
    r0 = cps[i++]!;
    consumed = true;
    if (!isConnector(r0)) {
      isFirstRuneUpper = isUpper(r0);
      r0 = toUpperRune(r0);
      break;
    }
    out.push(r0);
  }
  if (i >= cps.length) {
    if (consumed) out.push(r0);
    return fromCodePoints(out);
  }
  while (i < cps.length) {
    const r1 = r0;
    r0 = cps[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out.push(r1);
      continue;
    }
    if (isConnector(r1)) {
      isFirstRuneUpper = isUpper(r0);
      r0 = toUpperRune(r0);
    } else {
      if (isFirstRuneUpper) {
        if (isUpper(r0)) r0 = toLowerRune(r0);
        else isFirstRuneUpper = false;
      }
      out.push(r1);
    }
  }
  out.push(r0);
  return fromCodePoints(out);
}

const enum Word {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}

const isRawByte = (c: number): boolean => c >= 0xdc80 && c <= 0xdcff;

/**
 * xstrings' nextWord: the type of the word starting at `pos` and the index just past it. Like xstrings'
 * nextValidRune, raw (invalid UTF-8) bytes are skipped when looking at the next rune and end up inside the word.
 */
function nextWord(cps: readonly number[], pos: number): [Word, number] {
  const n = cps.length;
  if (pos >= n) return [Word.Invalid, pos];
  /** The next valid rune at or after `at` and the index after it; `prev` and the end when only raw bytes remain. */
  const nextValid = (at: number, prev: number): [number, number] => {
    let k = at;
    while (k < n) {
      const c = cps[k++]!;
      if (!isRawByte(c)) return [c, k];
    }
    return [prev, n];
  };
  let [r, at] = nextValid(pos, RUNE_ERROR);
  if (r === RUNE_ERROR) return [Word.Invalid, at];
  const runWhile = (pred: (c: number) => boolean) => {
    while (at < n) {
      const [c, next] = nextValid(at, r);
      r = c;
      if (!pred(c)) break;
      at = next;
    }
  };
  if (isConnector(r)) {
    runWhile(isConnector);
    return [Word.Connector, at];
  }
  if (isPunct(r)) {
    runWhile(isPunct);
    return [Word.Punct, at];
  }
  if (isUpper(r)) {
    if (at >= n) return [Word.Upper, at];
    let next: number;
    [r, next] = nextValid(at, r);
    if (isUpper(r)) {
      let prevSize = next - at;
      at = next;
      while (at < n) {
        [r, next] = nextValid(at, r);
        if (!isUpper(r)) break;
        prevSize = next - at;
        at = next;
      }
      // "HTTPStatus" splits as "HTTP" + "Status": the last capital starts the next word.
      if (at < n && isAlphabet(r)) at -= prevSize;
    } else if (isAlphabet(r)) {
      at = next;
      runWhile((c) => isAlphabet(c) && !isUpper(c));
    }
    return [Word.Upper, at];
  }
  if (isAlphabet(r)) {
    runWhile((c) => isAlphabet(c) && !isUpper(c));
    return [Word.Alphabet, at];
  }
  if (isNumber(r)) {
    runWhile(isNumber);
    return [Word.Number, at];
  }
  runWhile((c) => !(isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)));
  return [Word.Other, at];
}

/** xstrings' camelCaseToLowerCase (ToSnakeCase / ToKebabCase). */
function camelCaseToLowerCase(s: string, connector: number): string {
  if (s === '') return '';
  const cps = codePoints(s);
  const n = cps.length;
  const out: number[] = [];
  const toLower = (wt: Word, a: number, z: number) => {
    if (wt !== Word.Upper && wt !== Word.Connector) {
      for (let k = a; k < z; k++) out.push(cps[k]!);
      return;
    }
    for (let k = a; k < z; k++) {
      const r = cps[k]!;
      if (isRawByte(r)) out.push(RUNE_ERROR);
      else if (isConnector(r)) out.push(connector);
      else if (isUpper(r)) out.push(toLowerRune(r));
      else out.push(r);
    }
  };
  // The current word: its type and [start, end) range; `advance` moves to the next one.
  const w = { wt: Word.Invalid, start: 0, end: 0 };
  [w.wt, w.end] = nextWord(cps, 0);
  const advance = () => {
    w.start = w.end;
    [w.wt, w.end] = nextWord(cps, w.end);
  };
  const cur = (): Word => w.wt;
  const isWordy = () => cur() === Word.Alphabet || cur() === Word.Number;
  while (w.end < n) {
    if (cur() !== Word.Connector) toLower(w.wt, w.start, w.end);
    const prev = w.wt;
    let lastStart = w.start;
    let lastEnd = w.end;
    advance();
    switch (prev) {
      case Word.Number:
        while (isWordy()) {
          toLower(w.wt, w.start, w.end);
          advance();
        }
        if (cur() !== Word.Invalid && cur() !== Word.Punct && cur() !== Word.Connector) out.push(connector);
        break;
      case Word.Connector:
        toLower(prev, lastStart, lastEnd);
        break;
      case Word.Punct:
        break;
      default: {
        if (cur() !== Word.Number) {
          if (cur() !== Word.Connector && cur() !== Word.Punct) out.push(connector);
          break;
        }
        if (w.end >= n) break;
        lastStart = w.start;
        lastEnd = w.end;
        advance();
        // A number belongs to the word before it unless lowercase letters follow it ("HTTP2xx" → "http_2xx").
        if (cur() !== Word.Alphabet) {
          toLower(Word.Number, lastStart, lastEnd);
          if (cur() !== Word.Connector && cur() !== Word.Punct) out.push(connector);
          break;
        }
        out.push(connector);
        toLower(Word.Number, lastStart, lastEnd);
        while (isWordy()) {
          toLower(w.wt, w.start, w.end);
          advance();
        }
        if (cur() !== Word.Invalid && cur() !== Word.Connector && cur() !== Word.Punct) out.push(connector);
      }
    }
  }
  toLower(w.wt, w.start, w.end);
  return fromCodePoints(out);
}

/** xstrings.Shuffle (math/rand; any permutation is a faithful result). */
function shuffle(s: string): string {
  if (s === '') return s;
  const rs = runes(s);
  for (let i = rs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    if (i !== j) [rs[i], rs[j]] = [rs[j]!, rs[i]!];
  }
  return fromCodePoints(rs);
}

// ---------------------------------------------------------------------------------------------------------------
// Sprig

function quoteAll(args: GoValue[]): string {
  const out: string[] = [];
  for (const a of args) if (a !== null) out.push(goQuote(strval(a)));
  return out.join(' ');
}

function squoteAll(args: GoValue[]): string {
  const out: string[] = [];
  for (const a of args) if (a !== null) out.push(`'${sprint([a])}'`);
  return out.join(' ');
}

function cat(args: GoValue[]): string {
  return args
    .filter((a) => a !== null)
    .map((a) => sprint([a]))
    .join(' ');
}

function indent(spaces: GoInt, s: string): string {
  const pad = goRepeat(' ', num(spaces));
  return pad + s.split('\n').join('\n' + pad);
}

function splitMap(parts: string[]): GoValue {
  const m = newMap('map[string]string');
  parts.forEach((p, i) => (m['_' + i] = p));
  return m;
}

/** Sprig's sortAlpha: a sorted []string (sorting a []string argument in place, as Go's sort.Strings does). */
function sortAlpha(list: GoValue): GoValue {
  const kind = reflectKind(list);
  if (kind === 'slice') {
    const a = strslice(list);
    a.sort(compareGoStrings);
    return isStringSlice(list) ? list : stringSlice(a);
  }
  return stringSlice([strval(list)]);
}

export const stringsFuncs: Record<string, GoFunc> = {
  hello: gofn([], () => 'Hello!'),
  abbrev: gofn(['int', 'string'], (width: GoInt, s: string) => (num(width) < 4 ? s : abbreviateFull(s, 0, num(width)))),
  abbrevboth: gofn(['int', 'int', 'string'], (left: GoInt, right: GoInt, s: string) => {
    const l = num(left);
    const r = num(right);
    if (r < 4 || (l > 0 && r < 7)) return s;
    return abbreviateFull(s, l, r);
  }),
  trunc: gofn(['int', 'string'], (c: GoInt, s: string) => {
    const n = byteLen(s);
    const k = num(c);
    if (k < 0 && n + k > 0) return byteSlice(s, n + k);
    if (k >= 0 && n > k) return byteSlice(s, 0, k);
    return s;
  }),
  trim: gofn(['string'], trimSpace),
  upper: gofn(['string'], goToUpper),
  lower: gofn(['string'], goToLower),
  title: gofn(['string'], title),
  untitle: gofn(['string'], uncapitalize),
  substr: gofn(['int', 'int', 'string'], (start: GoInt, end: GoInt, s: string) => {
    const a = num(start);
    const b = num(end);
    if (a < 0) return goSliceString(s, undefined, b);
    if (b < 0 || b > byteLen(s)) return goSliceString(s, a, undefined);
    return goSliceString(s, a, b);
  }),
  repeat: gofn(['int', 'string'], (count: GoInt, s: string) => goRepeat(s, num(count))),
  trimall: gofn(['string', 'string'], (a: string, b: string) => trimCutset(b, a)),
  trimAll: gofn(['string', 'string'], (a: string, b: string) => trimCutset(b, a)),
  trimSuffix: gofn(['string', 'string'], (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: gofn(['string', 'string'], (a: string, b: string) => (a !== '' && b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: gofn(['string'], deleteWhiteSpace),
  initials: gofn(['string'], initials),
  randAlphaNum: gofn(['int'], (n: GoInt) => cryptoRandom(num(n), ALPHA + DIGITS)),
  randAlpha: gofn(['int'], (n: GoInt) => cryptoRandom(num(n), ALPHA)),
  randAscii: gofn(['int'], (n: GoInt) => cryptoRandom(num(n), ASCII_PRINTABLE)),
  randNumeric: gofn(['int'], (n: GoInt) => cryptoRandom(num(n), DIGITS)),
  swapcase: gofn(['string'], swapCase),
  shuffle: gofn(['string'], shuffle),
  snakecase: gofn(['string'], (s: string) => camelCaseToLowerCase(s, 0x5f)),
  camelcase: gofn(['string'], toPascalCase),
  kebabcase: gofn(['string'], (s: string) => camelCaseToLowerCase(s, 0x2d)),
  wrap: gofn(['int', 'string'], (l: GoInt, s: string) => wrapCustom(s, num(l), '', false)),
  wrapWith: gofn(['int', 'string', 'string'], (l: GoInt, sep: string, s: string) => wrapCustom(s, num(l), sep, true)),
  contains: gofn(['string', 'string'], (sub: string, s: string) => s.includes(sub)),
  hasPrefix: gofn(['string', 'string'], (sub: string, s: string) => s.startsWith(sub)),
  hasSuffix: gofn(['string', 'string'], (sub: string, s: string) => s.endsWith(sub)),
  quote: gofn([], (...args: GoValue[]) => quoteAll(args), 'any'),
  squote: gofn([], (...args: GoValue[]) => squoteAll(args), 'any'),
  cat: gofn([], (...args: GoValue[]) => cat(args), 'any'),
  indent: gofn(['int', 'string'], indent),
  nindent: gofn(['int', 'string'], (spaces: GoInt, s: string) => '\n' + indent(spaces, s)),
  replace: gofn(['string', 'string', 'string'], (old: string, rep: string, src: string) => replaceAll(src, old, rep)),
  plural: gofn(['string', 'string', 'int'], (one: string, many: string, count: GoInt) => (count.value === 1n ? one : many)),
  toString: gofn(['any'], strval),
  toStrings: gofn(['any'], (v: GoValue) => {
    const a = strslice(v);
    return isStringSlice(v) ? v : stringSlice(a);
  }),
  split: gofn(['string', 'string'], (sep: string, orig: string) => splitMap(goSplit(orig, sep))),
  splitList: gofn(['string', 'string'], (sep: string, orig: string) => stringSlice(goSplit(orig, sep))),
  splitn: gofn(['string', 'int', 'string'], (sep: string, n: GoInt, orig: string) => splitMap(goSplitN(orig, sep, num(n)))),
  join: gofn(['string', 'any'], (sep: string, v: GoValue) => strslice(v).join(sep)),
  sortAlpha: gofn(['any'], sortAlpha),
};
