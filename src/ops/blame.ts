/**
 * Blame and row history. Blame: for each row (or one), per column, the commit
 * that last set the value it holds now, among the change sets on HEAD's
 * first-parent chain (a merged change is blamed on the merge commit, whose
 * delta carries it; a checkout recorded as a state commit, on that commit,
 * whose changes are computed: its parent against its source). Row history:
 * the commits that changed one row, through the (table_id, key, seq) index,
 * kept when reachable from HEAD (checked on vsg.commit_graph, sql/migrations/007),
 * so both cost that row's history.
 */
import type { Queryable } from '../db/db.js';
import { imageExpr, keyExpr, keyMatch } from '../db/images.js';
import { VsgError } from '../errors.js';
import { getCommits } from '../core/commits.js';
import { canonicalKey } from '../core/keys.js';
import { compareKeys } from '../core/rows.js';
import { columns, resolveTable, type TrackedTable } from '../core/tables.js';
import type { CommitInfo, Image } from '../core/types.js';
import { sql } from '../db/sql.js';

export interface BlameCell {
  column: string;
  value: string | null;
  /** the commit that set this value; null when it is an uncommitted change or no commit recorded it */
  commit: string | null;
  uncommitted: boolean;
}

export interface BlameRow {
  key: Image;
  cells: BlameCell[];
}

export interface BlameCommit {
  id: string;
  shortId: string;
  author: string;
  committedAt: string;
  kind: string;
  message: string;
}

export interface BlameResult {
  table: string;
  head: string;
  keyColumns: string[];
  columns: string[];
  rows: BlameRow[];
  /** the commits the cells name, by id */
  commits: Record<string, BlameCommit>;
}

export interface RowLogEntry {
  commit: CommitInfo;
  before: Image | null;
  after: Image | null;
}

export interface RowLogResult {
  table: string;
  keyColumns: string[];
  key: Image;
  /** newest first */
  entries: RowLogEntry[];
  heads: { table: string; branch: string; commit: string | null }[];
}

/** Per row and column, the commit that last set the current value. */
export async function blame(db: Queryable, opts: { table?: string; key?: string } = {}): Promise<BlameResult> {
  const table = await resolveTable(db, opts.table);
  if (table.headCommit === null) throw new VsgError('E_NO_BRANCH', `'${table.display}' has no HEAD commit`);
  const key = opts.key === undefined ? null : await canonicalKey(db, table, opts.key);
  const live = await columns(db, table.relid);
  const img = imageExpr(live.map((c) => c.name), 'r');
  const k = keyExpr(table.keyColumns, 'r');
  const match = keyMatch(table.keyColumns, live, 'r', 'q');
  const liveRows = key === null
    ? `SELECT ${k} AS key, ${img} AS img FROM ${table.qname} r`
    : `SELECT ${k} AS key, ${img} AS img FROM ${table.qname} r, (SELECT $3::jsonb AS key) q WHERE ${match}`;
  // The commits of HEAD's first-parent chain that may matter. For one row:
  // those among the row's own changes (the (table_id, key, seq) index) that
  // lie on the chain, checked by skip pointers, so the cost is that row's
  // history. For the whole table, every change set is read anyway: walk the chain.
  const chain = key === null
    ? `WITH RECURSIVE chain AS (
         SELECT id, parent, depth FROM vsg.commits WHERE id = $2
         UNION ALL
         SELECT c.id, c.parent, c.depth FROM chain JOIN vsg.commits c ON c.id = chain.parent
       )`
    : `WITH chain AS (
         SELECT c.id, c.depth FROM vsg.commits c
         WHERE c.seq IN (SELECT vsg.first_parent_reach(h.seq, ARRAY(SELECT seq FROM vsg.changes WHERE table_id = $1 AND key = $3::jsonb
                                                                    UNION ALL
                                                                    SELECT seq FROM vsg.commits WHERE table_id = $1 AND source IS NOT NULL))
                         FROM vsg.commits h WHERE h.id = $2)
       )`;
  // The live rows asked for; per (key, column) the deepest change on HEAD's
  // first-parent chain that set it; the columns uncommitted changes set.
  const { rows } = await db.query<{ key: string; img: string; last: string | null; pend: string | null }>(
    `${chain}, live AS (${liveRows}
     ), chg AS (
       SELECT ch.commit_id, ch.key, ch.before, ch.after FROM vsg.changes ch JOIN chain ON chain.id = ch.commit_id
       WHERE ch.table_id = $1 AND ($3::jsonb IS NULL OR ch.key = $3::jsonb)
       UNION ALL
       -- a state commit's changes: its parent against its source, for the table or the one key
       SELECT c.id, d.key, d.old, d.new FROM chain JOIN vsg.commits c ON c.id = chain.id AND c.source IS NOT NULL
       CROSS JOIN LATERAL (SELECT * FROM vsg.state_diff($1, c.parent, c.id, false) WHERE $3::jsonb IS NULL
                           UNION ALL
                           SELECT * FROM vsg.state_diff_key($1, c.parent, c.id, $3::jsonb) WHERE $3::jsonb IS NOT NULL) d
     ), cells AS (
       SELECT DISTINCT ON (ch.key, e.col) ch.key, e.col, ch.commit_id
       FROM chg ch JOIN chain ON chain.id = ch.commit_id
       CROSS JOIN LATERAL jsonb_object_keys(ch.after) AS e(col)
       WHERE ch.after IS NOT NULL
         AND (ch.before IS NULL OR ch.before->e.col IS DISTINCT FROM ch.after->e.col)
       ORDER BY ch.key, e.col, chain.depth DESC
     ), last AS (
       SELECT key, jsonb_object_agg(col, commit_id) AS last FROM cells GROUP BY key
     ), pnet AS (
       SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
       FROM vsg.pending WHERE table_id = $1 AND ($3::jsonb IS NULL OR key = $3::jsonb) GROUP BY key
     ), pcells AS (
       SELECT p.key, jsonb_agg(e.col) AS cols FROM pnet p CROSS JOIN LATERAL jsonb_object_keys(p.after) AS e(col)
       WHERE p.after IS NOT NULL AND (p.before IS NULL OR p.before->e.col IS DISTINCT FROM p.after->e.col)
       GROUP BY p.key
     )
     SELECT l.key::text, l.img::text, la.last::text, pc.cols::text AS pend
     FROM live l LEFT JOIN last la ON la.key = l.key LEFT JOIN pcells pc ON pc.key = l.key`,
    [table.id, table.headCommit, key === null ? null : JSON.stringify(key)],
  );
  const cols = live.map((c) => c.name);
  const out: BlameRow[] = rows.map((r) => {
    const image = JSON.parse(r.img) as Image;
    const last = r.last === null ? {} : (JSON.parse(r.last) as Record<string, string>);
    const pend = new Set(r.pend === null ? [] : (JSON.parse(r.pend) as string[]));
    return {
      key: JSON.parse(r.key) as Image,
      cells: cols.map((c) => ({
        column: c,
        value: image[c] ?? null,
        commit: pend.has(c) ? null : (last[c] ?? null),
        uncommitted: pend.has(c),
      })),
    };
  });
  out.sort((a, b) => compareKeys(a.key, b.key, table.keyColumns));
  const ids = [...new Set(out.flatMap((r) => r.cells.map((c) => c.commit)).filter((x): x is string => x !== null))];
  const commits: Record<string, BlameCommit> = {};
  for (const c of await getCommits(db, ids)) {
    commits[c.id] = { id: c.id, shortId: c.shortId, author: c.author, committedAt: c.committedAt, kind: c.kind, message: c.message };
  }
  if (key !== null && out.length === 0) {
    throw new VsgError('E_NO_ROW', `no row ${keyLabel(key, table.keyColumns)} in '${table.display}'`, {
      hint: 'rowLog() shows its history', data: { table: table.display, key: opts.key },
    });
  }
  return { table: table.display, head: table.headCommit, keyColumns: table.keyColumns, columns: cols, rows: out, commits };
}

/** Commits reachable from HEAD that changed one row, newest first, with the row before and after each. */
export async function rowLog(db: Queryable, opts: { table?: string; key: string }): Promise<RowLogResult> {
  const table = await resolveTable(db, opts.table);
  const key = await canonicalKey(db, table, opts.key);
  const { rows } = await db.query<{ commit_id: string; before: string | null; after: string | null }>(
    sql('history/row_log'),
    [table.relid, JSON.stringify(key)],
  );
  const commits = new Map((await getCommits(db, rows.map((r) => r.commit_id))).map((c) => [c.id, c]));
  return {
    table: table.display,
    keyColumns: table.keyColumns,
    key,
    entries: rows.map((r) => ({
      commit: commits.get(r.commit_id) as CommitInfo,
      before: r.before === null ? null : (JSON.parse(r.before) as Image),
      after: r.after === null ? null : (JSON.parse(r.after) as Image),
    })),
    heads: [{ table: table.display, branch: table.head, commit: table.headCommit }],
  };
}

function keyLabel(key: Image, keyColumns: string[]): string {
  return keyColumns.map((k) => `${k}=${key[k]}`).join(', ');
}
