// Small helpers shared by the sandbox modules: JSON value handling, time stamps, random names.
import { randomBytes } from 'node:crypto';

/** A decoded JSON object. The sandbox manipulates Kubernetes objects as plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON value (undefined members dropped, like a JSON round trip, but faster). */
export function clone<T>(v: T): T {
  return copy(v) as T;
}

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      out[i] = x === undefined ? null : copy(x);
    }
    return out;
  }
  const out: Obj = {};
  for (const k in v as Obj) {
    const x = (v as Obj)[k];
    if (x !== undefined) out[k] = copy(x);
  }
  return out;
}

/** Structural equality of JSON values (key order ignored; undefined members count as absent). */
export { sameJson as deepEqual } from '../kube/fields.js';

/** RFC 3339 time with whole seconds, UTC, as the API server writes it. */
let stampSecond = -1;
let stamp = '';
export function nowRfc3339(): string {
  // Formatted once per second: writes stamp many objects with the same time.
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  if (sec !== stampSecond) {
    stampSecond = sec;
    stamp = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return stamp;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
/** Random suffix the way the API server makes names from generateName (5 characters). */
export function randomSuffix(n = 5): string {
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[b[i]! % NAME_CHARS.length];
  return s;
}

/** 10-character hex-ish hash used for pod-template-hash / controller revisions (FNV-1a 32 bit, base36-ish). */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  let x = h;
  for (let i = 0; i < 10; i++) {
    out += NAME_CHARS[x % NAME_CHARS.length];
    x = Math.floor(x / NAME_CHARS.length) ^ ((h >>> (i % 16)) & 0xff);
  }
  return out;
}

/** Get a nested value by path; undefined when any step is missing. */
export function getPath(o: unknown, path: readonly string[]): unknown {
  let cur: unknown = o;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Make sure a nested object exists and return it. */
export function ensureObj(o: Obj, path: readonly string[]): Obj {
  let cur = o;
  for (const p of path) {
    if (!isObj(cur[p])) cur[p] = {};
    cur = cur[p] as Obj;
  }
  return cur;
}

export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
