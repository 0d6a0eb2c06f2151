// Renders a chart given as path → content with the real rendering core, exactly as `helm template` would after the
// files were written to a directory (so .helmignore applies), formatted as helm prints it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadChart } from '../../src/chart/index.js';
import { renderChart, formatTemplateOutput } from '../../src/render/index.js';
import { newMap } from '../../src/template/value.js';

export interface RenderFilesOptions {
  releaseName: string;
  namespace: string;
}

export function writeChartDir(files: Map<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bosun-chart-'));
  const dir = join(root, 'chart');
  for (const [path, content] of files) {
    const p = join(dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export async function renderChartFiles(files: Map<string, string>, opts: RenderFilesOptions): Promise<string> {
  const dir = writeChartDir(files);
  try {
    const chart = await loadChart(dir);
    const r = renderChart(chart, newMap(), opts);
    return formatTemplateOutput(r.manifests, r.hooks);
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}
