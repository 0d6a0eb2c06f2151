// Shared helpers of the fleet tests: bosun's fleet commands run in-process (the same yargs setup as src/cli/index.ts
// with fleetCommands and stateCommands registered) against a sandbox started per suite.
import yargs from 'yargs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetCommands } from '../../src/cli/fleet.js';
import { stateCommands } from '../../src/cli/state.js';
import { UserError, type CliIO } from '../../src/cli/errors.js';

export { sandboxEnv, ROOT, type Env } from '../sandbox/helpers.js';

export interface FleetRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bosun <args>` in-process; never throws on a failing command. */
export async function bosun(args: string[], env: Record<string, string | undefined> = {}): Promise<FleetRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let code = 0;
  const cli = yargs(args)
    .scriptName('bosun')
    .parserConfiguration({ 'boolean-negation': false })
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(msg ?? 'invalid arguments', 1);
    });
  for (const c of [...fleetCommands(io), ...stateCommands(io)]) cli.command(c);
  try {
    await cli.parseAsync(args, {}, (err, _a, output) => {
      if (output && !err) stdout += output;
    });
  } catch (e) {
    stderr += `Error: ${(e as Error).message}\n`;
    code = e instanceof UserError ? e.exitCode : 1;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { code, stdout, stderr };
}

/** Writes files from a map of relative paths to contents under dir. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}
