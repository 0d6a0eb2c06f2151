// Server-side apply: merge an applied configuration into the live object following the schema's list and map
// semantics, detect conflicts with other field managers, and give up fields the applier no longer sets.
import { ApiError } from './errors.js';
import { FieldSet, fieldsOfObject, compareObjects, pathString, type ManagedEntry } from './managed.js';
import { withoutMembers } from '../kube/fields.js';
import { itemKey, keyString, type SchemaNode } from './schema.js';
import { clone, deepEqual, isObj, nowRfc3339, type Obj } from './util.js';

function mergeValue(live: unknown, cfg: unknown, node: SchemaNode): unknown {
  if (isObj(cfg)) {
    if (node.atomic() || !isObj(live)) return stripNulls(clone(cfg));
    const out: Obj = { ...live };
    for (const [k, v] of Object.entries(cfg)) {
      if (v === null) delete out[k];
      else out[k] = mergeValue(live[k], v, node.field(k));
    }
    return out;
  }
  if (Array.isArray(cfg)) {
    const lt = node.listType();
    if (lt.type === 'atomic' || !Array.isArray(live)) return stripNulls(clone(cfg));
    if (lt.type === 'set') {
      const out = [...live];
      for (const v of cfg) if (!out.some((x) => deepEqual(x, v))) out.push(clone(v));
      return out;
    }
    const itemNode = node.item();
    const id = (x: unknown): string | undefined => {
      const k = itemKey(x, lt.keys, itemNode);
      return k ? keyString(k) : undefined;
    };
    const out = [...live];
    for (const c of cfg) {
      const k = id(c);
      const idx = k === undefined ? -1 : out.findIndex((x) => id(x) === k);
      if (idx >= 0) out[idx] = mergeValue(out[idx], c, itemNode);
      else out.push(stripNulls(clone(c)));
    }
    return out;
  }
  return cfg;
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
  return out;
}

export interface ApplyInput {
  /** Live object's tracked part (see trackedPart), empty for a new object. */
  liveTracked: Obj;
  /** Applied configuration's tracked part. */
  configTracked: Obj;
  entries: ManagedEntry[];
  manager: string;
  apiVersion: string;
  force: boolean;
  node: SchemaNode;
  subresource?: string;
}

export interface ApplyResult {
  /** New tracked part (to be combined with identity metadata and untracked fields by the caller). */
  merged: Obj;
  entries: ManagedEntry[];
}

export function serverSideApply(inp: ApplyInput): ApplyResult {
  const { node, manager } = inp;
  const configSet = fieldsOfObject(inp.configTracked, node);
  let merged = mergeValue(inp.liveTracked, inp.configTracked, node) as Obj;
  const { changed } = compareObjects(inp.liveTracked, merged, node);
  const isMine = (e: ManagedEntry): boolean => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (inp.subresource ?? '');

  // Conflicts: fields another manager owns that this apply changes.
  const conflicts: Array<{ entry: ManagedEntry; path: string[] }> = [];
  const conflictSets = new Map<ManagedEntry, FieldSet>();
  for (const e of inp.entries) {
    if (isMine(e)) continue;
    const c = e.set.intersection(changed).intersection(configSet);
    if (c.isEmpty()) continue;
    conflictSets.set(e, c);
    for (const p of c.paths()) conflicts.push({ entry: e, path: p });
  }
  if (conflicts.length && !inp.force) throw conflictError(conflicts);

  // Fields this manager applied before and no longer does, owned by nobody else, go away.
  const prev = inp.entries.find(isMine);
  let others = new FieldSet();
  for (const e of inp.entries) if (!isMine(e)) others = others.union(conflictSets.has(e) ? e.set.difference(conflictSets.get(e)!) : e.set);
  if (prev) {
    let drop = prev.set.difference(configSet).difference(others);
    if (!drop.isEmpty()) drop = drop.exceptAncestorsOf(configSet.union(others));
    if (!drop.isEmpty()) merged = withoutMembers(merged, drop) as Obj;
  }

  const entries: ManagedEntry[] = [];
  let placed = false;
  for (const e of inp.entries) {
    if (isMine(e)) {
      // Unchanged ownership keeps the entry's set (and so its encoded form and time).
      const same = e.set.equals(configSet);
      entries.push({ ...e, set: same ? e.set : configSet, apiVersion: inp.apiVersion, time: same ? e.time : nowRfc3339() });
      placed = true;
    } else {
      const c = conflictSets.get(e);
      const set = c ? e.set.difference(c) : e.set;
      if (!set.isEmpty()) entries.push({ ...e, set });
    }
  }
  if (!placed) entries.push({ manager, operation: 'Apply', apiVersion: inp.apiVersion, time: nowRfc3339(), subresource: inp.subresource, set: configSet });
  return { merged, entries };
}

/**
 * The manager identifier structured-merge-diff keys ownership by (managedfields.BuildManagerIdentifier): the entry
 * as JSON without fields, time and, for appliers, apiVersion.
 */
function managerIdentifier(e: ManagedEntry): string {
  const id: Obj = { manager: e.manager, operation: e.operation };
  if (e.operation !== 'Apply') id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** How a conflict names the other manager (printManager in k8s.io/apimachinery's managedfields). */
function printManager(e: ManagedEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** errors.NewApplyConflict with the message of managedfields' NewConflictError. */
function conflictError(conflicts: Array<{ entry: ManagedEntry; path: string[] }>): ApiError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.entry)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.entry)}: ${causes[0]!.field}`;
  else {
    const byManager = new Map<string, { entry: ManagedEntry; paths: string[] }>();
    conflicts.forEach((c, i) => {
      const id = managerIdentifier(c.entry);
      const g = byManager.get(id) ?? { entry: c.entry, paths: [] };
      g.paths.push(causes[i]!.field);
      byManager.set(id, g);
    });
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort()) {
      const g = byManager.get(id)!;
      lines.push(`conflicts with ${printManager(g.entry)}:`, ...g.paths.map((p) => `- ${p}`));
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}
