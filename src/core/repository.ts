/**
 * The repository: vsg's own schema in a database, created and upgraded by
 * numbered migrations (sql/migrations/NNN_*.sql: tables, indexes, data moves)
 * recorded in vsg.migrations, and stored functions (sql/functions/<name>.sql)
 * applied again whenever their checksum changes, recorded in vsg.functions.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db, Queryable } from '../db/db.js';
import { qualified } from '../db/quote.js';
import { packageRoot } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';

interface Migration {
  version: number;
  name: string;
  text: string;
}

function migrations(): Migration[] {
  const dir = path.join(packageRoot, 'sql', 'migrations');
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

export interface FunctionFile {
  /** the function's name in schema vsg, and its file's name without .sql */
  name: string;
  text: string;
  checksum: string;
  /** part of what vsg.write_capture writes the per-table capture functions with */
  generator: boolean;
}

/**
 * The stored functions, sql/functions/<name>.sql: each file holds one
 * function, vsg.<name>, as CREATE OR REPLACE (a file that changes the
 * function's arguments or result type drops the old one first). A file marked
 * `--! capture-generator` is part of what the per-table capture functions are
 * written with. Name order; the order does not matter (see applyFunctions).
 */
export function functionFiles(): FunctionFile[] {
  const dir = path.join(packageRoot, 'sql', 'functions');
  return fs
    .readdirSync(dir)
    .filter((f) => /^[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      return {
        name: f.slice(0, -4),
        text,
        checksum: createHash('sha256').update(text).digest('hex'),
        generator: /^--! capture-generator\b/m.test(text),
      };
    });
}

export interface InitResult {
  created: boolean;
  from: number;
  to: number;
  /** migrations applied */
  applied: string[];
  /** function files applied (new, changed, or their function missing) */
  functions: string[];
  /** functions dropped because their file is gone */
  dropped: string[];
  /** tracked tables whose capture function was written anew */
  recaptured: number;
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
    await tx.query(
      'CREATE TABLE IF NOT EXISTS vsg.functions (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())',
    );
    const { rows } = await tx.query<{ version: string }>('SELECT version::text FROM vsg.migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const from = Math.max(0, ...done);
    const applied: string[] = [];
    // Functions first: a migration's data move or trigger may use them.
    const files = functionFiles();
    const changed = await applyFunctions(tx, files);
    // Every migration not yet applied, in order: not only those above the
    // highest applied, so that none is ever skipped.
    for (const m of migrations()) {
      if (done.has(m.version)) continue;
      await tx.query(m.text);
      await tx.query('INSERT INTO vsg.migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
    const dropped = await dropStaleFunctions(tx, files);
    await validateFunctions(tx, changed);
    const recaptured = changed.some((f) => f.generator) ? await rewriteCaptureFunctions(tx) : 0;
    return {
      created: from === 0,
      from,
      to: Math.max(from, latestSchemaVersion()),
      applied,
      functions: changed.map((f) => f.name),
      dropped,
      recaptured,
    };
  });
}

/**
 * Apply every function file whose checksum differs from the one recorded, or
 * whose function is missing. Function bodies are not checked on creation (as
 * pg_dump restores them), so the files go in any order and before the tables
 * they read exist; validateFunctions checks them once the migrations ran.
 */
async function applyFunctions(tx: Queryable, files: FunctionFile[]): Promise<FunctionFile[]> {
  const { rows } = await tx.query<{ name: string; checksum: string; present: boolean | string }>(
    `SELECT f.name, f.checksum,
            EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'vsg'::regnamespace AND p.proname = f.name) AS present
     FROM vsg.functions f`,
  );
  const current = new Set(rows.filter((r) => r.present === true || r.present === 't').map((r) => `${r.name} ${r.checksum}`));
  const changed = files.filter((f) => !current.has(`${f.name} ${f.checksum}`));
  if (changed.length === 0) return changed;
  const { rows: saved } = await tx.query<{ v: string }>(`SELECT current_setting('check_function_bodies') AS v`);
  await tx.query(`SELECT set_config('check_function_bodies', 'off', true)`);
  for (const f of changed) await tx.query(f.text);
  await tx.query(`SELECT set_config('check_function_bodies', $1, true)`, [saved[0].v]);
  await tx.query(
    `INSERT INTO vsg.functions (name, checksum) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = clock_timestamp()`,
    [changed.map((f) => f.name), changed.map((f) => f.checksum)],
  );
  return changed;
}

/** Drop the functions applied from a file that is gone. */
async function dropStaleFunctions(tx: Queryable, files: FunctionFile[]): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>('SELECT name FROM vsg.functions WHERE NOT (name = ANY ($1::text[])) ORDER BY name', [
    files.map((f) => f.name),
  ]);
  for (const { name } of rows) {
    // By name alone: one function a file, so an overload left behind fails here instead of lingering.
    await tx.query(`DROP FUNCTION IF EXISTS ${qualified('vsg', name)}`);
  }
  if (rows.length) await tx.query('DELETE FROM vsg.functions WHERE NOT (name = ANY ($1::text[]))', [files.map((f) => f.name)]);
  return rows.map((r) => r.name);
}

/**
 * Check the bodies of the functions just applied as CREATE FUNCTION would
 * have (their language's validator): a SQL function against the tables as
 * they now are, a PL/pgSQL one for its syntax. A broken one fails init
 * rather than the first command that calls it.
 */
async function validateFunctions(tx: Queryable, changed: FunctionFile[]): Promise<void> {
  if (changed.length === 0) return;
  await tx.query(
    `SELECT CASE l.lanname WHEN 'sql' THEN pg_catalog.fmgr_sql_validator(p.oid) ELSE pg_catalog.plpgsql_validator(p.oid) END
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
     WHERE p.pronamespace = 'vsg'::regnamespace AND l.lanname IN ('sql', 'plpgsql') AND p.proname = ANY ($1::text[])`,
    [changed.map((f) => f.name)],
  );
}

/**
 * The capture-function generator changed: write every tracked table's
 * capture function anew. A table whose columns were changed outside vsg and
 * not yet recorded keeps its function, which takes its slow path until the
 * next commit records the change and writes it again (one written for the
 * new columns could name a key column that is gone).
 */
async function rewriteCaptureFunctions(tx: Queryable): Promise<number> {
  const { rowCount } = await tx.query(
    `SELECT vsg.write_capture(t.id)
     FROM vsg.tracked t
     WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.relid)
       AND (t.signature IS NULL OR t.signature - 'shape' = vsg.table_signature(t.relid))`,
  );
  return rowCount;
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
