// Templating as helmfile v1 does it (docs/templating.md, docs/templating_funcs.md, docs/writing-helmfile.md
// "Layering State Template Files"): only .gotmpl files are templates; `---` parts render in order with the
// environment accumulated so far; state functions; release values files rendered per target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadStateSync } from '../../src/state/index.js';
import { tree, targetsOf, byId, ids, plain, throwsState, chartFiles } from './support.js';

const C = chartFiles('c');

test('a plain .yaml state file is not a template: expressions stay text in values', () => {
  // helmfile v1: "only files with the .gotmpl extension are rendered" (docs/templating.md).
  const dir = tree({ ...C, 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - greeting: "{{ .Values.x }}"\n' });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values), { greeting: '{{ .Values.x }}' });
});

test('parts render in order with the environment accumulated so far', () => {
  // docs/writing-helmfile.md "Layering State Template Files": each part sees the .Values of the parts before it.
  const dir = tree({
    ...C,
    'bosun.yaml.gotmpl': [
      'environments:',
      '  prod:',
      '    values:',
      '      - name: shop',
      '        wait: false',
      '---',
      'helmDefaults:',
      '  wait: {{ .Values.wait }}',
      '---',
      'releases:',
      '  - name: {{ .Values.name }}-{{ .Environment.Name }}',
      '    chart: ./charts/c',
      '',
    ].join('\n'),
  });
  const [t] = targetsOf(dir, { environment: 'prod' });
  assert.equal(t!.id, 'default//shop-prod');
  assert.equal(t!.release.wait, false);
});

test('a part cannot see environment values it defines itself (they arrive in the next part)', () => {
  // helmfile: "environments section should be separated from releases with ---" (docs/index.md, Environment).
  const dir = tree({ 'bosun.yaml.gotmpl': 'environments:\n  prod:\n    values:\n      - name: shop\nreleases:\n  - name: {{ .Values.name }}\n    chart: x/y\n' });
  throwsState(() => loadStateSync({ cwd: dir, environment: 'prod' }), { file: 'bosun.yaml.gotmpl', line: 6, message: /map has no entry for key "name"/ });
});

test('.Environment, .StateValues and .Namespace are available; missing keys are errors', () => {
  const dir = tree({
    ...C,
    'bosun.yaml.gotmpl':
      'environments:\n  prod:\n    kubeContext: ctx-prod\n    values: [{region: eu}]\n---\nreleases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - ctx: {{ .Environment.KubeContext }}\n        region: {{ .StateValues.region }}\n        envRegion: {{ .Environment.Values.region }}\n        ns: "{{ .Namespace }}"\n',
  });
  assert.deepEqual(plain(targetsOf(dir, { environment: 'prod' })[0]!.values), { ctx: 'ctx-prod', region: 'eu', envRegion: 'eu', ns: '' });
  const bad = tree({ 'bosun.yaml.gotmpl': 'releases:\n  - name: {{ .Values.nope }}\n' });
  throwsState(() => loadStateSync({ cwd: bad }), { file: 'bosun.yaml.gotmpl', line: 2, message: /template: at <\.Values\.nope>: map has no entry for key "nope"/ });
});

test('state values keep Go ints (go-yaml v3), so big integers print whole', () => {
  const dir = tree({ ...C, 'bosun.yaml.gotmpl': 'values:\n  - big: 1000000\n    f: 1.5\n---\nreleases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - text: "{{ .Values.big }} {{ .Values.f }} {{ printf "%T" .Values.big }}"\n' });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values), { text: '1000000 1.5 int' });
});

test('state functions: env, requiredEnv, expandenv, readFile, readDir, readDirEntries, isFile', () => {
  const dir = tree({
    ...C,
    'conf/a.txt': 'A',
    'conf/b.txt': 'B',
    'conf/sub/x': '',
    'bosun.yaml.gotmpl': [
      'releases:',
      '  - name: a',
      '    chart: ./charts/c',
      '    values:',
      '      - home: {{ env "APP_HOME" }}',
      '        unset: "{{ env "NOT_SET" }}"',
      '        user: {{ requiredEnv "APP_USER" }}',
      '        expanded: {{ expandenv "$APP_USER@${APP_HOME}" }}',
      '        file: {{ readFile "conf/a.txt" }}',
      '        files: {{ readDir "conf" | toJson }}',
      '        dirs: [{{ range readDirEntries "conf" }}{{ if .IsDir }}{{ .Name }}{{ end }}{{ end }}]',
      '        isFile: {{ isFile "conf/a.txt" }}',
      '',
    ].join('\n'),
  });
  const [t] = targetsOf(dir, { env: { APP_HOME: '/srv', APP_USER: 'bob' } });
  assert.deepEqual(plain(t!.values), {
    home: '/srv',
    unset: '',
    user: 'bob',
    expanded: 'bob@/srv',
    file: 'A',
    files: ['conf/a.txt', 'conf/b.txt'],
    dirs: ['sub'],
    isFile: true,
  });
  throwsState(() => targetsOf(dir, { env: {} }), { file: 'bosun.yaml.gotmpl', line: 7, message: /required env var `APP_USER` is not set/ });
});

test('exec runs only when allowed', () => {
  const dir = tree({ ...C, 'bosun.yaml.gotmpl': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - out: {{ exec "echo" (list "hello") | trim }}\n' });
  throwsState(() => loadStateSync({ cwd: dir }), { line: 5, message: /running "echo" is not allowed.*--allow-exec/ });
  assert.deepEqual(plain(targetsOf(dir, { allowExec: true })[0]!.values), { out: 'hello' });
});

test('toYaml (not trimmed), fromYaml, get, getOrNil, setValueAtPath, tpl, required', () => {
  const dir = tree({
    ...C,
    'bosun.yaml.gotmpl': [
      'values:',
      '  - m: {a: 1}',
      '    s: "k: v"',
      '---',
      'releases:',
      '  - name: a',
      '    chart: ./charts/c',
      '    values:',
      '      - y: {{ toYaml .Values.m | quote }}',
      '        parsed: {{ (fromYaml .Values.s).k }}',
      '        got: {{ .Values | get "m.a" }}',
      '        dflt: {{ .Values | get "m.zz" "fallback" }}',
      '        nil: "{{ .Values | getOrNil "nope.deeper" }}"',
      '        set: {{ (setValueAtPath "m.a" 2 .Values).m.a }}',
      '        tpl: {{ tpl "{{ .x }}!" (dict "x" "hi") }}',
      '        req: {{ required "need s" .Values.s | quote }}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values), { y: 'a: 1\n', parsed: 'v', got: 1, dflt: 'fallback', nil: '<no value>', set: 2, tpl: 'hi!', req: 'k: v' });
  // get without a default fails on a missing key (helmfile pkg/tmpl/get_or_nil.go).
  const bad = tree({ 'bosun.yaml.gotmpl': 'values: [{m: {}}]\n---\nreleases:\n  - name: {{ .Values | get "m.x" }}\n' });
  throwsState(() => loadStateSync({ cwd: bad }), { line: 4, message: /no value exist for key "x"/ });
  const req = tree({ 'bosun.yaml.gotmpl': 'releases:\n  - name: {{ required "a name is required" "" }}\n' });
  throwsState(() => loadStateSync({ cwd: req }), { line: 2, message: /a name is required/ });
});

test('include uses _*.tpl partials next to the state file', () => {
  const dir = tree({
    ...C,
    '_helpers.tpl': '{{- define "labels" -}}\napp: shop\nenv: {{ .Environment.Name }}\n{{- end -}}\n',
    'bosun.yaml.gotmpl': 'releases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - labels:\n          {{- include "labels" . | nindent 10 }}\n',
  });
  assert.deepEqual(plain(targetsOf(dir)[0]!.values), { labels: { app: 'shop', env: 'default' } });
});

test('environment values .gotmpl files render with the environment of the parts before', () => {
  const dir = tree({
    ...C,
    'base.yaml': 'domain: example.com\n',
    'prod.yaml.gotmpl': 'host: shop.{{ .Values.domain }}\n',
    'bosun.yaml.gotmpl': 'values: [base.yaml]\n---\nenvironments:\n  prod:\n    values: [prod.yaml.gotmpl]\n---\nreleases:\n  - name: a\n    chart: ./charts/c\n    values:\n      - host: {{ .Values.host }}\n',
  });
  assert.deepEqual(plain(targetsOf(dir, { environment: 'prod' })[0]!.values), { host: 'shop.example.com' });
});

test('release values .gotmpl files see .Release, .Values, .Environment and .Cluster', () => {
  const dir = tree({
    ...C,
    'values.yaml.gotmpl': [
      'release: {{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Release.Chart }}/{{ .Release.Labels.tier }}',
      'env: {{ .Environment.Name }}',
      'domain: {{ .Values.domain }}',
      'cluster: {{ .Cluster.Name }}/{{ .Cluster.KubeContext }}/{{ .Cluster.Labels.region }}/{{ .Cluster.Values.domain }}',
      '',
    ].join('\n'),
    'bosun.yaml': [
      'environments:',
      '  prod:',
      '    values: [{domain: example.com}]',
      '    clusters:',
      '      - name: eu-1',
      '        kubeContext: ctx-eu',
      '        labels: {region: eu}',
      '        values: [{domain: eu.example.com}]',
      'releases:',
      '  - name: shop',
      '    namespace: apps',
      '    chart: ./charts/c',
      '    labels: {tier: web}',
      '    values: [values.yaml.gotmpl]',
      '',
    ].join('\n'),
  });
  const [t] = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(plain(t!.values), {
    release: 'shop/apps/./charts/c/web',
    env: 'prod',
    domain: 'eu.example.com',
    cluster: 'eu-1/ctx-eu/eu/eu.example.com',
  });
});

test('release fields render per target with .Release (escaped templates in .gotmpl, plain ones in .yaml)', () => {
  // docs/writing-helmfile.md "Release Template": chart: stable/{{`{{ .Release.Name }}`}} renders with the release.
  const gotmpl = tree({
    ...chartFiles('shop'),
    'shop.yaml': 'x: 1\n',
    'bosun.yaml.gotmpl':
      'templates:\n  t:\n    chart: ./charts/{{`{{ .Release.Name }}`}}\n    values:\n      - "{{`{{ .Release.Name }}`}}.yaml"\nreleases:\n  - name: shop\n    inherit: [{template: t}]\n',
  });
  const [t] = targetsOf(gotmpl);
  assert.deepEqual(t!.release.chartRef, { kind: 'local', path: join(gotmpl, 'charts', 'shop') });
  assert.equal(t!.release.chart, join(gotmpl, 'charts', 'shop'));
  assert.deepEqual(plain(t!.values), { x: 1 });
  const yaml = tree({ ...chartFiles('shop'), 'bosun.yaml': 'releases:\n  - name: shop\n    namespace: "{{ .Release.Name }}-ns"\n    chart: ./charts/{{ .Release.Name }}\n' });
  assert.equal(targetsOf(yaml)[0]!.id, 'default/shop-ns/shop');
});

test('valuesTemplate, setTemplate, installedTemplate and conditionTemplate render per cluster', () => {
  const dir = tree({
    ...C,
    'bosun.yaml': [
      'environments:',
      '  prod:',
      '    clusters:',
      '      - {name: a, labels: {tier: edge}, values: [{on: true}]}',
      '      - {name: b, values: [{on: false}]}',
      'releases:',
      '  - name: r',
      '    chart: ./charts/c',
      '    valuesTemplate:',
      '      - where: "{{ .Cluster.Name }}"',
      '    setTemplate:',
      '      - name: release',
      '        value: "{{ .Release.Name }}"',
      '    installedTemplate: "{{ .Values.on }}"',
      '  - name: edge-only',
      '    chart: ./charts/c',
      '    conditionTemplate: \'{{ eq (index .Cluster.Labels "tier" | default "") "edge" }}\'',
      '',
    ].join('\n'),
  });
  const ts = targetsOf(dir, { environment: 'prod' });
  assert.deepEqual(ids(ts), ['a//r', 'b//r', 'a//edge-only']);
  assert.deepEqual(plain(byId(ts, 'a//r').values), { where: 'a', release: 'r' });
  assert.equal(byId(ts, 'a//r').release.installed, true);
  assert.equal(byId(ts, 'b//r').release.installed, false);
});

test('a template error in a release values .gotmpl names that file and line', () => {
  const dir = tree({ ...C, 'v.yaml.gotmpl': 'a: 1\nb: {{ .Values.missing }}\n', 'bosun.yaml': 'releases:\n  - name: a\n    chart: ./charts/c\n    values: [v.yaml.gotmpl]\n' });
  throwsState(() => targetsOf(dir), { file: 'v.yaml.gotmpl', line: 2, message: /map has no entry for key "missing"/ });
});
