#!/usr/bin/env node
// Second half of `npm run build`: the compiled CLI (dist/src/cli/index.js and everything it imports) as one
// CommonJS file, dist/bosun.cjs, plus a V8 code cache for it (dist/bosun.cjs.cache) produced by one training run.
//
// Why: Node 20 spends most of a cold `bosun template` resolving, compiling and linking ~130 ES modules.
// bin/bosun.cjs compiles this one file through vm.Script with the code cache instead, which halves a cold start
// (bench/render (a) prints the figures). dist/src stays the source of truth: tests import it directly, and
// bin/bosun.cjs falls back to it when the bundle is missing.
//
// Packages loaded on demand through createRequire (ajv, yaml, tar, pg, smol-toml, bcryptjs) and the two heavy ones
// marked external below stay outside the bundle and are resolved from node_modules at run time as before.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { PRECOMPILED, precompiledPath } from '../dist/src/schemas.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = join(root, 'dist', 'bosun.cjs');

/**
 * string-width (under yargs' help layout, three copies) builds an Intl.Segmenter and compiles Unicode-property
 * regular expressions when it is loaded: ~30 ms in every process, although only help output ever measures text.
 * Each copy is wrapped so that its body runs on the first call instead. The build fails if a copy no longer has
 * the expected shape, so a dependency upgrade cannot silently bring the cost back.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(build) {
    build.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const lines = readFileSync(args.path, 'utf8').split('\n');
      const imports = lines.filter((l) => l.startsWith('import '));
      const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
      const head = 'export default function stringWidth(';
      if (!body.includes(head) || /^export /m.test(body.replace(head, ''))) {
        throw new Error(`${args.path}: expected one \`${head}\` export (see scripts/bundle.mjs)`);
      }
      const lazy = `let impl;
export default function stringWidth(...args) {
  impl ??= (() => {
${body.replace(head, 'function stringWidth(')}
    return stringWidth;
  })();
  return impl(...args);
}
`;
      return { contents: `${imports.join('\n')}\n${lazy}`, loader: 'js' };
    });
  },
};

await esbuild.build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'index.js')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  logLevel: 'error',
  // Every module sees the bundle's own URL: the code that walks up to package.json or schema/ from
  // import.meta.url finds them from dist/ just as from dist/src/<dir>/.
  define: { 'import.meta.url': '__bosun_bundle_url' },
  // Heavy packages only some commands need stay in node_modules, loaded when those commands run:
  // client-node (14 MB bundled: kubeconfigs the fast reader leaves to it) and node-forge (the sandbox's certificates).
  external: ['@kubernetes/client-node', 'node-forge'],
  plugins: [lazyStringWidth],
});

// A dynamic import() compiled from a V8 code cache loses its loader in Node 20 ("A dynamic import callback was
// not specified"), so the bundle imports external ES modules through a function bin/bosun.cjs passes in.
const external = ['@kubernetes/client-node'];
let code = readFileSync(outfile, 'utf8');
for (const name of external) {
  const call = `import(${JSON.stringify(name)})`;
  if (!code.includes(call)) throw new Error(`dist/bosun.cjs: expected ${call} (see scripts/bundle.mjs)`);
  code = code.replaceAll(call, `__bosun_import(${JSON.stringify(name)})`);
}
// Node builtins that are compiled when first required (not part of Node's start-up snapshot) cost a few ms each at
// start (measured with a bare require in a fresh process): crypto ~6 ms, assert ~3 ms, zlib.
// A `bosun template` of a chart that hashes nothing needs none of them. Where the bundle binds one with a plain
// `x = require(id);` (or `x = __toESM(require(id), 1);`, which would copy its properties at once), used as
// `x.name` at call time, it gets a proxy that requires it on first use.
const LAZY_BUILTINS = ['node:zlib', 'node:crypto', 'assert'];
for (const id of LAZY_BUILTINS) {
  const quoted = JSON.stringify(id).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const plain = new RegExp(`(\\b[\\w$]+ = )(?:__toESM\\()?require\\(${quoted}\\)(?:, 1\\))?;`, 'g');
  const all = code.split(`require(${JSON.stringify(id)})`).length - 1;
  const lazy = code.match(plain)?.length ?? 0;
  if (lazy === 0 || lazy !== all) throw new Error(`dist/bosun.cjs: ${all} require(${id}), ${lazy} of them plain (see scripts/bundle.mjs)`);
  code = code.replace(plain, `$1__bosun_lazy(${JSON.stringify(id)});`);
}
// yargs' platform shim copies assert's strictEqual and notStrictEqual when it loads, and yargs calls them on every
// parse. They get a check of their own that calls the real (lazy) assert only when the assertion fails, so that
// the failure is assert's own and assert stays unloaded otherwise.
const assertCopies = /(\b(?:not)?[sS]trictEqual): (import_assert\d*)\.\1\b/g;
if ((code.match(assertCopies)?.length ?? 0) !== 2) throw new Error('dist/bosun.cjs: expected yargs to copy two assert functions (see scripts/bundle.mjs)');
code = code.replace(assertCopies, (_, fn, ns) => {
  const fails = fn === 'strictEqual' ? '!Object.is(a, b)' : 'Object.is(a, b)';
  return `${fn}: (a, b, m) => { if (${fails}) ${ns}.${fn}(a, b, m); }`;
});
// yargs() guesses a version before bosun sets its own: it looks for a package.json upward from its "main file",
// which it derives from its own path inside node_modules. In the bundle there is no node_modules in that path, so it
// searched from the working directory: reading the user's package.json, or failing an assertion (and loading
// assert) where there is none. The bundle's own path makes it find bosun's package.json beside dist/.
const yargsMain = 'var mainFilename = __dirname.substring(0, __dirname.lastIndexOf("node_modules"));';
if (code.split(yargsMain).length !== 2) throw new Error("dist/bosun.cjs: expected yargs' mainFilename line once (see scripts/bundle.mjs)");
code = code.replace(yargsMain, 'var mainFilename = __dirname;');
// The helpers the replacements above use, after the "use strict" directive (which must stay first to count).
const strict = '"use strict";\n';
if (!code.startsWith(strict)) throw new Error('dist/bosun.cjs: expected to start with "use strict"');
code =
  strict +
  "const __bosun_bundle_url = require('node:url').pathToFileURL(__filename).href;\n" +
  'const __bosun_lazy = (id) => { let m; return new Proxy({}, { get: (_, k) => (m ??= require(id))[k] }); };\n' +
  code.slice(strict.length);

// The schema validators scripts/schemas.mjs generated (dist/schema/*.validate.cjs, self-contained CommonJS) go
// inside the bundle too, so they load with its code cache instead of being compiled at every state-mode run
// (~6 ms); src/schemas.ts looks for __bosun_precompiled first.
const validators = PRECOMPILED.map((name) => {
  const src = readFileSync(join(root, precompiledPath(name)), 'utf8');
  if (/\brequire\(/.test(src)) throw new Error(`${precompiledPath(name)} requires a module: it cannot go inside the bundle as it is`);
  return `${JSON.stringify(name)}: function () {\nvar module = { exports: {} };\n(function (module, exports) {\n${src}\n})(module, module.exports);\nreturn module.exports;\n}`;
});
code += `\nvar __bosun_precompiled = {\n${validators.join(',\n')}\n};\n`;

const left = code.match(/\bimport\((?!\))/g);
if (left) throw new Error(`dist/bosun.cjs: ${left.length} dynamic import() left that bin/bosun.cjs cannot serve`);
// An ASCII bundle is read as latin1 (bin/bosun.cjs): one-byte strings, with no UTF-8 decoding of 2 MB at every start
// (~6 ms) and half the memory. esbuild escapes non-ASCII characters in strings and identifiers; what it leaves is in
// comments, where an escape reads just as well. Anything else fails the build.
code = code
  .split('\n')
  .map((line) => {
    if (!/[^\x00-\x7f]/.test(line)) return line;
    if (!/^\s*(\/\/|\/\*|\*)/.test(line)) throw new Error(`dist/bosun.cjs: non-ASCII character outside a comment: ${line.trim()}`);
    return line.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  })
  .join('\n');
writeFileSync(outfile, code);

// Training run: bin/bosun.cjs writes the code cache after a run when there is none (or V8 rejected it), including
// every function compiled during the run. Rendering the example state file's prod releases compiles the state
// loader and the whole template path over several charts: against training on one chart, that cache is ~0.3 MB
// larger, which a small chart's cold start does not notice, and state-mode runs are 20-100 ms faster.
rmSync(`${outfile}.cache`, { force: true });
const train = spawnSync(process.execPath, [join(root, 'bin', 'bosun.cjs'), 'template', '-f', join(root, 'examples', 'platform', 'bosun.yaml'), '-e', 'prod'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (train.status !== 0) throw new Error(`training run of dist/bosun.cjs failed (exit ${train.status})`);
