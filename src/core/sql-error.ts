/**
 * The statement a user asked vsg to run failed: PostgreSQL's report, kept
 * whole (position, detail, hint), as the error vsg prints. Shared by commit
 * (the SQL of a commit) and sql (SQL run without versioning).
 */
import { permissionError, SqlError, VsgError } from '../errors.js';

/** PostgreSQL's error as a SqlError with position, detail and hint. */
export function toSqlError(e: unknown, statement: string): VsgError {
  const err = e as { message?: string; code?: string; position?: string; detail?: string; hint?: string };
  if (err.code === '42501') {
    return permissionError(e);
  }
  if (err.code === undefined) throw e;
  return new SqlError(
    String(err.message),
    { sqlstate: err.code, position: err.position ? Number(err.position) : undefined, detail: err.detail, hint: err.hint, statement },
    e,
  );
}
