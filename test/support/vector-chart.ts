// Builds the chart that ../shared/vectors/README.md describes for one case and renders it the way
// `helm template r ./chart --namespace ns1` does, returning the exact bytes of `include "case" .`
// (the base64 payload of the `out:` line).
import { renderChartFiles } from './render-files.js';

export interface VectorCase {
  id: string;
  template: string;
  values?: Record<string, unknown>;
  files?: Record<string, string>;
  note?: string;
  v4: { ok: boolean; out?: string; out_b64?: string; error?: string };
  v3: { ok: boolean; out?: string; out_b64?: string; error?: string };
}

/** The fixed values.yaml of the vectors README, byte for byte. */
export const FIXED_VALUES = `i: 42
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

export function vectorChartFiles(c: VectorCase): Map<string, string> {
  const files = new Map<string, string>();
  files.set('Chart.yaml', 'apiVersion: v2\nname: vec\nversion: 0.1.0\n');
  let values = FIXED_VALUES;
  for (const [k, v] of Object.entries(c.values ?? {})) values += `${k}: ${JSON.stringify(v)}\n`;
  files.set('values.yaml', values);
  files.set('templates/_case.tpl', `{{ define "case" }}${c.template}{{ end }}`);
  files.set('templates/out.yaml', 'out: {{ include "case" . | b64enc | quote }}\n');
  for (const [path, content] of Object.entries(c.files ?? {})) files.set(path, content);
  return files;
}

export async function renderVectorCase(c: VectorCase): Promise<Buffer> {
  const manifest = await renderChartFiles(vectorChartFiles(c), { releaseName: 'r', namespace: 'ns1' });
  const m = /^out: "([A-Za-z0-9+/=]*)"$/m.exec(manifest);
  if (!m) throw new Error(`no out: line in rendered output:\n${manifest}`);
  return Buffer.from(m[1]!, 'base64');
}
