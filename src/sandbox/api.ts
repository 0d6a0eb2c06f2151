// Resource handlers: get, list, create, update (PUT), patch (JSON, merge, strategic, apply), delete and
// deletecollection, plus the status and scale subresources. Every write goes through `commitWrite`, which applies
// defaults, validation, generation, managedFields and resourceVersion the way the API server does.
import { randomUUID } from 'node:crypto';
import { serverSideApply } from './apply.js';
import type { Cluster } from './cluster.js';
import { applyCustomSchema, defaultCRD, establishedStatus, validateCRD } from './crd.js';
import { applyDefaults, generationChanged, validate, validateMetadata, validateName } from './defaults.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  fieldRequired,
  invalid,
  invalidOptions,
  restfulUnsupportedMediaType,
  notFound,
  successStatus,
  unsupportedPatch,
  type Cause,
} from './errors.js';
import { decodeManaged, encodeManaged, managerFromUserAgent, trackedPart, updateManaged, type ManagedEntry } from './managed.js';
import { decodeDeleteOptions, decodeObjectBody, decodePatchBody, mediaType, type PatchKind } from './body.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.js';
import { groupVersion, keyOf, type ResourceType } from './resources.js';
import { builtinSchema, customSchema, type SchemaNode } from './schema.js';
import { both, fieldMatcher, labelMatcher } from './selectors.js';
import { objectKey, toJson } from './store.js';
import { clone, deepEqual, isObj, nowRfc3339, randomSuffix, type Obj } from './util.js';

export interface ApiCall {
  cluster: Cluster;
  method: string;
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  sub?: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
  userAgent?: string;
}

export interface ApiResult {
  code: number;
  body?: Obj;
  /** Pre-serialized JSON body (lists). */
  json?: string;
  /** Plain text body (pod logs). */
  text?: string;
  headers?: Record<string, string>;
  /** For Table rendering: the objects this answer is about. */
  objects?: Obj[];
  listMeta?: Obj;
}

// ------------------------------------------------------------------ helpers

export function schemaOf(t: ResourceType, version: string): SchemaNode {
  return t.custom ? customSchema(t.crd, version, t.kind) : builtinSchema(t.kind);
}

/** The object as served in `version` (custom resources may be stored in another version). */
export function present(t: ResourceType, version: string, o: Obj): Obj {
  const gv = groupVersion(t.group, version);
  if (o.apiVersion === gv && o.kind === t.kind) return o;
  return { ...o, apiVersion: gv, kind: t.kind };
}

/** Which options object a request's query parameters are validated as (errors name it). */
type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

function dryRun(q: URLSearchParams): boolean {
  return q.getAll('dryRun').length > 0;
}

/**
 * The query options every write validates before anything else (ValidateCreateOptions and friends): dryRun values,
 * fieldManager length and characters, fieldValidation values; for patches also fieldManager (apply) and force
 * (non-apply). 422 Invalid naming the options kind.
 */
function validateOptions(q: URLSearchParams, kind: OptionsKind, patch?: { apply: boolean }): void {
  const causes: Cause[] = [];
  if (patch) {
    if (!patch.apply && q.has('force')) causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' });
    if (patch.apply && !q.get('fieldManager')) causes.push(fieldRequired('fieldManager', 'is required for apply patch'));
  }
  if (kind !== 'DeleteOptions') {
    const m = q.get('fieldManager') ?? '';
    if (m.length > 128) causes.push({ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 128 bytes', field: 'fieldManager' });
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u001f\u007f-\u009f]/u.exec(m);
    if (bad) causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(m)}: invalid character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} (at position ${bad.index})`, field: 'fieldManager' });
  }
  const dry = q.getAll('dryRun');
  if (dry.some((v) => v !== 'All'))
    causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: []string{${dry.map((v) => JSON.stringify(v)).join(', ')}}: supported values: "All"`, field: 'dryRun' });
  if (kind !== 'DeleteOptions') {
    const fv = q.get('fieldValidation');
    if (fv !== null && fv !== '' && fv !== 'Ignore' && fv !== 'Strict' && fv !== 'Warn')
      causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(fv)}: supported values: "", "Ignore", "Strict", "Warn"`, field: 'fieldValidation' });
  }
  if (causes.length) throw invalidOptions(kind, causes);
}

function fieldManager(call: ApiCall): string {
  return call.query.get('fieldManager') || managerFromUserAgent(call.userAgent);
}

function fieldValidation(q: URLSearchParams): 'Strict' | 'Warn' | 'Ignore' {
  const v = q.get('fieldValidation');
  return v === 'Strict' || v === 'Ignore' ? v : 'Warn';
}

function checkTypeMeta(body: Obj, t: ResourceType, version: string): void {
  const gv = groupVersion(t.group, version);
  if (body.apiVersion !== undefined && body.apiVersion !== gv) {
    // Custom resources may be sent in any served version (same schema family); built-ins must match.
    const other = typeof body.apiVersion === 'string' ? body.apiVersion.split('/') : [];
    const bodyGroup = other.length === 2 ? other[0] : '';
    const bodyVersion = other.length === 2 ? other[1] : other[0];
    if (!(bodyGroup === t.group && t.versions.includes(bodyVersion ?? '')))
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${gv})`);
  }
  if (body.kind !== undefined && body.kind !== t.kind) throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${t.kind})`);
}

export function ensureNamespace(cluster: Cluster, ns: string, creating: boolean, t: ResourceType, name: string): void {
  const nsObj = cluster.store.get('/namespaces', ns);
  if (!nsObj) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
  if (creating && nsObj.metadata?.deletionTimestamp)
    throw new ApiError(
      403,
      'Forbidden',
      `${t.group ? `${t.plural}.${t.group}` : t.plural} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      { name, group: t.group, kind: t.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] },
    );
}

function getStored(call: ApiCall): Obj {
  const key = objectKey(call.type.namespaced ? call.namespace : undefined, call.name!);
  const o = call.cluster.store.get(keyOf(call.type), key);
  if (!o) throw notFound(call.type, call.name!);
  return o;
}

// ------------------------------------------------------------------ the write pipeline

export interface WriteOptions {
  manager: string;
  sub?: string;
  dryRun: boolean;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  /** Ownership computed by server-side apply (otherwise derived from the change). */
  entries?: ManagedEntry[];
  /** Managed fields sent by the client in an update (replace the stored ones when non-empty). */
  clientManaged?: unknown;
  warnings: string[];
}

/** Status a fresh object of this kind starts with. */
function initialStatus(t: ResourceType): Obj | undefined {
  switch (t.kind) {
    case 'Service':
      return { loadBalancer: {} };
    case 'PersistentVolumeClaim':
      return { phase: 'Pending' };
    case 'Pod':
      return { phase: 'Pending', qosClass: 'BestEffort' };
    default:
      return undefined;
  }
}

/**
 * Turn a desired object into the stored one and store it (unless dry-run). `old` is the current object (undefined
 * on create). Returns the stored (or would-be stored) object and whether anything changed.
 */
export function commitWrite(cluster: Cluster, t: ResourceType, version: string, old: Obj | undefined, desired: Obj, opts: WriteOptions): { obj: Obj; changed: boolean } {
  const gv = groupVersion(t.group, version);
  let obj: Obj = desired;
  obj.apiVersion = groupVersion(t.group, t.versions[0]!);
  obj.kind = t.kind;
  // Callers may pass objects sharing parts with stored ones: never edit their metadata in place. (A filtered copy
  // rather than `delete`, which would turn the object into a slow dictionary-mode one.)
  obj.metadata = isObj(obj.metadata) ? omitKeys(obj.metadata, DROPPED_ON_WRITE) : {};

  if (opts.sub === 'status' && old) {
    // Status writes change only status (stored objects are never mutated: a shallow copy is enough).
    obj = { ...old, metadata: omitKeys(old.metadata, DROPPED_ON_WRITE), status: obj.status };
    if (t.custom) obj = clone(obj); // the schema walk below edits in place
  } else if (t.statusSubresource) {
    if (old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = clone(old.status);
    } else {
      const s = initialStatus(t);
      if (s) obj.status = s;
      else delete obj.status;
    }
  }
  const meta = obj.metadata;
  if (old) {
    meta.name = old.metadata.name;
    if (old.metadata.namespace) meta.namespace = old.metadata.namespace;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
    else delete meta.generation;
    if (old.metadata.deletionTimestamp) {
      meta.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
  } else {
    meta.uid = randomUUID();
    meta.creationTimestamp = nowRfc3339();
    if (t.generation) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  if (isObj(meta.labels) && Object.keys(meta.labels).length === 0) delete meta.labels;
  if (isObj(meta.annotations) && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  if (Array.isArray(meta.finalizers) && meta.finalizers.length === 0) delete meta.finalizers;

  // Custom resources: their schema prunes, defaults and checks.
  const causes: Cause[] = [];
  if (t.custom) {
    const r = applyCustomSchema(t.crd, version, obj);
    if (r.unknown.length) {
      if (opts.fieldValidation === 'Strict' && opts.sub !== 'status')
        throw badRequest(`${t.kind} in version "${version}" cannot be handled as a ${t.kind}: strict decoding error: ${r.unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
      if (opts.fieldValidation === 'Warn') for (const u of r.unknown) opts.warnings.push(`unknown field "${u}"`);
    }
    causes.push(...r.causes);
  }
  if (t.kind === 'CustomResourceDefinition') {
    defaultCRD(obj);
    if (!old) meta.finalizers = [...new Set([...(meta.finalizers ?? []), 'customresourcecleanup.apiextensions.k8s.io'])];
    causes.push(...validateCRD(obj));
    if (old && old.spec?.group !== obj.spec?.group) causes.push({ reason: 'FieldValueInvalid', message: 'field is immutable', field: 'spec.group' });
  }
  if (opts.sub !== 'status') applyDefaults(t, obj, old, cluster);
  if (!old) causes.push(...validateName(t, String(meta.name)));
  if (opts.sub !== 'status') causes.push(...validateMetadata(meta), ...validate(t, obj, old));
  if (causes.length) throw invalid(t.kind, t.group, String(meta.name), causes);

  if (old && t.generation && generationChanged(t, old, obj)) meta.generation = (old.metadata.generation ?? 0) + 1;
  if (t.kind === 'CustomResourceDefinition') obj.status = establishedStatus(obj, old);

  // Ownership.
  const node = schemaOf(t, version);
  const dropStatus = t.statusSubresource && opts.sub !== 'status';
  let entries: ManagedEntry[];
  if (opts.entries) entries = opts.entries;
  else {
    const base = Array.isArray(opts.clientManaged) && opts.clientManaged.length > 0 ? decodeManaged(opts.clientManaged) : decodeManaged(old?.metadata?.managedFields);
    const oldTracked = trackedPart(old, dropStatus);
    const newTracked = trackedPart(obj, dropStatus);
    if (opts.sub === 'status') {
      entries = updateManaged(base, { status: oldTracked.status }, { status: newTracked.status }, node, opts.manager, gv, 'status');
    } else entries = updateManaged(base, oldTracked, newTracked, node, opts.manager, gv, undefined);
  }
  const mf = encodeManaged(entries);
  if (mf.length) meta.managedFields = mf;
  else delete meta.managedFields;

  if (old && sameObject(obj, old) && managedEquivalent(old.metadata.managedFields, meta.managedFields)) return { obj: old, changed: false };
  // A deleting object whose last finalizer went away is removed.
  const key = objectKey(t.namespaced ? meta.namespace : undefined, meta.name);
  if (old?.metadata?.deletionTimestamp && !(meta.finalizers?.length > 0)) {
    meta.resourceVersion = old.metadata.resourceVersion;
    if (!opts.dryRun) {
      cluster.store.write(keyOf(t), key, null);
      afterDelete(cluster, t, obj);
    }
    return { obj, changed: true };
  }
  if (opts.dryRun) {
    meta.resourceVersion = old?.metadata?.resourceVersion ?? String(cluster.store.rv);
    return { obj, changed: true };
  }
  cluster.store.write(keyOf(t), key, obj);
  if (t.kind === 'CustomResourceDefinition') cluster.syncCRD(obj, meta.name);
  return { obj, changed: true };
}

const DROPPED_ON_WRITE = new Set(['selfLink', 'resourceVersion', 'managedFields']);

function omitKeys(o: Obj, drop: Set<string>): Obj {
  const out: Obj = {};
  for (const k in o) if (!drop.has(k)) out[k] = o[k];
  return out;
}

/** The same object apart from resourceVersion and managedFields (a no-op write). */
function sameObject(a: Obj, b: Obj): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] === undefined) continue;
    n++;
    if (k === 'metadata') continue;
    if (!deepEqual(a[k], b[k])) return false;
  }
  for (const k in b) if (b[k] !== undefined) n--;
  if (n !== 0) return false;
  const am = a.metadata as Obj;
  const bm = b.metadata as Obj;
  let m = 0;
  for (const k in am) {
    if (am[k] === undefined || k === 'managedFields' || k === 'resourceVersion') continue;
    m++;
    if (!deepEqual(am[k], bm[k])) return false;
  }
  for (const k in bm) if (bm[k] !== undefined && k !== 'managedFields' && k !== 'resourceVersion') m--;
  return m === 0;
}

/** Managed fields that differ at most in their time stamps. */
function managedEquivalent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const x = Array.isArray(a) ? a : [];
  const y = Array.isArray(b) ? b : [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const e = x[i] as Obj;
    const f = y[i] as Obj;
    if (e === f) continue;
    if (!isObj(e) || !isObj(f)) return false;
    for (const k of new Set([...Object.keys(e), ...Object.keys(f)])) if (k !== 'time' && !deepEqual(e[k], f[k])) return false;
  }
  return true;
}

function afterDelete(cluster: Cluster, t: ResourceType, obj: Obj): void {
  if (t.kind === 'CustomResourceDefinition') {
    cluster.syncCRD(null, obj.metadata.name);
    // Custom resources of a deleted CRD go with it.
    const rk = `${obj.spec?.group}/${obj.spec?.names?.plural}`;
    for (const cr of cluster.store.list(rk)) cluster.store.write(rk, objectKey(cr.metadata.namespace, cr.metadata.name), null);
  }
}

// ------------------------------------------------------------------ GET / LIST

export function getObject(call: ApiCall): ApiResult {
  const o = getStored(call);
  if (call.sub === 'scale') return { code: 200, body: scaleOf(call.type, o) };
  const p = present(call.type, call.version, o);
  return { code: 200, json: toJson(p), objects: [p] };
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64');
}
function decodeContinue(s: string): ContinueToken {
  try {
    const o = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as Obj;
    if (typeof o.rv !== 'number' || typeof o.start !== 'string') throw new Error('bad');
    return { rv: o.rv, start: o.start };
  } catch {
    throw badRequest(`continue key is not valid: ${s}`);
  }
}

export interface ListResult {
  items: Obj[];
  rv: number;
  continue?: string;
  remaining?: number;
}

export function parseRV(v: string | null, what = 'resourceVersion'): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`Invalid value: "${v}": ${what} must be a non-negative integer`);
  return Number(v);
}

export function listObjects(call: ApiCall): ListResult {
  const { cluster, type: t, query: q } = call;
  const store = cluster.store;
  const rk = keyOf(t);
  const ns = t.namespaced ? call.namespace : undefined;
  const match = both(labelMatcher(q.get('labelSelector') ?? undefined), fieldMatcher(q.get('fieldSelector') ?? undefined, t.kind, t.plural));
  const limitRaw = q.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  const cont = q.get('continue');
  const rv = parseRV(q.get('resourceVersion'));
  const rvm = q.get('resourceVersionMatch');
  if (rvm && rv === undefined && !cont)
    throw new ApiError(422, 'Invalid', `resourceVersionMatch is forbidden unless resourceVersion is provided`, { causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided', field: 'resourceVersionMatch' }] });
  if (rvm && rvm !== 'Exact' && rvm !== 'NotOlderThan') throw badRequest(`resourceVersionMatch: Unsupported value: "${rvm}": supported values: "Exact", "NotOlderThan"`);
  if (cont && rv !== undefined && rv !== 0)
    throw new ApiError(422, 'Invalid', `specifying resource version is not allowed when using continue`, { causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: specifying resource version is not allowed when using continue', field: 'resourceVersion' }] });

  let atRv = store.rv;
  let start = '';
  let entries: Array<[string, Obj]>;
  if (cont) {
    const tok = decodeContinue(cont);
    atRv = tok.rv;
    start = tok.start;
    const snap = store.listAt(rk, atRv, ns);
    if (!snap) {
      throw new ApiError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    entries = snap;
  } else if (rvm === 'Exact' && rv !== undefined) {
    if (rv > store.rv) throw new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${store.rv}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
    const snap = store.listAt(rk, rv, ns);
    if (!snap) throw new ApiError(410, 'Expired', `The resourceVersion for the provided list is too old.`, {});
    atRv = rv;
    entries = snap;
  } else {
    if (rv !== undefined && rv > store.rv && rvm === 'NotOlderThan')
      throw new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${store.rv}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
    entries = store.list(rk, ns).map((o) => [objectKey(o.metadata.namespace, o.metadata.name), o]);
  }
  const items: Obj[] = [];
  let next: string | undefined;
  let remaining: number | undefined;
  let i = 0;
  if (start) {
    while (i < entries.length && entries[i]![0] <= start) i++;
  }
  for (; i < entries.length; i++) {
    const [k, o] = entries[i]!;
    if (match && !match(o)) continue;
    if (limit > 0 && items.length >= limit) {
      next = encodeContinue({ rv: atRv, start: entries[i - 1]![0] === k ? k : lastKey(items, t) });
      if (!match) remaining = entries.length - i;
      break;
    }
    items.push(present(t, call.version, o));
  }
  if (next && match) {
    // Remaining count is unknown with selectors; is there anything left at all?
    let any = false;
    for (let j = i; j < entries.length; j++) if (match(entries[j]![1])) {
      any = true;
      break;
    }
    if (!any) next = undefined;
  }
  return { items, rv: atRv, continue: next, remaining };
}

function lastKey(items: Obj[], t: ResourceType): string {
  const o = items[items.length - 1]!;
  return objectKey(t.namespaced ? o.metadata.namespace : undefined, o.metadata.name);
}

export function listJson(t: ResourceType, version: string, r: ListResult): string {
  const meta: Obj = { resourceVersion: String(r.rv) };
  if (r.continue) meta.continue = r.continue;
  if (r.remaining !== undefined) meta.remainingItemCount = r.remaining;
  return `{"kind":${JSON.stringify(t.listKind)},"apiVersion":${JSON.stringify(groupVersion(t.group, version))},"metadata":${JSON.stringify(meta)},"items":[${r.items.map(toJson).join(',')}]}`;
}

// ------------------------------------------------------------------ CREATE

function virtualCreate(call: ApiCall, body: Obj): ApiResult {
  const out: Obj = { ...body, apiVersion: groupVersion(call.type.group, call.version), kind: call.type.kind, metadata: { ...(body.metadata ?? {}), creationTimestamp: null } };
  switch (call.type.kind) {
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview':
      out.status = { allowed: true, reason: 'bosun sandbox allows everything' };
      break;
    case 'SelfSubjectRulesReview':
      out.status = {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
      break;
    case 'TokenReview':
      out.status = { authenticated: true, user: { username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] }, audiences: body.spec?.audiences ?? [] };
      break;
    case 'SelfSubjectReview':
      out.status = { userInfo: { username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] } };
      break;
    case 'Binding':
      return { code: 201, body: createdStatus() };
    default:
      break;
  }
  return { code: 201, body: out };
}

/** What a create answers when its storage returns a bare Success Status (the handler fills in the 201). */
function createdStatus(): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

/** The kinds subresource POSTs take. */
const SUBRESOURCE_KINDS: Record<string, string> = { eviction: 'Eviction', token: 'TokenRequest', binding: 'Binding' };

export function createObject(call: ApiCall): ApiResult {
  const { cluster, type: t } = call;
  validateOptions(call.query, 'CreateOptions');
  const body = decodeObjectBody(t, call.contentType, call.body, call.sub ? (SUBRESOURCE_KINDS[call.sub] ?? t.kind) : t.kind);
  // Subresources take their own kinds (policy/v1 Eviction, authentication.k8s.io/v1 TokenRequest, v1 Binding).
  if (call.sub) return subresourceCreate(call, body);
  checkTypeMeta(body, t, call.version);
  if (t.virtual) return virtualCreate(call, body);
  const isDry = dryRun(call.query);
  const fv = fieldValidation(call.query);
  const meta: Obj = isObj(body.metadata) ? body.metadata : (body.metadata = {});
  if (t.namespaced) {
    const ns = call.namespace;
    if (!ns) throw badRequest('the server could not find the requested resource');
    if (meta.namespace && meta.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = ns;
  } else delete meta.namespace;
  if (!meta.name) {
    if (meta.generateName) {
      const prefix = String(meta.generateName);
      meta.name = (prefix.length > 58 ? prefix.slice(0, 58) : prefix) + randomSuffix();
    } else throw invalid(t.kind, t.group, '', [fieldRequired('metadata.name', 'name or generateName is required')]);
  }
  if (t.namespaced) ensureNamespace(cluster, meta.namespace, true, t, meta.name);
  const key = objectKey(t.namespaced ? meta.namespace : undefined, meta.name);
  if (cluster.store.get(keyOf(t), key)) throw alreadyExists(t, meta.name);
  const warnings: string[] = [];
  const { obj } = commitWrite(cluster, t, call.version, undefined, body, { manager: fieldManager(call), dryRun: isDry, fieldValidation: fv, warnings });
  return withWarnings({ code: 201, json: toJson(present(t, call.version, obj)), objects: [obj] }, warnings);
}

function withWarnings(r: ApiResult, warnings: string[]): ApiResult {
  if (warnings.length) r.headers = { ...(r.headers ?? {}), Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
  return r;
}

function subresourceCreate(call: ApiCall, body: Obj): ApiResult {
  const { cluster, type: t } = call;
  if (t.kind === 'Pod' && call.sub === 'eviction') {
    const o = getStored(call);
    cluster.store.write(keyOf(t), objectKey(o.metadata.namespace, o.metadata.name), null);
    return { code: 201, body: createdStatus() };
  }
  if (t.kind === 'ServiceAccount' && call.sub === 'token') {
    getStored(call);
    const exp = Number(body.spec?.expirationSeconds ?? 3600);
    const token = `sandbox.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:${call.namespace}:${call.name}` })).toString('base64url')}.${randomSuffix(16)}`;
    return {
      code: 201,
      body: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name: call.name, namespace: call.namespace, creationTimestamp: null },
        spec: { audiences: body.spec?.audiences ?? ['https://kubernetes.default.svc'], expirationSeconds: exp, boundObjectRef: null },
        status: { token, expirationTimestamp: new Date(Date.now() + exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      },
    };
  }
  if (t.kind === 'Pod' && call.sub === 'binding') {
    const o = getStored(call);
    const next = clone(o);
    next.spec.nodeName = body.target?.name;
    commitWrite(cluster, t, call.version, o, next, { manager: 'kube-scheduler', dryRun: false, fieldValidation: 'Ignore', warnings: [] });
    return { code: 201, body: createdStatus() };
  }
  throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

// ------------------------------------------------------------------ UPDATE (PUT)

export function updateObject(call: ApiCall): ApiResult {
  const { cluster, type: t } = call;
  validateOptions(call.query, 'UpdateOptions');
  const body = decodeObjectBody(t, call.contentType, call.body, call.sub === 'scale' ? 'Scale' : t.kind);
  if (call.sub === 'scale') return updateScale(call, (_cur) => body);
  if (call.sub && call.sub !== 'status' && call.sub !== 'finalize') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  checkTypeMeta(body, t, call.version);
  const meta: Obj = isObj(body.metadata) ? body.metadata : (body.metadata = {});
  // handlers.checkName: the body's name must be the URL's (an absent name is "").
  const bodyName = typeof meta.name === 'string' ? meta.name : '';
  if (bodyName !== call.name) throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${call.name})`);
  if (t.namespaced) {
    if (meta.namespace && meta.namespace !== call.namespace)
      throw badRequest(`the namespace of the object (${meta.namespace}) does not match the namespace on the request (${call.namespace})`);
    meta.namespace = call.namespace;
  }
  meta.name = call.name;
  const key = objectKey(t.namespaced ? call.namespace : undefined, call.name!);
  const old = cluster.store.get(keyOf(t), key);
  if (!old) throw notFound(t, call.name!);
  const rv = meta.resourceVersion;
  if (rv !== undefined && rv !== '' && String(rv) !== old.metadata.resourceVersion) throw conflict(t, call.name!);
  if ((rv === undefined || rv === '') && t.custom)
    throw invalid(t.kind, t.group, call.name!, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]);
  if (call.sub === 'finalize' && t.kind === 'Namespace') {
    const next = clone(old);
    next.spec = { ...(next.spec ?? {}), finalizers: body.spec?.finalizers ?? [] };
    const warnings: string[] = [];
    const r = commitWrite(cluster, t, call.version, old, next, { manager: fieldManager(call), sub: 'finalize', dryRun: dryRun(call.query), fieldValidation: 'Ignore', warnings });
    maybeFinishNamespace(cluster, r.obj);
    return { code: 200, json: toJson(r.obj), objects: [r.obj] };
  }
  const warnings: string[] = [];
  const { obj } = commitWrite(cluster, t, call.version, old, body, {
    manager: fieldManager(call),
    sub: call.sub,
    dryRun: dryRun(call.query),
    fieldValidation: fieldValidation(call.query),
    clientManaged: meta.managedFields,
    warnings,
  });
  return withWarnings({ code: 200, json: toJson(present(t, call.version, obj)), objects: [obj] }, warnings);
}

/** A namespace being deleted whose finalizers are gone and that holds nothing is removed. */
export function maybeFinishNamespace(cluster: Cluster, ns: Obj): void {
  if (!ns.metadata?.deletionTimestamp) return;
  if ((ns.spec?.finalizers ?? []).length > 0) return;
  if ((ns.metadata.finalizers ?? []).length > 0) return;
  if (cluster.store.get('/namespaces', ns.metadata.name)) cluster.store.write('/namespaces', ns.metadata.name, null);
}

// ------------------------------------------------------------------ PATCH

const PATCH_KINDS: Record<string, PatchKind> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function patchObject(call: ApiCall): ApiResult {
  const { cluster, type: t } = call;
  const ct = mediaType(call.contentType);
  const kind = PATCH_KINDS[ct];
  // Built-ins are go-restful routes whose Consumes list rejects other types; custom resources answer from the patch
  // handler itself (no strategic merge for them).
  if (!kind || (kind === 'strategic' && t.custom)) throw t.custom ? unsupportedPatch(false) : restfulUnsupportedMediaType();
  const isApply = kind === 'apply';
  validateOptions(call.query, 'PatchOptions', { apply: isApply });
  const strict = fieldValidation(call.query) !== 'Ignore';
  if (call.sub === 'scale') {
    getStored(call);
    const patch = decodePatchBody(kind, call.body, strict);
    return updateScale(call, (cur) => {
      if (kind === 'json') return applyJsonPatch(cur, patch);
      if (kind === 'merge' || kind === 'strategic') return applyMergePatch(cur, patch);
      const p = patch as Obj;
      return { ...cur, spec: { ...cur.spec, ...(p?.spec ?? {}) } };
    });
  }
  if (call.sub && call.sub !== 'status') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  if (isApply) return applyPatch(call, decodePatchBody(kind, call.body, strict) as Obj, call.query.get('force') === 'true');
  const key = objectKey(t.namespaced ? call.namespace : undefined, call.name!);
  const old = cluster.store.get(keyOf(t), key);
  // Non-apply patches of a missing object fail before the body is read.
  if (!old) throw notFound(t, call.name!);
  const patch = decodePatchBody(kind, call.body, strict);
  const base = present(t, call.version, old);
  let patched: Obj;
  if (kind === 'json') patched = applyJsonPatch(base, patch);
  else if (kind === 'merge') patched = applyMergePatch(base, patch);
  else patched = applyStrategicMergePatch(base, patch, schemaOf(t, call.version));
  if (!isObj(patched.metadata)) patched.metadata = {};
  const rv = patched.metadata.resourceVersion;
  if (rv !== undefined && String(rv) !== old.metadata.resourceVersion) throw conflict(t, call.name!);
  if (t.namespaced && patched.metadata.namespace && patched.metadata.namespace !== call.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (t.namespaced) patched.metadata.namespace = call.namespace;
  const patchedName = typeof patched.metadata.name === 'string' ? patched.metadata.name : '';
  if (patchedName !== call.name) throw badRequest(`the name of the object (${patchedName}) does not match the name on the URL (${call.name})`);
  const clientManaged = deepEqual(patched.metadata.managedFields, old.metadata.managedFields) ? undefined : patched.metadata.managedFields;
  const warnings: string[] = [];
  const { obj } = commitWrite(cluster, t, call.version, old, patched, {
    manager: fieldManager(call),
    sub: call.sub,
    dryRun: dryRun(call.query),
    fieldValidation: fieldValidation(call.query),
    clientManaged,
    warnings,
  });
  if (t.kind === 'Namespace') maybeFinishNamespace(cluster, obj);
  return withWarnings({ code: 200, json: toJson(present(t, call.version, obj)), objects: [obj] }, warnings);
}

function applyPatch(call: ApiCall, patch: Obj, force: boolean): ApiResult {
  const { cluster, type: t } = call;
  const manager = fieldManager(call);
  const gv = groupVersion(t.group, call.version);
  if (patch.apiVersion !== gv)
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${patch.apiVersion ?? ''}, expected: ${gv}`);
  if (patch.kind !== t.kind) throw badRequest(`Incorrect kind specified in apply patch. Specified patch kind: ${patch.kind ?? ''}, expected: ${t.kind}`);
  const meta: Obj = isObj(patch.metadata) ? patch.metadata : (patch.metadata = {});
  if (!meta.name) meta.name = call.name;
  if (meta.name !== call.name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${call.name})`);
  if (meta.managedFields !== undefined && meta.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  if (t.namespaced) {
    if (meta.namespace && meta.namespace !== call.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = call.namespace;
  } else delete meta.namespace;
  const key = objectKey(t.namespaced ? call.namespace : undefined, call.name!);
  const old = cluster.store.get(keyOf(t), key);
  if (!old && call.sub === 'status') throw notFound(t, call.name!);
  if (!old && t.namespaced) ensureNamespace(cluster, call.namespace!, true, t, call.name!);
  if (meta.resourceVersion !== undefined && old && String(meta.resourceVersion) !== old.metadata.resourceVersion) throw conflict(t, call.name!);
  const isDry = dryRun(call.query);
  const fv = fieldValidation(call.query);
  const warnings: string[] = [];
  const node = schemaOf(t, call.version);
  const dropStatus = t.statusSubresource && call.sub !== 'status';

  // Prune the configuration against a CRD schema first so unknown fields are neither owned nor stored. (The patch
  // was decoded for this request alone: it can be edited in place.)
  const config = patch;
  if (t.custom) {
    const r = applyCustomSchema(t.crd, call.version, config);
    if (r.unknown.length) {
      if (fv === 'Strict') throw badRequest(`.${r.unknown[0]}: field not declared in schema`);
      if (fv === 'Warn') for (const u of r.unknown) warnings.push(`unknown field "${u}"`);
    }
  }
  const liveBase = old ? present(t, call.version, old) : undefined;
  let liveTracked = trackedPart(liveBase, dropStatus);
  let configTracked = trackedPart(config, dropStatus);
  if (call.sub === 'status') {
    liveTracked = liveTracked.status !== undefined ? { status: liveTracked.status } : {};
    configTracked = configTracked.status !== undefined ? { status: configTracked.status } : {};
  }
  const res = serverSideApply({
    liveTracked,
    configTracked,
    entries: decodeManaged(old?.metadata?.managedFields),
    manager,
    apiVersion: gv,
    force,
    node,
    subresource: call.sub,
  });
  let desired: Obj;
  if (call.sub === 'status') desired = { ...clone(old!), status: res.merged.status };
  else {
    desired = { apiVersion: gv, kind: t.kind, ...clone(res.merged) };
    desired.metadata = { ...(desired.metadata ?? {}), name: call.name };
    if (t.namespaced) desired.metadata.namespace = call.namespace;
    if (old && !dropStatus) {
      /* status is part of the applied object for kinds without a status subresource */
    } else if (old) desired.status = old.status;
  }
  const { obj } = commitWrite(cluster, t, call.version, old, desired, { manager, sub: call.sub, dryRun: isDry, fieldValidation: 'Ignore', entries: res.entries, warnings });
  return withWarnings({ code: old ? 200 : 201, json: toJson(present(t, call.version, obj)), objects: [obj] }, warnings);
}

// ------------------------------------------------------------------ scale subresource

function scaleOf(t: ResourceType, o: Obj): Obj {
  let replicas: unknown;
  let statusReplicas: unknown;
  let selector: string | undefined;
  if (t.custom && t.scale) {
    const get = (path: string): unknown => path.replace(/^\./, '').split('.').reduce<unknown>((a, k) => (isObj(a) ? a[k] : undefined), o);
    replicas = get(t.scale.specReplicasPath);
    statusReplicas = get(t.scale.statusReplicasPath);
    if (t.scale.labelSelectorPath) selector = get(t.scale.labelSelectorPath) as string | undefined;
  } else {
    replicas = o.spec?.replicas;
    statusReplicas = o.status?.replicas ?? 0;
    const sel = o.spec?.selector;
    if (isObj(sel)) {
      const parts: string[] = [];
      if (isObj(sel.matchLabels) || isObj(sel.matchExpressions)) {
        for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
        for (const e of (sel.matchExpressions ?? []) as Obj[]) {
          const op = e.operator;
          if (op === 'In' || op === 'NotIn') parts.push(`${e.key} ${op === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
          else parts.push(op === 'Exists' ? e.key : `!${e.key}`);
        }
      } else for (const [k, v] of Object.entries(sel)) parts.push(`${k}=${v}`);
      selector = parts.join(',');
    }
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: replicas ?? 0 },
    status: { replicas: statusReplicas ?? 0, ...(selector !== undefined ? { selector } : {}) },
  };
}

function updateScale(call: ApiCall, next: (cur: Obj) => Obj): ApiResult {
  const { cluster, type: t } = call;
  if (!t.subresources.includes('scale')) throw pathNotServed();
  const old = getStored(call);
  const cur = scaleOf(t, old);
  const want = next(cur);
  const rv = want.metadata?.resourceVersion;
  if (rv !== undefined && rv !== '' && String(rv) !== old.metadata.resourceVersion) throw conflict(t, call.name!);
  const replicas = want.spec?.replicas;
  if (typeof replicas !== 'number' || replicas < 0) throw invalid('Scale', 'autoscaling', call.name!, [{ reason: 'FieldValueInvalid', message: 'Invalid value: must be greater than or equal to 0', field: 'spec.replicas' }]);
  const updated = clone(old);
  if (t.custom && t.scale) {
    const path = t.scale.specReplicasPath.replace(/^\./, '').split('.');
    let cur2: Obj = updated;
    for (const p of path.slice(0, -1)) cur2 = isObj(cur2[p]) ? cur2[p] : (cur2[p] = {});
    cur2[path[path.length - 1]!] = replicas;
  } else updated.spec = { ...(updated.spec ?? {}), replicas };
  const { obj } = commitWrite(cluster, t, call.version, old, updated, { manager: fieldManager(call), sub: 'scale', dryRun: dryRun(call.query), fieldValidation: 'Ignore', warnings: [] });
  return { code: 200, body: scaleOf(t, obj) };
}

function pathNotServed(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

// ------------------------------------------------------------------ DELETE

interface DeleteOpts {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
  gracePeriodSeconds?: number;
}

function deleteOptions(call: ApiCall): DeleteOpts {
  const q = call.query;
  validateOptions(q, 'DeleteOptions');
  const body = decodeDeleteOptions(call.contentType, call.body);
  const o: DeleteOpts = { dryRun: dryRun(q) };
  const pp = q.get('propagationPolicy');
  if (pp) o.propagationPolicy = pp;
  if (q.get('orphanDependents') === 'true') o.propagationPolicy = 'Orphan';
  if (q.get('gracePeriodSeconds')) o.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (isObj(body)) {
    if (body.propagationPolicy) o.propagationPolicy = body.propagationPolicy;
    else if (body.orphanDependents === true) o.propagationPolicy = 'Orphan';
    if (isObj(body.preconditions)) o.preconditions = body.preconditions;
    if (Array.isArray(body.dryRun) && body.dryRun.includes('All')) o.dryRun = true;
    if (typeof body.gracePeriodSeconds === 'number') o.gracePeriodSeconds = body.gracePeriodSeconds;
  }
  if (o.propagationPolicy && !['Foreground', 'Background', 'Orphan'].includes(o.propagationPolicy))
    throw badRequest(`propagationPolicy: Unsupported value: "${o.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  return o;
}

/** Delete one stored object following DeleteOptions; returns the answer body. */
export function deleteStored(cluster: Cluster, t: ResourceType, version: string, old: Obj, opts: DeleteOpts): { code: number; body: Obj } {
  const key = objectKey(t.namespaced ? old.metadata.namespace : undefined, old.metadata.name);
  const p = opts.preconditions;
  if (p?.uid && p.uid !== old.metadata.uid)
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${t.group ? `${t.plural}.${t.group}` : t.plural} "${old.metadata.name}": Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${old.metadata.uid}`, { name: old.metadata.name, group: t.group, kind: t.plural });
  if (p?.resourceVersion && p.resourceVersion !== old.metadata.resourceVersion)
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${t.group ? `${t.plural}.${t.group}` : t.plural} "${old.metadata.name}": Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`, { name: old.metadata.name, group: t.group, kind: t.plural });
  const rk = keyOf(t);
  const mark = (extraFinalizer?: string): Obj => {
    const next = clone(old);
    next.metadata.deletionTimestamp ??= nowRfc3339();
    next.metadata.deletionGracePeriodSeconds ??= 0;
    if (extraFinalizer) next.metadata.finalizers = [...new Set([...(next.metadata.finalizers ?? []), extraFinalizer])];
    if (t.kind === 'Namespace') next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    next.metadata.resourceVersion = String(cluster.store.nextRv());
    if (!opts.dryRun) cluster.store.write(rk, key, next);
    return next;
  };
  if (t.kind === 'Namespace') {
    if (old.metadata.deletionTimestamp) return { code: 200, body: present(t, version, old) };
    return { code: 200, body: present(t, version, mark()) };
  }
  const policy = opts.propagationPolicy;
  if (policy === 'Foreground' && !old.metadata.deletionTimestamp) return { code: 200, body: present(t, version, mark('foregroundDeletion')) };
  if (policy === 'Orphan' && !old.metadata.deletionTimestamp) return { code: 200, body: present(t, version, mark('orphan')) };
  if ((old.metadata.finalizers ?? []).length > 0) {
    if (old.metadata.deletionTimestamp) return { code: 200, body: present(t, version, old) };
    return { code: 200, body: present(t, version, mark()) };
  }
  if (!opts.dryRun) {
    cluster.store.write(rk, key, null);
    afterDelete(cluster, t, old);
  }
  return { code: 200, body: successStatus({ name: old.metadata.name, group: t.group || undefined, kind: t.plural, uid: old.metadata.uid }) };
}

export function deleteObject(call: ApiCall): ApiResult {
  const { cluster, type: t } = call;
  if (call.sub) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  const old = getStored(call);
  const r = deleteStored(cluster, t, call.version, old, deleteOptions(call));
  return { code: r.code, body: r.body };
}

export function deleteCollection(call: ApiCall): ApiResult {
  const { cluster, type: t } = call;
  const opts = deleteOptions(call);
  const listed = listObjects({ ...call, query: new URLSearchParams([...call.query].filter(([k]) => k === 'labelSelector' || k === 'fieldSelector')) });
  const deleted: Obj[] = [];
  for (const o of listed.items) {
    const stored = cluster.store.get(keyOf(t), objectKey(t.namespaced ? o.metadata.namespace : undefined, o.metadata.name));
    if (!stored) continue;
    deleteStored(cluster, t, call.version, stored, opts);
    deleted.push(present(t, call.version, stored));
  }
  return { code: 200, json: listJson(t, call.version, { items: deleted, rv: cluster.store.rv }) };
}
