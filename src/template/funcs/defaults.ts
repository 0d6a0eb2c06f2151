// Sprig's default/empty family (defaults.go): default, empty, coalesce, all, any, ternary. (fromJson/toJson and
// friends live with Helm's functions.)
import { type GoFunc, type GoValue, GoInt, GoStruct, gofn } from '../value.js';

/**
 * Sprig's empty: the zero value of its type. nil, "", 0, 0.0, false and zero-length maps, slices and arrays are
 * empty; structs never are, and pointers only when nil.
 */
export function isEmpty(v: GoValue): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
    case 'boolean':
      return !v;
  }
  if (v instanceof GoInt) return v.value === 0n;
  if (v instanceof GoStruct) return false;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  for (const _ in v) return false;
  return true;
}

export const defaultsFuncs: Record<string, GoFunc> = {
  default: gofn(['any'], (d: GoValue, ...given: GoValue[]) => (given.length === 0 || isEmpty(given[0]!) ? d : given[0]!), 'any'),
  empty: gofn(['any'], isEmpty),
  coalesce: gofn(
    [],
    (...v: GoValue[]) => {
      for (const x of v) if (!isEmpty(x)) return x;
      return null;
    },
    'any',
  ),
  all: gofn([], (...v: GoValue[]) => v.every((x) => !isEmpty(x)), 'any'),
  any: gofn([], (...v: GoValue[]) => v.some((x) => !isEmpty(x)), 'any'),
  ternary: gofn(['any', 'any', 'bool'], (vt: GoValue, vf: GoValue, v: boolean) => (v ? vt : vf)),
};
