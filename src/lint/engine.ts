// Helm's template engine in lint mode (engine.Engine{LintMode: true}), for `bosun lint`:
//   - `required` with a missing value logs a warning and yields "" instead of failing;
//   - `fail` logs its message and yields "" instead of failing;
//   - the release is `test-release`, not installed yet: .Release.IsInstall false, .Release.Revision 0.
// Errors are worded as Helm 4 words them: parse errors `parse error at (file:line): msg`, and execution errors
// that are chains of template errors (include inside include ...) laid out one location per block:
//
//   chart/templates/a.yaml:6:5
//     executing "chart/templates/a.yaml" at <include "x" .>:
//       error calling include:
//   chart/templates/_helpers.tpl:2:8
//     executing "x" at <.a.b>:
//       nil pointer evaluating interface {}.b
//
// while any other execution error keeps Go's one-line text.
import { newFiles, type Chart } from '../chart/index.js';
import { Template, ParseError, ExecError, TemplateError, quote } from '../template/index.js';
import { helmFuncMap, bindRenderFuncs } from '../template/funcs/index.js';
import { gofn, goInt, newMap, type GoMap, type GoValue } from '../template/value.js';
import { goQuote } from '../chart/metadata.js';
import { chartOf, releaseMap } from '../render/context.js';
import type { Capabilities } from '../render/index.js';

const VALUES_TYPE = 'common.Values';

interface Renderable {
  readonly text: string;
  readonly context: GoMap;
  readonly basePath: string;
}

/** A slog text-handler value: quoted when it needs to be. */
function slogValue(v: string): string {
  return v === '' || /[\s"=\\]|[^\x21-\x7e]/u.test(v) ? goQuote(v) : v;
}

export interface LintRenderOptions {
  readonly namespace: string;
  readonly capabilities: Capabilities;
  /** The coalesced values of every chart of the processed tree. */
  readonly values: Map<Chart, GoMap>;
  /** Receives helm's log lines (`level=WARN msg=...`) for required/fail in lint mode. */
  readonly log?: (line: string) => void;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Helm's parse order: deeper paths first; equal depth in reverse byte order. */
function parseOrder(keys: Iterable<string>): string[] {
  const depth = (s: string) => s.split('/').length;
  return [...keys].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

/** A template failure, already worded as helm lint prints it after `[ERROR] templates/: `. */
export class LintRenderError extends Error {}

interface TraceEntry {
  location: string;
  executed: string;
  message: string;
}

/**
 * Helm 4's rewording of an execution error: when every error of the chain is a located template error (the
 * chain continues only through `error calling F:` wrappers), one block per location; otherwise undefined.
 */
export function traceExecError(e: ExecError): string | undefined {
  const entries: TraceEntry[] = [];
  let cur: unknown = e;
  for (;;) {
    if (!(cur instanceof ExecError) || cur.context === '' || cur.line === 0) return undefined;
    let message = cur.detail;
    const next: unknown = cur.funcName !== undefined ? cur.cause : undefined;
    if (cur.funcName !== undefined) {
      if (!(next instanceof ExecError)) return undefined;
      const tail = ' ' + next.message;
      if (message.endsWith(tail)) message = message.slice(0, -tail.length);
    }
    entries.push({ location: `${cur.templateName}:${cur.line}:${cur.col}`, executed: `executing ${quote(cur.executing)} at <${cur.context}>:`, message });
    if (cur.funcName === undefined) break;
    cur = next;
  }
  const text = entries.map((t) => `${t.location}\n  ${t.executed}\n    ${t.message}\n`).join('');
  return text.trim();
}

function wrapError(e: unknown, key: string): LintRenderError {
  if (e instanceof ParseError) return new LintRenderError(`parse error at (${e.templateName}:${e.line}): ${e.detail}`, { cause: e });
  if (e instanceof ExecError) return new LintRenderError(traceExecError(e) ?? e.message, { cause: e });
  if (e instanceof TemplateError) return new LintRenderError(e.message, { cause: e });
  return new LintRenderError(`rendering template failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e ?? key });
}

/**
 * Renders every template of the processed chart tree in lint mode. Returns the rendered text per template key
 * (`chart/templates/x.yaml`, partials excluded, `<no value>` removed); throws LintRenderError.
 */
export function renderForLint(root: Chart, opts: LintRenderOptions): Map<string, string> {
  const release = releaseMap({ name: 'test-release', namespace: opts.namespace, revision: 0 });
  release.IsInstall = false;
  release.Revision = goInt(0);
  const renderables = new Map<string, Renderable>();
  const collect = (c: Chart): GoMap => {
    const context = newMap(VALUES_TYPE);
    context.Chart = chartOf(c);
    context.Files = newFiles(c.files);
    context.Release = release;
    context.Capabilities = opts.capabilities as unknown as GoValue;
    context.Values = opts.values.get(c) ?? newMap(VALUES_TYPE);
    const subcharts = newMap();
    context.Subcharts = subcharts;
    for (const d of c.dependencies) subcharts[d.name] = collect(d);
    const decoder = new TextDecoder();
    for (const t of c.templates) {
      if (c.isLibrary && !baseName(t.name).startsWith('_')) continue;
      renderables.set(`${c.fullPath}/${t.name}`, { text: decoder.decode(t.data), context, basePath: `${c.fullPath}/templates` });
    }
    return context;
  };
  collect(root);

  const set = new Template('gotpl', { funcs: helmFuncMap(), missingKey: 'zero' });
  bindRenderFuncs(set, {});
  const log = opts.log ?? (() => {});
  set.funcs.required = gofn(['string', 'any'], (warn: string, v: GoValue) => {
    // helm logs a nil value and an empty string with slightly different words.
    if (v === null || v === '') {
      log(`level=WARN msg="missing required ${v === null ? 'value' : 'values'}" message=${slogValue(warn)}`);
      return '';
    }
    return v;
  });
  set.funcs.fail = gofn(['string'], (msg: string): GoValue => {
    log(`level=INFO msg="funcMap fail" message=${slogValue(msg)}`);
    return '';
  });

  const order = parseOrder(renderables.keys());
  for (const key of order) {
    try {
      set.parse(key, renderables.get(key)!.text);
    } catch (e) {
      throw wrapError(e, key);
    }
  }
  const out = new Map<string, string>();
  for (const key of order) {
    if (baseName(key).startsWith('_')) continue;
    const r = renderables.get(key)!;
    const tmpl = newMap(VALUES_TYPE);
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
