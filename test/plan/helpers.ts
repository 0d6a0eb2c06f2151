// Shared helpers of the fleet tests: bosun's fleet commands run in-process (the same yargs setup as src/cli/index.ts
// with fleetCommands and stateCommands registered) against a sandbox started per suite.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/index.js';
import { Cluster } from '../../src/kube/index.js';
import { sandboxEnv, type Env } from '../sandbox/helpers.js';

export { sandboxEnv, ROOT, type Env } from '../sandbox/helpers.js';

/**
 * A fleet suite's sandbox and scratch directory (named with `prefix`); close() closes this process's cluster
 * clients, stops the sandbox and removes the directory.
 */
export async function openFleetSuite(opts: Parameters<typeof sandboxEnv>[0], prefix: string): Promise<{ env: Env; dir: string; close(): Promise<void> }> {
  const env = await sandboxEnv(opts);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    env,
    dir,
    close: async () => {
      await Cluster.closeAll();
      await env.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
  let code: number;
  try {
    code = await main(args, io);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { code, stdout, stderr };
}

/** A Deployment named after the release (one replica): with `wait`, a target waits for the sandbox's pod. */
export const DEPLOYMENT_TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
`;

/** Writes files from a map of relative paths to contents under dir. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}
