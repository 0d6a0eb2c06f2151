// The release lifecycle with Helm 4's behaviour (pkg/action install.go, upgrade.go, rollback.go, uninstall.go,
// release_testing.go): the pending-* record is the lock, hooks run around the apply, the record is updated at each
// step, and failures are recorded before they are reported.
import type { Chart } from '../chart/index.js';
import { renderChart, validateReleaseName, releaseManifest, type HostResolver, type Manifest, type RenderedRelease } from '../render/index.js';
import { renderWithLookups, type LookupFn } from './lookup.js';
import { coalesceTables, coalesceValues, deepCopyMap } from '../values/index.js';
import { newMap, type GoMap } from '../template/value.js';
import { KubeApiError, type KubeObject, type ObjectRef, type Status } from '../kube/index.js';
import { applyAll, checkExisting, deleteAll, updateAll, type UpdateResult } from './apply.js';
import { chartFromRecord, chartRecordOf } from './chart-record.js';
import type { ReleaseContext } from './context.js';
import { filterSystemLabels, ReleaseExistsError, ReleaseNotFoundError, SYSTEM_LABELS } from './driver.js';
import { recordHooks, runHooks, type HookEventName, type HookRunOptions } from './hooks.js';
import { cloneRelease, goNow, isPending, type Release, type ReleaseHook, type ReleaseStatus } from './record.js';
import { buildResources, decodeManifest, keepPolicy, offlineResources, refOfResource, resourceKey, type Resource } from './resources.js';

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The lock: a release whose newest revision is pending-* is being changed by someone else. */
export const PENDING_ERROR = 'another operation (install/upgrade/rollback) is in progress';

/** An error the CLI reports without a stack; `prefix` is helm's ("INSTALLATION FAILED", "UPGRADE FAILED"). */
export class ReleaseError extends Error {
  constructor(
    message: string,
    readonly release?: Release,
  ) {
    super(message);
  }
}

export type DryRun = 'none' | 'client' | 'server';

export interface CommonOptions {
  /** --timeout for each wait (hooks, --wait), default 5 minutes. */
  readonly timeoutMs?: number;
  /** --wait: wait for every object to be ready (kstatus). */
  readonly wait?: boolean;
  readonly waitForJobs?: boolean;
  /** --no-hooks */
  readonly noHooks?: boolean;
  readonly dryRun?: DryRun;
  readonly forceConflicts?: boolean;
  readonly description?: string;
  /** Progress of hooks (ordering tests, verbose output). */
  readonly onHook?: HookRunOptions['onHook'];
  /** Progress of --wait. */
  readonly onStatus?: (ref: ObjectRef, status: Status, message: string) => void;
}

export interface ChartInput {
  readonly chart: Chart;
  /** Where the chart was loaded from (a directory supplies file modification times to the record). */
  readonly chartPath?: string;
  /** The user's values (-f, --set ...), already merged. */
  readonly values: GoMap;
  readonly skipSchemaValidation?: boolean;
  readonly warn?: (message: string) => void;
  /** --render-subchart-notes: the release's notes are every chart's NOTES.txt, not only the root's. */
  readonly subchartNotes?: boolean;
  /** --enable-dns: getHostByName resolves host names through it (one per release, shared by its renders). */
  readonly hosts?: HostResolver;
  /** --hide-secret (dry runs only): each v1 Secret of the manifest is replaced by Helm's placeholder line. */
  readonly hideSecret?: boolean;
}

/**
 * A render the caller has already made of the same chart and values for this release and namespace, as an install
 * (revision 1, IsInstall): a fleet diff renders every target. An install uses it instead of rendering again when the
 * cluster's capabilities are still the ones it was rendered with. An upgrade always renders (its revision differs,
 * and whether a chart's output depends on it is known only by a text scan: not enough to decide what is applied).
 */
export interface Prerendered {
  readonly release: RenderedRelease;
  readonly capabilities: ClusterCapabilities;
}

/** What a cluster's releases render with as .Capabilities: its Kubernetes version and API versions (discovered). */
export interface ClusterCapabilities {
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
}

export interface InstallOptions extends CommonOptions, ChartInput {
  readonly releaseName: string;
  readonly createNamespace?: boolean;
  readonly skipCrds?: boolean;
  /** --rollback-on-failure (Helm 3's --atomic): uninstall when the install fails. */
  readonly rollbackOnFailure?: boolean;
  readonly takeOwnership?: boolean;
  /** --replace: reuse the name of an uninstalled or failed release. */
  readonly replace?: boolean;
  readonly labels?: Record<string, string>;
  readonly prerendered?: Prerendered;
}

export interface UpgradeOptions extends CommonOptions, ChartInput {
  readonly releaseName: string;
  /** upgrade --install */
  readonly install?: boolean;
  readonly createNamespace?: boolean;
  readonly skipCrds?: boolean;
  readonly resetValues?: boolean;
  readonly reuseValues?: boolean;
  readonly resetThenReuseValues?: boolean;
  /** --history-max (default 10, 0 = unlimited). */
  readonly historyMax?: number;
  readonly rollbackOnFailure?: boolean;
  readonly cleanupOnFail?: boolean;
  readonly takeOwnership?: boolean;
  readonly labels?: Record<string, string>;
  /**
   * The release's revisions as the caller has just read them (a fleet diff reads a namespace's records at once).
   * Used by upgrade --install only when there were none: the install then creates revision 1 without reading the
   * history again. That create is the check: it fails if anyone has created a record of the release since (which
   * is also all a history read just before it could tell).
   */
  readonly knownHistory?: readonly Release[];
  readonly prerendered?: Prerendered;
}

export interface RollbackOptions extends CommonOptions {
  /** Revision to roll back to; 0 or absent = the previous revision. */
  readonly revision?: number;
  readonly historyMax?: number;
  readonly cleanupOnFail?: boolean;
}

export interface UninstallOptions {
  readonly keepHistory?: boolean;
  readonly noHooks?: boolean;
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly dryRun?: boolean;
  readonly ignoreNotFound?: boolean;
  readonly description?: string;
  readonly cascade?: 'background' | 'foreground' | 'orphan';
  readonly onHook?: HookRunOptions['onHook'];
}

export interface UninstallResult {
  readonly release: Release;
  /** "[Kind] name" lines of objects kept by resource policy. */
  readonly kept: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Shared steps

export async function clusterCapabilities(ctx: ReleaseContext): Promise<ClusterCapabilities> {
  const [v, apis] = await Promise.all([ctx.cluster.discovery.serverVersion(), ctx.cluster.discovery.apiVersions()]);
  return { kubeVersion: v.gitVersion, apiVersions: apis };
}

/**
 * Renders a release as helm install/upgrade does: with the cluster's capabilities, and `lookup` reading the cluster
 * (`ctx`; null for --dry-run=client, where lookup finds nothing).
 */
async function render(ctx: ReleaseContext | null, input: ChartInput, name: string, namespace: string, revision: number, isUpgrade: boolean, caps?: ClusterCapabilities): Promise<RenderedRelease> {
  const renderWith = (hostByName: ((name: string) => string) | undefined, lookup?: LookupFn) =>
    renderChart(input.chart, input.values, {
      releaseName: name,
      namespace,
      revision,
      isUpgrade,
      kubeVersion: caps?.kubeVersion,
      apiVersions: caps?.apiVersions,
      skipSchemaValidation: input.skipSchemaValidation,
      warn: input.warn,
      subchartNotes: input.subchartNotes,
      lookup,
      hostByName,
    });
  const looking = (hostByName?: (name: string) => string) => (ctx ? renderWithLookups(ctx.cluster, (lookup) => renderWith(hostByName, lookup)) : renderWith(hostByName));
  return input.hosts ? input.hosts.render(looking) : looking();
}

/** The caller's render, when it is what an install's render() would produce here (same capabilities). */
function reusable(pre: Prerendered | undefined, caps: ClusterCapabilities | undefined): RenderedRelease | undefined {
  if (!pre || !caps) return undefined;
  const made = pre.capabilities;
  if (made.kubeVersion !== caps.kubeVersion || made.apiVersions.length !== caps.apiVersions.length) return undefined;
  return made.apiVersions.every((v, i) => v === caps.apiVersions[i]) ? pre.release : undefined;
}

async function resourcesOf(ctx: ReleaseContext | null, manifest: string, namespace: string, what: string): Promise<Resource[]> {
  let objs: KubeObject[];
  try {
    objs = decodeManifest(manifest);
  } catch (e) {
    throw new ReleaseError(`unable to build kubernetes objects from ${what} manifest: ${(e as Error).message}`);
  }
  if (!ctx) return offlineResources(objs, namespace);
  try {
    return await buildResources(ctx.cluster, objs, namespace);
  } catch (e) {
    if (e instanceof KubeApiError) throw e;
    throw new ReleaseError(`unable to build kubernetes objects from ${what} manifest: ${(e as Error).message}`);
  }
}

async function installCrds(ctx: ReleaseContext, crds: RenderedRelease['crds'], flags: { forceConflicts?: boolean }): Promise<boolean> {
  const refs: ObjectRef[] = [];
  for (const crd of crds) {
    let objs: KubeObject[];
    try {
      objs = decodeManifest(crd.data);
    } catch (e) {
      throw new ReleaseError(`failed to install CRD ${crd.path}: ${(e as Error).message}`);
    }
    for (const o of objs) {
      const ref = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
      // CRDs are created once and never upgraded by install (Helm skips ones already present).
      if (await ctx.cluster.get(ref)) continue;
      try {
        await ctx.cluster.apply(o, { fieldManager: ctx.fieldManager, force: flags.forceConflicts });
      } catch (e) {
        throw new ReleaseError(`failed to install CRD ${crd.path}: ${(e as Error).message}`);
      }
      refs.push(ref);
    }
  }
  if (refs.length === 0) return false;
  await ctx.cluster.waitReady(refs, { timeoutMs: 60_000 });
  ctx.cluster.discovery.reset();
  return true;
}

/** --create-namespace: the Namespace applied server-side with label name=<ns> (Helm 4 applies it the same way). */
async function ensureNamespace(ctx: ReleaseContext, namespace: string): Promise<void> {
  const apply = () => ctx.cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { name: namespace } } }, { fieldManager: ctx.fieldManager }).then(() => undefined);
  const memo = ctx.namespacesApplied;
  if (!memo) return apply();
  // One run over many releases of a namespace applies the (identical) Namespace once; a failed apply is not
  // remembered, so each release then tries for itself.
  const key = `${ctx.fieldManager}\0${namespace}`;
  const prev = memo.get(key);
  if (prev) {
    try {
      return await prev;
    } catch {
      // the shared attempt failed: apply it ourselves
    }
  }
  const p = apply();
  memo.set(key, p);
  p.catch(() => {
    if (memo.get(key) === p) memo.delete(key);
  });
  return p;
}

function hookOptions(ctx: ReleaseContext, o: CommonOptions): HookRunOptions {
  return {
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    record: (rel) => ctx.storage.update(rel),
    onHook: o.onHook,
    forceConflicts: o.forceConflicts,
  };
}

/** Helm 4's wording of a hook failure: install says "failed pre-install: …", upgrade and rollback "pre-upgrade hooks failed: …". */
function hookFailure(event: HookEventName, message: string): string {
  if (event.endsWith('-install')) return `failed ${event}: ${message}`;
  if (event.endsWith('-delete')) return message;
  return `${event} hooks failed: ${message}`;
}

async function hooks(ctx: ReleaseContext, rel: Release, event: HookEventName, o: CommonOptions): Promise<void> {
  if (o.noHooks) return;
  try {
    await runHooks(ctx, rel, event, hookOptions(ctx, o));
  } catch (e) {
    throw new ReleaseError(hookFailure(event, (e as Error).message));
  }
}

async function waitFor(ctx: ReleaseContext, resources: readonly Resource[], o: CommonOptions & { rollbackOnFailure?: boolean }, observed?: ReadonlyMap<string, KubeObject>): Promise<void> {
  if (!(o.wait || o.rollbackOnFailure) || resources.length === 0) return;
  await ctx.cluster.waitReady(resources.map(refOfResource), {
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    jobsMustComplete: o.waitForJobs,
    onStatus: o.onStatus,
    // What the apply just answered is the first observation of each object (no GET before watching).
    initial: observed ? resources.map((r) => observed.get(resourceKey(r.obj))) : undefined,
  });
}

function checkLabels(labels: Record<string, string> | undefined): void {
  for (const k of Object.keys(labels ?? {})) {
    if ((SYSTEM_LABELS as readonly string[]).includes(k)) {
      throw new ReleaseError(`user supplied labels contains system reserved label name. System labels: [${SYSTEM_LABELS.join(' ')}]`);
    }
  }
}

function setStatus(rel: Release, status: ReleaseStatus, description: string): void {
  rel.info.status = status;
  rel.info.description = description;
}

/**
 * How objects were applied, as Helm 4's apply_method. bosun applies server-side as field manager `bosun`, but
 * records "csa" so that a later `helm upgrade`/`helm rollback` (whose --server-side=auto follows this field) uses
 * client-side apply: Helm's own server-side apply would otherwise stop at a conflict with bosun's manager on every
 * changed field. bosun itself always uses server-side apply and takes over fields held by `helm`.
 */
const APPLY_METHOD_FOR_HELM = 'csa';

/** --hide-secret: a v1 Secret's document becomes Helm's placeholder (its `# Source:` line stays). */
function hiddenSecret(m: Manifest): Manifest {
  return m.head.kind === 'Secret' && m.head.apiVersion === 'v1' ? { ...m, content: '# HIDDEN: The Secret output has been suppressed' } : m;
}

/** helm's error for --hide-secret without a dry run. */
function checkHideSecret(input: ChartInput & CommonOptions): void {
  if (input.hideSecret && (input.dryRun ?? 'none') === 'none') throw new ReleaseError('hiding Kubernetes secrets requires a dry-run mode');
}

function newRecord(name: string, namespace: string, r: RenderedRelease, input: ChartInput, version: number, labels: Record<string, string>): Release {
  const now = goNow();
  return {
    name,
    namespace,
    info: { firstDeployed: now, lastDeployed: now, deleted: '', description: '', status: 'unknown', notes: r.notes },
    chart: chartRecordOf(r.chart, input.chartPath),
    config: input.values,
    manifest: releaseManifest(input.hideSecret ? r.manifests.map(hiddenSecret) : r.manifests),
    hooks: recordHooks(r.hooks),
    version,
    applyMethod: APPLY_METHOD_FOR_HELM,
    labels,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Install

/** helm install. `ctx` may be null only for --dry-run=client. */
export async function install(ctx: ReleaseContext | null, o: InstallOptions, namespaceForClient = 'default', knownHistory?: Release[]): Promise<Release> {
  checkHideSecret(o);
  try {
    validateReleaseName(o.releaseName);
  } catch (e) {
    throw new ReleaseError(`release name check failed: ${(e as Error).message}`);
  }
  checkLabels(o.labels);
  const dry = o.dryRun ?? 'none';
  if (!ctx && dry !== 'client') throw new Error('install needs a cluster unless --dry-run=client');
  const namespace = ctx?.namespace ?? namespaceForClient;
  const name = o.releaseName;

  let version = 1;
  if (ctx && dry !== 'client') {
    // upgrade --install has just read the history (knownHistory); one read serves both.
    const h = knownHistory ?? (await ctx.storage.history(name));
    if (h.length > 0) {
      const last = h[h.length - 1]!;
      if (!(o.replace && (last.info.status === 'uninstalled' || last.info.status === 'failed'))) {
        throw new ReleaseError('release name check failed: cannot reuse a name that is still in use');
      }
      version = last.version + 1;
    }
  }

  let caps = ctx && dry !== 'client' ? await clusterCapabilities(ctx) : undefined;
  let r = reusable(o.prerendered, caps) ?? (await render(dry === 'client' ? null : ctx, o, name, namespace, 1, false, caps));
  if (ctx && dry === 'none' && !o.skipCrds && r.crds.length > 0) {
    if (await installCrds(ctx, r.crds, o)) {
      caps = await clusterCapabilities(ctx);
      r = await render(ctx, o, name, namespace, 1, false, caps);
    }
  }

  const rel = newRecord(name, namespace, r, o, version, filterSystemLabels(o.labels));
  setStatus(rel, 'pending-install', 'Initial install underway');
  const resources = await resourcesOf(dry === 'client' ? null : ctx, rel.manifest, namespace, 'release');

  if (ctx && dry !== 'client' && !o.takeOwnership && resources.length > 0) {
    const { foreign } = await checkExisting(ctx, resources, name);
    if (foreign.length > 0) throw new ReleaseError(`unable to continue with install: ${foreign[0]}`);
  }
  if (dry !== 'none') {
    rel.info.description = 'Dry run complete';
    return rel;
  }
  const c = ctx!;
  if (o.createNamespace) await ensureNamespace(c, namespace);
  if (version > 1) {
    // --replace: the old revisions stay as history; the previous one is superseded.
    const last = await c.storage.last(name);
    if (last && last.info.status !== 'uninstalled') {
      last.info.status = 'superseded';
      await c.storage.update(last);
    }
  }
  try {
    await c.storage.create(rel);
  } catch (e) {
    // The revision appeared after the history was read: someone else is installing this name.
    if (e instanceof ReleaseExistsError) throw new ReleaseError('release name check failed: cannot reuse a name that is still in use');
    throw new ReleaseError(storageError('create', e), rel);
  }

  try {
    await hooks(c, rel, 'pre-install', o);
    const observed = new Map<string, KubeObject>();
    await applyAll(c, resources, name, { forceConflicts: o.forceConflicts || o.takeOwnership, observed });
    await waitFor(c, resources, o, observed);
    await hooks(c, rel, 'post-install', o);
  } catch (e) {
    return failInstall(c, rel, resources, o, e as Error);
  }
  setStatus(rel, 'deployed', o.description || 'Install complete');
  await recordQuietly(c, rel);
  return rel;
}

async function failInstall(ctx: ReleaseContext, rel: Release, resources: Resource[], o: InstallOptions, err: Error): Promise<never> {
  setStatus(rel, 'failed', `Release "${rel.name}" failed: ${err.message}`);
  await recordQuietly(ctx, rel);
  if (o.rollbackOnFailure) {
    try {
      await uninstall(ctx, rel.name, { timeoutMs: o.timeoutMs, keepHistory: false });
    } catch (e) {
      throw new ReleaseError(`an error occurred while uninstalling the release. original install error: ${err.message}: ${(e as Error).message}`, rel);
    }
    throw new ReleaseError(`release ${rel.name} failed, and has been uninstalled due to rollback-on-failure being set: ${err.message}`, rel);
  }
  void resources;
  throw new ReleaseError(err.message, rel);
}

/** Helm logs and goes on when the final record cannot be written; the release did happen. */
async function recordQuietly(ctx: ReleaseContext, rel: Release): Promise<void> {
  try {
    await ctx.storage.update(rel);
  } catch (e) {
    ctx.log(`failed to record the release: ${(e as Error).message}`);
  }
}

function storageError(op: 'create' | 'update', e: unknown): string {
  if (e instanceof KubeApiError) return `${op}: failed to ${op}: ${e.message}`;
  return (e as Error).message;
}

// ---------------------------------------------------------------------------------------------------------------
// Upgrade

/** Helm's values modes for an upgrade. */
function upgradeValues(o: UpgradeOptions, current: Release): { values: GoMap; chart: Chart } {
  const newVals = o.values;
  if (o.resetValues) return { values: newVals, chart: o.chart };
  if (o.reuseValues) {
    const oldChart = chartFromRecord(current.chart);
    const oldVals = coalesceValues(oldChart, current.config);
    const merged = coalesceTables(deepCopyMap(newVals), current.config ? deepCopyMap(current.config) : null) ?? newMap();
    const chart = o.chart.shallowCopy();
    chart.values = oldVals;
    chart.setDependencies(o.chart.dependencies.map((d) => d.shallowCopy()));
    return { values: merged, chart };
  }
  if (o.resetThenReuseValues) {
    const merged = coalesceTables(deepCopyMap(newVals), current.config ? deepCopyMap(current.config) : null) ?? newMap();
    return { values: merged, chart: o.chart };
  }
  if (Object.keys(newVals).length === 0 && current.config && Object.keys(current.config).length > 0) {
    return { values: current.config, chart: o.chart };
  }
  return { values: newVals, chart: o.chart };
}

/** helm upgrade (with --install: install when the release does not exist or was uninstalled). */
export async function upgrade(ctx: ReleaseContext, o: UpgradeOptions): Promise<Release> {
  validateReleaseName(o.releaseName);
  checkLabels(o.labels);
  const name = o.releaseName;
  const dry = o.dryRun ?? 'none';
  if (o.install && o.knownHistory?.length === 0) return install(ctx, { ...o, replace: false }, undefined, []);
  const history = await ctx.storage.history(name);
  const last = history[history.length - 1];
  if (o.install && (!last || last.info.status === 'uninstalled')) {
    return install(ctx, { ...o, replace: last !== undefined }, undefined, history);
  }
  checkHideSecret(o);
  if (!last) throw new ReleaseError(`"${name}" has no deployed releases`);
  if (isPending(last.info.status)) throw new ReleaseError(PENDING_ERROR);
  let current: Release;
  if (last.info.status === 'deployed') current = last;
  else {
    // The newest deployed revision, from the history just read (storage.deployed would list them again).
    const deployed = [...history].reverse().find((r) => r.info.status === 'deployed');
    if (deployed) current = deployed;
    else if (last.info.status === 'failed' || last.info.status === 'superseded') current = last;
    else throw new ReleaseError(`"${name}" has no deployed releases`);
  }

  const { values, chart } = upgradeValues(o, current);
  const input: ChartInput = { ...o, chart, values };
  const caps = dry === 'client' ? undefined : await clusterCapabilities(ctx);
  if (dry === 'none' && !o.skipCrds && o.install) {
    // Helm installs CRDs on upgrade only through --install's install path; nothing to do here.
  }
  const version = last.version + 1;
  const r = await render(dry === 'client' ? null : ctx, input, name, ctx.namespace, version, true, caps);
  const labels = { ...current.labels, ...filterSystemLabels(o.labels) };
  for (const [k, v] of Object.entries(o.labels ?? {})) if (v === 'null') delete labels[k];
  const upgraded = newRecord(name, ctx.namespace, r, input, version, labels);
  upgraded.info.firstDeployed = current.info.firstDeployed;
  setStatus(upgraded, 'pending-upgrade', 'Preparing upgrade');

  const currentResources = await resourcesOf(dry === 'client' ? null : ctx, current.manifest, ctx.namespace, 'current release');
  const target = await resourcesOf(dry === 'client' ? null : ctx, upgraded.manifest, ctx.namespace, 'new release');
  let existing: Set<string> | undefined;
  if (dry !== 'client') {
    const currentKeys = new Set(currentResources.map((x) => keyOf(x)));
    const toBeCreated = target.filter((x) => !currentKeys.has(keyOf(x)));
    const check = await checkExisting(ctx, toBeCreated, name);
    if (!o.takeOwnership && check.foreign.length > 0) throw new ReleaseError(`unable to continue with update: ${check.foreign[0]}`);
    existing = new Set([...currentKeys, ...check.existing]);
  }
  if (dry !== 'none') {
    upgraded.info.description = 'Dry run complete';
    return upgraded;
  }

  const historyMax = o.historyMax ?? 10;
  if (historyMax > 0) await ctx.storage.prune(name, historyMax - 1, history);
  try {
    await ctx.storage.create(upgraded);
  } catch (e) {
    throw new ReleaseError(storageError('create', e), upgraded);
  }

  const progress = { created: [] as Resource[] };
  try {
    await hooks(ctx, upgraded, 'pre-upgrade', o);
    const observed = new Map<string, KubeObject>();
    await updateAll(ctx, currentResources, target, name, { forceConflicts: o.forceConflicts || o.takeOwnership, existing, observed }, progress);
    await waitFor(ctx, target, o, observed);
    await hooks(ctx, upgraded, 'post-upgrade', o);
  } catch (e) {
    return failUpgrade(ctx, upgraded, progress.created, o, e as Error);
  }
  current.info.status = 'superseded';
  await recordQuietly(ctx, current);
  setStatus(upgraded, 'deployed', o.description || 'Upgrade complete');
  await recordQuietly(ctx, upgraded);
  return upgraded;
}

const keyOf = (r: Resource) => `${r.obj.apiVersion.split('/').length === 2 ? r.obj.apiVersion.split('/')[0] : ''}/${r.obj.kind}/${r.obj.metadata.namespace ?? ''}/${r.obj.metadata.name}`;

async function failUpgrade(ctx: ReleaseContext, rel: Release, created: Resource[], o: UpgradeOptions, err: Error): Promise<never> {
  setStatus(rel, 'failed', `Upgrade "${rel.name}" failed: ${err.message}`);
  await recordQuietly(ctx, rel);
  if (o.cleanupOnFail && created.length > 0) await deleteAll(ctx.cluster, created);
  if (o.rollbackOnFailure) {
    const ok = (await ctx.storage.history(rel.name)).filter((x) => x.info.status === 'deployed' || x.info.status === 'superseded');
    if (ok.length === 0) throw new ReleaseError(`unable to find a previously successful release when attempting to rollback. original upgrade error: ${err.message}`, rel);
    const to = ok[ok.length - 1]!.version;
    try {
      await rollback(ctx, rel.name, { revision: to, wait: true, timeoutMs: o.timeoutMs, cleanupOnFail: o.cleanupOnFail, historyMax: o.historyMax, forceConflicts: o.forceConflicts });
    } catch (e) {
      throw new ReleaseError(`an error occurred while rolling back the release. original upgrade error: ${err.message}: ${(e as Error).message}`, rel);
    }
    throw new ReleaseError(`release ${rel.name} failed, and has been rolled back due to rollback-on-failure being set: ${err.message}`, rel);
  }
  throw new ReleaseError(err.message, rel);
}

// ---------------------------------------------------------------------------------------------------------------
// Rollback

export async function rollback(ctx: ReleaseContext, name: string, o: RollbackOptions = {}): Promise<Release> {
  try {
    validateReleaseName(name);
  } catch (e) {
    throw new ReleaseError(`rollback: Release name is invalid: ${name}`);
  }
  const history = await ctx.storage.history(name);
  const current = history[history.length - 1];
  if (!current) throw new ReleaseError('release: not found');
  if (isPending(current.info.status)) throw new ReleaseError(PENDING_ERROR);
  const prevVersion = o.revision && o.revision > 0 ? o.revision : current.version - 1;
  const previous = history.find((h) => h.version === prevVersion);
  if (!previous) throw new ReleaseError(`release has no ${prevVersion} version`);

  const target: Release = cloneRelease(previous);
  target.version = current.version + 1;
  target.info = {
    firstDeployed: current.info.firstDeployed,
    lastDeployed: goNow(),
    deleted: '',
    description: `Rollback to ${prevVersion}`,
    status: 'pending-rollback',
    notes: previous.info.notes,
  };
  target.hooks = previous.hooks.map((h) => ({ ...h, lastRun: { startedAt: '', completedAt: '', phase: '' }, deletePolicies: [...h.deletePolicies], events: [...h.events] }));
  target.applyMethod = APPLY_METHOD_FOR_HELM;
  if (o.dryRun && o.dryRun !== 'none') return target;

  const currentResources = await resourcesOf(ctx, current.manifest, ctx.namespace, 'current release');
  const targetResources = await resourcesOf(ctx, target.manifest, ctx.namespace, 'target release');
  const historyMax = o.historyMax ?? 10;
  if (historyMax > 0) await ctx.storage.prune(name, historyMax - 1);
  try {
    await ctx.storage.create(target);
  } catch (e) {
    throw new ReleaseError(storageError('create', e), target);
  }

  const existing = new Set<string>();
  for (const r of currentResources) existing.add(keyOf(r));
  const progress = { created: [] as Resource[] };
  try {
    await hooks(ctx, target, 'pre-rollback', o);
  } catch (e) {
    setStatus(target, 'failed', `Rollback "${name}" failed: ${(e as Error).message}`);
    await recordQuietly(ctx, target);
    throw new ReleaseError((e as Error).message, target);
  }
  let results: UpdateResult;
  try {
    results = await updateAll(ctx, currentResources, targetResources, name, { forceConflicts: o.forceConflicts, existing }, progress);
    void results;
  } catch (e) {
    const msg = `Rollback "${name}" failed: ${(e as Error).message}`;
    current.info.status = 'superseded';
    setStatus(target, 'failed', msg);
    await recordQuietly(ctx, current);
    await recordQuietly(ctx, target);
    if (o.cleanupOnFail && progress.created.length > 0) await deleteAll(ctx.cluster, progress.created);
    throw new ReleaseError((e as Error).message, target);
  }
  try {
    await waitFor(ctx, targetResources, o);
    await hooks(ctx, target, 'post-rollback', o);
  } catch (e) {
    setStatus(target, 'failed', `Rollback "${name}" failed: ${(e as Error).message}`);
    await recordQuietly(ctx, target);
    throw new ReleaseError((e as Error).message, target);
  }
  for (const d of await ctx.storage.history(name)) {
    if (d.info.status === 'deployed' && d.version !== target.version) {
      d.info.status = 'superseded';
      await recordQuietly(ctx, d);
    }
  }
  target.info.status = 'deployed';
  await recordQuietly(ctx, target);
  return target;
}

// ---------------------------------------------------------------------------------------------------------------
// Uninstall

export async function uninstall(ctx: ReleaseContext, name: string, o: UninstallOptions = {}): Promise<UninstallResult> {
  const history = await ctx.storage.history(name);
  const rel = history[history.length - 1];
  if (!rel) {
    if (o.ignoreNotFound) return { release: emptyRelease(name, ctx.namespace), kept: [] };
    throw new ReleaseError(`uninstall: Release not loaded: ${name}: release: not found`);
  }
  if (o.dryRun) return { release: rel, kept: [] };
  if (rel.info.status === 'uninstalled') {
    if (!o.keepHistory) {
      await purge(ctx, history);
      return { release: rel, kept: [] };
    }
    throw new ReleaseError(`the release named "${name}" is already deleted`);
  }
  setStatus(rel, 'uninstalling', 'Deletion in progress (or silently failed)');
  rel.info.deleted = goNow();
  await ctx.storage.update(rel);
  const hookOpts: CommonOptions = { noHooks: o.noHooks, timeoutMs: o.timeoutMs, onHook: o.onHook };
  await hooks(ctx, rel, 'pre-delete', hookOpts);

  const resources = await resourcesOf(ctx, rel.manifest, ctx.namespace, 'release');
  const kept = resources.filter((r) => keepPolicy(r.obj));
  const toDelete = resources.filter((r) => !keepPolicy(r.obj));
  const propagation = o.cascade === 'foreground' ? 'Foreground' : o.cascade === 'orphan' ? 'Orphan' : 'Background';
  const { deleted, errors } = await deleteAll(ctx.cluster, toDelete, { propagation });
  if (o.wait && deleted.length > 0) await ctx.cluster.waitDeleted(deleted.map(refOfResource), o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  await hooks(ctx, rel, 'post-delete', hookOpts);

  setStatus(rel, 'uninstalled', o.description || 'Uninstallation complete');
  if (!o.keepHistory) await purge(ctx, await ctx.storage.history(name));
  else await ctx.storage.update(rel);
  if (errors.length > 0) throw new ReleaseError(`uninstallation completed with ${errors.length} error(s): ${errors.join('; ')}`, rel);
  return { release: rel, kept: kept.map((r) => `[${r.obj.kind}] ${r.obj.metadata.name}`) };
}

async function purge(ctx: ReleaseContext, history: Release[]): Promise<void> {
  for (const r of history) {
    try {
      await ctx.storage.delete(r.name, r.version);
    } catch (e) {
      if (!(e instanceof ReleaseNotFoundError)) throw e;
    }
  }
}

function emptyRelease(name: string, namespace: string): Release {
  return {
    name,
    namespace,
    info: { firstDeployed: '', lastDeployed: '', deleted: '', description: '', status: 'unknown', notes: '' },
    chart: null,
    config: null,
    manifest: '',
    hooks: [],
    version: 0,
    applyMethod: '',
    labels: {},
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Test, recover

export interface TestOptions {
  readonly timeoutMs?: number;
  /** --filter name=NAME / !name=NAME */
  readonly filter?: readonly string[];
  readonly onHook?: HookRunOptions['onHook'];
}

/** helm test: runs the test hooks of the newest revision and records their last run. */
export async function testRelease(ctx: ReleaseContext, name: string, o: TestOptions = {}): Promise<Release> {
  const rel = await ctx.storage.last(name);
  if (!rel) throw new ReleaseError('release: not found');
  const include = (o.filter ?? []).filter((f) => f.startsWith('name=')).map((f) => f.slice(5));
  const exclude = (o.filter ?? []).filter((f) => f.startsWith('!name=')).map((f) => f.slice(6));
  const all = rel.hooks;
  const skipped: ReleaseHook[] = [];
  rel.hooks = all.filter((h) => {
    if (!h.events.includes('test')) return true;
    const ok = (include.length === 0 || include.includes(h.name)) && !exclude.includes(h.name);
    if (!ok) skipped.push(h);
    return ok;
  });
  let failure: Error | undefined;
  try {
    await runHooks(ctx, rel, 'test', { timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS, record: (r) => ctx.storage.update(withHooks(r, all)), onHook: o.onHook });
  } catch (e) {
    failure = e as Error;
  }
  rel.hooks = all;
  await ctx.storage.update(rel);
  if (failure) throw new ReleaseError(failure.message, rel);
  return rel;
}

const withHooks = (r: Release, hooksList: ReleaseHook[]): Release => ({ ...r, hooks: hooksList });

/**
 * bosun recover: a release whose newest revision was left pending-* by a process that died (the lock that helm
 * reports as "another operation ... is in progress") is marked failed, with a description saying so. The objects
 * are not touched; the next upgrade or rollback brings the cluster to a known revision.
 */
export async function recover(ctx: ReleaseContext, name: string): Promise<Release> {
  const last = await ctx.storage.last(name);
  if (!last) throw new ReleaseError('release: not found');
  if (!isPending(last.info.status)) throw new ReleaseError(`release "${name}" is not pending (revision ${last.version} is ${last.info.status}); nothing to recover`);
  const was = last.info.status;
  setStatus(last, 'failed', `Recovered by bosun: the ${was.slice('pending-'.length)} operation holding this revision did not finish (was ${was})`);
  for (const h of last.hooks) if (h.lastRun.phase === 'Running' || h.lastRun.phase === 'Unknown') h.lastRun.phase = 'Unknown';
  await ctx.storage.update(last);
  return last;
}
