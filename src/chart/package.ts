// `helm package` (Helm 4.1: pkg/action/package.go, pkg/chart/v2/util/save.go): a chart directory becomes
// `<name>-<version>.tgz`, written exactly as Helm writes it:
//
//   - gzip with Helm's header (no name, mtime 0, the extra field Helm stamps and the comment "Helm");
//   - a USTAR tar of regular files only (mode 0644, uid/gid 0, no directory entries), every path under `<name>/`;
//   - in order: Chart.yaml re-serialized from the validated metadata (sigs.k8s.io/yaml: sorted keys, Go's
//     omitempty; a v1 chart keeps its dependencies in requirements.yaml), Chart.lock re-serialized (v2 only),
//     values.yaml and values.schema.json as read, the templates, the other files (.helmignore applied at load),
//     then each subchart the same way under `charts/<name>/` — archives in charts/ are expanded, not kept;
//   - each entry keeps the modification time of its source file (for archived subcharts, the time recorded in
//     their archive); Chart.lock is stamped with its `generated` time.
import { statSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deflateRawSync, gunzipSync } from 'node:zlib';
import { compareGoStrings, newMap, newSlice, type GoMap, type GoValue } from '../template/value.js';
import { toYaml } from '../yaml/index.js';
import type { Chart } from './chart.js';
import { ChartError } from './errors.js';
import { loadChart } from './load.js';
import { API_VERSION_V1, API_VERSION_V2, validateMetadata, type Dependency, type Lock, type Metadata } from './metadata.js';
import { parseSemVer } from './semver.js';

/** The extra field Helm writes into every chart archive's gzip header. */
const GZIP_EXTRA = new TextEncoder().encode('+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=');
const GZIP_COMMENT = 'Helm';

export class PackageError extends Error {
  constructor(
    message: string,
    /**
     * The file concerned, relative to the chart directory being packaged, when helm's message does not already name
     * a path (`Chart.yaml`, `charts/sub/values.schema.json`, ...).
     */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PackageOptions {
  /** -d/--destination: the directory the archive goes to (created when missing). Default: the working directory. */
  destination?: string;
  /** --version: replaces the chart's version (must be a SemVer). */
  version?: string;
  /** --app-version: replaces the chart's appVersion. */
  appVersion?: string;
}

export interface ArchiveEntry {
  /** Path inside the archive, '/'-separated, starting with `<chart name>/`. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Modification time, whole seconds since the epoch. */
  readonly mtime: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Chart.yaml and Chart.lock as sigs.k8s.io/yaml marshals chart.Metadata / chart.Lock

function putString(m: GoMap, key: string, v: string): void {
  if (v !== '') m[key] = v;
}

function putList(m: GoMap, key: string, v: readonly GoValue[] | undefined): void {
  if (v !== undefined && v.length > 0) m[key] = newSlice([...v]);
}

function dependencyMap(d: Dependency): GoMap {
  const m = newMap();
  m.name = d.name;
  putString(m, 'version', d.version);
  m.repository = d.repository;
  putString(m, 'condition', d.condition);
  putList(m, 'tags', d.tags);
  if (d.enabled) m.enabled = true;
  putList(m, 'import-values', d.importValues);
  putString(m, 'alias', d.alias);
  return m;
}

/** chart.Metadata as JSON sees it (omitempty everywhere), ready for the YAML encoder. */
export function metadataValue(md: Metadata): GoMap {
  const m = newMap();
  putString(m, 'name', md.name);
  putString(m, 'home', md.home);
  putList(m, 'sources', md.sources);
  putString(m, 'version', md.version);
  putString(m, 'description', md.description);
  putList(m, 'keywords', md.keywords);
  if (md.maintainers !== undefined && md.maintainers.length > 0) {
    m.maintainers = newSlice(
      md.maintainers.map((x) => {
        if (x === null) return null;
        const o = newMap();
        putString(o, 'name', x.name);
        putString(o, 'email', x.email);
        putString(o, 'url', x.url);
        return o;
      }),
    );
  }
  putString(m, 'icon', md.icon);
  putString(m, 'apiVersion', md.apiVersion);
  putString(m, 'condition', md.condition);
  putString(m, 'tags', md.tags);
  putString(m, 'appVersion', md.appVersion);
  if (md.deprecated) m.deprecated = true;
  if (md.annotations !== undefined && Object.keys(md.annotations).length > 0) {
    const a = newMap();
    for (const k of Object.keys(md.annotations).sort(compareGoStrings)) a[k] = md.annotations[k]!;
    m.annotations = a;
  }
  putString(m, 'kubeVersion', md.kubeVersion);
  if (md.dependencies !== undefined && md.dependencies.length > 0) {
    m.dependencies = newSlice(md.dependencies.map((d) => (d === null ? null : dependencyMap(d))));
  }
  putString(m, 'type', md.type);
  return m;
}

/** The Chart.yaml bytes Helm writes into an archive. A v1 chart's dependencies stay in requirements.yaml. */
export function serializeChartfile(md: Metadata): string {
  const copy: Metadata = { ...md };
  if (copy.apiVersion === API_VERSION_V1) copy.dependencies = undefined;
  return toYaml(metadataValue(copy));
}

interface GoTime {
  /** Seconds since the epoch. */
  seconds: number;
  /** RFC 3339 with Go's RFC3339Nano layout (fraction without trailing zeros, Z or ±hh:mm). */
  text: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** time.Time as Chart.lock's `generated` holds it; undefined when the text is not RFC 3339. */
function parseGoTime(s: string): GoTime | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const offset = zone === 'Z' || zone === 'z' ? 0 : (zone!.startsWith('-') ? -1 : 1) * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6)));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const fraction = (frac ?? '').slice(0, 9).replace(/0+$/, '');
  const zoneText = offset === 0 && (zone === 'Z' || zone === 'z') ? 'Z' : zone!;
  // Go's tar writer rounds modification times to the nearest second.
  const half = Number(`0.${frac ?? '0'}`) >= 0.5 ? 1 : 0;
  return {
    seconds: Math.floor(utc / 1000) - offset * 60 + half,
    text: `${y}-${mo}-${d}T${h}:${mi}:${se}${fraction ? '.' + fraction : ''}${zoneText}`,
  };
}

/** The Chart.lock bytes Helm writes (json tags generated, digest, dependencies; no omitempty on the lock itself). */
export function serializeLock(lock: Lock): string {
  const m = newMap();
  m.generated = parseGoTime(lock.generated)?.text ?? (lock.generated === '' ? '0001-01-01T00:00:00Z' : lock.generated);
  m.digest = lock.digest;
  m.dependencies = lock.dependencies === undefined ? null : newSlice(lock.dependencies.map((d) => (d === null ? null : dependencyMap(d))));
  return toYaml(m);
}

// ---------------------------------------------------------------------------------------------------------------
// Modification times

interface TarHeader {
  /** Full path (USTAR prefix, PAX `path` or GNU long name applied). */
  name: string;
  type: string;
  mtime: number;
}

/** The file headers of an uncompressed tar stream (PAX, GNU long-name and global headers folded in). */
function tarHeaders(tar: Uint8Array): TarHeader[] {
  const buf = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  const out: TarHeader[] = [];
  let off = 0;
  let paxPath: string | undefined;
  let paxMtime: number | undefined;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (o: number, n: number) => h.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      for (const rec of body.toString('utf8').split('\n')) {
        const kv = rec.replace(/^\d+ /, '');
        if (kv.startsWith('path=')) paxPath = kv.slice(5);
        if (kv.startsWith('mtime=')) paxMtime = Math.floor(Number(kv.slice(6)));
      }
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(257, 6) === 'ustar' ? field(345, 155) : '';
    const name = paxPath ?? longName ?? (prefix !== '' ? `${prefix}/${field(0, 100)}` : field(0, 100));
    out.push({ name, type, mtime: paxMtime ?? parseInt(field(136, 12).trim() || '0', 8) });
    paxPath = paxMtime = longName = undefined;
  }
  return out;
}

/** Names (first path component removed, as the chart loader names files) and mtimes of a chart archive's files. */
function archiveMtimes(data: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch {
    return out;
  }
  for (const h of tarHeaders(tar)) {
    const parts = h.name.split(h.name.includes('\\') ? '\\' : '/');
    const rel = parts.slice(1).filter((p) => p !== '' && p !== '.').join('/');
    if (rel !== '') out.set(rel, h.mtime);
  }
  return out;
}

/** Where the files of one chart of the tree came from, to find their modification times. */
type Source = { kind: 'dir'; dir: string } | { kind: 'archive'; mtimes: Map<string, number> } | { kind: 'none' };

function mtimeIn(source: Source, name: string, fallback: number): number {
  if (source.kind === 'dir') {
    try {
      return Math.floor(statSync(join(source.dir, name)).mtimeMs / 1000 + 0.5);
    } catch {
      return fallback;
    }
  }
  if (source.kind === 'archive') return source.mtimes.get(name) ?? fallback;
  return fallback;
}

/**
 * The source of each subchart: the loader groups charts/ by first path component (`.prov` files aside), in Go
 * string order, skipping names that start with `_` or `.`; a group is a directory or a `.tgz`.
 */
function subchartSources(chart: Chart, source: Source): Source[] {
  const groups = new Map<string, Array<{ name: string; data: Uint8Array }>>();
  for (const f of chart.raw) {
    if (!f.name.startsWith('charts/') || f.name.endsWith('.prov')) continue;
    const rest = f.name.slice('charts/'.length);
    const n = rest.split('/', 1)[0]!;
    if (n.startsWith('_') || n.startsWith('.')) continue;
    let g = groups.get(n);
    if (!g) groups.set(n, (g = []));
    g.push({ name: rest, data: f.data });
  }
  const names = [...groups.keys()].sort(compareGoStrings);
  if (names.length !== chart.dependencies.length) return chart.dependencies.map(() => ({ kind: 'none' }));
  return names.map((n, i): Source => {
    const sub = chart.dependencies[i]!;
    const g = groups.get(n)!;
    if (n.endsWith('.tgz')) {
      const data = g[0]!.data;
      return { kind: 'archive', mtimes: archiveMtimes(data) };
    }
    // A directory: its files must be the subchart's raw files.
    const inner = g.filter((f) => f.name.includes('/')).map((f) => f.name.slice(n.length + 1));
    if (inner.length !== sub.raw.length || inner.some((x, j) => x !== sub.raw[j]!.name)) return { kind: 'none' };
    if (source.kind === 'dir') return { kind: 'dir', dir: join(source.dir, 'charts', n) };
    if (source.kind === 'archive') {
      const mtimes = new Map<string, number>();
      for (const [k, v] of source.mtimes) if (k.startsWith(`charts/${n}/`)) mtimes.set(k.slice(`charts/${n}/`.length), v);
      return { kind: 'archive', mtimes };
    }
    return { kind: 'none' };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Archive contents

function baseNameOf(name: string): string {
  const t = name.replace(/\/+$/, '');
  return t === '' ? (name === '' ? '.' : '/') : t.slice(t.lastIndexOf('/') + 1);
}

/** `rel` is the chart's folder relative to the packaged chart ('' for it, `charts/sub` for a subchart). */
function collectEntries(chart: Chart, prefix: string, rel: string, source: Source, now: number, out: ArchiveEntry[]): void {
  const name = chart.metadata.name;
  if (baseNameOf(name) !== name) throw new PackageError(`chart name ${JSON.stringify(name)} is invalid`, 'Chart.yaml');
  const base = prefix === '' ? name : `${prefix}/${name}`;
  const enc = new TextEncoder();
  const add = (rel: string, data: Uint8Array, mtime: number) => out.push({ name: `${base}/${rel}`, data, mtime });

  add('Chart.yaml', enc.encode(serializeChartfile(chart.metadata)), mtimeIn(source, 'Chart.yaml', now));
  if (chart.metadata.apiVersion === API_VERSION_V2 && chart.lock !== null) {
    const t = parseGoTime(chart.lock.generated);
    add('Chart.lock', enc.encode(serializeLock(chart.lock)), t?.seconds ?? 0);
  }
  if (chart.rawValues !== null) add('values.yaml', chart.rawValues, mtimeIn(source, 'values.yaml', now));
  if (chart.schema !== null) {
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(chart.schema));
    } catch {
      // Named relative to the chart being packaged (`values.schema.json`, `charts/sub/values.schema.json`).
      throw new PackageError('invalid JSON in values.schema.json', rel === '' ? 'values.schema.json' : `${rel}/values.schema.json`);
    }
    add('values.schema.json', chart.schema, mtimeIn(source, 'values.schema.json', now));
  }
  for (const f of chart.templates) add(f.name, f.data, mtimeIn(source, f.name, now));
  for (const f of chart.files) add(f.name, f.data, mtimeIn(source, f.name, now));
  const subs = subchartSources(chart, source);
  chart.dependencies.forEach((d, i) => collectEntries(d, `${base}/charts`, rel === '' ? `charts/${d.name}` : `${rel}/charts/${d.name}`, subs[i]!, now, out));
}

/**
 * The entries of a chart's archive, in Helm's order. `sourceDir` is the directory the chart was loaded from (for
 * modification times); without it every entry gets `now` (seconds).
 */
export function archiveEntries(chart: Chart, sourceDir?: string, now = Math.floor(Date.now() / 1000)): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  collectEntries(chart, '', '', sourceDir === undefined ? { kind: 'none' } : { kind: 'dir', dir: sourceDir }, now, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// tar and gzip as Go's archive/tar and compress/gzip write them

function octalField(n: number, width: number): string {
  const s = n.toString(8);
  return s.length < width - 1 ? '0'.repeat(width - 1 - s.length) + s : s;
}

/** Go's splitUSTARPath: a name that fits USTAR's prefix (155) and name (100) fields split at a '/'. */
function splitUstar(name: string): [string, string] | undefined {
  const bytes = Buffer.byteLength(name);
  if (bytes <= 100) return ['', name];
  if (bytes > 256) return undefined;
  for (let i = Math.min(name.length - 1, 155); i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return [prefix, rest];
  }
  return undefined;
}

function header(name: string, prefix: string, size: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octalField(0o644, 8) + '\0', 100, 'latin1');
  h.write(octalField(0, 8) + '\0', 108, 'latin1');
  h.write(octalField(0, 8) + '\0', 116, 'latin1');
  h.write(octalField(size, 12) + '\0', 124, 'latin1');
  h.write(octalField(Math.max(0, mtime), 12) + '\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(octalField(0, 8) + '\0', 329, 'latin1');
  h.write(octalField(0, 8) + '\0', 337, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octalField(sum, 7) + '\0 ', 148, 'latin1');
  return h;
}

/** The longest prefix of `s` that fits `n` UTF-8 bytes. */
function truncateBytes(s: string, n: number): string {
  let out = s;
  while (Buffer.byteLength(out) > n) out = out.slice(0, -1);
  return out;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

/** A PAX record: "<len> key=value\n" where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** A tar stream of regular files as Go's tar.Writer writes Helm's headers (USTAR; PAX for names USTAR cannot hold). */
export function writeTar(entries: readonly ArchiveEntry[]): Buffer {
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const split = splitUstar(e.name);
    if (split === undefined) {
      const rec = Buffer.from(paxRecord('path', e.name), 'utf8');
      // Go names the extended header <dir>/PaxHeaders.0/<base> (cut to the name field) and leaves its mtime zero.
      const slash = e.name.lastIndexOf('/');
      const paxName = `${e.name.slice(0, slash + 1)}PaxHeaders.0/${e.name.slice(slash + 1)}`;
      chunks.push(header(truncateBytes(paxName, 100), '', rec.length, 0, 'x'), rec, pad(rec.length));
      chunks.push(header(truncateBytes(e.name, 100), '', e.data.length, e.mtime, '0'));
    } else {
      chunks.push(header(split[1], split[0], e.data.length, e.mtime, '0'));
    }
    chunks.push(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength), pad(e.data.length));
  }
  chunks.push(Buffer.alloc(1024));
  return Buffer.concat(chunks);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** gzip with Helm's header: FEXTRA (Helm's stamp) and FCOMMENT ("Helm"), no name, mtime 0, OS unknown. */
export function gzipHelm(data: Uint8Array): Buffer {
  const head = Buffer.alloc(10);
  head.set([0x1f, 0x8b, 0x08, 0x14, 0, 0, 0, 0, 0, 0xff]);
  const xlen = Buffer.alloc(2);
  xlen.writeUInt16LE(GZIP_EXTRA.length);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc32(data), 0);
  tail.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([head, xlen, GZIP_EXTRA, Buffer.from(GZIP_COMMENT + '\0', 'latin1'), deflateRawSync(data), tail]);
}

/** The archive bytes for a loaded chart (see archiveEntries for `sourceDir`). */
export function chartArchive(chart: Chart, sourceDir?: string): Buffer {
  return gzipHelm(writeTar(archiveEntries(chart, sourceDir)));
}

// ---------------------------------------------------------------------------------------------------------------
// helm package

/** The dependencies Chart.yaml lists that charts/ lacks (action.CheckDependencies). */
function checkDependencies(chart: Chart): void {
  const missing: string[] = [];
  for (const d of chart.metadata.dependencies ?? []) {
    if (d === null) continue;
    if (!chart.dependencies.some((c) => c.name === d.name)) missing.push(d.name);
  }
  if (missing.length > 0) throw new PackageError(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`, 'Chart.yaml');
}

function statError(path: string, e: unknown): PackageError {
  const code = (e as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : (e as Error).message;
  return new PackageError(`stat ${path}: ${why}`, undefined, { cause: e });
}

/**
 * Packages the chart directory at `path` as `helm package` does and returns the archive's path as helm prints it
 * (absolute unless a relative destination was given).
 */
export async function packageChart(path: string, opts: PackageOptions = {}): Promise<string> {
  try {
    statSync(path);
  } catch (e) {
    throw statError(path, e);
  }
  const abs = resolve(path);
  if (!statSync(abs).isDirectory()) {
    const cy = join(abs, 'Chart.yaml');
    throw new PackageError(`unable to detect chart at ${cy}: open ${cy}: not a directory`);
  }
  let chart: Chart;
  try {
    chart = await loadChart(abs);
  } catch (e) {
    if (e instanceof ChartError) throw new PackageError(e.helmMessage, e.file, { cause: e });
    throw e;
  }
  const md: Metadata = { ...chart.metadata };
  if (opts.version !== undefined && opts.version !== '') md.version = opts.version;
  try {
    parseSemVer(md.version);
  } catch {
    throw new PackageError('invalid semantic version', 'Chart.yaml');
  }
  if (opts.appVersion !== undefined && opts.appVersion !== '') md.appVersion = opts.appVersion;
  checkDependencies(chart);
  try {
    chart.metadata = validateMetadata(md);
  } catch (e) {
    throw new PackageError(`failed to save: chart validation: ${e instanceof ChartError ? e.helmMessage : String(e)}`, 'Chart.yaml');
  }

  const destination = opts.destination === undefined || opts.destination === '.' ? process.cwd() : opts.destination;
  const file = join(destination, `${chart.metadata.name}-${chart.metadata.version}.tgz`);
  let bytes: Buffer;
  try {
    bytes = chartArchive(chart, abs);
  } catch (e) {
    if (e instanceof PackageError) throw new PackageError(`failed to save: ${e.message}`, e.file, { cause: e });
    throw e;
  }
  const dir = dirname(file);
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) throw new PackageError(`failed to save: is not a directory: ${dir}`);
  } catch (e) {
    if (e instanceof PackageError) throw e;
    const code = (e as { code?: string }).code;
    if (code !== 'ENOENT') throw new PackageError(`failed to save: stat ${dir}: ${statError(dir, e).message}`);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  }
  writeFileSync(file, bytes, { mode: 0o644 });
  return file;
}

/** The full path of every entry of a chart archive (gzipped tar), in order: for safety checks and tools. */
export function listArchive(data: Uint8Array): string[] {
  return tarHeaders(gunzipSync(data)).map((h) => h.name);
}
