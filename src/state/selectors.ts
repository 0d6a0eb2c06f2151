// Label selectors, as helmfile's `-l/--selector` (pkg/state/release_filters.go semantics): `key=value` and
// `key!=value` joined by commas must all hold; repeating the flag gives alternatives, any of which may match.
// `key!=value` also holds when the label is absent.

export interface Selector {
  /** The selector as written. */
  readonly text: string;
  readonly equal: readonly (readonly [string, string])[];
  readonly notEqual: readonly (readonly [string, string])[];
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const MISMATCH = /^[a-zA-Z0-9_./+-]+!=[a-zA-Z0-9_./+-]+$/;
const MATCH = /^[a-zA-Z0-9_./+-]+=[a-zA-Z0-9_./+-]+$/;

/** Parses one selector (`tier=frontend,name!=web`). Throws SelectorError for a malformed one. */
export function parseSelector(text: string): Selector {
  const equal: [string, string][] = [];
  const notEqual: [string, string][] = [];
  for (const part of text.split(',')) {
    if (MISMATCH.test(part)) {
      const i = part.indexOf('!=');
      notEqual.push([part.slice(0, i), part.slice(i + 2)]);
    } else if (MATCH.test(part)) {
      const i = part.indexOf('=');
      equal.push([part.slice(0, i), part.slice(i + 1)]);
    } else {
      throw new SelectorError(`malformed label: ${part}. Expected label in form k=v or k!=v`);
    }
  }
  return { text, equal, notEqual };
}

export function matchesSelector(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of sel.equal) if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== v) return false;
  for (const [k, v] of sel.notEqual) if (Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v) return false;
  return true;
}

/** True when `selectors` is empty or any one of them matches. */
export function matchesAny(selectors: readonly Selector[], labels: Readonly<Record<string, string>>): boolean {
  return selectors.length === 0 || selectors.some((s) => matchesSelector(s, labels));
}
