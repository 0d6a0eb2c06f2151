// Lexer tables: input → tokens (type and text), after Go's text/template/parse lex_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexAll, Tok, tokenString, type Token } from '../../src/template/lex.js';

type Item = [Tok, string];

const L: Item = [Tok.LeftDelim, '{{'];
const R: Item = [Tok.RightDelim, '}}'];
const SP: Item = [Tok.Space, ' '];
const EOF: Item = [Tok.EOF, ''];

const rows: { name: string; input: string; items: Item[] }[] = [
  { name: 'empty', input: '', items: [EOF] },
  { name: 'spaces', input: ' \t\n', items: [[Tok.Text, ' \t\n'], EOF] },
  { name: 'text', input: 'now is the time', items: [[Tok.Text, 'now is the time'], EOF] },
  { name: 'text with comment', input: 'hello-{{/* this is a comment */}}-world', items: [[Tok.Text, 'hello-'], [Tok.Text, '-world'], EOF] },
  { name: 'punctuation', input: '{{,@% }}', items: [L, [Tok.Char, ','], [Tok.Char, '@'], [Tok.Char, '%'], SP, R, EOF] },
  { name: 'parens', input: '{{((3))}}', items: [L, [Tok.LeftParen, '('], [Tok.LeftParen, '('], [Tok.Number, '3'], [Tok.RightParen, ')'], [Tok.RightParen, ')'], R, EOF] },
  { name: 'empty action', input: '{{}}', items: [L, R, EOF] },
  { name: 'for', input: '{{for}}', items: [L, [Tok.Identifier, 'for'], R, EOF] },
  { name: 'block', input: '{{block "foo" .}}', items: [L, [Tok.Block, 'block'], SP, [Tok.String, '"foo"'], SP, [Tok.Dot, '.'], R, EOF] },
  { name: 'quote', input: '{{"abc \\n\\t\\" "}}', items: [L, [Tok.String, '"abc \\n\\t\\" "'], R, EOF] },
  { name: 'raw quote', input: '{{`abc\\n\\t\\" `}}', items: [L, [Tok.RawString, '`abc\\n\\t\\" `'], R, EOF] },
  { name: 'raw quote with newline', input: '{{`now is{{\n}}the time`}}', items: [L, [Tok.RawString, '`now is{{\n}}the time`'], R, EOF] },
  {
    name: 'numbers',
    input: '{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}',
    items: [
      L,
      [Tok.Number, '1'], SP,
      [Tok.Number, '02'], SP,
      [Tok.Number, '0x14'], SP,
      [Tok.Number, '0X14'], SP,
      [Tok.Number, '-7.2i'], SP,
      [Tok.Number, '1e3'], SP,
      [Tok.Number, '1E3'], SP,
      [Tok.Number, '+1.2e-4'], SP,
      [Tok.Number, '4.2i'], SP,
      [Tok.Complex, '1+2i'], SP,
      [Tok.Number, '1_2'], SP,
      [Tok.Number, '0x1.e_fp4'], SP,
      [Tok.Number, '0X1.E_FP4'],
      R,
      EOF,
    ],
  },
  { name: 'characters', input: `{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '本'}}`, items: [L, [Tok.CharConstant, "'a'"], SP, [Tok.CharConstant, "'\\n'"], SP, [Tok.CharConstant, "'\\''"], SP, [Tok.CharConstant, "'\\\\'"], SP, [Tok.CharConstant, "'\\u00FF'"], SP, [Tok.CharConstant, "'\\xFF'"], SP, [Tok.CharConstant, "'本'"], R, EOF] },
  { name: 'bools', input: '{{true false}}', items: [L, [Tok.Bool, 'true'], SP, [Tok.Bool, 'false'], R, EOF] },
  { name: 'dot', input: '{{.}}', items: [L, [Tok.Dot, '.'], R, EOF] },
  { name: 'nil', input: '{{nil}}', items: [L, [Tok.Nil, 'nil'], R, EOF] },
  { name: 'dots', input: '{{.x . .2 .x.y.z}}', items: [L, [Tok.Field, '.x'], SP, [Tok.Dot, '.'], SP, [Tok.Number, '.2'], SP, [Tok.Field, '.x'], [Tok.Field, '.y'], [Tok.Field, '.z'], R, EOF] },
  { name: 'keywords', input: '{{range if else end with}}', items: [L, [Tok.Range, 'range'], SP, [Tok.If, 'if'], SP, [Tok.Else, 'else'], SP, [Tok.End, 'end'], SP, [Tok.With, 'with'], R, EOF] },
  {
    name: 'variables',
    input: '{{$c := printf $ $hello $23 $ $var.Field .Method}}',
    items: [L, [Tok.Variable, '$c'], SP, [Tok.Declare, ':='], SP, [Tok.Identifier, 'printf'], SP, [Tok.Variable, '$'], SP, [Tok.Variable, '$hello'], SP, [Tok.Variable, '$23'], SP, [Tok.Variable, '$'], SP, [Tok.Variable, '$var'], [Tok.Field, '.Field'], SP, [Tok.Field, '.Method'], R, EOF],
  },
  { name: 'variable invocation', input: '{{$x 23}}', items: [L, [Tok.Variable, '$x'], SP, [Tok.Number, '23'], R, EOF] },
  { name: 'assignment', input: '{{$x = 1}}', items: [L, [Tok.Variable, '$x'], SP, [Tok.Assign, '='], SP, [Tok.Number, '1'], R, EOF] },
  {
    name: 'pipeline',
    input: 'intro {{echo hi 1.2 |noargs|args 1 "hi"}} outro',
    items: [[Tok.Text, 'intro '], L, [Tok.Identifier, 'echo'], SP, [Tok.Identifier, 'hi'], SP, [Tok.Number, '1.2'], SP, [Tok.Pipe, '|'], [Tok.Identifier, 'noargs'], [Tok.Pipe, '|'], [Tok.Identifier, 'args'], SP, [Tok.Number, '1'], SP, [Tok.String, '"hi"'], R, [Tok.Text, ' outro'], EOF],
  },
  { name: 'declaration', input: '{{$v := 3}}', items: [L, [Tok.Variable, '$v'], SP, [Tok.Declare, ':='], SP, [Tok.Number, '3'], R, EOF] },
  { name: '2 declarations', input: '{{$v , $w := 3}}', items: [L, [Tok.Variable, '$v'], SP, [Tok.Char, ','], SP, [Tok.Variable, '$w'], SP, [Tok.Declare, ':='], SP, [Tok.Number, '3'], R, EOF] },
  { name: 'field of parenthesized expression', input: '{{(.X).Y}}', items: [L, [Tok.LeftParen, '('], [Tok.Field, '.X'], [Tok.RightParen, ')'], [Tok.Field, '.Y'], R, EOF] },
  { name: 'trimming spaces before and after', input: 'hello- {{- 3 -}} -world', items: [[Tok.Text, 'hello-'], L, [Tok.Number, '3'], R, [Tok.Text, '-world'], EOF] },
  { name: 'trimming spaces before and after comment', input: 'hello- {{- /* hello */ -}} -world', items: [[Tok.Text, 'hello-'], [Tok.Text, '-world'], EOF] },
  { name: 'trim marker with tab and newline', input: 'a \n{{-\t3\n-}}\n b', items: [[Tok.Text, 'a'], L, [Tok.Number, '3'], R, [Tok.Text, 'b'], EOF] },
  { name: 'no trim without space', input: 'a {{-3}}', items: [[Tok.Text, 'a '], L, [Tok.Number, '-3'], R, EOF] },
  { name: 'trim marker after two spaces', input: '{{3  -}}x', items: [L, [Tok.Number, '3'], SP, R, [Tok.Text, 'x'], EOF] },
  { name: 'newlines in action', input: '{{\n.x\n}}', items: [L, [Tok.Space, '\n'], [Tok.Field, '.x'], [Tok.Space, '\n'], R, EOF] },
  { name: 'unicode identifier', input: '{{$ü .ñ}}', items: [L, [Tok.Variable, '$ü'], SP, [Tok.Field, '.ñ'], R, EOF] },
  { name: 'break and continue', input: '{{break}}{{continue}}', items: [L, [Tok.Break, 'break'], R, L, [Tok.Continue, 'continue'], R, EOF] },
  // Errors
  { name: 'badchar', input: '#{{\x01}}', items: [[Tok.Text, '#'], L, [Tok.Error, 'unrecognized character in action: U+0001']] },
  { name: 'unclosed action', input: '{{', items: [L, [Tok.Error, 'unclosed action']] },
  { name: 'EOF in action', input: '{{range', items: [L, [Tok.Range, 'range'], [Tok.Error, 'unclosed action']] },
  { name: 'unclosed quote', input: '{{"\n"}}', items: [L, [Tok.Error, 'unterminated quoted string']] },
  { name: 'unclosed raw quote', input: '{{`xx}}', items: [L, [Tok.Error, 'unterminated raw quoted string']] },
  { name: 'unclosed char constant', input: "{{'\n}}", items: [L, [Tok.Error, 'unterminated character constant']] },
  { name: 'bad number', input: '{{3k}}', items: [L, [Tok.Error, 'bad number syntax: "3k"']] },
  { name: 'unclosed paren', input: '{{(3}}', items: [L, [Tok.LeftParen, '('], [Tok.Number, '3'], [Tok.Error, 'unclosed left paren']] },
  { name: 'extra right paren', input: '{{3)}}', items: [L, [Tok.Number, '3'], [Tok.Error, 'unexpected right paren']] },
  { name: 'long pipeline deadlock', input: '{{|||||}}', items: [L, [Tok.Pipe, '|'], [Tok.Pipe, '|'], [Tok.Pipe, '|'], [Tok.Pipe, '|'], [Tok.Pipe, '|'], R, EOF] },
  { name: 'text with bad comment', input: 'hello-{{/*/}}-world', items: [[Tok.Text, 'hello-'], [Tok.Error, 'unclosed comment']] },
  { name: 'text with comment close separated from delim', input: 'hello-{{/* */ }}-world', items: [[Tok.Text, 'hello-'], [Tok.Error, 'comment ends before closing delimiter']] },
  { name: 'unmatched right delimiter', input: 'hello-{.}}-world', items: [[Tok.Text, 'hello-{.}}-world'], EOF] },
  { name: 'bad character after identifier', input: '{{a#}}', items: [L, [Tok.Error, "bad character U+0023 '#'"]] },
  { name: 'colon without equals', input: '{{$x :1}}', items: [L, [Tok.Variable, '$x'], SP, [Tok.Error, 'expected :=']] },
];

function simplify(tokens: Token[]): Item[] {
  return tokens.map((t) => [t.type, t.val]);
}

for (const r of rows) {
  test(`lex: ${r.name}`, () => {
    assert.deepEqual(simplify(lexAll(r.input)), r.items);
  });
}

test('lex: positions are offsets of each token in the input', () => {
  const toks = lexAll('ab{{ .x }}cd');
  assert.deepEqual(
    toks.map((t) => t.pos),
    [0, 2, 4, 5, 7, 8, 10, 12],
  );
});

test('lex: break/continue are identifiers when functions of those names exist', () => {
  assert.deepEqual(simplify(lexAll('{{break}}', { breakOK: false, continueOK: true })), [L, [Tok.Identifier, 'break'], R, EOF]);
});

test('lex: token descriptions as Go prints them in parse errors', () => {
  assert.equal(tokenString({ type: Tok.EOF, pos: 0, val: '' }), 'EOF');
  assert.equal(tokenString({ type: Tok.Define, pos: 0, val: 'define' }), '<define>');
  assert.equal(tokenString({ type: Tok.Char, pos: 0, val: ',' }), '","');
  assert.equal(tokenString({ type: Tok.Text, pos: 0, val: 'abcdefghijklm' }), '"abcdefghij"...');
});
