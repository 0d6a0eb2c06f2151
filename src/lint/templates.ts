// The templates rule (helm's rules.Templates): templates/ must exist (WARNING otherwise) and be a directory; the
// chart is loaded and rendered in lint mode with release `test-release`; then every template of the chart itself
// (not of its subcharts) is checked: its extension, and for YAML files the rendered text — no indented first line,
// every document decodes, object names fit their kind, no deprecated APIs, workload selectors, List annotations.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ChartError } from '../chart/errors.js';
import type { Chart } from '../chart/index.js';
import { Capabilities } from '../render/index.js';
import { SchemaValidationError, coalesceValues, processDependencies, toRenderValues } from '../values/index.js';
import { isMap, type GoMap, type GoValue } from '../template/value.js';
import { goQuote } from '../chart/metadata.js';
import { parseYaml } from '../yaml/index.js';
import { Severity, type Linter } from './support.js';
import { renderForLint, LintRenderError } from './engine.js';
import { decodeDocuments, metadataNameProblem, type K8sObject } from './k8s.js';
import { deprecationWarning } from './deprecations.js';

const DIR = 'templates/';

export interface TemplateLintOptions {
  readonly namespace: string;
  /** --kube-version as given (validated by the caller); undefined for helm's default. */
  readonly kubeVersion?: string;
  /** Major and minor of --kube-version, for the deprecation check. */
  readonly kubeMajorMinor?: readonly [number, number];
  readonly skipSchemaValidation?: boolean;
  readonly log?: (line: string) => void;
  /** Loads the chart as helm's v2 loader does (shared by the rules of one lint). */
  readonly load: () => Promise<Chart>;
}

function extname(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const i = base.lastIndexOf('.');
  return i < 0 ? '' : base.slice(i);
}

function checkExtension(name: string): string | undefined {
  const ext = extname(name);
  if (['.yaml', '.yml', '.tpl', '.txt'].includes(ext)) return undefined;
  return `file extension '${ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt`;
}

/** Go's strings.TrimSpace emptiness. */
function isBlank(s: string): boolean {
  return /^[\s\u0085]*$/u.test(s);
}

function checkTopIndent(content: string): string | undefined {
  for (const line of content.split('\n')) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (isBlank(l)) continue;
    if (l.startsWith(' ') || l.startsWith('\t')) return `document starts with an illegal indent: ${goQuote(l)}, which may cause parsing problems`;
    return undefined;
  }
  return undefined;
}

function checkMatchSelector(o: K8sObject, manifest: string): string | undefined {
  switch (o.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
      if (!manifest.includes('matchLabels') && !manifest.includes('matchExpressions')) {
        return `a ${o.kind} must contain matchLabels or matchExpressions, and ${goQuote(o.name)} does not`;
      }
  }
  return undefined;
}

/** The List check reads the whole file as one YAML value, which is its first document. */
function checkListAnnotations(o: K8sObject, manifest: string): string | undefined {
  if (o.kind !== 'List') return undefined;
  let doc: GoValue;
  try {
    doc = parseYaml(manifest);
  } catch (e) {
    return `unable to parse YAML: ${e instanceof Error ? e.message : String(e)}`;
  }
  const items = isMap(doc) ? (findKey(doc, 'items') ?? null) : null;
  if (!Array.isArray(items)) return undefined;
  for (const item of items) {
    const md = isMap(item) ? findKey(item, 'metadata') : undefined;
    const ann = md !== undefined && isMap(md) ? findKey(md, 'annotations') : undefined;
    if (ann !== undefined && isMap(ann) && Object.hasOwn(ann, 'helm.sh/resource-policy')) {
      return "annotation 'helm.sh/resource-policy' within List objects are ignored";
    }
  }
  return undefined;
}

/** encoding/json's field lookup: exact key, else a case-insensitive match. */
function findKey(m: GoMap, field: string): GoValue | undefined {
  if (Object.hasOwn(m, field)) return m[field];
  const k = Object.keys(m).find((x) => x.toLowerCase() === field.toLowerCase());
  return k === undefined ? undefined : m[k];
}

function errorText(e: unknown): string {
  if (e instanceof ChartError) return e.helmMessage;
  return e instanceof Error ? e.message : String(e);
}

function isDirectory(p: string): boolean | undefined {
  try {
    return statSync(p).isDirectory();
  } catch {
    return undefined;
  }
}

/** Runs the templates rule. `values` are the user's -f/--set values. */
export async function lintTemplates(linter: Linter, values: GoMap, opts: TemplateLintOptions): Promise<void> {
  const dir = isDirectory(join(linter.chartDir, 'templates'));
  if (!linter.run(Severity.Warning, DIR, dir === undefined ? 'directory does not exist' : undefined)) return;
  if (!linter.run(Severity.Error, DIR, dir ? undefined : 'not a directory')) return;

  let chart: Chart;
  try {
    chart = await opts.load();
  } catch (e) {
    linter.run(Severity.Error, DIR, errorText(e));
    return;
  }

  let capabilities: Capabilities;
  try {
    capabilities = new Capabilities({ kubeVersion: opts.kubeVersion });
  } catch {
    capabilities = new Capabilities({});
  }

  // helm lint coalesces twice: CoalesceValues with the user's values, then ToRenderValues coalesces that result
  // again as if it were user values (so a null left by the first pass now deletes its key).
  let rv;
  try {
    const processed = processDependencies(chart, values);
    const coalesced = coalesceValues(processed, values);
    rv = toRenderValues(chart, coalesced, { skipDependencyCheck: true, skipSchemaValidation: opts.skipSchemaValidation });
  } catch (e) {
    // Dependency processing and coalescing failures end the rule silently, as in helm; schema failures are errors.
    if (e instanceof SchemaValidationError) linter.run(Severity.Error, DIR, e.message);
    return;
  }

  let rendered: Map<string, string>;
  try {
    rendered = renderForLint(rv.chart, { namespace: opts.namespace, capabilities, values: rv.chartValues, log: opts.log });
  } catch (e) {
    linter.run(Severity.Error, DIR, e instanceof LintRenderError ? e.message : errorText(e));
    return;
  }

  for (const t of chart.templates) {
    const fileName = t.name;
    linter.run(Severity.Error, fileName, checkExtension(fileName));
    const ext = extname(fileName).toLowerCase();
    if (ext !== '.yaml' && ext !== '.yml') continue;
    const content = rendered.get(`${chart.name}/${fileName}`) ?? '';
    if (isBlank(content)) continue;
    linter.run(Severity.Warning, fileName, checkTopIndent(content));
    const objects: Array<K8sObject | null> = [];
    const err = decodeDocuments(content, (o) => objects.push(o));
    for (const o of objects) {
      if (o === null) continue;
      linter.run(Severity.Warning, fileName, metadataNameProblem(o));
      linter.run(Severity.Warning, fileName, deprecationWarning(o.apiVersion, o.kind, opts.kubeMajorMinor));
      linter.run(Severity.Error, fileName, checkMatchSelector(o, content));
      linter.run(Severity.Error, fileName, checkListAnnotations(o, content));
    }
    // A document that does not decode ends the rule: later documents and templates are not looked at.
    if (err !== undefined) {
      linter.run(Severity.Error, fileName, `unable to parse YAML: ${err}`);
      return;
    }
  }
}
