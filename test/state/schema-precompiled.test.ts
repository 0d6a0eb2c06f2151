// The state schema's validator written at build time (dist/schema/bosun.validate.cjs) must judge documents exactly
// as ajv compiling schema/bosun.schema.json at run time does: same verdicts, same errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { newAjv, precompiledPath, schemaFile, schemaValidator } from '../../src/schemas.js';
import { parseYaml } from '../../src/yaml/index.js';
import { projectRoot } from '../support/paths.js';

const docs: [string, unknown][] = [
  ['examples/platform/bosun.yaml', parseYaml(readFileSync(join(projectRoot, 'examples', 'platform', 'bosun.yaml'), 'utf8'))],
  ['unknown top-level key', { releases: [], relases: [] }],
  ['release without chart, wrong types', { releases: [{ name: 3, installed: 'yes', needs: 'x' }] }],
  ['environment values not a list', { environments: { prod: { values: { a: 1 } } } }],
  ['helmDefaults with unknown and bad fields', { helmDefaults: { wait: 'sometimes', timeoutt: 3, timeout: -1 } }],
  ['nested anyOf', { releases: [{ name: 'a', chart: 'c', values: [42, { a: 1 }, 'f.yaml'], set: [{ name: 1 }] }] }],
];

const plain = (v: ValidateFunction) => JSON.parse(JSON.stringify(v.errors ?? null)) as unknown;

test('the precompiled state validator agrees with a run-time compile on good and bad documents', () => {
  const file = join(projectRoot, precompiledPath('bosun'));
  assert.ok(existsSync(file), `${file} missing: npm run build writes it`);
  const built = createRequire(import.meta.url)(file) as ValidateFunction;
  const fresh = newAjv('bosun').compile(JSON.parse(readFileSync(schemaFile('bosun'), 'utf8')));
  let failures = 0;
  for (const [what, doc] of docs) {
    const a = built(doc);
    const b = fresh(doc);
    assert.equal(a, b, what);
    if (!a) failures++;
    assert.deepEqual(plain(built), plain(fresh), what);
  }
  assert.equal(failures, docs.length - 1, 'every document but the example must fail');
});

test('schemaValidator uses the precompiled file when the build wrote it', () => {
  const built = createRequire(import.meta.url)(join(projectRoot, precompiledPath('bosun'))) as ValidateFunction;
  assert.equal(schemaValidator('bosun'), built);
});
