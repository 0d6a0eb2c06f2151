// The diff of one target: desired objects (rendered exactly as helm renders them) against the live objects, through a
// server-side apply dry-run so that API defaults and fields other managers own never show as changes; objects the
// last release record has and the new render drops (pruned); hooks; and release-only changes (same objects, new
// values or chart version). Secrets are masked unless asked otherwise.
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import type { Chart } from '../chart/index.js';
import { releaseManifest, type RenderedRelease } from '../render/index.js';
import { KubeApiError, NoKindMatchError, type Cluster, type KubeObject, type ObjectRef } from '../kube/index.js';
import { sameJson } from '../kube/fields.js';
import type { Release, ReleaseContext } from '../release/index.js';
import { prunedByAdoption, foreignConflicts, type FieldConflict } from '../release/apply.js';
import { decodeManifest, buildResources, scoped, withOwnership, resourceKey, refOfResource, keepPolicy, type Resource } from '../release/resources.js';
import { toJson, toYaml } from '../yaml/index.js';
import type { GoValue } from '../template/value.js';
import type { Target } from '../state/index.js';
import { layered } from '../state/types.js';
import { compile as compileRegexp, type Regexp } from '../template/funcs/re2.js';
import { isSecret, maskSecretPair, Redactor, type SecretKeyChanges } from './mask.js';
import type { ObjectChange, TargetPlan } from './types.js';

export interface DiffOptions {
  /** Show Secret values (off by default). */
  readonly showSecrets?: boolean;
  /** Lines of context in unified diffs (default 3). */
  readonly context?: number;
  /** Kinds whose changes are left out (--suppress). */
  readonly suppress?: readonly string[];
  /** --force-conflicts: take every target's fields from other managers (a target can also ask in the state file). */
  readonly forceConflicts?: boolean;
  /** --suppress-diff: leave every target's object diffs out (a release can also ask: suppressDiff). */
  readonly suppressDiff?: boolean;
  /** --suppress-output-line-regex: for releases that set none of their own (see Layered). */
  readonly suppressOutputLineRegex?: readonly string[];
}

/** Whether a target's apply takes fields other managers own: --force-conflicts, or the release's forceConflicts or takeOwnership (as `helm upgrade --take-ownership`). */
export function forcesConflicts(t: Target, flag?: boolean): boolean {
  return flag === true || t.release.forceConflicts || t.release.takeOwnership;
}

/** Fields that are the server's bookkeeping, never a change anybody made. */
function normalize(o: KubeObject | null): KubeObject | null {
  if (!o) return null;
  const c: KubeObject = JSON.parse(JSON.stringify(o));
  const md = c.metadata;
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink']) delete md[k];
  if (md.annotations && Object.keys(md.annotations).length === 0) delete md.annotations;
  if (md.labels && Object.keys(md.labels).length === 0) delete md.labels;
  delete c.status;
  return c;
}

/**
 * Whether `live` holds every value `want` sets: maps key by key (live may have more keys: defaults, other managers'
 * fields), lists element by element at equal length and order, scalars equal in type and value. A null anywhere in
 * `want` (which asks a server-side apply to drop a field) never holds. Anything the server would normalise (a
 * quantity, a stringData) therefore fails and the caller falls back to the dry run.
 */
export function liveHolds(want: unknown, live: unknown): boolean {
  if (want === null || typeof want !== 'object') return want !== null && want === live;
  if (live === null || typeof live !== 'object') return false;
  if (Array.isArray(want)) {
    if (!Array.isArray(live) || live.length !== want.length) return false;
    for (let i = 0; i < want.length; i++) if (!liveHolds(want[i], live[i])) return false;
    return true;
  }
  if (Array.isArray(live)) return false;
  for (const k of Object.keys(want)) {
    if (!Object.hasOwn(live, k) || !liveHolds((want as Record<string, unknown>)[k], (live as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * A fleet renders the same object for many clusters: YAML texts and unified diffs are remembered by their inputs
 * (the text depends on the content only), so identical objects are formatted and diffed once. Bounded.
 */
const MEMO_MAX = 4096;
const yamlMemo = new Map<string, string>();
const diffMemo = new Map<string, string>();
function remember(memo: Map<string, string>, key: string, make: () => string): string {
  let v = memo.get(key);
  if (v === undefined) {
    v = make();
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, v);
  }
  return v;
}

/** An object as kubectl and helm print it (sigs.k8s.io/yaml: sorted keys, YAML 1.1 quoting). */
const toYamlText = (o: KubeObject | null): string => (o ? remember(yamlMemo, JSON.stringify(o), () => toYaml(o as unknown as GoValue)) : '');

function unified(name: string, before: string, after: string, context: number): string {
  return remember(diffMemo, `${name}\0${context}\0${before}\0${after}`, () => unifiedOnce(name, before, after, context));
}

function unifiedOnce(name: string, before: string, after: string, context: number): string {
  const patch = createTwoFilesPatch(name, name, before, after, '', '', { context });
  // Drop the "Index:"/"===" preamble and the file headers; keep hunks only.
  return patch
    .split('\n')
    .filter((l) => !l.startsWith('Index:') && !l.startsWith('====') && !l.startsWith('--- ') && !l.startsWith('+++ '))
    .join('\n')
    .replace(/\n+$/, '\n');
}

export function objectName(o: KubeObject): string {
  return `${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.kind}/${o.metadata.name}`;
}

/** sha256 of what a target's apply depends on: the rendered manifests and hooks, the values and the chart. */
export function renderDigest(t: Target, rendered: RenderedRelease, chart: Chart): string {
  const h = createHash('sha256');
  h.update(releaseManifest(rendered.manifests));
  for (const k of rendered.hooks) h.update(`\0${k.path}\0${k.content}`);
  h.update('\0' + toJson(t.values as GoValue));
  h.update(`\0${chart.metadata.name}\0${chart.metadata.version}\0${t.release.installed}\0${t.release.namespace}`);
  return 'sha256:' + h.digest('hex');
}

/** Dotted paths where two plain JSON values differ. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const out: string[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out.push(...changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(root)'];
}

/** The record an upgrade starts from (the newest deployed, else the newest) and the newest revision number. */
async function lastRecord(ctx: ReleaseContext, name: string, history?: (name: string) => Promise<Release[]>): Promise<{ last?: Release; newest: number }> {
  const h = history ? await history(name) : await ctx.storage.history(name);
  const last = h[h.length - 1];
  if (!last || last.info.status === 'uninstalled') return { newest: last?.version ?? 0 };
  const deployed = [...h].reverse().find((r) => r.info.status === 'deployed');
  return { last: deployed ?? last, newest: last.version };
}

/**
 * The kinds CustomResourceDefinitions define, as "apiVersion\0kind" (one entry per served version) → whether the
 * kind is namespaced.
 */
export function crdKinds(objs: readonly KubeObject[]): Map<string, boolean> {
  const kinds = new Map<string, boolean>();
  for (const o of objs) {
    if (o.kind !== 'CustomResourceDefinition' || !o.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const spec = (o as { spec?: { group?: string; scope?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] } }).spec;
    if (!spec?.group || !spec.names?.kind) continue;
    for (const v of spec.versions ?? []) if (v.name && v.served !== false) kinds.set(`${spec.group}/${v.name}\0${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return kinds;
}

/** A desired object; `planned` when its kind is one the cluster does not serve yet but a CRD of this plan defines. */
type Desired = Resource & { readonly planned?: boolean };

/**
 * buildResources, except that an object whose kind the cluster does not serve, but which `planned` defines (a CRD
 * that the apply installs before it), is mapped as that CRD says instead of failing.
 */
async function desiredResources(cluster: Cluster, objs: readonly KubeObject[], namespace: string, planned: () => ReadonlyMap<string, boolean>, unvalidated: boolean): Promise<Desired[]> {
  return Promise.all(
    objs.map(async (o): Promise<Desired> => {
      try {
        return (await buildResources(cluster, [o], namespace))[0]!;
      } catch (e) {
        if (!(e instanceof NoKindMatchError)) throw e;
        // disableValidation: a kind nobody here defines is shown as new, namespaced as most custom kinds are.
        const namespaced = planned().get(`${o.apiVersion}\0${o.kind}`) ?? (unvalidated ? true : undefined);
        if (namespaced === undefined) throw e;
        return { ...scoped(o, namespaced, namespace), planned: true };
      }
    }),
  );
}

/**
 * helm-diff's --suppress-output-line-regex: drops the hunk lines whose text (after the +, - or space mark) a pattern
 * matches, and hunks left with no + or - line. Hunk headers are recounted. Returns the diff and the number of
 * lines dropped.
 */
export function suppressLines(diff: string, patterns: readonly Regexp[]): { diff: string; dropped: number } {
  if (patterns.length === 0) return { diff, dropped: 0 };
  let dropped = 0;
  const out: string[] = [];
  // A hunk's start lines move past the lines dropped before its first kept one.
  let hunk: { header: RegExpExecArray; lines: string[]; skipOld: number; skipNew: number } | undefined;
  const flush = () => {
    if (!hunk) return;
    const changed = hunk.lines.filter((l) => l[0] === '+' || l[0] === '-');
    if (changed.length > 0) {
      const [, from, , to, , rest] = hunk.header;
      const oldCount = hunk.lines.filter((l) => l[0] !== '+' && l[0] !== '\\').length;
      const newCount = hunk.lines.filter((l) => l[0] !== '-' && l[0] !== '\\').length;
      out.push(`@@ -${Number(from) + hunk.skipOld},${oldCount} +${Number(to) + hunk.skipNew},${newCount} @@${rest}`, ...hunk.lines);
    }
    hunk = undefined;
  };
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    const header = /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@(.*)$/.exec(line);
    if (header) {
      flush();
      hunk = { header, lines: [], skipOld: 0, skipNew: 0 };
    } else if (hunk && (line[0] === '+' || line[0] === '-' || line[0] === ' ') && patterns.some((re) => re.matchString(line.slice(1)))) {
      dropped++;
      if (hunk.lines.length === 0) {
        if (line[0] !== '+') hunk.skipOld++;
        if (line[0] !== '-') hunk.skipNew++;
      }
    } else if (hunk) {
      hunk.lines.push(line);
    } else {
      out.push(line);
    }
  }
  flush();
  return { diff: out.length > 0 ? out.join('\n') + '\n' : '', dropped };
}

export interface TargetInput {
  readonly target: Target;
  readonly chart: Chart;
  readonly rendered: RenderedRelease | null;
  readonly ctx: ReleaseContext;
  /** The release's revisions, oldest first (default: ctx.storage.history; a fleet diff reads a namespace at once). */
  readonly history?: (name: string) => Promise<Release[]>;
  /** Reads a live object, null when absent (default: ctx.cluster.get; a fleet diff lists a namespace's objects of a kind at once). */
  readonly live?: (ref: ObjectRef) => Promise<KubeObject | null>;
  /** Renders the target as an upgrade to a revision (when its output may depend on it; else `rendered` serves). */
  readonly renderUpgrade?: (revision: number) => RenderedRelease | Promise<RenderedRelease>;
  /** CRDs that targets this one needs install on its cluster before it (their crds/ and templates); asked for only when a kind is missing. */
  readonly neededCrds?: () => readonly KubeObject[];
}

/** Computes the plan of one target. Never throws: an error is recorded on the plan (redacted). */
export async function diffTarget(input: TargetInput, opts: DiffOptions = {}): Promise<TargetPlan> {
  const { target: t, ctx } = input;
  const redactor = new Redactor();
  const base: TargetPlan = {
    id: t.id,
    cluster: t.cluster.name,
    kubeContext: t.cluster.kubeContext,
    release: t.release.name,
    namespace: ctx.namespace,
    action: 'none',
    changes: [],
    hooks: [],
    valuesChanged: [],
    renderDigest: input.rendered ? renderDigest(t, input.rendered, input.chart) : '',
    live: [],
    revision: 0,
    needs: [...t.release.needs],
  };
  try {
    return await computeDiff(input, opts, base, redactor);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ...base, action: 'error', error: redactor.redact(msg) };
  }
}

async function computeDiff(input: TargetInput, opts: DiffOptions, plan: TargetPlan, redactor: Redactor): Promise<TargetPlan> {
  const { target: t, ctx } = input;
  let rendered = input.rendered;
  const getLive = input.live ?? ((ref: ObjectRef) => ctx.cluster.get(ref));
  const context = opts.context ?? 3;
  const suppress = new Set((opts.suppress ?? []).map((k) => k.toLowerCase()));
  const name = t.release.name;
  const { last, newest } = await lastRecord(ctx, name, input.history);
  plan.revision = last?.version ?? 0;
  // An upgrade renders with .Release.Revision = newest + 1 and IsUpgrade: show what it will apply.
  if (last && rendered && input.renderUpgrade) rendered = await input.renderUpgrade(newest + 1);
  const changes: ObjectChange[] = [];

  const desiredObjs = rendered && t.release.installed ? decodeManifest(releaseManifest(rendered.manifests)) : [];
  for (const o of desiredObjs) redactor.addSecret(o);
  // Kinds whose CRDs the apply installs first: the chart's crds/ the cluster lacks, when it installs the release (helm
  // creates those first and never touches the others), and what the targets it needs install. Their objects are new:
  // there is nothing live to read or dry-run them against.
  const ownCrds = !last && rendered && t.release.installed && !t.release.skipCRDs ? rendered.crds.flatMap((c) => decodeManifest(c.data)) : [];
  const crdsLive = await Promise.all(ownCrds.map((crd) => getLive({ apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name })));
  let planned: Map<string, boolean> | undefined;
  const plannedKinds = () => (planned ??= crdKinds([...ownCrds.filter((_, i) => !crdsLive[i]), ...(input.neededCrds?.() ?? [])]));
  const unvalidated = t.release.disableValidation ?? (t.release.disableValidationOnInstall && !last);
  const desired = await desiredResources(ctx.cluster, desiredObjs, ctx.namespace, plannedKinds, unvalidated);
  const lineFilters = (layered(t.release.suppressOutputLineRegex, opts.suppressOutputLineRegex) ?? []).map((re) => compileRegexp(re));
  const hideDiffs = t.release.suppressDiff || opts.suppressDiff === true;
  if (hideDiffs) plan.diffSuppressed = true;
  const desiredKeys = new Set(desired.map((r) => resourceKey(r.obj)));

  const force = forcesConflicts(t, opts.forceConflicts);
  const record = (kind: string, before: KubeObject | null, after: KubeObject | null, op: ObjectChange['op'], nameOf: KubeObject, conflicts: FieldConflict[] = []) => {
    let b = normalize(before);
    let a = normalize(after);
    let secretKeys: SecretKeyChanges | undefined;
    if (isSecret(nameOf) && !opts.showSecrets) {
      const m = maskSecretPair(b, a);
      b = m.before;
      a = m.after;
      secretKeys = m.keys;
    }
    const id = objectName(nameOf);
    let diff = unified(id, toYamlText(b), toYamlText(a), context);
    if (!opts.showSecrets) diff = redactor.redact(diff);
    const filtered = suppressLines(diff, lineFilters);
    diff = hideDiffs ? '' : filtered.diff;
    const change: ObjectChange = { op, kind, name: nameOf.metadata.name, namespace: nameOf.metadata.namespace ?? '', apiVersion: nameOf.apiVersion, diff };
    if (filtered.dropped > 0 && !hideDiffs) change.suppressedLines = filtered.dropped;
    if (secretKeys) change.secretKeys = secretKeys;
    if (conflicts.length > 0) change.conflicts = conflicts.map((c) => ({ manager: c.manager, field: opts.showSecrets ? c.field : redactor.redact(c.field) }));
    // A conflict fails the apply, so --suppress never hides it.
    if (!suppress.has(kind.toLowerCase()) || conflicts.length > 0) changes.push(change);
    else plan.suppressed = (plan.suppressed ?? 0) + 1;
  };

  // The last record's objects: what the new render drops (pruned below) and, when that record is the newest and
  // deployed, what the last apply sent (its manifest, before the ownership metadata). After a failed or pending
  // revision the cluster may hold fields of that one, so nothing counts as applied then.
  const previous = last ? await buildResources(ctx.cluster, decodeManifest(last.manifest), ctx.namespace).catch(() => [] as Resource[]) : [];
  const lastApplied = new Map<string, string>();
  if (last?.version === newest && last.info.status === 'deployed') for (const r of previous) lastApplied.set(resourceKey(r.obj), JSON.stringify(r.obj));

  ownCrds.forEach((crd, i) => {
    const live = crdsLive[i];
    plan.live.push({ apiVersion: crd.apiVersion, kind: crd.kind, namespace: '', name: crd.metadata.name, resourceVersion: live?.metadata.resourceVersion ?? null });
    if (!live) record(crd.kind, null, crd, 'add', crd);
  });

  // Desired objects against live: a dry-run apply shows what the cluster would hold.
  await Promise.all(
    desired.map(async (r: Desired) => {
      const ref = refOfResource(r);
      const live = r.planned ? null : await getLive(ref);
      redactor.addSecret(live);
      plan.live.push({ apiVersion: r.obj.apiVersion, kind: r.obj.kind, namespace: r.namespaced ? (r.obj.metadata.namespace ?? '') : '', name: r.obj.metadata.name, resourceVersion: live?.metadata.resourceVersion ?? null });
      const want = withOwnership(r.obj, name, ctx.namespace);
      if (!live) {
        record(r.obj.kind, null, want, 'add', r.obj);
        return;
      }
      // Unchanged since a successful apply, and live still holds every value it sets: applying it again would change
      // nothing, so the dry run is skipped (a changed object, or drift in a field it sets, takes the dry run).
      if (lastApplied.get(resourceKey(r.obj)) === JSON.stringify(r.obj) && liveHolds(want, live)) return;
      // The dry run follows apply's conflict policy. Fields another manager owns, which the apply would fail on,
      // are recorded as conflicts; the dry run is then forced to show what taking them over would change.
      let conflicts: FieldConflict[] = [];
      const dryRun = (forced: boolean) => ctx.cluster.apply(want, { fieldManager: ctx.fieldManager, force: forced, dryRun: true });
      let after: KubeObject;
      try {
        try {
          after = await dryRun(force);
        } catch (e) {
          const foreign = force ? null : foreignConflicts(e);
          if (foreign === null) throw e;
          conflicts = foreign;
          after = await dryRun(true);
        }
      } catch (e) {
        if (e instanceof KubeApiError) throw new Error(`dry-run apply of ${objectName(r.obj)}: ${e.message}`);
        throw e;
      }
      // Apply adopts helm's entries on the object and so removes the fields only they held (see applyObject): a dry
      // run of the object without them, as a replace, shows what the server then holds, defaults put back. Should the
      // server refuse that replace, the apply dry run's own answer stands.
      const pruned = prunedByAdoption(after, ctx.fieldManager);
      if (pruned) after = await ctx.cluster.replace(pruned, { fieldManager: ctx.fieldManager, dryRun: true }).catch(() => after);
      const b = normalize(live);
      const a = normalize(after);
      // Key order is no change (a replace may answer the same object with its keys in another order).
      if (!sameJson(b, a) || conflicts.length > 0) record(r.obj.kind, live, after, 'change', r.obj, conflicts);
    }),
  );

  // Objects of the last record that the new render drops (pruned on apply, unless kept by policy).
  if (last) {
    await Promise.all(
      previous
        .filter((r) => !desiredKeys.has(resourceKey(r.obj)))
        .map(async (r) => {
          const live = await getLive(refOfResource(r));
          plan.live.push({ apiVersion: r.obj.apiVersion, kind: r.obj.kind, namespace: r.namespaced ? (r.obj.metadata.namespace ?? '') : '', name: r.obj.metadata.name, resourceVersion: live?.metadata.resourceVersion ?? null });
          if (!live || keepPolicy(live)) return;
          redactor.addSecret(live);
          record(r.obj.kind, live, null, 'remove', r.obj);
        }),
    );
  }

  // Hooks: compared by path and text with the last record.
  if (rendered && t.release.installed) {
    const before = new Map((last?.hooks ?? []).map((h) => [h.path, h.manifest.trim()]));
    for (const h of rendered.hooks) {
      const prev = before.get(h.path);
      if (prev === undefined) plan.hooks.push({ op: 'add', path: h.path, events: [...h.events] });
      else if (prev !== h.content.trim()) plan.hooks.push({ op: 'change', path: h.path, events: [...h.events] });
      before.delete(h.path);
    }
    for (const p of before.keys()) plan.hooks.push({ op: 'remove', path: p, events: [] });
  }

  plan.live.sort((a, b) => `${a.namespace}/${a.kind}/${a.name}`.localeCompare(`${b.namespace}/${b.kind}/${b.name}`));
  changes.sort((a, b) => `${a.namespace}/${a.kind}/${a.name}`.localeCompare(`${b.namespace}/${b.kind}/${b.name}`));
  plan.changes = changes;

  if (!t.release.installed) {
    plan.action = last ? 'uninstall' : 'none';
    return plan;
  }
  if (!last) {
    plan.action = 'install';
    return plan;
  }
  // Release-only changes: the values or the chart version the record was made from.
  const recorded = JSON.parse(toJson((last.config ?? {}) as GoValue)) as unknown;
  const wanted = JSON.parse(toJson(t.values as GoValue)) as unknown;
  plan.valuesChanged = changedPaths(recorded, wanted);
  const chartBefore = String((last.chart?.metadata as Record<string, unknown> | undefined)?.version ?? '');
  if (chartBefore !== input.chart.metadata.version) plan.chartChange = { from: chartBefore, to: input.chart.metadata.version };
  const releaseChanged = plan.valuesChanged.length > 0 || plan.chartChange !== undefined || plan.hooks.length > 0 || last.info.status !== 'deployed';
  if (plan.changes.length > 0 || (plan.suppressed ?? 0) > 0 || releaseChanged) plan.action = 'upgrade';
  if (last.info.status !== 'deployed') plan.recordStatus = last.info.status;
  return plan;
}
