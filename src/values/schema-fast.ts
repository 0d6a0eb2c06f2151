// A quick "certainly valid" check for values.schema.json, ahead of Ajv (schema.ts).
//
// Most renders pass their schemas, and compiling a large schema with Ajv (code generation, then `new Function`)
// costs far more than walking the values once. This module decides validity directly for schemas made of the
// common keywords, with Ajv's exact semantics for them (as configured in schema.ts: allErrors, strict off, no type
// coercion, no defaults, strictNumbers, unicode patterns, formats not asserted). It only ever answers "valid":
// when the values fail, or the schema uses anything else (another keyword Ajv knows, a remote or unusual $ref, a
// keyword value of an unexpected shape that could make Ajv's compilation fail, formats where they are asserted),
// the caller runs Ajv, which then also produces the error messages.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = boolean | { readonly [k: string]: unknown };

/** Keywords this module evaluates (or that have no effect on validity). */
const SUPPORTED = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'patternProperties', 'items', 'enum', 'const',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems',
  'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
  '$ref', '$defs', 'definitions', '$schema', '$comment', 'title', 'description', 'default', 'examples', 'deprecated',
  'readOnly', 'writeOnly', '$id', 'format',
]);

/**
 * Every other keyword Ajv 8 knows (drafts 07, 2019-09, 2020-12, with ajv-formats): a schema using one of them goes
 * to Ajv. Words Ajv does not know are ignored by it (strict mode is off), and so here.
 */
const KNOWN_UNSUPPORTED = new Set([
  '$async', '$dynamicAnchor', '$dynamicRef', '$recursiveAnchor', '$recursiveRef', '$vocabulary', '$anchor', 'id',
  'multipleOf', 'nullable', 'propertyNames', 'dependencies', 'prefixItems', 'additionalItems', 'contains',
  'contentMediaType', 'contentEncoding', 'contentSchema', 'dependentRequired', 'dependentSchemas', 'maxContains',
  'minContains', 'unevaluatedProperties', 'unevaluatedItems', 'formatMaximum', 'formatMinimum', 'formatExclusiveMaximum',
  'formatExclusiveMinimum', 'discriminator',
]);

const JSON_TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isNonNegInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** A schema checked to use only what this module evaluates, with its compiled patterns and resolved references. */
export interface FastSchema {
  valid(data: unknown): boolean;
}

class Checker implements FastSchema {
  private readonly patterns = new Map<string, RegExp>();
  private readonly refs = new Map<string, Schema>();
  private depth = 0;

  constructor(
    private readonly root: Schema,
    private readonly formatsAsserted: boolean,
  ) {
    this.scan(root, true);
  }

  private pattern(p: unknown): RegExp {
    if (typeof p !== 'string') return unsupported();
    let re = this.patterns.get(p);
    if (re === undefined) {
      try {
        re = new RegExp(p, 'u');
      } catch {
        return unsupported();
      }
      this.patterns.set(p, re);
    }
    return re;
  }

  /** Resolves a local reference ("#", "#/a/b" JSON pointer); anything else is unsupported. */
  private resolve(ref: unknown): Schema {
    if (typeof ref !== 'string' || !ref.startsWith('#') || ref.includes('%')) return unsupported();
    const hit = this.refs.get(ref);
    if (hit !== undefined) return hit;
    let cur: unknown = this.root;
    if (ref !== '#') {
      if (!ref.startsWith('#/')) return unsupported();
      for (const raw of ref.slice(2).split('/')) {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (Array.isArray(cur)) {
          if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= cur.length) return unsupported();
          cur = cur[Number(key)];
        } else if (isObj(cur) && Object.prototype.hasOwnProperty.call(cur, key)) {
          cur = cur[key];
        } else {
          return unsupported();
        }
      }
    }
    if (typeof cur !== 'boolean' && !isObj(cur)) return unsupported();
    this.refs.set(ref, cur as Schema);
    return cur as Schema;
  }

  /** Checks that a schema (and everything below it) only uses supported keywords with well-formed values. */
  private scan(s: unknown, isRoot = false): void {
    if (typeof s === 'boolean') return;
    if (!isObj(s)) return unsupported();
    for (const [k, v] of Object.entries(s)) {
      if (KNOWN_UNSUPPORTED.has(k)) unsupported();
      if (!SUPPORTED.has(k)) continue; // unknown to Ajv: ignored
      switch (k) {
        case 'type': {
          const types = Array.isArray(v) ? v : [v];
          if (types.length === 0 || !types.every((t) => typeof t === 'string' && JSON_TYPES.has(t))) unsupported();
          break;
        }
        case 'properties':
        case 'patternProperties':
        case '$defs':
        case 'definitions':
          if (!isObj(v)) unsupported();
          for (const [name, sub] of Object.entries(v as Record<string, unknown>)) {
            if (k === 'patternProperties') this.pattern(name);
            this.scan(sub);
          }
          break;
        case 'required':
          if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) unsupported();
          break;
        case 'additionalProperties':
        case 'items':
        case 'not':
        case 'if':
        case 'then':
        case 'else':
          this.scan(v);
          break;
        case 'allOf':
        case 'anyOf':
        case 'oneOf':
          if (!Array.isArray(v) || v.length === 0) unsupported();
          for (const sub of v as unknown[]) this.scan(sub);
          break;
        case 'enum':
          if (!Array.isArray(v) || v.length === 0) unsupported();
          break;
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum':
          if (typeof v !== 'number' || !Number.isFinite(v)) unsupported();
          break;
        case 'minLength':
        case 'maxLength':
        case 'minItems':
        case 'maxItems':
        case 'minProperties':
        case 'maxProperties':
          if (!isNonNegInt(v)) unsupported();
          break;
        case 'uniqueItems':
          if (typeof v !== 'boolean') unsupported();
          break;
        case 'pattern':
          this.pattern(v);
          break;
        case '$ref':
          this.resolve(v);
          break;
        case '$id':
          if (!isRoot) unsupported();
          break;
        case 'format':
          if (this.formatsAsserted) unsupported();
          break;
        // const, $schema, $comment, title, description, default, examples, deprecated, readOnly, writeOnly: no
        // effect on validity
      }
    }
  }

  valid(data: unknown): boolean {
    this.depth = 0;
    return this.check(this.root, data);
  }

  private check(s: Schema, d: unknown): boolean {
    if (s === true) return true;
    if (s === false) return false;
    if (this.depth >= 200) return unsupported(); // deep or endless $ref recursion: Ajv decides
    this.depth++;
    try {
      return this.checkObject(s, d);
    } finally {
      this.depth--;
    }
  }

  private checkObject(s: { readonly [k: string]: unknown }, d: unknown): boolean {
    if (s.$ref !== undefined && !this.check(this.resolve(s.$ref), d)) return false;
    if (s.type !== undefined && !checkType(s.type as string | string[], d)) return false;
    if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => deepEqual(e, d))) return false;
    if (s.const !== undefined && !deepEqual(s.const, d)) return false;
    if (typeof d === 'number') {
      if (s.minimum !== undefined && !(d >= (s.minimum as number))) return false;
      if (s.maximum !== undefined && !(d <= (s.maximum as number))) return false;
      if (s.exclusiveMinimum !== undefined && !(d > (s.exclusiveMinimum as number))) return false;
      if (s.exclusiveMaximum !== undefined && !(d < (s.exclusiveMaximum as number))) return false;
    } else if (typeof d === 'string') {
      if (s.minLength !== undefined || s.maxLength !== undefined) {
        const n = ucs2length(d);
        if (s.minLength !== undefined && n < (s.minLength as number)) return false;
        if (s.maxLength !== undefined && n > (s.maxLength as number)) return false;
      }
      if (s.pattern !== undefined && !this.pattern(s.pattern).test(d)) return false;
    } else if (Array.isArray(d)) {
      if (s.minItems !== undefined && d.length < (s.minItems as number)) return false;
      if (s.maxItems !== undefined && d.length > (s.maxItems as number)) return false;
      if (s.uniqueItems === true) {
        for (let i = 1; i < d.length; i++) for (let j = 0; j < i; j++) if (deepEqual(d[i], d[j])) return false;
      }
      if (s.items !== undefined) for (const x of d) if (!this.check(s.items as Schema, x)) return false;
    } else if (isObj(d)) {
      const o = d as Record<string, unknown>;
      if (s.required !== undefined) for (const p of s.required as string[]) if (o[p] === undefined) return false;
      if (s.minProperties !== undefined || s.maxProperties !== undefined) {
        const n = Object.keys(o).length;
        if (s.minProperties !== undefined && n < (s.minProperties as number)) return false;
        if (s.maxProperties !== undefined && n > (s.maxProperties as number)) return false;
      }
      const props = s.properties as Record<string, Schema> | undefined;
      if (props !== undefined) {
        for (const p of Object.keys(props)) {
          const v = o[p];
          if (v !== undefined && !this.check(props[p]!, v)) return false;
        }
      }
      const patterns = s.patternProperties as Record<string, Schema> | undefined;
      const additional = s.additionalProperties as Schema | undefined;
      if (patterns !== undefined || additional !== undefined) {
        for (const key in o) {
          let matched = props !== undefined && Object.prototype.hasOwnProperty.call(props, key);
          if (patterns !== undefined) {
            for (const p of Object.keys(patterns)) {
              if (this.pattern(p).test(key)) {
                matched = true;
                if (!this.check(patterns[p]!, o[key])) return false;
              }
            }
          }
          if (!matched && additional !== undefined && !this.check(additional, o[key])) return false;
        }
      }
    }
    if (s.allOf !== undefined) for (const sub of s.allOf as Schema[]) if (!this.check(sub, d)) return false;
    if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((sub) => this.check(sub, d))) return false;
    if (s.oneOf !== undefined) {
      let n = 0;
      for (const sub of s.oneOf as Schema[]) if (this.check(sub, d) && ++n > 1) return false;
      if (n !== 1) return false;
    }
    if (s.not !== undefined && this.check(s.not as Schema, d)) return false;
    if (s.if !== undefined) {
      const branch = this.check(s.if as Schema, d) ? s.then : s.else;
      if (branch !== undefined && !this.check(branch as Schema, d)) return false;
    }
    return true;
  }
}

/** Ajv's type test (strictNumbers: numbers must be finite). */
function checkType(t: string | string[], d: unknown): boolean {
  if (typeof t === 'string') return isType(t, d);
  for (const x of t) if (isType(x, d)) return true;
  return false;
}

function isType(t: string, d: unknown): boolean {
  switch (t) {
    case 'null':
      return d === null;
    case 'boolean':
      return typeof d === 'boolean';
    case 'string':
      return typeof d === 'string';
    case 'array':
      return Array.isArray(d);
    case 'object':
      return isObj(d);
    case 'number':
      return typeof d === 'number' && Number.isFinite(d);
    case 'integer':
      return typeof d === 'number' && Number.isFinite(d) && d % 1 === 0;
  }
  return false;
}

/** Ajv's ucs2length: a surrogate pair counts once. */
function ucs2length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const c2 = s.charCodeAt(i + 1);
      if ((c2 & 0xfc00) === 0xdc00) i++;
    }
  }
  return n;
}

/** fast-deep-equal, which Ajv uses for enum, const and uniqueItems. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (a.constructor !== b.constructor) return false;
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      if (a.length !== bb.length) return false;
      for (let i = a.length; i-- !== 0; ) if (!deepEqual(a[i], bb[i])) return false;
      return true;
    }
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return a !== a && b !== b; // NaN
}

const cache = new Map<string, FastSchema | null>();

/**
 * The quick checker for a schema text, or null when the schema needs Ajv (unparsable, or using what this module
 * does not evaluate). `formatsAsserted` as Ajv is configured for the schema's draft.
 */
export function fastSchema(text: string, formatsAsserted: (schema: unknown) => boolean): FastSchema | null {
  let f = cache.get(text);
  if (f !== undefined) return f;
  f = null;
  try {
    const schema = JSON.parse(text) as unknown;
    if (typeof schema === 'boolean' || isObj(schema)) f = new Checker(schema as Schema, formatsAsserted(schema));
  } catch {
    f = null;
  }
  cache.set(text, f);
  return f;
}

/** Whether `data` certainly passes (false: unknown, ask Ajv). */
export function certainlyValid(f: FastSchema, data: unknown): boolean {
  try {
    return f.valid(data as Json);
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return false;
    throw e;
  }
}
