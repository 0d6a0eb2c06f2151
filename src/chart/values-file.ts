// Helm 4's LoadValues: a values file (a chart's values.yaml or a -f file) is a stream of YAML documents, split
// the way k8s.io/apimachinery's YAMLReader splits them (on lines starting with `---`), each decoded into a map by
// sigs.k8s.io/yaml and merged into the previous ones with MergeMaps.
import { type GoMap, type GoValue, newMap, isMap } from '../template/value.js';
import { jsonKindName, parseYaml } from '../yaml/index.js';

/** Why a values stream did not load; `message` reads like Helm's (without the `cannot load <file>:` prefix). */
export class ValuesFileError extends Error {
  constructor(
    message: string,
    /** 1-based line in the stream where the offending document starts, when known. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One document of a YAML stream and the line it starts on. */
export interface YamlChunk {
  text: string;
  line: number;
}

/** Go's strings.TrimSpace. */
function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

/**
 * Splits a stream like YAMLReader.Read: a line beginning with `---` ends the current document (only spaces or a
 * comment may follow the marker); empty documents are skipped.
 */
export function splitYamlStream(text: string): YamlChunk[] {
  const out: YamlChunk[] = [];
  let buf = '';
  let bufLine = 1;
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    // LineReader: each line is re-terminated with a single \n (a \r before it is dropped, a last line gains one).
    const line = (nl < 0 ? text.slice(pos) : text.slice(pos, nl)).replace(/\r$/, '') + '\n';
    pos = nl < 0 ? text.length : nl + 1;
    lineNo++;
    if (line.startsWith('---')) {
      const rest = trimSpace(line.slice(3));
      if (rest.length > 0 && rest[0] !== '#') {
        throw new ValuesFileError(`error reading yaml document: invalid Yaml document separator: ${rest}`, lineNo);
      }
      if (buf.length > 0) out.push({ text: buf, line: bufLine });
      buf = '';
      bufLine = lineNo + 1;
      continue;
    }
    if (buf.length === 0) bufLine = lineNo;
    buf += line;
  }
  if (buf.length > 0) out.push({ text: buf, line: bufLine });
  return out;
}

/** MergeMaps: b over a; nested maps merge, anything else in b replaces. Returns a new top-level map. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out = newMap();
  for (const k of Object.keys(a)) out[k] = a[k]!;
  for (const k of Object.keys(b)) {
    const v = b[k]!;
    const cur = out[k];
    if (isMap(v) && cur !== undefined && isMap(cur)) out[k] = mergeMaps(cur, v);
    else out[k] = v;
  }
  return out;
}

/** Decodes one document into a map as yaml.Unmarshal(raw, &map[string]interface{}) does. */
export function decodeValuesDocument(text: string, line = 1): GoMap {
  let v: GoValue;
  try {
    v = parseYaml(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ValuesFileError(`cannot unmarshal yaml document: ${msg}`, line, { cause: e });
  }
  if (v === null) return newMap();
  if (!isMap(v)) {
    throw new ValuesFileError(
      `cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindName(v)} into Go value of type map[string]interface {}`,
      line,
    );
  }
  return v;
}

/** LoadValues: every document of the stream decoded and merged in order. */
export function loadValues(text: string): GoMap {
  let values = newMap();
  for (const chunk of splitYamlStream(text)) values = mergeMaps(values, decodeValuesDocument(chunk.text, chunk.line));
  return values;
}
