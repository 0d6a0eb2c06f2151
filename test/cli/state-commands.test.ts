// State-mode commands on examples/platform: template (each target identical to the real helm template with the
// same values), list, show-dag, build, write-values; and bad state files stop before anything is rendered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/index.js';
import { loadState, resolveTargets } from '../../src/state/index.js';
import { toYaml } from '../../src/yaml/index.js';
import { helm4, projectRoot } from '../support/paths.js';

const STATE = join(projectRoot, 'examples', 'platform', 'bosun.yaml');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

test('bosun template -e staging: every target equals helm template with the same values', { skip: !existsSync(helm4) && 'needs .tools/helm4' }, async () => {
  const r = await run(['template', '-f', STATE, '-e', 'staging']);
  assert.equal(r.code, 0, r.err);
  const byTarget = new Map<string, string>();
  for (const doc of r.out.split(/^---\n/m).filter(Boolean)) {
    const m = /^# Target: (.*)\n/.exec(doc);
    assert.ok(m, `every document is headed with its target: ${doc.slice(0, 80)}`);
    byTarget.set(m[1]!, (byTarget.get(m[1]!) ?? '') + '---\n' + doc.slice(m[0].length));
  }
  const { targets } = resolveTargets(await loadState({ file: STATE, environment: 'staging' }), {});
  assert.equal(targets.length, 24);
  const work = mkdtempSync(join(tmpdir(), 'bosun-state-'));
  for (const t of targets) {
    const vf = join(work, `${t.id.replaceAll('/', '_')}.yaml`);
    writeFileSync(vf, toYaml(t.values));
    const h = spawnSync(helm4, ['template', t.release.name, t.release.chart, '--namespace', t.release.namespace, '-f', vf], { encoding: 'utf8' });
    assert.equal(h.status, 0, h.stderr);
    assert.equal(byTarget.get(t.id), h.stdout, `target ${t.id}`);
  }
});

test('bosun targets -o json and show-dag', async () => {
  const list = await run(['targets', '-f', STATE, '-e', 'prod', '-o', 'json']);
  assert.equal(list.code, 0, list.err);
  const rows = JSON.parse(list.out) as { id: string; cluster: string }[];
  assert.equal(rows.length, 180);
  assert.equal(new Set(rows.map((r) => r.cluster)).size, 15);
  const dot = await run(['show-dag', '-f', STATE, '-e', 'staging', '-o', 'dot']);
  assert.equal(dot.code, 0, dot.err);
  assert.match(dot.out, /^digraph /);
  const text = await run(['show-dag', '-f', STATE, '-e', 'staging', '-l', 'name=storefront', '--include-transitive-needs']);
  assert.equal(text.code, 0, text.err);
  // storefront's needs come in earlier groups than storefront itself.
  const lines = text.out.trim().split('\n').slice(1);
  const group = (name: string) => Number(lines.find((l) => l.includes(`/${name}`))?.split(/\s+/)[0]);
  assert.ok(group('storefront') > group('edge') && group('edge') > group('certificates'), text.out);
});

test('bosun build --embed-values and write-values', async () => {
  const b = await run(['build', '-f', STATE, '-e', 'staging', '-l', 'name=api', '--embed-values']);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /environment: staging/);
  assert.match(b.out, /values:/);
  const dir = mkdtempSync(join(tmpdir(), 'bosun-wv-'));
  const w = await run(['write-values', '-f', STATE, '-e', 'staging', '-l', 'name=api', '--output-dir', dir]);
  assert.equal(w.code, 0, w.err);
  const written = w.out.trim().split('\n').map((l) => l.replace(/^wrote /, ''));
  assert.equal(written.length, 2);
  for (const f of written) assert.ok(readFileSync(f, 'utf8').length > 0);
});

test('a bad state file: one error naming file and line, nothing rendered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-badstate-'));
  mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'chart', 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  const cases: [string, string][] = [
    ['releases:\n  - name: a\n    chart: ./chart\n    colour: blue\n', 'bosun.yaml:4'],
    ['releases:\n  - name: a\n    chart: ./chart\n    needs: [nope]\n', 'bosun.yaml:'],
    ['releases:\n  - name: a\n    chart: ./chart\n    needs: [b]\n  - name: b\n    chart: ./chart\n    needs: [a]\n', 'bosun.yaml:'],
  ];
  for (const [text, where] of cases) {
    writeFileSync(join(dir, 'bosun.yaml'), text);
    const r = await run(['template', '-f', join(dir, 'bosun.yaml')]);
    assert.equal(r.code, 1, text);
    assert.equal(r.out, '', 'nothing rendered');
    assert.ok(r.err.includes(where), `${r.err} names ${where}`);
    assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  }
});

test('state-mode template passes --kube-version and --api-versions to releases that do not set their own', { skip: !existsSync(helm4) && 'needs .tools/helm4' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-state-caps-'));
  mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: caps\nversion: 0.1.0\n');
  writeFileSync(
    join(dir, 'chart', 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  custom: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}\n',
  );
  writeFileSync(join(dir, 'bosun.yaml'), 'releases:\n  - name: plain\n    namespace: ns\n    chart: ./chart\n  - name: pinned\n    namespace: ns\n    chart: ./chart\n    kubeVersion: 1.28.4\n');
  const r = await run(['template', '-f', join(dir, 'bosun.yaml'), '--kube-version', '1.29.3', '--api-versions', 'example.com/v1']);
  assert.equal(r.code, 0, r.err);
  const docs = r.out.split(/^---\n# Target: /m).filter(Boolean);
  const body = (id: string) => docs.find((d) => d.startsWith(`default/ns/${id}\n`))!.replace(/^.*\n/, '');
  const helm = (...extra: string[]) => spawnSync(helm4, ['template', 'x', join(dir, 'chart'), ...extra], { encoding: 'utf8' }).stdout.replace(/^---\n/, '');
  assert.equal(body('plain'), helm('--kube-version', '1.29.3', '--api-versions', 'example.com/v1'));
  assert.equal(body('pinned'), helm('--kube-version', '1.28.4', '--api-versions', 'example.com/v1'));
});
