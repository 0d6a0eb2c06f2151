// The shipped entry point: bin/bosun.cjs running the one-file build (dist/bosun.cjs) with its code cache, the
// fallback to dist/src, and the per-group command loading that keeps a cold start small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { COMMANDS } from '../../src/cli/index.js';
import { helm4, projectRoot } from '../support/paths.js';

const bin = join(projectRoot, 'bin', 'bosun.cjs');
const bundle = join(projectRoot, 'dist', 'bosun.cjs');
const exampleChart = join(projectRoot, 'examples', 'charts', 'web');
const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

test('every command group declares exactly the first words it registers', async () => {
  const seen = new Set<string>();
  for (const group of COMMANDS) {
    const modules = [(await group.load(quiet)) as CommandModule | CommandModule[]].flat();
    const registered = modules.flatMap((m) => [String(m.command).split(' ')[0]!, ...[m.aliases ?? []].flat()]);
    assert.deepEqual([...group.names].sort(), registered.sort());
    for (const n of registered) {
      assert.ok(!seen.has(n), `${n} is registered by two groups`);
      seen.add(n);
    }
  }
});

test('npm run build produced the bundle and its code cache', () => {
  assert.ok(existsSync(bundle), 'dist/bosun.cjs missing: run npm run build');
  assert.ok(existsSync(`${bundle}.cache`), 'dist/bosun.cjs.cache missing: scripts/bundle.mjs trains it');
});

test('bin/bosun.cjs (bundle) renders an example chart byte for byte like helm template', (t) => {
  if (!existsSync(helm4)) return t.skip('.tools/helm4 missing: run npm run tools');
  const args = ['template', 'demo', exampleChart, '--namespace', 'shop', '--set', 'replicaCount=3'];
  const ours = run(bin, args);
  const helm = spawnSync(helm4, args, { encoding: 'utf8' });
  assert.equal(helm.status, 0, helm.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stderr, '');
  assert.equal(ours.stdout, helm.stdout);
});

test('bin/bosun.cjs reports errors as one line and exits non-zero', () => {
  const r = run(bin, ['template', 'demo', join(projectRoot, 'no-such-chart')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^Error: .*no-such-chart.*\n$/);
});

test('bin/bosun.cjs --version prints package.json version', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const r = run(bin, ['--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('the bundle loads ES-module-only packages on demand (a kubeconfig only client-node reads)', () => {
  // Two kubeconfig files: the fast reader leaves merging to @kubernetes/client-node, which the bundle imports
  // through bin/bosun.cjs; the request then fails on the closed port, after the import worked.
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bin-'));
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b.yaml');
  writeFileSync(a, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n');
  writeFileSync(b, 'apiVersion: v1\nkind: Config\nclusters: []\n');
  const r = run(bin, ['list'], { KUBECONFIG: `${a}:${b}` });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ECONNREFUSED 127\.0\.0\.1:9/);
  assert.doesNotMatch(r.stderr, /import|Warning/);
});

test('a copy without a code cache writes one on its first run; without the bundle it runs dist/src', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bin-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(bin, join(dir, 'bin', 'bosun.cjs'));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(projectRoot, 'package.json')));
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(projectRoot, 'dist', 'src'), join(dir, 'dist', 'src'));
  const copyBin = join(dir, 'bin', 'bosun.cjs');
  const args = ['template', 'demo', exampleChart];
  const fromSrc = run(copyBin, args);
  assert.equal(fromSrc.status, 0, fromSrc.stderr);
  assert.ok(!existsSync(join(dir, 'dist', 'bosun.cjs.cache')));

  copyFileSync(bundle, join(dir, 'dist', 'bosun.cjs'));
  const first = run(copyBin, args);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(existsSync(join(dir, 'dist', 'bosun.cjs.cache')), 'no code cache written');
  const second = run(copyBin, args);
  assert.equal(second.stdout, fromSrc.stdout);
  assert.equal(first.stdout, fromSrc.stdout);
});

test('bin/bosun.cjs packages a chart and renders the archive like helm (zlib loaded on first use in the bundle)', (t) => {
  if (!existsSync(helm4)) return t.skip('.tools/helm4 missing: run npm run tools');
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bin-'));
  const pkg = spawnSync(process.execPath, [bin, 'package', exampleChart], { cwd: dir, encoding: 'utf8' });
  assert.equal(pkg.status, 0, pkg.stderr);
  const archive = join(dir, 'web-0.3.0.tgz');
  assert.ok(existsSync(archive), pkg.stdout);
  const ours = run(bin, ['template', 'r', archive]);
  const helm = spawnSync(helm4, ['template', 'r', archive], { encoding: 'utf8' });
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stdout, helm.stdout);
});

test('the bundle is ASCII, and a cold template of a chart that hashes nothing loads no crypto, assert or fs/promises', () => {
  // bin/bosun.cjs reads the bundle as latin1, which is exact only for ASCII (scripts/bundle.mjs guarantees it).
  assert.ok(!/[^\x00-\x7f]/.test(readFileSync(bundle, 'latin1')), 'dist/bosun.cjs has a non-ASCII byte');
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bin-'));
  const preload = join(dir, 'report.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n");
  const chart = join(projectRoot, 'examples', 'charts', 'worker');
  // From a directory with no package.json above it: yargs once searched the working directory for one, and failed
  // an assertion (loading assert) when there was none.
  const r = spawnSync(process.execPath, ['--require', preload, bin, 'template', 'w', chart], { encoding: 'utf8', cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, run(bin, ['template', 'w', chart]).stdout);
  const loaded = new Set(JSON.parse(r.stderr) as string[]);
  for (const m of ['NativeModule crypto', 'NativeModule assert', 'NativeModule fs/promises', 'NativeModule zlib']) {
    assert.ok(!loaded.has(m), `${m} was loaded`);
  }
});

test('the bundle carries the state schema validator: state files are checked without dist/schema or ajv', () => {
  // No dist/schema/*.validate.cjs and no node_modules (so no ajv to compile the schema with at run time).
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bin-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(bin, join(dir, 'bin', 'bosun.cjs'));
  copyFileSync(bundle, join(dir, 'dist', 'bosun.cjs'));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(projectRoot, 'package.json')));
  symlinkSync(join(projectRoot, 'schema'), join(dir, 'schema'));
  const state = join(dir, 'bosun.yaml');
  writeFileSync(state, `releases:\n  - name: web\n    chart: ${JSON.stringify(exampleChart)}\n    bogus: 1\n`);
  const copyBin = join(dir, 'bin', 'bosun.cjs');
  const bad = run(copyBin, ['template', '-f', state]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, `Error: ${state}:4: releases[0].bogus: unknown key "bogus"\n`);
  writeFileSync(state, `releases:\n  - name: web\n    chart: ${JSON.stringify(exampleChart)}\n`);
  const good = run(copyBin, ['template', '-f', state]);
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /^# Target: default\/\/web$/m); // cluster "default", no namespace set
});
