// Loading state files the way helmfile v1 does (pkg/app/desired_state_file_loader.go, pkg/state/create.go):
//
//   - a file is split into parts on "\n---\n"; only `.gotmpl` files are templates, and each part is rendered with the
//     environment accumulated from the parts before it (.Values, .Environment), then parsed and validated;
//   - `bases` are loaded (relative paths in them resolve against the including file's directory) and merged under
//     the part: lists append, maps merge, environments merge deeply (values lists concatenate);
//   - each part computes its environment: environment values (rendered with the environment so far), then the
//     root `values` (defaults), then --state-values-* overrides; .Values = defaults ⊕ environment values ⊕ overrides;
//   - parts merge: a later part's keys override, lists (releases, ...) are replaced;
//   - `helmfiles` are loaded as independent nested states (same environment, values passed as overrides, their own
//     selectors), processed before the including file's releases.
//
// bosun adds environment `clusters`: the state values of a cluster are defaults ⊕ environment values ⊕ cluster
// values ⊕ overrides.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { newMap, type GoMap } from '../template/value.js';
import { goPathMatch } from '../chart/index.js';
import { parseSetInto } from '../values/index.js';
import { StateError, formatField, type FieldPath } from './errors.js';
import { parseSource, toGoMap, toPlain, str, isPlainObject, type SourceDoc } from './source.js';
import { validateDocument } from './schema.js';
import { mergeValues, cloneMap, type ArrayStrategy } from './merge.js';
import { StateRenderer } from './templates.js';
import type { LoadOptions, Repository, Hook, ClusterInfo } from './types.js';

type Path = (string | number)[];

/** Where a piece of a state document came from. */
export interface Loc {
  readonly file: string;
  readonly doc: SourceDoc;
  readonly path: Path;
}

export interface Piece<T> {
  readonly v: T;
  readonly loc: Loc;
}

export function lineOf(loc: Loc, sub: FieldPath = []): number {
  return loc.doc.lineOf([...loc.path, ...sub]);
}

export function fieldOf(loc: Loc, sub: FieldPath = []): string {
  return formatField([...loc.path, ...sub]);
}

export type MissingFileHandler = 'Error' | 'Warn' | 'Info' | 'Debug';

interface EnvSpec {
  values: Piece<unknown>[];
  secrets: Piece<string>[];
  kubeContext?: string;
  missingFileHandler?: MissingFileHandler;
  clusters?: Piece<Record<string, unknown>>[];
  loc: Loc;
}

/** One state document, or several merged. */
export interface Spec {
  bases: Piece<string>[];
  helmfiles: Piece<unknown>[];
  environments: Map<string, EnvSpec>;
  environmentsLoc?: Loc;
  values: Piece<unknown>[];
  releases: Piece<Record<string, unknown>>[];
  templates: Map<string, Piece<Record<string, unknown>>>;
  helmDefaults: Record<string, unknown>;
  commonLabels: Record<string, string>;
  repositories: Piece<Record<string, unknown>>[];
  hooks: Piece<unknown>[];
  kubeVersion?: string;
  apiVersions?: string[];
  missingFileHandler?: MissingFileHandler;
  defaultInherit?: string[];
}

function emptySpec(): Spec {
  return {
    bases: [],
    helmfiles: [],
    environments: new Map(),
    values: [],
    releases: [],
    templates: new Map(),
    helmDefaults: {},
    commonLabels: {},
    repositories: [],
    hooks: [],
  };
}

function pieces<T>(list: unknown, loc: (i: number) => Loc, map: (x: unknown) => T = (x) => x as T): Piece<T>[] {
  if (!Array.isArray(list)) return [];
  return list.map((x, i) => ({ v: map(x), loc: loc(i) }));
}

function specFromDoc(doc: SourceDoc, file: string): Spec {
  const spec = emptySpec();
  const v = doc.value;
  if (!isPlainObject(v)) return spec;
  const at = (...path: Path): Loc => ({ file, doc, path });
  spec.bases = pieces(v.bases, (i) => at('bases', i), str);
  spec.helmfiles = pieces(v.helmfiles, (i) => at('helmfiles', i));
  spec.values = pieces(v.values, (i) => at('values', i));
  spec.releases = pieces(v.releases, (i) => at('releases', i), (x) => x as Record<string, unknown>);
  spec.repositories = pieces(v.repositories, (i) => at('repositories', i), (x) => x as Record<string, unknown>);
  if (isPlainObject(v.environments)) {
    spec.environmentsLoc = at('environments');
    for (const [name, raw] of Object.entries(v.environments)) {
      const e = isPlainObject(raw) ? raw : {};
      const loc = at('environments', name);
      spec.environments.set(name, {
        values: pieces(e.values, (i) => at('environments', name, 'values', i)),
        secrets: pieces(e.secrets, (i) => at('environments', name, 'secrets', i), str),
        kubeContext: e.kubeContext === undefined ? undefined : str(e.kubeContext),
        missingFileHandler: e.missingFileHandler as MissingFileHandler | undefined,
        clusters: e.clusters === undefined ? undefined : pieces(e.clusters, (i) => at('environments', name, 'clusters', i), (x) => x as Record<string, unknown>),
        loc,
      });
    }
  }
  if (isPlainObject(v.templates)) {
    for (const [name, raw] of Object.entries(v.templates)) {
      spec.templates.set(name, { v: isPlainObject(raw) ? raw : {}, loc: at('templates', name) });
    }
  }
  if (isPlainObject(v.helmDefaults)) spec.helmDefaults = { ...v.helmDefaults };
  if (isPlainObject(v.commonLabels)) for (const [k, x] of Object.entries(v.commonLabels)) spec.commonLabels[k] = str(x);
  spec.hooks = pieces(v.hooks, (i) => at('hooks', i));
  if (v.kubeVersion !== undefined && v.kubeVersion !== null) spec.kubeVersion = str(v.kubeVersion);
  if (Array.isArray(v.apiVersions)) spec.apiVersions = v.apiVersions.map(str);
  if (typeof v.missingFileHandler === 'string') spec.missingFileHandler = v.missingFileHandler as MissingFileHandler;
  if (v.defaultInherit !== undefined && v.defaultInherit !== null) {
    spec.defaultInherit = Array.isArray(v.defaultInherit) ? v.defaultInherit.map(str) : [str(v.defaultInherit)];
  }
  return spec;
}

/** helmfile's mergeEnvironments: values and secrets concatenate, other fields of the later layer win when set. */
function mergeEnvSpec(a: EnvSpec, b: EnvSpec): EnvSpec {
  return {
    values: [...a.values, ...b.values],
    secrets: [...a.secrets, ...b.secrets],
    kubeContext: b.kubeContext ? b.kubeContext : a.kubeContext,
    missingFileHandler: b.missingFileHandler ?? a.missingFileHandler,
    clusters: b.clusters ?? a.clusters,
    loc: b.loc,
  };
}

/** Layers (documents of a part, bases under a part): lists append, maps merge, set scalars of `b` win. */
function mergeLayers(a: Spec, b: Spec): Spec {
  const envs = new Map(a.environments);
  for (const [k, e] of b.environments) envs.set(k, envs.has(k) ? mergeEnvSpec(envs.get(k)!, e) : e);
  return {
    bases: [...a.bases, ...b.bases],
    helmfiles: [...a.helmfiles, ...b.helmfiles],
    environments: envs,
    environmentsLoc: b.environmentsLoc ?? a.environmentsLoc,
    values: [...a.values, ...b.values],
    releases: [...a.releases, ...b.releases],
    templates: new Map([...a.templates, ...b.templates]),
    helmDefaults: { ...a.helmDefaults, ...b.helmDefaults },
    commonLabels: { ...a.commonLabels, ...b.commonLabels },
    repositories: [...a.repositories, ...b.repositories],
    hooks: [...a.hooks, ...b.hooks],
    kubeVersion: b.kubeVersion ?? a.kubeVersion,
    apiVersions: a.apiVersions || b.apiVersions ? [...(a.apiVersions ?? []), ...(b.apiVersions ?? [])] : undefined,
    missingFileHandler: b.missingFileHandler ?? a.missingFileHandler,
    defaultInherit: b.defaultInherit ?? a.defaultInherit,
  };
}

/** Parts of one file: a later part's non-empty lists replace, maps merge by key, set scalars win. */
function mergeParts(a: Spec, b: Spec): Spec {
  const pick = <T>(x: T[], y: T[]) => (y.length > 0 ? y : x);
  return {
    bases: pick(a.bases, b.bases),
    helmfiles: pick(a.helmfiles, b.helmfiles),
    environments: new Map([...a.environments, ...b.environments]),
    environmentsLoc: b.environmentsLoc ?? a.environmentsLoc,
    values: pick(a.values, b.values),
    releases: pick(a.releases, b.releases),
    templates: new Map([...a.templates, ...b.templates]),
    helmDefaults: { ...a.helmDefaults, ...b.helmDefaults },
    commonLabels: { ...a.commonLabels, ...b.commonLabels },
    repositories: pick(a.repositories, b.repositories),
    hooks: pick(a.hooks, b.hooks),
    kubeVersion: b.kubeVersion ?? a.kubeVersion,
    apiVersions: b.apiVersions && b.apiVersions.length > 0 ? b.apiVersions : a.apiVersions,
    missingFileHandler: b.missingFileHandler ?? a.missingFileHandler,
    defaultInherit: b.defaultInherit ?? a.defaultInherit,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Environment state

/** helmfile's Environment: defaults (root values), environment values and overrides, merged on use. */
export interface EnvState {
  name: string;
  kubeContext: string;
  defaults: GoMap;
  values: GoMap;
  /** Overrides applied last, in order (--state-values-file, then --state-values-set; or a helmfiles entry's values). */
  overrides: readonly OverrideLayer[];
}

/** One override layer and how it merges lists (--state-values-set: element by element, helmfile's CLI overrides). */
export interface OverrideLayer {
  values: GoMap;
  arrays: ArrayStrategy;
}

export type Overrides = readonly OverrideLayer[];

function initialEnv(name: string, overrides: Overrides | undefined): EnvState {
  return { name, kubeContext: '', defaults: newMap(), values: newMap(), overrides: overrides ?? [] };
}

/** .Values of an environment, optionally with a cluster's values layered under the overrides. */
export function envValues(e: EnvState, cluster?: GoMap): GoMap {
  let v = mergeValues(mergeValues(newMap(), e.defaults), e.values);
  if (cluster) v = mergeValues(v, cluster);
  for (const o of e.overrides) v = mergeValues(v, o.values, o.arrays);
  return v;
}

/** Template data of state files: .Environment, .Values, .StateValues, .Namespace (values copied). */
export function stateTemplateData(e: EnvState, values: GoMap = envValues(e)): GoMap {
  const vals = cloneMap(values);
  const env = newMap();
  env.Name = e.name;
  env.KubeContext = e.kubeContext;
  env.Values = vals;
  const d = newMap();
  d.Environment = env;
  d.Values = vals;
  d.StateValues = vals;
  d.Namespace = '';
  return d;
}

// ---------------------------------------------------------------------------------------------------------------
// Units: loaded state files (roots and nested ones; bases are merged into them)

export interface ClusterDef extends ClusterInfo {
  entries: Piece<unknown>[];
  missingFileHandler: MissingFileHandler;
  /** The unit whose environment defines the cluster (its values files resolve there). */
  unit: Unit;
  loc?: Loc;
  implicit: boolean;
  valuesCache?: GoMap;
}

export interface Unit {
  file: string;
  dir: string;
  spec: Spec;
  env: EnvState;
  clusters: ClusterDef[];
  /** Selectors from a `helmfiles` entry; undefined: the command line's. */
  scope?: string[];
  parent?: Unit;
}

export interface LoaderContext {
  envName: string;
  cwd: string;
  renderer: StateRenderer;
  warnings: string[];
  display: (p: string) => string;
}

const GLOB = /[*?[]/;

function isRemote(p: string): boolean {
  return /^[a-z0-9+.-]+::/i.test(p) || /^(https?|s3|gs|git|oci):\/\//i.test(p);
}

/** Files matching `pattern` (relative to dir): the file itself, or the sorted glob matches (`**` spans dirs). */
export function resolveFiles(dir: string, pattern: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : join(dir, pattern);
  if (!GLOB.test(pattern)) {
    try {
      return statSync(abs).isFile() ? [abs] : [];
    } catch {
      return [];
    }
  }
  const parts = abs.split(sep);
  const start = parts[0] === '' ? sep : parts[0]!;
  let paths = [start];
  for (const seg of parts.slice(1)) {
    if (seg === '') continue;
    const next: string[] = [];
    for (const p of paths) {
      if (seg === '**') {
        const walk = (d: string) => {
          next.push(d);
          for (const e of safeReaddir(d)) if (e.dir) walk(join(d, e.name));
        };
        walk(p);
      } else if (GLOB.test(seg)) {
        for (const e of safeReaddir(p)) {
          let ok = false;
          try {
            ok = goPathMatch(seg, e.name);
          } catch {
            ok = false;
          }
          if (ok) next.push(join(p, e.name));
        }
      } else next.push(join(p, seg));
    }
    paths = [...new Set(next)];
  }
  return paths
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

function safeReaddir(d: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(d, { withFileTypes: true })
      .map((e) => ({ name: e.name, dir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** Splits on "\n---\n" as helmfile does, keeping the number of lines before each part. */
function splitParts(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  let offset = 0;
  for (;;) {
    const i = text.indexOf('\n---\n', start);
    if (i < 0) {
      out.push({ text: text.slice(start), offset });
      return out;
    }
    const part = text.slice(start, i);
    out.push({ text: part, offset });
    offset += countLines(part) + 1; // the part's lines, then the separator line
    start = i + 5;
  }
}

function countLines(s: string): number {
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Lines of a rendered template, mapped back to the template source: one to one when the rendering kept the number
 * of lines, otherwise through the nearest source line with the same text.
 */
function remapLines(doc: SourceDoc, rendered: string, source: string, offset: number): SourceDoc {
  const r = rendered.split('\n');
  const s = source.split('\n');
  if (r.length === s.length) return { value: doc.value, lineOf: (p) => doc.lineOf(p) + offset };
  return {
    value: doc.value,
    lineOf: (p) => {
      const line = doc.lineOf(p);
      const text = (r[line - 1] ?? '').trim();
      if (text !== '') {
        let best = -1;
        for (let i = 0; i < s.length; i++) {
          if (s[i]!.trim() === text && (best < 0 || Math.abs(i + 1 - line) < Math.abs(best + 1 - line))) best = i;
        }
        if (best >= 0) return best + 1 + offset;
      }
      return line + offset;
    },
  };
}

export type UnitKind = 'root' | 'nested' | 'base';

/** Records a message once. */
export function warn(list: string[], message: string): void {
  if (!list.includes(message)) list.push(message);
}

interface FileResult {
  spec: Spec;
  env: EnvState;
}

export class Loader {
  constructor(readonly ctx: LoaderContext) {}

  private readText(file: string, loc?: Loc, sub?: FieldPath): string {
    try {
      return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
      if (loc) throw new StateError(this.ctx.display(loc.file), lineOf(loc, sub), fieldOf(loc, sub), `open ${this.ctx.display(file)}: ${why}`);
      throw new StateError(this.ctx.display(file), 0, '', `open: ${why}`);
    }
  }

  /** Loads one state file: its parts rendered and merged, bases included, environment computed. */
  loadFile(file: string, dir: string, kind: UnitKind, inherited: EnvState | undefined, overrides: Overrides | undefined, stack: string[], from?: Loc): FileResult {
    if (stack.includes(file)) {
      const where = from ?? undefined;
      const msg = `${this.ctx.display(file)} includes itself: ${[...stack, file].map((f) => this.ctx.display(f)).join(' -> ')}`;
      if (where) throw new StateError(this.ctx.display(where.file), lineOf(where), fieldOf(where), msg);
      throw new StateError(this.ctx.display(file), 0, '', msg);
    }
    const text = this.readText(file, from);
    const isTemplate = file.endsWith('.gotmpl');
    let env = inherited;
    let final: Spec | undefined;
    for (const part of splitParts(text)) {
      let docs: SourceDoc[];
      if (isTemplate) {
        const renderEnv = env ?? initialEnv(this.ctx.envName, overrides);
        const rendered = this.ctx.renderer.render({ text: part.text, file, dir, lineOffset: part.offset, data: stateTemplateData(renderEnv) });
        docs = parseSource(rendered, this.ctx.display(file), 0).map((d) => remapLines(d, rendered, part.text, part.offset));
      } else {
        docs = parseSource(part.text, this.ctx.display(file), part.offset);
      }
      let spec = emptySpec();
      for (const d of docs) {
        validateDocument(d, this.ctx.display(file));
        spec = mergeLayers(spec, specFromDoc(d, file));
      }
      if (spec.bases.length > 0) {
        if (kind === 'base') {
          const b = spec.bases[0]!;
          throw new StateError(this.ctx.display(file), lineOf(b.loc), fieldOf(b.loc), 'a base state file cannot have bases of its own');
        }
        let layered = emptySpec();
        for (const b of spec.bases) {
          if (isRemote(b.v)) throw new StateError(this.ctx.display(file), lineOf(b.loc), fieldOf(b.loc), `remote state files are not supported by bosun yet: ${b.v}`);
          const path = resolve(dir, b.v);
          const base = this.loadFile(path, dir, 'base', env, overrides, [...stack, file], b.loc);
          layered = mergeLayers(layered, base.spec);
        }
        spec = mergeLayers(layered, { ...spec, bases: [] });
      }
      env = this.computeEnv(spec, file, dir, env, overrides);
      final = final ? mergeParts(final, spec) : spec;
    }
    final ??= emptySpec();
    if (kind !== 'base' && this.ctx.envName !== 'default' && !final.environments.has(this.ctx.envName)) {
      if (final.environments.size > 0 || kind === 'root') {
        const loc = final.environmentsLoc;
        const defined = [...final.environments.keys()];
        const detail = `environment "${this.ctx.envName}" is not defined` + (defined.length ? ` (defined: ${defined.join(', ')})` : '');
        throw new StateError(this.ctx.display(file), loc ? lineOf(loc) : 0, loc ? 'environments' : '', detail);
      }
    }
    return { spec: final, env: env! };
  }

  /** helmfile's LoadEnvValues for one part. */
  private computeEnv(spec: Spec, file: string, dir: string, ctxEnv: EnvState | undefined, overrides: Overrides | undefined): EnvState {
    const name = this.ctx.envName;
    const envSpec = spec.environments.get(name);
    const renderEnv = ctxEnv ?? initialEnv(name, overrides);
    let values = newMap();
    if (envSpec) {
      const handler = envSpec.missingFileHandler ?? spec.missingFileHandler ?? 'Error';
      values = this.loadValuesEntries(envSpec.values, handler, dir, stateTemplateData(renderEnv));
    }
    const next: EnvState = {
      name,
      kubeContext: envSpec?.kubeContext ?? '',
      defaults: newMap(),
      values,
      overrides: overrides ?? ctxEnv?.overrides ?? [],
    };
    if (ctxEnv) {
      next.defaults = mergeValues(ctxEnv.defaults, next.defaults);
      next.values = mergeValues(ctxEnv.values, next.values);
      if (ctxEnv.kubeContext !== '') next.kubeContext = ctxEnv.kubeContext;
    }
    const defaults = this.loadValuesEntries(spec.values, 'Error', dir, stateTemplateData(ctxEnv ?? initialEnv(name, overrides)));
    next.defaults = mergeValues(next.defaults, defaults);
    return next;
  }

  /**
   * Values entries (files or inline maps) merged in order with helmfile's rules. Files resolve against `dir`, may be
   * globs, and are rendered when they end in `.gotmpl`; each must hold a map.
   */
  loadValuesEntries(entries: readonly Piece<unknown>[], handler: MissingFileHandler, dir: string, data: GoMap | (() => GoMap)): GoMap {
    let out = newMap();
    for (const entry of entries) {
      if (isPlainObject(entry.v)) {
        out = mergeValues(out, toGoMap(entry.v));
        continue;
      }
      if (entry.v === null || entry.v === undefined) continue;
      const pattern = str(entry.v);
      if (isRemote(pattern)) {
        throw new StateError(this.ctx.display(entry.loc.file), lineOf(entry.loc), fieldOf(entry.loc), `remote values files are not supported by bosun yet: ${pattern}`);
      }
      if (pattern.endsWith('.hcl')) {
        throw new StateError(this.ctx.display(entry.loc.file), lineOf(entry.loc), fieldOf(entry.loc), `HCL values files are not supported by bosun yet: ${pattern}`);
      }
      const files = resolveFiles(dir, pattern);
      if (files.length === 0) {
        const shown = this.ctx.display(isAbsolute(pattern) ? pattern : join(dir, pattern));
        if (handler === 'Error') {
          throw new StateError(this.ctx.display(entry.loc.file), lineOf(entry.loc), fieldOf(entry.loc), `values file ${shown} does not exist`);
        }
        warn(this.ctx.warnings, `${handler.toLowerCase()}: skipping missing values file ${shown} (${this.ctx.display(entry.loc.file)}:${lineOf(entry.loc)})`);
        continue;
      }
      for (const f of files) out = mergeValues(out, this.readValuesFile(f, dir, typeof data === 'function' ? data : () => data));
    }
    return out;
  }

  /** One state values file (go-yaml v3 typing), rendered first when it is a `.gotmpl`. */
  readValuesFile(file: string, dir: string, data: () => GoMap): GoMap {
    let text = this.readText(file);
    if (file.endsWith('.gotmpl')) text = this.ctx.renderer.render({ text, file, dir, data: data() });
    let out = newMap();
    for (const doc of parseSource(text, this.ctx.display(file))) {
      const v = doc.value;
      if (v === null) continue;
      if (!isPlainObject(v)) {
        const kind = Array.isArray(v) ? 'a list' : 'a scalar';
        throw new StateError(this.ctx.display(file), doc.lineOf([]), '', `values file must hold a map, not ${kind}`);
      }
      out = mergeValues(out, toGoMap(v));
    }
    return out;
  }

  /** Loads a root or nested state file and, depth first, its `helmfiles`; returns the units in processing order. */
  loadUnit(file: string, kind: 'root' | 'nested', overrides: Overrides | undefined, scope: string[] | undefined, parent: Unit | undefined, stack: string[], from?: Loc): Unit[] {
    const dir = dirname(file);
    const { spec, env } = this.loadFile(file, dir, kind, undefined, overrides, stack, from);
    const unit: Unit = { file, dir, spec, env, clusters: [], scope, parent };
    unit.clusters = this.clustersOf(unit);
    const out: Unit[] = [];
    for (const entry of spec.helmfiles) {
      const raw = entry.v;
      const obj = isPlainObject(raw) ? raw : { path: raw };
      const pattern = str(obj.path);
      if (isRemote(pattern)) {
        throw new StateError(this.ctx.display(file), lineOf(entry.loc), fieldOf(entry.loc), `remote state files are not supported by bosun yet: ${pattern}`);
      }
      const files = resolveFiles(dir, pattern);
      if (files.length === 0) {
        const handler = spec.missingFileHandler ?? 'Warn';
        const shown = this.ctx.display(join(dir, pattern));
        if (handler === 'Error') throw new StateError(this.ctx.display(file), lineOf(entry.loc), fieldOf(entry.loc), `nested state file ${shown} does not exist`);
        warn(this.ctx.warnings, `${handler.toLowerCase()}: no nested state file matches ${shown} (${this.ctx.display(file)}:${lineOf(entry.loc)})`);
        continue;
      }
      let nestedOverrides: Overrides | undefined;
      if (Array.isArray(obj.values)) {
        const entries = pieces(obj.values, (i) => ({ ...entry.loc, path: [...entry.loc.path, 'values', i] }));
        nestedOverrides = [{ values: this.loadValuesEntries(entries, 'Error', dir, stateTemplateData(initialEnv(this.ctx.envName, undefined))), arrays: 'sparse' }];
      }
      let nestedScope = scope;
      if (Array.isArray(obj.selectors)) nestedScope = obj.selectors.map(str);
      for (const f of files) {
        if (f === file) {
          throw new StateError(this.ctx.display(file), lineOf(entry.loc), fieldOf(entry.loc), `${this.ctx.display(file)} includes itself`);
        }
        out.push(...this.loadUnit(f, 'nested', nestedOverrides, nestedScope, unit, [...stack, file], entry.loc));
      }
    }
    out.push(unit);
    return out;
  }

  private clustersOf(unit: Unit): ClusterDef[] {
    const envSpec = unit.spec.environments.get(this.ctx.envName);
    const defaultContext = unit.env.kubeContext || str(unit.spec.helmDefaults.kubeContext);
    if (!envSpec?.clusters) {
      if (unit.parent && defaultContext === '') return unit.parent.clusters;
      const name = defaultContext || 'default';
      return [{ name, kubeContext: defaultContext, labels: {}, entries: [], missingFileHandler: 'Error', unit, implicit: true }];
    }
    const seen = new Map<string, Loc>();
    const out: ClusterDef[] = [];
    for (const c of envSpec.clusters) {
      const name = str(c.v.name);
      if (seen.has(name)) {
        throw new StateError(this.ctx.display(c.loc.file), lineOf(c.loc, ['name']), fieldOf(c.loc, ['name']), `cluster "${name}" is defined twice (first at line ${lineOf(seen.get(name)!, ['name'])})`);
      }
      seen.set(name, c.loc);
      const labels: Record<string, string> = {};
      if (isPlainObject(c.v.labels)) for (const [k, x] of Object.entries(c.v.labels)) labels[k] = str(x);
      out.push({
        name,
        kubeContext: c.v.kubeContext === undefined ? name : str(c.v.kubeContext),
        labels,
        entries: pieces(c.v.values, (i) => ({ ...c.loc, path: [...c.loc.path, 'values', i] })),
        missingFileHandler: (c.v.missingFileHandler as MissingFileHandler | undefined) ?? envSpec.missingFileHandler ?? unit.spec.missingFileHandler ?? 'Error',
        unit,
        loc: c.loc,
        implicit: false,
      });
    }
    if (out.length === 0) {
      throw new StateError(this.ctx.display(envSpec.loc.file), lineOf(envSpec.loc, ['clusters']), fieldOf(envSpec.loc, ['clusters']), 'an environment with clusters must list at least one');
    }
    return out;
  }

  /** The cluster's own values (loaded once), rendered with its unit's environment and .Cluster. */
  clusterValues(c: ClusterDef): GoMap {
    if (c.valuesCache) return c.valuesCache;
    const data = () => {
      const d = stateTemplateData(c.unit.env);
      d.Cluster = clusterData(c, newMap());
      return d;
    };
    c.valuesCache = this.loadValuesEntries(c.entries, c.missingFileHandler, c.unit.dir, data);
    return c.valuesCache;
  }
}

/** .Cluster in templates: Name, KubeContext, Labels, Values. */
export function clusterData(c: ClusterInfo, values: GoMap): GoMap {
  const m = newMap();
  m.Name = c.name;
  m.KubeContext = c.kubeContext;
  const labels = newMap();
  for (const [k, v] of Object.entries(c.labels)) labels[k] = v;
  m.Labels = labels;
  m.Values = values;
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// The loaded state

const STATE_FILES = ['bosun.yaml', 'bosun.yaml.gotmpl', 'helmfile.yaml', 'helmfile.yaml.gotmpl'];

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function stateFilesIn(dir: string): string[] | undefined {
  for (const n of STATE_FILES) {
    const p = join(dir, n);
    try {
      if (statSync(p).isFile()) return [p];
    } catch {
      // next
    }
  }
  const d = join(dir, 'helmfile.d');
  if (isDir(d)) return yamlFilesIn(d);
  return undefined;
}

function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml') || n.endsWith('.yaml.gotmpl') || n.endsWith('.yml.gotmpl'))
    .sort()
    .map((n) => join(dir, n));
}

/** The loaded state: every state file of the run, for one environment. */
export class State {
  /** @internal */
  readonly units: Unit[];
  /** @internal */
  readonly loader: Loader;
  /** The root state file(s), as displayed. */
  readonly files: string[];
  readonly environment: string;
  /** Messages about skipped missing files (missingFileHandler Warn/Info/Debug). */
  readonly warnings: string[];
  readonly cwd: string;

  /** @internal */
  constructor(units: Unit[], loader: Loader, roots: string[], environment: string, cwd: string) {
    this.units = units;
    this.loader = loader;
    this.files = roots.map((f) => loader.ctx.display(f));
    this.environment = environment;
    this.warnings = loader.ctx.warnings;
    this.cwd = cwd;
  }

  private get roots(): Unit[] {
    return this.units.filter((u) => !u.parent);
  }

  /** Every state file loaded (roots and nested), as displayed. */
  get allFiles(): string[] {
    return this.units.map((u) => this.loader.ctx.display(u.file));
  }

  /** The root state's .Values for the environment (no cluster layer). */
  get values(): GoMap {
    const r = this.roots[this.roots.length - 1]!;
    return envValues(r.env);
  }

  /** The clusters of the root state's environment. */
  get clusters(): ClusterInfo[] {
    const r = this.roots[this.roots.length - 1]!;
    return r.clusters.map((c) => ({ name: c.name, kubeContext: c.kubeContext, labels: { ...c.labels } }));
  }

  /** Chart repositories of every state file (recorded). */
  get repositories(): Repository[] {
    const out: Repository[] = [];
    for (const u of this.units) for (const r of u.spec.repositories) out.push(toPlain(r.v) as Repository);
    return out;
  }

  /** The root state's helmDefaults. */
  get helmDefaults(): Record<string, unknown> {
    return toPlain(this.roots[this.roots.length - 1]!.spec.helmDefaults) as Record<string, unknown>;
  }

  /** Global hooks of every state file. */
  get hooks(): Hook[] {
    return this.units.flatMap((u) => u.spec.hooks.map((h) => toPlain(h.v) as Hook));
  }

  get kubeVersion(): string | undefined {
    return this.roots[this.roots.length - 1]!.spec.kubeVersion;
  }

  get apiVersions(): string[] {
    return [...(this.roots[this.roots.length - 1]!.spec.apiVersions ?? [])];
  }

  /** Encrypted environment values files of every state file (absolute paths), recorded for later decryption. */
  get environmentSecrets(): string[] {
    const out: string[] = [];
    for (const u of this.units) {
      for (const s of u.spec.environments.get(this.environment)?.secrets ?? []) out.push(isAbsolute(s.v) ? s.v : join(u.dir, s.v));
    }
    return out;
  }

  /** The releases as declared (before templates and fan-out): name as written, file and line. */
  get releases(): { name: string; file: string; line: number }[] {
    return this.units.flatMap((u) => u.spec.releases.map((r) => ({ name: str(r.v.name), file: this.loader.ctx.display(r.loc.file), line: lineOf(r.loc) })));
  }
}

function parseOverrides(opts: LoadOptions, cwd: string, loader: Loader): Overrides | undefined {
  const files = opts.stateValuesFiles ?? [];
  const sets = opts.stateValuesSet ?? [];
  if (files.length === 0 && sets.length === 0) return undefined;
  // helmfile docs/values-and-merging.md: a --state-values-file replaces lists; --state-values-set merges them
  // element by element.
  const layers: OverrideLayer[] = [];
  for (const f of files) {
    const path = resolve(cwd, f);
    layers.push({ values: loader.readValuesFile(path, dirname(path), () => stateTemplateData(initialEnv(loader.ctx.envName, undefined))), arrays: 'sparse' });
  }
  if (sets.length > 0) {
    const values = newMap();
    for (const s of sets) {
      try {
        parseSetInto(s, values);
      } catch (e) {
        throw new StateError('--state-values-set', 0, '', `${s}: ${(e as Error).message}`);
      }
    }
    layers.push({ values, arrays: 'merge' });
  }
  return layers;
}

/**
 * Loads the state for one environment: every state file (templates rendered part by part), bases, nested states,
 * environment and cluster values. Throws StateError (file:line: field: message) on any problem.
 */
export async function loadState(opts: LoadOptions = {}): Promise<State> {
  return loadStateSync(opts);
}

/** loadState without the Promise. */
export function loadStateSync(opts: LoadOptions = {}): State {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const envName = opts.environment ?? 'default';
  const display = (p: string) => {
    if (!isAbsolute(p)) return p;
    const r = relative(cwd, p);
    return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
  const ctx: LoaderContext = {
    envName,
    cwd,
    renderer: new StateRenderer({ allowExec: opts.allowExec ?? false, env: opts.env ?? process.env, display }),
    warnings: [],
    display,
  };
  const loader = new Loader(ctx);
  let roots: string[];
  if (opts.file !== undefined) {
    const p = resolve(cwd, opts.file);
    if (isDir(p)) {
      const found = stateFilesIn(p) ?? yamlFilesIn(p);
      if (found.length === 0) throw new StateError(display(p), 0, '', `no state file found (looked for ${STATE_FILES.join(', ')}, helmfile.d/)`);
      roots = found;
    } else roots = [p];
  } else {
    const found = stateFilesIn(cwd);
    if (!found || found.length === 0) throw new StateError(display(cwd), 0, '', `no state file found (looked for ${STATE_FILES.join(', ')}, helmfile.d/)`);
    roots = found;
  }
  const overrides = parseOverrides(opts, cwd, loader);
  const units: Unit[] = [];
  for (const r of roots) units.push(...loader.loadUnit(r, 'root', overrides, undefined, undefined, []));
  return new State(units, loader, roots, envName, cwd);
}
