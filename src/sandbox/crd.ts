// CustomResourceDefinitions: their own validation and status, and what their structural schemas do to custom
// resources (pruning unknown fields, defaults, basic type checks).
import { fieldInvalid, fieldRequired, fieldNotSupported, type Cause } from './errors.js';
import { crdVersionSchema } from './schema.js';
import { isObj, nowRfc3339, clone, type Obj } from './util.js';

export function validateCRD(crd: Obj): Cause[] {
  const causes: Cause[] = [];
  const spec = crd.spec;
  if (!isObj(spec)) return [fieldRequired('spec')];
  const names = spec.names ?? {};
  if (!spec.group) causes.push(fieldRequired('spec.group'));
  if (!names.plural) causes.push(fieldRequired('spec.names.plural'));
  if (!names.kind) causes.push(fieldRequired('spec.names.kind'));
  if (spec.group && names.plural && crd.metadata?.name !== `${names.plural}.${spec.group}`)
    causes.push(fieldInvalid('metadata.name', crd.metadata?.name, `must be spec.names.plural+"."+spec.group`));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') causes.push(fieldNotSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
  if (versions.length === 0) causes.push(fieldInvalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1)
    causes.push(fieldInvalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  versions.forEach((v, i) => {
    if (!v.name) causes.push(fieldRequired(`spec.versions[${i}].name`));
    if (typeof v.served !== 'boolean') causes.push(fieldRequired(`spec.versions[${i}].served`));
    if (typeof v.storage !== 'boolean') causes.push(fieldRequired(`spec.versions[${i}].storage`));
    if (!isObj(v.schema?.openAPIV3Schema)) causes.push(fieldRequired(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (spec.preserveUnknownFields === true)
    causes.push(fieldInvalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
  return causes;
}

export function defaultCRD(crd: Obj): void {
  const spec = crd.spec;
  if (!isObj(spec)) return;
  const names = (spec.names ??= {});
  if (names.kind) {
    names.singular ??= String(names.kind).toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

/** The status the apiextensions controllers write: names accepted, established. */
export function establishedStatus(crd: Obj, old?: Obj): Obj {
  const now = nowRfc3339();
  const prevConds: Obj[] = Array.isArray(old?.status?.conditions) ? old!.status.conditions : [];
  const cond = (type: string, reason: string, message: string): Obj =>
    prevConds.find((c) => c.type === type && c.status === 'True') ?? { type, status: 'True', lastTransitionTime: now, reason, message };
  const spec = crd.spec ?? {};
  const stored = new Set<string>(old?.status?.storedVersions ?? []);
  const storage = (spec.versions as Obj[] | undefined)?.find((v) => v.storage)?.name;
  if (storage) stored.add(storage);
  return {
    acceptedNames: clone(spec.names ?? {}),
    conditions: [cond('NamesAccepted', 'NoConflicts', 'no conflicts found'), cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
    storedVersions: [...stored],
  };
}

// ------------------------------------------------------------------ custom resources against their schema

interface SchemaResult {
  unknown: string[];
  causes: Cause[];
}

function typeOk(v: unknown, s: Obj): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || Number.isInteger(v);
  switch (s.type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    default:
      return true;
  }
}

/** Prune, default and check `v` against schema `s` in place; returns the (possibly replaced) value. */
function walk(v: unknown, s: Obj | undefined, path: string, res: SchemaResult, preserve: boolean): unknown {
  if (!s || v === undefined) return v;
  if (v === null) return s.nullable ? v : undefined;
  if (s.type && !typeOk(v, s)) {
    res.causes.push(fieldInvalid(path, v, `${path} in body must be of type ${s.type}: "${Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v}"`));
    return v;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(v)))
    res.causes.push(fieldNotSupported(path, v, s.enum.map(String)));
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) res.causes.push(fieldInvalid(path, v, `${path} in body should be greater than or equal to ${s.minimum}`));
    if (typeof s.maximum === 'number' && v > s.maximum) res.causes.push(fieldInvalid(path, v, `${path} in body should be less than or equal to ${s.maximum}`));
  }
  if (typeof v === 'string') {
    if (typeof s.maxLength === 'number' && v.length > s.maxLength) res.causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${s.maxLength} bytes`, field: path });
    if (typeof s.minLength === 'number' && v.length < s.minLength) res.causes.push(fieldInvalid(path, v, `${path} in body should be at least ${s.minLength} chars long`));
    if (typeof s.pattern === 'string') {
      try {
        if (!new RegExp(s.pattern, 'u').test(v)) res.causes.push(fieldInvalid(path, v, `${path} in body should match '${s.pattern}'`));
      } catch {
        /* pattern not expressible in JS: skip */
      }
    }
  }
  const keepUnknown = preserve || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObj(v) && !s['x-kubernetes-embedded-resource']) {
    const props: Obj = isObj(s.properties) ? s.properties : {};
    const addl = s.additionalProperties;
    for (const k of Object.keys(v)) {
      const ps = isObj(props[k]) ? (props[k] as Obj) : isObj(addl) ? (addl as Obj) : undefined;
      if (!ps) {
        if (!keepUnknown && addl !== true) {
          res.unknown.push(path ? `${path}.${k}` : k);
          delete v[k];
        }
        continue;
      }
      const r = walk(v[k], ps, path ? `${path}.${k}` : k, res, keepUnknown && !isObj(props[k]));
      if (r === undefined) delete v[k];
      else v[k] = r;
    }
    for (const [k, ps] of Object.entries(props)) if (v[k] === undefined && isObj(ps) && ps.default !== undefined) v[k] = clone(ps.default);
    if (Array.isArray(s.required)) for (const r of s.required as string[]) if (v[r] === undefined) res.causes.push(fieldRequired(path ? `${path}.${r}` : r));
  }
  if (Array.isArray(v) && isObj(s.items)) {
    for (let i = 0; i < v.length; i++) {
      const r = walk(v[i], s.items, `${path}[${i}]`, res, keepUnknown && !isObj((s.items as Obj).properties));
      v[i] = r;
    }
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) res.causes.push({ reason: 'FieldValueTooMany', message: `Too many: ${v.length}: must have at most ${s.maxItems} items`, field: path });
  }
  return v;
}

/**
 * Apply a CRD version's schema to a custom resource (mutated in place): unknown fields pruned (and reported),
 * defaults filled, type/enum/required checked.
 */
export function applyCustomSchema(crd: Obj | undefined, version: string, o: Obj): SchemaResult {
  const res: SchemaResult = { unknown: [], causes: [] };
  const s = crdVersionSchema(crd, version);
  if (!s) return res;
  const rootProps: Obj = isObj(s.properties) ? s.properties : {};
  for (const k of Object.keys(o)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    if (o[k] === undefined) {
      delete o[k];
      continue;
    }
    const ps = rootProps[k];
    if (!isObj(ps)) {
      if (!s['x-kubernetes-preserve-unknown-fields']) {
        res.unknown.push(k);
        delete o[k];
      }
      continue;
    }
    const r = walk(o[k], ps, k, res, false);
    if (r === undefined) delete o[k];
    else o[k] = r;
  }
  for (const [k, ps] of Object.entries(rootProps))
    if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind' && o[k] === undefined && isObj(ps) && ps.default !== undefined) o[k] = clone(ps.default);
  if (Array.isArray(s.required)) for (const r of s.required as string[]) if (r !== 'metadata' && o[r] === undefined) res.causes.push(fieldRequired(r));
  return res;
}
