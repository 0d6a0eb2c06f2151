// Public surface of the plan module. So far: the needs DAG that schedules targets (graph.ts).
export { Graph, CycleError, UnknownNodeError, type GraphNode, type DotOptions } from './graph.js';
