// `helm lint` (Helm 4.1): runs helm's rules over chart directories or archives and prints their findings exactly as
// helm does. Public surface:
//
//   lintChart(path, values, options)   the messages for one chart (rules in helm's order: Chart.yaml, values,
//                                      templates, dependencies, crds), or the error that kept it from being linted
//   lintPaths(paths, values, options)  `helm lint PATH...`: the text helm prints on stdout, the summary, the exit code
//   subchartPaths(path)                what --with-subcharts adds for one path
//   parseKubeVersion(text)             --kube-version checked with helm's messages
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadFiles, readArchiveFiles, readDirectoryFilesSync, type Chart } from '../chart/index.js';
import { ChartError } from '../chart/errors.js';
import { compareGoStrings, type GoMap } from '../template/value.js';
import { parseYaml } from '../yaml/index.js';
import { Linter, Severity, formatMessage, type LintMessage } from './support.js';
import { lintChartfile } from './chartfile.js';
import { lintValues } from './values.js';
import { lintTemplates } from './templates.js';
import { lintDependencies } from './dependencies.js';
import { lintCrds } from './crds.js';

export { Severity, formatMessage, type LintMessage } from './support.js';
export { deprecationWarning } from './deprecations.js';
export { traceExecError } from './engine.js';

export interface LintOptions {
  /** --namespace (helm: the namespace of the kube context, `default` without one). */
  readonly namespace?: string;
  /** --kube-version, as typed. */
  readonly kubeVersion?: string;
  /** --strict: warnings fail the chart too. */
  readonly strict?: boolean;
  readonly quiet?: boolean;
  readonly skipSchemaValidation?: boolean;
  /** Receives helm's log lines (lint-mode `required` / `fail`), which helm writes to stderr. */
  readonly log?: (line: string) => void;
}

export interface ChartLintResult {
  readonly path: string;
  readonly messages: readonly LintMessage[];
  /** Set when the chart could not be linted at all (`unable to check Chart.yaml file in chart: ...`). */
  readonly error?: string;
}

export class KubeVersionError extends Error {}

/** helm's ParseKubeVersion (k8s.io's ParseGeneric): returns [major, minor] or throws with helm's message. */
export function parseKubeVersion(text: string): [number, number] {
  const fail = (why: string) => new KubeVersionError(`invalid kube version '${text}': ${why}`);
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/s.exec(text);
  if (!m) throw fail(`could not parse ${JSON.stringify(text)} as version`);
  const parts = m[1]!.split('.');
  if (parts.length < 2) throw fail(`illegal version string ${JSON.stringify(text)}`);
  if (parts[0]!.startsWith('0') && parts[0] !== '0') throw fail(`illegal zero-prefixed version component ${JSON.stringify(parts[0])} in ${JSON.stringify(text)}`);
  return [Number(parts[0]), Number(parts[1])];
}

function isArchivePath(p: string): boolean {
  return p.endsWith('.tgz') || p.endsWith('.tar.gz');
}

/** Expands a chart archive into a fresh temporary directory; returns [chart directory, cleanup]. */
function expandArchive(path: string): [string, () => void] {
  const files = readArchiveFiles(readFileSync(path));
  let name = 'chart';
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (chartYaml) {
    try {
      const doc = parseYaml(new TextDecoder().decode(chartYaml.data));
      const n = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as GoMap).name : undefined;
      if (typeof n === 'string' && /^[A-Za-z0-9._-]+$/.test(n) && n !== '.' && n !== '..') name = n;
    } catch {
      // keep the default folder name
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'helm-lint'));
  const root = join(tmp, name);
  for (const f of files) {
    const p = join(root, f.name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.data);
  }
  mkdirSync(root, { recursive: true });
  return [root, () => rmSync(tmp, { recursive: true, force: true })];
}

/** Lints one chart directory or archive with the user's values (helm's action.Lint for one path). */
export async function lintChart(path: string, values: GoMap, opts: LintOptions = {}): Promise<ChartLintResult> {
  let chartDir = path;
  let cleanup = () => {};
  if (isArchivePath(path)) {
    try {
      [chartDir, cleanup] = expandArchive(path);
    } catch (e) {
      const msg = e instanceof ChartError ? e.helmMessage : e instanceof Error ? e.message : String(e);
      return { path, messages: [], error: `unable to extract tarball: ${msg}` };
    }
  }
  try {
    const chartYaml = join(chartDir, 'Chart.yaml');
    try {
      statSync(chartYaml);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'ENOTDIR' ? 'not a directory' : 'no such file or directory';
      return { path, messages: [], error: `unable to check Chart.yaml file in chart: stat ${chartYaml}: ${why}` };
    }
    const linter = new Linter(resolve(chartDir));
    const kubeMajorMinor = opts.kubeVersion !== undefined ? parseKubeVersion(opts.kubeVersion) : undefined;
    // helm lint loads the chart with the v2 loader directly (no apiVersion gate), once per rule; one load serves all.
    let loaded: Promise<Chart> | undefined;
    const load = () => (loaded ??= Promise.resolve().then(() => loadFiles(readDirectoryFilesSync(linter.chartDir))));
    lintChartfile(linter);
    lintValues(linter, values, opts.skipSchemaValidation);
    await lintTemplates(linter, values, {
      namespace: opts.namespace ?? 'default',
      kubeVersion: opts.kubeVersion,
      kubeMajorMinor,
      skipSchemaValidation: opts.skipSchemaValidation,
      log: opts.log,
      load,
    });
    await lintDependencies(linter, load);
    await lintCrds(linter, load);
    return { path, messages: linter.messages };
  } finally {
    cleanup();
  }
}

/** The paths `--with-subcharts` adds for `path`: chart folders and archives under its charts/, walked in order. */
export function subchartPaths(path: string): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (!st.isDirectory()) {
      const base = p.slice(p.lastIndexOf('/') + 1);
      if (base === 'Chart.yaml') out.push(dirname(p));
      else if (isArchivePath(p)) out.push(p);
      return;
    }
    let names: string[];
    try {
      names = readdirSync(p).sort(compareGoStrings);
    } catch {
      return;
    }
    for (const n of names) walk(join(p, n));
  };
  walk(join(path, 'charts'));
  return out;
}

export interface LintRun {
  /** What helm prints on stdout. */
  readonly stdout: string;
  /** The summary line; helm prints it on stdout on success and as `Error: <summary>` on stderr on failure. */
  readonly summary: string;
  readonly failed: number;
  /** 1 when any chart failed. */
  readonly exitCode: number;
  readonly results: readonly ChartLintResult[];
}

/** `helm lint PATH...` without --with-subcharts expansion (pass the expanded list). */
export async function lintPaths(paths: readonly string[], values: GoMap, opts: LintOptions = {}): Promise<LintRun> {
  if (opts.kubeVersion !== undefined) parseKubeVersion(opts.kubeVersion);
  const tolerance = opts.strict ? Severity.Warning : Severity.Error;
  let out = '';
  let failed = 0;
  let withFindings = 0;
  const results: ChartLintResult[] = [];
  for (const path of paths) {
    const r = await lintChart(path, values, opts);
    results.push(r);
    const errors = r.error !== undefined ? [r.error] : r.messages.filter((m) => m.severity >= tolerance).map((m) => m.message);
    const findings = r.messages.some((m) => m.severity > Severity.Info) || errors.length > 0;
    if (findings) withFindings++;
    if (opts.quiet && !findings) continue;
    out += `==> Linting ${path}\n`;
    if (r.messages.length === 0) for (const e of errors) out += `Error ${e}\n`;
    for (const m of r.messages) {
      if (!opts.quiet || m.severity > Severity.Info) out += formatMessage(m) + '\n';
    }
    if (errors.length > 0) failed++;
    out += '\n';
  }
  const summary = `${paths.length} chart(s) linted, ${failed} chart(s) failed`;
  if (failed === 0 && (!opts.quiet || withFindings > 0)) out += summary + '\n';
  return { stdout: out, summary, failed, exitCode: failed > 0 ? 1 : 0, results };
}
