// Executor tests.
//
// 1. The helm vectors (../shared/vectors/cases.jsonl, output of the real helm v4.1.4) that the engine can run alone:
//    cases using only Go's builtins (and `include`, bound here the way Helm binds it), run over the README's fixed
//    values with Helm's missingkey=zero. A case helm rendered must render byte for byte; a case helm rejected must
//    throw (a ParseError where helm reported a parse error, an ExecError otherwise).
// 2. Tables of Go's documented text/template behaviour (expected outputs from Go's docs and exec_test.go).
import { vectorValues } from '../support/vector-values.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ExecError,
  GoInt,
  GoStruct,
  ParseError,
  Template,
  TemplateError,
  fromPlain,
  gofn,
  newMap,
  newSlice,
  stringSlice,
  type GoFunc,
  type GoMap,
  type GoValue,
} from '../../src/template/index.js';
import { lexAll, Tok } from '../../src/template/lex.js';

// ---------------------------------------------------------------------------------------------------------------
// Vectors

interface VectorCase {
  id: string;
  template: string;
  values?: Record<string, unknown>;
  files?: Record<string, string>;
  v4: { ok: boolean; out?: string; out_b64?: string; error?: string };
}

// ../shared/vectors beside the project, from test/template (tsx) or dist/test/template (compiled).
const casesPath =
  ['../../../shared/vectors/cases.jsonl', '../../../../shared/vectors/cases.jsonl']
    .map((p) => fileURLToPath(new URL(p, import.meta.url)))
    .find((p) => existsSync(p)) ?? '';

/** Function names of Helm's function map (Sprig v3.3.0 as Helm exposes it, plus Helm's own). */
const HELM_FUNCS = new Set(
  `hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate htmlDateInZone
  must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth trunc trim upper lower title
  untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii
  randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote
  cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int64 int float64 seq
  toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf
  mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact
  fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy
  mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual getHostByName base dir clean ext isAbs osBase osClean
  osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge
  mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend mustPrepend first
  mustFirst rest mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without mustWithout has
  mustHas slice mustSlice concat dig chunk mustChunk bcrypt htpasswd genPrivateKey derivePassword buildCustomCert
  genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES
  decryptAES randBytes uuidv4 semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll
  regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral
  regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin toYaml mustToYaml toYamlPretty fromYaml fromYamlArray
  toToml fromToml fromJsonArray include tpl required lookup`.split(/\s+/),
);
/** What this harness provides beyond the builtins. */
const PROVIDED = new Set(['include']);
/** Context objects the harness does not model (structs and methods of the renderer). */
const UNMODELLED = /\.(Capabilities|Files|Subcharts)\b|\.Values\.AsMap|\.Chart\b(?!\.(?:Name|Version)\b)/;

function fixedValues(extra: Record<string, unknown> = {}): GoMap {
  return vectorValues(extra);
}

function rootContext(c: VectorCase): GoMap {
  const top = newMap();
  top.Values = fixedValues(c.values);
  top.Release = fromPlain({ Name: 'r', Namespace: 'ns1', IsUpgrade: false, IsInstall: true, Service: 'Helm' }) as GoMap;
  (top.Release as GoMap).Revision = new GoInt(1);
  top.Chart = fromPlain({ Name: 'vec', Version: '0.1.0' });
  top.Template = fromPlain({ Name: 'vec/templates/out.yaml', BasePath: 'vec/templates' });
  return top;
}

function identifiers(text: string): string[] {
  return lexAll(text)
    .filter((t) => t.type === Tok.Identifier)
    .map((t) => t.val);
}

/** Why the harness cannot run a case, or undefined when it can. */
function unsupported(c: VectorCase): string | undefined {
  const texts = [c.template];
  for (const [path, content] of Object.entries(c.files ?? {})) {
    if (!path.startsWith('templates/')) return 'data files';
    texts.push(content);
  }
  for (const text of texts) {
    if (UNMODELLED.test(text)) return 'context objects';
    for (const id of identifiers(text)) if (HELM_FUNCS.has(id) && !PROVIDED.has(id)) return `function ${id}`;
  }
  return undefined;
}

/** A template set holding the case's chart templates, with `include` bound like Helm's. */
function caseSet(c: VectorCase): Template {
  const t = new Template('vec', { missingKey: 'zero' });
  const nesting = new Map<string, number>();
  t.funcs.include = gofn(['string', 'any'], (name: string, data: GoValue) => {
    const depth = (nesting.get(name) ?? 0) + 1;
    if (depth > 1000) throw new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
    nesting.set(name, depth);
    try {
      return t.execute(name, data);
    } finally {
      nesting.set(name, depth - 1);
    }
  });
  const files = new Map<string, string>([
    ['vec/templates/_case.tpl', `{{ define "case" }}${c.template}{{ end }}`],
    ['vec/templates/out.yaml', 'out: {{ include "case" . }}\n'],
  ]);
  for (const [path, content] of Object.entries(c.files ?? {})) files.set(`vec/${path}`, content);
  // Helm parses files of one depth in reverse byte order, so later (smaller) names win.
  for (const name of [...files.keys()].sort().reverse()) t.parse(name, files.get(name)!);
  return t;
}

function runCase(c: VectorCase): string {
  const t = caseSet(c);
  return t.execute('case', rootContext(c));
}

test('helm vectors runnable with the builtins: exact output, or failure where helm failed', { skip: casesPath === '' }, () => {
  const cases = readFileSync(casesPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as VectorCase);
  const failures: string[] = [];
  let attempted = 0;
  for (const c of cases) {
    if (unsupported(c) !== undefined) continue;
    attempted++;
    const want = c.v4.ok ? (c.v4.out_b64 !== undefined ? Buffer.from(c.v4.out_b64, 'base64').toString('utf8') : c.v4.out!) : undefined;
    try {
      const got = runCase(c);
      if (want === undefined) failures.push(`${c.id}: helm failed (${c.v4.error!.split('\n').pop()}), we rendered ${JSON.stringify(got)}`);
      else if (got !== want) failures.push(`${c.id}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    } catch (e) {
      if (!(e instanceof TemplateError)) failures.push(`${c.id}: non-template error ${String(e)}`);
      else if (want !== undefined) failures.push(`${c.id}: unexpected ${e.name}: ${e.message}`);
      else {
        const helmParse = c.v4.error!.includes('parse error');
        if (helmParse !== e instanceof ParseError) failures.push(`${c.id}: helm: ${c.v4.error}; we threw ${e.name}: ${e.message}`);
      }
    }
  }
  console.log(`engine vectors: ${attempted - failures.length} of ${attempted} attempted pass (${cases.length - attempted} need Sprig/Helm functions or context objects)`);
  assert.deepEqual(failures, []);
  assert.ok(attempted > 300, `only ${attempted} vector cases runnable`);
});

// ---------------------------------------------------------------------------------------------------------------
// Go behaviour tables

class Point extends GoStruct {
  constructor(
    readonly x: GoValue,
    readonly y: GoValue,
  ) {
    super();
  }
  get typeName(): string {
    return 'main.Point';
  }
  override fieldNames(): readonly string[] {
    return ['X', 'Y'];
  }
  override field(name: string): GoValue | undefined {
    if (name === 'X') return this.x;
    if (name === 'Y') return this.y;
    return undefined;
  }
  override method(name: string): GoFunc | undefined {
    switch (name) {
      case 'Sum':
        return gofn([], () => new GoInt((this.x as GoInt).value + (this.y as GoInt).value));
      case 'Add':
        return gofn(['int'], (d: GoInt) => new GoInt((this.x as GoInt).value + d.value));
      case 'Scale':
        return gofn(['float64'], (f: number) => (this.x as GoInt).toNumber() * f);
      case 'Join':
        return gofn(['string'], (sep: string, ...rest: GoValue[]) => rest.map(String).join(sep), 'string');
      case 'Fail':
        return gofn([], () => {
          throw new Error('boom');
        });
    }
    return undefined;
  }
}

class Ptr extends GoStruct {
  get typeName(): string {
    return '*main.T';
  }
  override fieldNames(): readonly string[] {
    return ['N'];
  }
  override field(name: string): GoValue | undefined {
    return name === 'N' ? new GoInt(3) : undefined;
  }
}

function data(): GoMap {
  const d = fromPlain({
    str: 'hello',
    f: 1.5,
    list: [1, 'two', null],
    empty: [],
    m: { b: 2, a: 1 },
    nilv: null,
    nested: { inner: { leaf: 'L' } },
  }) as GoMap;
  d.i = new GoInt(7);
  d.u8 = new GoInt(200, 'uint8');
  d.pt = new Point(new GoInt(1), new GoInt(2));
  d.strs = stringSlice(['x', 'y']);
  d.sm = Object.assign(newMap('map[string]string'), { k: 'v' });
  d.bytes = new Uint8Array([104, 105]);
  d.fn = gofn(['string'], (s: string) => s + '!') as unknown as GoValue; // a function value (for call)
  d.ifaces = newSlice([new GoInt(1), 'a']);
  d.ptr = new Ptr();
  return d;
}

const funcs: Record<string, GoFunc> = {
  upper: gofn(['string'], (s: string) => s.toUpperCase()),
  twice: gofn(['int'], (n: GoInt) => new GoInt(n.value * 2n)),
  half: gofn(['float64'], (f: number) => f / 2),
  u8: gofn(['uint8'], (n: GoInt) => n),
  join: gofn(['string'], (sep: string, ...xs: string[]) => xs.join(sep), 'string'),
  keys: gofn(['map'], (m: GoMap | null) => stringSlice(m === null ? [] : Object.keys(m).sort())),
  flag: gofn(['bool'], (b: boolean) => !b),
  fail: gofn(['string'], (m: string): GoValue => {
    throw new Error(m);
  }),
  nilf: gofn([], () => null),
  echo: gofn(['any'], (v: GoValue) => v),
};

interface Row {
  name: string;
  input: string;
  /** Expected output, or an Error class plus a substring of its message. */
  output?: string;
  error?: [typeof ParseError | typeof ExecError, string];
  missingKey?: 'default' | 'zero' | 'error';
}

const rows: Row[] = [
  // Text, constants and printing (Go's printing of values: fmt.Sprint, nil as <no value>)
  { name: 'text', input: 'hello', output: 'hello' },
  { name: 'empty', input: '', output: '' },
  { name: 'string const', input: '{{"a\\tb"}}', output: 'a\tb' },
  { name: 'raw string', input: '{{`a\\tb`}}', output: 'a\\tb' },
  { name: 'raw string drops CR', input: '{{`a\r\nb`}}', output: 'a\nb' },
  { name: 'hex escape bytes form UTF-8', input: '{{"\\xc3\\xa9"}}', output: 'é' },
  { name: 'octal escape', input: '{{"\\101"}}', output: 'A' },
  { name: 'unicode escapes', input: '{{"\\u00e9\\U0001F600"}}', output: 'é😀' },
  { name: 'char const', input: "{{'a'}} {{'\\n'}} {{'\\x41'}} {{'\\u00e9'}}", output: '97 10 65 233' },
  { name: 'ints', input: '{{0x1F}} {{0o17}} {{0b101}} {{017}} {{1_000}} {{-0}} {{+5}}', output: '31 15 5 15 1000 0 5' },
  { name: 'floats', input: '{{1.5}} {{1e3}} {{.5}} {{0x1p-2}} {{1_0.5}}', output: '1.5 1000 0.5 0.25 10.5' },
  { name: 'complex', input: '{{1+2i}} {{2i}}', output: '(1+2i) (0+2i)' },
  { name: 'bools', input: '{{true}} {{false}}', output: 'true false' },
  { name: 'dot', input: '{{.str}}', output: 'hello' },
  { name: 'nil value prints <no value>', input: '{{.nilv}}', output: '<no value>' },
  { name: 'int from data', input: '{{.i}} {{.u8}}', output: '7 200' },
  { name: 'list prints', input: '{{.list}}', output: '[1 two <nil>]' },
  { name: 'map prints sorted', input: '{{.m}}', output: 'map[a:1 b:2]' },
  { name: 'bytes print', input: '{{.bytes}}', output: '[104 105]' },
  { name: 'pointer to struct prints the struct', input: '{{.ptr}} {{print .ptr}}', output: '{3} &{3}' },
  // Fields, maps, methods
  { name: 'nested field', input: '{{.nested.inner.leaf}}', output: 'L' },
  { name: 'struct field', input: '{{.pt.X}}-{{.pt.Y}}', output: '1-2' },
  { name: 'method no args', input: '{{.pt.Sum}}', output: '3' },
  { name: 'method with arg', input: '{{.pt.Add 5}}', output: '6' },
  { name: 'method arg from pipeline', input: '{{5 | .pt.Add}}', output: '6' },
  { name: 'method int const to float', input: '{{.pt.Scale 3}}', output: '3' },
  { name: 'variadic method', input: '{{.pt.Join "-" "a" "b"}}', output: 'a-b' },
  { name: 'method error', input: '{{.pt.Fail}}', error: [ExecError, 'error calling Fail: boom'] },
  { name: 'unknown struct field via map', input: '{{.pt.Z}}', error: [ExecError, "can't evaluate field Z in type interface {}"] },
  { name: 'unknown struct field', input: '{{$p := .pt}}{{$p.Z}}', error: [ExecError, "can't evaluate field Z in type main.Point"] },
  { name: 'field with args', input: '{{.pt.X 1}}', error: [ExecError, 'X has arguments but cannot be invoked as function'] },
  { name: 'map key with args', input: '{{.m.a 1}}', error: [ExecError, 'a is not a method but has arguments'] },
  { name: 'field of string', input: '{{$s := .str}}{{$s.x}}', error: [ExecError, "can't evaluate field x in type string"] },
  { name: 'field of map elem string', input: '{{.nested.inner.leaf.x}}', error: [ExecError, "can't evaluate field x in type interface {}"] },
  { name: 'chain on parens', input: '{{(.nested).inner.leaf}}', output: 'L' },
  { name: 'chain on variable', input: '{{$n := .nested}}{{$n.inner.leaf}}', output: 'L' },
  { name: '$ chain', input: '{{with .m}}{{$.str}}{{end}}', output: 'hello' },
  // Missing keys
  { name: 'missing default', input: '{{.nope}}', output: '<no value>' },
  { name: 'missing of missing (default: no error)', input: '{{.nope.deeper}}', output: '<no value>' },
  { name: 'missing zero', input: '{{.nope}}', output: '<no value>', missingKey: 'zero' },
  { name: 'missing zero then field fails', input: '{{.nope.x}}', error: [ExecError, 'nil pointer evaluating interface {}.x'], missingKey: 'zero' },
  { name: 'nil value then field fails', input: '{{.nilv.x}}', error: [ExecError, 'nil pointer evaluating interface {}.x'] },
  { name: 'typed map zero', input: '[{{.sm.zz}}]', output: '[]', missingKey: 'zero' },
  { name: 'missing error', input: '{{.nope}}', error: [ExecError, 'map has no entry for key "nope"'], missingKey: 'error' },
  { name: 'nil variable field is no value', input: '{{$x := .nilv}}{{$x.y}}', output: '<no value>' },
  { name: 'nil range element field fails', input: '{{range .list}}{{.x}}{{end}}', error: [ExecError, "can't evaluate field x in type"] },
  // Variables
  { name: 'declare and use', input: '{{$x := 1}}{{$x}}', output: '1' },
  { name: 'assign', input: '{{$x := 1}}{{$x = 2}}{{$x}}', output: '2' },
  { name: 'assign in if persists', input: '{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', output: '2' },
  { name: 'shadow in if', input: '{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}', output: '21' },
  { name: '$ is data', input: '{{$.str}}', output: 'hello' },
  { name: 'undefined variable', input: '{{$x}}', error: [ParseError, 'undefined variable "$x"'] },
  { name: 'assign undeclared is exec error', input: '{{$y = 2}}', error: [ExecError, 'undefined variable: $y'] },
  { name: 'variables do not leak into templates', input: '{{define "d"}}{{$}}{{end}}{{$x := 1}}{{template "d" 5}}', output: '5' },
  { name: 'decl prints nothing', input: 'a{{$x := 1}}b', output: 'ab' },
  // if / with / range
  { name: 'if else', input: '{{if .empty}}T{{else}}F{{end}}', output: 'F' },
  { name: 'else if', input: '{{if false}}1{{else if .i}}2{{else}}3{{end}}', output: '2' },
  { name: 'with', input: '{{with .nested.inner}}{{.leaf}}{{end}}', output: 'L' },
  { name: 'else with', input: '{{with .nope}}1{{else with .str}}{{.}}{{end}}', output: 'hello' },
  { name: 'with var', input: '{{with $v := .str}}{{$v}}{{end}}', output: 'hello' },
  { name: 'range slice', input: '{{range .list}}[{{.}}]{{end}}', output: '[1][two][<no value>]' },
  { name: 'range index elem', input: '{{range $i, $e := .strs}}{{$i}}{{$e}}{{end}}', output: '0x1y' },
  { name: 'range map sorted', input: '{{range $k, $v := .m}}{{$k}}{{$v}}{{end}}', output: 'a1b2' },
  { name: 'range else', input: '{{range .empty}}x{{else}}none{{end}}', output: 'none' },
  { name: 'range nil', input: '{{range .nilv}}x{{else}}none{{end}}', output: 'none' },
  { name: 'range int', input: '{{range 3}}{{.}}{{end}}', output: '012' },
  { name: 'range int typed', input: '{{range $v := .u8}}{{end}}done', output: 'done' },
  { name: 'range bytes', input: '{{range .bytes}}{{.}},{{end}}', output: '104,105,' },
  { name: 'range two vars over int', input: '{{range $i, $v := 3}}{{end}}', error: [ExecError, "can't use 3 to iterate over more than one variable"] },
  { name: 'range string fails', input: '{{range .str}}{{end}}', error: [ExecError, "range can't iterate over hello"] },
  { name: 'range assign', input: '{{$i := 0}}{{$e := 0}}{{range $i, $e = .strs}}{{end}}{{$i}}{{$e}}', output: '1y' },
  { name: 'break', input: '{{range .strs}}{{if eq . "y"}}{{break}}{{end}}{{.}}{{end}}', output: 'x' },
  { name: 'continue', input: '{{range .strs}}{{if eq . "x"}}{{continue}}{{end}}{{.}}{{end}}', output: 'y' },
  { name: 'break nested range', input: '{{range 2}}{{range 5}}{{if eq . 1}}{{break}}{{end}}{{.}}{{end}};{{end}}', output: '0;0;' },
  { name: 'break outside range', input: '{{break}}', error: [ParseError, '{{break}} outside {{range}}'] },
  { name: 'break in range else', input: '{{range .empty}}{{else}}{{break}}{{end}}', error: [ParseError, '{{break}} outside {{range}}'] },
  // define / template / block
  { name: 'template call', input: '{{define "d"}}<{{.}}>{{end}}{{template "d" .str}}', output: '<hello>' },
  { name: 'template no pipeline', input: '{{define "d"}}<{{.}}>{{end}}{{template "d"}}', output: '<<no value>>' },
  { name: 'block', input: '{{block "b" .str}}[{{.}}]{{end}}', output: '[hello]' },
  { name: 'undefined template', input: '{{template "nope"}}', error: [ExecError, 'template "nope" not defined'] },
  { name: 'recursion limit', input: '{{define "r"}}{{template "r" .}}{{end}}{{template "r"}}', error: [ExecError, 'exceeded maximum template depth'] },
  { name: 'duplicate define in one text', input: '{{define "a"}}1{{end}}{{define "a"}}2{{end}}', error: [ParseError, 'multiple definition of template "a"'] },
  { name: 'empty redefine in one text is fine', input: '{{define "a"}}1{{end}}{{define "a"}} {{end}}{{template "a"}}', output: '1' },
  // Functions and argument conversion
  { name: 'func', input: '{{upper "a"}}', output: 'A' },
  { name: 'pipeline last arg', input: '{{"a" | upper}}', output: 'A' },
  { name: 'variadic', input: '{{join "," "a" "b"}}', output: 'a,b' },
  { name: 'variadic from pipeline', input: '{{"c" | join "," "a"}}', output: 'a,c' },
  { name: 'int const to int', input: '{{twice 2}}', output: '4' },
  { name: 'float-looking int const to int', input: '{{twice 2.0}}', output: '4' },
  { name: 'int const to float', input: '{{half 3}}', output: '1.5' },
  { name: 'non-integral const to int', input: '{{twice 2.5}}', error: [ExecError, 'expected integer; found 2.5'] },
  { name: 'float value to int', input: '{{twice .f}}', error: [ExecError, 'wrong type for value; expected int; got float64'] },
  { name: 'int value to int', input: '{{twice .i}}', output: '14' },
  { name: 'uint8 const', input: '{{u8 255}}', output: '255' },
  { name: 'negative to uint', input: '{{u8 -1}}', error: [ExecError, 'expected unsigned integer; found -1'] },
  { name: 'string param gets int', input: '{{upper 1}}', error: [ExecError, 'expected string; found 1'] },
  { name: 'bool param', input: '{{flag true}}', output: 'false' },
  { name: 'bool param gets string', input: '{{flag "x"}}', error: [ExecError, 'expected bool; found "x"'] },
  { name: 'nil to string', input: '{{upper nil}}', error: [ExecError, 'cannot assign nil to string'] },
  { name: 'nil to any', input: '{{echo nil}}', output: '<no value>' },
  { name: 'named map to map param', input: '{{keys .m}}', output: '[a b]' },
  { name: 'typed map to map param', input: '{{keys .sm}}', error: [ExecError, 'wrong type for value; expected map[string]interface {}; got map[string]string'] },
  { name: 'nil interface to map param', input: '{{keys .nilv}}', error: [ExecError, 'wrong type for value; expected map[string]interface {}; got interface {}'] },
  { name: 'no value to map param via pipeline', input: '{{.nilv | keys}}', output: '[]' },
  { name: 'too many args', input: '{{upper "a" "b"}}', error: [ExecError, 'wrong number of args for upper: want 1 got 2'] },
  { name: 'too few variadic', input: '{{join}}', error: [ExecError, 'wrong number of args for join: want at least 1 got 0'] },
  { name: 'function error', input: '{{fail "x"}}', error: [ExecError, 'error calling fail: x'] },
  { name: 'undefined function', input: '{{nope}}', error: [ParseError, 'function "nope" not defined'] },
  { name: 'funcs override builtins', input: '{{len "abc"}}', output: 'LEN' },
  { name: 'call', input: '{{call .fn "a"}}', output: 'a!' },
  { name: 'call non-function', input: '{{call .str}}', error: [ExecError, 'error calling call: non-function .str of type string'] },
  { name: 'call nil', input: '{{call .nilv}}', error: [ExecError, 'error calling call: call of nil'] },
  { name: 'call wrong arg', input: '{{call .fn 1}}', error: [ExecError, 'arg 0: value has type int; should be string'] },
  { name: 'nil function result', input: '{{nilf}}', output: '<no value>' },
  { name: 'non-function with args', input: '{{$x := 1}}{{$x 2}}', error: [ExecError, "can't give argument to non-function $x"] },
  { name: 'nil command', input: '{{nil}}', error: [ExecError, 'nil is not a command'] },
  { name: 'overflow uint literal', input: '{{18446744073709551615}}', error: [ExecError, '18446744073709551615 overflows int'] },
  // Builtins
  { name: 'and or', input: '{{and 1 0 2}} {{or 0 "" 3}} {{and 1 2}} {{or 0 ""}}', output: '0 3 2 ' },
  { name: 'and short-circuit', input: '{{and false (fail "boom")}}', output: 'false' },
  { name: 'or short-circuit', input: '{{or 1 (fail "boom")}}', output: '1' },
  { name: 'not', input: '{{not 0}} {{not .str}} {{not nil}}', output: 'true false true' },
  { name: 'len', input: '{{len .str}} {{len .list}} {{len .m}} {{len .bytes}} {{len "é"}}', output: '5 3 2 2 2' },
  { name: 'len of int', input: '{{len 3}}', error: [ExecError, 'len of type int'] },
  { name: 'index', input: '{{index .list 1}} {{index .m "b"}} {{index "abc" 1}} {{index .nested "inner" "leaf"}}', output: 'two 2 98 L' },
  { name: 'index out of range', input: '{{index .list 5}}', error: [ExecError, 'index out of range: 5'] },
  { name: 'index missing map key', input: '{{index .m "zz"}}', output: '<no value>' },
  { name: 'index typed map missing', input: '[{{index .sm "zz"}}]', output: '[]' },
  { name: 'slice', input: '{{slice .strs 1}} {{slice "hello" 1 3}} {{slice .list 0 2}}', output: '[y] el [1 two]' },
  { name: 'slice bad', input: '{{slice .strs 2 1}}', error: [ExecError, 'invalid slice index: 2 > 1'] },
  { name: 'print', input: '{{print 1 2 "a" 3}} {{println "x"}}', output: '1 2a3 x\n' },
  { name: 'printf', input: '{{printf "%d-%s-%v" 1 "a" .list}}', output: '1-a-[1 two <nil>]' },
  { name: 'html', input: '{{html "<a href=\\"x\\">&\'"}}', output: '&lt;a href=&#34;x&#34;&gt;&amp;&#39;' },
  { name: 'js', input: '{{js "<\'\\"\\\\=\\n\\u00a0é"}}', output: "\\u003C\\'\\\"\\\\\\u003D\\u000A\\u00A0é" },
  { name: 'urlquery', input: '{{urlquery "a b/é"}}', output: 'a+b%2F%C3%A9' },
  { name: 'eq', input: '{{eq 1 1}} {{eq "a" "b" "a"}} {{eq .str "hello"}} {{eq .nilv nil}} {{eq .i 7}}', output: 'true true true true true' },
  { name: 'eq int float', input: '{{eq 1 1.0}}', error: [ExecError, 'incompatible types for comparison: int and float64'] },
  { name: 'eq int uint', input: '{{eq .u8 200}}', output: 'true' },
  { name: 'eq maps', input: '{{eq .m .m}}', error: [ExecError, 'non-comparable type'] },
  { name: 'eq nil and string', input: '{{eq .nilv "x"}}', output: 'false' },
  { name: 'lt le gt ge ne', input: '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{ne 1 2}}', output: 'true true true false true' },
  { name: 'lt nil', input: '{{lt .nilv 1}}', error: [ExecError, 'invalid type for comparison'] },
  { name: 'lt bool', input: '{{lt true false}}', error: [ExecError, 'invalid type for comparison'] },
  { name: 'lt int uint', input: '{{lt -1 .u8}}', output: 'true' },
  // Whitespace trimming and comments
  { name: 'trim both', input: 'a  \n {{- 1 -}} \n b', output: 'a1b' },
  { name: 'trim with tabs', input: 'a\t{{-\t1\t-}}\tb', output: 'a1b' },
  { name: 'no trim without space', input: '{{-1}}', output: '-1' },
  { name: 'comment', input: 'a {{- /* x */ -}} b', output: 'ab' },
  { name: 'newlines in action', input: '{{ .str\n | upper\n }}', output: 'HELLO' },
  // Parse errors
  { name: 'unclosed action', input: '{{ 1', error: [ParseError, 'unclosed action'] },
  { name: 'unexpected EOF', input: '{{if 1}}', error: [ParseError, 'unexpected EOF'] },
  { name: 'empty pipeline', input: '{{}}', error: [ParseError, 'missing value for command'] },
  { name: 'bad number', input: '{{3k}}', error: [ParseError, 'bad number syntax: "3k"'] },
  { name: 'unterminated string', input: '{{"a}}', error: [ParseError, 'unterminated quoted string'] },
  { name: 'bad escape', input: '{{"\\q"}}', error: [ParseError, 'invalid syntax'] },
  { name: 'unclosed paren', input: '{{(1}}', error: [ParseError, 'unclosed left paren'] },
  { name: 'extra paren', input: '{{1)}}', error: [ParseError, 'unexpected right paren'] },
  { name: 'field on literal', input: '{{"a".b}}', error: [ParseError, 'unexpected . after term'] },
  { name: 'integer overflow literal', input: '{{99999999999999999999}}', error: [ParseError, 'integer overflow: "99999999999999999999"'] },
  { name: 'illegal number', input: '{{08}}', error: [ParseError, 'integer overflow'] },
  { name: 'parse error line', input: 'a\nb\n{{end}}', error: [ParseError, 'template: t:3: unexpected {{end}}'] },
  { name: 'unexpected in action started', input: '{{ 1\n\n', error: [ParseError, 'unclosed action started at t:1'] },
];

function runRow(r: Row): string {
  const f = { ...funcs, len: gofn(['string'], () => 'LEN') };
  const t = new Template('t', { funcs: r.name === 'funcs override builtins' ? f : funcs, missingKey: r.missingKey });
  t.parse('t', r.input);
  return t.execute('t', data());
}

for (const r of rows) {
  test(`exec: ${r.name}`, () => {
    if (r.error === undefined) {
      assert.equal(runRow(r), r.output);
      return;
    }
    const [cls, substr] = r.error;
    assert.throws(
      () => runRow(r),
      (e: unknown) => e instanceof cls && (e as Error).message.includes(substr),
      `expected ${cls.name} containing ${JSON.stringify(substr)}`,
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Error positions and structure

test('exec errors carry Go positions: file, 1-based line, 0-based byte column, node context', () => {
  const t = new Template('set', { missingKey: 'zero' });
  t.parse('f.tpl', 'héllo\n  {{ .a.b.c }}');
  let err: unknown;
  try {
    t.execute('f.tpl', fromPlain({}));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExecError);
  assert.equal(err.message, 'template: f.tpl:2:7: executing "f.tpl" at <.a.b.c>: nil pointer evaluating interface {}.b');
  assert.equal(err.line, 2);
  assert.equal(err.col, 7);
  assert.equal(err.context, '.a.b.c');
  assert.equal(err.templateName, 'f.tpl');
  assert.equal(err.executing, 'f.tpl');
  assert.equal(err.detail, 'nil pointer evaluating interface {}.b');
});

test('columns count UTF-8 bytes', () => {
  const t = new Template('t');
  t.parse('t', 'é{{ nil }}');
  assert.throws(() => t.execute('t', null), { message: 'template: t:1:5: executing "t" at <nil>: nil is not a command' });
});

test('errors from defines name the define and the file it came from', () => {
  const t = new Template('set');
  t.parse('a.tpl', '{{define "x"}}\n{{ .y.z 1 }}{{end}}');
  t.parse('main', '{{template "x" .}}');
  assert.throws(
    () => t.execute('main', fromPlain({ y: { z: 1 } })),
    (e: unknown) =>
      e instanceof ExecError &&
      e.message === 'template: a.tpl:2:5: executing "x" at <.y.z>: z is not a method but has arguments' &&
      e.templateName === 'a.tpl' &&
      e.executing === 'x' &&
      e.line === 2 &&
      e.col === 5,
  );
});

test('function errors keep the cause and the function name', () => {
  const t = new Template('t', { funcs });
  t.parse('t', '{{ fail "bad" }}');
  try {
    t.execute('t', null);
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof ExecError);
    assert.equal(e.funcName, 'fail');
    assert.equal(e.context, 'fail "bad"');
    assert.ok(e.cause instanceof Error && e.cause.message === 'bad');
    assert.equal(e.message, 'template: t:1:3: executing "t" at <fail "bad">: error calling fail: bad');
  }
});

test('parse errors are ParseError with name and line', () => {
  const t = new Template('t');
  assert.throws(
    () => t.parse('file.tpl', 'ok\n{{ if }}'),
    (e: unknown) => e instanceof ParseError && e.line === 2 && e.templateName === 'file.tpl' && e.message === 'template: file.tpl:2: missing value for if',
  );
});

// ---------------------------------------------------------------------------------------------------------------
// The set: redefinition, clone, rebinding

test('later definitions replace earlier ones, except empty ones', () => {
  const t = new Template('set');
  t.parse('a', '{{define "x"}}one{{end}}');
  t.parse('b', '{{define "x"}}two{{end}}');
  t.parse('c', '{{define "x"}}  {{/* nothing */}}\n{{end}}');
  t.parse('main', '{{template "x"}}');
  assert.equal(t.execute('main', null), 'two');
  assert.deepEqual(t.names(), ['a', 'b', 'c', 'main', 'x']);
});

test('clone shares trees but not names or funcs; funcs are looked up at execution', () => {
  const t = new Template('set', { funcs: { f: gofn([], () => 'orig') } });
  t.parse('main', '{{f}}');
  const c = t.clone();
  c.funcs.f = gofn([], () => 'rebound');
  c.parse('extra', 'x');
  assert.equal(t.execute('main', null), 'orig');
  assert.equal(c.execute('main', null), 'rebound');
  assert.equal(t.has('extra'), false);
  assert.equal(c.has('extra'), true);
});


test('a clone is a snapshot: later definitions in the original, the clone or a clone of it stay where they were made', () => {
  const t = new Template('set');
  t.parse('a', '{{define "x"}}one{{end}}{{define "y"}}why{{end}}');
  const c = t.clone();
  t.parse('b', '{{define "x"}}two{{end}}{{define "z"}}zed{{end}}');
  c.parse('use', '{{template "x"}}{{template "y"}}');
  assert.equal(c.execute('use', null), 'onewhy');
  assert.equal(c.has('z'), false);
  assert.equal(t.has('use'), false);
  const cc = c.clone();
  cc.parse('d', '{{define "y"}}inner{{end}}');
  assert.equal(cc.execute('use', null), 'oneinner');
  assert.equal(c.execute('use', null), 'onewhy');
  c.parse('e', '{{define "w"}}late{{end}}');
  assert.equal(cc.has('w'), false);
  assert.deepEqual(cc.names(), ['a', 'd', 'use', 'x', 'y']);
  // an empty redefinition keeps a definition the clone sees through its original
  cc.parse('f', '{{define "x"}} {{end}}');
  assert.equal(cc.execute('use', null), 'oneinner');
  t.parse('g', '{{template "x"}}');
  assert.equal(t.execute('g', null), 'two');
});
test('executing an unknown template is an ExecError', () => {
  assert.throws(() => new Template('t').execute('nope', null), ExecError);
});

test('a failing parse leaves the set unchanged', () => {
  const t = new Template('t');
  t.parse('a', '{{define "x"}}1{{end}}');
  assert.throws(() => t.parse('b', '{{define "x"}}2{{end}}{{'), ParseError);
  t.parse('m', '{{template "x"}}');
  assert.equal(t.execute('m', null), '1');
});

test('include-style recursion through functions fails cleanly', () => {
  const t = new Template('t');
  t.funcs.include = gofn(['string', 'any'], (name: string, d: GoValue) => t.execute(name, d));
  t.parse('x', '{{ include "x" . }}');
  assert.throws(() => t.execute('x', null), ExecError);
});
