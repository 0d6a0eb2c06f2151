// Plan output: text (terminal), JSON (the plan object) and Markdown (pull requests). Identical changes across
// clusters are shown once ("same change on 14 clusters: …"); outliers in full. Nothing here sees a Secret value:
// plans are masked when computed.
import type { Plan, PlanGroup, TargetPlan, ObjectChange } from './types.js';
import { conflictsOf, hasChanges } from './types.js';
import type { TargetOutcome, RunResult } from './fleet.js';

const OP_MARK: Record<ObjectChange['op'], string> = { add: '+', change: '~', remove: '-' };

function groupTitle(g: PlanGroup, total: number): string {
  const where = g.clusters.length === 1 ? `cluster ${g.clusters[0]}` : `same change on ${g.clusters.length} clusters: ${g.clusters.join(', ')}`;
  void total;
  return `${g.release} (namespace ${g.namespace}) — ${g.action} — ${where}`;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

function targetDetails(t: TargetPlan, mode: 'text' | 'markdown'): string {
  let out = '';
  if (t.error) out += mode === 'markdown' ? `**error:** \`${t.error.replace(/`/g, "'")}\`\n\n` : `  error: ${t.error}\n`;
  if (t.recordStatus) out += mode === 'markdown' ? `- last release record is **${t.recordStatus}**\n` : `  last release record is ${t.recordStatus}\n`;
  if (t.chartChange) out += mode === 'markdown' ? `- chart version ${t.chartChange.from || '(none)'} → ${t.chartChange.to}\n` : `  chart version ${t.chartChange.from || '(none)'} -> ${t.chartChange.to}\n`;
  if (t.valuesChanged.length > 0) out += mode === 'markdown' ? `- values changed: ${t.valuesChanged.map((v) => `\`${v}\``).join(', ')}\n` : `  values changed: ${t.valuesChanged.join(', ')}\n`;
  for (const h of t.hooks) out += mode === 'markdown' ? `- hook ${h.op}: \`${h.path}\`\n` : `  hook ${h.op}: ${h.path}\n`;
  if (t.suppressed) out += mode === 'markdown' ? `- ${t.suppressed} change(s) suppressed\n` : `  ${t.suppressed} change(s) suppressed\n`;
  if (t.diffSuppressed && t.changes.length > 0) out += mode === 'markdown' ? `- ${DIFF_SUPPRESSED}\n` : `  ${DIFF_SUPPRESSED}\n`;
  for (const c of t.changes) {
    const title = `${OP_MARK[c.op]} ${c.kind} ${c.namespace ? c.namespace + '/' : ''}${c.name}`;
    const keys = c.secretKeys ? secretLine(c) : '';
    const note = suppressedLinesNote(c);
    if (mode === 'markdown') {
      out += `\n**${title}**${keys ? ` — ${keys}` : ''}${note ? ` (${note})` : ''}\n`;
      for (const x of c.conflicts ?? []) out += `\n- **conflict:** \`${x.field}\` is managed by \`${x.manager}\`${CONFLICT_HINT}`;
      if (c.conflicts) out += '\n';
      if (c.diff) out += `\n\`\`\`diff\n${c.diff.replace(/```/g, "'''").replace(/\n?$/, '\n')}\`\`\`\n`;
    } else {
      out += `  ${title}${keys ? `  (${keys})` : ''}${note ? `  (${note})` : ''}\n`;
      for (const x of c.conflicts ?? []) out += `    CONFLICT: ${x.field} is managed by "${x.manager}"${CONFLICT_HINT}\n`;
      if (c.diff) out += `${indent(c.diff.replace(/\n$/, ''), '    ')}\n`;
    }
  }
  return out;
}

/** Said once per target whose object diffs are not shown. */
export const DIFF_SUPPRESSED = 'object diffs suppressed (suppressDiff); the changes below are applied';

/** Said after a change some of whose lines suppressOutputLineRegex left out. */
export function suppressedLinesNote(c: ObjectChange): string {
  if (!c.suppressedLines) return '';
  return `${c.suppressedLines} line${c.suppressedLines === 1 ? '' : 's'} suppressed by suppressOutputLineRegex`;
}

/** What a conflict means for the apply, after each conflicting field. */
export const CONFLICT_HINT = ' (apply leaves this target untouched without --force-conflicts)';

function secretLine(c: ObjectChange): string {
  const k = c.secretKeys!;
  const parts: string[] = [];
  if (k.added.length) parts.push(`keys added: ${k.added.join(', ')}`);
  if (k.changed.length) parts.push(`keys changed: ${k.changed.join(', ')}`);
  if (k.removed.length) parts.push(`keys removed: ${k.removed.join(', ')}`);
  return parts.length ? `${parts.join('; ')}; values masked` : 'values masked';
}

export function summaryLine(plan: Plan): string {
  const count = (a: string) => plan.targets.filter((t) => t.action === a).length;
  const conflicting = plan.targets.filter((t) => conflictsOf(t).length > 0).length;
  const conflicts = conflicting === 0 ? '' : ` ${conflicting} ${conflicting === 1 ? 'target changes fields' : 'targets change fields'} that other managers own (conflicts: not applied without --force-conflicts).`;
  return `Plan: ${plan.summary.changed} of ${plan.summary.targets} targets to change (${count('install')} to install, ${count('upgrade')} to upgrade, ${count('uninstall')} to uninstall), ${plan.summary.unchanged} unchanged, ${plan.summary.errors} errors.${conflicts}`;
}

export function formatText(plan: Plan): string {
  const byId = new Map(plan.targets.map((t) => [t.id, t]));
  let out = '';
  for (const g of plan.groups) {
    out += `${groupTitle(g, plan.targets.length)}\n`;
    out += targetDetails(byId.get(g.representative)!, 'text');
    out += '\n';
  }
  if (plan.groups.length === 0) out += 'No changes.\n';
  out += summaryLine(plan) + '\n';
  return out;
}

export function formatJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

/** Per cluster: how many targets change, are unchanged, failed to diff. */
export function clusterTable(plan: Plan): { cluster: string; changed: number; unchanged: number; errors: number }[] {
  const rows = new Map<string, { cluster: string; changed: number; unchanged: number; errors: number }>();
  for (const t of plan.targets) {
    const r = rows.get(t.cluster) ?? { cluster: t.cluster, changed: 0, unchanged: 0, errors: 0 };
    if (t.action === 'error') r.errors++;
    else if (hasChanges(t)) r.changed++;
    else r.unchanged++;
    rows.set(t.cluster, r);
  }
  return [...rows.values()];
}

export function formatMarkdown(plan: Plan): string {
  const byId = new Map(plan.targets.map((t) => [t.id, t]));
  let out = `## bosun plan — environment \`${plan.environment}\`\n\n${summaryLine(plan)}\n\n| cluster | changed | unchanged | errors |\n| --- | ---: | ---: | ---: |\n`;
  for (const r of clusterTable(plan)) out += `| ${r.cluster} | ${r.changed} | ${r.unchanged} | ${r.errors} |\n`;
  for (const g of plan.groups) {
    out += `\n### ${g.release} (\`${g.namespace}\`) — ${g.action}\n\n`;
    out += g.clusters.length === 1 ? `Cluster \`${g.clusters[0]}\`.\n\n` : `Same change on ${g.clusters.length} clusters: ${g.clusters.map((c) => `\`${c}\``).join(', ')}.\n\n`;
    out += targetDetails(byId.get(g.representative)!, 'markdown');
  }
  return out;
}

export interface ClusterSummary {
  cluster: string;
  changed: number;
  unchanged: number;
  failed: number;
  skipped: number;
  durationMs: number;
}

/** The final per-cluster summary of an apply/sync/destroy. */
export function runSummary(run: RunResult, unchanged: ReadonlyMap<string, number>): { rows: ClusterSummary[]; failures: TargetOutcome[] } {
  const rows = new Map<string, ClusterSummary>();
  const row = (c: string) => {
    let r = rows.get(c);
    if (!r) rows.set(c, (r = { cluster: c, changed: 0, unchanged: unchanged.get(c) ?? 0, failed: 0, skipped: 0, durationMs: 0 }));
    return r;
  };
  for (const c of unchanged.keys()) row(c);
  const spans = new Map<string, [number, number]>();
  for (const o of run.outcomes) {
    const r = row(o.cluster);
    if (o.status === 'succeeded') r.changed++;
    else if (o.status === 'failed') r.failed++;
    else r.skipped++;
    if (o.startedAt !== undefined && o.finishedAt !== undefined) {
      const s = spans.get(o.cluster);
      spans.set(o.cluster, s ? [Math.min(s[0], o.startedAt), Math.max(s[1], o.finishedAt)] : [o.startedAt, o.finishedAt]);
    }
  }
  for (const [c, [a, b]] of spans) row(c).durationMs = b - a;
  return { rows: [...rows.values()].sort((a, b) => a.cluster.localeCompare(b.cluster)), failures: run.outcomes.filter((o) => o.status !== 'succeeded') };
}

export function formatRunSummary(run: RunResult, unchanged: ReadonlyMap<string, number>): string {
  const { rows, failures } = runSummary(run, unchanged);
  const table = [['CLUSTER', 'CHANGED', 'UNCHANGED', 'FAILED', 'SKIPPED', 'DURATION']];
  for (const r of rows) table.push([r.cluster, String(r.changed), String(r.unchanged), String(r.failed), String(r.skipped), `${(r.durationMs / 1000).toFixed(1)}s`]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  let out = '\n' + table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('   ').trimEnd()).join('\n') + '\n';
  const failed = failures.filter((f) => f.status === 'failed');
  const other = failures.filter((f) => f.status !== 'failed');
  if (failed.length > 0) {
    out += `\nFailed (${failed.length}):\n`;
    for (const f of failed) out += `  ${f.id}: ${f.error}\n`;
  }
  if (other.length > 0) {
    out += `\nNot run (${other.length}):\n`;
    for (const f of other) out += `  ${f.id}: ${f.status}${f.reason ? ` (${f.reason})` : ''}\n`;
  }
  const ok = run.outcomes.filter((o) => o.status === 'succeeded').length;
  out += `\n${ok} of ${run.outcomes.length} targets applied in ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)}s${failures.length ? `; ${failed.length} failed, ${other.length} not run` : ''}.\n`;
  return out;
}

/** Prometheus text format for --metrics-file. */
export function formatMetrics(run: RunResult): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  let out = '# HELP bosun_deploy_duration_seconds Wall time of the whole deploy.\n# TYPE bosun_deploy_duration_seconds gauge\n';
  out += `bosun_deploy_duration_seconds ${((run.finishedAt - run.startedAt) / 1000).toFixed(3)}\n`;
  out += '# HELP bosun_target_duration_seconds Wall time of each target.\n# TYPE bosun_target_duration_seconds gauge\n';
  for (const o of run.outcomes) if (o.startedAt !== undefined && o.finishedAt !== undefined) out += `bosun_target_duration_seconds{cluster="${esc(o.cluster)}",release="${esc(o.release)}",status="${o.status}"} ${((o.finishedAt - o.startedAt) / 1000).toFixed(3)}\n`;
  out += '# HELP bosun_targets_total Targets by result.\n# TYPE bosun_targets_total gauge\n';
  for (const s of ['succeeded', 'failed', 'skipped', 'cancelled']) out += `bosun_targets_total{result="${s}"} ${run.outcomes.filter((o) => o.status === s).length}\n`;
  out += '# HELP bosun_deploy_success Whether every target succeeded (1) or not (0).\n# TYPE bosun_deploy_success gauge\n';
  out += `bosun_deploy_success ${run.outcomes.every((o) => o.status === 'succeeded') ? 1 : 0}\n`;
  out += '# HELP bosun_rollbacks_total Targets rolled back after a failure (atomic).\n# TYPE bosun_rollbacks_total counter\n';
  out += `bosun_rollbacks_total ${run.rollbacks}\n`;
  return out;
}
