// Running the reference helm v4.1.4 (the oracle) from tests: asynchronously, a few at a time, with no kube context
// (so its namespace is `default`, like bosun's) and helm's stdout/stderr kept apart.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { helm4 } from '../support/paths.js';

export interface HelmRun {
  stdout: string;
  stderr: string;
  code: number;
}

export const haveHelm = existsSync(helm4);

const env = { ...process.env, KUBECONFIG: '/nonexistent', HELM_NAMESPACE: '' };
delete (env as Record<string, string | undefined>).HELM_NAMESPACE;

export function runHelm(args: readonly string[], cwd?: string): Promise<HelmRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(helm4, args, { cwd, env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }));
  });
}

/** Maps `fn` over `items` with at most `limit` running at once, keeping the order of results. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The `Error: ...` lines helm writes to stderr (its log lines are left out). */
export function errorLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('Error:'))
    .map((l) => l + '\n')
    .join('');
}

/** Where two texts first differ, for failure messages. */
export function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: want ${JSON.stringify(a[i] ?? '<end>')}, got ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'identical';
}
