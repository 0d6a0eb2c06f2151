// The fast YAML reader (src/yaml/fast.ts) against the full reader it stands in for: wherever the fast path gives
// an answer it must be the full reader's, for the corpus' values files, Chart.yaml files and rendered manifests and
// for seeded mutations of them (which mostly make the fast path give up, and sometimes make the full reader fail:
// the fast path must then have given up). Head mode (manifest heads) must agree on apiVersion, kind and metadata,
// and give up whenever the full fast path does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { sharedDir } from '../support/paths.js';
import { FALLBACK, fastParseYaml, fastParseYamlHead } from '../../src/yaml/fast.js';
import { decodeFirstFull } from '../../src/yaml/decode.js';
import { splitManifests, splitManifestsRegexp } from '../../src/render/manifests.js';
import { rng } from '../support/rng.js';

const corpus = join(sharedDir, 'corpus');

function corpusTexts(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (n !== 'templates') walk(p);
      } else if (/\.ya?ml$/.test(n) && st.size < 100_000) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(corpus, 'values'));
  walk(join(corpus, 'charts'));
  const golden = join(corpus, 'golden', 'v4');
  let i = 0;
  for (const n of readdirSync(golden)) {
    // a third of the rendered documents (the full reader is slow, and they are much alike)
    for (const d of readFileSync(join(golden, n), 'utf8').split(/^---\n/m)) if (i++ % 3 === 0 && d.length < 100_000) out.push(d.trim());
  }
  return out;
}

const PIECES = [
  ' ', '  ', '\n', '-', '- ', ':', ': ', '#', ' #', '"', "'", '|', '>', '|-', '>-', '|+', '|2', '|1-', '>2', '\t', '[', ']',
  '{', '}', '{ }', '[ a ]', ',', '?', '&a ', '*a', '&b x', ' *b', '!', '%', '@', '`', '...', '---', '\n---\n', 'true', 'no',
  '~', 'null', '0x1F', '1e3', '.nan', '.inf', '0777', '1_000', '2001-12-14', '\\', '\\n', '\\u00e9', '\\ ', "''", 'a: b',
  '\n  ', '\n- ', '\n  - ', 'é', '😀', '\r', '\x01', '<<', 'key:', '\n\n', '   \n',
  ...[...'"\'`[]{}&*!|>%@?:-,#'].flatMap((c) => ['\n  ' + c, '\n    ' + c, ' ' + c]),
];

function mutate(t: string, r: () => number): string {
  const m = 1 + Math.floor(r() * 3);
  for (let j = 0; j < m; j++) {
    const pos = Math.floor(r() * (t.length + 1));
    const x = r();
    if (x < 0.45) t = t.slice(0, pos) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(pos);
    else if (x < 0.75) t = t.slice(0, pos) + t.slice(pos + 1 + Math.floor(r() * 3));
    else if (x < 0.9) {
      const ls = t.lastIndexOf('\n', pos) + 1;
      const le = t.indexOf('\n', pos);
      t = t.slice(0, ls) + (r() < 0.5 ? ' ' : '') + t.slice(ls, le < 0 ? t.length : le) + '\n' + t.slice(ls);
    } else {
      const ls = t.lastIndexOf('\n', pos) + 1;
      if (t[ls] === ' ') t = t.slice(0, ls) + t.slice(ls + 1);
    }
  }
  return t;
}

/** JSON text with object keys in insertion order (key order is part of what must agree). */
const canon = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? { ...x } : x));

/** What head mode must give for a document the full reader reads as `v`. */
function headOf(v: unknown): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => ['apiVersion', 'kind', 'metadata'].includes(k))) : v;
}

const plainHead = (h: unknown) => (h === null || typeof h !== 'object' || Array.isArray(h) ? h : { ...h });

function check(t: string): { fast: boolean; problem?: string } {
  const f = fastParseYaml(t);
  const h = fastParseYamlHead(t);
  let full: unknown;
  if (f === FALLBACK) {
    if (h === FALLBACK) return { fast: false };
    // Head mode reads on through block scalars whose values only the full reader builds (they are not part of the
    // head); the full reader must then succeed and agree on the head.
    try {
      full = decodeFirstFull(t);
    } catch (e) {
      return { fast: false, problem: `the full reader fails (${(e as Error).message}) where head mode answered` };
    }
    if (!isDeepStrictEqual(plainHead(h), headOf(full))) return { fast: false, problem: 'head mode differs from the full reader' };
    return { fast: false };
  }
  try {
    full = decodeFirstFull(t);
  } catch (e) {
    return { fast: true, problem: `the full reader fails (${(e as Error).message}) where the fast path answered` };
  }
  if (!isDeepStrictEqual(f, full) || canon(f) !== canon(full)) return { fast: true, problem: 'values differ' };
  if (h !== FALLBACK && !isDeepStrictEqual(plainHead(h), headOf(f))) return { fast: true, problem: 'head mode differs' };
  return { fast: true };
}

test('fast YAML reader: corpus texts and seeded mutations agree with the full reader', { skip: !existsSync(corpus) }, () => {
  const texts = corpusTexts();
  const problems: string[] = [];
  let fast = 0;
  for (const t of texts) {
    const r = check(t);
    if (r.fast) fast++;
    if (r.problem) problems.push(`${r.problem}: ${JSON.stringify(t.slice(0, 200))}`);
  }
  // Most real documents take the fast path (that is its point).
  assert.ok(fast > texts.length / 2, `only ${fast} of ${texts.length} corpus texts took the fast path`);
  const small = texts.filter((t) => t.length < 4000);
  const r = rng(20241121);
  for (let i = 0; i < 8000 && problems.length < 5; i++) {
    const t = mutate(small[Math.floor(r() * small.length)]!, r);
    const c = check(t);
    if (c.problem) problems.push(`${c.problem}: ${JSON.stringify(t.slice(0, 300))}`);
  }
  assert.deepEqual(problems, []);
});

test('fast YAML reader: hand-picked cases agree with the full reader', () => {
  const cases = [
    'a: 1\nb:\n- x\n- y\nc: {}\nd: []\n',
    'a: |\n  x\n\n  y\nb: >-\n  p\n  q\n\n  r\n',
    'a: |2-\n    x\n   y\n',
    'k:\n  |\n   text\n',
    'a: "x\\ty \\u00e9"\nb: \'it\'\'s\'\n',
    'a: long plain\n  continued\n\n  after empty\n',
    "a: 'multi\n  line'\n",
    '- a: 1\n  b: 2\n- - x\n  - y\n',
    'x: &a 1\ny: *a\n',
    '---\na: 1\n',
    'a: 1\n---\n',
    'a: 1\n---\nb: 2\n',
    'a: [x, "y", 3]\n',
    'on: yes\nn: ~\nf: .5\ni: 0x1F\nt: 2001-12-14\n',
    'a: .nan\n',
    '<<: {a: 1}\n',
    'a: b: c\n',
    '\ta: 1\n',
    '"k": v\n',
    '? a\n: b\n',
    // flow collections (kube-prometheus-stack's affinity terms) and plain scalars starting with ':' (rule names)
    'm:\n  - {key: app.kubernetes.io/name, operator: In, values: [alertmanager]}\n',
    'a: {x: 1, "y": [true, ~, "q"], z: {w: -1}}\nb: [[a, b], {}, [], {c: d}]\n',
    '- {a: 1, a: 2}\n',
    'a: {a: }\n',
    'a: {a}\n',
    'a: [a: 1]\n',
    'a: [a, ]\n',
    'a: {a: b: c}\n',
    'a: [-, x]\n',
    'a: [-x, - y]\n',
    'a: {"k":v}\n',
    'a: {k :v}\n',
    'a: {yes: 1, 2: 3, null: 4}\n',
    'a: [x, {y: z]\n',
    'a: [x] # c\n',
    'a: {x: y} z\n',
    'record: :node_memory:sum\n',
    '- :a:b\n- :a: b\n',
    'a: :\n',
    'a: : b\n',
  ];
  for (const t of cases) assert.equal(check(t).problem, undefined, JSON.stringify(t));
  // the common ones take the fast path (so the cases above test it, not only the full reader)
  for (const t of [cases.at(-20)!, cases.at(-19)!, 'record: :node_memory:sum\n']) assert.notEqual(fastParseYaml(t), FALLBACK, JSON.stringify(t));
});

test('fast YAML reader: head mode reads through block scalars it does not build, and only those', () => {
  // Spaces beyond the indentation on an empty line of a literal scalar, more-indented lines of a folded one.
  const through = [
    'kind: A\nspec:\n  a: |\n    x\n      \n    \n    y\n  b: 1\n',
    'kind: A\nspec:\n  a: |\n    x\n       \nb: 1\n',
    'kind: A\nspec:\n  a: >-\n    x\n      more\n    y\n  b: 1\n',
    'kind: A\nspec:\n  a: >\n    x\n    \ty\n  b: 1\n',
    'kind: A\nspec:\n  a: |+\n    x\n      \n\nb: 1\n',
    'kind: A\nspec:\n  a: |2\n      \n    x\n',
    'kind: A\nmetadata:\n  name: n\n  annotations:\n    x: "1"\nspec:\n  a: |\n    x\n      \n',
  ];
  for (const t of through) {
    assert.equal(fastParseYaml(t), FALLBACK, JSON.stringify(t));
    assert.notEqual(fastParseYamlHead(t), FALLBACK, JSON.stringify(t));
    assert.equal(check(t).problem, undefined, JSON.stringify(t));
  }
  // Syntax errors after such a scalar still go to the full reader, which reports them.
  for (const t of ['kind: A\nspec:\n  a: |\n    x\n      \n  b: [1\n', 'kind: A\nspec:\n  a: >\n    x\n      \n   bad: indent\n']) {
    assert.equal(fastParseYamlHead(t), FALLBACK, JSON.stringify(t));
    assert.throws(() => decodeFirstFull(t));
  }
  // The head itself is always built exactly: such a scalar inside metadata leaves the head to the full reader.
  assert.equal(fastParseYamlHead('kind: A\nmetadata:\n  annotations:\n    a: |\n      x\n        \n'), FALLBACK);
});

test('splitManifests (scanner) agrees with the regular expression form', { skip: !existsSync(corpus) }, () => {
  const golden = join(corpus, 'golden', 'v4');
  for (const n of readdirSync(golden)) {
    const t = readFileSync(join(golden, n), 'utf8');
    assert.deepEqual(splitManifests(t), splitManifestsRegexp(t), n);
  }
  const alpha = ['-', '---', '\n', ' ', '\t', '\r', '\f', 'a', '\n---', '\n--- ', '--- \n', '\n\n---\n\n', '#'];
  const r = rng(7);
  for (let i = 0; i < 50000; i++) {
    let t = '';
    const m = Math.floor(r() * 12);
    for (let j = 0; j < m; j++) t += alpha[Math.floor(r() * alpha.length)];
    assert.deepEqual(splitManifests(t), splitManifestsRegexp(t), JSON.stringify(t));
  }
});
