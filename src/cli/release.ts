// Release commands with helm's names, flags, output and errors: install, upgrade, rollback, uninstall, history,
// status, list, get values|manifest|notes|hooks|all, test, and bosun's recover (clears a pending-* lock left by a
// killed process).
import type { Argv, CommandModule } from 'yargs';
import { existsSync } from 'node:fs';
import { mergeUserValues } from '../values/index.js';
import { HostResolver, loadReleaseChart } from '../render/index.js';
import { Cluster, type ConfigOverrides } from '../kube/index.js';
import { TablePrinter, type ServerTable } from '../kube/printer.js';
import { parseJson, quoteJsonString, toJson, toYaml } from '../yaml/index.js';
import { fromPlain, type GoValue } from '../template/value.js';
import {
  appVersion,
  chartLabel,
  closeSqlPools,
  getRelease,
  history,
  install,
  listReleases,
  liveResources,
  openContext,
  parseGoTime,
  recover,
  releaseJson,
  releaseValues,
  rollback,
  testRelease,
  uninstall,
  upgrade,
  type DryRun,
  type Release,
  type ReleaseContext,
} from '../release/index.js';
import { UserError, type CliIO } from './errors.js';
import { nameAndChart } from './names.js';
import { cascadeFlag, refuseClientSideApply, restoreOptionalValues, splitCommas, stringArray, valueOptions, withValueFlags } from './flags.js';

// ---------------------------------------------------------------------------------------------------------------
// Flags

function withClusterFlags<T>(y: Argv<T>) {
  return y
    .option('namespace', { alias: 'n', type: 'string', describe: 'namespace scope for this request' })
    .option('kube-context', { type: 'string', describe: 'name of the kubeconfig context to use' })
    .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file' })
    .option('storage', { type: 'string', describe: 'release storage driver: secret (default), configmap, sql, memory (default $HELM_DRIVER)' })
    .option('qps', { type: 'number', describe: 'queries per second used when communicating with the Kubernetes API, not including bursting' })
    .option('burst-limit', { type: 'number', default: 100, describe: 'client-side default throttling limit' })
    .option('kube-apiserver', { type: 'string', describe: 'the address and the port for the Kubernetes API server' })
    .option('kube-token', { type: 'string', describe: 'bearer token used for authentication' })
    .option('kube-ca-file', { type: 'string', describe: 'the certificate authority file for the Kubernetes API server connection' })
    .option('kube-insecure-skip-tls-verify', { type: 'boolean', default: false, describe: "if true, the Kubernetes API server's certificate will not be checked for validity" })
    .option('kube-tls-server-name', { type: 'string', describe: 'server name to use for Kubernetes API server certificate validation' })
    .option('kube-as-user', { type: 'string', describe: 'username to impersonate for the operation' })
    .option('kube-as-group', { type: 'string', array: true, describe: 'group to impersonate for the operation (repeatable)' })
    .option('debug', { type: 'boolean', default: false, describe: 'enable verbose output' });
}

/** helm's --kube-* connection flags, or undefined when none is given. */
function kubeOverrides(argv: Record<string, unknown>): ConfigOverrides | undefined {
  const text = (k: string) => (typeof argv[k] === 'string' && argv[k] !== '' ? (argv[k] as string) : undefined);
  const ov: ConfigOverrides = {
    server: text('kube-apiserver'),
    token: text('kube-token'),
    caFile: text('kube-ca-file'),
    insecureSkipTlsVerify: argv['kube-insecure-skip-tls-verify'] === true ? true : undefined,
    tlsServerName: text('kube-tls-server-name'),
    asUser: text('kube-as-user'),
    asGroups: stringArray(argv['kube-as-group']),
  };
  const given = Object.fromEntries(Object.entries(ov).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as ConfigOverrides;
  return Object.keys(given).length > 0 ? given : undefined;
}

function withApplyFlags<T>(y: Argv<T>) {
  return y
    .option('dry-run', { type: 'string', describe: 'simulate: "client" (no cluster), "server" (cluster reads only) or "none"' })
    .option('wait', { type: 'string', describe: 'wait until resources are ready (up to --timeout): watcher (the bare flag), hookOnly (default), legacy' })
    .option('wait-for-jobs', { type: 'boolean', default: false, describe: 'with --wait, also wait until all Jobs have completed' })
    .option('enable-dns', { type: 'boolean', default: false, describe: 'enable DNS lookups when rendering templates' })
    .option('timeout', { type: 'string', default: '5m0s', describe: 'time to wait for any individual Kubernetes operation (like Jobs for hooks)' })
    .option('no-hooks', { type: 'boolean', default: false, describe: 'prevent hooks from running' })
    .option('force-conflicts', { type: 'boolean', default: false, describe: 'server-side apply takes fields owned by other managers' })
    .option('server-side', { type: 'string', describe: 'true or auto: bosun always applies server-side (false, client-side apply, is refused)' })
    .option('description', { type: 'string', describe: 'add a custom description' })
    .option('output', { alias: 'o', type: 'string', default: 'table', describe: 'prints the output in the specified format: table, json, yaml' });
}

const DRY_RUN_MODES = new Set(['', 'client', 'server', 'none', 'true', 'false', 'unset']);
const WAIT_MODES = new Set(['', 'watcher', 'hookOnly', 'legacy', 'true', 'false']);

/** --dry-run and --wait with their optional values (see restoreOptionalValues), and the other apply flags. */
function optionalValueFlags(argv: Record<string, unknown>): { args: string[]; apply: ApplyFlagValues } {
  const args = restoreOptionalValues(argv, { 'dry-run': DRY_RUN_MODES, wait: WAIT_MODES });
  const dry = argv['dry-run'] as string | undefined;
  const wait = argv.wait as string | undefined;
  const dryRun: DryRun = dry === undefined || dry === 'none' || dry === 'false' ? 'none' : dry === 'server' ? 'server' : 'client';
  refuseClientSideApply(argv);
  return {
    args,
    apply: {
      dryRun,
      wait: wait !== undefined && wait !== 'hookOnly' && wait !== 'false',
      waitForJobs: Boolean(argv['wait-for-jobs']),
      timeoutMs: parseDuration(String(argv.timeout)),
      noHooks: Boolean(argv['no-hooks']),
      forceConflicts: Boolean(argv['force-conflicts']),
    },
  };
}

/** The values of the flags withApplyFlags declares, as install, upgrade and rollback take them. */
interface ApplyFlagValues {
  dryRun: DryRun;
  wait: boolean;
  waitForJobs: boolean;
  timeoutMs: number;
  noHooks: boolean;
  forceConflicts: boolean;
}

/** Go's time.ParseDuration for the units helm users write (ns, us or µs, ms, s, m, h), in milliseconds. */
export function parseDuration(s: string): number {
  // Go takes both micro signs: U+00B5 (micro sign) and U+03BC (Greek mu).
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, '\u00b5s': 1e-3, '\u03bcs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]!) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== s.length || pos === 0) throw new UserError(`invalid argument "${s}" for "--timeout" flag: time: invalid duration "${s}"`);
  return total;
}

function parseLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of splitCommas(v)) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new UserError(`invalid argument "${pair}" for "-l, --labels" flag: ${pair} must be formatted as key=value`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

async function context(argv: Record<string, unknown>, io: CliIO, extra: { allNamespaces?: boolean } = {}): Promise<ReleaseContext> {
  const debug = Boolean(argv.debug);
  return openContext({
    kubeconfig: argv.kubeconfig as string | undefined,
    context: argv['kube-context'] as string | undefined,
    namespace: argv.namespace as string | undefined,
    driver: argv.storage as string | undefined,
    qps: argv.qps as number | undefined,
    burst: argv['burst-limit'] as number | undefined,
    overrides: kubeOverrides(argv),
    allNamespaces: extra.allNamespaces,
    log: debug ? (l) => io.stderr.write(`level=DEBUG msg=${JSON.stringify(l)}\n`) : undefined,
  });
}

/** Runs a command body and releases clients and pools afterwards, so the process can exit. */
async function run(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await Cluster.closeAll();
    await closeSqlPools();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Go's time.ANSIC layout ("Mon Jan _2 15:04:05 2006") in the local zone. */
export function ansic(goTime: string): string {
  const t = parseGoTime(goTime);
  if (!t) return '';
  const d = t.date;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${d.getFullYear()}`;
}

/** Go's Time.String() of a decoded RFC3339 time ("2006-01-02 15:04:05.999999999 -0700 MST"). */
export function goTimeString(goTime: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(goTime);
  if (!m) return goTime;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[4]!.replace(':', '')} ${m[4]!.replace(':', '')}`;
  return `${m[1]} ${m[2]}${frac ? '.' + frac : ''} ${zone}`;
}

/** helm's tables (gosuri/uitable): every cell padded to its column's width, cells joined by a tab. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('\t')).join('\n') + '\n';
}

function plain(v: unknown): GoValue {
  return fromPlain(v);
}

/** encoding/json of Go structs: fields in declaration order (here: insertion order), Go's string escaping. */
function structJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quoteJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(structJson).join(',')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => `${quoteJsonString(k)}:${structJson(x)}`)
    .join(',')}}`;
}

function printStatus(io: CliIO, rel: Release, opts: { notes?: boolean; resources?: ReadonlyMap<string, unknown[]> } = {}): void {
  let out = `NAME: ${rel.name}\n`;
  out += `LAST DEPLOYED: ${ansic(rel.info.lastDeployed)}\n`;
  out += `NAMESPACE: ${rel.namespace}\n`;
  out += `STATUS: ${rel.info.status}\n`;
  out += `REVISION: ${rel.version}\n`;
  out += `DESCRIPTION: ${rel.info.description}\n`;
  if (opts.resources && opts.resources.size > 0) {
    // One printer for every kind, as helm's: a kind whose columns equal the last ones printed gets no header.
    const printer = new TablePrinter();
    let buf = '';
    for (const [key, tables] of opts.resources) {
      buf += `==> ${key}\n`;
      for (const t of tables) buf += printer.print(t as ServerTable);
      buf += '\n';
    }
    out += `RESOURCES:\n${buf}\n`;
  }
  if (!rel.hooks.some((h) => h.events.includes('test'))) out += 'TEST SUITE: None\n';
  for (const h of rel.hooks) {
    if (!h.events.includes('test') || !h.lastRun.startedAt) continue;
    out += `TEST SUITE:     ${h.name}\nLast Started:   ${ansic(h.lastRun.startedAt)}\nLast Completed: ${ansic(h.lastRun.completedAt)}\nPhase:          ${h.lastRun.phase}\n`;
  }
  if (opts.notes !== false && rel.info.notes.trim() !== '') out += `NOTES:\n${rel.info.notes.trim()}\n`;
  io.stdout.write(out);
}

function outputRelease(io: CliIO, rel: Release, format: string, opts: { notes?: boolean } = {}): void {
  if (format === 'json' || format === 'yaml') {
    // helm 4 prints the whole release here, chart included (status is the command that leaves the chart out).
    writeReleaseJson(io, releaseJson(rel), format);
    return;
  }
  printStatus(io, rel, opts);
}

/** A release's JSON (releaseJson) as -o json prints it, or as -o yaml (sigs.k8s.io/yaml of the same JSON). */
function writeReleaseJson(io: CliIO, json: string, format: string): void {
  io.stdout.write(format === 'json' ? json + '\n' : toYaml(parseJson(json)));
}

function checkOutput(format: unknown): string {
  const f = String(format ?? 'table');
  if (!['table', 'json', 'yaml'].includes(f)) throw new UserError(`invalid argument "${f}" for "-o, --output" flag: invalid format type`);
  return f;
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

function installCommand(io: CliIO): CommandModule {
  return {
    command: 'install [args..]',
    describe: 'install a chart (helm install NAME CHART)',
    builder: (y) =>
      withApplyFlags(withClusterFlags(withValueFlags(y)))
        .positional('args', { describe: '[NAME] CHART', type: 'string', array: true })
        .option('create-namespace', { type: 'boolean', default: false, describe: 'create the release namespace if not present' })
        .option('skip-crds', { type: 'boolean', default: false, describe: 'if set, no CRDs will be installed' })
        .option('rollback-on-failure', { alias: 'atomic', type: 'boolean', default: false, describe: 'uninstall the release when the install fails' })
        .option('take-ownership', { type: 'boolean', default: false, describe: 'take ownership of existing resources instead of failing on them' })
        .option('replace', { type: 'boolean', default: false, describe: 're-use the name of an uninstalled or failed release' })
        .option('generate-name', { alias: 'g', type: 'boolean', default: false, describe: 'generate the name (and omit the NAME parameter)' })
        .option('name-template', { type: 'string', describe: 'specify template used to name the release' })
        .option('labels', { alias: 'l', type: 'string', array: true, describe: 'labels added to the release metadata (key=value)' })
        .option('skip-schema-validation', { type: 'boolean', default: false, describe: 'if set, disables JSON schema validation' })
        .option('hide-notes', { type: 'boolean', default: false, describe: 'do not show notes in the output' })
        .option('render-subchart-notes', { type: 'boolean', default: false, describe: 'if set, render subchart notes along with the parent' })
        .option('hide-secret', { type: 'boolean', default: false, describe: 'hide Kubernetes Secrets when also using a --dry-run mode' }),
    handler: (argv) =>
      run(async () => {
        const { args, apply } = optionalValueFlags(argv);
        const format = checkOutput(argv.output);
        if (args.length === 0) throw new UserError('"bosun install" requires at least 1 argument\n\nUsage:  bosun install [NAME] [CHART] [flags]');
        let name: string;
        let chartPath: string;
        try {
          ({ name, chart: chartPath } = nameAndChart(args, { generateName: Boolean(argv['generate-name']), nameTemplate: argv['name-template'] as string | undefined }));
        } catch (e) {
          throw new UserError(`INSTALLATION FAILED: ${(e as Error).message}`);
        }
        const chart = await loadReleaseChart(chartPath);
        const values = mergeUserValues(valueOptions(argv));
        const ctx = apply.dryRun === 'client' ? null : await context(argv, io);
        const rel = await install(
          ctx,
          {
            releaseName: name,
            chart,
            chartPath: existsSync(chartPath) ? chartPath : undefined,
            values,
            ...apply,
            createNamespace: Boolean(argv['create-namespace']),
            skipCrds: Boolean(argv['skip-crds']),
            rollbackOnFailure: Boolean(argv['rollback-on-failure']),
            takeOwnership: Boolean(argv['take-ownership']),
            replace: Boolean(argv.replace),
            description: argv.description as string | undefined,
            labels: parseLabels(argv.labels),
            skipSchemaValidation: Boolean(argv['skip-schema-validation']),
            subchartNotes: Boolean(argv['render-subchart-notes']),
            hideSecret: Boolean(argv['hide-secret']),
            hosts: argv['enable-dns'] ? new HostResolver() : undefined,
            warn: (m) => io.stderr.write(`level=WARN msg=${JSON.stringify(m)}\n`),
          },
          (argv.namespace as string | undefined) ?? 'default',
        ).catch((e) => {
          throw new UserError(`INSTALLATION FAILED: ${(e as Error).message}`);
        });
        // A dry run prints the hooks and the manifest before the notes, as helm does.
        const dryTable = apply.dryRun !== 'none' && format === 'table';
        outputRelease(io, rel, format, { notes: !argv['hide-notes'] && !dryTable });
        if (dryTable) printDryRun(io, rel, !argv['hide-notes']);
      }),
  };
}

function printDryRun(io: CliIO, rel: Release, notes: boolean): void {
  let out = 'HOOKS:\n';
  for (const h of rel.hooks) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
  out += `MANIFEST:\n${rel.manifest}\n`;
  if (notes && rel.info.notes.trim() !== '') out += `NOTES:\n${rel.info.notes.trim()}\n`;
  io.stdout.write(out);
}

function upgradeCommand(io: CliIO): CommandModule {
  return {
    command: 'upgrade [args..]',
    describe: 'upgrade a release (helm upgrade RELEASE CHART)',
    builder: (y) =>
      withApplyFlags(withClusterFlags(withValueFlags(y)))
        .positional('args', { describe: 'RELEASE CHART', type: 'string', array: true })
        .option('install', { alias: 'i', type: 'boolean', default: false, describe: "if a release by this name doesn't already exist, run an install" })
        .option('create-namespace', { type: 'boolean', default: false, describe: 'if --install is set, create the release namespace if not present' })
        .option('skip-crds', { type: 'boolean', default: false, describe: 'if set, no CRDs will be installed with --install' })
        .option('reset-values', { type: 'boolean', default: false, describe: "when upgrading, reset the values to the ones built into the chart" })
        .option('reuse-values', { type: 'boolean', default: false, describe: "when upgrading, reuse the last release's values and merge in overrides" })
        .option('reset-then-reuse-values', { type: 'boolean', default: false, describe: "reset to the chart's values, apply the last release's values, then overrides" })
        .option('history-max', { type: 'number', default: 10, describe: 'limit the maximum number of revisions saved per release (0 for no limit)' })
        .option('rollback-on-failure', { alias: 'atomic', type: 'boolean', default: false, describe: 'roll back to the previous successful release when the upgrade fails' })
        .option('cleanup-on-fail', { type: 'boolean', default: false, describe: 'delete new resources created in this upgrade when it fails' })
        .option('take-ownership', { type: 'boolean', default: false, describe: 'take ownership of existing resources instead of failing on them' })
        .option('labels', { alias: 'l', type: 'string', array: true, describe: 'labels added to the release metadata (key=value; key=null removes)' })
        .option('skip-schema-validation', { type: 'boolean', default: false, describe: 'if set, disables JSON schema validation' })
        .option('hide-notes', { type: 'boolean', default: false, describe: 'do not show notes in the output' })
        .option('render-subchart-notes', { type: 'boolean', default: false, describe: 'if set, render subchart notes along with the parent' })
        .option('hide-secret', { type: 'boolean', default: false, describe: 'hide Kubernetes Secrets when also using a --dry-run mode' }),
    handler: (argv) =>
      run(async () => {
        const { args, apply } = optionalValueFlags(argv);
        const format = checkOutput(argv.output);
        if (args.length !== 2) throw new UserError(`"bosun upgrade" requires 2 arguments\n\nUsage:  bosun upgrade [RELEASE] [CHART] [flags]`);
        const [name, chartPath] = [args[0]!, args[1]!];
        const chart = await loadReleaseChart(chartPath);
        const values = mergeUserValues(valueOptions(argv));
        const ctx = await context(argv, io);
        const before = argv.install ? await ctx.storage.history(name) : [];
        const installing = argv.install && (before.length === 0 || before[before.length - 1]!.info.status === 'uninstalled');
        const rel = await upgrade(ctx, {
          releaseName: name,
          chart,
          chartPath: existsSync(chartPath) ? chartPath : undefined,
          values,
          install: Boolean(argv.install),
          ...apply,
          createNamespace: Boolean(argv['create-namespace']),
          skipCrds: Boolean(argv['skip-crds']),
          resetValues: Boolean(argv['reset-values']),
          reuseValues: Boolean(argv['reuse-values']),
          resetThenReuseValues: Boolean(argv['reset-then-reuse-values']),
          historyMax: Number(argv['history-max']),
          rollbackOnFailure: Boolean(argv['rollback-on-failure']),
          cleanupOnFail: Boolean(argv['cleanup-on-fail']),
          takeOwnership: Boolean(argv['take-ownership']),
          description: argv.description as string | undefined,
          labels: parseLabels(argv.labels),
          skipSchemaValidation: Boolean(argv['skip-schema-validation']),
          subchartNotes: Boolean(argv['render-subchart-notes']),
          hideSecret: Boolean(argv['hide-secret']),
          hosts: argv['enable-dns'] ? new HostResolver() : undefined,
          warn: (m) => io.stderr.write(`level=WARN msg=${JSON.stringify(m)}\n`),
        }).catch((e) => {
          // helm's upgrade command prefixes its own errors; on the install path it returns install's unprefixed.
          throw new UserError(installing ? (e as Error).message : `UPGRADE FAILED: ${(e as Error).message}`);
        });
        if (format === 'table') {
          if (installing) io.stdout.write(`Release "${name}" does not exist. Installing it now.\n`);
          else io.stdout.write(`Release "${name}" has been upgraded. Happy Helming!\n`);
        }
        // A dry run prints the hooks and the manifest before the notes, as helm does.
        const dryTable = apply.dryRun !== 'none' && format === 'table';
        outputRelease(io, rel, format, { notes: !argv['hide-notes'] && !dryTable });
        if (dryTable) printDryRun(io, rel, !argv['hide-notes']);
      }),
  };
}

function rollbackCommand(io: CliIO): CommandModule {
  return {
    command: 'rollback <release> [revision]',
    describe: 'roll back a release to a previous revision (the previous one when REVISION is omitted)',
    builder: (y) =>
      withClusterFlags(y)
        .positional('release', { type: 'string' })
        .positional('revision', { type: 'string' })
        .option('dry-run', { type: 'string', describe: 'simulate a rollback' })
        .option('wait', { type: 'string', describe: 'wait until resources are ready (watcher)' })
        .option('wait-for-jobs', { type: 'boolean', default: false })
        .option('timeout', { type: 'string', default: '5m0s' })
        .option('no-hooks', { type: 'boolean', default: false })
        .option('history-max', { type: 'number', default: 10 })
        .option('cleanup-on-fail', { type: 'boolean', default: false })
        .option('force-conflicts', { type: 'boolean', default: false })
        .option('server-side', { type: 'string' }),
    handler: (argv) =>
      run(async () => {
        const { apply } = optionalValueFlags({ ...argv, args: [] });
        const revision = argv.revision === undefined ? 0 : Number(argv.revision);
        if (!Number.isInteger(revision) || revision < 0) throw new UserError(`could not convert revision to a number: strconv.Atoi: parsing "${String(argv.revision)}": invalid syntax`);
        const ctx = await context(argv, io);
        await rollback(ctx, String(argv.release), {
          revision,
          ...apply,
          historyMax: Number(argv['history-max']),
          cleanupOnFail: Boolean(argv['cleanup-on-fail']),
        }).catch((e) => {
          throw new UserError((e as Error).message);
        });
        io.stdout.write('Rollback was a success! Happy Helming!\n');
      }),
  };
}

function uninstallCommand(io: CliIO): CommandModule {
  return {
    command: 'uninstall <releases..>',
    aliases: ['un', 'delete', 'del'],
    describe: 'uninstall releases',
    builder: (y) =>
      withClusterFlags(y)
        .positional('releases', { type: 'string', array: true })
        .option('keep-history', { type: 'boolean', default: false, describe: 'remove all resources but keep the release history' })
        .option('no-hooks', { type: 'boolean', default: false })
        .option('dry-run', { type: 'boolean', default: false })
        .option('wait', { type: 'string', describe: 'wait until all the resources are deleted' })
        .option('timeout', { type: 'string', default: '5m0s' })
        .option('ignore-not-found', { type: 'boolean', default: false, describe: 'treat "release not found" as a successful uninstall' })
        .option('cascade', { type: 'string', default: 'background', describe: 'background, orphan or foreground' })
        .option('description', { type: 'string' }),
    handler: (argv) =>
      run(async () => {
        const cascade = cascadeFlag(argv.cascade);
        const ctx = await context(argv, io);
        for (const name of stringArray(argv.releases)) {
          const res = await uninstall(ctx, name, {
            keepHistory: Boolean(argv['keep-history']),
            noHooks: Boolean(argv['no-hooks']),
            dryRun: Boolean(argv['dry-run']),
            wait: argv.wait !== undefined && argv.wait !== 'false' && argv.wait !== 'hookOnly',
            timeoutMs: parseDuration(String(argv.timeout)),
            ignoreNotFound: Boolean(argv['ignore-not-found']),
            description: argv.description as string | undefined,
            cascade,
          }).catch((e) => {
            throw new UserError((e as Error).message);
          });
          if (res.kept.length > 0) io.stdout.write(`These resources were kept due to the resource policy:\n${res.kept.join('\n')}\n\n`);
          io.stdout.write(`release "${name}" uninstalled\n`);
        }
      }),
  };
}

function historyCommand(io: CliIO): CommandModule {
  return {
    command: 'history <release>',
    aliases: ['hist'],
    describe: 'fetch release history',
    builder: (y) =>
      withClusterFlags(y)
        .positional('release', { type: 'string' })
        .option('max', { type: 'number', default: 256, describe: 'maximum number of revisions to include in history' })
        .option('output', { alias: 'o', type: 'string', default: 'table' }),
    handler: (argv) =>
      run(async () => {
        const format = checkOutput(argv.output);
        const ctx = await context(argv, io);
        const h = await history(ctx, String(argv.release), Number(argv.max)).catch((e) => {
          throw new UserError((e as Error).message);
        });
        const rows = h.map((r) => ({
          revision: r.version,
          updated: r.info.lastDeployed,
          status: r.info.status,
          chart: chartLabel(r),
          app_version: appVersion(r),
          description: r.info.description,
        }));
        if (format === 'json') io.stdout.write(structJson(rows) + '\n');
        else if (format === 'yaml') io.stdout.write(toYaml(plain(rows)));
        else {
          io.stdout.write(
            table([
              ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'],
              ...rows.map((r) => [String(r.revision), ansic(r.updated), r.status, r.chart, r.app_version, r.description]),
            ]),
          );
        }
      }),
  };
}

function statusCommand(io: CliIO): CommandModule {
  return {
    command: 'status <release>',
    describe: 'display the status of the named release',
    builder: (y) =>
      withClusterFlags(y)
        .positional('release', { type: 'string' })
        .option('revision', { type: 'number', default: 0, describe: 'if set, display the status of the named release with revision' })
        .option('output', { alias: 'o', type: 'string', default: 'table' })
        .option('show-desc', { type: 'boolean', default: false })
        .option('show-resources', { type: 'boolean', default: false }),
    handler: (argv) =>
      run(async () => {
        const format = checkOutput(argv.output);
        const ctx = await context(argv, io);
        const rel = await getRelease(ctx, String(argv.release), Number(argv.revision)).catch((e) => {
          throw new UserError((e as Error).message);
        });
        // helm 4's status shows the release's live objects: as tables for the table output, as objects otherwise.
        const resources = await liveResources(ctx, rel, format === 'table');
        if (format === 'table') return printStatus(io, rel, { resources });
        writeReleaseJson(io, releaseJson(rel, { resources }), format);
      }),
  };
}

function listCommand(io: CliIO): CommandModule {
  return {
    command: 'list',
    aliases: ['ls'],
    describe: 'list releases',
    builder: (y) =>
      withClusterFlags(y)
        .option('all-namespaces', { alias: 'A', type: 'boolean', default: false, describe: 'list releases across all namespaces' })
        .option('all', { type: 'boolean', default: false, describe: 'show all releases without any filter applied' })
        .option('deployed', { type: 'boolean', default: false })
        .option('failed', { type: 'boolean', default: false })
        .option('pending', { type: 'boolean', default: false })
        .option('superseded', { type: 'boolean', default: false })
        .option('uninstalled', { type: 'boolean', default: false })
        .option('uninstalling', { type: 'boolean', default: false })
        .option('filter', { alias: 'f', type: 'string', describe: 'a regular expression (Go RE2) on release names' })
        .option('selector', { alias: 'l', type: 'string', describe: 'label selector on release labels' })
        .option('date', { alias: 'd', type: 'boolean', default: false, describe: 'sort by release date' })
        .option('reverse', { alias: 'r', type: 'boolean', default: false })
        .option('max', { alias: 'm', type: 'number', default: 256 })
        .option('offset', { type: 'number', default: 0 })
        .option('short', { alias: 'q', type: 'boolean', default: false, describe: 'output short (quiet) listing format' })
        .option('no-headers', { type: 'boolean', default: false })
        .option('output', { alias: 'o', type: 'string', default: 'table' }),
    handler: (argv) =>
      run(async () => {
        const format = checkOutput(argv.output);
        const ctx = await context(argv, io, { allNamespaces: Boolean(argv['all-namespaces']) });
        const rels = await listReleases(ctx, {
          all: Boolean(argv.all),
          deployed: Boolean(argv.deployed),
          failed: Boolean(argv.failed),
          pending: Boolean(argv.pending),
          superseded: Boolean(argv.superseded),
          uninstalled: Boolean(argv.uninstalled),
          uninstalling: Boolean(argv.uninstalling),
          filter: argv.filter as string | undefined,
          selector: argv.selector as string | undefined,
          sortByDate: Boolean(argv.date),
          reverse: Boolean(argv.reverse),
          max: Number(argv.max),
          offset: Number(argv.offset),
        });
        if (argv.short) {
          for (const r of rels) io.stdout.write(`${r.name}\n`);
          return;
        }
        const rows = rels.map((r) => ({
          name: r.name,
          namespace: r.namespace,
          revision: String(r.version),
          updated: goTimeString(r.info.lastDeployed),
          status: r.info.status,
          chart: chartLabel(r),
          app_version: appVersion(r),
        }));
        if (format === 'json') io.stdout.write(structJson(rows) + '\n');
        else if (format === 'yaml') io.stdout.write(toYaml(plain(rows)));
        else {
          const body = rows.map((r) => [r.name, r.namespace, r.revision, r.updated, r.status, r.chart, r.app_version]);
          const head = argv['no-headers'] ? [] : [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']];
          if (head.length + body.length > 0) io.stdout.write(table([...head, ...body]));
        }
      }),
  };
}

/**
 * `helm get metadata` (helm 4.1): the chart's name, versions, annotations and dependencies, the storage object's
 * labels, and the release's namespace, revision, status, deploy time (RFC 3339, the record's own offset) and apply
 * method. JSON keeps helm's field order; YAML sorts the keys, as sigs.k8s.io/yaml does.
 */
function releaseMetadata(rel: Release, format: string, revision: number): string {
  const md = (rel.chart?.metadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const annotations = (md.annotations ?? {}) as Record<string, string>;
  // helm reads the newest revision through a label query, which keeps the storage object's own labels, and a given
  // revision by its key, which keeps only the custom ones.
  const labels = revision === 0 ? (rel.storageLabels ?? rel.labels) : rel.labels;
  const dependencies = Array.isArray(md.dependencies) ? (md.dependencies as Record<string, unknown>[]) : [];
  const deployedAt = rel.info.lastDeployed.replace(/\.\d+/, '').replace(/[+-]00:00$/, 'Z');
  const fields: [string, GoValue][] = [
    ['name', rel.name],
    ['chart', str(md.name)],
    ['version', str(md.version)],
    ['appVersion', str(md.appVersion)],
  ];
  if (Object.keys(annotations).length > 0) fields.push(['annotations', annotations as GoValue]);
  if (Object.keys(labels).length > 0) fields.push(['labels', labels as GoValue]);
  if (dependencies.length > 0) fields.push(['dependencies', dependencies as unknown as GoValue]);
  fields.push(['namespace', rel.namespace], ['revision', rel.version], ['status', rel.info.status], ['deployedAt', deployedAt]);
  if (rel.applyMethod) fields.push(['applyMethod', rel.applyMethod]);
  // Fields in helm's order, a dependency's as the record stores them (helm's Dependency struct), maps sorted.
  const sorted = (m: Record<string, string>) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
  if (format === 'json') return `${structJson(Object.fromEntries(fields.map(([k, v]) => [k, k === 'annotations' || k === 'labels' ? sorted(v as Record<string, string>) : v])))}\n`;
  if (format === 'yaml') return toYaml(Object.fromEntries(fields) as GoValue);
  const set = (m: Record<string, string>) => Object.entries(sorted(m)).map(([k, v]) => `${k}=${v}`).join(',');
  const method = rel.applyMethod === 'ssa' ? 'server-side apply' : rel.applyMethod === 'csa' ? 'client-side apply' : 'client-side apply (defaulted)';
  return (
    `NAME: ${rel.name}\nCHART: ${str(md.name)}\nVERSION: ${str(md.version)}\nAPP_VERSION: ${str(md.appVersion)}\n` +
    `ANNOTATIONS: ${set(annotations)}\nLABELS: ${set(labels)}\nDEPENDENCIES: ${dependencies.map((d) => str(d.name)).sort().join(',')}\n` +
    `NAMESPACE: ${rel.namespace}\nREVISION: ${rel.version}\nSTATUS: ${rel.info.status}\nDEPLOYED_AT: ${deployedAt}\nAPPLY_METHOD: ${method}\n`
  );
}

function getCommand(io: CliIO): CommandModule {
  const sub = (what: 'values' | 'manifest' | 'notes' | 'hooks' | 'all' | 'metadata'): CommandModule => ({
    command: `${what} <release>`,
    describe: what === 'metadata' ? 'fetch the metadata of a named release' : `download the ${what === 'all' ? 'information' : what} of a named release`,
    builder: (y) => {
      let b = withClusterFlags(y)
        .positional('release', { type: 'string' })
        .option('revision', { type: 'number', default: 0, describe: 'get the named release with revision' });
      if (what === 'values') b = b.option('all', { alias: 'a', type: 'boolean', default: false, describe: 'dump all (computed) values' }).option('output', { alias: 'o', type: 'string', default: 'table' });
      if (what === 'metadata') b = b.option('output', { alias: 'o', type: 'string', default: 'table', describe: 'prints the output in the specified format: table, json, yaml' });
      return b;
    },
    handler: (argv) =>
      run(async () => {
        const ctx = await context(argv, io);
        const rel = await getRelease(ctx, String(argv.release), Number(argv.revision)).catch((e) => {
          throw new UserError((e as Error).message);
        });
        switch (what) {
          case 'values': {
            const format = checkOutput(argv.output);
            const all = Boolean(argv.all);
            const vals = releaseValues(rel, all);
            if (format === 'json') io.stdout.write(toJson(vals) + '\n');
            else if (format === 'yaml') io.stdout.write(toYaml(vals));
            else io.stdout.write(`${all ? 'COMPUTED' : 'USER-SUPPLIED'} VALUES:\n${toYaml(vals)}`);
            return;
          }
          case 'manifest':
            io.stdout.write(`${rel.manifest}\n`);
            return;
          case 'notes':
            if (rel.info.notes.length > 0) io.stdout.write(`NOTES:\n${rel.info.notes}\n`);
            return;
          case 'hooks':
            for (const h of rel.hooks) io.stdout.write(`---\n# Source: ${h.path}\n${h.manifest}\n`);
            return;
          case 'metadata':
            io.stdout.write(releaseMetadata(rel, checkOutput(argv.output), Number(argv.revision)));
            return;
          case 'all': {
            const md = rel.chart?.metadata ?? {};
            let out = `NAME: ${rel.name}\nLAST DEPLOYED: ${ansic(rel.info.lastDeployed)}\nNAMESPACE: ${rel.namespace}\nSTATUS: ${rel.info.status}\nREVISION: ${rel.version}\n`;
            out += `CHART: ${String(md.name ?? '')}\nVERSION: ${String(md.version ?? '')}\nAPP_VERSION: ${String(md.appVersion ?? '')}\nDESCRIPTION: ${rel.info.description}\n`;
            for (const h of rel.hooks) {
              if (!h.events.includes('test') || !h.lastRun.startedAt) continue;
              out += `TEST SUITE:     ${h.name}\nLast Started:   ${ansic(h.lastRun.startedAt)}\nLast Completed: ${ansic(h.lastRun.completedAt)}\nPhase:          ${h.lastRun.phase}\n`;
            }
            out += `USER-SUPPLIED VALUES:\n${toYaml(releaseValues(rel, false))}\nCOMPUTED VALUES:\n${toYaml(releaseValues(rel, true))}\n`;
            out += 'HOOKS:\n';
            for (const h of rel.hooks) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
            out += `MANIFEST:\n${rel.manifest}\n`;
            if (rel.info.notes.trim() !== '') out += `NOTES:\n${rel.info.notes.trim()}\n`;
            io.stdout.write(out);
            return;
          }
        }
      }),
  });
  return {
    command: 'get <command>',
    describe: 'download extended information of a named release',
    builder: (y) => y.command(sub('values')).command(sub('manifest')).command(sub('notes')).command(sub('hooks')).command(sub('all')).command(sub('metadata')).demandCommand(1),
    handler: () => undefined,
  };
}

function testCommand(io: CliIO): CommandModule {
  return {
    command: 'test <release>',
    describe: 'run the tests of a release',
    builder: (y) =>
      withClusterFlags(y)
        .positional('release', { type: 'string' })
        .option('timeout', { type: 'string', default: '5m0s' })
        .option('filter', { type: 'string', array: true, describe: 'name=NAME to run only that test, !name=NAME to skip it' })
        .option('hide-notes', { type: 'boolean', default: false }),
    handler: (argv) =>
      run(async () => {
        const ctx = await context(argv, io);
        let rel: Release;
        try {
          rel = await testRelease(ctx, String(argv.release), { timeoutMs: parseDuration(String(argv.timeout)), filter: splitCommas(argv.filter) });
        } catch (e) {
          const r = (e as { release?: Release }).release;
          if (r) printStatus(io, r, { notes: false });
          throw new UserError((e as Error).message);
        }
        printStatus(io, rel, { notes: !argv['hide-notes'] });
      }),
  };
}

function recoverCommand(io: CliIO): CommandModule {
  return {
    command: 'recover <release>',
    describe: 'mark a release left pending-install/upgrade/rollback by a killed process as failed, so it can be upgraded or rolled back',
    builder: (y) => withClusterFlags(y).positional('release', { type: 'string' }),
    handler: (argv) =>
      run(async () => {
        const ctx = await context(argv, io);
        const rel = await recover(ctx, String(argv.release)).catch((e) => {
          throw new UserError((e as Error).message);
        });
        io.stdout.write(`release "${rel.name}" revision ${rel.version} marked failed: ${rel.info.description}\n`);
      }),
  };
}

/** Every release command, for src/cli/index.ts to register. */
export function releaseCommands(io: CliIO): CommandModule[] {
  return [
    installCommand(io),
    upgradeCommand(io),
    rollbackCommand(io),
    uninstallCommand(io),
    historyCommand(io),
    statusCommand(io),
    listCommand(io),
    getCommand(io),
    testCommand(io),
    recoverCommand(io),
  ];
}

