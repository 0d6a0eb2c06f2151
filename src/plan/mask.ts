// Secret masking for diffs, plans, reports, events and errors. A Secret's `data` and `stringData` values are
// replaced by placeholders that only tell whether a key is unchanged, changed, added or removed; every other place
// that may echo a value (API error messages, diff text) goes through a Redactor that knows the values it must hide.
import type { KubeObject } from '../kube/index.js';

export const MASK_UNCHANGED = '(masked: unchanged)';
export const MASK_CHANGED_BEFORE = '(masked: before)';
export const MASK_CHANGED_AFTER = '(masked: after)';
export const MASK_ADDED = '(masked: added)';
export const MASK_REMOVED = '(masked: removed)';

export interface SecretKeyChanges {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

export const isSecret = (o: KubeObject | null | undefined): boolean => !!o && o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);

/** data ∪ stringData (stringData as base64, the way the API server merges it into data). */
function secretValues(o: KubeObject | null): Map<string, string> {
  const m = new Map<string, string>();
  if (!o) return m;
  for (const [k, v] of Object.entries((o.data ?? {}) as Record<string, unknown>)) m.set(k, String(v ?? ''));
  for (const [k, v] of Object.entries((o.stringData ?? {}) as Record<string, unknown>)) m.set(k, Buffer.from(String(v ?? ''), 'utf8').toString('base64'));
  return m;
}

/**
 * Masks a before/after pair of one Secret. Returns copies in which every value is a placeholder, and which keys
 * changed. `stringData` is folded into `data` on both sides, so a value moved between the two does not show.
 */
export function maskSecretPair(before: KubeObject | null, after: KubeObject | null): { before: KubeObject | null; after: KubeObject | null; keys: SecretKeyChanges } {
  const b = secretValues(before);
  const a = secretValues(after);
  const keys: SecretKeyChanges = { added: [], changed: [], removed: [] };
  const bData: Record<string, string> = {};
  const aData: Record<string, string> = {};
  for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const bv = b.get(k);
    const av = a.get(k);
    if (bv !== undefined && av !== undefined) {
      if (bv === av) {
        bData[k] = MASK_UNCHANGED;
        aData[k] = MASK_UNCHANGED;
      } else {
        keys.changed.push(k);
        bData[k] = MASK_CHANGED_BEFORE;
        aData[k] = MASK_CHANGED_AFTER;
      }
    } else if (av !== undefined) {
      keys.added.push(k);
      aData[k] = MASK_ADDED;
    } else {
      keys.removed.push(k);
      bData[k] = MASK_REMOVED;
    }
  }
  const strip = (o: KubeObject | null, data: Record<string, string>): KubeObject | null => {
    if (!o) return null;
    const c: KubeObject = { ...o, metadata: { ...o.metadata } };
    delete c.stringData;
    if (Object.keys(data).length > 0) c.data = data;
    else delete c.data;
    if (c.metadata.annotations) {
      // kubectl's last-applied annotation carries the whole object, values included.
      const ann = { ...c.metadata.annotations };
      delete ann['kubectl.kubernetes.io/last-applied-configuration'];
      c.metadata.annotations = ann;
    }
    return c;
  };
  return { before: strip(before, bData), after: strip(after, aData), keys };
}

/** Hides known secret values in any text (errors, diffs): the raw, base64 and decoded forms. */
export class Redactor {
  private readonly values = new Set<string>();

  /** Learns the values of a Secret (data base64 and decoded, stringData). */
  addSecret(o: KubeObject | null | undefined): void {
    if (!o || !isSecret(o)) return;
    for (const v of Object.values((o.data ?? {}) as Record<string, unknown>)) {
      const s = String(v ?? '');
      this.add(s);
      this.add(Buffer.from(s, 'base64').toString('utf8'));
    }
    for (const v of Object.values((o.stringData ?? {}) as Record<string, unknown>)) {
      const s = String(v ?? '');
      this.add(s);
      this.add(Buffer.from(s, 'utf8').toString('base64'));
    }
  }

  add(s: string): void {
    // Very short values would garble unrelated text; they cannot be told apart from ordinary words anyway.
    if (s.length >= 6) this.values.add(s);
    for (const line of s.split('\n')) if (line.trim().length >= 8) this.values.add(line.trim());
  }

  merge(other: Redactor): void {
    for (const v of other.values) this.values.add(v);
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    // Longest first, so a value containing another is hidden whole.
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) if (out.includes(v)) out = out.split(v).join('***');
    return out;
  }
}
