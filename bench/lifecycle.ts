// bench/lifecycle: install then upgrade the same releases (corpus charts with their values) with the real helm
// v4.1.4 — one process per command, as helmfile runs it — and with bosun in one process that reuses discovery and
// connections, on two clusters of one sandbox. Prints per-release times and the ratio helm/bosun (> 1: bosun faster).
// Usage: npm run build && node dist/bench/lifecycle.js [--charts podinfo,redis] [--rounds 1]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/index.js';
import { loadReleaseChart } from '../src/render/index.js';
import { mergeUserValues } from '../src/values/index.js';
import { Cluster } from '../src/kube/index.js';
import { install, openContext, upgrade } from '../src/release/index.js';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const root = findRoot();
const corpus = join(root, '..', 'shared', 'corpus');
const helm = join(root, '.tools', 'helm4');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const CHARTS = arg('--charts', 'podinfo,redis,grafana,kube-state-metrics,nginx,prometheus-node-exporter,memcached,external-dns').split(',');

function valueFiles(name: string): string[] {
  return ['required', 'deterministic'].map((k) => join(corpus, 'values', `${name}.${k}.yaml`)).filter(existsSync);
}

function runAsync(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function main(): Promise<void> {
  if (!existsSync(helm)) throw new Error('.tools/helm4 missing: run node scripts/fetch-tools.mjs');
  const sb = await startSandbox({ clusters: ['helm', 'bosun'], controllerDelayMs: 20 });
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bench-lifecycle-'));
  const kubeconfig = join(dir, 'kubeconfig');
  sb.writeKubeconfig(kubeconfig);
  const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'kube-cache'), HELM_CACHE_HOME: join(dir, 'hc'), HELM_CONFIG_HOME: join(dir, 'hcfg'), HELM_DATA_HOME: join(dir, 'hd') };
  const rows: Array<[string, number, number]> = [];
  try {
    // helm: one process per command, as helmfile runs it.
    const helmTimes = new Map<string, number>();
    for (const name of CHARTS) {
      const files = valueFiles(name).flatMap((f) => ['-f', f]);
      const chart = join(corpus, 'charts', name);
      const t0 = performance.now();
      for (const cmd of [['install', name, chart, '--create-namespace'], ['upgrade', name, chart, '--set', 'podAnnotations.rev=2']]) {
        // Asynchronous: the sandbox answers from this process's event loop.
        const r = await runAsync(helm, [...cmd, '-n', 'bench', '--kube-context', 'helm', ...files], env);
        if (r.code !== 0) throw new Error(`helm ${cmd[0]} ${name}: ${r.stderr}`);
      }
      helmTimes.set(name, performance.now() - t0);
    }
    // bosun: one process, one shared client per cluster.
    for (const name of CHARTS) {
      const t0 = performance.now();
      const chartPath = join(corpus, 'charts', name);
      const ctx = await openContext({ kubeconfig, context: 'bosun', namespace: 'bench' });
      const chart = await loadReleaseChart(chartPath);
      const values = mergeUserValues({ valueFiles: valueFiles(name) });
      await install(ctx, { releaseName: name, chart, chartPath, values, createNamespace: true });
      const values2 = mergeUserValues({ valueFiles: valueFiles(name), values: ['podAnnotations.rev=2'] });
      await upgrade(ctx, { releaseName: name, chart, chartPath, values: values2 });
      rows.push([name, helmTimes.get(name)!, performance.now() - t0]);
    }
  } finally {
    await Cluster.closeAll();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const w = Math.max(...CHARTS.map((c) => c.length), 7);
  console.log(`${'release'.padEnd(w)}  ${'helm 4.1.4'.padStart(10)}  ${'bosun'.padStart(10)}  helm/bosun`);
  let th = 0;
  let tb = 0;
  for (const [name, h, b] of rows) {
    th += h;
    tb += b;
    console.log(`${name.padEnd(w)}  ${fmt(h).padStart(10)}  ${fmt(b).padStart(10)}  ${(h / b).toFixed(2)}x`);
  }
  console.log(`${'total'.padEnd(w)}  ${fmt(th).padStart(10)}  ${fmt(tb).padStart(10)}  ${(th / tb).toFixed(2)}x`);
  console.log(`install + upgrade per release: helm ${fmt(th / rows.length)}, bosun ${fmt(tb / rows.length)}; target: bosun not slower (ratio >= 1)`);
}

await main();
