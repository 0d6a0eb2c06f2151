// Values files read as go-yaml v2 reads them. Quoted scalars and flow collections whose lines are indented no deeper
// than their parent (down to column 0): go-yaml reads on to the closing quote or bracket, and so must bosun
// (src/yaml/quoted.ts, src/yaml/flow.ts). Syntax errors: go-yaml's wording, and its line (none for a problem on the
// first line). Each case is a values file read by the real helm v4.1.4 and by bosun: the same values (as toJson
// prints them), or the same error line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/index.js';
import { helm4 } from '../support/paths.js';

const CASES: Array<[string, string]> = [
  ['closing quote at column 0', 'key: "line1\n"\n'],
  ['continuation at the key\'s own indentation', 'nested:\n  k: "x\n  y"\n'],
  ['single-quoted, column 0, the mapping goes on', "a:\n  b: 'x\ny'\n  c: 1\n"],
  ["single-quoted with ''", "k: 'it''s\nok'\n"],
  ['escaped line break', 'k: "a\\\nb"\n'],
  ['empty line inside', 'k: "a\n\nb"\n'],
  ['tab before the continuation', 'k: "a\n\tb"\n'],
  ['sequence item', 'l:\n- "a\nb"\n- c\n'],
  ['deeply nested, then a shallower key', 'x:\n  y:\n    z: "p\nq"\n  w: 2\n'],
  ['compact mapping in a sequence', 'm:\n  - k: "1\n  2"\n    j: 3\n'],
  ['two such scalars', 'a: "1\n2"\nb: \'3\n4\'\nc: "ok"\n'],
  ['never closed', 'k: "a\nb\n'],
  ['a --- line inside', 'k: "a\n---\nb"\n'],
  ['a ... line inside', 'a: "x\n...\ny"\n'],
  ['flow sequence items at column 0', 'a: [1,\n2]\n'],
  ['flow mapping entries at column 0', 'a: {x: 1,\nz: 2}\n'],
  ['closing bracket at column 0 under a nested key', 'b:\n  a: [\n    1\n]\n'],
  ["items at the nested key's own indentation, then a key", 'a:\n  b: [1,\n  2]\n  c: 3\n'],
  ['a compact mapping at column 0 inside', 'a: [1,\nb: 2]\n'],
  ['nested flow collections', 'a: [[1,\n2], {k: [x,\ny]}]\n'],
  ['a bracket in a quoted scalar', 'a: ["x]",\n"y"]\nb: 1\n'],
  ['a bracket in a comment', 'a: [1, # ]\n2]\n'],
  ['flow sequence in a block sequence', 'l:\n- [a,\nb]\n- c\n'],
  ['two such collections', 'a: [1,\n2]\nb: {c: 3,\nd: 4}\n'],
  ['a bracket in a block plain scalar first', 'a: x[1]\nb: [1,\n2]\n'],
  ['an apostrophe inside a plain scalar', "a: [it's,\nok]\n"],
  ['anchor, alias and tag', 'a: &x [1,\n2]\nb: *x\nc: !!seq [3,\n4]\n'],
  ['a quoted scalar continued, then a flow collection', 'a: "x\n  y"\nb: [1,\n2]\n'],
  ['a --- line inside a flow collection', 'a: [1,\n---\n2]\n'],
  ['the text ends after [', 'a: [\n'],
  ['the text ends after a comma and a comment', 'a: [1, # c\n'],
  ['the text ends after {', 'x: 1\na: {\n'],
  ['the text ends after an item', 'a: [1, 2\n'],
  ['a scanner error on the first line', 'a: b: c\n'],
  ['a scanner error on the second line', 'x: 1\na: b: c\n'],
  ['a parser error on the first line', "a: 'x'y\n"],
  ['a parser error on the second line', "x: 1\na: 'x'y\n"],
  ['a block sequence entry after a key on its line', 'a: - 1\n'],
  ['the same on the second line', 'x: 1\na: - 1\n'],
  ['a flow sequence starting with a comma', 'a: [,]\n'],
  ['two commas in a flow sequence, second line', 'x: 1\na: [1,,2]\n'],
  ['an empty entry in a flow mapping', 'a: {,}\n'],
];

const helmAvailable = existsSync(helm4);
const work = mkdtempSync(join(tmpdir(), 'bosun-quoted-'));
const chart = join(work, 'chart');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: quoted\nversion: 0.1.0\n');
writeFileSync(join(chart, 'templates', 'values.yaml'), 'values: {{ toJson .Values | quote }}\n');

/** stdout when the command succeeds, else its first stderr line (the error). */
const outcome = (code: number | null, stdout: string, stderr: string): string => (code === 0 ? stdout : `exit ${code}: ${stderr.split('\n')[0]}`);

CASES.forEach(([name, yaml], i) => {
  test(`values file, ${name}: as helm reads it`, { skip: !helmAvailable && 'needs .tools/helm4 (npm run tools)' }, async () => {
    const file = join(work, `v${i}.yaml`);
    writeFileSync(file, yaml);
    const args = ['template', 'rel', chart, '-f', file];
    const h = spawnSync(helm4, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
    let out = '';
    let err = '';
    const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    assert.equal(outcome(code, out, err), outcome(h.status, h.stdout, h.stderr));
  });
});

test('fromYaml in a template reads such a scalar as helm does', { skip: !helmAvailable && 'needs .tools/helm4 (npm run tools)' }, async () => {
  const dir = join(work, 'from');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: from\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'doc.txt'), 'a:\n  b: "one\ntwo"\n  c: 3\n');
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'data: {{ .Files.Get "doc.txt" | fromYaml | toJson | quote }}\n');
  const h = spawnSync(helm4, ['template', 'rel', dir], { encoding: 'utf8' });
  assert.equal(h.status, 0, h.stderr);
  let out = '';
  assert.equal(await main(['template', 'rel', dir], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 } }), 0);
  assert.equal(out, h.stdout);
  assert.match(out, /one two/);
});

test.after(() => rmSync(work, { recursive: true, force: true }));
