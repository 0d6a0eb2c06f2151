// Helm's pkg/storage over a driver: history, last and deployed revisions, and history pruning (--history-max)
// that never removes the deployed revision.
import { ReleaseNotFoundError, releaseKey, type Driver } from './driver.js';
import type { Release } from './record.js';

export class NoDeployedReleasesError extends Error {
  constructor(name: string) {
    super(`"${name}" has no deployed releases`);
  }
}

const byVersion = (a: Release, b: Release) => a.version - b.version;

export class Storage {
  constructor(readonly driver: Driver) {}

  get(name: string, version: number): Promise<Release> {
    return this.driver.get(releaseKey(name, version));
  }

  create(rls: Release): Promise<void> {
    return this.driver.create(releaseKey(rls.name, rls.version), rls);
  }

  update(rls: Release): Promise<void> {
    return this.driver.update(releaseKey(rls.name, rls.version), rls);
  }

  delete(name: string, version: number): Promise<Release> {
    return this.driver.delete(releaseKey(name, version));
  }

  /** Every revision of a release, oldest first ([] when there is none). */
  async history(name: string): Promise<Release[]> {
    try {
      return (await this.driver.query({ name, owner: 'helm' })).sort(byVersion);
    } catch (e) {
      if (e instanceof ReleaseNotFoundError) return [];
      throw e;
    }
  }

  /** The newest revision, or undefined. */
  async last(name: string): Promise<Release | undefined> {
    const h = await this.history(name);
    return h[h.length - 1];
  }

  /** The newest deployed revision, or undefined. */
  async deployed(name: string): Promise<Release | undefined> {
    let ds: Release[];
    try {
      ds = await this.driver.query({ name, owner: 'helm', status: 'deployed' });
    } catch (e) {
      if (e instanceof ReleaseNotFoundError) return undefined;
      throw e;
    }
    return ds.sort(byVersion)[ds.length - 1];
  }

  /**
   * Deletes the oldest revisions until at most `max` remain (0 = no limit), keeping the deployed one; as Helm, run
   * before a new revision is created with max = historyMax - 1. `known`: the history as the caller just read it
   * (an upgrade reads it first), instead of reading it again.
   */
  async prune(name: string, max: number, known?: readonly Release[]): Promise<void> {
    if (max < 0) return;
    const h = known ? [...known].sort(byVersion) : await this.history(name);
    if (h.length <= max) return;
    const deployed = known ? h.filter((r) => r.info.status === 'deployed').pop() : await this.deployed(name);
    const toDelete: Release[] = [];
    for (const r of h) {
      if (h.length - toDelete.length === max) break;
      if (deployed && r.version === deployed.version) continue;
      toDelete.push(r);
    }
    for (const r of toDelete) {
      try {
        await this.delete(r.name, r.version);
      } catch (e) {
        if (!(e instanceof ReleaseNotFoundError)) throw e;
      }
    }
  }
}
