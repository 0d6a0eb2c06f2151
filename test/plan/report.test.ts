// The review report (Markdown and HTML) shows everything the plan says about a changed target — record status,
// chart version, values, hooks, suppressed changes, conflicts, Secret keys, errors — as the terminal text does, and
// the HTML escapes what the plan carries (names and diffs come from charts and values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/plan/report/index.js';
import { formatMarkdown, formatText } from '../../src/plan/format.js';
import { makePlan, type TargetPlan } from '../../src/plan/types.js';

function target(cluster: string, over: Partial<TargetPlan>): TargetPlan {
  return {
    id: `${cluster}/web/web`,
    cluster,
    kubeContext: cluster,
    release: 'web',
    namespace: 'web',
    action: 'upgrade',
    changes: [],
    hooks: [],
    valuesChanged: [],
    renderDigest: 'sha256:0',
    live: [],
    revision: 3,
    needs: [],
    ...over,
  };
}

const changed = target('eu-1', {
  recordStatus: 'failed',
  chartChange: { from: '1.0.0', to: '1.1.0' },
  valuesChanged: ['image.tag'],
  hooks: [{ op: 'add', path: 'app/templates/migrate.yaml', events: ['pre-upgrade'] }],
  suppressed: 2,
  changes: [
    {
      op: 'change',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'web',
      name: 'web<script>',
      diff: '@@ -1 +1 @@\n-  replicas: 3\n+  replicas: 1\n',
      conflicts: [{ manager: 'kubectl-edit', field: '.spec.replicas' }],
    },
    { op: 'change', apiVersion: 'v1', kind: 'Secret', namespace: 'web', name: 'creds', diff: '@@ -1 +1 @@\n-  password: (masked)\n+  password: (masked, changed)\n', secretKeys: { added: [], changed: ['password'], removed: [] } },
  ],
});
const plan = makePlan([changed, target('us-1', { action: 'error', error: 'Kubernetes cluster unreachable: us-1' })], { environment: 'prod', stateFile: 'bosun.yaml', selectors: [], showSecrets: false });

test('the Markdown report shows every fact of a changed target that the text plan shows', () => {
  const md = renderReport(plan, 'markdown');
  const text = formatText(plan);
  for (const [fact, inText] of [
    ['last release record is **failed**', 'last release record is failed'],
    ['chart version 1.0.0 → 1.1.0', 'chart version 1.0.0 -> 1.1.0'],
    ['values changed: `image.tag`', 'values changed: image.tag'],
    ['hook add: `app/templates/migrate.yaml`', 'hook add: app/templates/migrate.yaml'],
    ['2 change(s) suppressed', '2 change(s) suppressed'],
    ['**conflict** on Deployment web/web<script>: `.spec.replicas` is managed by `kubectl-edit`', 'CONFLICT: .spec.replicas is managed by "kubectl-edit"'],
    ['secret keys changed: password; values masked', 'keys changed: password; values masked'],
    ['**error:** Kubernetes cluster unreachable: us-1', 'error: Kubernetes cluster unreachable: us-1'],
  ]) {
    assert.ok(md.includes(fact), `report lacks ${JSON.stringify(fact)}:\n${md}`);
    assert.ok(text.includes(inText), `text lacks ${JSON.stringify(inText)}`);
  }
  assert.match(md, /1 target changes fields that other managers own/);
  // The report's summary line is the plan's own.
  assert.ok(md.includes(formatMarkdown(plan).split('\n')[2]!));
});

test('the HTML report shows the same facts, escaped', () => {
  const html = renderReport(plan, 'html');
  for (const fact of [
    'last release record is <strong>failed</strong>',
    'chart version 1.0.0 → 1.1.0',
    'values changed: image.tag',
    'hook add: <code>app/templates/migrate.yaml</code>',
    '2 change(s) suppressed',
    '<strong>conflict</strong> on Deployment web/web&lt;script&gt;: <code>.spec.replicas</code> is managed by <code>kubectl-edit</code>',
    'secret keys changed: password; values masked',
    '<strong>error:</strong> Kubernetes cluster unreachable: us-1',
    '<span class="del">-  replicas: 3</span>',
  ]) {
    assert.ok(html.includes(fact), `report lacks ${JSON.stringify(fact)}:\n${html}`);
  }
  assert.ok(!html.includes('web<script>'), 'names are escaped');
});
