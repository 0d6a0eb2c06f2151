// Public surface of the release module: Helm-format release records and their storage drivers (secret, configmap,
// sql, memory), and the lifecycle — install, upgrade, rollback, uninstall, test, recover — with Helm 4's semantics.
//
// A scheduler (bosun sync/destroy) calls installOrUpgrade / uninstallRelease once per target:
//
//   const ctx = await openContext({ context: 'eu', namespace: 'apps' });
//   const rel = await installOrUpgrade(ctx, { releaseName: 'web', chart, values, wait: true });
import type { Release } from './record.js';
import type { ReleaseContext } from './context.js';
import { upgrade, uninstall, type UninstallOptions, type UninstallResult, type UpgradeOptions } from './lifecycle.js';

export {
  type Release,
  type ReleaseInfo,
  type ReleaseHook,
  type ReleaseStatus,
  type ChartRecord,
  encodeRelease,
  decodeRelease,
  releaseJson,
  releaseFromJson,
  chartLabel,
  appVersion,
  isPending,
  parseGoTime,
  goNow,
  ReleaseDecodeError,
} from './record.js';
export { type Driver, MemoryDriver, ReleaseNotFoundError, ReleaseExistsError, releaseKey, filterSystemLabels } from './driver.js';
export { KubeDriver } from './kube-driver.js';
export { renderWithLookups, type LookupFn } from './lookup.js';
export { SqlDriver, closeSqlPools } from './sql-driver.js';
export { Storage } from './storage.js';
export { openContext, makeDriver, StorageConfigError, type ContextOptions, type ReleaseContext } from './context.js';
export {
  install,
  upgrade,
  rollback,
  uninstall,
  testRelease,
  recover,
  clusterCapabilities,
  ReleaseError,
  PENDING_ERROR,
  DEFAULT_TIMEOUT_MS,
  type ClusterCapabilities,
  type Prerendered,
  type InstallOptions,
  type UpgradeOptions,
  type RollbackOptions,
  type UninstallOptions,
  type UninstallResult,
  type TestOptions,
  type CommonOptions,
  type DryRun,
} from './lifecycle.js';
export { liveResources } from './live.js';
export { history, getRelease, releaseValues, listReleases, type ListOptions } from './queries.js';
export { sortHooks, type HookEventName } from './hooks.js';

/** upgrade --install for one target: installs when the release is new (or uninstalled), upgrades otherwise. */
export function installOrUpgrade(ctx: ReleaseContext, opts: Omit<UpgradeOptions, 'install'>): Promise<Release> {
  return upgrade(ctx, { ...opts, install: true });
}

/** Uninstalls one target; a release that does not exist is not an error (a scheduler's destroy is idempotent). */
export function uninstallRelease(ctx: ReleaseContext, name: string, opts: UninstallOptions = {}): Promise<UninstallResult> {
  return uninstall(ctx, name, { ignoreNotFound: true, ...opts });
}
