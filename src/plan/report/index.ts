// The review report (Markdown or HTML) built from eta templates: a summary table per environment and cluster, then
// the collapsed diffs. Plans are masked when computed, so the report never sees a Secret value.
import { Eta } from 'eta';
import type { Plan } from '../types.js';
import { CONFLICT_HINT, DIFF_SUPPRESSED, clusterTable, summaryLine, suppressedLinesNote } from '../format.js';
import { MARKDOWN_TEMPLATE, HTML_TEMPLATE } from './templates.js';

export function reportData(plan: Plan) {
  const byId = new Map(plan.targets.map((t) => [t.id, t]));
  return {
    plan,
    summary: summaryLine(plan),
    clusters: clusterTable(plan),
    groups: plan.groups.map((g) => ({ ...g, target: byId.get(g.representative)! })),
    fenced: (diff: string) => diff.replace(/```/g, "'''").replace(/\n?$/, '\n'),
    lines: (diff: string) => diff.replace(/\n$/, '').split('\n'),
    codeList: (xs: string[]) => xs.map((x) => '`' + x + '`').join(', '),
    mark: { add: '+', change: '~', remove: '-' } as Record<string, string>,
    conflictHint: CONFLICT_HINT,
    diffSuppressed: DIFF_SUPPRESSED,
    linesNote: suppressedLinesNote,
  };
}

export function renderReport(plan: Plan, format: 'markdown' | 'html'): string {
  const eta = new Eta({ autoEscape: format === 'html', autoTrim: false, useWith: false });
  return eta.renderString(format === 'html' ? HTML_TEMPLATE : MARKDOWN_TEMPLATE, reportData(plan));
}
