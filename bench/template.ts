// bench/template: parse and execute throughput of bosun's Go text/template engine on real templates (every
// template and helper of the corpus charts). Usage: npm run bench:template [-- --seconds N]
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadChart, type Chart } from '../src/chart/index.js';
import { Template } from '../src/template/index.js';
import { helmFuncMap } from '../src/template/funcs/index.js';
import { renderChart } from '../src/render/index.js';
import { mergeUserValues } from '../src/values/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = process.env.BOSUN_SHARED ? join(process.env.BOSUN_SHARED, 'corpus') : join(root, '..', 'shared', 'corpus');
const secArg = process.argv.indexOf('--seconds');
const SECONDS = secArg > 0 ? Number(process.argv[secArg + 1]) : 2;

function allTemplates(c: Chart, out: { name: string; text: string }[] = []): { name: string; text: string }[] {
  const d = new TextDecoder();
  for (const t of c.templates) out.push({ name: `${c.fullPath}/${t.name}`, text: d.decode(t.data) });
  for (const sub of c.dependencies) allTemplates(sub, out);
  return out;
}

/** Runs fn repeatedly for about SECONDS; returns iterations per second. */
function throughput(fn: () => void): number {
  fn(); // warm up
  const deadline = performance.now() + SECONDS * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < deadline) {
    fn();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const charts: { name: string; chart: Chart; valueFiles: string[] }[] = [];
  for (const name of readdirSync(join(corpus, 'charts')).sort()) {
    try {
      const chart = await loadChart(join(corpus, 'charts', name));
      const valueFiles = ['required', 'deterministic'].map((k) => join(corpus, 'values', `${name}.${k}.yaml`)).filter((f) => existsSync(f));
      charts.push({ name, chart, valueFiles });
    } catch {
      // unloadable charts are not part of the throughput figures
    }
  }
  const templates = charts.flatMap((c) => allTemplates(c.chart));
  const bytes = templates.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
  const funcs = helmFuncMap();
  const parseRate = throughput(() => {
    const set = new Template('gotpl', { funcs, missingKey: 'zero' });
    for (const t of templates) set.parse(t.name, t.text);
  });
  console.log(`bench/template: ${templates.length} templates (${(bytes / 1e6).toFixed(2)} MB) from ${charts.length} corpus charts, ${SECONDS}s per figure`);
  console.log(`parse:   ${((parseRate * bytes) / 1e6).toFixed(1)} MB/s, ${Math.round(parseRate * templates.length)} templates/s`);

  // Execute: whole-chart renders with the parse cache warm, i.e. the cost of one more release of a known chart.
  let outBytes = 0;
  const prepared = charts
    .map((c) => ({ ...c, values: mergeUserValues({ valueFiles: c.valueFiles }) }))
    .filter((c) => {
      try {
        renderChart(c.chart, c.values, { releaseName: 'rel', namespace: 'ns1', kubeVersion: '1.30.0' });
        return true;
      } catch {
        return false;
      }
    });
  const renderRate = throughput(() => {
    outBytes = 0;
    for (const c of prepared) {
      const r = renderChart(c.chart, c.values, { releaseName: 'rel', namespace: 'ns1', kubeVersion: '1.30.0' });
      for (const m of r.manifests) outBytes += m.content.length;
    }
  });
  console.log(`execute: ${(renderRate * prepared.length).toFixed(0)} chart renders/s over ${prepared.length} charts (${((renderRate * outBytes) / 1e6).toFixed(1)} MB/s of manifests), parse cache warm`);
}

await main();
