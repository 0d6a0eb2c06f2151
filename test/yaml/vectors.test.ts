// The yaml, json, toml and values cases of ../shared/vectors/cases.jsonl through the real rendering core, with one
// check beyond the main vectors test: where helm failed, the message of our innermost error (the YAML/JSON/TOML
// library's words) must appear in helm's error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../support/paths.js';
import { TemplateError } from '../../src/template/index.js';
import { renderVectorCase, type VectorCase } from '../support/vector-chart.js';

const casesPath = join(sharedDir, 'vectors', 'cases.jsonl');
const CATEGORIES = ['yaml', 'json', 'toml', 'values'];

function innermost(e: unknown): string {
  let cur = e;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  // Engine errors carry their bare message apart from Go's `template: file:line:col: ...` frame.
  if (cur instanceof TemplateError && 'detail' in cur) return String((cur as TemplateError & { detail: string }).detail);
  const msg = cur instanceof Error ? cur.message : String(cur);
  // The engine reports a function's failure as `... error calling NAME: <the function's own message>`.
  const i = msg.lastIndexOf('error calling ');
  return i < 0 ? msg : msg.slice(msg.indexOf(': ', i) + 2);
}

test('yaml/json/toml/values vectors: outputs and the libraries\' error words match helm v4.1.4', { skip: !existsSync(casesPath) }, async () => {
  const cases = readFileSync(casesPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as VectorCase)
    .filter((c) => CATEGORIES.includes(c.id.split('/')[0]!));
  const failures: string[] = [];
  for (const c of cases) {
    try {
      const got = await renderVectorCase(c);
      const want = c.v4.out_b64 !== undefined ? Buffer.from(c.v4.out_b64, 'base64') : Buffer.from(c.v4.out ?? '', 'utf8');
      if (!c.v4.ok) failures.push(`${c.id}: helm failed, bosun printed ${JSON.stringify(got.toString())}`);
      else if (!got.equals(want)) failures.push(`${c.id}: output differs`);
    } catch (e) {
      if (c.v4.ok) failures.push(`${c.id}: unexpected error ${innermost(e)}`);
      else if (!(c.v4.error ?? '').includes(innermost(e))) failures.push(`${c.id}: helm said ${JSON.stringify(c.v4.error)}, bosun ${JSON.stringify(innermost(e))}`);
    }
  }
  assert.deepEqual(failures, []);
});
