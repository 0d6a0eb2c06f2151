// Go's fmt package over the bosun value model (see value.ts): Sprintf, Sprint and Sprintln with Go's verbs, flags,
// width and precision, argument indexes, error annotations (%!d(string=x), %!s(MISSING), %!(EXTRA ...)), Stringers
// and composite printing (maps with sorted keys, slices, structs, pointers). Output matches Go byte for byte.
import { formatFloat, formatFloatV, quote, quoteRune, quoteRuneToASCII, quoteToASCII, canBackquote, isPrint } from './strconv.js';
import { GO_TYPE, GoInt, GoStruct, bytesToString, sortedKeys, typeName, utf8Bytes } from './value.js';
import type { GoMap, GoSlice, GoValue } from './value.js';

export { formatFloat, formatFloatV, quote, quoteToASCII, quoteRune, quoteRuneToASCII, canBackquote, isPrint, formatInt } from './strconv.js';
export type { FloatFormat } from './strconv.js';

/** Stand-in for a pointer value where Go prints an address (pointers inside containers, %p). */
const POINTER_STANDIN = 0xc000010000n;

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

/** Number of runes (code points) in s. */
function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The first n runes of s. */
function truncateRunes(s: string, n: number): string {
  let i = 0;
  while (i < s.length && n > 0) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    n--;
  }
  return s.slice(0, i);
}

function isStringKind(v: GoValue): boolean {
  return typeof v === 'string' || (v instanceof GoStruct && v.kindName === 'string');
}

/** The Stringer of a value, when it has one. */
function stringerOf(v: GoValue): (() => string) | undefined {
  if (v instanceof GoStruct) {
    if (typeof v.goString === 'function') return () => v.goString!();
  } else if (v instanceof GoInt) {
    const st = v.named?.stringer;
    if (st) return () => st(v);
  }
  return undefined;
}

/** A complex128 (the engine's GoComplex: a GoStruct of kind complex128 with re and im). */
function complexParts(v: GoStruct): [number, number] | undefined {
  if (v.kindName !== 'complex128' && v.kindName !== 'complex64') return undefined;
  const { re, im } = v as unknown as { re?: unknown; im?: unknown };
  return typeof re === 'number' && typeof im === 'number' ? [re, im] : undefined;
}

function tooLarge(n: number): boolean {
  return n > 1e6 || n < -1e6;
}

class Printer {
  out = '';
  // fmt flags
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  // state
  erroring = false;
  /** The operand being printed (for %!verb(type=value)); undefined when there is none. */
  arg: GoValue | undefined = undefined;
  reordered = false;
  goodArgNum = true;

  clearFlags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = false;
    this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Padding

  writePadding(n: number): void {
    if (n > 0) this.out += (this.zero ? '0' : ' ').repeat(n);
  }

  padString(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.out += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.out += s;
    } else {
      this.out += s;
      this.writePadding(width);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Basic formatters

  fmtBoolean(v: boolean): void {
    this.padString(v ? 'true' : 'false');
  }

  /** Integer u (an exact value; negative only when signed) in the given base. */
  fmtIntegerBase(v: bigint, base: number, verb: string, upper: boolean): void {
    const negative = v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (upper && base === 16) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s.charCodeAt(0) !== 0x30) s = '0' + s;
      } else if (base === 16) s = (upper ? '0X' : '0x') + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    const oldZero = this.zero;
    this.zero = false;
    this.padString(s);
    this.zero = oldZero;
  }

  /** %U: U+0078, or with # U+0078 'x'. u is the value's 64-bit pattern. */
  fmtUnicode(u: bigint): void {
    let s = u.toString(16).toUpperCase();
    const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    const oldZero = this.zero;
    this.zero = false;
    this.padString(s);
    this.zero = oldZero;
  }

  static runeOf(u: bigint): number {
    if (u > 0x10ffffn) return 0xfffd;
    const r = Number(u);
    return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r;
  }

  fmtC(u: bigint): void {
    this.padString(String.fromCodePoint(Printer.runeOf(u)));
  }

  fmtQc(u: bigint): void {
    const r = Printer.runeOf(u);
    this.padString(this.plus ? quoteRuneToASCII(r) : quoteRune(r));
  }

  fmt0x64(u: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtIntegerBase(u, 16, 'v', false);
    this.sharp = sharp;
  }

  /** fmt's integer verbs for a Go integer value. */
  fmtInteger(n: GoInt | bigint, signed: boolean, verb: string): void {
    const v = typeof n === 'bigint' ? n : n.value;
    switch (verb) {
      case 'v':
        if (this.sharpV && !signed) this.fmt0x64(v, true);
        else if (!this.widPresent && !this.precPresent && !this.plus && !this.space) this.out += v.toString();
        else this.fmtIntegerBase(v, 10, verb, false);
        return;
      case 'd':
        this.fmtIntegerBase(v, 10, verb, false);
        return;
      case 'b':
        this.fmtIntegerBase(v, 2, verb, false);
        return;
      case 'o':
      case 'O':
        this.fmtIntegerBase(v, 8, verb, false);
        return;
      case 'x':
        this.fmtIntegerBase(v, 16, verb, false);
        return;
      case 'X':
        this.fmtIntegerBase(v, 16, verb, true);
        return;
      case 'c':
        this.fmtC(BigInt.asUintN(64, v));
        return;
      case 'q':
        this.fmtQc(BigInt.asUintN(64, v));
        return;
      case 'U':
        this.fmtUnicode(BigInt.asUintN(64, v));
        return;
      default:
        this.badVerb(verb);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        this.fmtFloatPrec(v, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloatPrec(v, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        this.fmtFloatPrec(v, verb, 6);
        return;
      case 'F':
        this.fmtFloatPrec(v, 'f', 6);
        return;
      default:
        this.badVerb(verb);
    }
  }

  fmtComplex(re: number, im: number, verb: string): void {
    switch (verb) {
      case 'v':
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
      case 'f':
      case 'F':
      case 'e':
      case 'E': {
        const oldPlus = this.plus;
        this.out += '(';
        this.fmtFloat(re, verb);
        this.plus = true; // the imaginary part always has a sign
        this.fmtFloat(im, verb);
        this.out += 'i)';
        this.plus = oldPlus;
        return;
      }
      default:
        this.badVerb(verb);
    }
  }

  fmtFloatPrec(v: number, verb: 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'e' | 'E', prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = prec < 0 && verb === 'g' ? formatFloatV(v) : formatFloat(v, verb, prec, 64);
    if (!this.widPresent && !this.plus && !this.space && !this.sharp) {
      // Nothing to pad or sign: the plain text (with Go's spelling of NaN and the infinities).
      this.out += num;
      return;
    }
    // num gets an explicit sign in front.
    if (num.charCodeAt(0) !== 0x2d && num.charCodeAt(0) !== 0x2b) num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    const c1 = num.charCodeAt(1);
    if (c1 === 0x49 /* I */ || c1 === 0x4e /* N */) {
      const oldZero = this.zero;
      this.zero = false;
      if (c1 === 0x4e && !this.space && !this.plus) num = num.slice(1);
      this.padString(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      let body = num;
      for (let i = 1; i < body.length; i++) {
        const ch = body[i]!;
        if (ch === '.') {
          hasDecimalPoint = true;
          continue;
        }
        if (ch === 'p' || ch === 'P' || ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        }
        if (ch !== '0') sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      if (digits > 0) body += '0'.repeat(digits);
      num = body + tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.out += num[0];
        this.writePadding(this.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.padString(num);
      return;
    }
    this.padString(num.slice(1));
  }

  fmtS(s: string): void {
    if (this.precPresent) s = truncateRunes(s, this.prec);
    this.padString(s);
  }

  /** Hex encoding of the bytes of a string (s) or byte slice (b). */
  fmtSbx(b: Uint8Array, upper: boolean): void {
    const digits = upper ? UDIGITS : LDIGITS;
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let s = '';
    const prefix = '0' + digits[16];
    if (this.sharp) s += prefix;
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        s += ' ';
        if (this.sharp) s += prefix;
      }
      const c = b[i]!;
      s += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.out += s;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s: string): void {
    if (this.precPresent) s = truncateRunes(s, this.prec);
    if (this.sharp && canBackquote(s)) {
      this.padString('`' + s + '`');
      return;
    }
    this.padString(this.plus ? quoteToASCII(s) : quote(s));
  }

  fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case 's':
        this.fmtS(s);
        return;
      case 'x':
        this.fmtSbx(utf8Bytes(s), false);
        return;
      case 'X':
        this.fmtSbx(utf8Bytes(s), true);
        return;
      case 'q':
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb);
    }
  }

  fmtBytes(b: Uint8Array, verb: string, typeString: string, depth: number): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.sharpV) {
          this.out += typeString + '{';
          for (let i = 0; i < b.length; i++) {
            if (i > 0) this.out += ', ';
            this.fmt0x64(BigInt(b[i]!), true);
          }
          this.out += '}';
        } else {
          this.out += '[';
          for (let i = 0; i < b.length; i++) {
            if (i > 0) this.out += ' ';
            this.fmtIntegerBase(BigInt(b[i]!), 10, verb, false);
          }
          this.out += ']';
        }
        return;
      case 's':
        this.fmtS(bytesToString(b));
        return;
      case 'x':
        this.fmtSbx(b, false);
        return;
      case 'X':
        this.fmtSbx(b, true);
        return;
      case 'q':
        this.fmtQ(bytesToString(b));
        return;
      default: {
        // Element by element, as uint8 values.
        this.out += this.sharpV ? typeString + '{' : '[';
        for (let i = 0; i < b.length; i++) {
          if (i > 0) this.out += this.sharpV ? ', ' : ' ';
          this.printValue(new GoInt(b[i]!, 'uint8'), verb, depth + 1);
        }
        this.out += this.sharpV ? '}' : ']';
      }
    }
  }

  fmtPointer(verb: string, tname: string): void {
    const u = POINTER_STANDIN;
    switch (verb) {
      case 'v':
        if (this.sharpV) {
          this.out += '(' + tname + ')(';
          this.fmt0x64(u, true);
          this.out += ')';
        } else this.fmt0x64(u, !this.sharp);
        return;
      case 'p':
        this.fmt0x64(u, !this.sharp);
        return;
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        this.fmtInteger(u, false, verb);
        return;
      default:
        this.badVerb(verb);
    }
  }

  badVerb(verb: string): void {
    this.erroring = true;
    this.out += '%!' + verb + '(';
    const arg = this.arg;
    if (arg !== undefined && arg !== null) {
      this.out += typeName(arg) + '=';
      this.printArg(arg, 'v');
    } else this.out += '<nil>';
    this.out += ')';
    this.erroring = false;
  }

  /** Uses the value's Stringer for the verbs that print strings. Returns whether it printed. */
  handleMethods(v: GoValue, verb: string): boolean {
    if (this.erroring || this.sharpV) return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    const st = stringerOf(v);
    if (!st) return false;
    let text: string;
    try {
      text = st();
    } catch (e) {
      // Go recovers a panicking String method and reports it in place of the value.
      this.out += '%!' + verb + '(PANIC=String method: ' + (e instanceof Error ? e.message : String(e)) + ')';
      return true;
    }
    this.fmtString(text, verb);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Operands

  printArg(arg: GoValue, verb: string): void {
    this.arg = arg;
    if (arg === null) {
      if (verb === 'T' || verb === 'v') this.padString('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(typeName(arg));
      return;
    }
    if (verb === 'p') {
      if (Array.isArray(arg) || arg instanceof Uint8Array || (arg instanceof GoStruct && arg.isPointer) || (typeof arg === 'object' && !(arg instanceof GoInt) && !(arg instanceof GoStruct))) {
        this.fmt0x64(POINTER_STANDIN, !this.sharp);
      } else this.badVerb(verb);
      return;
    }
    switch (typeof arg) {
      case 'string':
        this.fmtString(arg, verb);
        return;
      case 'number':
        this.fmtFloat(arg, verb);
        return;
      case 'boolean':
        if (verb === 't' || verb === 'v') this.fmtBoolean(arg);
        else this.badVerb(verb);
        return;
    }
    if (arg instanceof GoInt && arg.named === undefined) {
      this.fmtInteger(arg, arg.signed, verb);
      return;
    }
    if (arg instanceof Uint8Array) {
      this.fmtBytes(arg, verb, '[]byte', 0);
      return;
    }
    if (arg instanceof GoStruct) {
      const c = complexParts(arg);
      if (c) {
        this.fmtComplex(c[0], c[1], verb);
        return;
      }
    }
    if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  /** Prints a value found inside another (depth > 0) or a non-basic operand (depth 0). */
  printValue(v: GoValue, verb: string, depth: number): void {
    if (depth > 0) {
      this.arg = v;
      if (v instanceof GoStruct) {
        const c = complexParts(v);
        if (c) {
          this.fmtComplex(c[0], c[1], verb);
          return;
        }
      }
      if (v !== null && this.handleMethods(v, verb)) return;
    }
    if (v === null) {
      // A nil interface{} inside a container.
      this.out += this.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    switch (typeof v) {
      case 'string':
        this.fmtString(v, verb);
        return;
      case 'number':
        this.fmtFloat(v, verb);
        return;
      case 'boolean':
        if (verb === 't' || verb === 'v') this.fmtBoolean(v);
        else this.badVerb(verb);
        return;
    }
    if (v instanceof GoInt) {
      this.fmtInteger(v, v.signed, verb);
      return;
    }
    if (v instanceof Uint8Array) {
      this.fmtBytes(v, verb, '[]uint8', depth);
      return;
    }
    if (v instanceof GoStruct) {
      this.printStruct(v, verb, depth);
      return;
    }
    if (Array.isArray(v)) {
      this.printSlice(v as GoSlice, verb, depth);
      return;
    }
    this.printMap(v as GoMap, verb, depth);
  }

  printSlice(v: GoSlice, verb: string, depth: number): void {
    const tname = v[GO_TYPE];
    if (tname === '[]uint8' && (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X')) {
      const b = new Uint8Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        b[i] = e instanceof GoInt ? Number(e.value) : Number(e);
      }
      this.fmtBytes(b, verb, tname, depth);
      return;
    }
    if (this.sharpV) {
      this.out += (tname ?? '[]interface {}') + '{';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.out += ', ';
        this.printValue(v[i]!, verb, depth + 1);
      }
      this.out += '}';
      return;
    }
    this.out += '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) this.out += ' ';
      this.printValue(v[i]!, verb, depth + 1);
    }
    this.out += ']';
  }

  printMap(v: GoMap, verb: string, depth: number): void {
    const keys = sortedKeys(v);
    if (this.sharpV) this.out += (v[GO_TYPE] ?? 'map[string]interface {}') + '{';
    else this.out += 'map[';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) this.out += this.sharpV ? ', ' : ' ';
      const k = keys[i]!;
      this.printValue(k, verb, depth + 1);
      this.out += ':';
      this.printValue(v[k]!, verb, depth + 1);
    }
    this.out += this.sharpV ? '}' : ']';
  }

  printStruct(v: GoStruct, verb: string, depth: number): void {
    let tname = v.typeName;
    if (v.isPointer) {
      if (depth > 0) {
        this.fmtPointer(verb, tname);
        return;
      }
      this.out += '&';
      tname = tname.slice(1);
    }
    if (this.sharpV) this.out += tname;
    this.out += '{';
    const names = v.fieldNames();
    for (let i = 0; i < names.length; i++) {
      if (i > 0) this.out += this.sharpV ? ', ' : ' ';
      const name = names[i]!;
      if (this.plusV || this.sharpV) this.out += name + ':';
      const f = v.field(name);
      this.printValue(f === undefined ? null : f, verb, depth + 1);
    }
    this.out += '}';
  }

  // ---------------------------------------------------------------------------------------------------------
  // Printf

  /** An integer operand for * width or precision: [value, ok]. */
  static intFromArg(a: readonly GoValue[], argNum: number): [number, boolean, number] {
    let num = 0;
    let isInt = false;
    let next = argNum;
    if (argNum < a.length) {
      const v = a[argNum];
      if (v instanceof GoInt) {
        const n = v.value;
        if (n >= -(1n << 63n) && n < 1n << 63n) {
          num = Number(n);
          isInt = true;
        }
      }
      next = argNum + 1;
      if (tooLarge(num)) {
        num = 0;
        isInt = false;
      }
    }
    return [num, isInt, next];
  }

  /** Parses an argument index [n] at format[i]: [argNum, i, found]. */
  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    // Find the closing bracket.
    let index = 0;
    let wid = 1;
    let ok = false;
    if (format.length - i >= 3) {
      for (let j = i + 1; j < format.length; j++) {
        if (format[j] === ']') {
          const [n, isNum, newj] = parseNum(format, i + 1, j);
          if (!isNum || newj !== j) {
            wid = j - i + 1;
          } else {
            index = n - 1;
            wid = j - i + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  doPrintf(format: string, a: readonly GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format.charCodeAt(i) !== 0x25) i++;
      if (i > lasti) this.out += format.slice(lasti, i);
      if (i >= end) break;
      i++; // skip %
      this.clearFlags();
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = !this.minus; // zero padding only to the left
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            this.zero = false;
            break;
          case ' ':
            this.space = true;
            break;
          default: {
            const cc = c.charCodeAt(0);
            if (cc >= 0x61 && cc <= 0x7a && argNum < a.length) {
              // Common case: flags and a lower-case verb, no width, precision or index.
              if (c === 'v') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              this.printArg(a[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
          }
        }
      }

      // Argument index?
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);

      // Width?
      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = Printer.intFromArg(a, argNum);
        if (!this.widPresent) this.out += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parseNum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }

      // Precision?
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = Printer.intFromArg(a, argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.out += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parseNum(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }

      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);

      if (i >= end) {
        this.out += '%!(NOVERB)';
        break;
      }

      const cp = format.codePointAt(i)!;
      const verb = String.fromCodePoint(cp);
      i += verb.length;

      if (verb === '%') {
        this.out += '%';
      } else if (!this.goodArgNum) {
        this.out += '%!' + verb + '(BADINDEX)';
      } else if (argNum >= a.length) {
        this.out += '%!' + verb + '(MISSING)';
      } else {
        if (verb === 'v') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(a[argNum]!, verb);
        argNum++;
      }
    }

    if (!this.reordered && argNum < a.length) {
      this.clearFlags();
      this.out += '%!(EXTRA ';
      for (let k = argNum; k < a.length; k++) {
        if (k > argNum) this.out += ', ';
        const arg = a[k]!;
        if (arg === null) this.out += '<nil>';
        else {
          this.out += typeName(arg) + '=';
          this.printArg(arg, 'v');
        }
      }
      this.out += ')';
    }
  }
}

/** Parses decimal digits at s[start:end]: [value, found, index after]. */
function parseNum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isNum = false;
  let i = start;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (c - 0x30);
    isNum = true;
  }
  return [num, isNum, i];
}

/** The %v text of one operand, with fast paths for the common basic values. */
function printV(arg: GoValue): string {
  switch (typeof arg) {
    case 'string':
      return arg;
    case 'number':
      return formatFloatV(arg);
    case 'boolean':
      return arg ? 'true' : 'false';
  }
  if (arg === null) return '<nil>';
  if (arg instanceof GoInt && arg.named === undefined) return arg.value.toString();
  const p = new Printer();
  p.printArg(arg, 'v');
  return p.out;
}

/** fmt.Sprintf(format, args...). */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.out;
}

/** fmt.Sprint(args...): operands printed with %v, a space between operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  if (args.length === 1) return printV(args[0]!);
  let out = '';
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const isString = arg !== null && isStringKind(arg);
    if (i > 0 && !isString && !prevString) out += ' ';
    out += printV(arg);
    prevString = isString;
  }
  return out;
}

/** fmt.Sprintln(args...): operands printed with %v, always space-separated, newline appended. */
export function sprintln(args: readonly GoValue[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += ' ';
    out += printV(args[i]!);
  }
  return out + '\n';
}
