// `bosun package` against the real helm v4.1.4:
//   - every corpus chart (kube-prometheus-stack aside: its dependencies are not vendored) is packaged by bosun, then
//     the real `helm template` renders our archive and the source directory with the corpus flags: byte for byte
//     the same; `helm show chart` of our archive equals that of helm's own archive; both archives hold the same
//     files with the same bytes and modification times; every entry sits under `<name>/`.
//   - fixture charts (Chart.lock, schema, .helmignore, a directory and an archived subchart, an apiVersion v1 chart)
//     give archives equal to helm's entry by entry (Chart.yaml and Chart.lock re-serialized identically), with
//     --version and --app-version too, and `helm install --dry-run=client` accepts them.
//   - bad input fails with helm's message.
// Prints `package corpus: N/39 rendered identically`. CORPUS=name restricts the corpus run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { projectRoot, sharedDir } from '../support/paths.js';
import { packageChart, listArchive } from '../../src/chart/package.js';
import { loadChart } from '../../src/chart/index.js';
import { firstDifference, haveHelm, pool, runHelm } from '../lint/helm.js';
import { runCli } from '../lint/harness.js';

const skip = !haveHelm && 'helm4 missing (node scripts/fetch-tools.mjs)';
const corpus = join(sharedDir, 'corpus');
const fixtures = join(projectRoot, 'test', 'package', 'fixtures');

interface Entry {
  name: string;
  mtime: number;
  type: string;
  mode: number;
  data: Buffer;
}

/** Every entry of a gzipped tar, PAX path records applied. */
function readEntries(file: string): Entry[] {
  const tar = gunzipSync(readFileSync(file));
  const out: Entry[] = [];
  let off = 0;
  let pax: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (o: number, n: number) => h.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12) || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const data = Buffer.from(tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = /(?:^|\n)\d+ path=([^\n]*)/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    const prefix = field(345, 155);
    const name = pax ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    pax = undefined;
    out.push({ name, mtime: parseInt(field(136, 12), 8), type, mode: parseInt(field(100, 8), 8), data });
  }
  return out;
}

/** The gzip header fields Helm sets. */
function gzipHeader(file: string): { flags: number; mtime: number; os: number; extra: string; comment: string } {
  const d = readFileSync(file);
  const flags = d[3]!;
  let i = 10;
  const xlen = d.readUInt16LE(i);
  const extra = d.subarray(i + 2, i + 2 + xlen).toString('latin1');
  i += 2 + xlen;
  const end = d.indexOf(0, i);
  return { flags, mtime: d.readUInt32LE(4), os: d[9]!, extra, comment: d.subarray(i, end).toString('latin1') };
}

/** Archive entries keyed by name (helm orders subcharts as Go's map iteration does, so order is not compared). */
function byName(entries: Entry[]): Map<string, Entry> {
  return new Map(entries.map((e) => [e.name, e]));
}

function compareArchives(ours: string, theirs: string): string[] {
  const a = byName(readEntries(ours));
  const b = byName(readEntries(theirs));
  const diffs: string[] = [];
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const n of names) {
    const x = a.get(n);
    const y = b.get(n);
    if (!x || !y) diffs.push(`${n}: ${x ? 'only in bosun' : 'only in helm'}`);
    else if (!x.data.equals(y.data)) diffs.push(`${n}: bytes differ: ${firstDifference(y.data.toString('utf8'), x.data.toString('utf8'))}`);
    else if (x.mtime !== y.mtime) diffs.push(`${n}: mtime ${x.mtime}, helm ${y.mtime}`);
    else if (x.type !== y.type || x.mode !== y.mode) diffs.push(`${n}: type/mode ${x.type}/${x.mode.toString(8)}, helm ${y.type}/${y.mode.toString(8)}`);
  }
  return diffs;
}

function assertSafe(file: string, chartName: string): void {
  for (const n of listArchive(readFileSync(file))) {
    assert.ok(n.startsWith(`${chartName}/`), `${n} is not under ${chartName}/`);
    assert.ok(!n.split('/').includes('..') && !n.startsWith('/') && !n.includes('\\'), `unsafe entry ${n}`);
  }
  for (const e of readEntries(file)) assert.equal(e.type, '0', `${e.name} is not a regular file`);
}

function corpusFlags(c: string): string[] {
  const vals = ['required', 'deterministic'].map((k) => join(corpus, 'values', `${c}.${k}.yaml`)).filter((f) => existsSync(f));
  return ['--namespace', 'ns1', '--kube-version', '1.30.0', ...vals.flatMap((f) => ['-f', f]), ...(c === 'podinfo' ? ['--skip-tests'] : [])];
}

test('package: helm renders bosun\'s archive of every corpus chart like the source directory', { skip }, async (t) => {
  const filter = process.env.CORPUS;
  const charts = readdirSync(join(corpus, 'charts'))
    .sort()
    .filter((c) => c !== 'kube-prometheus-stack' && (!filter || c === filter));
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-pkg-corpus-'));
  try {
    const ours = join(tmp, 'bosun');
    const theirs = join(tmp, 'helm');
    mkdirSync(theirs);
    const archives: string[] = [];
    for (const c of charts) archives.push(await packageChart(join(corpus, 'charts', c), { destination: ours }));
    const results = await pool(charts, 2, async (c) => {
      const i = charts.indexOf(c);
      const fromArchive = await runHelm(['template', 'rel', archives[i]!, ...corpusFlags(c)]);
      // The corpus golden is helm v4.1.4's output for the source directory with exactly these flags; render the
      // directory live only when it is missing.
      const golden = join(corpus, 'golden', 'v4', `${c}.yaml`);
      const fromDir = existsSync(golden)
        ? { stdout: readFileSync(golden, 'utf8'), stderr: '', code: 0 }
        : await runHelm(['template', 'rel', join(corpus, 'charts', c), ...corpusFlags(c)]);
      const pkg = await runHelm(['package', join(corpus, 'charts', c), '-d', theirs]);
      const helmArchive = pkg.stdout.trim().replace(/^Successfully packaged chart and saved it to: /, '');
      const showOurs = await runHelm(['show', 'chart', archives[i]!]);
      const showTheirs = await runHelm(['show', 'chart', helmArchive]);
      return { fromArchive, fromDir, showOurs, showTheirs, helmArchive };
    });
    let same = 0;
    const failures: string[] = [];
    charts.forEach((c, i) => {
      const r = results[i]!;
      const name = readEntries(archives[i]!)[0]!.name.split('/')[0]!;
      assertSafe(archives[i]!, name);
      if (r.fromArchive.code !== 0 || r.fromArchive.stdout !== r.fromDir.stdout) {
        failures.push(`${c}: helm template of the archive: ${r.fromArchive.code !== 0 ? r.fromArchive.stderr.trim() : firstDifference(r.fromDir.stdout, r.fromArchive.stdout)}`);
        return;
      }
      same++;
      if (r.showOurs.stdout !== r.showTheirs.stdout) failures.push(`${c}: helm show chart: ${firstDifference(r.showTheirs.stdout, r.showOurs.stdout)}`);
      const diffs = compareArchives(archives[i]!, r.helmArchive);
      if (diffs.length > 0) failures.push(`${c}: archive contents: ${diffs.slice(0, 3).join('; ')}`);
    });
    t.diagnostic(`package corpus: ${same}/${charts.length} rendered identically`);
    console.log(`package corpus: ${same}/${charts.length} rendered identically`);
    assert.deepEqual(failures, []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('package: fixture charts match helm package entry by entry', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-pkg-fixtures-'));
  try {
    for (const f of ['full', 'archived', 'legacy']) cpSync(join(fixtures, f), join(tmp, 'src', f), { recursive: true });
    const src = join(tmp, 'src');
    // The archived subchart is vendored as an archive, made by helm itself.
    const sub = await runHelm(['package', 'archived', '-d', join(src, 'full', 'charts')], src);
    assert.equal(sub.code, 0, sub.stderr);
    const cases: Array<{ chart: string; flags: string[] }> = [
      { chart: 'full', flags: [] },
      { chart: 'full', flags: ['--version', '1.2.4-rc.1+build.7', '--app-version', 'v5'] },
      { chart: 'legacy', flags: [] },
    ];
    for (const [i, c] of cases.entries()) {
      const oursDir = join(tmp, `ours${i}`);
      const theirsDir = join(tmp, `theirs${i}`);
      const h = await runHelm(['package', c.chart, '-d', theirsDir, ...c.flags], src);
      assert.equal(h.code, 0, h.stderr);
      const cwd = process.cwd();
      process.chdir(src);
      let o;
      try {
        o = await runCli(['package', c.chart, '-d', oursDir, ...c.flags]);
      } finally {
        process.chdir(cwd);
      }
      assert.equal(o.stderr, '');
      assert.equal(o.code, 0);
      // Same message, with the destination as given.
      assert.equal(o.stdout, h.stdout.replace(theirsDir, oursDir));
      const file = resolve(src, o.stdout.trim().replace(/^Successfully packaged chart and saved it to: /, ''));
      const theirs = resolve(src, h.stdout.trim().replace(/^Successfully packaged chart and saved it to: /, ''));
      assert.deepEqual(compareArchives(file, theirs), [], `${c.chart} ${c.flags.join(' ')}`);
      assert.deepEqual(gzipHeader(file), gzipHeader(theirs));
      // Within one chart, files come in helm's order: Chart.yaml, Chart.lock, values, schema, templates, files.
      const top = (x: string) => readEntries(x).map((e) => e.name).filter((n) => !n.slice(n.indexOf('/') + 1).startsWith('charts/'));
      assert.deepEqual(top(file), top(theirs));
      assertSafe(file, c.chart);
      // helm accepts the archive and renders it as the directory; bosun loads it back to the same files.
      const fromArchive = await runHelm(['template', 'rel', file, '-n', 'ns1'], src);
      const fromDir = await runHelm(['template', 'rel', c.chart, '-n', 'ns1', ...(c.flags.length ? [] : [])], src);
      assert.equal(fromArchive.code, 0, fromArchive.stderr);
      if (c.flags.length === 0) assert.equal(fromArchive.stdout, fromDir.stdout);
      const install = await runHelm(['install', 'rel', file, '--dry-run=client', '-n', 'ns1'], src);
      assert.equal(install.code, 0, install.stderr);
      const installDir = await runHelm(['install', 'rel', c.chart, '--dry-run=client', '-n', 'ns1'], src);
      const strip = (s: string) => s.replace(/^LAST DEPLOYED: .*$/m, '').replace(/^CHART: .*$/m, '');
      if (c.flags.length === 0) assert.equal(strip(install.stdout), strip(installDir.stdout));
      const back = await loadChart(file);
      const dir = await loadChart(join(src, c.chart));
      const files = (ch: typeof dir) => ch.raw.filter((f) => f.name !== 'Chart.yaml' && f.name !== 'Chart.lock').map((f) => `${f.name}:${Buffer.from(f.data).toString('base64')}`).sort();
      if (!existsSync(join(src, c.chart, 'charts')) || c.chart === 'legacy') assert.deepEqual(files(back), files(dir));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('package: bad input fails with helm\'s message', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bosun-pkg-errors-'));
  try {
    for (const f of ['missing-dep', 'bad-schema', 'legacy']) cpSync(join(fixtures, f), join(tmp, f), { recursive: true });
    writeFileSync(join(tmp, 'afile'), 'x');
    writeFileSync(join(tmp, 'chart-1.0.0.tgz'), 'x');
    const cases: string[][] = [
      ['package', 'does-not-exist'],
      ['package', 'legacy', '--version', 'not-semver'],
      ['package', 'missing-dep'],
      ['package', 'bad-schema'],
      ['package', 'legacy', '-d', 'afile/sub'],
      ['package', 'chart-1.0.0.tgz'],
    ];
    const cwd = process.cwd();
    for (const args of cases) {
      const h = await runHelm(args, tmp);
      process.chdir(tmp);
      let o;
      try {
        o = await runCli(args);
      } finally {
        process.chdir(cwd);
      }
      assert.equal(h.code, 1, `helm ${args.join(' ')} should fail`);
      assert.equal(o.code, 1, `bosun ${args.join(' ')} should fail`);
      assert.equal(o.stdout, '');
      // helm's words; bosun names the file first when helm's message does not.
      const want = h.stderr.trim().replace(/^Error: /, '');
      const got = o.stderr.trim().replace(/^Error: /, '');
      assert.ok(got === want || got.endsWith(`: ${want}`), `${args.join(' ')}:\n  helm:  ${want}\n  bosun: ${got}`);
      assert.equal(o.stderr.trim().split('\n').length, 1);
    }
    // No network: --dependency-update is refused with a clear error.
    process.chdir(tmp);
    let o;
    try {
      o = await runCli(['package', 'legacy', '-u']);
    } finally {
      process.chdir(cwd);
    }
    assert.equal(o.code, 1);
    assert.match(o.stderr, /^Error: --dependency-update is not supported/);
    assert.ok(!existsSync(join(tmp, 'legacy-0.3.0.tgz')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
