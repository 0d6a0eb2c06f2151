// Locations the tests read from, found the same way whether a test runs from test/ (tsx) or dist/test (npm test).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'bosun') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the bosun project root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The project checkout (where package.json is). */
export const projectRoot = findProjectRoot();
/** ../shared beside the checkout (BOSUN_SHARED overrides). */
export const sharedDir = process.env.BOSUN_SHARED ?? join(projectRoot, '..', 'shared');
/** Reference binaries unpacked by scripts/fetch-tools.mjs. */
export const toolsDir = join(projectRoot, '.tools');
export const helm4 = join(toolsDir, 'helm4');
export const helm3 = join(toolsDir, 'helm3');
export const kubectl = join(toolsDir, 'kubectl');
