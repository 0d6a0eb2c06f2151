// Shared helpers for the Sprig function tables in test/funcs: call a function the way the engine does (arguments
// already converted to the Go parameter types) and print its result with Go's %v.
import { vectorValues } from '../support/vector-values.js';
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
  return vectorValues();
}
