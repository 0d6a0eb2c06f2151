// Runs `bosun lint` / `bosun package` in-process the way src/cli/index.ts wires commands (yargs, strict, errors
// printed as `Error: <message>`), capturing stdout, stderr and the exit code. Until the lead registers the two
// commands in src/cli/index.ts, this is how the tests (and a developer) reach them.
import yargs from 'yargs';
import { lintCommand } from '../../src/cli/lint.js';
import { packageCommand } from '../../src/cli/package.js';
import { UserError, type CliIO } from '../../src/cli/errors.js';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export async function runCli(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  let code = 0;
  try {
    await yargs(argv)
      .scriptName('bosun')
      .version('0.0.0-test')
      .strict()
      .command(lintCommand(io))
      .command(packageCommand(io))
      .demandCommand(1)
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new UserError(msg ?? 'invalid arguments');
      })
      .parseAsync();
  } catch (e) {
    stderr += `Error: ${e instanceof Error ? e.message : String(e)}\n`;
    code = e instanceof UserError ? e.exitCode : 1;
  }
  return { stdout, stderr, code };
}

// `npx tsx test/lint/harness.ts lint CHART` runs the commands from a shell.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runCli(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
