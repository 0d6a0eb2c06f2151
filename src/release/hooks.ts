// Hooks (pkg/action/hooks.go): the hooks of one event sorted by weight, then name; each one deleted first when its policy says before-hook-creation (the default),
// applied, waited for (Jobs until complete, Pods until Succeeded), its last run recorded in the release; a failure
// applies the hook-failed policy, removes the hooks that succeeded before it by hook-succeeded, and stops; after all succeeded, hook-succeeded deletes run in reverse order.
import type { Hook } from '../render/index.js';
import type { KubeObject, ObjectRef } from '../kube/index.js';
import { applyObject } from './apply.js';
import type { ReleaseContext } from './context.js';
import { goNow, type Release, type ReleaseHook } from './record.js';
import { buildResources, decodeManifest, refOfResource } from './resources.js';

export type HookEventName = 'pre-install' | 'post-install' | 'pre-delete' | 'post-delete' | 'pre-upgrade' | 'post-upgrade' | 'pre-rollback' | 'post-rollback' | 'test';

/** The rendered hooks as release record entries (last run empty, as Helm stores them before running). */
export function recordHooks(hooks: readonly Hook[]): ReleaseHook[] {
  return hooks.map((h) => ({
    name: h.head.name,
    kind: h.head.kind,
    path: h.path,
    manifest: h.content,
    events: [...h.events],
    lastRun: { startedAt: '', completedAt: '', phase: '' },
    weight: h.weight,
    deletePolicies: [...h.deletePolicies],
    outputLogPolicies: outputLogPolicies(h),
  }));
}

function outputLogPolicies(h: Hook): string[] {
  const v = h.head.annotations?.['helm.sh/hook-output-log-policy'];
  if (!v) return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Helm 4's hook order: by weight, then by name (checked against helm v4.1.4). */
export function sortHooks(hooks: readonly ReleaseHook[]): ReleaseHook[] {
  return [...hooks].sort((a, b) => a.weight - b.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface HookRunOptions {
  readonly timeoutMs: number;
  /** Persists the release (Helm records each hook's start). */
  readonly record: (rel: Release) => Promise<void>;
  /** Called as each hook starts and ends (progress output, ordering tests). */
  readonly onHook?: (event: HookEventName, hook: ReleaseHook, phase: 'start' | 'succeeded' | 'failed' | 'deleted') => void;
  readonly forceConflicts?: boolean;
}

/** The objects of a hook's manifest: one, or a list's items (helm's resource builder flattens `kind: List`). */
async function hookObjects(ctx: ReleaseContext, h: ReleaseHook): Promise<{ ref: ObjectRef; obj: KubeObject }[]> {
  const objs = decodeManifest(h.manifest);
  if (objs.length === 0) throw new Error(`unable to build kubernetes object for ${h.events.join(',')} hook ${h.path}: empty manifest`);
  const built = await buildResources(ctx.cluster, objs, ctx.namespace);
  return built.map((r) => ({ ref: refOfResource(r), obj: r.obj }));
}

async function deleteByPolicy(ctx: ReleaseContext, event: HookEventName, h: ReleaseHook, policy: string, opts: HookRunOptions): Promise<void> {
  // CRDs are never deleted by hook policies (cascading deletes).
  if (h.kind === 'CustomResourceDefinition') return;
  if (!h.deletePolicies.includes(policy)) return;
  const deleted: ObjectRef[] = [];
  for (const { ref } of await hookObjects(ctx, h)) if (await ctx.cluster.delete(ref, 'Background')) deleted.push(ref);
  if (deleted.length > 0) {
    await ctx.cluster.waitDeleted(deleted, opts.timeoutMs);
    opts.onHook?.(event, h, 'deleted');
  }
}

/** Runs the hooks of one event. Throws (after recording) when one fails. */
export async function runHooks(ctx: ReleaseContext, rel: Release, event: HookEventName, opts: HookRunOptions): Promise<void> {
  const executing = sortHooks(rel.hooks.filter((h) => h.events.includes(event)));
  // When a hook fails, Helm 4 still removes the hooks that already succeeded and asked for hook-succeeded.
  const cleanupSucceeded = async (upTo: number) => {
    for (let i = upTo - 1; i >= 0; i--) await deleteByPolicy(ctx, event, executing[i]!, 'hook-succeeded', opts);
  };
  for (const [index, h] of executing.entries()) {
    if (h.deletePolicies.length === 0) h.deletePolicies = ['before-hook-creation'];
    await deleteByPolicy(ctx, event, h, 'before-hook-creation', opts);
    const objects = await hookObjects(ctx, h);
    h.lastRun = { startedAt: goNow(), completedAt: '', phase: 'Running' };
    await opts.record(rel);
    h.lastRun.phase = 'Unknown';
    opts.onHook?.(event, h, 'start');
    try {
      for (const { obj } of objects) await applyObject(ctx, obj, { forceConflicts: opts.forceConflicts });
    } catch (e) {
      h.lastRun.completedAt = goNow();
      h.lastRun.phase = 'Failed';
      opts.onHook?.(event, h, 'failed');
      await cleanupSucceeded(index);
      throw new Error(`warning: Hook ${event} ${h.path} failed: ${(e as Error).message}`);
    }
    try {
      for (const { ref } of objects) await ctx.cluster.waitHook(ref, opts.timeoutMs);
    } catch (e) {
      h.lastRun.completedAt = goNow();
      h.lastRun.phase = 'Failed';
      opts.onHook?.(event, h, 'failed');
      await deleteByPolicy(ctx, event, h, 'hook-failed', opts);
      await cleanupSucceeded(index);
      throw e;
    }
    h.lastRun.completedAt = goNow();
    h.lastRun.phase = 'Succeeded';
    opts.onHook?.(event, h, 'succeeded');
  }
  for (let i = executing.length - 1; i >= 0; i--) await deleteByPolicy(ctx, event, executing[i]!, 'hook-succeeded', opts);
}
