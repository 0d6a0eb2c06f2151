// The vectors' fixed values.yaml (../shared/vectors/README.md) as helm loads it: every number float64, and the
// unquoted key `n` read by YAML 1.1 as the boolean false, stringified to the key "false" with a null value.
import { fromPlain, newMap, type GoMap } from '../../src/template/value.js';

export const FIXED_VALUES_PLAIN = {
  i: 42,
  f: 1.5,
  big: 1000000,
  huge: 12345678901234567890,
  small: 0.000001,
  neg: -3,
  zero: 0,
  s: 'hello',
  spaced: '  padded text  ',
  multi: 'line1\nline2\n',
  e: '',
  b: true,
  bf: false,
  false: null,
  l: [1, 'two', 3.0, true, null],
  sl: ['b', 'a', 'c', 'a'],
  nested: { b: 2, a: 1, c: { d: 'x', e: [1, 2] } },
  m: { 'key.with.dots': 1, UPPER: 2, lower: 3 },
  u: 'héllo wörld ✓',
  ver: '1.27.3',
  yamlstr: 'a: 1\nb: [x, y]\n',
  jsonstr: '{"a":1,"b":[true,null]}',
  tplstr: '{{ .Values.s }}-{{ .Release.Name }}',
  num_str: '123',
} as const;

/** The fixed values plus a case's extra values, typed common.Values like `.Values`. */
export function vectorValues(extra: Record<string, unknown> = {}): GoMap {
  const values = newMap('common.Values');
  Object.assign(values, fromPlain({ ...FIXED_VALUES_PLAIN, ...extra }) as GoMap);
  return values;
}
