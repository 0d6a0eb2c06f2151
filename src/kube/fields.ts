// Field sets of metadata.managedFields (FieldsV1): which fields one manager owns, as a tree of path elements --
// `f:<name>` a field, `k:<keys json>` a list item by its keys, `v:<value json>` a set item, `i:<index>` a list item by
// position -- where `.` (here `member`) marks a node owned itself. Shared by the client, which reads the sets the
// server returns, and by the sandbox, which computes them.

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyObject(o: Json): boolean {
  for (const _ in o) return false;
  return true;
}

export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  static fromJSON(v: unknown): FieldSet {
    const s = new FieldSet();
    if (!isObj(v)) return s;
    for (const k in v) {
      const c = v[k];
      if (k === '.') s.member = true;
      else {
        const child = FieldSet.fromJSON(c);
        if (!isObj(c) || isEmptyObject(c)) child.member = true;
        s.children.set(k, child);
      }
    }
    return s;
  }

  /** FieldsV1 JSON: members as `{}`, `.` for a member that also has members below it; keys sorted. */
  toJSON(): Json {
    return this.encode() ?? {};
  }

  /** The FieldsV1 form, or undefined for an empty set. */
  private encode(): Json | undefined {
    let entries: Array<[string, Json]> | undefined;
    for (const [k, c] of this.children) {
      const j = c.encode();
      if (j !== undefined) (entries ??= []).push([k, j]);
    }
    if (!entries) return this.member ? {} : undefined;
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: Json = {};
    if (this.member) out['.'] = {};
    for (const [k, j] of entries) out[k] = j;
    return out;
  }

  clone(): FieldSet {
    const s = new FieldSet();
    s.member = this.member;
    for (const [k, c] of this.children) s.children.set(k, c.clone());
    return s;
  }

  union(o: FieldSet): FieldSet {
    if (o.isEmpty()) return this;
    const s = this.clone();
    s.member ||= o.member;
    for (const [k, c] of o.children) {
      const mine = s.children.get(k);
      s.children.set(k, mine ? mine.union(c) : c.clone());
    }
    return s;
  }

  /** Does any member of `o` belong to this set? */
  intersects(o: FieldSet): boolean {
    if (this.member && o.member) return true;
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      if (other && c.intersects(other)) return true;
    }
    return false;
  }

  /** Members of this set that are not members of `o` (this very set when they share nothing). */
  difference(o: FieldSet): FieldSet {
    if (!this.intersects(o)) return this;
    const s = new FieldSet();
    s.member = this.member && !o.member;
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      const d = other ? c.difference(other) : c.clone();
      if (!d.isEmpty()) s.children.set(k, d);
    }
    return s;
  }

  intersection(o: FieldSet): FieldSet {
    const s = new FieldSet();
    s.member = this.member && o.member;
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      if (!other) continue;
      const i = c.intersection(other);
      if (!i.isEmpty()) s.children.set(k, i);
    }
    return s;
  }

  equals(o: FieldSet): boolean {
    if (this === o) return true;
    if (this.member !== o.member) return false;
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      if (other ? !c.equals(other) : !c.isEmpty()) return false;
    }
    for (const [k, c] of o.children) if (!this.children.has(k) && !c.isEmpty()) return false;
    return true;
  }

  /**
   * This set without membership of the nodes on the way to a member of `kept`. An applier that gives up a map it
   * owned as a whole (an `Update` entry's `.`) while it, or another manager, still owns fields inside it loses the
   * map's other fields, not the map (structured-merge-diff adds owned items back after pruning).
   */
  exceptAncestorsOf(kept: FieldSet): FieldSet {
    let out: FieldSet | undefined;
    for (const [k, c] of this.children) {
      const kc = kept.children.get(k);
      if (!kc) continue;
      let nc = c.exceptAncestorsOf(kc);
      if (nc.member && [...kc.children.values()].some((x) => !x.isEmpty())) {
        if (nc === c) nc = c.clone();
        nc.member = false;
      }
      if (nc === c) continue;
      out ??= this.clone();
      if (nc.isEmpty()) out.children.delete(k);
      else out.children.set(k, nc);
    }
    return out ?? this;
  }

  /** Member paths as lists of path elements. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    if (this.member) out.push(prefix);
    for (const k of [...this.children.keys()].sort()) out.push(...this.children.get(k)!.paths([...prefix, k]));
    return out;
  }
}

/** Structural equality of JSON values (key order ignored; undefined members count as absent). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aArr = Array.isArray(a);
  if (aArr !== Array.isArray(b)) return false;
  if (aArr) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i], y[i])) return false;
    return true;
  }
  const x = a as Json;
  const y = b as Json;
  let n = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    n++;
    if (!sameJson(v, y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

/** Does list item `item` (at `index`) answer to path element `pe`? */
function itemMatches(pe: string, item: unknown, index: number): boolean {
  const body = pe.slice(2);
  if (pe.startsWith('i:')) return Number(body) === index;
  if (pe.startsWith('v:')) return sameJson(JSON.parse(body), item);
  if (pe.startsWith('k:')) {
    if (!isObj(item)) return false;
    const keys = JSON.parse(body) as Json;
    for (const k in keys) if (!sameJson(keys[k], item[k])) return false;
    return true;
  }
  return false;
}

/**
 * A JSON value without the members of `set` (the fields an applier gave up): a field, or a list item found by its
 * path element, that is a member goes whole; below a node that is not one, only its members go, and a map they leave
 * empty. Needs no schema (list items are matched by the keys their path elements name), so it works on any object a
 * server returned with its managedFields.
 */
export function withoutMembers(v: unknown, set: FieldSet): unknown {
  if (set.children.size === 0) return v;
  if (isObj(v)) {
    const out: Json = { ...v };
    for (const [pe, c] of set.children) {
      if (!pe.startsWith('f:')) continue;
      const name = pe.slice(2);
      if (!(name in out)) continue;
      const inner = c.member ? undefined : withoutMembers(out[name], c);
      // A map left empty goes too, as Kubernetes' omitempty fields print it.
      if (inner === undefined || (isObj(inner) && isEmptyObject(inner) && !isEmptyObject(out[name] as Json))) delete out[name];
      else out[name] = inner;
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    v.forEach((item, i) => {
      let gone = false;
      let inner = item;
      for (const [pe, c] of set.children) {
        if (!itemMatches(pe, item, i)) continue;
        if (c.member) gone = true;
        else inner = withoutMembers(inner, c);
      }
      if (!gone) out.push(inner);
    });
    return out;
  }
  return v;
}
