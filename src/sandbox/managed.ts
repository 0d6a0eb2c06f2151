// Field sets and metadata.managedFields: which manager owns which fields (FieldsV1: `f:<name>`, `k:<keys json>`,
// `v:<value json>`, `i:<index>`, `.` for the node itself), computed from applied configurations and from the
// difference between an object's old and new state.
import type { SchemaNode } from './schema.js';
import { itemKey, keyString } from './schema.js';
import { deepEqual, isObj, nowRfc3339, type Obj } from './util.js';
import { FieldSet } from '../kube/fields.js';

export { FieldSet };


/** `.spec.template.spec.containers[name="web"].image` from path elements. */
export function pathString(path: string[]): string {
  let s = '';
  for (const pe of path) {
    const body = pe.slice(2);
    if (pe.startsWith('f:')) s += '.' + body;
    else if (pe.startsWith('k:')) {
      const k = JSON.parse(body) as Obj;
      s += '[' + Object.keys(k).map((n) => `${n}=${JSON.stringify(k[n])}`).join(',') + ']';
    } else if (pe.startsWith('v:')) s += `[=${body}]`;
    else if (pe.startsWith('i:')) s += `[${body}]`;
  }
  return s;
}

function listItemPE(item: unknown, index: number, node: SchemaNode): string {
  const lt = node.listType();
  if (lt.type === 'set') return 'v:' + keyString(item);
  if (lt.type === 'map') {
    const k = itemKey(item, lt.keys, node.item());
    if (k) return 'k:' + keyString(k);
  }
  return 'i:' + index;
}

/** Fields set by an applied configuration: leaves, list-map items (with `.`), empty objects, atomic values. */
export function fieldsOfValue(v: unknown, node: SchemaNode, set: FieldSet): void {
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (node.atomic() || keys.length === 0) {
      set.member = true;
      return;
    }
    for (const k of keys) fieldsOfValue(v[k], node.field(k), set.child('f:' + k));
    return;
  }
  if (Array.isArray(v)) {
    const lt = node.listType();
    if (lt.type === 'atomic' || v.length === 0) {
      set.member = true;
      return;
    }
    v.forEach((item, i) => {
      const pe = listItemPE(item, i, node);
      const c = set.child(pe);
      if (lt.type === 'map' && isObj(item)) {
        c.member = true;
        for (const k of Object.keys(item)) fieldsOfValue(item[k], node.item().field(k), c.child('f:' + k));
      } else c.member = true;
    });
    return;
  }
  set.member = true;
}

const IGNORED_METADATA = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'generation', 'managedFields', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** The part of an object field ownership is tracked for (no apiVersion/kind/identity metadata; no status when asked). */
export function trackedPart(o: Obj | undefined, dropStatus: boolean): Obj {
  const out: Obj = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && dropStatus) continue;
    if (k === 'metadata' && isObj(v)) {
      const m: Obj = {};
      for (const [mk, mv] of Object.entries(v)) if (!IGNORED_METADATA.includes(mk)) m[mk] = mv;
      if (Object.keys(m).length) out.metadata = m;
      continue;
    }
    out[k] = v;
  }
  return out;
}

export function fieldsOfObject(o: Obj, node: SchemaNode): FieldSet {
  const s = new FieldSet();
  for (const k of Object.keys(o)) fieldsOfValue(o[k], node.field(k), s.child('f:' + k));
  return s;
}

/** Structs that a typed empty object already has: adding into them does not mark the struct itself. */
const ALWAYS_PRESENT = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'jobTemplate']);

function markAdded(v: unknown, node: SchemaNode, set: FieldSet, name: string): void {
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (node.atomic() || keys.length === 0) {
      set.member = true;
      return;
    }
    if (!ALWAYS_PRESENT.has(name)) set.member = true;
    for (const k of keys) markAdded(v[k], node.field(k), set.child('f:' + k), k);
    return;
  }
  if (Array.isArray(v)) {
    const lt = node.listType();
    if (lt.type === 'atomic' || v.length === 0) {
      set.member = true;
      return;
    }
    v.forEach((item, i) => {
      const c = set.child(listItemPE(item, i, node));
      c.member = true;
      if (lt.type === 'map' && isObj(item)) for (const k of Object.keys(item)) markAdded(item[k], node.item().field(k), c.child('f:' + k), k);
    });
    return;
  }
  set.member = true;
}

/** Changed (added or modified) and removed fields between two states of an object. */
export function compareObjects(oldV: Obj, newV: Obj, node: SchemaNode): { changed: FieldSet; removed: FieldSet } {
  const changed = new FieldSet();
  const removed = new FieldSet();
  // The path to the value being compared; sets are created along it only when something is marked.
  const path: string[] = [];
  const at = (root: FieldSet): FieldSet => {
    let s = root;
    for (const pe of path) s = s.child(pe);
    return s;
  };
  const cmp = (o: unknown, n: unknown, nd: SchemaNode, name: string): void => {
    if (o === n) return;
    if (o === undefined || o === null) {
      if (n !== undefined && n !== null) markAdded(n, nd, at(changed), name);
      return;
    }
    if (n === undefined || n === null) {
      at(removed).member = true;
      return;
    }
    if (isObj(o) && isObj(n) && !nd.atomic()) {
      for (const k in o) compareField(o[k], n[k], nd, k);
      for (const k in n) if (!(k in o)) compareField(undefined, n[k], nd, k);
      return;
    }
    if (Array.isArray(o) && Array.isArray(n)) {
      const lt = nd.listType();
      if (lt.type !== 'atomic') {
        const om = new Map<string, unknown>();
        o.forEach((x, i) => om.set(listItemPE(x, i, nd), x));
        const nm = new Map<string, unknown>();
        n.forEach((x, i) => nm.set(listItemPE(x, i, nd), x));
        for (const [pe, x] of nm) {
          path.push(pe);
          if (!om.has(pe)) {
            const c = at(changed);
            c.member = true;
            if (lt.type === 'map' && isObj(x)) for (const k of Object.keys(x)) markAdded(x[k], nd.item().field(k), c.child('f:' + k), k);
          } else if (lt.type === 'map') {
            const ox = om.get(pe);
            if (ox !== x && isObj(ox) && isObj(x)) {
              const itemNode = nd.item();
              for (const k in ox) compareField(ox[k], x[k], itemNode, k);
              for (const k in x) if (!(k in ox)) compareField(undefined, x[k], itemNode, k);
            }
          }
          path.pop();
        }
        for (const pe of om.keys())
          if (!nm.has(pe)) {
            path.push(pe);
            at(removed).member = true;
            path.pop();
          }
        return;
      }
    }
    if (!deepEqual(o, n)) at(changed).member = true;
  };
  const compareField = (o: unknown, n: unknown, parent: SchemaNode, k: string): void => {
    if (o === n) return;
    path.push('f:' + k);
    cmp(o, n, parent.field(k), k);
    path.pop();
  };
  for (const k in oldV) compareField(oldV[k], newV[k], node, k);
  for (const k in newV) if (!(k in oldV)) compareField(undefined, newV[k], node, k);
  return { changed, removed };
}

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  set: FieldSet;
  /** The stored entry this one was decoded from, reused while `set` is unchanged. */
  raw?: { set: FieldSet; obj: Obj };
}

/** Decoded field sets of stored managedFields entries (stored objects, and so their entries, never change). */
const decodedSets = new WeakMap<Obj, FieldSet>();

export function decodeManaged(mf: unknown): ManagedEntry[] {
  if (!Array.isArray(mf)) return [];
  const out: ManagedEntry[] = [];
  for (const e of mf) {
    if (!isObj(e) || !e.manager) continue;
    let set = decodedSets.get(e);
    if (!set) {
      set = FieldSet.fromJSON(e.fieldsV1);
      decodedSets.set(e, set);
    }
    out.push({
      raw: { set, obj: e },
      manager: String(e.manager),
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: String(e.apiVersion ?? ''),
      time: String(e.time ?? nowRfc3339()),
      subresource: e.subresource ? String(e.subresource) : undefined,
      set,
    });
  }
  return out;
}

export function encodeManaged(entries: ManagedEntry[]): Obj[] {
  return entries
    .filter((e) => !e.set.isEmpty())
    .map((e) => {
      if (e.raw && e.raw.set === e.set && e.raw.obj.time === e.time && e.raw.obj.apiVersion === e.apiVersion) return e.raw.obj;
      const o: Obj = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: 'FieldsV1', fieldsV1: e.set.toJSON() };
      if (e.subresource) o.subresource = e.subresource;
      return o;
    });
}

const sameEntry = (e: ManagedEntry, manager: string, op: string, sub: string | undefined): boolean =>
  e.manager === manager && e.operation === op && (e.subresource ?? '') === (sub ?? '');

/** Ownership after a non-apply write: the writer takes what it changed; removed fields leave everyone. */
export function updateManaged(
  entries: ManagedEntry[],
  oldTracked: Obj,
  newTracked: Obj,
  node: SchemaNode,
  manager: string,
  apiVersion: string,
  subresource?: string,
): ManagedEntry[] {
  const { changed, removed } = compareObjects(oldTracked, newTracked, node);
  if (changed.isEmpty() && removed.isEmpty()) return entries;
  const out: ManagedEntry[] = [];
  let mine: ManagedEntry | undefined;
  for (const e of entries) {
    if (sameEntry(e, manager, 'Update', subresource)) {
      mine = { ...e, set: e.set.union(changed).difference(removed), time: nowRfc3339(), apiVersion };
      out.push(mine);
    } else out.push({ ...e, set: e.set.difference(changed).difference(removed) });
  }
  if (!mine && !changed.isEmpty()) out.push({ manager, operation: 'Update', apiVersion, time: nowRfc3339(), subresource, set: changed });
  return out.filter((e) => !e.set.isEmpty());
}

export function managerFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'unknown';
  const i = ua.indexOf('/');
  return (i >= 0 ? ua.slice(0, i) : ua).slice(0, 128) || 'unknown';
}
