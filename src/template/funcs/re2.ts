// Go's regexp (RE2 syntax) on top of JavaScript's RegExp.
//
// A pattern is parsed here with Go's regexp/syntax rules (Perl flags: ClassNL | OneLine | PerlX | UnicodeGroups),
// so every pattern Go rejects is rejected with Go's message, and every accepted one is translated into a JavaScript
// RegExp (flags 'gu') whose matches are Go's: case folding is expanded into explicit classes (JavaScript's `i` flag
// cannot be scoped and widens \w and \b), `.` excludes only \n, `^`/`$` are text anchors unless (?m), where they
// become lookarounds on \n alone, \d \w \s and the POSIX classes are ASCII-only, \p{...} uses Go's name lookup.
//
// The Regexp class then implements Go's search loops over the JavaScript engine: Find, FindAll (an empty match
// right after the previous match is dropped), ReplaceAll with Expand templates, ReplaceAllLiteral and Split.
// Positions are UTF-16 indices internally; Go counts bytes, but only the order of positions matters here.
//
// Known difference: JavaScript backtracking rejects empty iterations of a starred group, so `(|a)*` matches "aa"
// where RE2 matches "". Patterns whose alternatives can match empty inside a loop are rare in charts.

import { quote } from '../fmt.js';

const MAX_RUNE = 0x10ffff;
const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;

/** regexp/syntax.Error: `error parsing regexp: <code>: `<expr>``. */
export class RegexpSyntaxError extends Error {
  override readonly name = 'RegexpSyntaxError';
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

const ERR = {
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nestingDepth: 'expression nests too deeply',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Character classes: sorted, merged code point ranges plus Unicode property references (which JavaScript's
// \p{...} evaluates; Go's tables and V8's may differ by a Unicode version).

type Range = [number, number];

interface Prop {
  /** The body of a JavaScript \p{...} escape, e.g. 'Lu' or 'Script=Greek'. */
  readonly js: string;
  readonly negated: boolean;
}

interface CharClass {
  ranges: Range[];
  props: Prop[];
  negated: boolean;
}

function cleanRanges(r: Range[]): Range[] {
  if (r.length < 2) return r.map(([a, b]) => [a, b]);
  const s = r.map(([a, b]) => [a, b] as Range).sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: Range[] = [s[0]!];
  for (let i = 1; i < s.length; i++) {
    const [lo, hi] = s[i]!;
    const last = out[out.length - 1]!;
    if (lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else out.push([lo, hi]);
  }
  return out;
}

function negateRanges(r: Range[]): Range[] {
  const c = cleanRanges(r);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of c) {
    if (next <= lo - 1) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

// Case folding orbits (unicode.SimpleFold): built once, on first use, from JavaScript's case mappings and checked
// against its Unicode case-insensitive matching (simple case folding, as Go's orbits are).
const MIN_FOLD = 0x41;
const MAX_FOLD = 0x1e943;
let foldTable: Map<number, number[]> | undefined;
let foldKeys: number[] | undefined;

function buildFoldTable(): void {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let p = parent.get(x);
    if (p === undefined) return x;
    while (p !== undefined && p !== x) {
      x = p;
      p = parent.get(x);
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (let cp = MIN_FOLD; cp <= MAX_FOLD; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    for (const t of [s.toLowerCase(), s.toUpperCase()]) {
      if (t === s) continue;
      const c = t.codePointAt(0)!;
      if (String.fromCodePoint(c) !== t) continue; // multi-character mapping: not a simple fold
      union(cp, c);
    }
  }
  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = [root]));
    if (cp !== root) g.push(cp);
  }
  const table = new Map<number, number[]>();
  for (const g of groups.values()) {
    // Split the group into classes of characters that match each other case-insensitively.
    const rest = [...g];
    while (rest.length > 0) {
      const head = rest.shift()!;
      const re = new RegExp(`^\\u{${head.toString(16)}}$`, 'iu');
      const orbit = [head];
      for (let i = rest.length - 1; i >= 0; i--) {
        if (re.test(String.fromCodePoint(rest[i]!))) orbit.push(rest.splice(i, 1)[0]!);
      }
      if (orbit.length > 1) {
        orbit.sort((a, b) => a - b);
        for (const c of orbit) table.set(c, orbit);
      }
    }
  }
  foldTable = table;
  foldKeys = [...table.keys()].sort((a, b) => a - b);
}

/** The code points equal to cp under Go's case folding (cp included), ascending. */
function foldOrbit(cp: number): number[] {
  if (cp < MIN_FOLD || cp > MAX_FOLD) return [cp];
  if (!foldTable) buildFoldTable();
  return foldTable!.get(cp) ?? [cp];
}

/** Appends lo..hi and everything that folds into it. */
function appendFoldedRange(out: Range[], lo: number, hi: number): void {
  out.push([lo, hi]);
  if (hi < MIN_FOLD || lo > MAX_FOLD) return;
  if (!foldTable) buildFoldTable();
  const keys = foldKeys!;
  // First key >= lo.
  let a = 0;
  let b = keys.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (keys[m]! < lo) a = m + 1;
    else b = m;
  }
  for (let i = a; i < keys.length && keys[i]! <= hi; i++) {
    for (const c of foldTable!.get(keys[i]!)!) if (c < lo || c > hi) out.push([c, c]);
  }
}

function foldRanges(r: Range[]): Range[] {
  const out: Range[] = [];
  for (const [lo, hi] of r) appendFoldedRange(out, lo, hi);
  return cleanRanges(out);
}

// Perl and POSIX groups (ASCII only, as in Go).
const PERL_GROUPS: Record<string, { neg: boolean; ranges: Range[] }> = {
  '\\d': { neg: false, ranges: [[0x30, 0x39]] },
  '\\D': { neg: true, ranges: [[0x30, 0x39]] },
  '\\s': { neg: false, ranges: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]] },
  '\\S': { neg: true, ranges: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]] },
  '\\w': { neg: false, ranges: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]] },
  '\\W': { neg: true, ranges: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]] },
};

const POSIX_BASE: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** Group ranges as Go's appendGroup adds them: folded first when (?i), then negated for \D [:^alpha:] etc. */
function groupRanges(ranges: Range[], neg: boolean, fold: boolean): Range[] {
  const base = fold ? foldRanges(ranges) : cleanRanges(ranges);
  return neg ? negateRanges(base) : base;
}

// Unicode class names, looked up as Go 1.25 does: the name is canonicalised (first letter upper, the rest lower,
// '_', '-' and ' ' dropped) and searched among categories, scripts and category aliases.
const GO_SCRIPTS =
  'Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid ' +
  'Carian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dogra Duployan ' +
  'Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gurmukhi Han Hangul Hanunoo Hatran ' +
  'Hebrew Hiragana Inherited Javanese Kaithi Kannada Katakana Kawi Kharoshthi Khmer Khojki Khudawadi Lao Latin Lepcha ' +
  'Limbu Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Medefaidrin Miao Modi Mongolian Mro ' +
  'Multani Myanmar Nabataean Nandinagari Newa Nko Nushu Ogham Oriya Osage Osmanya Palmyrene Phoenician Rejang Runic ' +
  'Samaritan Saurashtra Sharada Shavian Siddham Sinhala Sogdian Soyombo Sundanese Syriac Tagalog Tagbanwa Takri Tamil ' +
  'Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Yezidi Yi';

const GO_CATEGORIES = 'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs';

// Unicode long names and aliases of general categories (PropertyValueAliases.txt).
const CATEGORY_ALIASES: Record<string, string> = {
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Unassigned: 'Cn', Private_Use: 'Co', Surrogate: 'Cs',
  Letter: 'L', Cased_Letter: 'LC', Lowercase_Letter: 'Ll', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Titlecase_Letter: 'Lt', Uppercase_Letter: 'Lu', Mark: 'M', Combining_Mark: 'M', Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me', Nonspacing_Mark: 'Mn', Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl',
  Other_Number: 'No', Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd',
  Close_Punctuation: 'Pe', Final_Punctuation: 'Pf', Initial_Punctuation: 'Pi', Other_Punctuation: 'Po',
  Open_Punctuation: 'Ps', Symbol: 'S', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Math_Symbol: 'Sm',
  Other_Symbol: 'So', Separator: 'Z', Line_Separator: 'Zl', Paragraph_Separator: 'Zp', Space_Separator: 'Zs',
};

function canonicalName(name: string): string {
  let out = '';
  let first = true;
  for (const ch of name) {
    if (ch === '_' || ch === '-' || ch === ' ') continue;
    if (first) {
      out += ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch;
      first = false;
    } else out += ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
  }
  return out;
}

let unicodeNames: Map<string, { js: string; negated: boolean }> | undefined;

function lookupUnicodeClass(name: string): { js: string; negated: boolean } | undefined {
  if (!unicodeNames) {
    const m = new Map<string, { js: string; negated: boolean }>();
    for (const c of GO_CATEGORIES.split(' ')) if (canonicalName(c) === c) m.set(c, { js: c, negated: false });
    for (const s of GO_SCRIPTS.split(' ')) if (!m.has(s)) m.set(s, { js: `Script=${s}`, negated: false });
    for (const [alias, cat] of Object.entries(CATEGORY_ALIASES)) {
      const k = canonicalName(alias);
      if (!m.has(k)) m.set(k, { js: cat, negated: false });
    }
    m.set('Any', { js: 'Any', negated: false });
    m.set('Assigned', { js: 'Assigned', negated: false });
    m.set('Ascii', { js: 'ASCII', negated: false });
    m.set('Lc', { js: 'LC', negated: false });
    unicodeNames = m;
  }
  return unicodeNames.get(canonicalName(name));
}

/** Case folding of a property, as far as JavaScript can say it: the cased-letter categories fold into each other. */
function foldProp(js: string): string {
  return js === 'Lu' || js === 'Ll' || js === 'Lt' ? 'LC' : js;
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | { t: 'lit'; cp: number; fold: boolean }
  | { t: 'class'; cls: CharClass }
  | { t: 'any'; nl: boolean }
  | { t: 'assert'; kind: 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb' }
  | { t: 'group'; cap: number; body: Node }
  | { t: 'concat'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; min: number; max: number; greedy: boolean; body: Node }
  | { t: 'empty' };

interface Flags {
  fold: boolean;
  dotNL: boolean;
  oneLine: boolean;
  nonGreedy: boolean;
}

interface Frame {
  /** Capture index (0 for a non-capturing group); -1 for the top level. */
  cap: number;
  /** Flags to restore when the group closes. */
  saved: Flags;
  alts: Node[][];
  cur: Node[];
}

/** Decodes one code point at index i of s; returns [cp, width in UTF-16 units]. */
function cpAt(s: string, i: number): [number, number] {
  const c = s.codePointAt(i)!;
  return [c, c > 0xffff ? 2 : 1];
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

interface Parsed {
  node: Node;
  numCap: number;
  names: string[];
}

class Parser {
  private i = 0;
  private flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false };
  private numCap = 0;
  private readonly names: string[] = [''];
  private readonly stack: Frame[] = [];

  constructor(private readonly src: string) {}

  private get frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  parse(): Parsed {
    const s = this.src;
    this.stack.push({ cap: -1, saved: { ...this.flags }, alts: [], cur: [] });
    let lastRepeatStart = -1; // start index of the previous token when it was a repetition operator
    while (this.i < s.length) {
      const tokenStart = this.i;
      let isRepeat = false;
      const c = s[this.i]!;
      switch (c) {
        case '(':
          if (s[this.i + 1] === '?') this.parsePerlFlags();
          else {
            this.i++;
            this.openGroup(++this.numCap, '');
          }
          break;
        case '|':
          this.frame.alts.push(this.frame.cur);
          this.frame.cur = [];
          this.i++;
          break;
        case ')':
          this.closeGroup();
          this.i++;
          break;
        case '^':
          this.push({ t: 'assert', kind: this.flags.oneLine ? 'bot' : 'bol' });
          this.i++;
          break;
        case '$':
          this.push({ t: 'assert', kind: this.flags.oneLine ? 'eot' : 'eol' });
          this.i++;
          break;
        case '.':
          this.push({ t: 'any', nl: this.flags.dotNL });
          this.i++;
          break;
        case '[':
          this.parseClass();
          break;
        case '*':
        case '+':
        case '?': {
          this.i++;
          const [min, max] = c === '*' ? [0, -1] : c === '+' ? [1, -1] : [0, 1];
          this.repeat(min, max, tokenStart, lastRepeatStart, false);
          isRepeat = true;
          break;
        }
        case '{': {
          const r = this.parseRepeat();
          if (!r) {
            this.literal(0x7b);
            this.i++;
            break;
          }
          const [min, max, end] = r;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw new RegexpSyntaxError(ERR.invalidRepeatSize, s.slice(tokenStart, end));
          }
          this.i = end;
          this.repeat(min, max, tokenStart, lastRepeatStart, true);
          isRepeat = true;
          break;
        }
        case '\\':
          this.parseBackslash();
          break;
        default: {
          const [cp, w] = cpAt(s, this.i);
          this.literal(cp);
          this.i += w;
        }
      }
      lastRepeatStart = isRepeat ? tokenStart : -1;
    }
    if (this.stack.length !== 1) throw new RegexpSyntaxError(ERR.missingParen, s);
    const top = this.stack.pop()!;
    const node = finishAlt([...top.alts, top.cur]);
    if (height(node) > MAX_HEIGHT) throw new RegexpSyntaxError(ERR.nestingDepth, s);
    return { node, numCap: this.numCap, names: this.names };
  }

  private push(n: Node): void {
    this.frame.cur.push(n);
  }

  private literal(cp: number): void {
    this.push({ t: 'lit', cp, fold: this.flags.fold });
  }

  private openGroup(cap: number, name: string): void {
    if (cap > 0) this.names[cap] = name;
    this.stack.push({ cap, saved: { ...this.flags }, alts: [], cur: [] });
  }

  private closeGroup(): void {
    if (this.stack.length < 2) throw new RegexpSyntaxError(ERR.unexpectedParen, this.src);
    const f = this.stack.pop()!;
    this.flags = f.saved;
    const body = finishAlt([...f.alts, f.cur]);
    this.push(f.cap > 0 ? { t: 'group', cap: f.cap, body } : { t: 'group', cap: 0, body });
  }

  /** Applies a repetition operator to the last item; i is just past the operator (before any lazy '?'). */
  private repeat(min: number, max: number, opStart: number, lastRepeatStart: number, counted: boolean): void {
    const s = this.src;
    let greedy = !this.flags.nonGreedy;
    if (s[this.i] === '?') {
      this.i++;
      greedy = !greedy;
    }
    if (lastRepeatStart >= 0) throw new RegexpSyntaxError(ERR.invalidRepeatOp, s.slice(lastRepeatStart, this.i));
    const cur = this.frame.cur;
    if (cur.length === 0) throw new RegexpSyntaxError(ERR.missingRepeatArgument, s.slice(opStart, this.i));
    const body = cur.pop()!;
    const node: Node = { t: 'rep', min, max, greedy, body };
    cur.push(node);
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new RegexpSyntaxError(ERR.invalidRepeatSize, s.slice(opStart, this.i));
    }
  }

  /** {n} {n,} {n,m} at this.i: [min, max, end] (min -1 when too big), or undefined when it is a literal '{'. */
  private parseRepeat(): [number, number, number] | undefined {
    const s = this.src;
    let j = this.i + 1;
    const int = (): number | undefined => {
      const start = j;
      if (j >= s.length || s[j]! < '0' || s[j]! > '9') return undefined;
      if (s[j] === '0' && j + 1 < s.length && s[j + 1]! >= '0' && s[j + 1]! <= '9') return undefined;
      while (j < s.length && s[j]! >= '0' && s[j]! <= '9') j++;
      const digits = s.slice(start, j);
      return digits.length > 8 ? -1 : Number(digits);
    };
    let min = int();
    if (min === undefined || j >= s.length) return undefined;
    let max: number;
    if (s[j] !== ',') max = min;
    else {
      j++;
      if (j >= s.length) return undefined;
      if (s[j] === '}') max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (m < 0) min = -1;
      }
    }
    if (j >= s.length || s[j] !== '}') return undefined;
    return [min, max, j + 1];
  }

  private parsePerlFlags(): void {
    const s = this.src;
    const t = s.slice(this.i);
    const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<';
    const startsWithName = t.length > 3 && t[2] === '<';
    if (startsWithP || startsWithName) {
      const exprStart = startsWithP ? 4 : 3;
      const end = t.indexOf('>');
      if (end < 0) throw new RegexpSyntaxError(ERR.invalidNamedCapture, t);
      const name = t.slice(exprStart, end);
      if (name === '' || !/^[A-Za-z0-9_]+$/.test(name)) throw new RegexpSyntaxError(ERR.invalidNamedCapture, t.slice(0, end + 1));
      this.i += end + 1;
      this.openGroup(++this.numCap, name);
      return;
    }
    let j = 2;
    const flags = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    while (j < t.length) {
      const [c, w] = cpAt(t, j);
      j += w;
      switch (c) {
        case 0x69: // i
          flags.fold = !negate;
          sawFlag = true;
          continue;
        case 0x6d: // m
          flags.oneLine = negate;
          sawFlag = true;
          continue;
        case 0x73: // s
          flags.dotNL = !negate;
          sawFlag = true;
          continue;
        case 0x55: // U
          flags.nonGreedy = !negate;
          sawFlag = true;
          continue;
        case 0x2d: // -
          if (negate) break;
          negate = true;
          sawFlag = false;
          continue;
        case 0x3a: // :
        case 0x29: // )
          if (negate && !sawFlag) break;
          this.i += j;
          if (c === 0x3a) this.openGroup(0, '');
          this.flags = flags;
          return;
      }
      break;
    }
    throw new RegexpSyntaxError(ERR.invalidPerlOp, t.slice(0, j));
  }

  private parseBackslash(): void {
    const s = this.src;
    const next = s[this.i + 1];
    switch (next) {
      case 'A':
        this.push({ t: 'assert', kind: 'bot' });
        this.i += 2;
        return;
      case 'z':
        this.push({ t: 'assert', kind: 'eot' });
        this.i += 2;
        return;
      case 'b':
        this.push({ t: 'assert', kind: 'wb' });
        this.i += 2;
        return;
      case 'B':
        this.push({ t: 'assert', kind: 'nwb' });
        this.i += 2;
        return;
      case 'C':
        throw new RegexpSyntaxError(ERR.invalidEscape, '\\C');
      case 'Q': {
        const rest = s.slice(this.i + 2);
        const e = rest.indexOf('\\E');
        const lit = e < 0 ? rest : rest.slice(0, e);
        for (const ch of lit) this.literal(ch.codePointAt(0)!);
        this.i += 2 + (e < 0 ? rest.length : e + 2);
        return;
      }
      case 'p':
      case 'P': {
        const cls: CharClass = { ranges: [], props: [], negated: false };
        this.i = this.parseUnicodeClass(this.i, cls);
        this.push({ t: 'class', cls });
        return;
      }
    }
    const g = next !== undefined ? PERL_GROUPS['\\' + next] : undefined;
    if (g) {
      this.push({ t: 'class', cls: { ranges: groupRanges(g.ranges, g.neg, this.flags.fold), props: [], negated: false } });
      this.i += 2;
      return;
    }
    const [cp, end] = this.parseEscape(this.i);
    this.literal(cp);
    this.i = end;
  }

  /** An escape sequence at index i (a backslash): [code point, index after it]. */
  private parseEscape(i: number): [number, number] {
    const s = this.src;
    let j = i + 1;
    if (j >= s.length) throw new RegexpSyntaxError(ERR.trailingBackslash, '');
    const [c, w] = cpAt(s, j);
    j += w;
    const fail = (): never => {
      throw new RegexpSyntaxError(ERR.invalidEscape, s.slice(i, j));
    };
    const isOct = (k: number): boolean => k < s.length && s[k]! >= '0' && s[k]! <= '7';
    if (c >= 0x31 && c <= 0x37) {
      // A single non-zero digit would be a backreference: unsupported.
      if (!isOct(j)) fail();
    }
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let k = 1; k < 3 && isOct(j); k++) r = r * 8 + (s.charCodeAt(j++) - 0x30);
      return [r, j];
    }
    switch (c) {
      case 0x78: {
        // x
        if (j >= s.length) fail();
        let [d, dw] = cpAt(s, j);
        j += dw;
        if (d === 0x7b) {
          let n = 0;
          let r = 0;
          for (;;) {
            if (j >= s.length) fail();
            [d, dw] = cpAt(s, j);
            j += dw;
            if (d === 0x7d) break;
            const v = unhex(d);
            if (v < 0) fail();
            r = r * 16 + v;
            if (r > MAX_RUNE) fail();
            n++;
          }
          if (n === 0) fail();
          return [r, j];
        }
        const x = unhex(d);
        if (j >= s.length) {
          // Go reads a second rune even at the end (getting nothing): the escape is invalid.
          fail();
        }
        [d, dw] = cpAt(s, j);
        j += dw;
        const y = unhex(d);
        if (x < 0 || y < 0) fail();
        return [x * 16 + y, j];
      }
      case 0x61:
        return [7, j];
      case 0x66:
        return [12, j];
      case 0x6e:
        return [10, j];
      case 0x72:
        return [13, j];
      case 0x74:
        return [9, j];
      case 0x76:
        return [11, j];
    }
    if (c < 0x80 && !isAlnum(c)) return [c, j];
    return fail();
  }

  /** \pX, \p{Name}, \PX, \P{^Name} at index i; adds to cls and returns the index after it. */
  private parseUnicodeClass(i: number, cls: CharClass): number {
    const s = this.src;
    let negated = s[i + 1] === 'P';
    let j = i + 2;
    let seq: string;
    let name: string;
    if (j < s.length && s[j] === '{') {
      const end = s.indexOf('}', i);
      if (end < 0) throw new RegexpSyntaxError(ERR.invalidCharRange, s.slice(i));
      seq = s.slice(i, end + 1);
      name = s.slice(i + 3, end);
      j = end + 1;
    } else {
      if (j < s.length) j += cpAt(s, j)[1];
      seq = s.slice(i, j);
      name = seq.slice(2);
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const found = lookupUnicodeClass(name);
    if (!found) throw new RegexpSyntaxError(ERR.invalidCharRange, seq);
    const js = this.flags.fold ? foldProp(found.js) : found.js;
    cls.props.push({ js, negated: negated !== found.negated });
    return j;
  }

  private parseClass(): void {
    const s = this.src;
    const start = this.i;
    let j = this.i + 1;
    const cls: CharClass = { ranges: [], props: [], negated: false };
    if (j < s.length && s[j] === '^') {
      cls.negated = true;
      j++;
    }
    const ranges: Range[] = [];
    let first = true;
    while (j >= s.length || s[j] !== ']' || first) {
      first = false;
      // POSIX [:alpha:]
      if (j + 2 < s.length && s[j] === '[' && s[j + 1] === ':') {
        const close = s.indexOf(':]', j + 2);
        if (close >= 0) {
          const full = s.slice(j, close + 2);
          let nm = s.slice(j + 2, close);
          let neg = false;
          if (nm.startsWith('^')) {
            neg = true;
            nm = nm.slice(1);
          }
          const base = Object.prototype.hasOwnProperty.call(POSIX_BASE, nm) ? POSIX_BASE[nm] : undefined;
          if (!base) throw new RegexpSyntaxError(ERR.invalidCharRange, full);
          ranges.push(...groupRanges(base, neg, this.flags.fold));
          j = close + 2;
          continue;
        }
      }
      if (j + 1 < s.length && s[j] === '\\' && (s[j + 1] === 'p' || s[j + 1] === 'P')) {
        j = this.parseUnicodeClass(j, cls);
        continue;
      }
      if (j + 1 < s.length && s[j] === '\\') {
        const g = PERL_GROUPS['\\' + s[j + 1]];
        if (g) {
          ranges.push(...groupRanges(g.ranges, g.neg, this.flags.fold));
          j += 2;
          continue;
        }
      }
      const rangeStart = j;
      let lo: number;
      [lo, j] = this.classChar(j, start);
      let hi = lo;
      if (j + 1 < s.length && s[j] === '-' && s[j + 1] !== ']') {
        [hi, j] = this.classChar(j + 1, start);
        if (hi < lo) throw new RegexpSyntaxError(ERR.invalidCharRange, s.slice(rangeStart, j));
      }
      if (this.flags.fold) appendFoldedRange(ranges, lo, hi);
      else ranges.push([lo, hi]);
    }
    this.i = j + 1;
    cls.ranges = cleanRanges(ranges);
    this.push({ t: 'class', cls });
  }

  private classChar(j: number, classStart: number): [number, number] {
    const s = this.src;
    if (j >= s.length) throw new RegexpSyntaxError(ERR.missingBracket, s.slice(classStart));
    if (s[j] === '\\') return this.parseEscape(j);
    const [cp, w] = cpAt(s, j);
    return [cp, j + w];
  }
}

function finishConcat(items: Node[]): Node {
  if (items.length === 0) return { t: 'empty' };
  if (items.length === 1) return items[0]!;
  return { t: 'concat', items };
}

function finishAlt(alts: Node[][]): Node {
  if (alts.length === 1) return finishConcat(alts[0]!);
  return { t: 'alt', alts: alts.map(finishConcat) };
}

function repeatIsValid(n: Node, limit: number): boolean {
  if (n.t === 'rep' && !(n.min <= 1 && n.max === -1) && !(n.min === 0 && n.max === 1)) {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.trunc(limit / m);
  }
  switch (n.t) {
    case 'rep':
    case 'group':
      return repeatIsValid(n.body, limit);
    case 'concat':
      return n.items.every((x) => repeatIsValid(x, limit));
    case 'alt':
      return n.alts.every((x) => repeatIsValid(x, limit));
    default:
      return true;
  }
}

function height(n: Node): number {
  switch (n.t) {
    case 'rep':
    case 'group':
      return 1 + height(n.body);
    case 'concat':
      return 1 + Math.max(0, ...n.items.map(height));
    case 'alt':
      return 1 + Math.max(0, ...n.alts.map(height));
    default:
      return 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Emission as a JavaScript pattern (flags 'u')

function esc(cp: number): string {
  if (isAlnum(cp)) return String.fromCharCode(cp);
  return `\\u{${cp.toString(16)}}`;
}

function rangesBody(r: Range[]): string {
  let out = '';
  for (const [lo, hi] of r) out += lo === hi ? esc(lo) : hi === lo + 1 ? esc(lo) + esc(hi) : `${esc(lo)}-${esc(hi)}`;
  return out;
}

function emitClass(c: CharClass): string {
  if (c.props.length === 0) {
    const r = c.negated ? negateRanges(c.ranges) : c.ranges;
    if (r.length === 0) return '[]';
    if (r.length === 1 && r[0]![0] === 0 && r[0]![1] === MAX_RUNE) return '[^]';
    if (r.length === 1 && r[0]![0] === r[0]![1]) return esc(r[0]![0]);
    return `[${rangesBody(r)}]`;
  }
  const props = c.props.map((p) => (p.negated ? `\\P{${p.js}}` : `\\p{${p.js}}`)).join('');
  return `[${c.negated ? '^' : ''}${rangesBody(c.ranges)}${props}]`;
}

function emit(n: Node): string {
  switch (n.t) {
    case 'empty':
      return '';
    case 'lit': {
      if (!n.fold) return esc(n.cp);
      const orbit = foldOrbit(n.cp);
      if (orbit.length === 1) return esc(n.cp);
      return `[${orbit.map(esc).join('')}]`;
    }
    case 'class':
      return emitClass(n.cls);
    case 'any':
      return n.nl ? '[^]' : '[^\\n]';
    case 'assert':
      switch (n.kind) {
        case 'bot':
          return '^';
        case 'eot':
          return '$';
        case 'bol':
          return '(?<![^\\n])';
        case 'eol':
          return '(?![^\\n])';
        case 'wb':
          return '\\b';
        case 'nwb':
          return '\\B';
      }
      break;
    case 'group':
      return n.cap > 0 ? `(${emit(n.body)})` : `(?:${emit(n.body)})`;
    case 'concat':
      return n.items.map((x) => (x.t === 'alt' ? `(?:${emit(x)})` : emit(x))).join('');
    case 'alt':
      return n.alts.map(emit).join('|');
    case 'rep': {
      const b = n.body;
      const atom = b.t === 'lit' || b.t === 'class' || b.t === 'any' || (b.t === 'group' && b.cap > 0) ? emit(b) : `(?:${emit(b)})`;
      let q: string;
      if (n.min === 0 && n.max === -1) q = '*';
      else if (n.min === 1 && n.max === -1) q = '+';
      else if (n.min === 0 && n.max === 1) q = '?';
      else if (n.max === -1) q = `{${n.min},}`;
      else if (n.min === n.max) q = `{${n.min}}`;
      else q = `{${n.min},${n.max}}`;
      return atom + q + (n.greedy ? '' : '?');
    }
  }
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// Regexp: Go's API over the translated pattern

/** A compiled Go regular expression. */
export class Regexp {
  /** Capture names by index (0 is the whole match, ''), as Go's SubexpNames. */
  readonly subexpNames: readonly string[];
  readonly numSubexp: number;
  private readonly re: RegExp;

  constructor(
    readonly expr: string,
    parsed: Parsed,
  ) {
    this.subexpNames = parsed.names;
    this.numSubexp = parsed.numCap;
    this.re = new RegExp(emit(parsed.node), 'gu');
  }

  /** The JavaScript pattern this expression was translated to (for tests and debugging). */
  get jsSource(): string {
    return this.re.source;
  }

  /** The leftmost match starting the search at pos (with the text before pos as context), or null. */
  private exec(s: string, pos: number): RegExpExecArray | null {
    this.re.lastIndex = pos;
    return this.re.exec(s);
  }

  matchString(s: string): boolean {
    return this.exec(s, 0) !== null;
  }

  /** FindString: the leftmost match, "" when none. */
  findString(s: string): string {
    return this.exec(s, 0)?.[0] ?? '';
  }

  /** FindAllStringIndex-like: up to n matches (n < 0: all) as [start, end, groups]; Go's empty-match rule. */
  findAll(s: string, n: number): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    if (n < 0) n = s.length + 1;
    let pos = 0;
    let prevEnd = -1;
    while (out.length < n && pos <= s.length) {
      const m = this.exec(s, pos);
      if (!m) break;
      const start = m.index;
      const end = start + m[0].length;
      let accept = true;
      if (end === start) {
        // An empty match right after the previous match is not reported.
        if (start === prevEnd) accept = false;
        pos = start < s.length ? start + cpAt(s, start)[1] : s.length + 1;
      } else pos = end;
      prevEnd = end;
      if (accept) out.push(m);
    }
    return out;
  }

  /** FindAllString: null stands for Go's nil slice (no match, or n == 0). */
  findAllString(s: string, n: number): string[] | null {
    if (n === 0) return null;
    const ms = this.findAll(s, n);
    return ms.length === 0 ? null : ms.map((m) => m[0]);
  }

  private replace(src: string, repl: (m: RegExpExecArray) => string): string {
    let out = '';
    let lastEnd = 0;
    let searchPos = 0;
    while (searchPos <= src.length) {
      const m = this.exec(src, searchPos);
      if (!m) break;
      const start = m.index;
      const end = start + m[0].length;
      out += src.slice(lastEnd, start);
      // No replacement for an empty match right after the previous match.
      if (end > lastEnd || start === 0) out += repl(m);
      lastEnd = end;
      const width = searchPos < src.length ? cpAt(src, searchPos)[1] : 0;
      if (searchPos + width > end) searchPos += width;
      else if (searchPos + 1 > end) searchPos++;
      else searchPos = end;
    }
    return out + src.slice(lastEnd);
  }

  replaceAllString(src: string, template: string): string {
    return this.replace(src, (m) => this.expand(template, m));
  }

  replaceAllLiteralString(src: string, repl: string): string {
    return this.replace(src, () => repl);
  }

  /** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; a malformed reference is kept as text. */
  expand(template: string, m: RegExpExecArray): string {
    let out = '';
    let t = template;
    for (;;) {
      const k = t.indexOf('$');
      if (k < 0) break;
      out += t.slice(0, k);
      t = t.slice(k + 1);
      if (t.startsWith('$')) {
        out += '$';
        t = t.slice(1);
        continue;
      }
      const ref = extractRef(t);
      if (!ref) {
        out += '$';
        continue;
      }
      t = ref.rest;
      if (ref.num >= 0) {
        if (ref.num <= this.numSubexp) out += m[ref.num] ?? '';
      } else {
        const idx = this.subexpNames.indexOf(ref.name);
        if (idx > 0) out += m[idx] ?? '';
      }
    }
    return out + t;
  }

  /** Split: null stands for Go's nil slice (n == 0). */
  split(s: string, n: number): string[] | null {
    if (n === 0) return null;
    if (this.expr.length > 0 && s.length === 0) return [''];
    const matches = this.findAll(s, n);
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of matches) {
      if (n > 0 && out.length === n - 1) break;
      end = m.index;
      const mEnd = m.index + m[0].length;
      if (mEnd !== 0) out.push(s.slice(beg, end));
      beg = mEnd;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function extractRef(t: string): { name: string; num: number; rest: string } | undefined {
  if (t === '') return undefined;
  let brace = false;
  let i = 0;
  if (t[0] === '{') {
    brace = true;
    i = 1;
  }
  const nameStart = i;
  while (i < t.length) {
    const [c, w] = cpAt(t, i);
    if (!NAME_CHAR.test(String.fromCodePoint(c))) break;
    i += w;
  }
  if (i === nameStart) return undefined;
  const name = t.slice(nameStart, i);
  if (brace) {
    if (i >= t.length || t[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (ch.charCodeAt(0) - 0x30);
  }
  if (name[0] === '0' && name.length > 1) num = -1;
  return { name, num, rest: t.slice(i) };
}

const cache = new Map<string, Regexp>();
const CACHE_LIMIT = 500;

/** regexp.Compile: throws RegexpSyntaxError with Go's message. */
export function compile(expr: string): Regexp {
  let re = cache.get(expr);
  if (re) return re;
  re = new Regexp(expr, new Parser(expr).parse());
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(expr, re);
  return re;
}

/** regexp.MustCompile: Go panics with `regexp: Compile(<quoted expr>): <error>`. */
export function mustCompile(expr: string): Regexp {
  try {
    return compile(expr);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw new Error(`regexp: Compile(${quoteExpr(expr)}): ${e.message}`);
    throw e;
  }
}

/** Go's regexp quote(): backquoted when strconv.CanBackquote allows it, else strconv.Quote. */
function quoteExpr(s: string): string {
  let ok = true;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '`' || c === 0xfeff || (c < 0x20 && c !== 0x09) || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) {
      ok = false;
      break;
    }
  }
  return ok ? '`' + s + '`' : quote(s);
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
