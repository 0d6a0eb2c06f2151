// The real helm (v4 and v3) against the sandbox: install --wait (with a pre-install hook Job), upgrade, list,
// history, rollback, test, uninstall; release Secrets appear in the cluster; a failing hook fails the install.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, CHART, haveTool, run, sandboxEnv, tool, type Env } from './helpers.js';

for (const helm of ['helm4', 'helm3'] as const) {
  describe(`${helm} against the sandbox`, { skip: !haveTool(helm) && `${helm} not in .tools (run node scripts/fetch-tools.mjs)` }, () => {
    let e: Env;
    const h = (...args: string[]): ReturnType<typeof run> => run(tool(helm), ['--kube-context', 'prod', ...args], e.env, undefined, 120_000);
    const releaseSecrets = async (ns = 'default'): Promise<string[]> => {
      const r = await api(e.sb, 'prod', 'GET', `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`);
      return (r.json.items as Array<{ metadata: { name: string } }>).map((s) => s.metadata.name).sort();
    };

    before(async () => {
      e = await sandboxEnv({ clusters: ['prod', 'staging'], controllerDelayMs: 50 });
    });
    after(async () => {
      await e?.close();
    });

    test('install --wait runs the pre-install hook and waits for the deployment', async () => {
      const r = await h('install', 'web', CHART, '--namespace', 'apps', '--create-namespace', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /STATUS: deployed/);
      const dep = await api(e.sb, 'prod', 'GET', '/apis/apps/v1/namespaces/apps/deployments/web-sandbox-app');
      assert.equal(dep.json.status.readyReplicas, 2);
      const job = await api(e.sb, 'prod', 'GET', '/apis/batch/v1/namespaces/apps/jobs/web-sandbox-app-migrate');
      assert.equal(job.status, 404, 'hook-succeeded delete policy removed the hook Job');
      assert.deepEqual(await releaseSecrets('apps'), ['sh.helm.release.v1.web.v1']);
      const s = (await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/apps/secrets/sh.helm.release.v1.web.v1')).json;
      assert.equal(s.type, 'helm.sh/release.v1');
      assert.equal(s.metadata.labels.status, 'deployed');
      // Nothing leaked into the other cluster.
      assert.equal((await api(e.sb, 'staging', 'GET', '/api/v1/namespaces/apps')).status, 404);
    });

    test('upgrade, list, history', async () => {
      const r = await h('upgrade', 'web', CHART, '-n', 'apps', '--set', 'message=bye', '--set', 'image.tag=1.28', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, r.stderr);
      const cm = await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/apps/configmaps/web-sandbox-app');
      assert.equal(cm.json.data.message, 'bye');
      const dep = await api(e.sb, 'prod', 'GET', '/apis/apps/v1/namespaces/apps/deployments/web-sandbox-app');
      assert.equal(dep.json.spec.template.spec.containers[0].image, 'nginx:1.28');
      assert.equal(dep.json.metadata.generation, 2);
      const list = await h('list', '-n', 'apps');
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^web\s+apps\s+2\s+.*deployed\s+sandbox-app-0\.1\.0\s+1\.0\.0/m);
      const hist = await h('history', 'web', '-n', 'apps');
      assert.match(hist.stdout, /^1\s+.*superseded.*Install complete/m);
      assert.match(hist.stdout, /^2\s+.*deployed.*Upgrade complete/m);
      assert.deepEqual(await releaseSecrets('apps'), ['sh.helm.release.v1.web.v1', 'sh.helm.release.v1.web.v2']);
    });

    test('rollback restores the first revision', async () => {
      const r = await h('rollback', 'web', '1', '-n', 'apps', '--wait', '--timeout', '60s');
      assert.equal(r.code, 0, r.stderr);
      const cm = await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/apps/configmaps/web-sandbox-app');
      assert.equal(cm.json.data.message, 'hello');
      const dep = await api(e.sb, 'prod', 'GET', '/apis/apps/v1/namespaces/apps/deployments/web-sandbox-app');
      assert.equal(dep.json.spec.template.spec.containers[0].image, 'nginx:1.27');
      const hist = await h('history', 'web', '-n', 'apps');
      assert.match(hist.stdout, /^3\s+.*deployed.*Rollback to 1/m);
    });

    test('test runs the test pod to completion', async () => {
      const r = await h('test', 'web', '-n', 'apps');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Phase:\s+Succeeded/);
    });

    test('uninstall removes the resources and the release secrets', async () => {
      const r = await h('uninstall', 'web', '-n', 'apps', '--wait');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /release "web" uninstalled/);
      assert.deepEqual(await releaseSecrets('apps'), []);
      assert.equal((await api(e.sb, 'prod', 'GET', '/apis/apps/v1/namespaces/apps/deployments/web-sandbox-app')).status, 404);
      const list = await h('list', '-A', '-q');
      assert.equal(list.stdout.trim(), '');
    });

    test('a failing pre-install hook fails the install', async () => {
      const r = await h('install', 'broken', CHART, '--set', 'hook.fail=true', '--wait', '--timeout', '30s');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /pre-install/i);
      const hist = await h('history', 'broken');
      assert.match(hist.stdout, /failed/);
    });
  });
}
