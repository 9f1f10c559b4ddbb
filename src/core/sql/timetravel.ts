/**
 * Statements of checkout, restore and rollback that name the table and its
 * columns: forgetting no-op uncommitted changes, and rolling a commit back.
 * Pure builders: identifiers come quoted (src/db/quote.ts, src/db/images.ts),
 * values are bound parameters.
 */
import { imageExpr, keyMatch } from '../../db/images.js';
import { sql } from '../../db/sql.js';

/** A table's row-image expression (live row `r`) and key match (against `<kalias>.key`). */
export interface RowExprs {
  img: string;
  match: string;
}

/** The row image of the live row `r` and its match against the key of `kalias` (n: a pending key; c: a change). */
export function rowExprsOf(keyColumns: readonly string[], columns: readonly { name: string; type: string }[], kalias: string): RowExprs {
  return { img: imageExpr(columns.map((c) => c.name), 'r'), match: keyMatch(keyColumns, columns, 'r', kalias) };
}

/**
 * The statement that forgets table $1's no-op pending rows (`exprs` read the
 * live row `r` of a pending key `n.key`), and with `count`, returns the
 * counts of the uncommitted changes left, netted per key (sql/status/pending.sql).
 */
export function forgetSql(qname: string, exprs: RowExprs, count: boolean): string {
  const forget = `WITH n AS (
       SELECT key, (array_agg(before ORDER BY seq))[1] AS first FROM vsg.pending WHERE table_id = $1 GROUP BY key
     ), gone AS (
       SELECT n.key FROM n WHERE n.first IS NOT DISTINCT FROM (SELECT ${exprs.img} FROM ${qname} r WHERE ${exprs.match})
     )`;
  if (!count) return `${forget}
     DELETE FROM vsg.pending p USING gone WHERE p.table_id = $1 AND p.key = gone.key`;
  // The count reads the rows as they were before the DELETE (one snapshot): it leaves out the forgotten keys.
  return `${forget}, d AS (
       DELETE FROM vsg.pending p USING gone WHERE p.table_id = $1 AND p.key = gone.key
     ), net AS (
       SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
       FROM vsg.pending WHERE table_id = $1 AND key NOT IN (SELECT key FROM gone) GROUP BY key
     )
     SELECT count(*) FILTER (WHERE before IS NULL)::text AS inserted,
            count(*) FILTER (WHERE before IS NOT NULL AND after IS NOT NULL)::text AS updated,
            count(*) FILTER (WHERE after IS NULL)::text AS deleted
     FROM net WHERE before IS DISTINCT FROM after`;
}

/**
 * The two statements of a rollback over the commit's change set beside each
 * key's live row (sql/timetravel/rollback_rows.sql, as the CTE vsg_rollback;
 * $1 the commit, $2 the table's id): its conflicts, and the images it writes.
 * `exprs` are the table's row-image and key-match expressions.
 */
export function rollbackSql(qname: string, exprs: { img: string; match: string }): { conflicts: string; source: string } {
  const rows = sql('timetravel/rollback_rows').replaceAll('{{img}}', () => exprs.img).replaceAll('{{table}}', () => qname).replaceAll('{{match}}', () => exprs.match);
  const staged = `WITH vsg_rollback AS MATERIALIZED (${rows}\n)`;
  return {
    conflicts: `${staged}\nSELECT * FROM (${sql('timetravel/rollback_conflicts')}\n) x ORDER BY 1, 7, 2`,
    source: `${staged}\n${sql('timetravel/rollback_source')}`,
  };
}
