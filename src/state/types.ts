// Public types of the state layer.
import type { GoMap } from '../template/value.js';
import type { Graph } from '../plan/graph.js';
import type { Hooks } from './hooks.js';

export interface LoadOptions {
  /**
   * The state file, or a directory holding one (bosun.yaml, bosun.yaml.gotmpl, helmfile.yaml, helmfile.yaml.gotmpl,
   * or helmfile.d/ whose *.yaml and *.yaml.gotmpl files are loaded in order). Default: that search in `cwd`.
   */
  file?: string;
  /** -e/--environment; default `default`. */
  environment?: string;
  /** --state-values-set entries (Helm --set syntax), applied after the files. */
  stateValuesSet?: string[];
  /** --state-values-file paths (relative to cwd). */
  stateValuesFiles?: string[];
  /** Lets `exec`/`envExec` in templates run commands (off by default). */
  allowExec?: boolean;
  /** Working directory for relative paths given here; default process.cwd(). */
  cwd?: string;
  /** Environment variables seen by `env`/`requiredEnv`; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ResolveOptions {
  /** -l/--selector, each `k=v,k2!=v2`; any one may match. Implicit labels: name, namespace, chart, cluster. */
  selectors?: string[];
  /** --include-needs: add the direct needs of the selected targets. */
  includeNeeds?: boolean;
  /** --include-transitive-needs: add their needs transitively. */
  includeTransitiveNeeds?: boolean;
  /**
   * --skip-needs: with selectors, drop needs on targets that are not selected (the default unless an include flag is
   * given). `false` without an include flag makes such a need an error.
   */
  skipNeeds?: boolean;
}

export interface ClusterInfo {
  name: string;
  kubeContext: string;
  labels: Record<string, string>;
}

export interface Repository {
  name: string;
  url?: string;
  oci?: boolean;
  [option: string]: unknown;
}

/** Where a chart comes from. */
export type ChartRef =
  | { kind: 'local'; path: string }
  | { kind: 'repo'; repo: string; name: string; url?: string; oci?: boolean }
  | { kind: 'oci'; ref: string };

export interface Hook {
  name?: string;
  events?: string[];
  command?: string;
  args?: string[];
  showlogs?: boolean;
  [option: string]: unknown;
}

/** helm's --cascade values: how the dependents of deleted objects are deleted. */
export const CASCADES = ['background', 'foreground', 'orphan'] as const;
export type Cascade = (typeof CASCADES)[number];

export function isCascade(v: unknown): v is Cascade {
  return (CASCADES as readonly unknown[]).includes(v);
}

/**
 * A setting with a command-line flag between the release's own value and helmDefaults' (helmfile's order for
 * cascade and suppressOutputLineRegex: the release, then the flag, then helmDefaults). `layered` resolves it.
 */
export interface Layered<T> {
  readonly release?: T;
  readonly defaults?: T;
}

/** The value of a layered setting given the command line's (undefined when the flag is not given). */
export function layered<T>(setting: Layered<T>, flag: T | undefined): T | undefined {
  return setting.release ?? flag ?? setting.defaults;
}

/** A release as one target deploys it: every field resolved, helmDefaults applied. */
export interface TargetRelease {
  name: string;
  /** Empty when the state leaves it to Helm's default. */
  namespace: string;
  /** The chart: an absolute path for a local chart, otherwise as written (`repo/name`, `oci://...`). */
  chart: string;
  chartRef: ChartRef;
  /** Chart name without repository, as the `chart` selector label sees it. */
  chartName: string;
  version?: string;
  /** Release labels with commonLabels (they win, as in helmfile). */
  labels: Record<string, string>;
  /** Target ids this target needs (only those among the returned targets). */
  needs: string[];
  installed: boolean;
  wait: boolean;
  waitForJobs: boolean;
  /** Seconds. */
  timeout: number;
  /** atomic, or rollbackOnFailure (Helm 4's name for it). */
  atomic: boolean;
  createNamespace: boolean;
  force: boolean;
  recreatePods: boolean;
  cleanupOnFail: boolean;
  historyMax: number;
  verify: boolean;
  skipSchemaValidation: boolean;
  skipCRDs: boolean;
  skipDeps: boolean;
  devel: boolean;
  reuseValues: boolean;
  takeOwnership: boolean;
  /** Server-side apply takes fields other managers own (helm's --force-conflicts). */
  forceConflicts: boolean;
  enableDNS: boolean;
  deleteWait: boolean;
  deleteTimeout: number;
  /** Deletion propagation when uninstalled (helm --cascade). */
  cascade: Layered<Cascade>;
  /** Object diffs are left out of diff output (the changes still count). */
  suppressDiff: boolean;
  /** Go regular expressions: matching diff lines are left out of diff output. */
  suppressOutputLineRegex: Layered<readonly string[]>;
  /** The release's labels go onto its release record (helm --labels). */
  syncReleaseLabels: boolean;
  /** Diff objects of kinds the cluster does not serve as new (unset: disableValidationOnInstall decides). */
  disableValidation?: boolean;
  /** disableValidation while the release is not installed. */
  disableValidationOnInstall: boolean;
  kubeVersion?: string;
  apiVersions: string[];
  description?: string;
  /** Encrypted values files (absolute paths), recorded for later decryption. */
  secrets: string[];
  hooks: Hook[];
}

/** One release × cluster. */
export interface Target {
  /** `cluster/namespace/name` (namespace empty when unset: `cluster//name`). */
  id: string;
  cluster: ClusterInfo;
  release: TargetRelease;
  /**
   * The user values as Helm computes them from the -f files and --set flags helmfile would pass (numbers float64,
   * ready for coalescing with the chart's values).
   */
  values: GoMap;
  /** Where the values came from, in order: absolute paths, or `<inline>` with the state file and line. */
  valuesSources: string[];
  /** The state values (.Values) of this release's state file in this cluster. */
  stateValues: GoMap;
  /** The state file (as displayed) and line of the release. */
  source: { file: string; line: number };
  /** Whether the target matched the selectors (false: it was added as a need). */
  selected: boolean;
}

export interface Resolved {
  targets: Target[];
  /** The needs DAG over the target ids. */
  graph: Graph;
  /** The hooks of these targets and of the state files, to fire as the command goes (see hooks.ts). */
  hooks: Hooks;
}
