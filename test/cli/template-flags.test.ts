// `bosun template` flag by flag against the real helm v4.1.4: the same chart, the same flags, byte-identical stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/index.js';
import { helm4 } from '../support/paths.js';

const work = mkdtempSync(join(tmpdir(), 'bosun-flags-'));
const chartDir = join(work, 'demo');
const files: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "4.5"\n',
  'values.yaml': 'replicas: 2\nimage: {repo: nginx, tag: "1.25"}\nlist: [a, b]\nflag: false\nextra: {}\n',
  'crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.demo.io\n',
  'templates/NOTES.txt': 'Installed {{ .Release.Name }} in {{ .Release.Namespace }}\n',
  'templates/_helpers.tpl': '{{- define "demo.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}\n',
  'templates/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "demo.name" . }}\n  namespace: {{ .Release.Namespace }}\n' +
    'spec:\n  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n        - image: "{{ .Values.image.repo }}:{{ .Values.image.tag }}"\n' +
    '          args: {{ toJson .Values.list }}\n          env: {{- toYaml .Values.extra | nindent 12 }}\n',
  'templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  upgrade: "{{ .Release.IsUpgrade }}"\n  install: "{{ .Release.IsInstall }}"\n' +
    '  kube: "{{ .Capabilities.KubeVersion.Version }}"\n  custom: "{{ .Capabilities.APIVersions.Has "example.com/v1" }}"\n  flag: "{{ .Values.flag }}"\n' +
    '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n',
  'templates/hook.yaml':
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade\n    "helm.sh/hook-weight": "-5"\nspec: {}\n',
  'templates/tests/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\n  annotations:\n    "helm.sh/hook": test\n',
  'templates/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra-ns\n',
  // With its trailing newline, the value's closing quote lands at column 0 of the rendered manifest, which go-yaml
  // reads on (src/yaml/quoted.ts).
  'set.txt': 'from a file\n',
  'override.yaml': 'replicas: 5\nimage:\n  tag: "2.0"\n',
};
for (const [p, content] of Object.entries(files)) {
  mkdirSync(join(chartDir, p, '..'), { recursive: true });
  writeFileSync(join(chartDir, p), content);
}

const flagSets: string[][] = [
  [],
  ['-n', 'prod'],
  ['--include-crds'],
  ['--include-crds', '--skip-crds'],
  ['--no-hooks'],
  ['--skip-tests'],
  ['--is-upgrade'],
  ['--kube-version', '1.28.4', '--api-versions', 'example.com/v1'],
  ['-s', 'templates/cm.yaml'],
  ['-s', 'templates/deploy.yaml', '-s', 'templates/hook.yaml'],
  ['-f', join(chartDir, 'override.yaml')],
  ['--set', 'replicas=7,image.tag=3.0', '--set', 'list[1]=z'],
  ['--set-string', 'replicas=007'],
  ['--set-json', 'extra={"a":[1,2],"b":null}'],
  ['--set-file', `image.tag=${join(chartDir, 'set.txt')}`],
  ['--set-literal', 'image.tag=a,b=c'],
  ['--set', 'flag=true', '--set', 'replicas=null'],
  // Install and global flags that cannot change a client-side render: helm accepts them, so bosun does.
  [
    ...['--create-namespace', '--devel', '--disable-openapi-validation', '--force-conflicts', '--hide-notes', '--render-subchart-notes'],
    ...['--replace', '--rollback-on-failure', '--take-ownership', '--wait-for-jobs', '--dependency-update', '--description', 'd', '--labels', 'a=b'],
    ...['--timeout', '3m', '--server-side=true', '--wait=watcher', '--dry-run=client', '--kube-context', 'nope', '--kubeconfig', '/nonexistent'],
    ...['--qps', '5', '--burst-limit', '10', '--kube-as-group', 'g', '--kube-token', 't', '--version', '9.9.9', '--username', 'u', '--password', 'p'],
    ...['--color', 'never', '--debug'],
  ],
  ['--force-replace'],
  ['--wait', '--dry-run'],
];

const helmAvailable = existsSync(helm4);

for (const flags of flagSets) {
  test(`bosun template ${flags.join(' ') || '(defaults)'} prints what helm prints`, { skip: !helmAvailable && 'needs .tools/helm4 (npm run tools)' }, async () => {
    const args = ['template', 'rel', chartDir, ...flags];
    const h = spawnSync(helm4, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
    let out = '';
    let err = '';
    const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    assert.equal(code, h.status, `exit code; helm stderr: ${h.stderr} bosun stderr: ${err}`);
    assert.equal(out, h.stdout);
  });
}

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

test('bosun template --output-dir writes the files helm writes', { skip: !helmAvailable && 'needs .tools/helm4' }, async () => {
  const hDir = join(work, 'out-helm');
  const bDir = join(work, 'out-bosun');
  const h = spawnSync(helm4, ['template', 'rel', chartDir, '--include-crds', '--output-dir', hDir], { encoding: 'utf8' });
  assert.equal(h.status, 0, h.stderr);
  let out = '';
  const code = await main(['template', 'rel', chartDir, '--include-crds', '--output-dir', bDir], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 } });
  assert.equal(code, 0);
  assert.deepEqual(listFiles(bDir), listFiles(hDir));
  assert.equal(out, h.stdout.replaceAll(hDir, bDir));
});

test('bosun --version and --help', async () => {
  let out = '';
  assert.equal(await main(['--version'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 } }), 0);
  assert.match(out, /^\d+\.\d+\.\d+\n$/);
  out = '';
  assert.equal(await main(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 } }), 0);
  assert.match(out, /bosun template/);
});

/** Runs bosun and helm with the same arguments: exit codes, stdouts and the first stderr lines (helm's `level=` logs set aside). */
async function both(args: string[]): Promise<{ code: number; out: string; err: string; h: ReturnType<typeof spawnSync> & { stdout: string; stderr: string } }> {
  const h = spawnSync(helm4, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err, h };
}
const firstError = (stderr: string): string => stderr.split('\n').find((l) => !l.startsWith('level=')) ?? '';

test('bosun template: --dry-run and --wait alone before the positionals, and --name-template, as helm reads them', { skip: !helmAvailable && 'needs .tools/helm4' }, async () => {
  for (const args of [
    ['template', '--dry-run', '--wait', 'rel', chartDir],
    ['template', chartDir, '--name-template', 'nt-{{ "abc" | upper | lower }}-{{ add 1 2 }}'],
  ]) {
    const r = await both(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.h.status, 0, r.h.stderr);
    assert.equal(r.out, r.h.stdout, args.join(' '));
  }
});

test('bosun template: flag and name errors read as helm 4 words them', { skip: !helmAvailable && 'needs .tools/helm4' }, async () => {
  for (const args of [
    ['template', 'rel', chartDir, '--bogus'],
    ['template', 'rel', chartDir, '--bogus=1', '--other'],
    ['template', 'rel', chartDir, '-z'],
    ['template', 'rel', chartDir, '--name-template', 'x'],
    ['template', chartDir, '--name-template', '{{ nope }}'],
    ['template', chartDir, '--name-template', '{{ "ABC" }}'],
    ['template', 'Bad_Name', chartDir],
    ['template', 'rel', chartDir, '--force-replace', '--force-conflicts'],
  ]) {
    const r = await both(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.notEqual(r.h.status, 0, args.join(' '));
    assert.equal(r.out, '');
    assert.equal(r.err, firstError(r.h.stderr) + '\n', args.join(' '));
  }
});

test('bosun template: flags whose effect it cannot give yet fail naming the flag, before any output', async () => {
  for (const [flags, words] of [
    [['--dry-run=server'], '--dry-run=server'],
    [['--repo', 'https://charts.example.com'], '--repo https://charts.example.com'],
    [['--verify'], '--verify'],
    [['--post-renderer', 'p'], '--post-renderer'],
  ] as const) {
    let out = '';
    let err = '';
    const code = await main(['template', 'rel', chartDir, ...flags], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    assert.equal(code, 1, flags.join(' '));
    assert.equal(out, '');
    assert.ok(err.startsWith(`Error: ${words}`) && err.split('\n').length === 2, err);
  }
});
