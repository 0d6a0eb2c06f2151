// The loaded chart: Helm's chart.Chart (pkg/chart/v2) with its subcharts linked both ways.
//
// Loaded charts are treated as immutable so one load can serve many renders (see `digest`); dependency processing
// (src/values) builds a new tree of Chart objects rather than editing this one.
import { createHash } from 'node:crypto';
import type { GoMap } from '../template/value.js';
import type { Lock, Metadata } from './metadata.js';

/** A file of a chart: a path relative to the chart root ('/'-separated) and its bytes. */
export interface ChartFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Where a file's bytes come from when they are read on first use (see `LazyChartFile`). */
export interface FileSource {
  /** The bytes (read once, then kept); throws a ChartError naming the file when they cannot be read. */
  bytes(): Uint8Array;
}

/**
 * A chart file whose bytes are read on first use. Most of a chart directory's files (files/, docs, CRDs, examples)
 * are only read if a template asks `.Files` for them, the chart is packaged or its release record is written, so
 * a directory chart reads its templates and values when loaded and the rest on demand.
 */
export class LazyChartFile implements ChartFile {
  constructor(
    readonly name: string,
    readonly source: FileSource,
  ) {}

  get data(): Uint8Array {
    return this.source.bytes();
  }
}

/** The same file under another name (a subchart's files lose their `charts/<name>/` prefix); a lazy one stays lazy. */
export function renamedFile(f: ChartFile, name: string): ChartFile {
  return f instanceof LazyChartFile ? new LazyChartFile(name, f.source) : { name, data: f.data };
}

/** What stands for a file's content without reading it: its lazy source, or its bytes (compared by identity). */
export function contentIdentity(f: ChartFile): unknown {
  return f instanceof LazyChartFile ? f.source : f.data;
}

/** A CRD file of a chart or one of its subcharts (Chart.CRDObjects). */
export interface CrdObject {
  /** Name within its own chart, e.g. 'crds/foo.yaml'. */
  readonly name: string;
  /** Path including the chart's full path, e.g. 'root/charts/sub/crds/foo.yaml'. */
  readonly filename: string;
  readonly file: ChartFile;
}

export interface ChartInit {
  metadata: Metadata;
  lock?: Lock | null;
  templates?: ChartFile[];
  values?: GoMap;
  rawValues?: Uint8Array | null;
  schema?: Uint8Array | null;
  files?: ChartFile[];
  raw?: ChartFile[];
  /** The digest holder of the chart this one copies (copies share it: computed at most once, on first use). */
  digest?: { value?: string };
}

export class Chart {
  /** Chart.yaml (validated and sanitized), plus requirements.yaml for apiVersion v1 charts. */
  metadata: Metadata;
  /** Chart.lock (or requirements.lock for v1 charts), null when absent. */
  lock: Lock | null;
  /** templates/** in load order. */
  templates: ChartFile[];
  /** values.yaml, every document merged; an empty map when the chart has none. */
  values: GoMap;
  /** values.yaml exactly as read (`helm show values`), null when absent. */
  rawValues: Uint8Array | null;
  /** values.schema.json bytes, null when absent. */
  schema: Uint8Array | null;
  /** Every other file: what `.Files` shows (crds/**, README, requirements.yaml of v1 charts, charts/*.prov ...). */
  files: ChartFile[];
  /** Every file the chart was loaded from, subcharts' files included. */
  raw: ChartFile[];
  parent: Chart | null = null;
  dependencies: Chart[] = [];
  private readonly digestCache: { value?: string };

  constructor(init: ChartInit) {
    this.metadata = init.metadata;
    this.lock = init.lock ?? null;
    this.templates = init.templates ?? [];
    this.values = init.values ?? (Object.create(null) as GoMap);
    this.rawValues = init.rawValues ?? null;
    this.schema = init.schema ?? null;
    this.files = init.files ?? [];
    this.raw = init.raw ?? [];
    this.digestCache = init.digest ?? {};
  }

  get name(): string {
    return this.metadata.name;
  }

  get isRoot(): boolean {
    return this.parent === null;
  }

  get root(): Chart {
    return this.parent === null ? this : this.parent.root;
  }

  get isLibrary(): boolean {
    return this.metadata.type === 'library';
  }

  get appVersion(): string {
    return this.metadata.appVersion;
  }

  /** Helm's ChartFullPath: `root/charts/sub/charts/subsub` (names are aliases once dependencies are processed). */
  get fullPath(): string {
    return this.parent === null ? this.name : `${this.parent.fullPath}/charts/${this.name}`;
  }

  /** Helm's ChartPath: `root.sub.subsub`. */
  get chartPath(): string {
    return this.parent === null ? this.name : `${this.parent.chartPath}.${this.name}`;
  }

  /** Sets the subcharts (Helm's SetDependencies): each one's parent becomes this chart. */
  setDependencies(charts: Chart[]): void {
    this.dependencies = [];
    this.addDependency(...charts);
  }

  addDependency(...charts: Chart[]): void {
    for (const c of charts) {
      c.parent = this;
      this.dependencies.push(c);
    }
  }

  /** A shallow copy: same files, values and metadata objects, no parent, the same subchart list (copied array). */
  shallowCopy(): Chart {
    const c = new Chart({
      metadata: this.metadata,
      lock: this.lock,
      templates: this.templates,
      values: this.values,
      rawValues: this.rawValues,
      schema: this.schema,
      files: this.files,
      raw: this.raw,
      digest: this.digestCache,
    });
    c.dependencies = [...this.dependencies];
    return c;
  }

  /**
   * sha256 over every raw file (path and bytes, in load order), hex. Equal digests mean equal chart sources, so a
   * render cache can key on it. Copies made during dependency processing keep the digest of their source.
   */
  get digest(): string {
    if (this.digestCache.value === undefined) {
      const h = createHash('sha256');
      const len = Buffer.alloc(8);
      for (const f of this.raw) {
        const name = Buffer.from(f.name, 'utf8');
        len.writeBigUInt64BE(BigInt(name.length));
        h.update(len).update(name);
        len.writeBigUInt64BE(BigInt(f.data.length));
        h.update(len).update(f.data);
      }
      this.digestCache.value = h.digest('hex');
    }
    return this.digestCache.value;
  }

  /** CRD manifests (crds/*.yaml|yml|json, any case) of this chart then of each subchart, recursively. */
  crdObjects(): CrdObject[] {
    const out: CrdObject[] = [];
    for (const f of this.files) {
      if (f.name.startsWith('crds/') && /\.(ya?ml|json)$/i.test(f.name)) {
        out.push({ name: f.name, filename: `${this.fullPath}/${f.name}`, file: f });
      }
    }
    for (const d of this.dependencies) out.push(...d.crdObjects());
    return out;
  }

  /** Every chart of the tree, this one first, depth first in dependency order. */
  *walk(): Generator<Chart> {
    yield this;
    for (const d of this.dependencies) yield* d.walk();
  }
}
