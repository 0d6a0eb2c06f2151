// Chart loading: every source (directory, .tgz file, archive bytes, in-memory files) becomes a list of files that
// `loadFiles` classifies in one place, as Helm's pkg/chart/v2/loader LoadFiles does.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareGoStrings, type GoValue } from '../template/value.js';
import { parseYaml } from '../yaml/index.js';
import { Chart, contentIdentity, renamedFile, type ChartFile } from './chart.js';
import { ChartError } from './errors.js';
import { readArchiveFiles, ensureArchive, type ArchiveLimits } from './archive.js';
import { readDirectoryFilesSync, type DirectoryOptions } from './directory.js';
import {
  API_VERSION_V1,
  type Lock,
  type Metadata,
  applyMetadata,
  decodeLock,
  emptyMetadata,
  validateMetadata,
  goQuote,
} from './metadata.js';
import { loadValues, ValuesFileError } from './values-file.js';

export interface LoadOptions extends ArchiveLimits, DirectoryOptions {
  /** Receives Helm's non-fatal loader warnings (requirements.yaml in a v2 chart, deprecated chart ...). */
  warn?: (message: string) => void;
}

const decoder = new TextDecoder('utf-8');

function text(f: ChartFile): string {
  return decoder.decode(f.data);
}

function parseYamlFile(f: ChartFile, file: string): GoValue {
  try {
    return parseYaml(text(f));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ChartError(`cannot load ${f.name}: ${msg}`, file, undefined, { cause: e });
  }
}

function extname(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const i = base.lastIndexOf('.');
  return i < 0 ? '' : base.slice(i);
}

/**
 * Builds a chart from its files (Helm's LoadFiles). Paths are chart-relative with '/'; `where` prefixes file names
 * in errors (e.g. 'charts/sub/'). Subcharts under charts/ (directories or .tgz) load recursively.
 */
export function loadFiles(files: readonly ChartFile[], opts: LoadOptions = {}, where = ''): Chart {
  let metadata: Metadata | undefined;
  for (const f of files) {
    if (f.name === 'Chart.yaml') {
      metadata = applyMetadata(metadata ?? emptyMetadata(), parseYamlFile(f, where + f.name), where + f.name);
      if (metadata.apiVersion === '') metadata.apiVersion = API_VERSION_V1;
    }
  }

  let lock: Lock | null = null;
  let values: Chart['values'] | undefined;
  let rawValues: Uint8Array | null = null;
  let schema: Uint8Array | null = null;
  const templates: ChartFile[] = [];
  const other: ChartFile[] = [];
  const subcharts = new Map<string, ChartFile[]>();

  for (const f of files) {
    const file = where + f.name;
    if (f.name === 'Chart.yaml') continue;
    if (f.name === 'Chart.lock') {
      lock = decodeLock(parseYamlFile(f, file), file);
    } else if (f.name === 'values.yaml') {
      try {
        values = loadValues(text(f));
      } catch (e) {
        if (e instanceof ValuesFileError) {
          const at = e.line !== undefined ? `${file}:${e.line}` : file;
          throw new ChartError(`cannot load values.yaml: ${e.message}`, at, undefined, { cause: e });
        }
        throw e;
      }
      rawValues = f.data;
    } else if (f.name === 'values.schema.json') {
      schema = f.data;
    } else if (f.name === 'requirements.yaml') {
      metadata ??= emptyMetadata();
      if (metadata.apiVersion !== API_VERSION_V1) {
        opts.warn?.('Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". We recommend migrating dependencies to Chart.yaml.');
      }
      metadata = applyMetadata(metadata, parseYamlFile(f, file), file);
      if (metadata.apiVersion === API_VERSION_V1) other.push(f);
    } else if (f.name === 'requirements.lock') {
      lock = decodeLock(parseYamlFile(f, file), file);
      metadata ??= emptyMetadata();
      if (metadata.apiVersion !== API_VERSION_V1) {
        opts.warn?.('Warning: Dependency locking is handled in Chart.lock since apiVersion "v2". We recommend migrating to Chart.lock.');
      }
      if (metadata.apiVersion === API_VERSION_V1) other.push(f);
    } else if (f.name.startsWith('templates/')) {
      templates.push(f);
    } else if (f.name.startsWith('charts/')) {
      if (extname(f.name) === '.prov') {
        other.push(f);
        continue;
      }
      const rest = f.name.slice('charts/'.length);
      const cname = rest.split('/', 1)[0]!;
      let list = subcharts.get(cname);
      if (!list) subcharts.set(cname, (list = []));
      list.push(renamedFile(f, rest));
    } else {
      other.push(f);
    }
  }

  if (metadata === undefined) throw new ChartError('Chart.yaml file is missing', where + 'Chart.yaml');
  metadata = validateMetadata(metadata, where + 'Chart.yaml');

  const chart = new Chart({ metadata, lock, templates, values, rawValues, schema, files: other, raw: [...files] });

  // Go iterates a map here (random order); sorting the names makes the result deterministic.
  for (const n of [...subcharts.keys()].sort(compareGoStrings)) {
    if (n.startsWith('_') || n.startsWith('.')) continue;
    const list = subcharts.get(n)!;
    const subWhere = `${where}charts/${n}`;
    let sub: Chart;
    try {
      if (extname(n) === '.tgz') {
        const file = list[0]!;
        if (file.name !== n) {
          throw new ChartError(`error unpacking subchart tar in ${chart.name}: expected ${n}, got ${file.name}`, subWhere);
        }
        let subFiles: ChartFile[];
        try {
          subFiles = readArchiveFiles(file.data, opts);
        } catch (e) {
          if (e instanceof ChartError) throw new ChartError(e.helmMessage, e.file ? `${subWhere}:${e.file}` : subWhere, e.detail, { cause: e });
          throw e;
        }
        sub = loadFiles(subFiles, opts, `${subWhere}/`);
      } else {
        const buff: ChartFile[] = [];
        for (const f of list) {
          const i = f.name.indexOf('/');
          if (i < 0) continue;
          buff.push(renamedFile(f, f.name.slice(i + 1)));
        }
        sub = loadFiles(buff, opts, `${subWhere}/`);
      }
    } catch (e) {
      if (e instanceof ChartError && e.helmMessage.startsWith('error unpacking subchart tar')) throw e;
      const inner = e instanceof ChartError ? e : new ChartError(e instanceof Error ? e.message : String(e), subWhere);
      throw new ChartError(`error unpacking subchart ${n} in ${chart.name}: ${inner.helmMessage}`, inner.file ?? subWhere, inner.detail, {
        cause: e,
      });
    }
    chart.addDependency(sub);
  }
  if (chart.metadata.deprecated && where === '') opts.warn?.('this chart is deprecated');
  return chart;
}

/** Loads a chart from .tgz bytes (Helm's LoadArchive; used for subcharts and streams). */
export function loadArchive(data: Uint8Array, opts: LoadOptions = {}): Chart {
  return loadFiles(readArchiveFiles(data, opts), opts);
}

// ---------------------------------------------------------------------------------------------------------------
// Top-level sources: Helm 4 first reads Chart.yaml to pick the chart API version (v1/v2 load; v3 is gated off).

function checkApiVersion(chartYaml: ChartFile, file: string): void {
  const doc = parseYamlFile(chartYaml, file);
  const md = applyMetadata(emptyMetadata(), doc, file);
  switch (md.apiVersion) {
    case '':
    case 'v1':
    case 'v2':
      return;
    case 'v3':
      throw new ChartError('invalid chart apiVersion', file);
    default:
      throw new ChartError('unsupported chart version', file);
  }
}

function loadArchiveFile(path: string, data: Uint8Array, opts: LoadOptions): Chart {
  ensureArchive(path, data);
  let files: ChartFile[];
  try {
    files = readArchiveFiles(data, opts);
  } catch (e) {
    const inner = e instanceof ChartError ? e : undefined;
    if (inner?.helmMessage === 'gzip: invalid header') {
      throw new ChartError(`file '${path}' does not appear to be a valid chart file (details: ${inner.helmMessage})`, path);
    }
    // Helm hides the reason here; keep it as the detail.
    throw new ChartError('unable to load chart archive', inner?.file ? `${path}:${inner.file}` : path, inner?.helmMessage ?? String(e), {
      cause: e,
    });
  }
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (!chartYaml) throw new ChartError('unable to detect chart version, no Chart.yaml found', path);
  checkApiVersion(chartYaml, `${path}:Chart.yaml`);
  return loadFiles(files, opts);
}

/** helm's message for a chart path that does not exist (LocateChart). */
function notFound(path: string, e: unknown): ChartError {
  return new ChartError(`path ${goQuote(path)} not found`, path, (e as Error).message, { cause: e });
}

function chartYamlMissing(dir: string, e: unknown): ChartError {
  const p = resolve(dir, 'Chart.yaml');
  const code = (e as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
  return new ChartError(`unable to detect chart at ${p}: open ${p}: ${why}`, 'Chart.yaml');
}

// ---------------------------------------------------------------------------------------------------------------
// Loaded charts are reused within a process while their sources are unchanged: a directory chart when its walk
// yields the same files with the same contents (file contents are cached by stat signature, see directory.ts), an
// archive when its bytes are the same. Charts are immutable once loaded (see chart.ts), so one load can serve any
// number of renders. The loader's warnings are recorded and replayed on reuse. Each load returns its own copy of
// the tree's Chart objects (sharing files, values and metadata), so a caller that replaces a field of its chart
// (as packaging replaces the metadata) does not change what the next load returns.

interface CachedChart {
  readonly files: readonly ChartFile[];
  readonly chart: Chart;
  readonly warnings: readonly string[];
}
const chartCache = new Map<string, CachedChart>();
const CHART_CACHE_LIMIT = 64;

/**
 * Same names and the very same contents: the directory walk hands out the same buffer, or the same lazy source, for
 * a file it saw unchanged, so identity stands for content and nothing is read to compare.
 */
function sameFiles(a: readonly ChartFile[], b: readonly ChartFile[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name || contentIdentity(a[i]!) !== contentIdentity(b[i]!)) return false;
  return true;
}

function cacheKey(kind: string, path: string, opts: LoadOptions): string {
  return `${kind}\0${resolve(path)}\0${opts.maxFileSize ?? ''}\0${opts.maxChartSize ?? ''}`;
}

/** New Chart objects for the whole tree, sharing everything they hold. */
function cloneTree(c: Chart): Chart {
  const out = c.shallowCopy();
  out.setDependencies(c.dependencies.map(cloneTree));
  return out;
}

function loadCached(key: string, files: ChartFile[], same: (a: readonly ChartFile[], b: readonly ChartFile[]) => boolean, opts: LoadOptions, load: (o: LoadOptions) => Chart): Chart {
  const hit = chartCache.get(key);
  if (hit !== undefined && same(hit.files, files)) {
    chartCache.delete(key);
    chartCache.set(key, hit);
    for (const w of hit.warnings) opts.warn?.(w);
    return cloneTree(hit.chart);
  }
  const warnings: string[] = [];
  const chart = load({
    ...opts,
    warn: (m) => {
      warnings.push(m);
      opts.warn?.(m);
    },
  });
  chartCache.delete(key);
  chartCache.set(key, { files, chart, warnings });
  if (chartCache.size > CHART_CACHE_LIMIT) chartCache.delete(chartCache.keys().next().value!);
  return cloneTree(chart);
}

function loadArchiveFileCached(path: string, data: Uint8Array, opts: LoadOptions): Chart {
  const file: ChartFile[] = [{ name: '', data }];
  const same = (a: readonly ChartFile[], b: readonly ChartFile[]) => a[0]!.data.length === b[0]!.data.length && Buffer.compare(a[0]!.data, b[0]!.data) === 0;
  return loadCached(cacheKey('tgz', path, opts), file, same, opts, (o) => loadArchiveFile(path, data, o));
}

function loadDirectory(dir: string, chartYaml: Uint8Array, opts: LoadOptions): Chart {
  checkApiVersion({ name: 'Chart.yaml', data: chartYaml }, 'Chart.yaml');
  const files = readDirectoryFilesSync(dir, opts);
  return loadCached(cacheKey('dir', dir, opts), files, sameFiles, opts, (o) => loadFiles(files, o));
}

/** Loads a chart from a directory or a .tgz file, synchronously. */
export function loadChartSync(pathOrTgz: string, opts: LoadOptions = {}): Chart {
  let st;
  try {
    st = statSync(pathOrTgz);
  } catch (e) {
    throw notFound(pathOrTgz, e);
  }
  if (!st.isDirectory()) return loadArchiveFileCached(pathOrTgz, readFileSync(pathOrTgz), opts);
  let chartYaml: Buffer;
  try {
    chartYaml = readFileSync(resolve(pathOrTgz, 'Chart.yaml'));
  } catch (e) {
    throw chartYamlMissing(pathOrTgz, e);
  }
  return loadDirectory(pathOrTgz, chartYaml, opts);
}

/**
 * Loads a chart from a directory or a .tgz file. The work is done synchronously (a chart is many small files, and
 * one promise per file system call cost more than the calls themselves); the promise is kept for the API.
 */
export async function loadChart(pathOrTgz: string, opts: LoadOptions = {}): Promise<Chart> {
  return loadChartSync(pathOrTgz, opts);
}

/** Loads a chart from an in-memory map of chart-relative paths to contents (tests, generated charts). */
export function loadFromMemory(files: Iterable<[string, string | Uint8Array]>, opts: LoadOptions = {}): Chart {
  const list: ChartFile[] = [];
  const enc = new TextEncoder();
  for (const [name, content] of files) list.push({ name, data: typeof content === 'string' ? enc.encode(content) : content });
  list.sort((a, b) => compareWalkOrder(a.name, b.name));
  return loadFiles(list, opts);
}

/** The order of Helm's directory walk: path segments compared one by one, each in Go string order. */
export function compareWalkOrder(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const d = compareGoStrings(sa[i]!, sb[i]!);
    if (d !== 0) return d;
  }
  return sa.length - sb.length;
}
