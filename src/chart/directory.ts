// Chart directories: Helm's LoadDir walk (pkg/chart/v2/loader/directory.go over internal/sympath).
//
// The tree is walked in lexical order per directory (Go's sort.Strings), symbolic links are followed (the link's
// own path is kept), .helmignore rules plus `templates/.?*` prune files and whole directories, irregular files are
// an error, files over 5 MiB are an error, and a UTF-8 BOM is stripped from each file.
import { readdirSync, readFileSync, lstatSync, statSync, realpathSync, readlinkSync, existsSync, openSync, fstatSync, readSync, closeSync, type Dirent, type Stats } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { compareGoStrings } from '../template/value.js';
import { LazyChartFile, type ChartFile, type FileSource } from './chart.js';
import { ChartError } from './errors.js';
import { HELMIGNORE, IgnoreRules } from './ignore.js';
import { MAX_DECOMPRESSED_FILE_SIZE, stripBom } from './archive.js';
import { goQuote } from './metadata.js';

export interface DirectoryOptions {
  maxFileSize?: number;
  /**
   * Read the files loading does not need (everything but metadata, values, schema, templates and subchart
   * archives) on first use rather than now. For a command that renders and exits (`template`): most of them are
   * never read. A command that keeps the chart (install, diff, apply) reads everything at once, as Helm does, so
   * its renders and release records all see the chart as it was when loaded.
   */
  readOnUse?: boolean;
}

/**
 * File contents by absolute path, reused while the file's identity and times are unchanged (device, inode, size,
 * modification and change times), so that a process loading one chart many times (a chart rendered for fifteen
 * regions) reads each file once. Every load still walks and stats the whole tree. As git does for its index, a file
 * modified shortly before it was read is not trusted (a rewrite within the file system's timestamp granularity could
 * keep every stat field): only contents read well after their modification time are reused.
 */
const fileCache = new Map<string, { sig: string; data: Uint8Array }>();
const FILE_CACHE_LIMIT = 20000;
const RACY_MS = 3000;

function statSignature(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Names (relative to their own chart) that loading a chart reads; `templates/` files are read too. */
const LOADED_NAMES = new Set(['Chart.yaml', 'values.yaml', 'values.schema.json', 'Chart.lock', 'requirements.yaml', 'requirements.lock']);

/**
 * Whether loading the chart needs the file's bytes (metadata, values, schema, templates, subchart archives), for
 * the root chart and for subcharts vendored as directories (`charts/<name>/...`). Every other file is read on first
 * use: a template's `.Files` call, packaging, a release record. Getting this wrong costs time, never correctness.
 */
function readWhenLoaded(rel: string): boolean {
  let p = rel;
  for (;;) {
    if (p.startsWith('templates/')) return true;
    const slash = p.indexOf('/');
    if (slash < 0) return LOADED_NAMES.has(p);
    if (!p.startsWith('charts/')) return false;
    const rest = p.slice('charts/'.length);
    const i = rest.indexOf('/');
    if (i < 0) return true; // charts/<name>.tgz
    p = rest.slice(i + 1);
  }
}

/**
 * Sources of lazily read files by absolute path, reused while the file's stat signature holds (as `fileCache`), so
 * that reloading an unchanged chart hands out the same sources and the chart cache recognises it without reading.
 */
const sourceCache = new Map<string, { sig: string; source: FileSource }>();

/**
 * Keeps `entry` for `abs` in `cache` when the file was last changed well before now (see RACY_MS), else forgets
 * what the cache held for it.
 */
function remember<T>(cache: Map<string, T>, abs: string, st: Stats, entry: T): void {
  if (st.mtimeMs < Date.now() - RACY_MS && st.ctimeMs < Date.now() - RACY_MS) {
    if (cache.size >= FILE_CACHE_LIMIT) cache.clear();
    cache.set(abs, entry);
  } else {
    cache.delete(abs);
  }
}

/** Helm's error for a chart file over the size limit. */
function tooLarge(rel: string, maxFile: number): ChartError {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return new ChartError(`chart file ${goQuote(base)} is larger than the maximum file size ${maxFile}`, rel);
}

function lazySource(abs: string, rel: string, st: Stats, maxFile: number): FileSource {
  const sig = statSignature(st);
  const cached = sourceCache.get(abs);
  if (cached !== undefined && cached.sig === sig) return cached.source;
  let data: Uint8Array | undefined;
  const source: FileSource = {
    bytes(): Uint8Array {
      if (data !== undefined) return data;
      let raw: Buffer;
      try {
        raw = readFileSync(abs);
      } catch (e) {
        throw new ChartError(`error reading ${rel}: ${errText(e)}`, rel);
      }
      // The file may have grown since the walk checked its size.
      if (raw.length > maxFile) throw tooLarge(rel, maxFile);
      data = stripBom(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      return data;
    },
  };
  remember(sourceCache, abs, st, { sig, source });
  return source;
}

/** The files of a chart directory as Helm's directory loader sees them. */
export function readDirectoryFilesSync(dir: string, opts: DirectoryOptions = {}): ChartFile[] {
  return new SyncWalk(dir, opts).run();
}

/**
 * Helm's walk (internal/sympath), with few system calls: the directory listing's entry types stand in for an lstat
 * of each regular file and subdirectory, and a file is opened, fstat'ed and read through one descriptor.
 */
class SyncWalk {
  private readonly maxFile: number;
  private readonly readOnUse: boolean;
  private readonly topdir: string;
  private rules = IgnoreRules.empty();
  private readonly files: ChartFile[] = [];
  private readonly active = new Set<string>();

  constructor(dir: string, opts: DirectoryOptions) {
    this.maxFile = opts.maxFileSize ?? MAX_DECOMPRESSED_FILE_SIZE;
    this.readOnUse = opts.readOnUse ?? false;
    this.topdir = resolve(dir);
  }

  run(): ChartFile[] {
    const ifile = join(this.topdir, HELMIGNORE);
    let hasIgnore = false;
    try {
      statSync(ifile);
      hasIgnore = true;
    } catch {
      hasIgnore = false;
    }
    if (hasIgnore) this.rules = IgnoreRules.parse(readFileSync(ifile).toString('utf8'));
    this.rules.addDefaults();
    const top = lstatSync(this.topdir);
    this.active.add(this.topdir);
    this.visit(this.topdir, '', top);
    return this.files;
  }

  /** symwalk: `info` is the Lstat of `abs` (or of a link's target). */
  private visit(abs: string, rel: string, info: Stats): void {
    if (info.isSymbolicLink()) {
      this.visitLink(abs, rel);
      return;
    }
    if (info.isDirectory()) {
      this.visitDir(abs, rel);
      return;
    }
    this.visitFile(abs, rel, info);
  }

  private visitLink(abs: string, rel: string): void {
    let resolved: string;
    try {
      resolved = realpathSync(abs);
    } catch (e) {
      // Go's EvalSymlinks names the missing link target: `lstat /target: no such file or directory`.
      let detail = errText(e);
      if ((e as { code?: string }).code === 'ENOENT') {
        try {
          const link = readlinkSync(abs);
          detail = `lstat ${resolve(dirname(abs), link)}: no such file or directory`;
        } catch {
          // keep Node's message
        }
      }
      throw new ChartError(`error evaluating symlink ${abs}: ${detail}`, rel);
    }
    const target = lstatSync(resolved);
    if (target.isDirectory()) {
      if (this.active.has(resolved)) throw new ChartError(`symbolic link cycle at ${abs}`, rel);
      this.active.add(resolved);
      try {
        this.visit(abs, rel, target);
      } finally {
        this.active.delete(resolved);
      }
      return;
    }
    this.visit(abs, rel, target);
  }

  private visitDir(abs: string, rel: string): void {
    if (rel !== '' && this.rules.ignores(rel, true)) return;
    const entries: Dirent[] = readdirSync(abs, { withFileTypes: true });
    entries.sort((a, b) => compareGoStrings(a.name, b.name));
    for (const e of entries) {
      const name = e.name;
      const childAbs = join(abs, name);
      const childRel = rel === '' ? name : `${rel}/${name}`;
      if (e.isFile()) this.visitFile(childAbs, childRel, null);
      else if (e.isDirectory()) this.visitDir(childAbs, childRel);
      else if (e.isSymbolicLink()) this.visitLink(childAbs, childRel);
      else this.visit(childAbs, childRel, lstatSync(childAbs));
    }
  }

  private checkFile(abs: string, rel: string, info: Stats): void {
    if (!info.isFile()) throw new ChartError(`cannot load irregular file ${abs} as it has file mode type bits set`, rel);
    if (info.size > this.maxFile) throw tooLarge(rel, this.maxFile);
  }

  /** A file; `info` is its Lstat, or null when the directory listing said it is a regular file. */
  private visitFile(abs: string, rel: string, info: Stats | null): void {
    if (rel === '' || this.rules.ignores(rel, false)) return;
    if (this.readOnUse && !readWhenLoaded(rel)) {
      this.visitLazyFile(abs, rel);
      return;
    }
    const cached = fileCache.get(abs);
    if (cached !== undefined || info !== null) {
      const st = info ?? lstatSync(abs);
      this.checkFile(abs, rel, st);
      if (cached !== undefined && cached.sig === statSignature(st)) {
        this.files.push({ name: rel, data: cached.data });
        return;
      }
      if (info !== null) {
        let data: Buffer;
        try {
          data = readFileSync(abs);
        } catch (e) {
          throw new ChartError(`error reading ${rel}: ${errText(e)}`, rel);
        }
        this.add(abs, rel, st, data);
        return;
      }
    }
    const { fd, st } = this.openChecked(abs, rel);
    try {
      let data = Buffer.allocUnsafe(st.size);
      let got = 0;
      try {
        while (got < st.size) {
          const n = readSync(fd, data, got, st.size - got, null);
          if (n === 0) break;
          got += n;
        }
      } catch (e) {
        throw new ChartError(`error reading ${rel}: ${errText(e)}`, rel);
      }
      if (got < st.size) data = data.subarray(0, got);
      this.add(abs, rel, st, data);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A file read on first use. It is opened now, so that a file Helm could not read (permissions) fails the load as
   * in Helm, with the same error, and its size is checked now; its bytes are read later.
   */
  private visitLazyFile(abs: string, rel: string): void {
    const { fd, st } = this.openChecked(abs, rel);
    closeSync(fd);
    this.files.push(new LazyChartFile(rel, lazySource(abs, rel, st, this.maxFile)));
  }

  /** Opens a file and checks it as Helm's loader does (regular, within the size limit); the caller closes `fd`. */
  private openChecked(abs: string, rel: string): { fd: number; st: Stats } {
    let fd: number;
    try {
      fd = openSync(abs, 'r');
    } catch (e) {
      this.checkFile(abs, rel, lstatSync(abs));
      throw new ChartError(`error reading ${rel}: ${errText(e)}`, rel);
    }
    try {
      const st = fstatSync(fd);
      this.checkFile(abs, rel, st);
      return { fd, st };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private add(abs: string, rel: string, st: Stats, data: Buffer): void {
    const bytes = stripBom(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    remember(fileCache, abs, st, { sig: statSignature(st), data: bytes });
    this.files.push({ name: rel, data: bytes });
  }
}


export function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
