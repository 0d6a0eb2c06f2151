// values.schema.json validation (Helm 4: pkg/chart/common/util/jsonschema.go over santhosh-tekuri/jsonschema v6),
// implemented with Ajv. The draft comes from `$schema` (2020-12 when absent or unknown, like jsonschema v6);
// formats are asserted for draft-07 and older only, as v6 does by default.
//
// Errors are rebuilt into v6's tree and printed the way Helm prints them:
//
//   values don't meet the specifications of the schema(s) in the following chart(s):
//   mychart:
//   - at '/replicaCount': got string, want integer
//   - at '/image': validation failed
//     - at '/image/tag': got number, want string
//
// Ajv reports flat errors; the tree is regrouped by instance location (several failures at or below one location
// become `validation failed` with the failures nested), combinators (anyOf, oneOf, allOf, not) carry the failures of
// their alternatives, and numbers are printed as v6's message printer prints them (1,000 and 1×10⁰⁶).
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { type GoMap, type GoValue, GoInt, GoStruct, isMap } from '../template/value.js';
import type { Chart } from '../chart/index.js';
import { certainlyValid, fastSchema } from './schema-fast.js';

const require = createRequire(import.meta.url);

interface AjvLike {
  compile(schema: unknown): ValidateFunction;
}
type AjvCtor = new (opts: Record<string, unknown>) => AjvLike;

function loadAjv(path: string): AjvCtor {
  const m = require(path) as { default?: AjvCtor } & AjvCtor;
  return m.default ?? m;
}

type Draft = '2020-12' | '2019-09' | 'draft-07' | 'draft-06' | 'draft-04';

const instances = new Map<Draft, AjvLike>();

function ajvFor(draft: Draft): AjvLike {
  let a = instances.get(draft);
  if (a) return a;
  const opts: Record<string, unknown> = {
    allErrors: true,
    verbose: true,
    strict: false,
    validateSchema: false,
    logger: false,
    unicodeRegExp: true,
    validateFormats: formatsAsserted(draft),
  };
  const ctor = draft === '2020-12' ? loadAjv('ajv/dist/2020') : draft === '2019-09' ? loadAjv('ajv/dist/2019') : loadAjv('ajv');
  a = new ctor(opts);
  const addFormats = loadAjv('ajv-formats') as unknown as (ajv: AjvLike) => void;
  addFormats(a);
  instances.set(draft, a);
  return a;
}

/** Whether formats are asserted for a draft (jsonschema v6's default: draft-07 and older). */
function formatsAsserted(draft: Draft): boolean {
  return draft === 'draft-07' || draft === 'draft-06' || draft === 'draft-04';
}

/** jsonschema v6's draftFromURL: the draft named by `$schema`, 2020-12 otherwise. */
export function draftOf(schema: unknown): Draft {
  const s = isPlainObject(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  const u = s.replace(/^https?:\/\//, '').replace(/#$/, '');
  switch (u) {
    case 'json-schema.org/draft/2019-09/schema':
      return '2019-09';
    case 'json-schema.org/draft-07/schema':
      return 'draft-07';
    case 'json-schema.org/draft-06/schema':
      return 'draft-06';
    case 'json-schema.org/draft-04/schema':
      return 'draft-04';
    default:
      return '2020-12';
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

const compiled = new Map<string, ValidateFunction>();

/** Thrown when a schema cannot be read or compiled (Helm reports these as validation errors of the chart). */
export class SchemaCompileError extends Error {}

function compile(schemaText: string): ValidateFunction {
  let v = compiled.get(schemaText);
  if (v) return v;
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch (e) {
    throw new SchemaCompileError((e as Error).message);
  }
  try {
    v = ajvFor(draftOf(schema)).compile(schema as object);
  } catch (e) {
    throw new SchemaCompileError(`jsonschema: ${(e as Error).message}`);
  }
  compiled.set(schemaText, v);
  return v;
}

/** Go values as the JSON data model the validator sees. */
function toJsonData(x: GoValue): unknown {
  if (x === null || typeof x !== 'object') return x;
  if (x instanceof GoInt) return x.toNumber();
  if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
  if (x instanceof GoStruct) return x.goString ? x.goString() : null;
  if (Array.isArray(x)) return x.map(toJsonData);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(x)) Object.defineProperty(o, k, { value: toJsonData(x[k]!), enumerable: true, writable: true, configurable: true });
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// v6 messages

/** v6's quote: Go %q with `"` unescaped and `'` escaped, in single quotes. */
function quote(s: string): string {
  let q = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  q = q.replace(/\\u007f/g, '\\x7f');
  return `'${q}'`;
}

/** v6's display: strings quoted, numbers and bools with %v, composites as `value`. */
function display(x: unknown): string {
  if (typeof x === 'string') return quote(x);
  if (x === null) return '<nil>';
  if (typeof x === 'object') return 'value';
  return String(x);
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function group3(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number as golang.org/x/text's English printer prints %v / %d: 1,000.5 or 1.5×10⁰⁶. */
export function printerNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'NaN';
  if (n === 0) return '0';
  const neg = n < 0;
  const a = Math.abs(n);
  const [mant, expStr] = a.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  let body: string;
  if (exp < -4 || exp >= 6) {
    const e = String(Math.abs(exp)).padStart(2, '0');
    body = `${mant}×10${exp < 0 ? '⁻' : ''}${Array.from(e, (d) => SUPERSCRIPT[Number(d)]).join('')}`;
  } else {
    const s = a.toFixed(Math.max(0, -exp + (mant.replace('.', '').length - 1)));
    const [i, f] = s.split('.') as [string, string | undefined];
    body = group3(i) + (f !== undefined && /[1-9]/.test(f) ? `.${f.replace(/0+$/, '')}` : '');
  }
  return (neg ? '-' : '') + body;
}

const TYPE_ORDER = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];

function jsonType(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'boolean') return 'boolean';
  if (typeof x === 'number') return 'number';
  if (typeof x === 'string') return 'string';
  if (Array.isArray(x)) return 'array';
  return 'object';
}

function runeCount(s: string): number {
  return Array.from(s).length;
}

/**
 * The reason jsonschema v6's format checkers give, for the failures whose wording is known; otherwise undefined and
 * the message stops after the format name.
 */
function formatReason(format: string, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  switch (format) {
    case 'email':
      return v.includes('@') ? undefined : 'missing @';
    case 'ipv4':
      return v.split('.').length !== 4 ? 'expected four decimals' : undefined;
    case 'date-time':
      return v.length < 20 ? 'less than 20 characters long' : undefined;
    case 'uri':
      return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) ? undefined : 'relative url';
  }
  return undefined;
}

interface VErr {
  loc: string[];
  message: string;
  causes: VErr[];
}

function ptrTokens(ptr: string): string[] {
  if (ptr === '') return [];
  return ptr
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function ptr(tokens: string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function leafMessage(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  const data = e.data as unknown;
  const schema = e.schema as unknown;
  switch (e.keyword) {
    case 'type': {
      const want = (Array.isArray(schema) ? (schema as string[]) : [String(schema)]).slice();
      want.sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
      return `got ${jsonType(data)}, want ${want.join(' or ')}`;
    }
    case 'enum': {
      const want = schema as unknown[];
      if (want.some((w) => w !== null && typeof w === 'object')) return "'enum' failed";
      if (want.length === 1) return `value must be ${display(want[0])}`;
      return `value must be one of ${want.map(display).join(', ')}`;
    }
    case 'const':
      return schema !== null && typeof schema === 'object' ? "'const' failed" : `value must be ${display(schema)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
      return `${e.keyword}: got ${printerNumber(data as number)}, want ${printerNumber((p.limit ?? p.multipleOf ?? schema) as number)}`;
    case 'minLength':
    case 'maxLength':
      return `${e.keyword}: got ${printerNumber(runeCount(String(data)))}, want ${printerNumber(p.limit as number)}`;
    case 'minItems':
    case 'maxItems':
      return `${e.keyword}: got ${printerNumber((data as unknown[]).length)}, want ${printerNumber(p.limit as number)}`;
    case 'minProperties':
    case 'maxProperties':
      return `${e.keyword}: got ${printerNumber(Object.keys(data as object).length)}, want ${printerNumber(p.limit as number)}`;
    case 'pattern':
      return `${quote(String(data))} does not match pattern ${quote(String(p.pattern ?? schema))}`;
    case 'format': {
      const format = String(p.format ?? schema);
      const reason = formatReason(format, data);
      return `${display(data)} is not valid ${format}${reason ? `: ${reason}` : ''}`;
    }
    case 'uniqueItems': {
      const i = Number(p.i);
      const j = Number(p.j);
      return `items at ${Math.min(i, j)} and ${Math.max(i, j)} are equal`;
    }
    case 'false schema':
      return 'false schema';
    case 'additionalItems':
    case 'items':
      return `last ${(data as unknown[]).length - Number(p.limit)} additionalItem(s) not allowed`;
    case 'contains':
      if (p.minContains !== undefined && Number(p.minContains) > 1) {
        return `min ${p.minContains} items required to match contains schema, but none matched`;
      }
      return 'no items match contains schema';
    case 'not':
      return "'not' failed";
  }
  return undefined;
}

/** Merges Ajv's per-property errors (required, additionalProperties ...) into v6's single messages. */
function combinedLeaves(errors: ErrorObject[]): Array<{ loc: string[]; message: string; order: number }> {
  const out: Array<{ loc: string[]; message: string; order: number }> = [];
  const groups = new Map<string, ErrorObject[]>();
  errors.forEach((e, idx) => {
    const combinable = ['required', 'additionalProperties', 'unevaluatedProperties', 'dependencies', 'dependentRequired'].includes(e.keyword);
    if (!combinable) {
      const m = leafMessage(e);
      if (m !== undefined) out.push({ loc: ptrTokens(e.instancePath), message: m, order: orderOf(e.keyword, idx) });
      return;
    }
    const extra = e.keyword === 'dependencies' || e.keyword === 'dependentRequired' ? `|${String((e.params as { property?: unknown }).property)}` : '';
    const key = `${e.keyword}|${e.instancePath}|${e.schemaPath}${extra}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(e);
  });
  for (const g of groups.values()) {
    const e = g[0]!;
    const loc = ptrTokens(e.instancePath);
    const order = orderOf(e.keyword, 0);
    if (e.keyword === 'required') {
      const missing = new Set(g.map((x) => String((x.params as { missingProperty: string }).missingProperty)));
      const names = Array.isArray(e.schema) ? (e.schema as string[]).filter((n) => missing.has(n)) : [...missing];
      out.push({ loc, order, message: names.length === 1 ? `missing property ${quote(names[0]!)}` : `missing properties ${names.map(quote).join(', ')}` });
    } else if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      const names = g.map((x) => String((x.params as Record<string, unknown>).additionalProperty ?? (x.params as Record<string, unknown>).unevaluatedProperty)).sort();
      out.push({ loc, order, message: `additional properties ${names.map(quote).join(', ')} not allowed` });
    } else {
      const prop = String((e.params as { property?: unknown }).property);
      const missing = g.map((x) => String((x.params as { missingProperty: string }).missingProperty));
      out.push({ loc, order, message: `properties ${missing.map(quote).join(', ')} required, if ${quote(prop)} exists` });
    }
  }
  return out;
}

/** v6 checks object keywords in a fixed order: required first, additional properties after the properties. */
function orderOf(keyword: string, idx: number): number {
  if (keyword === 'required') return -1;
  if (keyword === 'additionalProperties' || keyword === 'unevaluatedProperties') return 1e9;
  return idx;
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'not', 'propertyNames', 'allOf']);

function under(path: string, prefix: string): boolean {
  return path.startsWith(prefix + '/');
}

function isPrefix(a: string[], b: string[]): boolean {
  return a.length <= b.length && a.every((t, i) => b[i] === t);
}

/** Groups errors at or below `loc` into one v6 error (a `validation failed` group when there are several). */
function byLocation(nodes: Array<VErr & { order: number }>, loc: string[]): VErr | undefined {
  const here = nodes.filter((n) => n.loc.length === loc.length && isPrefix(loc, n.loc)).sort((a, b) => a.order - b.order);
  const below = nodes.filter((n) => n.loc.length > loc.length && isPrefix(loc, n.loc));
  const childKeys: string[] = [];
  for (const n of below) {
    const k = n.loc[loc.length]!;
    if (!childKeys.includes(k)) childKeys.push(k);
  }
  const list: VErr[] = here.map(({ loc: l, message, causes }) => ({ loc: l, message, causes }));
  const before = list.filter((_, i) => here[i]!.order < 1e9);
  const after = list.filter((_, i) => here[i]!.order >= 1e9);
  const children = childKeys
    .sort()
    .map((k) => byLocation(below, [...loc, k]))
    .filter((x): x is VErr => x !== undefined);
  const all = [...before, ...children, ...after];
  if (all.length === 0) return undefined;
  if (all.length === 1) return all[0];
  return { loc, message: 'validation failed', causes: all };
}

/** Builds v6's error list for a set of Ajv errors (relative to nothing: locations are absolute). */
function buildTree(errors: ErrorObject[], rootLoc: string[], handled: ReadonlySet<string> = new Set()): VErr | undefined {
  let pool = errors.filter((e) => e.keyword !== 'if' && e.keyword !== '$ref');
  const nodes: Array<VErr & { order: number }> = [];

  // Synthesize allOf errors from the errors found inside `allOf/<i>` subschemas (Ajv reports none of its own).
  const allOfPrefixes = new Set<string>();
  for (const e of pool) {
    for (const m of e.schemaPath.matchAll(/\/allOf\/\d+(?=\/|$)/g)) {
      const prefix = e.schemaPath.slice(0, m.index! + '/allOf'.length);
      if (!handled.has(prefix)) {
        allOfPrefixes.add(prefix);
        break;
      }
    }
  }
  const combinators: ErrorObject[] = pool.filter((e) => COMBINATORS.has(e.keyword));
  for (const p of allOfPrefixes) {
    const inside = pool.filter((e) => under(e.schemaPath, p));
    if (inside.length === 0) continue;
    const locs = inside.map((e) => ptrTokens(e.instancePath));
    let common = locs[0]!;
    for (const l of locs) {
      let n = 0;
      while (n < common.length && n < l.length && common[n] === l[n]) n++;
      common = common.slice(0, n);
    }
    combinators.push({ keyword: 'allOf', instancePath: ptr(common), schemaPath: p, params: {} } as ErrorObject);
  }
  // Outermost combinators first; each takes the errors of its subschemas.
  const outer = combinators.filter((c) => !combinators.some((d) => d !== c && under(c.schemaPath, d.schemaPath)));
  for (const c of outer) {
    const prefix = c.schemaPath;
    const inner = pool.filter((e) => e !== c && under(e.schemaPath, prefix));
    pool = pool.filter((e) => e !== c && !inner.includes(e));
    const cloc = ptrTokens(c.instancePath);
    const loc = c.keyword === 'propertyNames' ? [] : cloc;
    let message: string;
    let causes: VErr[] = [];
    const perAlternative = (): VErr[] => {
      const byIdx = new Map<string, ErrorObject[]>();
      for (const e of inner) {
        const idx = e.schemaPath.slice(prefix.length + 1).split('/')[0]!;
        let g = byIdx.get(idx);
        if (!g) byIdx.set(idx, (g = []));
        g.push(e);
      }
      return [...byIdx.keys()]
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => buildTree(byIdx.get(k)!, cloc, new Set([...handled, prefix])))
        .filter((x): x is VErr => x !== undefined);
    };
    switch (c.keyword) {
      case 'anyOf':
        message = "'anyOf' failed";
        causes = perAlternative();
        break;
      case 'oneOf': {
        const passing = (c.params as { passingSchemas?: number[] | null }).passingSchemas;
        if (passing && passing.length >= 2) message = `'oneOf' failed, subschemas ${passing[0]}, ${passing[1]} matched`;
        else {
          message = "'oneOf' failed, none matched";
          causes = perAlternative();
        }
        break;
      }
      case 'allOf':
        message = "'allOf' failed";
        causes = perAlternative();
        break;
      case 'not':
        message = "'not' failed";
        break;
      default: {
        message = `invalid propertyName ${quote(String((c.params as { propertyName?: unknown }).propertyName))}`;
        const sub = buildTree(inner, [], new Set([...handled, prefix]));
        if (sub) causes = [{ ...relocate(sub) }];
      }
    }
    nodes.push({ loc, message, causes, order: pool.length + nodes.length });
  }
  for (const l of combinedLeaves(pool)) nodes.push({ loc: l.loc, message: l.message, causes: [], order: l.order });
  return byLocation(nodes, rootLoc) ?? (nodes.length ? byLocation(nodes, []) : undefined);
}

/** propertyNames failures are reported at the root location by v6. */
function relocate(e: VErr): VErr {
  return { loc: [], message: e.message, causes: e.causes.map(relocate) };
}

function render(e: VErr, indent: number, out: string[]): void {
  out.push(`${'  '.repeat(indent)}- at ${quote(ptr(e.loc))}: ${e.message}`);
  for (const c of e.causes) render(c, indent + 1, out);
}

/** Validates values against one schema; returns Helm's error text for it (lines ending in \n) or undefined. */
export function validateAgainstSingleSchema(values: GoMap, schemaJson: Uint8Array | string): string | undefined {
  const text = typeof schemaJson === 'string' ? schemaJson : new TextDecoder().decode(schemaJson);
  const data = toJsonData(values);
  // Values that certainly pass need no Ajv compilation (see schema-fast.ts); everything else goes to Ajv.
  const fast = fastSchema(text, (schema) => formatsAsserted(draftOf(schema)));
  if (fast !== null && certainlyValid(fast, data)) return undefined;
  const validate = compile(text);
  if (validate(data)) return undefined;
  const root = buildTree([...(validate.errors ?? [])], []);
  if (!root) return 'validation failed\n';
  // v6 wraps the root error in a schema error; a root group is flattened into it.
  const top = root.message === 'validation failed' ? root.causes : [root];
  const lines: string[] = [];
  for (const e of top) render(e, 0, lines);
  return lines.join('\n') + '\n';
}

/** Thrown when values fail their charts' schemas; `message` is Helm's text, `charts` lists the failing charts. */
export class SchemaValidationError extends Error {
  constructor(
    message: string,
    readonly charts: string[],
  ) {
    super(message);
  }
}

function collect(chart: Chart, values: GoMap, out: string[], failing: string[]): void {
  if (chart.schema !== null) {
    let err: string | undefined;
    try {
      err = validateAgainstSingleSchema(values, chart.schema);
    } catch (e) {
      err = `${(e as Error).message}\n`;
    }
    if (err !== undefined) {
      out.push(`${chart.name}:\n${err}`);
      failing.push(chart.fullPath);
    }
  }
  for (const sub of chart.dependencies) {
    if (!Object.prototype.hasOwnProperty.call(values, sub.name)) continue;
    const raw = values[sub.name]!;
    if (raw === null) continue;
    if (!isMap(raw)) {
      out.push(`${sub.name}:\ninvalid type for values: expected object (map), got ${goTypeName(raw)}\n`);
      failing.push(sub.fullPath);
      continue;
    }
    collect(sub, raw, out, failing);
  }
}

function goTypeName(x: GoValue): string {
  if (typeof x === 'string') return 'string';
  if (typeof x === 'number') return 'float64';
  if (typeof x === 'boolean') return 'bool';
  if (x instanceof GoInt) return x.typeName;
  if (Array.isArray(x)) return '[]interface {}';
  return 'map[string]interface {}';
}

/**
 * ValidateAgainstSchema for a chart tree: each chart's schema against its coalesced values (subcharts with
 * values[sub]). Throws SchemaValidationError with Helm's full message when any chart fails.
 */
export function validateAgainstSchema(chart: Chart, values: GoMap): void {
  const out: string[] = [];
  const failing: string[] = [];
  collect(chart, values, out, failing);
  if (out.length > 0) {
    throw new SchemaValidationError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${out.join('')}`, failing);
  }
}
