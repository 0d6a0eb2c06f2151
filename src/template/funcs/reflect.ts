// Sprig's reflection functions (reflect.go) and reflect.DeepEqual over the Go value model.
import { type GoFunc, type GoValue, GoInt, GoStruct, gofn, isMap, kindName, typeName } from '../value.js';

/**
 * reflect.DeepEqual: identical Go types and deeply equal contents. int and float64 never compare equal, named
 * types differ from their underlying types, NaN differs from itself.
 */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return !(typeof a === 'number' && Number.isNaN(a));
  if (a === null || b === null) return false;
  if (typeName(a) !== typeName(b)) return false;
  if (a instanceof GoInt) return a.value === (b as GoInt).value;
  if (typeof a !== 'object') return a === b;
  if (a instanceof Uint8Array) {
    const y = b as Uint8Array;
    return a.length === y.length && a.every((x, i) => x === y[i]);
  }
  if (Array.isArray(a)) {
    const y = b as GoValue[];
    return a.length === y.length && a.every((x, i) => deepEqual(x, y[i]!));
  }
  if (a instanceof GoStruct) {
    const y = b as GoStruct;
    if (a.goString && y.goString && a.goString() !== y.goString()) return false;
    return a.fieldNames().every((f) => deepEqual(a.field(f) ?? null, y.field(f) ?? null));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k]!, b[k]!));
  }
  return false;
}

/** Sprig's kindOf: the reflect.Kind name; "invalid" for nil. */
function kindOf(v: GoValue): string {
  return kindName(v);
}

export const reflectFuncs: Record<string, GoFunc> = {
  typeOf: gofn(['any'], typeName),
  typeIs: gofn(['string', 'any'], (target: string, v: GoValue) => target === typeName(v)),
  typeIsLike: gofn(['string', 'any'], (target: string, v: GoValue) => {
    const t = typeName(v);
    return target === t || '*' + target === t;
  }),
  kindOf: gofn(['any'], kindOf),
  kindIs: gofn(['string', 'any'], (target: string, v: GoValue) => target === kindOf(v)),
  deepEqual: gofn(['any', 'any'], deepEqual),
};
