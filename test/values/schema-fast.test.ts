// The quick schema check (src/values/schema-fast.ts) never calls valid what Ajv (configured as schema.ts configures
// it) rejects: seeded random schemas over the supported keywords and random data, plus the corpus schemas against
// seeded mutations of their charts' values. (It may answer "not certain" at will: Ajv then decides.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../support/paths.js';
import { certainlyValid, fastSchema } from '../../src/values/schema-fast.js';
import { parseYaml } from '../../src/yaml/index.js';
import { rng } from '../support/rng.js';

const require = createRequire(import.meta.url);
type Validate = ((d: unknown) => boolean) & { errors?: unknown };
type AjvLike = { compile(s: unknown): Validate };
const A2020 = (require('ajv/dist/2020') as { default: new (o: object) => AjvLike }).default;
const A07 = (require('ajv') as { default: new (o: object) => AjvLike }).default;
const addFormats = (require('ajv-formats') as { default: (a: AjvLike) => void }).default;

function ajv(draft07: boolean): AjvLike {
  const Ctor = draft07 ? A07 : A2020;
  const a = new Ctor({ allErrors: true, verbose: true, strict: false, validateSchema: false, logger: false, unicodeRegExp: true, validateFormats: draft07 });
  addFormats(a);
  return a;
}

test('quick schema check: random schemas and data never valid where Ajv says invalid', () => {
  const r = rng(99);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const vals: unknown[] = [null, true, false, 0, 1, -1, 2, 1.5, 'x', '', 'ab', 'abc', '😀😀', [], {}, [1], [1, 1], ['a', 'b'], { a: 1 }, { a: 'x', b: 2 }, { b: null }, { constructor: 1 }];
  const types = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'];
  const schema = (d: number): unknown => {
    if (d > 3 || r() < 0.1) return pick([true, false, {}, { type: pick(types) }]);
    const s: Record<string, unknown> = {};
    for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++) {
      switch (Math.floor(r() * 20)) {
        case 0: s.type = r() < 0.7 ? pick(types) : [pick(types), pick(types)]; break;
        case 1: s.properties = { a: schema(d + 1), b: schema(d + 1) }; break;
        case 2: s.required = r() < 0.8 ? ['a'] : ['a', 'toString']; break;
        case 3: s.additionalProperties = schema(d + 1); break;
        case 4: s.patternProperties = { '^a': schema(d + 1), 'b$': schema(d + 1) }; break;
        case 5: s.items = schema(d + 1); break;
        case 6: s.enum = [pick(vals), pick(vals)]; break;
        case 7: s.const = pick(vals); break;
        case 8: s[pick(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'])] = pick([0, 1, 1.5, -1]); break;
        case 9: s[pick(['minLength', 'maxLength'])] = pick([0, 1, 2]); break;
        case 10: s.pattern = pick(['^a', 'b', '^.$', '\\p{L}']); break;
        case 11: s[pick(['minItems', 'maxItems', 'minProperties', 'maxProperties'])] = pick([0, 1, 2]); break;
        case 12: s.uniqueItems = r() < 0.8; break;
        case 13: s[pick(['allOf', 'anyOf', 'oneOf'])] = [schema(d + 1), schema(d + 1)]; break;
        case 14: s.not = schema(d + 1); break;
        case 15: s.if = schema(d + 1); if (r() < 0.7) s.then = schema(d + 1); if (r() < 0.7) s.else = schema(d + 1); break;
        case 16: s.$ref = pick(['#', '#/$defs/x', '#/definitions/y', '#/properties/a']); break;
        case 17: s.format = pick(['email', 'date']); break;
        case 18: s.title = 'x'; s.default = pick(vals); s.form = true; break;
        case 19: s.then = schema(d + 1); break;
      }
    }
    return s;
  };
  const data = (d: number): unknown => (d > 2 || r() < 0.5 ? pick(vals) : r() < 0.5 ? [data(d + 1), data(d + 1)] : { a: data(d + 1), [pick(['b', 'c', 'ab'])]: data(d + 1) });
  const bad: string[] = [];
  let valid = 0;
  for (let i = 0; i < 1500; i++) {
    const root = schema(0);
    if (typeof root === 'object' && root !== null) Object.assign(root, { $defs: { x: schema(2) }, definitions: { y: schema(2) } });
    const draft07 = r() < 0.4;
    if (draft07 && typeof root === 'object' && root !== null) (root as Record<string, unknown>).$schema = 'http://json-schema.org/draft-07/schema#';
    let v: Validate;
    try {
      v = ajv(draft07).compile(root);
    } catch {
      continue;
    }
    const f = fastSchema(JSON.stringify(root), () => draft07);
    if (f === null) continue;
    for (let j = 0; j < 8; j++) {
      const d = data(0);
      if (!certainlyValid(f, d)) continue;
      let ok: boolean;
      try {
        ok = v(d);
      } catch {
        continue; // Ajv's generated code itself fails on a few odd random schemas: nothing to compare
      }
      valid++;
      if (!ok) bad.push(`${JSON.stringify(root)} ${JSON.stringify(d)}`);
    }
  }
  assert.ok(valid > 500, `too few certainly-valid answers (${valid})`);
  assert.deepEqual(bad.slice(0, 5), []);
});

test('quick schema check: corpus schemas against mutated chart values', { skip: !existsSync(join(sharedDir, 'corpus')) }, () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === 'values.schema.json') files.push(p);
    }
  };
  walk(join(sharedDir, 'corpus', 'charts'));
  const r = rng(5);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const weird: unknown[] = [null, true, false, 0, 1, -1, 1.5, 'x', '', 'true', [], {}, [1, 'a'], { a: 1 }, 65536];
  const mutate = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return r() < 0.3 ? pick(weird) : v;
    if (Array.isArray(v)) return v.map((x) => (r() < 0.2 ? mutate(x) : x)).concat(r() < 0.1 ? [pick(weird)] : []);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (r() >= 0.03) o[k] = r() < 0.15 ? mutate(x) : x;
    if (r() < 0.05) o.extra = pick(weird);
    return o;
  };
  const bad: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const s = JSON.parse(text) as { $schema?: string };
    const draft07 = /draft-0[4-7]/.test(s.$schema ?? '');
    const v = ajv(draft07).compile(s);
    const f = fastSchema(text, () => draft07);
    assert.notEqual(f, null, `${file}: the corpus schemas all use supported keywords`);
    const valuesFile = file.replace(/values\.schema\.json$/, 'values.yaml');
    const base = JSON.parse(JSON.stringify(existsSync(valuesFile) ? (parseYaml(readFileSync(valuesFile, 'utf8')) ?? {}) : {})) as unknown;
    for (let i = 0; i < 150; i++) {
      const d = i === 0 ? base : mutate(base);
      if (certainlyValid(f!, d) && !v(d)) bad.push(`${file} ${JSON.stringify(d).slice(0, 200)}`);
    }
  }
  assert.deepEqual(bad.slice(0, 5), []);
});
