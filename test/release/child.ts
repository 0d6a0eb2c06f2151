// A bosun release command in a process of its own (the SIGKILL test kills it mid-upgrade). Arguments are the
// command line; output goes to stdout/stderr; the exit code is the command's.
import { bosun } from './helpers.js';

const r = await bosun(process.argv.slice(2));
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
process.exit(r.code);
