// The `.Files` object of a chart's templates: Helm's engine.files, a map[string][]byte from chart-relative path to
// content, with methods Get, GetBytes, Glob, Lines, AsConfig and AsSecrets.
//
// It is a Go map value (kind map, type engine.files), so `range $path, $bytes := .Files`, `index .Files "x"` and
// `len .Files` behave as on any map; its methods are registered for the named type.
import { type GoMap, type GoValue, newMap, registerMethods, gofn, stringSlice, bytesToString, sortedKeys, GO_TYPE } from '../template/value.js';
import { toYaml } from '../yaml/index.js';
import { globMatcher } from './glob.js';
import { LazyChartFile, type ChartFile } from './chart.js';

export const FILES_TYPE = 'engine.files';

/**
 * A new engine.files map holding the given files (later duplicates win, as in Go). A file not read yet
 * (LazyChartFile) is an entry whose bytes are read when a template first looks at it; assigning to the entry
 * replaces it with the assigned value, as on any map.
 */
export function newFiles(files: Iterable<ChartFile>): GoMap {
  const m = newMap(FILES_TYPE);
  for (const f of files) {
    if (!(f instanceof LazyChartFile)) {
      m[f.name] = f.data; // over an earlier lazy entry of the same name, its setter makes this a plain value
      continue;
    }
    Object.defineProperty(m, f.name, {
      enumerable: true,
      configurable: true,
      get: () => f.data,
      set(v: GoValue) {
        Object.defineProperty(m, f.name, { value: v, enumerable: true, configurable: true, writable: true });
      },
    });
  }
  return m;
}

function entry(f: GoMap, name: string): Uint8Array | undefined {
  const v = Object.prototype.hasOwnProperty.call(f, name) ? f[name] : undefined;
  return v instanceof Uint8Array ? v : undefined;
}

function baseName(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return p === '' ? '.' : '/';
  const i = t.lastIndexOf('/');
  return i < 0 ? t : t.slice(i + 1);
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** toYAML in Helm's files.go: marshal errors swallowed, one trailing newline removed. */
function toYamlTrimmed(v: GoValue): string {
  try {
    const s = toYaml(v);
    return s.endsWith('\n') ? s.slice(0, -1) : s;
  } catch {
    return '';
  }
}

function flatten(f: GoMap, encode: (b: Uint8Array) => string): string {
  const m = newMap();
  for (const k of sortedKeys(f)) {
    const b = entry(f, k);
    if (b !== undefined) m[baseName(k)] = encode(b);
  }
  return toYamlTrimmed(m);
}

registerMethods(FILES_TYPE, {
  /** The file's bytes; an empty []byte when the file is absent. */
  GetBytes: gofn(['string'], (f: GoMap, name: string) => entry(f, name) ?? new Uint8Array(0), undefined, '[]uint8'),
  /** The file as a string; "" when absent. */
  Get: gofn(['string'], (f: GoMap, name: string) => {
    const b = entry(f, name);
    return b === undefined ? '' : bytesToString(b);
  }, undefined, 'string'),
  /** A new files map with the paths the gobwas glob matches. */
  Glob: gofn(['string'], (f: GoMap, pattern: string) => {
    const match = globMatcher(pattern);
    const out = newMap(f[GO_TYPE] ?? FILES_TYPE);
    for (const k of Object.keys(f)) if (match(k)) out[k] = f[k]!;
    return out;
  }, undefined, 'engine.files'),
  /** Lines of a file: one trailing \n dropped, then split on \n; an empty []string when absent. */
  Lines: gofn(['string'], (f: GoMap, name: string) => {
    const b = entry(f, name);
    if (b === undefined) return stringSlice([]);
    // Helm indexes the last byte unguarded: an empty file panics.
    if (b.length === 0) throw new Error('runtime error: index out of range [-1]');
    let s = bytesToString(b);
    if (b[b.length - 1] === 0x0a) s = s.slice(0, -1);
    return stringSlice(s.split('\n'));
  }, undefined, '[]string'),
  /** YAML map of base name → content (for ConfigMap data). */
  AsConfig: gofn([], (f: GoMap) => flatten(f, bytesToString), undefined, 'string'),
  /** YAML map of base name → base64 content (for Secret data). */
  AsSecrets: gofn([], (f: GoMap) => flatten(f, base64), undefined, 'string'),
});
