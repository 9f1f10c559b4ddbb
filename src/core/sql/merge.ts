/**
 * The work tables of a three-way merge (merge-plan.ts): each is a query under
 * sql/merge/ or sql/diff/ materialised as a temp table. The queries are
 * files; only the temp tables' names are spliced, through src/db/quote.ts.
 */
import { sql } from '../../db/sql.js';
import { createTempAs } from './ddl.js';

/** The sides of a merge, as the work tables name them. */
export type Side = 'ours' | 'theirs';

/** Temp table `name`: one side's changes since the base (key, old, new); parameters as sql/diff/between.sql. */
export function sideChanges(name: string): string {
  return createTempAs(name, `SELECT d.key, d.old, d.new FROM (${sql('diff/between')}) d`);
}

/** Temp table vsg_m_`side`: that side's changes relative to the virtual base (sql/merge/virtual.sql). */
export function virtualSide(side: Side): string {
  if (side !== 'ours' && side !== 'theirs') throw new Error(`not a merge side: ${String(side)}`);
  return createTempAs(`vsg_m_${side}`, sql('merge/virtual').split('SIDE').join(side));
}

/** Temp table vsg_m_vbase: the merged image of every key (sql/merge/result.sql), the virtual base of a criss-cross merge. */
export function virtualBase(): string {
  return createTempAs('vsg_m_vbase', `SELECT key, img FROM (${sql('merge/result')}) s`);
}

/** Temp table vsg_m_rows: the keys their side changed, with three images (sql/merge/rows.sql). */
export function planRows(): string {
  return createTempAs('vsg_m_rows', sql('merge/rows'));
}

/** Temp table vsg_m_conf: the conflicts of the plan; $1 resolves them ('ours', 'theirs') or leaves them open (sql/merge/conflicts.sql). */
export function planConflicts(): string {
  return createTempAs('vsg_m_conf', sql('merge/conflicts'));
}
