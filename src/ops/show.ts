/** Show: one commit with its row changes, and what a SCHEMA commit changed. */
import type { Queryable } from '../db/db.js';
import { getCommit } from '../core/commits.js';
import { tableColumns } from '../core/dropped.js';
import { isHeadRef, resolveRef } from '../core/refs.js';
import { hasAncestry, isNameOfSeveral } from '../core/repo-refs.js';
import { compareKeys, parseChanges, statOf } from '../core/rows.js';
import { schemaChangeOf } from '../core/schema.js';
import { parentsAsEntries, repoPositions, resolveAcross, spanInfo, spansOf } from '../core/spans.js';
import { resolveHistory, tableById, type TrackedTable } from '../core/tables.js';
import { isVsgError } from '../errors.js';
import type { CommitInfo, RowChange } from '../core/types.js';
import { sql } from '../db/sql.js';

export interface ShowResult {
  commit: CommitInfo;
  keyColumns: string[];
  /** the table's columns now, in order (images of old commits may differ) */
  columns: string[];
  /** for a SCHEMA commit, what it changed in the table's columns */
  schema: string[] | null;
  changes: RowChange[];
  /** the branch HEAD follows in the commit's table, for decorating it as log does */
  heads: { table: string; branch: string; commit: string | null }[];
  /** a commit across tables: each table's part, keyed by table (the fields above are then empty) */
  tables?: Record<string, ShowResult>;
  /** several tables tracked: where HEAD and each branch and tag stand in the repository, which decorate that commit alone */
  at?: { head: string; refs: Record<string, string> };
}

/** One commit with its row changes; a commit across tables with each table's, keyed by table. */
export async function show(db: Queryable, ref: string, opts: { table?: string } = {}): Promise<ShowResult> {
  const table =
    opts.table !== undefined || isHeadRef(ref)
      ? await resolveHistory(db, opts.table).catch((e: unknown) => {
          // HEAD (~N, ^) with several tables tracked: the repository's commit (resolveAcross).
          if (opts.table === undefined && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
          throw e;
        })
      : undefined;
  if (table === null || (table === undefined && !isHeadRef(ref))) {
    const named = await resolveAcross(db, ref);
    const asked =
      table === undefined && !hasAncestry(ref)
        ? await resolveRef(db, ref).catch((e: unknown) => {
            if (isNameOfSeveral(e)) return null;
            throw e;
          })
        : null;
    // A part's own id shows that part; the id of a commit across tables (or HEAD) shows every part.
    if (named.span && (asked === null || asked.span)) return showSpan(db, named.span, named.parts, await repoPositions(db));
    const id = asked?.id ?? named.parts[0];
    const c = await getCommit(db, id);
    return { ...(await showPart(db, id, await tableById(db, c.tableId))), at: await repoPositions(db) };
  }
  const at = await resolveRef(db, ref, table);
  const part = await showPart(db, at.id, table ?? (await tableById(db, at.tableId)));
  if (opts.table === undefined && part.commit.span) {
    // HEAD (~N, ^) of the one table left tracked: a commit across it and tables untracked since
    // (untrack --force) is still that commit, shown by its own id as log lists it
    const span = (await spansOf(db, [at.id])).get(at.id);
    if (span) return showSpan(db, span.span, span.parts);
  }
  return part;
}

/** A commit across tables: its header, and each part whose table's history is kept. */
async function showSpan(db: Queryable, span: string, ids: string[], at?: ShowResult['at']): Promise<ShowResult> {
  const parts: ShowResult[] = [];
  for (const id of ids) {
    const c = await getCommit(db, id).catch(() => null);
    if (c) parts.push(await showPart(db, id, await tableById(db, c.tableId)));
  }
  parts.sort((a, b) => a.commit.tableId - b.commit.tableId);
  const [commit] = await parentsAsEntries(db, [spanInfo(span, parts.map((p) => p.commit))]);
  return {
    commit,
    keyColumns: [],
    columns: [],
    schema: null,
    changes: [],
    heads: parts.flatMap((p) => p.heads),
    tables: Object.fromEntries(parts.map((p) => [p.commit.table, p])),
    ...(at ? { at } : {}),
  };
}

async function showPart(db: Queryable, id: string, t: TrackedTable): Promise<ShowResult> {
  const commit = await getCommit(db, id);
  const { rows } = await db.query<{ key: string; old: string | null; new: string | null }>(
    // A state commit's change set is computed: its parent against its source.
    sql('commit/changes'),
    [id],
  );
  const cols = (await tableColumns(db, t)).map((c) => c.name);
  const schema = await schemaChangeOf(db, id);
  const changes = parseChanges(rows).sort((a, b) => compareKeys(a.key, b.key, t.keyColumns));
  // A state commit stores no counts; its change, just computed, gives them.
  const stat = statOf(changes);
  const counted = commit.source === null ? commit : { ...commit, inserted: stat.inserted, updated: stat.updated, deleted: stat.deleted };
  return { commit: counted, keyColumns: t.keyColumns, columns: cols, schema, changes, heads: [{ table: t.display, branch: t.head, commit: t.headCommit }] };
}
