// The SQL driver on PostgreSQL (Helm's pkg/storage/driver/sql.go): table releases_v1 with one row per revision,
// custom labels in custom_labels_v1, both created by the migrations "init" and "custom_labels" recorded in
// sql-migrate's gorp_migrations table, so helm and bosun share one database and neither re-runs the other's
// migrations. Identifiers are unquoted as Helm writes them (PostgreSQL folds createdAt to createdat).
import type pg from 'pg';
import { createRequire } from 'node:module';
import { decodeRelease, encodeRelease, type Release } from './record.js';
import { filterSystemLabels, ReleaseExistsError, ReleaseNotFoundError, type Driver } from './driver.js';

const MIGRATIONS: Array<{ id: string; up: string }> = [
  {
    id: 'init',
    up: `
      CREATE TABLE releases_v1 (
        key VARCHAR(90),
        type VARCHAR(64) NOT NULL,
        body TEXT NOT NULL,
        name VARCHAR(64) NOT NULL,
        namespace VARCHAR(64) NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        owner TEXT NOT NULL,
        createdAt INTEGER NOT NULL,
        modifiedAt INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(key, namespace)
      );
      CREATE INDEX ON releases_v1 (key, namespace);
      CREATE INDEX ON releases_v1 (version);
      CREATE INDEX ON releases_v1 (status);
      CREATE INDEX ON releases_v1 (owner);
      CREATE INDEX ON releases_v1 (createdAt);
      CREATE INDEX ON releases_v1 (modifiedAt);
      GRANT ALL ON releases_v1 TO PUBLIC;
      ALTER TABLE releases_v1 ENABLE ROW LEVEL SECURITY;`,
  },
  {
    id: 'custom_labels',
    up: `
      CREATE TABLE custom_labels_v1 (
        releaseKey VARCHAR(64),
        releaseNamespace VARCHAR(67),
        key VARCHAR(317),
        value VARCHAR(63)
      );
      CREATE INDEX ON custom_labels_v1 (releaseKey, releaseNamespace);
      GRANT ALL ON custom_labels_v1 TO PUBLIC;
      ALTER TABLE custom_labels_v1 ENABLE ROW LEVEL SECURITY;`,
  },
];

/** Labels a query may filter on (columns of releases_v1). */
const LABEL_COLUMNS = new Set(['modifiedAt', 'createdAt', 'version', 'status', 'owner', 'name']);

const pools = new Map<string, { pool: pg.Pool; ready: Promise<void> }>();

/** pg, loaded on first use (a run on the Kubernetes drivers never needs it). */
let pgModule: typeof pg | undefined;
const loadPg = (): typeof pg => (pgModule ??= createRequire(import.meta.url)('pg') as typeof pg);

/** One pool per connection string per process, migrated once. */
function poolFor(connectionString: string): { pool: pg.Pool; ready: Promise<void> } {
  let p = pools.get(connectionString);
  if (!p) {
    const pool = new (loadPg().Pool)({ connectionString, max: 8 });
    pool.on('error', () => {
      // idle client errors (server restart): the pool replaces the client
    });
    const ready = migrate(pool);
    ready.catch(() => pools.delete(connectionString));
    p = { pool, ready };
    pools.set(connectionString, p);
  }
  return p;
}

/** Closes every pool (end of a CLI run). */
export async function closeSqlPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.pool.end().catch(() => undefined)));
}

async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // Serialize concurrent first runs (several bosun processes, or bosun and helm) on one database.
    await c.query('SELECT pg_advisory_xact_lock(7463920175)');
    await c.query('CREATE TABLE IF NOT EXISTS gorp_migrations (id text NOT NULL PRIMARY KEY, applied_at timestamp with time zone)');
    const done = new Set((await c.query<{ id: string }>('SELECT id FROM gorp_migrations')).rows.map((r) => r.id));
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await c.query(m.up);
      await c.query('INSERT INTO gorp_migrations (id, applied_at) VALUES ($1, now())', [m.id]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

export class SqlDriver implements Driver {
  readonly name = 'SQL';
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;

  constructor(
    connectionString: string,
    readonly namespace: string,
  ) {
    const p = poolFor(connectionString);
    this.pool = p.pool;
    this.ready = p.ready;
  }

  private async q<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.pool.query<R>(sql, args)).rows;
  }

  private async labelsOf(key: string, namespace: string): Promise<Record<string, string>> {
    const rows = await this.q<{ key: string; value: string }>('SELECT key, value FROM custom_labels_v1 WHERE releaseKey = $1 AND releaseNamespace = $2', [key, namespace]);
    const out: Record<string, string> = {};
    for (const r of rows) out[r.key] = r.value;
    return filterSystemLabels(out);
  }

  private async decodeRows(rows: Array<{ key: string; namespace: string; body: string }>): Promise<Release[]> {
    const out: Release[] = [];
    for (const row of rows) {
      let r: Release;
      try {
        r = decodeRelease(row.body);
      } catch {
        continue; // Helm skips records it cannot decode
      }
      r.labels = await this.labelsOf(row.key, row.namespace);
      out.push(r);
    }
    return out;
  }

  async get(key: string): Promise<Release> {
    const rows = await this.q<{ key: string; namespace: string; body: string }>('SELECT key, namespace, body FROM releases_v1 WHERE key = $1 AND namespace = $2', [key, this.namespace]);
    if (rows.length === 0) throw new ReleaseNotFoundError();
    return (await this.decodeRows(rows))[0] ?? Promise.reject(new ReleaseNotFoundError());
  }

  async list(): Promise<Release[]> {
    const args: unknown[] = ['helm'];
    let sql = 'SELECT key, namespace, body FROM releases_v1 WHERE owner = $1';
    if (this.namespace !== '') {
      sql += ' AND namespace = $2';
      args.push(this.namespace);
    }
    return this.decodeRows(await this.q(sql, args));
  }

  async query(labels: Record<string, string>): Promise<Release[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    for (const k of Object.keys(labels).sort()) {
      if (!LABEL_COLUMNS.has(k)) throw new Error(`unknown label ${k}`);
      args.push(k === 'version' || k === 'createdAt' || k === 'modifiedAt' ? Number(labels[k]) : labels[k]);
      where.push(`${k} = $${args.length}`);
    }
    if (this.namespace !== '') {
      args.push(this.namespace);
      where.push(`namespace = $${args.length}`);
    }
    const rows = await this.q<{ key: string; namespace: string; body: string }>(
      `SELECT key, namespace, body FROM releases_v1${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
      args,
    );
    const out = await this.decodeRows(rows);
    if (out.length === 0) throw new ReleaseNotFoundError();
    return out;
  }

  async create(key: string, rls: Release): Promise<void> {
    const namespace = rls.namespace || 'default';
    const body = encodeRelease(rls);
    await this.ready;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      try {
        await c.query(
          'INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdAt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          [key, 'helm.sh/release.v1', body, rls.name, namespace, rls.version, rls.info.status, 'helm', Math.floor(Date.now() / 1000)],
        );
      } catch (e) {
        await c.query('ROLLBACK');
        if ((e as { code?: string }).code === '23505') throw new ReleaseExistsError();
        throw e;
      }
      for (const [k, v] of Object.entries(filterSystemLabels(rls.labels))) {
        await c.query('INSERT INTO custom_labels_v1 (releaseKey, releaseNamespace, key, value) VALUES ($1, $2, $3, $4)', [key, namespace, k, v]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async update(key: string, rls: Release): Promise<void> {
    const namespace = rls.namespace || 'default';
    await this.q(
      'UPDATE releases_v1 SET body = $1, name = $2, version = $3, status = $4, owner = $5, modifiedAt = $6 WHERE key = $7 AND namespace = $8',
      [encodeRelease(rls), rls.name, rls.version, rls.info.status, 'helm', Math.floor(Date.now() / 1000), key, namespace],
    );
  }

  async delete(key: string): Promise<Release> {
    await this.ready;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const rows = (await c.query<{ body: string }>('SELECT body FROM releases_v1 WHERE key = $1 AND namespace = $2', [key, this.namespace])).rows;
      if (rows.length === 0) {
        await c.query('ROLLBACK');
        throw new ReleaseNotFoundError();
      }
      const r = decodeRelease(rows[0]!.body);
      r.labels = await this.labelsOf(key, this.namespace);
      await c.query('DELETE FROM releases_v1 WHERE key = $1 AND namespace = $2', [key, this.namespace]);
      await c.query('DELETE FROM custom_labels_v1 WHERE releaseKey = $1 AND releaseNamespace = $2', [key, this.namespace]);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }
}
