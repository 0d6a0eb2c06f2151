// Flag groups shared by several commands, spelled and defaulted as helm spells them.
import type { Argv } from 'yargs';
import type { ValueOptions } from '../values/index.js';
import { isCascade, type Cascade } from '../state/types.js';
import { UserError } from './errors.js';

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

/**
 * Flags `helm template` shares with install and helm's global flags that cannot change what a client-side render
 * prints (cluster, wait, apply, chart download and output-colour settings): accepted so that a script passing the same
 * flags to `helm template` and `bosun template` runs unchanged. (`--version` only picks a repository chart's
 * version; helm ignores it for a local path too.)
 */
export function withTemplateInertFlags<T>(y: Argv<T>) {
  const inert = (describe: string) => ({ describe: `${describe} (no effect on a render; accepted as helm accepts it)` });
  let out = y as Argv<T>;
  for (const name of ['create-namespace', 'devel', 'disable-openapi-validation', 'force-conflicts', 'force-replace', 'hide-notes', 'render-subchart-notes', 'replace', 'rollback-on-failure', 'take-ownership', 'wait-for-jobs', 'dependency-update', 'kube-insecure-skip-tls-verify', 'insecure-skip-tls-verify', 'pass-credentials', 'plain-http']) {
    out = out.option(name, { type: 'boolean', ...inert('helm install flag') });
  }
  for (const name of ['description', 'labels', 'timeout', 'server-side', 'color', 'colour', 'content-cache', 'kube-apiserver', 'kube-as-user', 'kube-ca-file', 'kube-context', 'kube-tls-server-name', 'kube-token', 'kubeconfig', 'registry-config', 'repository-cache', 'repository-config', 'version', 'username', 'password', 'ca-file', 'cert-file', 'key-file', 'keyring']) {
    out = out.option(name, { type: 'string', ...inert('helm flag') });
  }
  return out
    .option('kube-as-group', { type: 'string', array: true, ...inert('helm flag') })
    .option('qps', { type: 'number', ...inert('helm flag') })
    .option('burst-limit', { type: 'number', ...inert('helm flag') });
}

/**
 * helm's flags with an optional value (`--dry-run` alone means client, `--wait` alone watcher): yargs reads a bare
 * flag followed by a positional as flag and value, so a value outside the flag's `modes` goes back to the positionals
 * (in front) and the flag is left bare (''). Returns the positionals.
 */
export function restoreOptionalValues(argv: Record<string, unknown>, modes: Record<string, ReadonlySet<string>>): string[] {
  const args = stringArray(argv.args);
  for (const [flag, known] of Object.entries(modes)) {
    const v = argv[flag];
    if (typeof v === 'string' && !known.has(v)) {
      args.unshift(v);
      argv[flag] = '';
    }
  }
  return args;
}

/** Asked for client-side apply (--server-side with one of Go's spellings of false), bosun refuses rather than applying server-side anyway. */
export function refuseClientSideApply(argv: Record<string, unknown>): void {
  const serverSide = argv['server-side'];
  if (typeof serverSide === 'string' && ['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(serverSide)) {
    throw new UserError(`--server-side=${serverSide}: bosun applies server-side only; client-side apply is not supported`);
  }
}

/** --cascade as helm reads it: undefined when not given; a value other than background, foreground or orphan is an error in helm's words. */
export function cascadeFlag(v: unknown): Cascade | undefined {
  if (v === undefined) return undefined;
  if (!isCascade(v)) throw new UserError(`invalid cascading flag value: ${String(v)}`);
  return v;
}
