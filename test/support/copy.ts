import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';

/**
 * Copies a file tree and makes the copy writable by its owner: cpSync keeps the read-only modes of ../shared, which
 * would stop a test from changing the copy or removing it afterwards.
 */
export function copyWritable(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', to]);
}
