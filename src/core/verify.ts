/**
 * Verify, like `git fsck`: recompute every commit's change hash and id from
 * what is stored, check parent links and every branch and tag, and name the
 * oldest commit that does not match. All of it is set-based SQL
 * (sql/verify/*.sql); Node only sorts the findings into a report. The check
 * lives in the core because two operations run it: verify, and doctor.
 *
 * The digest (`--digest` / `--against`) pins history: it commits to the ids of
 * every commit it covers (each id commits to its content and to its parents),
 * so a later rewrite or truncation of that history is detected even when
 * whoever did it recomputed every hash.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ExitCode, VsgError } from '../errors.js';
import { checkpointDiff, type CheckpointColumn } from './sql/verify.js';
import { listTables, resolveHistory } from './tables.js';

export type ProblemCode =
  | 'change_hash'
  | 'row_hash'
  | 'id'
  | 'counts'
  | 'empty_change'
  | 'misfiled_change'
  | 'root_row'
  | 'missing_parent'
  | 'missing_merge_parent'
  | 'parent_table'
  | 'merge_parent_table'
  | 'parent_order'
  | 'source_table'
  | 'source_order'
  | 'sdepth'
  | 'root'
  | 'depth'
  | 'fork'
  | 'dangling_ref'
  | 'ref_table'
  | 'no_root'
  | 'orphan_change'
  | 'schema_record'
  | 'digest_truncated'
  | 'digest_rewritten'
  | 'span_id'
  | 'span_part'
  | 'forget_id'
  | 'forget_chain'
  | 'forget_counts'
  | 'forget_seal'
  | 'root_checkpoint'
  | 'chunk_hash'
  | 'chunk_first_key'
  | 'chunk_last_key'
  | 'root_seal'
  | 'root_unpacked'
  | 'prune_id'
  | 'prune_chain'
  | 'prune_commits'
  | 'base_hash'
  | 'base_row_hash'
  | 'checkpoint_rows';

export interface Problem {
  code: ProblemCode;
  /** display name of the table (or #id when it is gone) */
  table: string;
  /** the commit concerned, when there is one */
  commit?: string;
  seq?: number;
  /** the branch or tag concerned */
  ref?: string;
  message: string;
  expected?: string | null;
  actual?: string | null;
}

export interface DigestCheck {
  digest: string;
  ok: boolean;
  /** commits the digest covered, and how many of them are there now */
  covered: number;
  found: number;
  /**
   * How many of the commits it covered were pruned since (vsg prune): the
   * digest is older than the prune. Their ids still match (ok says so), but
   * their contents are gone and were not checked against it.
   */
  pruned?: number;
  /** every commit it covered was pruned since: the digest is older than the prune's point (its ids match; nothing of it can be checked further) */
  olderThanPrune?: boolean;
}

export interface VerifyResult {
  ok: boolean;
  /** 'all' or the table verified */
  scope: string;
  /** tracked tables checked */
  tables: number;
  /** histories of untracked tables (kept by untrack) checked */
  histories: number;
  commits: number;
  changes: number;
  refs: number;
  /** the oldest (by seq) commit with a problem, and all its problems */
  firstBad: { commit: string; seq: number; table: string; problems: Problem[] } | null;
  /** every problem: commits oldest first, then refs, tables and stray changes */
  problems: Problem[];
  /** with --digest: the digest of the history as it is now */
  digest?: string;
  /** with --against: how the given digest compares */
  against?: DigestCheck;
  /** with --checkpoints: how many checkpoints (the copies reloads read) were compared with history */
  checkpoints?: number;
}

export interface VerifyOptions {
  table?: string;
  /** compute the head digest (takes a short lock that waits for in-flight commits) */
  digest?: boolean;
  /** check history against an earlier digest */
  against?: string;
  /** also compare every checkpoint (a copy a reload reads) with the rows history gives its commit: reads each whole */
  checkpoints?: boolean;
}

const MESSAGES: Record<ProblemCode, string> = {
  change_hash: 'its change rows do not hash to its change_hash (a change row was edited, added or removed)',
  row_hash: "a change row's salt and values do not hash to its row_hash (the row, its salt or its row_hash was edited; the first such row is shown)",
  id: 'its id does not match its contents (metadata, parents or change_hash were edited)',
  counts: 'its inserted/updated/deleted counts do not match its change rows (a state commit has none)',
  empty_change: 'it has change rows with neither a before nor an after image',
  misfiled_change: 'some of its change rows carry another table',
  root_row: "some of its change rows are marked as a root's, and it is no ROOT commit: a key's history would miss them",
  missing_parent: 'its parent does not exist (a commit was deleted)',
  missing_merge_parent: 'its merge parent does not exist (a commit was deleted)',
  parent_table: 'its parent belongs to another table',
  merge_parent_table: 'its merge parent belongs to another table',
  parent_order: 'a parent is not older than the commit itself',
  source_table: 'the commit whose state it records belongs to another table',
  source_order: 'the commit whose state it records is not older than the commit itself',
  sdepth: "its sdepth is not its state parent's (its source's, or else its parent's) plus one",
  root: 'only a ROOT commit may lack a parent, and a ROOT commit must',
  depth: 'its depth is not its parent\'s depth plus one',
  fork: 'another commit on the same branch has the same parent (history forked)',
  dangling_ref: 'it points at a commit that does not exist',
  ref_table: 'it points at a commit of another table',
  no_root: 'the table has no root commit',
  orphan_change: 'change rows belong to a commit that does not exist',
  schema_record: "the recorded schema change does not match the SCHEMA commit's hashed metadata (vsg.schema)",
  digest_truncated: 'history the digest covered has lost commits (deleted or truncated)',
  digest_rewritten: 'history the digest covered was rewritten (commit ids differ)',
  span_id: "a commit across tables: its parts' ids do not hash to its id (a part was added, removed or swapped)",
  span_part: 'a commit across tables: a part is missing while its table is tracked, or is a commit of another table',
  forget_id: "a FORGET entry's id does not match its fields and the previous entry's id (the entry was edited)",
  forget_chain: 'a FORGET entry does not follow the entry before it (an entry was deleted or inserted)',
  forget_counts: 'the change rows and cells marked forgotten are not those the FORGET entries account for (a row blanked behind vsg\'s back, or an entry deleted)',
  forget_seal: "a FORGET entry's seal is not that of the root chunks it unpacked (a chunk's seal was edited, or a chunk unpacked behind vsg's back)",
  root_checkpoint: 'the copy that holds its rows is gone (a root kept as a checkpoint, or a large statement kept as a copy: hash scheme 3)',
  chunk_hash: "a chunk of its rows does not hash to the chunk's stored hash (a row of the copy holding them was edited, added or removed; the first such chunk is shown)",
  chunk_first_key: "a chunk of its rows matches its hash, but its stored first key, by which vsg forget finds a key's chunk, is not its first row's key (the first key was edited; the first such chunk is shown)",
  chunk_last_key: "a chunk of its rows matches its hash, but its stored last key, by which a key's history passes over a copy that cannot hold the key, is not its last row's key (the last key was edited; the first such chunk is shown)",
  root_seal: "a chunk of its rows that vsg forget unpacked: its rows' hashes do not make its seal (a row was deleted, added or its hash edited)",
  root_unpacked: 'some of its change rows belong to no chunk that vsg forget unpacked (rows added behind vsg\'s back)',
  prune_id: "a PRUNE entry's id does not match its fields and the previous entry's id (the entry was edited)",
  prune_chain: 'a PRUNE entry does not follow the entry before it (an entry was deleted or inserted)',
  prune_commits: 'the commits marked pruned are not those the PRUNE entry hashed (a pruned commit was added, removed or swapped, or marked pruned behind vsg\'s back)',
  base_hash: "a base kept by a prune is missing, or its rows' hashes do not hash to what the PRUNE entry recorded (a base row was added, removed or its hash edited)",
  base_row_hash: "a base row's salt and values do not hash to its row hash (a value in the base was edited)",
  checkpoint_rows:
    'the checkpoint of this commit, the copy of the table that checkout, restore and time travel reload from, does not hold the rows its history gives the commit (the first differing row is shown): a reload would write them; drop the copy (DROP TABLE, named below) and reloads pass over it',
};

/** Every problem code verify can report (docs/integrity.md lists them all). */
export const PROBLEM_CODES = Object.keys(MESSAGES) as ProblemCode[];

const DIGEST = /^vsg1-(\d+)-(\d+)-([0-9a-f]{64})$/;

interface DigestRow {
  upto: string;
  commits: string;
  pruned: string;
  hash: string;
}

/** Verify the whole repository, or one table's history (what `vsg verify` and `vsg doctor` run). */
export async function verifyHistory(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let against: { upto: string; count: number; hash: string } | undefined;
  if (opts.against !== undefined) {
    const m = DIGEST.exec(opts.against.trim());
    if (!m) {
      throw new VsgError('E_BAD_DIGEST', `'${opts.against}' is not a vsg digest`, {
        exitCode: ExitCode.usage,
        hint: "a digest looks like vsg1-<seq>-<count>-<sha256>, as verify({ digest: true }) gives it",
      });
    }
    against = { upto: m[1], count: Number(m[2]), hash: m[3] };
  }
  const target = opts.table !== undefined ? await resolveHistory(db, opts.table) : undefined;
  const tableId = target?.id ?? null;
  const lock = opts.digest === true && (await mayLockCommits(db));
  return db.transaction(async (tx) => {
    // One snapshot for everything below, taken after the lock. A digest must
    // not miss a commit still being written with a lower seq: SHARE mode waits
    // for writers in flight and holds new ones off until we finish (a role that
    // may not take it, such as a read-only one, goes without; see
    // docs/readme/integrity.md).
    await tx.query(sql('verify/repeatable_read'));
    if (lock) await tx.query(sql('verify/lock_commits'));
    const names = await tableNames(tx);
    const name = (id: string | number) => names.get(Number(id)) ?? `#${id}`;
    const counts = (await tx.query<Record<'tables' | 'histories' | 'commits' | 'changes' | 'refs', string>>(sql('verify/counts'), [tableId])).rows[0];

    const commitRows = await tx.query<{ seq: string; id: string; table_id: string; code: ProblemCode; expected: string | null; actual: string | null }>(
      sql('verify/commits'),
      [tableId],
    );
    const spanRows = await tx.query<(typeof commitRows.rows)[number]>(sql('verify/spans'), [tableId]);
    const rootRows = await tx.query<(typeof commitRows.rows)[number]>(sql('verify/roots'), [tableId]);
    const problems: Problem[] = [...commitRows.rows, ...spanRows.rows, ...rootRows.rows].sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => ({
      code: r.code,
      table: name(r.table_id),
      commit: r.id,
      seq: Number(r.seq),
      message: MESSAGES[r.code],
      expected: r.expected,
      actual: r.actual,
    }));
    const other = await tx.query<{ kind: string; table_id: string; name: string | null; commit_id: string | null; code: ProblemCode; actual: string | null }>(
      sql('verify/refs'),
      [tableId],
    );
    const forgets = await tx.query<{ table_id: string; code: ProblemCode; expected: string | null; actual: string | null }>(sql('verify/forgets'), [tableId]);
    const prunes = await tx.query<{ table_id: string | null; code: ProblemCode; expected: string | null; actual: string | null }>(sql('verify/prunes'), [tableId]);
    for (const r of [...forgets.rows, ...prunes.rows]) {
      problems.push({ code: r.code, table: r.table_id === null ? 'all' : name(r.table_id), message: MESSAGES[r.code], expected: r.expected, actual: r.actual });
    }
    const checked = opts.checkpoints ? await checkCheckpoints(tx, tableId, name, problems) : undefined;
    for (const r of other.rows) {
      problems.push({
        code: r.code,
        table: name(r.table_id),
        ...(r.name !== null ? { ref: r.name } : {}),
        ...(r.commit_id !== null ? { commit: r.commit_id } : {}),
        message: MESSAGES[r.code],
        expected: r.code === 'ref_table' ? r.table_id : null,
        actual: r.actual,
      });
    }

    const result: VerifyResult = {
      ok: true,
      scope: target?.display ?? 'all',
      tables: Number(counts.tables),
      histories: Number(counts.histories),
      commits: Number(counts.commits),
      changes: Number(counts.changes),
      refs: Number(counts.refs),
      firstBad: null,
      problems,
      ...(checked !== undefined ? { checkpoints: checked } : {}),
    };
    if (against) {
      const now = (await tx.query<DigestRow>(sql('verify/digest'), [tableId, against.upto])).rows[0];
      const found = Number(now.commits);
      const check: DigestCheck = { digest: opts.against!.trim(), ok: true, covered: against.count, found };
      if (Number(now.pruned) > 0) {
        check.pruned = Number(now.pruned);
        if (Number(now.pruned) === found) check.olderThanPrune = true;
      }
      if (found < against.count || now.hash !== against.hash) {
        check.ok = false;
        const code: ProblemCode = found < against.count ? 'digest_truncated' : 'digest_rewritten';
        problems.push({
          code,
          table: result.scope,
          message: MESSAGES[code],
          expected: `${against.count} commit${against.count === 1 ? '' : 's'}, ${against.hash}`,
          actual: `${found} commit${found === 1 ? '' : 's'}, ${now.hash}`,
        });
      }
      result.against = check;
    }
    if (opts.digest) {
      const now = (await tx.query<DigestRow>(sql('verify/digest'), [tableId, null])).rows[0];
      result.digest = `vsg1-${now.upto}-${now.commits}-${now.hash}`;
    }
    const first = problems.find((p) => p.seq !== undefined);
    if (first) {
      result.firstBad = {
        commit: first.commit!,
        seq: first.seq!,
        table: first.table,
        problems: problems.filter((p) => p.seq === first.seq),
      };
    }
    result.ok = problems.length === 0;
    return result;
  });
}

/**
 * Compare each checkpoint in scope with the rows history gives its commit
 * (src/core/sql/verify.ts), adding a `checkpoint_rows` problem for each that
 * differs, but for one of a table whose key column changed type up to it.
 * Answers how many were compared.
 */
async function checkCheckpoints(tx: Queryable, tableId: number | null, name: (id: string) => string, problems: Problem[]): Promise<number> {
  const { rows } = await tx.query<{ table_id: string; commit_id: string; relname: string; rows: string; key_columns: string; columns: string | null; reshaped: string }>(
    sql('verify/checkpoints'),
    [tableId],
  );
  let compared = 0;
  for (const k of rows) {
    const [keys, reshaped] = [JSON.parse(k.key_columns) as string[], JSON.parse(k.reshaped) as string[]];
    // keys are matched by their text: a key column whose type changed may print its values anew
    if (keys.some((c) => reshaped.includes(c))) continue;
    compared++;
    const diff = checkpointDiff(k.relname, keys, JSON.parse(k.columns ?? '[]') as CheckpointColumn[], reshaped);
    const bad = (await tx.query<{ differ: string; key: string; expected: string | null; actual: string | null }>(diff, [k.table_id, k.commit_id])).rows[0];
    if (!bad) continue;
    problems.push({
      code: 'checkpoint_rows',
      table: name(k.table_id),
      commit: k.commit_id,
      message: MESSAGES.checkpoint_rows,
      expected: `${bad.key} ${bad.expected ?? '(no row)'}`,
      actual: `${bad.key} ${bad.actual ?? '(no row)'} in vsg.${k.relname} (rows that differ: ${bad.differ} of ${k.rows})`,
    });
  }
  return compared;
}

/** Whether this role may take a SHARE lock on vsg.commits (a read-only role may not). */
async function mayLockCommits(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ may: string }>(sql('verify/may_rewrite'));
  return rows[0]?.may === 'true';
}

async function tableNames(db: Queryable): Promise<Map<number, string>> {
  const list = await listTables(db).catch(() => []);
  const out = new Map<number, string>(list.map((t) => [t.id, t.display]));
  const { rows } = await db.query<{ id: string; s: string; t: string }>(sql('verify/tracked'));
  for (const r of rows) if (!out.has(Number(r.id))) out.set(Number(r.id), r.s === 'public' ? r.t : `${r.s}.${r.t}`);
  return out;
}

