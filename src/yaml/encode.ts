// Writing YAML as Helm does.
//   toYaml:       sigs.k8s.io/yaml.Marshal — encoding/json first, the JSON read back by go-yaml v2 (integers stay
//                 integers, other numbers floats), then emitted by go-yaml v2.
//   toYamlPretty: go-yaml v3's Encoder with SetIndent(2), straight from the Go value.
import { GoInt, GoStruct, isGoNil, type GoMap, type GoValue } from '../template/value.js';
import { Emitter, scalar, type YNode } from './emitter.js';
import { DataFormatError } from './errors.js';
import { formatG, formatJsonFloat as jsonFloatText } from './gofloat.js';
import { base64Std, parseJsonText, unsupportedFloat, wellFormed, type JsonText } from './json.js';
import { canBePlain, resolvePlain } from './resolve.js';
import { MarshalerError, callMarshaler, isTimeLike, jsonFieldsOf, jsonMarshaler, rfc3339Nano, textMarshaler, yamlFieldsOf } from './structs.js';

// ---------------------------------------------------------------------------------------------------------------
// go-yaml's map key order (keyList.Less) for string keys: runs of digits compare numerically, a non-letter sorts
// before a letter, otherwise by code point.

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return LETTER.test(String.fromCodePoint(c));
}
function isDigit(c: number): boolean {
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  return DIGIT.test(String.fromCodePoint(c));
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

function keyLess(a: number[], b: number[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    const al = isLetter(a[i]);
    const bl = isLetter(b[i]);
    if (al && bl) return a[i] < b[i];
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (a[i] === 0x30 || b[i] === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(a[j]); j--) {
        if (a[j] !== 0x30) {
          an = bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < a.length && isDigit(a[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(a[ai] - 0x30));
    let bi = i;
    for (; bi < b.length && isDigit(b[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(b[bi] - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return a[i] < b[i];
  }
  return a.length < b.length;
}

/** Whether keyLess on k needs its general form (digits or non-ASCII); otherwise compareSimpleKeys agrees with it. */
const NOT_SIMPLE_KEY = /[^\x00-\x2f\x3a-\x7f]/;

/** keyLess for ASCII keys without digits, as a comparator: a non-letter sorts before a letter, else code order. */
function compareSimpleKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const la = (ca >= 0x41 && ca <= 0x5a) || (ca >= 0x61 && ca <= 0x7a);
    const lb = (cb >= 0x41 && cb <= 0x5a) || (cb >= 0x61 && cb <= 0x7a);
    if (la !== lb) return la ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

/** Sorts string keys in go-yaml's order. */
export function sortYamlKeys(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  if (!keys.some((k) => NOT_SIMPLE_KEY.test(k))) return keys.slice().sort(compareSimpleKeys);
  const items = keys.map((k) => ({ k, c: codePoints(k) }));
  items.sort((x, y) => (keyLess(x.c, y.c) ? -1 : keyLess(y.c, x.c) ? 1 : 0));
  return items.map((x) => x.k);
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

/** go-yaml's stringv: literal for text with a newline, plain when it reads back as the same string, else quoted. */
function stringNode(s: string, v3: boolean): YNode {
  // A word starting with a letter other than those of true/false/yes/no/on/off/null reads back as itself.
  const c = s.charCodeAt(0);
  if (((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) && !PLAIN_SENSITIVE_FIRST.has(c) && !s.includes('\n')) return scalar(s, 'plain');
  if (s.includes('\n')) return scalar(s, 'literal');
  return scalar(s, canBePlain(s, v3) ? 'plain' : 'double');
}

const PLAIN_SENSITIVE_FIRST = new Set(Array.from('yYnNtTfFoO', (ch) => ch.charCodeAt(0)));

/** A JSON number's text as go-yaml v2 reads and rewrites it: integers as integers, the rest as floats. */
function jsonNumberNode(text: string): YNode {
  const r = resolvePlain(text, false);
  if (r.tag === 'int') return scalar(r.value.toString());
  if (r.tag === 'float') return scalar(floatText(r.value));
  return scalar(text);
}

function floatText(f: number): string {
  const s = formatG(f);
  return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
}

// ---------------------------------------------------------------------------------------------------------------
// toYaml: Go value → (JSON semantics) → go-yaml v2 nodes

class JsonToYaml {
  private readonly active = new Set<object>();

  node(v: GoValue): YNode {
    if (v === null) return scalar('null');
    switch (typeof v) {
      case 'string':
        return stringNode(wellFormed(v), false);
      case 'boolean':
        return scalar(v ? 'true' : 'false');
      case 'number':
        if (!Number.isFinite(v)) throw unsupportedFloat(v);
        return jsonNumberNode(jsonFloatText(v));
    }
    if (v instanceof GoInt) return jsonNumberNode(v.value.toString());
    if (v instanceof Uint8Array) return stringNode(base64Std(v), false);
    if (v instanceof GoStruct) return this.struct(v);
    if (isGoNil(v)) return scalar('null');
    if (this.active.has(v)) {
      throw new DataFormatError('json: unsupported value: encountered a cycle via ' + (Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}'));
    }
    this.active.add(v);
    let out: YNode;
    if (Array.isArray(v)) {
      out = { kind: 'seq', items: v.map((x) => this.node(x)) };
    } else {
      const m = v as GoMap;
      const own = Object.keys(m);
      if (own.every((k) => wellFormed(k) === k)) {
        out = { kind: 'map', pairs: sortYamlKeys(own).map((k) => [stringNode(k, false), this.node(m[k]!)]) };
      } else {
        // JSON turns invalid UTF-8 in keys into U+FFFD; the value is still found under the original key.
        const original = new Map(own.map((k) => [wellFormed(k), k]));
        const keys = sortYamlKeys([...original.keys()]);
        out = { kind: 'map', pairs: keys.map((k) => [stringNode(k, false), this.node(m[original.get(k) as string])]) };
      }
    }
    this.active.delete(v);
    return out;
  }

  private struct(v: GoStruct): YNode {
    if (/^complex(64|128)$/.test(v.typeName)) throw new DataFormatError('json: unsupported type: ' + v.typeName);
    const jm = jsonMarshaler(v);
    if (jm) return this.jsonText(parseJsonText(callMarshaler(v, 'MarshalJSON', () => jm.marshalJSON())));
    if (isTimeLike(v)) return stringNode(rfc3339Nano(v), false);
    const tm = textMarshaler(v);
    if (tm) return stringNode(wellFormed(callMarshaler(v, 'MarshalText', () => tm.marshalText())), false);
    const fields = jsonFieldsOf(v);
    const byName = new Map<string, GoValue>();
    for (const [k, fv] of fields) byName.set(k, fv);
    const keys = sortYamlKeys([...byName.keys()]);
    return { kind: 'map', pairs: keys.map((k) => [stringNode(k, false), this.node(byName.get(k) as GoValue)]) };
  }

  private jsonText(j: JsonText): YNode {
    if (j === null) return scalar('null');
    if (typeof j === 'boolean') return scalar(j ? 'true' : 'false');
    if (typeof j === 'string') return stringNode(j, false);
    if (Array.isArray(j)) return { kind: 'seq', items: j.map((x) => this.jsonText(x)) };
    if ('number' in j) return jsonNumberNode(j.number);
    const keys = sortYamlKeys([...j.object.keys()]);
    return { kind: 'map', pairs: keys.map((k) => [stringNode(k, false), this.jsonText(j.object.get(k) as JsonText)]) };
  }
}

/**
 * sigs.k8s.io/yaml.Marshal(v): the full go-yaml v2 output, ending with one "\n" (a block scalar with keep chomping
 * may end with more). Throws DataFormatError("error marshaling into JSON: json: unsupported value: NaN") when
 * encoding/json rejects the value. Helm's toYaml template function trims one trailing "\n" (see helmToYaml).
 */
export function toYaml(v: GoValue): string {
  let root: YNode;
  try {
    root = new JsonToYaml().node(v);
  } catch (e) {
    if (e instanceof DataFormatError || e instanceof MarshalerError) throw new DataFormatError('error marshaling into JSON: ' + e.message);
    throw e;
  }
  return new Emitter(false).document(root);
}

// ---------------------------------------------------------------------------------------------------------------
// toYamlPretty: go-yaml v3 straight from the Go value

function v3Node(v: GoValue, active: Set<object>): YNode {
  if (v === null) return scalar('null');
  switch (typeof v) {
    case 'string':
      return stringNode(wellFormed(v), true);
    case 'boolean':
      return scalar(v ? 'true' : 'false');
    case 'number':
      return scalar(floatText(v));
  }
  if (v instanceof GoInt) {
    if (v.named?.name === 'time.Duration' && v.named.stringer) return stringNode(v.named.stringer(v), true);
    return scalar(v.value.toString());
  }
  if (v instanceof Uint8Array) return { kind: 'seq', items: Array.from(v, (b) => scalar(String(b))) };
  if (v instanceof GoStruct) {
    if (isTimeLike(v)) return scalar(rfc3339Nano(v));
    const tm = textMarshaler(v);
    if (tm) return stringNode(wellFormed(callMarshaler(v, 'MarshalText', () => tm.marshalText())), true);
    return { kind: 'map', pairs: yamlFieldsOf(v).map(([k, fv]) => [stringNode(k, true), v3Node(fv, active)]) };
  }
  if (active.has(v)) throw new DataFormatError('yaml: cannot marshal a value that contains itself');
  active.add(v);
  let out: YNode;
  if (Array.isArray(v)) {
    out = { kind: 'seq', items: v.map((x) => v3Node(x, active)) };
  } else {
    const m = v as GoMap;
    const keys = sortYamlKeys(Object.keys(m));
    out = { kind: 'map', pairs: keys.map((k) => [stringNode(wellFormed(k), true), v3Node(m[k], active)]) };
  }
  active.delete(v);
  return out;
}

/** go-yaml v3 Encoder with SetIndent(2): the document text, ending with "\n". Helm's toYamlPretty trims one "\n". */
export function toYamlPretty(v: GoValue): string {
  let root: YNode;
  try {
    root = v3Node(v, new Set());
  } catch (e) {
    if (e instanceof MarshalerError) throw new DataFormatError(e.message.replace(/^json: /, 'yaml: '));
    throw e;
  }
  return new Emitter(true).document(root);
}
