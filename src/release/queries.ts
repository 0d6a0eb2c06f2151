// Read-only views of stored releases: history, status, list (helm list's filters and order), values.
import { coalesceValues } from '../values/index.js';
import type { GoMap } from '../template/value.js';
import { chartFromRecord } from './chart-record.js';
import type { ReleaseContext } from './context.js';
import { ReleaseError } from './lifecycle.js';
import { parseGoTime, type Release, type ReleaseStatus } from './record.js';
import { goRegexp } from './goregexp.js';

export async function history(ctx: ReleaseContext, name: string, max = 256): Promise<Release[]> {
  const h = await ctx.storage.history(name);
  if (h.length === 0) throw new ReleaseError('release: not found');
  return h.slice(Math.max(0, h.length - max));
}

/** The newest revision, or a given one (helm status / get). */
export async function getRelease(ctx: ReleaseContext, name: string, revision = 0): Promise<Release> {
  if (revision > 0) {
    try {
      return await ctx.storage.get(name, revision);
    } catch {
      throw new ReleaseError('release: not found');
    }
  }
  const last = await ctx.storage.last(name);
  if (!last) throw new ReleaseError('release: not found');
  return last;
}

/** Values of a release: user-supplied (default) or computed (coalesced with the stored chart's values). */
export function releaseValues(rel: Release, all: boolean): GoMap | null {
  if (!all) return rel.config;
  return coalesceValues(chartFromRecord(rel.chart), rel.config);
}

export interface ListOptions {
  readonly all?: boolean;
  readonly deployed?: boolean;
  readonly failed?: boolean;
  readonly pending?: boolean;
  readonly superseded?: boolean;
  readonly uninstalled?: boolean;
  readonly uninstalling?: boolean;
  /** Go regular expression on the name. */
  readonly filter?: string;
  /** Label selector on the storage labels (name, status, owner, version and custom labels). */
  readonly selector?: string;
  readonly sortByDate?: boolean;
  readonly reverse?: boolean;
  readonly max?: number;
  readonly offset?: number;
}

/** helm list: newest revision of each release, filtered by state (default deployed + failed), sorted. */
export async function listReleases(ctx: ReleaseContext, o: ListOptions = {}): Promise<Release[]> {
  let rels = await ctx.storage.driver.list();
  if (o.filter) {
    const re = goRegexp(o.filter);
    rels = rels.filter((r) => re.test(r.name));
  }
  if (o.selector) rels = rels.filter(selectorMatcher(o.selector));
  // Newest revision per namespace/name.
  const latest = new Map<string, Release>();
  for (const r of rels) {
    const k = `${r.namespace}/${r.name}`;
    const cur = latest.get(k);
    if (!cur || cur.version < r.version) latest.set(k, r);
  }
  const states = new Set<ReleaseStatus>();
  if (o.deployed) states.add('deployed');
  if (o.failed) states.add('failed');
  if (o.pending) ['pending-install', 'pending-upgrade', 'pending-rollback'].forEach((s) => states.add(s as ReleaseStatus));
  if (o.superseded) states.add('superseded');
  if (o.uninstalled) states.add('uninstalled');
  if (o.uninstalling) states.add('uninstalling');
  if (states.size === 0 && !o.all) {
    states.add('deployed');
    states.add('failed');
  }
  let out = [...latest.values()].filter((r) => o.all || states.has(r.info.status));
  if (o.sortByDate) {
    const t = (r: Release) => parseGoTime(r.info.lastDeployed)?.date.getTime() ?? 0;
    out.sort((a, b) => t(a) - t(b) || (a.name < b.name ? -1 : 1));
  } else {
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.namespace < b.namespace ? -1 : 1));
  }
  if (o.reverse) out.reverse();
  const offset = o.offset ?? 0;
  out = out.slice(offset);
  if (o.max && o.max > 0) out = out.slice(0, o.max);
  return out;
}

/** A label selector (=, ==, !=, in, notin, exists, !exists) over a release's storage labels. */
function selectorMatcher(selector: string): (r: Release) => boolean {
  const reqs = selector
    .split(/,(?![^()]*\))/)
    .map((s) => s.trim())
    .filter(Boolean);
  const labelsOf = (r: Release): Record<string, string> => ({ ...r.labels, name: r.name, owner: 'helm', status: r.info.status, version: String(r.version) });
  return (r) => {
    const l = labelsOf(r);
    return reqs.every((q) => {
      let m: RegExpExecArray | null;
      if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(q))) {
        const v = l[m[1]!];
        return m[2] === '!=' ? v !== m[3] : v === m[3];
      }
      if ((m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(q))) {
        const set = m[3]!.split(',').map((s) => s.trim());
        const v = l[m[1]!];
        return m[2] === 'in' ? v !== undefined && set.includes(v) : v === undefined || !set.includes(v);
      }
      if (q.startsWith('!')) return l[q.slice(1)] === undefined;
      return l[q] !== undefined;
    });
  };
}
