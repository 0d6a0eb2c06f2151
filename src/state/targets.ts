// Targets: every release × every cluster it fans out to, with its fields rendered, its needs resolved into a DAG,
// the selection applied, and its Helm user values computed.
//
// Per target (helmfile pkg/state/state_exec_tmpl.go, release.go, state.go):
//   - release templates are inherited (`inherit`, `defaultInherit`): lists append, maps merge, own scalars win;
//   - name, namespace, chart, version, labels, *Template fields, valuesTemplate, values paths, secrets,
//     setTemplate and needs are rendered with .Release, .Values (the cluster's state values), .Environment and
//     .Cluster, repeatedly until they stop changing (at most 6 times);
//   - `condition` / `conditionTemplate` false drops the target; `installed: false` keeps it, marked;
//   - user values = valuesTemplate entries, then values entries in order (one `helm -f` each: inline maps and files,
//     `.gotmpl` files rendered), then setTemplate/set (--set, --set-file) and setString (--set-string), merged as
//     Helm's MergeValues does.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, basename } from 'node:path';
import { newMap, isMap, type GoMap, type GoValue } from '../template/value.js';
import { sprint } from '../template/fmt.js';
import { toYaml, toYamlPretty } from '../yaml/index.js';
import { parseValuesFile, parseSetInto, parseSetStringInto, parseSetFileInto, defaultReadFile, ValuesError } from '../values/index.js';
import { mergeMaps } from '../chart/index.js';
import { Graph, CycleError } from '../plan/graph.js';
import { StateError, type FieldPath } from './errors.js';
import { parseSource, toGo, toGoMap, toPlain, str, isPlainObject } from './source.js';
import { cloneMap } from './merge.js';
import { parseSelector, matchesAny, SelectorError, type Selector } from './selectors.js';
import { warn, envValues, stateTemplateData, clusterData, lineOf, fieldOf, resolveFiles, type State, type Unit, type ClusterDef, type Loc, type Piece, type MissingFileHandler } from './load.js';
import { Hooks, type HookOwner } from './hooks.js';
import { isCascade, type ResolveOptions, type Resolved, type Target, type TargetRelease, type ChartRef, type Hook, type Repository } from './types.js';

type Raw = Record<string, unknown>;

const LIST_FIELDS = new Set(['values', 'valuesTemplate', 'set', 'setString', 'setTemplate', 'secrets', 'needs', 'hooks', 'apiVersions', 'clusters']);
const MAP_FIELDS = new Set(['labels']);
const EXCEPT_ALLOWED = new Set(['labels', 'values', 'valuesTemplate', 'setTemplate', 'set', 'setString', 'secrets']);

function mergeReleaseFields(dst: Raw, src: Raw): void {
  for (const [k, v] of Object.entries(src)) {
    if (k === 'inherit') continue;
    if (LIST_FIELDS.has(k) && Array.isArray(v)) dst[k] = [...((Array.isArray(dst[k]) ? dst[k] : []) as unknown[]), ...v];
    else if (MAP_FIELDS.has(k) && isPlainObject(v)) dst[k] = { ...(isPlainObject(dst[k]) ? dst[k] : {}), ...v };
    else dst[k] = v;
  }
}

interface InheritRef {
  template: string;
  except: string[];
  index: number;
}

function inheritList(raw: Raw): InheritRef[] {
  const v = raw.inherit;
  const list = Array.isArray(v) ? v : isPlainObject(v) ? [v] : [];
  return list.map((x, index) => {
    const o = x as Raw;
    return { template: str(o.template), except: Array.isArray(o.except) ? o.except.map(str) : [], index };
  });
}

// ---------------------------------------------------------------------------------------------------------------

interface SetEntry {
  name: string;
  value?: string;
  values?: string[];
  file?: string;
}

/** The release fields that templates may change, as strings. */
interface Fields {
  name: string;
  namespace: string;
  chart: string;
  version: string;
  labels: Record<string, string>;
  installedTemplate?: string;
  waitTemplate?: string;
  verifyTemplate?: string;
  conditionTemplate?: string;
  /** valuesTemplate: inline maps as YAML text, or paths. */
  valuesTemplate: ({ yaml: string } | string)[];
  /** values: paths (rendered); inline maps are kept as they are. */
  values: (string | { map: unknown })[];
  secrets: string[];
  setTemplate: SetEntry[];
  needs: string[];
}

function setEntries(v: unknown): SetEntry[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => {
    const o = x as Raw;
    const e: SetEntry = { name: str(o.name) };
    if (o.value !== undefined && o.value !== null) e.value = str(o.value);
    if (Array.isArray(o.values)) e.values = o.values.map(str);
    if (o.file !== undefined && o.file !== null) e.file = str(o.file);
    return e;
  });
}

function initialFields(r: Raw): Fields {
  const labels: Record<string, string> = {};
  if (isPlainObject(r.labels)) for (const [k, v] of Object.entries(r.labels)) labels[k] = str(v);
  const opt = (k: string) => (r[k] === undefined || r[k] === null ? undefined : str(r[k]));
  return {
    name: str(r.name),
    namespace: str(r.namespace),
    chart: str(r.chart),
    version: str(r.version),
    labels,
    installedTemplate: opt('installedTemplate'),
    waitTemplate: opt('waitTemplate'),
    verifyTemplate: opt('verifyTemplate'),
    conditionTemplate: opt('conditionTemplate'),
    valuesTemplate: (Array.isArray(r.valuesTemplate) ? r.valuesTemplate : []).map((x) => (isPlainObject(x) ? { yaml: toYamlPretty(toGo(x)) } : str(x))),
    values: (Array.isArray(r.values) ? r.values : []).filter((x) => x !== null).map((x) => (isPlainObject(x) ? { map: x } : str(x))),
    secrets: (Array.isArray(r.secrets) ? r.secrets : []).map(str),
    setTemplate: setEntries(r.setTemplate),
    needs: (Array.isArray(r.needs) ? r.needs : []).map(str),
  };
}

function hasTemplate(f: Fields): boolean {
  const t = (s: string | undefined) => s !== undefined && s.includes('{{');
  if (t(f.name) || t(f.namespace) || t(f.chart) || t(f.version)) return true;
  if (t(f.installedTemplate) || t(f.waitTemplate) || t(f.verifyTemplate) || t(f.conditionTemplate)) return true;
  if (Object.values(f.labels).some(t)) return true;
  if (f.valuesTemplate.some((x) => t(typeof x === 'string' ? x : x.yaml))) return true;
  if (f.values.some((x) => typeof x === 'string' && t(x))) return true;
  if (f.secrets.some(t) || f.needs.some(t)) return true;
  return f.setTemplate.some((e) => t(e.name) || t(e.value) || t(e.file) || (e.values ?? []).some(t));
}

function releaseData(f: Fields, kubeContext: string): GoMap {
  const m = newMap();
  m.Name = f.name;
  m.Namespace = f.namespace;
  const labels = newMap();
  for (const [k, v] of Object.entries(f.labels)) labels[k] = v;
  m.Labels = labels;
  m.Chart = f.chart;
  m.KubeContext = kubeContext;
  m.ChartVersion = f.version;
  return m;
}

function parseBool(text: string): boolean | undefined {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------

interface Draft {
  id: string;
  unit: Unit;
  cluster: ClusterDef;
  loc: Loc;
  raw: Raw;
  fields: Fields;
  stateValues: GoMap;
  clusterValues: GoMap;
  installed: boolean;
  labels: Record<string, string>;
  selectLabels: Record<string, string>;
  chartRef: ChartRef;
  chartName: string;
  needs: string[];
  /** Resolved need id → index of the `needs` entry it came from. */
  needIndex: Map<string, number>;
  selected: boolean;
}

class Resolver {
  private readonly display: (p: string) => string;
  private readonly stateValuesCache = new Map<Unit, Map<ClusterDef, GoMap>>();
  private readonly implicitClusters = new Map<string, ClusterDef>();
  /** Parsed values texts: one text is parsed once however many targets use it (copied on use). */
  readonly parsedValues = new Map<string, GoMap>();

  constructor(private readonly state: State) {
    this.display = state.loader.ctx.display;
  }

  error(loc: Loc, sub: FieldPath, message: string, cause?: unknown): StateError {
    return new StateError(this.display(loc.file), lineOf(loc, sub), fieldOf(loc, sub), message, cause === undefined ? undefined : { cause });
  }

  stateValues(unit: Unit, c: ClusterDef): GoMap {
    let m = this.stateValuesCache.get(unit);
    if (!m) this.stateValuesCache.set(unit, (m = new Map()));
    let v = m.get(c);
    if (!v) {
      v = envValues(unit.env, this.state.loader.clusterValues(c));
      m.set(c, v);
    }
    return v;
  }

  /** The release after `defaultInherit` and `inherit`. */
  inherit(unit: Unit, piece: Piece<Raw>): Raw {
    const visit = (raw: Raw, path: string[], loc: Loc, name: string): Raw => {
      const merged: Raw = {};
      let refs = inheritList(raw);
      if (path.length === 0 && unit.spec.defaultInherit) {
        const own = new Set(refs.map((r) => r.template));
        refs = [...unit.spec.defaultInherit.filter((t) => !own.has(t)).map((t) => ({ template: t, except: [], index: -1 })), ...refs];
      }
      for (const ref of refs) {
        const sub: FieldPath = ref.index >= 0 ? ['inherit', ref.index, 'template'] : [];
        if (path.includes(ref.template)) {
          throw this.error(loc, sub, `cyclic inheritance detected: ${[...path, ref.template].join('->')}`);
        }
        const tpl = unit.spec.templates.get(ref.template);
        if (!tpl) {
          const at = ref.index >= 0 ? loc : piece.loc;
          throw this.error(at, sub, `release "${name}" tried to inherit inexistent release template "${ref.template}"`);
        }
        const src = visit(tpl.v, [...path, ref.template], tpl.loc, name);
        for (const k of ref.except) {
          if (!EXCEPT_ALLOWED.has(k)) {
            throw this.error(loc, ['inherit', ref.index, 'except'], `"${k}" is not allowed under \`inherit\`. Allowed values are "set", "setTemplate", "setString", "values", "valuesTemplate", "secrets", and "labels"`);
          }
          delete src[k];
        }
        mergeReleaseFields(merged, src);
      }
      mergeReleaseFields(merged, raw);
      return merged;
    };
    return visit(piece.v, [], piece.loc, str(piece.v.name));
  }

  /** The clusters a release fans out to. */
  clustersFor(unit: Unit, raw: Raw, piece: Piece<Raw>): ClusterDef[] {
    let list = unit.clusters;
    const implicit = list.length === 1 && list[0]!.implicit;
    if (Array.isArray(raw.clusters)) {
      const names = raw.clusters.map(str);
      for (const [i, n] of names.entries()) {
        if (!list.some((c) => c.name === n)) {
          throw this.error(piece.loc, ['clusters', i], `cluster "${n}" is not a cluster of environment "${this.state.environment}" (clusters: ${list.map((c) => c.name).join(', ')})`);
        }
      }
      list = list.filter((c) => names.includes(c.name));
    }
    if (raw.clusterSelector !== undefined && raw.clusterSelector !== null) {
      const texts = Array.isArray(raw.clusterSelector) ? raw.clusterSelector.map(str) : [str(raw.clusterSelector)];
      let sels: Selector[];
      try {
        sels = texts.map(parseSelector);
      } catch (e) {
        throw this.error(piece.loc, ['clusterSelector'], (e as Error).message);
      }
      list = list.filter((c) => matchesAny(sels, { ...c.labels, name: c.name }));
    }
    const kc = raw.kubeContext === undefined || raw.kubeContext === null ? '' : str(raw.kubeContext);
    if (kc !== '') {
      if (implicit) {
        if (list[0]!.kubeContext !== kc) {
          const key = `${unit.file}\0${kc}`;
          let c = this.implicitClusters.get(key);
          if (!c) {
            c = { name: kc, kubeContext: kc, labels: {}, entries: [], missingFileHandler: 'Error', unit, implicit: true };
            this.implicitClusters.set(key, c);
          }
          list = [c];
        }
      } else {
        const matching = list.filter((c) => c.kubeContext === kc);
        if (matching.length === 0 && !unit.clusters.some((c) => c.kubeContext === kc)) {
          throw this.error(piece.loc, ['kubeContext'], `no cluster of environment "${this.state.environment}" uses kube context "${kc}"`);
        }
        list = matching;
      }
    }
    return list;
  }

  /** Renders the templated fields for one cluster until they are stable (helmfile: at most 6 passes). */
  renderFields(unit: Unit, piece: Piece<Raw>, base: Fields, c: ClusterDef, stateValues: GoMap, clusterValues: GoMap): Fields {
    if (!hasTemplate(base)) return base;
    const renderer = this.state.loader.ctx.renderer;
    let prev = base;
    for (let pass = 0; pass < 6; pass++) {
      const data = stateTemplateData(unit.env, stateValues);
      data.Release = releaseData(prev, c.kubeContext);
      data.Cluster = clusterData(c, clusterValues);
      data.KubeContext = '';
      data.Chart = '';
      const r = (text: string | undefined, sub: FieldPath): string | undefined => {
        if (text === undefined || !text.includes('{{')) return text;
        return renderer.render({ text, file: piece.loc.file, dir: unit.dir, lineOffset: lineOf(piece.loc, sub) - 1, field: fieldOf(piece.loc, sub), data });
      };
      const next: Fields = {
        name: r(base.name, ['name'])!,
        namespace: r(base.namespace, ['namespace'])!,
        chart: r(base.chart, ['chart'])!,
        version: r(base.version, ['version'])!,
        labels: Object.fromEntries(Object.entries(base.labels).map(([k, v]) => [k, r(v, ['labels', k])!])),
        installedTemplate: r(base.installedTemplate, ['installedTemplate']),
        waitTemplate: r(base.waitTemplate, ['waitTemplate']),
        verifyTemplate: r(base.verifyTemplate, ['verifyTemplate']),
        conditionTemplate: r(base.conditionTemplate, ['conditionTemplate']),
        valuesTemplate: base.valuesTemplate.map((x, i) => (typeof x === 'string' ? r(x, ['valuesTemplate', i])! : { yaml: r(x.yaml, ['valuesTemplate', i])! })),
        values: base.values.map((x, i) => (typeof x === 'string' ? r(x, ['values', i])! : x)),
        secrets: base.secrets.map((x, i) => r(x, ['secrets', i])!),
        setTemplate: base.setTemplate.map((e, i) => ({
          name: r(e.name, ['setTemplate', i, 'name'])!,
          ...(e.value !== undefined ? { value: r(e.value, ['setTemplate', i, 'value'])! } : {}),
          ...(e.values !== undefined ? { values: e.values.map((v, j) => r(v, ['setTemplate', i, 'values', j])!) } : {}),
          ...(e.file !== undefined ? { file: r(e.file, ['setTemplate', i, 'file'])! } : {}),
        })),
        needs: base.needs.map((x, i) => r(x, ['needs', i])!),
      };
      if (JSON.stringify(next) === JSON.stringify(prev)) return next;
      prev = next;
    }
    throw this.error(piece.loc, [], `failed executing templates in release "${base.name}": recursive references can't be resolved`);
  }

  chartRef(unit: Unit, chart: string): { ref: ChartRef; name: string } {
    if (chart.startsWith('oci://')) return { ref: { kind: 'oci', ref: chart }, name: basename(chart.replace(/:[^/]*$/, '')) };
    const local = chart.startsWith('/') || chart.startsWith('./') || chart.startsWith('../') || chart === '.' || chart === '..';
    const path = isAbsolute(chart) ? chart : join(unit.dir, chart);
    if (local || isDirectory(path)) return { ref: { kind: 'local', path }, name: basename(path) };
    const slash = chart.indexOf('/');
    // A bare name that is no local directory: Helm looks it up in repositories (and fails without one).
    if (slash < 0) return { ref: { kind: 'repo', repo: '', name: chart }, name: chart };
    const repo = chart.slice(0, slash);
    const name = chart.slice(slash + 1);
    const r = this.repository(repo);
    const ref: ChartRef = { kind: 'repo', repo, name };
    if (r?.url !== undefined) ref.url = String(r.url);
    if (r?.oci) ref.oci = true;
    return { ref, name: name.slice(name.lastIndexOf('/') + 1) };
  }

  private repos?: Repository[];
  private repository(name: string): Repository | undefined {
    this.repos ??= this.state.repositories;
    return this.repos.find((r) => r.name === name);
  }

  condition(piece: Piece<Raw>, raw: Raw, f: Fields, stateValues: GoMap): boolean {
    let cond: unknown = raw.condition;
    if (f.conditionTemplate !== undefined) {
      const b = parseBool(f.conditionTemplate);
      if (b === undefined) throw this.error(piece.loc, ['conditionTemplate'], `conditionTemplate must render to true or false, got "${f.conditionTemplate}"`);
      cond = b;
    }
    if (cond === undefined || cond === null || cond === '') return true;
    if (typeof cond === 'boolean') return cond;
    const text = str(cond);
    const b = parseBool(text);
    if (b !== undefined) return b;
    if (!text.endsWith('.enabled') || text === '.enabled') {
      throw this.error(piece.loc, ['condition'], `condition must be true, false or a values path ending in ".enabled" such as "vault.enabled", got "${text}"`);
    }
    // helmfile: the release is enabled when the value at the path is true; a missing value disables it.
    let cur: GoValue | undefined = stateValues;
    for (const k of text.split('.')) {
      if (!isMap(cur ?? null)) return false;
      cur = (cur as GoMap)[k];
      if (cur === undefined) return false;
    }
    if (typeof cur !== 'boolean') {
      throw this.error(piece.loc, ['condition'], `the value at "${text}" must be true or false, got ${sprint([cur])}`);
    }
    return cur;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function boolOpt(raw: Raw, hd: Raw, k: string, def: boolean): boolean {
  const v = raw[k] ?? hd[k];
  return typeof v === 'boolean' ? v : def;
}

function numOpt(raw: Raw, hd: Raw, k: string, def: number): number {
  const v = raw[k] ?? hd[k];
  if (v === undefined || v === null) return def;
  const n = Number(str(v));
  return Number.isFinite(n) ? n : def;
}

/** A non-empty list of patterns (helmfile skips empty ones), else undefined: an empty list leaves the choice to the next layer. */
function regexListOf(v: unknown): string[] | undefined {
  const list = Array.isArray(v) ? v.map(str).filter((s) => s !== '') : [];
  return list.length > 0 ? list : undefined;
}

/** helmfile's escape for --set names and values: braces and commas are literal. */
function escapeSet(s: string): string {
  return s.replace(/[{},]/g, (c) => `\\${c}`);
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Every target of the state (release × cluster), the selection applied, with the needs DAG over them. Throws
 * StateError on an undefined or ambiguous need, a needs cycle, a release defined twice in one cluster, a missing
 * values file, a template error or a values file that is not a map.
 */
export function resolveTargets(state: State, opts: ResolveOptions = {}): Resolved {
  const rs = new Resolver(state);
  const drafts: Draft[] = [];
  const byId = new Map<string, Draft>();
  /** cluster → name → namespaces of releases disabled there by their condition. */
  const disabled = new Map<string, Map<string, Set<string>>>();
  /** release name → clusters it has targets in (for messages). */
  const clustersOfName = new Map<string, Set<string>>();

  for (const unit of state.units) {
    for (const piece of unit.spec.releases) {
      const raw = rs.inherit(unit, piece);
      const base = initialFields(raw);
      // helmfile adds commonLabels to the release's labels before rendering, so .Release.Labels has them.
      base.labels = { ...base.labels, ...unit.spec.commonLabels };
      if (base.name === '') throw rs.error(piece.loc, [], 'release has no name');
      for (const cluster of rs.clustersFor(unit, raw, piece)) {
        const clusterValues = state.loader.clusterValues(cluster);
        const stateValues = rs.stateValues(unit, cluster);
        const f = rs.renderFields(unit, piece, base, cluster, stateValues, clusterValues);
        if (f.chart === '') throw rs.error(piece.loc, ['chart'], `release "${f.name}" has no chart`);
        const id = `${cluster.name}/${f.namespace}/${f.name}`;
        if (!rs.condition(piece, raw, f, stateValues)) {
          let m = disabled.get(cluster.name);
          if (!m) disabled.set(cluster.name, (m = new Map()));
          let s = m.get(f.name);
          if (!s) m.set(f.name, (s = new Set()));
          s.add(f.namespace);
          continue;
        }
        const prior = byId.get(id);
        if (prior) {
          throw rs.error(
            piece.loc,
            ['name'],
            `release "${f.name}" is defined twice in cluster "${cluster.name}" (namespace "${f.namespace}"); first defined at ${state.loader.ctx.display(prior.loc.file)}:${lineOf(prior.loc)}`,
          );
        }
        let installed = raw.installed === undefined || raw.installed === null ? true : raw.installed !== false;
        if (f.installedTemplate !== undefined) {
          const b = parseBool(f.installedTemplate);
          if (b === undefined) throw rs.error(piece.loc, ['installedTemplate'], `installedTemplate must render to true or false, got "${f.installedTemplate}"`);
          installed = b;
        }
        const labels = { ...f.labels, ...unit.spec.commonLabels };
        const { ref, name: chartName } = rs.chartRef(unit, f.chart);
        const selectLabels = { ...labels, name: f.name, namespace: f.namespace, chart: chartName, cluster: cluster.name };
        const d: Draft = {
          id,
          unit,
          cluster,
          loc: piece.loc,
          raw,
          fields: f,
          stateValues,
          clusterValues,
          installed,
          labels,
          selectLabels,
          chartRef: ref,
          chartName,
          needs: [],
          needIndex: new Map(),
          selected: true,
        };
        drafts.push(d);
        byId.set(id, d);
        let s = clustersOfName.get(f.name);
        if (!s) clustersOfName.set(f.name, (s = new Set()));
        s.add(cluster.name);
      }
    }
  }

  // Needs: name (own namespace first, else unique in the cluster), namespace/name, or cluster/namespace/name where
  // a kubeContext may stand for the cluster (helmfile's kubecontext/namespace/name).
  const inCluster = new Map<string, Map<string, Draft[]>>();
  const clusterNames = new Set<string>();
  const byContext = new Map<string, string>();
  for (const d of drafts) {
    clusterNames.add(d.cluster.name);
    if (!byContext.has(d.cluster.kubeContext)) byContext.set(d.cluster.kubeContext, d.cluster.name);
    let m = inCluster.get(d.cluster.name);
    if (!m) inCluster.set(d.cluster.name, (m = new Map()));
    let l = m.get(d.fields.name);
    if (!l) m.set(d.fields.name, (l = []));
    l.push(d);
  }
  for (const c of disabled.keys()) clusterNames.add(c);
  for (const d of drafts) {
    for (const [i, text] of d.fields.needs.entries()) {
      const parts = text.split('/');
      let cluster = d.cluster.name;
      let ns: string | undefined;
      let name: string;
      if (parts.length === 1) name = parts[0]!;
      else if (parts.length === 2) [ns, name] = parts as [string, string];
      else if (parts.length === 3) {
        const [c, n, nm] = parts as [string, string, string];
        if (clusterNames.has(c)) cluster = c;
        else if (byContext.has(c)) cluster = byContext.get(c)!;
        else throw rs.error(d.loc, ['needs', i], `need "${text}" names "${c}", which is neither a cluster nor a kube context of environment "${state.environment}"`);
        ns = n;
        name = nm;
      } else {
        throw rs.error(d.loc, ['needs', i], `need "${text}" must be name, namespace/name or cluster/namespace/name`);
      }
      const candidates = inCluster.get(cluster)?.get(name) ?? [];
      let target: Draft | undefined;
      if (ns !== undefined) target = candidates.find((x) => x.fields.namespace === ns);
      else {
        target = candidates.find((x) => x.fields.namespace === d.fields.namespace);
        if (!target && candidates.length === 1) target = candidates[0];
        else if (!target && candidates.length > 1) {
          throw rs.error(d.loc, ['needs', i], `need "${text}" is ambiguous in cluster "${cluster}": it matches ${candidates.map((x) => `${x.fields.namespace}/${name}`).join(', ')}; write namespace/name`);
        }
      }
      if (target) {
        if (!d.needs.includes(target.id)) {
          d.needs.push(target.id);
          d.needIndex.set(target.id, i);
        }
        continue;
      }
      const dis = disabled.get(cluster)?.get(name);
      if (dis && (ns === undefined || dis.has(ns))) continue; // disabled by its condition there: no edge
      const elsewhere = [...(clustersOfName.get(name) ?? [])].filter((c) => c !== cluster);
      const hint = elsewhere.length > 0 ? ` (it is deployed to ${elsewhere.join(', ')}; name another cluster with cluster/namespace/name)` : '';
      throw rs.error(
        d.loc,
        ['needs', i],
        `release "${d.fields.name}" in cluster "${d.cluster.name}" needs "${text}", which is not defined in cluster "${cluster}"${hint}`,
      );
    }
  }

  let graph: Graph;
  try {
    graph = Graph.fromNodes(drafts.map((d) => ({ id: d.id, needs: d.needs })));
  } catch (e) {
    if (e instanceof CycleError) {
      const first = byId.get(e.cycle[0]!)!;
      throw rs.error(first.loc, ['needs', first.needIndex.get(e.cycle[1]!) ?? 0], e.message, e);
    }
    throw e;
  }

  // Selection.
  let cli: Selector[];
  try {
    cli = (opts.selectors ?? []).map(parseSelector);
  } catch (e) {
    if (e instanceof SelectorError) throw new StateError('--selector', 0, '', e.message);
    throw e;
  }
  const scopes = new Map<Unit, Selector[]>();
  for (const d of drafts) {
    let sels = cli;
    if (d.unit.scope !== undefined) {
      if (!scopes.has(d.unit)) {
        try {
          scopes.set(d.unit, d.unit.scope.map(parseSelector));
        } catch (e) {
          throw new StateError(state.loader.ctx.display(d.unit.parent?.file ?? d.unit.file), 0, 'helmfiles.selectors', (e as Error).message);
        }
      }
      sels = scopes.get(d.unit)!;
    }
    d.selected = matchesAny(sels, d.selectLabels);
  }
  let keep = new Set(drafts.filter((d) => d.selected).map((d) => d.id));
  const filtering = keep.size < drafts.length;
  if (filtering) {
    const installedNeed = (id: string) => byId.get(id)!.installed;
    if (opts.includeTransitiveNeeds) {
      // helmfile: needs that are not installed (installed: false) are not pulled in, nor walked through.
      const stack = [...keep];
      while (stack.length > 0) {
        const id = stack.pop()!;
        for (const n of graph.needs(id)) {
          if (!keep.has(n) && installedNeed(n)) {
            keep.add(n);
            stack.push(n);
          }
        }
      }
    } else if (opts.includeNeeds) {
      for (const id of [...keep]) for (const n of graph.needs(id)) if (installedNeed(n)) keep.add(n);
    } else if (opts.skipNeeds === false) {
      for (const id of keep) {
        for (const n of graph.needs(id)) {
          if (!keep.has(n) && installedNeed(n)) {
            const d = byId.get(id)!;
            throw rs.error(
              d.loc,
              ['needs', d.needIndex.get(n) ?? 0],
              `release "${id}" depends on "${n}" which does not match the selectors. Please add a selector like "--selector name=${byId.get(n)!.fields.name}", or indicate whether to skip (--skip-needs) or include (--include-needs) these dependencies`,
            );
          }
        }
      }
    }
    keep = new Set(drafts.filter((d) => keep.has(d.id)).map((d) => d.id));
    graph = graph.subgraph(keep);
  }

  const targets: Target[] = [];
  for (const d of drafts) {
    if (!keep.has(d.id)) continue;
    targets.push(buildTarget(rs, state, d, graph));
  }
  return { targets, graph, hooks: hooksOf(state, drafts.filter((d) => keep.has(d.id)), targets) };
}

/** The hooks of the kept targets and the global hooks of every state file, ready to fire. */
function hooksOf(state: State, drafts: readonly Draft[], targets: readonly Target[]): Hooks {
  const display = state.loader.ctx.display;
  const renderer = state.loader.ctx.renderer;
  const globals: HookOwner[] = state.units
    .filter((u) => u.spec.hooks.length > 0)
    .map((u) => ({
      hooks: u.spec.hooks.map((p) => p.v),
      dir: u.dir,
      file: u.file,
      // Global hooks may come from bases: each piece knows its own file.
      where: ([, i, ...rest]) => {
        const p = u.spec.hooks[Number(i)]!;
        return { file: display(p.loc.file), line: lineOf(p.loc, rest), field: fieldOf(p.loc, rest) };
      },
      data: () => stateTemplateData(u.env),
    }));
  // The targets were built from these drafts, in the same order: their release.hooks are the hooks as written.
  const owners: HookOwner[] = drafts
    .map((d, i) => ({ d, hooks: targets[i]!.release.hooks }))
    .filter(({ hooks }) => hooks.length > 0)
    .map(({ d, hooks }) => ({
      target: d.id,
      hooks,
      dir: d.unit.dir,
      file: d.unit.file,
      where: (sub) => ({ file: display(d.loc.file), line: lineOf(d.loc, sub), field: fieldOf(d.loc, sub) }),
      data: () => {
        const data = stateTemplateData(d.unit.env, d.stateValues);
        const release = releaseData(d.fields, d.cluster.kubeContext);
        // helmfile hands hooks its ReleaseSpec, whose chart version field is Version.
        release.Version = d.fields.version;
        data.Release = release;
        data.Cluster = clusterData(d.cluster, d.clusterValues);
        return data;
      },
    }));
  return new Hooks(renderer, renderer.tenv.allowExec, globals, owners);
}

function buildTarget(rs: Resolver, state: State, d: Draft, graph: Graph): Target {
  const { unit, raw, fields: f, cluster } = d;
  const hd = (isPlainObject(unit.spec.helmDefaults) ? unit.spec.helmDefaults : {}) as Raw;
  const prefix = raw.valuesPathPrefix === undefined || raw.valuesPathPrefix === null ? '' : str(raw.valuesPathPrefix);
  const waitT = f.waitTemplate !== undefined ? parseBool(f.waitTemplate) : undefined;
  if (f.waitTemplate !== undefined && waitT === undefined) throw rs.error(d.loc, ['waitTemplate'], `waitTemplate must render to true or false, got "${f.waitTemplate}"`);
  const verifyT = f.verifyTemplate !== undefined ? parseBool(f.verifyTemplate) : undefined;
  if (f.verifyTemplate !== undefined && verifyT === undefined) throw rs.error(d.loc, ['verifyTemplate'], `verifyTemplate must render to true or false, got "${f.verifyTemplate}"`);
  const release: TargetRelease = {
    name: f.name,
    namespace: f.namespace,
    chart: d.chartRef.kind === 'local' ? d.chartRef.path : f.chart,
    chartRef: d.chartRef,
    chartName: d.chartName,
    labels: d.labels,
    needs: [...graph.needs(d.id)],
    installed: d.installed,
    wait: waitT ?? boolOpt(raw, hd, 'wait', false),
    waitForJobs: boolOpt(raw, hd, 'waitForJobs', false),
    timeout: numOpt(raw, hd, 'timeout', 300),
    atomic: boolOpt(raw, hd, 'atomic', false) || boolOpt(raw, hd, 'rollbackOnFailure', false),
    createNamespace: boolOpt(raw, hd, 'createNamespace', true),
    force: boolOpt(raw, hd, 'force', false),
    recreatePods: boolOpt(raw, hd, 'recreatePods', false),
    cleanupOnFail: boolOpt(raw, hd, 'cleanupOnFail', false),
    historyMax: numOpt(raw, hd, 'historyMax', 10),
    verify: verifyT ?? boolOpt(raw, hd, 'verify', false),
    skipSchemaValidation: boolOpt(raw, hd, 'skipSchemaValidation', false),
    skipCRDs: boolOpt(raw, hd, 'skipCRDs', false),
    skipDeps: boolOpt(raw, hd, 'skipDeps', false),
    devel: boolOpt(raw, hd, 'devel', false),
    reuseValues: boolOpt(raw, hd, 'reuseValues', false),
    takeOwnership: boolOpt(raw, hd, 'takeOwnership', false),
    forceConflicts: boolOpt(raw, hd, 'forceConflicts', false),
    enableDNS: boolOpt(raw, hd, 'enableDNS', false),
    deleteWait: boolOpt(raw, hd, 'deleteWait', false),
    deleteTimeout: numOpt(raw, hd, 'deleteTimeout', 300),
    cascade: { release: isCascade(raw.cascade) ? raw.cascade : undefined, defaults: isCascade(hd.cascade) ? hd.cascade : undefined },
    suppressDiff: raw.suppressDiff === true,
    suppressOutputLineRegex: { release: regexListOf(raw.suppressOutputLineRegex), defaults: regexListOf(hd.suppressOutputLineRegex) },
    syncReleaseLabels: boolOpt(raw, hd, 'syncReleaseLabels', false),
    disableValidationOnInstall: raw.disableValidationOnInstall === true,
    apiVersions: Array.isArray(raw.apiVersions) && raw.apiVersions.length > 0 ? raw.apiVersions.map(str) : [...(unit.spec.apiVersions ?? [])],
    secrets: f.secrets.map((s) => (isAbsolute(prefix + s) ? prefix + s : join(unit.dir, prefix + s))),
    hooks: (Array.isArray(raw.hooks) ? raw.hooks : []).map((h) => toPlain(h) as Hook),
  };
  const disableValidation = raw.disableValidation ?? hd.disableValidation;
  if (typeof disableValidation === 'boolean') release.disableValidation = disableValidation;
  if (f.version !== '') release.version = f.version;
  const kv = raw.kubeVersion ?? unit.spec.kubeVersion;
  if (kv !== undefined && kv !== null && str(kv) !== '') release.kubeVersion = str(kv);
  if (raw.description !== undefined && raw.description !== null) release.description = str(raw.description);

  const { values, sources } = computeValues(rs, state, d, prefix);
  return {
    id: d.id,
    cluster: { name: cluster.name, kubeContext: cluster.kubeContext, labels: { ...cluster.labels } },
    release,
    values,
    valuesSources: sources,
    stateValues: d.stateValues,
    source: { file: state.loader.ctx.display(d.loc.file), line: lineOf(d.loc) },
    selected: d.selected,
  };
}

interface ValuesSource {
  /** What errors name. */
  file: string;
  line: number;
  field: string;
  shown: string;
}

function computeValues(rs: Resolver, state: State, d: Draft, prefix: string): { values: GoMap; sources: string[] } {
  const { unit, fields: f, raw, cluster } = d;
  const renderer = state.loader.ctx.renderer;
  const display = state.loader.ctx.display;
  const handler = ((raw.missingFileHandler as MissingFileHandler | undefined) ?? 'Error') as MissingFileHandler;
  let base = newMap();
  const sources: string[] = [];
  let data: GoMap | undefined;
  const templateData = () => {
    if (!data) {
      data = stateTemplateData(unit.env, d.stateValues);
      data.Release = releaseData(f, cluster.kubeContext);
      data.Cluster = clusterData(cluster, d.clusterValues);
      data.KubeContext = '';
      data.Chart = '';
    }
    return data;
  };
  // One `helm -f` per entry: Helm's LoadValues (every document of the file merged), then merged over the previous.
  const add = (text: string, origin: ValuesSource) => {
    let m = rs.parsedValues.get(text);
    if (!m) {
      try {
        m = parseValuesFile(text, origin.shown);
      } catch (e) {
        if (!(e instanceof ValuesError)) throw e;
        let msg = e.message.replace(`failed to parse ${origin.shown}: `, '');
        if (/cannot unmarshal (array|string|number|bool) into Go value of type map/.test(msg)) msg = `values must be a map: ${msg}`;
        const line = origin.line > 0 ? origin.line : (e.line ?? 0);
        throw new StateError(origin.file, line, origin.field, msg, { cause: e });
      }
      rs.parsedValues.set(text, m);
    }
    base = mergeMaps(base, cloneMap(m));
    sources.push(origin.shown);
  };
  const inlineOrigin = (sub: FieldPath): ValuesSource => ({
    file: display(d.loc.file),
    line: lineOf(d.loc, sub),
    field: fieldOf(d.loc, sub),
    shown: `<inline> ${display(d.loc.file)}:${lineOf(d.loc, sub)}`,
  });
  const addPath = (p: string, sub: FieldPath) => {
    const pattern = prefix + p;
    const files = resolveFiles(unit.dir, pattern);
    if (files.length === 0) {
      const shown = display(isAbsolute(pattern) ? pattern : join(unit.dir, pattern));
      if (handler === 'Error') throw rs.error(d.loc, sub, `values file ${shown} does not exist`);
      warn(state.warnings, `${handler.toLowerCase()}: skipping missing values file ${shown} (${display(d.loc.file)}:${lineOf(d.loc, sub)})`);
      return;
    }
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw rs.error(d.loc, sub, `open ${display(file)}: ${(e as Error).message}`);
      }
      if (file.endsWith('.gotmpl')) text = renderer.render({ text, file, dir: unit.dir, data: templateData() });
      add(text, { file: display(file), line: 0, field: '', shown: file });
    }
  };
  f.valuesTemplate.forEach((x, i) => {
    if (typeof x === 'string') return addPath(x, ['valuesTemplate', i]);
    // Rendered inline maps are read back as state YAML and written out again, as helmfile does.
    let map: GoMap = newMap();
    const origin = inlineOrigin(['valuesTemplate', i]);
    for (const doc of parseSource(x.yaml, origin.file, origin.line - 1)) if (isPlainObject(doc.value)) map = toGoMap(doc.value);
    add(toYaml(map), origin);
  });
  f.values.forEach((x, i) => {
    if (typeof x === 'string') return addPath(x, ['values', i]);
    add(toYaml(toGoMap(x.map)), inlineOrigin(['values', i]));
  });

  const sets: string[] = [];
  const setStrings: string[] = [];
  const setFiles: string[] = [];
  const collect = (entries: SetEntry[], into: string[], field: string) => {
    entries.forEach((e, i) => {
      if (e.value !== undefined && e.value !== '') into.push(`${escapeSet(e.name)}=${escapeSet(e.value)}`);
      else if (e.file !== undefined && e.file !== '') {
        if (field === 'setString') throw rs.error(d.loc, [field, i, 'file'], 'setString does not take a file; use set');
        setFiles.push(`${escapeSet(e.name)}=${isAbsolute(e.file) ? e.file : join(unit.dir, e.file)}`);
      } else if (e.values !== undefined && e.values.length > 0) into.push(`${escapeSet(e.name)}={${e.values.map(escapeSet).join(',')}}`);
    });
  };
  collect(f.setTemplate, sets, 'setTemplate');
  collect(setEntries(raw.set), sets, 'set');
  collect(setEntries(raw.setString), setStrings, 'setString');

  // Then --set, --set-string and --set-file, in Helm's order (pkg/cli/values/options.go MergeValues).
  const apply = (kind: string, list: string[], fn: (v: string) => void) => {
    for (const v of list) {
      try {
        fn(v);
      } catch (e) {
        throw rs.error(d.loc, [kind === '--set-string' ? 'setString' : 'set'], `failed parsing ${kind} data: ${(e as Error).message}`, e);
      }
    }
  };
  apply('--set', sets, (v) => parseSetInto(v, base));
  apply('--set-string', setStrings, (v) => parseSetStringInto(v, base));
  apply('--set-file', setFiles, (v) => parseSetFileInto(v, base, (p) => new TextDecoder().decode(defaultReadFile(p))));
  return { values: base, sources };
}
