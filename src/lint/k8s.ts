// What helm lint reads of a rendered manifest or CRD file: each document of the stream decoded (YAML, or JSON when
// the stream starts with '{') into the small struct {apiVersion, Kind, Metadata{Namespace, Name}}, with
// sigs.k8s.io/yaml's and encoding/json's behaviour and error texts; and the Kubernetes object-name rules
// (k8s.io/apimachinery validation) helm applies per kind.
import { compareGoStrings, isMap, type GoValue } from '../template/value.js';
import { goQuote } from '../chart/metadata.js';
import { formatFloat } from '../template/fmt.js';
import { jsonKindName, parseJson, parseYaml, splitYamlDocuments } from '../yaml/index.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

class DecodeError extends Error {}

/** sigs.k8s.io/yaml's conversion of a scalar bound for a Go string field. */
function scalarText(v: GoValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : formatFloat(v, 'g', -1, 32);
  if (v !== null && typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'bigint') {
    return String((v as { value: bigint }).value);
  }
  return undefined;
}

interface FieldSpec {
  json: string;
  set: (o: K8sObject, s: string) => void;
}

const TOP_FIELDS: FieldSpec[] = [
  { json: 'apiVersion', set: (o, s) => (o.apiVersion = s) },
  { json: 'Kind', set: (o, s) => (o.kind = s) },
];
const META_FIELDS: FieldSpec[] = [
  { json: 'Namespace', set: (o, s) => (o.namespace = s) },
  { json: 'Name', set: (o, s) => (o.name = s) },
];

function findField<T extends { json: string }>(fields: readonly T[], key: string): T | undefined {
  return fields.find((f) => f.json === key) ?? fields.find((f) => f.json.toLowerCase() === key.toLowerCase());
}

/**
 * Decodes one document value into the lint struct; null for a null document. `yamlSource` says whether scalars
 * were converted from YAML (numbers and bools bound for strings become text) or read from JSON (a type error).
 */
function toObject(doc: GoValue, yamlSource: boolean): K8sObject | null {
  if (doc === null) return null;
  const prefix = yamlSource ? 'error unmarshaling JSON: while decoding JSON: ' : '';
  if (!isMap(doc)) throw new DecodeError(`${prefix}json: cannot unmarshal ${jsonKindName(doc)} into Go value of type rules.k8sYamlStruct`);
  const o: K8sObject = { apiVersion: '', kind: '', name: '', namespace: '' };
  let first: string | undefined;
  const fail = (msg: string) => {
    first ??= msg;
  };
  const str = (v: GoValue, struct: string, path: string, set: (s: string) => void) => {
    if (v === null) return;
    const s = yamlSource || typeof v === 'string' ? scalarText(v) : undefined;
    if (s === undefined) fail(`${prefix}json: cannot unmarshal ${jsonKindName(v)} into Go struct field ${struct}.${path} of type string`);
    else set(s);
  };
  for (const key of Object.keys(doc).sort(compareGoStrings)) {
    const v = doc[key]!;
    const f = findField(TOP_FIELDS, key);
    if (f) {
      str(v, 'k8sYamlStruct', f.json, (s) => f.set(o, s));
      continue;
    }
    if (key.toLowerCase() !== 'metadata' || v === null) continue;
    if (!isMap(v)) {
      fail(`${prefix}json: cannot unmarshal ${jsonKindName(v)} into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata`);
      continue;
    }
    for (const mk of Object.keys(v).sort(compareGoStrings)) {
      const mf = findField(META_FIELDS, mk);
      if (mf) str(v[mk]!, 'k8sYamlMetadata', `Metadata.${mf.json}`, (s) => mf.set(o, s));
    }
  }
  if (first !== undefined) throw new DecodeError(first);
  return o;
}

/**
 * Reads every document of a rendered file or CRD file as k8s.io's YAMLOrJSONDecoder does, calling `each` per
 * document (null for empty ones). Stops at the first document that fails and returns its error text (without helm's
 * "unable to parse YAML: " prefix); undefined when all documents decoded.
 */
export function decodeDocuments(text: string, each: (o: K8sObject | null) => void): string | undefined {
  if (/^\s*\{/.test(text)) {
    // A JSON stream: one value (helm charts practically never concatenate several).
    let v: GoValue;
    try {
      v = parseJson(text.trim());
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    try {
      each(toObject(v, false));
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  }
  let docs: string[];
  try {
    docs = splitYamlDocuments(text);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  for (const d of docs) {
    let v: GoValue;
    try {
      v = parseYaml(d);
      each(toObject(v, true));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Object names

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  let out = msg + ' (';
  if (examples.length > 0) {
    out += 'e.g. ';
    examples.forEach((e, i) => {
      if (i > 0) out += ' or ';
      out += `'${e}', `;
    });
  }
  return out + `regex used for validation is '${fmt}')`;
}

function dnsSubdomain(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(name)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*',
        'example.com',
      ),
    );
  }
  return errs;
}

function dnsLabel(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(name)) {
    // A valid subdomain that is not a valid label can only be wrong because of its dots.
    if (DNS1123_SUBDOMAIN.test(name)) errs.push('must not contain dots');
    else {
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          '[a-z0-9]([-a-z0-9]*[a-z0-9])?',
          'my-name',
          '123-abc',
        ),
      );
    }
  }
  return errs;
}

function dns1035Label(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(name)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        '[a-z]([-a-z0-9]*[a-z0-9])?',
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

function pathSegment(name: string): string[] {
  for (const bad of ['.', '..']) if (name === bad) return [`may not be '${bad}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

const SUBDOMAIN_KINDS = new Set([
  'pod', 'node', 'secret', 'endpoints', 'resourcequota', 'controllerrevision', 'daemonset', 'deployment', 'replicaset',
  'statefulset', 'autoscaler', 'cronjob', 'job', 'lease', 'endpointslice', 'networkpolicy', 'ingress', 'podsecuritypolicy',
  'priorityclass', 'podpreset', 'storageclass', 'volumeattachment', 'csinode',
]);

function nameRule(kind: string): (name: string) => string[] {
  const k = kind.toLowerCase();
  if (SUBDOMAIN_KINDS.has(k)) return dnsSubdomain;
  switch (k) {
    case 'service':
      return dns1035Label;
    case 'namespace':
      return dnsLabel;
    case 'serviceaccount':
      return dnsSubdomain;
    case 'certificatesigningrequest':
      return () => [];
    case 'role':
    case 'clusterrole':
    case 'rolebinding':
    case 'clusterrolebinding':
      return pathSegment;
    default:
      return dnsSubdomain;
  }
}

/** helm's validateMetadataName: the warning text, or undefined when the name is acceptable for its kind. */
export function metadataNameProblem(o: K8sObject): string | undefined {
  const msgs = nameRule(o.kind)(o.name);
  if (msgs.length === 0) return undefined;
  const q = goQuote(o.name);
  const errs = [...new Set(msgs.map((m) => `metadata.name: Invalid value: ${q}: ${m}`))];
  const agg = errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
  return `object name does not conform to Kubernetes naming requirements: ${q}: ${agg}`;
}
