// bosun's command line: a function of argv and injected streams that returns the exit code (bin/ is a thin shell).
import yargs, { type CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { UserError, type CliIO } from './errors.js';

/**
 * The command groups, in registration order, each loaded on demand. `names` are the first words (commands and
 * aliases) a group answers to: a run whose first word is one of them loads only that group, so a cold `bosun
 * template` or `bosun diff` does not initialise the sandbox or the release commands. Anything else (`--help`, a
 * typo to suggest a command for) loads them all. test/cli/commands.test.ts keeps `names` equal to what each
 * group registers.
 */
export const COMMANDS: readonly { readonly names: readonly string[]; load(io: CliIO): Promise<CommandModule | CommandModule[]> }[] = [
  { names: ['template'], load: async (io) => (await import('./template.js')).templateCommand(io) },
  { names: ['build', 'targets', 'show-dag', 'write-values'], load: async (io) => (await import('./state.js')).stateCommands(io) },
  { names: ['lint'], load: async (io) => (await import('./lint.js')).lintCommand(io) },
  { names: ['package'], load: async (io) => (await import('./package.js')).packageCommand(io) },
  { names: ['sandbox'], load: async (io) => (await import('./sandbox.js')).makeSandboxCommand(io) },
  {
    names: ['install', 'upgrade', 'rollback', 'uninstall', 'un', 'delete', 'del', 'history', 'hist', 'status', 'list', 'ls', 'get', 'test', 'recover'],
    load: async (io) => (await import('./release.js')).releaseCommands(io),
  },
  { names: ['diff', 'apply', 'sync', 'destroy'], load: async (io) => (await import('./fleet.js')).fleetCommands(io) },
];

async function loadCommands(argv: readonly string[], io: CliIO): Promise<(CommandModule | CommandModule[])[]> {
  const only = COMMANDS.find((c) => c.names.includes(argv[0] ?? ''));
  return Promise.all((only ? [only] : COMMANDS).map((c) => c.load(io)));
}

export { UserError, type CliIO } from './errors.js';

/** bosun's version from its package.json (found upward from this module: src/ under tsx, dist/src when built). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'bosun') return pkg.version;
    } catch {
      // not here: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) return '0.0.0';
    dir = up;
  }
}

/**
 * yargs' "Unknown argument(s): …" for a flag, in helm's (cobra's) words for the first unknown flag on the command
 * line: `unknown flag: --name`, or `unknown shorthand flag: 'x' in -xy`. Undefined for other messages.
 */
function unknownFlagMessage(msg: string | undefined, argv: readonly string[]): string | undefined {
  const m = /^Unknown arguments?: (.*)$/.exec(msg ?? '');
  if (!m) return undefined;
  const unknown = new Set(m[1]!.split(', '));
  for (const a of argv) {
    if (a === '--') break;
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0]!;
      if (unknown.has(name)) return `unknown flag: --${name}`;
    } else if (/^-[^-\d]/.test(a)) {
      for (const letter of a.slice(1).split('=')[0]!) if (unknown.has(letter)) return `unknown shorthand flag: '${letter}' in ${a}`;
    }
  }
  return undefined;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const commands = await loadCommands(argv, io);
  const cli = yargs(argv)
    .scriptName('bosun')
    // helm has flags spelled --no-hooks; yargs must not read them as the negation of --hooks.
    .parserConfiguration({ 'boolean-negation': false })
    .usage('bosun deploys fleets of Helm releases.\n\nUsage: $0 <command> [options]')
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .strict()
    .command(commands.flat())
    .demandCommand(1, 'Specify a command.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(unknownFlagMessage(msg, argv) ?? msg ?? 'invalid arguments', 1);
    });
  // yargs renders the whole help text before running any command (in case the command fails later and help is
  // shown then); bosun never shows help after a command started, and `--help` still renders it when asked.
  const usage = (cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  try {
    await cli.parseAsync(argv, {}, (err, _argv, output) => {
      if (output && !err) io.stdout.write(output.endsWith('\n') ? output : output + '\n');
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!(e instanceof UserError && e.silent)) io.stderr.write(`Error: ${msg}\n`);
    exitCode = e instanceof UserError ? e.exitCode : 1;
  }
  return exitCode;
}
