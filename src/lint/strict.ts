// Helm's StrictLoadChartfile (sigs.k8s.io/yaml UnmarshalStrict into chart.Metadata), reduced to the two findings
// it can add once the ordinary load succeeded:
//   - duplicate mapping keys, found by go-yaml v2's strict decoder while converting YAML to JSON
//       error converting YAML to JSON: yaml: unmarshal errors:\n  line 4: key "name" already set in map
//   - keys that match no field of the Go structs (encoding/json's DisallowUnknownFields); the decoder walks the
//     JSON text, whose object keys are sorted, and keeps the first error
//       error unmarshaling JSON: while decoding JSON: json: unknown field "engine"
import { LineCounter, isMap as isYamlMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { compareGoStrings, isMap, type GoValue } from '../template/value.js';
import { goQuote } from '../chart/metadata.js';
import { parseYaml } from '../yaml/index.js';

type Spec = { kind: 'scalar' } | { kind: 'any' } | { kind: 'map' } | { kind: 'list'; of: Spec } | { kind: 'struct'; fields: Record<string, Spec> };

const scalar: Spec = { kind: 'scalar' };
const strings: Spec = { kind: 'list', of: scalar };

const MAINTAINER: Spec = { kind: 'struct', fields: { name: scalar, email: scalar, url: scalar } };
const DEPENDENCY: Spec = {
  kind: 'struct',
  fields: {
    name: scalar,
    version: scalar,
    repository: scalar,
    condition: scalar,
    tags: strings,
    enabled: scalar,
    'import-values': { kind: 'list', of: { kind: 'any' } },
    alias: scalar,
  },
};
const METADATA: Spec = {
  kind: 'struct',
  fields: {
    name: scalar,
    home: scalar,
    sources: strings,
    version: scalar,
    description: scalar,
    keywords: strings,
    maintainers: { kind: 'list', of: MAINTAINER },
    icon: scalar,
    apiVersion: scalar,
    condition: scalar,
    tags: scalar,
    appVersion: scalar,
    deprecated: scalar,
    annotations: { kind: 'map' },
    kubeVersion: scalar,
    dependencies: { kind: 'list', of: DEPENDENCY },
    type: scalar,
  },
};

/** The Go value go-yaml v2 would make of a plain scalar key, printed with %#v. */
function keyRepr(node: Node): string {
  if (!isScalar(node)) return JSON.stringify(String(node));
  const src = node.source ?? String(node.value);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (!quoted) {
    if (/^(?:~|null|Null|NULL|)$/.test(src)) return '<nil>';
    if (/^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(src)) return 'true';
    if (/^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(src)) return 'false';
    if (/^[-+]?(?:0|[1-9][0-9_]*)$/.test(src)) return String(BigInt(src.replace(/_/g, '')));
  }
  return goQuote(String(node.value ?? src));
}

/** Duplicate keys as go-yaml v2's strict decoder reports them (nested values first, then the key itself). */
function duplicateKeys(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter, version: '1.1' });
  if (doc.errors.length > 0) return [];
  const out: string[] = [];
  const lineOf = (n: Node | null | undefined, fallback: number): number => {
    const off = n?.range?.[0];
    return off === undefined ? fallback : lineCounter.linePos(off).line;
  };
  const walk = (n: unknown): void => {
    if (isYamlMap(n)) {
      const seen = new Set<string>();
      for (const pair of n.items) {
        const k = pair.key as Node | null;
        const v = pair.value as Node | null;
        walk(v);
        if (isScalar(k) && k.value === '<<') continue;
        const repr = k ? keyRepr(k) : '<nil>';
        if (seen.has(repr)) out.push(`line ${lineOf(v, lineOf(k, 1))}: key ${repr} already set in map`);
        seen.add(repr);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) walk(item);
    }
  };
  walk(doc.contents);
  return out;
}

/** First unknown field in JSON order (sorted keys, depth first). */
function unknownField(v: GoValue, spec: Spec): string | undefined {
  if (v === null) return undefined;
  switch (spec.kind) {
    case 'scalar':
    case 'any':
    case 'map':
      return undefined;
    case 'list':
      if (!Array.isArray(v)) return undefined;
      for (const item of v) {
        const u = unknownField(item, spec.of);
        if (u !== undefined) return u;
      }
      return undefined;
    case 'struct': {
      if (!isMap(v)) return undefined;
      const names = Object.keys(spec.fields);
      for (const key of Object.keys(v).sort(compareGoStrings)) {
        const field = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
        if (field === undefined) return key;
        const u = unknownField(v[key]!, spec.fields[field]!);
        if (u !== undefined) return u;
      }
      return undefined;
    }
  }
}

/** The error StrictLoadChartfile adds for Chart.yaml text that the ordinary load accepted, or undefined. */
export function strictChartfileError(text: string): string | undefined {
  const dups = duplicateKeys(text);
  if (dups.length > 0) return `error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join('\n  ')}`;
  let doc: GoValue;
  try {
    doc = parseYaml(text);
  } catch {
    return undefined;
  }
  const u = unknownField(doc, METADATA);
  return u === undefined ? undefined : `error unmarshaling JSON: while decoding JSON: json: unknown field ${goQuote(u)}`;
}
