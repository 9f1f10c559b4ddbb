/**
 * The statements a write-back across tables needs around their foreign keys
 * (src/core/write-back-many.ts): deferring keys of a cycle, deleting only the
 * rows no other row references yet, and finding rows of a table left alone
 * that would lose the row they reference. They name tables, columns and
 * constraints, so they are built here; names only through src/db/quote.ts.
 * test/unit/fk-sql.test.ts holds their text.
 */
import { keyExpr } from '../../db/images.js';
import { ident, literal, qualified } from '../../db/quote.js';

/** A foreign key as these builders need it (fk-graph.ts › ForeignKey). */
export interface FkShape {
  name: string;
  schema: string;
  childTable: { schema: string; name: string };
  childColumns: readonly string[];
  parentColumns: readonly string[];
}

/** SET CONSTRAINTS … DEFERRED (or IMMEDIATE: check them now) for these keys, each schema-qualified. */
export function setConstraints(fks: readonly FkShape[], mode: 'DEFERRED' | 'IMMEDIATE'): string {
  return `SET CONSTRAINTS ${fks.map((f) => qualified(f.schema, f.name)).join(', ')} ${mode}`;
}

/** True when no row of `fk`'s table references row `alias` of its parent through it. */
function unreferenced(fk: FkShape, alias: string): string {
  const on = fk.childColumns.map((c, i) => `c.${ident(c)} = ${ident(alias)}.${ident(fk.parentColumns[i])}`).join(' AND ');
  return `NOT EXISTS (SELECT 1 FROM ${qualified(fk.childTable.schema, fk.childTable.name)} c WHERE ${on})`;
}

/** The condition that keeps row `alias` of a parent until none of these keys' rows references it ('' for none). */
export function unreferencedBy(fks: readonly FkShape[], alias = 'r'): string {
  return fks.map((f) => unreferenced(f, alias)).join(' AND ');
}

/**
 * One row of `fk`'s table (left alone by the write-back) whose parent row,
 * in table `parentQname` (quoted), the staged images `staged` (key jsonb,
 * img jsonb) delete or change in a referenced column: the parent's key as
 * `key` and the referenced values as `ref` (jsonb), or no row. `join` matches
 * the parent row r to s.key (write-back.ts › WriteSql.join).
 */
export function orphanedBy(fk: FkShape, parentQname: string, staged: string, join: string): string {
  const on = fk.childColumns.map((c, i) => `c.${ident(c)} = r.${ident(fk.parentColumns[i])}`).join(' AND ');
  const changed = fk.parentColumns.map((p) => `(s.img ? ${literal(p)} AND s.img->>${literal(p)} IS DISTINCT FROM r.${ident(p)}::text)`).join(' OR ');
  return `SELECT ${keyExpr(fk.parentColumns, 'r')}::text AS ref
     FROM ${staged} s JOIN ${parentQname} r ON ${join}
     WHERE (s.img IS NULL OR ${changed})
       AND EXISTS (SELECT 1 FROM ${qualified(fk.childTable.schema, fk.childTable.name)} c WHERE ${on})
     LIMIT 1`;
}
