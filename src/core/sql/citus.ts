/**
 * Key queries for src/core/citus.ts › readName, which copies the live rows of
 * a Citus distributed table whose keys they yield: Citus plans such a query
 * apart (an intermediate result) where it refuses to join the distributed
 * table to vsg's tables. Pure functions; test/unit/citus-sql.test.ts holds their text.
 */
import { literal } from '../../db/quote.js';

/** The keys of table `tableId`'s uncommitted changes. */
export function pendingKeys(tableId: number): string {
  return `SELECT p.key FROM vsg.pending p WHERE p.table_id = ${Number(tableId)}`;
}

/** The keys commit `commit` changed in table `tableId`, and those with uncommitted changes (what a rollback reads). */
export function rollbackKeys(tableId: number, commit: string): string {
  return `SELECT c.key FROM vsg.commits x CROSS JOIN LATERAL vsg.commit_rows(x.seq) c WHERE x.id = ${literal(commit)} AND c.table_id = ${Number(tableId)} UNION ALL ${pendingKeys(tableId)}`;
}
