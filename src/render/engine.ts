// Helm's template engine step: every template of a chart tree parsed into one set, every non-partial file executed
// with its chart's context, `<no value>` removed from the output. Knows nothing of archives or values files: the
// caller hands it a ChartNode tree whose values are already coalesced.
import { Template, ParseError, ExecError, TemplateError, quote } from '../template/index.js';
import { helmFuncMap, bindRenderFuncs, TemplateFailError, type RenderFuncOptions } from '../template/funcs/index.js';
import { newMap, type GoMap, type GoValue } from '../template/value.js';
import { asUntypedMap } from '../template/funcs/dicts.js';

/** One chart of the tree as the engine needs it. */
export interface ChartNode {
  /** The parse cache key of `templates`: equal keys, equal template files (names and contents). */
  readonly templatesKey: string;
  /** Helm's ChartFullPath: `root`, `root/charts/sub`, ... (aliases applied). */
  readonly fullPath: string;
  /** The name under which the parent sees this chart's values and .Subcharts entry (alias applied). */
  readonly name: string;
  readonly isLibrary: boolean;
  /** Template files relative to the chart, e.g. `templates/deploy.yaml`. */
  readonly templates: readonly { readonly name: string; readonly data: string }[];
  /** `.Chart` as Helm 4 shows it. */
  readonly chartMap: GoValue;
  /** `.Files`. */
  readonly files: GoValue;
  /** `.Values` of this chart (coalesced; subcharts see their parent's `Values.<name>`). */
  readonly values: GoValue;
  readonly children: readonly ChartNode[];
}

export interface EngineOptions extends RenderFuncOptions {
  /** Last say over the functions of this render's set (helm lint's lint mode rebinds required and fail). */
  readonly bind?: (set: Template) => void;
  /** `.Release` */
  readonly release: GoValue;
  /** `.Capabilities` */
  readonly capabilities: GoValue;
}

/** A template that failed to parse or execute, with Helm's wording and the file it happened in. */
export class RenderError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface Renderable {
  readonly text: string;
  readonly context: GoMap;
  readonly basePath: string;
}

const VALUES_TYPE = 'common.Values';

function valuesMap(): GoMap {
  return newMap(VALUES_TYPE);
}

/** Collects templates depth-first, building each chart's context as Helm's recAllTpls does. */
function collect(node: ChartNode, opts: EngineOptions, into: Map<string, Renderable>): GoMap {
  const subcharts = newMap();
  const context = valuesMap();
  context.Chart = node.chartMap;
  context.Files = node.files;
  context.Release = opts.release;
  context.Capabilities = opts.capabilities;
  context.Values = node.values ?? valuesMap();
  context.Subcharts = subcharts;
  // Helm keeps each subchart's context as map[string]interface {} under .Subcharts (the same map its templates see
  // as common.Values).
  for (const child of node.children) subcharts[child.name] = asUntypedMap(collect(child, opts, into));
  const basePath = `${node.fullPath}/templates`;
  for (const t of node.templates) {
    // Library charts contribute only their partials.
    if (node.isLibrary && !baseName(t.name).startsWith('_')) continue;
    into.set(`${node.fullPath}/${t.name}`, { text: t.data, context, basePath });
  }
  return context;
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** Helm's parse order: deepest paths first; equal depth in reverse byte order (so shallower defines win). */
function parseOrder(keys: Iterable<string>): string[] {
  const depths = new Map<string, number>();
  for (const k of keys) {
    let d = 1;
    for (let i = k.indexOf('/'); i >= 0; i = k.indexOf('/', i + 1)) d++;
    depths.set(k, d);
  }
  return [...depths.keys()].sort((a, b) => {
    const da = depths.get(a)!;
    const db = depths.get(b)!;
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

/**
 * Parsed template sets, so that a chart rendered for many releases (fifteen regions) is parsed once: by the root
 * chart's template list (its templatesKey), then by the whole tree's keys and parse order (conditions can leave out
 * subcharts). Parsed trees are immutable; each render executes a clone with its own bound functions. A caller done
 * with a chart drops its sets with forgetParsedTemplates: keeping the trees of charts that will not be rendered
 * again made every later scavenge slower (whole corpus in one process: ~210 ms of scavenges against ~120 ms).
 */
const parseCache = new Map<string, Map<string, Template>>();
/** Root charts whose sets are kept (least recently used dropped first). */
const PARSE_CACHE_CHARTS = 64;
/** Tree variants kept per root chart. */
const PARSE_CACHE_VARIANTS = 8;

function treeKey(node: ChartNode): string {
  let key = node.templatesKey;
  for (const c of node.children) key += `(${treeKey(c)})`;
  return key;
}

function parsedSet(root: ChartNode, renderables: Map<string, Renderable>, order: readonly string[]): Template {
  const key = `${treeKey(root)}\n${order.join('\n')}`;
  let variants = parseCache.get(root.templatesKey);
  if (variants !== undefined) {
    // Refresh the chart's place: the map's order is the eviction order.
    parseCache.delete(root.templatesKey);
    parseCache.set(root.templatesKey, variants);
    const cached = variants.get(key);
    if (cached !== undefined) return cached;
  }
  const set = new Template('gotpl', { funcs: helmFuncMap(), missingKey: 'zero' });
  for (const name of order) {
    try {
      set.parse(name, renderables.get(name)!.text);
    } catch (e) {
      throw wrapError(e, name);
    }
  }
  if (variants === undefined) {
    variants = new Map();
    parseCache.set(root.templatesKey, variants);
    if (parseCache.size > PARSE_CACHE_CHARTS) parseCache.delete(parseCache.keys().next().value!);
  }
  variants.set(key, set);
  if (variants.size > PARSE_CACHE_VARIANTS) variants.delete(variants.keys().next().value!);
  return set;
}

/** Drops the parsed sets of the charts whose root template list has this key (see ChartNode.templatesKey). */
export function forgetParsedTemplates(templatesKey: string): void {
  parseCache.delete(templatesKey);
}

/** How many root charts have parsed sets kept (for tests). */
export function parsedTemplateCharts(): number {
  return parseCache.size;
}

/**
 * Renders every template of the tree. Returns rendered text per template key (`root/templates/x.yaml`), partials
 * excluded, `<no value>` removed. Throws RenderError naming the template.
 */
export function renderTree(root: ChartNode, opts: EngineOptions): Map<string, string> {
  const renderables = new Map<string, Renderable>();
  collect(root, opts, renderables);
  const order = parseOrder(renderables.keys());
  const set = parsedSet(root, renderables, order).clone();
  bindRenderFuncs(set, opts);
  opts.bind?.(set);
  const out = new Map<string, string>();
  for (const key of order) {
    if (baseName(key).startsWith('_')) continue;
    const r = renderables.get(key)!;
    const tmpl = valuesMap();
    tmpl.Name = key;
    tmpl.BasePath = r.basePath;
    r.context.Template = tmpl;
    try {
      out.set(key, set.execute(key, r.context).replaceAll('<no value>', ''));
    } catch (e) {
      throw wrapError(e, key);
    }
  }
  return out;
}

/** Formats engine errors the way helm prints them (structured errors in, one message out). */
function wrapError(e: unknown, key: string): RenderError {
  if (e instanceof ParseError) {
    return new RenderError(`parse error at (${e.templateName}:${e.line}): ${e.detail}`, e.templateName, { cause: e });
  }
  const fail = findCause(e, TemplateFailError);
  if (fail && e instanceof ExecError) {
    return new RenderError(`execution error at (${e.templateName}:${e.line}:${e.col}): ${fail.message}`, e.templateName, { cause: e });
  }
  if (e instanceof ExecError) return new RenderError(traceExecError(e) ?? e.message, e.templateName, { cause: e });
  if (e instanceof TemplateError) return new RenderError(e.message, e.templateName, { cause: e });
  return new RenderError(e instanceof Error ? e.message : String(e), key, { cause: e });
}

/**
 * Helm 4's layout of an execution error whose chain is template errors all the way down (linked only by
 * `error calling F:` wrappers): one block per location, outermost first —
 *
 *   chart/templates/a.yaml:6:5
 *     executing "chart/templates/a.yaml" at <include "x" .>:
 *       error calling include:
 *   chart/templates/_helpers.tpl:2:8
 *     executing "x" at <.a.b>:
 *       nil pointer evaluating interface {}.b
 *
 * Any other chain keeps Go's one-line text (undefined here).
 */
export function traceExecError(e: ExecError): string | undefined {
  const blocks: string[] = [];
  let cur: unknown = e;
  for (;;) {
    if (!(cur instanceof ExecError)) return undefined;
    if (cur.context === '' || cur.line === 0) {
      // A located chain may end in an error with no position (e.g. include of an undefined name): helm closes the
      // trace with Go's message minus the template-set name.
      if (blocks.length === 0) return undefined;
      blocks.push(`template: ${cur.detail}\n`);
      break;
    }
    let message = cur.detail;
    const next: unknown = cur.funcName !== undefined ? cur.cause : undefined;
    if (cur.funcName !== undefined) {
      if (!(next instanceof ExecError)) return undefined;
      const tail = ' ' + next.message;
      if (message.endsWith(tail)) message = message.slice(0, -tail.length);
    }
    blocks.push(`${cur.templateName}:${cur.line}:${cur.col}\n  executing ${quote(cur.executing)} at <${cur.context}>:\n    ${message}\n`);
    if (cur.funcName === undefined) break;
    cur = next;
  }
  return blocks.join('').trim();
}

function findCause<T extends Error>(e: unknown, cls: new (...a: never[]) => T): T | undefined {
  for (let cur: unknown = e, i = 0; cur instanceof Error && i < 100; cur = cur.cause, i++) {
    if (cur instanceof cls) return cur;
  }
  return undefined;
}
