#!/usr/bin/env node
// Runs every compiled test file under dist/test with Node's built-in runner.
// A run that finds no test file fails: CI must never pass on an empty suite.
// Only files whose source test/**/*.test.ts exists run: tsc never deletes the output of a test that was removed or
// renamed, and such a stale copy would still run (and count) in a work tree that was built before.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../dist/test', import.meta.url).pathname;
const sources = new URL('../test', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js') && existsSync(join(sources, p.slice(root.length).replace(/\.js$/, '.ts')))) files.push(p);
  }
})(root);
const filter = process.argv.slice(2);
const chosen = filter.length ? files.filter((f) => filter.some((s) => f.includes(s))) : files;
if (chosen.length === 0) {
  console.error('no test files found under dist/test');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...chosen], { stdio: 'inherit' });
process.exit(r.status ?? 1);
