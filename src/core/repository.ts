/**
 * The repository: vsg's own schema in a database, created and upgraded by
 * numbered migrations (sql/schema/NNN_*.sql) recorded in vsg.migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db, Queryable } from '../db/db.js';
import { packageRoot } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';

interface Migration {
  version: number;
  name: string;
  text: string;
}

function migrations(): Migration[] {
  const dir = path.join(packageRoot, 'sql', 'schema');
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number.parseInt(f.slice(0, 3), 10), name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** The newest schema version this release knows. */
export function latestSchemaVersion(): number {
  const all = migrations();
  return all[all.length - 1]?.version ?? 0;
}

/** The schema version of the database, or null when vsg was never initialised there. */
export async function schemaVersion(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ present: string | null }>(`SELECT to_regclass('vsg.migrations')::text AS present`);
  if (!rows[0]?.present) return null;
  const res = await db.query<{ v: string | null }>('SELECT max(version)::text AS v FROM vsg.migrations');
  return res.rows[0]?.v == null ? 0 : Number(res.rows[0].v);
}

export interface InitResult {
  created: boolean;
  from: number;
  to: number;
  applied: string[];
}

/** Create or upgrade vsg's schema. Idempotent, and safe when two run at once. */
export async function init(db: Db): Promise<InitResult> {
  return db.transaction(async (tx) => {
    // Serialise concurrent inits on a server; harmless on the embedded database.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('vsg.init'))`);
    await tx.query('CREATE SCHEMA IF NOT EXISTS vsg');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS vsg.migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())',
    );
    const { rows } = await tx.query<{ version: string }>('SELECT version::text FROM vsg.migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const from = Math.max(0, ...done);
    const applied: string[] = [];
    // Every migration not yet applied, in order: not only those above the
    // highest applied, so that none is ever skipped.
    for (const m of migrations()) {
      if (done.has(m.version)) continue;
      await tx.query(m.text);
      await tx.query('INSERT INTO vsg.migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
    return { created: from === 0, from, to: Math.max(from, latestSchemaVersion()), applied };
  });
}

/** Fail unless the database holds a vsg repository of a version this release can use. */
export async function requireRepository(db: Queryable): Promise<number> {
  const v = await schemaVersion(db);
  if (v === null || v === 0) {
    throw new VsgError('E_NO_REPO', 'no vsg repository in this database', { hint: 'initialise it first: init(), or open it with { init: true }' });
  }
  const latest = latestSchemaVersion();
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM vsg.migrations WHERE version = ANY($1::int[])', [
    migrations().map((m) => m.version),
  ]);
  if (v <= latest && Number(rows[0].n) < migrations().length) {
    throw new VsgError('E_SCHEMA_OLD', `the vsg schema lacks ${migrations().length - Number(rows[0].n)} migration(s) this vsg needs`, {
      hint: 'init() upgrades it',
    });
  }
  if (v < latest) {
    throw new VsgError('E_SCHEMA_OLD', `the vsg schema is at version ${v}, this vsg needs ${latest}`, {
      hint: 'init() upgrades it',
    });
  }
  if (v > latest) {
    throw new VsgError('E_SCHEMA_NEW', `the vsg schema is at version ${v}, newer than this vsg knows (${latest})`, {
      exitCode: ExitCode.input,
      hint: 'upgrade vsg',
    });
  }
  return v;
}
