// A fast, exact reader for the common subset of YAML that Helm charts, values files and rendered manifests are made
// of: block mappings and sequences (indentless sequences and compact `- key: v` entries included), plain and quoted
// scalars (multi-line ones folded), literal and folded block scalars (indentation indicators included), comments,
// single-line flow collections of scalars and of nested single-line flow collections, anchors on scalars and their
// aliases, a leading `---`.
//
// It gives exactly what decode.ts's full reader gives for these documents, or FALLBACK: anything it is not sure
// about (tags, anchors on collections, merge keys, flow mappings with content, nested flow collections, tabs
// outside block scalar content, several documents, directives, unusual characters, keys that are not plain
// strings, non-finite numbers, every syntax error ...) makes it give up, and the caller then runs the full reader,
// which also produces every error message. It never throws and never reports an error itself. test/yaml/fast.test.ts
// holds it to that over the corpus and seeded mutations of it.
import { newMap, newSlice, type GoMap, type GoValue } from '../template/value.js';
import { resolvePlain } from './resolve.js';

export const FALLBACK: unique symbol = Symbol('yaml fast path: fall back');

/** Thrown (preallocated) to abandon the fast path. */
const BAIL = { bail: true };

// Characters that make the whole text go to the full reader: controls other than \t and \n (\r included), DEL and
// C1 controls, BOM, U+FFFE/U+FFFF, line/paragraph separators, and lone surrogates (invalid UTF-8 bytes).
// UNUSUAL_OR_SURROGATE is the quick scan (a plain character class); only texts with surrogates need the second look.
const UNUSUAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNUSUAL_OR_SURROGATE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;

const NL = 10;
const SP = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQ = 34;
const SQ = 39;

/** First characters of a plain scalar that may resolve to something other than a string (see resolve.ts hint). */
function mayNotBeString(c: number): boolean {
  // digits, + - . ~ and y Y n N t T f F o O
  if (c >= 48 && c <= 57) return true;
  switch (c) {
    case 43: // +
    case 45: // -
    case 46: // .
    case 126: // ~
    case 121: // y
    case 89:
    case 110: // n
    case 78:
    case 116: // t
    case 84:
    case 102: // f
    case 70:
    case 111: // o
    case 79:
      return true;
  }
  return false;
}

/** Indicator characters that may not start a plain scalar or key here (`-` is handled by the callers). */
function isIndicatorStart(c: number): boolean {
  switch (c) {
    case 63: // ?
    case 58: // :
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
  }
  return false;
}

/**
 * The next index of one character at or after a position (the text's length when none), remembered: a reader that
 * moves forward asks again for positions up to the last answer without searching again.
 */
class NextIndex {
  private from = -1;
  private found = -1;

  constructor(
    private readonly s: string,
    private readonly ch: string,
  ) {}

  at(p: number): number {
    if (p < this.from || p > this.found) {
      const i = this.s.indexOf(this.ch, p);
      this.found = i < 0 ? this.s.length : i;
      this.from = p;
    }
    return this.found;
  }
}

class Parser {
  private readonly s: string;
  private readonly n: number;
  /** Start of the current content line, the index of its first non-space character and its indentation. */
  private ls = 0;
  private li = 0;
  private ind = 0;
  private eof = false;
  /** Whether the document has begun (content or an explicit `---` seen). */
  private started = false;
  // Next ':' / '#' / tab at or after a position (the parser moves forward, so each is found once: no rescans).
  private readonly colons: NextIndex;
  private readonly hashes: NextIndex;
  private readonly tabs: NextIndex;

  private lineEnd(p: number): number {
    const i = this.s.indexOf('\n', p);
    return i < 0 ? this.n : i;
  }

  /**
   * On the line from p: the first ':' that is a mapping indicator (followed by a space or the line end), the first
   * '#' that starts a comment (after a space), each or the line end `nl` when absent.
   */
  private indicatorColon(p: number, nl: number): number {
    const s = this.s;
    let j = this.colons.at(p);
    while (j < nl) {
      if (j + 1 >= this.n) return j;
      const e = s.charCodeAt(j + 1);
      if (e === SP || e === NL) return j;
      j = this.colons.at(j + 1);
    }
    return nl;
  }

  private commentStart(p: number, nl: number): number {
    const s = this.s;
    let j = this.hashes.at(p);
    while (j < nl) {
      if (j > p && s.charCodeAt(j - 1) === SP) return j;
      j = this.hashes.at(j + 1);
    }
    return nl;
  }

  constructor(s: string) {
    this.s = s;
    this.n = s.length;
    this.colons = new NextIndex(s, ':');
    this.hashes = new NextIndex(s, '#');
    this.tabs = new NextIndex(s, '\t');
  }

  /**
   * Whether values are built. Off, the parser still reads (and checks) everything but builds nothing: parseHead
   * builds only the parts of a manifest's head.
   */
  private build = true;
  /** parseHead is running (anchors and aliases are then left to the full reader). */
  private headMode = false;
  /** Scalar values of the anchors seen so far (anchors on collections are left to the full reader). */
  private anchors: Map<string, GoValue> | undefined;
  private aliasUses = 0;

  parse(): GoValue {
    this.nextLine(0);
    if (this.eof) return null;
    return this.wholeDocument();
  }

  /**
   * The document with only the root mapping's `apiVersion`, `kind` and `metadata` entries built (everything is
   * read and checked as parse() does). A document that is not a block mapping is parsed whole.
   */
  parseHead(): GoValue {
    this.headMode = true;
    this.nextLine(0);
    if (this.eof) return null;
    const p = this.li;
    const c = this.s.charCodeAt(p);
    if ((c === DASH && this.isSpaceOrEnd(p + 1)) || this.keyEnd(p) < 0) return this.wholeDocument();
    const v = this.mapping(this.ind, HEAD_KEYS);
    if (!this.eof) throw BAIL;
    return v;
  }

  /** The document from its first content line on (the parser stands there). */
  private wholeDocument(): GoValue {
    const v = this.rootNode();
    if (!this.eof) throw BAIL;
    return v;
  }

  /** Moves to the next line holding content (skipping blank and comment lines), starting at line start `from`. */
  private nextLine(from: number): void {
    const s = this.s;
    const n = this.n;
    let p = from;
    for (;;) {
      if (p >= n) {
        this.eof = true;
        this.li = n;
        this.ls = n;
        this.ind = 0;
        return;
      }
      let q = p;
      q = this.skipSpaces(q);
      if (q >= n) {
        p = n;
        continue;
      }
      const c = s.charCodeAt(q);
      if (c === NL) {
        p = q + 1;
        continue;
      }
      if (c === HASH) {
        const e = s.indexOf('\n', q);
        p = e < 0 ? n : e + 1;
        continue;
      }
      if (c === TAB) throw BAIL;
      if (q === p && (c === DASH || c === 46 || c === 37)) {
        // document markers (--- ...) and directives (%) at column 0
        if (c === 37 || s.startsWith('...', q)) throw BAIL;
        if (s.startsWith('---', q)) {
          const after = q + 3 < n ? s.charCodeAt(q + 3) : NL;
          if (after === NL || after === SP) {
            // `---` before any content starts the document. A later one starts another document: decoding reads
            // only the first, but the full reader can report problems of the next one against the first, so
            // streams of several documents are left to it.
            const e = s.indexOf('\n', q);
            if (this.started) {
              // ... unless nothing but blank and comment lines follows
              if (!/^(?:[ ]*(?:#[^\n]*)?(?:\n|$))*$/.test(s.slice(e < 0 ? n : e + 1)) || (q + 3 < n && s.charCodeAt(q + 3) !== NL)) throw BAIL;
              this.eof = true;
              this.li = n;
              this.ls = n;
              this.ind = 0;
              return;
            }
            let r = q + 3;
            r = this.skipSpaces(r);
            if (r < n && s.charCodeAt(r) !== NL) throw BAIL; // content or a comment on the marker line
            this.started = true;
            p = e < 0 ? n : e + 1;
            continue;
          }
          throw BAIL;
        }
      }
      this.started = true;
      this.ls = p;
      this.li = q;
      this.ind = q - p;
      return;
    }
  }

  /**
   * finishLine after a quoted scalar or flow collection that is a mapping value (inMap) or a sequence entry; in a
   * sequence entry a ':' after it makes it the key of a compact mapping (`- "key": value`), left to the full reader.
   */
  private endEntryLine(end: number, inMap: boolean): void {
    if (!inMap && this.s.charCodeAt(this.skipSpaces(end)) === COLON) throw BAIL;
    this.finishLine(end);
  }

  /** After a value that ended at `p` on the current line: only spaces and a comment may follow. */
  private finishLine(p: number): void {
    const s = this.s;
    const n = this.n;
    const start = p;
    p = this.skipSpaces(p);
    if (p >= n) {
      this.nextLine(n);
      return;
    }
    const c = s.charCodeAt(p);
    if (c === NL) {
      this.nextLine(p + 1);
      return;
    }
    if (c === HASH && p > start) {
      const e = s.indexOf('\n', p);
      this.nextLine(e < 0 ? n : e + 1);
      return;
    }
    throw BAIL;
  }

  private rootNode(): GoValue {
    const s = this.s;
    const c = s.charCodeAt(this.li);
    if (c === 91 || c === 123) {
      const end = this.flowEnd(this.li);
      const v = this.flowValue;
      this.finishLine(end);
      return v;
    }
    const p = this.li;
    if (c === DASH && this.isSpaceOrEnd(p + 1)) return this.sequence(this.ind);
    if (this.keyEnd(p) >= 0) return this.mapping(this.ind);
    throw BAIL;
  }

  /**
   * The node on its own line(s) below a mapping key or sequence entry: the current content line, indented beyond
   * `parent` (the column of the enclosing mapping or sequence).
   */
  private blockNode(parent: number): GoValue {
    const s = this.s;
    const p = this.li;
    const col = this.ind;
    const c = s.charCodeAt(p);
    if (c === DASH && this.isSpaceOrEnd(p + 1)) return this.sequence(col);
    if (this.keyEnd(p) >= 0) return this.mapping(col);
    switch (c) {
      case DQ:
      case SQ: {
        const end = this.quotedEnd(p, true);
        const v = this.quoted(p, end, parent);
        this.finishLine(end);
        return v;
      }
      case 91: // [
      case 123: {
        // {
        const end = this.flowEnd(p);
        const v = this.flowValue;
        this.finishLine(end);
        return v;
      }
      case 124: // |
      case 62: // >
        return this.blockScalar(p, parent);
      default:
        if (isIndicatorStart(c) || c === DASH) throw BAIL;
    }
    return this.plain(p, parent);
  }

  private isSpaceOrEnd(p: number): boolean {
    if (p >= this.n) return true;
    const c = this.s.charCodeAt(p);
    return c === SP || c === NL;
  }

  /**
   * If a block mapping entry starts at p, the index of its ':' indicator; -1 when the line is not a mapping entry.
   * Keys other than simple plain or quoted ones make the fast path give up.
   */
  private keyEnd(p: number): number {
    const s = this.s;
    const n = this.n;
    const c = s.charCodeAt(p);
    if (c === DQ || c === SQ) {
      const q = this.quotedEnd(p, false);
      let r = q;
      r = this.skipSpaces(r);
      if (r < n && s.charCodeAt(r) === COLON && this.isSpaceOrEnd(r + 1)) {
        if (r !== q) throw BAIL;
        return r;
      }
      return -1;
    }
    if (isIndicatorStart(c)) return -1;
    if (c === DASH && this.isSpaceOrEnd(p + 1)) return -1;
    const nl = this.lineEnd(p);
    const colon = this.indicatorColon(p, nl);
    const comment = this.commentStart(p, colon);
    const end = comment < colon ? comment : colon;
    if (this.tabs.at(p) < end) throw BAIL;
    return comment < colon || colon >= nl ? -1 : colon;
  }

  /** The key of the entry at p whose ':' is at `colon`, as the JSON object key sigs.k8s.io/yaml makes of it. */
  private keyName(p: number, colon: number): string {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === DQ || c === SQ) return this.quoted(p, colon, -1);
    if (colon - p > 1000 || s.charCodeAt(colon - 1) === SP) throw BAIL;
    const text = s.slice(p, colon);
    for (let j = 0; j < text.length; j++) {
      const d = text.charCodeAt(j);
      // flow indicators and quotes inside implicit keys: leave them to the full reader
      if (d === 91 || d === 93 || d === 123 || d === 125 || d === 44 || d === DQ || d === SQ) throw BAIL;
    }
    if (text === '<<') throw BAIL;
    if (!mayNotBeString(c)) return text;
    const r = resolvePlain(text, false);
    switch (r.tag) {
      case 'str':
        return r.value;
      case 'timestamp':
        return r.text;
      case 'bool':
        return r.value ? 'true' : 'false';
      case 'int':
        if (r.unsigned) throw BAIL;
        return r.value.toString();
      default:
        throw BAIL;
    }
  }

  /** A block mapping; with `only`, the root of parseHead: just those keys' values are built. */
  /** keyName's checks without building the name (when nothing is built). */
  private checkKey(p: number, colon: number): string {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === DQ || c === SQ) {
      this.quoted(p, colon, -1);
      return '';
    }
    if (colon - p > 1000 || s.charCodeAt(colon - 1) === SP) throw BAIL;
    for (let j = p; j < colon; j++) {
      const d = s.charCodeAt(j);
      if (d === 91 || d === 93 || d === 123 || d === 125 || d === 44 || d === DQ || d === SQ) throw BAIL;
    }
    if (mayNotBeString(c) || (c === 60 && colon - p === 2 && s.charCodeAt(p + 1) === 60)) this.keyName(p, colon);
    return '';
  }

  private mapping(col: number, only?: ReadonlySet<string>): GoMap {
    const build = this.build;
    const out = build ? newMap() : (null as unknown as GoMap);
    for (;;) {
      const p = this.li;
      const colon = this.keyEnd(p);
      if (colon < 0) throw BAIL;
      const key = build ? this.keyName(p, colon) : this.checkKey(p, colon);
      if (only !== undefined) this.build = only.has(key);
      const v = this.value(colon + 1, col, true);
      if (only !== undefined) this.build = true;
      if (build && (only === undefined || only.has(key))) out[key] = v;
      if (this.eof || this.ind < col) return out;
      if (this.ind > col) throw BAIL;
    }
  }

  private sequence(col: number): GoValue[] {
    const out: GoValue[] | null = this.build ? [] : null;
    const s = this.s;
    for (;;) {
      const v = this.value(this.li + 1, col, false);
      if (out !== null) out.push(v);
      if (this.eof || this.ind < col) return newSlice(out ?? []);
      if (this.ind > col) throw BAIL;
      const p = this.li;
      if (!(s.charCodeAt(p) === DASH && this.isSpaceOrEnd(p + 1))) return newSlice(out ?? []);
    }
  }

  /**
   * The value after a mapping entry's ':' (inMap) or a sequence entry's '-', starting at p on the current line;
   * `parent` is the column of the mapping or sequence. Leaves the parser on the next content line.
   */
  private value(p: number, parent: number, inMap: boolean): GoValue {
    const s = this.s;
    const n = this.n;
    let q = p;
    q = this.skipSpaces(q);
    if (q >= n) {
      this.nextLine(n);
      return null;
    }
    const c = s.charCodeAt(q);
    if (c === NL || c === HASH) {
      if (c === HASH && q === p) throw BAIL;
      const e = c === NL ? q : s.indexOf('\n', q);
      this.nextLine(e < 0 ? n : e + 1);
      if (this.eof) return null;
      if (this.ind > parent) return this.blockNode(parent);
      if (inMap && this.ind === parent && s.charCodeAt(this.li) === DASH && this.isSpaceOrEnd(this.li + 1)) return this.sequence(parent);
      return null;
    }
    if (c === TAB) throw BAIL;
    switch (c) {
      case DQ:
      case SQ: {
        const end = this.quotedEnd(q, true);
        const v = this.quoted(q, end, parent);
        this.endEntryLine(end, inMap);
        return v;
      }
      case 124: // |
      case 62: // >
        return this.blockScalar(q, parent);
      case 91: // [
      case 123: {
        // {
        const end = this.flowEnd(q);
        const v = this.flowValue;
        this.endEntryLine(end, inMap);
        return v;
      }
      case DASH:
        if (this.isSpaceOrEnd(q + 1)) {
          if (inMap) throw BAIL;
          this.li = q;
          const col = q - this.ls;
          this.ind = col;
          return this.sequence(col);
        }
        break;
      case 38: // &anchor on a scalar
        return this.anchored(q, parent);
      case 42: {
        // *alias of a scalar anchor
        const j = this.anchorNameEnd(q);
        const v = this.anchors?.get(s.slice(q + 1, j));
        if (v === undefined || ++this.aliasUses > 100) throw BAIL;
        this.finishLine(j);
        return v;
      }
      case COLON:
        // ':' starts a plain scalar when a non-space follows (`:x:sum`, a Prometheus rule name)
        if (this.isSpaceOrEnd(q + 1) || s.charCodeAt(q + 1) === TAB) throw BAIL;
        return this.plain(q, parent);
      default:
        if (isIndicatorStart(c)) throw BAIL;
    }
    if (!inMap && this.keyEnd(q) >= 0) {
      this.li = q;
      const col = q - this.ls;
      this.ind = col;
      return this.mapping(col);
    }
    return this.plain(q, parent);
  }

  /** The end of the anchor or alias name after the indicator at q (simple names only). */
  private anchorNameEnd(q: number): number {
    if (this.headMode || !this.build) throw BAIL;
    const s = this.s;
    let j = q + 1;
    for (; j < this.n; j++) {
      const d = s.charCodeAt(j);
      if (!((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || d === DASH)) break;
    }
    if (j === q + 1 || (j < this.n && s.charCodeAt(j) !== SP && s.charCodeAt(j) !== NL)) throw BAIL;
    return j;
  }

  /** `&name` followed by a scalar on the same line: the scalar, remembered under the name. */
  private anchored(q: number, parent: number): GoValue {
    const s = this.s;
    const n = this.n;
    const j = this.anchorNameEnd(q);
    let r = j;
    r = this.skipSpaces(r);
    if (r >= n) throw BAIL;
    const c = s.charCodeAt(r);
    let v: GoValue;
    if (c === DQ || c === SQ) {
      const end = this.quotedEnd(r, false);
      v = this.quoted(r, end, -1);
      this.finishLine(end);
    } else {
      if (c === NL || c === TAB || isIndicatorStart(c) || (c === DASH && this.isSpaceOrEnd(r + 1))) throw BAIL;
      v = this.plain(r, parent);
    }
    (this.anchors ??= new Map()).set(s.slice(q + 1, j), v);
    return v;
  }

  private skipSpaces(j: number): number {
    const s = this.s;
    while (j < this.n && s.charCodeAt(j) === SP) j++;
    return j;
  }

  /**
   * The single-line flow collection ('[' or '{') starting at q: scalars and nested single-line flow collections; in a
   * mapping, each entry a plain or quoted key, ': ' and a value. Sets flowValue, returns the index after the closing
   * bracket. Everything else (empty entries, trailing commas, implicit pairs in sequences, '?', keys without values,
   * duplicate keys, ':' inside plain scalars, comments, line breaks) is left to the full reader.
   */
  private flowValue: GoValue = null;
  private flowEnd(q: number, depth = 0): number {
    if (depth > 20) throw BAIL;
    const s = this.s;
    const n = this.n;
    const isMap = s.charCodeAt(q) === 123;
    const close = isMap ? 125 : 93;
    const items: GoValue[] = [];
    const map = isMap ? newMap() : undefined;
    let j = this.skipSpaces(q + 1);
    if (j < n && s.charCodeAt(j) === close) {
      this.flowValue = map ?? newSlice(items);
      return j + 1;
    }
    for (;;) {
      if (j >= n) throw BAIL;
      let key = '';
      if (map !== undefined) {
        const colon = this.flowScalarEnd(j, close);
        if (s.charCodeAt(colon) !== COLON || !this.isSpaceOrEnd(colon + 1)) throw BAIL;
        key = this.keyName(j, colon);
        if (Object.hasOwn(map, key)) throw BAIL;
        j = this.skipSpaces(colon + 1);
        if (j >= n) throw BAIL;
      }
      const c = s.charCodeAt(j);
      let v: GoValue;
      if (c === 91 || c === 123) {
        j = this.flowEnd(j, depth + 1);
        v = this.flowValue;
      } else {
        const end = this.flowScalarEnd(j, close);
        if (c === DQ || c === SQ) v = this.quoted(j, end, -1);
        else {
          let e = end;
          while (e > j && s.charCodeAt(e - 1) === SP) e--;
          v = plainValue(s.slice(j, e));
        }
        j = end;
      }
      if (map !== undefined) map[key] = v;
      else items.push(v);
      j = this.skipSpaces(j);
      if (j >= n) throw BAIL;
      const d = s.charCodeAt(j);
      if (d === close) {
        this.flowValue = map ?? newSlice(items);
        return j + 1;
      }
      if (d !== 44) throw BAIL;
      j = this.skipSpaces(j + 1);
      if (j < n && (s.charCodeAt(j) === close || s.charCodeAt(j) === 44)) throw BAIL; // [a,] [a,,b]
    }
  }

  /**
   * The end of the scalar at j inside a flow collection closed by `close`: after the closing quote of a quoted one;
   * for a plain one, the ',', ':' or closing bracket that ends it (trailing spaces included). Gives up on anything
   * that could make it more than a plain scalar.
   */
  private flowScalarEnd(j: number, close: number): number {
    const s = this.s;
    const n = this.n;
    const c = s.charCodeAt(j);
    if (c === DQ || c === SQ) return this.quotedEnd(j, false);
    if (j >= n || isIndicatorStart(c)) throw BAIL;
    if (c === DASH) {
      // '-' starts a plain scalar only before a safe character
      const d = s.charCodeAt(j + 1);
      if (this.isSpaceOrEnd(j + 1) || d === 44 || d === 91 || d === 93 || d === 123 || d === 125) throw BAIL;
    }
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (d === 44 || d === close) return j;
      if (d === COLON) {
        if (this.isSpaceOrEnd(j + 1)) return j;
        throw BAIL;
      }
      if (d === NL || d === TAB || d === HASH || d === 91 || d === 93 || d === 123 || d === 125 || d === DQ || d === SQ) throw BAIL;
    }
    throw BAIL;
  }

  /**
   * A plain scalar starting at q, continued on following lines indented beyond `parent`; leaves the parser on the
   * next content line.
   */
  private plain(q: number, parent: number): GoValue {
    const s = this.s;
    const n = this.n;
    const nl = this.lineEnd(q);
    const comment = this.commentStart(q, nl);
    // a mapping indicator inside the scalar is an error, a tab something to leave to the full reader
    if (this.indicatorColon(q, comment) < comment || this.tabs.at(q) < comment) throw BAIL;
    const j = nl;
    const end = comment < nl ? comment : -1;
    let e = end < 0 ? j : end;
    while (e > q && s.charCodeAt(e - 1) === SP) e--;
    const build = this.build;
    let text = build ? s.slice(q, e) : '';
    let next: number;
    if (end < 0) {
      next = j >= n ? n : j + 1;
      // continuation lines (folded: one space per line break, one newline per empty line)
      let empties = 0;
      let multi = false;
      for (let ls = next; ls < n; ) {
        let k = ls;
        k = this.skipSpaces(k);
        if (k >= n) break;
        const c = s.charCodeAt(k);
        if (c === NL) {
          empties++;
          ls = k + 1;
          continue;
        }
        if (c === HASH || k - ls <= parent) break;
        if (c === TAB) throw BAIL;
        // The line may hold no mapping indicator (': ', ':' ending the line or text), comment (' #') or tab: found
        // with the forward-only indexOf caches, not a loop over every character (long descriptions fill CRDs).
        const t = this.lineEnd(k);
        if (this.indicatorColon(k, t) < t || this.tabs.at(k) < t) throw BAIL;
        if (this.commentStart(k, t) < t) throw BAIL;
        let te = t;
        while (te > k && s.charCodeAt(te - 1) === SP) te--;
        if (build) text += (empties === 0 ? ' ' : '\n'.repeat(empties)) + s.slice(k, te);
        empties = 0;
        multi = true;
        ls = next = t >= n ? n : t + 1;
      }
      if (multi) {
        this.nextLine(next);
        return build ? plainValue(text) : null; // several words: never a special value
      }
    } else {
      const nl = s.indexOf('\n', end);
      next = nl < 0 ? n : nl + 1;
    }
    this.nextLine(next);
    return build ? plainValue(text) : checkPlain(s, q, e);
  }

  /** Index just after the closing quote of the quoted scalar at q (on one line unless `multi`). */
  private quotedEnd(q: number, multi: boolean): number {
    const s = this.s;
    const n = this.n;
    const quote = s.charCodeAt(q);
    for (let j = q + 1; j < n; j++) {
      const d = s.charCodeAt(j);
      if (d === NL && !multi) throw BAIL;
      if (d === quote) {
        if (quote === SQ && s.charCodeAt(j + 1) === SQ) {
          j++;
          continue;
        }
        return j + 1;
      }
      if (d === 92 && quote === DQ) j++; // backslash: skip the escaped character
    }
    throw BAIL;
  }

  /**
   * The value of the quoted scalar spanning [q, end); continuation lines must be indented beyond `parent` and are
   * folded (one space per line break, one newline per empty line).
   */
  private quoted(q: number, end: number, parent: number): string {
    const s = this.s;
    const quote = s.charCodeAt(q);
    let body = s.slice(q + 1, end - 1);
    if (body.includes('\n')) body = foldQuoted(body, parent, quote === DQ);
    if (quote === SQ) return body.includes("'") ? body.replace(/''/g, "'") : body;
    if (!body.includes('\\')) return body;
    let out = '';
    let i = 0;
    for (;;) {
      const b = body.indexOf('\\', i);
      if (b < 0) break;
      out += body.slice(i, b);
      const e = body.charCodeAt(b + 1);
      switch (e) {
        case 92:
          out += '\\';
          break;
        case DQ:
          out += '"';
          break;
        case 110: // n
          out += '\n';
          break;
        case 116: // t
          out += '\t';
          break;
        case 114: // r
          out += '\r';
          break;
        case SP:
          out += ' ';
          break;
        case 117: {
          // u
          const hex = body.slice(b + 2, b + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
          const cp = parseInt(hex, 16);
          if (cp >= 0xd800 && cp <= 0xdfff) throw BAIL;
          out += String.fromCharCode(cp);
          i = b + 6;
          continue;
        }
        default:
          throw BAIL;
      }
      i = b + 2;
    }
    return out + body.slice(i);
  }

  /** A block scalar without content lines ("" unless kept line breaks are involved), followed by the line at `next`. */
  private emptyBlockScalar(chomp: number, next: number): string {
    if (chomp > 0) throw BAIL;
    this.nextLine(next);
    return '';
  }

  /** A literal (|) or folded (>) block scalar whose header is at q; `parent` is the enclosing node's column. */
  private blockScalar(q: number, parent: number): string {
    const s = this.s;
    const n = this.n;
    const folded = s.charCodeAt(q) === 62;
    let p = q + 1;
    let chomp = 0; // -1 strip, 0 clip, 1 keep
    let indicator = 0; // explicit indentation (1-9), relative to the parent's column
    for (let i = 0; i < 2; i++) {
      const h = s.charCodeAt(p);
      if (chomp === 0 && (h === DASH || h === 43)) {
        chomp = h === DASH ? -1 : 1;
        p++;
      } else if (indicator === 0 && h >= 49 && h <= 57) {
        indicator = h - 48;
        p++;
      }
    }
    // header end: spaces, then a comment or the line end
    const hs = p;
    p = this.skipSpaces(p);
    if (p < n) {
      const c = s.charCodeAt(p);
      if (c === HASH && p > hs) {
        const e = s.indexOf('\n', p);
        p = e < 0 ? n : e;
      } else if (c !== NL) throw BAIL;
    }
    if (p >= n) return this.emptyBlockScalar(chomp, n); // no content at all
    let ls = p + 1; // first content line
    // leading empty lines, then the first non-empty line fixes the indentation (unless given)
    let leadingMax = 0;
    let leading = 0;
    let k = -1;
    if (indicator > 0) {
      k = parent + indicator;
      if (k < 1) throw BAIL;
    } else for (;;) {
      if (ls >= n) return this.emptyBlockScalar(chomp, n);
      let j = ls;
      j = this.skipSpaces(j);
      if (j >= n) return this.emptyBlockScalar(chomp, n);
      const c = s.charCodeAt(j);
      if (c === NL) {
        if (j - ls > leadingMax) leadingMax = j - ls;
        leading++;
        ls = j + 1;
        continue;
      }
      if (c === TAB) throw BAIL;
      k = j - ls;
      break;
    }
    if (indicator === 0) {
      if (k <= parent) return this.emptyBlockScalar(chomp, ls); // the next line is not content
      if (leadingMax > k) throw BAIL;
    }
    // content lines: [start, end) slices after the indentation, '' for empty lines
    const lines: string[] = [];
    for (let i = 0; i < leading; i++) lines.push('');
    let lastNonEmpty = -1; // index in lines
    let endsWithNewline = false;
    let next = n; // start of the line after the scalar
    let pos = ls;
    const pad = ' '.repeat(k); // a full indentation is matched at once (native compare), else space by space
    for (;;) {
      if (pos >= n) {
        next = n;
        break;
      }
      let j = pos;
      const lim = pos + k;
      if (s.startsWith(pad, pos)) j = lim;
      else while (j < lim && j < n && s.charCodeAt(j) === SP) j++;
      if (j >= n) {
        // trailing spaces at the very end
        lines.push('');
        endsWithNewline = false;
        next = n;
        break;
      }
      const c = s.charCodeAt(j);
      if (j < lim) {
        // less indented than the content
        if (c === NL) {
          lines.push('');
          pos = j + 1;
          endsWithNewline = true;
          continue;
        }
        next = pos;
        break;
      }
      // at least k spaces: a content line (or a line of only spaces beyond the indentation)
      const e0 = s.indexOf('\n', j);
      const e = e0 < 0 ? n : e0;
      if (c === NL) {
        lines.push('');
        pos = e + 1;
        endsWithNewline = true;
        continue;
      }
      let allSpace = true;
      for (let t = j; t < e; t++) {
        if (s.charCodeAt(t) !== SP) {
          allSpace = false;
          break;
        }
      }
      // Spaces beyond the indentation on an otherwise empty line, more-indented lines of a folded scalar: content
      // lines whose value is left to the full reader, but neither can be an error, so a check that builds nothing
      // (a manifest head's other entries) reads on.
      const unread = allSpace || (folded && (c === SP || c === TAB));
      if (unread && this.build) throw BAIL;
      lines.push(unread ? '' : s.slice(j, e));
      lastNonEmpty = lines.length - 1;
      if (e0 < 0) {
        endsWithNewline = false;
        next = n;
        break;
      }
      endsWithNewline = true;
      pos = e + 1;
    }
    // A line after the scalar that is still indented beyond the parent is the parent's problem (it gives up).
    if (lastNonEmpty < 0) throw BAIL;
    const trailing = lines.length - 1 - lastNonEmpty;
    if (!this.build) {
      if (folded && (leading > 0 || lines[0] === '')) throw BAIL;
      if (chomp === 1 && (!endsWithNewline || next >= n)) throw BAIL;
      this.nextLine(next);
      return '';
    }
    let body: string;
    if (!folded) {
      body = lines.length === lastNonEmpty + 1 ? lines.join('\n') : lines.slice(0, lastNonEmpty + 1).join('\n');
    } else {
      // leading empty lines before the first text: left to the full reader
      if (leading > 0 || lines[0] === '') throw BAIL;
      body = lines[0]!;
      let empties = 0;
      for (let i = 1; i <= lastNonEmpty; i++) {
        const l = lines[i]!;
        if (l === '') {
          empties++;
          continue;
        }
        body += (empties === 0 ? ' ' : '\n'.repeat(empties)) + l;
        empties = 0;
      }
    }
    if (chomp === -1) {
      // strip
    } else if (chomp === 0) {
      // clip: one line break, even at the end of the input (as the full reader does)
      body += '\n';
    } else {
      if (!endsWithNewline || next >= n) throw BAIL;
      body += '\n'.repeat(1 + trailing);
    }
    this.nextLine(next);
    return body;
  }
}

/** Folds the lines of a multi-line quoted scalar's body (escapes still in place). */
function foldQuoted(body: string, parent: number, double: boolean): string {
  if (body.includes('\t')) throw BAIL;
  const lines = body.split('\n');
  const last = lines.length - 1;
  let out = '';
  let empties = 0;
  for (let i = 0; i <= last; i++) {
    const raw = lines[i]!;
    let a = 0;
    let b = raw.length;
    if (i > 0) {
      while (a < b && raw.charCodeAt(a) === SP) a++;
      if (a === b) {
        if (i === last) {
          // the closing quote alone on its line: the last line break still folds
          if (a <= parent) throw BAIL;
          out += empties === 0 ? ' ' : '\n'.repeat(empties);
          break;
        }
        empties++;
        continue;
      }
      if (a <= parent) throw BAIL; // not indented enough
      if (i === last && a === 0) throw BAIL;
    }
    if (i < last) {
      while (b > a && raw.charCodeAt(b - 1) === SP) b--;
      if (double && raw.charCodeAt(b - 1) === 92) throw BAIL; // escaped line break (or escaped space)
    }
    const seg = raw.slice(a, b);
    if (i === 0) out = seg;
    else out += (empties === 0 ? ' ' : '\n'.repeat(empties)) + seg;
    empties = 0;
  }
  return out;
}

const HEAD_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

/** plainValue's checks for s[q, e) without building the value (only non-finite numbers make it give up). */
function checkPlain(s: string, q: number, e: number): null {
  const c = s.charCodeAt(q);
  if ((c === 46 || c === 43 || c === DASH) && e - q <= 5) plainValue(s.slice(q, e));
  return null;
}

/** A plain scalar's value as decode.ts types it (go-yaml v2 rules, then the JSON round trip). */
function plainValue(text: string): GoValue {
  if (text === '') return null;
  const c = text.charCodeAt(0);
  if (!mayNotBeString(c)) return text;
  // words that start like y/n/true/false/on/off/null but are longer than any of them
  if (c >= 65 && text.length > 5) return text;
  const r = resolvePlain(text, false);
  switch (r.tag) {
    case 'str':
      return r.value;
    case 'null':
      return null;
    case 'bool':
      return r.value;
    case 'int':
      return Number(r.value);
    case 'float':
      if (!Number.isFinite(r.value)) throw BAIL;
      return r.value;
    case 'timestamp':
      return r.text;
  }
}

/**
 * For reading a manifest's head: the first document of `text` as parseYaml reads it except that, when it is a
 * block mapping, only its apiVersion, kind and metadata entries are there; FALLBACK when the full reader must
 * decide. It gives up exactly when fastParseYaml would (or more often), after the same checks of the whole text.
 */
export function fastParseYamlHead(text: string): GoValue | typeof FALLBACK {
  if (UNUSUAL_OR_SURROGATE.test(text) && UNUSUAL.test(text)) return FALLBACK;
  try {
    return new Parser(text).parseHead();
  } catch {
    return FALLBACK;
  }
}

/** The first document of `text` as parseYaml reads it, or FALLBACK when the full reader must decide. */
export function fastParseYaml(text: string): GoValue | typeof FALLBACK {
  if (UNUSUAL_OR_SURROGATE.test(text) && UNUSUAL.test(text)) return FALLBACK;
  try {
    return new Parser(text).parse();
  } catch (e) {
    if (e === BAIL) return FALLBACK;
    // RangeError (deep nesting) and anything unexpected: the full reader decides.
    return FALLBACK;
  }
}
