// The `.Values` of every chart in a render, as Helm computes them for `helm template` / install:
// ProcessDependencies (conditions, tags, aliases, import-values), CoalesceValues of the user's values with the
// processed chart tree, values.schema.json validation, then each subchart sees its parent's `Values.<name>`.
import { type GoMap, GO_TYPE, isMap, newMap } from '../template/value.js';
import type { Chart } from '../chart/index.js';
import { coalesceValues, CoalesceError, type Warn } from './coalesce.js';
import { processDependencies, checkDependencies } from './dependencies.js';
import { validateAgainstSchema } from './schema.js';

/** Go type of the root .Values and of each subchart's .Values. */
export const VALUES_TYPE = 'common.Values';

export interface RenderValuesOptions {
  /** --skip-schema-validation */
  skipSchemaValidation?: boolean;
  /** Skip Helm's check that every Chart.yaml dependency is vendored under charts/ (helm template/install do it). */
  skipDependencyCheck?: boolean;
  /** Receives coalesce and dependency warnings (Helm logs them); collected into the result as well. */
  warn?: Warn;
}

export interface RenderValues {
  /** The chart tree after dependency processing: disabled subcharts removed, aliases applied, values imported. */
  chart: Chart;
  /** The root chart's coalesced values (subcharts' values under their names), typed common.Values. */
  values: GoMap;
  /** `.Values` for every chart of the processed tree (root included), keyed by Chart object. */
  chartValues: Map<Chart, GoMap>;
  /** Warnings in the order Helm would log them. */
  warnings: string[];
}

/**
 * A common.Values view of a map that is also held inside its parent's values: reads and writes go to the same map
 * (as in Go, where Table() converts without copying), while %T / typeOf see common.Values.
 */
export function valuesView(m: GoMap): GoMap {
  if (m[GO_TYPE] === VALUES_TYPE) return m;
  return new Proxy(m, {
    get(target, prop, receiver) {
      if (prop === GO_TYPE) return VALUES_TYPE;
      return Reflect.get(target, prop, receiver);
    },
  });
}

function tag(m: GoMap): GoMap {
  Object.defineProperty(m, GO_TYPE, { value: VALUES_TYPE, enumerable: false, writable: true, configurable: true });
  return m;
}

/**
 * ToRenderValues for a loaded chart and the user's values (from mergeUserValues), preceded by helm's check that the
 * chart's dependencies are present. Throws Error (missing dependencies), CoalesceError (a subchart's values are not a
 * map) or SchemaValidationError (values fail a chart's schema).
 */
export function toRenderValues(chart: Chart, userValues: GoMap, opts: RenderValuesOptions = {}): RenderValues {
  const warnings: string[] = [];
  const warn: Warn = (m) => {
    warnings.push(m);
    opts.warn?.(m);
  };
  if (!opts.skipDependencyCheck) checkDependencies(chart);
  let processed: Chart;
  try {
    processed = processDependencies(chart, userValues, warn);
  } catch (e) {
    if (e instanceof CoalesceError) throw new CoalesceError(`chart dependencies processing failed: ${e.message}`, { cause: e });
    throw e;
  }
  const vals = tag(coalesceValues(processed, userValues, warn));
  if (!opts.skipSchemaValidation) validateAgainstSchema(processed, vals);
  const chartValues = new Map<Chart, GoMap>();
  const visit = (c: Chart, v: GoMap): void => {
    chartValues.set(c, v);
    for (const sub of c.dependencies) {
      const own = Object.prototype.hasOwnProperty.call(v, sub.name) ? v[sub.name]! : null;
      visit(sub, own !== null && isMap(own) ? valuesView(own) : tag(newMap()));
    }
  };
  visit(processed, vals);
  return { chart: processed, values: vals, chartValues, warnings };
}
