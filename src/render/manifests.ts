// From rendered template files to Helm's ordered manifests and hooks (pkg/release/v1/util: manifest_sorter.go,
// kind_sorter.go behaviour): files in path order, each split into YAML documents, each document's head read,
// hooks separated by their annotation, then a stable sort by kind in install order.
import { jsonKindName, parseYamlHead } from '../yaml/index.js';
import { isMap, type GoValue } from '../template/value.js';
import { scalarToString } from '../chart/metadata.js';

/** Helm 4's install order. Kinds not listed sort after these, alphabetically. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

/** Uninstall order: install order reversed (Helm 4). */
export const UNINSTALL_ORDER: readonly string[] = [...INSTALL_ORDER].reverse();

export const HOOK_EVENTS = [
  'pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'test',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Accepted spellings of hook events (test-success is Helm's older name for test). */
const EVENT_NAMES: Record<string, HookEvent> = Object.fromEntries([
  ...HOOK_EVENTS.map((e) => [e, e] as const),
  ['test-success', 'test'],
]);

export interface ManifestHead {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>> | undefined;
}

export interface Manifest {
  /** Template key the document came from, e.g. `mychart/templates/deploy.yaml`. */
  readonly path: string;
  /** The document, trimmed. */
  readonly content: string;
  readonly head: ManifestHead;
}

export interface Hook extends Manifest {
  readonly events: readonly HookEvent[];
  readonly weight: number;
  readonly deletePolicies: readonly string[];
}

/** A document whose head is not what Helm can read. */
export class ManifestParseError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** RE2's \s: [\t\n\f\r ] (JavaScript's \s is wider). */
function isRe2Space(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c;
}

/**
 * Helm's SplitManifests: the documents of one file, each trimmed, in order. The text is split on the matches of
 * `(?:^|\s*\n)---\s*` (leftmost-first, non-overlapping); this scans for them directly instead of running the
 * regular expression, whose backtracking over long whitespace runs was the cost.
 */
export function splitManifests(text: string): string[] {
  const docs: string[] = [];
  const t = goTrimSpace(text);
  const n = t.length;
  const push = (d: string) => {
    if (d === '') return;
    docs.push(goTrimSpace(d));
  };
  let p = 0; // start of the current piece (end of the previous match)
  if (t.startsWith('---')) {
    let e = 3;
    while (e < n && isRe2Space(t.charCodeAt(e))) e++;
    p = e;
  }
  for (;;) {
    const i = t.indexOf('\n---', p);
    if (i < 0) break;
    // The match starts where the run of \s before this newline starts (never before p: the previous match
    // consumed every \s after its ---).
    let q = i;
    while (q > p && isRe2Space(t.charCodeAt(q - 1))) q--;
    let e = i + 4;
    while (e < n && isRe2Space(t.charCodeAt(e))) e++;
    push(t.slice(p, q));
    p = e;
  }
  push(t.slice(p));
  return docs;
}

/** The regular-expression form of splitManifests (kept as the reference for tests). */
export function splitManifestsRegexp(text: string): string[] {
  const docs: string[] = [];
  for (const d of goTrimSpace(text).split(/(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/g)) {
    if (d === '') continue;
    docs.push(goTrimSpace(d));
  }
  return docs;
}

/** Go's strings.TrimSpace (Unicode White_Space, which JavaScript's trim() matches except for U+FEFF). */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Go's strings.TrimRightFunc(s, unicode.IsSpace). */
export function goTrimRight(s: string): string {
  let end = s.length;
  while (end > 0 && isGoSpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Heads of documents already read, by document text (readHead is a pure function of the text): a chart rendered
 * again (another namespace, another region) mostly repeats its documents, the large CRDs above all. Bounded by the
 * total length of the texts held.
 */
const headCache = new Map<string, ManifestHead>();
let headCacheChars = 0;
const HEAD_CACHE_CHARS = 16 * 1024 * 1024;

/** Reads apiVersion, kind, metadata.name and metadata.annotations as Helm's SimpleHead (strict string types). */
export function readHead(doc: string): ManifestHead {
  const hit = headCache.get(doc);
  if (hit !== undefined) return hit;
  const head = readHeadUncached(doc);
  // Shared by every reader of an equal document: frozen, so that no caller can change what others see.
  if (head.annotations !== undefined) Object.freeze(head.annotations);
  Object.freeze(head);
  if (doc.length <= HEAD_CACHE_CHARS / 4) {
    if (headCacheChars + doc.length > HEAD_CACHE_CHARS) {
      headCache.clear();
      headCacheChars = 0;
    }
    headCache.set(doc, head);
    headCacheChars += doc.length;
  }
  return head;
}

function readHeadUncached(doc: string): ManifestHead {
  // Only apiVersion, kind and metadata are read; the rest of the document is checked but not built.
  const v = parseYamlHead(doc);
  if (v === null) return { apiVersion: '', kind: '', name: '', annotations: undefined };
  const unmarshalErr = (what: string, field: string) =>
    new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go ${field}`);
  if (!isMap(v)) throw unmarshalErr(jsonKindName(v), 'value of type releaseutil.SimpleHead');
  // sigs.k8s.io/yaml turns a number or bool bound for a string field into its text (`name: 123`, an unquoted
  // `helm.sh/hook-weight: 5`); only a map or list there is an error.
  const str = (x: GoValue, field: string): string => {
    if (x === null || x === undefined) return '';
    const s = scalarToString(x);
    if (s === undefined) throw unmarshalErr(jsonKindName(x), `struct field SimpleHead.${field} of type string`);
    return s;
  };
  const apiVersion = str(v.apiVersion ?? null, 'apiVersion');
  const kind = str(v.kind ?? null, 'kind');
  let name = '';
  let annotations: Record<string, string> | undefined;
  const md = v.metadata ?? null;
  if (md !== null) {
    if (!isMap(md)) throw unmarshalErr(jsonKindName(md), 'struct field SimpleHead.metadata of type struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }');
    name = str(md.name ?? null, 'metadata.name');
    const ann = md.annotations ?? null;
    if (ann !== null) {
      if (!isMap(ann)) throw unmarshalErr(jsonKindName(ann), 'struct field .metadata.annotations of type map[string]string');
      annotations = {};
      for (const [k, a] of Object.entries(ann)) {
        const s = a === null ? '' : scalarToString(a);
        if (s === undefined) throw unmarshalErr(jsonKindName(a), `struct field .metadata.annotations of type string`);
        annotations[k] = s;
      }
    }
  }
  return { apiVersion, kind, name, annotations };
}

function kindRank(order: readonly string[]): (kind: string) => number | undefined {
  const rank = new Map(order.map((k, i) => [k, i]));
  return (kind) => rank.get(kind);
}

/** Stable sort by kind: known kinds by their rank, unknown kinds after them alphabetically. */
export function sortByKind<T extends { readonly head: ManifestHead }>(items: readonly T[], order: readonly string[] = INSTALL_ORDER): T[] {
  const rank = kindRank(order);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const ka = a.item.head.kind;
      const kb = b.item.head.kind;
      const ra = rank(ka);
      const rb = rank(kb);
      if (ra === undefined && rb === undefined) {
        if (ka !== kb) return ka < kb ? -1 : 1;
      } else if (ra === undefined) return 1;
      else if (rb === undefined) return -1;
      else if (ra !== rb) return ra - rb;
      return a.index - b.index;
    })
    .map((x) => x.item);
}

/** Helm's SortManifests: files in byte order, partials and blank files skipped, hooks apart, kind order. */
export function sortManifests(files: ReadonlyMap<string, string>, order: readonly string[] = INSTALL_ORDER): { manifests: Manifest[]; hooks: Hook[] } {
  const manifests: Manifest[] = [];
  const hooks: Hook[] = [];
  const paths = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const path of paths) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base.startsWith('_')) continue;
    const text = files.get(path)!;
    if (goTrimSpace(text) === '') continue;
    for (const content of splitManifests(text)) {
      let head: ManifestHead;
      try {
        head = readHead(content);
      } catch (e) {
        throw new ManifestParseError(`YAML parse error on ${path}: ${e instanceof Error ? e.message : String(e)}`, path);
      }
      const hookAnnotation = head.annotations?.['helm.sh/hook'];
      if (hookAnnotation === undefined) {
        manifests.push({ path, content, head });
        continue;
      }
      const events: HookEvent[] = [];
      let unknown = false;
      for (const raw of hookAnnotation.split(',')) {
        const e = EVENT_NAMES[raw.trim().toLowerCase()];
        if (e === undefined) {
          unknown = true;
          break;
        }
        events.push(e);
      }
      if (unknown) continue; // Helm drops documents with an unknown hook event (it logs, we stay quiet)
      const weight = goAtoi(head.annotations?.['helm.sh/hook-weight'] ?? '');
      const deletePolicies = (head.annotations?.['helm.sh/hook-delete-policy'] ?? undefined)?.split(',').map((p) => p.trim().toLowerCase()) ?? [];
      hooks.push({ path, content, head, events, weight, deletePolicies });
    }
  }
  return { manifests: sortByKind(manifests, order), hooks: sortByKind(hooks, order) };
}

/** strconv.Atoi, 0 on any error (Helm's hook weight). */
function goAtoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) return 0;
  const n = Number(s);
  return Number.isSafeInteger(n) && Math.abs(n) <= 2 ** 63 ? n : 0;
}
