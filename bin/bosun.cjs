#!/usr/bin/env node
'use strict';
// Thin shell around the CLI: all behaviour lives in src/cli (compiled to dist/src/cli).
// For a fast cold start it runs dist/bosun.cjs, the same code as one file (scripts/bundle.mjs), compiled with the
// V8 code cache beside it; without the bundle it imports dist/src/cli directly. This file is CommonJS because an
// ES module entry costs Node ~7 ms more to start.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

// bin/bosun (the installed command) hands NODE_EXTRA_CA_CERTS over under this name for commands that make no
// connection; restore it so the processes they start still see it.
if (process.env.BOSUN_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.BOSUN_NODE_EXTRA_CA_CERTS;
  delete process.env.BOSUN_NODE_EXTRA_CA_CERTS;
}

const bundle = join(__dirname, '..', 'dist', 'bosun.cjs');
const cacheFile = `${bundle}.cache`;

/** The bundle's exports, or undefined when it was not built. */
function loadBundle() {
  let source;
  try {
    // scripts/bundle.mjs makes the bundle ASCII-only, so latin1 reads it exactly, without UTF-8 decoding.
    source = readFileSync(bundle, 'latin1');
  } catch {
    return undefined;
  }
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
  // __bosun_import: the bundle's dynamic imports come here (see scripts/bundle.mjs).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __bosun_import) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), (name) => import(name));
  // After the run the cache also holds every function the run compiled; refresh it when missing or rejected
  // (another Node version). Best effort: a read-only installation just runs without it.
  const saveCache = cachedData === undefined || script.cachedDataRejected ? () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {}
  } : () => {};
  return { main: module.exports.main, saveCache };
}

async function run() {
  const cli = loadBundle() ?? { ...(await import('../dist/src/cli/index.js')), saveCache: () => {} };
  process.exitCode = await cli.main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
  cli.saveCache();
}

run();
