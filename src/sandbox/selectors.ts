// Label selectors (`a=b,c!=d,e in (x,y),!f`) and field selectors (`metadata.name=x`) on list and watch.
import { badRequest } from './errors.js';
import type { Obj } from './util.js';

export type Matcher = (o: Obj) => boolean;

type Req = { key: string; op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt'; values: string[] };

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

export function parseLabelSelector(sel: string): Req[] {
  const reqs: Req[] = [];
  for (const part of splitTopLevel(sel)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=<>()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '' || m![3]!.trim() === '') });
    } else if ((m = /^([^\s!=<>()]+)\s*(==|=|!=)\s*([^\s!=<>()]*)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]!] });
    } else if ((m = /^([^\s!=<>()]+)\s*(>|<)\s*(\d+)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]!] });
    } else if ((m = /^!\s*([^\s!=<>()]+)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: '!exists', values: [] });
    } else if ((m = /^([^\s!=<>()]+)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: identifier or '!'`);
    }
  }
  return reqs;
}

function matchReq(labels: Record<string, string>, r: Req): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'eq':
      return has && v === r.values[0];
    case 'neq':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'gt':
      return has && Number(v) > Number(r.values[0]);
    case 'lt':
      return has && Number(v) < Number(r.values[0]);
  }
}

export function labelMatcher(sel: string | undefined): Matcher | undefined {
  if (!sel || !sel.trim()) return undefined;
  const reqs = parseLabelSelector(sel);
  return (o) => {
    const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
    return reqs.every((r) => matchReq(labels, r));
  };
}

/** Does a LabelSelector object ({matchLabels, matchExpressions}) select these labels? */
export function selectorMatches(selector: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as Obj[]) {
    const op = String(e.operator);
    const r: Req = { key: e.key, op: op === 'In' ? 'in' : op === 'NotIn' ? 'notin' : op === 'Exists' ? 'exists' : '!exists', values: e.values ?? [] };
    if (!matchReq(l, r)) return false;
  }
  return true;
}

/** Field paths supported per kind beyond metadata.name / metadata.namespace. */
const FIELD_PATHS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Secret: ['type'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  ReplicationController: ['status.replicas'],
  Job: ['status.successful'],
  PersistentVolume: ['name'],
  CertificateSigningRequest: ['spec.signerName'],
};

function fieldValue(o: Obj, path: string): string {
  let cur: unknown = o;
  for (const p of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Obj)[p] : undefined;
  if (path === 'status.successful' && cur === undefined) cur = o.status?.succeeded;
  return cur === undefined || cur === null ? '' : String(cur);
}

export function fieldMatcher(sel: string | undefined, kind: string, plural: string): Matcher | undefined {
  if (!sel || !sel.trim()) return undefined;
  const reqs: Array<{ path: string; neg: boolean; value: string }> = [];
  for (const part of sel.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`);
    const path = m[1]!.trim();
    if (path !== 'metadata.name' && path !== 'metadata.namespace' && !(FIELD_PATHS[kind] ?? []).includes(path)) {
      throw badRequest(`field label not supported: ${path}`, { kind: plural });
    }
    reqs.push({ path, neg: m[2] === '!=', value: m[3]! });
  }
  return (o) => reqs.every((r) => (fieldValue(o, r.path) === r.value) !== r.neg);
}

export function both(a: Matcher | undefined, b: Matcher | undefined): Matcher | undefined {
  if (a && b) return (o) => a(o) && b(o);
  return a ?? b;
}
