// The needs scheduler without a cluster: no barriers between unrelated jobs, limits, failure isolation, fail-fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedule, type Job } from '../../src/plan/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a job starts as soon as its own needs are done (no barrier)', async () => {
  const jobs: Job[] = [
    { id: 'slow', cluster: 'a', needs: [] },
    { id: 'after-slow', cluster: 'a', needs: ['slow'] },
    { id: 'fast', cluster: 'b', needs: [] },
    { id: 'after-fast', cluster: 'b', needs: ['fast'] },
  ];
  const times = new Map<string, [number, number]>();
  const t0 = Date.now();
  const res = await schedule(jobs, async (j) => {
    const s = Date.now() - t0;
    await sleep(j.id === 'slow' ? 300 : 20);
    times.set(j.id, [s, Date.now() - t0]);
  });
  assert.ok([...res.values()].every((r) => r.status === 'succeeded'));
  assert.ok(times.get('after-slow')![0] >= times.get('slow')![1]);
  assert.ok(times.get('after-fast')![0] >= times.get('fast')![1]);
  // after-fast did not wait for the unrelated slow job
  assert.ok(times.get('after-fast')![1] < times.get('slow')![1], JSON.stringify([...times]));
});

test('global and per-cluster limits hold', async () => {
  const jobs: Job[] = [];
  for (let i = 0; i < 12; i++) jobs.push({ id: `j${i}`, cluster: `c${i % 3}`, needs: [] });
  let running = 0;
  let peak = 0;
  const perCluster = new Map<string, number>();
  let peakCluster = 0;
  await schedule(
    jobs,
    async (j) => {
      running++;
      peak = Math.max(peak, running);
      perCluster.set(j.cluster, (perCluster.get(j.cluster) ?? 0) + 1);
      peakCluster = Math.max(peakCluster, perCluster.get(j.cluster)!);
      await sleep(15);
      running--;
      perCluster.set(j.cluster, perCluster.get(j.cluster)! - 1);
    },
    { concurrency: 4, clusterConcurrency: 1 },
  );
  assert.equal(peakCluster, 1);
  assert.ok(peak <= 3);
});

test('a failure skips only its dependents; fail-fast cancels the rest', async () => {
  const jobs: Job[] = [
    { id: 'bad', cluster: 'a', needs: [] },
    { id: 'child', cluster: 'a', needs: ['bad'] },
    { id: 'grandchild', cluster: 'a', needs: ['child'] },
    { id: 'other', cluster: 'b', needs: [] },
    { id: 'other-child', cluster: 'b', needs: ['other'] },
  ];
  const run = async (j: Job) => {
    if (j.id === 'bad') throw new Error('boom');
    await sleep(30);
  };
  const res = await schedule(jobs, run);
  assert.equal(res.get('bad')!.status, 'failed');
  assert.equal(res.get('child')!.status, 'skipped');
  assert.match(res.get('child')!.reason!, /need bad failed/);
  assert.equal(res.get('grandchild')!.status, 'skipped');
  assert.equal(res.get('other')!.status, 'succeeded');
  assert.equal(res.get('other-child')!.status, 'succeeded');

  const ff = await schedule(jobs, run, { failFast: true });
  assert.equal(ff.get('other-child')!.status, 'cancelled');
});

test('gates: a pending gate holds back only its own job; false ends it unchanged, a rejection fails it', async () => {
  let open!: (v: boolean) => void;
  const late = new Promise<boolean>((r) => (open = r));
  const jobs: Job[] = [
    { id: 'late', cluster: 'a', needs: [], gate: late },
    { id: 'after-late', cluster: 'a', needs: ['late'] },
    { id: 'free', cluster: 'b', needs: [] },
    { id: 'same', cluster: 'b', needs: [], gate: Promise.resolve(false) },
    { id: 'after-same', cluster: 'b', needs: ['same'] },
    { id: 'broken', cluster: 'c', needs: [], gate: Promise.reject(new Error('diff: boom')) },
    { id: 'after-broken', cluster: 'c', needs: ['broken'] },
  ];
  const ran: string[] = [];
  const done = schedule(
    jobs,
    async (j) => {
      ran.push(j.id);
      await sleep(10);
    },
    { concurrency: 1 },
  );
  await sleep(60);
  // With one slot, everything not gated on `late` has run meanwhile.
  assert.deepEqual([...ran].sort(), ['after-same', 'free']);
  open(true);
  const res = await done;
  assert.deepEqual(ran.slice(2), ['late', 'after-late']);
  assert.equal(res.get('same')!.status, 'unchanged');
  assert.equal(res.get('after-same')!.status, 'succeeded');
  assert.equal(res.get('broken')!.status, 'failed');
  assert.equal(res.get('broken')!.error, 'diff: boom');
  assert.equal(res.get('after-broken')!.status, 'skipped');
  assert.match(res.get('after-broken')!.reason!, /need broken failed/);
});
