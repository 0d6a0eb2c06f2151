// @kubernetes/client-node (the real package, unmodified) against the sandbox: KubeConfig.loadFromString of the
// sandbox's kubeconfig, then create, read, server-side apply, list, watch and delete through KubernetesObjectApi and
// Watch — the calls a TypeScript controller or bosun itself makes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { waitFor } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubernetesObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
  data,
});

const deployment = (name: string, replicas: number, image = 'nginx:1.27'): KubernetesObject & { spec: Any } => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
  },
});

/** The Status body of a failed call (client-node keeps the raw response text). */
function statusOf(e: unknown): Any {
  assert.ok(e instanceof ApiException, `expected an ApiException, got ${String(e)}`);
  return typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
}

interface Event {
  type: string;
  name: string;
  rv: string;
  obj: Any;
}

describe('@kubernetes/client-node against the sandbox', () => {
  let sb: Sandbox;
  let kc: KubeConfig;
  let client: KubernetesObjectApi;

  before(async () => {
    sb = await startSandbox({ clusters: ['node-a', 'node-b'], controllerDelayMs: 20 });
    kc = new KubeConfig();
    kc.loadFromString(sb.kubeconfig());
    client = KubernetesObjectApi.makeApiClient(kc);
  });
  after(async () => {
    await sb?.close();
  });

  test('the kubeconfig gives one context per cluster, over HTTPS with the CA', () => {
    assert.deepEqual(
      kc.getContexts().map((c) => c.name),
      ['node-a', 'node-b'],
    );
    assert.equal(kc.getCurrentContext(), 'node-a');
    const cluster = kc.getCurrentCluster()!;
    assert.equal(cluster.server, sb.serverUrl('node-a'));
    assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+\/clusters\/node-a$/);
    assert.ok(cluster.caData, 'the CA is embedded');
    assert.equal(cluster.skipTLSVerify, false);
  });

  test('create, read, replace and delete a ConfigMap', async () => {
    const created = await client.create(configMap('cn-basic', { a: '1' }));
    assert.equal(created.kind, 'ConfigMap');
    assert.equal(created.metadata?.name, 'cn-basic');
    assert.equal(created.metadata?.namespace, 'default');
    assert.match(created.metadata!.uid!, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata!.resourceVersion!, /^\d+$/);
    // The typed models turn RFC 3339 strings into Dates.
    assert.ok(created.metadata!.creationTimestamp instanceof Date);
    assert.deepEqual((created as Any).data, { a: '1' });

    const read = await client.read<Any>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cn-basic', namespace: 'default' } });
    assert.equal(read.metadata.uid, created.metadata!.uid);
    assert.equal(read.metadata.resourceVersion, created.metadata!.resourceVersion);

    // replace() sends back what read() returned (Dates re-serialized with milliseconds, managedFields included).
    read.data.b = '2';
    const replaced = await client.replace<Any>(read);
    assert.deepEqual(replaced.data, { a: '1', b: '2' });
    assert.ok(Number(replaced.metadata.resourceVersion) > Number(read.metadata.resourceVersion));

    // A stale resourceVersion is a 409 Conflict.
    try {
      await client.replace({ ...read, data: { c: '3' } });
      assert.fail('stale replace succeeded');
    } catch (e) {
      const s = statusOf(e);
      assert.equal((e as ApiException<unknown>).code, 409);
      assert.equal(s.reason, 'Conflict');
      assert.equal(s.message, 'Operation cannot be fulfilled on configmaps "cn-basic": the object has been modified; please apply your changes to the latest version and try again');
    }

    const status = await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cn-basic', namespace: 'default' } });
    assert.equal(status.status, 'Success');
    assert.equal(status.details?.name, 'cn-basic');
    assert.equal(status.details?.kind, 'configmaps');
    assert.equal(status.details?.uid, created.metadata!.uid);
    try {
      await client.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cn-basic', namespace: 'default' } });
      assert.fail('read after delete succeeded');
    } catch (e) {
      assert.equal((e as ApiException<unknown>).code, 404);
      assert.deepEqual(statusOf(e), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'configmaps "cn-basic" not found',
        reason: 'NotFound',
        details: { name: 'cn-basic', kind: 'configmaps' },
        code: 404,
      });
    }
  });

  test('server-side apply through patch(ServerSideApply): create, no-op, field removal, conflict, force', async () => {
    const apply = (obj: KubernetesObject, manager: string, force = false): Promise<Any> =>
      client.patch(obj, undefined, undefined, manager, force, PatchStrategy.ServerSideApply);

    const first = await apply(deployment('cn-web', 2), 'cn-tests');
    assert.equal(first.kind, 'Deployment');
    assert.equal(first.spec.replicas, 2);
    assert.equal(first.metadata.generation, 1);
    // Server defaults are applied.
    assert.equal(first.spec.strategy.type, 'RollingUpdate');
    assert.equal(first.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    const mine = first.metadata.managedFields.find((m: Any) => m.manager === 'cn-tests');
    assert.equal(mine.operation, 'Apply');
    assert.equal(mine.apiVersion, 'apps/v1');
    assert.equal(mine.fieldsType, 'FieldsV1');
    assert.ok(mine.fieldsV1['f:spec']['f:replicas']);
    assert.ok(mine.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['f:image']);

    // Once the simulated controller has written its status, the same configuration again changes nothing, not even
    // the resourceVersion.
    const settled = await waitFor('the deployment to become available', async () => {
      const d = await client.read<Any>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-web', namespace: 'default' } });
      return d.status?.availableReplicas === 2 && d;
    });
    const again = await apply(deployment('cn-web', 2), 'cn-tests');
    assert.equal(again.metadata.resourceVersion, settled.metadata.resourceVersion);

    // A label the manager stops applying is removed.
    const labelled = deployment('cn-web', 2);
    labelled.metadata!.labels = { app: 'cn-web', tier: 'frontend' };
    assert.equal((await apply(labelled, 'cn-tests')).metadata.labels.tier, 'frontend');
    const dropped = await apply(deployment('cn-web', 2), 'cn-tests');
    assert.deepEqual(dropped.metadata.labels, { app: 'cn-web' });

    // Another applier changing replicas conflicts; with force it takes the field over.
    try {
      await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-web', namespace: 'default' }, spec: { replicas: 5 } } as KubernetesObject, 'autoscaler');
      assert.fail('conflicting apply succeeded');
    } catch (e) {
      assert.equal((e as ApiException<unknown>).code, 409);
      const s = statusOf(e);
      assert.equal(s.reason, 'Conflict');
      assert.equal(s.message, 'Apply failed with 1 conflict: conflict with "cn-tests": .spec.replicas');
      assert.deepEqual(s.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "cn-tests"', field: '.spec.replicas' }] });
    }
    const forced = await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-web', namespace: 'default' }, spec: { replicas: 5 } } as KubernetesObject, 'autoscaler', true);
    assert.equal(forced.spec.replicas, 5);
    const after = forced.metadata.managedFields.find((m: Any) => m.manager === 'cn-tests');
    assert.equal(after.fieldsV1['f:spec']['f:replicas'], undefined, 'cn-tests lost .spec.replicas');
    assert.ok(forced.metadata.managedFields.find((m: Any) => m.manager === 'autoscaler').fieldsV1['f:spec']['f:replicas']);
  });

  test('list with label and field selectors, across namespaces, with pagination', async () => {
    for (const [name, tier] of [
      ['cn-list-1', 'web'],
      ['cn-list-2', 'web'],
      ['cn-list-3', 'db'],
    ] as const)
      await client.create(configMap(name, { n: name }, { suite: 'cn-list', tier }));
    const all = await client.list<Any>('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, 'suite=cn-list');
    assert.equal(all.kind, 'ConfigMapList');
    assert.deepEqual(
      all.items.map((i: Any) => i.metadata.name),
      ['cn-list-1', 'cn-list-2', 'cn-list-3'],
    );
    assert.match(all.metadata!.resourceVersion!, /^\d+$/);
    const web = await client.list<Any>('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, 'suite=cn-list,tier in (web)');
    assert.deepEqual(
      web.items.map((i: Any) => i.metadata.name),
      ['cn-list-1', 'cn-list-2'],
    );
    const byName = await client.list<Any>('v1', 'ConfigMap', 'default', undefined, undefined, undefined, 'metadata.name=cn-list-3');
    assert.deepEqual(
      byName.items.map((i: Any) => i.metadata.name),
      ['cn-list-3'],
    );
    // Pages of two, then the rest with the continue token.
    const page1 = await client.list<Any>('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, 'suite=cn-list', 2);
    assert.equal(page1.items.length, 2);
    assert.ok(page1.metadata!._continue, 'a continue token');
    const page2 = await client.list<Any>('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, 'suite=cn-list', 2, page1.metadata!._continue);
    assert.deepEqual(
      page2.items.map((i: Any) => i.metadata.name),
      ['cn-list-3'],
    );
    assert.equal(page2.metadata!._continue, undefined);
    // Cluster-scoped kinds list without a namespace.
    const namespaces = await client.list<Any>('v1', 'Namespace');
    assert.ok(namespaces.items.some((n: Any) => n.metadata.name === 'kube-system'));
  });

  test('watch from a list resourceVersion: ADDED, MODIFIED (controller status), DELETED; done after abort', async () => {
    const listed = await client.list<Any>('apps/v1', 'Deployment', 'default');
    const events: Event[] = [];
    let doneErr: unknown = 'not called';
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/apis/apps/v1/namespaces/default/deployments',
      { resourceVersion: listed.metadata!.resourceVersion, allowWatchBookmarks: true, labelSelector: 'app=cn-watch' },
      (type, obj) => events.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion, obj }),
      (err) => (doneErr = err),
    );
    try {
      await client.patch(deployment('cn-watch', 1), undefined, undefined, 'cn-tests', false, PatchStrategy.ServerSideApply);
      // The simulated deployment controller reports the replica ready: the watch sees it become Available.
      const available = await waitFor('an Available deployment event', () =>
        events.find((e) => e.type === 'MODIFIED' && e.obj.status?.conditions?.some((c: Any) => c.type === 'Available' && c.status === 'True')),
      );
      assert.equal(available.obj.status.readyReplicas, 1);
      assert.equal(available.obj.status.observedGeneration, 1);
      await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cn-watch', namespace: 'default' } });
      await waitFor('the DELETED event', () => events.find((e) => e.type === 'DELETED'));
    } finally {
      controller.abort();
    }
    const changes = events.filter((e) => e.type !== 'BOOKMARK');
    assert.equal(changes[0]!.type, 'ADDED');
    assert.equal(changes[changes.length - 1]!.type, 'DELETED');
    assert.ok(changes.every((e) => e.name === 'cn-watch'), 'the label selector applies');
    const rvs = changes.map((e) => Number(e.rv));
    assert.deepEqual(
      rvs,
      [...rvs].sort((a, b) => a - b),
      'resourceVersions increase',
    );
    assert.ok(rvs[0]! > Number(listed.metadata!.resourceVersion));
    await waitFor('the done callback', () => doneErr !== 'not called');
  });

  test('the second context reaches the other cluster; errors come back as ApiException with a Status', async () => {
    const kcB = new KubeConfig();
    kcB.loadFromString(sb.kubeconfig());
    kcB.setCurrentContext('node-b');
    const clientB = KubernetesObjectApi.makeApiClient(kcB);
    await clientB.create(configMap('only-in-b', { x: 'y' }));
    const inB = await clientB.list<Any>('v1', 'ConfigMap', 'default');
    assert.ok(inB.items.some((i: Any) => i.metadata.name === 'only-in-b'));
    const inA = await client.list<Any>('v1', 'ConfigMap', 'default');
    assert.ok(!inA.items.some((i: Any) => i.metadata.name === 'only-in-b'));

    try {
      await client.create({ ...configMap('x', {}), metadata: { name: 'x', namespace: 'nowhere' } });
      assert.fail('create in a missing namespace succeeded');
    } catch (e) {
      assert.equal((e as ApiException<unknown>).code, 404);
      assert.equal(statusOf(e).message, 'namespaces "nowhere" not found');
    }
    try {
      await client.create(configMap('only-in-b', {}));
      await clientB.create(configMap('only-in-b', {}));
      assert.fail('duplicate create succeeded');
    } catch (e) {
      assert.equal((e as ApiException<unknown>).code, 409);
      assert.equal(statusOf(e).reason, 'AlreadyExists');
      assert.equal(statusOf(e).message, 'configmaps "only-in-b" already exists');
    }
    // A kind the cluster does not serve fails in client-node's discovery, before any request for the object.
    await assert.rejects(client.read({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } }));
  });
});
