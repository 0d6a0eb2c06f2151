// Fault injection: error answers with Retry-After (and client-go's retries), a cluster that is down, dropped
// connections, injected conflicts, latency — each switchable at run time and scoped to one cluster.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, haveTool, run, sandboxEnv, tool, type Env } from './helpers.js';

describe('fault injection', () => {
  let e: Env;
  before(async () => {
    e = await sandboxEnv({ clusters: ['flaky', 'steady'], controllerDelayMs: 20 });
  });
  after(async () => {
    await e?.close();
  });

  test('an error rate makes some requests fail with 503 and Retry-After', async () => {
    const f = e.sb.faults('flaky');
    f.set({ errorRate: 0.5, errorCodes: [503], retryAfterSeconds: 2 });
    const answers = await Promise.all(Array.from({ length: 60 }, () => api(e.sb, 'flaky', 'GET', '/api/v1/namespaces/default/configmaps')));
    f.reset();
    const failed = answers.filter((a) => a.status === 503);
    assert.ok(failed.length > 5 && failed.length < 55, `${failed.length} of 60 failed`);
    assert.equal(answers.filter((a) => a.status !== 503 && a.status !== 200).length, 0);
    assert.equal(failed[0]!.headers['retry-after'], '2');
    assert.equal(failed[0]!.json.reason, 'ServiceUnavailable');
    assert.equal(failed[0]!.json.code, 503);
    assert.equal(f.counters.errors, failed.length);
    // The other cluster never failed.
    const steady = await Promise.all(Array.from({ length: 10 }, () => api(e.sb, 'steady', 'GET', '/version')));
    assert.ok(steady.every((a) => a.status === 200));
  });

  test('429 and 500 codes; failNext is deterministic', async () => {
    const f = e.sb.faults('flaky');
    f.set({ failNext: 2, errorCodes: [429], retryAfterSeconds: 1 });
    const a = await api(e.sb, 'flaky', 'GET', '/version');
    const b = await api(e.sb, 'flaky', 'GET', '/version');
    const c = await api(e.sb, 'flaky', 'GET', '/version');
    assert.deepEqual([a.status, b.status, c.status], [429, 429, 200]);
    assert.equal(a.json.reason, 'TooManyRequests');
    f.set({ failNext: 1, errorCodes: [500] });
    const d = await api(e.sb, 'flaky', 'GET', '/version');
    assert.equal(d.status, 500);
    assert.equal(d.json.reason, 'InternalError');
    f.reset();
  });

  test('kubectl retries answers that carry Retry-After', { skip: !haveTool('kubectl') && 'kubectl missing' }, async () => {
    const f = e.sb.faults('flaky');
    const before = f.counters.errors;
    f.set({ failNext: 2, errorCodes: [503], retryAfterSeconds: 0 });
    const r = await run(tool('kubectl'), ['--context', 'flaky', 'get', 'namespaces', '-o', 'name'], e.env);
    f.reset();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /namespace\/default/);
    assert.equal(f.counters.errors - before, 2);
  });

  test('a cluster that is down refuses connections, then comes back', async () => {
    const f = e.sb.faults('flaky');
    f.down();
    await assert.rejects(api(e.sb, 'flaky', 'GET', '/version'), /ECONNRESET|socket hang up/);
    assert.equal((await api(e.sb, 'steady', 'GET', '/version')).status, 200);
    if (haveTool('kubectl')) {
      const r = await run(tool('kubectl'), ['--context', 'flaky', 'get', 'pods', '--request-timeout=2s'], e.env);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /connection reset by peer|EOF|connection refused/);
    }
    f.up();
    assert.equal((await api(e.sb, 'flaky', 'GET', '/version')).status, 200);
    assert.ok(f.counters.refused >= 1);
  });

  test('dropped connections, injected conflicts on writes, latency', async () => {
    const f = e.sb.faults('flaky');
    f.set({ dropRate: 1 });
    await assert.rejects(api(e.sb, 'flaky', 'GET', '/version'), /ECONNRESET|socket hang up/);
    f.reset();
    f.set({ conflictRate: 1 });
    const read = await api(e.sb, 'flaky', 'GET', '/api/v1/namespaces/default');
    assert.equal(read.status, 200, 'reads are not conflicted');
    const w = await api(e.sb, 'flaky', 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    assert.equal(w.status, 409);
    assert.equal(w.json.reason, 'Conflict');
    f.reset();
    f.set({ latencyMs: 250 });
    const t0 = Date.now();
    assert.equal((await api(e.sb, 'flaky', 'GET', '/version')).status, 200);
    assert.ok(Date.now() - t0 >= 240, `took ${Date.now() - t0}ms`);
    f.reset();
    assert.deepEqual(f.settings.latencyMs, 0);
  });
});
