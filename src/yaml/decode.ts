// Reading YAML as Helm does: sigs.k8s.io/yaml.Unmarshal. The text is parsed by the `yaml` package (syntax only:
// failsafe schema, every scalar a string), then typed with go-yaml v2's rules (YAML 1.1 booleans, Go integers,
// merge keys, aliases), converted the way sigs.k8s.io/yaml converts to JSON (non-string keys become strings, NaN is
// an error) and finally read back as encoding/json would: every number a float64.
//
// Most documents take the fast path (fast.ts), which reads the common subset exactly and hands everything else here;
// the `yaml` package is loaded on first use only.
import { createRequire } from 'node:module';
import type { Alias, Document, Node, ParsedNode, Scalar, YAMLMap } from 'yaml';
import { newMap, newSlice, type GoMap, type GoValue } from '../template/value.js';
import { DataFormatError } from './errors.js';
import { formatG } from './gofloat.js';
import { resolvePlain, type Resolved } from './resolve.js';
import { fastParseYaml, fastParseYamlHead, FALLBACK } from './fast.js';
import { indentFlowContinuations } from './flow.js';
import { indentQuotedContinuations } from './quoted.js';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}
const isAlias = (n: unknown): n is Alias => yaml().isAlias(n);
const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);
const isSeq = (n: unknown): n is import('yaml').YAMLSeq => yaml().isSeq(n);

const PARSE_OPTIONS = {
  schema: 'failsafe',
  version: '1.1',
  uniqueKeys: false,
  merge: false,
  prettyErrors: true,
} as const;

const LONG_TAG = 'tag:yaml.org,2002:';

/** Failure inside go-yaml (prefixed "yaml: ") or inside the YAML→JSON conversion. */
class DecodeFail extends Error {}

function yamlFail(msg: string): never {
  throw new DecodeFail('yaml: ' + msg);
}

// Scanner-level problems (reported by go-yaml on the line where they occur) and parser-level ones (reported one line
// earlier, as go-yaml's parser does), in go-yaml's wording.
function goYamlSyntaxMessage(code: string, message: string, line: number, expectsNode: boolean): string {
  let text: string | undefined;
  let scanner = false;
  // A flow collection that the text ends in: go-yaml's parser wanted a node (after `[`, `{` or `,`) or a `,`.
  if ((code === 'MISSING_CHAR' || code === 'BAD_INDENT') && /flow (seq|map)/i.test(message) && expectsNode) {
    return goLinePrefix(line, false) + 'did not find expected node content';
  }
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      text = 'mapping values are not allowed in this context';
      scanner = true;
      break;
    case 'TAB_AS_INDENT':
    case 'BAD_SCALAR_START':
    case 'BAD_DQ_ESCAPE':
      text = code === 'BAD_DQ_ESCAPE' ? 'found unknown escape character while parsing a quoted scalar' : 'found character that cannot start any token';
      scanner = true;
      break;
    case 'MISSING_CHAR':
      if (/quote/i.test(message)) {
        text = 'found unexpected end of stream';
        scanner = true;
      } else if (/flow map/i.test(message)) text = "did not find expected ',' or '}'";
      else if (/flow seq/i.test(message)) text = "did not find expected ',' or ']'";
      else text = "could not find expected ':'";
      break;
    case 'BAD_INDENT':
      if (/flow seq/i.test(message)) text = "did not find expected ',' or ']'";
      else if (/flow map/i.test(message)) text = "did not find expected ',' or '}'";
      else text = 'did not find expected key';
      break;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'KEY_OVER_1024_CHARS':
      text = "could not find expected ':'";
      scanner = true;
      break;
    case 'UNEXPECTED_TOKEN':
      if (/block-seq-ind on same line/.test(message)) {
        text = 'block sequence entries are not allowed in this context';
        scanner = true;
      } else if (/^Unexpected , in flow/.test(message)) text = 'did not find expected node content';
      else text = 'did not find expected key';
      break;
    default:
      text = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  }
  return goLinePrefix(line, scanner) + text;
}

/**
 * go-yaml's "line N: " before a syntax error whose problem is on (1-based) `line`: a scanner error names that line, a
 * parser error its 0-based number, and neither names the first line (go-yaml omits the prefix for a problem on it).
 */
function goLinePrefix(line: number, scanner: boolean): string {
  return line > 1 ? `line ${scanner ? line : line - 1}: ` : '';
}

// go-yaml v2 guards against alias expansion bombs by the share of decode work spent inside aliases.
function allowedAliasRatio(decodeCount: number): number {
  const low = 400000;
  const high = 4000000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

type YamlValue = GoValue; // after JSON conversion (numbers float64)

/** A scalar as go-yaml types it, before the JSON step. */
type Typed = Resolved | { tag: 'binary'; value: string };

function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG) ? '!!' + tag.slice(LONG_TAG.length) : tag;
}

const RESOLVABLE = new Set(['', '!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);

function tagName(r: Typed): string {
  return r.tag === 'binary' ? '!!binary' : '!!' + r.tag;
}

/** go-yaml v2's resolve(tag, in) for an explicitly tagged scalar. */
function resolveTagged(tag: string, text: string): Typed {
  if (tag === '!!binary') return { tag: 'binary', value: text };
  if (!RESOLVABLE.has(tag)) return { tag: 'str', value: text };
  if (tag === '!!str') return { tag: 'str', value: text };
  let r: Resolved = resolvePlain(text, false);
  // Only untagged or !!timestamp scalars are tried as timestamps (a date never reads as a number).
  if (r.tag === 'timestamp' && tag !== '!!timestamp') r = { tag: 'str', value: text };
  if ('!!' + r.tag === tag) return r;
  if (tag === '!!float' && r.tag === 'int' && !r.unsigned) return { tag: 'float', value: Number(r.value) };
  return yamlFail(`cannot decode ${tagName(r)} \`${text}\` as a ${tag}`);
}

function decodeBase64(text: string): string {
  const clean = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    yamlFail('!!binary value contains invalid base64 data');
  }
  const bytes = Buffer.from(clean, 'base64');
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** %+#v of a decoded value, as it appears in sigs.k8s.io/yaml's "unsupported map key" error. */
function sharpV(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : formatG(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[]interface {}{' + v.map(sharpV).join(', ') + '}';
  if (typeof v === 'object' && !(v instanceof Uint8Array)) {
    const m = v as GoMap;
    return 'map[interface {}]interface {}{' + Object.keys(m).sort().map((k) => JSON.stringify(k) + ':' + sharpV(m[k])).join(', ') + '}';
  }
  return String(v);
}

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly active = new Set<Node>();
  /** First sigs.k8s.io/yaml conversion error (reported after go-yaml finished decoding). */
  private convertError: string | undefined;
  /** First value json.Marshal would reject (reported last). */
  private jsonError: string | undefined;

  constructor(private readonly doc: Document.Parsed) {}

  run(root: ParsedNode | null): GoValue {
    const v = root === null ? null : this.node(root);
    if (this.convertError !== undefined) throw new DecodeFail(this.convertError);
    if (this.jsonError !== undefined) throw new DecodeFail(this.jsonError);
    return v;
  }

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      yamlFail('document contains excessive aliasing');
    }
  }

  private deref(n: Node): Node {
    if (!isAlias(n)) return n;
    const target = (n as Alias).resolve(this.doc);
    if (target === undefined) yamlFail(`unknown anchor '${(n as Alias).source}' referenced`);
    return target as Node;
  }

  private withAlias<T>(n: Alias, f: (target: Node) => T): T {
    const target = this.deref(n);
    if (this.active.has(target)) yamlFail(`anchor '${n.source}' value contains itself`);
    this.active.add(target);
    this.aliasDepth++;
    try {
      return f(target);
    } finally {
      this.aliasDepth--;
      this.active.delete(target);
    }
  }

  /** Decodes a node into its interface{} value (after the JSON round trip). */
  node(n: Node | null): YamlValue {
    if (n === null) return null;
    this.count();
    if (isAlias(n)) return this.withAlias(n, (t) => this.node(t));
    if (isScalar(n)) return this.scalarValue(this.typed(n));
    if (isMap(n)) {
      const out = newMap();
      this.mappingInto(n as YAMLMap<Node, Node>, out);
      return out;
    }
    if (isSeq(n)) return newSlice(n.items.map((it) => this.node(it as Node)));
    return null;
  }

  private typed(n: Scalar): Typed {
    const text = typeof n.value === 'string' ? n.value : n.value === null || n.value === undefined ? '' : String(n.value);
    const tag = n.tag === undefined ? '' : shortTag(n.tag);
    if (tag === '') {
      if (n.type === 'PLAIN' || n.type === undefined) return resolvePlain(text, false);
      return { tag: 'str', value: text };
    }
    return resolveTagged(tag, text);
  }

  private scalarValue(t: Typed): YamlValue {
    switch (t.tag) {
      case 'null':
        return null;
      case 'bool':
        return t.value;
      case 'int':
        return Number(t.value);
      case 'float':
        if (!Number.isFinite(t.value) && this.jsonError === undefined) {
          this.jsonError = 'json: unsupported value: ' + formatG(t.value);
        }
        return t.value;
      case 'timestamp':
        return t.text;
      case 'str':
        return t.value;
      case 'binary':
        return decodeBase64(t.value);
    }
  }

  private isMergeKey(k: Node | null): boolean {
    if (k === null || !isScalar(k) || k.value !== '<<') return false;
    if (k.tag === undefined) return k.type === 'PLAIN' || k.type === undefined;
    return k.tag === LONG_TAG + 'merge';
  }

  private mappingInto(n: YAMLMap<Node, Node>, out: GoMap): void {
    for (const pair of n.items) {
      const k = pair.key as Node | null;
      const v = pair.value as Node | null;
      if (this.isMergeKey(k)) {
        this.merge(v, out);
        continue;
      }
      const key = this.key(k);
      const value = this.node(v);
      if (key.error !== undefined) {
        if (this.convertError === undefined) {
          this.convertError = `${key.error}, value: ${sharpV(value)}`;
        }
        continue;
      }
      out[key.name] = value;
    }
  }

  private merge(v: Node | null, out: GoMap): void {
    const wantMap = (): never => yamlFail('map merge requires map or sequence of maps as the value');
    if (v === null) return wantMap();
    if (isMap(v)) {
      this.count();
      this.mappingInto(v as YAMLMap<Node, Node>, out);
      return;
    }
    if (isAlias(v)) {
      const target = this.deref(v);
      if (!isMap(target)) wantMap();
      this.count();
      this.withAlias(v, (t) => {
        this.count();
        this.mappingInto(t as YAMLMap<Node, Node>, out);
      });
      return;
    }
    if (isSeq(v)) {
      this.count();
      for (let i = v.items.length - 1; i >= 0; i--) {
        const item = v.items[i] as Node;
        if (isAlias(item)) {
          if (!isMap(this.deref(item))) wantMap();
          this.count();
          this.withAlias(item, (t) => {
            this.count();
            this.mappingInto(t as YAMLMap<Node, Node>, out);
          });
        } else if (isMap(item)) {
          this.count();
          this.mappingInto(item as YAMLMap<Node, Node>, out);
        } else {
          wantMap();
        }
      }
      return;
    }
    wantMap();
  }

  /** The JSON object key for a YAML key node (sigs.k8s.io/yaml's rules), or the error it reports. */
  private key(k: Node | null): { name: string; error?: undefined } | { name?: undefined; error: string } {
    if (k === null) return { error: 'unsupported map key of type: %!s(<nil>), key: <nil>' };
    this.count();
    if (isAlias(k)) return this.withAlias(k, (t) => this.key(t));
    if (isMap(k) || isSeq(k)) yamlFail(`invalid map key: ${sharpV(this.node(k))}`);
    if (!isScalar(k)) return { error: 'unsupported map key of type: %!s(<nil>), key: <nil>' };
    const t = this.typed(k);
    switch (t.tag) {
      case 'str':
        return { name: t.value };
      case 'timestamp':
        return { name: t.text };
      case 'binary':
        return { name: decodeBase64(t.value) };
      case 'bool':
        return { name: t.value ? 'true' : 'false' };
      case 'null':
        return { error: 'unsupported map key of type: %!s(<nil>), key: <nil>' };
      case 'int':
        if (t.value > (1n << 64n) - 1n) return { error: `unsupported map key of type: *big.Int, key: ${t.value}` };
        if (t.unsigned) return { error: `unsupported map key of type: uint64, key: 0x${t.value.toString(16)}` };
        return { name: t.value.toString() };
      case 'float': {
        const s = formatG(t.value, 32);
        return { name: s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s };
      }
    }
  }
}

function firstError(doc: Document.Parsed, source: string): DataFormatError | undefined {
  const e = doc.errors[0];
  if (e === undefined) return undefined;
  const line = e.linePos?.[0]?.line ?? 1;
  const goMessage = goScannerMessage(e.code, e.message, source, e.pos[0]) ?? goYamlSyntaxMessage(e.code, e.message, line, endsExpectingNode(source, e.pos[0]));
  return new DataFormatError('error converting YAML to JSON: yaml: ' + goMessage);
}

/**
 * Two errors go-yaml's scanner finds where the `yaml` package reports another: a tab in a block scalar's indentation
 * (go-yaml reads a line's leading spaces up to the scalar's indentation and refuses a tab among them, even on the line
 * that ends the scalar), and a `?` key indicator in a value (`a: ? x`). Both name the line of the problem.
 */
function goScannerMessage(code: string, message: string, source: string, pos: number): string | undefined {
  const lineNo = (at: number) => source.slice(0, at).split('\n').length;
  if (code === 'BAD_INDENT' && /^Block scalar/.test(message)) {
    const start = source.lastIndexOf('\n', pos - 1) + 1;
    let i = start;
    while (source.charCodeAt(i) === 32) i++;
    if (source.charCodeAt(i) === 9) return goLinePrefix(lineNo(start), true) + 'found a tab character where an indentation space is expected';
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' && source[pos] === '?') return goLinePrefix(lineNo(pos), true) + 'mapping keys are not allowed in this context';
  // The rules below read lines (after the `yaml` package stopped at `pos`): split once, lines counted from 0.
  const lines = source.split('\n');
  const at = lineNo(pos) - 1;
  const colon = colonInPlainContinuation(lines, at, pos - (source.lastIndexOf('\n', pos - 1) + 1));
  if (colon !== undefined) return goLinePrefix(colon, true) + 'mapping values are not allowed in this context';
  const entry = wrongEntryKind(lines, at);
  if (entry) return entry;
  const keyWithoutColon =
    (code === 'MISSING_CHAR' && /^Implicit map keys need to be followed by map values/.test(message)) ||
    code === 'MULTILINE_IMPLICIT_KEY' ||
    (code === 'BAD_INDENT' && /^All mapping items must start at the same column/.test(message) && isLoneScalar(lines[at]!));
  if (keyWithoutColon && startsAtCollectionIndent(lines, at)) return goLinePrefix(staleKeyLine(lines, at), true) + "could not find expected ':'";
  return undefined;
}

const indentOf = (l: string): number => l.length - l.trimStart().length;

/** A line with content: neither blank nor only a comment. */
function hasContent(l: string): boolean {
  const body = l.trimStart();
  return body !== '' && !body.startsWith('#');
}

/** The nearest line above `from` with content indented `indent` or less (-1 when none): the collection it is in. */
function lineAbove(lines: readonly string[], from: number, indent: number): number {
  for (let i = from - 1; i >= 0; i--) if (hasContent(lines[i]!) && indentOf(lines[i]!) <= indent) return i;
  return -1;
}

/** The column of a line's content reached past its `- ` entry indicators up to `indent` (`- k: v` holds a mapping at `k`). */
function columnPastEntries(l: string, indent: number): number {
  let col = indentOf(l);
  while (col < indent && isSequenceEntry(l.slice(col))) col += 1 + indentOf(l.slice(col + 1));
  return col;
}

const isSequenceEntry = (body: string): boolean => body === '-' || /^-[ \t]/.test(body);

/**
 * Whether the line starts at the indentation of the block collection it is in: where go-yaml requires a scalar to be
 * a key. The collection is the nearest line above at this indentation or less.
 */
function startsAtCollectionIndent(lines: readonly string[], at: number): boolean {
  const indent = indentOf(lines[at]!);
  const above = lineAbove(lines, at, indent);
  return above < 0 ? indent === 0 : columnPastEntries(lines[above]!, indent) === indent;
}

/**
 * For a plain scalar starting at `column` of line `at` that goes on over the next lines (each indented deeper than its
 * block collection), the (1-based) line of the first `: ` in that continuation: go-yaml's scanner reads the lines as
 * one scalar, which cannot be a key, and stops at the `:` with "mapping values are not allowed". Undefined otherwise.
 */
function colonInPlainContinuation(lines: readonly string[], at: number, column: number): number | undefined {
  const before = lines[at]!.slice(0, column);
  const first = lines[at]!.slice(column);
  if (first === '' || /^[\s"'[\]{},#&*!|>%@`]/.test(first) || (/^[-?:]/.test(first) && !/^[-?:][^\s]/.test(first))) return undefined;
  if (/:(\s|$)|\s#/.test(first)) return undefined;
  // The block collection the scalar is in: a key's mapping, an entry's sequence, or the lines above.
  let blockIndent: number;
  const key = /^(\s*(?:-\s+)*)(.*?)\s*$/.exec(before)!;
  if (key[2] !== '' && keyLineValue(key[2] + ' x') !== undefined) blockIndent = key[1]!.length;
  else if (/^\s*(-\s+)+$/.test(before)) blockIndent = before.trimEnd().length - 1;
  else if (before.trim() === '') {
    const above = lineAbove(lines, at, before.length);
    blockIndent = above < 0 ? -1 : indentOf(lines[above]!);
  } else return undefined;
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    if (!hasContent(l) || indentOf(l) <= blockIndent || /^(---|\.\.\.)(\s|$)/.test(l)) return undefined;
    const body = l.trimStart();
    const colon = /:(\s|$)/.exec(body);
    const comment = /\s#/.exec(body);
    if (colon && (!comment || colon.index < comment.index)) return i + 1;
    if (comment) return undefined;
  }
  return undefined;
}

/** Whether the line is a scalar alone: no entry indicator, no `:` after a key, no flow collection. */
function isLoneScalar(line: string): boolean {
  const body = line.trimStart();
  return body !== '' && !isSequenceEntry(body) && keyLineValue(body) === undefined && !/^[[{#?|>&*!%@`]/.test(body);
}

/**
 * The line go-yaml names when a scalar that had to be a key (it starts a line at a block collection's indentation)
 * has no `:`: where its scanner stood when it found the key stale, which is at the next token. A plain scalar has
 * already read past its line breaks, stopping at the first line with content (a comment counts); after a quoted one,
 * or a plain one ended by a comment, the scanner skips comments too. At the end of the text the scanner is on the
 * line after the last one (it ends the last line itself when the text does not).
 */
function staleKeyLine(lines: readonly string[], at: number): number {
  const endLine = lines[lines.length - 1] === '' ? lines.length : lines.length + 1;
  const indent = indentOf(lines[at]!);
  const body = lines[at]!.slice(indent);
  const plain = !/^["']/.test(body) && !/[ \t]#/.test(body);
  let last = at;
  // A plain scalar goes on over lines indented deeper than it (until a comment).
  if (plain) while (last + 1 < lines.length && hasContent(lines[last + 1]!) && indentOf(lines[last + 1]!) > indent) last++;
  for (let i = last + 1; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '' || (!plain && l.startsWith('#'))) continue;
    return i + 1;
  }
  return endLine;
}

/**
 * A line at the indentation of an open block collection that starts an entry of the other kind: `- x` where a
 * mapping's keys are (the mapping already has its value there), or `k: v` where a sequence's `-` entries are (a
 * sequence indented under its key, not an indentless one). go-yaml's scanner emits the entry's token without
 * opening a collection, and its parser, wanting the other token, names the line (0-based, as parser errors do).
 * Only the line the `yaml` package stopped at is considered: the rule reads lines, not tokens.
 */
function wrongEntryKind(lines: readonly string[], stopped: number): string | undefined {
  // The `yaml` package may stop at a blank or comment line before the entry.
  let at = stopped;
  while (at < lines.length && !hasContent(lines[at]!)) at++;
  const text = lines[at];
  if (text === undefined) return undefined;
  const indent = indentOf(text);
  const body = text.slice(indent);
  const above = lineAbove(lines, at, indent);
  if (above < 0) return undefined;
  const parent = lines[above]!;
  if (/^(---|\.\.\.)(\s|$)/.test(parent)) return undefined;
  // Whether deeper lines lie between the parent line and this one (the parent's value is given by them).
  const deeper = lines.slice(above + 1, at).some(hasContent);
  const parentBody = parent.slice(indentOf(parent));
  if (isSequenceEntry(body)) {
    const col = columnPastEntries(parent, indent);
    if (col !== indent && col !== indentOf(parent)) return undefined;
    const key = keyLineValue(parent.slice(col));
    // Right under a key with no value yet, the entry starts that key's sequence (indented or not).
    if (key === undefined || (!deeper && key === '')) return undefined;
    return `line ${at}: did not find expected key`;
  }
  if (keyLineValue(body) === undefined || indentOf(parent) !== indent || !isSequenceEntry(parentBody)) return undefined;
  // Right under an empty entry, the key is where the entry's node should be.
  if (!deeper && parentBody.replace(/(^|[ \t])#.*$/, '').trim() === '-') return `line ${at}: did not find expected node content`;
  // Back to the line before this run of entries: a key at the same indentation makes the sequence indentless, and
  // a key after it continues that key's mapping.
  for (let i = above - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (!hasContent(l) || indentOf(l) > indent || (indentOf(l) === indent && isSequenceEntry(l.slice(indent)))) continue;
    if (indentOf(l) === indent) return undefined;
    break;
  }
  return `line ${at}: did not find expected '-' indicator`;
}

/**
 * For a line that is a simple key and its `:` (plain, single- or double-quoted key), what follows the `:` once
 * anchors, tags and a comment are set aside ('' when the value is on the lines below); undefined for any other line.
 */
function keyLineValue(body: string): string | undefined {
  let end: number;
  if (body.startsWith('"')) {
    const m = /^"(?:[^"\\]|\\.)*"[ \t]*:(?=[ \t]|$)/.exec(body);
    if (!m) return undefined;
    end = m[0].length;
  } else if (body.startsWith("'")) {
    const m = /^'(?:[^']|'')*'[ \t]*:(?=[ \t]|$)/.exec(body);
    if (!m) return undefined;
    end = m[0].length;
  } else {
    if (body === '' || /^[-?:,[\]{}#&*!|>'"%@`]/.test(body) && !/^[-?:][^ \t]/.test(body)) return undefined;
    const m = /^[^#]*?:(?=[ \t]|$)/.exec(body);
    if (!m || / #/.test(m[0])) return undefined;
    end = m[0].length;
  }
  return body
    .slice(end)
    .replace(/(^|[ \t])#.*$/, '')
    .replace(/(^|[ \t])[&!][^ \t]*/g, '')
    .trim();
}

/**
 * Whether the text ends at `pos` (only white space and comments follow) right after a `[`, `{` or `,` (white space
 * and comments before it skipped): where go-yaml's parser meets the end of the text while it expects a node.
 */
function endsExpectingNode(source: string, pos: number): boolean {
  const significant = (s: string) =>
    s
      .split('\n')
      .map((l) => l.replace(/(^|[ \t])#.*$/, ''))
      .join('\n')
      .trim();
  if (significant(source.slice(pos)) !== '') return false;
  const before = significant(source.slice(0, pos));
  return /[[{,]$/.test(before);
}

function firstDocument(text: string): Document.Parsed | undefined {
  const docs = yaml().parseAllDocuments(text, PARSE_OPTIONS);
  return Array.isArray(docs) && docs.length > 0 ? (docs[0] as Document.Parsed) : undefined;
}

/** Whether the document's first error is a quoted scalar without its closing quote. */
function missingQuote(doc: Document.Parsed): boolean {
  const e = doc.errors[0];
  return e !== undefined && e.code === 'MISSING_CHAR' && /quote/i.test(e.message);
}

/** Whether the document's first error is a flow collection's line indented no deeper than its parent. */
function shallowFlow(doc: Document.Parsed): boolean {
  const e = doc.errors[0];
  return e !== undefined && e.code === 'BAD_INDENT' && /^Flow (sequence|map)/.test(e.message);
}

const lexer = (t: string) => new (yaml().Lexer)().lex(t);

/** Decodes the first document of text (go-yaml ignores the rest), as interface{}. */
function decodeFirst(text: string): GoValue {
  const fast = fastParseYaml(text);
  if (fast !== FALLBACK) return fast;
  return decodeFirstFull(text);
}

/** decodeFirst without the fast path (the reference the fast path is checked against). */
export function decodeFirstFull(text: string): GoValue {
  let source = text;
  let doc = firstDocument(source);
  if (doc && missingQuote(doc)) {
    // Perhaps a quoted scalar go-yaml reads on past lines the `yaml` package stops at (see quoted.ts).
    const mended = indentQuotedContinuations(source, lexer);
    if (mended !== source) doc = firstDocument((source = mended));
  }
  if (doc && shallowFlow(doc)) {
    // Perhaps a flow collection go-yaml reads on past lines the `yaml` package stops at (see flow.ts).
    const mended = indentFlowContinuations(source, lexer);
    if (mended !== source) doc = firstDocument((source = mended));
  }
  if (doc && doc.errors.length > 0) {
    // Perhaps the root collection ended on a shallower line: go-yaml stops after the first document's node and
    // never reads what follows, valid or not.
    const end = rootEnd(source);
    if (end !== undefined && doc.errors[0]!.pos[0] >= end) doc = firstDocument((source = source.slice(0, end)));
  }
  if (!doc) return null;
  const err = firstError(doc, source);
  if (err) throw err;
  try {
    return new Decoder(doc).run(doc.contents as ParsedNode | null);
  } catch (e) {
    if (e instanceof DecodeFail) throw new DataFormatError('error converting YAML to JSON: ' + e.message);
    throw e;
  }
}

/**
 * Where a block collection at the root ends: the start of the first line indented less than the root's first line
 * (a mapping key or a sequence entry indented by some spaces). Undefined when the root is not such a collection.
 */
function rootEnd(source: string): number | undefined {
  const lines = source.split('\n');
  let offset = 0;
  let rootIndent: number | undefined;
  for (const l of lines) {
    const body = l.trimStart();
    if (hasContent(l)) {
      if (rootIndent === undefined) {
        if (/^(---|%)/.test(l)) return undefined;
        if (indentOf(l) === 0 || (!isSequenceEntry(body) && keyLineValue(body) === undefined)) return undefined;
        rootIndent = indentOf(l);
      } else if (indentOf(l) < rootIndent) return offset;
    }
    offset += l.length + 1;
  }
  return undefined;
}

/**
 * sigs.k8s.io/yaml.Unmarshal(text, &v) with v an interface{}: the first YAML document, YAML 1.1 scalars, keys made
 * strings, every number float64. Empty input gives null. Throws DataFormatError
 * ("error converting YAML to JSON: yaml: line N: ...").
 */
export function parseYaml(text: string): GoValue {
  return decodeFirst(text);
}

/**
 * parseYaml for reading a manifest's head: when the document is a mapping, the result may hold only its apiVersion,
 * kind and metadata entries (the rest is read and checked, errors are the same, but not built).
 */
export function parseYamlHead(text: string): GoValue {
  const fast = fastParseYamlHead(text);
  if (fast !== FALLBACK) return fast;
  return decodeFirst(text);
}

/**
 * sigs.k8s.io/yaml.Unmarshal into a map[string]interface{} ('map') or []interface{} ('slice') variable, as Helm's
 * fromYaml/fromYamlArray and values loading do. A null document leaves the variable unchanged (returns undefined).
 * Errors read like Go's, e.g. "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go
 * value of type map[string]interface {}".
 */
export function unmarshalYamlInto(text: string, target: 'map' | 'slice'): GoValue | undefined {
  const v = decodeFirst(text);
  if (v === null) return undefined;
  const isArr = Array.isArray(v);
  const isObj = !isArr && typeof v === 'object';
  if (target === 'map' ? isObj : isArr) return v;
  const kind = isArr ? 'array' : isObj ? 'object' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
  const type = target === 'map' ? 'map[string]interface {}' : '[]interface {}';
  throw new DataFormatError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type ${type}`);
}

/**
 * Splits a stream into documents exactly as k8s.io/apimachinery's YAMLReader does for Helm 4's values loading: a
 * line starting with "---" ends the current document (only spaces or a comment may follow it on that line); each
 * chunk keeps its lines with "\n" endings ("\r\n" becomes "\n"). Throws on a separator followed by other text.
 */
export function splitYamlDocuments(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const docs: string[] = [];
  let buf: string[] = [];
  for (let raw of lines) {
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.startsWith('---')) {
      const rest = raw.slice(3).trim();
      if (rest.length > 0 && rest[0] !== '#') throw new DataFormatError('invalid Yaml document separator: ' + rest);
      if (buf.length > 0) {
        docs.push(buf.join(''));
        buf = [];
        continue;
      }
    }
    buf.push(raw + '\n');
  }
  if (buf.length > 0) docs.push(buf.join(''));
  return docs;
}

/**
 * Every document of a multi-document stream (Helm 4 merges them when loading values), each as parseYaml reads it
 * (null for empty documents). Documents are split as splitYamlDocuments does.
 */
export function parseYamlDocuments(text: string): GoValue[] {
  return splitYamlDocuments(text).map(parseYaml);
}
