// The building blocks of the lint rules checked case by case against the real helm v4.1.4: charts are generated for
// tables of inputs, helm lints them (many paths per helm run), and each bosun function must decide as helm did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { isEmail, isRequestURL, isURL } from '../../src/lint/validators.js';
import { metadataNameProblem } from '../../src/lint/k8s.js';
import { deprecationWarning } from '../../src/lint/deprecations.js';
import { haveHelm, pool, runHelm } from './helm.js';

const skip = !haveHelm && 'helm4 missing (node scripts/fetch-tools.mjs)';

/** YAML single-quoted scalar. */
const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

function writeChart(root: string, name: string, chartYaml: string, templates: Record<string, string> = {}): void {
  mkdirSync(join(root, name, 'templates'), { recursive: true });
  writeFileSync(join(root, name, 'Chart.yaml'), chartYaml);
  writeFileSync(join(root, name, 'values.yaml'), '{}\n');
  for (const [f, text] of Object.entries(templates)) writeFileSync(join(root, name, 'templates', f), text);
}

/** helm's messages per chart from one `helm lint a b c ...` run. */
function messagesByChart(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^==> Linting (.*)$/.exec(line);
    if (m) out.set(m[1]!, (cur = []));
    else if (cur && line.startsWith('[')) cur.push(line);
  }
  return out;
}

function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-lint-rules-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const URLS = [
  'https://github.com/x', 'www.foo.com', 'foo', 'http://foo', 'http://1.2.3.4:80/x', 'http://foo_bar.com', 'https://foo.com/a b',
  'mailto:a@b.c', 'http://[::1]:80', 'http://-x.com', 'localhost:8080', 'http://x.123', 'git://foo.com/x', 'http://a..b.com',
  'ab.c', 'foo.bar/baz', 'HTTP://X.COM', 'https://x.com:99999', '//x.y/z', 'ftp://x.y/z', 'git@github.com:foo/bar',
  'https://example.com/icon.png?size=2#frag', 'https://user:pw@example.com/', 'http://例え.jp', 'https://x.com/%zz', 'data:image/png;base64,AAAA',
  'https://raw.githubusercontent.com/cert-manager/community/4d35a69/logo/logo-small.png', 'file:///tmp/x', 'abc', 'a b',
];
const EMAILS = [
  'a@b.c', 'a.b@c.d.e', 'a@b', 'a@b.c1', 'a@1.com', 'a@-b.com', 'a..b@c.com', '"a b"@c.com', 'a@b.c.', 'a@b_c.com', 'A@B.COM',
  'a@b.c-d', 'a@b.x1y', 'first.last+tag@example.co.uk', 'x@localhost', '@example.com', 'a@@b.com', 'a b@c.com', 'ä@b.com', 'a@ü.com',
];

test('lint: URL and e-mail checks decide as govalidator does in helm', { skip }, async () => {
  await withTmp(async (dir) => {
    const paths: string[] = [];
    URLS.forEach((u, i) => {
      writeChart(dir, `u${i}`, `apiVersion: v2\nname: u${i}\nversion: 1.0.0\nicon: ${sq(u)}\nmaintainers:\n- name: m\n  url: ${sq(u)}\n`);
      paths.push(`u${i}`);
    });
    EMAILS.forEach((e, i) => {
      writeChart(dir, `e${i}`, `apiVersion: v2\nname: e${i}\nversion: 1.0.0\nicon: https://x.io/i.png\nmaintainers:\n- name: m\n  email: ${sq(e)}\n`);
      paths.push(`e${i}`);
    });
    const h = await runHelm(['lint', ...paths], dir);
    const msgs = messagesByChart(h.stdout);
    const wrong: string[] = [];
    URLS.forEach((u, i) => {
      const m = msgs.get(`u${i}`)!;
      const helmRequest = !m.some((l) => l.includes('invalid icon URL'));
      const helmURL = !m.some((l) => l.includes('invalid url'));
      if (isRequestURL(u) !== helmRequest) wrong.push(`isRequestURL(${JSON.stringify(u)}) should be ${helmRequest}`);
      if (isURL(u) !== helmURL) wrong.push(`isURL(${JSON.stringify(u)}) should be ${helmURL}`);
    });
    EMAILS.forEach((e, i) => {
      const helmEmail = !msgs.get(`e${i}`)!.some((l) => l.includes('invalid email'));
      if (isEmail(e) !== helmEmail) wrong.push(`isEmail(${JSON.stringify(e)}) should be ${helmEmail}`);
    });
    assert.deepEqual(wrong, []);
  });
});

const KINDS = ['ConfigMap', 'Service', 'Namespace', 'ServiceAccount', 'Role', 'ClusterRoleBinding', 'CertificateSigningRequest', 'Deployment', 'ingress', ''];
const NAMES = ['ok', 'Bad_Name', '1abc', 'a.b', 'a/b', 'a%b/c', '%', '..', '.', 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(253), 'y'.repeat(254), '', 'a-', '-a', 'a"b', 'é', 'X'.repeat(64), 'a_'.repeat(127), 'a.'.repeat(32) + 'b', 'a.b.c'];

test('lint: object names are judged per kind as helm does', { skip }, async () => {
  await withTmp(async (dir) => {
    const templates: Record<string, string> = {};
    const docs: Array<{ file: string; kind: string; name: string }> = [];
    KINDS.forEach((kind, k) =>
      NAMES.forEach((name, n) => {
        const file = `k${k}n${n}.yaml`;
        docs.push({ file, kind, name });
        // matchLabels keeps the workload selector check quiet.
        templates[file] = `# matchLabels\napiVersion: v1\n${kind ? `kind: ${kind}\n` : ''}metadata:\n  name: ${JSON.stringify(name)}\n`;
      }),
    );
    writeChart(dir, 'names', 'apiVersion: v2\nname: names\nversion: 1.0.0\nicon: https://x.io/i.png\n', templates);
    const h = await runHelm(['lint', 'names'], dir);
    const lines = messagesByChart(h.stdout).get('names')!;
    const wrong: string[] = [];
    for (const d of docs) {
      const want = lines.filter((l) => l.startsWith(`[WARNING] templates/${d.file}: object name`)).map((l) => l.slice(`[WARNING] templates/${d.file}: `.length));
      const p = metadataNameProblem({ apiVersion: 'v1', kind: d.kind, name: d.name, namespace: '' });
      const got = p === undefined ? [] : [p];
      if (JSON.stringify(want) !== JSON.stringify(got)) wrong.push(`${d.kind || '(no kind)'} ${JSON.stringify(d.name)}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
    assert.deepEqual(wrong, []);
  });
});

/** Pairs to probe: some known deprecated ones, some that helm's scheme does not know or does not deprecate. */
const GVKS: Array<[string, string]> = [
  ['batch/v1beta1', 'CronJob'], ['extensions/v1beta1', 'Ingress'], ['networking.k8s.io/v1beta1', 'Ingress'], ['policy/v1beta1', 'PodDisruptionBudget'],
  ['policy/v1beta1', 'PodSecurityPolicy'], ['autoscaling/v2beta1', 'HorizontalPodAutoscalerList'], ['autoscaling/v2beta2', 'HorizontalPodAutoscaler'],
  ['apps/v1beta1', 'Scale'], ['resource.k8s.io/v1beta1', 'ResourceClaim'], ['resource.k8s.io/v1beta2', 'DeviceClass'],
  ['storage.k8s.io/v1alpha1', 'VolumeAttributesClass'], ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema'],
  ['admissionregistration.k8s.io/v1alpha1', 'MutatingAdmissionPolicy'], ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition'],
  ['v1', 'ConfigMap'], ['apps/v1', 'Deployment'], ['example.com/v1beta1', 'Widget'], ['rbac.authorization.k8s.io/v1alpha1', 'Role'],
  ['node.k8s.io/v1alpha1', 'RuntimeClass'], ['batch/v1beta1', ''], ['', 'CronJob'], ['certificates.k8s.io/v1beta1', 'PodCertificateRequest'],
];

test('lint: deprecated APIs are reported at the versions helm reports them', { skip }, async () => {
  await withTmp(async (dir) => {
    const templates: Record<string, string> = {};
    GVKS.forEach(([gv, kind], i) => {
      templates[`d${i}.yaml`] = `# matchLabels\n${gv ? `apiVersion: ${gv}\n` : ''}${kind ? `kind: ${kind}\n` : ''}metadata:\n  name: x\n`;
    });
    writeChart(dir, 'deps', 'apiVersion: v2\nname: deps\nversion: 1.0.0\nicon: https://x.io/i.png\n', templates);
    const versions: Array<string | undefined> = [undefined, '1.8', '1.16', '1.21', '1.22', '1.25', '1.30', '1.34', '1.36', '2.0'];
    const runs = await pool(versions, 2, (v) => runHelm(['lint', 'deps', ...(v ? ['--kube-version', v] : [])], dir));
    const wrong: string[] = [];
    versions.forEach((v, vi) => {
      const lines = messagesByChart(runs[vi]!.stdout).get('deps')!;
      const mm = v === undefined ? undefined : (v.split('.').map(Number) as [number, number]);
      GVKS.forEach(([gv, kind], i) => {
        const prefix = `[WARNING] templates/d${i}.yaml: `;
        const want = lines.filter((l) => l.startsWith(prefix) && !l.includes('object name')).map((l) => l.slice(prefix.length));
        const w = deprecationWarning(gv, kind, mm);
        const got = w === undefined ? [] : [w];
        if (JSON.stringify(want) !== JSON.stringify(got)) wrong.push(`${v ?? 'default'} ${gv} ${kind}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      });
    });
    assert.deepEqual(wrong, []);
  });
});
