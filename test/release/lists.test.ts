// Templates that render lists: `kind: List`, or a typed list such as ConfigMapList whose items may omit kind and
// apiVersion. Helm's resource builder flattens them into their items; so must bosun, for install, upgrade (an item
// dropped is deleted) and uninstall. The expectation is the real helm v4.1.4's install of the same chart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api, bosun, haveTool, helm, sandboxEnv, writeChart, type Env } from './helpers.js';

let e: Env;
const work = mkdtempSync(join(tmpdir(), 'bosun-lists-'));

const chart = (name: string, withB: boolean) =>
  writeChart(join(work, name), {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
    'templates/list.yaml': `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    data: {x: "1"}
${withB ? '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {y: "2"}}\n' : ''}`,
    'templates/typed.yaml': `apiVersion: v1
kind: ConfigMapList
items:
  - metadata: {name: c}
    data: {z: "3"}
  - apiVersion: v1
    kind: Secret
    metadata: {name: d}
    stringData: {w: "4"}
`,
  });

before(async () => {
  e = await sandboxEnv({ clusters: ['prod'], controllerDelayMs: 20 });
});
after(async () => {
  await e?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The ConfigMaps and Secrets of a namespace (release records and the root CA left out): kind/name → data. */
async function objects(ns: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [kind, path] of [['ConfigMap', 'configmaps'], ['Secret', 'secrets']] as const) {
    const l = await api(e.sb, 'prod', 'GET', `/api/v1/namespaces/${ns}/${path}`);
    for (const o of l.json.items) if (!/^sh\.helm\.release|^kube-root-ca/.test(o.metadata.name)) out[`${kind}/${o.metadata.name}`] = o.data;
  }
  return out;
}

test('lists in templates are flattened into their items, as helm does', { skip: !haveTool('helm4') && 'helm4 not in .tools' }, async () => {
  const full = chart('full', true);
  const h = await helm('helm4', e, ['--kube-context', 'prod', 'install', 'lst', full, '-n', 'by-helm', '--create-namespace']);
  assert.equal(h.code, 0, h.stderr);
  const expected = await objects('by-helm');
  assert.deepEqual(Object.keys(expected).sort(), ['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c', 'Secret/d']);

  let r = await bosun(['install', 'lst', full, '-n', 'by-bosun', '--create-namespace'], e);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await objects('by-bosun'), expected);

  // An item the next revision drops is deleted; uninstall deletes the rest.
  r = await bosun(['upgrade', 'lst', chart('short', false), '-n', 'by-bosun'], e);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(await objects('by-bosun')).sort(), ['ConfigMap/a', 'ConfigMap/c', 'Secret/d']);
  r = await bosun(['uninstall', 'lst', '-n', 'by-bosun'], e);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await objects('by-bosun'), {});
});
