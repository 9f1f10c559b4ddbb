/**
 * Rows of vsg's tables an operation read, as PostgreSQL itself counts them
 * (pg_stat_user_tables: sequential and index fetches), flushed before each
 * reading: what the tests of "cost follows the change" assert.
 */
import type { Repository } from '../../src/index.js';

/** Rows of `relation` read so far on this connection's database (sequential and index fetches). */
async function rowsRead(repo: Repository, relation: string): Promise<number> {
  // the counts of this session's last statements reach the shared statistics
  // when it next goes idle after this call (PostgreSQL 15 and later)
  await repo.db.query('SELECT pg_catalog.pg_stat_force_next_flush()');
  const { rows } = await repo.db.query<{ n: string }>(
    `SELECT (seq_tup_read + coalesce(idx_tup_fetch, 0))::text AS n FROM pg_catalog.pg_stat_user_tables WHERE relid = $1::regclass`,
    [relation],
  );
  return Number(rows[0].n);
}

/** The rows of each of `relations` that `op` read. */
export async function readOf(repo: Repository, relations: string[], op: () => Promise<unknown>): Promise<number[]> {
  const at = () => Promise.all(relations.map((r) => rowsRead(repo, r)));
  const before = await at();
  await op();
  return (await at()).map((n, i) => n - before[i]);
}
