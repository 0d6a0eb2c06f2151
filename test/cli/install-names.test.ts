// `bosun install`'s choice of release name against the real helm v4.1.4: NAME, --generate-name (the chart
// argument's last element cut at its first dot, then the Unix time) and --name-template, with helm's errors. Client
// dry runs, so no cluster is involved; generated names are compared with their timestamp blanked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { helm4, projectRoot } from '../support/paths.js';
import { nameAndChart } from '../../src/cli/names.js';

const helmAvailable = existsSync(helm4);
const work = mkdtempSync(join(tmpdir(), 'bosun-install-names-'));
const chart = (dir: string) => {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
};
chart(join(work, 'mychart'));
chart(join(work, 'Mychart'));
const env = { ...process.env, KUBECONFIG: '/nonexistent', HOME: work, HELM_CACHE_HOME: join(work, '.hc'), HELM_CONFIG_HOME: join(work, '.hcfg'), HELM_DATA_HOME: join(work, '.hd') };
if (helmAvailable) {
  const p = spawnSync(helm4, ['package', 'mychart'], { cwd: work, encoding: 'utf8', env });
  assert.equal(p.status, 0, p.stderr);
}

/** The NAME line of a successful install, else the Error line, with any Unix time blanked; and the exit status. */
function outcome(cmd: string, args: string[], cwd = work): { line: string; status: number | null } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env });
  const line = [...r.stdout.split('\n'), ...r.stderr.split('\n')].find((l) => l.startsWith('NAME:') || l.startsWith('Error:')) ?? `(none) ${r.stderr}`;
  return { line: line.replace(/\b\d{10}\b/g, 'TS'), status: r.status };
}

const cases: { args: string[]; cwd?: string }[] = [
  { args: ['--generate-name', 'mychart'] },
  { args: ['--generate-name', 'mychart/'] },
  { args: ['--generate-name', join(work, 'mychart')] },
  { args: ['--generate-name', 'mychart-0.1.0.tgz'] },
  { args: ['--generate-name', '.'], cwd: join(work, 'mychart') },
  { args: ['--generate-name', 'Mychart'] },
  { args: ['mychart'] },
  { args: ['a', 'mychart', 'extra'] },
  { args: ['--generate-name', 'a', 'mychart'] },
  { args: ['--name-template', 'x-{{ "AB" | lower }}-{{ add 1 2 }}', 'mychart'] },
  { args: ['--name-template', 'x', '--generate-name', 'mychart'] },
  { args: ['--name-template', 'x', 'a', 'mychart'] },
  { args: ['--name-template', '{{ .x', 'mychart'] },
  { args: ['--name-template', '{{ fail "no" }}', 'mychart'] },
  { args: ['--name-template', '{{ "" }}', 'mychart'] },
  { args: ['--name-template', 'Upper', 'mychart'] },
];

for (const c of cases) {
  test(`bosun install ${c.args.join(' ')} names the release as helm does`, { skip: !helmAvailable && 'needs .tools/helm4 (npm run tools)' }, () => {
    const args = ['install', ...c.args, '--dry-run=client'];
    const h = outcome(helm4, args, c.cwd);
    const b = outcome(process.execPath, [join(projectRoot, 'bin', 'bosun.cjs'), ...args], c.cwd);
    assert.equal(b.line, h.line);
    assert.equal(b.status === 0, h.status === 0, `exit ${b.status} vs helm's ${h.status}`);
  });
}

test('--generate-name: the time is whole seconds; "" and "/" as Go reads them', () => {
  const at = 1_700_000_000_999;
  assert.deepEqual(nameAndChart(['charts/web-1.2.3.tgz'], { generateName: true }, at), { name: 'web-1-1700000000', chart: 'charts/web-1.2.3.tgz' });
  assert.equal(nameAndChart([''], { generateName: true }, at).name, 'chart-1700000000');
  assert.equal(nameAndChart(['/'], { generateName: true }, at).name, '/-1700000000');
  assert.equal(nameAndChart(['..'], { generateName: true }, at).name, '-1700000000');
});

test.after(() => rmSync(work, { recursive: true, force: true }));
