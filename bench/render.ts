// bench/render: bosun template against the real helm v4.1.4, in one script and one run.
//   (a) cold processes per chart over the corpus: `bosun template` vs `helm template`, median of per-chart ratios
//   (b) the whole corpus rendered by one bosun process vs the sum of the helm runs of (a)
//   (c) one large chart rendered for 15 namespaces in one bosun process vs 15 helm runs
// Every bosun run is the installed command, bin/bosun (the shell launcher npm links as `bosun`, running
// bin/bosun.cjs with the node on PATH): (b) and (c) in state mode, one state file listing the releases (what a user
// does to render many releases in one process). kube-prometheus-stack, whose vendored dependencies are missing from
// the corpus, is completed from the corpus's own charts (test/support/corpus.ts); with its default values helm renders
// the golden from that copy, as test/render/corpus.test.ts checks.
// Usage: npm run bench:render [-- --runs N]   (needs ../shared/corpus and .tools/helm4: npm run tools)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { completeChart, corpusCases as goldenCases, corpusDir } from '../test/support/corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = corpusDir;
const helm = join(root, '.tools', 'helm4');
const bosunCmd = join(root, 'bin', 'bosun');
const bosunJs = join(root, 'bin', 'bosun.cjs');
// The launcher runs `node` from PATH: make it this Node.
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

interface Case {
  chart: string;
  args: string[]; // everything after `template`
}

/**
 * The corpus charts with their default values (the golden runs' flags); a chart missing vendored dependencies is
 * completed in `work`.
 */
function corpusCases(work: string): Case[] {
  return goldenCases()
    .filter((c) => c.variant === '')
    .map((c) => ({
      chart: c.chart,
      args: [
        'rel',
        completeChart(c.chart, work)?.path ?? c.chartPath,
        '--namespace',
        'ns1',
        '--kube-version',
        '1.30.0',
        ...c.valuesFiles.flatMap((f) => ['-f', f]),
        ...(c.skipTests ? ['--skip-tests'] : []),
      ],
    }));
}

function timeRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, PATH, KUBECONFIG: '/nonexistent' } });
  return { ms: performance.now() - t0, ok: r.status === 0 };
}

function best(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { ms: number; ok: boolean } {
  let min = Infinity;
  let ok = true;
  for (let i = 0; i < RUNS; i++) {
    const r = timeRun(cmd, args, env);
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

/** A state file rendering `cases` (each `ns` times, namespaces ns1..nsN) in one `bosun template -f FILE` run. */
function stateFile(dir: string, name: string, cases: Case[], ns = 1): string {
  let text = 'releases:\n';
  cases.forEach((c, i) => {
    const values: string[] = [];
    for (let j = 0; j < c.args.length; j++) if (c.args[j] === '-f') values.push(c.args[j + 1]!);
    for (let n = 1; n <= ns; n++) {
      // One namespace per chart in (b): a state file cannot hold two releases `rel` in one namespace.
      text += `  - name: rel\n    namespace: ${ns === 1 ? `ns${i + 1}` : `ns${n}`}\n    chart: ${JSON.stringify(c.args[1])}\n`;
      if (values.length > 0) text += `    values: ${JSON.stringify(values)}\n`;
    }
  });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Node's own start-up here, for reading the cold figures: the floor under any Node program. */
function nodeFloor(env: NodeJS.ProcessEnv): number {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env });
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

async function main(): Promise<void> {
  if (!existsSync(helm)) throw new Error('.tools/helm4 missing: run `npm run tools` first');
  if (!existsSync(join(root, 'dist', 'bosun.cjs'))) throw new Error('dist/bosun.cjs missing: run `npm run build` first');
  console.log(`bench/render: bosun (bin/bosun, the installed command) vs helm v4.1.4, best of ${RUNS} runs per measurement, ${readdirSync(join(corpus, 'charts')).length} corpus charts`);
  // NODE_EXTRA_CA_CERTS makes Node parse the whole CA file before running a line of JavaScript; bin/bosun hands it
  // over for template (which makes no connection). When it is set, (a) also shows `node bin/bosun.cjs`, which pays it.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const bare = { ...process.env };
  delete bare.NODE_EXTRA_CA_CERTS;
  console.log(
    `node -e 0 takes ${fmt(nodeFloor(process.env))} here` +
      (extraCa ? ` with NODE_EXTRA_CA_CERTS set as in this environment, ${fmt(nodeFloor(bare))} without it` : ''),
  );

  const dir = mkdtempSync(join(tmpdir(), 'bosun-bench-render-'));
  const cases = corpusCases(dir);

  // (a) cold processes per chart
  const rows: { chart: string; bosun: number; direct: number; helm: number }[] = [];
  for (const c of cases) {
    const h = best(helm, ['template', ...c.args]);
    if (!h.ok) {
      console.log(`  ${c.chart}: skipped (helm itself fails on it)`);
      continue;
    }
    const b = best(bosunCmd, ['template', ...c.args]);
    if (!b.ok) throw new Error(`bosun template failed on ${c.chart}`);
    const direct = extraCa ? best(process.execPath, [bosunJs, 'template', ...c.args]) : b;
    rows.push({ chart: c.chart, bosun: b.ms, direct: direct.ms, helm: h.ms });
  }
  for (const r of rows) {
    const alt = extraCa ? `  (node bin/bosun.cjs ${fmt(r.direct).padStart(7)}, ratio ${(r.direct / r.helm).toFixed(2)})` : '';
    console.log(`  ${r.chart.padEnd(32)} bosun ${fmt(r.bosun).padStart(8)}  helm ${fmt(r.helm).padStart(8)}  ratio ${(r.bosun / r.helm).toFixed(2)}${alt}`);
  }
  const helmTotal = rows.reduce((n, r) => n + r.helm, 0);
  const medianRatio = (pick: (r: (typeof rows)[number]) => number) => median(rows.map((r) => pick(r) / r.helm)).toFixed(2);
  console.log(
    `(a) cold process per chart: median bosun/helm time ratio ${medianRatio((r) => r.bosun)} (median bosun ${fmt(median(rows.map((r) => r.bosun)))}, ` +
      `median helm ${fmt(median(rows.map((r) => r.helm)))}; target <= 1.00)` +
      (extraCa ? `; node bin/bosun.cjs, paying NODE_EXTRA_CA_CERTS: ${medianRatio((r) => r.direct)} (median ${fmt(median(rows.map((r) => r.direct)))})` : ''),
  );

  // (b) the whole corpus in one bosun process
  const ok = cases.filter((c) => rows.some((r) => r.chart === c.chart));
  const stateArgs = (file: string) => ['template', '-f', file, '--kube-version', '1.30.0', '--skip-tests'];
  const whole = best(bosunCmd, stateArgs(stateFile(dir, 'corpus.yaml', ok)));
  if (!whole.ok) throw new Error('the one-process corpus render failed');
  console.log(`(b) whole corpus (${ok.length} charts): one bosun process ${fmt(whole.ms)} vs ${ok.length} helm runs ${fmt(helmTotal)}: ${(helmTotal / whole.ms).toFixed(1)}x faster (target >= 3x)`);

  // (c) one large chart for 15 namespaces: kube-prometheus-stack as the issue names it, then the largest other
  // golden (cloudnative-pg), which earlier sessions measured while kube-prometheus-stack could not render.
  const named = ok.find((c) => c.chart === 'kube-prometheus-stack');
  const largest = largestGolden(ok.filter((c) => c !== named));
  for (const large of named ? [named, largest] : [largest]) {
    const nsRuns: number[] = [];
    for (let n = 1; n <= 15; n++) {
      const args = [...large.args];
      args[args.indexOf('--namespace') + 1] = `ns${n}`;
      nsRuns.push(timeRun(helm, ['template', ...args]).ms);
    }
    const helm15 = nsRuns.reduce((a, b) => a + b, 0);
    const bosun15 = best(bosunCmd, stateArgs(stateFile(dir, `fifteen-${large.chart}.yaml`, [large], 15)));
    if (!bosun15.ok) throw new Error(`the 15-namespace render of ${large.chart} failed`);
    const label = large === named ? '(c)' : named ? "(c') largest other chart:" : '(c) kube-prometheus-stack cannot render here; largest other chart:';
    console.log(`${label} ${large.chart} x 15 namespaces: one bosun process ${fmt(bosun15.ms)} vs 15 helm runs ${fmt(helm15)}: ${(helm15 / bosun15.ms).toFixed(1)}x faster (target >= 10x)`);
  }
  rmSync(dir, { recursive: true, force: true });
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
