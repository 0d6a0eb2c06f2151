// Chart.yaml (and requirements.yaml / Chart.lock) decoding with sigs.k8s.io/yaml semantics, and Helm's metadata
// validation (pkg/chart/v2/metadata.go, dependency.go).
//
// sigs.k8s.io/yaml decodes YAML into generic values, converts them to JSON and lets encoding/json fill the struct:
//   - keys match fields case-insensitively, in sorted key order (so an exact-case key written after wins)
//   - unknown keys are ignored, null leaves the zero value
//   - a scalar number or bool bound for a string field becomes its text (ints in decimal, floats as float32 %g)
//   - any other type mismatch fails: `json: cannot unmarshal array into Go struct field Metadata.name of type string`
import { type GoMap, type GoValue, isMap, compareGoStrings } from '../template/value.js';
import { jsonKindName } from '../yaml/index.js';
import { formatFloat } from '../template/fmt.js';
import { ChartError, ChartValidationError } from './errors.js';
import { isValidSemVer } from './semver.js';

export const API_VERSION_V1 = 'v1';
export const API_VERSION_V2 = 'v2';

export interface Maintainer {
  name: string;
  email: string;
  url: string;
}

/** One entry of Chart.yaml `dependencies` (or requirements.yaml / Chart.lock). */
export interface Dependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  /** undefined when absent (Go nil slice). */
  tags?: string[];
  enabled: boolean;
  /** Raw import-values entries: strings or {child, parent} maps. undefined when absent. */
  importValues?: GoValue[];
  alias: string;
  dependsOn?: string[];
}

/** Chart.yaml. Optional list/map fields are undefined when absent, mirroring Go nil vs empty. */
export interface Metadata {
  name: string;
  home: string;
  sources?: string[];
  version: string;
  description: string;
  keywords?: string[];
  /** Entries may be null (a `-` with nothing after it); validation rejects that. */
  maintainers?: Array<Maintainer | null>;
  icon: string;
  apiVersion: string;
  condition: string;
  tags: string;
  appVersion: string;
  deprecated: boolean;
  annotations?: Record<string, string>;
  kubeVersion: string;
  /** Entries may be null until validated. */
  dependencies?: Array<Dependency | null>;
  type: string;
}

export interface Lock {
  generated: string;
  digest: string;
  dependencies?: Array<Dependency | null>;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON-into-struct decoding

type FieldKind =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'strings' }
  | { t: 'stringMap' }
  | { t: 'any[]' }
  | { t: 'structs'; goType: string; struct: StructSpec };

interface StructSpec {
  goName: string;
  fields: Record<string, FieldKind>;
}

const MAINTAINER: StructSpec = {
  goName: 'Maintainer',
  fields: { name: { t: 'string' }, email: { t: 'string' }, url: { t: 'string' } },
};

const DEPENDENCY: StructSpec = {
  goName: 'Dependency',
  fields: {
    name: { t: 'string' },
    version: { t: 'string' },
    repository: { t: 'string' },
    condition: { t: 'string' },
    tags: { t: 'strings' },
    enabled: { t: 'bool' },
    'import-values': { t: 'any[]' },
    alias: { t: 'string' },
    'depends-on': { t: 'strings' },
  },
};

const METADATA: StructSpec = {
  goName: 'Metadata',
  fields: {
    name: { t: 'string' },
    home: { t: 'string' },
    sources: { t: 'strings' },
    version: { t: 'string' },
    description: { t: 'string' },
    keywords: { t: 'strings' },
    maintainers: { t: 'structs', goType: '[]*v2.Maintainer', struct: MAINTAINER },
    icon: { t: 'string' },
    apiVersion: { t: 'string' },
    condition: { t: 'string' },
    tags: { t: 'string' },
    appVersion: { t: 'string' },
    deprecated: { t: 'bool' },
    annotations: { t: 'stringMap' },
    kubeVersion: { t: 'string' },
    dependencies: { t: 'structs', goType: '[]*v2.Dependency', struct: DEPENDENCY },
    type: { t: 'string' },
  },
};

const LOCK: StructSpec = {
  goName: 'Lock',
  fields: {
    generated: { t: 'string' },
    digest: { t: 'string' },
    dependencies: { t: 'structs', goType: '[]*v2.Dependency', struct: DEPENDENCY },
  },
};

class JsonTypeError extends Error {}

function typeError(v: GoValue, struct: string, path: string, goType: string): JsonTypeError {
  return new JsonTypeError(`json: cannot unmarshal ${jsonKindName(v)} into Go struct field ${struct}.${path} of type ${goType}`);
}

/** sigs.k8s.io/yaml's conversion of a scalar headed for a Go string; undefined for a map or list (a type error). */
export function scalarToString(v: GoValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    // YAML ints arrive here as float64; print integral values as the int they most likely were.
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
    return formatFloat(v, 'g', -1, 32);
  }
  if (v !== null && typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'bigint') {
    return String((v as { value: bigint }).value);
  }
  return undefined;
}

function decodeString(v: GoValue, struct: string, path: string): string {
  if (v === null) return '';
  const s = scalarToString(v);
  if (s === undefined) throw typeError(v, struct, path, 'string');
  return s;
}

function decodeField(kind: FieldKind, v: GoValue, struct: string, path: string): unknown {
  switch (kind.t) {
    case 'string':
      return decodeString(v, struct, path);
    case 'bool':
      if (v === null) return false;
      if (typeof v !== 'boolean') throw typeError(v, struct, path, 'bool');
      return v;
    case 'strings':
      if (v === null) return undefined;
      if (!Array.isArray(v)) throw typeError(v, struct, path, '[]string');
      return v.map((x) => decodeString(x, struct, path));
    case 'stringMap': {
      if (v === null) return undefined;
      if (!isMap(v)) throw typeError(v, struct, path, 'map[string]string');
      const out: Record<string, string> = Object.create(null);
      for (const k of Object.keys(v).sort(compareGoStrings)) out[k] = decodeString(v[k]!, struct, path);
      return out;
    }
    case 'any[]':
      if (v === null) return undefined;
      if (!Array.isArray(v)) throw typeError(v, struct, path, '[]interface {}');
      return [...v];
    case 'structs':
      if (v === null) return undefined;
      if (!Array.isArray(v)) throw typeError(v, struct, path, kind.goType);
      return v.map((item) => {
        if (item === null) return null;
        if (!isMap(item)) throw typeError(item, struct, path, `v2.${kind.struct.goName}`);
        return decodeStruct(kind.struct, item, path);
      });
  }
}

function decodeStruct(spec: StructSpec, m: GoMap, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lower = new Map(Object.keys(spec.fields).map((k) => [k.toLowerCase(), k]));
  for (const key of Object.keys(m).sort(compareGoStrings)) {
    const field = spec.fields[key] !== undefined ? key : lower.get(key.toLowerCase());
    if (field === undefined) continue;
    const path = prefix ? `${prefix}.${field}` : field;
    out[field] = decodeField(spec.fields[field]!, m[key]!, spec.goName, path);
  }
  return out;
}

function str(o: Record<string, unknown>, k: string): string {
  return (o[k] as string | undefined) ?? '';
}

function toDependency(o: Record<string, unknown> | null): Dependency | null {
  if (o === null) return null;
  const d: Dependency = {
    name: str(o, 'name'),
    version: str(o, 'version'),
    repository: str(o, 'repository'),
    condition: str(o, 'condition'),
    enabled: (o.enabled as boolean | undefined) ?? false,
    alias: str(o, 'alias'),
  };
  if (o.tags !== undefined) d.tags = o.tags as string[];
  if (o['import-values'] !== undefined) d.importValues = o['import-values'] as GoValue[];
  if (o['depends-on'] !== undefined) d.dependsOn = o['depends-on'] as string[];
  return d;
}

function toMaintainer(o: Record<string, unknown> | null): Maintainer | null {
  if (o === null) return null;
  return { name: str(o, 'name'), email: str(o, 'email'), url: str(o, 'url') };
}

/** A Metadata with every field at its Go zero value. */
export function emptyMetadata(): Metadata {
  return {
    name: '',
    home: '',
    version: '',
    description: '',
    icon: '',
    apiVersion: '',
    condition: '',
    tags: '',
    appVersion: '',
    deprecated: false,
    kubeVersion: '',
    type: '',
  };
}

function wrapDecode<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof JsonTypeError) {
      throw new ChartError(`cannot load ${file}: error unmarshaling JSON: while decoding JSON: ${e.message}`, file);
    }
    throw e;
  }
}

/**
 * Applies a decoded YAML document to metadata, as yaml.Unmarshal into an existing *Metadata does: fields present
 * in the document overwrite, others stay (requirements.yaml is applied over Chart.yaml this way).
 */
export function applyMetadata(md: Metadata, doc: GoValue, file: string): Metadata {
  return wrapDecode(file, () => {
    if (doc === null) return md;
    if (!isMap(doc)) throw new JsonTypeError(`json: cannot unmarshal ${jsonKindName(doc)} into Go value of type v2.Metadata`);
    const o = decodeStruct(METADATA, doc);
    const out: Metadata = { ...md };
    for (const [k, v] of Object.entries(o)) {
      switch (k) {
        case 'maintainers':
          out.maintainers = v === undefined ? undefined : (v as Array<Record<string, unknown> | null>).map(toMaintainer);
          break;
        case 'dependencies':
          out.dependencies = v === undefined ? undefined : (v as Array<Record<string, unknown> | null>).map(toDependency);
          break;
        default:
          (out as unknown as Record<string, unknown>)[k] = v;
      }
    }
    return out;
  });
}

export function decodeLock(doc: GoValue, file: string): Lock {
  return wrapDecode(file, () => {
    const lock: Lock = { generated: '', digest: '' };
    if (doc === null) return lock;
    if (!isMap(doc)) throw new JsonTypeError(`json: cannot unmarshal ${jsonKindName(doc)} into Go value of type v2.Lock`);
    const o = decodeStruct(LOCK, doc);
    lock.generated = str(o, 'generated');
    lock.digest = str(o, 'digest');
    if (o.dependencies !== undefined) lock.dependencies = (o.dependencies as Array<Record<string, unknown> | null>).map(toDependency);
    return lock;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

/** Helm's sanitizeString: white space becomes ' ', other non-printable characters are dropped. */
export function sanitizeString(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^[\s\u0085]$/u.test(ch)) out += ' ';
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
  }
  return out;
}

const ALIAS_RE = /^[a-zA-Z0-9_-]+$/;

function goBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  const i = t.lastIndexOf('/');
  return i < 0 ? t : t.slice(i + 1);
}

/**
 * Metadata.Validate: sanitizes string fields (returning the sanitized copy) and throws ChartValidationError with
 * Helm's message on the first problem, in Helm's order.
 */
export function validateMetadata(input: Metadata, file = 'Chart.yaml'): Metadata {
  const md: Metadata = { ...input };
  md.name = sanitizeString(md.name);
  md.description = sanitizeString(md.description);
  md.home = sanitizeString(md.home);
  md.icon = sanitizeString(md.icon);
  md.condition = sanitizeString(md.condition);
  md.tags = sanitizeString(md.tags);
  md.appVersion = sanitizeString(md.appVersion);
  md.kubeVersion = sanitizeString(md.kubeVersion);
  if (md.sources) md.sources = md.sources.map(sanitizeString);
  if (md.keywords) md.keywords = md.keywords.map(sanitizeString);

  if (md.apiVersion === '') throw new ChartValidationError('chart.metadata.apiVersion is required', file, 'apiVersion');
  if (md.name === '') throw new ChartValidationError('chart.metadata.name is required', file, 'name');
  if (md.name !== goBase(md.name)) throw new ChartValidationError(`chart.metadata.name ${goQuote(md.name)} is invalid`, file, 'name');
  if (md.version === '') throw new ChartValidationError('chart.metadata.version is required', file, 'version');
  if (!isValidSemVer(md.version)) throw new ChartValidationError(`chart.metadata.version ${goQuote(md.version)} is invalid`, file, 'version');
  if (!['', 'application', 'library'].includes(md.type)) {
    throw new ChartValidationError('chart.metadata.type must be application or library', file, 'type');
  }
  if (md.maintainers) {
    md.maintainers = md.maintainers.map((m, i) => {
      if (m === null) throw new ChartValidationError('maintainers must not contain empty or null nodes', file, `maintainers[${i}]`);
      return { name: sanitizeString(m.name), email: sanitizeString(m.email), url: sanitizeString(m.url) };
    });
  }
  if (md.dependencies) {
    const seen = new Set<string>();
    md.dependencies = md.dependencies.map((d, i) => {
      if (d === null) throw new ChartValidationError('dependencies must not contain empty or null nodes', file, `dependencies[${i}]`);
      const dep: Dependency = {
        ...d,
        name: sanitizeString(d.name),
        version: sanitizeString(d.version),
        repository: sanitizeString(d.repository),
        condition: sanitizeString(d.condition),
      };
      if (d.tags) dep.tags = d.tags.map(sanitizeString);
      if (d.dependsOn) dep.dependsOn = d.dependsOn.map(sanitizeString);
      if (dep.alias !== '' && !ALIAS_RE.test(dep.alias)) {
        throw new ChartValidationError(`dependency ${goQuote(dep.name)} has disallowed characters in the alias`, file, `dependencies[${i}].alias`);
      }
      const key = dep.alias !== '' ? dep.alias : dep.name;
      if (seen.has(key)) throw new ChartValidationError(`more than one dependency with name or alias ${goQuote(key)}`, file, `dependencies[${i}]`);
      seen.add(key);
      return dep;
    });
  }
  return md;
}

/** Go's %q for the strings Helm quotes in messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** Copies metadata deeply enough that processing dependencies never touches the loaded chart's objects. */
export function copyMetadata(md: Metadata): Metadata {
  const out: Metadata = { ...md };
  if (md.dependencies) out.dependencies = md.dependencies.map((d) => (d === null ? null : { ...d }));
  return out;
}
