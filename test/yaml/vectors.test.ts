// The yaml, json, toml and values cases of ../shared/vectors/cases.jsonl (exact output of helm v4.1.4), evaluated
// with the small evaluator in mini-template.ts over values read by parseYaml exactly as the vectors README builds
// values.yaml. Cases needing template features the evaluator lacks are skipped and counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../../src/yaml/index.js';
import { sharedDir } from '../support/paths.js';
import { renderMini, Unsupported } from './mini-template.js';

const casesPath = join(sharedDir, 'vectors', 'cases.jsonl');

const FIXED_VALUES = `i: 42
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
yamlstr: "a: 1\\nb: [x, y]\\n"
jsonstr: '{"a":1,"b":[true,null]}'
tplstr: "{{ .Values.s }}-{{ .Release.Name }}"
num_str: "123"
`;

interface Case {
  id: string;
  template: string;
  values?: Record<string, unknown>;
  files?: Record<string, string>;
  v4: { ok: boolean; out?: string; out_b64?: string; error?: string };
}

const CATEGORIES = ['yaml', 'json', 'toml', 'values'];

test('helm v4 vectors (yaml, json, toml, values)', { skip: !existsSync(casesPath) }, () => {
  const cases = readFileSync(casesPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Case)
    .filter((c) => CATEGORIES.includes(c.id.split('/')[0]) && !c.files);
  const tally = new Map<string, { pass: number; fail: number; skip: number }>();
  const failures: string[] = [];
  for (const c of cases) {
    const cat = c.id.split('/')[0];
    const t = tally.get(cat) ?? { pass: 0, fail: 0, skip: 0 };
    tally.set(cat, t);
    let text = FIXED_VALUES;
    for (const [k, v] of Object.entries(c.values ?? {})) text += `${k}: ${JSON.stringify(v)}\n`;
    let got: string | undefined;
    let err: unknown;
    try {
      got = renderMini(c.template, parseYaml(text));
    } catch (e) {
      if (e instanceof Unsupported) {
        t.skip++;
        continue;
      }
      err = e;
    }
    const want = c.v4.ok ? (c.v4.out_b64 ? Buffer.from(c.v4.out_b64, 'base64').toString('utf8') : c.v4.out) : undefined;
    // A failing case must fail with the message helm printed (the engine adds its own prefix).
    const ok = want === undefined ? err instanceof Error && (c.v4.error ?? '').includes(err.message) : got === want;
    if (ok) t.pass++;
    else {
      t.fail++;
      failures.push(`${c.id}: want ${JSON.stringify(want ?? 'error')} got ${err ? 'error ' + String(err) : JSON.stringify(got)}`);
    }
  }
  const summary = [...tally].map(([k, t]) => `${k} ${t.pass}/${t.pass + t.fail} (${t.skip} skipped)`).join(', ');
  console.log(`yaml vectors: ${summary}${failures.length ? '\n  ' + failures.join('\n  ') : ''}`);
  assert.deepEqual(failures, []);
});
