// `bosun <fleet command>` as one process for bench/fleet (independent of the CLI's command registry), reporting its
// peak RSS on stderr as `maxrss-kb <n>` when it exits.
import yargs from 'yargs';
import { fleetCommands } from '../src/cli/fleet.js';
import { UserError } from '../src/cli/errors.js';

const io = { stdout: process.stdout, stderr: process.stderr };
let code = 0;
try {
  await yargs(process.argv.slice(2))
    .parserConfiguration({ 'boolean-negation': false })
    .strict()
    .exitProcess(false)
    .command(fleetCommands(io))
    .fail((m, e) => {
      throw e ?? new UserError(m);
    })
    .parseAsync();
} catch (e) {
  process.stderr.write(`Error: ${(e as Error).message}\n`);
  code = e instanceof UserError ? e.exitCode : 1;
}
const usage = process.resourceUsage();
process.stderr.write(`maxrss-kb ${usage.maxRSS}\ncpu-ms ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`);
process.exitCode = code;
