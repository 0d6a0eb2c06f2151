// The SQL driver on a real PostgreSQL (scripts/postgres.sh: Debian's package, a throwaway cluster): bosun and the
// real helm (v4 and v3) share releases both ways, whichever of them created the tables first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { api, bosun, haveTool, helm, ROOT, sandboxEnv, SANDBOX_APP, type Env } from './helpers.js';

function startPostgres(): { url?: string; why?: string } {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'postgres.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { why: `scripts/postgres.sh could not start PostgreSQL (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  return { url: r.stdout.trim().split('\n').pop() };
}

const pgInfo = startPostgres();
if (pgInfo.why && process.env.CI) throw new Error(pgInfo.why);
const skip = pgInfo.why ? `SQL tests skipped: ${pgInfo.why}` : !haveTool('helm4') || !haveTool('helm3') ? 'helm binaries missing' : false;

async function freshDatabase(base: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name}`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

describe('sql driver interop', { skip }, () => {
  let e: Env;
  before(async () => {
    e = await sandboxEnv({ clusters: ['prod'], controllerDelayMs: 20 });
  });
  after(async () => {
    await e?.close();
  });

  const message = async (ns: string, rel: string) => (await api(e.sb, 'prod', 'GET', `/api/v1/namespaces/${ns}/configmaps/${rel}-sandbox-app`)).json?.data?.message;

  test('bosun creates the tables; helm v4 and v3 read and change its releases', async () => {
    const db = await freshDatabase(pgInfo.url!, `bosun_sql_a_${process.pid}`);
    const henv = { HELM_DRIVER: 'sql', HELM_DRIVER_SQL_CONNECTION_STRING: db };
    const b = (...a: string[]) => bosun([...a.slice(0, a[0] === 'get' ? 2 : 1), '--storage', 'sql', ...a.slice(a[0] === 'get' ? 2 : 1)], e);
    const h = (which: 'helm4' | 'helm3', ...a: string[]) => helm(which, e, ['--kube-context', 'prod', ...a], henv);
    process.env.HELM_DRIVER_SQL_CONNECTION_STRING = db;
    try {
      let r = await b('install', 'web', SANDBOX_APP, '-n', 'apps', '--create-namespace', '--set', 'message=one', '--labels', 'team=blue');
      assert.equal(r.code, 0, r.stderr);
      r = await b('upgrade', 'web', SANDBOX_APP, '-n', 'apps', '--set', 'message=two');
      assert.equal(r.code, 0, r.stderr);
      for (const which of ['helm4', 'helm3'] as const) {
        for (const cmd of [['list', '-n', 'apps'], ['history', 'web', '-n', 'apps'], ['get', 'values', 'web', '-n', 'apps']]) {
          const hr = await h(which, ...cmd);
          const br = await b(...cmd);
          assert.equal(hr.code, 0, hr.stderr);
          assert.equal(br.stdout, hr.stdout, `${which} ${cmd.join(' ')}`);
        }
      }
      r = await h('helm4', 'rollback', 'web', '1', '-n', 'apps');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await message('apps', 'web'), 'one');
      r = await h('helm3', 'upgrade', 'web', SANDBOX_APP, '-n', 'apps', '--set', 'message=three');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await message('apps', 'web'), 'three');
      const hist = JSON.parse((await b('history', 'web', '-n', 'apps', '-o', 'json')).stdout) as Array<{ status: string }>;
      assert.deepEqual(hist.map((x) => x.status), ['superseded', 'superseded', 'superseded', 'deployed']);
      // Custom labels live in custom_labels_v1, as helm keeps them.
      const c = new pg.Client({ connectionString: db });
      await c.connect();
      const labels = await c.query('SELECT releasekey, key, value FROM custom_labels_v1 ORDER BY releasekey');
      const mig = await c.query('SELECT id FROM gorp_migrations ORDER BY id');
      await c.end();
      assert.deepEqual(labels.rows[0], { releasekey: 'sh.helm.release.v1.web.v1', key: 'team', value: 'blue' });
      assert.deepEqual(mig.rows.map((x) => x.id), ['custom_labels', 'init']);
      r = await b('uninstall', 'web', '-n', 'apps');
      assert.equal(r.code, 0, r.stderr);
      const gone = await h('helm4', 'history', 'web', '-n', 'apps');
      assert.match(gone.stderr, /release: not found/);
    } finally {
      delete process.env.HELM_DRIVER_SQL_CONNECTION_STRING;
    }
  });

  test('helm creates the tables; bosun lists, upgrades and rolls back its releases', async () => {
    const db = await freshDatabase(pgInfo.url!, `bosun_sql_b_${process.pid}`);
    const henv = { HELM_DRIVER: 'sql', HELM_DRIVER_SQL_CONNECTION_STRING: db };
    process.env.HELM_DRIVER_SQL_CONNECTION_STRING = db;
    try {
      let r = await helm('helm4', e, ['--kube-context', 'prod', 'install', 'api', SANDBOX_APP, '-n', 'sqlb', '--create-namespace', '--set', 'message=h1'], henv);
      assert.equal(r.code, 0, r.stderr);
      const b = (...a: string[]) => bosun([a[0]!, '--storage', 'sql', ...a.slice(1)], e);
      for (const cmd of [['list', '-n', 'sqlb'], ['history', 'api', '-n', 'sqlb']]) {
        const hr = await helm('helm4', e, ['--kube-context', 'prod', ...cmd], henv);
        const br = await b(...cmd);
        assert.equal(br.code, 0, br.stderr);
        assert.equal(br.stdout, hr.stdout);
      }
      r = await b('upgrade', 'api', SANDBOX_APP, '-n', 'sqlb', '--set', 'message=b2');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await message('sqlb', 'api'), 'b2');
      r = await b('rollback', 'api', '-n', 'sqlb');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await message('sqlb', 'api'), 'h1');
      const hh = await helm('helm3', e, ['--kube-context', 'prod', 'history', 'api', '-n', 'sqlb', '-o', 'json'], henv);
      assert.deepEqual((JSON.parse(hh.stdout) as Array<{ description: string }>).map((x) => x.description), ['Install complete', 'Upgrade complete', 'Rollback to 1']);
    } finally {
      delete process.env.HELM_DRIVER_SQL_CONNECTION_STRING;
    }
  });
});
