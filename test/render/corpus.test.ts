// Renders every chart of ../shared/corpus twice (default and .extra values, with the exact flags of its README)
// and compares with the goldens of the real helm v4.1.4. Prints `corpus: N/80 identical` and, for each difference,
// the chart and the first differing line. CORPUS=name restricts the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { sharedDir, helm4 } from '../support/paths.js';
import { templateChart } from '../../src/render/index.js';

const corpus = join(sharedDir, 'corpus');

export interface CorpusCase {
  chart: string;
  variant: '' | '.extra';
  chartPath: string;
  valuesFiles: string[];
  skipTests: boolean;
  golden: string;
}

export function corpusCases(): CorpusCase[] {
  const filter = process.env.CORPUS;
  const cases: CorpusCase[] = [];
  for (const chart of readdirSync(join(corpus, 'charts')).sort()) {
    if (filter && chart !== filter) continue;
    const base = ['required', 'deterministic'].map((k) => join(corpus, 'values', `${chart}.${k}.yaml`)).filter((f) => existsSync(f));
    const extra = join(corpus, 'values', `${chart}.extra.yaml`);
    for (const variant of ['', '.extra'] as const) {
      cases.push({
        chart,
        variant,
        chartPath: join(corpus, 'charts', chart),
        valuesFiles: variant === '' ? base : [...base, ...(existsSync(extra) ? [extra] : [])],
        skipTests: chart === 'podinfo',
        golden: join(corpus, 'golden', 'v4', `${chart}${variant}.yaml`),
      });
    }
  }
  return cases;
}

function helmFailsIdentically(c: CorpusCase, message: string): boolean {
  if (!existsSync(helm4)) return false;
  const args = ['template', 'rel', c.chartPath, '--namespace', 'ns1', '--kube-version', '1.30.0', ...c.valuesFiles.flatMap((f) => ['-f', f])];
  if (c.skipTests) args.push('--skip-tests');
  const r = spawnSync(helm4, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
  return r.status !== 0 && r.stderr.split('\n')[0] === `Error: ${message.split('\n')[0]}`;
}

function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n      want ${JSON.stringify(a[i] ?? '<end>')}\n      got  ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'identical';
}

test('corpus: bosun template matches helm v4.1.4 on every chart', { skip: !existsSync(corpus) }, async () => {
  const cases = corpusCases();
  assert.ok(cases.length > 0);
  const diffs: string[] = [];
  const unreachable: string[] = [];
  for (const c of cases) {
    const want = readFileSync(c.golden, 'utf8');
    let got: string;
    try {
      got = await templateChart({
        chart: c.chartPath,
        releaseName: 'rel',
        namespace: 'ns1',
        kubeVersion: '1.30.0',
        valueFiles: c.valuesFiles,
        skipTests: c.skipTests,
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // A golden can only be reached if the chart as stored here renders at all: when the real helm fails on the
      // same input with the same error, the difference is in the corpus, not in bosun.
      if (helmFailsIdentically(c, message)) unreachable.push(`${c.chart}${c.variant}: helm v4.1.4 fails identically here: ${message.split('\n')[0]}`);
      else diffs.push(`${c.chart}${c.variant}: error: ${message.split('\n').slice(0, 3).join(' | ')}`);
      continue;
    }
    if (got !== want) diffs.push(`${c.chart}${c.variant}: ${firstDifference(want, got)}`);
  }
  const identical = cases.length - diffs.length - unreachable.length;
  const notes = [...diffs, ...unreachable];
  console.log(`corpus: ${identical}/${cases.length} identical${notes.length ? '\n  ' + notes.join('\n  ') : ''}`);
  assert.equal(diffs.length, 0, `${diffs.length} corpus renders differ from helm v4.1.4`);
});
