// Sprig's dictionary functions (dict.go): map[string]interface{} helpers, mergo-based merging, deep copies and dig.
//
// Go iterates maps in random order; where Sprig's result order follows map iteration (keys, values), we use
// sorted key order, one of the orders Go may produce.
import { type GoFunc, type GoMap, type GoSlice, type GoValue, GO_TYPE, gofn, isMap, mapElemType, newMap, newSlice, sortedKeys, stringSlice, typeName } from '../value.js';
import { strval } from './cast.js';
import { isEmpty } from './defaults.js';

function dict(...v: GoValue[]): GoMap {
  const d = newMap();
  for (let i = 0; i < v.length; i += 2) {
    const key = strval(v[i]!);
    d[key] = i + 1 < v.length ? v[i + 1]! : '';
  }
  return d;
}

const untypedViews = new WeakMap<GoMap, GoMap>();

/**
 * The map as Sprig's functions hand it back: their parameter and result type is map[string]interface{}, so a named
 * map (common.Values) passed in comes back as the same map under the unnamed type. The view shares the storage.
 */
export function asUntypedMap(m: GoMap): GoMap {
  if (m[GO_TYPE] === undefined) return m;
  let view = untypedViews.get(m);
  if (view === undefined) {
    view = new Proxy(m, { get: (t, k) => (k === GO_TYPE ? undefined : Reflect.get(t, k)) });
    untypedViews.set(m, view);
  }
  return view;
}

function has(d: GoMap | null, key: string): boolean {
  return d !== null && Object.prototype.hasOwnProperty.call(d, key);
}

/**
 * mergo's deepMerge of two maps (dario.cat/mergo v1.0, as Sprig v3.3 calls it): without overwrite, missing or
 * empty destination values are filled from src and nested maps merge recursively; with overwrite, every src value
 * replaces the destination's except nested maps, which merge. A nil src value is skipped, or with overwrite
 * stored. Slices are never merged element-wise.
 */
function mergeMaps(dst: GoMap, src: GoMap, overwrite: boolean): void {
  const dstElem = mapElemType(dst);
  const srcElem = mapElemType(src);
  const assign = (key: string, v: GoValue) => {
    // reflect's SetMapIndex panics when the element types differ and src's is not assignable (only interface{} takes all).
    if (dstElem !== 'interface {}' && srcElem !== dstElem) {
      throw new Error(`reflect.Value.SetMapIndex: value of type ${srcElem} is not assignable to type ${dstElem}`);
    }
    dst[key] = v;
  };
  for (const key of sortedKeys(src)) {
    const s = src[key]!;
    const present = has(dst, key);
    const d = present ? dst[key]! : null;
    if (s === null) {
      if (overwrite) assign(key, null);
      continue;
    }
    if (isMap(s)) {
      if (present && isMap(d)) mergeMaps(d, s, overwrite);
      if (present && !isEmpty(d) && isMap(d)) continue;
    } else if (Array.isArray(s) || s instanceof Uint8Array) {
      if (present && !isEmpty(d)) {
        if (overwrite) assign(key, s);
        continue;
      }
    }
    if (overwrite || !present || isEmpty(d)) assign(key, s);
  }
}

function merge(overwrite: boolean) {
  return (dst: GoMap | null, ...srcs: (GoMap | null)[]): GoValue => {
    let d = dst;
    for (const src of srcs) {
      if (src === null) continue;
      if (d === null) d = newMap();
      mergeMaps(d, src, overwrite);
    }
    // A nil destination map prints as map[] in Go; we have no nil map, so an empty one stands for it.
    return d === null ? newMap() : asUntypedMap(d);
  };
}

/** copystructure.Copy: a deep copy keeping Go types; structs and other immutable values are shared. */
export function deepCopyValue(v: GoValue): GoValue {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) return newSlice(v.map(deepCopyValue), (v as GoSlice)[GO_TYPE]);
  if (isMap(v)) {
    const m = newMap(v[GO_TYPE]);
    for (const k of Object.keys(v)) m[k] = deepCopyValue(v[k]!);
    return m;
  }
  return v;
}

/** Sprig's deepCopy/mustDeepCopy: copystructure.Copy, which panics on nil (it asks the zero Value for its type). */
function deepCopy(v: GoValue): GoValue {
  if (v === null) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  return deepCopyValue(v);
}

function conversionPanic(v: GoValue, want: string): Error {
  return new Error(`interface conversion: interface {} is ${typeName(v)}, not ${want}`);
}

/** Sprig's dig: keys..., default, dict. Every step must be a plain map[string]interface{}. */
function dig(...ps: GoValue[]): GoValue {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const last = ps[ps.length - 1]!;
  if (!isMap(last) || last[GO_TYPE] !== undefined) throw conversionPanic(last, 'map[string]interface {}');
  const def = ps[ps.length - 2]!;
  const keys: string[] = [];
  for (let i = 0; i < ps.length - 2; i++) {
    const k = ps[i]!;
    if (typeof k !== 'string') throw conversionPanic(k, 'string');
    keys.push(k);
  }
  let d: GoMap = last;
  for (let i = 0; ; i++) {
    const k = keys[i]!;
    if (!has(d, k)) return def;
    const step = d[k]!;
    if (i === keys.length - 1) return step;
    if (!isMap(step) || step[GO_TYPE] !== undefined) throw conversionPanic(step, 'map[string]interface {}');
    d = step;
  }
}

export const dictsFuncs: Record<string, GoFunc> = {
  dict: gofn([], dict, 'any', 'map[string]interface {}'),
  get: gofn(['map', 'string'], (d: GoMap | null, key: string) => (has(d, key) ? d![key]! : '')),
  set: gofn(['map', 'string', 'any'], (d: GoMap | null, key: string, value: GoValue) => {
    if (d === null) throw new Error('assignment to entry in nil map');
    d[key] = value;
    return asUntypedMap(d);
  }),
  unset: gofn(['map', 'string'], (d: GoMap | null, key: string) => {
    if (d === null) return newMap();
    delete d[key];
    return asUntypedMap(d);
  }),
  hasKey: gofn(['map', 'string'], has),
  pluck: gofn(
    ['string'],
    (key: string, ...ds: (GoMap | null)[]) => newSlice(ds.filter((d) => has(d, key)).map((d) => d![key]!)),
    'map',
  ),
  keys: gofn(
    [],
    (...ds: (GoMap | null)[]) => {
      const k: string[] = [];
      for (const d of ds) if (d !== null) k.push(...sortedKeys(d));
      return stringSlice(k);
    },
    'map',
  ),
  pick: gofn(
    ['map'],
    (d: GoMap | null, ...keys: string[]) => {
      const res = newMap();
      for (const k of keys) if (has(d, k)) res[k] = d![k]!;
      return res;
    },
    'string',
  ),
  omit: gofn(
    ['map'],
    (d: GoMap | null, ...keys: string[]) => {
      const res = newMap();
      const drop = new Set(keys);
      if (d !== null) for (const k of sortedKeys(d)) if (!drop.has(k)) res[k] = d[k]!;
      return res;
    },
    'string',
  ),
  merge: gofn(['map'], merge(false), 'map'),
  mustMerge: gofn(['map'], merge(false), 'map'),
  mergeOverwrite: gofn(['map'], merge(true), 'map'),
  mustMergeOverwrite: gofn(['map'], merge(true), 'map'),
  values: gofn(['map'], (d: GoMap | null) => newSlice(d === null ? [] : sortedKeys(d).map((k) => d[k]!))),
  dig: gofn([], dig, 'any'),
  deepCopy: gofn(['any'], deepCopy),
  mustDeepCopy: gofn(['any'], deepCopy),
};
