// The plan: what `bosun diff` computes and `bosun apply` executes, stored as JSON by --save-plan. Its JSON Schema is
// schema/plan.schema.json (PLAN_API_VERSION below; bump both together when a change is not a new optional field).
import type { FieldConflict } from '../release/apply.js';
import type { SecretKeyChanges } from './mask.js';

export const PLAN_API_VERSION = 'bosun.dev/plan/v1';

export type TargetAction = 'none' | 'install' | 'upgrade' | 'uninstall' | 'error';

export interface ObjectChange {
  op: 'add' | 'change' | 'remove';
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  /** Unified diff of the YAML (masked for Secrets unless --show-secrets); empty when the target's diffs are suppressed. */
  diff: string;
  /** How many diff lines suppressOutputLineRegex left out. */
  suppressedLines?: number;
  /** For Secrets: which keys changed (never their values). */
  secretKeys?: SecretKeyChanges;
  /**
   * Fields of this change that other managers own: the apply fails on them unless it forces conflicts. The diff
   * then shows what taking them over changes. Absent when there is none (or the diff forced conflicts).
   */
  conflicts?: FieldConflict[];
}

/** Targets' changes that the apply would fail on (fields other managers own), as "Kind ns/name: field (manager)". */
export function conflictsOf(t: TargetPlan): string[] {
  return t.changes.flatMap((c) => (c.conflicts ?? []).map((x) => `${c.kind} ${c.namespace ? c.namespace + '/' : ''}${c.name}: ${x.field} (managed by "${x.manager}")`));
}

export interface LiveVersion {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: string | null;
}

export interface HookChange {
  op: 'add' | 'change' | 'remove';
  path: string;
  events: string[];
}

export interface TargetPlan {
  /** cluster/namespace/name */
  id: string;
  cluster: string;
  kubeContext: string;
  release: string;
  namespace: string;
  action: TargetAction;
  changes: ObjectChange[];
  hooks: HookChange[];
  /** Dotted paths of the user values that differ from the last release record (never the values). */
  valuesChanged: string[];
  chartChange?: { from: string; to: string };
  /** Status of the last record when it is not `deployed` (failed, pending-*...). */
  recordStatus?: string;
  /** How many changes --suppress left out. */
  suppressed?: number;
  /** The object diffs are left out (suppressDiff, --suppress-diff); the changes still count. */
  diffSuppressed?: boolean;
  /** Digest of the render inputs and output (see renderDigest). */
  renderDigest: string;
  /** resourceVersion of each live object the diff read (null: absent). */
  live: LiveVersion[];
  /** Revision of the last release record (0: none). */
  revision: number;
  needs: string[];
  error?: string;
}

/** Targets whose changes are identical but for the cluster. */
export interface PlanGroup {
  release: string;
  namespace: string;
  action: TargetAction;
  clusters: string[];
  /** Index into plan.targets of the one shown in full. */
  representative: string;
}

export interface Plan {
  apiVersion: typeof PLAN_API_VERSION;
  kind: 'Plan';
  createdAt: string;
  environment: string;
  stateFile: string;
  selectors: string[];
  showSecrets: boolean;
  targets: TargetPlan[];
  groups: PlanGroup[];
  summary: { targets: number; changed: number; unchanged: number; errors: number };
}

export const hasChanges = (t: TargetPlan): boolean => t.action === 'install' || t.action === 'upgrade' || t.action === 'uninstall';

/** What makes two targets' changes "the same change": everything but the cluster. */
export function changeFingerprint(t: TargetPlan): string {
  return JSON.stringify([t.release, t.namespace, t.action, t.changes, t.hooks, t.valuesChanged, t.chartChange ?? null, t.recordStatus ?? null, t.error ?? null]);
}

/** Collapses identical changes across clusters; groups keep the first target as the one shown. */
export function groupTargets(targets: readonly TargetPlan[]): PlanGroup[] {
  const groups = new Map<string, PlanGroup>();
  for (const t of targets) {
    if (!hasChanges(t) && t.action !== 'error') continue;
    const fp = changeFingerprint(t);
    const g = groups.get(fp);
    if (g) g.clusters.push(t.cluster);
    else groups.set(fp, { release: t.release, namespace: t.namespace, action: t.action, clusters: [t.cluster], representative: t.id });
  }
  return [...groups.values()];
}

export function makePlan(targets: TargetPlan[], meta: { environment: string; stateFile: string; selectors: string[]; showSecrets: boolean }): Plan {
  const changed = targets.filter(hasChanges).length;
  const errors = targets.filter((t) => t.action === 'error').length;
  return {
    apiVersion: PLAN_API_VERSION,
    kind: 'Plan',
    createdAt: new Date().toISOString(),
    ...meta,
    targets,
    groups: groupTargets(targets),
    summary: { targets: targets.length, changed, unchanged: targets.length - changed - errors, errors },
  };
}
