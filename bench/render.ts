// bench/render: bosun template against the real helm v4.1.4, in one script and one run.
//   (a) cold processes per chart over the corpus: `bosun template` vs `helm template`, median of per-chart ratios
//   (b) the whole corpus rendered by one bosun process vs the sum of the helm runs of (a)
//   (c) one large chart rendered for 15 namespaces in one bosun process vs 15 helm runs
// Usage: npm run bench:render [-- --runs N]   (needs ../shared/corpus and .tools/helm4: npm run tools)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = process.env.BOSUN_SHARED ? join(process.env.BOSUN_SHARED, 'corpus') : join(root, '..', 'shared', 'corpus');
const helm = join(root, '.tools', 'helm4');
const bosunBin = join(root, 'bin', 'bosun.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

interface Case {
  chart: string;
  args: string[]; // everything after `template`
}

function corpusCases(): Case[] {
  const out: Case[] = [];
  for (const chart of readdirSync(join(corpus, 'charts')).sort()) {
    const files = ['required', 'deterministic']
      .map((k) => join(corpus, 'values', `${chart}.${k}.yaml`))
      .filter((f) => existsSync(f));
    const args = ['rel', join(corpus, 'charts', chart), '--namespace', 'ns1', '--kube-version', '1.30.0', ...files.flatMap((f) => ['-f', f])];
    if (chart === 'podinfo') args.push('--skip-tests');
    out.push({ chart, args });
  }
  return out;
}

function timeRun(cmd: string, args: string[]): { ms: number; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KUBECONFIG: '/nonexistent' } });
  return { ms: performance.now() - t0, ok: r.status === 0 };
}

function best(cmd: string, args: string[]): { ms: number; ok: boolean } {
  let min = Infinity;
  let ok = true;
  for (let i = 0; i < RUNS; i++) {
    const r = timeRun(cmd, args);
    ok &&= r.ok;
    min = Math.min(min, r.ms);
  }
  return { ms: min, ok };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** Child mode: render the given cases in this one process (load + values + render + format each). */
async function renderInProcess(cases: Case[], repeatNamespaces = 1): Promise<void> {
  const { templateChart } = await import('../src/render/index.js');
  for (const c of cases) {
    const chart = c.args[1]!;
    const valueFiles: string[] = [];
    for (let i = 0; i < c.args.length; i++) if (c.args[i] === '-f') valueFiles.push(c.args[i + 1]!);
    for (let n = 0; n < repeatNamespaces; n++) {
      await templateChart({
        chart,
        releaseName: 'rel',
        namespace: repeatNamespaces === 1 ? 'ns1' : `ns${n + 1}`,
        kubeVersion: '1.30.0',
        valueFiles,
        skipTests: c.args.includes('--skip-tests'),
      });
    }
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const cases = JSON.parse(process.argv[3]!) as Case[];
    await renderInProcess(cases, Number(process.argv[4] ?? 1));
    return;
  }
  if (!existsSync(helm)) throw new Error('.tools/helm4 missing: run `npm run tools` first');
  console.log(`bench/render: bosun vs helm v4.1.4, best of ${RUNS} runs per measurement, ${readdirSync(join(corpus, 'charts')).length} corpus charts`);

  // (a) cold processes per chart
  const rows: { chart: string; bosun: number; helm: number }[] = [];
  for (const c of corpusCases()) {
    const h = best(helm, ['template', ...c.args]);
    if (!h.ok) {
      console.log(`  ${c.chart}: skipped (helm itself fails on it)`);
      continue;
    }
    const b = best(process.execPath, [bosunBin, 'template', ...c.args]);
    if (!b.ok) throw new Error(`bosun template failed on ${c.chart}`);
    rows.push({ chart: c.chart, bosun: b.ms, helm: h.ms });
  }
  for (const r of rows) console.log(`  ${r.chart.padEnd(32)} bosun ${fmt(r.bosun).padStart(8)}  helm ${fmt(r.helm).padStart(8)}  ratio ${(r.bosun / r.helm).toFixed(2)}`);
  const ratios = rows.map((r) => r.bosun / r.helm);
  const helmTotal = rows.reduce((n, r) => n + r.helm, 0);
  console.log(`(a) cold process per chart: median bosun/helm time ratio ${median(ratios).toFixed(2)} (median bosun ${fmt(median(rows.map((r) => r.bosun)))}, median helm ${fmt(median(rows.map((r) => r.helm)))}; target <= 1.00)`);

  // (b) the whole corpus in one bosun process
  const ok = corpusCases().filter((c) => rows.some((r) => r.chart === c.chart));
  const self = fileURLToPath(import.meta.url);
  const whole = best(process.execPath, [self, '--child', JSON.stringify(ok)]);
  if (!whole.ok) throw new Error('the one-process corpus render failed');
  console.log(`(b) whole corpus (${ok.length} charts): one bosun process ${fmt(whole.ms)} vs ${ok.length} helm runs ${fmt(helmTotal)}: ${(helmTotal / whole.ms).toFixed(1)}x faster (target >= 3x)`);

  // (c) one large chart for 15 namespaces
  const preferred = ok.find((c) => c.chart === 'kube-prometheus-stack');
  const large = preferred ?? largestGolden(ok);
  const nsRuns: number[] = [];
  for (let n = 1; n <= 15; n++) {
    const args = [...large.args];
    args[args.indexOf('--namespace') + 1] = `ns${n}`;
    nsRuns.push(timeRun(helm, ['template', ...args]).ms);
  }
  const helm15 = nsRuns.reduce((a, b) => a + b, 0);
  const bosun15 = best(process.execPath, [self, '--child', JSON.stringify([large]), '15']);
  const why = preferred ? '' : ' (kube-prometheus-stack cannot render: its vendored dependencies are missing from the corpus, for helm too; largest renderable chart used instead)';
  console.log(`(c) ${large.chart} x 15 namespaces: one bosun process ${fmt(bosun15.ms)} vs 15 helm runs ${fmt(helm15)}: ${(helm15 / bosun15.ms).toFixed(1)}x faster (target >= 10x)${why}`);
}

function largestGolden(cases: Case[]): Case {
  let bestCase = cases[0]!;
  let size = -1;
  for (const c of cases) {
    const g = join(corpus, 'golden', 'v4', `${c.chart}.yaml`);
    const s = existsSync(g) ? statSync(g).size : 0;
    if (s > size) {
      size = s;
      bestCase = c;
    }
  }
  return bestCase;
}

await main();
