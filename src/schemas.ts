// bosun's own JSON Schemas (schema/<name>.schema.json): where they are and one validator per schema.
// Compiling the state schema with ajv costs ~150 ms, more than the rest of a small state run, so `npm run build`
// writes each validator as code once (scripts/schemas.mjs, ajv's standalone output) into dist/schema/; a process
// loads that file and compiles at run time only when it is missing (e.g. running src/ under tsx).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

export type SchemaName = 'bosun' | 'plan';

/** How each schema is compiled; the build script uses the same settings, so both ways validate alike. */
const SETTINGS: Record<SchemaName, { ajv: string; formats: boolean; options: Record<string, unknown> }> = {
  // Draft 2020-12; verbose because state errors describe the failing subschema (error.parentSchema).
  bosun: { ajv: 'ajv/dist/2020', formats: false, options: { allErrors: true, verbose: true, strict: false, logger: false, validateSchema: false } },
  // Draft-07 with formats (date-time for the creation time).
  plan: { ajv: 'ajv', formats: true, options: { allErrors: true, strict: false } },
};

type AjvInstance = { compile(s: unknown): ValidateFunction };

/** Finds `rel` in the nearest ancestor of this module that has it (works from src/, dist/src/ and the bundle). */
function findUp(rel: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, rel);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The schema file, e.g. schema/bosun.schema.json. */
export function schemaFile(name: SchemaName): string {
  const p = findUp(join('schema', `${name}.schema.json`));
  if (p === undefined) throw new Error(`schema/${name}.schema.json not found above ${fileURLToPath(import.meta.url)}`);
  return p;
}

/** A new ajv configured for `name`; `source` keeps the generated code for standalone output. */
export function newAjv(name: SchemaName, source = false): AjvInstance {
  const s = SETTINGS[name];
  const mod = require(s.ajv) as { default?: unknown };
  const Ajv = (mod.default ?? mod) as new (o: Record<string, unknown>) => AjvInstance;
  const ajv = new Ajv(source ? { ...s.options, code: { source: true } } : s.options);
  if (s.formats) {
    const formats = require('ajv-formats') as { default?: unknown };
    ((formats.default ?? formats) as (a: unknown) => void)(ajv);
  }
  return ajv;
}

/**
 * The schemas the build precompiles, and where to (relative to the package). The plan schema is left out: it needs
 * ajv-formats' functions in the generated code and is checked once per `apply --plan`, where 20 ms do not matter.
 */
export const PRECOMPILED: readonly SchemaName[] = ['bosun'];
export const precompiledPath = (name: SchemaName): string => join('dist', 'schema', `${name}.validate.cjs`);

const validators = new Map<SchemaName, ValidateFunction>();

/** In the one-file build (scripts/bundle.mjs): the precompiled validators' modules, loaded with its code cache. */
declare const __bosun_precompiled: Partial<Record<SchemaName, () => { default?: ValidateFunction }>> | undefined;

/** The precompiled validator module of `name`: inside the bundle, else the build's file; undefined when neither. */
function precompiledModule(name: SchemaName): { default?: ValidateFunction } | undefined {
  const inBundle = typeof __bosun_precompiled === 'undefined' ? undefined : __bosun_precompiled[name];
  if (inBundle !== undefined) return inBundle();
  // Found from dist/src/<dir>/x.js and from dist/bosun.cjs (dist/schema/), never from src/ (no schema/*.cjs there).
  const built = findUp(join('schema', `${name}.validate.cjs`));
  return built === undefined ? undefined : (require(built) as { default?: ValidateFunction });
}

/** The validator of `name`: precompiled when the build wrote one, compiled now otherwise. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let v = validators.get(name);
  if (v) return v;
  const mod = precompiledModule(name);
  if (mod !== undefined) v = (mod.default ?? mod) as ValidateFunction;
  else v = newAjv(name).compile(JSON.parse(readFileSync(schemaFile(name), 'utf8')));
  validators.set(name, v);
  return v;
}
