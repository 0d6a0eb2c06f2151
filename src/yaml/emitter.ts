// A YAML writer that lays out a node tree exactly as the libyaml-derived emitter inside go-yaml does for the nodes
// Helm produces: block mappings and sequences, `{}` and `[]` for empty collections, and scalars whose requested
// style (plain, single-quoted, double-quoted, literal) is downgraded when the text does not allow it. Lines of plain
// and quoted scalars are folded once they pass column 80 (v2 only). Mode 'v2' is go-yaml v2 (sequences inside
// mappings are not indented, tabs force double quotes); mode 'v3' is go-yaml v3 (sequences indented, tabs allowed in
// block scalars, no line folding).

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

export type YNode =
  | { kind: 'scalar'; value: string; style: ScalarStyle }
  | { kind: 'seq'; items: YNode[] }
  | { kind: 'map'; pairs: Array<[YNode, YNode]> };

export function scalar(value: string, style: ScalarStyle = 'plain'): YNode {
  return { kind: 'scalar', value, style };
}

const BEST_INDENT = 2;

interface Context {
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}
const ROOT: Context = { mapping: false, simpleKey: false };
const IN_SEQ: Context = ROOT;
const MAP_VALUE: Context = { mapping: true, simpleKey: false };
const SIMPLE_KEY: Context = { mapping: true, simpleKey: true };

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

const SP = 0x20;
const TAB = 0x09;
const LF = 0x0a;

function isBreak(c: number): boolean {
  return c === LF || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}
function isBlank(c: number): boolean {
  return c === SP || c === TAB;
}
function isPrintable(c: number): boolean {
  return (
    c === LF ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

/**
 * Code points of s and the UTF-16 offset where each starts (offs has one extra entry: s.length). Text without
 * surrogates (nearly all) keeps neither: its code points are its char codes and offsets its indices (see cp, off).
 */
interface Text {
  readonly s: string;
  /** Number of code points. */
  readonly n: number;
  readonly cps: number[] | null;
  readonly offs: number[] | null;
}

function cp(t: Text, i: number): number {
  return t.cps === null ? t.s.charCodeAt(i) : t.cps[i]!;
}

function off(t: Text, i: number): number {
  return t.offs === null ? i : t.offs[i]!;
}

const SURROGATE = /[\ud800-\udfff]/;

function toText(s: string): Text {
  if (!SURROGATE.test(s)) return { s, n: s.length, cps: null, offs: null };
  const cps: number[] = [];
  const offs: number[] = [];
  for (let i = 0; i < s.length; i++) {
    offs.push(i);
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cps.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    cps.push(c);
  }
  offs.push(s.length);
  return { s, n: cps.length, cps, offs };
}

/**
 * Non-empty printable ASCII without spaces, not starting with an indicator (nor '-', '?' or ':', which are harmless
 * only when followed by more), without ': ' or ' #' (impossible without spaces): plain as it is unless it starts
 * with '...' or ends with ':' (checked apart). '---' is excluded by the first character.
 */
const SIMPLE_PLAIN = /^[A-Za-z0-9_.\/$(+=~<;^\\][!-~]*$/;

const FIRST_INDICATORS = new Set(Array.from('#,[]{}&*!|>\'"%@`', (c) => c.charCodeAt(0)));

function analyze(t: Text, v3: boolean): Analysis {
  const n = t.n;
  if (n === 0) return { multiline: false, blockPlain: true, singleQuoted: true, block: false };
  let blockInd = false;
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (n >= 3 && (t.s.startsWith('---') || t.s.startsWith('...'))) {
    blockInd = true;
  }
  let precededByWs = true;
  for (let i = 0; i < n; i++) {
    const ch = cp(t, i);
    const followedByWs = i + 1 >= n || isBlank(cp(t, i + 1));
    if (i === 0) {
      // Indicators that would start another construct (flow-only indicators are irrelevant in block context).
      if (FIRST_INDICATORS.has(ch)) blockInd = true;
      else if ((ch === 0x3f || ch === 0x3a || ch === 0x2d) && followedByWs) blockInd = true;
    } else if (ch === 0x3a && followedByWs) {
      blockInd = true;
    } else if (ch === 0x23 && precededByWs) {
      blockInd = true;
    }
    if (v3 && ch === TAB) tabs = true;
    else if (!isPrintable(ch)) special = true;
    if (ch === SP) {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(ch)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = isBlank(ch) || isBreak(ch) || ch === 0;
  }
  let blockPlain = true;
  let singleQuoted = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = singleQuoted = false;
  if (spaceBreak || tabs || special) blockPlain = singleQuoted = false;
  if (spaceBreak || special) block = false;
  if (lineBreaks) blockPlain = false;
  if (blockInd) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, singleQuoted, block };
}

function hex(v: number, width: number): string {
  return v.toString(16).toUpperCase().padStart(width, '0');
}

const ESCAPES: Record<number, string> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
  0x85: '\\N',
  0xa0: '\\_',
  0x2028: '\\L',
  0x2029: '\\P',
};
function escapeOf(c: number): string {
  const e = ESCAPES[c];
  if (e !== undefined) return e;
  if (c <= 0xff) return '\\x' + hex(c, 2);
  if (c <= 0xffff) return '\\u' + hex(c, 4);
  return '\\U' + hex(c, 8);
}

/** Lays out one YAML document. */
export class Emitter {
  private readonly out: string[] = [];
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;

  /** Column after which plain and quoted scalars fold: 80 in go-yaml v2; v3 never folds. */
  private readonly bestWidth: number;

  constructor(private readonly v3: boolean) {
    this.bestWidth = v3 ? 2 ** 31 - 1 : 80;
  }

  /** The document text (always ends with a line break). */
  document(root: YNode): string {
    this.node(root, ROOT);
    this.writeIndent();
    return this.out.join('');
  }

  // -- low-level writing -------------------------------------------------------------------------------------

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  private writeIndent(): void {
    const ind = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > ind || (this.column === ind && !this.whitespace)) this.putBreak();
    if (this.column < ind) {
      this.out.push(' '.repeat(ind - this.column));
      this.column = ind;
    }
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) {
      this.out.push(' ');
      this.column++;
    }
    this.out.push(ind);
    this.column += ind.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private run(t: Text, from: number, to: number): void {
    if (to > from) {
      this.out.push(t.s.slice(off(t, from), off(t, to)));
      this.column += to - from;
    }
  }

  /** A line break character taken from the value: '\n' becomes the output line break, others are copied. */
  private writeBreak(t: Text, i: number): void {
    if (cp(t, i) === LF) this.putBreak();
    else {
      this.run(t, i, i + 1);
      this.column = 0;
    }
  }

  private pushIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() as number;
  }

  // -- nodes -------------------------------------------------------------------------------------------------

  private node(n: YNode, ctx: Context): void {
    switch (n.kind) {
      case 'scalar':
        return this.scalar(n.value, n.style, ctx);
      case 'seq':
        if (n.items.length === 0) return this.emptyFlow('[', ']');
        return this.blockSequence(n.items, ctx);
      case 'map':
        if (n.pairs.length === 0) return this.emptyFlow('{', '}');
        return this.blockMapping(n.pairs);
    }
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: YNode[], ctx: Context): void {
    const indentless = !this.v3 && ctx.mapping && !this.indention;
    this.pushIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, IN_SEQ);
    }
    this.popIndent();
  }

  private blockMapping(pairs: Array<[YNode, YNode]>): void {
    this.pushIndent(false, false);
    for (const [k, v] of pairs) {
      this.writeIndent();
      if (this.isSimpleKey(k)) {
        this.node(k, SIMPLE_KEY);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(k, MAP_VALUE);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(v, MAP_VALUE);
    }
    this.popIndent();
  }

  private isSimpleKey(k: YNode): boolean {
    if (k.kind === 'seq') return k.items.length === 0;
    if (k.kind === 'map') return k.pairs.length === 0;
    if (/[\n\r\u0085\u2028\u2029]/.test(k.value)) return false;
    return utf8Length(k.value) <= 128;
  }

  private scalar(value: string, requested: ScalarStyle, ctx: Context): void {
    if (requested === 'plain' && SIMPLE_PLAIN.test(value) && !value.startsWith('...') && !value.endsWith(':')) {
      // The common case, with the result of the general path below: a word that analyze() finds fit for plain
      // style as it is (no spaces or breaks, nothing special), written without folding.
      if (!this.whitespace) {
        this.out.push(' ');
        this.column++;
      }
      this.out.push(value);
      this.column += value.length;
      this.whitespace = false;
      this.indention = false;
      return;
    }
    const t = toText(value);
    const a = analyze(t, this.v3);
    let style = requested;
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlain) style = 'single';
      if (value.length === 0 && ctx.simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'literal' && (!a.block || ctx.simpleKey)) style = 'double';
    this.pushIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    switch (style) {
      case 'plain':
        this.plain(t, allowBreaks);
        break;
      case 'single':
        this.singleQuoted(t, allowBreaks);
        break;
      case 'double':
        this.doubleQuoted(t, allowBreaks);
        break;
      case 'literal':
        this.literal(t);
        break;
    }
    this.popIndent();
  }

  private plain(t: Text, allowBreaks: boolean): void {
    const n = t.n;
    if (!this.whitespace && (n > 0 || !this.v3)) {
      this.out.push(' ');
      this.column++;
    }
    let spaces = false;
    let breaks = false;
    let start = 0; // start of the pending run of ordinary characters
    for (let i = 0; i < n; i++) {
      const ch = cp(t, i);
      if (ch === SP) {
        if (allowBreaks && !spaces && i + 1 < n && cp(t, i + 1) !== SP && this.column + (i - start) > this.bestWidth) {
          this.run(t, start, i);
          this.writeIndent();
          start = i + 1;
        }
        spaces = true;
      } else if (isBreak(ch)) {
        this.run(t, start, i);
        if (!breaks && ch === LF) this.putBreak();
        this.writeBreak(t, i);
        this.indention = true;
        start = i + 1;
        breaks = true;
      } else {
        if (breaks) {
          this.run(t, start, i);
          this.writeIndent();
          start = i;
        }
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.run(t, start, n);
    if (n > 0 || !this.v3) this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(t: Text, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const n = t.n;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const ch = cp(t, i);
      if (ch === SP) {
        if (allowBreaks && !spaces && i > 0 && i < n - 1 && cp(t, i + 1) !== SP && this.column + (i - start) > this.bestWidth) {
          this.run(t, start, i);
          this.writeIndent();
          start = i + 1;
        }
        spaces = true;
      } else if (isBreak(ch)) {
        this.run(t, start, i);
        if (!breaks && ch === LF) this.putBreak();
        this.writeBreak(t, i);
        this.indention = true;
        start = i + 1;
        breaks = true;
      } else {
        if (breaks) {
          this.run(t, start, i);
          this.writeIndent();
          start = i;
        }
        if (ch === 0x27) {
          this.run(t, start, i);
          this.out.push("'");
          this.column++;
          start = i;
        }
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.run(t, start, n);
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(t: Text, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const n = t.n;
    let spaces = false;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const ch = cp(t, i);
      if (!isPrintable(ch) || ch === 0xfeff || isBreak(ch) || ch === 0x22 || ch === 0x5c) {
        this.run(t, start, i);
        const e = escapeOf(ch);
        this.out.push(e);
        this.column += e.length;
        start = i + 1;
        spaces = false;
      } else if (ch === SP) {
        if (allowBreaks && !spaces && i > 0 && i < n - 1 && this.column + (i - start) > this.bestWidth) {
          this.run(t, start, i);
          this.writeIndent();
          if (cp(t, i + 1) === SP) {
            this.out.push('\\');
            this.column++;
          }
          start = i + 1;
        }
        spaces = true;
      } else {
        spaces = false;
      }
    }
    this.run(t, start, n);
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(t: Text): void {
    this.writeIndicator('|', true, false, false);
    const n = t.n;
    if (n > 0 && (cp(t, 0) === SP || isBreak(cp(t, 0)))) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    if (n === 0) chomp = '-';
    else if (!isBreak(cp(t, n - 1))) chomp = '-';
    else if (n === 1) chomp = '+';
    else if (isBreak(cp(t, n - 2))) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const ch = cp(t, i);
      if (isBreak(ch)) {
        this.run(t, start, i);
        this.writeBreak(t, i);
        this.indention = true;
        start = i + 1;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          this.indention = false;
        }
        breaks = false;
      }
    }
    this.run(t, start, n);
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
