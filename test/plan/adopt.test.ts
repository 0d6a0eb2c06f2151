// Releases that the real helm installed, then diffed and applied by bosun. helm 3 applies client-side (its field
// manager `helm` owns the object's fields, defaults included, through an `Update` entry); helm 4 installs
// server-side (an `Apply` entry of `helm`). bosun applies as `bosun`: unless it adopts helm's entry, a field the chart
// no longer sets stays in the cluster, still owned by helm. The expected state is the real helm 4's: the same
// upgrade of a twin release, made by helm 4 itself, on the same sandbox.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { bosun, DEPLOYMENT_TEMPLATE, openFleetSuite, writeTree, type Env } from './helpers.js';
import { api, haveTool, helm } from '../release/helpers.js';

let env: Env;
let dir: string;
let close: () => Promise<void>;

/** A ConfigMap and a Deployment; `old` adds a data key and an environment variable, which the new chart drops. */
const chart = (old: boolean) => ({
  'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: "1"\n${old ? '  b: "2"\n' : ''}`,
  // stringData, which the server writes into data: helm never removes a data key behind it, and bosun neither.
  'templates/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\nstringData:\n  s: one\n${old ? '  t: two\n' : ''}`,
  // DEPLOYMENT_TEMPLATE's container, with environment variables.
  'templates/deploy.yaml': `${DEPLOYMENT_TEMPLATE}          env:\n${old ? '            - {name: FOO, value: "1"}\n' : ''}            - {name: BAR, value: "2"}\n`,
});

before(async () => {
  ({ env, dir, close } = await openFleetSuite({ clusters: ['c1'], controllerDelayMs: 20 }, 'bosun-adopt-'));
  writeTree(join(dir, 'old'), chart(true));
  writeTree(join(dir, 'new'), chart(false));
});

after(() => close());

/** What the test compares: the ConfigMap's data and the Deployment's pod template, as the cluster holds them. */
async function state(ns: string): Promise<unknown> {
  const cm = await api(env.sb, 'c1', 'GET', `/api/v1/namespaces/${ns}/configmaps/web`);
  const dep = await api(env.sb, 'c1', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
  const secret = await api(env.sb, 'c1', 'GET', `/api/v1/namespaces/${ns}/secrets/web`);
  assert.equal(cm.status, 200);
  assert.equal(dep.status, 200);
  assert.equal(secret.status, 200);
  return { data: cm.json.data, template: dep.json.spec.template, strategy: dep.json.spec.strategy, secret: secret.json.data, type: secret.json.type };
}

for (const installer of ['helm3', 'helm4'] as const) {
  test(`a release ${installer} installed: the diff shows the dropped fields going, apply removes them as helm 4 does`, { skip: !(haveTool(installer) && haveTool('helm4')) && 'helm not in .tools' }, async () => {
    const h = (which: 'helm3' | 'helm4', ...args: string[]) => helm(which, env, ['--kube-context', 'c1', ...args]);
    const ns = `from-${installer}`;
    const twin = `twin-${installer}`;
    for (const n of [ns, twin]) {
      const r = await h(installer, 'install', 'web', join(dir, 'old'), '-n', n, '--create-namespace');
      assert.equal(r.code, 0, r.stderr);
    }
    // The real helm 4 upgrades the twin: its result is the expectation.
    const up = await h('helm4', 'upgrade', 'web', join(dir, 'new'), '-n', twin);
    assert.equal(up.code, 0, up.stderr);
    const expected = (await state(twin)) as { data: unknown; secret: unknown };
    assert.deepEqual(expected.data, { a: '1' }, 'helm 4 removes the dropped key');
    assert.deepEqual(expected.secret, { s: Buffer.from('one').toString('base64'), t: Buffer.from('two').toString('base64') }, 'helm 4 keeps a key dropped from stringData');

    const file = join(dir, `${installer}.yaml`);
    writeFileSync(file, `environments:\n  default:\n    clusters:\n      - name: c1\nreleases:\n  - name: web\n    namespace: ${ns}\n    chart: ./new\n`);
    const kc = ['--kubeconfig', env.kubeconfig];
    const diff = await bosun(['diff', '-f', file, ...kc, '--detailed-exitcode']);
    assert.equal(diff.code, 2, diff.stderr);
    assert.match(diff.stdout, /^ {4}- {2}b: "2"$/m, 'the ConfigMap key goes');
    assert.match(diff.stdout, /^ {4}- {8}- name: FOO$/m, 'the environment variable goes');
    assert.doesNotMatch(diff.stdout, /Secret/, 'the Secret does not change');
    // Only those: fields the server defaults (which helm 3's entry owns too) come back, so they are no change.
    assert.deepEqual(
      diff.stdout.split('\n').filter((l) => /^ {4}[-+] /.test(l)),
      ['    -  b: "2"', '    -        - name: FOO', '    -          value: "1"'],
      diff.stdout,
    );

    const apply = await bosun(['apply', '-f', file, ...kc]);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.deepEqual(await state(ns), expected, "bosun's apply leaves what helm 4's upgrade leaves");
    const again = await bosun(['diff', '-f', file, ...kc, '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);

    // helm (client-side, as bosun's record says) and bosun keep taking turns.
    const back = await h('helm4', 'upgrade', 'web', join(dir, 'old'), '-n', ns);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(((await state(ns)) as { data: unknown }).data, { a: '1', b: '2' });
    const reapply = await bosun(['apply', '-f', file, ...kc]);
    assert.equal(reapply.code, 0, reapply.stdout + reapply.stderr);
    assert.deepEqual(await state(ns), expected);
  });
}
