// Sprig's type conversion functions: atoi (strconv.Atoi, errors ignored), int/int64/float64 (spf13/cast) and
// toDecimal (a Unix octal mode string to its value).
import { type GoFunc, type GoValue, GoInt, gofn } from '../value.js';
import { sprint } from '../fmt.js';
import { atoi, parseInt, toFloat64, toInt, toInt64 } from './cast.js';

export const convFuncs: Record<string, GoFunc> = {
  atoi: gofn(['string'], (s: string) => new GoInt(atoi(s), 'int')),
  int64: gofn(['any'], (v: GoValue) => new GoInt(toInt64(v), 'int64')),
  int: gofn(['any'], (v: GoValue) => new GoInt(toInt(v), 'int')),
  float64: gofn(['any'], (v: GoValue) => toFloat64(v)),
  toDecimal: gofn(['any'], (v: GoValue) => {
    const r = parseInt(sprint([v]), 8, 64);
    return new GoInt(r.ok ? r.value : 0n, 'int64');
  }),
};
