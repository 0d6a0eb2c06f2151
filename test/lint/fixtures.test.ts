// `bosun lint` on small broken charts (test/fixtures/lint) against the real helm v4.1.4: for each case both run with
// the same arguments from the fixtures folder; stdout, the `Error:` line and the exit code must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, mkdtempSync, rmSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { projectRoot } from '../support/paths.js';
import { errorLines, firstDifference, haveHelm, pool, runHelm } from './helm.js';
import { runCli, type CliResult } from './harness.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'lint');
const all = readdirSync(fixtures).sort();

interface Case {
  name: string;
  args: string[];
}

const cases: Case[] = [
  // Every fixture with default flags, and the flags that change the report.
  ...all.map((f) => ({ name: f, args: ['lint', f] })),
  ...all.map((f) => ({ name: `${f} --strict`, args: ['lint', f, '--strict'] })),
  { name: 'several charts --quiet', args: ['lint', 'clean', 'chartfile-fields', 'templates-missing', 'values-list', '--quiet'] },
  { name: 'clean and not-a-chart', args: ['lint', 'clean', 'not-a-chart', 'does-not-exist'] },
  { name: 'deps --with-subcharts', args: ['lint', 'deps-mismatch', '--with-subcharts'] },
  { name: 'crds --with-subcharts --quiet', args: ['lint', 'crds-bad', 'chartfile-strict', '--with-subcharts', '--quiet'] },
  { name: 'kube-version 1.20', args: ['lint', 'templates-findings', '--kube-version', '1.20'] },
  { name: 'kube-version v1.36.2', args: ['lint', 'templates-findings', '--kube-version', 'v1.36.2'] },
  { name: 'kube-version invalid', args: ['lint', 'clean', '--kube-version', '1'] },
  { name: 'namespace and --set', args: ['lint', 'templates-findings', '-n', 'Other_NS', '--set', 'name=good-name,host=h,enabled=true'] },
  { name: '--set-string fixes the schema', args: ['lint', 'values-schema', '--set', 'replicaCount=3'] },
  { name: '--skip-schema-validation', args: ['lint', 'values-schema', '--skip-schema-validation'] },
  { name: '--set over a list of values', args: ['lint', 'values-list', '--set', 'a=1'] },
];

test('lint fixtures: bosun prints what helm prints', { skip: !haveHelm && 'helm4 missing (node scripts/fetch-tools.mjs)' }, async (t) => {
  const helmRuns = pool(cases, 2, (c) => runHelm(c.args, fixtures));
  const ours: CliResult[] = [];
  const cwd = process.cwd();
  process.chdir(fixtures);
  try {
    for (const c of cases) ours.push(await runCli(c.args));
  } finally {
    process.chdir(cwd);
  }
  const theirs = await helmRuns;
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const h = theirs[i]!;
    const o = ours[i]!;
    const want = h.stdout + errorLines(h.stderr);
    const got = o.stdout + errorLines(o.stderr);
    if (want !== got) failures.push(`${c.name}: ${firstDifference(want, got)}`);
    else if (h.code !== o.code) failures.push(`${c.name}: exit ${o.code}, helm ${h.code}`);
  });
  t.diagnostic(`lint fixtures: ${cases.length - failures.length}/${cases.length} identical`);
  assert.deepEqual(failures, []);
});

test('lint: a chart archive is linted like its directory', { skip: !haveHelm && 'helm4 missing' }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-lint-tgz-'));
  try {
    cpSync(join(fixtures, 'templates-findings'), join(tmp, 'templates-findings'), { recursive: true });
    const pkg = await runHelm(['package', 'templates-findings'], tmp);
    assert.equal(pkg.code, 0, pkg.stderr);
    const h = await runHelm(['lint', 'templates-findings-1.0.0.tgz'], tmp);
    const cwd = process.cwd();
    process.chdir(tmp);
    let o;
    try {
      o = await runCli(['lint', 'templates-findings-1.0.0.tgz']);
    } finally {
      process.chdir(cwd);
    }
    assert.equal(o.stdout, h.stdout);
    assert.equal(o.code, h.code);
    // A corrupt or empty archive is an error for that path, not a crash.
    writeFileSync(join(tmp, 'broken-1.0.0.tgz'), 'not gzip');
    writeFileSync(join(tmp, 'empty-1.0.0.tgz'), Buffer.from('1f8b08000000000000ff03000000000000000000', 'hex'));
    for (const name of ['broken-1.0.0.tgz', 'empty-1.0.0.tgz']) {
      const hb = await runHelm(['lint', name], tmp);
      process.chdir(tmp);
      try {
        o = await runCli(['lint', name]);
      } finally {
        process.chdir(cwd);
      }
      assert.equal(o.stdout + errorLines(o.stderr), hb.stdout + errorLines(hb.stderr));
      assert.equal(o.code, hb.code);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
