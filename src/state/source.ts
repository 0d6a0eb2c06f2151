// Reading YAML state documents with their positions.
//
// helmfile v1 decodes state files with go-yaml v3 (YAML 1.2 core schema, merge keys, anchors). The `yaml` package
// reads the same way; numbers are wrapped in YamlNumber so that both their Go type (int or float64) and their exact
// source text survive: go-yaml stores a scalar such as `version: 1.10` into a string field as the text "1.10", and
// state values keep integers as Go ints (so `{{ .Values.replicas }}` prints 1000000, not 1e+06).
import { parseAllDocuments, LineCounter, isMap, isSeq, isScalar, isAlias, isPair, type Document, type Node } from 'yaml';
import { GoInt, newMap, type GoMap, type GoValue } from '../template/value.js';
import { StateError, type FieldPath } from './errors.js';

/** A number as written in the source: `text` verbatim, `value` a bigint for integers, a number for floats. */
export class YamlNumber {
  constructor(
    readonly text: string,
    readonly value: number | bigint,
  ) {}
  toString(): string {
    return this.text;
  }
}

/** One parsed YAML document. */
export interface SourceDoc {
  /** The document as JavaScript: plain objects, arrays, strings, booleans, null and YamlNumber. */
  readonly value: unknown;
  /** The 1-based line of the node at `path` (of its key, inside a map); the nearest ancestor found otherwise. */
  lineOf(path: FieldPath): number;
}

const numberTag = /:(int|float)$/;

function wrapNumberTags(tags: unknown[]): unknown[] {
  return tags.map((t) => {
    const tag = t as { tag?: string; resolve?: (...a: unknown[]) => unknown };
    if (typeof tag.tag !== 'string' || !numberTag.test(tag.tag) || typeof tag.resolve !== 'function') return t;
    const resolve = tag.resolve;
    return {
      ...tag,
      resolve: (src: string, ...rest: unknown[]) => {
        // Float tags resolve to a Scalar node (to keep their formatting); take its value.
        const r = resolve(src, ...rest) as unknown;
        const v = r !== null && typeof r === 'object' && 'value' in r ? (r as { value: unknown }).value : r;
        return new YamlNumber(src, v as number | bigint);
      },
    };
  });
}

/**
 * Parses every document of `text`. `lineOffset` is added to every line (the text is a part of a larger file).
 * Throws StateError at the first syntax error.
 */
export function parseSource(text: string, file: string, lineOffset = 0): SourceDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lc,
    merge: true,
    intAsBigInt: true,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: wrapNumberTags as never,
  });
  if (!Array.isArray(docs)) {
    // An empty stream.
    return [];
  }
  const lineAt = (offset: number) => lc.linePos(offset).line + lineOffset;
  const out: SourceDoc[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos ? err.linePos[0].line + lineOffset : lineAt(err.pos[0]);
      throw new StateError(file, line, '', `yaml: ${firstLine(err.message)}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 10000 });
    } catch (e) {
      throw new StateError(file, 0, '', `yaml: ${firstLine((e as Error).message)}`);
    }
    out.push({ value: value ?? null, lineOf: (path) => lineOfPath(doc, path, lineAt) });
  }
  return out;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function nodeStart(n: unknown): number | undefined {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : undefined;
}

function lineOfPath(doc: Document, path: FieldPath, lineAt: (offset: number) => number): number {
  let node: unknown = doc.contents;
  let best = nodeStart(node);
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = findPair(doc, node, String(seg), 0);
      if (!pair) break;
      best = nodeStart(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      best = nodeStart(item) ?? best;
      node = item;
    } else break;
  }
  return best === undefined ? 0 : lineAt(best);
}

function keyString(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/** The pair for `key` in a map, looking through `<<` merge keys as go-yaml does. */
function findPair(doc: Document, map: { items: unknown[] }, key: string, depth: number): { key: unknown; value: unknown } | undefined {
  if (depth > 20) return undefined;
  for (const it of map.items) if (isPair(it) && keyString(it.key) === key) return it as { key: unknown; value: unknown };
  for (const it of map.items) {
    if (!isPair(it) || keyString(it.key) !== '<<') continue;
    const sources = isSeq(it.value) ? it.value.items : [it.value];
    for (let s of sources) {
      if (isAlias(s)) s = s.resolve(doc) as Node;
      if (isMap(s)) {
        const p = findPair(doc, s, key, depth + 1);
        if (p) return p;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Conversions of parsed documents

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** State values as helmfile holds them (go-yaml v3 into interface{}): ints are Go ints, other numbers float64. */
export function toGo(x: unknown): GoValue {
  if (x === null || x === undefined) return null;
  if (x instanceof YamlNumber) {
    if (typeof x.value === 'bigint') {
      if (x.value >= INT64_MIN && x.value <= INT64_MAX) return new GoInt(x.value, 'int');
      return Number(x.value);
    }
    return x.value;
  }
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      return x;
    case 'bigint':
      return new GoInt(x, 'int');
  }
  if (Array.isArray(x)) return x.map(toGo);
  if (x instanceof Date) return x.toISOString();
  const m = newMap();
  for (const [k, v] of Object.entries(x as object)) m[k] = toGo(v);
  return m;
}

export function toGoMap(x: unknown): GoMap {
  const v = toGo(x);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as GoMap) : newMap();
}

/** Plain JSON data for schema validation: numbers unwrapped. */
export function toPlain(x: unknown): unknown {
  if (x instanceof YamlNumber) return Number(x.value);
  if (typeof x === 'bigint') return Number(x);
  if (Array.isArray(x)) return x.map(toPlain);
  if (x !== null && typeof x === 'object' && !(x instanceof Date)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = toPlain(v);
    return o;
  }
  return x;
}

/** A scalar read into a Go string field: the source text for numbers, as go-yaml does. */
export function str(x: unknown): string {
  if (x === null || x === undefined) return '';
  if (typeof x === 'string') return x;
  if (x instanceof YamlNumber) return x.text;
  return String(x);
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof YamlNumber) && !(x instanceof Date);
}
