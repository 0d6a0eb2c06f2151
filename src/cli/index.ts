// bosun's command line: a function of argv and injected streams that returns the exit code (bin/ is a thin shell).
import yargs from 'yargs';
import { readFileSync } from 'node:fs';

import { UserError, type CliIO } from './errors.js';
import { templateCommand } from './template.js';

export { UserError, type CliIO } from './errors.js';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv)
    .scriptName('bosun')
    .usage('bosun deploys fleets of Helm releases.\n\nUsage: $0 <command> [options]')
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .strict()
    .command(templateCommand(io))
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
