// .helmignore rules and Go's filepath.Match under them. Expected results are facts from Helm's own
// pkg/ignore/rules_test.go and Go's path/filepath match_test.go tables (copied as data), and from helm v4.1.4 runs
// (the `ignore` fixture chart's `helm package` listing is checked in load.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { IgnoreRules, goPathMatch, BadPatternError, loadChartSync, ChartError } from '../../src/chart/index.js';


test('helmignore: parse skips comments and blank lines, keeps rules in order', () => {
  const r = IgnoreRules.parse('#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n');
  assert.equal(r.length, 4);
  assert.throws(() => IgnoreRules.parse('foo/**/bar'), (e: ChartError) => e.helmMessage === 'double-star (**) syntax is not supported' && e.file === '.helmignore:1');
  assert.throws(() => IgnoreRules.parse('ok\n[z-'), (e: ChartError) => e.helmMessage === 'syntax error in pattern' && e.file === '.helmignore:2');
  assert.equal(IgnoreRules.empty().addDefaults().length, 1);
});

test('helmignore: Helm rules_test TestIgnore table', () => {
  const dirs = new Set(['cargo', 'cargo/', 'mast/', 'mast']);
  const table: Array<[string, string, boolean]> = [
    ['helm.txt', 'helm.txt', true],
    ['helm.*', 'helm.txt', true],
    ['helm.*', 'rudder.txt', false],
    ['*.txt', 'tiller.txt', true],
    ['*.txt', 'cargo/a.txt', true],
    ['cargo/*.txt', 'cargo/a.txt', true],
    ['cargo/*.*', 'cargo/a.txt', true],
    ['cargo/*.txt', 'mast/a.txt', false],
    ['ru[c-e]?er.txt', 'rudder.txt', true],
    ['templates/.?*', 'templates/.dotfile', true],
    ['.*', '.', false],
    ['.*', './', false],
    ['.*', '.joonix', true],
    ['.*', 'helm.txt', false],
    ['.*', '', false],
    ['cargo/', 'cargo', true],
    ['cargo/', 'cargo/', true],
    ['cargo/', 'mast/', false],
    ['helm.txt/', 'helm.txt', false],
    ['!helm.txt', 'helm.txt', false],
    ['!helm.txt', 'tiller.txt', true],
    ['!*.txt', 'cargo', true],
    ['!cargo/', 'mast/', true],
    ['/a.txt', 'a.txt', true],
    ['/a.txt', 'cargo/a.txt', false],
    ['/cargo/a.txt', 'cargo/a.txt', true],
  ];
  for (const [pattern, name, want] of table) {
    assert.equal(IgnoreRules.parse(pattern).ignores(name, dirs.has(name)), want, `${pattern} ${name}`);
  }
});

test('helmignore: the built-in rule and walk pruning (helm v4.1.4 .Files listing)', () => {
  // From the files/files-helmignore template vector: `.helmignore` itself is a chart file; `ignored/` prunes a dir.
  const root = mkdtempSync(join(tmpdir(), 'bosun-ign-'));
  const dir = join(root, 'vec');
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: vec\nversion: 0.1.0\n',
    'values.yaml': 'a: 1\n',
    'templates/out.yaml': 'x',
    'templates/.hidden.yaml': 'x',
    'templates/sub/.dot': 'x',
    '.helmignore': '*.bak\nignored/\n',
    'files/keep.txt': 'k',
    'files/drop.bak': 'd',
    'ignored/x.txt': 'x',
  };
  try {
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    const c = loadChartSync(dir);
    assert.deepEqual(c.files.map((f) => f.name), ['.helmignore', 'files/keep.txt']);
    // templates/.?* drops dotfiles directly under templates/ only (`*` does not cross '/').
    assert.deepEqual(c.templates.map((f) => f.name), ['templates/out.yaml', 'templates/sub/.dot']);
    // A negated rule ignores everything it does not match, Chart.yaml included (helm: Chart.yaml file is missing).
    writeFileSync(join(dir, '.helmignore'), '!keep.bak\n');
    assert.throws(() => loadChartSync(dir), (e: ChartError) => e.helmMessage === 'Chart.yaml file is missing');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('filepath.Match: Go match_test table', () => {
  const BAD = 'bad';
  const table: Array<[string, string, boolean | typeof BAD]> = [
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['[\\-x]', '-', true],
    ['[\\-x]', 'a', false],
    ['[]a]', ']', BAD],
    ['[-]', '-', BAD],
    ['[x-]', 'x', BAD],
    ['[x-]', '-', BAD],
    ['[x-]', 'z', BAD],
    ['[-x]', 'x', BAD],
    ['[-x]', '-', BAD],
    ['[-x]', 'a', BAD],
    ['\\', 'a', BAD],
    ['[a-b-c]', 'a', BAD],
    ['[', 'a', BAD],
    ['[^', 'a', BAD],
    ['[^bc', 'a', BAD],
    ['a[', 'a', BAD],
    ['a[', 'ab', BAD],
    ['a[', 'x', BAD],
    ['a/b[', 'x', BAD],
    ['*x', 'xxx', true],
  ];
  for (const [pattern, name, want] of table) {
    if (want === BAD) assert.throws(() => goPathMatch(pattern, name), BadPatternError, pattern);
    else assert.equal(goPathMatch(pattern, name), want, `${pattern} ${name}`);
  }
});
