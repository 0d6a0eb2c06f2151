// Parser tables: input → canonical String() of the tree (Go's parse_test.go style, text shown raw rather than %q),
// or a parse error with Go's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/template/errors.js';
import { NodeType, type ListNode } from '../../src/template/node.js';
import { MAX_PARSE_DEPTH, parse } from '../../src/template/parse.js';

const FUNCS = new Set(['printf', 'contains']);
const env = { hasFunction: (n: string) => FUNCS.has(n) };

function parsed(input: string): string {
  return parse('t', input, env).get('t')!.root.toString();
}

const ok: [string, string, string][] = [
  ['empty', '', ''],
  ['comment', '{{/*\n\n\n*/}}', ''],
  ['spaces', ' \t\n', ' \t\n'],
  ['text', 'some text', 'some text'],
  ['emptyAction', '{{printf}}', '{{printf}}'],
  ['field', '{{.X}}', '{{.X}}'],
  ['simple command', '{{printf}}', '{{printf}}'],
  ['$ invocation', '{{$}}', '{{$}}'],
  ['variable invocation', '{{with $x := 3}}{{$x 23}}{{end}}', '{{with $x := 3}}{{$x 23}}{{end}}'],
  ['variable with fields', '{{$.I}}', '{{$.I}}'],
  ['multi-word command', '{{printf `%d` 23}}', '{{printf `%d` 23}}'],
  ['pipeline', '{{.X|.Y}}', '{{.X | .Y}}'],
  ['pipeline with decl', '{{$x := .X|.Y}}', '{{$x := .X | .Y}}'],
  ['nested pipeline', '{{.X (.Y .Z) (.A | .B .C) (.E)}}', '{{.X (.Y .Z) (.A | .B .C) (.E)}}'],
  ['field applied to parentheses', '{{(.Y .Z).Field}}', '{{(.Y .Z).Field}}'],
  ['simple if', '{{if .X}}hello{{end}}', '{{if .X}}hello{{end}}'],
  ['if with else', '{{if .X}}true{{else}}false{{end}}', '{{if .X}}true{{else}}false{{end}}'],
  ['if with else if', '{{if .X}}true{{else if .Y}}false{{end}}', '{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}'],
  ['if else chain', '+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+', '+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+'],
  ['simple range', '{{range .X}}hello{{end}}', '{{range .X}}hello{{end}}'],
  ['chained field range', '{{range .X.Y.Z}}hello{{end}}', '{{range .X.Y.Z}}hello{{end}}'],
  ['nested range', '{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}', '{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}'],
  ['range with else', '{{range .X}}true{{else}}false{{end}}', '{{range .X}}true{{else}}false{{end}}'],
  ['range over pipeline', '{{range .X|.M}}true{{else}}false{{end}}', '{{range .X | .M}}true{{else}}false{{end}}'],
  ['range []int', '{{range .SI}}{{.}}{{end}}', '{{range .SI}}{{.}}{{end}}'],
  ['range 1 var', '{{range $x := .SI}}{{.}}{{end}}', '{{range $x := .SI}}{{.}}{{end}}'],
  ['range 2 vars', '{{range $x, $y := .SI}}{{.}}{{end}}', '{{range $x, $y := .SI}}{{.}}{{end}}'],
  ['range with break', '{{range .SI}}{{.}}{{break}}{{end}}', '{{range .SI}}{{.}}{{break}}{{end}}'],
  ['range with continue', '{{range .SI}}{{.}}{{continue}}{{end}}', '{{range .SI}}{{.}}{{continue}}{{end}}'],
  ['constants', "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}", "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"],
  ['template', '{{template `x`}}', '{{template "x"}}'],
  ['template with arg', '{{template `x` .Y}}', '{{template "x" .Y}}'],
  ['with', '{{with .X}}hello{{end}}', '{{with .X}}hello{{end}}'],
  ['with with else', '{{with .X}}hello{{else}}goodbye{{end}}', '{{with .X}}hello{{else}}goodbye{{end}}'],
  ['with with else with', '{{with .X}}hello{{else with .Y}}goodbye{{end}}', '{{with .X}}hello{{else}}{{with .Y}}goodbye{{end}}{{end}}'],
  ['trim left', 'x \r\n\t{{- 3}}', 'x{{3}}'],
  ['trim right', '{{3 -}}\n\n\ty', '{{3}}y'],
  ['trim left and right', 'x \r\n\t{{- 3 -}}\n\n\ty', 'x{{3}}y'],
  ['trim with extra spaces', 'x\n{{-  3   -}}\ny', 'x{{3}}y'],
  ['comment trim left', 'x \r\n\t{{- /* hi */}}', 'x'],
  ['comment trim right', '{{/* hi */ -}}\n\n\ty', 'y'],
  ['block definition', '{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'],
  ['newline in assignment', '{{ $x \n := \n 1 \n }}', '{{$x := 1}}'],
  ['newline in pipeline', '{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'],
  ['spaces around assignment', '{{$x:=.}}{{$x +2}}', '{{$x := .}}{{$x +2}}'],
  ['assignment', '{{$x := 0}}{{$x = 1}}{{$x}}', '{{$x := 0}}{{$x = 1}}{{$x}}'],
  ['dollar field chain', '{{$.X.Y}}', '{{$.X.Y}}'],
  ['define is removed from body', 'a{{define "x"}}b{{end}}c', 'ac'],
];

for (const [name, input, want] of ok) {
  test(`parse: ${name}`, () => {
    assert.equal(parsed(input), want);
  });
}

const bad: [string, string, string][] = [
  ['unclosed action', 'hello{{range', 'template: t:1: unclosed action'],
  ['unmatched end', '{{end}}', 'template: t:1: unexpected {{end}}'],
  ['unmatched else', '{{else}}', 'template: t:1: unexpected {{else}}'],
  ['unmatched else after if', '{{if .X}}hello{{end}}{{else}}', 'template: t:1: unexpected {{else}}'],
  ['multiple else', '{{if .X}}1{{else}}2{{else}}3{{end}}', 'template: t:1: expected end; found {{else}}'],
  ['missing end', 'hello{{range .x}}', 'template: t:1: unexpected EOF'],
  ['missing end after else', 'hello{{range .x}}{{else}}', 'template: t:1: unexpected EOF'],
  ['undefined function', 'hello{{undefined}}', 'template: t:1: function "undefined" not defined'],
  ['undefined variable', '{{$x}}', 'template: t:1: undefined variable "$x"'],
  ['variable undefined after end', '{{with $x := 4}}{{end}}{{$x}}', 'template: t:1: undefined variable "$x"'],
  ['variable undefined in template', '{{template $v}}', 'template: t:1: unexpected "$v" in template clause'],
  ['declare with field', '{{with $x.Y := 4}}{{end}}', 'template: t:1: undefined variable "$x"'],
  ['template with field ref', '{{template .X}}', 'template: t:1: unexpected ".X" in template clause'],
  ['invalid punctuation', '{{printf 3, 4}}', 'template: t:1: unexpected "," in operand'],
  ['multidecl outside range', '{{with $v, $u := 3}}{{end}}', 'template: t:1: too many declarations in with'],
  ['too many decls in range', '{{range $u, $v, $w := 3}}{{end}}', 'template: t:1: too many declarations in range'],
  ['range can only initialize variables', '{{range $u, 3}}{{end}}', 'template: t:1: range can only initialize variables'],
  ['dot applied to parentheses', '{{printf (printf .).}}', 'template: t:1: unexpected <.> in operand'],
  ['adjacent args', '{{printf 3`x`}}', 'template: t:1: unexpected "`x`" in operand'],
  ['adjacent args with .', '{{printf `x`.}}', 'template: t:1: unexpected <.> in operand'],
  ['extra end after if', '{{if .X}}a{{else if .Y}}b{{end}}{{end}}', 'template: t:1: unexpected {{end}}'],
  ['bug0b', '{{$x += 1}}{{$x}}', 'template: t:1: undefined variable "$x"'],
  ['bug0b declared', '{{$x := 0}}{{$x += 1}}', 'template: t:1: illegal number syntax: "+"'],
  ['bug0c', '{{$x := 0}}{{$x ! 2}}{{$x}}', 'template: t:1: unexpected "!" in operand'],
  ['bug1a', '{{$x:=.}}{{$x!2}}', `template: t:1: bad character U+0021 '!'`],
  ['bug1b', '{{$x:=.}}{{$x+2}}', `template: t:1: bad character U+002B '+'`],
  ['dot after integer', '{{1.E}}', 'template: t:1: illegal number syntax: "1.E"'],
  ['dot after float', '{{0.1.E}}', 'template: t:1: unexpected . after term "0.1"'],
  ['dot after boolean', '{{true.E}}', 'template: t:1: unexpected . after term "true"'],
  ['dot after char', "{{'a'.any}}", `template: t:1: unexpected . after term "'a'"`],
  ['dot after string', '{{"hello".guys}}', 'template: t:1: unexpected . after term "\\"hello\\""'],
  ['dot after dot', '{{..E}}', 'template: t:1: unexpected . after term "."'],
  ['dot after nil', '{{nil.E}}', 'template: t:1: unexpected . after term "nil"'],
  ['wrong pipeline dot', '{{12|.}}', 'template: t:1: non executable command in pipeline stage 2'],
  ['wrong pipeline number', '{{.|12|printf}}', 'template: t:1: non executable command in pipeline stage 2'],
  ['wrong pipeline string', '{{.|printf|"error"}}', 'template: t:1: non executable command in pipeline stage 3'],
  ['wrong pipeline char', "{{12|printf|'e'}}", 'template: t:1: non executable command in pipeline stage 3'],
  ['wrong pipeline boolean', '{{.|true}}', 'template: t:1: non executable command in pipeline stage 2'],
  ['wrong pipeline nil', "{{'c'|nil}}", 'template: t:1: non executable command in pipeline stage 2'],
  ['empty pipeline', '{{printf "%d" ( ) }}', 'template: t:1: missing value for parenthesized pipeline'],
  ['block without pipeline', '{{block "foo"}}hello{{end}}', 'template: t:1: missing value for block clause'],
  ['empty action', '{{\n}}', 'template: t:2: missing value for command'],
  ['break outside range', '{{range .}}{{end}} {{break}}', 'template: t:1: {{break}} outside {{range}}'],
  ['continue outside range', '{{range .}}{{end}} {{continue}}', 'template: t:1: {{continue}} outside {{range}}'],
  ['break with arguments', '{{range .}}{{break 1}}{{end}}', 'template: t:1: unexpected "1" in {{break}}'],
  ['break in define inside range', '{{range .}}{{block "b" .}}{{break}}{{end}}{{end}}', 'template: t:1: {{break}} outside {{range}}'],
  ['define inside action', '{{if 1}}{{define "x"}}{{end}}{{end}}', 'template: t:1: unexpected <define> in command'],
  ['define without name', '{{define}}x{{end}}', 'template: t:1: unexpected "}}" in define clause'],
  ['define with number name', '{{define 3}}x{{end}}', 'template: t:1: unexpected "3" in define clause'],
  ['unterminated define', '{{define "x"}}abc', 'template: t:1: unexpected EOF'],
  ['else in define', '{{define "x"}}a{{else}}b{{end}}', 'template: t:1: unexpected {{else}} in define clause'],
  ['multiple definition', '{{define "a"}}1{{end}}{{define "a"}}2{{end}}', 'template: t:1: template: multiple definition of template "a"'],
  ['error line counts newlines', 'a\n{{ .x\n}}\n{{ if }}', 'template: t:4: missing value for if'],
  ['lexer error on a later line names the action start', '{{ .x\n\n"abc}}', 'template: t:3: unterminated quoted string in action started at t:1'],
  ['unclosed action across lines', '{{ .x\n\n', 'template: t:3: unclosed action started at t:1'],
  ['bad string escape', '{{"\\z"}}', 'template: t:1: invalid syntax'],
  ['bad char constant', "{{'ab'}}", "template: t:1: malformed character constant: 'ab'"],
  ['empty char constant', "{{''}}", 'template: t:1: invalid syntax'],
  ['integer overflow', '{{99999999999999999999}}', 'template: t:1: integer overflow: "99999999999999999999"'],
  ['illegal number', '{{0x}}', 'template: t:1: illegal number syntax: "0x"'],
  ['bad underscore', '{{1__0}}', 'template: t:1: illegal number syntax: "1__0"'],
  ['bad hex float', '{{0x1.8}}', 'template: t:1: illegal number syntax: "0x1.8"'],
  ['minus alone', '{{-}}', 'template: t:1: illegal number syntax: "-"'],
];

for (const [name, input, message] of bad) {
  test(`parse error: ${name}`, () => {
    assert.throws(
      () => parse('t', input, env),
      (e: unknown) => {
        assert.ok(e instanceof ParseError, `not a ParseError: ${String(e)}`);
        assert.equal(e.message, message);
        return true;
      },
    );
  });
}

test('parse: defines and blocks become sibling trees; the text tree is kept even when empty', () => {
  const trees = parse('file', '{{define "a"}}A{{end}}{{block "b" .}}B{{end}}', env);
  assert.deepEqual([...trees.keys()].sort(), ['a', 'b', 'file']);
  assert.equal(trees.get('a')!.root.toString(), 'A');
  assert.equal(trees.get('b')!.root.toString(), 'B');
  assert.equal(trees.get('file')!.root.toString(), '{{template "b" .}}');
  assert.equal(trees.get('a')!.parseName, 'file');
});

test('parse: numbers keep every Go type that represents them', () => {
  const root = parse('t', "{{printf 1 1.0 1.5 0x10 'a' -1 18446744073709551615 1e3}}", env).get('t')!.root;
  const action = root.nodes[0]!;
  assert.equal(action.type, NodeType.Action);
  const args = action.type === NodeType.Action ? action.pipe.cmds[0]!.args.slice(1) : [];
  const desc = args.map((a) => (a.type === NodeType.Number ? `${a.isInt ? 'i' : ''}${a.isUint ? 'u' : ''}${a.isFloat ? 'f' : ''}` : '?'));
  assert.deepEqual(desc, ['iuf', 'iuf', 'f', 'iuf', 'iuf', 'if', 'uf', 'iuf']);
});

test('parse: node positions are Go-style (a field chain sits at its second segment)', () => {
  const root = parse('t', '{{ .Values.s }}', env).get('t')!.root as ListNode;
  const a = root.nodes[0]!;
  assert.ok(a.type === NodeType.Action);
  const f = a.pipe.cmds[0]!.args[0]!;
  assert.equal(f.pos, 10);
  assert.equal(f.toString(), '.Values.s');
});

test('parse: copy() yields an equal tree', () => {
  const root = parse('t', '{{if .X}}{{range $i, $v := .Y}}{{$v | printf "%d"}}{{end}}{{else}}{{template "z" (.A).B}}{{end}}', env).get('t')!.root;
  assert.equal(root.copy().toString(), root.toString());
});

test('parse: deep nesting is refused instead of overflowing the stack', () => {
  const parens = '{{' + '('.repeat(MAX_PARSE_DEPTH + 1) + '1' + ')'.repeat(MAX_PARSE_DEPTH + 1) + '}}';
  assert.throws(() => parse('t', parens, env), /max expression depth exceeded/);
  const ifs = '{{if 1}}'.repeat(MAX_PARSE_DEPTH + 1) + '{{end}}'.repeat(MAX_PARSE_DEPTH + 1);
  assert.throws(() => parse('t', ifs, env), /max nesting depth exceeded/);
  const ok = '{{' + '('.repeat(200) + '1' + ')'.repeat(200) + '}}';
  assert.equal(parse('t', ok, env).get('t')!.root.toString(), '{{' + '('.repeat(200) + '1' + ')'.repeat(200) + '}}');
});
