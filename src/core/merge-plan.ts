/**
 * The three-way merge itself, inside PostgreSQL. The merge base is the best
 * common ancestor over every parent; ours = diff(base, HEAD), theirs =
 * diff(base, theirs), each computed from change sets (cost: the rows changed
 * on both sides, never the table), into session work tables that
 * sql/merge/*.sql then read: the keys either side changed (vsg_m_rows), the
 * conflicts (vsg_m_conf), the merged images (merge/result).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { commonAncestor, mergeBases } from './mergebase.js';
import { shortId } from './refs.js';
import { analyzeTemp, dropTemp, indexTempKey } from './sql/ddl.js';
import { planConflicts, planRows, sideChanges, virtualBase, virtualSide } from './sql/merge.js';
import type { TrackedTable } from './tables.js';

/** The best merge bases: one, or two for a criss-cross; a clear refusal for unrelated or tangled histories. */
export async function pickBases(tx: Queryable, table: TrackedTable, ours: string, theirs: string, ref: string): Promise<string[]> {
  const bases = await mergeBases(tx, ours, theirs);
  if (bases.length === 0) throw new VsgError('E_UNRELATED', `'${ref}' shares no history with '${table.head}'`);
  if (bases.length > 2) throw crissCross(table.head, ref, bases);
  return bases;
}

function crissCross(head: string, ref: string, bases: string[]): VsgError {
  return new VsgError('E_CRISS_CROSS', `'${head}' and '${ref}' have ${bases.length} best merge bases that vsg cannot combine`, {
    exitCode: ExitCode.no,
    hint: `pick one as base: ${bases.map(shortId).join(', ')} (conflicts the other resolved may show again)`,
    data: { bases },
  });
}

/** A merge base: a commit, or (criss-cross) that commit overlaid with pg_temp.vsg_m_vbase. */
export interface Base {
  at: string;
  virtual: boolean;
}

/** A cell of the virtual base where its two bases conflicted: equal to no real value, so every side differs from it. */
const MARK = '{"vsg:conflict": true}';

/**
 * With two best merge bases (criss-cross), merge them into a virtual base as
 * git's recursive strategy does: cells they disagree on are marked, so a
 * cell the two sides settled differently conflicts instead of silently
 * taking one side. The virtual base is stored relative to the first base.
 */
export async function prepareBase(tx: Queryable, table: TrackedTable, bases: string[]): Promise<Base> {
  if (bases.length === 1) return { at: bases[0], virtual: false };
  const inner = await mergeBases(tx, bases[0], bases[1]);
  if (inner.length !== 1) throw crissCross(table.head, 'theirs', bases);
  await buildPlan(tx, table, { at: inner[0], virtual: false }, bases[0], bases[1]);
  await collectConflicts(tx, null);
  await tx.query(sql('merge/resolve_all'), [MARK]);
  await tx.query(sql('merge/drop_vbase_temp'));
  await tx.query(virtualBase());
  await tx.query(sql('merge/index_vbase'));
  return { at: bases[0], virtual: true };
}

/**
 * Fill the session's work tables: vsg_m_ours / vsg_m_theirs (each side's
 * changes since the base, key/old/new) and vsg_m_rows (the keys their side
 * changed, with base, ours and theirs images). Returns how many rows each
 * side changed.
 */
export async function buildPlan(tx: Queryable, table: TrackedTable, base: Base, ours: string, theirs: string): Promise<{ ours: number; theirs: number }> {
  const counts = { ours: 0, theirs: 0 };
  for (const [side, tip] of [['ours', ours], ['theirs', theirs]] as const) {
    const lca = await commonAncestor(tx, base.at, tip);
    const name = base.virtual ? `vsg_m_${side}_r` : `vsg_m_${side}`;
    await tx.query(dropTemp(name));
    const made = await tx.query(sideChanges(name), [
      base.at,
      tip,
      lca.depth,
      false,
      table.id,
    ]);
    counts[side] = made.rowCount;
    await tx.query(indexTempKey(name));
    await tx.query(analyzeTemp(name));
  }
  if (base.virtual) {
    for (const side of ['ours', 'theirs'] as const) {
      await tx.query(dropTemp(`vsg_m_${side}`));
      const made = await tx.query(virtualSide(side));
      counts[side] = made.rowCount;
      await tx.query(indexTempKey(`vsg_m_${side}`));
    }
  }
  await tx.query(sql('merge/drop_rows_temp'));
  await tx.query(planRows());
  return counts;
}

/**
 * The conflicts of the plan (vsg_m_rows) into pg_temp.vsg_m_conf, each
 * already resolved when a strategy ('ours', 'theirs') says how.
 */
export async function collectConflicts(tx: Queryable, strategy: string | null): Promise<void> {
  await tx.query(sql('merge/drop_conflicts_temp'));
  await tx.query(planConflicts(), [strategy]);
}
