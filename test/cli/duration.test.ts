// --timeout values are Go durations (time.ParseDuration): the units and spellings Go documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../src/cli/release.js';

test('--timeout parses Go durations in milliseconds', () => {
  assert.equal(parseDuration('5m0s'), 300_000);
  assert.equal(parseDuration('1h2m3.5s'), 3_723_500);
  assert.equal(parseDuration('1.5ms'), 1.5);
  assert.equal(parseDuration('250us'), 0.25);
  assert.equal(parseDuration('0'), 0);
  // Go accepts both micro signs: U+00B5 and U+03BC.
  assert.equal(parseDuration('250\u00b5s'), 0.25);
  assert.equal(parseDuration('250\u03bcs'), 0.25);
});

test('--timeout refuses what Go refuses', () => {
  for (const bad of ['', '5', '5 m', 'm', '1x', '-']) {
    assert.throws(() => parseDuration(bad), /invalid duration/, bad);
  }
});
