// PATCH bodies other than server-side apply: JSON Patch (RFC 6902), JSON merge patch (RFC 7386) and Kubernetes'
// strategic merge patch (merge keys, $patch / $retainKeys / $setElementOrder / $deleteFromPrimitiveList).
import { ApiError, badRequest } from './errors.js';
import type { SchemaNode } from './schema.js';
import { clone, deepEqual, isObj, type Obj } from './util.js';

// ---------------------------------------------------------------- JSON Patch

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string') throw badRequest('the server rejected our request due to an error in our request');
  if (p === '') return [];
  if (!p.startsWith('/')) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request`, { causes: [{ message: `invalid JSON pointer "${p}"` }] });
  return p.slice(1).split('/').map(unescapePointer);
}

function opError(msg: string): ApiError {
  return new ApiError(422, 'Invalid', msg, {});
}

function resolveParent(doc: unknown, path: string[], op: string): { parent: Obj | unknown[]; last: string } {
  let cur: unknown = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (Array.isArray(cur)) {
      const idx = Number(seg);
      if (!/^\d+$/.test(seg) || idx >= cur.length) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
      cur = cur[idx];
    } else if (isObj(cur)) {
      if (!(seg in cur)) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
      cur = cur[seg];
    } else throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  return { parent: cur, last: path[path.length - 1]! };
}

function getAt(doc: unknown, path: string[], op: string): unknown {
  if (path.length === 0) return doc;
  const { parent, last } = resolveParent(doc, path, op);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
    return parent[i];
  }
  if (!(last in parent)) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  return parent[last];
}

function removeAt(doc: unknown, path: string[], op: string): unknown {
  const { parent, last } = resolveParent(doc, path, op);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!(last in parent)) throw opError(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  const v = parent[last];
  delete parent[last];
  return v;
}

function addAt(doc: unknown, path: string[], value: unknown, op: string, replace: boolean): unknown {
  if (path.length === 0) return value;
  const { parent, last } = resolveParent(doc, path, op);
  if (Array.isArray(parent)) {
    if (replace) {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i >= parent.length) throw opError(`replace operation does not apply: doc is missing key: /${path.join('/')}: missing value`);
      parent[i] = value;
    } else if (last === '-') parent.push(value);
    else {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i > parent.length) throw opError(`add operation does not apply: index out of bounds: ${last}`);
      parent.splice(i, 0, value);
    }
  } else {
    if (replace && !(last in parent)) throw opError(`replace operation does not apply: doc is missing key: /${path.join('/')}: missing value`);
    parent[last] = value;
  }
  return doc;
}

export function applyJsonPatch(original: Obj, patch: unknown): Obj {
  if (!Array.isArray(patch)) throw badRequest('the server rejected our request due to an error in our request');
  if (patch.length > 10000) throw new ApiError(413, 'RequestEntityTooLarge', `The allowed maximum operations in a JSON patch is 10000, got ${patch.length}`);
  let doc: unknown = clone(original);
  for (const raw of patch) {
    if (!isObj(raw)) throw badRequest('the server rejected our request due to an error in our request');
    const op = raw.op;
    const path = parsePointer(raw.path);
    switch (op) {
      case 'add':
        if (!('value' in raw)) throw opError(`add operation does not apply: value is missing`);
        doc = addAt(doc, path, clone(raw.value), 'add', false);
        break;
      case 'replace':
        if (!('value' in raw)) throw opError(`replace operation does not apply: value is missing`);
        doc = addAt(doc, path, clone(raw.value), 'replace', true);
        break;
      case 'remove':
        removeAt(doc, path, 'remove');
        break;
      case 'move': {
        const from = parsePointer(raw.from);
        const v = removeAt(doc, from, 'move');
        doc = addAt(doc, path, v, 'move', false);
        break;
      }
      case 'copy': {
        const from = parsePointer(raw.from);
        doc = addAt(doc, path, clone(getAt(doc, from, 'copy')), 'copy', false);
        break;
      }
      case 'test': {
        const v = getAt(doc, path, 'test');
        if (!deepEqual(v, raw.value)) throw opError(`testing value /${path.join('/')} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${String(op)}`);
    }
  }
  if (!isObj(doc)) throw badRequest('the patched document is not an object');
  return doc;
}

// ---------------------------------------------------------------- JSON merge patch

export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k], v);
  }
  return out;
}

export function applyMergePatch(original: Obj, patch: unknown): Obj {
  if (!isObj(patch)) throw badRequest('the server rejected our request due to an error in our request');
  return clone(mergePatchValue(original, patch) as Obj);
}

// ---------------------------------------------------------------- strategic merge patch

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function isDirectiveKey(k: string): boolean {
  return k === '$patch' || k === '$retainKeys' || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE);
}

/** A value freshly inserted from the patch, without directive keys. */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x.$patch)).map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!isDirectiveKey(k) && x !== null) out[k] = stripDirectives(x);
  return out;
}

function smpMap(original: unknown, patch: Obj, node: SchemaNode): unknown {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined) throw badRequest(`Unknown patch directive: ${String(directive)}`);
  const out: Obj = isObj(original) ? { ...original } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (isDirectiveKey(k)) continue;
    const child = node.field(k);
    if (v === null) delete out[k];
    else if (isObj(v)) {
      const merged = smpMap(out[k], v, child);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) out[k] = smpList(out[k], v, child);
    else out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE) && Array.isArray(v)) {
      const f = k.slice(DELETE_PRIMITIVE.length);
      if (Array.isArray(out[f])) out[f] = (out[f] as unknown[]).filter((x) => !v.some((d) => deepEqual(d, x)));
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(SET_ORDER) && Array.isArray(v)) {
      const f = k.slice(SET_ORDER.length);
      if (Array.isArray(out[f])) out[f] = reorder(out[f] as unknown[], v, node.field(f).smp().key);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const id = (x: unknown): string => JSON.stringify(key && isObj(x) ? x[key] : x);
  const pos = new Map<string, number>();
  order.forEach((o, i) => pos.set(id(o), i));
  const inOrder = list.filter((x) => pos.has(id(x))).sort((a, b) => pos.get(id(a))! - pos.get(id(b))!);
  const rest = list.filter((x) => !pos.has(id(x)));
  return [...inOrder, ...rest];
}

function smpList(original: unknown, patch: unknown[], node: SchemaNode): unknown[] {
  const strat = node.smp();
  const replaceAll = patch.some((x) => isObj(x) && x.$patch === 'replace');
  if (replaceAll || !strat.merge) return patch.filter((x) => !(isObj(x) && x.$patch === 'replace')).map(stripDirectives);
  const orig = Array.isArray(original) ? [...original] : [];
  if (!strat.key) {
    // Primitive list with merge strategy: union.
    for (const v of patch) if (!orig.some((o) => deepEqual(o, v))) orig.push(clone(v));
    return orig;
  }
  const key = strat.key;
  const itemNode = node.item();
  for (const p of patch) {
    if (!isObj(p)) {
      orig.push(p);
      continue;
    }
    const idx = orig.findIndex((o) => isObj(o) && deepEqual(o[key], p[key]));
    if (p.$patch === 'delete') {
      if (idx >= 0) orig.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = smpMap(orig[idx], p, itemNode);
      if (merged === undefined) orig.splice(idx, 1);
      else orig[idx] = merged;
    } else orig.push(stripDirectives(p));
  }
  return orig;
}

export function applyStrategicMergePatch(original: Obj, patch: unknown, root: SchemaNode): Obj {
  if (!isObj(patch)) throw badRequest('the server rejected our request due to an error in our request');
  const out = smpMap(original, patch, root);
  return clone((out ?? {}) as Obj);
}
