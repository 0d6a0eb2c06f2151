// The fleet engine behind `bosun diff`, `apply`, `sync` and `destroy`: renders every target once, diffs them
// concurrently into one plan, and executes a plan (or a sync/destroy) through the needs scheduler. Events go to one
// callback (progress view, CI lines, NDJSON file); every message that leaves this module is redacted.
import pLimit from 'p-limit';
import type { Chart } from '../chart/index.js';
import type { HostResolver, RenderedRelease } from '../render/index.js';
import { installOrUpgrade, openContext, recover, renderWithLookups, uninstallRelease, filterSystemLabels, KubeDriver, PENDING_ERROR, type ClusterCapabilities, type LookupFn, type Release, type ReleaseContext } from '../release/index.js';
import { newMap } from '../template/value.js';
import { KubeApiError, KubeConfigError, KubeTransportError, NoKindMatchError, type KubeObject, type ObjectRef } from '../kube/index.js';
import { dependsOnRevision, releaseManifest } from '../render/index.js';
import { decodeManifest } from '../release/resources.js';
import { HookError, layered, type Cascade, type Hooks, type Target } from '../state/index.js';
import { diffTarget, forcesConflicts, renderDigest, type DiffOptions } from './diff.js';
import { Redactor } from './mask.js';
import { schedule, type Job, type JobResult } from './scheduler.js';
import { conflictsOf, hasChanges, type TargetPlan } from './types.js';

export interface FleetEvent {
  ts: string;
  type: 'diff.start' | 'diff.done' | 'target.start' | 'target.retry' | 'target.done' | 'target.failed' | 'target.skipped' | 'target.cancelled' | 'target.unchanged' | 'run.start' | 'run.done' | 'hook.done' | 'hook.failed';
  id?: string;
  cluster?: string;
  release?: string;
  action?: string;
  durationMs?: number;
  error?: string;
  reason?: string;
  attempt?: number;
  [k: string]: unknown;
}

export interface FleetOptions {
  readonly kubeconfig?: string;
  /** Storage driver (default HELM_DRIVER, else secret). */
  readonly driver?: string;
  readonly concurrency?: number;
  readonly clusterConcurrency?: number;
  readonly failFast?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: FleetEvent) => void;
  /** Client-side QPS and burst per cluster (default 500 / 1000: one process serves every target of a cluster). */
  readonly qps?: number;
  readonly burst?: number;
  /** Attempts for a target failing with a transient API error (default 3). */
  readonly retries?: number;
  /** --force-conflicts: every target's apply takes fields other managers own (see forcesConflicts). */
  readonly forceConflicts?: boolean;
  /** The state's hooks: presync/postsync around each install or upgrade, preuninstall/postuninstall around each uninstall. */
  readonly hooks?: Hooks;
  /** --cascade: deletion propagation of uninstalls, for releases that set none of their own (see Layered). */
  readonly cascade?: Cascade;
  /** --sync-release-labels: every target's labels go onto its release record (a release can also ask). */
  readonly syncReleaseLabels?: boolean;
}

/** One target ready to diff or apply: its chart, its render (null when not installed) and its context. */
export interface Prepared {
  readonly target: Target;
  readonly chart: Chart;
  readonly rendered: RenderedRelease | null;
  /**
   * Why the target has no render, as reported: "render: …" for a chart or template error; the cluster's own error
   * ("Kubernetes cluster unreachable: …") when its capabilities could not be read.
   */
  readonly renderError?: string;
  /**
   * Renders the target as an upgrade to a revision, when its chart's output may depend on that
   * (dependsOnRevision): the diff then shows what the upgrade will apply. Absent: `rendered` serves both.
   */
  readonly renderUpgrade?: (revision: number) => RenderedRelease;
  /** The cluster capabilities `rendered` was made with (the apply then reuses the render). */
  readonly capabilities?: ClusterCapabilities;
  /**
   * Present when the chart called `lookup`: `rendered` was made without a cluster (every lookup found nothing), so
   * the diff renders again with lookups reading the target's cluster, and the apply renders for itself.
   */
  readonly renderLooking?: (lookup: LookupFn, upgradeTo?: number) => RenderedRelease;
  /** A release with `enableDNS`: the host names its renders resolved (the apply's own renders use them too). */
  readonly hosts?: HostResolver;
}

export const event = (type: FleetEvent['type'], fields: Omit<FleetEvent, 'ts' | 'type'> = {}): FleetEvent => ({ ts: new Date().toISOString(), type, ...fields });

export function contextFor(t: Target, opts: FleetOptions): Promise<ReleaseContext> {
  return openContext({ kubeconfig: opts.kubeconfig, context: t.cluster.kubeContext || t.cluster.name, namespace: t.release.namespace || 'default', driver: opts.driver, qps: opts.qps || 500, burst: opts.burst || 1000 });
}

/**
 * Renders every target (once each); a render failure is kept on the target, not thrown. `capabilitiesOf` tells
 * what the render of a target used as .Capabilities, when that was its cluster's; `hostsOf`, the host names its
 * renders resolved (enableDNS), which the apply's own renders reuse.
 */
export function prepare(
  targets: readonly Target[],
  charts: ReadonlyMap<string, Chart>,
  render: (t: Target, c: Chart, upgradeTo?: number, lookup?: LookupFn) => RenderedRelease,
  capabilitiesOf?: (t: Target) => ClusterCapabilities | undefined,
  hostsOf?: (t: Target) => HostResolver | undefined,
): Prepared[] {
  return targets.map((t) => {
    const chart = charts.get(t.release.chart)!;
    if (!t.release.installed) return { target: t, chart, rendered: null };
    let looked = false;
    const renderLooking = (lookup: LookupFn, upgradeTo?: number) => render(t, chart, upgradeTo, lookup);
    const renderUpgrade = dependsOnRevision(chart) ? (revision: number) => render(t, chart, revision) : undefined;
    const hosts = hostsOf?.(t);
    try {
      const rendered = render(t, chart, undefined, () => {
        looked = true;
        return newMap();
      });
      return { target: t, chart, rendered, renderUpgrade, capabilities: capabilitiesOf?.(t), renderLooking: looked ? renderLooking : undefined, hosts };
    } catch (e) {
      // A chart that called lookup may have failed only because nothing was found: the diff renders it again.
      if (looked) return { target: t, chart, rendered: null, renderUpgrade, capabilities: capabilitiesOf?.(t), renderLooking, hosts };
      const message = e instanceof Error ? e.message : String(e);
      return { target: t, chart, rendered: null, renderError: isClusterError(e) ? message : `render: ${message}` };
    }
  });
}

/** An error reading the cluster (unreachable, refused, kubeconfig), not one of the chart. */
function isClusterError(e: unknown): boolean {
  return e instanceof KubeTransportError || e instanceof KubeApiError || e instanceof KubeConfigError;
}

/**
 * Targets whose release had no record at all when this process diffed them (the same Prepared object then goes to
 * runFleet): their install creates revision 1 without reading the history again — that create fails if a record
 * has appeared since, so the check is kept (see UpgradeOptions.knownHistory).
 */
const diffSawNoRecords = new WeakSet<Prepared>();

const contextKey = (t: Target): string => t.cluster.kubeContext || t.cluster.name;

/** Most objects one list of a diff's snapshot may hold; a namespace with more is read object by object. */
const SNAPSHOT_MAX = 500;

/**
 * Live objects for a fleet diff. Where several targets of the run need objects of one kind in one namespace of a
 * cluster, that kind is listed there once (one page, at most SNAPSHOT_MAX objects: a larger namespace is read
 * object by object) and every target reads its objects from the list, instead of a GET per object. Secrets are
 * always read one by one (a diff reads no Secret it does not manage), and so is anything the list does not answer
 * (a list refused by RBAC, an unknown kind).
 */
function liveReader(items: readonly Prepared[]): (t: Target, ctx: ReleaseContext) => (ref: ObjectRef) => Promise<KubeObject | null> {
  const need = new Map<string, number>();
  const groupKey = (ctxKey: string, apiVersion: string, kind: string, namespace: string) => JSON.stringify([ctxKey, apiVersion, kind, namespace]);
  for (const p of items) {
    if (!p.rendered || !p.target.release.installed) continue;
    let objs: KubeObject[];
    try {
      objs = decodeManifest(releaseManifest(p.rendered.manifests));
    } catch {
      continue; // the diff reports it
    }
    for (const o of objs) {
      if (o.kind === 'Secret') continue;
      const k = groupKey(contextKey(p.target), o.apiVersion, o.kind, o.metadata.namespace || p.target.release.namespace || 'default');
      need.set(k, (need.get(k) ?? 0) + 1);
    }
  }
  const lists = new Map<string, Promise<Map<string, KubeObject> | null>>();
  return (t, ctx) => async (ref) => {
    const k = ref.namespace ? groupKey(contextKey(t), ref.apiVersion, ref.kind, ref.namespace) : '';
    const n = need.get(k) ?? 0;
    if (n < 2 || ref.kind === 'Secret') return ctx.cluster.get(ref);
    let l = lists.get(k);
    if (!l) {
      const max = Math.min(SNAPSHOT_MAX, Math.max(100, 4 * n));
      l = ctx.cluster.listPage(ref.apiVersion, ref.kind, ref.namespace, max).then(
        (page) => (page.complete ? new Map(page.items.map((o) => [o.metadata.name, o])) : null),
        () => null,
      );
      lists.set(k, l);
    }
    const snapshot = await l;
    if (!snapshot) return ctx.cluster.get(ref);
    return snapshot.get(ref.name) ?? null;
  };
}

/**
 * The CRDs that the targets a target needs (transitively, on its cluster) install: their charts' crds/ and the
 * CustomResourceDefinitions among their templates. Read from the renders, each target's once.
 */
function crdsOfNeeds(items: readonly Prepared[]): (p: Prepared) => KubeObject[] {
  const byId = new Map(items.map((p) => [p.target.id, p]));
  const own = new Map<Prepared, KubeObject[]>();
  const crdsOf = (p: Prepared): KubeObject[] => {
    let c = own.get(p);
    if (!c) {
      const r = p.rendered;
      c = r && p.target.release.installed ? [...r.crds, ...r.manifests.filter((m) => m.head.kind === 'CustomResourceDefinition').map((m) => ({ data: m.content }))].flatMap((f) => decodeManifest(f.data)) : [];
      own.set(p, c);
    }
    return c;
  };
  return (p) => {
    const out: KubeObject[] = [];
    const seen = new Set<string>();
    const visit = (id: string): void => {
      const d = byId.get(id);
      if (seen.has(id) || !d || d.target.cluster.name !== p.target.cluster.name) return;
      seen.add(id);
      out.push(...crdsOf(d));
      for (const n of d.target.release.needs) visit(n);
    };
    for (const n of p.target.release.needs) visit(n);
    return out;
  };
}

/** Diffs every target, concurrently; returns the target plans in input order. */
export function diffFleet(items: readonly Prepared[], opts: FleetOptions, diffOpts: DiffOptions): Promise<TargetPlan[]> {
  return Promise.all(diffEach(items, opts, diffOpts));
}

/** Diffs every target, concurrently: one promise per target, in input order, each settling as soon as its diff is done. */
export function diffEach(items: readonly Prepared[], opts: FleetOptions, diffOpts: DiffOptions): Promise<TargetPlan>[] {
  const limit = pLimit(opts.concurrency && opts.concurrency > 0 ? opts.concurrency : 64);
  const liveFor = liveReader(items);
  const neededCrdsOf = crdsOfNeeds(items);
  // Release records are read once per cluster and namespace (one labelled list), not once per release.
  const listings = new Map<string, Promise<KubeObject[]>>();
  const historyOf = (t: Target, ctx: ReleaseContext): ((name: string) => Promise<Release[]>) | undefined => {
    const driver = ctx.storage.driver;
    if (!(driver instanceof KubeDriver)) return undefined;
    const key = JSON.stringify([contextKey(t), driver.name, driver.namespace]);
    return async (name) => {
      let p = listings.get(key);
      if (!p) {
        p = driver.listRecords();
        listings.set(key, p);
        p.catch(() => {
          if (listings.get(key) === p) listings.delete(key);
        });
      }
      return driver.historyFrom(await p, name).sort((a, b) => a.version - b.version);
    };
  };
  return items.map((p) =>
    limit(async (): Promise<TargetPlan> => {
      const t = p.target;
      if (p.renderError !== undefined) {
        return errorPlan(t, p.renderError);
      }
      let ctx: ReleaseContext;
      try {
        ctx = await contextFor(t, opts);
      } catch (e) {
        return errorPlan(t, e instanceof Error ? e.message : String(e));
      }
      const read = historyOf(t, ctx) ?? ((name: string) => ctx.storage.history(name));
      const history = async (name: string): Promise<Release[]> => {
        const h = await read(name);
        if (name === t.release.name && h.length === 0) diffSawNoRecords.add(p);
        return h;
      };
      let rendered = p.rendered;
      let renderUpgrade: ((revision: number) => RenderedRelease | Promise<RenderedRelease>) | undefined = p.renderUpgrade;
      const looking = p.renderLooking;
      if (looking) {
        try {
          rendered = await renderWithLookups(ctx.cluster, looking);
        } catch (e) {
          return errorPlan(t, `render: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (renderUpgrade) renderUpgrade = (revision) => renderWithLookups(ctx.cluster, (lookup) => looking(lookup, revision));
      }
      const plan = await diffTarget({ target: t, chart: p.chart, rendered, renderUpgrade, ctx, history, live: liveFor(t, ctx), neededCrds: () => neededCrdsOf(p) }, diffOpts);
      opts.onEvent?.(event('diff.done', { id: t.id, cluster: t.cluster.name, release: t.release.name, action: plan.action, error: plan.error }));
      return plan;
    }),
  );
}

function errorPlan(t: Target, error: string): TargetPlan {
  return {
    id: t.id,
    cluster: t.cluster.name,
    kubeContext: t.cluster.kubeContext,
    release: t.release.name,
    namespace: t.release.namespace || 'default',
    action: 'error',
    changes: [],
    hooks: [],
    valuesChanged: [],
    renderDigest: '',
    live: [],
    revision: 0,
    needs: [...t.release.needs],
    error,
  };
}

/**
 * Errors worth another attempt: the API server or the network failed, not the request. An unreachable cluster is
 * not: the client already retried its connection, and its verdict holds for the rest of the run.
 */
export function isTransient(msg: string): boolean {
  if (/Kubernetes cluster unreachable/.test(msg)) return false;
  return /\b(50[0234]|429)\b|ServiceUnavailable|Service Unavailable|InternalError|Too ?Many ?Requests|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|request timed out|etcdserver|try again/i.test(msg);
}

export type RunAction = 'install' | 'upgrade' | 'uninstall';

export interface RunItem {
  readonly prepared: Prepared;
  /**
   * What to do. A promise when the target's own diff decides it while the run goes on: 'none' leaves the target out
   * of the run (its dependents go on); a rejection fails it (its dependents are skipped).
   */
  readonly action: RunAction | Promise<RunAction | 'none'>;
}

export interface TargetOutcome extends JobResult {
  readonly release: string;
  readonly action: string;
}

export interface RunResult {
  readonly outcomes: TargetOutcome[];
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly rollbacks: number;
}

/**
 * Executes the given actions: `install`/`upgrade` run upgrade --install, `uninstall` uninstalls; every target
 * starts when its own needs are done. `reverse` runs dependents before their needs (destroy).
 */
export async function runFleet(items: readonly RunItem[], opts: FleetOptions & { reverse?: boolean; redactor?: Redactor; check?: (p: Prepared, ctx: ReleaseContext) => Promise<void> }): Promise<RunResult> {
  const byId = new Map(items.map((i) => [i.prepared.target.id, i]));
  // Actions still being decided (by each target's own diff) gate their jobs; the rest are known now.
  const actions = new Map<string, RunAction>();
  const gateOf = (i: RunItem): Promise<boolean> | undefined => {
    const id = i.prepared.target.id;
    if (typeof i.action === 'string') {
      actions.set(id, i.action);
      return undefined;
    }
    return i.action.then(
      (a) => {
        if (a !== 'none') actions.set(id, a);
        return a !== 'none';
      },
      (e: unknown) => {
        if (e instanceof Refusal) actions.set(id, e.action);
        throw e;
      },
    );
  };
  const ids = new Set(byId.keys());
  const dependents = new Map<string, string[]>();
  for (const i of items) for (const n of i.prepared.target.release.needs) if (ids.has(n)) dependents.set(n, [...(dependents.get(n) ?? []), i.prepared.target.id]);
  const jobs: Job[] = items.map((i) => ({
    id: i.prepared.target.id,
    cluster: i.prepared.target.cluster.name,
    needs: opts.reverse ? (dependents.get(i.prepared.target.id) ?? []) : i.prepared.target.release.needs.filter((n) => ids.has(n)),
    gate: gateOf(i),
  }));
  const redactor = opts.redactor ?? new Redactor();
  const emit = opts.onEvent ?? (() => undefined);
  let rollbacks = 0;
  // --create-namespace applies each cluster's namespace once per run, not once per release.
  const namespaces = new Map<unknown, Map<string, Promise<void>>>();
  const withMemo = (ctx: ReleaseContext): ReleaseContext => {
    let m = namespaces.get(ctx.cluster);
    if (!m) namespaces.set(ctx.cluster, (m = new Map()));
    return { ...ctx, namespacesApplied: m };
  };
  const startedAt = Date.now();
  // The run is announced when its first target starts or ends, with the targets whose diff has not ruled them out:
  // a run where every diff finds nothing to do announces nothing.
  const unchanged = new Set<string>();
  let announced = false;
  const announce = () => {
    if (announced) return;
    announced = true;
    const left = jobs.filter((j) => !unchanged.has(j.id));
    emit(event('run.start', { targets: left.length, jobs: left.map((j) => ({ id: j.id, cluster: j.cluster, release: byId.get(j.id)!.prepared.target.release.name, needs: j.needs })) }));
  };
  const results = await schedule(
    jobs,
    async (job) => {
      const item = byId.get(job.id)!;
      const action = actions.get(job.id)!;
      const { target: t } = item.prepared;
      const attempts = Math.max(1, opts.retries ?? 3);
      const hooks = opts.hooks;
      const uninstall = action === 'uninstall';
      // helmfile's order: presync (preuninstall) once, before the first attempt's write and after a stale-plan check.
      let pre: Promise<void> | undefined;
      const preHooks = () => (pre ??= hooks ? hooks.trigger(t.id, uninstall ? 'preuninstall' : 'presync') : Promise.resolve());
      let failure: unknown;
      for (let attempt = 1; ; attempt++) {
        try {
          const ctx = withMemo(await contextFor(t, opts));
          if (opts.check) await opts.check(item.prepared, ctx);
          await preHooks();
          // What the diff saw serves the first attempt only (a failed attempt may itself have left a record).
          await runOne(item.prepared, action, ctx, {
            retry: attempt > 1,
            noRecords: attempt === 1 && !opts.check && diffSawNoRecords.has(item.prepared),
            forceConflicts: forcesConflicts(t, opts.forceConflicts),
            cascade: opts.cascade,
            syncReleaseLabels: opts.syncReleaseLabels === true,
          });
          break;
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          if (/has been rolled back/.test(msg)) rollbacks++;
          // A render that failed (before the run, e.g. on an unreachable cluster's capabilities) fails again.
          const renderFailed = action !== 'uninstall' && item.prepared.renderError !== undefined;
          if (e instanceof HookError || attempt >= attempts || renderFailed || !isTransient(msg) || (opts.signal?.aborted ?? false)) {
            failure = e;
            break;
          }
          emit(event('target.retry', { id: t.id, cluster: t.cluster.name, release: t.release.name, attempt, error: redactor.redact(msg) }));
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
      // postsync follows every sync that got as far as its presync, failed or not (.Event.Error tells); postuninstall
      // only a successful uninstall. A failing post hook fails the target, after the sync's own error if any.
      if (hooks && pre !== undefined && !(failure instanceof HookError)) {
        if (!uninstall) {
          const err = failure === undefined ? undefined : redactor.redact(failure instanceof Error ? failure.message : String(failure));
          await hooks.trigger(t.id, 'postsync', err).catch((e: unknown) => {
            failure ??= e;
          });
        } else if (failure === undefined) await hooks.trigger(t.id, 'postuninstall');
      }
      if (failure !== undefined) throw failure;
    },
    {
      concurrency: opts.concurrency,
      clusterConcurrency: opts.clusterConcurrency,
      failFast: opts.failFast,
      signal: opts.signal,
      describeError: (e) => redactor.redact(e instanceof Error ? e.message : String(e)),
      onStart: (job) => {
        announce();
        const i = byId.get(job.id)!;
        emit(event('target.start', { id: job.id, cluster: job.cluster, release: i.prepared.target.release.name, action: actions.get(job.id) }));
      },
      onFinish: (r) => {
        const i = byId.get(r.id)!;
        if (r.status === 'unchanged') unchanged.add(r.id);
        else announce();
        const type = ({ succeeded: 'target.done', failed: 'target.failed', skipped: 'target.skipped', cancelled: 'target.cancelled', unchanged: 'target.unchanged' } as const)[r.status];
        emit(
          event(type, {
            id: r.id,
            cluster: r.cluster,
            release: i.prepared.target.release.name,
            // A target that failed before its action was known failed in its diff.
            action: actions.get(r.id) ?? (r.status === 'failed' ? 'diff' : undefined),
            durationMs: r.startedAt !== undefined && r.finishedAt !== undefined ? r.finishedAt - r.startedAt : undefined,
            error: r.error,
            reason: r.reason,
          }),
        );
      },
    },
  );
  const finishedAt = Date.now();
  // A target its diff found unchanged was not part of the run.
  const outcomes = items
    .map((i) => ({ ...results.get(i.prepared.target.id)!, release: i.prepared.target.release.name, action: actions.get(i.prepared.target.id) ?? 'diff' }))
    .filter((o) => o.status !== 'unchanged');
  if (announced) emit(event('run.done', { durationMs: finishedAt - startedAt, failed: outcomes.filter((o) => o.status !== 'succeeded').length }));
  return { outcomes, startedAt, finishedAt, rollbacks };
}

interface RunOneOptions {
  /** A later attempt: a pending record this process left is recovered first. */
  readonly retry: boolean;
  /** The diff saw no record of the release (see diffSawNoRecords). */
  readonly noRecords: boolean;
  readonly forceConflicts: boolean;
  readonly cascade?: Cascade;
  readonly syncReleaseLabels: boolean;
}

async function runOne(p: Prepared, action: 'install' | 'upgrade' | 'uninstall', ctx: ReleaseContext, o: RunOneOptions): Promise<void> {
  const { retry, noRecords, forceConflicts } = o;
  const t = p.target;
  const r = t.release;
  if (retry) {
    // A previous attempt of this process may have left the pending-* lock; this process is its only holder.
    const last = await ctx.storage.last(r.name);
    if (last && /^pending-/.test(last.info.status)) await recover(ctx, r.name);
  }
  if (action === 'uninstall') {
    await uninstallRelease(ctx, r.name, { wait: r.deleteWait, timeoutMs: r.deleteTimeout > 0 ? r.deleteTimeout * 1000 : undefined, cascade: layered(r.cascade, o.cascade) });
    return;
  }
  if (p.renderError !== undefined) throw new Error(p.renderError);
  try {
    await installOrUpgrade(ctx, {
      releaseName: r.name,
      chart: p.chart,
      chartPath: r.chart,
      values: t.values,
      hosts: p.hosts,
      wait: r.wait,
      waitForJobs: r.waitForJobs,
      timeoutMs: r.timeout > 0 ? r.timeout * 1000 : undefined,
      rollbackOnFailure: r.atomic,
      createNamespace: r.createNamespace,
      historyMax: r.historyMax,
      skipCrds: r.skipCRDs,
      takeOwnership: r.takeOwnership,
      forceConflicts,
      cleanupOnFail: r.cleanupOnFail,
      skipSchemaValidation: r.skipSchemaValidation,
      description: r.description,
      // helmfile's syncReleaseLabels: helm upgrade --labels with the release's labels, Helm's own left out.
      labels: r.syncReleaseLabels || o.syncReleaseLabels ? filterSystemLabels(r.labels) : undefined,
      knownHistory: noRecords ? [] : undefined,
      // A render whose lookups found nothing is not what the install renders against the cluster.
      prerendered: p.rendered && p.capabilities && !p.renderLooking ? { release: p.rendered, capabilities: p.capabilities } : undefined,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg === PENDING_ERROR) throw new Error(`${PENDING_ERROR} (run \`bosun recover ${r.name} -n ${ctx.namespace} --kube-context ${t.cluster.kubeContext}\` if no other process is deploying it)`);
    throw e;
  }
}

/** Why a planned action must not run: its RunItem's action rejects with it, and the target fails as that action. */
export class Refusal extends Error {
  constructor(
    readonly action: RunAction,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Why a target whose plan changes fields other managers own must not be applied (the apply would fail on the first
 * such object, part-way through the release), or undefined when it may: it has no such field, or takes them over.
 */
export function conflictRefusal(planned: TargetPlan, t: Target, forceConflicts?: boolean): Refusal | undefined {
  const fields = conflictsOf(planned);
  if (fields.length === 0 || forcesConflicts(t, forceConflicts)) return undefined;
  return new Refusal(
    planned.action as RunAction,
    `refused, nothing applied: the apply would take ${fields.length === 1 ? 'a field' : `${fields.length} fields`} that other field managers own: ${fields.join('; ')}. ` +
      'Take them over with --force-conflicts (or forceConflicts: true on the release), or change the chart or values to agree',
  );
}

/** Checks that a saved plan's target still matches the inputs and the live state it was computed from. */
export async function checkStale(planned: TargetPlan, p: Prepared, ctx: ReleaseContext): Promise<string | undefined> {
  const looking = p.renderLooking;
  const rendered = looking ? await renderWithLookups(ctx.cluster, looking) : p.rendered;
  if (rendered) {
    const digest = renderDigest(p.target, rendered, p.chart);
    if (digest !== planned.renderDigest) return 'inputs changed since the plan (render digest differs)';
  }
  const last = await ctx.storage.last(p.target.release.name);
  const revision = last && last.info.status !== 'uninstalled' ? last.version : 0;
  if (revision !== planned.revision) return `release revision is ${revision}, the plan was made at revision ${planned.revision}`;
  for (const l of planned.live) {
    // An object the plan found absent because its CRD comes with the apply: while the kind is not served, still absent.
    const live = await ctx.cluster.get({ apiVersion: l.apiVersion, kind: l.kind, name: l.name, namespace: l.namespace || undefined }).catch((e: unknown) => {
      if (e instanceof NoKindMatchError && l.resourceVersion === null) return null;
      throw e;
    });
    const now = live?.metadata.resourceVersion ?? null;
    if (now !== l.resourceVersion) return `${l.kind} ${l.namespace ? l.namespace + '/' : ''}${l.name} changed since the plan (resourceVersion ${l.resourceVersion ?? 'absent'} → ${now ?? 'absent'})`;
  }
  return undefined;
}

export { hasChanges };
