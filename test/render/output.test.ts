// The text `helm template` prints around the edges of the document list (trimming of the manifest part, CRD files
// with trailing space, no manifests at all, hooks only), compared with the real helm v4.1.4, and the same chart
// rendered again after its files change (the parse cache must not serve a stale parse), and a chart's parsed
// templates dropped when its caller is done with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { helm4 } from '../support/paths.js';
import { forgetChart, loadReleaseChart, renderChart, templateChart } from '../../src/render/index.js';
import { parsedTemplateCharts } from '../../src/render/engine.js';
import { mergeUserValues } from '../../src/values/index.js';

const work = mkdtempSync(join(tmpdir(), 'bosun-output-'));
const CHART_YAML = 'apiVersion: v2\nname: edge\nversion: 0.1.0\n';
const OLD = new Date(Date.now() - 3600_000);

function writeChart(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [p, content] of Object.entries({ 'Chart.yaml': CHART_YAML, ...files })) {
    const f = join(dir, p);
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileSync(f, content);
    utimesSync(f, OLD, OLD); // old enough for the loader's file cache to keep the contents
  }
  return dir;
}

const HOOK = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: h\n  annotations:\n    "helm.sh/hook": post-install\n';
const CRD = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.b.io\n';

const cases: { name: string; files: Record<string, string>; flags: string[] }[] = [
  { name: 'nothing', files: {}, flags: [] },
  { name: 'crds-only', files: { 'crds/a.yaml': CRD + '\n\n  \n', 'crds/b.yaml': '  \n\n' }, flags: ['--include-crds'] },
  { name: 'crds-space', files: { 'crds/a.yaml': CRD + '\t\n\n', 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n\n\n' }, flags: ['--include-crds'] },
  { name: 'hooks-only', files: { 'templates/hook.yaml': HOOK + '\n\n' }, flags: [] },
  { name: 'hooks-and-crds', files: { 'crds/a.yaml': '\n' + CRD, 'templates/hook.yaml': HOOK }, flags: ['--include-crds'] },
  {
    name: 'several',
    files: {
      'templates/a.yaml': '---\n\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n---\n# only a comment\n---\n  \n',
      'templates/b.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa   \n\u00a0\n',
      'templates/hook.yaml': HOOK,
    },
    flags: [],
  },
  {
    // A number or bool where the manifest head expects a string (metadata.name, an annotation value): helm reads it as
    // its text (an unquoted hook weight sorts the hooks), as sigs.k8s.io/yaml converts scalars for string fields.
    name: 'head-scalars',
    files: {
      'templates/a.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n  annotations:\n    other: true\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 123\n---\n' +
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 1.50\n',
      'templates/hooks.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: late\n  annotations:\n    helm.sh/hook: post-install\n    helm.sh/hook-weight: 5\n---\n' +
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: early\n  annotations:\n    helm.sh/hook: post-install\n    helm.sh/hook-weight: -5\n',
    },
    flags: [],
  },
  {
    // .Values and . are common.Values: a method of that type wins over a key of the same name; other keys are entries.
    name: 'values-methods',
    files: {
      'values.yaml': 'AsMap: shadowed\nYAML: shadowed\nTable: shadowed\nsub:\n  a: 1\nplain: x\n',
      'templates/cm.yaml':
        'kind: ConfigMap\ndata:\n  asMap: {{ typeOf .Values.AsMap | quote }}\n  table: {{ (.Values.Table "sub").a }}\n  tableType: {{ typeOf (.Values.Table "sub") | quote }}\n' +
        '  plain: {{ .Values.plain }}\n  sub: {{ .Values.sub.a }}\n  missing: {{ .Values.missing | quote }}\n  release: {{ .Release.Name }}\n  valuesType: {{ typeOf . | quote }}\n' +
        '  yaml: |\n{{ .Values.YAML | indent 4 }}\n',
    },
    flags: [],
  },
  {
    // Go types of the context's parts in a parent and a subchart (.Subcharts holds plain maps; . is common.Values).
    name: 'context-types',
    files: {
      'Chart.yaml': 'apiVersion: v2\nname: edge\nversion: 0.1.0\ndependencies:\n- name: child\n  version: 0.1.0\n',
      'values.yaml': 'sub:\n  a: 1\n  n: null\nlist: [1, 2]\nchild:\n  c: 2\nglobal:\n  g: 3\n',
      'charts/child/Chart.yaml': 'apiVersion: v2\nname: child\nversion: 0.1.0\n',
      'charts/child/values.yaml': 'x: 1\n',
      'charts/child/templates/cm.yaml': 'kind: ConfigMap\ndata:\n  values: {{ typeOf .Values | quote }}\n  global: {{ typeOf .Values.global | quote }}\n  dot: {{ typeOf . | quote }}\n  sum: {{ .Values.c }} {{ .Values.x }} {{ .Values.global.g }}\n',
      'templates/cm.yaml':
        'kind: ConfigMap\ndata:\n' +
        ['.Values.sub', '.Values.sub.n', '.Values.list', '.Values.missing', '.Template', '.Release', '.Chart', '.Subcharts', '.Subcharts.child', '.Subcharts.child.Values', '(get .Values "sub")', '(pick .Values "sub")', '(deepCopy .Values)', '(merge (dict) .Values)']
          .map((e, i) => `  t${i}: {{ typeOf ${e} | quote }}\n`)
          .join('') +
        '  kind: {{ kindOf .Values | quote }}\n  subValue: {{ .Subcharts.child.Values.c }} {{ .Subcharts.child.Values.global.g }}\n',
    },
    flags: [],
  },
];

for (const c of cases) {
  test(`helm template output edges: ${c.name}`, { skip: !existsSync(helm4) && 'needs .tools/helm4 (npm run tools)' }, async () => {
    const dir = writeChart(c.name, c.files);
    const h = spawnSync(helm4, ['template', 'rel', dir, ...c.flags], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
    assert.equal(h.status, 0, h.stderr);
    const out = await templateChart({ chart: dir, releaseName: 'rel', namespace: 'default', includeCrds: c.flags.includes('--include-crds') });
    assert.equal(out, h.stdout);
  });
}

test('a chart whose templates change between renders in one process is parsed again', async () => {
  const dir = writeChart('changing', { 'templates/cm.yaml': 'kind: ConfigMap\nname: {{ "one" }}\n' });
  const first = await templateChart({ chart: dir, releaseName: 'rel', namespace: 'default' });
  assert.match(first, /name: one/);
  writeChart('changing', { 'templates/cm.yaml': 'kind: ConfigMap\nname: {{ "two" }}\n' });
  const second = await templateChart({ chart: dir, releaseName: 'rel', namespace: 'default' });
  assert.match(second, /name: two/);
  const again = await templateChart({ chart: dir, releaseName: 'rel', namespace: 'other' });
  assert.equal(again, second);
});

test('forgetChart drops the parsed templates kept for a chart; a later render parses it again, with the same output', async () => {
  const dir = writeChart('forget', {
    'templates/_helpers.tpl': '{{ define "n" }}{{ .Release.Namespace }}-{{ .Values.x }}{{ end }}',
    'templates/cm.yaml': 'kind: ConfigMap\nname: {{ include "n" . }}\n',
  });
  const chart = await loadReleaseChart(dir);
  const values = mergeUserValues({ values: ['x=1'] });
  const before = parsedTemplateCharts();
  const first = renderChart(chart, values, { releaseName: 'rel', namespace: 'a' });
  assert.equal(parsedTemplateCharts(), before + 1);
  const other = renderChart(chart, values, { releaseName: 'rel', namespace: 'b' });
  assert.equal(parsedTemplateCharts(), before + 1, 'a second render of the chart reuses its parse');
  assert.match(other.manifests[0]!.content, /name: b-1/);
  forgetChart(chart);
  assert.equal(parsedTemplateCharts(), before);
  const again = renderChart(chart, values, { releaseName: 'rel', namespace: 'a' });
  assert.deepEqual(again.manifests, first.manifests);
  assert.match(again.manifests[0]!.content, /name: a-1/);
});
