// Fleet commands over a state file: diff (one plan for releases × clusters), apply (diff, then sync what changed, or
// execute a saved plan), sync (every target, no diff gating) and destroy (uninstall in reverse needs order).
import type { Argv, CommandModule } from 'yargs';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Cluster } from '../kube/index.js';
import { clusterCapabilities, closeSqlPools, type ClusterCapabilities } from '../release/index.js';
import { HostResolver } from '../render/index.js';
import { diffEach, diffFleet, event, prepare, runFleet, checkStale, conflictRefusal, contextFor, type FleetEvent, type FleetOptions, type Prepared, type RunAction, type RunItem, type RunResult } from '../plan/fleet.js';
import type { DiffOptions } from '../plan/diff.js';
import { formatJson, formatMarkdown, formatMetrics, formatRunSummary, formatText } from '../plan/format.js';
import { hasChanges, makePlan, type Plan, type TargetPlan } from '../plan/types.js';
import { loadPlan, PlanError } from '../plan/planfile.js';
import { renderReport } from '../plan/report/index.js';
import { LiveView } from '../plan/progress.js';
import { parseDuration } from './release.js';
import { chartsFor, renderTarget, withHooks, withStateFlags } from './state.js';
import { UserError, type CliIO } from './errors.js';
import { cascadeFlag, refuseClientSideApply, stringArray } from './flags.js';
import { regexpError, type HookEvent, type HookRun, type Hooks, type Target } from '../state/index.js';

function withFleetFlags<T>(y: Argv<T>) {
  return withStateFlags(y)
    .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file (default $KUBECONFIG)' })
    .option('storage', { type: 'string', describe: 'release storage driver: secret (default), configmap, sql (default $HELM_DRIVER)' })
    .option('cluster-concurrency', { type: 'number', default: 0, describe: 'maximum targets processed at once in one cluster (0: unlimited)' })
    .option('qps', { type: 'number', default: 500, describe: 'client-side requests per second per cluster (one process serves every target of a cluster)' })
    .option('burst-limit', { type: 'number', default: 1000, describe: 'client-side burst per cluster' })
    .option('events', { type: 'string', describe: 'write progress events as NDJSON to this file' });
}

function withDiffFlags<T>(y: Argv<T>) {
  return y
    .option('show-secrets', { type: 'boolean', default: false, describe: 'show Secret values in diffs (masked by default)' })
    .option('context', { type: 'number', default: 3, describe: 'lines of context in diffs' })
    .option('suppress', { type: 'string', array: true, describe: 'leave out changes of this kind (repeatable)' })
    .option('save-plan', { type: 'string', describe: 'store the plan (JSON) to apply it later with apply --plan' })
    .option('report', { type: 'string', array: true, describe: 'write a review report: FILE.md (Markdown) or FILE.html' })
    .option('force-conflicts', FORCE_CONFLICTS)
    .option('suppress-diff', { type: 'boolean', default: false, describe: "leave every target's object diffs out of the output (the changes still count); a release can ask with suppressDiff" })
    .option('suppress-output-line-regex', {
      type: 'string',
      array: true,
      describe: 'leave diff lines matching this Go regular expression out of the output (repeatable), for releases that set no suppressOutputLineRegex',
    })
    .option('server-side', SERVER_SIDE);
}

/** bosun always applies server-side; the flag is taken for helmfile's and helm's command lines. */
const SERVER_SIDE = { type: 'string', describe: 'true or auto: bosun always applies server-side (false, client-side apply, is refused)' } as const;

/** Deletion propagation of uninstalls, for releases that set no cascade (helm uninstall --cascade). */
const CASCADE = { type: 'string', describe: 'background (default), foreground or orphan: how dependents of deleted objects are deleted, for releases that set no cascade' } as const;

const FORCE_CONFLICTS = {
  type: 'boolean',
  default: false,
  describe: 'server-side apply takes fields that other field managers own (without it, such a field fails its target: diff and apply name it in the plan, and apply leaves that target untouched)',
} as const;

function withRunFlags<T>(y: Argv<T>) {
  return y
    .option('cascade', CASCADE)
    .option('sync-release-labels', { type: 'boolean', default: false, describe: "store each release's labels on its release record (helm --labels); a release can ask with syncReleaseLabels" })
    .option('fail-fast', { type: 'boolean', default: false, describe: 'stop scheduling every target after the first failure' })
    .option('metrics-file', { type: 'string', describe: 'write deploy metrics in Prometheus text format to this file' })
    .option('retries', { type: 'number', default: 3, describe: 'attempts for a target failing with a transient API error' });
}

/** Releases clients and pools afterwards, so the process can exit. */
async function run(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await Cluster.closeAll();
    await closeSqlPools();
  }
}

const isCI = () => process.env.CI === 'true' || process.env.CI === '1' || !process.stderr.isTTY;

interface Progress {
  readonly onEvent: (e: FleetEvent) => void;
  /** Writes other output (the plan) without tearing the live view. */
  readonly aside: (write: () => void) => void;
}

/** Progress lines (timestamped in CI) and the --events NDJSON file. */
function progress(io: CliIO, argv: Record<string, unknown>): Progress {
  const file = argv.events as string | undefined;
  if (file) {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, '');
  }
  const ci = isCI();
  let view: LiveView | undefined;
  const aside = (write: () => void) => (view ? view.aside(write) : write());
  const onEvent = (e: FleetEvent) => {
    if (file) appendFileSync(file, JSON.stringify(e) + '\n');
    if (e.type === 'diff.done' || e.type === 'diff.start') return;
    if (!ci && e.type === 'run.start' && Array.isArray(e.jobs)) {
      view = new LiveView(e.jobs as { id: string; cluster: string; release: string; needs: string[] }[], io.stderr, process.stderr.columns || 120);
      view.start();
      return;
    }
    if (view) {
      view.onEvent(e);
      if (e.type === 'run.done') {
        view.stop();
        view = undefined;
      }
      return;
    }
    const stamp = ci ? `${e.ts} ` : '';
    const secs = e.durationMs !== undefined ? ` (${(e.durationMs / 1000).toFixed(1)}s)` : '';
    switch (e.type) {
      case 'run.start':
        io.stderr.write(`${stamp}applying ${String(e.targets)} targets\n`);
        break;
      case 'target.start':
        io.stderr.write(`${stamp}${e.id}: ${e.action} started\n`);
        break;
      case 'target.retry':
        io.stderr.write(`${stamp}${e.id}: attempt ${e.attempt} failed, retrying: ${e.error}\n`);
        break;
      case 'target.done':
        io.stderr.write(`${stamp}${e.id}: ${e.action} done${secs}\n`);
        break;
      case 'target.failed':
        io.stderr.write(`${stamp}${e.id}: ${e.action} FAILED${secs}: ${e.error}\n`);
        break;
      case 'target.skipped':
      case 'target.cancelled':
        io.stderr.write(`${stamp}${e.id}: ${e.type === 'target.skipped' ? 'skipped' : 'cancelled'} (${e.reason})\n`);
        break;
      default:
        break;
    }
  };
  return { onEvent, aside };
}

function fleetOptions(argv: Record<string, unknown>, onEvent: (e: FleetEvent) => void, hooks?: Hooks): FleetOptions {
  refuseClientSideApply(argv);
  return {
    kubeconfig: argv.kubeconfig as string | undefined,
    driver: argv.storage as string | undefined,
    concurrency: Number(argv.concurrency ?? 0),
    clusterConcurrency: Number(argv['cluster-concurrency'] ?? 0),
    failFast: Boolean(argv['fail-fast']),
    qps: Number(argv.qps ?? 500),
    burst: Number(argv['burst-limit'] ?? 1000),
    retries: argv.retries === undefined ? 3 : Number(argv.retries),
    forceConflicts: Boolean(argv['force-conflicts']),
    cascade: cascadeFlag(argv.cascade),
    syncReleaseLabels: Boolean(argv['sync-release-labels']),
    onEvent,
    hooks,
  };
}

/**
 * Renders every selected target with its cluster's capabilities (Kubernetes version and API versions, discovered
 * once per cluster), as the apply will: a chart that reads .Capabilities shows in the diff what gets applied. A
 * cluster that cannot be discovered makes its targets errors; the other clusters go on.
 */
async function prepareTargets(argv: Record<string, unknown>, selected: readonly Target[]): Promise<Prepared[]> {
  const charts = await chartsFor(selected);
  const opts = fleetOptions(argv, () => {});
  const byCluster = new Map<string, Promise<ClusterCapabilities>>();
  const capsOf = new Map<Target, ClusterCapabilities | Error>();
  await Promise.all(
    selected
      .filter((t) => t.release.installed)
      .map(async (t) => {
        const key = t.cluster.kubeContext || t.cluster.name;
        let caps = byCluster.get(key);
        if (!caps) {
          caps = contextFor(t, opts).then(clusterCapabilities);
          byCluster.set(key, caps);
        }
        capsOf.set(t, await caps.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
      }),
  );
  // enableDNS: a first render of the target resolves the host names its templates ask for; every later render of
  // it (upgrade, lookups, the apply's own) answers getHostByName from them.
  const hosts = new Map<Target, HostResolver>();
  for (const t of selected) {
    const caps = capsOf.get(t);
    if (!t.release.enableDNS || !t.release.installed || caps === undefined || caps instanceof Error) continue;
    const resolver = new HostResolver();
    hosts.set(t, resolver);
    // A failing render fails again below, where its error is reported.
    await resolver.render((hostByName) => renderTarget(t, charts.get(t.release.chart)!, { cluster: caps, hostByName })).catch(() => undefined);
  }
  return prepare(
    selected,
    charts,
    (t, chart, upgradeTo, lookup) => {
      const caps = capsOf.get(t);
      // The discovery error names the cluster already ("Kubernetes cluster unreachable: <context>: ...").
      if (caps instanceof Error) throw caps;
      return renderTarget(t, chart, { cluster: caps, upgradeTo, lookup, hostByName: hosts.get(t)?.hostByName });
    },
    (t) => {
      const caps = capsOf.get(t);
      return caps instanceof Error ? undefined : caps;
    },
    (t) => hosts.get(t),
  );
}

const diffOptions = (argv: Record<string, unknown>): DiffOptions => ({
  showSecrets: Boolean(argv['show-secrets']),
  context: Number(argv.context ?? 3),
  suppress: stringArray(argv.suppress),
  forceConflicts: Boolean(argv['force-conflicts']),
  suppressDiff: Boolean(argv['suppress-diff']),
  suppressOutputLineRegex: lineRegexFlags(argv['suppress-output-line-regex']),
});

/** --suppress-output-line-regex patterns (empty ones skipped, as helmfile does); a pattern Go would refuse is an error. */
function lineRegexFlags(v: unknown): string[] | undefined {
  const list = stringArray(v).filter((s) => s !== '');
  for (const re of list) {
    const bad = regexpError(re);
    if (bad !== undefined) throw new UserError(`--suppress-output-line-regex ${JSON.stringify(re)}: ${bad}`);
  }
  return list.length > 0 ? list : undefined;
}

const planOf = (argv: Record<string, unknown>, plans: TargetPlan[]): Plan =>
  makePlan(plans, {
    environment: String(argv.environment ?? 'default'),
    stateFile: String(argv.file ?? ''),
    selectors: stringArray(argv.selector),
    showSecrets: Boolean(argv['show-secrets']),
  });

async function computePlan(argv: Record<string, unknown>, prepared: Prepared[], opts: FleetOptions): Promise<Plan> {
  return planOf(argv, await diffFleet(prepared, opts, diffOptions(argv)));
}

function writePlanOutputs(io: CliIO, argv: Record<string, unknown>, plan: Plan, print: boolean): void {
  if (print) {
    const output = String(argv.output ?? 'text');
    io.stdout.write(output === 'json' ? formatJson(plan) : output === 'markdown' ? formatMarkdown(plan) : formatText(plan));
  }
  if (argv['save-plan']) {
    const f = String(argv['save-plan']);
    mkdirSync(dirname(resolve(f)), { recursive: true });
    writeFileSync(f, formatJson(plan));
    io.stderr.write(`plan saved to ${f}\n`);
  }
  for (const f of stringArray(argv.report)) {
    mkdirSync(dirname(resolve(f)), { recursive: true });
    writeFileSync(f, renderReport(plan, extname(f).toLowerCase() === '.html' ? 'html' : 'markdown'));
    io.stderr.write(`report written to ${f}\n`);
  }
}

/** Ctrl-C stops scheduling; in-flight targets finish (or roll back) and their records stay consistent. */
function interruptible<T>(io: CliIO, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => {
    io.stderr.write('interrupted: no new targets will start; waiting for the ones in flight\n');
    ac.abort();
  };
  process.once('SIGINT', onSigint);
  return body(ac.signal).finally(() => process.off('SIGINT', onSigint));
}

function finishRun(io: CliIO, argv: Record<string, unknown>, result: RunResult, unchanged: Map<string, number>): void {
  io.stdout.write(formatRunSummary(result, unchanged));
  if (argv['metrics-file']) {
    const f = String(argv['metrics-file']);
    mkdirSync(dirname(resolve(f)), { recursive: true });
    writeFileSync(f, formatMetrics(result));
  }
  const failed = result.outcomes.filter((o) => o.status !== 'succeeded');
  if (failed.length > 0) {
    const names = failed.filter((f) => f.status === 'failed').map((f) => f.id);
    throw new UserError(`${failed.length} of ${result.outcomes.length} targets did not complete${names.length ? `; failed: ${names.join(', ')}` : ''}`);
  }
}

function unchangedByCluster(plans: readonly TargetPlan[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of plans) m.set(t.cluster, (m.get(t.cluster) ?? 0) + (hasChanges(t) || t.action === 'error' ? 0 : 1));
  return m;
}

/** apply -i's question: the targets it would apply, and those the plan shows refused for field conflicts. */
function applyQuestion(applicable: number, refused: number): string {
  const targets = (n: number) => `${n} target${n === 1 ? '' : 's'}`;
  const also = refused > 0 ? ` (${targets(refused)} more refused for field conflicts, as the plan shows)` : '';
  return `Apply changes to ${targets(applicable)}${also}? [y/N] `;
}

async function confirm(io: CliIO, question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UserError('-i/--interactive needs a terminal');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = await rl.question(question);
    return /^y(es)?$/i.test(a.trim());
  } finally {
    rl.close();
    void io;
  }
}

function diffCommand(io: CliIO): CommandModule {
  return {
    command: 'diff',
    describe: 'show what apply would change on every selected target (releases × clusters), as one plan',
    builder: (y) =>
      withDiffFlags(withFleetFlags(y))
        .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'markdown'], default: 'text', describe: 'output format' })
        .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 2 when there are changes, 1 on errors, 0 otherwise' }),
    handler: (argv) =>
      run(async () => {
        const shown = progress(io, argv);
        await withHooks(io, argv, 'diff', ['prepare', 'cleanup'], async ({ selected }) => {
          const prepared = await prepareTargets(argv, selected);
          const plan = await computePlan(argv, prepared, fleetOptions(argv, shown.onEvent));
          writePlanOutputs(io, argv, plan, true);
          if (plan.summary.errors > 0) throw new UserError(`diff failed on ${plan.summary.errors} of ${plan.summary.targets} targets`, 1);
          if (argv['detailed-exitcode'] && plan.summary.changed > 0) throw new UserError(`changes on ${plan.summary.changed} of ${plan.summary.targets} targets`, 2, true);
        }, hookLog(io, shown));
      }),
  };
}

function applyCommand(io: CliIO): CommandModule {
  return {
    command: 'apply',
    describe: 'diff every selected target and sync each one whose diff shows a change, as soon as its needs are done (or apply a saved plan with --plan)',
    builder: (y) =>
      withRunFlags(withDiffFlags(withFleetFlags(y)))
        .option('plan', { type: 'string', describe: 'apply exactly this saved plan; targets whose inputs or live state changed since are refused' })
        .option('plan-max-age', { type: 'string', default: '1h', describe: 'refuse plans older than this' })
        .option('interactive', { alias: 'i', type: 'boolean', default: false, describe: 'ask before applying' })
        .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'markdown'], default: 'text', describe: 'format of the plan (printed once every target is diffed; with -i, before asking)' }),
    handler: (argv) =>
      run(async () => {
        const shown = progress(io, argv);
        await withHooks(io, argv, 'apply', APPLY_EVENTS, async ({ selected, hooks }) => {
          const prepared = await prepareTargets(argv, selected);
          const opts = fleetOptions(argv, shown.onEvent, hooks);
          if (!argv.plan && !argv.interactive) return applyAsDiffed(io, argv, prepared, opts, shown, preapplier(hooks));
          return applyPlanned(io, argv, prepared, opts, preapplier(hooks));
        }, hookLog(io, shown));
      }),
  };
}

/** `bosun apply --plan FILE` or `-i`: the whole plan first (saved, or diffed and shown), then the run. */
async function applyPlanned(io: CliIO, argv: Record<string, unknown>, prepared: Prepared[], opts: FleetOptions, preapply: (p: Prepared) => Promise<void>): Promise<void> {
  let plan: Plan;
  let stale = new Map<string, TargetPlan>();
  if (argv.plan) {
    try {
      plan = loadPlan(readFileSync(String(argv.plan), 'utf8'), parseDuration(String(argv['plan-max-age'])));
    } catch (e) {
      if (e instanceof PlanError) throw new UserError(e.message);
      throw e;
    }
    stale = new Map(plan.targets.map((t) => [t.id, t]));
  } else {
    plan = await computePlan(argv, prepared, opts);
    writePlanOutputs(io, argv, plan, true);
    if (plan.summary.errors > 0) throw new UserError(`diff failed on ${plan.summary.errors} of ${plan.summary.targets} targets; nothing applied`);
  }
  const byId = new Map(prepared.map((p) => [p.target.id, p]));
  const changed: { prepared: Prepared; action: RunAction; refused?: Error }[] = [];
  const unchanged: Prepared[] = [];
  for (const t of plan.targets) {
    const p = byId.get(t.id);
    if (!hasChanges(t)) {
      if (p) unchanged.push(p);
      continue;
    }
    if (!p) throw new UserError(`the plan has target ${t.id}, which the state no longer selects; make a new plan`);
    changed.push({ prepared: p, action: t.action as RunAction, refused: conflictRefusal(t, p.target, opts.forceConflicts) });
  }
  const hooked = unchanged.filter((p) => opts.hooks?.has(p.target.id, 'preapply'));
  if (changed.length === 0 && hooked.length === 0) {
    io.stdout.write(NOTHING_TO_DO);
    return;
  }
  // Only what would be applied is asked about; when every changed target is refused there is nothing to ask.
  const refusedCount = changed.filter((c) => c.refused).length;
  const applicable = changed.length - refusedCount;
  if (argv.interactive && applicable > 0 && !(await confirm(io, applyQuestion(applicable, refusedCount)))) {
    io.stdout.write('Aborted: nothing applied.\n');
    return;
  }
  // preapply hooks fire for every target of the plan, changed or not (helmfile's rule), once it is confirmed.
  const todo: RunItem[] = [
    ...changed.map((c) => ({ prepared: c.prepared, action: c.refused ? rejected(c.refused) : opts.hooks?.has(c.prepared.target.id, 'preapply') ? preapply(c.prepared).then(() => c.action) : c.action })),
    ...hooked.map((p) => ({ prepared: p, action: preapply(p).then(() => 'none' as const) })),
  ];
  const result = await interruptible(io, (signal) =>
    runFleet(todo, {
      ...opts,
      signal,
      check: argv.plan
        ? async (p, ctx) => {
            const why = await checkStale(stale.get(p.target.id)!, p, ctx);
            if (why) throw new Error(`stale plan refused: ${why}`);
          }
        : undefined,
    }),
  );
  if (result.outcomes.length === 0) {
    io.stdout.write(NOTHING_TO_DO);
    return;
  }
  finishRun(io, argv, result, unchangedByCluster(plan.targets));
}

/** Every event apply fires (sync: all but preapply). */
const APPLY_EVENTS: readonly HookEvent[] = ['prepare', 'preapply', 'presync', 'postsync', 'preuninstall', 'postuninstall', 'cleanup'];
const SYNC_EVENTS: readonly HookEvent[] = APPLY_EVENTS.filter((e) => e !== 'preapply');
const DESTROY_EVENTS: readonly HookEvent[] = ['prepare', 'preuninstall', 'postuninstall', 'cleanup'];

/** Hooks' `showlogs` output, written beside the live view; each hook run as a hook.done or hook.failed event. */
function hookLog(io: CliIO, shown: Progress): { log: (line: string) => void; onRun: (run: HookRun) => void } {
  return {
    log: (line) => shown.aside(() => io.stderr.write(line + '\n')),
    onRun: (r) => shown.onEvent(event(r.error === undefined ? 'hook.done' : 'hook.failed', { id: r.target, event: r.event, hook: r.hook, durationMs: r.durationMs, error: r.error })),
  };
}

/**
 * A target's preapply hooks. They run one at a time, as helmfile runs them (not one process per target at once),
 * each when its target's diff is done (or, with a plan, once the plan is confirmed).
 */
function preapplier(hooks: Hooks): (p: Prepared) => Promise<void> {
  let chain: Promise<unknown> = Promise.resolve();
  return (p) => {
    if (!hooks.has(p.target.id, 'preapply')) return Promise.resolve();
    const run = chain.then(() => hooks.trigger(p.target.id, 'preapply'));
    chain = run.catch(() => undefined);
    return run;
  };
}

/** An action that fails its target when the run reaches it (handled now: the run may start after a question). */
function rejected(e: Error): Promise<never> {
  const p = Promise.reject(e);
  p.catch(() => undefined);
  return p;
}

const NOTHING_TO_DO = 'Nothing to do: every target is up to date.\n';

/**
 * `bosun apply` without -i or --plan: each target is applied as soon as its own diff shows a change and its needs are
 * done; nothing waits for the diffs of unrelated targets. A target whose diff fails fails alone (its dependents are
 * skipped). The whole plan is printed once every diff is done, while the run goes on.
 */
async function applyAsDiffed(io: CliIO, argv: Record<string, unknown>, prepared: Prepared[], opts: FleetOptions, shown: Progress, preapply: (p: Prepared) => Promise<void>): Promise<void> {
  const diffs = diffEach(prepared, opts, diffOptions(argv));
  const todo: RunItem[] = prepared.map((p, i) => ({
    prepared: p,
    action: diffs[i]!.then(async (t) => {
      if (t.action === 'error') throw new Error(t.error);
      const refused = hasChanges(t) ? conflictRefusal(t, p.target, opts.forceConflicts) : undefined;
      if (refused) throw refused;
      // preapply fires for every target, changed or not (helmfile's rule).
      await preapply(p);
      return hasChanges(t) ? (t.action as RunAction) : 'none';
    }),
  }));
  const planned = Promise.all(diffs).then((plans) => {
    const plan = planOf(argv, plans);
    shown.aside(() => writePlanOutputs(io, argv, plan, true));
    return plan;
  });
  const result = await interruptible(io, (signal) => runFleet(todo, { ...opts, signal }));
  const plan = await planned;
  if (result.outcomes.length === 0) {
    io.stdout.write(NOTHING_TO_DO);
    return;
  }
  finishRun(io, argv, result, unchangedByCluster(plan.targets));
}

function syncCommand(io: CliIO): CommandModule {
  return {
    command: 'sync',
    describe: 'install or upgrade every selected target without diffing first; targets with installed: false are uninstalled',
    builder: (y) => withRunFlags(withFleetFlags(y)).option('force-conflicts', FORCE_CONFLICTS).option('server-side', SERVER_SIDE),
    handler: (argv) =>
      run(async () => {
        const shown = progress(io, argv);
        await withHooks(io, argv, 'sync', SYNC_EVENTS, async ({ selected, hooks }) => {
          const prepared = await prepareTargets(argv, selected);
          const todo = prepared.map((p) => ({ prepared: p, action: (p.target.release.installed ? 'upgrade' : 'uninstall') as 'upgrade' | 'uninstall' }));
          const opts = fleetOptions(argv, shown.onEvent, hooks);
          const result = await interruptible(io, (signal) => runFleet(todo, { ...opts, signal }));
          finishRun(io, argv, result, new Map());
        }, hookLog(io, shown));
      }),
  };
}

function destroyCommand(io: CliIO): CommandModule {
  return {
    command: 'destroy',
    describe: 'uninstall every selected target, dependents before the releases they need',
    builder: (y) => withRunFlags(withFleetFlags(y)),
    handler: (argv) =>
      run(async () => {
        const shown = progress(io, argv);
        await withHooks(io, argv, 'destroy', DESTROY_EVENTS, async ({ selected, hooks }) => {
          const prepared = await prepareTargets(argv, selected);
          const todo = prepared.map((p) => ({ prepared: p, action: 'uninstall' as const }));
          const opts = fleetOptions(argv, shown.onEvent, hooks);
          const result = await interruptible(io, (signal) => runFleet(todo, { ...opts, signal, reverse: true }));
          finishRun(io, argv, result, new Map());
        }, hookLog(io, shown));
      }),
  };
}

export function fleetCommands(io: CliIO): CommandModule[] {
  return [diffCommand(io), applyCommand(io), syncCommand(io), destroyCommand(io)];
}
