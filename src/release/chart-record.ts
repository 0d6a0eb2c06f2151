// The chart part of a release record from a loaded chart (Helm serializes the root chart only: metadata, lock,
// templates, values, schema, files; subcharts are not stored), and back: a Chart carrying a record's values, for
// `get values --all` and --reuse-values.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, emptyMetadata, type Dependency, type Lock, type Metadata } from '../chart/index.js';
import { newMap, newSlice, type GoMap, type GoValue } from '../template/value.js';
import { formatGoTime, type ChartRecord, type RecordFile } from './record.js';

function depMap(d: Dependency | null): GoValue {
  if (d === null) return null;
  const m = newMap();
  m.name = d.name;
  m.version = d.version;
  m.repository = d.repository;
  m.condition = d.condition;
  if (d.tags) m.tags = newSlice([...d.tags]);
  m.enabled = d.enabled;
  if (d.importValues) m['import-values'] = newSlice([...d.importValues]);
  m.alias = d.alias;
  return m;
}

export function metadataMap(md: Metadata): GoMap {
  const m = newMap();
  m.name = md.name;
  m.home = md.home;
  if (md.sources) m.sources = newSlice([...md.sources]);
  m.version = md.version;
  m.description = md.description;
  if (md.keywords) m.keywords = newSlice([...md.keywords]);
  if (md.maintainers) {
    m.maintainers = newSlice(
      md.maintainers.map((x) => {
        if (x === null) return null;
        const mm = newMap();
        mm.name = x.name;
        mm.email = x.email;
        mm.url = x.url;
        return mm;
      }),
    );
  }
  m.icon = md.icon;
  m.apiVersion = md.apiVersion;
  m.condition = md.condition;
  m.tags = md.tags;
  m.appVersion = md.appVersion;
  m.deprecated = md.deprecated;
  if (md.annotations) {
    const a = newMap();
    for (const [k, v] of Object.entries(md.annotations)) a[k] = v;
    m.annotations = a;
  }
  m.kubeVersion = md.kubeVersion;
  if (md.dependencies) m.dependencies = newSlice(md.dependencies.map(depMap));
  m.type = md.type;
  return m;
}

function lockMap(l: Lock): GoMap {
  const m = newMap();
  m.generated = l.generated;
  m.digest = l.digest;
  m.dependencies = l.dependencies ? newSlice(l.dependencies.map(depMap)) : null;
  return m;
}

/** The modification time of a chart file when the chart is a directory on disk ('' otherwise). */
function mtimeOf(dir: string | undefined, name: string): string {
  if (!dir) return '';
  try {
    const st = statSync(join(dir, name), { bigint: true });
    return formatGoTime(st.mtimeNs);
  } catch {
    return '';
  }
}

const b64 = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64');

/** The record of the root chart. `dir` (a chart directory) supplies Helm 4's file modification times. */
export function chartRecordOf(chart: Chart, dir?: string): ChartRecord {
  // One record per loaded chart and path, shared by every release made from it (a fleet makes hundreds): the files'
  // modification times are read once, as helm reads them once when it loads the chart, and the record's JSON is
  // encoded once (record.ts memoizes it by record). Records are never modified.
  let byDir = records.get(chart);
  if (!byDir) records.set(chart, (byDir = new Map()));
  let rec = byDir.get(dir ?? '');
  if (!rec) byDir.set(dir ?? '', (rec = makeRecord(chart, dir)));
  return rec;
}

const records = new WeakMap<Chart, Map<string, ChartRecord>>();

function makeRecord(chart: Chart, dir?: string): ChartRecord {
  const isDir = (() => {
    if (!dir) return false;
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  })();
  const d = isDir ? dir : undefined;
  const file = (f: { name: string; data: Uint8Array }): RecordFile => ({ name: f.name, data: b64(f.data), modtime: mtimeOf(d, f.name) });
  return {
    metadata: metadataMap(chart.metadata),
    lock: chart.lock ? lockMap(chart.lock) : null,
    templates: chart.templates.length ? chart.templates.map(file) : null,
    values: chart.rawValues === null ? null : chart.values,
    schema: chart.schema ? b64(chart.schema) : null,
    schemaModTime: chart.schema ? mtimeOf(d, 'values.schema.json') : '',
    files: chart.files.length ? chart.files.map(file) : null,
    modTime: mtimeOf(d, 'Chart.yaml'),
  };
}

/** A Chart holding a record's values (no templates): enough to coalesce values as Helm does with a stored chart. */
export function chartFromRecord(rec: ChartRecord | null): Chart {
  const md: Metadata = { ...emptyMetadata(), name: typeof rec?.metadata.name === 'string' ? rec.metadata.name : '' };
  return new Chart({ metadata: md, values: rec?.values ?? newMap() });
}
