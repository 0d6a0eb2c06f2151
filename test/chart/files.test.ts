// `.Files` (engine.files) and gobwas globs. Expected outputs are the real helm's, from the `files` category of
// ../shared/vectors/cases.jsonl: each case's chart is built as the vectors README describes, loaded, and the
// template's method calls are made directly on the files object (no template engine needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './support/root.js';
import { loadChartSync, newFiles, FILES_TYPE, compileGlob, globMatcher, GlobSyntaxError } from '../../src/chart/index.js';
import { type GoMap, type GoValue, lookupMethod, typeName, kindName, bytesToString, sortedKeys } from '../../src/template/value.js';


interface VectorCase {
  id: string;
  template: string;
  files?: Record<string, string>;
  v4: { ok: boolean; out?: string };
}

const casesPath = join(PROJECT_ROOT, '../shared/vectors/cases.jsonl');
const cases: VectorCase[] = existsSync(casesPath)
  ? readFileSync(casesPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as VectorCase)
      .filter((c) => c.id.startsWith('files/'))
  : [];

/**
 * The vector chart of a case (fixed Chart.yaml, values.yaml, templates + case files) loaded as `readOnUse` says,
 * its files object given to `use` while the directory exists.
 */
function withFilesOf<T>(c: VectorCase, readOnUse: boolean, use: (f: GoMap) => T): T {
  const root = mkdtempSync(join(tmpdir(), 'bosun-vec-'));
  const dir = join(root, 'chart');
  const all: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: vec\nversion: 0.1.0\n',
    'values.yaml': 'a: 1\n',
    'templates/_case.tpl': `{{ define "case" }}${c.template}{{ end }}`,
    'templates/out.yaml': 'out: {{ include "case" . | b64enc | quote }}\n',
    ...(c.files ?? {}),
  };
  try {
    for (const [p, content] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    return use(newFiles(loadChartSync(dir, { readOnUse }).files));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function call(recv: GoValue, name: string, ...args: GoValue[]): GoValue {
  const m = lookupMethod(recv, name);
  assert.ok(m, `no method ${name} on ${typeName(recv)}`);
  return m.fn(...args);
}

const str = (v: GoValue): string => (v instanceof Uint8Array ? bytesToString(v) : String(v));
const keysOf = (m: GoValue): string => sortedKeys(m as GoMap).map((k) => `${k};`).join('');

/** Each files/* vector as direct calls; the result must equal helm's output for the template. */
const CALLS: Record<string, (f: GoMap) => string> = {
  'files/get': (f) => str(call(f, 'Get', 'files/a.txt')),
  'files/get-no-trailing-newline': (f) => `[${str(call(f, 'Get', 'files/sub/c.txt'))}]`,
  'files/get-crlf': (f) => JSON.stringify(str(call(f, 'Get', 'files/crlf.txt'))),
  'files/get-chart-yaml': (f) => `[${str(call(f, 'Get', 'Chart.yaml')).length}]`,
  'files/get-leading-dot-slash': (f) => `[${str(call(f, 'Get', './files/a.txt'))}]`,
  'files/getbytes-typeof': (f) => typeName(call(f, 'GetBytes', 'files/a.txt')),
  'files/getbytes-tostring': (f) => str(call(f, 'GetBytes', 'files/sub/c.txt')),
  'files/getbytes-tojson': (f) => JSON.stringify(Buffer.from(call(f, 'GetBytes', 'files/sub/c.txt') as Uint8Array).toString('base64')),
  'files/get-b64enc': (f) => Buffer.from(str(call(f, 'Get', 'files/sub/c.txt'))).toString('base64'),
  'files/lines': (f) => (call(f, 'Lines', 'files/a.txt') as string[]).map((l) => `[${l}]`).join(''),
  'files/lines-missing': (f) => JSON.stringify(call(f, 'Lines', 'nope')),
  'files/lines-typeof': (f) => typeName(call(f, 'Lines', 'files/a.txt')),
  'files/glob-keys': (f) => keysOf(call(f, 'Glob', 'files/*')),
  'files/glob-doublestar': (f) => keysOf(call(f, 'Glob', '**.txt')),
  'files/glob-typeof': (f) => typeName(call(f, 'Glob', 'files/*')),
  'files/glob-value-bytes': (f) => {
    const g = call(f, 'Glob', 'files/sub/*') as GoMap;
    return sortedKeys(g).map((k) => `${k}=${str(g[k]!)}`).join('');
  },
  'files/asconfig-config-dir': (f) => str(call(call(f, 'Glob', 'config/*'), 'AsConfig')),
  'files/asconfig-single': (f) => str(call(call(f, 'Glob', 'files/a.txt'), 'AsConfig')),
  'files/asconfig-empty': (f) => `[${str(call(call(f, 'Glob', 'nomatch/*'), 'AsConfig'))}]`,
  'files/asconfig-nindent-idiom': (f) =>
    'data:' + ('\n' + str(call(call(f, 'Glob', 'files/*.conf'), 'AsConfig'))).replace(/\n/g, '\n  '),
  'files/assecrets': (f) => str(call(call(f, 'Glob', 'files/*'), 'AsSecrets')),
  'files/assecrets-empty': (f) => `[${str(call(call(f, 'Glob', 'nomatch/*'), 'AsSecrets'))}]`,
  'files/files-no-extra-files': (f) => `[${keysOf(call(f, 'Glob', '**'))}]`,
  'files/files-helmignore': (f) => keysOf(call(f, 'Glob', '**')),
  'files/files-binary': (f) =>
    `${(call(f, 'GetBytes', 'files/bin.dat') as Uint8Array).length}|${Buffer.from(str(call(f, 'Get', 'files/bin.dat'))).toString('base64')}`,
  'files/files-unicode-content': (f) => str(call(f, 'Get', 'files/u.txt')),
};

// Vectors that need the template engine itself (a type error raised by `keys`, tpl) are covered by test/template.
const ENGINE_ONLY = new Set(['files/glob-keys-func-type-error', 'files/files-tpl-content', 'files/get-fromjson']);

test('files vectors: every case is mapped', { skip: cases.length === 0 }, () => {
  assert.equal(cases.length, 29);
  for (const c of cases) assert.ok(c.id in CALLS || ENGINE_ONLY.has(c.id), `unmapped vector ${c.id}`);
});

// Each vector twice: files read when the chart loads (install, diff, apply) and on first use (template).
for (const c of cases) {
  if (ENGINE_ONLY.has(c.id)) continue;
  for (const readOnUse of [false, true]) {
    test(`files vector ${c.id}${readOnUse ? ' (files read on use)' : ''}`, () => {
      assert.equal(c.v4.ok, true);
      assert.equal(withFilesOf(c, readOnUse, CALLS[c.id]!), c.v4.out);
    });
  }
}

test('files: a Go map of []byte with its type, and Lines of an empty file panics like Helm', () => {
  const f = newFiles([
    { name: 'a', data: new Uint8Array([0x61]) },
    { name: 'e', data: new Uint8Array(0) },
  ]);
  assert.equal(typeName(f), FILES_TYPE);
  assert.equal(kindName(f), 'map');
  assert.ok(f.a instanceof Uint8Array);
  // helm v4.1.4: `error calling Lines: runtime error: index out of range [-1]`
  assert.throws(() => call(f, 'Lines', 'e'), /index out of range \[-1\]/);
  assert.equal(typeName(call(f, 'GetBytes', 'missing')), '[]uint8');
  assert.equal((call(f, 'GetBytes', 'missing') as Uint8Array).length, 0);
});

test('glob: gobwas syntax with / as separator', () => {
  const table: Array<[string, string, boolean]> = [
    ['*', 'abc', true],
    ['*', 'a/b', false],
    ['**', 'a/b/c', true],
    ['a/**', 'a/b/c', true],
    ['a/*', 'a/b/c', false],
    ['?', 'a', true],
    ['?', '/', false],
    ['a?c', 'abc', true],
    ['[abc]', 'b', true],
    ['[!abc]', 'd', true],
    ['[!abc]', 'a', false],
    ['[a-c]x', 'bx', true],
    ['[!a-c]x', 'dx', true],
    ['{a,b}.txt', 'b.txt', true],
    ['{a,b}.txt', 'c.txt', false],
    ['{*.txt,dir/**}', 'dir/x/y', true],
    ['{a,b', 'b', true],
    ['a,b', 'a,b', true],
    ['a}', 'a}', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['a\\', 'a', true],
    ['files/*.conf', 'files/b.conf', true],
    ['**.txt', 'files/sub/c.txt', true],
  ];
  for (const [pattern, name, want] of table) assert.equal(compileGlob(pattern).test(name), want, `${pattern} ${name}`);
  for (const bad of ['[', '[]', '[a', '[a-', '[z-a]']) {
    assert.throws(() => compileGlob(bad), GlobSyntaxError, bad);
    // Helm falls back to `**`: everything matches.
    assert.equal(globMatcher(bad)('any/thing'), true, bad);
  }
});
