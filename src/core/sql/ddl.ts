/**
 * Statements that name a table, trigger, function, temp table or cursor, so
 * cannot be files under sql/ (a name cannot be a bound parameter): locks,
 * TRUNCATE, DROP, CREATE TEMP TABLE … AS, cursors. Each is a pure function;
 * names go in only through src/db/quote.ts. test/unit/ddl-sql.test.ts holds their text.
 */
import { ident, literal, qualified } from '../../db/quote.js';
import { sql } from '../../db/sql.js';

/** The lock modes vsg takes on a user table. */
export type LockMode = 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE';

/** LOCK TABLE `qname` (already quoted, tables.ts) in `mode`. */
export function lockTable(qname: string, mode: LockMode): string {
  return `LOCK TABLE ${qname} IN ${mode} MODE`;
}

/** TRUNCATE the tables `qnames` (already quoted) in one statement: what a table others reference needs to be emptied with them. */
export function truncateTables(qnames: readonly string[]): string {
  return `TRUNCATE ${qnames.join(', ')}`;
}

/** DROP TRIGGER `trigger` ON `qname` (already quoted). */
export function dropTrigger(trigger: string, qname: string): string {
  return `DROP TRIGGER ${ident(trigger)} ON ${qname}`;
}

/** Drop the capture triggers of table `qname` (already quoted): sql/tables/drop_triggers.sql, its %1$s filled with the name. */
export function dropCaptureTriggers(qname: string): string {
  return sql('tables/drop_triggers').split('%1$s').join(qname);
}

/** Drop vsg's function `name`, by name alone (one function a file, so no overloads). */
export function dropVsgFunction(name: string): string {
  return `DROP FUNCTION IF EXISTS ${qualified('vsg', name)}`;
}

/**
 * Drop a table's capture function (the name vsg.capture_function gives it);
 * with `cascade`, its triggers go with it, wherever Citus copied them.
 */
export function dropCaptureFunction(tableId: number, cascade = false): string {
  return `DROP FUNCTION IF EXISTS ${qualified('vsg', `capture_${tableId}`)}()${cascade ? ' CASCADE' : ''}`;
}

/** Drop a Citus distributed table's pending table (vsg.pending_<id>, sql/functions/dist_prepare.sql), with every shard of it. */
export function dropDistPending(tableId: number): string {
  return `DROP TABLE IF EXISTS ${qualified('vsg', `pending_${tableId}`)}`;
}

/**
 * Copy the live rows of Citus distributed table `qname` (already quoted) whose
 * keys `keysFrom` yields (a query of column `key`, jsonb, over vsg's tables,
 * its parameters the caller's) into temp table pg_temp.`name`: Citus reads the
 * keys apart, as an intermediate result, and refuses statements that join the
 * distributed table itself to vsg's local tables. `keyCols` are the key
 * columns with their types. With `keysFrom` null, every row.
 */
export function liveCopy(name: string, qname: string, keyCols: readonly { name: string; type: string }[], keysFrom: string | null): string {
  if (keysFrom === null) return `CREATE TEMP TABLE ${ident(name)} ON COMMIT DROP AS SELECT * FROM ${qname}`;
  const keys = keyCols.map((k) => `r.${ident(k.name)}`).join(', ');
  const values = keyCols.map((k) => `(x.key->>${literal(k.name)})::${k.type}`).join(', ');
  return `CREATE TEMP TABLE ${ident(name)} ON COMMIT DROP AS SELECT * FROM ${qname} r WHERE (${keys}) IN (SELECT ${values} FROM (${keysFrom}) x)`;
}

/**
 * Copy the table `qname` (already quoted) as checkpoint table vsg.`relname`,
 * unless the table ($1) has uncommitted changes: one statement, one snapshot.
 * UNLOGGED: a checkpoint after a commit is a cache of rows history holds, so
 * it writes no WAL (a 2M-row copy: 0.44 s against 0.87 s); a crash, or a
 * standby promoted, leaves it empty, and a reload then passes it over
 * (sql/checkpoint/list.sql). A root's copy is history, and logged (copyTable).
 */
export function createCheckpoint(relname: string, qname: string): string {
  return `CREATE UNLOGGED TABLE ${qualified('vsg', relname)} AS SELECT * FROM ${qname}
     WHERE NOT EXISTS (SELECT 1 FROM vsg.pending WHERE table_id = $1)`;
}

/** Copy table `qname` as vsg.`relname` (a root that is a checkpoint: src/core/checkpoint.ts › packedRoot). */
export function copyTable(relname: string, qname: string): string {
  return `CREATE TABLE ${qualified('vsg', relname)} AS SELECT * FROM ${qname}`;
}

/** How many rows table `qname` holds, counted up to `limit` (a number of vsg's own, never the user's): no more than that many are read. */
export function countUpTo(qname: string, limit: number): string {
  return `SELECT count(*)::text AS n FROM (SELECT FROM ${qname} LIMIT ${Math.trunc(limit)}) x`;
}

/** The rows of table `qname`, all counted (1M rows: 45-65 ms, against 70-75 ms with a LIMIT under the count). */
export function countRows(qname: string): string {
  return `SELECT count(*)::text AS n FROM ${qname}`;
}

/** Drop checkpoint table vsg.`relname`. */
export function dropCheckpoint(relname: string, ifExists = true): string {
  return `DROP TABLE ${ifExists ? 'IF EXISTS ' : ''}${qualified('vsg', relname)}`;
}

/** Drop the session's temp table `name`, if any. */
export function dropTemp(name: string): string {
  return `DROP TABLE IF EXISTS ${qualified('pg_temp', name)}`;
}

/** Create temp table `name`, dropped at commit, from the query `select` (a file under sql/ or a builder's text). */
export function createTempAs(name: string, select: string): string {
  return `CREATE TEMP TABLE ${ident(name)} ON COMMIT DROP AS ${select}`;
}

/** Index temp table `name` on its key column. */
export function indexTempKey(name: string): string {
  return `CREATE INDEX ON ${qualified('pg_temp', name)} (key)`;
}

/**
 * Gather statistics on temp table `name` (a fresh one has none): its row
 * count, and of `columns` (by default its key column, the one joins use; the
 * images are never filtered on, and sampling jsonb costs most of an ANALYZE).
 */
export function analyzeTemp(name: string, columns: readonly string[] = ['key']): string {
  return `ANALYZE ${qualified('pg_temp', name)} (${columns.map(ident).join(', ')})`;
}

/** Open cursor `name` over `query` (a file under sql/ or a builder's text; its parameters go with it). */
export function declareCursor(name: string, query: string): string {
  return `DECLARE ${ident(name)} NO SCROLL CURSOR FOR ${query}`;
}

/** The next `count` rows of cursor `name`. */
export function fetchForward(name: string, count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`a cursor fetches a whole number of rows, not ${count}`);
  return `FETCH FORWARD ${count} FROM ${ident(name)}`;
}

/**
 * Keep the images just staged in pg_temp.vsg_apply (analysed) as temp table
 * `name`, so that the next table's can be staged: a write-back across tables
 * (write-back-many.ts) holds one set per table until it has written them all.
 */
export function keepStaged(name: string): string {
  return `${sql('apply/analyze_temp')};\n${dropTemp(name)};\nALTER TABLE pg_temp.vsg_apply RENAME TO ${ident(name)}`;
}
