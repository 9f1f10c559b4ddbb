/**
 * The walks over vsg.commits that merge, checkout and diff make (the merge
 * base, vsg.merge_bases; the common ancestor on the state tree, vsg.lca; the
 * changes on a state path, vsg.path_changes; the schema changes on one,
 * vsg.state_path), and those of log and of `HEAD~N` (sql/history/log_start.sql,
 * log.sql, walk_back.sql; the commits listed, sql/history/commits.sql), read
 * one commit a step through the primary key, whatever the statistics say. The planner counts ten rows a step of a recursive walk,
 * and while vsg.commits is small enough (here,
 * statistics taken when it held the root alone, as after `VACUUM ANALYZE` of
 * a new repository; at about 1,000 commits, fresh ones too) hashing the whole
 * table looks cheaper than ten index probes: it then reads every commit at
 * every step, the square of the history's length (0.5-0.9 s for the merge base
 * of a 1,000-commit history, 13 ms through the key). The merge base also
 * stops where every commit left to walk lies below a common one: it reads the
 * commits above the fork, not the history under it. Rows read are
 * PostgreSQL's own count (pg_stat_user_tables, flushed before each reading).
 * The session ran log while the history was its root alone, so the plans it
 * keeps for log's statements were made then: those walks are functions that
 * turn sequential scans off, as the others are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { readOf } from '../helpers/reads.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';
/** One-row commits made before the operations: the depth of every walk below. */
const COMMITS = 1000;
/** Rows of the table: enough for its root to take a checkpoint (src/core/checkpoint.ts). */
const ROWS = 1000;

/** Rows of vsg.commits that `op` read (sequential and index fetches). */
async function commitsRead(repo: Repository, op: () => Promise<unknown>): Promise<number> {
  return (await readOf(repo, ['vsg.commits'], op))[0];
}

describe.each(targetNames())(`walks over ${COMMITS} commits read a commit a step, on %s`, (name) => {
  let t: Target;
  let repo: Repository;
  let root: string;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT i, 0 FROM generate_series(1, ${ROWS}) i`);
    root = (await repo.track('items', { author })).root.id;
    // statistics that say vsg.commits holds one row in one page, kept (no
    // autovacuum to take new ones, nor to drop the plans made with these)
    await repo.db.query('ALTER TABLE vsg.commits SET (autovacuum_enabled = false)');
    await repo.db.query('ALTER TABLE vsg.commit_graph SET (autovacuum_enabled = false)');
    await repo.db.query('VACUUM ANALYZE vsg.commits');
    // a session that ran log while the table was a page: its statements'
    // generic plans are made then and kept (src/db/prepared.ts)
    for (let i = 0; i < 8; i++) await repo.log({ table: 'items', limit: 10 });
    for (let i = 1; i <= COMMITS; i++) await repo.commit({ table: 'items', sql: `UPDATE items SET v = v + 1 WHERE id = ${1 + (i % ROWS)}`, author });
  }, 120_000);
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it('a log of 10 commits at the tip of a history without merges reads about those', async () => {
    let log: Awaited<ReturnType<Repository['log']>> | undefined;
    const read = await commitsRead(repo, async () => {
      log = await repo.log({ table: 'items', limit: 10 });
    });
    expect(log!.commits).toHaveLength(10);
    // the bound of a log's walk (the table's 4 x 10 + 64th newest commit,
    // through commits_table), the ten commits' first-parent walk and their
    // rows: about 125; a hash of every commit at each step read about 10,000
    expect(read).toBeLessThan(250);
  });

  it('the merge base of two branches forked below the tip reads the commits above the fork', async () => {
    const fork = (await repo.createBranch({ table: 'items', name: 'topic', start: 'HEAD~5' })).commit;
    await repo.switch({ table: 'items', branch: 'topic' });
    // rows the last commits on main left alone: the merge below is clean
    for (const id of [11, 13, 15]) await repo.commit({ table: 'items', sql: `UPDATE items SET v = -${id} WHERE id = ${id}`, author });
    const topic = (await repo.status({ table: 'items' }))[0].head!;
    await repo.switch({ table: 'items', branch: 'main' });
    const main = (await repo.status({ table: 'items' }))[0].head!;
    let bases: string[] = [];
    const read = await commitsRead(repo, async () => {
      bases = (await repo.db.query<{ id: string }>(`SELECT id FROM vsg.merge_bases($1, $2)`, [main, topic])).rows.map((r) => r.id);
    });
    expect(bases).toEqual([fork]);
    // the 5 + 3 commits above the fork and the fork (reached from each side):
    // 10; a walk of every ancestor of both sides read about 3 x COMMITS
    expect(read).toBeGreaterThanOrEqual(9);
    expect(read).toBeLessThan(20);
  });

  it('a merge finds its base walking each side down to the fork', async () => {
    await repo.commit({ table: 'items', sql: `UPDATE items SET v = -2 WHERE id = 2`, author });
    const read = await commitsRead(repo, () => repo.merge({ table: 'items', ref: 'topic', author }));
    const { rows } = await repo.db.query<{ v: string }>(`SELECT v::text FROM items WHERE id IN (2, 11) ORDER BY id`);
    expect(rows.map((r) => r.v)).toEqual(['-2', '-11']);
    // the merge base (vsg.merge_bases) and where each side meets it on the
    // state tree (vsg.lca), each walking the commits above the fork; when the
    // merge base walked every ancestor of both sides it read about 3 x
    // COMMITS, and a scan of the table at every step 2,000,000
    expect(read).toBeGreaterThan(6);
    expect(read).toBeLessThan(100);
  });

  it('a log of 10 commits at the tip, with a merge behind it, walks every parent down to a bound near the tip', async () => {
    let log: Awaited<ReturnType<Repository['log']>> | undefined;
    const read = await commitsRead(repo, async () => {
      log = await repo.log({ table: 'items', limit: 10 });
    });
    expect(log!.commits).toHaveLength(10);
    expect(log!.commits[0].parents).toHaveLength(2);
    // the bound, every commit above it (sql/history/log.sql) and the ten
    // listed: about 220; reading the ten listed by \`id = ANY\` (a scan of
    // every commit) and hashing every commit at each step read 2,000 or more
    expect(read).toBeLessThan(400);
  });

  it('deleting a merged branch finds its tip reachable through the commit graph, not a walk of every ancestor', async () => {
    // (topic was merged into main above; a branch not merged is refused without force)
    const read = await commitsRead(repo, () => repo.deleteBranch({ table: 'items', name: 'topic' }));
    expect((await repo.branches({ table: 'items' })).branches.map((b) => b.name)).toEqual(['main']);
    // the two commits named, and the branch lists; a walk of main's ancestors read over COMMITS
    expect(read).toBeLessThan(50);
  });

  it('a checkout that weighs a reload from the root\'s checkpoint walks the path from it once', async () => {
    const head = (await repo.status({ table: 'items' }))[0].head!;
    // a commit of a fifth of the rows: a reload looks worth weighing (ROWS <
    // 8 x the rows that differ), so checkout walks the path from the root's
    // checkpoint, COMMITS deep (vsg.path_changes), and finds it too long
    await repo.commit({ table: 'items', sql: `UPDATE items SET v = v + 100 WHERE id <= ${ROWS / 5}`, author });
    let result: Awaited<ReturnType<Repository['checkout']>> | undefined;
    const read = await commitsRead(repo, async () => {
      result = await repo.checkout({ table: 'items', ref: head, author });
    });
    expect(result!.commit?.updated).toBe(ROWS / 5);
    expect(result!.reload).toBeNull();
    // the path from the root, walked by vsg.lca and vsg.path_changes, 2-3 x
    // COMMITS; a scan of the table at every step read 1,000,000
    expect(read).toBeGreaterThan(COMMITS);
    expect(read).toBeLessThan(5 * COMMITS);
  });

  it('a diff across the whole history finds the schema changes on its path a probe a step', async () => {
    await repo.commit({ table: 'items', sql: `ALTER TABLE items ADD COLUMN w int`, author });
    let d: Awaited<ReturnType<Repository['diff']>> | undefined;
    const read = await commitsRead(repo, async () => {
      d = await repo.diff({ table: 'items', from: root, to: 'HEAD' });
    });
    expect(d!.schema).toHaveLength(1);
    // the path, walked a few times over (its common commit, its change rows,
    // its schema changes: sql/diff/schema_between.sql), about 4 x COMMITS; a
    // scan of the table at every step of the schema changes' walk read 1,000,000
    expect(read).toBeGreaterThan(COMMITS);
    expect(read).toBeLessThan(6 * COMMITS);
  });
  it('HEAD~5 resolves walking five commits back, of one table and across tables', async () => {
    // items' commits n first-parent steps below its tip
    const recent = (await repo.log({ table: 'items', limit: 30 })).commits;
    const byId = new Map(recent.map((c) => [c.id, c]));
    const back = (n: number) => {
      let at = recent[0].id;
      for (let i = 0; i < n; i++) at = byId.get(at)!.parents[0];
      return at;
    };
    const want = back(5);
    let one: Awaited<ReturnType<Repository['log']>> | undefined;
    const readOne = await commitsRead(repo, async () => {
      one = await repo.log({ table: 'items', from: 'HEAD~5', limit: 1 });
    });
    expect(one!.commits.map((c) => c.id)).toEqual([want]);
    // HEAD~5 through the commit graph's jumps, then a log of one: about 75;
    // the one listed, found by a scan of every commit, read over 2,000
    expect(readOne).toBeLessThan(150);
    // a second table: HEAD~N counts back the repository's history across
    // tables (sql/history/walk_back.sql)
    await repo.sql(`CREATE TABLE other (id int PRIMARY KEY, v int NOT NULL); INSERT INTO other VALUES (1, 0)`);
    await repo.track('other', { author });
    for (let i = 1; i <= 3; i++) await repo.commit({ table: 'other', sql: `UPDATE other SET v = ${i}`, author });
    let across: Awaited<ReturnType<Repository['log']>> | undefined;
    const readAcross = await commitsRead(repo, async () => {
      across = await repo.log({ from: 'HEAD~5', limit: 1 });
    });
    // the repository's HEAD~3 is the track of 'other', HEAD~4 items' tip
    expect(across!.commits.map((c) => c.id)).toEqual([back(1)]);
    // each table's chain walked back 5 + 1 steps, where the refs stand, a log
    // of one: about 155; a join for each step, or to the refs, read over 1,000
    expect(readAcross).toBeLessThan(300);
  });
  it('a prune of all but the last commits walks the commits it prunes once each', async () => {
    let r: Awaited<ReturnType<Repository['prune']>> | undefined;
    const read = await commitsRead(repo, async () => {
      r = await repo.prune({ before: 'HEAD~5', author, vacuum: false });
    });
    const pruned = r!.entry!.commits;
    expect(pruned).toBeGreaterThan(COMMITS);
    // each pruned commit read a few times (the walk from the boundary,
    // sql/prune/collect.sql; marking it; the digest over the pruned ids):
    // about 6 a commit; a scan of the table at every step would read a million
    expect(read).toBeLessThan(8 * pruned);
  });
});
