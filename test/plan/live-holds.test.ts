// liveHolds decides when the diff may skip a server-side apply dry run (src/plan/diff.ts): only when live holds
// every value the object sets, exactly. Anything the server would store differently must fail it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveHolds } from '../../src/plan/diff.js';

test('liveHolds: live may add keys (defaults, other managers), never differ in what the object sets', () => {
  const want = { metadata: { name: 'a', labels: { x: '1' } }, spec: { replicas: 2, ports: [{ port: 80, name: 'http' }] } };
  const live = { metadata: { name: 'a', uid: 'u', labels: { x: '1', y: '2' } }, spec: { replicas: 2, ports: [{ port: 80, name: 'http', protocol: 'TCP' }] }, status: {} };
  assert.equal(liveHolds(want, live), true);
  // A value changed, a key missing, a list longer or reordered, a type differing (1 against "1").
  assert.equal(liveHolds(want, { ...live, spec: { ...live.spec, replicas: 3 } }), false);
  assert.equal(liveHolds(want, { ...live, metadata: { name: 'a' } }), false);
  assert.equal(liveHolds(want, { ...live, spec: { ...live.spec, ports: [...live.spec.ports, { port: 81 }] } }), false);
  assert.equal(liveHolds({ l: ['a', 'b'] }, { l: ['b', 'a'] }), false);
  assert.equal(liveHolds({ cpu: 1 }, { cpu: '1' }), false);
  assert.equal(liveHolds({ m: {} }, { m: [] }), false);
  assert.equal(liveHolds({ l: [] }, { l: {} }), false);
  // A null asks server-side apply to drop a field: never taken as held, even where live has a null.
  assert.equal(liveHolds({ a: null }, { a: null }), false);
  assert.equal(liveHolds({ a: { b: null } }, { a: {} }), false);
  // stringData is stored as data: a Secret sent with it is never held.
  assert.equal(liveHolds({ stringData: { t: 'x' } }, { data: { t: 'eA==' } }), false);
});
