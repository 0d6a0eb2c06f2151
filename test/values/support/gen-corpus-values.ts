// Regenerates test/fixtures/charts/corpus-values.json from the REAL helm (never from bosun's code): for every
// corpus chart, the typed dump (support/dump.ts) of `.Values` in the root chart and in each rendered subchart,
// for the golden runs' values files (default and extra), stored as sha256 + length to keep the fixture small.
// Usage: npx tsx test/values/support/gen-corpus-values.ts   (needs .tools/helm4)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../chart/support/root.js';
import { addDumpTemplates, copyChart, helmTemplate, parseDumps, removeTemp } from './helm.js';

const root = PROJECT_ROOT;
const corpus = join(root, '../shared/corpus');
const out = join(root, 'test/fixtures/charts/corpus-values.json');

export function corpusValueFiles(name: string, extra: boolean): string[] {
  const files = ['required', 'deterministic', ...(extra ? ['extra'] : [])]
    .map((k) => join(corpus, 'values', `${name}.${k}.yaml`))
    .filter((f) => existsSync(f));
  return files;
}

/** kube-prometheus-stack's .tgz dependencies are missing from the corpus: drop them from Chart.yaml. */
export function stripMissingDeps(dir: string): void {
  const cy = join(dir, 'Chart.yaml');
  const missing = /^  - name: (kube-state-metrics|prometheus-node-exporter|grafana|prometheus-windows-exporter)$/;
  let skipping = false;
  const kept = readFileSync(cy, 'utf8')
    .split('\n')
    .filter((line) => {
      if (line.startsWith('  - ')) skipping = missing.test(line);
      else if (!line.startsWith('    ')) skipping = false;
      return !skipping;
    })
    .join('\n');
  writeFileSync(cy, kept);
}

const result: Record<string, Record<string, { sha256: string; length: number }>> = {};
for (const name of readdirSync(join(corpus, 'charts')).sort()) {
  for (const extra of [false, true]) {
    const dir = copyChart(join(corpus, 'charts', name));
    try {
      if (name === 'kube-prometheus-stack') stripMissingDeps(dir);
      addDumpTemplates(dir);
      const args = ['--kube-version', '1.30.0', ...corpusValueFiles(name, extra).flatMap((f) => ['-f', f])];
      if (name === 'podinfo') args.push('--skip-tests');
      const r = helmTemplate(dir, args);
      if (!r.ok) {
        console.error(`${name}${extra ? ' (extra)' : ''}: helm failed: ${r.stderr.split('\n')[0]}`);
        continue;
      }
      const dumps: Record<string, { sha256: string; length: number }> = {};
      for (const [path, text] of parseDumps(r.stdout)) {
        dumps[path] = { sha256: createHash('sha256').update(text).digest('hex'), length: Buffer.byteLength(text) };
      }
      result[`${name}${extra ? '.extra' : ''}`] = dumps;
    } finally {
      removeTemp(dir);
    }
  }
}
writeFileSync(out, JSON.stringify({ generatedBy: 'helm v4.1.4 template (test/values/support/gen-corpus-values.ts)', runs: result }, null, 1) + '\n');
console.log(`wrote ${Object.keys(result).length} runs to ${out}`);
