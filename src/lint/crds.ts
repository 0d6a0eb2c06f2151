// The crds rule (helm's rules.Crds): when crds/ exists it must be a directory, and every CRD file of the chart and
// of its subcharts (named by its path inside its own chart, e.g. `crds/foo.yaml`) must hold plain YAML documents of
// kind CustomResourceDefinition in apiextensions.k8s.io.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ChartError } from '../chart/errors.js';
import type { Chart } from '../chart/index.js';
import { Severity, type Linter } from './support.js';
import { decodeDocuments, type K8sObject } from './k8s.js';

const DIR = 'crds/';

/** Runs the crds rule; `load` loads the chart as helm's v2 loader does. */
export async function lintCrds(linter: Linter, load: () => Promise<Chart>): Promise<void> {
  let isDir: boolean;
  try {
    isDir = statSync(join(linter.chartDir, 'crds')).isDirectory();
  } catch {
    return;
  }
  if (!linter.run(Severity.Error, DIR, isDir ? undefined : 'not a directory')) return;

  let chart: Chart;
  try {
    chart = await load();
  } catch (e) {
    linter.run(Severity.Error, DIR, e instanceof ChartError ? e.helmMessage : e instanceof Error ? e.message : String(e));
    return;
  }

  const decoder = new TextDecoder();
  for (const crd of chart.crdObjects()) {
    const objects: Array<K8sObject | null> = [];
    const err = decodeDocuments(decoder.decode(crd.file.data), (o) => objects.push(o));
    for (const o of objects) {
      if (o === null) continue;
      linter.run(Severity.Error, crd.name, o.apiVersion.startsWith('apiextensions.k8s.io') ? undefined : "apiVersion is not in 'apiextensions.k8s.io'");
      linter.run(Severity.Error, crd.name, o.kind === 'CustomResourceDefinition' ? undefined : "object kind is not 'CustomResourceDefinition'");
    }
    if (err !== undefined) {
      linter.run(Severity.Error, crd.name, `unable to parse YAML: ${err}`);
      return;
    }
  }
}
