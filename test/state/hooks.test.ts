// helmfile's hooks outside a cluster: `bosun template` over a state file fires prepare and cleanup (global hooks
// around the targets' own), renders command and args with the target's data when they fire, runs them in the state
// file's folder, and reports a failing hook (or one that cannot run as written) with its file, line and field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bosun } from '../plan/helpers.js';
import { chartFiles, tree } from './support.js';

/** A hook appending its arguments to hooks.log in the state file's folder. */
const logHook = (events: string, args: string) => `{events: [${events}], command: sh, args: ["-c", 'echo "$*" >> hooks.log', "_", ${args}]}`;

const chart = {
  ...chartFiles('app'),
  'charts/app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
};

function stateTree(releasesAndMore: string): string {
  return tree({
    ...chart,
    'bosun.yaml': `environments:\n  staging:\n    values: [{region: eu}]\n    clusters: [{name: east}, {name: west}]\n${releasesAndMore}`,
  });
}

const log = (dir: string) => (existsSync(join(dir, 'hooks.log')) ? readFileSync(join(dir, 'hooks.log'), 'utf8').trim().split('\n') : []);

test('template fires global prepare, then each target\'s prepare in needs order, then their cleanup and the global cleanup', async () => {
  const dir = stateTree(
    `hooks:\n  - ${logHook('prepare, cleanup', '"global {{ .Event.Name }} {{ .Environment.Name }} {{ .Values.region }} {{ .HelmfileCommand }}"')}\n` +
      `releases:\n` +
      `  - name: web\n    namespace: apps\n    chart: ./charts/app\n    needs: [apps/db]\n    hooks:\n      - ${logHook('prepare, cleanup, presync', '"{{ .Event.Name }} {{ .Release.Name }} {{ .Release.Namespace }} {{ .Cluster.Name }} {{ .Values.region }}"')}\n` +
      `  - name: db\n    namespace: apps\n    chart: ./charts/app\n    hooks:\n      - ${logHook('prepare', '"{{ .Event.Name }} {{ .Release.Name }} {{ .Cluster.Name }}"')}\n`,
  );
  const r = await bosun(['template', '-f', join(dir, 'bosun.yaml'), '-e', 'staging', '--allow-exec']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /# Target: east\/apps\/web/);
  assert.deepEqual(log(dir), [
    'global prepare staging eu template',
    'prepare db east',
    'prepare web apps east eu',
    'prepare db west',
    'prepare web apps west eu',
    'cleanup web apps east eu',
    'cleanup web apps west eu',
    'global cleanup staging eu template',
  ]);
});

test('without --allow-exec, template refuses before running or rendering anything; hooks of other events do not count', async () => {
  const dir = stateTree(`releases:\n  - name: web\n    chart: ./charts/app\n    hooks:\n      - ${logHook('presync', '"x"')}\n      - ${logHook('cleanup', '"y"')}\n`);
  const r = await bosun(['template', '-f', join(dir, 'bosun.yaml'), '-e', 'staging']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Error: \S*bosun\.yaml:10: releases\[0\]\.hooks\[1\]: hook\[sh\] runs a command \(on cleanup\); hooks run only when commands are allowed \(--allow-exec\)\n$/);
  assert.deepEqual(log(dir), []);
});

test('a failing prepare hook stops the command with its exit status and standard error; cleanup still runs for the targets prepared', async () => {
  const dir = stateTree(
    `releases:\n  - name: web\n    chart: ./charts/app\n    hooks:\n` +
      `      - {name: gen, events: [prepare], command: sh, args: ["-c", 'echo "$0 $1" >> hooks.log; echo "chart generation failed" >&2; exit 4', "{{ .Event.Name }}", "{{ .Cluster.Name }}"]}\n` +
      `      - ${logHook('cleanup', '"cleanup {{ .Cluster.Name }}"')}\n`,
  );
  const r = await bosun(['template', '-f', join(dir, 'bosun.yaml'), '-e', 'staging', '--allow-exec']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Error: \S*bosun\.yaml:9: release east\/\/web: hook\[gen\] \(prepare\): command `sh` failed: exit status 4: chart generation failed\n$/);
  // east failed in prepare (west was never prepared); east is cleaned up.
  assert.deepEqual(log(dir), ['prepare east', 'cleanup east']);
});

test('a command that does not exist, and a template error in an argument, name the hook', async () => {
  const missing = stateTree(`releases:\n  - name: web\n    chart: ./charts/app\n    hooks:\n      - {events: [prepare], command: no-such-command-bosun}\n`);
  const r1 = await bosun(['template', '-f', join(missing, 'bosun.yaml'), '-e', 'staging', '--allow-exec']);
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /hook\[no-such-command-bosun\] \(prepare\): command `no-such-command-bosun` failed: exec: "no-such-command-bosun": executable file not found in \$PATH\n$/);

  const bad = stateTree(`releases:\n  - name: web\n    chart: ./charts/app\n    hooks:\n      - events: [prepare]\n        command: echo\n        args:\n          - "{{ .Release.Nope.Deeper }}"\n`);
  const r2 = await bosun(['template', '-f', join(bad, 'bosun.yaml'), '-e', 'staging', '--allow-exec']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /^Error: \S*bosun\.yaml:12: release east\/\/web: hook\[echo\] \(prepare\): releases\[0\]\.hooks\[0\]\.args\[0\]: template: at <\.Release\.Nope\.Deeper>: map has no entry for key "Nope"\n$/);
});

test('hooks written wrongly are refused when the state is read: an unknown event, kubectlApply with both forms', async () => {
  const unknown = stateTree(`releases:\n  - name: web\n    chart: ./charts/app\n    hooks:\n      - {events: [postapply], command: echo}\n`);
  const r1 = await bosun(['template', '-f', join(unknown, 'bosun.yaml'), '-e', 'staging']);
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /^Error: \S*bosun\.yaml:9: releases\[0\]\.hooks\[0\]\.events\[0\]: must be one of prepare, preapply, presync, preuninstall, postuninstall, postsync, cleanup\n$/);

  const both = stateTree(`releases:\n  - name: web\n    chart: ./charts/app\n    hooks:\n      - {events: [prepare], kubectlApply: {filename: a.yaml, kustomize: ./k}}\n`);
  const r2 = await bosun(['template', '-f', join(both, 'bosun.yaml'), '-e', 'staging', '--allow-exec']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /bosun\.yaml:9: releases\[0\]\.hooks\[0\]: hook\[kubectlApply\]: kustomize & filename cannot be used together\n$/);
});
