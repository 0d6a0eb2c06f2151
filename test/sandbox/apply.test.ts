// Server-side apply semantics, each checked on its own (Kubernetes' documented rules, see the server-side-apply page
// and k8s.io/apimachinery/pkg/util/managedfields for the conflict wording):
//   - a field the same manager applied before and now omits is removed, or reset to its default, unless another
//     manager also owns it;
//   - changing a field another manager owns is a 409 Conflict naming every conflicting field and manager in
//     Status.details.causes, and nothing is written;
//   - force=true takes the conflicting fields over: the value is written and the other manager loses them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, sandboxEnv, type Env } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

interface Spec {
  replicas?: number;
  image?: string;
  labels?: Record<string, string>;
  env?: Array<{ name: string; value: string }>;
}

/** An apply configuration: only the fields given are part of it. */
function config(name: string, s: Spec): Any {
  const container: Any = { name: 'app' };
  if (s.image !== undefined) container.image = s.image;
  if (s.env !== undefined) container.env = s.env;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(s.labels ? { labels: s.labels } : {}) },
    spec: {
      ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
}

const owned = (obj: Any, manager: string): Any => obj.metadata.managedFields.find((m: Any) => m.manager === manager);

describe('server-side apply semantics', () => {
  let e: Env;
  const apply = (name: string, manager: string, s: Spec, query = ''): ReturnType<typeof api> =>
    api(e.sb, 'ssa', 'PATCH', `${DEPLOYMENTS}/${name}?fieldManager=${manager}${query}`, config(name, s), APPLY);
  const get = async (name: string): Promise<Any> => (await api(e.sb, 'ssa', 'GET', `${DEPLOYMENTS}/${name}`)).json;

  before(async () => {
    e = await sandboxEnv({ clusters: ['ssa'], controllerDelayMs: 20 });
  });
  after(async () => {
    await e?.close();
  });

  test('a field dropped from a later apply by the same manager is removed (or reset to its default)', async () => {
    const first = await apply('drop', 'team-a', {
      replicas: 3,
      image: 'nginx:1.27',
      labels: { app: 'drop', tier: 'web' },
      env: [
        { name: 'KEEP', value: '1' },
        { name: 'GONE', value: '2' },
      ],
    });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.spec.replicas, 3);

    const second = await apply('drop', 'team-a', { image: 'nginx:1.27', labels: { app: 'drop' }, env: [{ name: 'KEEP', value: '1' }] });
    assert.equal(second.status, 200, second.text);
    const d = second.json;
    assert.deepEqual(d.metadata.labels, { app: 'drop' }, 'the dropped label is removed');
    assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'KEEP', value: '1' }], 'the dropped list item is removed');
    assert.equal(d.spec.replicas, 1, 'a dropped field with a default goes back to the default');
    const mine = owned(d, 'team-a').fieldsV1;
    assert.equal(mine['f:spec']['f:replicas'], undefined);
    assert.equal(mine['f:metadata']['f:labels']['f:tier'], undefined);
    assert.deepEqual(Object.keys(mine['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}']['f:env']), ['k:{"name":"KEEP"}']);
    // Stored, not only answered.
    assert.deepEqual((await get('drop')).metadata.labels, { app: 'drop' });
  });

  test('a dropped field another manager also owns stays, owned by that manager alone', async () => {
    assert.equal((await apply('shared', 'team-a', { replicas: 2, image: 'nginx:1.27', labels: { app: 'shared', owner: 'both' } })).status, 201);
    // team-b applies the same values: shared ownership, no conflict.
    const b = await apply('shared', 'team-b', { replicas: 2, image: 'nginx:1.27', labels: { owner: 'both' } });
    assert.equal(b.status, 200, b.text);
    assert.ok(owned(b.json, 'team-a').fieldsV1['f:spec']['f:replicas']);
    assert.ok(owned(b.json, 'team-b').fieldsV1['f:spec']['f:replicas']);
    // team-a lets go of replicas and the label: team-b still owns them, so the values stay.
    const a = await apply('shared', 'team-a', { image: 'nginx:1.27', labels: { app: 'shared' } });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.spec.replicas, 2);
    assert.equal(a.json.metadata.labels.owner, 'both');
    assert.equal(owned(a.json, 'team-a').fieldsV1['f:spec']['f:replicas'], undefined);
    assert.ok(owned(a.json, 'team-b').fieldsV1['f:spec']['f:replicas']);
    // Now team-b may change replicas without a conflict (no one else owns it).
    const changed = await apply('shared', 'team-b', { replicas: 4, image: 'nginx:1.27', labels: { owner: 'both' } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.json.spec.replicas, 4);
  });

  test('a conflicting manager gets 409 with causes, and nothing changes', async () => {
    assert.equal((await apply('conflict', 'team-a', { replicas: 2, image: 'nginx:1.27' })).status, 201);
    const before = await get('conflict');

    // One conflict with an applier.
    const one = await apply('conflict', 'team-b', { replicas: 3 });
    assert.equal(one.status, 409);
    assert.deepEqual(one.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "team-a": .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.replicas' }] },
      code: 409,
    });

    // Two conflicts: grouped by manager, "conflicts with", one "- path" line each.
    const two = await apply('conflict', 'team-b', { replicas: 3, image: 'nginx:1.28' });
    assert.equal(two.status, 409);
    assert.equal(two.json.reason, 'Conflict');
    assert.equal(
      two.json.message,
      'Apply failed with 2 conflicts: conflicts with "team-a":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
    assert.deepEqual(two.json.details.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.replicas' },
      { reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.template.spec.containers[name="app"].image' },
    ]);

    // The failed applies wrote nothing.
    const mid = await get('conflict');
    assert.deepEqual(mid.spec, before.spec);
    assert.deepEqual(owned(mid, 'team-a'), owned(before, 'team-a'));
    assert.equal(owned(mid, 'team-b'), undefined, 'team-b never became a manager');

    // A field last written by a non-apply update names that manager with the API version it used.
    const scaled = await api(e.sb, 'ssa', 'PATCH', `${DEPLOYMENTS}/conflict?fieldManager=scaler`, { spec: { replicas: 6 } }, MERGE);
    assert.equal(scaled.status, 200, scaled.text);
    const byUpdate = await apply('conflict', 'team-a', { replicas: 2, image: 'nginx:1.27' });
    assert.equal(byUpdate.status, 409);
    assert.equal(byUpdate.json.message, 'Apply failed with 1 conflict: conflict with "scaler" using apps/v1: .spec.replicas');
    assert.deepEqual(byUpdate.json.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "scaler" using apps/v1', field: '.spec.replicas' }]);

    // dryRun=All runs the conflict check too.
    assert.equal((await apply('conflict', 'team-b', { replicas: 3 }, '&dryRun=All')).status, 409);

    const now = await get('conflict');
    assert.equal(now.spec.replicas, 6);
    assert.equal(now.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(owned(now, 'team-b'), undefined);
  });

  test('force takes ownership', async () => {
    assert.equal((await apply('force', 'team-a', { replicas: 2, image: 'nginx:1.27', labels: { app: 'force', team: 'a' } })).status, 201);
    const forced = await apply('force', 'team-b', { replicas: 5, labels: { team: 'b' } }, '&force=true');
    assert.equal(forced.status, 200, forced.text);
    const d = forced.json;
    assert.equal(d.spec.replicas, 5);
    assert.equal(d.metadata.labels.team, 'b');
    const a = owned(d, 'team-a').fieldsV1;
    const b = owned(d, 'team-b').fieldsV1;
    assert.equal(a['f:spec']['f:replicas'], undefined, 'team-a lost .spec.replicas');
    assert.equal(a['f:metadata']['f:labels']['f:team'], undefined, 'team-a lost the label');
    assert.ok(a['f:spec']['f:template'], 'team-a keeps what did not conflict');
    assert.ok(b['f:spec']['f:replicas']);
    assert.ok(b['f:metadata']['f:labels']['f:team']);
    assert.equal(owned(d, 'team-b').operation, 'Apply');

    // team-a dropping replicas now changes nothing: it no longer owns the field.
    const a2 = await apply('force', 'team-a', { image: 'nginx:1.27', labels: { app: 'force' } });
    assert.equal(a2.status, 200, a2.text);
    assert.equal(a2.json.spec.replicas, 5);
    // And team-a applying its old value is now the conflicting side.
    const back = await apply('force', 'team-a', { replicas: 2, image: 'nginx:1.27', labels: { app: 'force' } });
    assert.equal(back.status, 409);
    assert.equal(back.json.message, 'Apply failed with 1 conflict: conflict with "team-b": .spec.replicas');

    // Forcing over a non-apply manager removes that manager's entry once it owns nothing.
    const scaled = await api(e.sb, 'ssa', 'PATCH', `${DEPLOYMENTS}/force?fieldManager=scaler`, { spec: { replicas: 7 } }, MERGE);
    assert.deepEqual(owned(scaled.json, 'scaler').fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    const overScaler = await apply('force', 'team-b', { replicas: 8, labels: { team: 'b' } }, '&force=true');
    assert.equal(overScaler.status, 200, overScaler.text);
    assert.equal(overScaler.json.spec.replicas, 8);
    assert.equal(owned(overScaler.json, 'scaler'), undefined);
  });

  test('an applier that took over a map owned whole by an update keeps the map and the fields it still applies', async () => {
    // What helm 4 and kubectl do when a client-side applied object moves to server-side apply (csaupgrade): the
    // client's Update entry, which owns `data` and `labels` themselves (`.`), becomes the applier's Apply entry.
    const CMS = '/api/v1/namespaces/default/configmaps';
    const created = await api(e.sb, 'ssa', 'POST', `${CMS}?fieldManager=csa`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'moved', labels: { app: 'moved' } },
      data: { a: '1', b: '2' },
    });
    assert.equal(created.status, 201, created.text);
    const entry = owned(created.json, 'csa');
    assert.equal(entry.operation, 'Update');
    assert.deepEqual(entry.fieldsV1['f:data'], { '.': {}, 'f:a': {}, 'f:b': {} });
    const moved = await api(
      e.sb,
      'ssa',
      'PATCH',
      `${CMS}/moved`,
      [
        { op: 'replace', path: '/metadata/managedFields', value: [{ ...entry, operation: 'Apply', manager: 'ssa' }] },
        { op: 'replace', path: '/metadata/resourceVersion', value: created.json.metadata.resourceVersion },
      ],
      { 'Content-Type': 'application/json-patch+json' },
    );
    assert.equal(moved.status, 200, moved.text);
    const applied = await api(e.sb, 'ssa', 'PATCH', `${CMS}/moved?fieldManager=ssa`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'moved', labels: { app: 'moved' } }, data: { a: '1' } }, APPLY);
    assert.equal(applied.status, 200, applied.text);
    assert.deepEqual(applied.json.data, { a: '1' }, 'b, no longer applied, is gone; data and a stay');
    assert.deepEqual(applied.json.metadata.labels, { app: 'moved' });
    assert.deepEqual(owned(applied.json, 'ssa').fieldsV1, { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  });
});
