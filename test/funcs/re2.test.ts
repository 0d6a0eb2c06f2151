// The RE2 layer directly: Go's regexp API semantics (facts from Go's regexp documentation and helm v4.1.4 runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, mustCompile, quoteMeta, RegexpSyntaxError } from '../../src/template/funcs/re2.js';

test('compile reports Go syntax errors', () => {
  assert.throws(() => compile('a(b'), (e: unknown) => e instanceof RegexpSyntaxError && e.message === 'error parsing regexp: missing closing ): `a(b`');
  assert.throws(() => mustCompile('a\nb['), (e: Error) => e.message === 'regexp: Compile("a\\nb["): error parsing regexp: missing closing ]: `[`');
});

test('subexpressions and Expand', () => {
  const re = compile('(?P<first>\\w+) (?P<last>\\w+)');
  assert.equal(re.numSubexp, 2);
  assert.deepEqual([...re.subexpNames], ['', 'first', 'last']);
  assert.equal(re.replaceAllString('John Smith', '${last}_$first'), 'Smith_John');
  assert.equal(compile('x').replaceAllLiteralString('axb', '$0'), 'a$0b');
});

test('FindAll, Split, QuoteMeta', () => {
  assert.deepEqual(compile('a*').findAllString('baaab', -1), ['', 'aaa', '']);
  assert.equal(compile('z').findAllString('abc', -1), null);
  assert.deepEqual(compile('a*').split('baaab', -1), ['b', 'b']);
  assert.equal(compile(',').split('a,b', 0), null);
  assert.equal(quoteMeta('1.5-2.0?'), '1\\.5-2\\.0\\?');
});
