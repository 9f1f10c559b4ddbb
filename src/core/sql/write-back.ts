/**
 * The statements that write images back into a tracked table: the keyed
 * path (apply.ts), the bulk path (apply-bulk.ts), the reload (reload.ts) and
 * the sequences they raise. They name the table and its columns, so they
 * cannot be files under sql/: each is built here by a pure function, names
 * only through src/db/quote.ts, values only as bound parameters or read from
 * the staged images (pg_temp.vsg_apply: key jsonb, img jsonb) inside the server.
 * test/unit/write-back-sql.test.ts holds their text.
 */
import { imageExpr, keyExpr } from '../../db/images.js';
import { ident, literal } from '../../db/quote.js';

/** The table a write-back writes to: its quoted name and its primary-key columns, in key order. */
export interface WriteTarget {
  /** schema-qualified, quoted (tables.ts builds it with src/db/quote.ts) */
  qname: string;
  keyColumns: readonly string[];
}

/** A live column as tables.ts reads it from the catalog. */
export interface WriteColumn {
  name: string;
  /** as format_type spells it */
  type: string;
  generated: boolean;
  /** '' | 'a' (ALWAYS) | 'd' (BY DEFAULT) */
  identity: string;
  defaultExpr: string | null;
}

/** How the changed rows are recorded (apply-sql.ts › RecordMode). */
export type SinkMode = 'pending' | 'commit' | 'discard';

/** The SQL that writes images (s.img, keyed by s.key) into the table (alias r); built by writeSql below. */
export interface WriteSql {
  /** true when r's key is s.key */
  join: string;
  /** the same for another alias of the table */
  keyMatch: (row: string) => string;
  /** the SET list of an UPDATE from s; empty when no column can be updated */
  set: string;
  /** INSERT's column list and the matching SELECT list over s */
  insertColumns: string;
  insertValues: string;
  /** the image of a row of the table under this alias (src/db/images.ts) */
  image: (row: string) => string;
  /** its key */
  key: (row: string) => string;
  /** the temp table holding the staged images (key jsonb, img jsonb) */
  staged: string;
  /** the key's values over s, typed as the key columns, in key order */
  keyValues: string;
  /** the first of them */
  firstKeyValue: string;
  /** whether the keyed statements reach the table through keyProbe (not where Citus is installed) */
  probe: boolean;
}

/** Where the write's key and image come from: columns of the staged row s, or (a Citus table's update, one row at a time) bound parameters. */
export interface ImageRef {
  key: string;
  img: string;
}

const STAGED_ROW: ImageRef = { key: 's.key', img: 's.img' };

/** Where a write-back stages its images unless told otherwise. */
export const STAGED = 'pg_temp.vsg_apply';

/**
 * The SQL that writes images (s.img, keyed by s.key) into the table (alias r),
 * shared by the keyed and the bulk path: values go back through each column's
 * input function from their text form; generated columns are never written.
 */
export function writeSql(table: WriteTarget, cols: readonly WriteColumn[], staged: string = STAGED, src: ImageRef = STAGED_ROW): WriteSql {
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  const value = (c: string) => `(${src.img}->>${literal(c)})::${typeOf.get(c)}`;
  // A column the image lacks (added since) gets its default, as a row of that version would;
  // an identity column (no default) its next value on insert, and keeps its value on update.
  const fallback = (c: WriteColumn) => c.defaultExpr ?? (c.identity ? `nextval(pg_get_serial_sequence(${literal(table.qname)}, ${literal(c.name)}))` : 'NULL');
  const valueOrDefault = (c: WriteColumn) => `CASE WHEN ${src.img} ? ${literal(c.name)} THEN ${value(c.name)} ELSE ${fallback(c)} END`;
  const valueOrKept = (c: WriteColumn) => `CASE WHEN ${src.img} ? ${literal(c.name)} THEN ${value(c.name)} ELSE r.${ident(c.name)} END`;
  const writable = cols.filter((c) => !c.generated);
  const updatable = writable.filter((c) => !table.keyColumns.includes(c.name) && c.identity !== 'a');
  const keyValue = (k: string) => `(${src.key}->>${literal(k)})::${typeOf.get(k)}`;
  const keyMatch = (row: string) => table.keyColumns.map((k) => `${row}.${ident(k)} = ${keyValue(k)}`).join(' AND ');
  return {
    join: keyMatch('r'),
    keyMatch,
    set: updatable.map((c) => `${ident(c.name)} = ${c.identity ? valueOrKept(c) : valueOrDefault(c)}`).join(', '),
    insertColumns: writable.map((c) => ident(c.name)).join(', '),
    insertValues: writable.map(valueOrDefault).join(', '),
    image: (row) => imageExpr(cols.map((c) => c.name), row),
    key: (row) => keyExpr(table.keyColumns, row),
    staged,
    keyValues: table.keyColumns.map(keyValue).join(', '),
    firstKeyValue: keyValue(table.keyColumns[0]),
    probe: true,
  };
}

/**
 * The keyed path's probe of the table: its rows whose first key column holds
 * one of the staged keys' (`which`: the staged rows to take), reached through
 * the primary key's index by `= ANY`. Joined to the staged rows alone, the
 * planner costs each index probe as a random page read and takes a hash join
 * (for an insert's NOT EXISTS, a hash anti-join) over a scan of the whole table
 * (1,000 rows of 100,000, PostgreSQL 15: deleting by a one-column key 30-55 ms
 * against 1.5, by a two-column key 28 against 9; updating 37 against 14-17).
 * The join on the whole key still decides which rows are written, and it is
 * rechecked by key, not by row version, when a row changed concurrently
 * (READ COMMITTED). In a database where Citus is installed (`w.probe` false,
 * set where the images are staged) the statements are the join alone, as
 * Citus has been seen to plan them.
 */
function keyProbe(table: WriteTarget, w: WriteSql, which: string): string {
  return `r.${ident(table.keyColumns[0])} = ANY (ARRAY(SELECT ${w.firstKeyValue} FROM ${w.staged} s WHERE ${which}))`;
}

/**
 * Keyed path: delete the rows whose image is "no row" (and, when given, that
 * meet `only`, a condition on r), through keyProbe; a one-column key needs no
 * join besides.
 */
export function keyedDelete(table: WriteTarget, w: WriteSql, only = ''): string {
  const and = only ? ` AND ${only}` : '';
  if (!w.probe) return `DELETE FROM ${table.qname} r USING ${w.staged} s WHERE s.img IS NULL AND ${w.join}${and}`;
  const found = keyProbe(table, w, 's.img IS NULL');
  if (table.keyColumns.length === 1) return `DELETE FROM ${table.qname} r WHERE ${found}${and}`;
  return `DELETE FROM ${table.qname} r USING ${w.staged} s WHERE s.img IS NULL AND ${w.join} AND ${found}${and}`;
}

/** Keyed path: update the kept rows that do not hold their image yet, through keyProbe. */
export function keyedUpdate(table: WriteTarget, w: WriteSql): string {
  const found = w.probe ? ` AND ${keyProbe(table, w, 's.img IS NOT NULL')}` : '';
  return `UPDATE ${table.qname} r SET ${w.set} FROM ${w.staged} s
       WHERE s.img IS NOT NULL AND ${w.join}${found} AND (${w.image('r')}) IS DISTINCT FROM s.img`;
}

/** Keyed path: insert the rows whose key the table lacks, looked for through keyProbe. */
export function keyedInsert(table: WriteTarget, w: WriteSql): string {
  const found = w.probe ? ` AND ${keyProbe(table, w, 's.img IS NOT NULL')}` : '';
  return `INSERT INTO ${table.qname} (${w.insertColumns}) OVERRIDING SYSTEM VALUE
     SELECT ${w.insertValues} FROM ${w.staged} s
     WHERE s.img IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${table.qname} r WHERE ${w.join}${found})`;
}

/**
 * Keyed path on a Citus table: as keyedInsert, the keys present found by one
 * uncorrelated subquery (Citus plans the keys of the staged images apart, as an
 * intermediate result, and refuses the correlated NOT EXISTS on a distributed
 * table: "direct joins between distributed and local tables are not supported").
 */
export function citusInsert(table: WriteTarget, w: WriteSql): string {
  return `INSERT INTO ${table.qname} (${w.insertColumns}) OVERRIDING SYSTEM VALUE
     SELECT ${w.insertValues} FROM ${w.staged} s
     WHERE ${absentKeys(table, w)}`;
}

/** The staged images (s) to insert: those whose keys the table lacks, found by one uncorrelated subquery. */
function absentKeys(table: WriteTarget, w: WriteSql): string {
  const keys = table.keyColumns.map((k) => `r.${ident(k)}`).join(', ');
  return `s.img IS NOT NULL AND (${w.keyValues}) NOT IN (
       SELECT ${keys} FROM ${table.qname} r WHERE (${keys}) IN (SELECT ${w.keyValues} FROM ${w.staged} s WHERE s.img IS NOT NULL))`;
}

/**
 * citusInsert one row at a time, for vsg.write_each ($1 the key, $2 the image): a Citus
 * distributed table, whose INSERT … SELECT Citus runs through the coordinator and fails
 * where the coordinator holds shards of it too ("another command is already in progress");
 * an INSERT of one row goes to its one shard.
 */
export function citusInsertEach(table: WriteTarget, w: WriteSql, cols: readonly WriteColumn[]): { changed: string; update: string } {
  const one = writeSql(table, cols, w.staged, { key: '$1::jsonb', img: '$2::jsonb' });
  return {
    changed: `SELECT s.key, s.img FROM ${w.staged} s WHERE ${absentKeys(table, w)}`,
    update: `INSERT INTO ${table.qname} (${one.insertColumns}) OVERRIDING SYSTEM VALUE SELECT ${one.insertValues}`,
  };
}

/*
 * A Citus reference table (captured on its placement, sql/functions/capture_relation.sql):
 * Citus refuses an UPDATE or DELETE that joins it to a local table in FROM or
 * USING ("relation vsg_apply is not distributed"), but plans a subquery of IN
 * on its own, and an INSERT … SELECT through the coordinator (keyedInsert).
 */

/** Keyed path on a Citus reference table: as keyedDelete, the keys found through IN. */
export function citusDelete(table: WriteTarget, w: WriteSql, only = ''): string {
  const keys = table.keyColumns.map((k) => `r.${ident(k)}`).join(', ');
  return `DELETE FROM ${table.qname} r WHERE (${keys}) IN (SELECT ${w.keyValues} FROM ${w.staged} s WHERE s.img IS NULL)${only ? ` AND ${only}` : ''}`;
}

/**
 * Keyed path on a Citus reference table: the kept rows that do not hold their
 * image yet (a read, which Citus joins to the local table), and the UPDATE
 * each of them gets with its key and image bound as $1 and $2 (a statement on
 * one key; vsg.write_each runs it once a row, inside the server).
 */
export function citusUpdate(table: WriteTarget, w: WriteSql, cols: readonly WriteColumn[]): { changed: string; update: string } {
  const one = writeSql(table, cols, w.staged, { key: '$1::jsonb', img: '$2::jsonb' });
  return {
    changed: `SELECT s.key, s.img FROM ${w.staged} s JOIN ${table.qname} r ON ${w.join}
       WHERE s.img IS NOT NULL AND (${w.image('r')}) IS DISTINCT FROM s.img`,
    update: `UPDATE ${table.qname} r SET ${one.set} WHERE ${one.join}`,
  };
}

/** How many kept rows must change GENERATED ALWAYS identity column `column` (only an INSERT could). */
export function identityChanges(table: WriteTarget, w: WriteSql, column: string): string {
  return `SELECT count(*) AS n FROM ${w.staged} s JOIN ${table.qname} r ON ${w.join}
       WHERE s.img ? ${literal(column)} AND r.${ident(column)}::text IS DISTINCT FROM s.img->>${literal(column)}`;
}

/** Raise sequence $1 to the largest value of `column` among the staged images, or (from 'table') in the table. */
export function raiseSequence(table: WriteTarget, column: string, from: 'images' | 'table', staged: string = STAGED): string {
  const max =
    from === 'images'
      ? `SELECT max((s.img->>${literal(column)})::numeric)::bigint AS m FROM ${staged} s WHERE s.img IS NOT NULL`
      : `SELECT max(${ident(column)})::bigint AS m FROM ${table.qname}`;
  return `SELECT setval($1::regclass, x.m) FROM (${max}) x, pg_catalog.pg_sequences q
       WHERE x.m IS NOT NULL AND format('%I.%I', q.schemaname, q.sequencename)::regclass = $1::regclass
         AND x.m > coalesce(q.last_value, q.start_value - 1)`;
}

/** The table's rows, counted up to $1 (the bulk path's cheap "is it large?"). */
export function countUpTo(table: WriteTarget): string {
  return `SELECT count(*)::text AS n FROM (SELECT 1 FROM ${table.qname} LIMIT $1) t`;
}

/** Where each record mode puts a changed row ($1: the table's id), as the CTE `p` of a statement whose changed rows are `src`. */
function sink(record: SinkMode, cols: string, src: string): string {
  if (record === 'discard') return '';
  const into = record === 'commit' ? 'pg_temp.vsg_delta' : 'vsg.pending';
  return `, p AS (INSERT INTO ${into} (table_id, key, before, after) SELECT $1, ${cols} FROM ${src})`;
}

/** Bulk path: delete (as keyedDelete), recording each deleted row where `record` says; yields n. $1: the table's id, unless discarded. */
export function bulkDelete(table: WriteTarget, w: WriteSql, record: SinkMode, only = ''): string {
  const keep = record !== 'discard';
  return `WITH d AS (DELETE FROM ${table.qname} r USING ${w.staged} s WHERE s.img IS NULL AND ${w.join}${only ? ` AND ${only}` : ''}
                RETURNING ${keep ? `s.key, ${w.image('r')} AS cur` : '1'})
          ${sink(record, 'key, cur, NULL', 'd')}
     SELECT count(*)::text AS n FROM d`;
}

/**
 * Bulk path: update. Each row is read (o, for its "before") and written (r) in
 * one statement; a row already holding its image is left alone, and one a
 * BEFORE trigger kept as it was is no change, as for the capture. (OFFSET 0
 * keeps the planner from building each "before" image twice, for the test and the result.)
 */
export function bulkUpdate(table: WriteTarget, w: WriteSql, record: SinkMode): string {
  const q = table.qname;
  const keep = record !== 'discard';
  return `WITH u AS (UPDATE ${q} r SET ${w.set}
                  FROM (SELECT s.key, s.img, o.ctid AS tid, ${w.image('o')} AS cur
                        FROM ${w.staged} s JOIN ${q} o ON ${w.keyMatch('o')}
                        WHERE s.img IS NOT NULL OFFSET 0) s
                  WHERE r.ctid = s.tid AND s.cur IS DISTINCT FROM s.img
                  RETURNING ${keep ? `s.key, s.cur, ${w.image('r')} AS img` : '1'})
            ${sink(record, 'key, cur, img', 'u WHERE cur IS DISTINCT FROM img')}
       SELECT count(*)::text AS n FROM u`;
}

/** Bulk path: insert, recording each inserted row where `record` says. */
export function bulkInsert(table: WriteTarget, w: WriteSql, record: SinkMode): string {
  const q = table.qname;
  const keep = record !== 'discard';
  return `WITH i AS (INSERT INTO ${q} AS r (${w.insertColumns}) OVERRIDING SYSTEM VALUE
                SELECT ${w.insertValues} FROM ${w.staged} s
                WHERE s.img IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${q} r WHERE ${w.join})
                RETURNING ${keep ? `${w.key('r')} AS key, ${w.image('r')} AS img` : '1'})
          ${sink(record, 'key, NULL::jsonb, img', 'i')}
     SELECT count(*)::text AS n FROM i`;
}

/**
 * Reload: refill the (truncated) table from checkpoint table vsg.`relname`,
 * its rows whose key history corrected replaced by the staged images.
 * `corrected`: how many keys were staged; up to `hashedKeys` of them are
 * filtered by NOT IN (a hashed subplan), more by NOT EXISTS.
 */
export function reloadInsert(table: WriteTarget, cols: readonly WriteColumn[], relname: string, corrected: number, hashedKeys: number): string {
  const w = writeSql(table, cols);
  const fromCheckpoint = cols.filter((c) => !c.generated).map((c) => `k.${ident(c.name)}`).join(', ');
  // The checkpoint's rows whose key was not corrected. Key columns are never
  // NULL, so NOT IN means what it says, and a hashed subplan filters 1M rows
  // in ~10 % of the insert where a hash anti-join takes ~17 %; but it is only
  // hashed while the keys fit in memory, and otherwise runs once per row.
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  const keyCols = table.keyColumns.map((k) => `k.${ident(k)}`).join(', ');
  const keyVals = table.keyColumns.map((k) => `(s.key->>${literal(k)})::${typeOf.get(k)}`).join(', ');
  const uncorrected =
    corrected === 0
      ? ''
      : corrected <= hashedKeys
        ? `WHERE (${keyCols}) NOT IN (SELECT ${keyVals} FROM pg_temp.vsg_apply s)`
        : `WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_apply s WHERE ${w.keyMatch('k')})`;
  const rowsSql = `SELECT ${fromCheckpoint} FROM vsg.${ident(relname)} k ${uncorrected}
     ${corrected ? `UNION ALL SELECT ${w.insertValues} FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL` : ''}`;
  return `INSERT INTO ${table.qname} (${w.insertColumns}) OVERRIDING SYSTEM VALUE ${rowsSql}`;
}
