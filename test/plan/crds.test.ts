// Custom resources whose CRD the apply itself installs. helm install creates a chart's crds/ first (the ones the
// cluster lacks), then its templates; a release that needs another gets that release's CRDs before it. On a fresh
// cluster the kind is not served yet when the plan is made, so the diff can neither read nor dry-run such an
// object: it shows it (and a crds/ CRD) as added instead of failing, and apply, with or without a saved plan,
// installs it. A kind that nothing in the plan brings still fails, as helm's "ensure CRDs are installed first".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { bosun, openFleetSuite, writeTree, type Env } from './helpers.js';
import { api } from '../sandbox/helpers.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;

const crd = (kind: string, plural: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.com
spec:
  group: example.com
  names: {kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
`;
const cr = (kind: string) => `apiVersion: example.com/v1\nkind: ${kind}\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  size: 3\n`;
const chartYaml = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: ['c1'], controllerDelayMs: 20 }, 'bosun-crds-'));
  writeTree(dir, {
    // The CRD in crds/, the custom resource in templates (as operators' charts ship them).
    'widgets/Chart.yaml': chartYaml('widgets'),
    'widgets/crds/widget.yaml': crd('Widget', 'widgets'),
    'widgets/templates/widget.yaml': cr('Widget'),
    // One release installs a CRD from its templates, another one's custom resource needs it.
    'gadget-crd/Chart.yaml': chartYaml('gadget-crd'),
    'gadget-crd/templates/crd.yaml': crd('Gadget', 'gadgets'),
    'gadget/Chart.yaml': chartYaml('gadget'),
    'gadget/templates/gadget.yaml': cr('Gadget'),
  });
});

after(() => close());

const kc = () => ['--kubeconfig', env.kubeconfig];

function state(name: string, releases: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n${releases}`);
  return file;
}

async function exists(path: string): Promise<boolean> {
  return (await api(env.sb, 'c1', 'GET', path)).status === 200;
}

test("a chart's crds/ and a custom resource of that kind: planned as added, applied, then nothing to do", async () => {
  const file = state('own', '  - name: w\n    namespace: own\n    chart: ./widgets\n');
  const diff = await bosun(['diff', '-f', file, ...kc(), '--detailed-exitcode']);
  assert.equal(diff.code, 2, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /^ {2}\+ CustomResourceDefinition widgets\.example\.com$/m);
  assert.match(diff.stdout, /^ {2}\+ Widget own\/w$/m);
  assert.match(diff.stdout, /1 to install/);

  const apply = await bosun(['apply', '-f', file, ...kc()]);
  assert.equal(apply.code, 0, apply.stdout + apply.stderr);
  assert.ok(await exists('/apis/example.com/v1/namespaces/own/widgets/w'));
  const again = await bosun(['diff', '-f', file, ...kc(), '--detailed-exitcode']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
});

test('a custom resource whose CRD a needed release installs; a saved plan applies too', async () => {
  const file = state('needs', '  - name: gadget-crd\n    namespace: needs\n    chart: ./gadget-crd\n  - name: g\n    namespace: needs\n    chart: ./gadget\n    needs: [gadget-crd]\n');
  const planFile = join(dir, 'needs.plan.json');
  const diff = await bosun(['diff', '-f', file, ...kc(), '--detailed-exitcode', '--save-plan', planFile]);
  assert.equal(diff.code, 2, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /^ {2}\+ CustomResourceDefinition gadgets\.example\.com$/m);
  assert.match(diff.stdout, /^ {2}\+ Gadget needs\/g$/m);
  const apply = await bosun(['apply', '-f', file, ...kc(), '--plan', planFile]);
  assert.equal(apply.code, 0, apply.stdout + apply.stderr);
  assert.ok(await exists('/apis/example.com/v1/namespaces/needs/gadgets/g'));
});

test('a custom resource of a kind nothing in the plan installs fails its target alone', async () => {
  writeTree(dir, { 'sprocket/Chart.yaml': chartYaml('sprocket'), 'sprocket/templates/s.yaml': cr('Sprocket') });
  const file = state('missing', '  - name: s\n    namespace: missing\n    chart: ./sprocket\n  - name: w2\n    namespace: missing\n    chart: ./widgets\n');
  const diff = await bosun(['diff', '-f', file, ...kc()]);
  assert.equal(diff.code, 1, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /no matches for kind "Sprocket" in version "example\.com\/v1"/);
  // widgets' CRD is on the cluster by now (the first test): its resource is diffed as any other.
  assert.match(diff.stdout, /^ {2}\+ Widget missing\/w2$/m);
  assert.doesNotMatch(diff.stdout, /CustomResourceDefinition/);
  assert.match(diff.stdout, /1 errors/);
});

test("a crds/ CRD the cluster already has is not installed again: a version only the chart's copy serves fails", async () => {
  // widgets.example.com is on the cluster (v1 only, from the first test); this chart's copy would add v2.
  const v2 = crd('Widget', 'widgets').replace('    - name: v1\n      served: true\n      storage: true\n', '    - name: v1\n      served: true\n      storage: true\n    - name: v2\n      served: true\n      storage: false\n');
  writeTree(dir, { 'widgets2/Chart.yaml': chartYaml('widgets2'), 'widgets2/crds/widget.yaml': v2, 'widgets2/templates/w.yaml': cr('Widget').replace('example.com/v1', 'example.com/v2') });
  const file = state('present', '  - name: w3\n    namespace: present\n    chart: ./widgets2\n');
  const diff = await bosun(['diff', '-f', file, ...kc()]);
  assert.equal(diff.code, 1, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /no matches for kind "Widget" in version "example\.com\/v2"/);
});
