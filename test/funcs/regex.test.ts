// Sprig regex functions against outputs of the real helm v4.1.4 (shared/vectors category "regex", plus further
// cases rendered with the same helm binary; each row's expectation is helm's output, converted to the Go value the
// function returns: []string rows list the elements, `nil: true` marks Go's nil slice (toJson printed null)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regexFuncs } from '../../src/template/funcs/regex.js';
import { GO_NIL } from '../../src/template/value.js';
import { GoInt, type GoValue } from '../../src/template/value.js';

function call(name: string, ...args: (string | number)[]): GoValue {
  const f = regexFuncs[name];
  assert.ok(f, `no function ${name}`);
  const conv = args.map((a, i) => (f.params[i] === 'int' ? new GoInt(a as number) : a));
  return f.fn(...conv);
}

type Row = [fn: string, args: (string | number)[], want: string | boolean | string[] | { nil: true } | { err: string }];

const rows: Row[] = [
  // shared/vectors regex/*
  ['regexMatch', ['^x', 'hello'], false],
  ['regexMatch', ['^h', 'hello'], true],
  ['regexMatch', ['ell', 'hello'], true],
  ['regexMatch', ['(?i)HELLO', 'hello'], true],
  ['regexMatch', ['(?=a)', 'a'], false],
  ['mustRegexMatch', ['^[a-z]+$', 'hello'], true],
  ['mustRegexMatch', ['[', 'x'], { err: 'error parsing regexp: missing closing ]: `[`' }],
  ['mustRegexMatch', ['(a)\\1', 'aa'], { err: 'error parsing regexp: invalid escape sequence: `\\1`' }],
  ['regexFindAll', ['[0-9]+', 'a1b22c333', -1], ['1', '22', '333']],
  ['regexFindAll', ['[0-9]+', 'a1b22c333', 2], ['1', '22']],
  ['regexFindAll', ['[0-9]+', 'a1b22c333', 0], { nil: true }],
  ['regexFindAll', ['z', 'abc', -1], { nil: true }],
  ['regexFindAll', ['\\p{L}+', 'héllo wörld ✓', -1], ['héllo', 'wörld']],
  ['regexFindAll', ['(?m)^line\\d', 'line1\nline2\n', -1], ['line1', 'line2']],
  ['regexFindAll', ['\\d+', 'a1b22', -1], ['1', '22']],
  ['regexFindAll', ['[', 'x', -1], { err: 'regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`' }],
  ['mustRegexFindAll', ['a.', 'abacad', -1], ['ab', 'ac', 'ad']],
  ['mustRegexFindAll', ['(', 'x', -1], { err: 'error parsing regexp: missing closing ): `(`' }],
  ['regexFind', ['[0-9]+', 'a12b34'], '12'],
  ['regexFind', ['z', 'abc'], ''],
  ['regexFind', ['[', 'x'], { err: 'regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`' }],
  ['mustRegexFind', ['b+', 'abbbc'], 'bbb'],
  ['mustRegexFind', ['*', 'x'], { err: 'error parsing regexp: missing argument to repetition operator: `*`' }],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '${1}W'], '-W-xxW-'],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '$1W'], '---'],
  ['mustRegexReplaceAll', ['[aeiou]', 'banana', '_'], 'b_n_n_'],
  ['mustRegexReplaceAll', ['(', 'x', 'y'], { err: 'error parsing regexp: missing closing ): `(`' }],
  ['regexReplaceAllLiteral', ['a(x*)b', '-ab-axxb-', '${1}'], '-${1}-${1}-'],
  ['mustRegexReplaceAllLiteral', ['\\.', 'a.b.c', '$0'], 'a$0b$0c'],
  ['regexSplit', ['', 'abc', -1], ['a', 'b', 'c']],
  ['regexSplit', ['\\s+', ' a  b c ', -1], ['', 'a', 'b', 'c', '']],
  ['regexSplit', ['[', 'x', -1], { err: 'regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`' }],
  ['mustRegexSplit', [',', 'a,b', -1], ['a', 'b']],
  ['mustRegexSplit', ['[', 'x', -1], { err: 'error parsing regexp: missing closing ]: `[`' }],
  ['regexMatch', ['^line2$', 'line1\nline2\n'], false],
  ['regexMatch', ['line1.line2', 'line1\nline2\n'], false],
  ['regexMatch', ['(?s)line1.line2', 'line1\nline2\n'], true],
  ['regexFind', ['a|ab', 'ab'], 'a'],
  ['regexFindAll', ['[^:/]+', 'registry.io/org/app:1.2', -1], ['registry.io', 'org', 'app', '1.2']],

  // parse errors (helm v4.1.4)
  ['mustRegexMatch', ['(?P<a>x)(?P<a>y)', 'xy'], true],
  ['mustRegexMatch', ['a**', 'a'], { err: 'error parsing regexp: invalid nested repetition operator: `**`' }],
  ['mustRegexMatch', ['a*??', 'a'], { err: 'error parsing regexp: invalid nested repetition operator: `*??`' }],
  ['mustRegexMatch', ['a{2}{3}', 'a'], { err: 'error parsing regexp: invalid nested repetition operator: `{2}{3}`' }],
  ['mustRegexMatch', ['a{1001}', 'a'], { err: 'error parsing regexp: invalid repeat count: `{1001}`' }],
  ['mustRegexMatch', ['(a{500}){3}', 'a'], { err: 'error parsing regexp: invalid repeat count: `{3}`' }],
  ['mustRegexMatch', ['a{2,1}', 'a'], { err: 'error parsing regexp: invalid repeat count: `{2,1}`' }],
  ['mustRegexMatch', ['a{,3}', 'a{,3}'], true],
  ['mustRegexMatch', ['^a{01}$', 'a{01}'], true],
  ['mustRegexMatch', ['\\q', 'a'], { err: 'error parsing regexp: invalid escape sequence: `\\q`' }],
  ['mustRegexMatch', ['\\8', 'a'], { err: 'error parsing regexp: invalid escape sequence: `\\8`' }],
  ['mustRegexMatch', ['\\xZZ', 'a'], { err: 'error parsing regexp: invalid escape sequence: `\\xZZ`' }],
  ['mustRegexMatch', ['\\x{zz}', 'a'], { err: 'error parsing regexp: invalid escape sequence: `\\x{z`' }],
  ['mustRegexMatch', ['a\\', 'a'], { err: 'error parsing regexp: trailing backslash at end of expression: ``' }],
  ['mustRegexMatch', ['(?', 'a'], { err: 'error parsing regexp: invalid or unsupported Perl syntax: `(?`' }],
  ['mustRegexMatch', ['(?z)', 'a'], { err: 'error parsing regexp: invalid or unsupported Perl syntax: `(?z`' }],
  ['mustRegexMatch', ['(?i-)', 'a'], { err: 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`' }],
  ['mustRegexMatch', ['(?P<n', 'a'], { err: 'error parsing regexp: invalid named capture: `(?P<n`' }],
  ['mustRegexMatch', ['(?P<>x)', 'a'], { err: 'error parsing regexp: invalid named capture: `(?P<>`' }],
  ['mustRegexMatch', ['(?<=a)b', 'ab'], { err: 'error parsing regexp: invalid named capture: `(?<=a)b`' }],
  ['mustRegexMatch', ['(?!a)', 'ab'], { err: 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`' }],
  ['mustRegexMatch', ['(?P=n)', 'ab'], { err: 'error parsing regexp: invalid or unsupported Perl syntax: `(?P`' }],
  ['mustRegexMatch', ['a)', 'ab'], { err: 'error parsing regexp: unexpected ): `a)`' }],
  ['mustRegexMatch', ['[z-a]', 'ab'], { err: 'error parsing regexp: invalid character class range: `z-a`' }],
  ['mustRegexMatch', ['[[:foo:]]', 'ab'], { err: 'error parsing regexp: invalid character class range: `[:foo:]`' }],
  ['mustRegexMatch', ['\\C', 'ab'], { err: 'error parsing regexp: invalid escape sequence: `\\C`' }],
  ['mustRegexMatch', ['\\Z', 'ab'], { err: 'error parsing regexp: invalid escape sequence: `\\Z`' }],
  ['mustRegexMatch', ['[a-\\', 'ab'], { err: 'error parsing regexp: trailing backslash at end of expression: ``' }],
  ['mustRegexMatch', ['\\p{', 'ab'], { err: 'error parsing regexp: invalid character class range: `\\p{`' }],
  ['mustRegexMatch', ['\\p', 'ab'], { err: 'error parsing regexp: invalid character class range: `\\p`' }],
  ['mustRegexMatch', ['x|*', 'ab'], { err: 'error parsing regexp: missing argument to repetition operator: `*`' }],
  ['mustRegexMatch', ['(*)', 'ab'], { err: 'error parsing regexp: missing argument to repetition operator: `*`' }],
  ['mustRegexMatch', ['^*a', 'ab'], true],
  ['regexFind', ['\\x{', 'ab'], { err: 'regexp: Compile(`\\x{`): error parsing regexp: invalid escape sequence: `\\x{`' }],
  ['mustRegexMatch', ['\\p{Old_Italic}', 'α'], { err: 'error parsing regexp: invalid character class range: `\\p{Old_Italic}`' }],
  ['mustRegexMatch', ['\\p{Grek}', 'α'], { err: 'error parsing regexp: invalid character class range: `\\p{Grek}`' }],
  ['mustRegexMatch', ['\\p{L&}', 'x'], { err: 'error parsing regexp: invalid character class range: `\\p{L&}`' }],
  ['mustRegexMatch', ['\\p{SignWriting}', 'x'], { err: 'error parsing regexp: invalid character class range: `\\p{SignWriting}`' }],
  ['mustRegexMatch', ['\\p{White_Space}', 'x'], { err: 'error parsing regexp: invalid character class range: `\\p{White_Space}`' }],
  ['regexMatch', ['\\p{greek}', 'α'], true],
  ['mustRegexMatch', ['\\p{Letter}', 'x'], true],
  ['mustRegexMatch', ['\\p{Uppercase_Letter}', 'x'], false],
  ['mustRegexMatch', ['\\p{Cased_Letter}', 'x'], true],
  ['mustRegexMatch', ['\\p{lC}', 'x'], true],
  ['mustRegexMatch', ['\\p{any}', 'x'], true],
  ['mustRegexMatch', ['\\p{L_}', 'x'], true],
  ['mustRegexMatch', ['\\p{l}', 'x'], true],
  ['mustRegexMatch', ['\\p{Latin}', 'x'], true],
  ['mustRegexMatch', ['\\p{punct}', 'x'], false],

  // FindAll / ReplaceAll / Split empty-match rules
  ['regexFindAll', ['a*', 'baaab', -1], ['', 'aaa', '']],
  ['regexFindAll', ['', 'héllo', -1], ['', '', '', '', '', '']],
  ['regexReplaceAll', ['a*', 'baaab', '-'], '-b-b-'],
  ['regexReplaceAll', ['', 'héllo', '-'], '-h-é-l-l-o-'],
  ['regexReplaceAll', ['x*', 'abc', '[$0]'], '[]a[]b[]c[]'],
  ['regexSplit', ['a*', 'baaab', -1], ['b', 'b']],
  ['regexSplit', ['x*', 'abc', -1], ['a', 'b', 'c']],
  ['regexSplit', [',', 'a,b,c,d', 2], ['a', 'b,c,d']],
  ['regexSplit', [',', '', -1], ['']],
  ['regexSplit', ['', '', -1], []],
  ['regexSplit', [',', 'a,b', 0], { nil: true }],
  ['regexSplit', [',', 'a,b,', -1], ['a', 'b', '']],
  ['regexFindAll', ['.', 'abc', 2], ['a', 'b']],
  ['regexFindAll', ['.', 'abc', 5], ['a', 'b', 'c']],
  ['regexFindAll', ['.', 'abc', -5], ['a', 'b', 'c']],
  ['regexSplit', ['.', 'abc', -5], ['', '', '', '']],
  ['regexSplit', ['b', 'abc', 1], ['abc']],

  // Expand
  ['regexReplaceAll', ['(?P<first>\\w+) (?P<last>\\w+)', 'John Smith', '$last, $first'], 'Smith, John'],
  ['regexReplaceAll', ['(\\w+)', 'ab cd', '$1x|${1}x|$$|$|$}'], '|abx|$|$|$} |cdx|$|$|$}'],
  ['regexReplaceAll', ['(\\w+)', 'ab', '${1'], '${1'],
  ['regexReplaceAll', ['(\\w+)', 'ab', '$01|$00|$0'], '||ab'],
  ['regexReplaceAll', ['(\\w+)', 'ab', '$2|$10|$é'], '||'],
  ['regexReplaceAllLiteral', ['b', 'abc', '$0$$'], 'a$0$$c'],
  ['regexReplaceAll', ['(a)|b', 'ab', '[$1]'], '[a][]'],
  ['regexReplaceAll', ['(?P<x>a)', 'a', '${x}${y}'], 'a'],
  ['regexReplaceAll', ['(a)', 'a', '$1é'], ''],
  ['regexQuoteMeta', ['a.b*c+d?e(f)g|h[i]j{k}l^m$n\\o-p#q'], 'a\\.b\\*c\\+d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o-p#q'],

  // flags, folding, classes
  ['regexMatch', ['(?i)straße', 'STRASSE'], false],
  ['regexMatch', ['(?i)k', '\u212a'], true],
  ['regexMatch', ['(?i)ſ', 'S'], true],
  ['regexMatch', ['(?i)[k]', '\u212a'], true],
  ['regexMatch', ['(?i)\\w', '\u212a'], true],
  ['regexMatch', ['(?i:a)b', 'AB'], false],
  ['regexMatch', ['(?i:a)b', 'Ab'], true],
  ['regexMatch', ['a(?i)b', 'aB'], true],
  ['regexMatch', ['(?i)a(?-i)b', 'AB'], false],
  ['regexMatch', ['(?i)a(?-i:b)', 'Ab'], true],
  ['regexMatch', ['\\d', '٣'], false],
  ['regexMatch', ['\\w', 'é'], false],
  ['regexMatch', ['\\s', '\u00a0'], false],
  ['regexMatch', ['\\s', '\u000b'], false],
  ['regexMatch', ['[[:space:]]', '\u000b'], true],
  ['regexMatch', ['\\pN', '٣'], true],
  ['regexMatch', ['a.c', 'a\nc'], false],
  ['regexMatch', ['a.c', 'a\rc'], true],
  ['regexMatch', ['a[^x]c', 'a\nc'], true],
  ['regexMatch', ['^b', 'a\nb'], false],
  ['regexMatch', ['(?m)^b', 'a\nb'], true],
  ['regexMatch', ['(?m)a$', 'a\r\nb'], false],
  ['regexMatch', ['a$', 'a\n'], false],
  ['regexFindAll', ['(?m)^', 'a\nb\n', -1], ['', '', '']],
  ['regexFindAll', ['(?m)$', 'a\nb\n', -1], ['', '', '']],
  ['regexFindAll', ['\\b', 'ab cd', -1], ['', '', '', '']],
  ['regexFindAll', ['\\B', 'ab cd', -1], ['', '']],
  ['regexFind', ['(?U)a+', 'aaa'], 'a'],
  ['regexFind', ['(?U)a+?', 'aaa'], 'aaa'],
  ['regexFind', ['a+?', 'aaa'], 'a'],
  ['regexFind', ['a{2,}?', 'aaaa'], 'aa'],
  ['regexFind', ['(?U)a{2,}', 'aaaa'], 'aa'],
  ['regexFind', ['\\Qa.b\\E+', 'a.bbb'], 'a.bbb'],
  ['regexFind', ['\\Qa.b', 'xa.b'], 'a.b'],
  ['regexFind', ['\\141\\x62\\x{63}\\0', 'abc\u0000'], 'abc\u0000'],
  ['regexFind', ['[[:alpha:][:digit:]]+', '--ab12--'], 'ab12'],
  ['regexFind', ['[[:^alpha:]]+', 'ab12--cd'], '12--'],
  ['regexFind', ['[^[:alpha:]]+', 'ab12--cd'], '12--'],
  ['regexFind', ['[\\d\\-]+', 'x1-2y'], '1-2'],
  ['regexFind', ['[a-]+', 'x-a-y'], '-a-'],
  ['regexFind', ['[]a]+', 'x]a]y'], ']a]'],
  ['regexFind', ['[^]a]+', ']]xyz]'], 'xyz'],
  ['regexFind', ['\\p{Greek}+', 'abαβγd'], 'αβγ'],
  ['regexFind', ['\\PL+', 'ab12--cd'], '12--'],
  ['regexFind', ['\\p{^L}+', 'ab12--cd'], '12--'],
  ['regexFind', ['[\\p{Lu}\\d]+', 'abC1Dxy'], 'C1D'],
  ['regexFind', ['(?i)\\p{Lu}+', 'abC1Dxy'], 'abC'],
  ['regexFind', ['[^\\PL]+', '12abc3'], 'abc'],
  ['regexFind', ['(?s).+', 'a\nb'], 'a\nb'],
  ['regexFind', ['(?s:.)+', 'a\nb'], 'a\nb'],
  ['regexFind', ['[\\s\\S]+', 'a\nb'], 'a\nb'],
  ['regexFind', ['😀+', 'x😀😀y'], '😀😀'],
  ['regexFind', ['[😀-😂]+', 'x😀😁y'], '😀😁'],
  ['regexFind', ['.', '😀'], '😀'],
  ['regexFind', ['(a|ab)(c|bcd)(d*)', 'abcd'], 'abcd'],
  ['regexFind', ['(a+|b+)*c', 'abbac'], 'abbac'],
  ['regexFind', ['(a|)*', 'aa'], 'aa'],
  ['regexFind', ['(a*)*', 'aa'], 'aa'],
  ['regexMatch', ['(?i)[^a]', 'A'], false],
  ['regexMatch', ['(?i)[^k]', '\u212a'], false],
  ['regexMatch', ['(?i)\\W', '\u212a'], false],
  ['regexMatch', ['(?i)[[:upper:]]', 'q'], true],
  ['regexMatch', ['(?i)[A-C]', 'b'], true],
  ['regexMatch', ['(?i)é', 'É'], true],
  ['regexMatch', ['x*y*z*+', ''], false],
  ['regexMatch', ['\\pZ', ' '], true],
  ['regexMatch', ['\\p{Any}', 'x'], true],
  ['regexMatch', ['[\\p{Any}]', 'x'], true],
];

test('regex functions match helm v4.1.4', () => {
  for (const [fn, args, want] of rows) {
    const label = `${fn} ${JSON.stringify(args)}`;
    if (typeof want === 'object' && !Array.isArray(want) && 'err' in want) {
      assert.throws(() => call(fn, ...args), (e: Error) => e.message === want.err, label);
      continue;
    }
    const got = call(fn, ...args);
    if (typeof want === 'object' && !Array.isArray(want)) {
      assert.ok(Array.isArray(got) && got.length === 0 && (got as unknown as Record<symbol, unknown>)[GO_NIL] === true, `${label}: want nil slice`);
    } else if (Array.isArray(want)) {
      assert.ok(Array.isArray(got), label);
      assert.deepEqual([...(got as string[])], want, label);
      assert.notEqual((got as unknown as Record<symbol, unknown>)[GO_NIL], true, `${label}: not nil`);
    } else assert.equal(got, want, label);
  }
});
