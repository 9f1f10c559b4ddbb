/**
 * Forget: blank the values of some rows (or some of their columns) in every
 * commit's change rows on every branch, keeping each row's hash, so that the
 * chain still verifies and commit ids do not change (docs/forget.md). The
 * erasure is recorded as a FORGET entry (vsg.forgets, hash-chained), never as
 * a rewrite of a commit. Checkpoints of the table (native copies of its rows)
 * are dropped: they are caches, and the next large commit makes another. With
 * `live`, the live rows are deleted (or the columns set to NULL) first, as a
 * commit, in the same transaction, and that commit's images are blanked too.
 * After the transaction, vsg.changes and vsg.pending (and with `live` the
 * table) are vacuumed, so that no dead tuple keeps an old value.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ExitCode, isVsgError, VsgError } from '../errors.js';
import { dropCheckpoints } from '../core/checkpoint.js';
import { isDistributed, readName } from '../core/citus.js';
import { gather } from '../core/gather.js';
import { createCommit } from '../core/create-commit.js';
import { assertWritable } from '../core/guards.js';
import { canonicalKeys, parseKey } from '../core/keys.js';
import { toSqlError } from '../core/sql-error.js';
import { shortId } from '../core/refs.js';
import { forgetLive, forgetVacuum, forgetWhere } from '../core/sql/forget.js';
import { columns as tableColumns, lockNamed, resolveHistory, type TrackedTable } from '../core/tables.js';
import type { CommitInfo } from '../core/types.js';
import type { ForgetEntry } from '../core/forgets.js';

export type { ForgetEntry };

export interface ForgetOptions {
  table?: string;
  /** the rows' keys, as people type them (`7`, `id=7`, JSON) */
  keys?: string[];
  /** a SQL predicate over the table's columns: rows it is true of, live or in any image of history */
  where?: string;
  /** forget only these columns (never key columns); default: every column but the key */
  columns?: string[];
  /** why (recorded in the FORGET entry); required */
  message: string;
  author: string;
  /** also delete the live rows (or set the columns to NULL), as a commit, in the same transaction */
  live?: boolean;
  /**
   * vacuum what was rewritten afterwards (default true): plain VACUUM takes the
   * dead tuples out of reach; 'full' also rewrites the tables' files, so that no
   * byte of an old value is left in them (an exclusive lock while it runs)
   */
  vacuum?: boolean | 'full';
}

export interface ForgetResult {
  entry: ForgetEntry;
  /** the --live commit, when one was made */
  commit: CommitInfo | null;
  /** checkpoints dropped */
  checkpoints: number;
  /** whether what the forget rewrote (vsg.changes, vsg.pending, with live the table) was vacuumed afterwards (full: VACUUM FULL); when not, why */
  vacuum: { done: boolean; full?: boolean; kept?: number; reason?: string };
}

type EntryRow = Record<'seq' | 'id' | 'at', string>;

/** Forget rows (or columns of them) in the whole history of one table. */
export async function forget(db: Db, opts: ForgetOptions): Promise<ForgetResult> {
  const keys = opts.keys ?? [];
  if (keys.length === 0 && (opts.where === undefined || opts.where.trim() === '')) {
    throw new VsgError('E_USAGE', 'name the rows to forget: their keys, or a where predicate');
  }
  if (keys.length > 0 && opts.where !== undefined) throw new VsgError('E_USAGE', 'give keys or a where predicate, not both');
  if (opts.message.trim() === '') throw new VsgError('E_USAGE', 'say why: a forget needs a message', { hint: 'the reason is recorded in the FORGET entry' });
  const result = await db.transaction(async (tx) => {
    const table = await lockHistory(tx, opts.table, opts.live === true);
    // a Citus distributed table's changes captured on its shards: brought here first, so that the check below sees them
    if (table.untrackedAt === null && !table.gone && (await isDistributed(tx, table))) await gather(tx, [table.id]);
    const cols = table.gone || table.untrackedAt !== null ? [] : await tableColumns(tx, table.relid);
    const wanted = opts.columns === undefined ? null : [...new Set(opts.columns)].sort();
    // (an untracked history's columns are those its images hold: only key columns are checked there)
    if (wanted !== null) checkColumns(table.display, table.keyColumns, cols.length ? cols.map((c) => c.name) : null, wanted);

    await tx.query(sql('forget/temp'));
    if (keys.length > 0) {
      // an untracked history's keys as typed (their text form): its table is no longer vsg's to read types from
      const canon = table.untrackedAt !== null ? keys.map((k) => parseKey(k, table.keyColumns)) : await canonicalKeys(tx, table, keys);
      await tx.query(sql('forget/add_keys'), [canon.map((k) => JSON.stringify(k))]);
    } else {
      const where = opts.where as string;
      try {
        await tx.query(forgetWhere({ ...table, qname: await readName(tx, table) }, where), [table.id]);
      } catch (e) {
        // the predicate is the user's SQL: its error is theirs (E_SQL, exit 4), its position relative to the statement vsg built
        const err = e as { message?: string; code?: string; detail?: string; hint?: string };
        throw toSqlError({ message: `the where predicate failed: ${err.message}`, code: err.code, detail: err.detail, hint: err.hint }, where);
      }
    }
    await tx.query(sql('forget/analyze'));
    const check = (await tx.query<Record<'keys' | 'known' | 'scheme1' | 'pending', string>>(sql('forget/check'), [table.id])).rows[0];
    if (Number(check.known) === 0) {
      throw new VsgError('E_NO_ROW', `no row to forget in '${table.display}': ${keys.length ? 'no history holds those keys' : 'the predicate matches no row, live or in history'}`, {
        hint: 'check the keys and the predicate',
      });
    }
    const old = JSON.parse(check.scheme1) as string[];
    if (old.length > 0) {
      const shown = old.slice(0, 5).map(shortId).join(', ') + (old.length > 5 ? ` and ${old.length - 5} more` : '');
      throw new VsgError('E_FORGET_OLD_COMMITS', `cannot forget rows of '${table.display}' held by ${old.length} commit${old.length === 1 ? '' : 's'} made before schema version 13 (${shown}): their hashes have no salt, so blanking would break them`, {
        hint: 'prune past them (prune({ before })): their state is kept as a base with salts, which forget reaches; nothing was changed',
        data: { commits: old },
      });
    }
    if (Number(check.pending) > 0) {
      throw new VsgError('E_UNCOMMITTED', `cannot forget rows of '${table.display}': ${check.pending} uncommitted change${check.pending === '1' ? '' : 's'} to them`, {
        exitCode: ExitCode.no,
        hint: 'commit or restore them first',
        data: { uncommitted: Number(check.pending), table: table.display },
      });
    }

    let commit: CommitInfo | null = null;
    if (opts.live && !table.gone) {
      const w = await tx.query(forgetLive(table, cols, wanted));
      if (w.rowCount > 0) {
        commit = await createCommit(tx, table, { kind: 'COMMIT', takeAll: false, take: 'mine', author: opts.author, message: opts.message }, true);
      }
    }
    const copies = await unpackPacked(tx, table);
    const blanked = (await tx.query<Record<'keys' | 'rows' | 'cells', string>>(sql('forget/blank'), [table.id, wanted, table.keyColumns])).rows[0];
    const dropped = await dropCheckpoints(tx, table.id);
    await tx.query(sql('forget/lock'));
    const counts = { keys: Number(blanked.keys), rows: Number(blanked.rows), cells: Number(blanked.cells) };
    const e = (await tx.query<EntryRow>(sql('forget/record'), [table.id, opts.author, opts.message, wanted, counts.keys, counts.rows, counts.cells, commit?.id ?? null])).rows[0];
    const entry: ForgetEntry = {
      seq: Number(e.seq), id: e.id, table: table.display, author: opts.author, message: opts.message, at: e.at,
      columns: wanted, ...counts, live: commit?.id ?? null,
    };
    const full = opts.vacuum === 'full';
    const live = opts.live && !table.gone ? table.qname : null;
    const vacuumed = ['vsg.changes', 'vsg.pending', 'vsg.base_rows', ...copies, ...(live ? [live] : [])];
    return { entry, commit, checkpoints: dropped, vacuum: { done: false } as ForgetResult['vacuum'], live, vacuumed, full };
  });
  const { live, vacuumed, full, ...out } = result;
  out.vacuum = opts.vacuum !== false ? await vacuum(db, vacuumed, full) : { done: false, reason: 'not asked' };
  return out;
}

/**
 * The commits whose rows are kept packed (hash scheme 3: a root kept as a
 * checkpoint, a large statement kept as vsg.packed_<seq>): the chunks holding the
 * keys to forget become change rows first, which the blank then reaches as any
 * (sql/functions/root_unpack.sql). Answers the copies it changed, for the
 * vacuum. A chunk that no longer matches its hash is refused, nothing changed.
 */
async function unpackPacked(tx: Queryable, table: TrackedTable): Promise<string[]> {
  try {
    return (await tx.query<{ rel: string }>(sql('forget/unpack'), [table.id])).rows.map((r) => r.rel);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code !== 'XX001' || !err.message?.startsWith('vsg: ')) throw e;
    throw new VsgError('E_VERIFY', `cannot forget rows of '${table.display}': ${err.message.slice(5)}; nothing was forgotten`, {
      exitCode: ExitCode.no,
      hint: 'verify() shows what changed',
    });
  }
}

/**
 * The table whose history to blank, locked: a tracked table (lockNamed; with
 * a merge in progress into it, only without `live`), or else an untracked history of that name, which nothing
 * writes but forget itself (serialised on vsg.forgets). Its live rows are no
 * longer versioned: `live` is refused there.
 */
async function lockHistory(tx: Queryable, name: string | undefined, live: boolean): Promise<TrackedTable> {
  try {
    const table = await lockNamed(tx, name);
    // A merge in progress: its saved conflicts are blanked too (sql/forget/blank.sql), so it can go on or be aborted;
    // a --live commit would move the branch under it.
    if (!table.merging || table.branchId === null) await assertWritable(tx, table);
    else if (live) {
      throw new VsgError('E_MERGE_IN_PROGRESS', `cannot forget the live rows of '${table.display}': a merge into it is in progress`, {
        hint: 'forget without live now (the merge\'s saved values are blanked too) and delete the live rows once the merge is done, or finish or abort the merge first',
        data: { table: table.display },
      });
    }
    return table;
  } catch (e) {
    if (!(isVsgError(e) && e.code === 'E_NOT_TRACKED')) throw e;
    const history = await resolveHistory(tx, name);
    if (history.untrackedAt === null) throw e;
    if (live) {
      throw new VsgError('E_NOT_TRACKED', `table '${history.display}' is not tracked: its untracked history can be forgotten, its live rows are not vsg's`, {
        hint: 'forget without live, and change the table as you would any other', data: { table: history.display },
      });
    }
    await tx.query(sql('forget/lock'));
    return history;
  }
}

function checkColumns(display: string, keyColumns: string[], have: string[] | null, wanted: string[]): void {
  if (wanted.length === 0) throw new VsgError('E_USAGE', 'name at least one column to forget');
  const key = wanted.filter((c) => keyColumns.includes(c));
  if (key.length) {
    throw new VsgError('E_FORGET_COLUMN', `cannot forget key column${key.length === 1 ? '' : 's'} ${key.map((c) => `'${c}'`).join(', ')} of '${display}' alone`, {
      hint: 'forget the whole row (no columns): its key stays as its identity in history', data: { columns: key },
    });
  }
  const unknown = have === null ? [] : wanted.filter((c) => !have.includes(c));
  if (have !== null && unknown.length) {
    throw new VsgError('E_FORGET_COLUMN', `'${display}' has no column ${unknown.map((c) => `'${c}'`).join(', ')}`, {
      hint: `its columns: ${have.filter((c) => !keyColumns.includes(c)).join(', ')}`, data: { columns: unknown },
    });
  }
}

/**
 * VACUUM what the forget rewrote, outside any transaction; inside one (an
 * application's), say so instead of failing. A plain VACUUM first, whose
 * report says whether it had to keep dead row versions (a transaction open
 * somewhere still sees them): then they may hold old values, and the result
 * says so. With `full`, VACUUM FULL after it rewrites the files.
 */
async function vacuum(db: Queryable, tables: string[], full: boolean): Promise<ForgetResult['vacuum']> {
  try {
    await db.query(forgetVacuum(tables));
    const kept = Number((await db.query<{ n: string }>(sql('forget/dead_tuples'), [tables])).rows[0].n);
    if (full) await db.query(forgetVacuum(tables, true));
    const done: ForgetResult['vacuum'] = full ? { done: true, full: true } : { done: true };
    if (kept > 0) {
      done.kept = kept;
      done.reason = `${kept} dead row version${kept === 1 ? '' : 's'} could not be removed yet (a transaction open elsewhere still sees them); run VACUUM ${tables.join(', ')} once it ended`;
    }
    return done;
  } catch (e) {
    return { done: false, reason: (e as Error).message };
  }
}
