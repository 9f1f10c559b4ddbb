/**
 * SQL expressions over one row of a table (its alias) that build vsg's row
 * images and keys: {"column": column::text, ...}, each value in its type's
 * own text form. Built here from the column names the caller read from the
 * catalog (never asked of the database as SQL text): names go in through
 * the quoting helpers, and the same expressions are written into the capture
 * functions by vsg.image_expr and vsg.key_expr (sql/functions/).
 */
import { ident, literal } from './quote.js';

/** jsonb_build_object takes at most 100 arguments: 50 columns a call. */
const CHUNK = 50;

function pairs(columns: readonly string[], alias: string): string {
  return columns.map((c) => `${literal(c)}, ${ident(alias)}.${ident(c)}::text`).join(', ');
}

/** The image of row `alias` over these columns (every live column, in attnum order). */
export function imageExpr(columns: readonly string[], alias: string): string {
  if (columns.length === 0) return `'{}'::jsonb`;
  const chunks: string[] = [];
  for (let i = 0; i < columns.length; i += CHUNK) chunks.push(`jsonb_build_object(${pairs(columns.slice(i, i + CHUNK), alias)})`);
  return chunks.join(' || ');
}

/** The key of row `alias`: its primary-key columns, in key order. */
export function keyExpr(keyColumns: readonly string[], alias: string): string {
  return `jsonb_build_object(${pairs(keyColumns, alias)})`;
}

/**
 * True when row `alias`'s key equals the key image `kalias`.key, each key
 * column compared in its own type (`type` as format_type spells it). Key
 * columns the table no longer has are left out, as vsg.key_match does.
 */
export function keyMatch(keyColumns: readonly string[], columns: readonly { name: string; type: string }[], alias: string, kalias: string): string {
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  return keyColumns
    .filter((k) => typeOf.has(k))
    .map((k) => `${ident(alias)}.${ident(k)} = (${ident(kalias)}.key->>${literal(k)})::${typeOf.get(k)}`)
    .join(' AND ');
}
