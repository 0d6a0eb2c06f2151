// A deliberately small evaluator for the simple templates of the yaml/json/toml/values vector cases, so that the
// data-format functions can be checked against real helm output without the full template engine. It knows
// `{{ pipeline }}`, `{{ $v := pipeline }}`, literals, .Values chains, $variables, parenthesised pipelines with field
// access, and the handful of Sprig helpers those cases use. Anything else raises Unsupported (the case is skipped).
import { GoInt, GoStruct, newMap, stringSlice, typeName, type GoMap, type GoValue } from '../../src/template/value.js';
import {
  helmFromJson,
  helmFromJsonArray,
  helmFromToml,
  helmFromYaml,
  helmFromYamlArray,
  helmMustFromJson,
  helmMustToJson,
  helmMustToPrettyJson,
  helmMustToRawJson,
  helmMustToYaml,
  helmToJson,
  helmToPrettyJson,
  helmToRawJson,
  helmToToml,
  helmToYaml,
  helmToYamlPretty,
} from '../../src/yaml/index.js';
import { formatG } from '../../src/yaml/gofloat.js';
import { goParseInt } from '../../src/yaml/resolve.js';

export class Unsupported extends Error {}

type Fn = (...args: GoValue[]) => GoValue;

function str(v: GoValue): string {
  if (typeof v !== 'string') throw new Error(`wrong type for value; expected string; got ${typeName(v)}`);
  return v;
}

/** fmt's %v for the values these cases print. */
export function printV(v: GoValue, top = false): string {
  if (v === null) return top ? '<no value>' : '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatG(v);
    case 'boolean':
      return String(v);
  }
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof GoStruct) {
    if (v.goString) return v.goString();
    throw new Unsupported('struct printing');
  }
  if (v instanceof Uint8Array) return '[' + Array.from(v).join(' ') + ']';
  if (Array.isArray(v)) return '[' + v.map((x) => printV(x)).join(' ') + ']';
  const m = v as GoMap;
  return 'map[' + Object.keys(m).sort().map((k) => k + ':' + printV(m[k])).join(' ') + ']';
}

function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => c);
}

const FUNCS: Record<string, Fn> = {
  toYaml: (v) => helmToYaml(v),
  mustToYaml: (v) => helmMustToYaml(v),
  toYamlPretty: (v) => helmToYamlPretty(v),
  fromYaml: (s) => helmFromYaml(str(s)),
  fromYamlArray: (s) => helmFromYamlArray(str(s)),
  toJson: (v) => helmToJson(v),
  mustToJson: (v) => helmMustToJson(v),
  toPrettyJson: (v) => helmToPrettyJson(v),
  mustToPrettyJson: (v) => helmMustToPrettyJson(v),
  toRawJson: (v) => helmToRawJson(v),
  mustToRawJson: (v) => helmMustToRawJson(v),
  fromJson: (s) => helmFromJson(str(s)),
  fromJsonArray: (s) => helmFromJsonArray(str(s)),
  mustFromJson: (s) => helmMustFromJson(str(s)),
  toToml: (v) => helmToToml(v),
  fromToml: (s) => helmFromToml(str(s)),
  dict: (...a) => {
    const m = newMap();
    for (let i = 0; i < a.length; i += 2) m[str(a[i])] = i + 1 < a.length ? a[i + 1] : '';
    return m;
  },
  list: (...a) => a,
  typeOf: (v) => typeName(v),
  float64: (v) => {
    if (typeof v === 'number') return v;
    if (v instanceof GoInt) return v.toNumber();
    const s = str(v);
    if (s === 'NaN') return NaN;
    if (s === 'Inf' || s === '+Inf') return Infinity;
    return Number(s);
  },
  int64: (v) => {
    if (v instanceof GoInt) return new GoInt(v.value, 'int64');
    if (typeof v === 'number') return new GoInt(Math.trunc(v), 'int64');
    const i = goParseInt(str(v));
    if (i === undefined) throw new Unsupported('int64 of ' + String(v));
    return new GoInt(i, 'int64');
  },
  b64dec: (s) => Buffer.from(str(s), 'base64').toString('utf8'),
  splitList: (sep, s) => stringSlice(str(s).split(str(sep))),
  index: (m, k) => {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new Unsupported('index');
    const v = (m as GoMap)[str(k)];
    return v === undefined ? null : v;
  },
  hasKey: (m, k) => Object.prototype.hasOwnProperty.call(m, str(k)),
  set: (m, k, v) => {
    (m as GoMap)[str(k)] = v;
    return m;
  },
  quote: (...a) => a.filter((x) => x !== null).map((x) => goQuote(printV(x))).join(' '),
  nindent: (n, s) => {
    const pad = ' '.repeat((n as GoInt).toNumber());
    return '\n' + pad + str(s).replaceAll('\n', '\n' + pad);
  },
  indent: (n, s) => {
    const pad = ' '.repeat((n as GoInt).toNumber());
    return pad + str(s).replaceAll('\n', '\n' + pad);
  },
  keys: (m) => Object.keys(m as GoMap),
  sortAlpha: (l) => stringSlice((l as string[]).map((x) => printV(x)).sort()),
  toString: (v: GoValue) => printV(v),
};

function badChar(c: string): string {
  const cp = c.codePointAt(0) as number;
  return `bad character U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

type Tok = { t: 'str' | 'num' | 'id' | 'field' | 'var' | 'sym'; v: string };

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') {
        if (j >= src.length) throw new Error('unterminated quoted string');
        j += src[j] === '\\' ? 2 : 1;
      }
      const body = src.slice(i + 1, j).replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => '\\u00' + h);
      toks.push({ t: 'str', v: JSON.parse('"' + body + '"') as string });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      toks.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '|') {
      toks.push({ t: 'sym', v: c });
      i++;
      continue;
    }
    if (src.startsWith(':=', i)) {
      toks.push({ t: 'sym', v: ':=' });
      i += 2;
      continue;
    }
    let m = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(src.slice(i));
    if (m) {
      toks.push({ t: 'field', v: m[0] });
      i += m[0].length;
      continue;
    }
    m = /^\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i));
    if (m) {
      toks.push({ t: 'var', v: m[0] });
      i += m[0].length;
      continue;
    }
    m = /^[-+]?[0-9][0-9a-fA-FxX._eE+-]*/.exec(src.slice(i));
    if (m) {
      toks.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (m) {
      toks.push({ t: 'id', v: m[0] });
      i += m[0].length;
      if (src[i] !== undefined && !/[\s()|]/.test(src[i])) throw new Error(badChar(src[i]));
      continue;
    }
    throw new Error(badChar(c));
  }
  return toks;
}

function fieldChain(v: GoValue, chain: string): GoValue {
  for (const name of chain.split('.').filter(Boolean)) {
    if (v === null) throw new Error(`nil pointer evaluating interface {}.${name}`);
    if (typeof v !== 'object' || Array.isArray(v) || v instanceof GoInt || v instanceof Uint8Array || v instanceof GoStruct) {
      throw new Error(`can't evaluate field ${name} in type interface {}`);
    }
    const x = (v as GoMap)[name];
    v = x === undefined ? null : x;
  }
  return v;
}

class Evaluator {
  constructor(
    private readonly dot: GoValue,
    private readonly vars: Map<string, GoValue>,
  ) {}

  pipeline(toks: Tok[]): GoValue {
    const cmds: Tok[][] = [[]];
    let depth = 0;
    for (const t of toks) {
      if (t.t === 'sym' && t.v === '(') depth++;
      if (t.t === 'sym' && t.v === ')') depth--;
      if (depth === 0 && t.t === 'sym' && t.v === '|') cmds.push([]);
      else cmds[cmds.length - 1].push(t);
    }
    let prev: GoValue | undefined;
    for (const cmd of cmds) prev = this.command(cmd, prev);
    return prev === undefined ? null : prev;
  }

  private command(toks: Tok[], piped: GoValue | undefined): GoValue {
    const args: GoValue[] = [];
    let fn: Fn | undefined;
    let i = 0;
    if (toks[0]?.t === 'id' && !['true', 'false', 'nil'].includes(toks[0].v)) {
      fn = FUNCS[toks[0].v];
      if (!fn) throw new Unsupported('function ' + toks[0].v);
      i = 1;
    }
    while (i < toks.length) {
      const [v, next] = this.operand(toks, i);
      args.push(v);
      i = next;
    }
    if (piped !== undefined) args.push(piped);
    if (fn) return fn(...args);
    if (args.length !== 1) throw new Unsupported('operand count');
    return args[0];
  }

  private operand(toks: Tok[], i: number): [GoValue, number] {
    const t = toks[i];
    switch (t.t) {
      case 'str':
        return [t.v, i + 1];
      case 'num':
        if (/^[-+]?\d+$/.test(t.v)) return [new GoInt(BigInt(t.v), 'int'), i + 1];
        return [Number(t.v), i + 1];
      case 'field':
        return [fieldChain(this.dot, t.v), i + 1];
      case 'var': {
        const [name, ...rest] = t.v.split('.');
        if (!this.vars.has(name)) throw new Unsupported('undefined variable');
        return [fieldChain(this.vars.get(name) as GoValue, rest.join('.')), i + 1];
      }
      case 'id':
        if (t.v === 'true') return [true, i + 1];
        if (t.v === 'false') return [false, i + 1];
        if (t.v === 'nil') return [null, i + 1];
        {
          const fn = FUNCS[t.v];
          if (!fn) throw new Unsupported('function ' + t.v);
          return [fn(), i + 1];
        }
      case 'sym': {
        if (t.v !== '(') throw new Unsupported('syntax');
        let depth = 1;
        let j = i + 1;
        for (; j < toks.length && depth > 0; j++) {
          if (toks[j].t === 'sym' && toks[j].v === '(') depth++;
          if (toks[j].t === 'sym' && toks[j].v === ')') depth--;
        }
        let v = this.pipeline(toks.slice(i + 1, j - 1));
        if (toks[j]?.t === 'field') {
          v = fieldChain(v, toks[j].v);
          j++;
        }
        return [v, j];
      }
    }
  }
}

/** Renders a vector template body (the text of the "case" define) with `.Values` bound to values. */
export function renderMini(template: string, values: GoValue): string {
  const dot = newMap();
  dot.Values = values;
  const vars = new Map<string, GoValue>([['$', dot]]);
  const ev = new Evaluator(dot, vars);
  let out = '';
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      out += template.slice(i);
      return out;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}}', open);
    const body = template.slice(open + 2, close);
    if (/^-|-$|^\s*\/\*/.test(body.trim()) || /^\s*(if|else|end|range|with|define|template)\b/.test(body)) {
      throw new Unsupported('control structure');
    }
    const toks = lex(body);
    if (toks.length >= 2 && toks[0].t === 'var' && toks[1].t === 'sym' && toks[1].v === ':=') {
      vars.set(toks[0].v, ev.pipeline(toks.slice(2)));
    } else {
      out += printV(ev.pipeline(toks), true);
    }
    i = close + 2;
  }
}
