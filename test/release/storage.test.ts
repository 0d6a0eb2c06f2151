// Release records and storage without a cluster: Helm's encoding (base64 of gzip'd JSON, Go time layout, field
// omission), keys and labels, and history pruning that never removes the deployed revision.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { decodeRelease, encodeRelease, MemoryDriver, releaseJson, releaseKey, Storage, type Release } from '../../src/release/index.js';
import { formatGoTime, parseGoTime } from '../../src/release/record.js';
import { newMap } from '../../src/template/value.js';

function rel(version: number, status: Release['info']['status'], name = 'web'): Release {
  const config = newMap();
  config.n = 1;
  config.s = '<&>';
  return {
    name,
    namespace: 'apps',
    info: { firstDeployed: '2026-01-02T03:04:05.5Z', lastDeployed: '2026-01-02T03:04:05.5Z', deleted: '', description: 'd', status, notes: '' },
    chart: null,
    config,
    manifest: '---\n# Source: x\nkind: ConfigMap\n',
    hooks: [],
    version,
    applyMethod: 'csa',
    labels: {},
  };
}

test('record JSON: Helm field order, omitted empties, Go escaping; base64(gzip) round trip', () => {
  const r = rel(3, 'deployed');
  const json = releaseJson(r);
  assert.equal(
    json,
    '{"name":"web","info":{"first_deployed":"2026-01-02T03:04:05.5Z","last_deployed":"2026-01-02T03:04:05.5Z","description":"d","status":"deployed"},' +
      '"chart":null,"config":{"n":1,"s":"\\u003c\\u0026\\u003e"},"manifest":"---\\n# Source: x\\nkind: ConfigMap\\n","version":3,"namespace":"apps","apply_method":"csa"}',
  );
  const enc = encodeRelease(r);
  assert.equal(gunzipSync(Buffer.from(enc, 'base64')).toString('utf8'), json);
  const back = decodeRelease(enc);
  assert.equal(releaseJson(back), json);
  // Helm also reads records that are plain base64 JSON (no gzip).
  assert.equal(releaseJson(decodeRelease(Buffer.from(json).toString('base64'))), json);
});

test('Go time layout: RFC3339Nano, trailing zeros trimmed', () => {
  assert.equal(formatGoTime(1767323045_500000000n).replace(/[+-]\d\d:\d\d$|Z$/, ''), formatGoTime(1767323045_500000000n).replace(/[+-]\d\d:\d\d$|Z$/, ''));
  process.env.TZ = 'UTC';
  assert.match(formatGoTime(1767323045_000000000n), /^2026-01-02T03:04:05(Z|[+-]\d\d:\d\d)$/);
  assert.match(formatGoTime(1767323045_120000000n), /:05\.12(Z|[+-])/);
  assert.equal(parseGoTime('2026-01-02T03:04:05.123456789+02:00')!.date.toISOString(), '2026-01-02T01:04:05.123Z');
});

test('keys, labels and history pruning (never the deployed revision)', async () => {
  assert.equal(releaseKey('web', 7), 'sh.helm.release.v1.web.v7');
  const d = new MemoryDriver('apps');
  const s = new Storage(d);
  await s.create(rel(1, 'superseded'));
  await s.create(rel(2, 'deployed'));
  for (let v = 3; v <= 6; v++) await s.create(rel(v, 'failed'));
  await s.create(rel(1, 'deployed', 'other'));
  assert.equal((await s.deployed('web'))!.version, 2);
  assert.equal((await s.last('web'))!.version, 6);
  await s.prune('web', 3);
  assert.deepEqual((await s.history('web')).map((r) => r.version), [2, 5, 6]);
  await s.prune('web', 1);
  assert.deepEqual((await s.history('web')).map((r) => r.version), [2]);
  assert.deepEqual((await s.history('other')).map((r) => r.version), [1]);
  await assert.rejects(s.create(rel(2, 'failed')), /already exists/);
  assert.deepEqual(await s.history('nope'), []);
});
