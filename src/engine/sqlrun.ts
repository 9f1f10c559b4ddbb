/** `vsg sql`: run SQL on the repository's database without versioning it. */
import type { Db } from '../db/db.js';
import { toSqlError } from './commit.js';

export interface SqlResult {
  command: string;
  rowCount: number;
  columns: string[];
  rows: (string | null)[][];
}

/** Run SQL as psql would (changes to tracked tables become uncommitted changes). */
export async function runSql(db: Db, statement: string): Promise<SqlResult> {
  try {
    const res = await db.query(statement);
    const columns = res.fields.map((f) => f.name);
    return {
      command: res.command,
      rowCount: res.rowCount,
      columns,
      rows: res.rows.map((r) => columns.map((c) => (r as Record<string, string | null>)[c] ?? null)),
    };
  } catch (e) {
    throw toSqlError(e, statement);
  }
}
