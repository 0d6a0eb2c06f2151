// Semantic versions as Helm checks Chart.yaml `version` (Masterminds/semver NewVersion) and matches dependency
// ranges (IsCompatibleRange). Expected values follow the Masterminds/semver v3 README's documented ranges and
// helm v4.1.4's accept/reject of chart versions (see load.test.ts for the validation messages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidSemVer, isCompatibleRange, parseSemVer, compareSemVer } from '../../src/chart/index.js';

test('semver: chart versions helm v4.1.4 accepts and rejects', () => {
  for (const v of ['1.2.3', '01.2.3', '1.2', '1', 'v1.2.3', '1.2.3-0a', '1.2.3+build.01', '1.2.3-rc.1+b', '0.0.0-undefined']) {
    assert.ok(isValidSemVer(v), v);
  }
  for (const v of ['1.2.3-01', '1.2.3.4', '99999999999999999999.0.0', '1.2.3-', 'latest', ' 1.2.3', '']) assert.ok(!isValidSemVer(v), v);
});

test('semver: ordering', () => {
  const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0'];
  for (let i = 1; i < sorted.length; i++) {
    assert.equal(compareSemVer(parseSemVer(sorted[i - 1]!), parseSemVer(sorted[i]!)), -1, `${sorted[i - 1]} < ${sorted[i]}`);
  }
  assert.equal(compareSemVer(parseSemVer('1.0.0+a'), parseSemVer('1.0.0+b')), 0);
});

test('semver: dependency ranges (IsCompatibleRange)', () => {
  const table: Array<[string, string, boolean]> = [
    ['1.2.3', '1.2.3', true],
    ['=1.2.3', '1.2.4', false],
    ['!=1.2.3', '1.2.4', true],
    ['>1.2.3', '1.2.4', true],
    ['>=1.2.3', '1.2.3', true],
    ['<1.2.3', '1.2.2', true],
    ['<=1.2.3', '1.2.4', false],
    ['^1.2.3', '1.9.9', true],
    ['^1.2.3', '2.0.0', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~0.3', '0.3.9', true],
    ['1.x', '1.9.9', true],
    ['1.x', '2.0.0', false],
    ['1.2.*', '1.2.7', true],
    ['*', '1.0.0', true],
    ['*', '1.0.0-alpha', false],
    ['>=1.0.0-0', '1.0.0-alpha', true],
    ['>= 1.2, < 3.0.0 || >= 4.2.3', '2.5.0', true],
    ['>= 1.2, < 3.0.0 || >= 4.2.3', '3.5.0', false],
    ['>= 1.2, < 3.0.0 || >= 4.2.3', '4.3.0', true],
    ['1.2 - 1.4.5', '1.4.5', true],
    ['1.2 - 1.4.5', '1.4.6', false],
    ['>=0.1.0', '0.2.0', true],
    ['2.0.0', '2.0.0', true],
    ['', '1.0.0', false],
    ['not-a-range', '1.0.0', false],
    ['1.0.0', 'not-a-version', false],
  ];
  for (const [c, v, want] of table) assert.equal(isCompatibleRange(c, v), want, `${c} ~ ${v}`);
});
