// Release names chosen on the command line, by helm's rules: template's and install's NAME / `--name-template` /
// `--generate-name` choice (helm's action.Install.NameAndChart, which both commands use).
import { basename } from 'node:path';
import { Template } from '../template/index.js';
import { helmFuncMap, sprigNames } from '../template/funcs/index.js';

/** helm's --name-template: the text run as a Go template with Sprig's functions and no data. Throws the engine's error. */
function templateName(text: string): string {
  const sprig = new Set(sprigNames());
  const funcs = Object.fromEntries(Object.entries(helmFuncMap()).filter(([k]) => sprig.has(k)));
  const t = new Template('name-template', { funcs, missingKey: 'zero' });
  t.parse('name-template', text);
  return t.execute('name-template', null);
}

export interface NameFlags {
  readonly generateName: boolean;
  readonly nameTemplate?: string;
  /** A name the command sets beforehand (helm template's "release-name"): it wins over --generate-name. */
  readonly preset?: string;
}

/**
 * `[NAME] CHART`: the release name and chart argument. Two arguments name the release (and then neither
 * --generate-name nor --name-template may be set); with one, a name template wins, then the preset name, then
 * --generate-name, which takes the chart argument's last path element cut at its first dot ("chart" for "."), then
 * the Unix time: `mychart-1700000000`. The name is not checked here (the command checks every name the same way).
 * Errors carry helm's words, unprefixed.
 */
export function nameAndChart(args: readonly string[], flags: NameFlags, nowMs = Date.now()): { name: string; chart: string } {
  if (args.length > 2) throw new Error(`expected at most two arguments, unexpected arguments: ${args.slice(2).join(', ')}`);
  if (args.length === 2) {
    if (flags.generateName) throw new Error('cannot set --generate-name and also specify a name');
    if (flags.nameTemplate) throw new Error('cannot set --name-template and also specify a name');
    return { name: args[0]!, chart: args[1]! };
  }
  const chart = args[0]!;
  if (flags.nameTemplate) return { name: templateName(flags.nameTemplate), chart };
  if (flags.preset) return { name: flags.preset, chart };
  if (!flags.generateName) throw new Error('must either provide a name or specify --generate-name');
  // Go's filepath.Base: trailing slashes dropped, "" for "" becomes "."; both "." and "" give "chart".
  let base = basename(chart.replace(/\/+$/, '')) || (chart.startsWith('/') ? '/' : '.');
  if (base === '.' || base === '') base = 'chart';
  const dot = base.indexOf('.');
  if (dot !== -1) base = base.slice(0, dot);
  return { name: `${base}-${Math.floor(nowMs / 1000)}`, chart };
}
