// Bad input to `bosun template`: each case prints one clear `Error:` naming the file, exits 1, never a stack trace,
// and says what the real helm v4.1.4 says (its first stderr line is run live when .tools/helm4 exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/index.js';
import { helm4 } from '../support/paths.js';

const work = mkdtempSync(join(tmpdir(), 'bosun-bad-'));

function chart(dir: string, files: Record<string, string>): string {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(work, dir, p, '..'), { recursive: true });
    writeFileSync(join(work, dir, p), content);
  }
  return join(work, dir);
}

/** A minimal ustar writer, so the test can build archives tar tools refuse to make (paths with `..`). */
function tgz(name: string, entries: [string, string | Buffer][]): string {
  const blocks: Buffer[] = [];
  for (const [path, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const h = Buffer.alloc(512);
    h.write(path, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const file = join(work, name);
  writeFileSync(file, gzipSync(Buffer.concat(blocks)));
  return file;
}

const CHART_YAML = 'apiVersion: v2\nname: c\nversion: 0.1.0\n';

const cases: { name: string; path: () => string; mustMention: string }[] = [
  { name: 'missing chart', path: () => join(work, 'nope'), mustMention: 'nope' },
  { name: 'broken Chart.yaml', path: () => chart('broken', { 'Chart.yaml': 'apiVersion: v2\nname: [broken\nversion: 0.1.0\n' }), mustMention: 'Chart.yaml' },
  { name: 'Chart.yaml without name', path: () => chart('noname', { 'Chart.yaml': 'apiVersion: v2\nversion: 0.1.0\n' }), mustMention: 'Chart.yaml' },
  {
    name: 'template syntax error',
    path: () => chart('syntax', { 'Chart.yaml': CHART_YAML, 'templates/a.yaml': 'a: {{ .Values.x \n' }),
    mustMention: 'c/templates/a.yaml',
  },
  {
    name: 'schema violation',
    path: () =>
      chart('schema', {
        'Chart.yaml': CHART_YAML,
        'values.yaml': 'port: 80\n',
        'values.schema.json': '{"type":"object","required":["name"]}',
        'templates/a.yaml': 'a: 1\n',
      }),
    mustMention: 'schema',
  },
  {
    name: 'archive escaping its folder',
    path: () => tgz('escape.tgz', [['c/Chart.yaml', CHART_YAML], ['c/../../evil.yaml', 'x: 1\n']]),
    mustMention: 'escape.tgz',
  },
  {
    name: 'archive with a huge file',
    path: () => tgz('huge.tgz', [['c/Chart.yaml', CHART_YAML], ['c/templates/big.yaml', Buffer.alloc(6 * 1024 * 1024, 0x61)]]),
    mustMention: 'huge.tgz',
  },
];

for (const c of cases) {
  test(`bosun template: ${c.name} gives one clear error`, async () => {
    const path = c.path();
    let out = '';
    let err = '';
    const code = await main(['template', 'x', path], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    assert.equal(code, 1, 'exit code');
    assert.equal(out, '', 'nothing on stdout');
    assert.match(err, /^Error: /);
    assert.ok(!/\n\s+at /.test(err), `no stack trace:\n${err}`);
    assert.ok(err.includes(c.mustMention), `names ${c.mustMention}: ${err}`);
    if (c.name !== 'schema violation') assert.equal(err.trimEnd().split('\n').length, 1, `one line: ${err}`);
    if (existsSync(helm4)) {
      const h = spawnSync(helm4, ['template', 'x', path], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
      assert.notEqual(h.status, 0, 'helm fails too');
      // helm's own words appear in ours (bosun may add the file name in front).
      const helmFirst = h.stderr.split('\n')[0]!.replace(/^Error: /, '');
      assert.ok(err.split('\n')[0]!.includes(helmFirst), `helm says "${helmFirst}", bosun says "${err.split('\n')[0]}"`);
    }
  });
}

test('bosun template: execution errors are worded as helm 4 words them', { skip: !existsSync(helm4) && 'needs .tools/helm4' }, async () => {
  const bodies = [
    'a: {{ include "x" .Values }}\n', // a chain of template errors: helm 4's multi-line trace
    'a: {{ required "need it" .Values.q }}\n', // required/fail: execution error at (file:line:col)
    'a: {{ index .Values.l 5 }}\n', // a builtin's error: Go's one-line text
    'a: {{ include "nope" . }}\n',
  ];
  for (const [i, body] of bodies.entries()) {
    const dir = chart(`exec${i}`, { 'Chart.yaml': CHART_YAML, 'templates/_h.tpl': '{{- define "x" -}}{{ .a.b }}{{- end -}}\n', 'templates/a.yaml': body });
    let err = '';
    const code = await main(['template', 'x', dir], { stdout: { write: () => 0 }, stderr: { write: (s: string) => (err += s) } });
    const h = spawnSync(helm4, ['template', 'x', dir], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
    assert.equal(code, 1);
    // helm adds a hint about its --debug flag after a blank line; bosun keeps to the one error line.
    assert.equal(err, h.stderr.split('\n\nUse --debug')[0] + '\n', body);
  }
});

test('bosun template --debug: a failed render prints what was rendered, then the error, as helm 4 does', { skip: !existsSync(helm4) && 'needs .tools/helm4' }, async () => {
  const charts = {
    // A manifest that does not parse: every rendered file is printed (helm's order is its map's; one file here).
    yaml: chart('debug-yaml', { 'Chart.yaml': CHART_YAML, 'templates/_h.tpl': '{{- define "x" }}y{{ end }}\n', 'templates/a.yaml': 'kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: b\n  - c\n', 'templates/empty.yaml': '{{- if false }}x{{ end }}\n' }),
    // A template that fails: nothing was rendered, so an empty line.
    exec: chart('debug-exec', { 'Chart.yaml': CHART_YAML, 'templates/a.yaml': 'a: {{ fail "boom" }}\n' }),
    // The chart's kubeVersion refused: the same.
    kube: chart('debug-kube', { 'Chart.yaml': CHART_YAML + 'kubeVersion: ">=9.0"\n', 'templates/a.yaml': 'a: 1\n' }),
  };
  for (const [name, dir] of Object.entries(charts)) {
    let out = '';
    let err = '';
    const code = await main(['template', 'x', dir, '--debug'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    const h = spawnSync(helm4, ['template', 'x', dir, '--debug'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
    assert.equal(code, 1, name);
    assert.notEqual(h.status, 0, name);
    assert.equal(out, h.stdout, `${name}: stdout`);
    // helm --debug also logs `level=DEBUG` lines; the error line is the same.
    assert.equal(err, h.stderr.split('\n').filter((l) => !l.startsWith('level=')).join('\n'), `${name}: stderr`);
    // Without --debug nothing goes to stdout.
    out = '';
    await main(['template', 'x', dir], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 } });
    assert.equal(out, '', `${name}: stdout without --debug`);
  }
});
