// Renders every chart of ../shared/corpus twice (default and .extra values, with the exact flags of its README)
// and compares with the goldens of the real helm v4.1.4. Prints `corpus: N/80 identical` and, for each difference,
// the chart and the first differing line. CORPUS=name restricts the run. A chart whose vendored dependencies are
// missing from the corpus is completed from the corpus's own charts first (test/support/corpus.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { helm4 } from '../support/paths.js';
import { completeChart, corpusCases, corpusDir, type CompletedChart, type CorpusCase } from '../support/corpus.js';
import { templateChart } from '../../src/render/index.js';

interface HelmRun {
  ok: boolean;
  stdout: string;
  firstError: string;
}

function helmTemplate(chartPath: string, c: CorpusCase): HelmRun | undefined {
  if (!existsSync(helm4)) return undefined;
  const args = ['template', 'rel', chartPath, '--namespace', 'ns1', '--kube-version', '1.30.0', ...c.valuesFiles.flatMap((f) => ['-f', f])];
  if (c.skipTests) args.push('--skip-tests');
  const r = spawnSync(helm4, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, KUBECONFIG: '/nonexistent' } });
  return { ok: r.status === 0, stdout: r.stdout, firstError: r.stderr.split('\n')[0] ?? '' };
}

function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n      want ${JSON.stringify(a[i] ?? '<end>')}\n      got  ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'identical';
}

test('corpus: bosun template matches helm v4.1.4 on every chart', { skip: !existsSync(corpusDir) }, async () => {
  const cases = corpusCases();
  assert.ok(cases.length > 0);
  const work = mkdtempSync(join(tmpdir(), 'bosun-corpus-'));
  const completed = new Map<string, CompletedChart | undefined>();
  const diffs: string[] = [];
  const unreachable: string[] = [];
  const remarks: string[] = [];
  try {
    for (const c of cases) {
      if (!completed.has(c.chart)) completed.set(c.chart, completeChart(c.chart, work));
      const completion = completed.get(c.chart);
      const chartPath = completion?.path ?? c.chartPath;
      let want = readFileSync(c.golden, 'utf8');
      let against = 'helm v4.1.4';
      if (completion && completion.dropped.length > 0) {
        // The copy lacks what was dropped: it may stand for the chart only where the real helm renders the golden
        // from it. Where it does not, bosun is still held to the live helm on the same copy.
        const live = helmTemplate(chartPath, c);
        const what = `${c.chart}${c.variant}: rendered from the corpus chart with ${completion.vendored.join(', ')} vendored from the corpus and ${completion.dropped.join(', ')} (absent from the corpus) dropped`;
        if (live?.ok && live.stdout === want) {
          remarks.push(`${what}; helm v4.1.4 renders the golden from that copy`);
        } else if (live?.ok) {
          unreachable.push(`${what}; the golden needs the dropped chart, so bosun is compared with live helm v4.1.4 on that copy instead`);
          want = live.stdout;
          against = 'live helm v4.1.4 on the completed copy';
        } else {
          unreachable.push(`${what}; helm v4.1.4 ${live ? `fails on that copy: ${live.firstError}` : 'is not installed (npm run tools)'}`);
          continue;
        }
      }
      let got: string;
      try {
        got = await templateChart({
          chart: chartPath,
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
        const live = helmTemplate(chartPath, c);
        if (live && !live.ok && live.firstError === `Error: ${message.split('\n')[0]}`) {
          unreachable.push(`${c.chart}${c.variant}: helm v4.1.4 fails identically here: ${message.split('\n')[0]}`);
        } else diffs.push(`${c.chart}${c.variant}: error: ${message.split('\n').slice(0, 3).join(' | ')}`);
        continue;
      }
      if (got !== want) diffs.push(`${c.chart}${c.variant}: differs from ${against}: ${firstDifference(want, got)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const identical = cases.length - diffs.length - unreachable.length;
  const notes = [...diffs, ...unreachable, ...remarks];
  console.log(`corpus: ${identical}/${cases.length} identical${notes.length ? '\n  ' + notes.join('\n  ') : ''}`);
  assert.equal(diffs.length, 0, `${diffs.length} corpus renders differ from helm v4.1.4`);
});
