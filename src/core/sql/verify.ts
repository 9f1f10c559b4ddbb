/**
 * The statement `vsg verify --checkpoints` compares a checkpoint with (src/core/verify.ts).
 * It names the copy and its columns, so it cannot be a file under sql/; names go
 * in only through src/db/quote.ts, values only as bound parameters.
 * test/unit/verify-sql.test.ts holds its text.
 */
import { imageExpr, keyExpr } from '../../db/images.js';
import { ident, literal } from '../../db/quote.js';
import { sql } from '../../db/sql.js';

/** A column of a checkpoint, as sql/verify/checkpoints.sql reads it from the catalog. */
export interface CheckpointColumn {
  name: string;
}

/**
 * Where checkpoint vsg.`relname` and the rows history gives its commit differ:
 * how many keys, and the first (by key) with history's image (`expected`) and
 * the copy's (`actual`), NULL for a row one side lacks. History is read as
 * sql/dropped/rows_at.sql reads it ($1: table id, $2: the commit). Each cell is
 * compared as text, but where the two cannot agree: the columns of `passOver`
 * (a type changed or a column dropped by a SCHEMA commit: history keeps a row's
 * text of before until the row changes again), a cell that history marks
 * forgotten (vsg forget blanks history, not a copy made since), and one that
 * history's image lacks (a column added, or renamed, since the row last changed).
 */
export function checkpointDiff(relname: string, keyColumns: readonly string[], columns: readonly CheckpointColumn[], passOver: readonly string[] = []): string {
  const cells = columns
    .filter((c) => !passOver.includes(c.name))
    .map(({ name }) => {
      const [h, k] = [`h.img->${literal(name)}`, `k.img->${literal(name)}`];
      return `(${h} IS NULL OR ${h} = ${k} OR jsonb_typeof(${h}) = 'object')`;
    });
  return `WITH h AS MATERIALIZED (
    SELECT x.key, x.img FROM (${sql('dropped/rows_at')}) x
  ), k AS MATERIALIZED (
    SELECT ${keyExpr(keyColumns, 'r')} AS key, ${imageExpr(columns.map((c) => c.name), 'r')} AS img FROM vsg.${ident(relname)} r
  ), bad AS (
    SELECT coalesce(h.key, k.key) AS key, h.img AS expected, k.img AS actual
    FROM h FULL JOIN k ON k.key = h.key
    WHERE h.key IS NULL OR k.key IS NULL OR NOT (${cells.length ? cells.join('\n      AND ') : 'true'})
  )
  SELECT (count(*) OVER ())::text AS differ, key::text, expected::text, actual::text FROM bad ORDER BY key LIMIT 1`;
}
