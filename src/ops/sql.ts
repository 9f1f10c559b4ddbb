/** `vsg sql`: run SQL on the repository's database without versioning it. */
import type { Db, Result } from '../db/db.js';
import { toSqlError } from '../core/sql-error.js';

/** One statement's result. */
export interface StatementResult {
  command: string;
  /** the server's whole command tag, as psql prints it ('INSERT 0 2', 'CREATE TABLE'), where known */
  tag?: string;
  rowCount: number;
  columns: string[];
  rows: (string | null)[][];
}

/** The last statement's result, and every statement's, in order. */
export interface SqlResult extends StatementResult {
  statements: StatementResult[];
}

function statement(r: Result<(string | null)[]>): StatementResult {
  return { command: r.command, ...(r.tag ? { tag: r.tag } : {}), rowCount: r.rowCount, columns: r.fields.map((f) => f.name), rows: r.rows };
}

/** Run SQL as psql would (changes to tracked tables become uncommitted changes). */
export async function runSql(db: Db, text: string): Promise<SqlResult> {
  try {
    const all = db.script ? (await db.script(text)).map(statement) : [await lastOnly(db, text)];
    return { ...all[all.length - 1], statements: all };
  } catch (e) {
    throw toSqlError(e, text);
  }
}

/** On a Db without script(): the last statement's result, its columns by name. */
async function lastOnly(db: Db, text: string): Promise<StatementResult> {
  const res = await db.query(text);
  const columns = res.fields.map((f) => f.name);
  return {
    command: res.command,
    rowCount: res.rowCount,
    columns,
    rows: res.rows.map((r) => columns.map((c) => (r as Record<string, string | null>)[c] ?? null)),
  };
}
