/**
 * Statements that read or recreate a tracked table that was dropped
 * (src/core/dropped.ts). They name the table, its columns or a sequence, so
 * cannot be files under sql/. Each is a pure function; names go in only
 * through src/db/quote.ts, values only as bound parameters.
 * test/unit/dropped-sql.test.ts holds their text.
 */
import { ident, literal } from '../../db/quote.js';
import { sql } from '../../db/sql.js';
import { forgottenColumns } from './rows.js';

/**
 * A statement under sql/ that reads a table's rows as of a commit from its
 * history alone through the placeholder (ROWS_AT), with sql/dropped/rows_at.sql
 * spliced in there (same $1, $2: table id, commit).
 */
export function withRowsAt(name: string): string {
  return sql(name).replace('(ROWS_AT)', `(${sql('dropped/rows_at')})`);
}

/** A column to recreate: its type and default as the server wrote them (recorded from the catalog). */
export interface RecreateColumn {
  name: string;
  type: string;
  notNull: boolean;
  defaultExpr: string | null;
}

/**
 * The rows of a dropped table as of a commit from its history alone, each
 * column as text aliased c0..cN, in key order. $1: table id, $2: the commit.
 */
export function historyRows(keyColumns: readonly string[], cols: readonly { name: string; type: string }[]): string {
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  // a forgotten cell (vsg forget's marker, an object) reads as NULL, and f maps the row's forgotten columns to their markers
  const vals = cols.map((c, i) => `CASE WHEN jsonb_typeof(x.img->${literal(c.name)}) <> 'object' THEN x.img->>${literal(c.name)} END AS c${i}`);
  const keys = keyColumns.map((k, i) => `(x.key->>${literal(k)})::${typeOf.get(k) ?? 'text'} AS k${i}`);
  return `SELECT ${cols.map((_, i) => `c${i}`).join(', ')}, f FROM (
      SELECT ${[...vals, ...keys].join(', ')}, ${forgottenColumns('x.img')} AS f FROM (${sql('dropped/rows_at')}) x
    ) u ORDER BY ${keyColumns.map((_, i) => `k${i}`).join(', ')}`;
}

/** CREATE SCHEMA IF NOT EXISTS `schema`. */
export function createSchema(schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`;
}

/** CREATE SEQUENCE `name` (already quoted). */
export function createSequence(name: string): string {
  return `CREATE SEQUENCE ${name}`;
}

/**
 * CREATE TABLE `qname` (already quoted) with the columns and primary key.
 * Types and defaults are the server's own deparsed text, recorded from the
 * catalog (as pg_dump writes them), never user input.
 */
export function createTable(qname: string, cols: readonly RecreateColumn[], keyColumns: readonly string[]): string {
  const defs = cols.map((c) => `${ident(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.defaultExpr !== null ? ` DEFAULT ${c.defaultExpr}` : ''}`);
  return `CREATE TABLE ${qname} (${[...defs, `PRIMARY KEY (${keyColumns.map(ident).join(', ')})`].join(', ')})`;
}

/**
 * Fill `qname` (already quoted) with the rows as of a commit, each value
 * through its column's input function. $1: table id, $2: the commit, $3 what
 * to write where a value was forgotten (vsg forget's marker, an object): 'null'
 * NULL in its place; otherwise the row is left out (as 'live' does where there
 * is no live row; the caller refused first when nothing was said).
 */
export function insertHistoryRows(qname: string): string {
  const marked = `EXISTS (SELECT 1 FROM jsonb_each(x.img) e WHERE jsonb_typeof(e.value) = 'object')`;
  const nulled = `(SELECT jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'object' THEN 'null'::jsonb ELSE e.value END) FROM jsonb_each(x.img) e)`;
  return `INSERT INTO ${qname} SELECT r.* FROM (${sql('dropped/rows_at')}) x CROSS JOIN LATERAL jsonb_populate_record(NULL::${qname}, CASE WHEN ${marked} THEN ${nulled} ELSE x.img END) r WHERE $3::text = 'null' OR NOT ${marked}`;
}

/** ALTER SEQUENCE `name` OWNED BY the column (names already quoted but the column). */
export function sequenceOwnedBy(name: string, qname: string, column: string): string {
  return `ALTER SEQUENCE ${name} OWNED BY ${qname}.${ident(column)}`;
}

/** Set sequence $1 past the highest value of the column, if there is one. */
export function sequencePastMax(qname: string, column: string): string {
  return `SELECT setval($1::regclass, max(${ident(column)})) FROM ${qname} HAVING max(${ident(column)}) IS NOT NULL`;
}
