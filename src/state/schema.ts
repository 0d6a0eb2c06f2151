// Validation of state documents against schema/bosun.schema.json (draft 2020-12, the same file editors use for
// completion). An unknown key is an error; a helmfile key bosun does not support yet is an error that says so.
import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { StateError, formatField, type FieldPath } from './errors.js';
import type { SourceDoc } from './source.js';
import { toPlain } from './source.js';
import { schemaFile, schemaValidator } from '../schemas.js';
import { compile as compileRegexp } from '../template/funcs/re2.js';

/** helmfile keys that bosun recognises but does not implement yet, by schema location. */
const HELMFILE_UNSUPPORTED: Record<string, readonly string[]> = {
  top: ['helmBinary', 'kustomizeBinary', 'lockFilePath', 'context', 'namespace', 'llm'],
  releaseFields: [
    'postRenderer',
    'postRendererArgs',
    'jsonPatches',
    'strategicMergePatches',
    'transformers',
    'dependencies',
    'adopt',
    'forceNamespace',
    'forceGoGetter',
    'updateStrategy',
    'unitTests',
    'trackMode',
    'trackTimeout',
    'trackLogs',
    'trackKinds',
    'skipKinds',
    'trackResources',
    'kubedogQPS',
    'kubedogBurst',
    'disableOpenAPIValidation',
    'resolveOCIVersions',
    'disableAutoDetectedKubeVersionForDiff',
    'tillerNamespace',
    'tillerless',
    'env',
  ],
  helmDefaults: [
    'args',
    'diffArgs',
    'syncArgs',
    'templateArgs',
    'postRenderer',
    'postRendererArgs',
    'resolveOCIVersions',
    'trackMode',
    'disableAutoDetectedKubeVersionForDiff',
    'disableOpenAPIValidation',
    'tillerNamespace',
    'tillerless',
    'tls',
    'tlsCACert',
    'tlsCert',
    'tlsKey',
  ],
  environment: ['mergeStrategy'],
  helmfileEntry: ['inherits'],
};

/** schema/bosun.schema.json (found from src/ and from dist/src/). */
export const schemaPath = (): string => schemaFile('bosun');

interface Compiled {
  validate: ValidateFunction;
  schema: Record<string, unknown>;
}

let compiled: Compiled | undefined;

function compile(): Compiled {
  compiled ??= { validate: schemaValidator('bosun'), schema: JSON.parse(readFileSync(schemaPath(), 'utf8')) as Record<string, unknown> };
  return compiled;
}

function dropNullKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(dropNullKeys);
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (v !== null) o[k] = dropNullKeys(v);
    return o;
  }
  return x;
}

/** The JSON schema (parsed), e.g. for tools. */
export function stateSchema(): Record<string, unknown> {
  return compile().schema;
}

function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const n = Number(seg);
      out.push(n);
      cur = cur[n];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/**
 * Maps every sub-schema (by content: a precompiled validator's error objects are copies, not parts of the parsed
 * schema) to the name of the $defs entry holding it; 'top' for the root object.
 */
function defIndex(schema: Record<string, unknown>): Map<string, string> {
  const index = new Map<string, string>();
  const walk = (node: unknown, name: string) => {
    if (!node || typeof node !== 'object') return;
    const key = JSON.stringify(node);
    if (index.has(key)) return;
    index.set(key, name);
    for (const v of Object.values(node as object)) walk(v, name);
  };
  index.set(JSON.stringify(schema), 'top');
  for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>)) walk(def, name);
  return index;
}

let index: Map<string, string> | undefined;

/** The $defs name (or 'top') of the schema object an error belongs to. */
function defName(e: ErrorObject, schema: Record<string, unknown>): string {
  index ??= defIndex(schema);
  return (e.parentSchema && index.get(JSON.stringify(e.parentSchema))) ?? 'top';
}

function allowedKeys(schema: Record<string, unknown>, def: string): string[] {
  const defs = schema.$defs as Record<string, Record<string, unknown>>;
  const node = def === 'top' ? schema : def === 'release' || def === 'releaseTemplate' ? defs.releaseFields : defs[def];
  const findProps = (n: unknown): string[] => {
    if (!n || typeof n !== 'object') return [];
    const o = n as Record<string, unknown>;
    if (o.properties) return Object.keys(o.properties as object);
    for (const alt of (o.anyOf as unknown[]) ?? []) {
      const k = findProps(alt);
      if (k.length) return k;
    }
    return [];
  };
  return findProps(node);
}

function editDistance(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  object: 'a map',
  array: 'a list',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  null: 'empty',
};

function describeSchema(s: unknown, root: Record<string, unknown>, depth = 0): string[] {
  if (!s || typeof s !== 'object' || depth > 4) return [];
  const o = s as Record<string, unknown>;
  if (typeof o.$ref === 'string') {
    const name = o.$ref.replace('#/$defs/', '');
    return describeSchema((root.$defs as Record<string, unknown>)[name], root, depth + 1);
  }
  if (Array.isArray(o.anyOf)) return o.anyOf.flatMap((x) => describeSchema(x, root, depth + 1));
  if (Array.isArray(o.enum)) return [`one of ${o.enum.join(', ')}`];
  const t = o.type;
  const types = Array.isArray(t) ? t : typeof t === 'string' ? [t] : [];
  return types.map((x) => TYPE_WORDS[x as string] ?? String(x));
}

function joinAlternatives(words: string[]): string {
  const uniq = [...new Set(words)];
  if (uniq.length <= 1) return uniq[0] ?? 'valid';
  return uniq.slice(0, -1).join(', ') + ' or ' + uniq[uniq.length - 1];
}

interface Problem {
  path: (string | number)[];
  message: string;
  unknownKey: boolean;
}

function problemOf(e: ErrorObject, data: unknown, schema: Record<string, unknown>): Problem {
  const path = pointerToPath(e.instancePath, data);
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = (e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ?? (e.params as { unevaluatedProperty?: string }).unevaluatedProperty ?? '?';
      const def = defName(e, schema);
      const group = def === 'release' || def === 'releaseTemplate' ? 'releaseFields' : def;
      if (HELMFILE_UNSUPPORTED[group]?.includes(key)) {
        return { path: [...path, key], message: `helmfile key "${key}" is not supported by bosun yet`, unknownKey: true };
      }
      const allowed = allowedKeys(schema, def);
      const near = allowed.filter((k) => editDistance(k, key) <= 2).sort((a, b) => editDistance(a, key) - editDistance(b, key));
      const hint = near.length ? ` (did you mean "${near[0]}"?)` : '';
      return { path: [...path, key], message: `unknown key "${key}"${hint}`, unknownKey: true };
    }
    case 'required':
      return { path, message: `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`, unknownKey: false };
    case 'type':
      return { path, message: `must be ${joinAlternatives(describeSchema(e.parentSchema, schema))}`, unknownKey: false };
    case 'enum':
      return { path, message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`, unknownKey: false };
    case 'anyOf':
    case 'oneOf':
      return { path, message: `must be ${joinAlternatives(describeSchema(e.parentSchema, schema))}`, unknownKey: false };
    case 'minimum':
      return { path, message: `must be at least ${(e.params as { limit: number }).limit}`, unknownKey: false };
    default:
      return { path, message: e.message ?? e.keyword, unknownKey: false };
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * A setting the schema allows (helmfile has it) that bosun refuses: `serverSide: false` asks for client-side apply,
 * and bosun applies server-side only. Refused rather than ignored, so that nothing is applied otherwise than asked.
 */
function refusedSetting(data: unknown): { path: (string | number)[]; message: string } | undefined {
  if (!isRecord(data)) return undefined;
  const places: [unknown, (string | number)[]][] = [[data.helmDefaults, ['helmDefaults']]];
  if (Array.isArray(data.releases)) data.releases.forEach((r, i) => places.push([r, ['releases', i]]));
  if (isRecord(data.templates)) for (const [k, v] of Object.entries(data.templates)) places.push([v, ['templates', k]]);
  for (const [o, path] of places) {
    if (!isRecord(o)) continue;
    if (o.serverSide === false || o.serverSide === 'false') {
      return { path: [...path, 'serverSide'], message: 'serverSide false asks for client-side apply; bosun applies server-side only (true or auto)' };
    }
    const patterns = Array.isArray(o.suppressOutputLineRegex) ? o.suppressOutputLineRegex : [];
    for (let i = 0; i < patterns.length; i++) {
      const bad = regexpError(String(patterns[i]));
      if (bad !== undefined) return { path: [...path, 'suppressOutputLineRegex', i], message: bad };
    }
  }
  return undefined;
}

/** Go's error for a regular expression it refuses (`error parsing regexp: ...`), or undefined. */
export function regexpError(pattern: string): string | undefined {
  try {
    compileRegexp(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Validates one document; throws a StateError naming the file, line and field of the first problem (unknown keys
 * first, then the most specific other problem, in document order).
 */
export function validateDocument(doc: SourceDoc, displayFile: string, fieldPrefix: FieldPath = []): void {
  const { validate, schema } = compile();
  // go-yaml decodes a null into any field as its zero value, so null-valued keys are not checked.
  const data = dropNullKeys(toPlain(doc.value));
  if (validate(data)) {
    const refused = refusedSetting(data);
    if (refused) throw new StateError(displayFile, doc.lineOf(refused.path), formatField([...fieldPrefix, ...refused.path]), refused.message);
    return;
  }
  const problems = (validate.errors ?? []).map((e) => problemOf(e, data, schema));
  // anyOf branches report their own failures at the same place; keep the anyOf summary there.
  const anyOfAt = new Set(problems.filter((p, i) => validate.errors![i]!.keyword === 'anyOf').map((p) => JSON.stringify(p.path)));
  const useful = problems.filter((p, i) => {
    const kw = validate.errors![i]!.keyword;
    return kw === 'anyOf' || p.unknownKey || !anyOfAt.has(JSON.stringify(p.path));
  });
  const pool = useful.some((p) => p.unknownKey) ? useful.filter((p) => p.unknownKey) : useful;
  // Most specific first (deepest path), then document order.
  const withLine = pool.map((p) => ({ p, line: doc.lineOf(p.path) }));
  const maxDepth = Math.max(...withLine.map((x) => x.p.path.length));
  const chosen = pool.some((p) => p.unknownKey)
    ? withLine.sort((a, b) => a.line - b.line)[0]!
    : withLine.filter((x) => x.p.path.length === maxDepth).sort((a, b) => a.line - b.line)[0]!;
  throw new StateError(displayFile, chosen.line, formatField([...fieldPrefix, ...chosen.p.path]), chosen.p.message);
}
