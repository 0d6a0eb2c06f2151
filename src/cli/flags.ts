// Flag groups shared by several commands, spelled and defaulted as helm spells them.
import type { Argv } from 'yargs';
import type { ValueOptions } from '../values/index.js';

/** helm's `strings` flags accept repeats and comma-separated lists (-f a.yaml,b.yaml). */
export function splitCommas(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.flatMap((x) => String(x).split(',')).filter((x) => x !== '');
}

/** helm's `stringArray` flags: repeats only, no comma splitting. */
export function stringArray(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => String(x));
}

export function withValueFlags<T>(y: Argv<T>) {
  return y
    .option('values', { alias: 'f', type: 'string', array: true, describe: 'specify values in a YAML file (can specify multiple)' })
    .option('set', { type: 'string', array: true, describe: 'set values on the command line (key1=val1,key2=val2)' })
    .option('set-string', { type: 'string', array: true, describe: 'set STRING values on the command line' })
    .option('set-file', { type: 'string', array: true, describe: 'set values from respective files (key1=path1)' })
    .option('set-json', { type: 'string', array: true, describe: 'set JSON values on the command line' })
    .option('set-literal', { type: 'string', array: true, describe: 'set a literal STRING value on the command line' });
}

export function valueOptions(argv: Record<string, unknown>): ValueOptions {
  return {
    valueFiles: splitCommas(argv.values),
    values: stringArray(argv.set),
    stringValues: stringArray(argv['set-string']),
    fileValues: stringArray(argv['set-file']),
    jsonValues: stringArray(argv['set-json']),
    literalValues: stringArray(argv['set-literal']),
  };
}
