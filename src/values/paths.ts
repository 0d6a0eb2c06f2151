// common.Values lookups by dotted path (Values.Table, Values.PathValue), as dependency conditions, tags and
// import-values use them.
import { type GoMap, type GoValue, isMap } from '../template/value.js';

/** No table at the path (Helm's ErrNoTable). */
export class NoTableError extends Error {
  constructor(readonly key: string) {
    super(`${JSON.stringify(key)} is not a table`);
  }
}

/** No (non-table) value at the path (Helm's ErrNoValue). */
export class NoValueError extends Error {
  constructor(readonly key: string) {
    super(`${JSON.stringify(key)} is not a value`);
  }
}

function has(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** Values.Table: the map at a dotted path (`a.b.c`); throws NoTableError. The result is the map itself. */
export function table(v: GoMap, name: string): GoMap {
  let cur = v;
  for (const part of name.split('.')) {
    if (!has(cur, part)) throw new NoTableError(part);
    const next = cur[part]!;
    if (!isMap(next)) throw new NoTableError(part);
    cur = next;
  }
  return cur;
}

/** Values.PathValue: the non-table value at a dotted path; throws NoValueError (or Error for an empty path). */
export function pathValue(v: GoMap, path: string): GoValue {
  if (path === '') throw new Error('YAML path cannot be empty');
  const parts = path.split('.');
  if (parts.length === 1) {
    if (has(v, parts[0]!) && !isMap(v[parts[0]!]!)) return v[parts[0]!]!;
    throw new NoValueError(parts[0]!);
  }
  const key = parts.pop()!;
  let t: GoMap;
  try {
    t = table(v, parts.join('.'));
  } catch {
    throw new NoValueError(key);
  }
  if (has(t, key) && !isMap(t[key]!)) return t[key]!;
  throw new NoValueError(key);
}
