// Chart.yaml's kubeVersion, checked as helm checks it before rendering: against .Capabilities.KubeVersion without its
// pre-release part (a provider's v1.31.2-eks-1 meets ">=1.20.0"), a constraint that does not parse never met, the
// error naming the full version. Each pair of constraint and --kube-version (none: helm's default) is rendered by
// the real helm v4.1.4 and by bosun: the same output, or the same error line. The output also prints the version in
// each way a template can (see PRINTS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/index.js';
import { helm4 } from '../support/paths.js';

const CONSTRAINTS = ['">=1.20.0"', '">=1.40.0"', '"~1.34"', '"=1.31.2"', '"1.31.2-eks-1"', '">=1.20.0-0"', '"1.x"', '"abc"', '1200'];
const KUBE_VERSIONS = [[], ['--kube-version', '1.30'], ['--kube-version', 'v1.31.2-eks-1']];

// How .Capabilities.KubeVersion prints: its String method (pointer receiver) where text/template reaches the value
// through a pointer (a field, a variable or dot holding it), the struct's fields where a function gets a copy.
const PRINTS =
  'kind: ConfigMap\nfield: {{ .Capabilities.KubeVersion }}\nprintf: {{ printf "%v" .Capabilities.KubeVersion }}\n' +
  'print: {{ print .Capabilities.KubeVersion }}\ntoString: {{ .Capabilities.KubeVersion | toString }}\n' +
  'variable: {{ $k := .Capabilities.KubeVersion }}{{ $k }}\nwith: {{ with .Capabilities.KubeVersion }}{{ . }}{{ end }}\n' +
  'chain: {{ (.Capabilities).KubeVersion }}\npiped: {{ .Capabilities.KubeVersion | default "x" }}\nversion: {{ .Capabilities.KubeVersion.Version }}\n';

const work = mkdtempSync(join(tmpdir(), 'bosun-kube-version-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

CONSTRAINTS.forEach((constraint, i) => {
  test(`kubeVersion: ${constraint}`, { skip: !existsSync(helm4) && 'needs .tools/helm4 (npm run tools)' }, async () => {
    const chart = join(work, `c${i}`);
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), `apiVersion: v2\nname: kv\nversion: 0.1.0\nkubeVersion: ${constraint}\n`);
    writeFileSync(join(chart, 'templates', 'cm.yaml'), PRINTS);
    for (const flags of KUBE_VERSIONS) {
      const args = ['template', 'rel', chart, ...flags];
      const h = spawnSync(helm4, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
      let out = '';
      let err = '';
      const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
      const firstLine = (s: string) => s.split('\n')[0];
      assert.equal(code === 0 ? out : firstLine(err), h.status === 0 ? h.stdout : firstLine(h.stderr), `with ${flags.join(' ') || 'the default'}`);
    }
  });
});
