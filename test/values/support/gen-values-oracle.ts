// Regenerates test/fixtures/charts/values-oracle.json from the REAL helm v4.1.4 (never from bosun's code):
//   flags:   each FLAG_CASE on a one-template chart → the typed dump of .Values, or helm's error
//   charts:  fixture charts (deps, legacy, schema) with flag sets → per-chart dumps, warnings, or the error
//   listing: `helm package` listings of fixture charts (the files Helm's loader keeps, in its order)
// Usage: npx tsx test/values/support/gen-values-oracle.ts   (needs .tools/helm4)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../chart/support/root.js';
import { gunzipSync } from 'node:zlib';
import { FLAG_CASES, CHART_CASES } from './cases.js';
import { addDumpTemplates, copyChart, helmTemplate, parseDumps, removeTemp, writeChart, HELM4 } from './helm.js';
import { DUMP_PATH, DUMP_TEMPLATE } from './dump.js';

const root = PROJECT_ROOT;
const fixtures = join(root, 'test/fixtures/charts');
const out = join(fixtures, 'values-oracle.json');

interface Outcome {
  ok: boolean;
  dumps?: Record<string, string>;
  error?: string;
  warnings?: string[];
}

function outcome(r: { ok: boolean; stdout: string; stderr: string }): Outcome {
  const warnings = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('level='));
  if (!r.ok) {
    const err = r.stderr.slice(r.stderr.indexOf('Error: ') + 'Error: '.length).replace(/\n+$/, '');
    return { ok: false, error: err, warnings };
  }
  return { ok: true, dumps: Object.fromEntries(parseDumps(r.stdout)), warnings };
}

const flags: Record<string, Outcome> = {};
for (const c of FLAG_CASES) {
  const dir = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'values.yaml': c.valuesYaml ?? '', [DUMP_PATH]: DUMP_TEMPLATE });
  const cwd = mkdtempSync(join(tmpdir(), 'bosun-cwd-'));
  for (const [p, content] of Object.entries(c.files ?? {})) writeFileSync(join(cwd, p), content);
  flags[c.id] = outcome(helmTemplate(dir, c.flags, cwd));
  removeTemp(dir);
  rmSync(cwd, { recursive: true, force: true });
}

const charts: Record<string, Outcome> = {};
for (const c of CHART_CASES) {
  const dir = copyChart(join(fixtures, c.chart));
  addDumpTemplates(dir);
  charts[c.id] = outcome(helmTemplate(dir, c.flags));
  removeTemp(dir);
}

/** Regular-file names of a tar stream, in order. */
function tarNames(tar: Buffer): string[] {
  const names: string[] = [];
  let off = 0;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const s = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(s(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    if (type === '0' || type === '\0') names.push((s(345, 155) ? s(345, 155) + '/' : '') + s(0, 100));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

const listing: Record<string, string[]> = {};
for (const name of ['deps', 'ignore', 'legacy', 'schema']) {
  const work = mkdtempSync(join(tmpdir(), 'bosun-pkg-'));
  mkdirSync(work, { recursive: true });
  execFileSync(HELM4, ['package', join(fixtures, name), '-d', work], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  listing[name] = tarNames(gunzipSync(readFileSync(join(work, tgz))));
  rmSync(work, { recursive: true, force: true });
}

writeFileSync(out, JSON.stringify({ generatedBy: 'helm v4.1.4 (test/values/support/gen-values-oracle.ts)', flags, charts, listing }, null, 1) + '\n');
console.log(`wrote ${Object.keys(flags).length} flag cases, ${Object.keys(charts).length} chart cases to ${out}`);
