// The shared rendering core: a loaded chart plus the user's values → Helm's sorted manifests, hooks, notes and CRDs,
// exactly as `helm template` / install compute them (Helm 4.1). `templateChart` is `bosun template` without the CLI.
import { isCompatibleRange, loadChart, newFiles, type Chart, type ChartFile } from '../chart/index.js';
import { checkDependencies, mergeUserValues, toRenderValues, type ValueOptions } from '../values/index.js';
import { existsSync } from 'node:fs';
import type { GoMap, GoValue } from '../template/value.js';
import { forgetParsedTemplates, renderTree, RenderError, type ChartNode } from './engine.js';
import { Capabilities } from './capabilities.js';
import { chartOf, releaseMap } from './context.js';
import { goTrimSpace, sortManifests, type Hook, type Manifest } from './manifests.js';
import { formatTemplateOutput, type CrdFile } from './output.js';

export { RenderError, renderTree, traceExecError, type ChartNode, type EngineOptions } from './engine.js';
export { ManifestParseError, INSTALL_ORDER, UNINSTALL_ORDER, splitManifests, sortManifests, type Hook, type Manifest, type ManifestHead, type HookEvent } from './manifests.js';
export { formatTemplateOutput, releaseManifest, goPathMatch, type CrdFile } from './output.js';
export { Capabilities, KubeVersion, DEFAULT_KUBE_VERSION, DEFAULT_API_VERSIONS, HELM_VERSION } from './capabilities.js';
export { chartMap, releaseMap } from './context.js';
export { HostResolver } from './dns.js';
export { renderInRounds, MAX_ROUNDS, type Rounds } from './rounds.js';

export interface RenderOptions {
  readonly releaseName: string;
  readonly namespace: string;
  readonly revision?: number;
  readonly isUpgrade?: boolean;
  /** --kube-version (default: Helm 4.1's client-go version, v1.35.0). */
  readonly kubeVersion?: string;
  /** --api-versions, added to the built-in set. */
  readonly apiVersions?: readonly string[];
  readonly skipSchemaValidation?: boolean;
  /** Cluster lookups for the `lookup` function; without one, lookup finds nothing (as helm template). */
  readonly lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => GoValue;
  /** --enable-dns: getHostByName's answers (see HostResolver); without it getHostByName returns "" (as helm). */
  readonly hostByName?: (name: string) => string;
  /** Receives Helm's warnings (coalesce type clashes, ...), which helm prints on stderr. */
  readonly warn?: (message: string) => void;
  /** --render-subchart-notes: every rendered NOTES.txt makes the notes (joined by a newline), not only the root's. */
  readonly subchartNotes?: boolean;
}

export interface RenderedRelease {
  /** The chart after dependency processing (disabled subcharts removed, aliases applied). */
  readonly chart: Chart;
  /** The coalesced root values (what `helm get values --all` shows). */
  readonly values: GoMap;
  readonly manifests: readonly Manifest[];
  readonly hooks: readonly Hook[];
  /** The root chart's rendered NOTES.txt ('' when none); with `subchartNotes`, every chart's. */
  readonly notes: string;
  /** CRD files of the chart and its subcharts, unrendered. */
  readonly crds: readonly CrdFile[];
  readonly warnings: readonly string[];
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Helm's ValidateReleaseName. */
export function validateReleaseName(name: string): void {
  if (name === '') throw new RenderError('release name "": no name provided', '');
  if (name.length > 53 || !RELEASE_NAME.test(name)) {
    throw new RenderError(
      `release name "${name}": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53`,
      '',
    );
  }
}

/** Decoded template texts per template list (shared by the copies dependency processing makes of a chart). */
const decodedTemplates = new WeakMap<readonly ChartFile[], { name: string; data: string }[]>();

function templateTexts(files: readonly ChartFile[]): { name: string; data: string }[] {
  let texts = decodedTemplates.get(files);
  if (texts === undefined) {
    const decoder = new TextDecoder();
    texts = files.map((t) => ({ name: t.name, data: decoder.decode(t.data) }));
    decodedTemplates.set(files, texts);
  }
  return texts;
}

/**
 * Parse-cache keys of template lists. Loaded charts are immutable and the chart cache hands out the same template
 * list while a chart's sources are unchanged, so a list's identity stands for its contents: no hashing of the
 * chart's files. Each key remembers the files it was given to (compared by identity on use), so a list changed in
 * place would get a new key rather than a stale parse.
 */
const templateKeys = new WeakMap<readonly ChartFile[], { key: string; files: readonly ChartFile[] }>();
let nextTemplateKey = 0;

function templatesKey(files: readonly ChartFile[]): string {
  const hit = templateKeys.get(files);
  if (hit !== undefined && hit.files.length === files.length && hit.files.every((f, i) => f === files[i])) return hit.key;
  const key = `t${++nextTemplateKey}`;
  templateKeys.set(files, { key, files: [...files] });
  return key;
}

/**
 * Frees what the render cache keeps for `chart` (its parsed templates), for a caller that will not render it again:
 * a process rendering many different charts (a state file's releases) would otherwise keep every chart's trees.
 * A later render of the chart parses it again.
 */
export function forgetChart(chart: Chart): void {
  const hit = templateKeys.get(chart.templates);
  if (hit !== undefined) forgetParsedTemplates(hit.key);
}

/** The engine's view of a processed chart tree: templates, .Chart, .Files and each chart's .Values. */
export function chartNode(chart: Chart, values: Map<Chart, GoMap>): ChartNode {
  return {
    templatesKey: templatesKey(chart.templates),
    fullPath: chart.fullPath,
    name: chart.name,
    isLibrary: chart.isLibrary,
    templates: templateTexts(chart.templates),
    chartMap: chartOf(chart),
    files: newFiles(chart.files),
    values: values.get(chart) ?? null,
    children: chart.dependencies.map((d) => chartNode(d, values)),
  };
}

/** Renders a release of `chart` with the user's values (Helm 4.1's install/template semantics, no cluster). */
export function renderChart(chart: Chart, userValues: GoMap, opts: RenderOptions): RenderedRelease {
  validateReleaseName(opts.releaseName);
  const type = chart.metadata.type;
  if (type !== '' && type !== 'application') throw new RenderError(`${type} charts are not installable`, 'Chart.yaml');
  const capabilities = new Capabilities({ kubeVersion: opts.kubeVersion, apiVersions: opts.apiVersions });
  const rv = toRenderValues(chart, userValues, { skipSchemaValidation: opts.skipSchemaValidation, warn: opts.warn });
  // The chart's kubeVersion constraint against .Capabilities.KubeVersion, as helm checks it before rendering: the top
  // chart's only, against the version without its pre-release part (v1.31.2-eks-1 meets ">=1.20.0"); a constraint
  // that does not parse is never met.
  // From here on helm has made the release, and a failure leaves it with what was rendered (see partialManifest).
  let rendered: Map<string, string> | undefined;
  let notes = '';
  let sorted: { manifests: Manifest[]; hooks: Hook[] };
  try {
    const required = rv.chart.metadata.kubeVersion;
    if (required && !isCompatibleRange(required, capabilities.kubeVersion.normalized)) {
      throw new RenderError(`chart requires kubeVersion: ${required} which is incompatible with Kubernetes ${capabilities.kubeVersion.version}`, 'Chart.yaml');
    }
    rendered = renderTree(chartNode(rv.chart, rv.chartValues), {
      release: releaseMap({ name: opts.releaseName, namespace: opts.namespace, revision: opts.revision, isUpgrade: opts.isUpgrade }),
      capabilities,
      lookup: opts.lookup,
      hostByName: opts.hostByName,
    });
    // As helm: any file whose name ends in NOTES.txt is a note, never a manifest. Helm joins several notes walking a
    // Go map, so their order varies from run to run in helm; bosun puts the root chart's first, then the others in
    // render order.
    const notesKey = `${rv.chart.name}/templates/NOTES.txt`;
    const noteTexts: string[] = [];
    for (const key of [...rendered.keys()]) {
      if (!key.endsWith('NOTES.txt')) continue;
      if (key === notesKey) noteTexts.unshift(rendered.get(key)!);
      else if (opts.subchartNotes) noteTexts.push(rendered.get(key)!);
      rendered.delete(key);
    }
    notes = noteTexts.join('\n');
    sorted = sortManifests(rendered);
  } catch (e) {
    if (e instanceof Error) partialManifests.set(e, rendered ? renderedBlob(rendered) : '');
    throw e;
  }
  const { manifests, hooks } = sorted;
  const crds = rv.chart.crdObjects().map((c) => crdFile(c.filename, c.file.data));
  return { chart: rv.chart, values: rv.values, manifests, hooks, notes, crds, warnings: rv.warnings };
}

const partialManifests = new WeakMap<Error, string>();

/**
 * For an error renderChart threw once the release existed (the chart's kubeVersion refused, a template failed, a
 * manifest did not parse), the manifest helm keeps on the failed release: every rendered file, as `helm template
 * --debug` prints it, trimmed ('' when the failure came before any file). Undefined for earlier errors (values, schema).
 */
export function partialManifest(e: unknown): string | undefined {
  return e instanceof Error ? partialManifests.get(e) : undefined;
}

/** Each non-blank rendered file as `---`, its `# Source:` line and its text (helm's blob for a manifest that did not parse), trimmed. */
function renderedBlob(rendered: ReadonlyMap<string, string>): string {
  let out = '';
  for (const [path, text] of [...rendered].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (path.slice(path.lastIndexOf('/') + 1).startsWith('_') || goTrimSpace(text) === '') continue;
    out += `---\n# Source: ${path}\n${text}\n`;
  }
  return goTrimSpace(out);
}

const crdTexts = new WeakMap<Uint8Array, string>();

/**
 * A CRD file whose text is decoded when first read, once per chart file: most renders never print or install CRDs,
 * and a cached chart (kube-prometheus-stack carries 4.6 MB of them) is rendered again for every release using it.
 */
function crdFile(path: string, bytes: Uint8Array): CrdFile {
  return {
    path,
    get data(): string {
      let text = crdTexts.get(bytes);
      if (text === undefined) crdTexts.set(bytes, (text = new TextDecoder().decode(bytes)));
      return text;
    },
  };
}

const revisionSensitive = new WeakMap<Chart, boolean>();

/**
 * Whether a chart's output may depend on the release's history: a template of it or of a subchart names
 * .Release.Revision, .IsUpgrade or .IsInstall, or hands .Release on whole (`toYaml .Release`, `index . "Release"`).
 * A fleet diff renders such a chart again as the upgrade it plans; any other chart renders the same either way.
 */
export function dependsOnRevision(chart: Chart): boolean {
  let v = revisionSensitive.get(chart);
  if (v === undefined) {
    v = chart.templates.some((t) => /Revision|IsUpgrade|IsInstall|"Release"|\.Release(?![.\w])/.test(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('latin1'))) || chart.dependencies.some(dependsOnRevision);
    revisionSensitive.set(chart, v);
  }
  return v;
}

export interface TemplateChartOptions extends Omit<RenderOptions, 'releaseName'>, ValueOptions {
  /** Chart directory or .tgz. */
  readonly chart: string;
  readonly releaseName?: string;
  readonly includeCrds?: boolean;
  readonly skipCrds?: boolean;
  readonly noHooks?: boolean;
  readonly skipTests?: boolean;
  readonly showOnly?: readonly string[];
}

/**
 * Loads the chart a release is installed from, with helm's checks for a local path: the path must exist and every
 * dependency Chart.yaml lists must be present in charts/.
 */
export async function loadReleaseChart(path: string, opts: { readOnUse?: boolean } = {}): Promise<Chart> {
  if (!existsSync(path)) throw new RenderError(`path "${path}" not found`, path);
  const chart = await loadChart(path, { readOnUse: opts.readOnUse });
  checkDependencies(chart);
  return chart;
}

/** `helm template` in one call: load, values, render, format. Returns the exact text helm prints on stdout. */
export async function templateChart(opts: TemplateChartOptions): Promise<string> {
  const chart = await loadReleaseChart(opts.chart, { readOnUse: true });
  const userValues = mergeUserValues(opts);
  const r = renderChart(chart, userValues, { ...opts, releaseName: opts.releaseName ?? 'release-name' });
  return formatTemplateOutput(r.manifests, r.hooks, {
    crds: r.crds,
    includeCrds: opts.includeCrds && !opts.skipCrds,
    noHooks: opts.noHooks,
    skipTests: opts.skipTests,
    showOnly: opts.showOnly,
  });
}
