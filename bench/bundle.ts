// bench/bundle: what a single-file build of `bosun template` would save on a cold start (measurement only; the
// shipped CLI is unchanged). Node 20 spends most of a cold `bosun template` loading ~130 ES modules (resolution,
// compilation, linking); one CommonJS file compiled through vm.Script with a V8 code cache skips nearly all of it.
//
// Builds dist/bundle/bosun-template.cjs (the CLI with only the template command reachable; the other commands stay
// external) with esbuild, plus dist/bundle/run.cjs, a stand-in for bin/bosun.js that loads it with a code cache
// (written next to it on the first run). Then runs cold processes of both for some corpus charts, checks that the
// outputs are identical and prints the best times.
// Usage: npm run build && node dist/bench/bundle.js [--runs N] [chart ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = process.env.BOSUN_SHARED ? join(process.env.BOSUN_SHARED, 'corpus') : join(root, '..', 'shared', 'corpus');
const outDir = join(root, 'dist', 'bundle');
const bundle = join(outDir, 'bosun-template.cjs');
const runner = join(outDir, 'run.cjs');
const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : 5;
const charts = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');

// What bin/bosun.js would do for `template`: compile the bundle with its code cache, produce the cache when missing.
const RUNNER = `'use strict';
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const file = path.join(__dirname, 'bosun-template.cjs');
const cacheFile = file + '.v8cache';
let cached;
try { cached = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: cached, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
mod.exports.main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
  if (cached === undefined || script.cachedDataRejected) { try { fs.writeFileSync(cacheFile, script.createCachedData()); } catch {} }
});
`;

async function build(): Promise<void> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed (it comes with tsx, a devDependency): run npm install');
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const otherCommands = /^\.\/(state|lint|package|sandbox|release|fleet)\.js$/;
  await esbuild.build({
    entryPoints: [join(root, 'dist', 'src', 'cli', 'index.js')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'error',
    // One URL for every module: createRequire and the package.json lookup resolve from dist/ as from dist/src.
    define: { 'import.meta.url': '__bosun_bundle_url' },
    banner: { js: "const __bosun_bundle_url = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [
      {
        name: 'other-commands-external',
        setup(b) {
          b.onResolve({ filter: otherCommands }, (a) => (a.importer.endsWith(join('cli', 'index.js')) ? { path: a.path, external: true } : undefined));
        },
      },
    ],
  });
  writeFileSync(runner, RUNNER);
}

function casesFor(chart: string): string[] {
  const files = ['required', 'deterministic'].map((k) => join(corpus, 'values', `${chart}.${k}.yaml`)).filter((f) => existsSync(f));
  const args = ['template', 'rel', join(corpus, 'charts', chart), '--namespace', 'ns1', '--kube-version', '1.30.0', ...files.flatMap((f) => ['-f', f])];
  if (chart === 'podinfo') args.push('--skip-tests');
  return args;
}

function best(script: string, args: string[]): { ms: number; out: string } {
  let min = Infinity;
  let out = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${r.stderr}`);
    out = r.stdout;
    min = Math.min(min, ms);
  }
  return { ms: min, out };
}

async function main(): Promise<void> {
  await build();
  const list = charts.length > 0 ? charts : ['podinfo', 'fluent-bit', 'grafana', 'cert-manager', 'nginx', 'cloudnative-pg'];
  spawnSync(process.execPath, [runner, ...casesFor(list[0]!)]); // writes the code cache
  console.log(`bench/bundle: cold \`bosun template\`, module graph (bin/bosun.js) vs one bundled file + V8 code cache, best of ${RUNS}`);
  for (const chart of list) {
    const args = casesFor(chart);
    const a = best(join(root, 'bin', 'bosun.js'), args);
    const b = best(runner, args);
    if (a.out !== b.out) throw new Error(`${chart}: the bundle's output differs`);
    console.log(`  ${chart.padEnd(24)} modules ${a.ms.toFixed(0).padStart(5)} ms   bundle ${b.ms.toFixed(0).padStart(5)} ms   (${(a.ms / b.ms).toFixed(2)}x)`);
  }
}

await main();
