// Sprig string functions, called directly. Expected outputs are helm v4.1.4's (shared/vectors, category strings)
// unless marked as derived from the Go sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, failure, fixedValues, int, show } from './sprig-support.js';
import { stringSlice, typeName, newSlice } from '../../src/template/value.js';

const V = fixedValues();
const nested = V.nested!;

const cases: [string, () => string, string][] = [
  ['hello', () => show('hello'), 'Hello!'],
  ['trim-newlines', () => `[${show('trim', '\n\t x \r\n')}]`, '[x]'],
  ['trim-unicode-space', () => `[${show('trim', '\u00a0x\u3000')}]`, '[x]'],
  ['trim keeps U+FEFF (not Go space)', () => `[${show('trim', '\ufeffx')}]`, '[\ufeffx]'],
  ['trim removes U+0085', () => `[${show('trim', '\u0085x')}]`, '[x]'],
  ['trimAll-multi-chars', () => show('trimAll', 'ab', 'abcba'), 'c'],
  ['trimall-deprecated', () => show('trimall', '-', '--x--'), 'x'],
  ['trimPrefix', () => show('trimPrefix', 'he', V.s!), 'llo'],
  ['trimPrefix-once', () => show('trimPrefix', 'a', 'aaab'), 'aab'],
  ['trimSuffix', () => show('trimSuffix', 'lo', V.s!), 'hel'],
  ['trimSuffix-pipe', () => show('trimSuffix', '-', 'name-'), 'name'],
  ['lower-unicode', () => show('lower', 'ÀÉÎ ABC'), 'àéî abc'],
  ['lower İ is simple mapping', () => show('lower', 'İ'), 'i'],
  ['lower Σ has no final-sigma rule', () => show('lower', 'ΑΣ'), 'ασ'],
  ['upper ß stays (no simple mapping)', () => show('upper', 'ß'), 'ß'],
  ['title', () => show('title', 'hello world'), 'Hello World'],
  ['title-punct', () => show('title', "o'neil is-here_now x.y"), "O'Neil Is-Here_now X.Y"],
  ['title-unicode', () => show('title', 'émile über'), 'Émile Über'],
  ['title uses titlecase', () => show('title', 'ǆemal'), 'ǅemal'],
  ['untitle', () => show('untitle', 'Hello World'), 'hello world'],
  ['untitle-upper', () => show('untitle', 'HELLO WORLD'), 'hELLO wORLD'],
  ['repeat', () => show('repeat', int(3), 'ab'), 'ababab'],
  ['repeat-zero', () => `[${show('repeat', int(0), 'ab')}]`, '[]'],
  ['repeat-negative', () => failure('repeat', int(-1), 'ab'), 'strings: negative Repeat count'],
  ['substr', () => show('substr', int(1), int(3), 'hello'), 'el'],
  ['substr-end-beyond', () => show('substr', int(0), int(100), 'hello'), 'hello'],
  ['substr-neg-end', () => show('substr', int(2), int(-1), 'hello'), 'llo'],
  ['substr-neg-start', () => show('substr', int(-1), int(2), 'hello'), 'he'],
  ['substr start beyond end panics', () => failure('substr', int(3), int(2), 'hello'), 'runtime error: slice bounds out of range [3:2]'],
  ['substr neg start, end beyond panics', () => failure('substr', int(-1), int(9), 'hello'), 'runtime error: slice bounds out of range [:9] with length 5'],
  // Go keeps the lone byte 0xC3 (out_b64 "aMM="): a raw byte travels as its escape U+DCC3 (see value.ts).
  ['substr-unicode-bytes', () => show('substr', int(0), int(2), V.u!), 'h\udcc3'],
  ['nospace', () => show('nospace', ' a b\tc\nd '), 'abcd'],
  ['nospace-values-unicode', () => show('nospace', V.u!), 'hÃ©llowÃ¶rldâ\x9c\x93'],
  ['nospace-unicode', () => show('nospace', 'a\u00a0b\u3000c'), 'aÂbã\x80\x80c'],
  ['nospace without spaces keeps the string', () => show('nospace', 'héllo'), 'héllo'],
  ['trunc', () => show('trunc', int(3), 'hello'), 'hel'],
  ['trunc-negative', () => show('trunc', int(-3), 'hello'), 'llo'],
  ['trunc-beyond', () => show('trunc', int(10), 'hello'), 'hello'],
  ['trunc-unicode-bytes', () => show('trunc', int(2), V.u!), 'h\udcc3'],
  ['upper turns a raw byte into U+FFFD (strings.Map)', () => show('upper', 'a' + String.fromCharCode(0xdcff)), 'A\ufffd'],
  ['nospace keeps writing bytes as runes', () => show('nospace', 'a ' + String.fromCharCode(0xdcff)), 'aÿ'],
  ['abbrev', () => show('abbrev', int(5), 'hello world'), 'he...'],
  ['abbrev-fits', () => show('abbrev', int(20), 'hello world'), 'hello world'],
  ['abbrev-4', () => show('abbrev', int(4), 'hello'), 'h...'],
  ['abbrevboth-left0', () => show('abbrevboth', int(0), int(10), '1234 5678 9123'), '1234 56...'],
  ['abbrevboth-small', () => show('abbrevboth', int(1), int(5), '1234 5678 9123'), '1234 5678 9123'],
  ['abbrevboth both sides (goutils docs)', () => show('abbrevboth', int(5), int(10), 'abcdefghijklmno'), '...fghi...'],
  ['initials', () => show('initials', 'First Try'), 'FT'],
  ['wrap', () => show('wrap', int(5), 'Hello World Foo'), 'Hello\nWorld\nFoo'],
  ['wrap-long-word', () => show('wrap', int(3), 'abcdefg hi'), 'abcdefg\nhi'],
  ['wrapWith', () => show('wrapWith', int(5), '\t', 'Hello World'), 'Hello\tWorld'],
  ['wrapWith-long-words', () => show('wrapWith', int(3), '<br>', 'abcdefgh ij'), 'abc<br>def<br>gh<br>ij'],
  ['contains', () => show('contains', 'ell', V.s!), 'true'],
  ['contains-false', () => show('contains', 'z', V.s!), 'false'],
  ['hasPrefix', () => show('hasPrefix', 'he', V.s!), 'true'],
  ['hasSuffix', () => show('hasSuffix', 'lo', V.s!), 'true'],
  ['hasPrefix-false', () => show('hasPrefix', 'lo', V.s!), 'false'],
  ['quote', () => show('quote', 'a"b'), '"a\\"b"'],
  ['quote-multi', () => show('quote', 'a', 'b'), '"a" "b"'],
  ['quote-null', () => `[${show('quote', null)}]`, '[]'],
  ['quote-number', () => show('quote', V.i!), '"42"'],
  ['quote-int-const', () => show('quote', int(42)), '"42"'],
  ['quote-bool', () => show('quote', true), '"true"'],
  ['quote-unicode', () => show('quote', V.u!), '"héllo wörld ✓"'],
  ['quote-newlines', () => show('quote', V.multi!), '"line1\\nline2\\n"'],
  ['quote-tab-control', () => show('quote', 'a\tb\x01c'), '"a\\tb\\x01c"'],
  ['quote-map', () => show('quote', nested), '"map[a:1 b:2 c:map[d:x e:[1 2]]]"'],
  ['squote', () => show('squote', "a'b"), "'a'b'"],
  ['squote-multi', () => show('squote', 'a', int(1)), "'a' '1'"],
  ['squote-null', () => `[${show('squote', null)}]`, '[]'],
  ['squote-newline', () => show('squote', V.multi!), "'line1\nline2\n'"],
  ['cat', () => show('cat', 'a', 'b', int(1)), 'a b 1'],
  ['cat-list', () => show('cat', V.sl!, 'x'), '[b a c a] x'],
  ['cat-empty-strings', () => `[${show('cat', '', '')}]`, '[ ]'],
  ['cat-no-args', () => `[${show('cat')}]`, '[]'],
  ['cat-numbers-floats', () => show('cat', V.big!, V.f!), '1e+06 1.5'],
  ['indent', () => show('indent', int(2), 'a\nb'), '  a\n  b'],
  ['indent-zero', () => show('indent', int(0), 'a\nb'), 'a\nb'],
  ['indent-negative', () => failure('indent', int(-1), 'a'), 'strings: negative Repeat count'],
  ['indent-empty', () => `[${show('indent', int(2), '')}]`, '[  ]'],
  ['indent-crlf', () => show('indent', int(2), 'a\r\nb'), '  a\r\n  b'],
  ['indent-number', () => show('indent', int(2), V.multi!), '  line1\n  line2\n  '],
  ['nindent-pipe', () => 'x:' + show('nindent', int(4), 'a: 1\nb: 2'), 'x:\n    a: 1\n    b: 2'],
  ['nindent-empty', () => `[${show('nindent', int(2), '')}]`, '[\n  ]'],
  ['replace', () => show('replace', 'a', 'b', 'banana'), 'bbnbnb'],
  ['replace-empty-old', () => show('replace', '', '-', 'abc'), '-a-b-c-'],
  ['plural-one', () => show('plural', 'one', 'many', int(1)), 'one'],
  ['plural-zero', () => show('plural', 'one', 'many', int(0)), 'many'],
  ['plural-two', () => show('plural', 'one', 'many', int(2)), 'many'],
  ['randAlpha-zero', () => `[${show('randAlpha', int(0))}]`, '[]'],
  ['splitList', () => show('splitList', ',', 'a,b,,c'), '[a b  c]'],
  ['splitList-empty-sep', () => show('splitList', '', 'abc'), '[a b c]'],
  ['splitList-unicode', () => JSON.stringify(call('splitList', '', 'é✓')), '["é","✓"]'],
  ['splitList-pipe', () => show('splitList', ':', 'a:b:c'), '[a b c]'],
  ['split-typeof', () => typeName(call('split', ',', 'a')), 'map[string]string'],
  ['split', () => show('split', '/', 'foo/bar'), 'map[_0:foo _1:bar]'],
  ['splitn', () => show('splitn', ',', int(2), 'a,b,c'), 'map[_0:a _1:b,c]'],
  ['splitn zero', () => show('splitn', ',', int(0), 'a,b,c'), 'map[]'],
  ['join-mixed', () => show('join', ',', V.l!), '1,two,3,true'],
  ['join-string', () => show('join', ',', 'abc'), 'abc'],
  ['join-null', () => `[${show('join', ',', null)}]`, '[]'],
  ['join-map', () => show('join', ',', V.m!), 'map[UPPER:2 key.with.dots:1 lower:3]'],
  ['sortAlpha', () => show('sortAlpha', V.sl!), '[a a b c]'],
  ['sortAlpha-mixed', () => JSON.stringify(call('sortAlpha', V.l!)), '["1","3","true","two"]'],
  ['sortAlpha-numbers-lexical', () => show('sortAlpha', newSlice([int(10), int(9), int(100), int(1)])), '[1 10 100 9]'],
  ['sortAlpha-string', () => show('sortAlpha', 'cba'), '[cba]'],
  ['sortAlpha-case', () => show('sortAlpha', newSlice(['b', 'B', 'a', 'A', '_'])), '[A B _ a b]'],
  ['toStrings-scalar', () => JSON.stringify(call('toStrings', int(5))), '["5"]'],
  ['toStrings typeof', () => typeName(call('toStrings', V.l!)), '[]string'],
  ['toString-dict', () => show('toString', call('dict', 'a', int(1))), 'map[a:1]'],
  ['toString-values-big', () => show('toString', V.big!), '1e+06'],
  ['toString-bytes', () => show('toString', new Uint8Array([104, 105])), 'hi'],
  ['toString-missing', () => show('toString', null), '<nil>'],
  ['trim-pipe-chain-quote', () => show('quote', call('upper', call('trim', V.spaced!))), '"PADDED TEXT"'],
  ['shuffle keeps the runes', () => [...(call('shuffle', 'abcdéf') as string)].sort().join(''), 'abcdfé'],
];

const caseConv: [string, string][] = [
  ['HelloWorld', 'hello_world|HelloWorld|hello-world|hELLOwORLD'],
  ['hello_world', 'hello_world|HelloWorld|hello-world|HELLO_WORLD'],
  ['HTTPServer', 'http_server|Httpserver|http-server|httpsERVER'],
  ['hello-world', 'hello_world|HelloWorld|hello-world|HELLO-WORLD'],
  ['hello world', 'hello_world|HelloWorld|hello-world|HELLO WORLD'],
  ['XMLHttpRequest', 'xml_http_request|XmlhttpRequest|xml-http-request|xmlhTTPrEQUEST'],
  ['a1B2', 'a1_b2|A1B2|a1-b2|A1b2'],
  ['ABC', 'abc|Abc|abc|abc'],
  ['with.dots.here', 'with.dots.here|With.dots.here|with.dots.here|WITH.DOTS.HERE'],
  ['  leading Space', '__leading_space|  LeadingSpace|--leading-space|  LEADING sPACE'],
  ['ÉtéÀlaPlage', 'été_àla_plage|ÉtéÀlaPlage|été-àla-plage|éTÉàLApLAGE'],
  ['_private_name', '_private_name|_PrivateName|-private-name|_PRIVATE_NAME'],
  // From xstrings' documented examples.
  ['HTTP20xOK', 'http_20x_ok|Http20xOK|http-20x-ok|http20Xok'],
  ['Bld4Floor3rd', 'bld4_floor_3rd|Bld4Floor3rd|bld4-floor-3rd|bLD4fLOOR3RD'],
  ['_complex__case_', '_complex__case_|_Complex_Case_|-complex--case-|_COMPLEX__CASE_'],
];

test('string functions match helm', () => {
  for (const [name, got, want] of cases) assert.equal(got(), want, name);
});

test('snakecase, camelcase, kebabcase, swapcase', () => {
  for (const [input, want] of caseConv) {
    const got = ['snakecase', 'camelcase', 'kebabcase', 'swapcase'].map((f) => show(f, input)).join('|');
    assert.equal(got, want, input);
  }
});

test('random strings use the right alphabets', () => {
  assert.match(call('randAlpha', int(10)) as string, /^[a-zA-Z]{10}$/);
  assert.match(call('randAlphaNum', int(12)) as string, /^[a-zA-Z0-9]{12}$/);
  assert.match(call('randNumeric', int(8)) as string, /^[0-9]{8}$/);
  assert.match(call('randAscii', int(20)) as string, /^[ -~]{20}$/);
  assert.equal(call('randAscii', int(-1)), '');
});

test('sortAlpha sorts a []string argument in place, as Go does', () => {
  const l = stringSlice(['b', 'a']);
  call('sortAlpha', l);
  assert.deepEqual([...l], ['a', 'b']);
});
