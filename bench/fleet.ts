// bench/fleet: 15 clusters × 40 releases (the 12 of examples/platform plus 28 synthetic ones) on the sandbox.
// `bosun diff` and `bosun apply` (one process each, node bin/bosun.cjs) against the helmfile way: the real helm once
// per target — `helm upgrade --install --dry-run=server` for the diff, `helm upgrade --install --wait` for the apply —
// at the same concurrency; then the diff again on the applied fleet, where nothing is left to do (the everyday CI
// case). Prints times, ratios and bosun's peak RSS. Usage: npm run bench:fleet [-- --concurrency 16]
// (`-- --only bosun` skips helm; `-- --count` lists the API requests each bosun command made, by verb and path shape;
// `-- --events DIR` and `-- --cpu-prof DIR` keep the events and CPU profiles of the bosun processes;
// `-- --readiness-delay MS` sets how long after creation the sandbox makes a workload ready, 200 ms by default: both
// tools hold a concurrency slot while they wait for it, so it sets a floor under both times, see the README).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { startSandbox } from '../src/sandbox/index.js';
import { loadState, resolveTargets } from '../src/state/index.js';
import { toYaml } from '../src/yaml/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const helm = join(root, '.tools', 'helm4');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : def;
};
const USAGE =
  'usage: node dist/bench/fleet.js [--concurrency N] [--synthetic N] [--only bosun] [--count] [--events DIR] [--cpu-prof DIR] [--readiness-delay MS]';
{
  // A mistyped flag (or --help) must not start a run of several minutes.
  const known = new Set(['--concurrency', '--synthetic', '--only', '--count', '--events', '--cpu-prof', '--readiness-delay']);
  const takesValue = new Set(['--concurrency', '--synthetic', '--only', '--events', '--cpu-prof', '--readiness-delay']);
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (!known.has(args[i]!)) {
      console.error(args[i] === '--help' || args[i] === '-h' ? USAGE : `unknown argument ${args[i]}\n${USAGE}`);
      process.exit(args[i] === '--help' || args[i] === '-h' ? 0 : 2);
    }
    if (takesValue.has(args[i]!)) i++;
  }
}
const CONCURRENCY = Number(arg('--concurrency', '16'));
const SYNTHETIC = Number(arg('--synthetic', '28'));
/** `--only bosun` skips the helm runs (for iterating on bosun); `--count` prints the API requests of each bosun command. */
const ONLY = arg('--only', '');
const COUNT = process.argv.includes('--count');
/** `--events DIR` keeps each bosun command's NDJSON events there; `--cpu-prof DIR` profiles the bosun processes
 * (with `--count` or `--events`, each command's wall time and the CPU time of bosun and of the sandbox are printed). */
const EVENTS = arg('--events', '');
const CPU_PROF = arg('--cpu-prof', '');
/** The sandbox's simulated controllers make a workload ready this long after it is created (its default: 200 ms). */
const READINESS_DELAY = Number(arg('--readiness-delay', '200'));
if (!Number.isInteger(READINESS_DELAY) || READINESS_DELAY < 0) {
  console.error(`--readiness-delay: want milliseconds, got ${arg('--readiness-delay', '')}\n${USAGE}`);
  process.exit(2);
}
const CLUSTERS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-south-1'];

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The example's state plus synthetic releases, written next to it so that its relative paths hold. */
function benchState(): string {
  let text = readFileSync(join(root, 'examples', 'platform', 'bosun.yaml'), 'utf8');
  for (let i = 1; i <= SYNTHETIC; i++) {
    const chart = ['config', 'web', 'worker'][i % 3];
    text += `\n  - name: synth-${String(i).padStart(2, '0')}\n    namespace: synth\n    chart: ../charts/${chart}\n    labels: {tier: synthetic}\n`;
    if (i % 4 === 0) text += `    needs: [platform/platform-config]\n`;
  }
  const file = join(root, 'examples', 'platform', '.bench-fleet.yaml');
  writeFileSync(file, text);
  return file;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bosun-bench-fleet-'));
  const stateFile = benchState();
  const state = await loadState({ file: stateFile, environment: 'prod' });
  const targets = resolveTargets(state, {}).targets.filter((t) => t.release.installed);
  const perCluster = targets.length / CLUSTERS.length;
  console.log(`bench/fleet: ${targets.length} targets (${CLUSTERS.length} clusters × ${perCluster} releases), concurrency ${CONCURRENCY}, workloads ready ${READINESS_DELAY} ms after creation`);

  // The shipped command (bin/bosun.cjs), with a preload that reports its peak RSS and CPU time when it exits.
  const bosunCli = join(root, 'bin', 'bosun.cjs');
  const report = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('maxrss-kb '+u.maxRSS+'\\ncpu-ms '+Math.round((u.userCPUTime+u.systemCPUTime)/1000)+'\\n')})`;
  const preload = ['--import', report];
  const results: Record<string, number> = {};
  let peakKb = 0;

  // bosun and helm each get a fresh sandbox (same clusters), so both diff against empty clusters and both install.
  const counts = new Map<string, number>();
  const countKey = (method: string, path: string): string => {
    const [p, q] = path.split('?');
    const shape = p!
      .replace(/^\/clusters\/[^/]+/, '')
      .replace(/\/namespaces\/[^/]+/, '/namespaces/*')
      .replace(/^(\/api\/v1|\/apis\/[^/]+\/[^/]+)(\/namespaces\/\*)?\/([^/]+)\/[^/]+/, '$1$2/$3/NAME');
    const flags = [/dryRun=/.test(q ?? '') ? 'dryRun' : '', /labelSelector=/.test(q ?? '') ? 'selector' : '', /watch=/.test(q ?? '') ? 'watch' : ''].filter(Boolean).join(',');
    return `${method} ${shape}${flags ? ' [' + flags + ']' : ''}`;
  };
  const printCounts = (label: string): void => {
    if (!COUNT) return;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`  requests of ${label}: ${total}`);
    for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(6)}  ${k}`);
    counts.clear();
  };
  for (const who of ['bosun', 'helm'] as const) {
    if (ONLY && ONLY !== who) continue;
    const sb = await startSandbox({ clusters: CLUSTERS, port: 0, controllerDelayMs: READINESS_DELAY, onRequest: COUNT ? (i) => counts.set(countKey(i.method, i.path), (counts.get(countKey(i.method, i.path)) ?? 0) + 1) : undefined });
    const kubeconfig = join(work, `${who}.kubeconfig`);
    sb.writeKubeconfig(kubeconfig);
    const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: work, HELM_CACHE_HOME: join(work, 'hc'), HELM_CONFIG_HOME: join(work, 'hcfg'), HELM_DATA_HOME: join(work, 'hd'), CI: 'true' };
    try {
      if (who === 'bosun') {
        const base = ['-f', stateFile, '-e', 'prod', '--kubeconfig', kubeconfig, '--concurrency', String(CONCURRENCY)];
        // Last, the everyday case: a diff of the fleet as applied (nothing to do: exit 0 with --detailed-exitcode).
        const steps = [
          { key: 'diff', args: ['diff'] },
          { key: 'apply', args: ['apply'] },
          { key: 'diff-applied', args: ['diff', '--detailed-exitcode'] },
        ] as const;
        for (const { key, args } of steps) {
          const node = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF, '--cpu-prof-name', `bosun-${key}.cpuprofile`] : [];
          const extra = EVENTS ? ['--events', join(EVENTS, `bosun-${key}.ndjson`)] : [];
          const cpu0 = process.cpuUsage();
          const t0 = performance.now();
          const r = await run(process.execPath, [...node, ...preload, bosunCli, ...args, ...base, ...extra, '-o', 'json'], env);
          results[`bosun ${key}`] = performance.now() - t0;
          const sbCpu = process.cpuUsage(cpu0);
          if (COUNT || EVENTS) console.log(`  bosun ${key}: ${fmt(results[`bosun ${key}`]!)}, CPU: bosun ${/cpu-ms (\d+)/.exec(r.stderr)?.[1] ?? '?'} ms, sandbox ${((sbCpu.user + sbCpu.system) / 1000).toFixed(0)} ms`);
          if (r.code !== 0) throw new Error(`bosun ${args.join(' ')} (${key}) exited ${r.code}: ${r.stderr.slice(-2000)}`);
          peakKb = Math.max(peakKb, Number(/maxrss-kb (\d+)/.exec(r.stderr)?.[1] ?? 0));
          printCounts(`bosun ${key}`);
        }
        const again = await run(process.execPath, [bosunCli, 'apply', ...base], env);
        if (!/Nothing to do/.test(again.stdout)) throw new Error('a second bosun apply had something to do');
      } else {
        const limit = pLimit(CONCURRENCY);
        const files = targets.map((t, i) => {
          const f = join(work, `values-${i}.yaml`);
          writeFileSync(f, toYaml(t.values));
          return f;
        });
        for (const mode of ['diff', 'apply', 'diff-applied'] as const) {
          const t0 = performance.now();
          const failures: string[] = [];
          // helmfile runs each release's helm once; needs ordering is ignored here, which only favours helm.
          await Promise.all(
            targets.map((t, i) =>
              limit(async () => {
                const args = ['upgrade', '--install', t.release.name, t.release.chart, '--namespace', t.release.namespace || 'default', '--create-namespace', '--kube-context', t.cluster.kubeContext || t.cluster.name, '-f', files[i]!];
                if (mode !== 'apply') args.push('--dry-run=server');
                else args.push('--wait', '--timeout', '10m');
                const r = await run(helm, args, env);
                if (r.code !== 0) failures.push(`${t.id}: ${r.stderr.trim().split('\n').pop()}`);
              }),
            ),
          );
          results[`helm ${mode}`] = performance.now() - t0;
          if (failures.length) console.log(`  (helm ${mode}: ${failures.length} failures, e.g. ${failures[0]})`);
        }
      }
    } finally {
      await sb.close();
    }
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(stateFile, { force: true });

  if (ONLY === 'bosun') {
    console.log(`  bosun diff:  ${fmt(results['bosun diff']!)}   bosun apply: ${fmt(results['bosun apply']!)}   bosun diff of the applied fleet: ${fmt(results['bosun diff-applied']!)}   peak RSS: ${(peakKb / 1024).toFixed(0)} MB`);
    return;
  }
  const diffRatio = results['helm diff']! / results['bosun diff']!;
  const applyRatio = results['helm apply']! / results['bosun apply']!;
  console.log(`  bosun diff:  ${fmt(results['bosun diff']!)}   helm upgrade --install --dry-run=server per target: ${fmt(results['helm diff']!)}   → ${diffRatio.toFixed(1)}x (target >= 20x)`);
  console.log(`  bosun apply: ${fmt(results['bosun apply']!)}   helm upgrade --install --wait per target: ${fmt(results['helm apply']!)}   → ${applyRatio.toFixed(1)}x (target >= 10x)`);
  const steadyRatio = results['helm diff-applied']! / results['bosun diff-applied']!;
  console.log(`  bosun diff of the applied fleet (nothing to do): ${fmt(results['bosun diff-applied']!)}   helm upgrade --install --dry-run=server per target: ${fmt(results['helm diff-applied']!)}   → ${steadyRatio.toFixed(1)}x`);
  console.log(`  bosun peak RSS: ${(peakKb / 1024).toFixed(0)} MB (target < 1024 MB)`);
}

await main();
