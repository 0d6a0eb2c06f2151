// --state-dir: objects (including CRDs and their custom resources), resourceVersions and the CA survive a restart;
// and the `bosun sandbox up` command runs in the foreground, writes the kubeconfig and keeps state.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import yargs from 'yargs';
import YAML from 'yaml';
import { makeSandboxCommand } from '../../src/cli/sandbox.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { api, haveTool, run, tool, waitFor } from './helpers.js';

describe('state dir', () => {
  test('objects, resourceVersions and the CA survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-sandbox-state-'));
    try {
      const a = await startSandbox({ clusters: ['one', 'two'], stateDir: dir, controllerDelayMs: 20 });
      await api(a, 'one', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } });
      const cm = await api(a, 'one', 'POST', '/api/v1/namespaces/kept/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { k: 'v' } });
      await api(a, 'one', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'things.acme.io' },
        spec: { group: 'acme.io', scope: 'Cluster', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
      });
      await api(a, 'one', 'POST', '/apis/acme.io/v1/things', { apiVersion: 'acme.io/v1', kind: 'Thing', metadata: { name: 't' }, spec: { x: 1 } });
      const svc = await api(a, 'one', 'POST', '/api/v1/namespaces/kept/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
      const rvBefore = Number((await api(a, 'one', 'GET', '/api/v1/namespaces')).json.metadata.resourceVersion);
      const ca = a.caPem;
      await a.close();
      assert.ok(existsSync(join(dir, 'one.json')) && existsSync(join(dir, 'two.json')) && existsSync(join(dir, 'ca.json')));

      const b = await startSandbox({ clusters: ['one', 'two'], stateDir: dir, controllerDelayMs: 20 });
      try {
        assert.equal(b.caPem, ca, 'same CA: old kubeconfigs keep working');
        const got = await api(b, 'one', 'GET', '/api/v1/namespaces/kept/configmaps/cfg');
        assert.equal(got.status, 200);
        assert.equal(got.json.metadata.uid, cm.json.metadata.uid);
        assert.deepEqual(got.json.data, { k: 'v' });
        const thing = await api(b, 'one', 'GET', '/apis/acme.io/v1/things/t');
        assert.equal(thing.status, 200, 'custom resources served again after restart');
        assert.equal((await api(b, 'one', 'GET', '/api/v1/namespaces/kept/services/s')).json.spec.clusterIP, svc.json.spec.clusterIP);
        const next = await api(b, 'one', 'POST', '/api/v1/namespaces/kept/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } });
        assert.ok(Number(next.json.metadata.resourceVersion) > rvBefore, 'resourceVersion keeps increasing');
        const other = await api(b, 'two', 'GET', '/api/v1/namespaces/kept');
        assert.equal(other.status, 404);
        const svc2 = await api(b, 'one', 'POST', '/api/v1/namespaces/kept/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's2' }, spec: { ports: [{ port: 80 }] } });
        assert.notEqual(svc2.json.spec.clusterIP, svc.json.spec.clusterIP, 'allocated addresses are not reused');
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bosun sandbox up: foreground, kubeconfig, state across restarts', { skip: !haveTool('kubectl') && 'kubectl missing' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-sandbox-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
    const up = async (body: (sb: Sandbox) => Promise<void>): Promise<string> => {
      let out = '';
      let stop!: () => void;
      const stopped = new Promise<void>((r) => (stop = r));
      let started!: (sb: Sandbox) => void;
      const sbp = new Promise<Sandbox>((r) => (started = r));
      const cmd = makeSandboxCommand({ stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, stopSignal: () => stopped, onStarted: (sb) => started(sb) });
      const done = yargs(['sandbox', 'up', '--clusters', 'eu,us', '--state-dir', join(dir, 'state'), '--kubeconfig', kubeconfig, '--controller-delay', '20'])
        .command(cmd)
        .exitProcess(false)
        .parseAsync();
      const sb = await sbp;
      try {
        await body(sb);
      } finally {
        stop();
        await done;
      }
      return out;
    };
    try {
      const out1 = await up(async () => {
        const cfg = YAML.parse(readFileSync(kubeconfig, 'utf8'));
        assert.deepEqual(cfg.contexts.map((c: { name: string }) => c.name), ['eu', 'us']);
        assert.ok(cfg.clusters[0].cluster['certificate-authority-data']);
        const r = await run(tool('kubectl'), ['--context', 'us', 'create', 'namespace', 'team-a'], env);
        assert.equal(r.code, 0, r.stderr);
        const cm = await run(tool('kubectl'), ['--context', 'us', '-n', 'team-a', 'create', 'configmap', 'settings', '--from-literal=mode=blue'], env);
        assert.equal(cm.code, 0, cm.stderr);
      });
      assert.match(out1, /bosun sandbox serving 2 clusters at https:\/\/127\.0\.0\.1:\d+/);
      assert.match(out1, /kubeconfig written to .*kubeconfig \(contexts: eu, us\)/);
      assert.match(out1, /bosun sandbox stopped/);
      await up(async () => {
        const r = await run(tool('kubectl'), ['--context', 'us', '-n', 'team-a', 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}'], env);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, 'blue');
        const eu = await run(tool('kubectl'), ['--context', 'eu', 'get', 'namespace', 'team-a'], env);
        assert.notEqual(eu.code, 0);
        // Default service account made by the namespace controller came back too.
        await waitFor('service account', async () => (await run(tool('kubectl'), ['--context', 'us', '-n', 'team-a', 'get', 'sa', 'default'], env)).code === 0);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
