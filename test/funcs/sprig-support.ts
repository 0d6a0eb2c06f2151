// Shared helpers for the Sprig function tables in test/funcs: call a function the way the engine does (arguments
// already converted to the Go parameter types) and print its result with Go's %v.
import { GoInt, fromPlain, newMap, type GoMap, type GoValue } from '../../src/template/value.js';
import { sprint } from '../../src/template/fmt.js';
import { stringsFuncs } from '../../src/template/funcs/strings.js';
import { listsFuncs } from '../../src/template/funcs/lists.js';
import { dictsFuncs } from '../../src/template/funcs/dicts.js';
import { mathFuncs } from '../../src/template/funcs/math.js';
import { convFuncs } from '../../src/template/funcs/conv.js';
import { defaultsFuncs } from '../../src/template/funcs/defaults.js';
import { reflectFuncs } from '../../src/template/funcs/reflect.js';
import { pathsFuncs } from '../../src/template/funcs/paths.js';
import { urlFuncs } from '../../src/template/funcs/url.js';
import { encodingFuncs } from '../../src/template/funcs/encoding.js';

export const funcs = {
  ...stringsFuncs,
  ...listsFuncs,
  ...dictsFuncs,
  ...mathFuncs,
  ...convFuncs,
  ...defaultsFuncs,
  ...reflectFuncs,
  ...pathsFuncs,
  ...urlFuncs,
  ...encodingFuncs,
};

/** Calls a function with already-converted Go arguments and returns its Go result. */
export function call(name: string, ...args: GoValue[]): GoValue {
  const f = (funcs as Record<string, { fn: (...a: GoValue[]) => GoValue }>)[name];
  if (!f) throw new Error(`no function ${name}`);
  return f.fn(...args);
}

/** The result printed as {{ }} prints it (%v); nil prints as <no value> like a template action. */
export function show(name: string, ...args: GoValue[]): string {
  const v = call(name, ...args);
  return v === null ? '<no value>' : sprint([v]);
}

/** The error message of a call that must fail. */
export function failure(name: string, ...args: GoValue[]): string {
  try {
    call(name, ...args);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error(`${name} did not fail`);
}

/** An int constant (what the engine passes for `1`). */
export const int = (n: number | bigint): GoInt => new GoInt(n, 'int');

/** The vectors' fixed values.yaml as Go values (every number float64), keyed like .Values. */
export function fixedValues(): GoMap {
  const v = fromPlain({
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
  }) as GoMap;
  const values = newMap('common.Values');
  Object.assign(values, v);
  return values;
}
