// The release record exactly as Helm 4 stores it (pkg/release/v1): JSON with Helm's field names, order and
// omission rules, Go's time layout (RFC3339Nano with the zone), []byte fields base64, maps with sorted keys and
// Go's number and string encoding; stored as base64(gzip(json)) like pkg/storage/driver/util.go.
//
// A record bosun reads from Helm keeps the parts it does not interpret (chart metadata, lock, files) as decoded Go
// values and writes them back with the same struct layouts, so a status change rewrites the record byte-for-byte
// like Helm would.
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseJson, quoteJsonString, toJson } from '../yaml/index.js';
import { fromPlain, isMap, newMap, type GoMap, type GoValue } from '../template/value.js';

export type ReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

export const isPending = (s: ReleaseStatus): boolean => s === 'pending-install' || s === 'pending-upgrade' || s === 'pending-rollback';

export interface ReleaseInfo {
  /** Times as Go writes them (RFC3339Nano, local zone); '' when zero. */
  firstDeployed: string;
  lastDeployed: string;
  deleted: string;
  description: string;
  status: ReleaseStatus;
  notes: string;
}

export interface HookExecution {
  startedAt: string;
  completedAt: string;
  /** '', Unknown, Running, Succeeded, Failed */
  phase: string;
}

export interface ReleaseHook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  lastRun: HookExecution;
  weight: number;
  deletePolicies: string[];
  outputLogPolicies: string[];
}

/** A chart file in a record: data kept base64 (as stored), modtime '' when zero. */
export interface RecordFile {
  name: string;
  data: string;
  modtime: string;
}

export interface ChartRecord {
  /** Chart.yaml as Go values (keys as Helm's json tags). */
  metadata: GoMap;
  lock: GoMap | null;
  templates: RecordFile[] | null;
  values: GoMap | null;
  /** values.schema.json base64, null when none. */
  schema: string | null;
  schemaModTime: string;
  files: RecordFile[] | null;
  modTime: string;
}

export interface Release {
  name: string;
  info: ReleaseInfo;
  chart: ChartRecord | null;
  /** The user-supplied values (helm get values). */
  config: GoMap | null;
  manifest: string;
  hooks: ReleaseHook[];
  version: number;
  namespace: string;
  /** Helm 4: "ssa" or "csa" ('' when absent, as in Helm 3 records). */
  applyMethod: string;
  /** Custom labels (--labels), stored on the storage object, not in the JSON. */
  labels: Record<string, string>;
  /** Every label of the storage object it was read from, helm's own included (as helm 4's get metadata reports them). */
  storageLabels?: Record<string, string>;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

// ---------------------------------------------------------------------------------------------------------------
// Time

let lastNs = 0n;

/** time.Now() formatted like Go's time.Time MarshalJSON (RFC3339Nano, trailing zeros trimmed, local zone). */
export function goNow(): string {
  // Wall clock in ms plus a monotonic sub-millisecond part, kept strictly increasing.
  let ns = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  return formatGoTime(ns);
}

/** Formats nanoseconds since the epoch in the local zone, as Go's RFC3339Nano. */
export function formatGoTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const offMin = -d.getTimezoneOffset();
  const local = new Date(ms + offMin * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const zone = offMin === 0 ? 'Z' : `${offMin > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offMin) / 60))}:${pad(Math.abs(offMin) % 60)}`;
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac ? '.' + frac : ''}${zone}`
  );
}

/** Parses a Go RFC3339(Nano) time into a Date plus its nanoseconds (0 for ''). */
export function parseGoTime(s: string): { date: Date; nanos: number; zone: string } | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return null;
  const frac = (m[7] ?? '').padEnd(9, '0').slice(0, 9);
  const base = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  let offMin = 0;
  if (m[8] !== 'Z') offMin = (m[8]![0] === '-' ? -1 : 1) * (+m[8]!.slice(1, 3) * 60 + +m[8]!.slice(4, 6));
  return { date: new Date(base - offMin * 60_000 + Math.floor(+frac / 1e6)), nanos: +frac, zone: m[8]! };
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding: Go struct layouts

type FieldKind = 'string' | 'bool' | 'strings' | 'any' | 'time' | 'int';
interface Field {
  json: string;
  kind: FieldKind | StructSpec | { list: StructSpec };
  /** omitempty / omitzero */
  omit: boolean;
}
type StructSpec = Field[];

const MAINTAINER: StructSpec = [
  { json: 'name', kind: 'string', omit: true },
  { json: 'email', kind: 'string', omit: true },
  { json: 'url', kind: 'string', omit: true },
];
const DEPENDENCY: StructSpec = [
  { json: 'name', kind: 'string', omit: false },
  { json: 'version', kind: 'string', omit: true },
  { json: 'repository', kind: 'string', omit: false },
  { json: 'condition', kind: 'string', omit: true },
  { json: 'tags', kind: 'strings', omit: true },
  { json: 'enabled', kind: 'bool', omit: true },
  { json: 'import-values', kind: 'any', omit: true },
  { json: 'alias', kind: 'string', omit: true },
];
const METADATA: StructSpec = [
  { json: 'name', kind: 'string', omit: true },
  { json: 'home', kind: 'string', omit: true },
  { json: 'sources', kind: 'strings', omit: true },
  { json: 'version', kind: 'string', omit: true },
  { json: 'description', kind: 'string', omit: true },
  { json: 'keywords', kind: 'strings', omit: true },
  { json: 'maintainers', kind: { list: MAINTAINER }, omit: true },
  { json: 'icon', kind: 'string', omit: true },
  { json: 'apiVersion', kind: 'string', omit: true },
  { json: 'condition', kind: 'string', omit: true },
  { json: 'tags', kind: 'string', omit: true },
  { json: 'appVersion', kind: 'string', omit: true },
  { json: 'deprecated', kind: 'bool', omit: true },
  { json: 'annotations', kind: 'any', omit: true },
  { json: 'kubeVersion', kind: 'string', omit: true },
  { json: 'dependencies', kind: { list: DEPENDENCY }, omit: true },
  { json: 'type', kind: 'string', omit: true },
];
const LOCK: StructSpec = [
  { json: 'generated', kind: 'time', omit: false },
  { json: 'digest', kind: 'string', omit: false },
  { json: 'dependencies', kind: { list: DEPENDENCY }, omit: false },
];

function isEmpty(v: GoValue | undefined): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

function encodeStruct(spec: StructSpec, v: GoMap): string {
  const parts: string[] = [];
  for (const f of spec) {
    const x = v[f.json];
    if (f.omit && isEmpty(x)) continue;
    parts.push(`${quoteJsonString(f.json)}:${encodeField(f, x)}`);
  }
  return `{${parts.join(',')}}`;
}

function encodeField(f: Field, x: GoValue | undefined): string {
  const k = f.kind;
  if (k === 'string') return quoteJsonString(typeof x === 'string' ? x : '');
  if (k === 'bool') return x === true ? 'true' : 'false';
  if (k === 'int') return String(typeof x === 'number' ? Math.trunc(x) : 0);
  if (k === 'time') return quoteJsonString(typeof x === 'string' && x !== '' ? x : ZERO_TIME);
  if (k === 'strings' || k === 'any') return x === undefined || x === null ? 'null' : toJson(x);
  if (Array.isArray(k)) return isMap(x ?? null) ? encodeStruct(k, x as GoMap) : 'null';
  if (!Array.isArray(x)) return 'null';
  return `[${x.map((e) => (isMap(e) ? encodeStruct(k.list, e) : 'null')).join(',')}]`;
}

const q = (s: string) => quoteJsonString(s);

function encodeFiles(files: RecordFile[] | null): string {
  if (files === null) return 'null';
  return `[${files.map((f) => `{"name":${q(f.name)},"data":${q(f.data)}${f.modtime ? `,"modtime":${q(f.modtime)}` : ''}}`).join(',')}]`;
}

/** The JSON of a chart record, once per record object (a release is written at least twice: pending, then final). */
const encodedCharts = new WeakMap<ChartRecord, string>();

function encodeChart(c: ChartRecord | null): string {
  if (c === null) return 'null';
  let json = encodedCharts.get(c);
  if (json === undefined) {
    json = encodeChartOnce(c);
    encodedCharts.set(c, json);
  }
  return json;
}

function encodeChartOnce(c: ChartRecord): string {
  return (
    `{"metadata":${encodeStruct(METADATA, c.metadata)},"lock":${c.lock === null ? 'null' : encodeStruct(LOCK, c.lock)},` +
    `"templates":${encodeFiles(c.templates)},"values":${c.values === null ? 'null' : toJson(c.values)},` +
    `"schema":${c.schema === null ? 'null' : q(c.schema)},"schemamodtime":${q(c.schemaModTime || ZERO_TIME)},` +
    `"files":${encodeFiles(c.files)}${c.modTime ? `,"modtime":${q(c.modTime)}` : ''}}`
  );
}

function encodeHook(h: ReleaseHook): string {
  const run: string[] = [];
  if (h.lastRun.startedAt) run.push(`"started_at":${q(h.lastRun.startedAt)}`);
  if (h.lastRun.completedAt) run.push(`"completed_at":${q(h.lastRun.completedAt)}`);
  run.push(`"phase":${q(h.lastRun.phase)}`);
  const parts = [
    `"name":${q(h.name)}`,
    `"kind":${q(h.kind)}`,
    `"path":${q(h.path)}`,
    `"manifest":${q(h.manifest)}`,
    `"events":${h.events.length ? toJson(h.events) : 'null'}`,
    `"last_run":{${run.join(',')}}`,
  ];
  if (h.weight !== 0) parts.push(`"weight":${h.weight}`);
  if (h.deletePolicies.length) parts.push(`"delete_policies":${toJson(h.deletePolicies)}`);
  if (h.outputLogPolicies.length) parts.push(`"output_log_policies":${toJson(h.outputLogPolicies)}`);
  return `{${parts.join(',')}}`;
}

/**
 * The release as Helm 4's json.Marshal writes it. `status` shapes it as helm 4's status prints it: no chart, and
 * info.resources (the live objects by "version/Kind") when there are any.
 */
export function releaseJson(r: Release, status?: { resources: ReadonlyMap<string, unknown[]> }): string {
  const info: string[] = [];
  if (r.info.firstDeployed) info.push(`"first_deployed":${q(r.info.firstDeployed)}`);
  if (r.info.lastDeployed) info.push(`"last_deployed":${q(r.info.lastDeployed)}`);
  if (r.info.deleted) info.push(`"deleted":${q(r.info.deleted)}`);
  if (r.info.description) info.push(`"description":${q(r.info.description)}`);
  if (r.info.status) info.push(`"status":${q(r.info.status)}`);
  if (r.info.notes) info.push(`"notes":${q(r.info.notes)}`);
  // A Go map: its keys sorted; the objects are the server's JSON (unstructured maps: keys sorted too).
  if (status && status.resources.size > 0) info.push(`"resources":${toJson(fromPlain(Object.fromEntries(status.resources)))}`);
  const parts: string[] = [];
  if (r.name) parts.push(`"name":${q(r.name)}`);
  parts.push(`"info":{${info.join(',')}}`);
  if (!status) parts.push(`"chart":${encodeChart(r.chart)}`);
  if (r.config !== null && Object.keys(r.config).length > 0) parts.push(`"config":${toJson(r.config)}`);
  if (r.manifest) parts.push(`"manifest":${q(r.manifest)}`);
  if (r.hooks.length) parts.push(`"hooks":[${r.hooks.map(encodeHook).join(',')}]`);
  if (r.version) parts.push(`"version":${r.version}`);
  if (r.namespace) parts.push(`"namespace":${q(r.namespace)}`);
  if (r.applyMethod) parts.push(`"apply_method":${q(r.applyMethod)}`);
  return `{${parts.join(',')}}`;
}

/** base64(gzip(json)) — the string Helm puts in a Secret's data (base64 again on the wire), a ConfigMap or SQL. */
export function encodeRelease(r: Release): string {
  return gzipSync(Buffer.from(releaseJson(r), 'utf8'), { level: 9 }).toString('base64');
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

export class ReleaseDecodeError extends Error {}

/** Decodes a stored release (base64 of gzip'd or plain JSON, as Helm accepts). */
export function decodeRelease(data: string): Release {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(data, 'base64');
    if (bytes.length >= 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) bytes = gunzipSync(bytes);
  } catch (e) {
    throw new ReleaseDecodeError(`failed to decode release data: ${(e as Error).message}`);
  }
  return releaseFromJson(bytes.toString('utf8'));
}

const str = (v: GoValue | undefined): string => (typeof v === 'string' ? v : '');
const num = (v: GoValue | undefined): number => (typeof v === 'number' ? Math.trunc(v) : 0);
const strs = (v: GoValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const mapOrNull = (v: GoValue | undefined): GoMap | null => (isMap(v ?? null) ? (v as GoMap) : null);

function filesOf(v: GoValue | undefined): RecordFile[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter(isMap).map((f) => ({ name: str(f.name), data: str(f.data), modtime: str(f.modtime) === ZERO_TIME ? '' : str(f.modtime) }));
}

export function releaseFromJson(text: string): Release {
  let v: GoValue;
  try {
    v = parseJson(text);
  } catch (e) {
    throw new ReleaseDecodeError(`failed to decode release JSON: ${(e as Error).message}`);
  }
  if (!isMap(v)) throw new ReleaseDecodeError('failed to decode release JSON: not an object');
  const info = mapOrNull(v.info) ?? newMap();
  const c = mapOrNull(v.chart);
  const time = (x: GoValue | undefined) => (str(x) === ZERO_TIME ? '' : str(x));
  return {
    name: str(v.name),
    info: {
      firstDeployed: time(info.first_deployed),
      lastDeployed: time(info.last_deployed),
      deleted: time(info.deleted),
      description: str(info.description),
      status: (str(info.status) || 'unknown') as ReleaseStatus,
      notes: str(info.notes),
    },
    chart: c && {
      metadata: mapOrNull(c.metadata) ?? newMap(),
      lock: mapOrNull(c.lock),
      templates: filesOf(c.templates),
      values: mapOrNull(c.values),
      schema: typeof c.schema === 'string' ? c.schema : null,
      schemaModTime: str(c.schemamodtime),
      files: filesOf(c.files),
      modTime: time(c.modtime),
    },
    config: mapOrNull(v.config),
    manifest: str(v.manifest),
    hooks: (Array.isArray(v.hooks) ? v.hooks : []).filter(isMap).map((h) => {
      const run = mapOrNull(h.last_run) ?? newMap();
      return {
        name: str(h.name),
        kind: str(h.kind),
        path: str(h.path),
        manifest: str(h.manifest),
        events: strs(h.events),
        lastRun: { startedAt: time(run.started_at), completedAt: time(run.completed_at), phase: str(run.phase) },
        weight: num(h.weight),
        deletePolicies: strs(h.delete_policies),
        outputLogPolicies: strs(h.output_log_policies),
      };
    }),
    version: num(v.version),
    namespace: str(v.namespace),
    applyMethod: str(v.apply_method),
    labels: {},
  };
}

/** Chart name-version as `helm list` shows it. */
export function chartLabel(r: Release): string {
  const md = r.chart?.metadata;
  return md ? `${str(md.name)}-${str(md.version)}` : 'MISSING';
}

export function appVersion(r: Release): string {
  return str(r.chart?.metadata.appVersion);
}

export function chartName(r: Release): string {
  return str(r.chart?.metadata.name);
}

/** A deep copy (records are mutated through a lifecycle; stored copies must not change). */
export function cloneRelease(r: Release): Release {
  return releaseFromJsonKeepLabels(releaseJson(r), r.labels);
}

function releaseFromJsonKeepLabels(text: string, labels: Record<string, string>): Release {
  const out = releaseFromJson(text);
  out.labels = { ...labels };
  return out;
}
