// bench/state: `bosun template -f examples/platform/bosun.yaml -e prod` (every target, one process) against what
// helmfile does: the real `helm template` once per target with the same values. Also checks that every target's
// output is byte-identical to helm's. Usage: npm run bench:state [-- --env prod]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadState, resolveTargets } from '../src/state/index.js';
import { toYaml } from '../src/yaml/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const helm = join(root, '.tools', 'helm4');
const envArg = process.argv.indexOf('--env');
const ENV = envArg > 0 ? process.argv[envArg + 1]! : 'prod';
const STATE = join(root, 'examples', 'platform', 'bosun.yaml');

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  // bosun: one cold process renders every target.
  const t0 = performance.now();
  const b = spawnSync(process.execPath, [join(root, 'bin', 'bosun.cjs'), 'template', '-f', STATE, '-e', ENV], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const bosunMs = performance.now() - t0;
  if (b.status !== 0) throw new Error(`bosun template failed: ${b.stderr}`);

  // helm: once per target, values written to a file as helmfile does.
  const state = await loadState({ file: STATE, environment: ENV });
  const { targets } = resolveTargets(state, {});
  const work = mkdtempSync(join(tmpdir(), 'bosun-bench-state-'));
  let helmMs = 0;
  let identical = 0;
  const byTarget = splitByTarget(b.stdout);
  const rendered = targets.filter((t) => t.release.installed);
  for (const [i, t] of rendered.entries()) {
    const vf = join(work, `${i}.yaml`);
    writeFileSync(vf, toYaml(t.values));
    const s = performance.now();
    const h = spawnSync(helm, ['template', t.release.name, t.release.chart, '--namespace', t.release.namespace || 'default', '-f', vf], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: '/nonexistent' },
    });
    helmMs += performance.now() - s;
    if (h.status !== 0) throw new Error(`helm template failed for ${t.id}: ${h.stderr}`);
    if (h.stdout === byTarget.get(t.id)) identical++;
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`bench/state: ${rendered.length} targets of examples/platform for ${ENV}`);
  console.log(`  bosun template (one process): ${fmt(bosunMs)}`);
  console.log(`  helm template once per target: ${fmt(helmMs)}`);
  console.log(`  bosun is ${(helmMs / bosunMs).toFixed(1)}x faster (target >= 10x); outputs identical to helm's: ${identical}/${rendered.length}`);
}

/** Re-assembles `helm template` output per target from bosun's state-mode output (drops the `# Target:` lines). */
function splitByTarget(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const docs = text.split(/^---\n/m).filter((d) => d !== '');
  for (const d of docs) {
    const m = /^# Target: (.*)\n/.exec(d);
    if (!m) continue;
    const body = d.slice(m[0].length);
    out.set(m[1]!, (out.get(m[1]!) ?? '') + `---\n${body}`);
  }
  return out;
}

await main();
