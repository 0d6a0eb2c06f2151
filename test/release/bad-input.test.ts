// Bad input: an unknown release, a rollback to a revision that does not exist, a namespace that does not exist
// without --create-namespace, an object that belongs to someone else. bosun's error is helm v4.1.4's (the same
// "Error: ..." line on the same cluster state) and nothing in the cluster changes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, bosun, haveTool, helm, sandboxEnv, writeChart, SANDBOX_APP, type Env } from './helpers.js';

const errorLine = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('Error: ')).join('\n');

describe('bad input', { skip: !haveTool('helm4') && 'helm4 not in .tools' }, () => {
  let e: Env;
  before(async () => {
    e = await sandboxEnv({ clusters: ['prod'], controllerDelayMs: 20 });
    // --wait: the sandbox's controllers finish updating the Deployment's status before the snapshots start.
    const r = await bosun(['install', 'web', SANDBOX_APP, '-n', 'apps', '--create-namespace', '--wait'], e);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => e?.close());

  /** Every object bosun or helm could have touched, with its resourceVersion. */
  async function snapshot(): Promise<string[]> {
    const out: string[] = [];
    for (const path of ['/api/v1/namespaces', '/api/v1/secrets', '/api/v1/configmaps', '/api/v1/services', '/apis/apps/v1/deployments', '/apis/batch/v1/jobs']) {
      const r = await api(e.sb, 'prod', 'GET', path);
      for (const o of r.json.items as Array<{ metadata: { namespace?: string; name: string; resourceVersion: string } }>) {
        out.push(`${path} ${o.metadata.namespace ?? ''}/${o.metadata.name}@${o.metadata.resourceVersion}`);
      }
    }
    return out.sort();
  }

  const cases: Array<[string, string[]]> = [
    ['status of an unknown release', ['status', 'nope', '-n', 'apps']],
    ['history of an unknown release', ['history', 'nope', '-n', 'apps']],
    ['get values of an unknown release', ['get', 'values', 'nope', '-n', 'apps']],
    ['upgrade of an unknown release', ['upgrade', 'nope', SANDBOX_APP, '-n', 'apps']],
    ['rollback of an unknown release', ['rollback', 'nope', '1', '-n', 'apps']],
    ['uninstall of an unknown release', ['uninstall', 'nope', '-n', 'apps']],
    ['rollback to a revision that does not exist', ['rollback', 'web', '9', '-n', 'apps']],
    ['install into a namespace that does not exist', ['install', 'zz', SANDBOX_APP, '-n', 'nowhere']],
    ['install under a name in use', ['install', 'web', SANDBOX_APP, '-n', 'apps']],
    ['an invalid release name', ['install', 'Bad_Name', SANDBOX_APP, '-n', 'apps']],
  ];
  for (const [what, args] of cases) {
    test(what, async () => {
      const before = await snapshot();
      const words = args[0] === 'get' ? 2 : 1;
      const br = await bosun(args, e);
      const after = await snapshot();
      const hr = await helm('helm4', e, [...args.slice(0, words), '--kube-context', 'prod', ...args.slice(words)]);
      assert.notEqual(hr.code, 0);
      assert.notEqual(br.code, 0, `bosun ${args.join(' ')} must fail`);
      assert.equal(errorLine(br.stderr), errorLine(hr.stderr));
      assert.deepEqual(after, before, 'nothing changed');
    });
  }

  test('a cluster-scoped object owned by another release: the same error as helm', async () => {
    const chart = writeChart(mkdtempSync(join(tmpdir(), 'bosun-bad-input-')), {
      'Chart.yaml': 'apiVersion: v2\nname: cr\nversion: 0.1.0\n',
      'templates/role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: shared-reader\nrules: []\n',
    });
    const theirs = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'shared-reader', labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'other', 'meta.helm.sh/release-namespace': 'elsewhere' } },
      rules: [],
    };
    assert.equal((await api(e.sb, 'prod', 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', theirs)).status, 201);
    const br = await bosun(['install', 'mine', chart, '-n', 'apps'], e);
    const hr = await helm('helm4', e, ['install', 'mine', chart, '-n', 'apps', '--kube-context', 'prod']);
    assert.notEqual(br.code, 0);
    assert.match(errorLine(hr.stderr), /ClusterRole "shared-reader" in namespace "" exists/);
    assert.equal(errorLine(br.stderr), errorLine(hr.stderr));
  });

  test("an apply the API server refuses: helm's words (install, upgrade creating an object, upgrade of one)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bosun-bad-input-'));
    const deployment = (app: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
    const chart = (name: string, files: Record<string, string>) => writeChart(join(dir, name), { 'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`, ...files });
    const base = chart('base', { 'templates/d.yaml': deployment('web') });
    const elsewhere = chart('elsewhere', { 'templates/d.yaml': deployment('web'), 'templates/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: nowhere}\n' });
    const moved = chart('moved', { 'templates/d.yaml': deployment('web2') });
    const both = async (ns: string, args: string[]) => {
      const br = await bosun([...args, '-n', `b-${ns}`, '--create-namespace'], e);
      const hr = await helm('helm4', e, [...args, '-n', `h-${ns}`, '--create-namespace', '--kube-context', 'prod']);
      return { br, hr };
    };
    for (const [ns, steps] of [
      ['new-elsewhere', [['install', 'r', elsewhere]]],
      ['up-elsewhere', [['install', 'r', base], ['upgrade', 'r', elsewhere]]],
      ['up-immutable', [['install', 'r', base], ['upgrade', 'r', moved]]],
    ] as const) {
      let last;
      for (const step of steps) last = await both(ns, [...step]);
      assert.notEqual(last!.br.code, 0, ns);
      assert.notEqual(errorLine(last!.hr.stderr), '', ns);
      assert.equal(errorLine(last!.br.stderr), errorLine(last!.hr.stderr), ns);
    }
  });

  test('client-side apply asked for (--server-side=false) is refused, and nothing changes', async () => {
    // helm 4 would apply client-side; bosun only applies server-side, and says so instead of doing it anyway.
    for (const args of [
      ['upgrade', 'web', SANDBOX_APP, '-n', 'apps', '--server-side=false'],
      ['install', 'other', SANDBOX_APP, '-n', 'apps', '--server-side', 'false'],
      ['rollback', 'web', '1', '-n', 'apps', '--server-side=False'],
    ]) {
      const before = await snapshot();
      const r = await bosun(args, e);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
      assert.match(errorLine(r.stderr), /^Error: --server-side=(false|False): bosun applies server-side only; client-side apply is not supported$/);
      assert.deepEqual(await snapshot(), before, 'nothing changed');
    }
  });

  test('an object owned by another release (and one owned by nobody)', async () => {
    // The ConfigMap the chart renders for release "taken" exists, made by hand, and a Service belongs to release "web".
    await api(e.sb, 'prod', 'POST', '/api/v1/namespaces/apps/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken-sandbox-app', namespace: 'apps' }, data: { k: 'v' } });
    const before = await snapshot();
    const br = await bosun(['install', 'taken', SANDBOX_APP, '-n', 'apps'], e);
    const after = await snapshot();
    const hr = await helm('helm4', e, ['install', 'taken', SANDBOX_APP, '-n', 'apps', '--kube-context', 'prod']);
    assert.notEqual(br.code, 0);
    assert.equal(errorLine(br.stderr), errorLine(hr.stderr));
    assert.deepEqual(after, before, 'nothing changed');

    // An object of another release: release "web" is uninstalled (history kept), then a ConfigMap with its name
    // appears that release "someone-else" owns; installing "web" again must stop on it.
    await api(e.sb, 'prod', 'DELETE', '/api/v1/namespaces/apps/configmaps/taken-sandbox-app');
    const un = await bosun(['uninstall', 'web', '-n', 'apps', '--keep-history'], e);
    assert.equal(un.code, 0, un.stderr);
    const foreign = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'web-sandbox-app',
        namespace: 'apps',
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: { 'meta.helm.sh/release-name': 'someone-else', 'meta.helm.sh/release-namespace': 'apps' },
      },
      data: { message: 'theirs' },
    };
    assert.equal((await api(e.sb, 'prod', 'POST', '/api/v1/namespaces/apps/configmaps', foreign)).status, 201);
    const snap = await snapshot();
    const b3 = await bosun(['install', 'web', SANDBOX_APP, '-n', 'apps', '--replace'], e);
    const snap2 = await snapshot();
    const h3 = await helm('helm4', e, ['install', 'web', SANDBOX_APP, '-n', 'apps', '--replace', '--kube-context', 'prod']);
    assert.notEqual(b3.code, 0);
    assert.equal(errorLine(b3.stderr), errorLine(h3.stderr));
    assert.deepEqual(snap2, snap, 'nothing changed');
    // --take-ownership takes it.
    const b4 = await bosun(['install', 'web', SANDBOX_APP, '-n', 'apps', '--replace', '--take-ownership'], e);
    assert.equal(b4.code, 0, b4.stderr);
    const owned = await api(e.sb, 'prod', 'GET', '/api/v1/namespaces/apps/configmaps/web-sandbox-app');
    assert.equal(owned.json.metadata.annotations['meta.helm.sh/release-name'], 'web');
  });
});
