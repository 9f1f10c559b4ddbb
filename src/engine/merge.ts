/**
 * Three-way merge by primary key and by column, inside PostgreSQL. The merge
 * base is the best common ancestor over every parent; ours = diff(base, HEAD),
 * theirs = diff(base, theirs), each computed from change sets (cost: the rows
 * changed on both sides, never the table). A conflicted merge is kept in
 * vsg.merges / vsg.merge_conflicts and leaves the live table untouched until
 * `--continue` applies it.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, ExitCode, VsgError } from '../errors.js';
import { applyImages, stateSource, type ApplyResult } from './apply.js';
import { assertWritable, changedRows, createCommit, tidyPending } from './commit.js';
import { commonAncestor } from './diff.js';
import { mergeBases } from './mergebase.js';
import { resolveRef, shortId } from './refs.js';
import { compareKeys } from './rows.js';
import { lockLiveTable, uncommittedCount } from './switch.js';
import { lockTable, resolveTable, type TrackedTable } from './tables.js';
import type { CommitInfo, Image } from './types.js';

export type Strategy = 'ours' | 'theirs';
export type ConflictKind = 'update/update' | 'insert/insert' | 'update/delete' | 'delete/update';

/** One conflict: a cell (column set) or a whole row (column null: update against delete). */
export interface MergeConflict {
  key: Image;
  /** the column, or null for a row-level conflict */
  column: string | null;
  kind: ConflictKind;
  /** cell: the value's text form (null = SQL NULL); row: the image (null = no row) */
  base: string | null | Image;
  ours: string | null | Image;
  theirs: string | null | Image;
  resolved: boolean;
  /** the resolution, once resolved */
  value: string | null | Image;
}

export interface MergeOptions {
  table?: string;
  /** branch, tag or commit to merge into the current branch */
  ref: string;
  message?: string;
  author: string;
  strategy?: Strategy;
  /** use this merge base (e.g. to pick one in a criss-cross history) */
  base?: string;
  /** create a merge commit even when a fast-forward would do */
  noFf?: boolean;
}

export interface MergeResult {
  table: string;
  branch: string;
  status: 'up-to-date' | 'fast-forward' | 'merged' | 'conflict';
  ours: string;
  theirs: string;
  theirsRef: string;
  base: string | null;
  /** every merge base used: two for a criss-cross history (merged into a virtual base) */
  bases: string[];
  /** rows changed on each side since the base */
  changes: { ours: number; theirs: number };
  /** rows written to the live table */
  applied: ApplyResult;
  commit: CommitInfo | null;
  keyColumns: string[];
  conflicts: MergeConflict[];
}

/** A merge stopped on conflicts; `data` is the list of conflicts, `result` everything else. */
export class MergeConflictError extends ConflictError {
  constructor(readonly result: MergeResult) {
    const n = result.conflicts.length;
    super('E_MERGE_CONFLICT', `merge of '${result.theirsRef}' into '${result.table}' has ${n} conflict${n === 1 ? '' : 's'}`, {
      hint: 'resolve them (conflicts() lists them, resolve() settles them), then mergeContinue(); or mergeAbort()',
      data: result.conflicts,
    });
  }
}

const NO_CHANGE: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };

/** Merge `ref` into the table's current branch. Throws MergeConflictError when conflicts stop it. */
export async function merge(db: Db, opts: MergeOptions): Promise<MergeResult> {
  const target = await resolveTable(db, opts.table);
  const result = await db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    await assertWritable(tx, table);
    await lockLiveTable(tx, table);
    const ours = table.headCommit as string;
    const theirs = await resolveRef(tx, opts.ref, table);
    if (theirs.tableId !== table.id) {
      throw new VsgError('E_OTHER_TABLE', `'${opts.ref}' is a commit of another table`, { hint: 'merge combines versions of one table' });
    }
    await assertClean(tx, table, 'merge into');
    const bases = opts.base !== undefined ? [(await resolveRef(tx, opts.base, table)).id] : await pickBases(tx, table, ours, theirs.id, opts.ref);
    const base = bases[0];
    const r: MergeResult = {
      table: table.display,
      branch: table.head,
      status: 'up-to-date',
      ours,
      theirs: theirs.id,
      theirsRef: opts.ref,
      base,
      bases,
      changes: { ours: 0, theirs: 0 },
      applied: NO_CHANGE,
      commit: null,
      keyColumns: table.keyColumns,
      conflicts: [],
    };
    if (bases.length === 1 && base === theirs.id) return r;
    if (bases.length === 1 && base === ours && !opts.noFf) {
      const lca = await commonAncestor(tx, theirs.id, ours);
      r.applied = await applyImages(tx, table, stateSource(table, theirs.id, lca.depth), 'discard');
      await tx.query('DELETE FROM vsg.pending WHERE table_id = $1 AND xid = txid_current()', [table.id]);
      const moved = await tx.query('UPDATE vsg.refs SET commit_id = $1 WHERE id = $2 AND commit_id = $3', [theirs.id, table.branchId, ours]);
      if (moved.rowCount !== 1) throw new ConflictError('E_STALE_PARENT', `branch '${table.head}' moved during the merge`, { hint: 'retry the command' });
      r.status = 'fast-forward';
      r.changes.theirs = r.applied.inserted + r.applied.updated + r.applied.deleted;
      return r;
    }
    r.changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), ours, theirs.id);
    await tx.query('DROP TABLE IF EXISTS pg_temp.vsg_m_conf');
    await tx.query(`CREATE TEMP TABLE vsg_m_conf ON COMMIT DROP AS ${sql('merge/conflicts')}`, [opts.strategy ?? null]);
    r.conflicts = await readConflicts(tx, 'pg_temp.vsg_m_conf', table);
    if (r.conflicts.length > 0 && !opts.strategy) {
      await tx.query(
        `INSERT INTO vsg.merges (table_id, branch, ours, theirs, theirs_ref, base, message, author) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [table.id, table.head, ours, theirs.id, opts.ref, bases.join(' '), opts.message ?? null, opts.author],
      );
      await tx.query(
        `INSERT INTO vsg.merge_conflicts (table_id, key, col, kind, base, ours, theirs)
         SELECT $1, key, col, kind, base, ours, theirs FROM pg_temp.vsg_m_conf`,
        [table.id],
      );
      r.status = 'conflict';
      return r;
    }
    r.applied = await applyImages(tx, table, { text: sql('merge/result'), params: [] });
    r.commit = await commitMerge(tx, table, theirs.id, bases, opts.message ?? (await defaultMessage(tx, opts.ref, table)), opts.author, opts.strategy);
    r.status = 'merged';
    return r;
  });
  if (result.status === 'conflict') throw new MergeConflictError(result);
  await tidyPending(db, changedRows(result.commit));
  return result;
}

/** The best merge bases: one, or two for a criss-cross; a clear refusal for unrelated or tangled histories. */
async function pickBases(tx: Queryable, table: TrackedTable, ours: string, theirs: string, ref: string): Promise<string[]> {
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
interface Base {
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
async function prepareBase(tx: Queryable, table: TrackedTable, bases: string[]): Promise<Base> {
  if (bases.length === 1) return { at: bases[0], virtual: false };
  const inner = await mergeBases(tx, bases[0], bases[1]);
  if (inner.length !== 1) throw crissCross(table.head, 'theirs', bases);
  await buildPlan(tx, table, { at: inner[0], virtual: false }, bases[0], bases[1]);
  await tx.query('DROP TABLE IF EXISTS pg_temp.vsg_m_conf');
  await tx.query(`CREATE TEMP TABLE vsg_m_conf ON COMMIT DROP AS ${sql('merge/conflicts')}`, [null]);
  await tx.query(
    `UPDATE pg_temp.vsg_m_conf SET resolved = true, value = CASE WHEN col IS NOT NULL THEN $1::jsonb
       ELSE (SELECT jsonb_object_agg(k, $1::jsonb) FROM jsonb_object_keys(coalesce(ours, theirs)) AS k) END`,
    [MARK],
  );
  await tx.query('DROP TABLE IF EXISTS pg_temp.vsg_m_vbase');
  await tx.query(`CREATE TEMP TABLE vsg_m_vbase ON COMMIT DROP AS SELECT key, img FROM (${sql('merge/result')}) s`);
  await tx.query('CREATE INDEX ON pg_temp.vsg_m_vbase (key)');
  return { at: bases[0], virtual: true };
}

/** git's wording: Merge branch 'x' into main, Merge tag 'v1', Merge commit '3f2a9c1'. */
async function defaultMessage(tx: Queryable, ref: string, table: TrackedTable): Promise<string> {
  const { rows } = await tx.query<{ kind: string }>('SELECT kind FROM vsg.refs WHERE table_id = $1 AND name = $2', [table.id, ref]);
  const what = rows[0] ? `${rows[0].kind} '${ref}'` : `commit '${ref}'`;
  return `Merge ${what} into ${table.head}`;
}

/** Refuse when the live table has uncommitted changes: the merge would mix them in or overwrite them. */
async function assertClean(tx: Queryable, table: TrackedTable, doing: string): Promise<void> {
  const dirty = await uncommittedCount(tx, table.id);
  if (dirty > 0) {
    throw new VsgError('E_UNCOMMITTED', `cannot ${doing} '${table.display}': ${dirty} uncommitted change${dirty === 1 ? '' : 's'}`, {
      exitCode: ExitCode.no,
      hint: 'commit them first, or discard them (restore)',
      data: { uncommitted: dirty, table: table.display },
    });
  }
}

/**
 * Fill the session's work tables: vsg_m_ours / vsg_m_theirs (each side's
 * changes since the base, key/old/new) and vsg_m_rows (the keys their side
 * changed, with base, ours and theirs images). Returns how many rows each
 * side changed.
 */
async function buildPlan(tx: Queryable, table: TrackedTable, base: Base, ours: string, theirs: string): Promise<{ ours: number; theirs: number }> {
  const counts = { ours: 0, theirs: 0 };
  for (const [side, tip] of [['ours', ours], ['theirs', theirs]] as const) {
    const lca = await commonAncestor(tx, base.at, tip);
    const name = base.virtual ? `vsg_m_${side}_r` : `vsg_m_${side}`;
    await tx.query(`DROP TABLE IF EXISTS pg_temp.${name}`);
    const made = await tx.query(`CREATE TEMP TABLE ${name} ON COMMIT DROP AS SELECT d.key, d.old, d.new FROM (${sql('diff/between')}) d`, [
      base.at,
      tip,
      lca.depth,
      false,
      table.id,
    ]);
    counts[side] = made.rowCount;
    await tx.query(`CREATE INDEX ON pg_temp.${name} (key)`);
    await tx.query(`ANALYZE pg_temp.${name}`);
  }
  if (base.virtual) {
    for (const side of ['ours', 'theirs'] as const) {
      await tx.query(`DROP TABLE IF EXISTS pg_temp.vsg_m_${side}`);
      const made = await tx.query(`CREATE TEMP TABLE vsg_m_${side} ON COMMIT DROP AS ${sql('merge/virtual').split('SIDE').join(side)}`);
      counts[side] = made.rowCount;
      await tx.query(`CREATE INDEX ON pg_temp.vsg_m_${side} (key)`);
    }
  }
  await tx.query('DROP TABLE IF EXISTS pg_temp.vsg_m_rows');
  await tx.query(`CREATE TEMP TABLE vsg_m_rows ON COMMIT DROP AS ${sql('merge/rows')}`);
  return counts;
}

async function commitMerge(
  tx: Queryable,
  table: TrackedTable,
  theirs: string,
  bases: string[],
  message: string,
  author: string,
  strategy: Strategy | undefined,
): Promise<CommitInfo> {
  return createCommit(tx, table, {
    kind: 'MERGE',
    takeAll: false,
    mergeParent: theirs,
    author,
    message,
    meta: { base: bases.join(' '), ...(strategy ? { strategy } : {}) },
    allowEmpty: true,
  });
}

type ConflictRow = Record<'key' | 'col' | 'kind' | 'base' | 'ours' | 'theirs' | 'resolved' | 'value', string | null>;

/** Conflicts from a work or state table, in key order. */
async function readConflicts(tx: Queryable, from: string, table: TrackedTable, where = 'true', params: unknown[] = []): Promise<MergeConflict[]> {
  const { rows } = await tx.query<ConflictRow>(
    `SELECT key::text, col, kind, base::text, ours::text, theirs::text, resolved::text, value::text FROM ${from} WHERE ${where}`,
    params,
  );
  const parse = (v: string | null) => (v === null ? null : (JSON.parse(v) as string | null | Image));
  return rows
    .map((r) => ({
      key: JSON.parse(String(r.key)) as Image,
      column: r.col,
      kind: r.kind as ConflictKind,
      base: parse(r.base),
      ours: parse(r.ours),
      theirs: parse(r.theirs),
      resolved: r.resolved === 'true' || r.resolved === 't',
      value: parse(r.value),
    }))
    .sort((a, b) => compareKeys(a.key, b.key, table.keyColumns) || (a.column ?? '').localeCompare(b.column ?? ''));
}

interface MergeRow {
  branch: string;
  ours: string;
  theirs: string;
  theirs_ref: string;
  base: string;
  message: string | null;
  author: string;
}

async function inProgress(tx: Queryable, table: TrackedTable): Promise<MergeRow> {
  const { rows } = await tx.query<MergeRow>('SELECT branch, ours, theirs, theirs_ref, base, message, author FROM vsg.merges WHERE table_id = $1', [table.id]);
  if (!rows[0]) {
    throw new VsgError('E_NO_MERGE', `no merge into '${table.display}' is in progress`, { hint: 'start one with merge()' });
  }
  return rows[0];
}

export interface ConflictList {
  table: string;
  branch: string;
  ours: string;
  theirs: string;
  theirsRef: string;
  base: string;
  /** two for a criss-cross history (merged into a virtual base) */
  bases: string[];
  keyColumns: string[];
  conflicts: MergeConflict[];
  unresolved: number;
}

/** The in-progress merge of a table and its conflicts. */
export async function listConflicts(db: Queryable, opts: { table?: string } = {}): Promise<ConflictList> {
  const table = await resolveTable(db, opts.table);
  const m = await inProgress(db, table);
  const conflicts = await readConflicts(db, 'vsg.merge_conflicts', table, 'table_id = $1', [table.id]);
  return {
    table: table.display,
    branch: m.branch,
    ours: m.ours,
    theirs: m.theirs,
    theirsRef: m.theirs_ref,
    base: m.base.split(' ')[0],
    bases: m.base.split(' '),
    keyColumns: table.keyColumns,
    conflicts,
    unresolved: conflicts.filter((c) => !c.resolved).length,
  };
}

export interface ResolveOptions {
  table?: string;
  /** the row's key ('7', 'id=7', 'a=1,b=x' or JSON); undefined with `all` */
  key?: string;
  column?: string;
  all?: boolean;
  take: 'ours' | 'theirs' | 'value';
  /** with take 'value': the value's text form, null for SQL NULL */
  value?: string | null;
}

/** Parse a key as the user types it into an image of the key columns. */
export function parseKey(text: string, keyColumns: string[]): Image {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as Image;
    } catch {
      throw new VsgError('E_BAD_KEY', `'${text}' is not valid JSON`, { exitCode: ExitCode.usage });
    }
  }
  if (!t.includes('=')) {
    if (keyColumns.length !== 1) {
      throw new VsgError('E_BAD_KEY', `the key has ${keyColumns.length} columns; write it as ${keyColumns.map((c) => `${c}=...`).join(',')}`, {
        exitCode: ExitCode.usage,
      });
    }
    return { [keyColumns[0]]: t };
  }
  const out: Image = {};
  for (const part of t.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new VsgError('E_BAD_KEY', `'${part}' is not column=value`, { exitCode: ExitCode.usage });
    out[part.slice(0, i).trim()] = part.slice(i + 1);
  }
  return out;
}

/** Resolve conflicts of the in-progress merge: one key (optionally one column), or all. */
export async function resolveConflicts(db: Db, opts: ResolveOptions): Promise<ConflictList & { changed: number }> {
  const target = await resolveTable(db, opts.table);
  if (!opts.all && opts.key === undefined) throw new VsgError('E_USAGE', 'name a key, or set all', { exitCode: ExitCode.usage });
  const changed = await db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    await inProgress(tx, table);
    const key = opts.key === undefined ? null : JSON.stringify(parseKey(opts.key, table.keyColumns));
    const value = opts.take === 'value' ? JSON.stringify(opts.value ?? null) : null;
    if (opts.take === 'value' && opts.column === undefined) {
      // A value fits one cell: without a column, the key must have exactly one conflicting cell.
      const { rows } = await tx.query<{ col: string | null }>('SELECT col FROM vsg.merge_conflicts WHERE table_id = $1 AND key = $2::jsonb', [table.id, key]);
      if (rows.length !== 1 || rows[0].col === null) {
        throw new VsgError('E_USAGE', `name the column the value is for`, {
          exitCode: ExitCode.usage,
          hint: 'give the column with the value', data: { key: opts.key ?? null },
        });
      }
      opts = { ...opts, column: rows[0].col };
    }
    // A cell takes the value; a row-level conflict given a column keeps the surviving image with that cell set.
    const { rowCount } = await tx.query(
      `UPDATE vsg.merge_conflicts SET resolved = true,
         value = CASE $4::text
           WHEN 'ours' THEN ours
           WHEN 'theirs' THEN theirs
           ELSE CASE WHEN col IS NOT NULL THEN $5::jsonb
                     ELSE coalesce(ours, theirs) || jsonb_build_object($3::text, $5::jsonb) END END
       WHERE table_id = $1 AND ($2::jsonb IS NULL OR key = $2::jsonb) AND ($3::text IS NULL OR col = $3::text OR col IS NULL)`,
      [table.id, key, opts.column ?? null, opts.take, value],
    );
    if (rowCount === 0) {
      throw new VsgError('E_NO_CONFLICT', `no conflict at ${opts.key ?? 'any key'}${opts.column ? ` column '${opts.column}'` : ''}`, {
        hint: 'conflicts() lists them',
      });
    }
    return rowCount;
  });
  return { ...(await listConflicts(db, { table: opts.table ?? target.display })), changed };
}

/** Finish the in-progress merge: apply the merged rows and create the merge commit. */
export async function continueMerge(db: Db, opts: { table?: string; message?: string; author?: string }): Promise<MergeResult> {
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const m = await inProgress(tx, table);
    const open = await readConflicts(tx, 'vsg.merge_conflicts', table, 'table_id = $1 AND NOT resolved', [table.id]);
    if (open.length > 0) {
      throw new ConflictError('E_MERGE_UNRESOLVED', `${open.length} conflict${open.length === 1 ? '' : 's'} of the merge into '${table.display}' still unresolved`, {
        hint: 'resolve them with resolve() (conflicts() lists them)',
        data: open,
      });
    }
    if (table.head !== m.branch || table.headCommit !== m.ours) {
      throw new VsgError('E_MERGE_STALE', `'${table.display}' moved since the merge started`, { hint: 'abort the merge and merge again' });
    }
    await lockLiveTable(tx, table);
    const dirty = await uncommittedCount(tx, table.id);
    if (dirty > 0) {
      throw new VsgError('E_UNCOMMITTED', `'${table.display}' has ${dirty} uncommitted change${dirty === 1 ? '' : 's'} made during the merge`, {
        exitCode: ExitCode.no,
        hint: 'abort the merge, record or discard them, and merge again',
      });
    }
    const bases = m.base.split(' ');
    const changes = await buildPlan(tx, table, await prepareBase(tx, table, bases), m.ours, m.theirs);
    await tx.query('DROP TABLE IF EXISTS pg_temp.vsg_m_conf');
    await tx.query(
      `CREATE TEMP TABLE vsg_m_conf ON COMMIT DROP AS
       SELECT key, col, kind, base, ours, theirs, resolved, value FROM vsg.merge_conflicts WHERE table_id = $1`,
      [table.id],
    );
    const conflicts = await readConflicts(tx, 'pg_temp.vsg_m_conf', table);
    const applied = await applyImages(tx, table, { text: sql('merge/result'), params: [] });
    await tx.query('DELETE FROM vsg.merges WHERE table_id = $1', [table.id]);
    const commit = await commitMerge(tx, table, m.theirs, bases, opts.message ?? m.message ?? (await defaultMessage(tx, m.theirs_ref, table)), opts.author ?? m.author, undefined);
    return {
      table: table.display,
      branch: table.head,
      status: 'merged' as const,
      ours: m.ours,
      theirs: m.theirs,
      theirsRef: m.theirs_ref,
      base: bases[0],
      bases,
      changes,
      applied,
      commit,
      keyColumns: table.keyColumns,
      conflicts,
    };
  });
}

/** Forget the in-progress merge; the live table was never touched. */
export async function abortMerge(db: Db, opts: { table?: string } = {}): Promise<{ table: string; theirsRef: string; conflicts: number }> {
  const target = await resolveTable(db, opts.table);
  return db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    const m = await inProgress(tx, table);
    const { rows } = await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM vsg.merge_conflicts WHERE table_id = $1', [table.id]);
    await tx.query('DELETE FROM vsg.merges WHERE table_id = $1', [table.id]);
    return { table: table.display, theirsRef: m.theirs_ref, conflicts: Number(rows[0].n) };
  });
}
