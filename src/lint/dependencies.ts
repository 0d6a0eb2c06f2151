// The dependencies rule (helm's rules.Dependencies): the chart directory must load; every subchart in charts/ must be
// listed in Chart.yaml (ERROR), names and aliases must be unique (ERROR), and every listed dependency should be
// vendored in charts/ (WARNING). Findings carry the chart directory as their path.
import { ChartError } from '../chart/errors.js';
import type { Chart } from '../chart/index.js';
import { Severity, type Linter } from './support.js';

function listed(c: Chart): string[] {
  return (c.metadata.dependencies ?? []).filter((d) => d !== null).map((d) => d!.name);
}

/** Runs the dependencies rule; `load` loads the chart as helm's v2 loader does. */
export async function lintDependencies(linter: Linter, load: () => Promise<Chart>): Promise<void> {
  let chart: Chart;
  try {
    chart = await load();
  } catch (e) {
    const msg = e instanceof ChartError ? e.helmMessage : e instanceof Error ? e.message : String(e);
    linter.run(Severity.Error, '', `unable to load chart\n\t${msg}`);
    return;
  }
  const inMetadata = new Set(listed(chart));
  const notListed = chart.dependencies.map((d) => d.metadata.name).filter((n) => !inMetadata.has(n));
  linter.run(Severity.Error, linter.chartDir, notListed.length > 0 ? `chart metadata is missing these dependencies: ${notListed.join(',')}` : undefined);

  const seen = new Set<string>();
  const shadowing: string[] = [];
  for (const d of chart.metadata.dependencies ?? []) {
    if (d === null) continue;
    const key = d.alias !== '' ? d.alias : d.name;
    if (seen.has(key)) shadowing.push(key);
    seen.add(key);
  }
  linter.run(Severity.Error, linter.chartDir, shadowing.length > 0 ? `multiple dependencies with name or alias: ${shadowing.join(',')}` : undefined);

  const vendored = new Set(chart.dependencies.map((d) => d.metadata.name));
  const missing = listed(chart).filter((n) => !vendored.has(n));
  linter.run(Severity.Warning, linter.chartDir, missing.length > 0 ? `chart directory is missing these dependencies: ${missing.join(',')}` : undefined);
}
