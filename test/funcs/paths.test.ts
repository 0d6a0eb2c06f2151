// Sprig's path functions (Go's path and path/filepath), called directly. Expected outputs are helm v4.1.4's
// (shared/vectors, category path) and Go's path package documentation examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show } from './sprig-support.js';

const cases: [string, string, string][] = [
  ['base', '/a/b/c.txt', 'c.txt'],
  ['base', '', '.'],
  ['base', '/', '/'],
  ['base', 'a/b/', 'b'],
  ['base', 'C:\\a\\b', 'C:\\a\\b'],
  ['base', '//', '/'],
  ['dir', '/a/b/c.txt', '/a/b'],
  ['dir', 'c.txt', '.'],
  ['dir', 'a/b/', 'a/b'],
  ['dir', '/', '/'],
  ['dir', '', '.'],
  ['ext', 'c.tar.gz', '.gz'],
  ['ext', 'noext', ''],
  ['ext', 'a.b/c', ''],
  ['clean', 'a//b/../c/.', 'a/c'],
  ['clean', '', '.'],
  ['clean', '../../a/./b/', '../../a/b'],
  ['clean', 'a/c/b/..', 'a/c'],
  ['clean', '/../a/c', '/a/c'],
  ['clean', 'a/../..', '..'],
  ['clean', '/abc/def/../../..', '/'],
  ['clean', 'abc/./../def', 'def'],
  ['isAbs', '/a', 'true'],
  ['isAbs', 'a/b', 'false'],
  ['isAbs', '', 'false'],
  ['osBase', '/a/b/c.txt', 'c.txt'],
  ['osDir', '/a/b/c.txt', '/a/b'],
  ['osExt', 'x.yaml', '.yaml'],
  ['osClean', 'a/../b//c', 'b/c'],
  ['osIsAbs', '/x', 'true'],
];

test('path functions match Go', () => {
  for (const [fn, arg, want] of cases) assert.equal(show(fn, arg), want, `${fn} ${JSON.stringify(arg)}`);
});
