// Applying a revision's objects: server-side apply in install order (objects of one kind concurrently, kinds in
// sequence, as Helm batches them), pruning what the previous revision had and the new one does not (unless
// `helm.sh/resource-policy: keep`), deleting in uninstall order, and Helm's ownership check for objects that exist.
//
// Field ownership: bosun applies as field manager `bosun`. A conflict with Helm's own manager (`helm`) is not a
// conflict with a third party — helm and bosun manage the same release — so bosun takes those fields over; a
// conflict with any other manager (kubectl, a controller) fails unless --force-conflicts. The entries helm left on
// an object (client-side `Update`, or server-side `Apply`) are adopted into bosun's, as helm 4 adopts its own
// client-side entries when a release moves to server-side apply: a field the chart no longer sets is then removed.
import { UNINSTALL_ORDER } from '../render/index.js';
import { KubeApiError, refOf, type Cluster, type KubeObject } from '../kube/index.js';
import { FieldSet, withoutMembers } from '../kube/fields.js';
import type { ReleaseContext } from './context.js';
import { describeResource, keepPolicy, ownershipErrors, refOfResource, resourceKey, withOwnership, type Resource } from './resources.js';

/** Managers whose fields bosun takes over without --force-conflicts. */
const COOWNERS = new Set(['helm', 'bosun']);

export interface ApplyFlags {
  readonly forceConflicts?: boolean;
  readonly dryRun?: boolean;
  /** Collects what each apply answered (by resourceKey): a wait starts from it instead of a GET. */
  readonly observed?: Map<string, KubeObject>;
}

function observe(flags: ApplyFlags, r: Resource, live: KubeObject): void {
  if (flags.observed && !flags.dryRun) flags.observed.set(resourceKey(r.obj), live);
}

/** Splits into runs of consecutive objects of one kind (Helm applies a run concurrently). */
function runsOfKind(resources: readonly Resource[]): Resource[][] {
  const runs: Resource[][] = [];
  for (const r of resources) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.obj.kind === r.obj.kind) last.push(r);
    else runs.push([r]);
  }
  return runs;
}

/** A field another manager owns and an apply would change: what a server-side apply conflict names. */
export interface FieldConflict {
  /** The other field manager's name (`kubectl-edit`, `kube-controller-manager`, ...). */
  readonly manager: string;
  /** The field path, as `.spec.replicas`. */
  readonly field: string;
}

/**
 * What an apply error means under bosun's conflict policy: null when it is no field conflict, [] when every
 * conflicting manager is a co-owner (applying again with force is right), else the fields third parties own.
 */
export function foreignConflicts(e: unknown): FieldConflict[] | null {
  if (!(e instanceof KubeApiError) || !e.conflict || e.causes.length === 0) return null;
  const all = e.causes.map((c) => ({ manager: /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1] ?? '', field: c.field ?? '' }));
  if (all.some((c) => c.manager === '')) return null;
  return all.filter((c) => !COOWNERS.has(c.manager));
}

/**
 * Server-side applies one object with bosun's conflict policy, then adopts co-owners' entries (see adoption).
 * `creating`: an upgrade creates the object (it was in no revision): a failure then reads as helm's creation does.
 */
export async function applyObject(ctx: ReleaseContext, obj: KubeObject, flags: ApplyFlags, creating = false): Promise<KubeObject> {
  const apply = () => applyOnce(ctx, obj, flags, creating);
  let applied = await apply();
  if (flags.dryRun) return applied;
  // A write in between (a controller's) fails the patch's resourceVersion check: apply again and recompute, as
  // helm does, a few times at most; after that the entries stay as they are.
  for (let attempt = 0; attempt < 5; attempt++) {
    const a = adoption(applied, ctx.fieldManager);
    if (!a) return applied;
    let moved: KubeObject;
    try {
      moved = await ctx.cluster.jsonPatch(
        refOf(applied),
        [
          { op: 'replace', path: '/metadata/managedFields', value: a.entries },
          { op: 'replace', path: '/metadata/resourceVersion', value: applied.metadata.resourceVersion },
        ],
        { fieldManager: ctx.fieldManager },
      );
    } catch (e) {
      if (!(e instanceof KubeApiError && e.conflict)) throw wrapApplyError(e, obj, creating);
      applied = await apply();
      continue;
    }
    // Fields only the adopted entries owned and bosun no longer applies: applying again removes them.
    return prunable(a).isEmpty() ? moved : apply();
  }
  return applied;
}

async function applyOnce(ctx: ReleaseContext, obj: KubeObject, flags: ApplyFlags, creating: boolean): Promise<KubeObject> {
  const opts = { fieldManager: ctx.fieldManager, dryRun: flags.dryRun };
  try {
    return await ctx.cluster.apply(obj, { ...opts, force: flags.forceConflicts === true });
  } catch (e) {
    // Conflicts with co-owners only: applying again with force is right.
    if (flags.forceConflicts || foreignConflicts(e)?.length !== 0) throw wrapApplyError(e, obj, creating);
  }
  return ctx.cluster.apply(obj, { ...opts, force: true }).catch((e: unknown) => {
    throw wrapApplyError(e, obj, creating);
  });
}

interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly subresource?: string;
  readonly fieldsV1?: unknown;
}

interface Adoption {
  /** The object's managedFields after adoption: co-owners' entries gone, their fields in bosun's Apply entry. */
  readonly entries: ManagedFieldsEntry[];
  /** What bosun's apply set (its Apply entry as the server answered). */
  readonly own: FieldSet;
  /** The adopted entries' fields (those of bosun's apiVersion: the others are dropped, as csaupgrade does). */
  readonly adopted: FieldSet;
  /** Every other manager's fields. */
  readonly others: FieldSet;
}

/**
 * The co-owners' entries on an object bosun has just applied as `manager`: helm's, client-side (`Update`) or
 * server-side (`Apply`), on the object itself (not a subresource). undefined when there are none. Without adopting
 * them a field the chart stopped setting would stay forever, still owned by helm's entry; helm 4 adopts its own
 * client-side entry in the same way (k8s.io/client-go/util/csaupgrade) when a release moves to server-side apply.
 */
function adoption(applied: KubeObject, manager: string): Adoption | undefined {
  const mf = applied.metadata.managedFields as ManagedFieldsEntry[] | undefined;
  if (!Array.isArray(mf)) return undefined;
  const isAdopted = (e: ManagedFieldsEntry) => e.manager !== manager && COOWNERS.has(e.manager ?? '') && !e.subresource;
  if (!mf.some(isAdopted)) return undefined;
  const ownEntry = mf.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  if (!ownEntry) return undefined;
  const own = FieldSet.fromJSON(ownEntry.fieldsV1);
  let adopted = new FieldSet();
  let others = new FieldSet();
  for (const e of mf) {
    if (e === ownEntry) continue;
    if (!isAdopted(e)) others = others.union(FieldSet.fromJSON(e.fieldsV1));
    else if (e.apiVersion === ownEntry.apiVersion) adopted = adopted.union(FieldSet.fromJSON(e.fieldsV1));
  }
  // A Secret written through stringData: the server turns it into data, so no apply owns the data keys behind it.
  // helm never removes such a key (its three-way patch of stringData cannot reach data, nor can server-side apply),
  // and neither does bosun: their ownership is not adopted, so that no later apply prunes them.
  if (applied.apiVersion === 'v1' && applied.kind === 'Secret' && own.children.has('f:stringData') && adopted.children.has('f:data')) {
    adopted = adopted.clone();
    adopted.children.delete('f:data');
  }
  const entries = mf.filter((e) => !isAdopted(e)).map((e) => (e === ownEntry ? { ...e, fieldsV1: own.union(adopted).toJSON() } : e));
  return { entries, own, adopted, others };
}

/** Fields an apply after the adoption removes: owned by the adopted entries alone, no longer applied by bosun. */
function prunable(a: Adoption): FieldSet {
  const drop = a.adopted.difference(a.own).difference(a.others);
  return drop.isEmpty() ? drop : drop.exceptAncestorsOf(a.own.union(a.others));
}

/**
 * `applied` (an apply's answer, or a dry run's) without the fields that adopting co-owners' entries makes the next
 * apply remove; undefined when it removes nothing. Before the API server defaults it again, as it does on every
 * write: a removed field that has a default (helm's client-side entry owns defaulted fields too) comes back.
 */
export function prunedByAdoption(applied: KubeObject, manager: string): KubeObject | undefined {
  const a = adoption(applied, manager);
  if (!a) return undefined;
  const drop = prunable(a);
  return drop.isEmpty() ? undefined : (withoutMembers(applied, drop) as KubeObject);
}

/**
 * An apply's error as helm 4.1.4 words it: a field conflict names the object; any other error is the API server's
 * own message, after "failed to create resource: " when an upgrade creates the object.
 */
function wrapApplyError(e: unknown, obj: KubeObject, creating = false): Error {
  if (e instanceof KubeApiError) {
    const where = `${obj.metadata.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata.name}`;
    if (e.conflict) return new Error(`conflict occurred while applying object ${where} ${obj.apiVersion}, Kind=${obj.kind}: ${e.message}`);
    return new Error(creating ? `failed to create resource: ${e.message}` : e.message);
  }
  return e as Error;
}

/** Applies objects (with ownership metadata) in order; returns the live results. */
export async function applyAll(ctx: ReleaseContext, resources: readonly Resource[], release: string, flags: ApplyFlags): Promise<void> {
  for (const run of runsOfKind(resources)) {
    await Promise.all(run.map(async (r) => observe(flags, r, await applyObject(ctx, withOwnership(r.obj, release, ctx.namespace), flags))));
  }
}

/** Which of `resources` exist in the cluster (GET each), and the ones that exist but belong to someone else. */
export async function checkExisting(
  ctx: ReleaseContext,
  resources: readonly Resource[],
  release: string,
): Promise<{ existing: Set<string>; foreign: string[] }> {
  const existing = new Set<string>();
  const foreign: string[] = [];
  await Promise.all(
    resources.map(async (r) => {
      const live = await ctx.cluster.get(refOfResource(r));
      if (!live) return;
      existing.add(resourceKey(r.obj));
      const errs = ownershipErrors(live, release, ctx.namespace);
      if (errs.length > 0) {
        foreign.push(`${describeResource(r.obj)} exists and cannot be imported into the current release: invalid ownership metadata; ${errs.join('; ')}`);
      }
    }),
  );
  return { existing, foreign };
}

export interface UpdateResult {
  /** Objects this update created (did not exist before): what --cleanup-on-fail deletes. */
  readonly created: Resource[];
  /** Objects removed because the new revision dropped them. */
  readonly deleted: Resource[];
  readonly kept: Resource[];
}

/**
 * Moves the cluster from `current` to `target`: applies every target object, then deletes objects of `current`
 * missing from `target` (in uninstall order) unless they carry the keep policy.
 */
export async function updateAll(
  ctx: ReleaseContext,
  current: readonly Resource[],
  target: readonly Resource[],
  release: string,
  flags: ApplyFlags & { existing?: Set<string> },
  result: { created: Resource[] } = { created: [] },
): Promise<UpdateResult> {
  const targetKeys = new Set(target.map((r) => resourceKey(r.obj)));
  const existing = flags.existing;
  for (const run of runsOfKind(target)) {
    await Promise.all(
      run.map(async (r) => {
        const creating = existing !== undefined && !existing.has(resourceKey(r.obj));
        observe(flags, r, await applyObject(ctx, withOwnership(r.obj, release, ctx.namespace), flags, creating));
        if (creating) result.created.push(r);
      }),
    );
  }
  const deleted: Resource[] = [];
  const kept: Resource[] = [];
  const gone = current.filter((r) => !targetKeys.has(resourceKey(r.obj)));
  for (const r of sortForUninstall(gone)) {
    const live = await ctx.cluster.get(refOfResource(r));
    if (!live) continue;
    if (keepPolicy(live)) {
      kept.push(r);
      continue;
    }
    if (!flags.dryRun) await ctx.cluster.delete(refOfResource(r), 'Background');
    deleted.push(r);
  }
  return { created: result.created, deleted, kept };
}

/** Stable sort into Helm 4's uninstall order (unknown kinds first, as the reverse of install order puts them). */
export function sortForUninstall(resources: readonly Resource[]): Resource[] {
  const rank = (k: string) => {
    const i = UNINSTALL_ORDER.indexOf(k);
    return i < 0 ? -1 : i;
  };
  return resources
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r.obj.kind) - rank(b.r.obj.kind) || (rank(a.r.obj.kind) < 0 ? a.r.obj.kind.localeCompare(b.r.obj.kind) : 0) || a.i - b.i)
    .map((x) => x.r);
}

/** Deletes objects in uninstall order; returns the ones kept by policy and errors (Helm collects them). */
export async function deleteAll(
  cluster: Cluster,
  resources: readonly Resource[],
  opts: { propagation?: 'Background' | 'Foreground' | 'Orphan'; dryRun?: boolean } = {},
): Promise<{ deleted: Resource[]; errors: string[] }> {
  const deleted: Resource[] = [];
  const errors: string[] = [];
  for (const r of sortForUninstall(resources)) {
    try {
      if (opts.dryRun || (await cluster.delete(refOfResource(r), opts.propagation ?? 'Background'))) deleted.push(r);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { deleted, errors };
}
