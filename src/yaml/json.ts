// Go's encoding/json: Marshal (sorted map keys, HTML escaping, Go float layout), MarshalIndent, and Unmarshal into
// interface{} (every number float64) with Go's syntax error messages.
import { GoInt, GoStruct, compareGoStrings, isGoNil, newMap, newSlice, typeName, type GoMap, type GoValue } from '../template/value.js';
import { quote } from '../template/fmt.js';
import { DataFormatError } from './errors.js';
import { formatG, formatJsonFloat } from './gofloat.js';
import { MarshalerError, callMarshaler, isTimeLike, jsonFieldsOf, jsonMarshaler, rfc3339Nano, textMarshaler } from './structs.js';

// ---------------------------------------------------------------------------------------------------------------
// Encoding

const HEX = '0123456789abcdef';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NEEDS_ESCAPE_HTML = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE_RAW = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** A Go string literal as encoding/json writes it. Lone surrogates (invalid UTF-8 in Go) become \ufffd. */
export function quoteJsonString(s: string, escapeHtml = true): string {
  if (!(escapeHtml ? NEEDS_ESCAPE_HTML : NEEDS_ESCAPE_RAW).test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 0x08:
          rep = '\\b';
          break;
        case 0x0c:
          rep = '\\f';
          break;
        case 0x0a:
          rep = '\\n';
          break;
        case 0x0d:
          rep = '\\r';
          break;
        case 0x09:
          rep = '\\t';
          break;
        default:
          rep = '\\u00' + HEX[c >> 4] + HEX[c & 15];
      }
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26)) rep = '\\u00' + HEX[c >> 4] + HEX[c & 15];
    else if (c === 0x2028) rep = '\\u2028';
    else if (c === 0x2029) rep = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      rep = '\\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

const ANY_SURROGATE = /[\ud800-\udfff]/;

/** Replaces lone surrogates with U+FFFD, as a Go []byte→string→JSON round trip would. */
export function wellFormed(s: string): string {
  // A plain character-class scan first: only text with surrogates needs the lookaround test.
  if (!ANY_SURROGATE.test(s) || !LONE_SURROGATE.test(s)) return s;
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export function base64Std(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** The error encoding/json reports for a float it cannot represent. */
export function unsupportedFloat(x: number): DataFormatError {
  return new DataFormatError('json: unsupported value: ' + formatG(x));
}

class Marshaler {
  private readonly parts: string[] = [];
  private readonly active = new Set<object>();
  constructor(private readonly escapeHtml: boolean) {}

  result(): string {
    return this.parts.join('');
  }

  value(v: GoValue): void {
    const p = this.parts;
    if (v === null) {
      p.push('null');
      return;
    }
    switch (typeof v) {
      case 'string':
        p.push(quoteJsonString(v, this.escapeHtml));
        return;
      case 'boolean':
        p.push(v ? 'true' : 'false');
        return;
      case 'number':
        if (!Number.isFinite(v)) throw unsupportedFloat(v);
        p.push(formatJsonFloat(v));
        return;
    }
    if (v instanceof GoInt) {
      p.push(v.value.toString());
      return;
    }
    if (v instanceof Uint8Array) {
      p.push('"' + base64Std(v) + '"');
      return;
    }
    if (v instanceof GoStruct) {
      this.struct(v);
      return;
    }
    if (isGoNil(v)) {
      p.push('null');
      return;
    }
    if (this.active.has(v)) {
      throw new DataFormatError('json: unsupported value: encountered a cycle via ' + typeName(v));
    }
    this.active.add(v);
    if (Array.isArray(v)) {
      p.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) p.push(',');
        this.value(v[i]);
      }
      p.push(']');
    } else {
      const m = v as GoMap;
      const keys = Object.keys(m).sort(compareGoStrings);
      p.push('{');
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) p.push(',');
        p.push(quoteJsonString(keys[i], this.escapeHtml), ':');
        this.value(m[keys[i]]);
      }
      p.push('}');
    }
    this.active.delete(v);
  }

  private struct(v: GoStruct): void {
    if (/^complex(64|128)$/.test(v.typeName)) throw new DataFormatError('json: unsupported type: ' + v.typeName);
    const jm = jsonMarshaler(v);
    if (jm) {
      this.parts.push(compactJson(callMarshaler(v, 'MarshalJSON', () => jm.marshalJSON()), this.escapeHtml));
      return;
    }
    if (isTimeLike(v)) {
      this.parts.push(quoteJsonString(rfc3339Nano(v), this.escapeHtml));
      return;
    }
    const tm = textMarshaler(v);
    if (tm) {
      this.parts.push(quoteJsonString(callMarshaler(v, 'MarshalText', () => tm.marshalText()), this.escapeHtml));
      return;
    }
    const fields = jsonFieldsOf(v);
    this.parts.push('{');
    fields.forEach(([k, fv], i) => {
      if (i > 0) this.parts.push(',');
      this.parts.push(quoteJsonString(k, this.escapeHtml), ':');
      this.value(fv);
    });
    this.parts.push('}');
  }
}

/** json.Compact as encoding/json applies it to MarshalJSON output (whitespace dropped, HTML escaped). */
function compactJson(raw: string, escapeHtml: boolean): string {
  const err = jsonSyntaxError(raw);
  if (err !== undefined) throw new DataFormatError('json: error calling MarshalJSON: ' + err);
  let out = '';
  let inStr = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inStr) {
      if (c === '\\') {
        out += c + raw[i + 1];
        i++;
        continue;
      }
      if (c === '"') inStr = false;
      if (escapeHtml && (c === '<' || c === '>' || c === '&')) out += '\\u00' + HEX[c.charCodeAt(0) >> 4] + HEX[c.charCodeAt(0) & 15];
      else if (c === '\u2028') out += '\\u2028';
      else if (c === '\u2029') out += '\\u2029';
      else out += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '"') inStr = true;
    out += c;
  }
  return out;
}

/** json.Indent(dst, compact, prefix "", indent) over valid compact JSON. */
function indentJson(compact: string, indent: string): string {
  const out: string[] = [];
  let depth = 0;
  let needIndent = false;
  let inStr = false;
  let start = 0;
  const newline = () => out.push('\n' + indent.repeat(depth));
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (needIndent && c !== '}' && c !== ']') {
      out.push(compact.slice(start, i));
      start = i;
      needIndent = false;
      depth++;
      newline();
    }
    switch (c) {
      case '"':
        inStr = true;
        break;
      case '{':
      case '[':
        needIndent = true;
        break;
      case ',':
        out.push(compact.slice(start, i + 1));
        start = i + 1;
        newline();
        break;
      case ':':
        out.push(compact.slice(start, i + 1), ' ');
        start = i + 1;
        break;
      case '}':
      case ']':
        out.push(compact.slice(start, i));
        start = i;
        if (needIndent) needIndent = false;
        else {
          depth--;
          newline();
        }
        break;
    }
  }
  out.push(compact.slice(start));
  return out.join('');
}

/**
 * encoding/json Marshal (escapeHtml true, the default), Encoder with SetEscapeHTML(false) (escapeHtml false, minus
 * the Encoder's trailing newline), or MarshalIndent(v, "", indent) when indent is given.
 * Throws DataFormatError (`json: unsupported value: NaN`) like Go.
 */
export function toJson(v: GoValue, opts: { escapeHtml?: boolean; indent?: string } = {}): string {
  const m = new Marshaler(opts.escapeHtml ?? true);
  try {
    m.value(v);
  } catch (e) {
    if (e instanceof MarshalerError) throw new DataFormatError(e.message);
    throw e;
  }
  const s = m.result();
  return opts.indent === undefined ? s : indentJson(s, opts.indent);
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** Go's quoteChar: the offending byte as a quoted character. */
function quoteChar(cp: number): string {
  // The scanner works on bytes: a multi-byte character is reported by its first UTF-8 byte.
  let b = cp;
  if (cp >= 0x80) {
    if (cp < 0x800) b = 0xc0 | (cp >> 6);
    else if (cp < 0x10000) b = 0xe0 | (cp >> 12);
    else b = 0xf0 | (cp >> 18);
  }
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return `'"'`;
  // strconv.Quote of the byte as a rune, without its double quotes.
  return "'" + quote(String.fromCharCode(b)).slice(1, -1) + "'";
}

class SyntaxFail {
  constructor(readonly message: string) {}
}

/** Go's json scanner (checkValid): the SyntaxError message for invalid input, or undefined when valid. */
export function jsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const n = text.length;
  const END = 'unexpected end of JSON input';
  const cpAt = (k: number) => text.codePointAt(k) as number;
  const fail = (k: number, context: string): never => {
    // At end of input the scanner is fed a space.
    throw new SyntaxFail('invalid character ' + (k >= n ? "' '" : quoteChar(cpAt(k))) + ' ' + context);
  };
  const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const skipWs = () => {
    while (i < n && isWs(text[i])) i++;
  };
  const eof = (): never => {
    throw new SyntaxFail(END);
  };
  const digit = (k: number) => k < n && text[k] >= '0' && text[k] <= '9';

  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      if (i >= n || text[i] !== word[k]) fail(i, `in literal ${word} (expecting '${word[k]}')`);
      i++;
    }
  };
  const string = () => {
    // text[i-1] was the opening quote
    for (;;) {
      if (i >= n) eof();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        i++;
        if (i >= n) eof();
        const e = text[i];
        if ('bfnrt\\/"'.includes(e)) {
          i++;
          continue;
        }
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (i >= n) eof();
            if (!/[0-9a-fA-F]/.test(text[i])) fail(i, 'in \\u hexadecimal character escape');
            i++;
          }
          continue;
        }
        fail(i, 'in string escape code');
      }
      if (c < 0x20) fail(i, 'in string literal');
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= n) fail(i, 'in numeric literal');
      if (!digit(i)) fail(i, 'in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (digit(i)) i++;
    if (i < n && text[i] === '.') {
      i++;
      if (!digit(i)) fail(i, 'after decimal point in numeric literal');
      while (digit(i)) i++;
    }
    if (i < n && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      if (!digit(i)) fail(i, 'in exponent of numeric literal');
      while (digit(i)) i++;
    }
  };
  const value = (): void => {
    skipWs();
    if (i >= n) eof();
    const c = text[i];
    if (c === '{') {
      i++;
      skipWs();
      if (i >= n) eof();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        if (text[i] !== '"') fail(i, 'looking for beginning of object key string');
        i++;
        string();
        skipWs();
        if (i >= n) eof();
        if (text[i] !== ':') fail(i, 'after object key');
        i++;
        value();
        skipWs();
        if (i >= n) eof();
        if (text[i] === ',') {
          i++;
          skipWs();
          if (i >= n) eof();
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(i, 'after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      skipWs();
      if (i >= n) eof();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        skipWs();
        if (i >= n) eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(i, 'after array element');
      }
    }
    if (c === '"') {
      i++;
      string();
      return;
    }
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return (i++, literal('true'));
    if (c === 'f') return (i++, literal('false'));
    if (c === 'n') return (i++, literal('null'));
    fail(i, 'looking for beginning of value');
  };
  try {
    value();
    skipWs();
    if (i < n) fail(i, 'after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFail) return e.message;
    throw e;
  }
}

/**
 * How encoding/json names a decoded value's kind in "cannot unmarshal X into ..." (UnmarshalTypeError): every
 * number (float64 or a GoInt) is a number, every map or struct an object.
 */
export function jsonKindName(v: GoValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || v instanceof GoInt) return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

class NumberRange {
  constructor(readonly literal: string) {}
}

function fromParsed(x: unknown): GoValue {
  if (x === null) return null;
  switch (typeof x) {
    case 'string':
      return wellFormed(x);
    case 'number':
      if (!Number.isFinite(x)) throw new NumberRange('');
      return x;
    case 'boolean':
      return x;
  }
  if (Array.isArray(x)) return newSlice(x.map(fromParsed));
  const m = newMap();
  for (const k of Object.keys(x as object)) m[wellFormed(k)] = fromParsed((x as Record<string, unknown>)[k]);
  return m;
}

/** The first number literal in valid JSON text that overflows float64. */
function overflowingLiteral(text: string): string {
  const re = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0][0] !== '"' && !Number.isFinite(Number(m[0]))) return m[0];
  }
  return '';
}

/** encoding/json Unmarshal into interface{}: objects → map, arrays → []interface{}, numbers → float64. */
export function parseJson(text: string): GoValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DataFormatError(jsonSyntaxError(text) ?? 'unexpected end of JSON input');
  }
  try {
    return fromParsed(parsed);
  } catch (e) {
    if (e instanceof NumberRange) {
      throw new DataFormatError(`json: cannot unmarshal number ${overflowingLiteral(text)} into Go value of type float64`);
    }
    throw e;
  }
}

/**
 * json.Unmarshal into a typed Go variable: 'map' is map[string]interface{}, 'slice' is []interface{}. A JSON null
 * leaves the variable as it was (returned as undefined). Type mismatches throw Go's UnmarshalTypeError text.
 */
export function unmarshalJsonInto(text: string, target: 'map' | 'slice'): GoValue | undefined {
  const v = parseJson(text);
  return checkTarget(v, target);
}

export function checkTarget(v: GoValue, target: 'map' | 'slice'): GoValue | undefined {
  if (v === null) return undefined;
  const want = target === 'map' ? 'object' : 'array';
  const kind = jsonKindName(v);
  if (kind !== want) {
    const type = target === 'map' ? 'map[string]interface {}' : '[]interface {}';
    throw new DataFormatError(`json: cannot unmarshal ${kind} into Go value of type ${type}`);
  }
  return v;
}

/** JSON with number literals kept as text (what go-yaml sees when sigs.k8s.io/yaml hands it JSON). */
export type JsonText = null | boolean | string | JsonText[] | { number: string } | { object: Map<string, JsonText> };

/** Parses JSON text keeping each number's literal; throws DataFormatError with Go's message when invalid. */
export function parseJsonText(text: string): JsonText {
  const err = jsonSyntaxError(text);
  if (err !== undefined) throw new DataFormatError(err);
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return wellFormed(JSON.parse(text.slice(start, i)) as string);
  };
  const val = (): JsonText => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const m = new Map<string, JsonText>();
      ws();
      if (text[i] === '}') return i++, { object: m };
      for (;;) {
        ws();
        const k = str();
        ws();
        i++; // ':'
        m.set(k, val());
        ws();
        if (text[i++] === '}') return { object: m };
      }
    }
    if (c === '[') {
      i++;
      const a: JsonText[] = [];
      ws();
      if (text[i] === ']') return i++, a;
      for (;;) {
        a.push(val());
        ws();
        if (text[i++] === ']') return a;
      }
    }
    if (c === '"') return str();
    if (c === 't') return (i += 4), true;
    if (c === 'f') return (i += 5), false;
    if (c === 'n') return (i += 4), null;
    const m = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 400)) as RegExpExecArray;
    i += m[0].length;
    return { number: m[0] };
  };
  return val();
}
