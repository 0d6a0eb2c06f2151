// bosun's side of the helm-oracle cases: the same flags and charts through mergeUserValues + toRenderValues,
// reported in the oracle's shape (per-chart typed dumps, Helm's error text, normalized warnings).
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChartSync, loadFromMemory, type Chart } from '../../../src/chart/index.js';
import { mergeUserValues, toRenderValues, type ValueOptions } from '../../../src/values/index.js';
import { sprint } from '../../../src/template/fmt.js';
import { newMap } from '../../../src/template/value.js';
import { DUMP_PATH } from './dump.js';
import { dumpValues } from './dump.js';

export interface Outcome {
  ok: boolean;
  dumps?: Record<string, string>;
  error?: string;
  warnings?: string[];
}

/** Splits helm's value flags into ValueOptions; other flags are returned apart. */
export function flagsToOptions(flags: string[]): { opts: ValueOptions; skipSchema: boolean } {
  const opts: Required<ValueOptions> = { valueFiles: [], jsonValues: [], values: [], stringValues: [], fileValues: [], literalValues: [] };
  let skipSchema = false;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    const v = flags[i + 1]!;
    switch (f) {
      case '-f':
      case '--values':
        opts.valueFiles.push(v);
        i++;
        break;
      case '--set-json':
        opts.jsonValues.push(v);
        i++;
        break;
      case '--set':
        opts.values.push(v);
        i++;
        break;
      case '--set-string':
        opts.stringValues.push(v);
        i++;
        break;
      case '--set-file':
        opts.fileValues.push(v);
        i++;
        break;
      case '--set-literal':
        opts.literalValues.push(v);
        i++;
        break;
      case '--skip-schema-validation':
        skipSchema = true;
        break;
      default:
        throw new Error(`unsupported flag ${f}`);
    }
  }
  return { opts, skipSchema };
}

/** Runs the flags against a chart in a scratch working directory holding `files`. */
export function bosunOutcome(chart: Chart, flags: string[], files: Record<string, string> = {}): Outcome {
  const cwd = mkdtempSync(join(tmpdir(), 'bosun-cwd-'));
  const prev = process.cwd();
  const warnings: string[] = [];
  try {
    for (const [p, content] of Object.entries(files)) writeFileSync(join(cwd, p), content);
    process.chdir(cwd);
    const { opts, skipSchema } = flagsToOptions(flags);
    const user = mergeUserValues(opts);
    const r = toRenderValues(chart, user, { skipSchemaValidation: skipSchema, warn: (m) => warnings.push(m) });
    const dumps: Record<string, string> = {};
    for (const [c, v] of r.chartValues) {
      if (c.isLibrary || c.templates.length === 0) continue;
      dumps[c.fullPath] = dumpValues(v);
    }
    return { ok: true, dumps, warnings };
  } catch (e) {
    return { ok: false, error: (e as Error).message.replace(/\n+$/, ''), warnings };
  } finally {
    process.chdir(prev);
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The one-template chart the flag cases run on. */
export function flagChart(valuesYaml = ''): Chart {
  return loadFromMemory([
    ['Chart.yaml', 'apiVersion: v2\nname: c\nversion: 0.1.0\n'],
    ['values.yaml', valuesYaml],
    [DUMP_PATH, 'x'],
  ]);
}

export function fixtureChart(dir: string): Chart {
  return loadChartSync(dir);
}

/** Helm's slog line (`level=WARN msg="m" k=v`) reduced to the message bosun reports (`m k=v`). */
export function normalizeHelmLog(line: string): string {
  const m = /^level=\w+ msg=("(?:[^"\\]|\\.)*"|\S+)(.*)$/.exec(line);
  if (!m) return line;
  const msg = m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!;
  return msg + m[2]!;
}

/** True once src/template/fmt.ts prints Go values (warnings embed %v of maps). */
export function fmtAvailable(): boolean {
  try {
    return sprint([newMap()]) === 'map[]';
  } catch {
    return false;
  }
}
