// Directory charts loaded with `readOnUse` (what `bosun template` does): metadata, values, schema, templates and
// subchart archives are read when the chart loads, every other file on first use; without it everything is read at
// once, as Helm's loader does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ChartError, loadChartSync, newFiles } from '../../src/chart/index.js';
import { bytesToString, type GoMap } from '../../src/template/value.js';

/** A chart with a vendored subchart directory. */
function writeChart(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'bosun-read-on-use-'));
  const dir = join(root, 'top');
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n',
    'values.yaml': 'a: 1\n',
    'templates/cm.yaml': 'kind: ConfigMap\n',
    'files/a.txt': 'first\n',
    'crds/crd.yaml': 'kind: CustomResourceDefinition\n',
    'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
    'charts/sub/values.yaml': 'b: 2\n',
    'charts/sub/templates/x.yaml': 'kind: Secret\n',
    'charts/sub/files/s.txt': 'sub first\n',
  };
  for (const [p, content] of Object.entries(files)) {
    const f = join(dir, p);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, content);
  }
  return { root, dir };
}

const text = (files: readonly { name: string; data: Uint8Array }[], name: string): string => {
  const f = files.find((x) => x.name === name);
  assert.ok(f, `no file ${name}`);
  return Buffer.from(f.data).toString('utf8');
};

test('readOnUse: other files are read on first use, templates and values when the chart loads', () => {
  const { root, dir } = writeChart();
  try {
    const chart = loadChartSync(dir, { readOnUse: true });
    // Rewritten after the load: the lazily read files show the new bytes, the loaded ones the old.
    writeFileSync(join(dir, 'files/a.txt'), 'second\n');
    writeFileSync(join(dir, 'charts/sub/files/s.txt'), 'sub second\n');
    writeFileSync(join(dir, 'templates/cm.yaml'), 'kind: Changed\n');
    writeFileSync(join(dir, 'charts/sub/templates/x.yaml'), 'kind: Changed\n');
    assert.equal(text(chart.files, 'files/a.txt'), 'second\n');
    assert.equal(text(chart.files, 'crds/crd.yaml'), 'kind: CustomResourceDefinition\n');
    const sub = chart.dependencies[0]!;
    // A subchart's files lose their charts/sub/ prefix and stay lazy.
    assert.equal(text(sub.files, 'files/s.txt'), 'sub second\n');
    assert.equal(text(chart.templates, 'templates/cm.yaml'), 'kind: ConfigMap\n');
    assert.equal(text(sub.templates, 'templates/x.yaml'), 'kind: Secret\n');
    assert.equal(chart.values.a, 1);
    // Read once: a later change is not seen.
    writeFileSync(join(dir, 'files/a.txt'), 'third\n');
    assert.equal(text(chart.files, 'files/a.txt'), 'second\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('without readOnUse every file is read when the chart loads, as in Helm', () => {
  const { root, dir } = writeChart();
  try {
    const chart = loadChartSync(dir);
    writeFileSync(join(dir, 'files/a.txt'), 'second\n');
    rmSync(join(dir, 'charts/sub/files/s.txt'));
    assert.equal(text(chart.files, 'files/a.txt'), 'first\n');
    assert.equal(text(chart.dependencies[0]!.files, 'files/s.txt'), 'sub first\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('readOnUse: a file gone or grown past the size limit before its first use fails naming it', () => {
  const { root, dir } = writeChart();
  try {
    const chart = loadChartSync(dir, { readOnUse: true, maxFileSize: 100 });
    rmSync(join(dir, 'files/a.txt'));
    writeFileSync(join(dir, 'crds/crd.yaml'), 'x'.repeat(101));
    assert.throws(
      () => text(chart.files, 'files/a.txt'),
      (e: ChartError) => e instanceof ChartError && /^error reading files\/a\.txt: ENOENT/.test(e.helmMessage) && e.file === 'files/a.txt',
    );
    assert.throws(
      () => text(chart.files, 'crds/crd.yaml'),
      (e: ChartError) => e instanceof ChartError && e.helmMessage === 'chart file "crd.yaml" is larger than the maximum file size 100',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('readOnUse: an unchanged chart loaded again is the cached one, recognised without reading its files', async () => {
  const { root, dir } = writeChart();
  try {
    // Files changed in the last 3 seconds are never trusted by the loader's caches (src/chart/directory.ts).
    await sleep(3100);
    const a = loadChartSync(dir, { readOnUse: true });
    const b = loadChartSync(dir, { readOnUse: true });
    assert.equal(b.templates, a.templates, 'the second load reuses the first (same template list)');
    // Neither load read files/a.txt: removing it now makes its first use fail.
    rmSync(join(dir, 'files/a.txt'));
    assert.throws(() => text(b.files, 'files/a.txt'), /error reading files\/a\.txt/);
    // A changed file (new size and times) makes a new chart.
    writeFileSync(join(dir, 'crds/crd.yaml'), 'kind: CustomResourceDefinition # changed\n');
    const c = loadChartSync(dir, { readOnUse: true });
    assert.notEqual(c.templates, a.templates);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('readOnUse: .Files lists every file and reads one when a template looks at it; assigning replaces it', () => {
  const { root, dir } = writeChart();
  try {
    const files: GoMap = newFiles(loadChartSync(dir, { readOnUse: true }).files);
    assert.deepEqual(Object.keys(files).sort(), ['crds/crd.yaml', 'files/a.txt']);
    writeFileSync(join(dir, 'files/a.txt'), 'second\n');
    assert.equal(bytesToString(files['files/a.txt'] as Uint8Array), 'second\n');
    files['files/a.txt'] = 'replaced';
    assert.equal(files['files/a.txt'], 'replaced');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
