// Chart archives (.tgz): Helm's LoadArchiveFiles rules (pkg/chart/loader/archive).
//
// Every entry's first path component (the chart folder) is dropped; the rest is normalized (`\` paths from
// Windows archives included) and rejected when it is absolute, escapes the folder, names a drive or is the folder
// itself. Directories and pax headers are skipped; any other entry (symlinks too) becomes a file of its bytes.
// Sizes are bounded per file (5 MiB) and for the whole archive (100 MiB), a UTF-8 BOM is stripped from each file.
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { ReadEntry } from 'tar';
import type { ChartFile } from './chart.js';
import { ChartArchiveError } from './errors.js';
import { goQuote } from './metadata.js';

export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

export interface ArchiveLimits {
  maxChartSize?: number;
  maxFileSize?: number;
}

const BOM = [0xef, 0xbb, 0xbf];

export function stripBom(data: Uint8Array): Uint8Array {
  return data.length >= 3 && data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2] ? data.subarray(3) : data;
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = out.join('/');
  if (rooted) return '/' + s;
  return s === '' ? '.' : s;
}

/** Go's gzip reader errors, in Helm's words. */
function gunzip(data: Uint8Array, limit: number): Buffer {
  if (data.length < 10) throw new ChartArchiveError('unexpected EOF');
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 0x08) throw new ChartArchiveError('gzip: invalid header');
  try {
    // Tar framing adds headers and padding beyond the file bytes Helm counts; leave generous room.
    return gunzipSync(data, { maxOutputLength: limit * 2 + 64 * 1024 * 1024 });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ChartArchiveError(`decompressed chart is larger than the maximum size ${limit}`);
    if (code === 'Z_DATA_ERROR') {
      const msg = (e as Error).message;
      throw new ChartArchiveError(/check/i.test(msg) ? 'gzip: invalid checksum' : 'flate: corrupt input', undefined, msg);
    }
    throw new ChartArchiveError('unexpected EOF', undefined, (e as Error).message);
  }
}

interface RawEntry {
  name: string;
  type: string;
  size: number;
  data: Buffer;
}

// tar is loaded on first use (charts given as directories never need it).
type TarModule = typeof import('tar');
let tarModule: TarModule | undefined;
function tarLib(): TarModule {
  return (tarModule ??= createRequire(import.meta.url)('tar') as TarModule);
}

/** Lists tar entries with their bytes, synchronously. */
function readTar(tar: Buffer): RawEntry[] {
  const entries: RawEntry[] = [];
  let failure: Error | undefined;
  const parser = new (tarLib().Parser)({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        entries.push({ name: entry.path, type: entry.type, size: entry.size ?? 0, data: Buffer.concat(chunks) });
      });
    },
  });
  parser.on('error', (e: Error) => {
    failure ??= e;
  });
  parser.on('warn', (_code: string, message: string | Error) => {
    failure ??= message instanceof Error ? message : new Error(message);
  });
  parser.end(tar);
  // Go's reader ends quietly at the first zero block; node-tar calls an archive of only zero blocks unrecognized.
  if (failure && entries.length === 0 && tar.every((b) => b === 0)) return entries;
  if (failure) throw new ChartArchiveError('archive/tar: invalid tar header', undefined, failure.message);
  return entries;
}

const DRIVE = /^[a-zA-Z]:\//;

/**
 * The files of a chart archive with Helm's path and size rules. `source` names the archive in error details.
 */
export function readArchiveFiles(data: Uint8Array, limits: ArchiveLimits = {}): ChartFile[] {
  const maxChart = limits.maxChartSize ?? MAX_DECOMPRESSED_CHART_SIZE;
  const maxFile = limits.maxFileSize ?? MAX_DECOMPRESSED_FILE_SIZE;
  const tar = gunzip(data, maxChart);
  let remaining = maxChart;
  const files: ChartFile[] = [];
  for (const e of readTar(tar)) {
    if (e.type === 'Directory' || e.type === 'GNUDumpDir' || (e.type === 'OldFile' && e.name.endsWith('/'))) continue;
    if (e.type === 'ExtendedHeader' || e.type === 'GlobalExtendedHeader') continue;
    const delimiter = e.name.includes('\\') ? '\\' : '/';
    const parts = e.name.split(delimiter);
    let n = parts.slice(1).join(delimiter).split(delimiter).join('/');
    if (n.startsWith('/')) throw new ChartArchiveError('chart illegally contains absolute paths', e.name);
    n = cleanPath(n);
    if (n === '.') throw new ChartArchiveError(`chart illegally contains content outside the base directory: ${goQuote(e.name)}`, e.name);
    if (n.startsWith('..')) throw new ChartArchiveError('chart illegally references parent directory', e.name);
    if (DRIVE.test(n)) throw new ChartArchiveError('chart contains illegally named files', e.name);
    if (parts[0] === 'Chart.yaml') throw new ChartArchiveError('chart yaml not in base directory', e.name);
    if (e.size > remaining) throw new ChartArchiveError(`decompressed chart is larger than the maximum file size ${maxChart}`, e.name);
    if (e.size > maxFile) {
      throw new ChartArchiveError(`decompressed chart file ${goQuote(e.name)} is larger than the maximum file size ${maxFile}`, e.name);
    }
    remaining -= e.data.length;
    if (e.data.length < e.size || remaining < 0) throw new ChartArchiveError(`decompressed chart is larger than the maximum size ${maxChart}`, e.name);
    files.push({ name: n, data: stripBom(new Uint8Array(e.data)) });
  }
  if (files.length === 0) throw new ChartArchiveError('no files in chart archive');
  return files;
}

/** http.DetectContentType for the first 512 bytes, reduced to the cases Helm's archive check can meet. */
export function detectContentType(data: Uint8Array): string {
  const buf = new Uint8Array(512);
  buf.set(data.subarray(0, 512));
  const starts = (sig: number[] | string): boolean => {
    const b = typeof sig === 'string' ? Array.from(sig, (c) => c.charCodeAt(0)) : sig;
    return b.every((x, i) => buf[i] === x);
  };
  if (starts([0x1f, 0x8b, 0x08])) return 'application/x-gzip';
  if (starts('%PDF-')) return 'application/pdf';
  if (starts('PK\x03\x04')) return 'application/zip';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts('BZh')) return 'application/x-bzip2';
  if (starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'application/x-xz';
  if (starts('ustar') || (buf[257] === 0x75 && buf[258] === 0x73 && buf[259] === 0x74 && buf[260] === 0x61 && buf[261] === 0x72)) {
    return 'application/x-tar';
  }
  for (const b of buf) {
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return 'application/octet-stream';
  }
  return 'text/plain; charset=utf-8';
}

/**
 * Helm's EnsureArchive: a friendlier error when a top-level chart file is not gzip (e.g. a values.yaml passed
 * where a chart was expected). `name` is the path as given.
 */
export function ensureArchive(name: string, data: Uint8Array): void {
  const type = detectContentType(data);
  const gz = data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08;
  if (type === 'application/x-gzip' || gz) return;
  if (name.endsWith('.yml') || name.endsWith('.yaml')) {
    throw new ChartArchiveError(`file '${name}' seems to be a YAML file, but expected a gzipped archive`, name);
  }
  throw new ChartArchiveError(`file '${name}' does not appear to be a gzipped archive; got '${type}'`, name);
}
