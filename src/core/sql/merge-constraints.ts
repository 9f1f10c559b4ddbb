/**
 * The statements that check a merge's result against the table's constraints
 * before it is written (src/core/merge-constraints.ts). They name the table,
 * its columns and the tables its foreign keys join, so each is built here by a
 * pure function: names only through src/db/quote.ts, the merged rows read
 * from the session's work tables inside the server:
 *   pg_temp.vsg_m_out (key jsonb, img jsonb): every key the merge writes, its image (NULL: deleted)
 *   pg_temp.vsg_m_new: the merged rows typed as the table's own (LIKE it, no not-null)
 *   pg_temp.vsg_m_chkv (con, at): the rows each check constraint refuses (sql/merge/check_rows.sql)
 * A merge across tables keeps each table's pair under names of its own
 * (WorkTables) and checks a table's keys against the merged rows of the
 * others (Merged) rather than their live rows.
 * test/unit/merge-constraints-sql.test.ts holds their text.
 */
import { keyExpr, keyMatch } from '../../db/images.js';
import { ident, literal } from '../../db/quote.js';
import { sql } from '../../db/sql.js';
import { dropTemp } from './ddl.js';
import type { WriteColumn, WriteSql } from './write-back.js';

/** The names (in pg_temp) of one table's work tables: every key the merge writes with its image, and the merged rows typed. */
export interface WorkTables {
  out: string;
  new: string;
}

/** A merge of one table: the work tables it checks. */
export const WORK: WorkTables = { out: 'vsg_m_out', new: 'vsg_m_new' };

/** The other tables of a merge across tables, by quoted qualified name: their work tables and key. */
export type Merged = ReadonlyMap<string, { work: WorkTables; keyColumns: readonly string[] }>;

/** pg_temp.`name`, for vsg's own work table names only (no quoting needed, none spliced from outside). */
export function temp(name: string): string {
  if (!/^vsg_m[a-z0-9_]*$/.test(name)) throw new Error(`not a merge work table: ${name}`);
  return `pg_temp.${name}`;
}

/** The images staged in `work.out`, as an image source reads them (key, img). */
export function stagedImages(work: WorkTables): string {
  return `SELECT key, img FROM ${temp(work.out)}`;
}

/** The constraints and columns of table $1 (oid) in one row: `columns` and `constraints`, each JSON. */
export function constraintsQuery(): string {
  return `SELECT (SELECT coalesce(json_agg(c), '[]') FROM (${sql('tables/columns')}
  ) c)::text AS columns,
  (SELECT coalesce(json_agg(k), '[]') FROM (${sql('merge/constraints')}
  ) k)::text AS constraints`;
}

/**
 * Fresh work tables for table `qname` (already quoted): vsg_m_out, and
 * vsg_m_new shaped like the table (generated columns computed) with its
 * not-null columns `notNull` made nullable, so that a row breaking one can be
 * staged and named. One round trip; no parameters. Without `typed`,
 * vsg_m_out alone (not-null checks read the images as they are: notNullTests).
 */
export function prepareStage(qname: string, notNull: readonly string[], work: WorkTables = WORK, typed = true): string {
  temp(work.out);
  const out = [dropTemp(work.out), `CREATE TEMP TABLE ${work.out} (key jsonb, img jsonb) ON COMMIT DROP`];
  if (typed) out.push(prepareTyped(qname, notNull, work));
  return out.join(';\n');
}

/** vsg_m_new (`work.new`) alone, made fresh: prepareStage's typed half. */
export function prepareTyped(qname: string, notNull: readonly string[], work: WorkTables = WORK): string {
  temp(work.new);
  const out = [dropTemp(work.new), `CREATE TEMP TABLE ${work.new} (LIKE ${qname} INCLUDING GENERATED) ON COMMIT DROP`];
  if (notNull.length) out.push(`ALTER TABLE ${temp(work.new)} ${notNull.map((c) => `ALTER COLUMN ${ident(c)} DROP NOT NULL`).join(', ')}`);
  return out.join(';\n');
}

/** An image (jsonb) holds a forgotten cell (vsg forget's marker: an object, never a value). */
const HOLDS_FORGOTTEN = `jsonb_path_exists(img, '$.* ? (@.type() == "object")')`;

/**
 * Fill vsg_m_out (or `work.out`) from an image source (its text; its
 * parameters go with it), answering `forgotten`: how many of the images hold
 * a forgotten cell. With `tests` (notNullTests), the same statement judges
 * the rows as it stages them: a row per violation beside `forgotten` (c, key,
 * other, vals, img as violationsQuery gives them; one row of NULLs when there
 * is none), valid only when no image holds a forgotten cell (a marker is no
 * JSON null).
 */
export function fillOut(source: string, work: WorkTables = WORK, tests: string | null = null): string {
  const fill = `WITH f AS (INSERT INTO ${temp(work.out)} (key, img) SELECT key, img FROM (${source}
) s RETURNING key, img)`;
  const count = `(count(*) FILTER (WHERE img IS NOT NULL AND ${HOLDS_FORGOTTEN}))::text AS forgotten`;
  if (tests === null) return `${fill}\nSELECT ${count} FROM f`;
  return `${fill}, n AS (SELECT ${count} FROM f)
SELECT n.forgotten, v.c, v.key, v.other, v.vals, v.img FROM n LEFT JOIN (${notNullRows('f', tests)}) v ON true`;
}

/** What a check reads of the table being merged. */
export interface CheckTarget {
  relid: string;
  /** quoted, schema-qualified */
  qname: string;
  keyColumns: readonly string[];
  columns: readonly WriteColumn[];
}

/** One constraint to check, as merge-constraints.ts reads it from sql/merge/constraints.sql. */
export type Check =
  | { kind: 'not null'; column: string }
  | { kind: 'unique'; columns: string[]; nullsDistinct: boolean }
  | { kind: 'check'; name: string }
  | { kind: 'fk_from'; columns: string[]; other: string; otherColumns: string[]; self: boolean; matchFull: boolean }
  | { kind: 'fk_to'; columns: string[]; other: string; otherColumns: string[]; otherKey: string[] | null; self: boolean; onDelete: boolean; onUpdate: boolean };

/** `name: expr::text` pairs as one jsonb object (a handful of constraint columns: under jsonb_build_object's 100 arguments). */
function object(pairs: readonly (readonly [string, string])[]): string {
  return `jsonb_build_object(${pairs.map(([k, v]) => `${literal(k)}, ${v}::text`).join(', ')})`;
}

function col(alias: string, name: string): string {
  return `${alias}.${ident(name)}`;
}

/** a.x1 = b.y1 AND …; with `nullsEqual`, NULL equals NULL (NULLS NOT DISTINCT). */
function equal(a: string, as: readonly string[], b: string, bs: readonly string[], nullsEqual = false): string {
  const op = nullsEqual ? 'IS NOT DISTINCT FROM' : '=';
  return as.map((x, i) => `${col(a, x)} ${op} ${col(b, bs[i])}`).join(' AND ');
}

/**
 * The rows holding the merged state's violations, one part per check (its
 * index in `checks`), each row: c (the check), key (the row the merge writes or
 * deletes), other (the other row's key, or NULL), vals (the values involved);
 * then that key's merged image. Null when there is nothing to check.
 *
 * `merged` (a merge across tables): the other tables it writes. A key to one
 * of them looks for its row among that table's merged rows and the live rows
 * its merge keeps; a row of one of them still referencing a row this merge
 * deletes or re-keys counts only when that table's merge keeps it (its rows
 * the merge writes are checked as its own). Across tables, a row still
 * referencing counts whatever the key's ON DELETE / ON UPDATE action: a
 * cascade would change a table away from its merged (or, left out of the
 * merge, its committed) rows. So does a one-table merge, for the keys of
 * other tables to it: only a self-reference's action is left to act.
 */
export function violationsQuery(t: CheckTarget, checks: readonly Check[], work: WorkTables = WORK, merged: Merged | null = null): string | null {
  const key = (alias: string) => keyExpr(t.keyColumns, alias);
  const out = temp(work.out);
  const fresh = temp(work.new);
  // A live row the merge leaves alone (its key is not among those it writes).
  const keptIn = (outTable: string, keyColumns: readonly string[], alias: string) =>
    `NOT EXISTS (SELECT 1 FROM ${outTable} x WHERE x.key = ${keyExpr(keyColumns, alias)})`;
  const kept = (alias: string) => keptIn(out, t.keyColumns, alias);
  const parts: string[] = [];
  const nulls: string[] = [];
  const checkNames: string[] = [];
  checks.forEach((c, i) => {
    switch (c.kind) {
      case 'not null':
        nulls.push(`(${i}, ${col('n', c.column)} IS NULL)`);
        break;
      case 'check':
        checkNames.push(`(${literal(c.name)}, ${i})`);
        break;
      case 'unique': {
        const vals = object(c.columns.map((u) => [u, col('n', u)] as const));
        const eq = (b: string) => equal('n', c.columns, b, c.columns, !c.nullsDistinct);
        parts.push(`SELECT ${i}, ${key('n')}, ${key('o')}, ${vals}
FROM ${fresh} n JOIN ${t.qname} o ON ${eq('o')} WHERE ${kept('o')}`);
        parts.push(`SELECT ${i}, ${key('n')}, ${key('m')}, ${vals}
FROM ${fresh} n JOIN ${fresh} m ON ${eq('m')} AND n.ctid < m.ctid`);
        break;
      }
      case 'fk_from': {
        const parentIn = (rel: string, extra: string) => `EXISTS (SELECT 1 FROM ${rel} p WHERE ${equal('p', c.otherColumns, 'n', c.columns)}${extra})`;
        const other = c.self ? undefined : merged?.get(c.other);
        const exists = c.self
          ? `(${parentIn(t.qname, ` AND ${kept('p')}`)} OR ${parentIn(fresh, '')})`
          : other
            ? `(${parentIn(c.other, ` AND ${keptIn(temp(other.work.out), other.keyColumns, 'p')}`)} OR ${parentIn(temp(other.work.new), '')})`
            : parentIn(c.other, '');
        const someNull = c.columns.map((f) => `${col('n', f)} IS NULL`);
        const allNull = someNull.join(' AND ');
        // MATCH SIMPLE: a row with a NULL in the key references nothing; MATCH FULL: all NULL or none.
        const where = c.matchFull && c.columns.length > 1
          ? `NOT (${allNull}) AND (${someNull.join(' OR ')} OR NOT ${exists})`
          : `${c.columns.map((f) => `${col('n', f)} IS NOT NULL`).join(' AND ')} AND NOT ${exists}`;
        const vals = object(c.otherColumns.map((p, j) => [p, col('n', c.columns[j])] as const));
        parts.push(`SELECT ${i}, ${key('n')}, NULL::jsonb, ${vals}
FROM ${fresh} n WHERE ${where}`);
        break;
      }
      case 'fk_to': {
        // Rows of the table the merge deletes (or whose referenced columns it changes), still referenced.
        const other = c.self ? undefined : merged?.get(c.other);
        // A key from another table counts whatever its action: a cascade would change a table the merge does not write.
        const strict = merged !== null || !c.self;
        const onDelete = c.onDelete || strict;
        const onUpdate = c.onUpdate || strict;
        const when = onDelete && onUpdate ? '' : onDelete ? ' AND s.img IS NULL' : ' AND s.img IS NOT NULL';
        const otherKey = c.otherKey && c.otherKey.length ? keyExpr(c.otherKey, 'r') : 'NULL::jsonb';
        const vals = object(c.otherColumns.map((f) => [f, col('r', f)] as const));
        const keeps = c.self ? ` AND ${kept('r')}` : other ? ` AND ${keptIn(temp(other.work.out), other.keyColumns, 'r')}` : '';
        parts.push(`SELECT ${i}, s.key, ${otherKey}, ${vals}
FROM ${out} s
JOIN ${t.qname} o ON ${keyMatch(t.keyColumns, t.columns, 'o', 's')}
JOIN ${c.other} r ON ${equal('r', c.otherColumns, 'o', c.columns)}
WHERE NOT EXISTS (SELECT 1 FROM ${fresh} m WHERE ${equal('m', c.columns, 'o', c.columns)})${when}${keeps}`);
        break;
      }
    }
  });
  if (nulls.length) {
    parts.push(`SELECT v.c, ${key('n')}, NULL::jsonb, NULL::jsonb
FROM ${fresh} n CROSS JOIN LATERAL (VALUES ${nulls.join(', ')}) v(c, missing) WHERE v.missing`);
  }
  if (checkNames.length) {
    parts.push(`SELECT k.c, ${key('n')}, NULL::jsonb, NULL::jsonb
FROM pg_temp.vsg_m_chkv v JOIN (VALUES ${checkNames.join(', ')}) k(con, c) ON k.con = v.con
JOIN ${fresh} n ON n.ctid = v.at`);
  }
  if (parts.length === 0) return null;
  return `SELECT v.c::text AS c, v.key::text AS key, v.other::text AS other, v.vals::text AS vals, s.img::text AS img
FROM (
${parts.join('\nUNION ALL\n')}
) v(c, key, other, vals) LEFT JOIN ${out} s ON s.key = v.key`;
}

/**
 * The not-null checks of a table whose only checks are not-null ones, as the
 * VALUES list that notNullQuery and fillOut judge each staged image `s` by,
 * without typing it: a row breaks one where its image holds JSON null in that
 * column, or lacks the column and the write-back's fallback for it
 * (write-back.ts › writeSql) is NULL: no default and no identity, or a
 * default that evaluates to NULL (evaluated only for an image that lacks the
 * column, as the typed rows would). Null when a check is of another kind, or
 * names a generated column (whose value only the typed row computes), or
 * there is none: the typed path is needed then, or nothing.
 */
export function notNullTests(checks: readonly Check[], cols: readonly WriteColumn[]): string | null {
  const byName = new Map(cols.map((c) => [c.name, c]));
  const tests: string[] = [];
  for (const [i, c] of checks.entries()) {
    const column = c.kind === 'not null' ? byName.get(c.column) : undefined;
    if (!column || column.generated) return null;
    const name = literal(column.name);
    const fallback = column.defaultExpr !== null ? `(${column.defaultExpr}) IS NULL` : column.identity ? 'false' : 'true';
    tests.push(`(${i}, CASE WHEN s.img ? ${name} THEN s.img -> ${name} = 'null'::jsonb ELSE ${fallback} END)`);
  }
  return tests.length ? tests.join(', ') : null;
}

/** The rows of `from` (key, img) that `tests` (notNullTests) refuse, as violationsQuery gives them. */
function notNullRows(from: string, tests: string): string {
  return `SELECT v.c::text AS c, s.key::text AS key, NULL::text AS other, NULL::text AS vals, s.img::text AS img
FROM ${from} s CROSS JOIN LATERAL (VALUES ${tests}) v(c, missing)
WHERE s.img IS NOT NULL AND v.missing`;
}

/** The staged images of `work.out` that `tests` (notNullTests) refuse: for images whose forgotten cells were filled after staging. */
export function notNullQuery(tests: string, work: WorkTables = WORK): string {
  return notNullRows(temp(work.out), tests);
}

/**
 * Stage the merged rows (vsg_m_out) as typed rows in vsg_m_new, index and
 * analyse the work tables, run the check constraints of the table (when it has
 * any: sql/merge/check_rows.sql) and, last, the query of violations: one
 * round trip, no parameters. Values go back through each column's input
 * function exactly as the write-back will write them (`w`, write-back.ts).
 */
export function checkStatements(t: CheckTarget, w: WriteSql, withChecks: boolean, query: string, forgotten = false, joined: readonly string[] = []): string {
  return [stageStatements(w, WORK, forgotten, joined), runChecks(t, withChecks, query)].join(';\n');
}

/** The columns of the typed merged rows that the checks join on (unique and foreign-key columns): the ones worth statistics. */
export function joinedColumns(checks: readonly Check[]): string[] {
  const out = new Set<string>();
  for (const c of checks) if (c.kind === 'unique' || c.kind === 'fk_from' || c.kind === 'fk_to') for (const x of c.columns) out.add(x);
  return [...out];
}

/**
 * The first half of checkStatements: the merged rows of `work.out` typed into
 * `work.new`; `work.out` indexed and both analysed, `work.out` on its key and
 * `work.new` on the columns the checks join on (`joined`; none, not at all:
 * not-null and check constraints read each row once). With `forgotten` (some
 * images hold a forgotten cell), each such cell is typed as NULL: its marker
 * is no value of the column's type, and NULL is what the write-back writes
 * there when told `forgotten: 'null'` (with 'live' the images already hold
 * the live values).
 */
export function stageStatements(w: WriteSql, work: WorkTables = WORK, forgotten = false, joined: readonly string[] = []): string {
  const out = temp(work.out);
  const fresh = temp(work.new);
  const from = forgotten
    ? `(SELECT key, CASE WHEN img IS NOT NULL AND ${HOLDS_FORGOTTEN}
        THEN (SELECT jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'object' THEN 'null'::jsonb ELSE e.value END) FROM jsonb_each(img) e)
        ELSE img END AS img FROM ${out})`
    : out;
  return [
    `INSERT INTO ${fresh} (${w.insertColumns}) SELECT ${w.insertValues} FROM ${from} s WHERE s.img IS NOT NULL`,
    `CREATE INDEX ON ${out} (key)`,
    `ANALYZE ${out} (key)`,
    ...(joined.length ? [`ANALYZE ${fresh} (${joined.map(ident).join(', ')})`] : []),
  ].join(';\n');
}

/** The second half of checkStatements: the table's check constraints over `work.new`, then `query`. */
export function runChecks(t: CheckTarget, withChecks: boolean, query: string, work: WorkTables = WORK): string {
  if (!/^\d+$/.test(t.relid)) throw new Error(`not an oid: ${t.relid}`);
  const out: string[] = [];
  if (withChecks) out.push(sql('merge/check_rows').split('RELID').join(t.relid).split('pg_temp.vsg_m_new').join(temp(work.new)));
  out.push(query);
  return out.join(';\n');
}
