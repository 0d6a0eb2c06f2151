// State values merging as helmfile does it (pkg/maputil MergeMaps, documented in docs/values-and-merging.md):
// maps merge deeply and later values win; lists are replaced, except that a list holding a null merges element by
// element ("sparse"); --state-values-set style overrides always merge lists element by element.
import { newMap, isMap, type GoMap, type GoValue } from '../template/value.js';

export type ArrayStrategy = 'sparse' | 'merge' | 'replace';

export function mergeValues(a: GoMap, b: GoMap, arrays: ArrayStrategy = 'sparse'): GoMap {
  const out = newMap();
  for (const k of Object.keys(a)) out[k] = a[k]!;
  for (const k of Object.keys(b)) {
    const v = b[k]!;
    const cur = out[k];
    if (isMap(v) && cur !== undefined && isMap(cur)) {
      out[k] = mergeValues(cur, v, arrays);
    } else if (Array.isArray(v) && Array.isArray(cur)) {
      out[k] = mergeLists(cur, v, arrays);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function mergeLists(a: GoValue[], b: GoValue[], arrays: ArrayStrategy): GoValue[] {
  const elementWise = arrays === 'merge' || (arrays === 'sparse' && b.some((x) => x === null));
  if (!elementWise) return b;
  const out: GoValue[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a[i]! : null;
    const y = i < b.length ? b[i]! : null;
    if (y === null) out.push(x);
    else if (isMap(x) && isMap(y)) out.push(mergeValues(x, y, arrays));
    else out.push(y);
  }
  return out;
}

/** A deep copy of maps and lists (templates may mutate what they are given, e.g. setValueAtPath). */
export function cloneValue(x: GoValue): GoValue {
  if (Array.isArray(x)) return x.map(cloneValue);
  if (isMap(x)) {
    const m = newMap();
    for (const k of Object.keys(x)) m[k] = cloneValue(x[k]!);
    return m;
  }
  return x;
}

export function cloneMap(m: GoMap): GoMap {
  return cloneValue(m) as GoMap;
}
