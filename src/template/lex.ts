// The scanner of Go's text/template (text/template/parse/lex.go behaviour), pulled one token at a time by the parser.
//
// Works over char codes without regular expressions on the hot path. Trim markers (`{{- ` and ` -}}`, the dash
// touching the delimiter and followed/preceded by an ASCII space, tab, CR or LF) are handled here: the text tokens
// the parser sees are already trimmed, and comments (`{{/* … */}}`) produce no token at all.
//
// Token positions are string indices into the source; an error token carries its message in `val`.
import { isPrint, quote } from './fmt.js';

export const enum Tok {
  Error,
  Bool,
  Char, // a printable ASCII character inside an action: comma and the like
  CharConstant,
  Complex,
  Assign, // '='
  Declare, // ':='
  EOF,
  Field, // '.name'
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable, // '$' or '$name'
  // Keywords come after all the rest.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Token {
  readonly type: Tok;
  readonly pos: number;
  readonly val: string;
}

const KEYWORDS: ReadonlyMap<string, Tok> = new Map([
  ['block', Tok.Block],
  ['break', Tok.Break],
  ['continue', Tok.Continue],
  ['define', Tok.Define],
  ['else', Tok.Else],
  ['end', Tok.End],
  ['if', Tok.If],
  ['range', Tok.Range],
  ['nil', Tok.Nil],
  ['template', Tok.Template],
  ['with', Tok.With],
]);

/** How Go's parser prints a token in `unexpected X in Y` messages. */
export function tokenString(t: Token): string {
  if (t.type === Tok.EOF) return 'EOF';
  if (t.type === Tok.Error) return t.val;
  if (t.type > Tok.Keyword) return `<${t.val}>`;
  const runes = Array.from(t.val);
  if (runes.length > 10) return `${quote(runes.slice(0, 10).join(''))}...`;
  return quote(t.val);
}

export interface LexOptions {
  /** `break` is a keyword (false when a function of that name exists). */
  readonly breakOK: boolean;
  /** `continue` is a keyword (false when a function of that name exists). */
  readonly continueOK: boolean;
}

const enum C {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Quote = 34, // "
  Dollar = 36,
  Apos = 39, // '
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Eq = 61,
  Backslash = 92,
  Underscore = 95,
  Backtick = 96,
  LBrace = 123,
  Bar = 124,
  RBrace = 125,
}

const enum State {
  Text,
  LeftDelim,
  Inside,
  Done,
}

function isSpace(c: number): boolean {
  return c === C.Space || c === C.Tab || c === C.LF || c === C.CR;
}

const NON_ASCII_ALNUM = /^[\p{L}\p{Nd}]$/u;

/** Go's isAlphaNumeric: '_' or a Unicode letter or decimal digit. */
function isAlphaNumericCP(cp: number): boolean {
  if (cp < 0x80) {
    return cp === C.Underscore || (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  }
  return NON_ASCII_ALNUM.test(String.fromCodePoint(cp));
}

/** `%#U` of a rune: U+0041 'A' (the character is shown when printable). */
export function formatRune(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private state = State.Text;
  private parenDepth = 0;
  private final: Token | null = null;
  private readonly len: number;

  constructor(
    private readonly input: string,
    private readonly options: LexOptions = { breakOK: true, continueOK: true },
  ) {
    this.len = input.length;
  }

  /** The next token; after EOF or an error token, the same token again. */
  next(): Token {
    if (this.final !== null) return this.final;
    switch (this.state) {
      case State.Text:
        return this.lexText();
      case State.LeftDelim: {
        const t = this.lexLeftDelim();
        if (t !== null) return t;
        if (this.final !== null) return this.final;
        return this.lexText();
      }
      default:
        return this.lexInsideAction();
    }
  }

  private cc(i: number): number {
    return i < this.len ? this.input.charCodeAt(i) : -1;
  }

  private emit(type: Tok, val?: string): Token {
    const t: Token = { type, pos: this.start, val: val ?? this.input.slice(this.start, this.pos) };
    this.start = this.pos;
    return t;
  }

  private error(message: string): Token {
    const t: Token = { type: Tok.Error, pos: this.start, val: message };
    this.final = t;
    this.state = State.Done;
    return t;
  }

  private hasLeftTrimMarker(i: number): boolean {
    return this.cc(i) === C.Minus && isSpace(this.cc(i + 1));
  }

  private hasRightTrimMarker(i: number): boolean {
    return isSpace(this.cc(i)) && this.cc(i + 1) === C.Minus;
  }

  private isRightDelim(i: number): boolean {
    return this.cc(i) === C.RBrace && this.cc(i + 1) === C.RBrace;
  }

  /** 0: not at a right delimiter; 1: at `}}`; 2: at ` -}}`. */
  private atRightDelim(i: number): 0 | 1 | 2 {
    if (this.hasRightTrimMarker(i) && this.isRightDelim(i + 2)) return 2;
    if (this.isRightDelim(i)) return 1;
    return 0;
  }

  private lexText(): Token {
    for (;;) {
      const x = this.input.indexOf('{{', this.pos);
      if (x < 0) {
        this.pos = this.len;
        if (this.pos > this.start) return this.emit(Tok.Text);
        const eof: Token = { type: Tok.EOF, pos: this.pos, val: '' };
        this.final = eof;
        this.state = State.Done;
        return eof;
      }
      let end = x;
      if (this.hasLeftTrimMarker(x + 2)) {
        while (end > this.start && isSpace(this.input.charCodeAt(end - 1))) end--;
      }
      this.pos = x;
      if (end > this.start) {
        const t: Token = { type: Tok.Text, pos: this.start, val: this.input.slice(this.start, end) };
        this.start = x;
        this.state = State.LeftDelim;
        return t;
      }
      this.start = x;
      const t = this.lexLeftDelim();
      if (t !== null) return t;
      if (this.final !== null) return this.final;
    }
  }

  /** At `{{`: a comment is skipped (returns null), anything else opens an action. */
  private lexLeftDelim(): Token | null {
    const delimPos = this.pos;
    this.pos += 2;
    const trim = this.hasLeftTrimMarker(this.pos);
    const after = trim ? 2 : 0;
    if (this.cc(this.pos + after) === C.Slash && this.cc(this.pos + after + 1) === C.Star) {
      this.pos += after;
      this.start = this.pos;
      return this.lexComment();
    }
    this.start = delimPos;
    const t = this.emit(Tok.LeftDelim, '{{');
    this.pos += after;
    this.start = this.pos;
    this.parenDepth = 0;
    this.state = State.Inside;
    return t;
  }

  private lexComment(): null {
    const close = this.input.indexOf('*/', this.pos + 2);
    if (close < 0) {
      this.error('unclosed comment');
      return null;
    }
    this.pos = close + 2;
    const delim = this.atRightDelim(this.pos);
    if (delim === 0) {
      this.error('comment ends before closing delimiter');
      return null;
    }
    this.pos += delim === 2 ? 4 : 2;
    if (delim === 2) this.skipLeadingSpace();
    this.start = this.pos;
    this.state = State.Text;
    return null;
  }

  private skipLeadingSpace(): void {
    while (this.pos < this.len && isSpace(this.input.charCodeAt(this.pos))) this.pos++;
  }

  private lexRightDelim(): Token {
    if (this.hasRightTrimMarker(this.pos)) {
      this.pos += 2;
      this.start = this.pos;
      this.pos += 2;
      const t = this.emit(Tok.RightDelim, '}}');
      this.skipLeadingSpace();
      this.start = this.pos;
      this.state = State.Text;
      return t;
    }
    this.pos += 2;
    const t = this.emit(Tok.RightDelim, '}}');
    this.state = State.Text;
    return t;
  }

  private lexInsideAction(): Token {
    if (this.atRightDelim(this.pos) !== 0) {
      if (this.parenDepth === 0) return this.lexRightDelim();
      return this.error('unclosed left paren');
    }
    if (this.pos >= this.len) return this.error('unclosed action');
    const c = this.input.charCodeAt(this.pos);
    if (isSpace(c)) return this.lexSpace();
    switch (c) {
      case C.Eq:
        this.pos++;
        return this.emit(Tok.Assign);
      case C.Colon:
        if (this.cc(this.pos + 1) !== C.Eq) {
          this.pos += 1;
          return this.error('expected :=');
        }
        this.pos += 2;
        return this.emit(Tok.Declare);
      case C.Bar:
        this.pos++;
        return this.emit(Tok.Pipe);
      case C.Quote:
        return this.lexQuote();
      case C.Backtick:
        return this.lexRawQuote();
      case C.Dollar:
        this.pos++;
        if (this.atTerminator()) return this.emit(Tok.Variable);
        return this.lexFieldOrVariable(Tok.Variable);
      case C.Apos:
        return this.lexChar();
      case C.Dot: {
        const n = this.cc(this.pos + 1);
        if (this.pos + 1 < this.len && (n < C.Zero || n > C.Nine)) {
          this.pos++;
          return this.lexFieldOrVariable(Tok.Field);
        }
        return this.lexNumber();
      }
      case C.LParen:
        this.pos++;
        this.parenDepth++;
        return this.emit(Tok.LeftParen);
      case C.RParen:
        this.pos++;
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error('unexpected right paren');
        return this.emit(Tok.RightParen);
    }
    if (c === C.Plus || c === C.Minus || (c >= C.Zero && c <= C.Nine)) return this.lexNumber();
    const cp = this.input.codePointAt(this.pos)!;
    if (isAlphaNumericCP(cp)) return this.lexIdentifier();
    if (c < 0x7f && c >= 0x20) {
      this.pos++;
      return this.emit(Tok.Char);
    }
    return this.error(`unrecognized character in action: ${formatRune(cp)}`);
  }

  private lexSpace(): Token {
    let n = 0;
    while (this.pos < this.len && isSpace(this.input.charCodeAt(this.pos))) {
      this.pos++;
      n++;
    }
    // A trim-marked closing delimiter: the last space belongs to ` -}}`.
    if (this.hasRightTrimMarker(this.pos - 1) && this.isRightDelim(this.pos + 1)) {
      this.pos--;
      if (n === 1) return this.lexRightDelim();
    }
    return this.emit(Tok.Space);
  }

  private lexQuote(): Token {
    // Fast path: no escapes before the closing quote.
    const close = this.input.indexOf('"', this.pos + 1);
    if (close > 0) {
      const body = this.input.slice(this.pos + 1, close);
      if (!body.includes('\\') && !body.includes('\n')) {
        this.pos = close + 1;
        return this.emit(Tok.String);
      }
    }
    let i = this.pos + 1;
    for (;;) {
      if (i >= this.len) return this.error('unterminated quoted string');
      const c = this.input.charCodeAt(i++);
      if (c === C.Backslash) {
        if (i >= this.len || this.input.charCodeAt(i) === C.LF) return this.error('unterminated quoted string');
        i++;
      } else if (c === C.LF) {
        return this.error('unterminated quoted string');
      } else if (c === C.Quote) {
        break;
      }
    }
    this.pos = i;
    return this.emit(Tok.String);
  }

  private lexRawQuote(): Token {
    const close = this.input.indexOf('`', this.pos + 1);
    if (close < 0) return this.error('unterminated raw quoted string');
    this.pos = close + 1;
    return this.emit(Tok.RawString);
  }

  private lexChar(): Token {
    let i = this.pos + 1;
    for (;;) {
      if (i >= this.len) return this.error('unterminated character constant');
      const c = this.input.charCodeAt(i++);
      if (c === C.Backslash) {
        if (i >= this.len || this.input.charCodeAt(i) === C.LF) return this.error('unterminated character constant');
        i++;
      } else if (c === C.LF) {
        return this.error('unterminated character constant');
      } else if (c === C.Apos) {
        break;
      }
    }
    this.pos = i;
    return this.emit(Tok.CharConstant);
  }

  /** Whether what follows an identifier may end it: space, EOF, `.`, `,`, `|`, `:`, `(`, `)` or the right delimiter. */
  private atTerminator(): boolean {
    const c = this.cc(this.pos);
    if (c === -1 || isSpace(c)) return true;
    switch (c) {
      case C.Dot:
      case C.Comma:
      case C.Bar:
      case C.Colon:
      case C.RParen:
      case C.LParen:
      case C.RBrace:
        return true;
    }
    return false;
  }

  private scanAlphaNumeric(): void {
    while (this.pos < this.len) {
      const c = this.input.charCodeAt(this.pos);
      if (c < 0x80) {
        if (!(c === C.Underscore || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return;
        this.pos++;
      } else {
        const cp = this.input.codePointAt(this.pos)!;
        if (!isAlphaNumericCP(cp)) return;
        this.pos += cp > 0xffff ? 2 : 1;
      }
    }
  }

  private badCharacter(): Token {
    return this.error(`bad character ${formatRune(this.input.codePointAt(this.pos)!)}`);
  }

  /** `.name` or `$name`; the `.` or `$` is consumed. */
  private lexFieldOrVariable(type: Tok.Field | Tok.Variable): Token {
    if (this.atTerminator()) return this.emit(type === Tok.Variable ? Tok.Variable : Tok.Dot);
    this.scanAlphaNumeric();
    if (!this.atTerminator()) return this.badCharacter();
    return this.emit(type);
  }

  private lexIdentifier(): Token {
    this.scanAlphaNumeric();
    if (!this.atTerminator()) return this.badCharacter();
    const word = this.input.slice(this.start, this.pos);
    const kw = KEYWORDS.get(word);
    if (kw !== undefined) {
      if ((kw === Tok.Break && !this.options.breakOK) || (kw === Tok.Continue && !this.options.continueOK)) {
        return this.emit(Tok.Identifier, word);
      }
      return this.emit(kw, word);
    }
    if (word === 'true' || word === 'false') return this.emit(Tok.Bool, word);
    return this.emit(Tok.Identifier, word);
  }

  private lexNumber(): Token {
    if (!this.scanNumber()) return this.error(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
    const c = this.cc(this.pos);
    if (c === C.Plus || c === C.Minus) {
      // Complex: 1+2i, no spaces, ending in 'i'.
      if (!this.scanNumber() || this.input.charCodeAt(this.pos - 1) !== 105 /* i */) {
        return this.error(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
      }
      return this.emit(Tok.Complex);
    }
    return this.emit(Tok.Number);
  }

  private accept(a: number, b = a): boolean {
    const c = this.cc(this.pos);
    if (c === a || c === b) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptDigits(kind: 2 | 8 | 10 | 16): void {
    for (;;) {
      const c = this.cc(this.pos);
      let ok = c === C.Underscore;
      if (!ok) {
        switch (kind) {
          case 2:
            ok = c === 48 || c === 49;
            break;
          case 8:
            ok = c >= 48 && c <= 55;
            break;
          case 10:
            ok = c >= 48 && c <= 57;
            break;
          case 16:
            ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
            break;
        }
      }
      if (!ok) return;
      this.pos++;
    }
  }

  /** Go's scanNumber: accepts a superset of valid numbers; the parser (strconv rules) rejects the rest. */
  private scanNumber(): boolean {
    this.accept(C.Plus, C.Minus);
    let kind: 2 | 8 | 10 | 16 = 10;
    if (this.accept(C.Zero)) {
      if (this.accept(120, 88)) kind = 16;
      else if (this.accept(111, 79)) kind = 8;
      else if (this.accept(98, 66)) kind = 2;
    }
    this.acceptDigits(kind);
    if (this.accept(C.Dot)) this.acceptDigits(kind);
    if (kind === 10 && this.accept(101, 69)) {
      this.accept(C.Plus, C.Minus);
      this.acceptDigits(10);
    }
    if (kind === 16 && this.accept(112, 80)) {
      this.accept(C.Plus, C.Minus);
      this.acceptDigits(10);
    }
    this.accept(105); // imaginary 'i'
    if (this.pos < this.len) {
      const cp = this.input.codePointAt(this.pos)!;
      if (isAlphaNumericCP(cp)) {
        this.pos += cp > 0xffff ? 2 : 1;
        return false;
      }
    }
    return true;
  }
}

/** All tokens of a text up to and including EOF or the first error (for tests and tools). */
export function lexAll(input: string, options?: LexOptions): Token[] {
  const l = new Lexer(input, options);
  const out: Token[] = [];
  for (;;) {
    const t = l.next();
    out.push(t);
    if (t.type === Tok.EOF || t.type === Tok.Error) return out;
  }
}
