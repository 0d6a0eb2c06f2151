// Public surface of the state layer: load a state file (bosun.yaml or helmfile.yaml, helmfile v1 semantics plus
// environment clusters) and resolve it into targets (release × cluster) with their values and the needs DAG.
//
//   const state = await loadState({ file: 'examples/platform/bosun.yaml', environment: 'prod' });
//   const { targets, graph } = resolveTargets(state, { selectors: ['tier=apps'], includeNeeds: true });
//   // graph.ready(done) → ids whose needs are all done; graph.reverse() for destroy
export { loadState, loadStateSync, State } from './load.js';
export { resolveTargets } from './targets.js';
export { StateError, formatField } from './errors.js';
export { Hooks, HookError, HOOK_EVENTS, type HookEvent, type HookRun } from './hooks.js';
export { parseSelector, matchesSelector, matchesAny, SelectorError, type Selector } from './selectors.js';
export { stateSchema, schemaPath, regexpError } from './schema.js';
export { layered } from './types.js';
export type {
  LoadOptions,
  ResolveOptions,
  Resolved,
  Target,
  TargetRelease,
  ClusterInfo,
  ChartRef,
  Repository,
  Hook,
  Cascade,
  Layered,
} from './types.js';
export { Graph, CycleError } from '../plan/graph.js';
