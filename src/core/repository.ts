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
import { packageRoot, sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { dropVsgFunction } from './sql/ddl.js';

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
  const { rows } = await db.query<{ present: string | null }>(sql('repository/present'));
  if (!rows[0]?.present) return null;
  const res = await db.query<{ v: string | null }>(sql('repository/version'));
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
    await tx.query(sql('repository/init_lock'));
    await tx.query(sql('repository/create_schema'));
    await tx.query(sql('repository/create_migrations'));
    await tx.query(sql('repository/create_functions'));
    const { rows } = await tx.query<{ version: string }>(sql('repository/applied_migrations'));
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
      await tx.query(sql('repository/record_migration'), [m.version, m.name]);
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
  const { rows } = await tx.query<{ name: string; checksum: string; present: boolean | string }>(sql('repository/functions'));
  const current = new Set(rows.filter((r) => r.present === true || r.present === 't').map((r) => `${r.name} ${r.checksum}`));
  const changed = files.filter((f) => !current.has(`${f.name} ${f.checksum}`));
  if (changed.length === 0) return changed;
  const { rows: saved } = await tx.query<{ v: string }>(sql('repository/check_function_bodies'));
  await tx.query(sql('repository/check_function_bodies_off'));
  for (const f of changed) await tx.query(f.text);
  await tx.query(sql('repository/set_check_function_bodies'), [saved[0].v]);
  await tx.query(sql('repository/record_functions'), [changed.map((f) => f.name), changed.map((f) => f.checksum)]);
  return changed;
}

/** Drop the functions applied from a file that is gone. */
async function dropStaleFunctions(tx: Queryable, files: FunctionFile[]): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(sql('repository/stale_functions'), [
    files.map((f) => f.name),
  ]);
  for (const { name } of rows) {
    // By name alone: one function a file, so an overload left behind fails here instead of lingering.
    await tx.query(dropVsgFunction(name));
  }
  if (rows.length) await tx.query(sql('repository/forget_functions'), [files.map((f) => f.name)]);
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
  await tx.query(sql('repository/validate_functions'), [changed.map((f) => f.name)]);
}

/**
 * The capture-function generator changed: write every tracked table's
 * capture function anew. A table whose columns were changed outside vsg and
 * not yet recorded keeps its function, which takes its slow path until the
 * next commit records the change and writes it again (one written for the
 * new columns could name a key column that is gone).
 */
async function rewriteCaptureFunctions(tx: Queryable): Promise<number> {
  const { rowCount } = await tx.query(sql('repository/rewrite_captures'));
  return rowCount;
}

/** The function files whose function is not applied as this vsg has it, given vsg.functions as name:checksum lines. */
function staleFunctions(applied: string | null): string[] {
  const have = new Set((applied ?? '').split('\n'));
  return functionFiles().filter((f) => !have.has(`${f.name}:${f.checksum}`)).map((f) => f.name);
}

/** Fail unless the database holds a vsg repository of a version this release can use, with this release's stored functions. */
export async function requireRepository(db: Queryable): Promise<number> {
  const versions = migrations().map((m) => m.version);
  // Usually one round trip (sql/repository/open_state.sql); where it cannot
  // run (no repository, or one from before vsg.functions), step by step.
  const state = await db
    .query<{ v: string | null; n: string; functions: string | null; citus: boolean | string }>(sql('repository/open_state'), [versions])
    .then((r) => r.rows[0], (e: { code?: string }) => {
      if (e?.code === '42P01') return null;
      throw e;
    });
  // (an application's connection: whether Citus is here, learnt in passing, src/db/db.ts knowCitus)
  if (state && db.citus === undefined) (db as Db).knowCitus?.(state.citus === true || state.citus === 't');
  const v = state ? (state.v === null ? 0 : Number(state.v)) : await schemaVersion(db);
  if (v === null || v === 0) {
    throw new VsgError('E_NO_REPO', 'no vsg repository in this database', { hint: 'initialise it first: init(), or open it with { init: true }' });
  }
  const latest = latestSchemaVersion();
  if (v > latest) {
    throw new VsgError('E_SCHEMA_NEW', `the vsg schema is at version ${v}, newer than this vsg knows (${latest})`, {
      exitCode: ExitCode.input,
      hint: 'upgrade vsg',
    });
  }
  // At the latest version, the stored functions are this vsg's too: a release
  // may change a function without a migration, and running with another
  // release's functions would be running another release's code.
  const { rows } = state
    ? { rows: [state] }
    : v < latest
      ? await db.query<{ n: string; functions?: string | null }>(sql('repository/count_migrations'), [versions])
      : await db.query<{ n: string; functions: string | null }>(sql('repository/current_state'), [versions]);
  if (Number(rows[0].n) < migrations().length) {
    throw new VsgError('E_SCHEMA_OLD', `the vsg schema lacks ${migrations().length - Number(rows[0].n)} migration(s) this vsg needs`, {
      hint: 'init() upgrades it',
    });
  }
  if (v < latest) {
    throw new VsgError('E_SCHEMA_OLD', `the vsg schema is at version ${v}, this vsg needs ${latest}`, {
      hint: 'init() upgrades it',
    });
  }
  const stale = staleFunctions(rows[0].functions ?? null);
  if (stale.length) {
    throw new VsgError('E_SCHEMA_OLD', `${stale.length} of vsg's stored functions differ from this vsg's (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''})`, {
      hint: 'init() upgrades them',
      data: { functions: stale },
    });
  }
  return v;
}
