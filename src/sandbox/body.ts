// Request bodies: decoding object, DeleteOptions and patch bodies, and failing the way the API server fails.
//
// The API server decodes with Go libraries, so a malformed body is answered with their wording:
//   create/update   400 "the object provided is unrecognized (must be of type Kind): <decoder error> (<summary>)"
//                   (handlers.transformDecodeError; the summary is the body's first 30 bytes, as text when it
//                   starts with '{', in hex otherwise); JSON errors come from encoding/json inside
//                   "couldn't get version/kind; json parse error: ...", YAML ones straight from go-yaml v2.
//   json/merge      400 "error decoding patch: <encoding/json error>" (fieldValidation Warn, the default, and Strict)
//   strategic       400 "<encoding/json error>"
//   apply           400 "error decoding YAML: <sigs.k8s.io/yaml.Unmarshal error>"
//   DeleteOptions   500 reason Unknown with the bare decoder error (the delete handler does not wrap it)
// The Go error texts come from src/yaml (Helm's readers share the same Go libraries).
import YAML from 'yaml';
import { jsonKindName, jsonSyntaxError, parseYaml } from '../yaml/index.js';
import type { GoValue } from '../template/value.js';
import { ApiError, badRequest, restfulUnsupportedMediaType, unsupportedMediaType } from './errors.js';
import { decodeProtobufObject } from './protobuf.js';
import type { ResourceType } from './resources.js';
import { isObj, type Obj } from './util.js';

export const mediaType = (ct: string): string => {
  const i = ct.indexOf(';');
  return (i >= 0 ? ct.slice(0, i) : ct).trim().toLowerCase();
};

const JSON_TYPE = 'application/json';
const YAML_TYPE = 'application/yaml';
const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';

/** The Go type findKind unmarshals into (k8s.io/apimachinery/pkg/runtime/serializer/json.SimpleMetaFactory). */
const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** handlers.summarizeData(body, 30). */
export function summarizeData(body: Buffer, max = 30): string {
  if (body.length === 0) return '<empty>';
  const cut = body.length > max;
  const head = cut ? body.subarray(0, max) : body;
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return cut ? `${text} ...` : text;
}

/** encoding/json's complaint about text, or undefined when it is valid JSON (then `value` holds it). */
function parseJsonGo(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: jsonSyntaxError(text) ?? (e as Error).message };
  }
}

/** The go-yaml v2 error for text ("yaml: line N: ..."), as sigs.k8s.io/yaml.YAMLToJSON returns it. */
function goYamlError(text: string, fallback: Error): string {
  try {
    parseYaml(text);
  } catch (e) {
    const m = (e as Error).message;
    const prefix = 'error converting YAML to JSON: ';
    return m.startsWith(prefix) ? m.slice(prefix.length) : m;
  }
  return `yaml: ${fallback.message.split('\n')[0]}`;
}

/** YAML text as sigs.k8s.io/yaml reads it (YAML 1.1); throws { goError } with go-yaml's wording on a syntax error. */
function parseYamlGo(text: string): { value?: unknown; error?: string } {
  // Clients send apply bodies as JSON (a YAML subset that reads the same): take the fast path when it parses.
  const c = text.charCodeAt(firstNonSpace(text));
  if (c === 0x7b || c === 0x5b) {
    try {
      return { value: JSON.parse(text) };
    } catch {
      /* YAML flow syntax JSON.parse refuses (trailing commas, comments, unquoted keys): read it as YAML */
    }
  }
  let value: unknown;
  try {
    value = YAML.parse(text, { version: '1.1', merge: true, intAsBigInt: false });
  } catch (e) {
    return { error: goYamlError(text, e as Error) };
  }
  return { value: value === undefined ? null : value };
}

function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The media types a POST/PUT of this resource accepts. */
function objectMediaTypes(t: ResourceType): string[] {
  return t.custom ? [JSON_TYPE, YAML_TYPE] : [JSON_TYPE, YAML_TYPE, PROTOBUF_TYPE];
}

/**
 * The body of a create or update: a JSON, YAML or protobuf object. Errors as the create/update handlers give them.
 * A null document decodes to an empty object (the kind and version then default from the URL).
 */
export function decodeObjectBody(t: ResourceType, contentType: string, body: Buffer, kind = t.kind): Obj {
  const accepted = objectMediaTypes(t);
  let ct = mediaType(contentType);
  if (!ct) {
    // go-restful treats a missing Content-Type of a POST/PUT as application/octet-stream; the custom resource
    // handler (not go-restful) takes the first supported type.
    if (!t.custom) throw restfulUnsupportedMediaType();
    ct = JSON_TYPE;
  }
  if (!accepted.includes(ct)) throw t.custom ? unsupportedMediaType(accepted) : restfulUnsupportedMediaType();
  if (ct === PROTOBUF_TYPE) return decodeProtobufObject(body);
  const text = body.toString('utf8');
  const unrecognized = (err: string): ApiError => badRequest(`the object provided is unrecognized (must be of type ${kind}): ${err} (${summarizeData(body)})`);
  let value: unknown;
  if (ct === YAML_TYPE) {
    const r = parseYamlGo(text);
    if (r.error !== undefined) throw unrecognized(r.error);
    value = r.value;
  } else {
    const r = parseJsonGo(text);
    if (r.error !== undefined) throw unrecognized(`couldn't get version/kind; json parse error: ${r.error}`);
    value = r.value;
  }
  if (value === null) return {};
  if (!isObj(value)) throw unrecognized(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKindName(value as GoValue)} into Go value of type ${FIND_KIND_TYPE}`);
  return value;
}

/** An optional DeleteOptions body (undefined when empty). */
export function decodeDeleteOptions(contentType: string, body: Buffer): Obj | undefined {
  if (body.length === 0) return undefined;
  const ct = mediaType(contentType) || JSON_TYPE;
  if (ct === PROTOBUF_TYPE) return decodeProtobufObject(body); // client-go's typed clients (Helm) send protobuf
  if (ct !== JSON_TYPE && ct !== YAML_TYPE) throw unsupportedMediaType([JSON_TYPE, YAML_TYPE, PROTOBUF_TYPE]);
  const text = body.toString('utf8');
  const r = ct === YAML_TYPE ? parseYamlGo(text) : parseJsonGo(text);
  const fail = (msg: string): ApiError => new ApiError(500, 'Unknown', msg);
  if (r.error !== undefined) throw fail(ct === YAML_TYPE ? r.error : `couldn't get version/kind; json parse error: ${r.error}`);
  if (r.value === null) return undefined;
  if (!isObj(r.value)) throw fail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKindName(r.value as GoValue)} into Go value of type ${FIND_KIND_TYPE}`);
  return r.value;
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

/**
 * A patch body. `strictDecoding` is true for fieldValidation Warn (the default) and Strict, when the server first
 * decodes the patch with sigs.k8s.io/json's strict decoder.
 */
export function decodePatchBody(kind: PatchKind, body: Buffer, strictDecoding: boolean): unknown {
  const text = body.toString('utf8');
  if (kind === 'apply') {
    const r = parseYamlGo(text);
    if (r.error !== undefined) throw badRequest(`error decoding YAML: error converting YAML to JSON: ${r.error}`);
    if (r.value === null) return {};
    if (!isObj(r.value)) throw badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindName(r.value as GoValue)} into Go value of type map[string]interface {}`);
    return r.value;
  }
  const r = parseJsonGo(text);
  if (kind === 'json') {
    const wrap = (m: string): string => (strictDecoding ? `error decoding patch: ${m}` : m);
    if (r.error !== undefined) throw badRequest(wrap(r.error));
    if (!Array.isArray(r.value) && r.value !== null)
      throw badRequest(wrap(`json: cannot unmarshal ${jsonKindName(r.value as GoValue)} into Go value of type ${strictDecoding ? '[]handlers.jsonPatchOp' : 'jsonpatch.Patch'}`));
    return r.value ?? [];
  }
  if (kind === 'merge') {
    if (r.error !== undefined) throw badRequest(strictDecoding ? `error decoding patch: ${r.error}` : 'Invalid JSON Patch');
    if (!isObj(r.value) && r.value !== null)
      throw badRequest(strictDecoding ? `error decoding patch: json: cannot unmarshal ${jsonKindName(r.value as GoValue)} into Go value of type map[string]interface {}` : 'Invalid JSON Patch');
    return r.value ?? {};
  }
  if (r.error !== undefined) throw badRequest(r.error);
  if (!isObj(r.value) && r.value !== null) throw badRequest(`json: cannot unmarshal ${jsonKindName(r.value as GoValue)} into Go value of type map[string]interface {}`);
  return r.value ?? {};
}
