// Property tests: random and mutated templates through lexer, parser and executor. Whatever the input, the engine
// either renders a string or throws a ParseError / ExecError (never another exception, never a hang), and
// parsing the canonical String() of a parsed tree gives the same String() again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExecError, GoInt, ParseError, Template, fromPlain, gofn, newMap, stringSlice, type GoMap, type GoValue } from '../../src/template/index.js';
import { parse } from '../../src/template/parse.js';

const funcs = {
  upper: gofn(['string'], (s: string) => s.toUpperCase()),
  twice: gofn(['int'], (n: GoInt) => new GoInt(n.value * 2n)),
  join: gofn(['string'], (sep: string, ...xs: GoValue[]) => xs.map(String).join(sep), 'any'),
  keys: gofn(['map'], (m: GoMap | null) => stringSlice(m === null ? [] : Object.keys(m))),
  boom: gofn([], (): GoValue => {
    throw new Error('boom');
  }),
};

function data(): GoValue {
  const d = fromPlain({ a: 'x', n: 1.5, l: [1, 'two', null, [3]], m: { k: 'v', z: null }, e: '', b: true, nil: null }) as GoMap;
  d.i = new GoInt(2);
  d.sm = Object.assign(newMap('map[string]string'), { k: 'v' });
  d.f = funcs.upper as unknown as GoValue; // a function value (for call)
  d.bytes = new Uint8Array([1, 2]);
  return d;
}

const operand = fc.constantFrom(
  '.',
  '.a',
  '.n',
  '.l',
  '.m',
  '.m.k',
  '.m.z.q',
  '.nil',
  '.nil.x',
  '.missing.deep',
  '.sm.k',
  '.i',
  '.f',
  '.bytes',
  '$',
  '$.a',
  '$x',
  '1',
  '-2',
  '0x10',
  '1.5',
  '1e2',
  "'c'",
  '1i',
  '"s"',
  '`raw`',
  'true',
  'nil',
  '(.l)',
);
const func = fc.constantFrom('len', 'index', 'slice', 'eq', 'ne', 'lt', 'le', 'and', 'or', 'not', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call', 'upper', 'twice', 'join', 'keys', 'boom');

const command = fc.oneof(
  operand,
  fc.tuple(func, fc.array(operand, { maxLength: 3 })).map(([f, args]) => [f, ...args].join(' ')),
  fc.tuple(operand, fc.array(operand, { maxLength: 2 })).map(([f, args]) => [f, ...args].join(' ')),
);
const pipeline = fc
  .tuple(fc.constantFrom('', '$x := ', '$x = ', '$y := ', '$i, $v := '), fc.array(command, { minLength: 1, maxLength: 3 }))
  .map(([decl, cmds]) => decl + cmds.join(' | '));
const delimL = fc.constantFrom('{{', '{{- ', '{{ ');
const delimR = fc.constantFrom('}}', ' -}}', ' }}');

const { node } = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('text', ' ', '\n', '  x  ', 'é', '{{/* c */}}', '{{- /* c */ -}}', '{{break}}', '{{continue}}', '{{end}}', '{{else}}'),
    fc.tuple(delimL, pipeline, delimR).map(([l, p, r]) => l + p + r),
    fc.tuple(fc.constantFrom('if', 'with', 'range'), pipeline, tie('list'), fc.option(tie('list'))).map(
      ([k, p, body, els]) => `{{${k} ${p}}}${body}${els === null ? '' : `{{else}}${els}`}{{end}}`,
    ),
    fc.tuple(fc.constantFrom('a', 'b'), tie('list')).map(([n, body]) => `{{define "${n}"}}${body}{{end}}`),
    fc.tuple(fc.constantFrom('a', 'b', 'none'), fc.option(pipeline)).map(([n, p]) => `{{template "${n}"${p === null ? '' : ' ' + p}}}`),
    fc.tuple(fc.constantFrom('a', 'b'), pipeline, tie('list')).map(([n, p, body]) => `{{block "${n}" ${p}}}${body}{{end}}`),
  ),
  list: fc.array(tie('node'), { maxLength: 4 }).map((xs) => (xs as string[]).join('')),
}));

const template = fc.array(node, { minLength: 1, maxLength: 5 }).map((xs) => '{{$x := 1}}{{$y := .}}' + xs.join(''));

const NOISE = '{}()|$."\'`-:=, \n\tabc01_/*!';
const mutation = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace', 'duplicate'), fc.integer({ min: 0, max: NOISE.length - 1 }), fc.integer({ min: 1, max: 6 }));
const mutated = fc.tuple(template, fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([t, muts]) => {
  let s = t;
  for (const [at, kind, ch, len] of muts) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    switch (kind) {
      case 'insert':
        s = s.slice(0, i) + NOISE[ch] + s.slice(i);
        break;
      case 'delete':
        s = s.slice(0, i) + s.slice(i + len);
        break;
      case 'replace':
        s = s.slice(0, i) + NOISE[ch] + s.slice(i + 1);
        break;
      case 'duplicate':
        s = s.slice(0, i) + s.slice(i, i + len) + s.slice(i);
        break;
    }
  }
  return s;
});

/** Runs one template; returns what happened, failing the property on anything but a string or a template error. */
function run(text: string): 'ok' | 'parse' | 'exec' {
  const start = Date.now();
  const t = new Template('t', { funcs: { ...funcs }, missingKey: 'zero' });
  let outcome: 'ok' | 'parse' | 'exec';
  try {
    t.parse('t', text);
    const out = t.execute('t', data());
    assert.equal(typeof out, 'string');
    outcome = 'ok';
  } catch (e) {
    if (e instanceof ParseError) outcome = 'parse';
    else if (e instanceof ExecError) outcome = 'exec';
    else throw new Error(`unexpected ${String(e)} for ${JSON.stringify(text)}`);
    assert.ok(e.message.startsWith('template: '), e.message);
  }
  assert.ok(Date.now() - start < 2000, `took ${Date.now() - start} ms: ${JSON.stringify(text)}`);
  return outcome;
}

test('fuzz: generated templates render or fail with a template error', () => {
  const seen = { ok: 0, parse: 0, exec: 0 };
  fc.assert(
    fc.property(template, (text) => {
      seen[run(text)]++;
    }),
    { numRuns: 1500 },
  );
  // The generator must exercise all three outcomes.
  assert.ok(seen.ok > 0 && seen.parse > 0 && seen.exec > 0, JSON.stringify(seen));
});

test('fuzz: mutated templates render or fail with a template error', () => {
  fc.assert(
    fc.property(mutated, (text) => {
      run(text);
    }),
    { numRuns: 1500 },
  );
});

test('fuzz: arbitrary strings never crash the lexer and parser', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'{{}}()|$.x"\'` -:=\n1e+_/*'.split('')), maxLength: 60 }), (text) => {
      try {
        parse('t', text, { hasFunction: () => true });
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
      }
    }),
    { numRuns: 3000 },
  );
});

test("fuzz: a parsed tree's String() parses back to the same String()", () => {
  const env = { hasFunction: (n: string) => n in funcs || ['len', 'index', 'slice', 'eq', 'ne', 'lt', 'le', 'and', 'or', 'not', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call'].includes(n) };
  fc.assert(
    fc.property(template, (text) => {
      let trees;
      try {
        trees = parse('t', text, env);
      } catch (e) {
        if (e instanceof ParseError) return;
        throw e;
      }
      for (const tree of trees.values()) {
        const s = tree.root.toString();
        // Variables declared outside a define are not visible when its body is reparsed alone.
        const again = parse('t', '{{$x := 1}}{{$y := .}}{{$i := 0}}{{$v := 0}}' + s, env).get('t')!.root.toString();
        assert.equal(again, '{{$x := 1}}{{$y := .}}{{$i := 0}}{{$v := 0}}' + s);
      }
    }),
    { numRuns: 800 },
  );
});
