// Runs every case of ../shared/vectors/cases.jsonl (template + values → exact output of the real helm v4.1.4)
// through the in-memory chart the vectors README describes, and prints `vectors: N passed, M failed`.
// VECTORS=prefix restricts the run (e.g. VECTORS=strings/); VECTORS_VERBOSE=1 prints each failure in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../support/paths.js';
import { renderVectorCase, type VectorCase } from '../support/vector-chart.js';

const casesPath = join(sharedDir, 'vectors', 'cases.jsonl');

function loadCases(): VectorCase[] {
  const filter = process.env.VECTORS ?? '';
  return readFileSync(casesPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as VectorCase)
    .filter((c) => c.id.startsWith(filter));
}

function expectedBytes(c: VectorCase): Buffer | undefined {
  if (!c.v4.ok) return undefined;
  return c.v4.out_b64 !== undefined ? Buffer.from(c.v4.out_b64, 'base64') : Buffer.from(c.v4.out ?? '', 'utf8');
}

test('template vectors: every v4 case renders byte for byte (or fails where helm failed)', { skip: !existsSync(casesPath) }, async () => {
  const cases = loadCases();
  assert.ok(cases.length > 0, 'no vector cases selected');
  const failures: string[] = [];
  const byCategory = new Map<string, { pass: number; fail: number }>();
  for (const c of cases) {
    const cat = c.id.split('/')[0]!;
    const tally = byCategory.get(cat) ?? { pass: 0, fail: 0 };
    byCategory.set(cat, tally);
    const want = expectedBytes(c);
    let problem: string | undefined;
    try {
      const got = await renderVectorCase(c);
      if (want === undefined) problem = `expected failure (${c.v4.error?.split('\n')[0]}), got output ${JSON.stringify(got.toString('utf8'))}`;
      else if (!got.equals(want)) problem = `output differs:\n    want ${JSON.stringify(want.toString('utf8'))}\n    got  ${JSON.stringify(got.toString('utf8'))}`;
    } catch (e) {
      if (want !== undefined) problem = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (problem === undefined) tally.pass++;
    else {
      tally.fail++;
      failures.push(`${c.id}: ${problem}`);
    }
  }
  const passed = [...byCategory.values()].reduce((n, t) => n + t.pass, 0);
  const failed = failures.length;
  const cats = [...byCategory.entries()].map(([k, t]) => `${k} ${t.pass}/${t.pass + t.fail}`).join(', ');
  const shown = process.env.VECTORS_VERBOSE ? failures : failures.map((f) => f.split('\n')[0]!.slice(0, 200));
  console.log(`vectors: ${passed} passed, ${failed} failed\n  by category: ${cats}${failed ? '\n  ' + shown.join('\n  ') : ''}`);
  assert.equal(failed, 0, `${failed} of ${cases.length} vector cases differ from helm v4.1.4`);
});
