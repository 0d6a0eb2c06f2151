// The API semantics clients rely on, checked with raw requests: Status errors, pagination, watch (resourceVersion,
// bookmarks, 410, sendInitialEvents, selector transitions), patches (JSON, merge, strategic), server-side apply
// conflicts and force, dry-run, generateName, finalizers, namespace deletion, subresources, discovery.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, sandboxEnv, waitFor, watch, type Env } from './helpers.js';

const cm = (name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>): object => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

const deployment = (name: string, image = 'nginx:1.27', replicas?: number): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    ...(replicas !== undefined ? { replicas } : {}),
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, env: [{ name: 'A', value: '1' }] }] } },
  },
});

const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };

describe('sandbox API semantics', () => {
  let e: Env;
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>): ReturnType<typeof api> => api(e.sb, 'c1', method, path, body, headers);

  before(async () => {
    e = await sandboxEnv({ clusters: ['c1'], controllerDelayMs: 20, bookmarkIntervalMs: 100 });
  });
  after(async () => {
    await e?.close();
  });

  test('version, discovery and openapi', async () => {
    const v = await call('GET', '/version');
    assert.equal(v.json.gitVersion, 'v1.33.1');
    const core = await call('GET', '/api/v1');
    const names = core.json.resources.map((r: { name: string }) => r.name);
    assert.ok(names.indexOf('pods') < names.indexOf('pods/status'), 'subresources after their resource');
    const apps = await call('GET', '/apis/apps/v1');
    const dep = apps.json.resources.find((r: { name: string }) => r.name === 'deployments');
    assert.deepEqual(dep.shortNames, ['deploy']);
    assert.equal(dep.namespaced, true);
    assert.ok(dep.verbs.includes('patch'));
    const agg = await call('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(agg.json.kind, 'APIGroupDiscoveryList');
    const legacy = await call('GET', '/apis');
    assert.equal(legacy.json.kind, 'APIGroupList');
    const root = await call('GET', '/openapi/v3');
    assert.match(root.json.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const doc = await call('GET', '/openapi/v3/apis/apps/v1');
    const patch = doc.json.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
    assert.equal((await call('GET', '/apis/nope.example.com/v1')).status, 404);
  });

  test('Status errors', async () => {
    const nf = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(nf.status, 404);
    assert.equal(nf.headers['content-type'], 'application/json');
    assert.deepEqual(nf.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" not found',
      reason: 'NotFound',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps', cm('dup'))).status, 201);
    const dup = await call('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    assert.equal(dup.status, 409);
    assert.equal(dup.json.reason, 'AlreadyExists');
    assert.equal(dup.json.message, 'configmaps "dup" already exists');
    const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/dup', { ...cm('dup', { a: '2' }), metadata: { name: 'dup', resourceVersion: '1' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    assert.match(stale.json.message, /^Operation cannot be fulfilled on configmaps "dup": the object has been modified/);
    const nsMissing = await call('POST', '/api/v1/namespaces/nowhere/configmaps', cm('x'));
    assert.equal(nsMissing.status, 404);
    assert.equal(nsMissing.json.message, 'namespaces "nowhere" not found');
    const mismatch = await call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('x'), metadata: { name: 'x', namespace: 'other' } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.reason, 'BadRequest');
    const invalid = await call('POST', '/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: { template: {} } });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json.reason, 'Invalid');
    assert.equal(invalid.json.details.kind, 'Deployment');
    assert.ok(invalid.json.details.causes.some((c: { field: string }) => c.field === 'spec.selector'));
    const badLabel = await call('POST', '/api/v1/namespaces/default/configmaps', cm('x', {}, { app: 'has spaces' }));
    assert.equal(badLabel.status, 422);
    assert.equal(badLabel.json.details.causes[0].field, 'metadata.labels');
    const huge = await call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('x'), metadata: { name: 'x', annotations: { big: 'x'.repeat(300_000) } } });
    assert.equal(huge.status, 422);
    assert.match(huge.json.message, /Too long: may not be more than 262144 bytes/);
    const method = await call('PUT', '/api/v1/namespaces/default/configmaps', cm('x'));
    assert.equal(method.status, 405);
    assert.equal(method.json.reason, 'MethodNotAllowed');
    const unknownPatch = await call('PATCH', '/api/v1/namespaces/default/configmaps/dup', '{}', { 'Content-Type': 'text/plain' });
    assert.equal(unknownPatch.status, 415);
    const badSelector = await call('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=spec.foo%3Dbar');
    assert.equal(badSelector.status, 400);
  });

  test('generateName, dryRun, labelSelector and fieldSelector', async () => {
    const gen = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.equal(gen.status, 201);
    assert.match(gen.json.metadata.name, /^gen-[a-z0-9]{5}$/);
    const dry = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'));
    assert.equal(dry.status, 201);
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('sel-a', {}, { tier: 'web', env: 'prod' }));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('sel-b', {}, { tier: 'db', env: 'prod' }));
    const names = async (q: string): Promise<string[]> => (await call('GET', `/api/v1/namespaces/default/configmaps?${q}`)).json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(await names('labelSelector=tier%3Dweb'), ['sel-a']);
    assert.deepEqual(await names('labelSelector=env%3Dprod%2Ctier%20notin%20(web)'), ['sel-b']);
    assert.deepEqual(await names('labelSelector=tier%20in%20(web%2Cdb)'), ['sel-a', 'sel-b']);
    assert.deepEqual(await names('labelSelector=!tier%2Cenv'), []);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dsel-b'), ['sel-b']);
    const all = await call('GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dkube-system');
    assert.ok(all.json.items.every((i: { metadata: { namespace: string } }) => i.metadata.namespace === 'kube-system'));
  });

  test('limit/continue pagination with a consistent snapshot', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pages' } });
    for (let i = 0; i < 7; i++) await call('POST', '/api/v1/namespaces/pages/configmaps', cm(`p${i}`));
    const seen: string[] = [];
    let page = await call('GET', '/api/v1/namespaces/pages/configmaps?limit=3&labelSelector=');
    const listRv = page.json.metadata.resourceVersion;
    assert.equal(page.json.metadata.remainingItemCount, 5);
    seen.push(...page.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
    // A change between pages does not show up in the rest of this list.
    await call('POST', '/api/v1/namespaces/pages/configmaps', cm('p99'));
    await call('DELETE', '/api/v1/namespaces/pages/configmaps/p5');
    while (page.json.metadata.continue) {
      page = await call('GET', `/api/v1/namespaces/pages/configmaps?limit=3&continue=${encodeURIComponent(page.json.metadata.continue)}`);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.json.metadata.resourceVersion, listRv);
      seen.push(...page.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
    }
    assert.deepEqual(seen, ['kube-root-ca.crt', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    const first = await call('GET', '/api/v1/namespaces/pages/configmaps?limit=2');
    await call('POST', '/api/v1/namespaces/pages/configmaps', cm('before-compaction'));
    e.sb.faults('c1').compactHistory();
    await call('POST', '/api/v1/namespaces/pages/configmaps', cm('after-compaction'));
    const expired = await call('GET', `/api/v1/namespaces/pages/configmaps?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    assert.equal(expired.status, 410);
    assert.equal(expired.json.reason, 'Expired');
  });

  test('watch: events from a resourceVersion, selector transitions, bookmarks, 410 Expired', async () => {
    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    const rv = list.json.metadata.resourceVersion;
    const w = watch(e.sb, 'c1', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&labelSelector=watched%3Dyes`);
    assert.equal(await w.status, 200);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('w1', { a: '1' }, { watched: 'yes' }));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('w-ignored', { a: '1' }, { watched: 'no' }));
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w1', { data: { a: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w1', { metadata: { labels: { watched: 'no' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await call('PATCH', '/api/v1/namespaces/default/configmaps/w-ignored', { metadata: { labels: { watched: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await call('DELETE', '/api/v1/namespaces/default/configmaps/w-ignored');
    await waitFor('bookmark', () => w.events.some((ev) => ev.type === 'BOOKMARK'), 5000);
    w.close();
    const seq = w.events.filter((ev) => ev.type !== 'BOOKMARK').map((ev) => `${ev.type} ${ev.object.metadata.name}`);
    assert.deepEqual(seq, ['ADDED w1', 'MODIFIED w1', 'DELETED w1', 'ADDED w-ignored', 'DELETED w-ignored']);
    const bm = w.events.find((ev) => ev.type === 'BOOKMARK');
    assert.equal(bm.object.kind, 'ConfigMap');
    assert.ok(Number(bm.object.metadata.resourceVersion) >= Number(rv));
    const rvs = w.events.filter((ev) => ev.type !== 'BOOKMARK').map((ev) => Number(ev.object.metadata.resourceVersion));
    assert.deepEqual([...rvs].sort((a, b) => a - b), rvs, 'resourceVersions increase');

    // Synthetic ADDED for the current state when no resourceVersion is given, then the server closes at timeoutSeconds.
    const w2 = watch(e.sb, 'c1', '/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Ddup&timeoutSeconds=1');
    await w2.ended;
    assert.deepEqual(w2.events.map((ev) => `${ev.type} ${ev.object.metadata.name}`), ['ADDED dup']);

    // Too old: one ERROR event with a 410 Status, then the end.
    e.sb.faults('c1').compactHistory();
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('after'));
    const old = watch(e.sb, 'c1', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`);
    await old.ended;
    assert.equal(old.events.length, 1);
    assert.equal(old.events[0].type, 'ERROR');
    assert.equal(old.events[0].object.code, 410);
    assert.equal(old.events[0].object.reason, 'Expired');
  });

  test('watch: sendInitialEvents ends the initial state with an annotated bookmark', async () => {
    const bad = await call('GET', '/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true');
    assert.equal(bad.status, 422);
    const w = watch(e.sb, 'c1', '/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=tier');
    await waitFor('initial events end', () => w.events.some((ev) => ev.type === 'BOOKMARK'));
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('sie', {}, { tier: 'x' }));
    await waitFor('live event', () => w.events.some((ev) => ev.type === 'ADDED' && ev.object.metadata.name === 'sie'));
    w.close();
    const types = w.events.map((ev) => `${ev.type} ${ev.object.metadata.name ?? ''}`);
    assert.deepEqual(types.slice(0, 3), ['ADDED sel-a', 'ADDED sel-b', 'BOOKMARK ']);
    assert.equal(w.events[2].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
  });

  test('JSON patch, merge patch and strategic merge patch', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('patched'));
    const base = '/apis/apps/v1/namespaces/default/deployments/patched';
    const smp = await call(
      'PATCH',
      base,
      { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }, { name: 'sidecar', image: 'busybox' }] } } } },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    assert.equal(smp.status, 200, smp.text);
    const cs = smp.json.spec.template.spec.containers;
    assert.deepEqual(cs.map((c: { name: string }) => c.name), ['app', 'sidecar']);
    assert.deepEqual(cs[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    assert.equal(cs[0].image, 'nginx:1.27');
    assert.equal(cs[1].terminationMessagePath, '/dev/termination-log');
    assert.equal(smp.json.metadata.generation, 2);
    const del = await call(
      'PATCH',
      base,
      { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], $setElementOrder: undefined } } } },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    assert.deepEqual(del.json.spec.template.spec.containers.map((c: { name: string }) => c.name), ['app']);
    const merge = await call('PATCH', base, { spec: { template: { spec: { containers: [{ name: 'only', image: 'x:1' }] } } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.deepEqual(merge.json.spec.template.spec.containers.map((c: { name: string }) => c.name), ['only'], 'merge patch replaces lists');
    const jp = await call(
      'PATCH',
      base,
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
      ],
      { 'Content-Type': 'application/json-patch+json' },
    );
    assert.equal(jp.status, 200, jp.text);
    assert.equal(jp.json.spec.replicas, 4);
    const failed = await call('PATCH', base, [{ op: 'test', path: '/spec/replicas', value: 1 }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(failed.status, 422);
    const cur = await call('GET', '/api/v1/namespaces/default/configmaps/dup');
    const noop = await call('PATCH', '/api/v1/namespaces/default/configmaps/dup', { data: cur.json.data }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(noop.json.metadata.resourceVersion, cur.json.metadata.resourceVersion, 'no-op patch keeps the resourceVersion');
  });

  test('server-side apply: ownership, conflicts with Status details, force, field removal', async () => {
    const base = '/apis/apps/v1/namespaces/default/deployments/ssa';
    const body = (replicas: number, extra: Record<string, string> = {}): object => {
      const d = deployment('ssa', 'nginx:1.27', replicas) as { metadata: Record<string, unknown> };
      d.metadata.labels = { owner: 'bosun', ...extra };
      return d;
    };
    const created = await call('PATCH', `${base}?fieldManager=bosun`, body(2, { extra: 'yes' }), APPLY);
    assert.equal(created.status, 201, created.text);
    const mine = created.json.metadata.managedFields.find((m: { manager: string }) => m.manager === 'bosun');
    assert.equal(mine.operation, 'Apply');
    assert.ok(mine.fieldsV1['f:spec']['f:replicas']);
    // Another manager changes replicas with a plain update: it takes the field.
    const scaled = await call('PATCH', `${base}?fieldManager=scaler`, { spec: { replicas: 5 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(scaled.status, 200);
    // Re-applying a different replicas value now conflicts.
    const conflict = await call('PATCH', `${base}?fieldManager=bosun`, body(3, { extra: 'yes' }), APPLY);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.reason, 'Conflict');
    assert.equal(conflict.json.message, 'Apply failed with 1 conflict: conflict with "scaler" using apps/v1: .spec.replicas');
    assert.deepEqual(conflict.json.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "scaler" using apps/v1', field: '.spec.replicas' }]);
    // The same value is not a conflict (shared ownership).
    const shared = await call('PATCH', `${base}?fieldManager=bosun`, body(5, { extra: 'yes' }), APPLY);
    assert.equal(shared.status, 200, shared.text);
    // dryRun runs conflict detection but stores nothing.
    const dry = await call('PATCH', `${base}?fieldManager=bosun&dryRun=All`, body(7), APPLY);
    assert.equal(dry.status, 409);
    // force takes ownership; the omitted label is removed.
    const forced = await call('PATCH', `${base}?fieldManager=bosun&force=true`, body(3), APPLY);
    assert.equal(forced.status, 200, forced.text);
    assert.equal(forced.json.spec.replicas, 3);
    assert.deepEqual(forced.json.metadata.labels, { owner: 'bosun' });
    const scaler = forced.json.metadata.managedFields.find((m: { manager: string }) => m.manager === 'scaler');
    assert.equal(scaler, undefined, 'scaler lost its only field');
    // Field validation of apply requests.
    const noManager = await call('PATCH', base, body(3), APPLY);
    assert.equal(noManager.status, 422);
    const wrongVersion = await call('PATCH', `${base}?fieldManager=bosun`, { ...body(3), apiVersion: 'apps/v1beta1' }, APPLY);
    assert.equal(wrongVersion.status, 400);
    assert.match(wrongVersion.json.message, /Incorrect version specified in apply patch/);
    const forceNonApply = await call('PATCH', `${base}?force=true`, {}, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(forceNonApply.status, 422);
    // YAML bodies are accepted.
    const yaml = await call('PATCH', '/api/v1/namespaces/default/configmaps/from-yaml?fieldManager=me', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n', APPLY);
    assert.equal(yaml.status, 201, yaml.text);
    assert.deepEqual(yaml.json.data, { k: 'v' });
  });

  test('status and scale subresources; services keep their clusterIP', async () => {
    const base = '/apis/apps/v1/namespaces/default/deployments/scaled';
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('scaled', 'nginx:1.27', 1));
    const scale = await call('GET', `${base}/scale`);
    assert.equal(scale.json.kind, 'Scale');
    assert.equal(scale.json.spec.replicas, 1);
    assert.equal(scale.json.status.selector, 'app=scaled');
    const put = await call('PATCH', `${base}/scale`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(put.json.spec.replicas, 3);
    await waitFor('three ready replicas', async () => (await call('GET', base)).json.status?.readyReplicas === 3);
    // Writes to the main resource ignore status; status writes ignore spec.
    const cur = (await call('GET', base)).json;
    const ignored = await call('PUT', base, { ...cur, status: { replicas: 99 } });
    assert.equal(ignored.json.status.replicas, 3);
    const st = await call('PATCH', `${base}/status`, { spec: { replicas: 10 }, status: { observedGeneration: 42 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(st.json.status.observedGeneration, 42);
    assert.equal(st.json.spec.replicas, 3);

    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] } };
    const created = await call('PATCH', '/api/v1/namespaces/default/services/lb?fieldManager=a', svc, APPLY);
    assert.equal(created.status, 201, created.text);
    const ip = created.json.spec.clusterIP;
    assert.equal(created.json.spec.ports[0].targetPort, 80);
    assert.ok(created.json.spec.ports[0].nodePort >= 30000);
    const again = await call('PATCH', '/api/v1/namespaces/default/services/lb?fieldManager=a', svc, APPLY);
    assert.equal(again.json.spec.clusterIP, ip);
    await waitFor('load balancer address', async () => (await call('GET', '/api/v1/namespaces/default/services/lb')).json.status.loadBalancer.ingress?.[0]?.ip);
    const changeIP = await call('PATCH', '/api/v1/namespaces/default/services/lb', { spec: { clusterIP: '10.96.200.200' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(changeIP.status, 422);
  });

  test('finalizers, propagation and namespace deletion', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await waitFor('default service account', async () => (await call('GET', '/api/v1/namespaces/doomed/serviceaccounts/default')).status === 200);
    await call('POST', '/api/v1/namespaces/doomed/configmaps', { ...cm('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const del = await call('DELETE', '/api/v1/namespaces/doomed/configmaps/held');
    assert.equal(del.status, 200);
    assert.ok(del.json.metadata.deletionTimestamp);
    assert.equal((await call('GET', '/api/v1/namespaces/doomed/configmaps/held')).status, 200);

    const ns = await call('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(ns.json.status.phase, 'Terminating');
    const forbidden = await call('POST', '/api/v1/namespaces/doomed/configmaps', cm('late'));
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.json.details.causes[0].reason, 'NamespaceTerminating');
    // The namespace waits for the finalizer; removing it lets everything go.
    const held = (await call('GET', '/api/v1/namespaces/doomed/configmaps/held')).json;
    await call('PUT', '/api/v1/namespaces/doomed/configmaps/held', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await waitFor('namespace removed', async () => (await call('GET', '/api/v1/namespaces/doomed')).status === 404, 10_000);

    // Foreground deletion waits for the dependents (replica set, pods).
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('fg', 'nginx:1.27', 2));
    await waitFor('pods', async () => (await call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dfg')).json.items.length === 2);
    const fg = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/fg', { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    assert.ok(fg.json.metadata.finalizers.includes('foregroundDeletion'));
    await waitFor('deployment gone', async () => (await call('GET', '/apis/apps/v1/namespaces/default/deployments/fg')).status === 404);
    assert.equal((await call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dfg')).json.items.length, 0);

    // deletecollection answers the list of deleted objects.
    const dc = await call('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=env%3Dprod');
    assert.equal(dc.json.kind, 'ConfigMapList');
    assert.deepEqual(dc.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['sel-a', 'sel-b']);
  });

  test('jobs complete, or fail when annotated', async () => {
    const job = (name: string, fail: boolean): object => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, ...(fail ? { annotations: { 'sandbox.bosun.dev/fail': 'true' } } : {}) },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const ok = await call('POST', '/apis/batch/v1/namespaces/default/jobs', job('ok', false));
    assert.equal(ok.json.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'], ok.json.metadata.uid);
    await call('POST', '/apis/batch/v1/namespaces/default/jobs', job('ko', true));
    const cond = async (name: string): Promise<string | undefined> =>
      ((await call('GET', `/apis/batch/v1/namespaces/default/jobs/${name}`)).json.status?.conditions ?? []).find((c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
    assert.equal(await waitFor('ok completes', () => cond('ok')), 'Complete');
    assert.equal(await waitFor('ko fails', () => cond('ko')), 'Failed');
    const noRestart = await call('POST', '/apis/batch/v1/namespaces/default/jobs', { ...job('bad', false), spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    assert.equal(noRestart.status, 422);
  });

  test('stateful sets, daemon sets, persistent volume claims and pods become ready', async () => {
    const tpl = (app: string): object => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'redis:7' }] } });
    await call('POST', '/apis/apps/v1/namespaces/default/statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        replicas: 2,
        selector: { matchLabels: { app: 'db' } },
        template: tpl('db'),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: tpl('agent') } });
    const sts = await waitFor('stateful set ready', async () => {
      const o = (await call('GET', '/apis/apps/v1/namespaces/default/statefulsets/db')).json;
      return o.status?.readyReplicas === 2 && o.status.currentRevision === o.status.updateRevision && o;
    });
    assert.equal(sts.status.observedGeneration, 1);
    const pods = (await call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Ddb')).json.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    assert.deepEqual(pods, ['db-0', 'db-1']);
    await waitFor('claims bound', async () => {
      const claims = (await call('GET', '/api/v1/namespaces/default/persistentvolumeclaims')).json.items;
      return claims.length === 2 && claims.every((c: { status: { phase: string } }) => c.status.phase === 'Bound');
    });
    const pvc = (await call('GET', '/api/v1/namespaces/default/persistentvolumeclaims/data-db-0')).json;
    assert.equal(pvc.spec.storageClassName, 'standard');
    assert.deepEqual(pvc.status.capacity, { storage: '1Gi' });
    const ds = await waitFor('daemon set ready', async () => {
      const o = (await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/agent')).json;
      return o.status?.numberReady === 1 && o;
    });
    assert.equal(ds.status.desiredNumberScheduled, 1);
    assert.equal(ds.spec.updateStrategy.rollingUpdate.maxUnavailable, 1);
    // A bare pod that runs to completion (helm test pods) ends Succeeded.
    await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } });
    const pod = await waitFor('pod succeeded', async () => {
      const o = (await call('GET', '/api/v1/namespaces/default/pods/once')).json;
      return o.status?.phase === 'Succeeded' && o;
    });
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.equal(pod.status.containerStatuses[0].state.terminated.exitCode, 0);
  });

  test('custom resources: CRD established, discovery, pruning, validation', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.acme.io' },
      spec: {
        group: 'acme.io',
        scope: 'Namespaced',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 }, mode: { type: 'string', enum: ['a', 'b'], default: 'a' } } }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
          },
        ],
      },
    };
    const created = await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.equal(created.status, 201, created.text);
    assert.ok(created.json.status.conditions.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True'));
    const rl = await call('GET', '/apis/acme.io/v1');
    assert.deepEqual(rl.json.resources.map((r: { name: string }) => r.name), ['gadgets', 'gadgets/status']);
    const g = { apiVersion: 'acme.io/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 2, unknown: true } };
    const warn = await call('POST', '/apis/acme.io/v1/namespaces/default/gadgets', g);
    assert.equal(warn.status, 201);
    assert.match(String(warn.headers.warning), /unknown field \\"spec.unknown\\"/);
    assert.deepEqual(warn.json.spec, { size: 2, mode: 'a' });
    const strict = await call('POST', '/apis/acme.io/v1/namespaces/default/gadgets?fieldValidation=Strict', { ...g, metadata: { name: 'g2' } });
    assert.equal(strict.status, 400);
    assert.match(strict.json.message, /strict decoding error: unknown field "spec.unknown"/);
    const bad = await call('POST', '/apis/acme.io/v1/namespaces/default/gadgets', { ...g, metadata: { name: 'g3' }, spec: { size: 0, mode: 'c' } });
    assert.equal(bad.status, 422);
    const smp = await call('PATCH', '/apis/acme.io/v1/namespaces/default/gadgets/g1', {}, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 415);
    const noRv = await call('PUT', '/apis/acme.io/v1/namespaces/default/gadgets/g1', { ...g, spec: { size: 3 } });
    assert.equal(noRv.status, 422);
    const upd = await call('PUT', '/apis/acme.io/v1/namespaces/default/gadgets/g1', { ...warn.json, spec: { size: 3 }, status: { ignored: true } });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.json.metadata.generation, 2);
    assert.equal(upd.json.status, undefined);
  });
  test('subresource creates take their own kinds: pod eviction and service account token', async () => {
    const pod = await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evictee' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(pod.status, 201, pod.text);
    const evicted = await call('POST', '/api/v1/namespaces/default/pods/evictee/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evictee', namespace: 'default' } });
    assert.equal(evicted.status, 201, evicted.text);
    // The eviction storage answers a bare Success; the create handler fills in the code.
    assert.deepEqual(evicted.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal((await call('GET', '/api/v1/namespaces/default/pods/evictee')).status, 404);
    const token = await call('POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
    assert.equal(token.status, 201, token.text);
    assert.equal(token.json.kind, 'TokenRequest');
    assert.equal(token.json.spec.expirationSeconds, 600);
    assert.ok(token.json.status.token);
  });
});
