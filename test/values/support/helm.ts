// Running the reference helm (v4.1.4 from .tools/helm4, unpacked by scripts/fetch-tools.mjs) on small charts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../chart/support/root.js';
import { DUMP_PATH, DUMP_TEMPLATE } from './dump.js';
import { copyWritable } from '../../support/copy.js';

export const HELM4 = join(PROJECT_ROOT, '.tools/helm4');
export const helmAvailable = existsSync(HELM4);

export interface HelmRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function helmTemplate(chartDir: string, args: string[] = [], cwd?: string): HelmRun {
  const r = spawnSync(HELM4, ['template', 'r', chartDir, '--namespace', 'ns1', ...args], {
    encoding: 'utf8',
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), KUBECONFIG: '/nonexistent', TZ: 'UTC', LANG: 'C' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a chart from a map of paths to contents into a fresh temp dir; returns the chart dir. */
export function writeChart(files: Record<string, string>, name = 'c'): string {
  const root = mkdtempSync(join(tmpdir(), 'bosun-chart-'));
  const dir = join(root, name);
  for (const [p, content] of Object.entries(files)) {
    const full = join(dir, p);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** Adds the values-dump template to a chart directory and every directory subchart below it. */
export function addDumpTemplates(chartDir: string): void {
  const visit = (dir: string): void => {
    const t = join(dir, DUMP_PATH);
    mkdirSync(dirname(t), { recursive: true });
    writeFileSync(t, DUMP_TEMPLATE);
    const charts = join(dir, 'charts');
    if (!existsSync(charts)) return;
    for (const n of readdirSync(charts)) {
      const sub = join(charts, n);
      if (statSync(sub).isDirectory() && existsSync(join(sub, 'Chart.yaml'))) visit(sub);
    }
  };
  visit(chartDir);
}

/** Copies a chart to a writable temp dir. */
export function copyChart(src: string): string {
  const root = mkdtempSync(join(tmpdir(), 'bosun-copy-'));
  const dir = join(root, src.split('/').pop()!);
  copyWritable(src, dir);
  return dir;
}

/** The per-chart dumps of a helm template run: source path of the chart (fullPath) → decoded dump text. */
export function parseDumps(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /# Source: (.*)\/templates\/z\/z\/z\/z\/z\/z\/z\/z\/z\/z\/bosun-values-dump\.yaml\ndump: "([A-Za-z0-9+/=]*)"/g;
  for (const m of stdout.matchAll(re)) out.set(m[1]!, Buffer.from(m[2]!, 'base64').toString('utf8'));
  return out;
}

export function removeTemp(dir: string): void {
  rmSync(dirname(dir), { recursive: true, force: true });
}
