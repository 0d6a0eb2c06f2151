// Locates the project root (the folder holding package.json) whether tests run from source or from dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
export const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/charts');
export const CORPUS = join(PROJECT_ROOT, '../shared/corpus');
