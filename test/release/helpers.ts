// Shared helpers of the release tests: bosun's release commands run in-process (the same yargs setup as
// src/cli/index.ts, with releaseCommands registered), the real helm binaries, and a sandbox per suite.
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { main, type CliIO } from '../../src/cli/index.js';
import { ROOT, run, tool, type Env, type RunResult } from '../sandbox/helpers.js';

export { ROOT, run, tool, haveTool, sandboxEnv, api, waitFor, type Env, type RunResult } from '../sandbox/helpers.js';

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'release');
export const SANDBOX_APP = join(ROOT, 'test', 'fixtures', 'charts', 'sandbox-app');

/** Runs `bosun <args>` in-process through the real CLI entry; never throws on a failing command. */
export async function bosun(args: string[], env?: Env): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const full = env ? ['--kubeconfig', env.kubeconfig, ...args] : args;
  // flags must follow the command for yargs; put --kubeconfig after the command words
  const argv = env ? [...args.slice(0, commandWords(args)), '--kubeconfig', env.kubeconfig, ...args.slice(commandWords(args))] : full;
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

function commandWords(args: string[]): number {
  return args[0] === 'get' ? 2 : 1;
}

/** The real helm with the test environment (kubeconfig, caches in the temp dir). */
export function helm(which: 'helm4' | 'helm3', env: Env, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(tool(which), args, { ...env.env, ...extraEnv }, undefined, 120_000);
}

/** Writes a chart from a map of relative paths to contents; returns its directory. */
export function writeChart(dir: string, files: Record<string, string>): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}
