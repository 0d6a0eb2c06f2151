// helmfile's hooks in the fleet commands, on the sandbox: which events apply, sync, diff and destroy fire for each
// target and in what order; presync failing stops the target before anything is written; postsync follows a failed
// sync with .Event.Error; hooks need --allow-exec. Each hook appends a line to a log file in the state file's folder
// (hooks run there), so the order the test reads is the order the commands ran.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bosun, openFleetSuite, writeTree, type Env } from './helpers.js';
import { api } from '../sandbox/helpers.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: ['c1'], controllerDelayMs: 20 }, 'bosun-hooks-'));
  writeTree(dir, {
    'cm/Chart.yaml': 'apiVersion: v2\nname: cm\nversion: 0.1.0\n',
    'cm/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: {{ .Values.v | default "1" | quote }}\n',
    // A kind the cluster does not serve: the install fails after its presync.
    'broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
    'broken/templates/x.yaml': 'apiVersion: example.com/v1\nkind: Nope\nmetadata:\n  name: x\n',
  });
});

after(() => close());

const kc = () => ['--kubeconfig', env.kubeconfig];

/** A hook appending `<event> <release> <extra...>` to hooks.log (relative: hooks run in the state file's folder). */
const hook = (events: string[], extra = '', command = "echo \"$*\" >> hooks.log") =>
  `      - events: [${events.join(', ')}]\n        command: sh\n        args: ["-c", ${JSON.stringify(command)}, "_", "{{ .Event.Name }}", "{{ .Release.Name }}"${extra ? `, ${JSON.stringify(extra)}` : ''}]\n`;

const ALL = ['prepare', 'preapply', 'presync', 'postsync', 'preuninstall', 'postuninstall', 'cleanup'];

function state(name: string, releases: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n${releases}`);
  return file;
}

/** The log's lines since the last call. */
function takeLog(): string[] {
  const f = join(dir, 'hooks.log');
  if (!existsSync(f)) return [];
  const lines = readFileSync(f, 'utf8').trim().split('\n');
  rmSync(f);
  return lines;
}

function readEvents(file: string): { type: string; id?: string; event?: string; hook?: string; durationMs?: number; error?: string }[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

async function hasRelease(ns: string, name: string): Promise<boolean> {
  const r = await api(env.sb, 'c1', 'GET', `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm,name%3D${name}`);
  assert.equal(r.status, 200, r.text);
  return (r.json as { items: unknown[] }).items.length > 0;
}

test('apply: prepare, preapply, presync, postsync, cleanup; a second apply with nothing to change: no presync/postsync', async () => {
  takeLog();
  const file = state('order', `  - name: a\n    namespace: hk\n    chart: ./cm\n    hooks:\n${hook(ALL, '{{ .HelmfileCommand }} {{ .Cluster.Name }} {{ .Environment.Name }}')}`);
  const eventsFile = join(dir, 'order-events.ndjson');
  const first = await bosun(['apply', '-f', file, ...kc(), '--allow-exec', '--events', eventsFile]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.deepEqual(takeLog(), ['prepare a apply c1 default', 'preapply a apply c1 default', 'presync a apply c1 default', 'postsync a apply c1 default', 'cleanup a apply c1 default']);
  // Each hook run is an event, in order, between the target's own events.
  const evs = readEvents(eventsFile).filter((e) => e.type.startsWith('hook.') || e.type.startsWith('target.'));
  assert.deepEqual(
    evs.map((e) => `${e.type} ${e.event ?? ''}`.trim()),
    ['hook.done prepare', 'hook.done preapply', 'target.start', 'hook.done presync', 'hook.done postsync', 'target.done', 'hook.done cleanup'],
  );
  for (const e of evs.filter((x) => x.type === 'hook.done')) {
    assert.equal(e.id, 'c1/hk/a');
    assert.equal(e.hook, 'sh');
    assert.equal(typeof e.durationMs, 'number');
  }
  const again = await bosun(['apply', '-f', file, ...kc(), '--allow-exec']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /Nothing to do/);
  assert.deepEqual(takeLog(), ['prepare a apply c1 default', 'preapply a apply c1 default', 'cleanup a apply c1 default']);
  // diff only prepares and cleans up.
  const diff = await bosun(['diff', '-f', file, ...kc(), '--allow-exec']);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  assert.deepEqual(takeLog(), ['prepare a diff c1 default', 'cleanup a diff c1 default']);
  // destroy: preuninstall and postuninstall around the uninstall.
  const destroy = await bosun(['destroy', '-f', file, ...kc(), '--allow-exec']);
  assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
  assert.deepEqual(takeLog(), ['prepare a destroy c1 default', 'preuninstall a destroy c1 default', 'postuninstall a destroy c1 default', 'cleanup a destroy c1 default']);
  assert.equal(await hasRelease('hk', 'a'), false);
});

test('without --allow-exec a command that would fire hooks fails before anything runs, naming the hook', async () => {
  takeLog();
  const file = state('noexec', `  - name: b\n    namespace: hk\n    chart: ./cm\n    hooks:\n${hook(['presync'])}`);
  const apply = await bosun(['apply', '-f', file, ...kc()]);
  assert.equal(apply.code, 1);
  assert.match(apply.stderr, /^Error: \S*noexec\.yaml:10: releases\[0\]\.hooks\[0\]: hook\[sh\] runs a command \(on presync\); hooks run only when commands are allowed \(--allow-exec\)$/m);
  assert.equal(await hasRelease('hk', 'b'), false);
  assert.deepEqual(takeLog(), []);
  // diff fires no presync: it needs no --allow-exec.
  const diff = await bosun(['diff', '-f', file, ...kc()]);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
});

test('a failing presync fails its target before any write and skips its dependents; the others go on', async () => {
  takeLog();
  const file = state(
    'presync-fails',
    `  - name: c\n    namespace: hk\n    chart: ./cm\n    hooks:\n${hook(['presync', 'postsync'], '', 'echo "$*" >> hooks.log; echo "no quota left" >&2; exit 3')}` +
      `  - name: d\n    namespace: hk\n    chart: ./cm\n    needs: [c]\n` +
      `  - name: e\n    namespace: hk\n    chart: ./cm\n    hooks:\n${hook(['presync', 'postsync'])}`,
  );
  const eventsFile = join(dir, 'presync-events.ndjson');
  const apply = await bosun(['apply', '-f', file, ...kc(), '--allow-exec', '--events', eventsFile]);
  assert.equal(apply.code, 1, apply.stdout + apply.stderr);
  const failed = readEvents(eventsFile).filter((e) => e.type === 'hook.failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.id, 'c1/hk/c');
  assert.equal(failed[0]!.event, 'presync');
  assert.match(String(failed[0]!.error), /hook\[sh\] \(presync\): command `sh` failed: exit status 3: no quota left/);
  assert.match(apply.stdout + apply.stderr, /presync-fails\.yaml:10: release c1\/hk\/c: hook\[sh\] \(presync\): command `sh` failed: exit status 3: no quota left/);
  assert.match(apply.stderr, /failed: c1\/hk\/c\b/);
  assert.equal(await hasRelease('hk', 'c'), false, 'no release record after a failed presync');
  assert.equal(await hasRelease('hk', 'd'), false, 'a dependent is skipped');
  assert.equal(await hasRelease('hk', 'e'), true);
  // c's postsync does not run: its sync never started. e's does.
  assert.deepEqual(takeLog().sort(), ['postsync e', 'presync c', 'presync e']);
});

test('sync: postsync follows a failed install with .Event.Error; installed: false fires the uninstall events', async () => {
  takeLog();
  const file = state(
    'postsync-error',
    `  - name: f\n    namespace: hk\n    chart: ./broken\n    hooks:\n${hook(['presync', 'postsync'], '{{ if .Event.Error }}error={{ .Event.Error }}{{ else }}ok{{ end }}')}` +
      `  - name: g\n    namespace: hk\n    chart: ./cm\n    installed: false\n    hooks:\n${hook(['presync', 'postsync', 'preuninstall', 'postuninstall'])}`,
  );
  const sync = await bosun(['sync', '-f', file, ...kc(), '--allow-exec']);
  assert.equal(sync.code, 1, sync.stdout + sync.stderr);
  const log = takeLog();
  assert.equal(log[0], 'presync f ok');
  assert.match(log.find((l) => l.startsWith('postsync f'))!, /^postsync f error=.*no matches for kind "Nope"/);
  // g is not installed anywhere: its uninstall succeeds with nothing to do, between its two hooks.
  assert.deepEqual(
    log.filter((l) => / g$/.test(l)),
    ['preuninstall g', 'postuninstall g'],
  );
});

test("showlogs prints a hook's output on standard error, prefixed with the target and event", async () => {
  const file = state('logs', `  - name: h\n    namespace: hk\n    chart: ./cm\n    hooks:\n      - events: [prepare]\n        showlogs: true\n        command: printf\n        args: ["one\\ntwo\\n"]\n`);
  const diff = await bosun(['diff', '-f', file, ...kc(), '--allow-exec']);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  assert.match(diff.stderr, /^c1\/hk\/h: hook\[prepare\] logs \| one\nc1\/hk\/h: hook\[prepare\] logs \| two$/m);
  assert.doesNotMatch(diff.stdout, /logs \|/);
});
