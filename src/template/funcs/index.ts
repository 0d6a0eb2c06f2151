// The function map Helm gives templates: Sprig v3.3.0's TxtFuncMap minus env and expandenv, then Helm's own
// functions (which replace Sprig's of the same name). Each library module exports one or more `*Funcs` records.
import type { GoFunc } from '../value.js';
import * as strings from './strings.js';
import * as lists from './lists.js';
import * as dicts from './dicts.js';
import * as math from './math.js';
import * as conv from './conv.js';
import * as defaults from './defaults.js';
import * as reflect from './reflect.js';
import * as paths from './paths.js';
import * as url from './url.js';
import * as encoding from './encoding.js';
import * as regex from './regex.js';
import * as semver from './semver.js';
import * as date from './date.js';
import * as crypto from './crypto.js';
import * as helm from './helm.js';

export { bindRenderFuncs, TemplateFailError, type RenderFuncOptions } from './helm.js';

/** Sprig names that Helm removes from the map. */
const EXCLUDED = new Set(['env', 'expandenv']);

function collect(...modules: object[]): Record<string, GoFunc> {
  const out: Record<string, GoFunc> = Object.create(null);
  for (const mod of modules) {
    for (const [exportName, value] of Object.entries(mod)) {
      if (!exportName.endsWith('Funcs') || typeof value !== 'object' || value === null) continue;
      for (const [name, f] of Object.entries(value as Record<string, GoFunc>)) {
        if (!EXCLUDED.has(name)) out[name] = f;
      }
    }
  }
  return out;
}

const sprig = collect(strings, lists, dicts, math, conv, defaults, reflect, paths, url, encoding, regex, semver, date, crypto);
const all = { ...sprig, ...collect(helm) };
/**
 * The names Helm adds to Sprig's. helm.ts also holds Sprig functions (its JSON helpers, fail, getHostByName) beside
 * Helm's replacements of toJson, mustToJson and fromJson.
 */
const HELM_ONLY = new Set(['toYaml', 'mustToYaml', 'toYamlPretty', 'fromYaml', 'fromYamlArray', 'fromJsonArray', 'toToml', 'fromToml', 'include', 'tpl', 'required', 'lookup']);

/** A fresh copy of Helm's function map (callers may rebind include/tpl/required on it). */
export function helmFuncMap(): Record<string, GoFunc> {
  return { ...all };
}

/** Sprig's names in Helm's map (Sprig's TxtFuncMap minus env and expandenv): what helm's --name-template may call. */
export function sprigNames(): string[] {
  return Object.keys(all).filter((n) => !HELM_ONLY.has(n));
}
