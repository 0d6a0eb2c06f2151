// bin/bosun, the installed command (a shell script): found through npm's symlinks, the same output as
// bin/bosun.cjs, and NODE_EXTRA_CA_CERTS handed over (not lost) for the commands that make no connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../support/paths.js';

const launcher = join(projectRoot, 'bin', 'bosun');
const exampleChart = join(projectRoot, 'examples', 'charts', 'web');
// The node running the tests comes first on PATH, as it would be for the user who installed bosun with it.
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

function env(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH };
  delete e.NODE_EXTRA_CA_CERTS;
  delete e.BOSUN_NODE_EXTRA_CA_CERTS;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) e[k] = v;
  return e;
}

/** A preload that reports the two variables as the process starts and as it exits. */
function reporter(dir: string): string {
  const file = join(dir, 'report-env.cjs');
  const show = "'CA=' + process.env.NODE_EXTRA_CA_CERTS + ' HANDED=' + process.env.BOSUN_NODE_EXTRA_CA_CERTS";
  writeFileSync(file, `process.stderr.write('start ' + ${show} + '\\n');\nprocess.on('exit', () => process.stderr.write('exit ' + ${show} + '\\n'));\n`);
  return file;
}

test('bin/bosun runs through a chain of symlinks (as npm installs it) and prints what bin/bosun.cjs prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-launcher-'));
  mkdirSync(join(dir, 'lib'));
  symlinkSync(launcher, join(dir, 'lib', 'bosun'));
  symlinkSync(join('lib', 'bosun'), join(dir, 'bosun')); // relative link to a link
  const viaLink = spawnSync(join(dir, 'bosun'), ['template', 'web', exampleChart, '-n', 'shop'], { encoding: 'utf8', env: env({}) });
  const direct = spawnSync(process.execPath, [join(projectRoot, 'bin', 'bosun.cjs'), 'template', 'web', exampleChart, '-n', 'shop'], { encoding: 'utf8' });
  assert.equal(viaLink.status, 0, viaLink.stderr);
  assert.equal(direct.status, 0, direct.stderr);
  assert.ok(viaLink.stdout.includes('# Source: web/templates/'), viaLink.stdout.slice(0, 200));
  assert.equal(viaLink.stdout, direct.stdout);
  const version = spawnSync(join(dir, 'bosun'), ['--version'], { encoding: 'utf8', env: env({}) });
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
  assert.equal(version.stdout.trim(), pkg.version);
  assert.equal(pkg.bin.bosun, 'bin/bosun', 'package.json installs the launcher as the bosun command');
});

test('template starts Node without NODE_EXTRA_CA_CERTS and puts it back for the processes it starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-launcher-'));
  const r = spawnSync(launcher, ['template', 'web', exampleChart], {
    encoding: 'utf8',
    env: env({ NODE_EXTRA_CA_CERTS: '/some/ca.pem', NODE_OPTIONS: `--require ${reporter(dir)}` }),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^start CA=undefined HANDED=\/some\/ca\.pem$/m);
  assert.match(r.stderr, /^exit CA=\/some\/ca\.pem HANDED=undefined$/m);
});

test('commands that may connect to a cluster start with NODE_EXTRA_CA_CERTS untouched; unset stays unset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-launcher-'));
  const pre = reporter(dir);
  const withCa = spawnSync(launcher, ['list', '--help'], { encoding: 'utf8', env: env({ NODE_EXTRA_CA_CERTS: '/some/ca.pem', NODE_OPTIONS: `--require ${pre}` }) });
  assert.equal(withCa.status, 0, withCa.stderr);
  assert.match(withCa.stderr, /^start CA=\/some\/ca\.pem HANDED=undefined$/m);
  const without = spawnSync(launcher, ['template', 'web', exampleChart], { encoding: 'utf8', env: env({ NODE_OPTIONS: `--require ${pre}` }) });
  assert.equal(without.status, 0, without.stderr);
  assert.match(without.stderr, /^start CA=undefined HANDED=undefined$/m);
  assert.match(without.stderr, /^exit CA=undefined HANDED=undefined$/m);
});
