// The corpus of ../shared as the render test and bench/render read it: its cases (chart, values files, golden) and
// the completion of a chart whose vendored dependencies are missing from the corpus copy.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isMap, isSeq } from 'yaml';
import { sharedDir } from './paths.js';
import { copyWritable } from './copy.js';

export const corpusDir = join(sharedDir, 'corpus');

export interface CorpusCase {
  chart: string;
  variant: '' | '.extra';
  chartPath: string;
  valuesFiles: string[];
  skipTests: boolean;
  golden: string;
}

/** Every chart twice (default and .extra values), with the -f files and flags of the corpus README. */
export function corpusCases(filter = process.env.CORPUS): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const chart of readdirSync(join(corpusDir, 'charts')).sort()) {
    if (filter && chart !== filter) continue;
    const base = ['required', 'deterministic'].map((k) => join(corpusDir, 'values', `${chart}.${k}.yaml`)).filter((f) => existsSync(f));
    const extra = join(corpusDir, 'values', `${chart}.extra.yaml`);
    for (const variant of ['', '.extra'] as const) {
      cases.push({
        chart,
        variant,
        chartPath: join(corpusDir, 'charts', chart),
        valuesFiles: variant === '' ? base : [...base, ...(existsSync(extra) ? [extra] : [])],
        skipTests: chart === 'podinfo',
        golden: join(corpusDir, 'golden', 'v4', `${chart}${variant}.yaml`),
      });
    }
  }
  return cases;
}

export interface CompletedChart {
  /** The completed copy of the chart. */
  path: string;
  /** Dependencies copied in from the corpus's own charts (same name and version). */
  vendored: string[];
  /** Dependencies the corpus holds nowhere, removed from the copy's Chart.yaml so that helm can load it at all. */
  dropped: string[];
}

/**
 * The corpus claims every dependency is vendored, but kube-prometheus-stack's charts/ holds only `crds`: its other
 * four dependencies are missing, and helm refuses to render it. Three of them are corpus charts themselves at exactly
 * the version asked for. This copies the chart into `workDir`, vendors each missing dependency the corpus holds at the
 * same version, and removes the rest from the copy's Chart.yaml. Returns undefined when nothing is missing.
 * A dropped dependency changes the chart, so a caller must not trust the copy for a golden unless the real helm
 * renders that golden from it (test/render/corpus.test.ts checks exactly that).
 */
export function completeChart(chart: string, workDir: string): CompletedChart | undefined {
  const source = join(corpusDir, 'charts', chart);
  const doc = parseDocument(readFileSync(join(source, 'Chart.yaml'), 'utf8'));
  const deps = doc.get('dependencies');
  if (!isSeq(deps)) return undefined;
  const present = vendoredNames(join(source, 'charts'));
  const missing = deps.items.filter((d) => isMap(d) && !present.has(String(d.get('name'))));
  if (missing.length === 0) return undefined;

  const path = join(workDir, chart);
  copyWritable(source, path);
  const vendored: string[] = [];
  const dropped: string[] = [];
  for (const dep of missing) {
    if (!isMap(dep)) continue;
    const name = String(dep.get('name'));
    const candidate = join(corpusDir, 'charts', name);
    if (existsSync(join(candidate, 'Chart.yaml')) && chartVersion(candidate) === String(dep.get('version'))) {
      copyWritable(candidate, join(path, 'charts', name));
      vendored.push(name);
    } else {
      deps.items.splice(deps.items.indexOf(dep), 1);
      dropped.push(name);
    }
  }
  writeFileSync(join(path, 'Chart.yaml'), doc.toString());
  return { path, vendored, dropped };
}

function chartVersion(dir: string): string {
  return String(parseDocument(readFileSync(join(dir, 'Chart.yaml'), 'utf8')).get('version'));
}

/** Names of the charts vendored in a charts/ folder: each directory's Chart.yaml name (archives by file name). */
function vendoredNames(chartsDir: string): Set<string> {
  const names = new Set<string>();
  if (!existsSync(chartsDir)) return names;
  for (const entry of readdirSync(chartsDir, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(chartsDir, entry.name, 'Chart.yaml'))) {
      names.add(String(parseDocument(readFileSync(join(chartsDir, entry.name, 'Chart.yaml'), 'utf8')).get('name')));
    } else if (entry.name.endsWith('.tgz')) {
      names.add(entry.name.replace(/-\d[^-]*(-[^-]*)?\.tgz$/, ''));
    }
  }
  return names;
}
