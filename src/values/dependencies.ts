// Dependency processing before a render (Helm's ProcessDependencies, pkg/chart/v2/util/dependencies.go):
//
//  1. enabled/disabled, top-down: aliases turn a vendored chart into renamed copies, every dependency starts
//     enabled, `tags` can disable (only when some tag is false and none is true), `condition` (comma-separated
//     paths, the first that holds a bool wins) overrides tags, and disabled charts are dropped;
//  2. import-values, bottom-up: each chart's values become its merged values (subcharts included) with the
//     children's exported tables merged underneath.
//
// Helm edits the loaded chart in place; here the loaded chart is left untouched and a processed copy is returned.
import { type GoMap, type GoValue, newMap, isMap } from '../template/value.js';
import { sprint } from '../template/fmt.js';
import { Chart, copyMetadata, isCompatibleRange, type Dependency } from '../chart/index.js';
import { coalesceValues, mergeValues, mergeTables, coalesceTables, deepCopyMap, type Warn } from './coalesce.js';
import { table, pathValue, NoValueError } from './paths.js';

const noWarn: Warn = () => {};

/** A value as Go's slog text handler writes it: quoted when it has spaces, quotes, '=' or unprintable runes. */
function slogValue(v: string): string {
  return v === '' || /[\s"=\p{C}]/u.test(v) ? JSON.stringify(v) : v;
}

/** Helm's slog.Warn lines without the level: `msg key=value ...`. */
function slogLine(msg: string, ...attrs: Array<[string, string]>): string {
  return [msg, ...attrs.map(([k, v]) => `${k}=${slogValue(v)}`)].join(' ');
}

/** The dependencies Chart.yaml lists that charts/ lacks (Helm's CheckDependencies); empty when all are there. */
export function missingDependencies(chart: Chart): string[] {
  const missing: string[] = [];
  for (const r of chart.metadata.dependencies ?? []) {
    if (r === null) continue;
    if (!chart.dependencies.some((d) => d.name === r.name)) missing.push(r.name);
  }
  return missing;
}

/** Throws Helm's `helm template` error when dependencies are missing from charts/. */
export function checkDependencies(chart: Chart): void {
  const missing = missingDependencies(chart);
  if (missing.length > 0) {
    throw new Error(
      'an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: ' +
        `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
    );
  }
}

/** A copy of the chart tree: new Chart objects and metadata, shared files and values. */
function copyTree(c: Chart): Chart {
  const out = c.shallowCopy();
  out.metadata = copyMetadata(c.metadata);
  out.setDependencies(c.dependencies.map(copyTree));
  return out;
}

function reqs(c: Chart): Dependency[] {
  return (c.metadata.dependencies ?? []).filter((d): d is Dependency => d !== null);
}

function processDependencyConditions(deps: Dependency[], cvals: GoMap, cpath: string, warn: Warn): void {
  for (const r of deps) {
    for (const c of r.condition.trim().split(',')) {
      if (c.length === 0) continue;
      let vv: GoValue;
      try {
        vv = pathValue(cvals, cpath + c);
      } catch (e) {
        if (!(e instanceof NoValueError)) warn(slogLine('the method PathValue returned error', ['error', (e as Error).message]));
        continue;
      }
      if (typeof vv === 'boolean') {
        r.enabled = vv;
        break;
      }
      warn(slogLine('returned non-bool value', ['path', c], ['chart', r.name]));
    }
  }
}

function processDependencyTags(deps: Dependency[], cvals: GoMap, warn: Warn): void {
  let vt: GoMap;
  try {
    vt = table(cvals, 'tags');
  } catch {
    return;
  }
  for (const r of deps) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      if (!Object.prototype.hasOwnProperty.call(vt, k)) continue;
      const b = vt[k]!;
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else {
        warn(slogLine('returned non-bool value', ['tag', k], ['chart', r.name]));
      }
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else if (hasTrue || (!hasTrue && !hasFalse)) r.enabled = true;
  }
}

/** getAliasDependency: a renamed copy of the vendored chart a dependency entry refers to, or undefined. */
function aliasDependency(charts: Chart[], dep: Dependency): Chart | undefined {
  for (const c of charts) {
    if (c.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version, c.metadata.version)) continue;
    const out = c.shallowCopy();
    out.metadata = copyMetadata(c.metadata);
    // Shallow copies of the children, re-parented to the copy (their own children keep their parents, as in Helm).
    out.setDependencies(c.dependencies.map((d) => d.shallowCopy()));
    if (dep.alias !== '') out.metadata.name = dep.alias;
    return out;
  }
  return undefined;
}

function processDependencyEnabled(c: Chart, v: GoMap, path: string, warn: Warn): void {
  if (c.metadata.dependencies === undefined) return;
  const deps = reqs(c);
  const chartDependencies: Chart[] = [];
  // Vendored charts that no Chart.yaml entry refers to are kept as they are.
  for (const existing of c.dependencies) {
    if (!deps.some((req) => existing.name === req.name && isCompatibleRange(req.version, existing.metadata.version))) {
      chartDependencies.push(existing);
    }
  }
  for (const req of deps) {
    const cd = aliasDependency(c.dependencies, req);
    if (cd) chartDependencies.push(cd);
    if (req.alias !== '') req.name = req.alias;
  }
  c.setDependencies(chartDependencies);

  for (const lr of deps) lr.enabled = true;
  const cvals = coalesceValues(c, v, warn);
  processDependencyTags(deps, cvals, warn);
  processDependencyConditions(deps, cvals, path, warn);

  const rm = new Set(deps.filter((r) => !r.enabled).map((r) => r.name));
  const cd = c.dependencies.filter((n) => !rm.has(n.metadata.name));
  const cdMetadata = (c.metadata.dependencies ?? []).filter((n) => n === null || !rm.has(n.name));
  for (const t of cd) processDependencyEnabled(t, cvals, `${path}${t.metadata.name}.`, warn);
  c.metadata.dependencies = cdMetadata;
  c.setDependencies(cd);
}

/** pathToMap: nests data under a dotted path ('.' means the data itself). */
function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  let cur = data;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const m = newMap();
    m[parts[i]!] = cur;
    cur = m;
  }
  return cur;
}

function trimNilValues(vals: GoMap): GoMap {
  const copy = deepCopyMap(vals);
  const trim = (m: GoMap): GoMap => {
    for (const k of Object.keys(m)) {
      const x = m[k]!;
      if (x === null) delete m[k];
      else if (isMap(x)) m[k] = trim(x);
    }
    return m;
  };
  return trim(copy);
}

function processImportValues(c: Chart, merge: boolean, warn: Warn): void {
  if (c.metadata.dependencies === undefined) return;
  const cvals = merge ? mergeValues(c, null, warn) : coalesceValues(c, null, warn);
  let b = newMap();
  const combine = (src: GoMap): void => {
    b = (merge ? mergeTables(b, src, warn) : coalesceTables(b, src, warn)) ?? newMap();
  };
  for (const r of reqs(c)) {
    const outiv: GoValue[] = [];
    for (const riv of r.importValues ?? []) {
      if (isMap(riv)) {
        const child = sprint([Object.prototype.hasOwnProperty.call(riv, 'child') ? riv.child! : null]);
        const parent = sprint([Object.prototype.hasOwnProperty.call(riv, 'parent') ? riv.parent! : null]);
        const pair = newMap('map[string]string');
        pair.child = child;
        pair.parent = parent;
        outiv.push(pair);
        let vv: GoMap;
        try {
          vv = table(cvals, `${r.name}.${child}`);
        } catch (e) {
          warn(slogLine('ImportValues missing table from chart', ['chart', r.name], ['error', (e as Error).message]));
          continue;
        }
        combine(pathToMap(parent, vv));
      } else if (typeof riv === 'string') {
        const child = `exports.${riv}`;
        const pair = newMap('map[string]string');
        pair.child = child;
        pair.parent = '.';
        outiv.push(pair);
        let vm: GoMap;
        try {
          vm = table(cvals, `${r.name}.${child}`);
        } catch (e) {
          warn(slogLine('ImportValues missing table', ['error', (e as Error).message]));
          continue;
        }
        combine(vm);
      }
    }
    if (outiv.length > 0) r.importValues = outiv;
    else delete r.importValues;
  }
  // Imported values rank below the parent's own: b goes under cvals.
  c.values = merge ? (mergeTables(deepCopyMap(cvals), b, warn) as GoMap) : (coalesceTables(trimNilValues(cvals), b, warn) as GoMap);
}

function processDependencyImportValues(c: Chart, merge: boolean, warn: Warn): void {
  for (const d of c.dependencies) processDependencyImportValues(d, merge, warn);
  processImportValues(c, merge, warn);
}

/**
 * ProcessDependencies: enables/disables, aliases and imports values for a chart tree given the user's values.
 * Returns a processed copy; `chart` itself is not modified.
 */
export function processDependencies(chart: Chart, vals: GoMap, warn: Warn = noWarn): Chart {
  const root = copyTree(chart);
  processDependencyEnabled(root, vals, '', warn);
  processDependencyImportValues(root, true, warn);
  return root;
}
