// Regenerates test/fixtures/charts/corpus-listing.json from the REAL helm (never from bosun's code):
// `helm package` re-saves exactly the files Helm's loader kept (templates and other files in load order, subcharts
// under <chart>/charts/<name>/), so the archive listing is the loader's view of each corpus chart.
// Usage: npx tsx test/chart/support/gen-corpus-listing.ts   (needs .tools/helm4: node scripts/fetch-tools.mjs)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './root.js';
import { gunzipSync } from 'node:zlib';

const root = PROJECT_ROOT;
const helm = join(root, '.tools/helm4');
const corpus = join(root, '../shared/corpus/charts');
const out = join(root, 'test/fixtures/charts/corpus-listing.json');

/** Names of a tar stream's regular entries, in order (ustar + pax path records). */
function tarNames(tar: Buffer): string[] {
  const names: string[] = [];
  let off = 0;
  let paxPath: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const name = (str(345, 155) ? str(345, 155) + '/' : '') + str(0, 100);
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = m?.[1];
    } else {
      if (type === '0' || type === '\0') names.push(paxPath ?? name);
      paxPath = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

const listing: Record<string, string[]> = {};
for (const name of readdirSync(corpus).sort()) {
  const work = mkdtempSync(join(tmpdir(), 'bosun-listing-'));
  try {
    let dir = join(corpus, name);
    if (name === 'kube-prometheus-stack') {
      // The corpus lacks this chart's .tgz dependencies; helm package refuses missing ones, so drop them from a copy.
      const copy = join(work, name);
      cpSync(dir, copy, { recursive: true });
      execFileSync('chmod', ['-R', 'u+w', copy]);
      const cy = readFileSync(join(copy, 'Chart.yaml'), 'utf8');
      const missing = /^  - name: (kube-state-metrics|prometheus-node-exporter|grafana|prometheus-windows-exporter)$/;
      let skipping = false;
      const kept = cy
        .split('\n')
        .filter((line) => {
          if (line.startsWith('  - ')) skipping = missing.test(line);
          else if (!line.startsWith('    ')) skipping = false;
          return !skipping;
        })
        .join('\n');
      writeFileSync(join(copy, 'Chart.yaml'), kept);
      dir = copy;
    }
    execFileSync(helm, ['package', dir, '-d', work], { stdio: ['ignore', 'ignore', 'pipe'] });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    listing[name] = tarNames(gunzipSync(readFileSync(join(work, tgz))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
writeFileSync(out, JSON.stringify({ generatedBy: 'helm v4.1.4 package (test/chart/support/gen-corpus-listing.ts)', charts: listing }, null, 1) + '\n');
console.log(`wrote ${Object.keys(listing).length} listings to ${out}`);
