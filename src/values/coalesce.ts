// Helm's coalescing of user values with chart defaults (pkg/chart/common/util/coalesce.go, Helm 4).
//
//   - user values win over chart defaults; maps merge recursively; scalars and lists replace
//   - a user nil deletes the key (CoalesceValues); MergeValues keeps nils so a later coalesce can apply them
//   - each subchart sees vals[subName], which must be a map (or absent); the parent's `global` map is copied into
//     the subchart's `global`, the parent's entries winning
//   - type clashes are skipped with a warning (returned through `warn`, never printed)
//
// Maps are Go maps: JavaScript objects here, shared by reference exactly where Helm shares them, because Helm's
// results depend on that aliasing in a few places (coalesceTables writes nils into its source table).
import { type GoMap, type GoValue, newMap, isMap, typeName } from '../template/value.js';
import { sprint } from '../template/fmt.js';
import type { Chart } from '../chart/index.js';
import { goQuote } from '../chart/index.js';

export const GLOBAL_KEY = 'global';

/** Receives Helm's coalesce warnings (what helm logs on stderr). */
export type Warn = (message: string) => void;

const noWarn: Warn = () => {};

/** Coalescing failed (only a subchart key holding a non-map value does this). */
export class CoalesceError extends Error {}

function has(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/** fmt's %v. */
function v(x: GoValue): string {
  return sprint([x]);
}

/** copystructure.Copy of a values tree: maps and slices copied deeply, everything else shared. */
export function deepCopy(x: GoValue): GoValue {
  if (Array.isArray(x)) return x.map(deepCopy);
  if (isMap(x)) {
    const m = newMap();
    for (const k of Object.keys(x)) m[k] = deepCopy(x[k]!);
    return m;
  }
  return x;
}

export function deepCopyMap(m: GoMap): GoMap {
  return deepCopy(m) as GoMap;
}

/** CoalesceValues: the chart's values (with subcharts') under `vals`; user nils delete keys. `vals` is not modified. */
export function coalesceValues(chart: Chart, vals: GoMap | null, warn: Warn = noWarn): GoMap {
  const copy = vals === null ? newMap() : deepCopyMap(vals);
  return coalesce(warn, chart, copy, '', false);
}

/** MergeValues: like coalesceValues but nils are kept (so a later coalesce still sees them). */
export function mergeValues(chart: Chart, vals: GoMap | null, warn: Warn = noWarn): GoMap {
  const copy = vals === null ? newMap() : deepCopyMap(vals);
  return coalesce(warn, chart, copy, '', true);
}

function coalesce(warn: Warn, ch: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  coalesceChartValues(warn, ch, dest, prefix, merge);
  return coalesceDeps(warn, ch, dest, prefix, merge);
}

/** Go's %t applied to a non-bool, as in `type mismatch on sub: %!t(string=x)`. */
function badVerbT(x: GoValue): string {
  if (typeof x === 'boolean') return String(x);
  if (x === null) return '%!t(<nil>)';
  return `%!t(${typeName(x)}=${v(x)})`;
}

function coalesceDeps(warn: Warn, ch: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  for (const sub of ch.dependencies) {
    const name = sub.name;
    if (!has(dest, name)) dest[name] = newMap();
    else if (!isMap(dest[name]!)) throw new CoalesceError(`type mismatch on ${name}: ${badVerbT(dest[name]!)}`);
    const dvmap = dest[name] as GoMap;
    const subPrefix = concatPrefix(prefix, ch.name);
    coalesceGlobals(warn, dvmap, dest, subPrefix);
    dest[name] = coalesce(warn, sub, dvmap, subPrefix, merge);
  }
  return dest;
}

/** Copies src's globals into dest's `global` (src entries win; maps merged). */
function coalesceGlobals(warn: Warn, dest: GoMap, src: GoMap, prefix: string): void {
  let dg: GoMap;
  let sg: GoMap;
  if (!has(dest, GLOBAL_KEY)) dg = newMap();
  else if (isMap(dest[GLOBAL_KEY]!)) dg = dest[GLOBAL_KEY] as GoMap;
  else {
    warn(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`);
    return;
  }
  if (!has(src, GLOBAL_KEY)) sg = newMap();
  else if (isMap(src[GLOBAL_KEY]!)) sg = src[GLOBAL_KEY] as GoMap;
  else {
    warn(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`);
    return;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key]!;
    if (isMap(val)) {
      const vv = newMap();
      for (const k of Object.keys(val)) vv[k] = val[k]!;
      if (!has(dg, key)) dg[key] = vv;
      else {
        const destv = dg[key]!;
        if (!isMap(destv)) warn(`Conflict: cannot merge map onto non-map for ${goQuote(key)}. Skipping.`);
        else {
          coalesceTablesFullKey(warn, vv, destv, concatPrefix(prefix, key), true);
          dg[key] = vv;
        }
      }
    } else if (has(dg, key) && isMap(dg[key]!)) {
      warn(`key ${key} is table. Skipping`);
    } else {
      dg[key] = val;
    }
  }
  dest[GLOBAL_KEY] = dg;
}

function isSubchart(ch: Chart, key: string): boolean {
  return ch.dependencies.some((d) => d.name === key);
}

/** Fills v with the chart's default values where v has none (v wins). */
function coalesceChartValues(warn: Warn, c: Chart, v: GoMap, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, c.name);
  const vc = deepCopyMap(c.values);
  for (const key of Object.keys(vc)) {
    const val = vc[key]!;
    if (has(v, key)) {
      const value = v[key]!;
      if (value === null && !merge) {
        delete v[key];
      } else if (isMap(value)) {
        if (!isMap(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          const m = isSubchart(c, key) ? true : merge;
          coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), m);
        }
      }
    } else {
      v[key] = val;
    }
  }
}

/** CoalesceTables: src merged under dst (dst authoritative; dst nils delete). Returns dst. */
export function coalesceTables(dst: GoMap | null, src: GoMap | null, warn: Warn = noWarn): GoMap | null {
  return coalesceTablesFullKey(warn, dst, src, '', false);
}

/** MergeTables: like coalesceTables but dst nils are kept. */
export function mergeTables(dst: GoMap | null, src: GoMap | null, warn: Warn = noWarn): GoMap | null {
  return coalesceTablesFullKey(warn, dst, src, '', true);
}

function coalesceTablesFullKey(warn: Warn, dst: GoMap | null, src: GoMap | null, prefix: string, merge: boolean): GoMap | null {
  if (src === null) return dst;
  if (dst === null) return src;
  // A dst nil removes the key only where src had a real value: nil over nil (a chart default left empty) stays.
  const srcNonNil = new Set(Object.keys(src).filter((k) => src[k] !== null));
  for (const key of Object.keys(dst)) {
    if (dst[key] === null) src[key] = null;
  }
  for (const key of Object.keys(src)) {
    const val = src[key]!;
    const fullkey = concatPrefix(prefix, key);
    const ok = has(dst, key);
    const dv = ok ? dst[key]! : null;
    if (ok && !merge && dv === null && srcNonNil.has(key)) {
      delete dst[key];
    } else if (!ok) {
      dst[key] = val;
    } else if (isMap(val)) {
      if (isMap(dv)) coalesceTablesFullKey(warn, dv, val, fullkey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullkey} (${v(val)})`);
    } else if (isMap(dv) && val !== null) {
      warn(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${v(val)})`);
    }
  }
  return dst;
}
