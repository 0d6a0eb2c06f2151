// The real kubectl against the sandbox: server-side apply of a multi-document manifest (with a CRD and a custom
// resource of it), get -o yaml, diff exit codes, client-side apply, wait, watch, delete, two isolated clusters.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { haveTool, ROOT, run, sandboxEnv, start, tool, waitFor, type Env } from './helpers.js';

const MANIFEST = join(ROOT, 'test', 'sandbox', 'fixtures', 'app.yaml');
const skip = !haveTool('kubectl') && 'kubectl not in .tools (run node scripts/fetch-tools.mjs)';

describe('kubectl against the sandbox', { skip }, () => {
  let e: Env;
  const kubectl = (ctx: string, ...args: string[]): ReturnType<typeof run> => run(tool('kubectl'), ['--context', ctx, ...args], e.env);

  before(async () => {
    e = await sandboxEnv({ clusters: ['east', 'west'], controllerDelayMs: 50 });
  });
  after(async () => {
    await e?.close();
  });

  test('apply --server-side of a manifest with a CRD and a custom resource', async () => {
    // Like a real cluster, the custom resource cannot be mapped before its CRD exists: the first apply creates
    // everything else and fails for it; the second one succeeds.
    const first = await kubectl('east', 'apply', '--server-side', '-f', MANIFEST);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stderr, /no matches for kind "Widget" in version "example.com\/v1"/);
    for (const line of ['customresourcedefinition.apiextensions.k8s.io/widgets.example.com serverside-applied', 'deployment.apps/web serverside-applied', 'service/web serverside-applied', 'configmap/web-config serverside-applied', 'secret/web-secret serverside-applied'])
      assert.ok(first.stdout.includes(line), first.stdout);
    const second = await kubectl('east', 'apply', '--server-side', '-f', MANIFEST);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /widget.example.com\/w1 serverside-applied/);

    const got = await kubectl('east', 'get', 'widgets', 'w1', '-o', 'yaml');
    assert.equal(got.code, 0, got.stderr);
    const w = YAML.parse(got.stdout);
    assert.equal(w.spec.size, 3);
    assert.equal(w.spec.color, 'blue', 'schema default applied');
    assert.equal(w.metadata.generation, 1);

    const list = await kubectl('east', 'get', 'wd');
    assert.match(list.stdout, /NAME\s+SIZE\s+AGE\nw1\s+3\s+/);
  });

  test('get -o yaml shows server defaults and managed fields', async () => {
    const r = await kubectl('east', 'get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields');
    assert.equal(r.code, 0, r.stderr);
    const d = YAML.parse(r.stdout);
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const c = d.spec.template.spec.containers[0];
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.equal(c.ports[0].protocol, 'TCP');
    assert.equal(d.spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.deepEqual(d.spec.template.spec.securityContext, {});
    const kubectlEntry = d.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl');
    assert.equal(kubectlEntry.operation, 'Apply');
    assert.ok(kubectlEntry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']);

    const svc = YAML.parse((await kubectl('east', 'get', 'svc', 'web', '-o', 'yaml')).stdout);
    assert.match(svc.spec.clusterIP, /^10\.96\./);
    assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.spec.sessionAffinity, 'None');
    assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
    const secret = YAML.parse((await kubectl('east', 'get', 'secret', 'web-secret', '-o', 'yaml')).stdout);
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'hunter2');
  });

  test('diff exits 0 without changes and 1 with changes; re-apply keeps the clusterIP', async () => {
    const clusterIP = (await kubectl('east', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    const same = await kubectl('east', 'diff', '--server-side', '-f', MANIFEST);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const changed = join(e.dir, 'changed.yaml');
    writeFileSync(changed, (await import('node:fs')).readFileSync(MANIFEST, 'utf8').replace('nginx:1.27', 'nginx:1.28'));
    const diff = await kubectl('east', 'diff', '--server-side', '-f', changed);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /-\s+image: nginx:1.27\n\+\s+image: nginx:1.28/);
    const applied = await kubectl('east', 'apply', '--server-side', '-f', changed);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await kubectl('east', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout, clusterIP);
    assert.equal((await kubectl('east', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}')).stdout, '2');
  });

  test('wait --for=condition=Available and rollout status', async () => {
    const r = await kubectl('east', 'wait', '--for=condition=Available', 'deployment/web', '--timeout=20s');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment.apps\/web condition met/);
    const rollout = await kubectl('east', 'rollout', 'status', 'deployment/web', '--timeout=20s');
    assert.equal(rollout.code, 0, rollout.stderr);
    assert.match(rollout.stdout, /successfully rolled out/);
    const pods = await kubectl('east', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.phase}');
    assert.deepEqual(pods.stdout.split(' '), ['Running', 'Running']);
  });

  test('client-side apply: create, strategic merge update, last-applied annotation', async () => {
    const docs = YAML.parseAllDocuments((await import('node:fs')).readFileSync(MANIFEST, 'utf8')).map((d) => d.toJS());
    const builtins = docs.filter((d) => ['Deployment', 'Service', 'ConfigMap'].includes(d.kind));
    const file = join(e.dir, 'csa.yaml');
    writeFileSync(file, builtins.map((d) => YAML.stringify(d)).join('---\n'));
    const created = await kubectl('west', 'apply', '-f', file);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /deployment.apps\/web created/);
    const dep = builtins.find((d) => d.kind === 'Deployment');
    dep.spec.replicas = 3;
    dep.spec.template.spec.containers[0].env = [{ name: 'B', value: '2' }];
    writeFileSync(file, builtins.map((d) => YAML.stringify(d)).join('---\n'));
    const noopDiff = await kubectl('west', 'diff', '-f', file);
    assert.equal(noopDiff.code, 1);
    const updated = await kubectl('west', 'apply', '-f', file);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /deployment.apps\/web configured/);
    assert.match(updated.stdout, /service\/web unchanged/);
    const d = YAML.parse((await kubectl('west', 'get', 'deploy', 'web', '-o', 'yaml')).stdout);
    assert.equal(d.spec.replicas, 3);
    assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'B', value: '2' }]);
    assert.equal(d.spec.template.spec.containers[0].terminationMessagePath, '/dev/termination-log', 'server defaults kept by the patch');
    assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const again = await kubectl('west', 'diff', '-f', file);
    assert.equal(again.code, 0, again.stdout);
  });

  test('the two clusters are isolated', async () => {
    const east = await kubectl('east', 'get', 'crd', '-o', 'name');
    const west = await kubectl('west', 'get', 'crd', '-o', 'name');
    assert.match(east.stdout, /widgets.example.com/);
    assert.equal(west.stdout.trim(), '');
    const westWidgets = await kubectl('west', 'get', 'widgets');
    assert.notEqual(westWidgets.code, 0);
    assert.match(westWidgets.stderr, /the server doesn't have a resource type "widgets"/);
    assert.equal((await kubectl('east', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout, '2');
    assert.equal((await kubectl('west', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout, '3');
  });

  test('get --watch prints changes as they happen', async () => {
    const w = start(tool('kubectl'), ['--context', 'west', 'get', 'configmaps', '--watch', '--output-watch-events'], e.env);
    try {
      await waitFor('watch to list', () => w.output().includes('web-config'));
      assert.equal((await kubectl('west', 'create', 'configmap', 'watched', '--from-literal=a=b')).code, 0);
      await waitFor('ADDED event', () => /ADDED\s+watched/.test(w.output()));
      assert.equal((await kubectl('west', 'delete', 'configmap', 'watched')).code, 0);
      await waitFor('DELETED event', () => /DELETED\s+watched/.test(w.output()));
    } finally {
      await w.stop();
    }
  });

  test('delete removes objects (and owned replica sets and pods)', async () => {
    const r = await kubectl('east', 'delete', '-f', MANIFEST);
    // The CRD comes first in the manifest: its cleanup may already have removed the widget (as on a real cluster).
    assert.ok(r.code === 0 || /widgets.example.com "w1" not found/.test(r.stderr), r.stderr);
    assert.match(r.stdout, /deployment.apps "web" deleted/);
    await waitFor('pods and replica sets gone', async () => {
      const left = await kubectl('east', 'get', 'rs,pods', '-l', 'app=web', '-o', 'name');
      return left.code === 0 && left.stdout.trim() === '';
    });
    const missing = await kubectl('east', 'get', 'deploy', 'web');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /deployments.apps "web" not found/);
    assert.equal((await kubectl('east', 'get', 'crd', '-o', 'name')).stdout.trim(), '');
  });

  test('kubectl create (typed clients send protobuf bodies)', async () => {
    for (const args of [
      ['create', 'namespace', 'typed'],
      ['-n', 'typed', 'create', 'deployment', 'nginx', '--image=nginx:1.27', '--replicas=2', '--port=80'],
      ['-n', 'typed', 'create', 'service', 'clusterip', 'nginx', '--tcp=80:80'],
      ['-n', 'typed', 'create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'],
      ['-n', 'typed', 'create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
      ['-n', 'typed', 'create', 'configmap', 'conf', '--from-literal=a=b'],
      ['-n', 'typed', 'create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret'],
      ['-n', 'typed', 'create', 'serviceaccount', 'robot'],
      ['-n', 'typed', 'create', 'role', 'reader', '--verb=get,list', '--resource=pods'],
      ['-n', 'typed', 'create', 'rolebinding', 'reader', '--role=reader', '--serviceaccount=typed:robot'],
    ]) {
      const r = await kubectl('west', ...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    }
    const d = YAML.parse((await kubectl('west', '-n', 'typed', 'get', 'deploy', 'nginx', '-o', 'yaml')).stdout);
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    const svc = YAML.parse((await kubectl('west', '-n', 'typed', 'get', 'svc', 'nginx', '-o', 'yaml')).stdout);
    assert.equal(svc.spec.ports[0].targetPort, 80);
    const s = YAML.parse((await kubectl('west', '-n', 'typed', 'get', 'secret', 'creds', '-o', 'yaml')).stdout);
    assert.equal(Buffer.from(s.data.password, 'base64').toString(), 's3cret');
    const wait = await kubectl('west', '-n', 'typed', 'wait', '--for=condition=Complete', 'job/once', '--timeout=20s');
    assert.equal(wait.code, 0, wait.stderr);
    assert.equal((await kubectl('west', 'delete', 'namespace', 'typed', '--wait=true', '--timeout=20s')).code, 0);
  });

  test('kubectl 1.31 works too', { skip: !haveTool('kubectl-v31') && 'kubectl-v31 missing' }, async () => {
    const r = await run(tool('kubectl-v31'), ['--context', 'west', 'get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}'], e.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '3');
    const ssa = await run(tool('kubectl-v31'), ['--context', 'west', 'apply', '--server-side', '--force-conflicts', '-f', MANIFEST], e.env);
    assert.equal(ssa.code, 1);
    assert.match(ssa.stdout, /deployment.apps\/web serverside-applied/);
  });
});
