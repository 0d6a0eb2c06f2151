// The exact text `helm template` prints (Helm 4.1): CRDs (with --include-crds), manifests in install order, then
// hooks, each document as `---\n# Source: <path>\n<content>\n`; --show-only filters documents by template path.
import { goTrimRight, splitManifests, type Hook, type Manifest } from './manifests.js';

export interface CrdFile {
  /** `<ChartFullPath>/crds/<file>` */
  readonly path: string;
  readonly data: string;
}

export interface TemplateOutputOptions {
  readonly crds?: readonly CrdFile[];
  readonly includeCrds?: boolean;
  readonly noHooks?: boolean;
  readonly skipTests?: boolean;
  readonly showOnly?: readonly string[];
}

/** The release manifest as Helm stores it: CRDs when included, then the sorted non-hook manifests. */
export function releaseManifest(manifests: readonly Manifest[], crds: readonly CrdFile[] = []): string {
  const parts: string[] = [];
  pushDocuments(parts, manifests, crds);
  return parts.join('');
}

/** Appends each CRD then each manifest as `---\n# Source: <path>\n<content>\n`, in pieces. */
function pushDocuments(parts: string[], manifests: readonly Manifest[], crds: readonly CrdFile[]): void {
  for (const crd of crds) parts.push('---\n# Source: ', crd.path, '\n', crd.data, '\n');
  for (const m of manifests) parts.push('---\n# Source: ', m.path, '\n', m.content, '\n');
}

export function isTestHook(h: Hook): boolean {
  return h.events.includes('test');
}

/**
 * Formats a rendered release exactly as `helm template` writes it to stdout. Throws for an unmatched --show-only.
 * The text is assembled from pieces and joined once (the output of a large chart is megabytes: no intermediate copy).
 */
export function formatTemplateOutput(manifests: readonly Manifest[], hooks: readonly Hook[], opts: TemplateOutputOptions = {}): string {
  // strings.TrimSpace(releaseManifest) + "\n": every document starts with `---`, so only the end of the last piece
  // can hold space to trim; with no documents at all the manifest part is the lone "\n".
  const parts: string[] = [];
  pushDocuments(parts, manifests, opts.includeCrds ? (opts.crds ?? []) : []);
  if (parts.length === 0) parts.push('\n');
  else {
    // Trailing space may run back over several pieces (the last one is always '\n').
    for (;;) {
      const last = goTrimRight(parts.pop()!);
      if (last !== '') {
        parts.push(last);
        break;
      }
    }
    parts.push('\n');
  }
  if (!opts.noHooks) {
    for (const h of hooks) {
      if (opts.skipTests && isTestHook(h)) continue;
      parts.push('---\n# Source: ', h.path, '\n', h.content, '\n');
    }
  }
  const text = parts.join('');
  if (!opts.showOnly || opts.showOnly.length === 0) return text;
  const docs = splitManifests(text);
  let out = '';
  for (const pattern of opts.showOnly) {
    let found = false;
    for (const doc of docs) {
      const m = /# Source: [^/]+\/(.+)/.exec(doc);
      if (!m) continue;
      if (!goPathMatch(pattern, m[1]!)) continue;
      out += `---\n${doc}\n`;
      found = true;
    }
    if (!found) throw new Error(`could not find template ${pattern} in chart`);
  }
  return out;
}

/**
 * Go's filepath.Match on `/`-separated paths: `*` and `?` never cross `/`, `[...]` classes with ranges and `^`
 * negation, `\` escapes. A malformed pattern matches nothing (Helm ignores the error).
 */
export function goPathMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) return false;
      re += escapeRe(pattern[i]!);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false;
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      re += `(?!/)[${negate ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(re + '$', 'u').test(name);
  } catch {
    return false;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
