// The `.Values` of every corpus chart and rendered subchart, for the golden runs' values files (default and
// extra), compared with what the real helm v4.1.4 computed (test/fixtures/charts/corpus-values.json: sha256 and
// length of the typed dump, made by support/gen-corpus-values.ts). Set CORPUS_VALUES=<chart> to run one chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, FIXTURES } from '../chart/support/root.js';
import { loadChartSync } from '../../src/chart/index.js';
import { mergeUserValues, toRenderValues } from '../../src/values/index.js';
import { dumpValues } from './support/dump.js';

const fixture = JSON.parse(readFileSync(join(FIXTURES, 'corpus-values.json'), 'utf8')) as {
  runs: Record<string, Record<string, { sha256: string; length: number }>>;
};

function valueFiles(name: string, extra: boolean): string[] {
  return ['required', 'deterministic', ...(extra ? ['extra'] : [])]
    .map((k) => join(CORPUS, 'values', `${name}.${k}.yaml`))
    .filter((f) => existsSync(f));
}

const only = process.env.CORPUS_VALUES;
const runs = Object.keys(fixture.runs).filter((r) => !only || r.replace(/\.extra$/, '') === only);

test('corpus values: every chart and subchart .Values matches helm', { skip: !existsSync(CORPUS) }, () => {
  const failures: string[] = [];
  let compared = 0;
  for (const run of runs) {
    const name = run.replace(/\.extra$/, '');
    const extra = run.endsWith('.extra');
    const chart = loadChartSync(join(CORPUS, 'charts', name));
    const user = mergeUserValues({ valueFiles: valueFiles(name, extra) });
    const r = toRenderValues(chart, user);
    const mine = new Map([...r.chartValues].map(([c, v]) => [c.fullPath, v]));
    for (const [path, want] of Object.entries(fixture.runs[run]!)) {
      const v = mine.get(path);
      if (v === undefined) {
        failures.push(`${run}: ${path} not rendered by bosun`);
        continue;
      }
      const dump = dumpValues(v);
      const sha = createHash('sha256').update(dump).digest('hex');
      compared++;
      if (sha !== want.sha256) failures.push(`${run}: ${path} differs (length ${Buffer.byteLength(dump)} vs helm ${want.length})`);
    }
    // Charts helm rendered are exactly those bosun keeps enabled (library charts render nothing).
    for (const [c] of r.chartValues) {
      if (c.isLibrary || c.templates.length === 0) continue;
      if (!(c.fullPath in fixture.runs[run]!)) failures.push(`${run}: bosun renders ${c.fullPath}, helm did not`);
    }
  }
  console.log(`corpus values: ${compared} chart values compared over ${runs.length} runs, ${failures.length} problems`);
  assert.deepEqual(failures, []);
});
