// A typed, canonical dump of a values tree, produced identically by the real helm (through DUMP_TEMPLATE, rendered
// inside each chart) and by bosun (dumpValues on Go values), so per-chart `.Values` can be compared exactly,
// Go types included (float64 vs int64, nil, []interface {}).
import { type GoValue, GoInt, isMap, typeName, sortedKeys } from '../../../src/template/value.js';

/** Helm template text writing `dump: "<base64 of the typed dump of .Values>"`. */
export const DUMP_TEMPLATE = `{{- define "bosun.dump" -}}
{{- if kindIs "map" . -}}{ {{- $first := true -}}{{- range $k, $v := . -}}{{- if not $first }},{{ end -}}{{- $first = false -}}{{- toJson $k -}}:{{- include "bosun.dump" $v -}}{{- end -}} }
{{- else if kindIs "slice" . -}}[ {{- range $i, $v := . -}}{{- if $i }},{{ end -}}{{- include "bosun.dump" $v -}}{{- end -}} ]
{{- else -}}{"t":{{ typeOf . | toJson }},"v":{{ toJson . }}}
{{- end -}}
{{- end -}}
dump: {{ include "bosun.dump" .Values | b64enc | quote }}
`;

/** Where the dump template goes in each chart: deep, so Helm executes it before the chart's own templates. */
export const DUMP_PATH = 'templates/z/z/z/z/z/z/z/z/z/z/bosun-values-dump.yaml';

function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function goJsonScalar(v: GoValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof GoInt) return v.value.toString();
  throw new Error(`dumpValues: unexpected value ${typeName(v)}`);
}

/** The same text DUMP_TEMPLATE produces, for a bosun values tree. */
export function dumpValues(v: GoValue): string {
  if (isMap(v)) return `{${sortedKeys(v).map((k) => `${goJsonString(k)}:${dumpValues(v[k]!)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(dumpValues).join(',')}]`;
  return `{"t":${goJsonString(typeName(v))},"v":${goJsonScalar(v)}}`;
}
