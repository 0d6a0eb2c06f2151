// Runs a DAG of jobs with no barriers: each job starts as soon as its own needs succeeded (and its own gate opened),
// within a global limit and a limit per cluster. A failed job skips only its dependents (transitively) unless
// failFast, which stops scheduling everything. An abort signal stops scheduling; jobs already running finish.

export interface Job {
  readonly id: string;
  readonly cluster: string;
  /** Ids of jobs that must succeed first; ids that are not jobs are taken as done. */
  readonly needs: readonly string[];
  /**
   * Settles before the job may start (e.g. its own diff): true runs it; false ends it as `unchanged` without running
   * (dependents go on); a rejection fails it without running. Other jobs are not held up meanwhile.
   */
  readonly gate?: Promise<boolean>;
}

export type JobStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'unchanged';

export interface JobResult {
  readonly id: string;
  readonly cluster: string;
  status: JobStatus;
  error?: string;
  /** Why a job was skipped (the failed need) or cancelled. */
  reason?: string;
  startedAt?: number;
  finishedAt?: number;
}

export interface ScheduleOptions {
  /** Jobs running at once (0: unlimited). */
  readonly concurrency?: number;
  /** Jobs running at once in one cluster (0: unlimited). */
  readonly clusterConcurrency?: number;
  readonly failFast?: boolean;
  readonly signal?: AbortSignal;
  readonly onStart?: (job: Job) => void;
  readonly onFinish?: (result: JobResult) => void;
  /** Formats a failure for the result (redaction happens here). */
  readonly describeError?: (e: unknown) => string;
  /** Clock (tests). */
  readonly now?: () => number;
}

export async function schedule(jobs: readonly Job[], run: (job: Job) => Promise<void>, opts: ScheduleOptions = {}): Promise<Map<string, JobResult>> {
  const now = opts.now ?? Date.now;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const results = new Map<string, JobResult>();
  const pending = jobs.filter(() => true);
  const running = new Set<string>();
  const perCluster = new Map<string, number>();
  const limit = opts.concurrency && opts.concurrency > 0 ? opts.concurrency : Infinity;
  const clusterLimit = opts.clusterConcurrency && opts.clusterConcurrency > 0 ? opts.clusterConcurrency : Infinity;
  let stopped = false;
  let stopReason = '';
  const describe = opts.describeError ?? ((e: unknown) => (e instanceof Error ? e.message : String(e)));
  /** Settled gates: true/false, or the failure. */
  const gates = new Map<string, boolean | { error: unknown }>();
  const satisfied = (s: JobStatus | undefined) => s === 'succeeded' || s === 'unchanged';
  const fail = (job: Job, e: unknown, startedAt?: number): JobResult => {
    if (opts.failFast && !stopped) {
      stopped = true;
      stopReason = `fail-fast after ${job.id} failed`;
    }
    return { id: job.id, cluster: job.cluster, status: 'failed', error: describe(e), startedAt, finishedAt: startedAt === undefined ? undefined : now() };
  };

  return new Promise((resolve) => {
    const finish = (r: JobResult) => {
      results.set(r.id, r);
      opts.onFinish?.(r);
    };
    const onAbort = () => {
      stopped = true;
      stopReason = 'interrupted';
      pump();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    for (const job of jobs) {
      job.gate?.then(
        (open) => gates.set(job.id, open),
        (error: unknown) => gates.set(job.id, { error }),
      ).then(() => pump());
    }

    const pump = () => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (let i = 0; i < pending.length; i++) {
          const job = pending[i]!;
          if (stopped) {
            pending.splice(i--, 1);
            finish({ id: job.id, cluster: job.cluster, status: 'cancelled', reason: stopReason });
            progressed = true;
            continue;
          }
          if (job.gate) {
            const gate = gates.get(job.id);
            if (gate === undefined) continue;
            if (gate !== true) {
              pending.splice(i--, 1);
              finish(gate === false ? { id: job.id, cluster: job.cluster, status: 'unchanged' } : fail(job, gate.error));
              progressed = true;
              continue;
            }
          }
          const needs = job.needs.filter((n) => byId.has(n));
          const bad = needs.find((n) => {
            const s = results.get(n)?.status;
            return s !== undefined && !satisfied(s);
          });
          if (bad !== undefined) {
            pending.splice(i--, 1);
            const s = results.get(bad)!.status;
            finish({ id: job.id, cluster: job.cluster, status: 'skipped', reason: `need ${bad} ${s === 'failed' ? 'failed' : 'was ' + s}` });
            progressed = true;
            continue;
          }
          if (!needs.every((n) => satisfied(results.get(n)?.status))) continue;
          if (running.size >= limit) break;
          if ((perCluster.get(job.cluster) ?? 0) >= clusterLimit) continue;
          pending.splice(i--, 1);
          start(job);
          progressed = true;
        }
      }
      const gated = pending.some((j) => j.gate && !gates.has(j.id));
      if (running.size === 0 && pending.length === 0) {
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(results);
      } else if (running.size === 0 && pending.length > 0 && !gated) {
        // Only reachable with a cycle among the jobs: report instead of hanging.
        for (const job of pending.splice(0)) finish({ id: job.id, cluster: job.cluster, status: 'cancelled', reason: 'needs cycle' });
        resolve(results);
      }
    };

    const start = (job: Job) => {
      running.add(job.id);
      perCluster.set(job.cluster, (perCluster.get(job.cluster) ?? 0) + 1);
      const startedAt = now();
      opts.onStart?.(job);
      void (async () => {
        let result: JobResult;
        try {
          await run(job);
          result = { id: job.id, cluster: job.cluster, status: 'succeeded', startedAt, finishedAt: now() };
        } catch (e) {
          result = fail(job, e, startedAt);
        }
        running.delete(job.id);
        perCluster.set(job.cluster, (perCluster.get(job.cluster) ?? 1) - 1);
        finish(result);
        pump();
      })();
    };

    pump();
  });
}
