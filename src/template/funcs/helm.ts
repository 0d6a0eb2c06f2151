// Helm's own template functions (pkg/engine/funcs.go) and the Sprig JSON helpers that sit beside them.
//
// Most are plain functions. include, tpl and required act on the running template set: `bindRenderFuncs` installs
// them on a set for one render, the way Helm rebinds its placeholders per render.
import type { Template } from '../template.js';
import { type GoFunc, type GoValue, gofn, newMap } from '../value.js';
import { quote } from '../fmt.js';
import {
  helmFromJson,
  helmFromJsonArray,
  helmFromToml,
  helmFromYaml,
  helmFromYamlArray,
  helmMustFromJson,
  helmMustToJson,
  helmMustToPrettyJson,
  helmMustToRawJson,
  helmMustToYaml,
  helmToJson,
  helmToPrettyJson,
  helmToRawJson,
  helmToToml,
  helmToYaml,
  helmToYamlPretty,
} from '../../yaml/index.js';

/** Raised by `required` and `fail`: Helm reports these as `execution error at (<file>:<line>:<col>): <msg>`. */
export class TemplateFailError extends Error {
  override readonly name = 'TemplateFailError';
}

/** Helm's nesting limit for include of one name (recursionMaxNums). */
const INCLUDE_MAX_NESTING = 1000;
/** The name tpl gives the text it parses (Helm uses its root template's name). */
const TPL_TEMPLATE_NAME = 'gotpl';

/** Functions that need no cluster and no template set (the YAML/JSON/TOML ones return exactly what Helm's do). */
export const helmFuncs: Record<string, GoFunc> = {
  toYaml: gofn(['any'], helmToYaml),
  mustToYaml: gofn(['any'], helmMustToYaml),
  toYamlPretty: gofn(['any'], helmToYamlPretty),
  fromYaml: gofn(['string'], helmFromYaml),
  fromYamlArray: gofn(['string'], helmFromYamlArray),
  toJson: gofn(['any'], helmToJson),
  mustToJson: gofn(['any'], helmMustToJson),
  fromJson: gofn(['string'], helmFromJson),
  fromJsonArray: gofn(['string'], helmFromJsonArray),
  toToml: gofn(['any'], helmToToml),
  fromToml: gofn(['string'], helmFromToml),
  // Sprig's JSON helpers that Helm does not replace.
  toPrettyJson: gofn(['any'], helmToPrettyJson),
  mustToPrettyJson: gofn(['any'], helmMustToPrettyJson),
  toRawJson: gofn(['any'], helmToRawJson),
  mustToRawJson: gofn(['any'], helmMustToRawJson),
  mustFromJson: gofn(['string'], helmMustFromJson),
  fail: gofn(['string'], (msg: string): GoValue => {
    throw new TemplateFailError(msg);
  }),
  // Helm answers "" unless DNS lookups are enabled (--enable-dns: see RenderFuncOptions.hostByName).
  getHostByName: gofn(['string'], () => ''),
  // Without a cluster lookup finds nothing; a renderer with cluster access passes its own (see bindRenderFuncs).
  lookup: gofn(['string', 'string', 'string', 'string'], () => newMap()),
  // Placeholders so that templates parse before a render binds the real ones.
  include: gofn(['string', 'any'], () => ''),
  tpl: gofn(['string', 'any'], () => ''),
  required: gofn(['string', 'any'], (_w: string, v: GoValue) => v),
};

export interface RenderFuncOptions {
  /** Replaces the cluster-less lookup: (apiVersion, kind, namespace, name) → object or list, {} when absent. */
  lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => GoValue;
  /** --enable-dns: getHostByName's answer for a host name (one of its addresses); may throw the call's error. */
  hostByName?: (name: string) => string;
}

/**
 * Binds include, tpl and required (and lookup, when given) to `set` for one render. Mutates set.funcs; call it on
 * the set the render executes (a clone per render when sets are shared).
 */
export function bindRenderFuncs(set: Template, options: RenderFuncOptions = {}): void {
  const included = new Map<string, number>();
  bindSetFuncs(set, included);
  set.funcs.required = gofn(['string', 'any'], (warn: string, v: GoValue) => {
    if (v === null || v === '') throw new TemplateFailError(warn);
    return v;
  });
  if (options.lookup) {
    const lookup = options.lookup;
    set.funcs.lookup = gofn(['string', 'string', 'string', 'string'], (a: string, k: string, ns: string, n: string) => lookup(a, k, ns, n));
  }
  if (options.hostByName) {
    const hostByName = options.hostByName;
    set.funcs.getHostByName = gofn(['string'], (name: string) => hostByName(name));
  }
}

function bindSetFuncs(set: Template, included: Map<string, number>): void {
  set.funcs.include = gofn(['string', 'any'], (name: string, data: GoValue) => {
    const depth = (included.get(name) ?? 0) + 1;
    if (depth > INCLUDE_MAX_NESTING) {
      throw new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
    }
    included.set(name, depth);
    try {
      return set.execute(name, data);
    } finally {
      included.set(name, depth - 1);
    }
  });
  set.funcs.tpl = gofn(['string', 'any'], (text: string, data: GoValue) => {
    // Text without an action executes to itself: skip the clone and the parse (most tpl calls pass plain values).
    if (!text.includes('{{')) return text.replaceAll('<no value>', '');
    const t = set.clone();
    bindSetFuncs(t, included);
    let tree;
    try {
      tree = t.parse(TPL_TEMPLATE_NAME, text);
    } catch (e) {
      throw new Error(`cannot parse template ${quote(text)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    let out: string;
    try {
      out = tree === undefined ? '' : t.executeParsed(TPL_TEMPLATE_NAME, tree, data);
    } catch (e) {
      if (e instanceof TemplateFailError) throw e;
      throw new Error(`error during tpl function execution for ${quote(text)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return out.replaceAll('<no value>', '');
  });
}
