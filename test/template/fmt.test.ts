// fmt.Sprintf / Sprint / Sprintln against outputs of the real helm v4.1.4 (go1.25.9).
//
// fmt.helm.json holds ~3500 cases rendered by helm: [kind, format, args, out] for the template
// `{{ printf FORMAT ARGS }}` (or print / println). The arguments are template operands; the small parser below turns
// them into the Go values text/template would pass (int literals are int, float literals float64, list gives
// []interface {}, dict map[string]interface {}, .Values.* the fixed values of the vectors README ...). The printf
// cases of shared/vectors/cases.jsonl whose arguments this parser understands run as well.
import { FIXED_VALUES_PLAIN } from '../support/vector-values.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sprintf, sprint, sprintln } from '../../src/template/fmt.js';
import { GoInt, GoStruct, fromPlain, newMap, newSlice, utf8Bytes, type GoValue, type NamedType } from '../../src/template/value.js';

// ---------------------------------------------------------------------------------------------------------------
// Fixed values (shared/vectors/README.md) as helm loads them: numbers are float64, key `n` is the string "false".

const VALUES = fromPlain(FIXED_VALUES_PLAIN) as Record<string, GoValue>;

const FILES: Record<string, string> = { 'files/a.txt': 'hi', 'files/u.txt': 'héllo', 'files/e.txt': '' };

/** A *semver.Version stand-in: a pointer type with a Stringer. */
class SemverStub extends GoStruct {
  constructor(readonly text: string) {
    super();
  }
  get typeName(): string {
    return '*semver.Version';
  }
  override goString(): string {
    return this.text;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Template operand parser (just what the tables use).

class Unsupported extends Error {}

function goUnquote(lit: string): string {
  if (lit[0] === '`') return lit.slice(1, -1);
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (e in simple) out += simple[e];
    else if (e === 'x') {
      const v = parseInt(body.slice(i + 1, i + 3), 16);
      if (v >= 0x80) throw new Unsupported('raw byte in string');
      out += String.fromCharCode(v);
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16));
      i += n;
    } else throw new Unsupported(`escape \\${e}`);
  }
  return out;
}

function tokenize(src: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|\(|\)|[^\s()]+)/gy;
  const toks: string[] = [];
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(src)) !== null) {
    toks.push(m[1]!);
    end = re.lastIndex;
  }
  if (src.slice(end).trim() !== '') throw new Unsupported('tokenize');
  return toks;
}

function toInt64(v: GoValue): GoInt {
  if (v instanceof GoInt) return new GoInt(v.value, 'int64');
  if (typeof v === 'number') {
    // Go's float64 -> int64 conversion of an out-of-range value gives the minimum int64 on amd64.
    if (!(Math.abs(v) < 2 ** 63)) return new GoInt(-(2n ** 63n), 'int64');
    return new GoInt(BigInt(Math.trunc(v)), 'int64');
  }
  if (typeof v === 'string') return new GoInt(BigInt(v), 'int64');
  throw new Unsupported('int64 of ' + String(v));
}

function toFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'string') {
    const m: Record<string, number> = { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity, Inf: Infinity };
    return v in m ? m[v]! : Number(v);
  }
  throw new Unsupported('float64 of ' + String(v));
}

function callFunc(name: string, args: GoValue[]): GoValue {
  switch (name) {
    case 'list':
      return newSlice(args);
    case 'dict': {
      const m = newMap();
      for (let i = 0; i + 1 < args.length; i += 2) m[args[i] as string] = args[i + 1]!;
      return m;
    }
    case 'int64':
      return toInt64(args[0]!);
    case 'int':
      return new GoInt(toInt64(args[0]!).value, 'int');
    case 'float64':
      return toFloat(args[0]!);
    case 'add':
      return new GoInt(toInt64(args[0]!).value + toInt64(args[1]!).value, 'int64');
    case 'sub':
      return new GoInt(toInt64(args[0]!).value - toInt64(args[1]!).value, 'int64');
    case 'divf':
      return toFloat(args[0]!) / toFloat(args[1]!);
    case 'splitList':
      return newSlice((args[1] as string).split(args[0] as string), '[]string');
    case 'semver':
      return new SemverStub(args[0] as string);
    case '.Files.GetBytes': {
      const f = FILES[args[0] as string];
      if (f === undefined) throw new Unsupported('file');
      return utf8Bytes(f);
    }
  }
  throw new Unsupported('function ' + name);
}

function parseOperands(src: string): GoValue[] {
  const toks = tokenize(src);
  let pos = 0;
  function operand(): GoValue {
    const t = toks[pos++];
    if (t === undefined) throw new Unsupported('eof');
    if (t === '(') {
      const name = toks[pos++]!;
      const args: GoValue[] = [];
      while (toks[pos] !== ')') {
        if (pos >= toks.length) throw new Unsupported('unclosed');
        args.push(operand());
      }
      pos++;
      return callFunc(name, args);
    }
    if (t === 'nil') return null;
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t[0] === '"' || t[0] === '`') return goUnquote(t);
    if (t[0] === "'") return new GoInt(goUnquote('"' + t.slice(1, -1) + '"').codePointAt(0)!, 'int');
    if (t.startsWith('.Values.')) {
      let v: GoValue | undefined = VALUES as unknown as GoValue;
      for (const k of t.slice(8).split('.')) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, GoValue>)[k] : undefined;
      return v === undefined ? null : v;
    }
    if (/^[-+]?(0x[0-9a-fA-F]+|\d+)$/.test(t)) {
      const n = BigInt(t.replace(/^\+/, ''));
      if (n >= 2n ** 63n || n < -(2n ** 63n)) throw new Unsupported('overflows int');
      return new GoInt(n, 'int');
    }
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
    throw new Unsupported('operand ' + t);
  }
  const out: GoValue[] = [];
  while (pos < toks.length) out.push(operand());
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// helm-rendered tables

type HelmCase = [kind: 'printf' | 'print' | 'println', format: string, args: string, out: string];
/** The first existing of the paths (relative to this file, which runs from test/ under tsx and from dist/test/ in CI). */
function locate(...rel: string[]): string {
  const paths = rel.map((r) => fileURLToPath(new URL(r, import.meta.url)));
  return paths.find((p) => existsSync(p)) ?? paths[0]!;
}

const helmCasesPath = locate('./fmt.helm.json', '../../../test/template/fmt.helm.json');
const helmCases = (JSON.parse(readFileSync(helmCasesPath, 'utf8')) as { cases: HelmCase[] }).cases;

function run(kind: HelmCase[0], format: string, args: GoValue[]): string {
  if (kind === 'printf') return sprintf(format, args);
  if (kind === 'print') return sprint(args);
  return sprintln(args);
}

function checkAll(cases: HelmCase[]): void {
  assert.ok(cases.length > 0, 'empty table');
  const failures: string[] = [];
  for (const [kind, format, argText, want] of cases) {
    let got: string;
    try {
      got = run(kind, format, parseOperands(argText));
    } catch (e) {
      got = `THROWN ${e instanceof Error ? e.message : String(e)}`;
    }
    if (got !== want) failures.push(`${kind} ${JSON.stringify(format)} ${argText}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  if (failures.length > 0) {
    assert.fail(`${failures.length} of ${cases.length} differ:\n  ${failures.slice(0, 60).join('\n  ')}`);
  }
}

function group(pred: (c: HelmCase) => boolean): HelmCase[] {
  return helmCases.filter(pred);
}

const isComposite = (a: string) => /^\((list|dict|splitList|\.Files)|^\.Values\.(nested|l|m)$/.test(a);
const isStringArg = (a: string) => /^("|`)/.test(a) && !a.includes(' ');
const isFloatArg = (a: string) => /^(-?\d*\.\d|-?\d+e|\(float64|\.Values\.huge)/.test(a) && !a.includes(' ', a.startsWith('(') ? a.indexOf(')') : 0);

test('helm tables: integers', () => {
  checkAll(group((c) => c[0] === 'printf' && /^(-?\d+|0x[0-9A-Fa-f]+|\((int64|add)[^()]*\))( \S+)?$/.test(c[2]) && !isFloatArg(c[2])));
});

test('helm tables: floats', () => {
  checkAll(group((c) => c[0] === 'printf' && isFloatArg(c[2]) && !c[2].includes(' ', c[2].indexOf(')') + 1)));
});

test('helm tables: strings', () => {
  checkAll(group((c) => c[0] === "printf" && isStringArg(c[2])));
});

test('helm tables: bool and nil', () => {
  checkAll(group((c) => c[0] === 'printf' && /^(true|false|nil)$/.test(c[2])));
});

test('helm tables: composites', () => {
  checkAll(group((c) => c[0] === 'printf' && isComposite(c[2])));
});

test('helm tables: print and println', () => {
  checkAll(group((c) => c[0] !== 'printf'));
});

test('helm tables: every case', () => {
  checkAll(helmCases);
});

// ---------------------------------------------------------------------------------------------------------------
// Cases from shared/vectors/cases.jsonl: templates that are exactly one printf / print / println call whose operands
// the parser above understands.

const vectorsPath = locate('../../../shared/vectors/cases.jsonl', '../../../../shared/vectors/cases.jsonl');

test('vectors: single printf/print/println calls', { skip: !existsSync(vectorsPath) }, (t) => {
  const cases: HelmCase[] = [];
  for (const line of readFileSync(vectorsPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const c = JSON.parse(line) as { id: string; template: string; values?: unknown; files?: unknown; v4: { ok: boolean; out?: string; out_b64?: string } };
    if (!c.v4.ok || c.values || c.files || c.v4.out_b64 !== undefined) continue;
    const m = /^\{\{ (printf|print|println)((?: (?:"(?:[^"\\]|\\.)*"|`[^`]*`))?)(.*) \}\}$/.exec(c.template);
    if (!m || c.template.includes('semver')) continue; // the semver stub here does not normalize versions
    const kind = m[1] as HelmCase[0];
    let format = '';
    let rest = m[2]! + m[3]!;
    if (kind === 'printf') {
      if (!m[2]) continue;
      format = goUnquote(m[2].trim());
      rest = m[3]!;
    }
    try {
      parseOperands(rest);
    } catch (e) {
      if (e instanceof Unsupported) continue;
      throw e;
    }
    cases.push([kind, format, rest, c.v4.out!]);
  }
  assert.ok(cases.length >= 60, `only ${cases.length} vector cases usable`);
  t.diagnostic(`${cases.length} vector cases`);
  checkAll(cases);
});

// ---------------------------------------------------------------------------------------------------------------
// Values that templates cannot spell: structs, pointers, Stringers. Expected strings are Go's documented output.

class Point extends GoStruct {
  constructor(
    readonly x: GoValue,
    readonly y: GoValue,
    readonly ptr = false,
  ) {
    super();
  }
  get typeName(): string {
    return this.ptr ? '*main.point' : 'main.point';
  }
  override fieldNames(): readonly string[] {
    return ['x', 'y'];
  }
  override field(name: string): GoValue | undefined {
    return name === 'x' ? this.x : name === 'y' ? this.y : undefined;
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthType: NamedType = { name: 'time.Month', stringer: (v) => MONTHS[Number(v.value) - 1] ?? `%!Month(${v.value})` };
const month = (n: number) => new GoInt(n, 'int', monthType);
const I = (n: number) => new GoInt(n, 'int');

test('structs, pointers and Stringers', () => {
  const p = new Point(I(1), I(2));
  const pp = new Point(I(1), I(2), true);
  const table: [string, GoValue[], string][] = [
    // gobyexample.com/string-formatting (Go's documented output)
    ['%v', [p], '{1 2}'],
    ['%+v', [p], '{x:1 y:2}'],
    ['%#v', [p], 'main.point{x:1, y:2}'],
    ['%T', [p], 'main.point'],
    ['%v', [pp], '&{1 2}'],
    ['%+v', [pp], '&{x:1 y:2}'],
    ['%#v', [pp], '&main.point{x:1, y:2}'],
    ['%T', [pp], '*main.point'],
    ['%d', [p], '{1 2}'],
    ['%s', [new Point('a', null)], '{a <nil>}'],
    // helm: time.Month (a named int with a Stringer)
    ['%v|%+v|%d|%s|%T', [month(1), month(1), month(1), month(1), month(1)], 'January|January|1|January|time.Month'],
    ['%t|%x|%q|%5v', [month(1), month(1), month(1), month(1)], '%!t(time.Month=1)|4a616e75617279|"January"|January'],
    ['%d', [month(3)], '3'],
    // helm: *semver.Version (a pointer with a Stringer)
    ['%v', [new SemverStub('1.2.3')], '1.2.3'],
    ['%T', [new SemverStub('1.0.0')], '*semver.Version'],
  ];
  for (const [format, args, want] of table) assert.equal(sprintf(format, args), want, format);
  // Pointers inside containers print as an address: any stable 0x... stand-in.
  assert.match(sprintf('%v', [newSlice([pp])]), /^\[0x[0-9a-f]+\]$/);
  assert.equal(sprint([p]), '{1 2}');
  assert.equal(sprint([month(2)]), 'February');
});

/** Stand-in for the engine's complex128 constant value (a GoStruct of kind complex128 with re and im). */
class Complex extends GoStruct {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {
    super();
  }
  get typeName(): string {
    return 'complex128';
  }
  override get kindName(): string {
    return 'complex128';
  }
  override goString(): string {
    return 'not used by fmt';
  }
}

test('complex128 (helm: template complex constants)', () => {
  const c = (re: number, im: number) => new Complex(re, im);
  assert.equal(
    sprintf('%v|%.2f|%d|%s|%+v|%e|%T|%x|%8.1f|%q', [c(0, 1), c(1, 2), c(0, 1), c(0, 1), c(0, -1.5), c(0, 1), c(0, 1), c(0, 1.5), c(0, 2), c(0, 1)]),
    '(0+1i)|(1.00+2.00i)|%!d(complex128=(0+1i))|%!s(complex128=(0+1i))|(0-1.5i)|(0.000000e+00+1.000000e+00i)|complex128|(0x0p+00+0x1.8p+00i)|(     0.0    +2.0i)|%!q(complex128=(0+1i))',
  );
  assert.equal(sprint([c(0, 1), c(0, 2)]), '(0+1i) (0+2i)');
  assert.equal(sprintf('%v|%s', [newSlice([c(0, 1)]), newSlice([c(0, 1)])]), '[(0+1i)]|[%!s(complex128=(0+1i))]');
});

test('uint64 and other integer kinds', () => {
  const u64 = new GoInt(2n ** 64n - 1n, 'uint64');
  assert.equal(sprintf('%d|%v|%x|%X|%o|%b', [u64, u64, u64, u64, u64, u64]),
    '18446744073709551615|18446744073709551615|ffffffffffffffff|FFFFFFFFFFFFFFFF|1777777777777777777777|' + '1'.repeat(64));
  // %#v of an unsigned integer is hexadecimal (Go: fmt_test "%#v", uint8(...) → 0x..).
  assert.equal(sprintf('%#v|%#v|%#v', [new GoInt(255, 'uint8'), new GoInt(0, 'uint'), new GoInt(-1, 'int8')]), '0xff|0x0|-1');
  assert.equal(sprintf('%T|%T|%T', [new GoInt(1, 'uint8'), new GoInt(1, 'int32'), new GoInt(1, 'uintptr')]), 'uint8|int32|uintptr');
});
