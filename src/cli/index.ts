// bosun's command line: a function of argv and injected streams that returns the exit code (bin/ is a thin shell).
import yargs from 'yargs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { UserError, type CliIO } from './errors.js';
import { templateCommand } from './template.js';
import { stateCommands } from './state.js';
import { lintCommand } from './lint.js';
import { packageCommand } from './package.js';
import { makeSandboxCommand } from './sandbox.js';

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

export async function main(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv)
    .scriptName('bosun')
    // helm has flags spelled --no-hooks; yargs must not read them as the negation of --hooks.
    .parserConfiguration({ 'boolean-negation': false })
    .usage('bosun deploys fleets of Helm releases.\n\nUsage: $0 <command> [options]')
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .strict()
    .command(templateCommand(io))
    .command(stateCommands(io))
    .command(lintCommand(io))
    .command(packageCommand(io))
    .command(makeSandboxCommand(io))
    .demandCommand(1, 'Specify a command.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(msg ?? 'invalid arguments', 1);
    });
  try {
    await cli.parseAsync(argv, {}, (err, _argv, output) => {
      if (output && !err) io.stdout.write(output.endsWith('\n') ? output : output + '\n');
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`Error: ${msg}\n`);
    exitCode = e instanceof UserError ? e.exitCode : 1;
  }
  return exitCode;
}
