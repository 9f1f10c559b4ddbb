/**
 * Prune: drop the change rows of the commits older than a point, on every
 * branch of every tracked table and untracked history, keeping (docs/prune.md):
 *  - per table, a base: the state at the point, row by row with salts and row
 *    hashes (src/core/bases.ts), so that it can still be forgotten in;
 *  - per pruned commit, a compact header (id, parents, seq, depths,
 *    change_hash, time), its author, message and statement blanked, marked
 *    with the PRUNE entry, so that every link, merge-base walk and digest id
 *    is still there and reading it answers E_PRUNED (exit 7);
 *  - a PRUNE entry (vsg.prunes, hash-chained) with a hash over the pruned
 *    ids and the bases' hashes, which verify checks.
 * All in one transaction; VACUUM FULL afterwards by default (a plain VACUUM
 * leaves the files larger than before: each blanked header is a new row
 * version).
 */
import { sqlTrue as yes, type Db, type Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { isVsgError, VsgError } from '../errors.js';
import { makeBase, type Base } from '../core/bases.js';
import type { PruneEntry } from '../core/prunes.js';
import { parseDate } from '../core/dates.js';
import { assertWritable } from '../core/guards.js';
import { resolveRef, shortId, stateAt } from '../core/refs.js';
import { hasAncestry, repoCommit } from '../core/repo-refs.js';
import { dropCheckpoint } from '../core/sql/ddl.js';
import { listTables, lockTable, type TrackedTable } from '../core/tables.js';

export interface PruneOptions {
  /** a commit (id, branch, tag, HEAD~N) or a date: the commits older than it lose their changes */
  before: string;
  /**
   * keep every tagged state: a table's boundary moves back to the oldest
   * commit a tag of it points at among those the point would prune (default:
   * such tags are deleted with their commits)
   */
  keepTags?: boolean;
  /** why (recorded in the PRUNE entry); default "prune before <point>" */
  message?: string;
  author: string;
  /**
   * vacuum vsg.changes, vsg.commits and vsg.base_rows afterwards: 'full'
   * (the default) rewrites their files and gives the space back to the file
   * system (an exclusive lock on them while it runs: vsg's own commands wait,
   * application writes to tracked tables do not); 'plain' (or true) a plain
   * VACUUM, which keeps the files as large as before for new commits to
   * fill; false none
   */
  vacuum?: boolean | 'full' | 'plain';
}

export type { PruneEntry };

export interface PruneResult {
  /** the PRUNE entry; null when nothing was older than the point (nothing changed, nothing recorded) */
  entry: PruneEntry | null;
  /** per table pruned: its boundary (the oldest commit kept), commits pruned and change rows deleted */
  /**
   * per table pruned: its boundary on its HEAD branch (the oldest commit kept
   * there), every branch's boundary, commits pruned and change rows deleted
   */
  tables: { table: string; boundary: string; boundaries: { branch: string; commit: string }[]; commits: number; changes: number }[];
  /** tags deleted with the commits they pointed at */
  tagsDeleted: { table: string; name: string; commit: string }[];
  /** keepTags: per table whose boundary a tag held back, that tag, its commit (the boundary) and how many commits fewer were pruned */
  heldBack: { table: string; tag: string; commit: string; spared: number }[];
  /** untracked histories left whole: a branch of theirs is older than the point or forked before it (named, with its commit) */
  historiesLeft: { table: string; branch: string; commit: string }[];
  checkpoints: number;
  /** vacuum afterwards; sizes of vsg.changes and vsg.commits (bytes, with indexes and TOAST) before and after */
  vacuum: { done: boolean; full?: boolean; reason?: string; kept?: number };
  space: { before: number; after: number };
}

/** Prune history older than a point on every branch of every tracked table. */
export async function prune(db: Db, opts: PruneOptions): Promise<PruneResult> {
  if (opts.before.trim() === '') throw new VsgError('E_USAGE', 'name the point: a commit or a date');
  const before = await size(db);
  const out = await db.transaction(async (tx) => {
    await tx.query(sql('prune/lock'));
    const tables: TrackedTable[] = [];
    for (const t of await listTables(tx)) {
      if (t.gone) {
        throw new VsgError('E_PRUNE_REFUSED', `cannot prune: tracked table '${t.display}' was dropped`, {
          hint: 'restore it (vsg restore) or untrack it first; nothing was changed', data: { table: t.display },
        });
      }
      const locked = await lockTable(tx, t);
      await assertWritable(tx, locked);
      tables.push(locked);
    }
    if (tables.length === 0) throw new VsgError('E_NO_TABLES', 'no table is tracked yet');
    const { rows: p } = await tx.query<{ n: string }>(sql('prune/pending'), [tables.map((t) => t.id)]);
    if (Number(p[0].n) > 0) {
      throw new VsgError('E_UNCOMMITTED', `cannot prune: ${p[0].n} uncommitted change${p[0].n === '1' ? '' : 's'} to tracked tables`, {
        hint: 'commit or restore them first (vsg status lists them); nothing was changed',
      });
    }
    const point = await pointOf(tx, tables, opts.before);
    // untracked histories (vsg untrack keeps one) are pruned at the same point
    const histories = (await listTables(tx, false, true)).filter((t) => t.untrackedAt !== null && t.headCommit !== null);
    await historyBoundaries(tx, histories, point);
    await tx.query(sql('prune/temp'));
    const plan: { table: TrackedTable; boundary: string; boundaries: { branch: string; commit: string }[]; bases: string[]; tags: string[] }[] = [];
    const tagsDeleted: PruneResult['tagsDeleted'] = [];
    const heldBack: PruneResult['heldBack'] = [];
    const historiesLeft: PruneResult['historiesLeft'] = [];
    for (const t of tables) {
      const x = await branchBoundaries(tx, t, point, opts.keepTags === true, heldBack);
      if (x === null) continue;
      const tags: string[] = [];
      for (const r of (await tx.query<{ name: string; commit_id: string }>(sql('prune/tagged'), [t.id])).rows) {
        tags.push(r.name);
        tagsDeleted.push({ table: t.display, name: r.name, commit: r.commit_id });
      }
      plan.push({ table: t, ...x, tags });
    }
    for (const t of histories) {
      const at = point.boundaries.get(t.id);
      if (at === undefined) continue;
      let boundary = at;
      let n = Number((await tx.query<{ n: string }>(sql('prune/collect'), [boundary.id])).rows[0].n);
      if (n === 0) continue;
      let refs = await refsLeft(tx, t, boundary);
      // --keep-tags: a tag on a commit the prune would drop holds the boundary
      // back to the oldest such commit, so that every tagged state stays readable
      const held = opts.keepTags ? refs.filter((r) => r.kind === 'tag' && r.pruned).sort((a, b) => Number(a.seq) - Number(b.seq))[0] : undefined;
      if (held) {
        const planned = n;
        boundary = { id: held.commit_id, seq: held.seq };
        await tx.query(sql('prune/forget_table'), [t.id]);
        n = Number((await tx.query<{ n: string }>(sql('prune/collect'), [boundary.id])).rows[0].n);
        heldBack.push({ table: t.display, tag: held.name, commit: held.commit_id, spared: planned - n });
        if (n === 0) continue;
        refs = await refsLeft(tx, t, boundary);
      }
      const branch = refs.find((r) => r.kind === 'branch');
      if (branch) {
        // an untracked history's branches cannot be merged or deleted any more:
        // rather than prune it under one of them, it is left whole
        await tx.query(sql('prune/forget_table'), [t.id]);
        if (held) heldBack.pop(); // nothing of it is pruned: no tag held it back
        historiesLeft.push({ table: t.display, branch: branch.name, commit: branch.commit_id });
        continue;
      }
      const tags: string[] = [];
      for (const r of refs) {
        if (r.kind === 'tag' && r.pruned) {
          tags.push(r.name);
          tagsDeleted.push({ table: t.display, name: r.name, commit: r.commit_id });
        }
      }
      plan.push({ table: t, boundary: boundary.id, boundaries: [{ branch: t.head, commit: boundary.id }], bases: [boundary.id], tags });
    }
    if (plan.length === 0) return { entry: null, tables: [], tagsDeleted: [], heldBack, historiesLeft, checkpoints: 0 };
    const bases: (Base & { tableId: number })[] = [];
    for (const x of plan) for (const c of x.bases) bases.push({ ...(await makeBase(tx, x.table, c)), tableId: x.table.id });
    const { rows: superseded } = await tx.query<Record<'table_id' | 'forgotten' | 'cells', string>>(sql('prune/drop_bases'));
    const seq = Number((await tx.query<{ seq: string }>(sql('prune/next'))).rows[0].seq);
    const { rows: dropped } = await tx.query<Record<'table_id' | 'rows' | 'forgotten' | 'cells' | 'commits', string>>(sql('prune/drop'), [seq]);
    const { rows: cps } = await tx.query<{ relname: string }>(sql('prune/checkpoints'));
    for (const c of cps) await tx.query(dropCheckpoint(c.relname));
    for (const x of plan) if (x.tags.length) await tx.query(sql('prune/delete_tags'), [x.table.id, x.tags]);
    const forgotten: Record<string, [number, number]> = {};
    for (const d of [...dropped, ...superseded]) {
      if (Number(d.forgotten) === 0) continue;
      const [r, c] = forgotten[d.table_id] ?? [0, 0];
      forgotten[d.table_id] = [r + Number(d.forgotten), c + Number(d.cells)];
    }
    const basesJson = bases.map((b) => ({ table_id: b.tableId, base: b.id, commit: b.commit, rows: b.rows, hash: b.hash }));
    const message = opts.message ?? `prune before ${/^[0-9a-f]{64}$/.test(point.text) ? shortId(point.text) : point.text}`;
    const e = (await tx.query<{ id: string; commits: string; at: string }>(sql('prune/record'), [
      seq, opts.author, message, point.text, JSON.stringify(basesJson), JSON.stringify(forgotten),
    ])).rows[0];
    const entry: PruneEntry = {
      seq, id: e.id, author: opts.author, message, at: e.at, point: point.text, commits: Number(e.commits),
      bases: bases.map((b) => ({ table: b.table, commit: b.commit, rows: b.rows, hash: b.hash })),
    };
    const byId = new Map(dropped.map((d) => [Number(d.table_id), d]));
    return {
      entry,
      tables: plan.map((x) => ({
        table: x.table.display, boundary: x.boundary, boundaries: x.boundaries,
        commits: Number(byId.get(x.table.id)?.commits ?? 0), changes: Number(byId.get(x.table.id)?.rows ?? 0),
      })),
      tagsDeleted,
      heldBack,
      historiesLeft,
      checkpoints: cps.length,
    };
  });
  const full = opts.vacuum === undefined || opts.vacuum === 'full';
  const vacuum = opts.vacuum === false || out.entry === null ? { done: false, reason: opts.vacuum === false ? 'not asked' : 'nothing pruned' } : await vacuumAfter(db, full);
  return { ...out, vacuum, space: { before, after: await size(db) } };
}

type RefLeft = { kind: string; name: string; commit_id: string; seq: string; pruned: boolean };

/** The refs of `t` a prune at `boundary` leaves without their history (sql/prune/refs.sql): pointing at a pruned commit, or off the kept line. */
async function refsLeft(tx: Queryable, t: TrackedTable, boundary: { id: string; seq: string }): Promise<RefLeft[]> {
  const { rows } = await tx.query<{ kind: string; name: string; commit_id: string; seq: string; pruned: boolean | string; off: boolean | string }>(
    sql('prune/refs'),
    [t.id, boundary.id, boundary.seq],
  );
  return rows.filter((r) => yes(r.pruned) || yes(r.off)).map((r) => ({ kind: r.kind, name: r.name, commit_id: r.commit_id, seq: r.seq, pruned: yes(r.pruned) }));
}

/**
 * Each table's boundary: its state at the point (the oldest commit kept).
 * A commit, branch or tag names it (a table tracked after it has none);
 * with `~N` or `^`, counted back across tables where several are tracked
 * (repo-refs.ts); a date, the newest commit on its HEAD's first-parent chain
 * made at or before it. A name that is not a commit but reads as a date is a date.
 */
type Point = { text: string; time: string | null; boundaries: Map<number, { id: string; seq: string }> };

async function pointOf(tx: Queryable, tables: TrackedTable[], before: string): Promise<Point> {
  const boundaries = new Map<number, { id: string; seq: string }>();
  const at = new Map<number, string>();
  let dateMode = false;
  if (tables.length > 1 && hasAncestry(before)) {
    // `HEAD~N`, `v1^` count back the repository's history, as everywhere a
    // reference names no table: each table as it stood there
    const point = await repoCommit(tx, before);
    for (const t of tables) {
      const id = point.states.get(t.id);
      if (id === undefined) continue; // tracked after the point: nothing of it is older
      await resolveRef(tx, id, t); // a point in pruned history is refused (E_PRUNED), as a name of it is
      at.set(t.id, id);
    }
  } else {
    for (const t of tables) {
      try {
        at.set(t.id, await stateAt(tx, t, before));
      } catch (e) {
        if (!isVsgError(e)) throw e;
        if (e.code === 'E_OTHER_TABLE') continue; // tracked after the point: nothing of it is older
        if (e.code !== 'E_UNKNOWN_REF' || !looksLikeDate(before)) throw e;
        dateMode = true;
        break;
      }
    }
  }
  let text: string;
  let time: string | null = null;
  if (dateMode) {
    const when = parseDate(before, '--before') as string;
    const { rows: iso } = await tx.query<{ at: string }>(sql('prune/time'), [when]);
    text = `time ${iso[0].at}`;
    time = iso[0].at;
    at.clear();
    for (const t of tables) {
      if (t.headCommit === null) continue;
      const { rows } = await tx.query<{ id: string; pruned: boolean | string }>(sql('prune/boundary_at'), [t.headCommit, iso[0].at]);
      if (rows[0] && !yes(rows[0].pruned)) at.set(t.id, rows[0].id);
    }
  } else {
    text = [...new Set(at.values())].length === 1 ? [...at.values()][0] : before;
  }
  for (const [id, c] of at) {
    const { rows } = await tx.query<{ seq: string }>(sql('prune/seq'), [c]);
    boundaries.set(id, { id: c, seq: rows[0].seq });
  }
  return { text, time, boundaries };
}

/**
 * The boundaries of untracked histories (vsg untrack keeps one): each its
 * newest commit on its first-parent chain not newer than the point, that is
 * made at or before a date, or not newer (by seq) than the newest of the
 * tracked tables' boundaries (and the other parts of the commits across
 * tables they are parts of). A history whose boundary is pruned already
 * loses nothing more.
 */
async function historyBoundaries(tx: Queryable, histories: TrackedTable[], point: Point): Promise<void> {
  if (histories.length === 0) return;
  let seq: string | null = null;
  if (point.time === null) {
    const ids = [...point.boundaries.values()].map((b) => b.id);
    if (ids.length === 0) return;
    seq = (await tx.query<{ seq: string }>(sql('span/point'), [ids])).rows[0].seq;
  }
  for (const h of histories) {
    const { rows } = point.time === null
      ? await tx.query<{ id: string; pruned: boolean | string }>(sql('span/table_at'), [h.id, h.headCommit, seq])
      : await tx.query<{ id: string; pruned: boolean | string }>(sql('prune/boundary_at'), [h.headCommit, point.time]);
    if (!rows[0] || yes(rows[0].pruned)) continue;
    const { rows: s } = await tx.query<{ seq: string }>(sql('prune/seq'), [rows[0].id]);
    point.boundaries.set(h.id, { id: rows[0].id, seq: s[0].seq });
  }
}

type At = { id: string; seq: string };

/**
 * The boundaries of tracked table `t`, one per branch (docs/prune.md#the-point),
 * and the commits they prune collected into pg_temp.vsg_prune: every ancestor
 * of a boundary that is no boundary itself. With a date, each branch's newest
 * commit on its first-parent chain made at or before it; with a commit, the
 * table's state there for each branch whose tip descends from it, and for the
 * others (forked before it, or behind it) the time of that state used as a
 * date on their own chain. A branch whose tip the others would prune keeps
 * its tip. keepTags: a tagged commit that would be pruned holds back every
 * boundary above it to it, oldest tag first (recorded in heldBack). Null when
 * nothing of `t` is older; else also the commits that need a new base: the
 * boundaries something before which is pruned (no earlier prune kept one
 * there), and the state commits kept whose source is pruned.
 */
async function branchBoundaries(
  tx: Queryable, t: TrackedTable, point: Point, keepTags: boolean, heldBack: PruneResult['heldBack'],
): Promise<{ boundary: string; boundaries: { branch: string; commit: string }[]; bases: string[] } | null> {
  const at = point.boundaries.get(t.id);
  if (point.time === null && at === undefined) return null; // tracked after the point
  const when = point.time ?? (await tx.query<{ at: string }>(sql('prune/at'), [(at as At).id])).rows[0].at;
  const { rows: branches } = await tx.query<{ name: string; commit_id: string; seq: string; contains: boolean | string }>(
    sql('prune/branches'), [t.id, point.time === null ? (at as At).id : null, point.time === null ? (at as At).seq : null],
  );
  const bounds = new Map<string, At>();
  for (const b of branches) {
    if (yes(b.contains)) {
      bounds.set(b.name, at as At);
      continue;
    }
    const { rows } = await tx.query<{ id: string; pruned: boolean | string }>(sql('prune/boundary_at'), [b.commit_id, when]);
    if (rows[0] && !yes(rows[0].pruned)) bounds.set(b.name, { id: rows[0].id, seq: (await tx.query<{ seq: string }>(sql('prune/seq'), [rows[0].id])).rows[0].seq });
  }
  if (bounds.size === 0) return null;
  const collect = async (): Promise<number> => {
    await tx.query(sql('prune/forget_table'), [t.id]);
    for (const id of new Set([...bounds.values()].map((b) => b.id))) await tx.query(sql('prune/collect'), [id]);
    // a branch behind another's boundary (its tip an ancestor of it) keeps its tip
    const { rows: tips } = await tx.query<{ id: string }>(sql('prune/tips'), [branches.map((b) => b.commit_id)]);
    for (const b of branches) if (tips.some((x) => x.id === b.commit_id)) bounds.set(b.name, { id: b.commit_id, seq: b.seq });
    return Number((await tx.query<{ n: string }>(sql('prune/keep'), [[...new Set([...bounds.values()].map((b) => b.id))], t.id])).rows[0].n);
  };
  let n = await collect();
  if (n === 0) return null;
  if (keepTags) {
    for (;;) {
      const tagged = (await tx.query<{ name: string; commit_id: string; seq: string }>(sql('prune/tagged'), [t.id])).rows[0];
      if (tagged === undefined) break;
      let moved = false;
      for (const [name, b] of bounds) {
        if (yes((await tx.query<{ yes: boolean | string }>(sql('prune/reaches'), [b.seq, tagged.seq])).rows[0].yes)) {
          bounds.set(name, { id: tagged.commit_id, seq: tagged.seq });
          moved = true;
        }
      }
      // reached only through a state commit's source: the tagged commit is kept as a boundary of its own
      if (!moved) bounds.set(`tag ${tagged.name}`, { id: tagged.commit_id, seq: tagged.seq });
      const m = await collect();
      heldBack.push({ table: t.display, tag: tagged.name, commit: tagged.commit_id, spared: n - m });
      n = m;
      if (n === 0) return null;
    }
  }
  const ids = [...new Set([...bounds.values()].map((b) => b.id))];
  const bases: string[] = [];
  for (const id of ids) if (yes((await tx.query<{ yes: boolean | string }>(sql('prune/needs_base'), [t.id, id])).rows[0].yes)) bases.push(id);
  // a state commit kept above a boundary reads through its source: if that
  // goes, it keeps a base of its own, or no commit above it could be read
  for (const r of (await tx.query<{ id: string }>(sql('prune/state_bases'), [t.id])).rows) if (!bases.includes(r.id)) bases.push(r.id);
  const head = bounds.get(t.head) ?? [...bounds.values()][0];
  return { boundary: head.id, boundaries: [...bounds].map(([branch, b]) => ({ branch, commit: b.id })), bases };
}

function looksLikeDate(s: string): boolean {
  try {
    parseDate(s, '--before');
    return true;
  } catch {
    return false;
  }
}

/** Sizes of what a prune rewrites (vsg.changes, vsg.commits), in bytes. */
async function size(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql('prune/size'));
  return Number(rows[0].n);
}

/** VACUUM (FULL) vsg.changes and vsg.commits outside the transaction; inside an application's, say so instead of failing. */
async function vacuumAfter(db: Queryable, full: boolean): Promise<PruneResult['vacuum']> {
  try {
    await db.query(sql(full ? 'prune/vacuum_full' : 'prune/vacuum'));
    const kept = Number((await db.query<{ n: string }>(sql('prune/space'), [['vsg.changes', 'vsg.commits', 'vsg.base_rows']])).rows[0].n);
    const done: PruneResult['vacuum'] = full ? { done: true, full: true } : { done: true };
    if (kept > 0 && !full) {
      done.kept = kept;
      done.reason = `${kept} dead row version${kept === 1 ? '' : 's'} could not be removed yet (a transaction open elsewhere still sees them); run VACUUM vsg.changes, vsg.commits, vsg.base_rows once it ended`;
    }
    return done;
  } catch (e) {
    return { done: false, reason: (e as Error).message };
  }
}
