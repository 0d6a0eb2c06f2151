// What every release operation works with: the cluster, the storage of the release namespace, and where progress
// goes. Built once per target by openContext; a scheduler reuses clusters across targets (Cluster.shared).
import { Cluster, type ConnectOptions } from '../kube/index.js';
import { MemoryDriver, type Driver } from './driver.js';
import { KubeDriver } from './kube-driver.js';
import { SqlDriver } from './sql-driver.js';
import { Storage } from './storage.js';

export type DriverName = 'secret' | 'secrets' | 'configmap' | 'configmaps' | 'memory' | 'sql';

export interface ContextOptions extends ConnectOptions {
  /** Release namespace (default: the context's namespace, else 'default'). */
  readonly namespace?: string;
  /** Storage driver (default HELM_DRIVER, else secret). */
  readonly driver?: string;
  /** PostgreSQL connection string for the sql driver (default HELM_DRIVER_SQL_CONNECTION_STRING). */
  readonly sqlConnectionString?: string;
  /** List across all namespaces (list -A). */
  readonly allNamespaces?: boolean;
  /** Field manager for server-side apply (default 'bosun'). */
  readonly fieldManager?: string;
  /** Progress and debug lines. */
  readonly log?: (line: string) => void;
  /** A memory driver to share across calls (driver 'memory' in tests). */
  readonly memory?: MemoryDriver;
}

export interface ReleaseContext {
  readonly cluster: Cluster;
  readonly storage: Storage;
  readonly namespace: string;
  readonly fieldManager: string;
  readonly log: (line: string) => void;
  /**
   * Namespaces that --create-namespace already applied in this run (one map per cluster, shared by the releases of
   * one fleet run); absent: every install applies its namespace.
   */
  readonly namespacesApplied?: Map<string, Promise<void>>;
}

export class StorageConfigError extends Error {}

const sharedMemory = new MemoryDriver('default');

export function makeDriver(name: string, cluster: Cluster, namespace: string, opts: ContextOptions): Driver {
  switch (name.toLowerCase()) {
    case '':
    case 'secret':
    case 'secrets':
      return new KubeDriver(cluster, 'Secret', namespace);
    case 'configmap':
    case 'configmaps':
      return new KubeDriver(cluster, 'ConfigMap', namespace);
    case 'memory':
      return (opts.memory ?? sharedMemory).withNamespace(namespace);
    case 'sql': {
      const cs = opts.sqlConnectionString ?? process.env.HELM_DRIVER_SQL_CONNECTION_STRING ?? '';
      if (!cs) throw new StorageConfigError('the sql storage driver needs HELM_DRIVER_SQL_CONNECTION_STRING');
      return new SqlDriver(cs, namespace);
    }
    default:
      throw new StorageConfigError(`unknown driver "${name}"`);
  }
}

export async function openContext(opts: ContextOptions = {}): Promise<ReleaseContext> {
  const cluster = await Cluster.shared(opts);
  const namespace = opts.namespace || cluster.namespace || 'default';
  const driver = makeDriver(opts.driver ?? process.env.HELM_DRIVER ?? 'secret', cluster, opts.allNamespaces ? '' : namespace, opts);
  return {
    cluster,
    storage: new Storage(driver),
    namespace,
    fieldManager: opts.fieldManager ?? 'bosun',
    log: opts.log ?? (() => undefined),
  };
}
