// Public surface of the plan module: the needs DAG (graph.ts), the scheduler that runs it without barriers, the
// per-target diff, the plan object (schema/plan.schema.json) and the fleet engine behind diff/apply/sync/destroy.
export { Graph, CycleError, UnknownNodeError, type GraphNode, type DotOptions } from './graph.js';
export { schedule, type Job, type JobResult, type JobStatus, type ScheduleOptions } from './scheduler.js';
export { diffTarget, renderDigest, type DiffOptions } from './diff.js';
export { maskSecretPair, Redactor } from './mask.js';
export { makePlan, groupTargets, hasChanges, PLAN_API_VERSION, type Plan, type TargetPlan, type ObjectChange, type PlanGroup } from './types.js';
export { loadPlan, PlanError } from './planfile.js';
export { prepare, diffFleet, runFleet, checkStale, type FleetEvent, type FleetOptions, type Prepared, type RunResult } from './fleet.js';
export { formatText, formatJson, formatMarkdown, formatRunSummary, formatMetrics } from './format.js';
export { renderReport } from './report/index.js';
