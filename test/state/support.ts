// Helpers for the state tests: the project root, temporary state trees, and Go values as plain data.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoInt, GoStruct } from '../../src/template/value.js';
import { loadStateSync, resolveTargets, StateError, type LoadOptions, type ResolveOptions, type Target } from '../../src/state/index.js';

/** The project root (found from this file, whether run from test/ or dist/test/). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'bosun') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
})();

export function fixture(...parts: string[]): string {
  return join(ROOT, 'test', 'fixtures', 'state', ...parts);
}

/** Writes `files` (path → content) under a new temporary directory and returns it. */
export function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-state-'));
  for (const [p, text] of Object.entries(files)) {
    const f = join(dir, p);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  return dir;
}

/** A tiny local chart directory content, for trees that need `chart: ./charts/x` to exist. */
export function chartFiles(name: string): Record<string, string> {
  return { [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n` };
}

/** Loads a state tree (the directory's bosun.yaml / helmfile.yaml) and resolves its targets. */
export function targetsOf(dir: string, load: LoadOptions = {}, resolve: ResolveOptions = {}): Target[] {
  return resolveTargets(loadStateSync({ cwd: dir, ...load }), resolve).targets;
}

export function ids(targets: Target[]): string[] {
  return targets.map((t) => t.id);
}

export function byId(targets: Target[], id: string): Target {
  const t = targets.find((x) => x.id === id);
  assert.ok(t, `no target ${id} among ${ids(targets).join(', ')}`);
  return t;
}

/** Go values as plain JSON data: Go ints become { int: n } so that tests see the Go type; floats stay numbers. */
export function plain(v: unknown, markInts = false): unknown {
  if (v instanceof GoInt) return markInts ? { int: Number(v.value) } : Number(v.value);
  if (v instanceof GoStruct) return String(v);
  if (Array.isArray(v)) return v.map((x) => plain(x, markInts));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = plain((v as Record<string, unknown>)[k], markInts);
    return o;
  }
  return v;
}

/** Asserts that `fn` throws a StateError at file (suffix), line and field, whose message matches. */
export function throwsState(fn: () => unknown, expected: { file?: string; line?: number; field?: string; message: RegExp }): StateError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof StateError, `expected a StateError, got ${err === undefined ? 'no error' : String(err)}`);
  if (expected.file !== undefined) assert.ok(err.file.endsWith(expected.file), `file ${err.file} should end with ${expected.file} (${err.message})`);
  if (expected.line !== undefined) assert.equal(err.line, expected.line, err.message);
  if (expected.field !== undefined) assert.equal(err.field, expected.field, err.message);
  assert.match(err.detail, expected.message, err.message);
  assert.ok(err.message.startsWith(`${err.file}:${err.line}: `) || err.line === 0, err.message);
  return err;
}
