// User-supplied values as `helm template/install` builds them (pkg/cli/values/options.go MergeValues, Helm 4):
// -f files in order (each a multi-document stream, documents merged), then --set-json, --set, --set-string,
// --set-file, --set-literal, each flag occurrence applied in order onto the same map.
import { readFileSync } from 'node:fs';
import { type GoMap, newMap, isMap } from '../template/value.js';
import { loadValues, mergeMaps, ValuesFileError } from '../chart/index.js';
import { parseJson } from '../yaml/index.js';
import { parseSetInto, parseSetStringInto, parseSetFileInto, parseSetJsonInto, parseSetLiteralInto } from './strvals.js';

export interface ValueOptions {
  /** -f / --values: paths (or '-' for stdin when `readFile` supports it). */
  valueFiles?: string[];
  /** --set-json */
  jsonValues?: string[];
  /** --set */
  values?: string[];
  /** --set-string */
  stringValues?: string[];
  /** --set-file */
  fileValues?: string[];
  /** --set-literal */
  literalValues?: string[];
}

/** A failure while building user values; `message` is Helm's text, `file` names the values file when there is one. */
export class ValuesError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads a values file or --set-file path; the default reads the local filesystem with Go-like errors. */
export type ReadFile = (path: string) => Uint8Array;

export function defaultReadFile(path: string): Uint8Array {
  try {
    return readFileSync(path.trim() === '-' ? 0 : path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ValuesError(code === 'EISDIR' ? `read ${path}: ${why}` : `open ${path}: ${why}`, path, undefined, { cause: e });
  }
}

const decoder = new TextDecoder('utf-8');

/** Parses one values file's text (Helm's LoadValues); errors read `failed to parse <file>: ...`. */
export function parseValuesFile(text: string, file: string): GoMap {
  try {
    return loadValues(text);
  } catch (e) {
    if (e instanceof ValuesFileError) throw new ValuesError(`failed to parse ${file}: ${e.message}`, file, e.line, { cause: e });
    throw e;
  }
}

function wrapStrvals(kind: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new ValuesError(`failed parsing ${kind} data: ${(e as Error).message}`, e instanceof ValuesError ? e.file : undefined, undefined, { cause: e });
  }
}

/** MergeValues: the user's values from every flag, in Helm's order. */
export function mergeUserValues(opts: ValueOptions, readFile: ReadFile = defaultReadFile): GoMap {
  let base = newMap();
  for (const file of opts.valueFiles ?? []) {
    const raw = readFile(file);
    base = mergeMaps(base, parseValuesFile(decoder.decode(raw), file));
  }
  for (const value of opts.jsonValues ?? []) {
    const trimmed = value.trim();
    if (trimmed.startsWith('{')) {
      let m: unknown;
      try {
        m = parseJson(trimmed);
      } catch {
        throw new ValuesError(`failed parsing --set-json data JSON: ${value}`);
      }
      if (m === null) continue;
      if (!isMap(m as never)) throw new ValuesError(`failed parsing --set-json data JSON: ${value}`);
      base = mergeMaps(base, m as GoMap);
    } else {
      try {
        parseSetJsonInto(value, base);
      } catch {
        throw new ValuesError(`failed parsing --set-json data ${value}`);
      }
    }
  }
  for (const value of opts.values ?? []) wrapStrvals('--set', () => parseSetInto(value, base));
  for (const value of opts.stringValues ?? []) wrapStrvals('--set-string', () => parseSetStringInto(value, base));
  for (const value of opts.fileValues ?? []) {
    wrapStrvals('--set-file', () => parseSetFileInto(value, base, (p) => decoder.decode(readFile(p))));
  }
  for (const value of opts.literalValues ?? []) wrapStrvals('--set-literal', () => parseSetLiteralInto(value, base));
  return base;
}
