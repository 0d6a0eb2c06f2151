// Chart archives: Helm's path and size rules for .tgz charts, on archives built here with node-tar's header
// encoder (malicious entries included). Expected messages are what helm v4.1.4 printed for the same archives used
// as subcharts (`error unpacking subchart x.tgz in p: ...`) or as the chart itself (`unable to load chart archive`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import { ChartError, loadArchive, loadChartSync, readArchiveFiles, cleanPath } from '../../src/chart/index.js';


type Entry = { path: string; data?: string | Buffer; type?: 'File' | 'Directory' | 'SymbolicLink'; linkpath?: string };

/** A gzipped tar with exactly these entries (paths as given, no sanitizing). */
function tgz(entries: Entry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const h = new Header({
      path: e.path,
      mode: 0o644,
      size: e.type === 'File' || e.type === undefined ? data.length : 0,
      type: e.type ?? 'File',
      linkpath: e.linkpath,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block);
    if (h.size) {
      blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

const C = 'apiVersion: v2\nname: c\nversion: 1.0.0\n';

/** helm v4.1.4's reasons (seen as `error unpacking subchart <x>.tgz in p: <reason>`). */
const REJECTED: Array<[string, Entry[], string]> = [
  ['dotdot', [{ path: 'c/Chart.yaml', data: C }, { path: 'c/../evil.txt', data: 'x' }], 'chart illegally references parent directory'],
  ['dotdot2', [{ path: 'c/Chart.yaml', data: C }, { path: 'c/a/../../evil.txt', data: 'x' }], 'chart illegally references parent directory'],
  ['abs', [{ path: 'c/Chart.yaml', data: C }, { path: 'c//etc/evil.txt', data: 'x' }], 'chart illegally contains absolute paths'],
  ['top', [{ path: 'c/Chart.yaml', data: C }, { path: 'evil.txt', data: 'x' }], 'chart illegally contains content outside the base directory: "evil.txt"'],
  ['drive', [{ path: 'c/Chart.yaml', data: C }, { path: 'c/c:/x', data: 'x' }], 'chart contains illegally named files'],
  [
    'big',
    [{ path: 'c/Chart.yaml', data: C }, { path: 'c/big.bin', data: Buffer.alloc(5 * 1024 * 1024 + 1) }],
    'decompressed chart file "c/big.bin" is larger than the maximum file size 5242880',
  ],
  ['empty', [], 'no files in chart archive'],
  ['nochart', [{ path: 'c/values.yaml', data: 'a: 1\n' }], 'Chart.yaml file is missing'],
];

test('archives: unsafe or invalid archives are rejected with Helm\'s reasons', () => {
  for (const [name, entries, reason] of REJECTED) {
    assert.throws(
      () => loadArchive(tgz(entries)),
      (e: ChartError) => e.helmMessage === reason,
      name,
    );
  }
  assert.throws(() => readArchiveFiles(Buffer.from('notgz\n')), (e: ChartError) => e.helmMessage === 'unexpected EOF');
  assert.throws(() => readArchiveFiles(Buffer.from('this is not a gzip stream at all')), (e: ChartError) => e.helmMessage === 'gzip: invalid header');
});

test('archives: the same rules inside a chart directory name the subchart (helm v4.1.4 messages)', () => {
  const root = mkdtempSync(join(tmpdir(), 'bosun-arch-'));
  try {
    for (const [name, entries, reason] of REJECTED) {
      const dir = join(root, name, 'p');
      mkdirSync(join(dir, 'charts'), { recursive: true });
      writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: p\nversion: 1.0.0\n');
      writeFileSync(join(dir, 'charts', `${name}.tgz`), tgz(entries));
      assert.throws(
        () => loadChartSync(dir),
        (e: ChartError) => e.helmMessage === `error unpacking subchart ${name}.tgz in p: ${reason}` && e.message.includes(`charts/${name}.tgz`),
        name,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('archives: a top-level .tgz hides the reason like helm (`unable to load chart archive`)', () => {
  const root = mkdtempSync(join(tmpdir(), 'bosun-arch-'));
  try {
    const bad = join(root, 'dotdot.tgz');
    writeFileSync(bad, tgz(REJECTED[0]![1]));
    assert.throws(
      () => loadChartSync(bad),
      (e: ChartError) => e.helmMessage === 'unable to load chart archive' && e.detail === 'chart illegally references parent directory',
    );
    const nochart = join(root, 'nochart.tgz');
    writeFileSync(nochart, tgz(REJECTED[7]![1]));
    assert.throws(() => loadChartSync(nochart), (e: ChartError) => e.helmMessage === 'unable to detect chart version, no Chart.yaml found');
    // Go keeps a leading '/': the chart folder becomes part of every path, so no Chart.yaml sits at the root.
    const abs = join(root, 'abs.tgz');
    writeFileSync(abs, tgz([{ path: '/c/Chart.yaml', data: C }, { path: '/c/evil.txt', data: 'x' }]));
    assert.throws(() => loadChartSync(abs), (e: ChartError) => e.helmMessage === 'unable to detect chart version, no Chart.yaml found');
    const empty = join(root, 'empty.tgz');
    writeFileSync(empty, tgz([]));
    assert.throws(() => loadChartSync(empty), (e: ChartError) => e.helmMessage === 'unable to load chart archive' && e.detail === 'no files in chart archive');
    assert.throws(() => loadChartSync(join(root, 'nope')), (e: ChartError) => e.helmMessage === `path "${join(root, 'nope')}" not found`);
    const notgz = join(root, 'bad.tgz');
    writeFileSync(notgz, 'notgz\n');
    assert.throws(
      () => loadChartSync(notgz),
      (e: ChartError) => e.helmMessage === `file '${notgz}' does not appear to be a gzipped archive; got 'application/octet-stream'`,
    );
    const yaml = join(root, 'vals.yaml');
    writeFileSync(yaml, 'a: 1\n');
    assert.throws(() => loadChartSync(yaml), (e: ChartError) => e.helmMessage === `file '${yaml}' seems to be a YAML file, but expected a gzipped archive`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('archives: accepted layouts (helm v4.1.4 .Files of each)', () => {
  const T = 'v: x\n';
  const files = (entries: Entry[]) =>
    loadArchive(tgz(entries))
      .files.map((f) => `${f.name}=${f.data.length}`)
      .join(';');
  // Mixed top folders are not checked: the first component is dropped whatever it is; paths are cleaned.
  assert.equal(
    files([
      { path: 'c/Chart.yaml', data: C },
      { path: 'c/templates/t.yaml', data: T },
      { path: 'd/y.txt', data: 'yy' },
      { path: 'c/./z.txt', data: 'z' },
      { path: 'c/q/../w.txt', data: 'w' },
    ]),
    'y.txt=2;z.txt=1;w.txt=1',
  );
  // A leading slash only adds an empty first component: the chart folder becomes part of the path.
  assert.equal(files([{ path: 'c/Chart.yaml', data: C }, { path: '/c/evil.txt', data: 'x' }]), 'c/evil.txt=1');
  assert.throws(() => loadArchive(tgz([{ path: '/c/Chart.yaml', data: C }])), (e: ChartError) => e.helmMessage === 'Chart.yaml file is missing');
  // Symbolic links become empty files; directories are skipped.
  assert.equal(
    files([
      { path: 'c/Chart.yaml', data: C },
      { path: 'c/link', type: 'SymbolicLink', linkpath: '/etc/passwd' },
      { path: 'c/dir/', type: 'Directory' },
    ]),
    'link=0',
  );
  // Windows archives use backslashes.
  assert.equal(files([{ path: 'c\\Chart.yaml', data: C }, { path: 'c\\a\\b.txt', data: 'bb' }]), 'a/b.txt=2');
  // A UTF-8 BOM is stripped from every file.
  assert.equal(files([{ path: 'c/Chart.yaml', data: '\ufeff' + C }, { path: 'c/b.txt', data: '\ufeffab' }]), 'b.txt=2');
});

test('archives: the whole-archive size limit', () => {
  const entries: Entry[] = [{ path: 'c/Chart.yaml', data: C }];
  for (let i = 0; i < 3; i++) entries.push({ path: `c/f${i}.bin`, data: Buffer.alloc(400) });
  assert.throws(
    () => readArchiveFiles(tgz(entries), { maxChartSize: 1000 }),
    (e: ChartError) => /^decompressed chart is larger than the maximum (file )?size 1000$/.test(e.helmMessage),
  );
  assert.equal(readArchiveFiles(tgz(entries), { maxChartSize: 2000 }).length, 4);
});

test('path.Clean', () => {
  const table: Array<[string, string]> = [
    ['', '.'],
    ['a/b/../c', 'a/c'],
    ['./a//b/', 'a/b'],
    ['../a', '../a'],
    ['a/../..', '..'],
    ['/../a', '/a'],
    ['/', '/'],
  ];
  for (const [input, want] of table) assert.equal(cleanPath(input), want, input);
});
