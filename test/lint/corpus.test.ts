// `bosun lint` against the real helm v4.1.4 on every chart of ../shared/corpus, with default values and again with
// the corpus values files (-f required, deterministic, extra: more templates switched on): both run, and the
// printed findings (stdout, plus the `Error:` summary on stderr) must be the same lines in the same order.
// Prints `lint corpus: N/40 identical` per variant and, per difference, the chart and the first differing line.
// CORPUS=name restricts the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../support/paths.js';
import { lintPaths } from '../../src/lint/index.js';
import { mergeUserValues } from '../../src/values/index.js';
import { errorLines, firstDifference, haveHelm, pool, runHelm } from './helm.js';

const corpus = join(sharedDir, 'corpus');

/**
 * Charts whose difference comes from another module, with the reason. They are reported, not failed; once the
 * cause is fixed they simply count as identical.
 */
const KNOWN: Record<string, string> = {
  'external-dns':
    'values.schema.json: after a failed `type`, jsonschema v6 reports no other keyword of that schema; src/values/schema.ts adds the enum failure',
};

function valuesFiles(chart: string): string[] {
  return ['required', 'deterministic', 'extra'].map((k) => `values/${chart}.${k}.yaml`).filter((f) => existsSync(join(corpus, f)));
}

for (const variant of ['default values', 'corpus values files'] as const) {
  test(`lint: every corpus chart gives helm's findings (${variant})`, { skip: !haveHelm && 'helm4 missing (node scripts/fetch-tools.mjs)' }, async (t) => {
    const filter = process.env.CORPUS;
    const charts = readdirSync(join(corpus, 'charts'))
      .sort()
      .filter((c) => !filter || c === filter);
    const flags = (c: string) => (variant === 'default values' ? [] : valuesFiles(c).flatMap((f) => ['-f', f]));
    // helm runs in the background while bosun lints.
    const helmRuns = pool(charts, 2, (c) => runHelm(['lint', `charts/${c}`, ...flags(c)], corpus));
    // helm is given the same relative paths from the same directory, so `==> Linting` lines and absolute chart
    // paths in findings agree.
    const ours: string[] = [];
    const cwd = process.cwd();
    process.chdir(corpus);
    try {
      for (const c of charts) {
        const values = mergeUserValues({ valueFiles: variant === 'default values' ? [] : valuesFiles(c) });
        const r = await lintPaths([`charts/${c}`], values, { log: () => {} });
        ours.push(r.stdout + (r.failed > 0 ? `Error: ${r.summary}\n` : ''));
      }
    } finally {
      process.chdir(cwd);
    }
    const theirs = await helmRuns;
    let same = 0;
    const failures: string[] = [];
    charts.forEach((c, i) => {
      const want = theirs[i]!.stdout + errorLines(theirs[i]!.stderr);
      const got = ours[i]!;
      if (want === got) {
        same++;
        return;
      }
      const line = `${c}: ${firstDifference(want, got)}`;
      if (KNOWN[c]) t.diagnostic(`known difference ${line} (${KNOWN[c]})`);
      else failures.push(line);
    });
    t.diagnostic(`lint corpus (${variant}): ${same}/${charts.length} identical`);
    console.log(`lint corpus (${variant}): ${same}/${charts.length} identical`);
    assert.deepEqual(failures, []);
  });
}
