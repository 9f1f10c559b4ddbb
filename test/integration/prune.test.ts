/**
 * `vsg prune` (docs/prune.md): the change rows of the commits older than a
 * point go, on every branch; each table keeps a base (the state at the point,
 * row by row with salts and row hashes) and a PRUNE entry records it. After
 * it: verify passes (plain; against a digest taken after the point; a digest
 * taken before says it is older than the prune), readers answer E_PRUNED
 * (exit 7) for pruned history and the right answer from the boundary on, a
 * value held in the base can still be forgotten, and space is given back.
 * Refusals change nothing; a SIGKILL in the middle leaves all or nothing.
 * Scenarios go through the library; the command is spawned for its output,
 * its exit codes and the kill.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { Pause } from '../helpers/crash.js';
import { bin, makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 180_000 });

const SECRET = 'pr-secret-5521';
const author = 'ops';

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string }) => String(e.code),
  );
}

describe.each(targetNames())('prune on %s', (name) => {
  let t: Target;
  let repo: Repository;
  /** a digest taken while HEAD was older than the point, and one taken after it */
  let early: string;
  let late: string;
  /** main's commits, oldest first, before the prune */
  let chain: string[];
  let sideTip: string;

  const snapshot = async () =>
    (
      await repo.db.query<{ h: string }>(
        `SELECT md5((SELECT string_agg(x::text, ',' ORDER BY x.seq, x.key::text) FROM vsg.changes x)
                 || (SELECT string_agg(c::text, ',' ORDER BY c.seq) FROM vsg.commits c)
                 || (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM vsg.refs r)
                 || (SELECT count(*) FROM vsg.prunes)::text || (SELECT count(*) FROM vsg.base_rows)::text) AS h`,
      )
    ).rows[0].h;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE people (id int PRIMARY KEY, email text, n int NOT NULL DEFAULT 0)`);
    await repo.sql(`INSERT INTO people SELECT g, 'user' || g || '@example.com', 0 FROM generate_series(1, 300) g`);
    await repo.sql(`UPDATE people SET email = '${SECRET}@example.com' WHERE id = 7`);
    await repo.track('people', { author });
    for (let i = 1; i <= 30; i++) {
      await repo.db.query('UPDATE people SET n = n + 1 WHERE id IN ($1, $2)', [100 + i, 200 + i]);
      await repo.commit({ table: 'people', author, message: `main ${i}` });
      if (i === 5) early = (await repo.verify({ digest: true })).digest as string;
    }
    // a branch forked at the root, with a commit of its own
    await repo.createBranch({ table: 'people', name: 'old', start: 'HEAD~30' });
    await repo.switch({ table: 'people', branch: 'old' });
    await repo.db.query(`UPDATE people SET n = 99 WHERE id = 1`);
    sideTip = (await repo.commit({ table: 'people', author, message: 'old side' })).commit.id;
    await repo.switch({ table: 'people', branch: 'main' });
    await repo.createTag({ table: 'people', name: 'v0', commit: 'HEAD~25' });
    // a branch forked after the point
    await repo.createBranch({ table: 'people', name: 'late', start: 'HEAD~3' });
    late = (await repo.verify({ digest: true })).digest as string;
    chain = (await repo.log({ table: 'people', limit: 100 })).commits.map((c) => c.id).reverse();
    expect(chain).toHaveLength(31);
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('refuses, changing nothing: uncommitted changes', async () => {
    // (a branch forked before the point gets a boundary of its own: 'prune on every branch' below; this scenario deletes it)
    const before = await snapshot();
    await repo.deleteBranch({ table: 'people', name: 'old', force: true });
    const mid = await snapshot();
    await repo.db.query(`UPDATE people SET n = 5 WHERE id = 3`);
    expect(await code(repo.prune({ before: 'HEAD~10', author }))).toBe('E_UNCOMMITTED');
    await repo.restore({ table: 'people' });
    expect(await snapshot()).toBe(mid);
    expect(mid).not.toBe(before); // only the branch deletion
  });

  it('prunes 20 commits: verify passes, plain and against a digest taken after the point; one taken before says it is older', async () => {
    const sizeBefore = Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.changes`)).rows[0].n);
    const r = await repo.prune({ before: 'HEAD~10', author, message: 'retention' }); // VACUUM FULL by default
    expect(r.entry).toMatchObject({ author, message: 'retention', point: chain[20], commits: 20 });
    expect(r.entry?.bases).toEqual([expect.objectContaining({ table: 'people', commit: chain[20], rows: 300 })]);
    expect(r.tables).toEqual([expect.objectContaining({ table: 'people', boundary: chain[20], commits: 20 })]);
    expect(r.tagsDeleted).toEqual([expect.objectContaining({ name: 'v0', commit: chain[5] })]);
    expect(r.vacuum).toMatchObject({ done: true, full: true });
    // space given back: the root's 300 rows and 19 commits' 2 rows went; VACUUM FULL shrank the files
    const left = Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.changes`)).rows[0].n);
    expect(sizeBefore - left).toBe(300 + 19 * 2);
    expect(r.space.after).toBeLessThan(r.space.before);

    const v = await repo.verify();
    expect(v.problems).toEqual([]);
    const a = await repo.verify({ against: late });
    expect([a.ok, a.against?.ok, a.against?.olderThanPrune, a.against?.pruned]).toEqual([true, true, undefined, 20]);
    const b = await repo.verify({ against: early });
    expect([b.ok, b.against?.ok, b.against?.olderThanPrune]).toEqual([true, true, true]);
    // a digest taken now verifies later
    const now = (await repo.verify({ digest: true })).digest as string;
    expect((await repo.verify({ against: now })).against?.ok).toBe(true);
  });

  it('readers: log ends at the boundary and shows the PRUNE entry; pruned commits answer E_PRUNED; from the boundary on, the right answer', async () => {
    const log = await repo.log({ table: 'people', limit: 100 });
    expect(log.commits.map((c) => c.id)).toEqual(chain.slice(20).reverse());
    expect(log.prunes).toEqual([expect.objectContaining({ commits: 20, message: 'retention' })]);
    const pruned = chain[19];
    expect(await code(repo.show(pruned))).toBe('E_PRUNED');
    expect(await code(repo.show('HEAD~11', { table: 'people' }))).toBe('E_PRUNED');
    expect(await code(repo.diff({ table: 'people', from: pruned, to: 'HEAD' }))).toBe('E_PRUNED');
    expect(await code(repo.rowsAt({ table: 'people', at: pruned }))).toBe('E_PRUNED');
    expect(await code(repo.checkout({ table: 'people', ref: pruned, author }))).toBe('E_PRUNED');
    // the boundary itself shows its own change, and the state at it is right
    const show = await repo.show('HEAD~10', { table: 'people' });
    expect(show.commit.id).toBe(chain[20]);
    const d = await repo.diff({ table: 'people', from: 'HEAD~10', to: 'HEAD' });
    expect(d.changes).toHaveLength(20);
    const at = await repo.rowsAt({ table: 'people', at: 'HEAD~10' });
    const col = (c: string) => at.columns.indexOf(c);
    expect(at.rows.find((row) => row[col('id')] === '120')?.[col('n')]).toBe('1');
    expect(at.rows.find((row) => row[col('id')] === '125')?.[col('n')]).toBe('0');
    // blame: a cell last set before the boundary is marked pruned, one set after names its commit
    const bl = await repo.blame({ table: 'people', key: '125' });
    expect(bl.prunedBefore).toBe(chain[20]);
    const cells = Object.fromEntries(bl.rows[0].cells.map((c) => [c.column, c]));
    expect(cells.email).toMatchObject({ commit: null, pruned: true });
    expect(cells.n).toMatchObject({ commit: chain[25] });
    const rl = await repo.rowLog({ table: 'people', key: '125' });
    expect([rl.entries.map((e) => e.commit.id), rl.prunedBefore]).toEqual([[chain[25]], chain[20]]);
    // a merge whose base was pruned (a commit of the deleted branch 'old', forked at the root)
    expect(await code(repo.merge({ table: 'people', ref: sideTip, author }))).toBe('E_PRUNED');
    // the branch forked after the point merges as before
    expect((await repo.verify()).ok).toBe(true);
  });

  it('a value held only in the base can be forgotten; verify passes and the value is nowhere', async () => {
    const before = await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.base_rows WHERE image::text LIKE '%${SECRET}%'`);
    expect(before.rows[0].n).toBe('1');
    const f = await repo.forget({ table: 'people', keys: ['7'], message: 'erasure', author, live: true, vacuum: 'full' });
    expect(f.entry.rows).toBe(2); // the base row and the --live delete's change row
    expect((await repo.verify()).problems).toEqual([]);
    const all = await repo.db.query<{ n: string }>(
      `SELECT ((SELECT count(*) FROM vsg.base_rows WHERE image::text LIKE '%${SECRET}%') + (SELECT count(*) FROM vsg.changes WHERE before::text LIKE '%${SECRET}%' OR after::text LIKE '%${SECRET}%') + (SELECT count(*) FROM people WHERE email LIKE '%${SECRET}%'))::text AS n`,
    );
    expect(all.rows[0].n).toBe('0');
    const pgDump = ['/usr/lib/postgresql/15/bin/pg_dump', 'pg_dump'].find((p) => spawnSync(p, ['--version']).status === 0);
    if (name === 'postgres' && pgDump) {
      const dump = spawnSync(pgDump, ['--dbname', t.url as string], { maxBuffer: 1 << 28 });
      expect(dump.status).toBe(0);
      expect(dump.stdout.includes(SECRET)).toBe(false);
    } else console.log(`${name}: no pg_dump check here (${name === 'postgres' ? 'pg_dump not found' : 'PGlite has no server to dump'}); the tables were searched instead`);
    // tampering is still caught: an edited base value, an edited PRUNE entry
    await repo.sql(`UPDATE vsg.base_rows SET image = jsonb_set(image, '{n}', '"42"') WHERE key = '{"id": "9"}'`);
    expect((await repo.verify()).problems.map((p) => p.code)).toEqual(['base_row_hash']);
    await repo.sql(`UPDATE vsg.base_rows SET image = jsonb_set(image, '{n}', '"0"') WHERE key = '{"id": "9"}'`);
    await repo.sql(`UPDATE vsg.prunes SET commits = 19`);
    expect((await repo.verify()).problems.map((p) => p.code).sort()).toEqual(['prune_commits', 'prune_id']);
    await repo.sql(`UPDATE vsg.prunes SET commits = 20`);
    expect((await repo.verify()).ok).toBe(true);
  });

  it('the command: text, --json, exit 7 for pruned history; a SIGKILL in the middle leaves all or nothing; a second prune supersedes the base', async () => {
    await repo.close();
    let before = '';
    try {
      const shown = await vsg(t, ['show', chain[3]]);
      expect([shown.code, shown.stderr]).toEqual([7, expect.stringMatching(/^error: commit [0-9a-f]{7} was pruned/)]);
      const json = await vsg(t, ['diff', '-t', 'people', chain[3], 'HEAD', '--json']);
      expect(json.code).toBe(7);
      expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'E_PRUNED' });
      const noPoint = await vsg(t, ['prune']);
      expect(noPoint.code).toBe(2);
      const log = await vsgOk(t, ['log', '-t', 'people', '--oneline']);
      expect(log).toMatch(/^prune [0-9a-f]{7} before [0-9a-f]{7}: 20 commits pruned; bases: people \(300 rows at [0-9a-f]{7}\) retention$/m);

      // killed while appending its PRUNE entry, after dropping every change row: nothing changed
      const pause = await Pause.install(t, 5521);
      await t.sql(`CREATE TRIGGER hold_prune AFTER INSERT ON vsg.prunes FOR EACH STATEMENT EXECUTE FUNCTION public.hold()`);
      repo = await t.open();
      before = await snapshot();
      await repo.close();
      await pause.arm();
      const child = spawn(process.execPath, [bin, 'prune', '--before', 'HEAD~4', '-m', 'killed'], { cwd: t.cwd, env: t.env, stdio: 'ignore' });
      expect(await pause.killWhenReached(child)).toBe(true);
      await t.sql(`DROP TRIGGER hold_prune ON vsg.prunes`);
    } finally {
      repo = await t.open();
    }
    expect(await snapshot()).toBe(before);
    expect((await repo.verify()).ok).toBe(true);
    // and again, to the end, through the command
    const out = await vsg(t.name === 'pglite' ? (await repo.close(), t) : t, ['prune', '--before', 'HEAD~4', '-m', 'again', '--no-vacuum-full', '--json']);
    if (t.name === 'pglite') repo = await t.open();
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout) as { entry: { commits: number }; tables: { boundary: string }[]; vacuum: { done: boolean; full?: boolean } };
    expect([r.vacuum.done, r.vacuum.full]).toEqual([true, undefined]); // a plain VACUUM, asked for
    // HEAD is the forget's --live commit: HEAD~4 is main 27, where 'late' starts
    expect(r.entry.commits).toBe(7);
    expect(r.tables[0].boundary).toBe(chain[27]);
    // the first base (at a commit now pruned) is superseded, the erasure counted in it too
    expect((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.bases`)).rows[0].n).toBe('1');
    expect((await repo.verify()).problems).toEqual([]);
    expect((await repo.verify({ against: late })).against).toMatchObject({ ok: true, pruned: 27 });
  });
});

/**
 * Several tracked tables, commits across them, and a point that cuts through
 * one: `acct` and `moves` are tracked as one commit; S1 changes both, A2 acct
 * only, S3 both (tagged v3), then B4 moves only, A5 acct only, S6 both.
 * Pruning before A2 gives acct the boundary A2 and moves the boundary S1
 * (its newest commit not newer than A2): S1's acct part goes, its moves part
 * stays. Then --keep-tags: a prune before A5 would drop S3 in both tables;
 * the tag v3 holds each table's boundary back to S3.
 */
describe.each(targetNames())('prune across tables on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const ids: Record<string, { id: string; parts: Record<string, string> }> = {};
  let early: string;
  let late: string;

  const commit = async (label: string, statement: string) => {
    const c = (await repo.commit({ author, message: label, sql: statement })).commit;
    ids[label] = { id: c.id, parts: Object.fromEntries((c.parts ?? [c]).map((p) => [p.table, p.id])) };
  };
  const rows = async (table: string, at: string) => {
    const r = await repo.rowsAt({ table, at });
    return r.rows.map((row) => row.join(':')).join(' ');
  };

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL); CREATE TABLE moves (id int PRIMARY KEY, acct int NOT NULL, amt int NOT NULL);
      INSERT INTO acct SELECT g, 100 FROM generate_series(1, 4) g`);
    await repo.trackTables(['acct', 'moves'], { author });
    early = (await repo.verify({ digest: true })).digest as string;
    await commit('S1', `UPDATE acct SET bal = 90 WHERE id = 1; INSERT INTO moves VALUES (1, 1, -10)`);
    await commit('A2', `UPDATE acct SET bal = 70 WHERE id = 2`);
    await commit('S3', `UPDATE acct SET bal = 105 WHERE id = 3; INSERT INTO moves VALUES (2, 3, 5)`);
    await repo.createTags({ name: 'v3', commit: ids.S3.id });
    late = (await repo.verify({ digest: true })).digest as string;
    await commit('B4', `UPDATE moves SET amt = 6 WHERE id = 2`);
    await commit('A5', `UPDATE acct SET bal = 50 WHERE id = 4`);
    await commit('S6', `UPDATE acct SET bal = 1 WHERE id = 1; INSERT INTO moves VALUES (3, 1, -89)`);
    expect(Object.keys(ids.S1.parts)).toEqual(['acct', 'moves']);
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('a point that cuts through a commit across tables: each table keeps its own boundary, verify passes plain and against digests', async () => {
    const r = await repo.prune({ before: ids.A2.id, author, message: 'cut' });
    // acct loses its root and S1's part; moves only its root
    expect(r.tables).toEqual([
      expect.objectContaining({ table: 'acct', boundary: ids.A2.id, commits: 2 }),
      expect.objectContaining({ table: 'moves', boundary: ids.S1.parts.moves, commits: 1 }),
    ]);
    expect(r.entry?.commits).toBe(3);
    expect(r.heldBack).toEqual([]);
    expect((await repo.verify()).problems).toEqual([]);
    const a = await repo.verify({ against: late });
    expect([a.ok, a.against?.ok, a.against?.pruned]).toEqual([true, true, 3]);
    const b = await repo.verify({ against: early });
    expect([b.ok, b.against?.ok, b.against?.olderThanPrune]).toEqual([true, true, true]);
  });

  it('readers across the boundary: the cut commit is listed with its kept part\'s header; what needs its pruned part answers E_PRUNED', async () => {
    const log = await repo.log({ limit: 100 });
    expect(log.commits.map((c) => c.message)).toEqual(['S6', 'A5', 'B4', 'S3', 'A2', 'S1']);
    const s1 = log.commits[5];
    expect([s1.id, s1.author, s1.parts?.map((p) => [p.table, p.pruned ?? false])]).toEqual([ids.S1.id, author, [['acct', true], ['moves', false]]]);
    expect((await repo.log({ table: 'acct', limit: 100 })).commits.map((c) => c.message)).toEqual(['S6', 'A5', 'S3', 'A2']);
    expect((await repo.log({ table: 'moves', limit: 100 })).commits.map((c) => c.message)).toEqual(['S6', 'B4', 'S3', 'S1']);
    // the commit across tables needs its acct part: pruned; its moves part alone is the boundary of moves
    expect(await code(repo.show(ids.S1.id))).toBe('E_PRUNED');
    expect(await code(repo.show(ids.S1.parts.acct))).toBe('E_PRUNED');
    expect((await repo.show(ids.S1.parts.moves)).commit.message).toBe('S1');
    expect(await code(repo.diff({ table: 'acct', from: ids.S1.id, to: 'HEAD' }))).toBe('E_PRUNED');
    expect(await code(repo.diffMany({ from: ids.S1.id, to: 'HEAD' }))).toBe('E_PRUNED');
    expect(await code(repo.rowsAt({ table: 'acct', at: ids.S1.id }))).toBe('E_PRUNED');
    // from the boundaries on, the right answer in both tables
    expect(await rows('moves', ids.S1.id)).toBe('1:1:-10');
    expect((await repo.diff({ table: 'moves', from: ids.S1.id, to: 'HEAD' })).changes.map((c) => c.key.id)).toEqual(['2', '3']);
    const d = await repo.diffMany({ from: ids.A2.id, to: 'HEAD' });
    expect(d.acct.changes.map((c) => [c.key.id, c.old?.bal, c.new?.bal])).toEqual([['1', '90', '1'], ['3', '100', '105'], ['4', '100', '50']]);
    expect(d.moves.changes.map((c) => c.key.id)).toEqual(['2', '3']);
    expect(await rows('acct', ids.A2.id)).toBe('1:90 2:70 3:100 4:100');
    expect(await rows('acct', ids.S3.id)).toBe('1:90 2:70 3:105 4:100');
    // blame: acct's row 2 was set at its boundary (A2, kept), row 1's first value before it; moves' row 1 at S1 (kept there)
    const b2 = Object.fromEntries((await repo.blame({ table: 'acct', key: '2' })).rows[0].cells.map((c) => [c.column, c]));
    expect(b2.bal).toMatchObject({ commit: ids.A2.id });
    const b1 = await repo.blame({ table: 'acct', key: '1' });
    expect(b1.prunedBefore).toBe(ids.A2.id);
    expect(Object.fromEntries(b1.rows[0].cells.map((c) => [c.column, c.pruned ? 'pruned' : c.commit]))).toEqual({ id: 'pruned', bal: ids.S6.parts.acct });
    const m1 = Object.fromEntries((await repo.blame({ table: 'moves', key: '1' })).rows[0].cells.map((c) => [c.column, c.commit]));
    expect(m1).toEqual({ id: ids.S1.parts.moves, acct: ids.S1.parts.moves, amt: ids.S1.parts.moves });
  });

  it('--keep-tags holds each table\'s boundary back to its oldest tagged commit older than the point; the tagged state stays readable', async () => {
    const r = await repo.prune({ before: ids.A5.id, author, keepTags: true, message: 'keep tags' });
    // without the tag: acct would lose A2 and S3 (boundary A5), moves S1 and S3 (boundary B4)
    expect(r.heldBack).toEqual([
      { table: 'acct', tag: 'v3', commit: ids.S3.parts.acct, spared: 1 },
      { table: 'moves', tag: 'v3', commit: ids.S3.parts.moves, spared: 1 },
    ]);
    expect(r.tables).toEqual([
      expect.objectContaining({ table: 'acct', boundary: ids.S3.parts.acct, commits: 1 }),
      expect.objectContaining({ table: 'moves', boundary: ids.S3.parts.moves, commits: 1 }),
    ]);
    expect(r.tagsDeleted).toEqual([]);
    expect((await repo.tagsByName()).names.map((n) => [n.name, n.tables])).toEqual([['v3', ['acct', 'moves']]]);
    expect(await rows('acct', 'v3')).toBe('1:90 2:70 3:105 4:100');
    expect(await rows('moves', 'v3')).toBe('1:1:-10 2:3:5');
    expect((await repo.show(ids.S3.id)).commit.message).toBe('S3');
    expect(await code(repo.show(ids.A2.id))).toBe('E_PRUNED');
    expect((await repo.verify()).problems).toEqual([]);
    expect((await repo.verify({ against: late })).against).toMatchObject({ ok: true, pruned: 5 });
    // a tag at the boundary already holds nothing back; without keepTags the tag goes with its commits
    const again = await repo.prune({ before: ids.S3.id, author, keepTags: true });
    expect([again.entry, again.heldBack]).toEqual([null, []]);
    const drop = await repo.prune({ before: ids.A5.id, author });
    expect(drop.tagsDeleted.map((x) => [x.table, x.name])).toEqual([['acct', 'v3'], ['moves', 'v3']]);
    expect((await repo.verify()).problems).toEqual([]);
  });
});

/**
 * An untracked history (`vsg untrack` keeps one) is pruned at the same point
 * as the tracked tables: its boundary is its newest commit not newer than the
 * point, its base is read from its history alone (it has no live table), and
 * reading it afterwards starts from that base: the right rows from the
 * boundary on, E_PRUNED before it; a second prune past its UNTRACK commit
 * builds the new base from the first; forget still reaches the base; verify
 * passes. A history with a branch older than the point is left whole. A
 * tracked table dropped after a prune is read (and restored) the same way.
 */
describe.each(targetNames())('prune --before HEAD~N across tables on %s', (name) => {
  let t: Target;
  let repo: Repository;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL); CREATE TABLE moves (id int PRIMARY KEY, amt int NOT NULL);
      CREATE TABLE late (id int PRIMARY KEY, v int NOT NULL);
      INSERT INTO acct VALUES (1, 100), (2, 100); INSERT INTO late VALUES (1, 0)`);
    await repo.trackTables(['acct', 'moves'], { author });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('counts back the repository\'s history, as a reference naming no table does; a table tracked since keeps all of its own', async () => {
    const s1 = (await repo.commit({ author, sql: 'UPDATE acct SET bal = 90 WHERE id = 1; INSERT INTO moves VALUES (1, -10)' })).commit;
    const a2 = (await repo.commit({ author, sql: 'UPDATE acct SET bal = 80 WHERE id = 2' })).commit;
    await repo.track('late', { author });
    await repo.commit({ author, sql: 'UPDATE late SET v = 1' });
    await repo.commit({ author, sql: 'UPDATE acct SET bal = 70 WHERE id = 2' });
    // HEAD~3 is a2 (late's commit, its root and acct's commit came after): late has no third commit of its own
    const r = await repo.prune({ before: 'HEAD~3', author, message: 'retention' });
    const moves = s1.parts!.find((p) => p.table === 'moves')!.id;
    expect(r.tables.map((x) => [x.table, x.boundary, x.commits])).toEqual([
      ['acct', a2.id, 2],
      ['moves', moves, 1],
    ]);
    expect((await repo.log({ table: 'late' })).commits).toHaveLength(2);
    expect((await repo.rowsAt({ table: 'acct', at: 'HEAD' })).rows).toEqual([['1', '90'], ['2', '70']]);
    expect((await repo.verify()).problems).toEqual([]);
  });
});

describe.each(targetNames())('prune of an untracked history on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const ids: Record<string, string> = {};
  let late: string;
  const rows = async (at: string) => JSON.stringify((await repo.rowsAt({ table: 'old', at })).rows);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE a (id int PRIMARY KEY, v int); CREATE TABLE old (id int PRIMARY KEY, s text); CREATE TABLE side (id int PRIMARY KEY);
      INSERT INTO a SELECT g, 0 FROM generate_series(1, 3) g; INSERT INTO old SELECT g, 'x' || g FROM generate_series(1, 3) g`);
    await repo.trackTables(['a', 'old', 'side'], { author });
    // a history whose branch 'b' stays at its root: it cannot be pruned (nor the branch deleted once untracked)
    await repo.commit({ author, table: 'side', message: 'S1', sql: `INSERT INTO side VALUES (1)` });
    await repo.createBranch({ table: 'side', name: 'b', start: 'HEAD~1' });
    await repo.untrack('side', { author });
    const step = async (label: string, table: string, statement: string) => {
      ids[label] = (await repo.commit({ author, table, message: label, sql: statement })).commit.id;
    };
    await step('O1', 'old', `UPDATE old SET s = '${SECRET}' WHERE id = 1`);
    await step('A1', 'a', `UPDATE a SET v = 1 WHERE id = 1`);
    await step('O2', 'old', `UPDATE old SET s = 'o2' WHERE id = 2`);
    await step('A2', 'a', `UPDATE a SET v = 2 WHERE id = 2`);
    await step('O3', 'old', `UPDATE old SET s = 'o3' WHERE id = 3`);
    ids.U = (await repo.untrack('old', { author })).commit?.id as string;
    await step('A3', 'a', `UPDATE a SET v = 3 WHERE id = 3`);
    late = (await repo.verify({ digest: true })).digest as string;
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('is pruned at the point, read from its base afterwards, and verifies', async () => {
    const r = await repo.prune({ before: ids.A2, author });
    expect(r.vacuum).toMatchObject({ done: true, full: true });
    expect(r.historiesLeft).toEqual([expect.objectContaining({ table: 'side', branch: 'b' })]);
    // old's boundary: O2, its newest commit not newer than A2; its root and O1 go
    expect(r.tables).toEqual([
      expect.objectContaining({ table: 'a', boundary: ids.A2, commits: 2 }),
      expect.objectContaining({ table: 'old', boundary: ids.O2, commits: 2, changes: 4 }),
    ]);
    expect(r.entry?.bases).toEqual([expect.objectContaining({ table: 'a', rows: 3 }), expect.objectContaining({ table: 'old', commit: ids.O2, rows: 3 })]);
    expect((await repo.verify()).problems).toEqual([]);
    expect((await repo.verify({ against: late })).against).toMatchObject({ ok: true, pruned: 4 });
    expect((await repo.log({ table: 'old', limit: 10 })).commits.map((c) => c.message)).toEqual(['untrack old', 'O3', 'O2']);
    expect(await code(repo.rowsAt({ table: 'old', at: ids.O1 }))).toBe('E_PRUNED');
    expect(await rows(ids.O2)).toBe(JSON.stringify([['1', SECRET], ['2', 'o2'], ['3', 'x3']]));
    expect(await rows(ids.U)).toBe(JSON.stringify([['1', SECRET], ['2', 'o2'], ['3', 'o3']]));
    expect((await repo.diff({ table: 'old', from: ids.O2 })).changes.map((c) => c.key.id)).toEqual(['3']);
    const bl = await repo.blame({ table: 'old' });
    expect(bl.prunedBefore).toBe(ids.O2);
    expect(bl.rows.map((row) => row.cells[1].pruned ? 'pruned' : row.cells[1].commit)).toEqual(['pruned', ids.O2, ids.O3]);
  });

  it('forget reaches its base; a second prune past its UNTRACK commit keeps the forgotten cell forgotten', async () => {
    const f = await repo.forget({ table: 'old', keys: ['1'], author, message: 'erase' });
    expect(f.entry.rows).toBe(1); // the base row: O1's change went with the prune
    expect((await repo.verify()).problems).toEqual([]);
    const r = await repo.prune({ before: ids.A3, author, vacuum: 'full' });
    expect(r.tables.map((x) => [x.table, x.boundary, x.commits])).toEqual([['a', ids.A3, 1], ['old', ids.U, 2]]);
    expect((await repo.verify()).problems).toEqual([]);
    expect(await code(repo.rowsAt({ table: 'old', at: ids.O3 }))).toBe('E_PRUNED');
    const at = await repo.rowsAt({ table: 'old', at: ids.U });
    expect(at.rows).toEqual([['1', null], ['2', 'o2'], ['3', 'o3']]);
    const left = await repo.db.query<{ n: string }>(
      `SELECT ((SELECT count(*) FROM vsg.base_rows WHERE image::text LIKE '%${SECRET}%') + (SELECT count(*) FROM vsg.changes WHERE before::text LIKE '%${SECRET}%' OR after::text LIKE '%${SECRET}%'))::text AS n`,
    );
    expect(left.rows[0].n).toBe('0');
  });

  it('a tracked table dropped after a prune is read and restored from its base and the changes since', async () => {
    await repo.sql(`DROP TABLE a`);
    expect((await repo.rowsAt({ table: 'a' })).rows).toEqual([['1', '1'], ['2', '2'], ['3', '3']]);
    expect(await code(repo.rowsAt({ table: 'a', at: ids.A1 }))).toBe('E_PRUNED');
    await repo.restore({ table: 'a' });
    expect((await repo.sql(`SELECT id::text, v::text FROM a ORDER BY id`)).rows).toEqual([['1', '1'], ['2', '2'], ['3', '3']]);
    expect((await repo.verify()).problems).toEqual([]);
  });
});

/**
 * Every branch gets its own boundary (issue 18). `items` is tracked (R), main
 * makes m1; 'side' forks at m1 and makes s1; main makes m2 … m4; 'old' forks
 * at m2; 'side' makes s2; main makes m5, m6; 'old' makes o1. A prune before
 * m4 (a commit) gives main m4; 'side' (forked before m4) the newest commit of
 * its own chain not newer than m4, s1; 'old' (forked before m4) m2, its fork
 * point; 'behind' (at m3, its tip older than m4) its tip, m3. R and m1 are
 * pruned (m3 and m2 are boundaries); s1 and m2 keep a base (m3 and m4 need
 * none: nothing right before them is pruned; they read from m2's). Then every
 * branch reads, switches and verifies as before; merging 'side' works though
 * its merge base m1 was pruned (no path from it crosses a pruned commit: the
 * case where it does answers E_PRUNED in 'prune on' above), and so does
 * merging 'old' (its merge base m2 is a boundary). A second prune by date keeps each branch's newest
 * commit not newer than the date.
 */
describe.each(targetNames())('prune on every branch on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const ids: Record<string, string> = {};
  const states: Record<string, string[]> = {};
  let digest: string;
  let after: string;

  const commit = async (label: string, statement: string) => {
    await repo.db.query(statement);
    ids[label] = (await repo.commit({ table: 'items', author, message: label })).commit.id;
  };
  const rows = async (at: string) => (await repo.rowsAt({ table: 'items', at })).rows.map((r) => r.join('|')).sort();
  const live = async () => (await repo.db.query<{ r: string }>(`SELECT id || '|' || v AS r FROM items`)).rows.map((r) => r.r).sort();

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, v text NOT NULL)`);
    await repo.sql(`INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 20) g`);
    ids.R = (await repo.track('items', { author })).root.id;
    await commit('m1', `UPDATE items SET v = 'm1' WHERE id = 1`);
    await repo.createBranch({ table: 'items', name: 'side', start: 'HEAD' });
    await repo.switch({ table: 'items', branch: 'side' });
    await commit('s1', `UPDATE items SET v = 's1' WHERE id = 11`);
    await repo.switch({ table: 'items', branch: 'main' });
    await commit('m2', `UPDATE items SET v = 'm2' WHERE id = 2`);
    await commit('m3', `DELETE FROM items WHERE id = 3`);
    await repo.createBranch({ table: 'items', name: 'behind', start: 'HEAD' });
    await commit('m4', `UPDATE items SET v = 'm4' WHERE id = 4`);
    await repo.createBranch({ table: 'items', name: 'old', start: 'HEAD~2' });
    await repo.switch({ table: 'items', branch: 'side' });
    await commit('s2', `INSERT INTO items VALUES (21, 's2')`);
    await repo.switch({ table: 'items', branch: 'main' });
    await commit('m5', `UPDATE items SET v = 'm5' WHERE id = 5`);
    await commit('m6', `INSERT INTO items VALUES (22, 'm6')`);
    await repo.switch({ table: 'items', branch: 'old' });
    await commit('o1', `UPDATE items SET v = 'o1' WHERE id = 12`);
    await repo.switch({ table: 'items', branch: 'main' });
    for (const c of ['m2', 'm3', 'm4', 'm5', 'm6', 's1', 's2', 'o1']) states[c] = await rows(ids[c]);
    digest = (await repo.verify({ digest: true })).digest as string;
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('--before <commit>: each branch keeps its own boundary and base; only what is older than all of them goes; verify passes plain and against a digest taken before', async () => {
    const r = await repo.prune({ before: ids.m4, author, message: 'retention' });
    expect(r.tables).toEqual([expect.objectContaining({ table: 'items', boundary: ids.m4, commits: 2 })]);
    expect(new Map(r.tables[0].boundaries.map((b) => [b.branch, b.commit]))).toEqual(
      new Map([['main', ids.m4], ['side', ids.s1], ['old', ids.m2], ['behind', ids.m3]]),
    );
    expect(r.entry?.commits).toBe(2);
    expect(r.entry?.bases.map((b) => b.commit).sort()).toEqual([ids.m2, ids.s1].sort());
    const pruned = (await repo.db.query<{ id: string }>(`SELECT id FROM vsg.commits WHERE pruned IS NOT NULL`)).rows.map((x) => x.id).sort();
    expect(pruned).toEqual([ids.R, ids.m1].sort());
    expect((await repo.verify()).problems).toEqual([]);
    const a = await repo.verify({ against: digest });
    expect([a.ok, a.against?.ok, a.against?.pruned]).toEqual([true, true, 2]);
    after = (await repo.verify({ digest: true })).digest as string;
  });

  it('every branch reads as before from its boundary on; switching to it writes that state; what needs a pruned commit answers E_PRUNED', async () => {
    for (const c of Object.keys(states)) expect([c, await rows(ids[c])]).toEqual([c, states[c]]);
    const d = await repo.diff({ table: 'items', from: 'side', to: 'main' });
    expect(d.changes.map((c) => JSON.stringify(c.key)).sort()).toEqual(['{"id":"11"}', '{"id":"2"}', '{"id":"21"}', '{"id":"22"}', '{"id":"3"}', '{"id":"4"}', '{"id":"5"}'].sort());
    await repo.switch({ table: 'items', branch: 'side' });
    expect(await live()).toEqual(states.s2);
    expect(await rows('main')).toEqual(states.m6);
    await repo.switch({ table: 'items', branch: 'old' });
    expect(await live()).toEqual(states.o1);
    await repo.switch({ table: 'items', branch: 'behind' });
    expect(await live()).toEqual(states.m3);
    await repo.switch({ table: 'items', branch: 'main' });
    expect(await live()).toEqual(states.m6);
    expect(await code(repo.rowsAt({ table: 'items', at: ids.m1 }))).toBe('E_PRUNED');
    expect(await code(repo.show(ids.R))).toBe('E_PRUNED');
    // 'side' forked at m1, pruned; but no path from m1 to either tip crosses a pruned
    // commit (m2 and s1 are boundaries): every value the merge needs is kept, so it runs
    const ms = await repo.merge({ table: 'items', ref: 'side', author });
    expect([ms.status, ms.base]).toEqual(['merged', ids.m1]);
    // 'old' forked at m2, its own boundary (with a base)
    const m = await repo.merge({ table: 'items', ref: 'old', author });
    expect([m.status, m.base]).toEqual(['merged', ids.m2]);
    expect(await live()).toEqual([...states.m6.filter((x) => !/^1[12]\|/.test(x)), '11|s1', '12|o1', '21|s2'].sort());
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('forget reaches every base; --before <date> then keeps each branch\'s newest commit not newer than it; verify passes', async () => {
    const f = await repo.forget({ table: 'items', keys: ['11'], message: 'erasure', author });
    expect(f.entry.rows).toBe(4); // the change rows of s1 and of the merge of 'side', and the bases at m2 and s1
    const held = await repo.db.query<{ all: string; blanked: string }>(`SELECT count(*)::text AS all, count(forgotten)::text AS blanked FROM vsg.base_rows WHERE key = '{"id": "11"}'`);
    expect(held.rows[0]).toEqual({ all: '2', blanked: '2' });
    expect((await repo.verify()).problems).toEqual([]);
    const when = (await repo.db.query<{ at: string }>(`SELECT (committed_at + interval '1 microsecond')::text AS at FROM vsg.commits WHERE id = $1`, [ids.s2])).rows[0].at;
    const r = await repo.prune({ before: when, author, message: 'by date' });
    const b = new Map(r.tables[0].boundaries.map((x) => [x.branch, x.commit]));
    // s2 was made after m4 and before m5: main's boundary is m4, side's s2, old's (forked at m2, o1 made last) m2
    expect([b.get('main'), b.get('side'), b.get('old'), b.get('behind')]).toEqual([ids.m4, ids.s2, ids.m2, ids.m3]);
    expect(r.entry?.commits).toBe(1); // s1
    expect((await repo.verify()).problems).toEqual([]);
    expect((await repo.verify({ against: after })).against).toMatchObject({ ok: true, pruned: 3 });
    expect((await repo.verify({ against: digest })).against).toMatchObject({ ok: true, pruned: 3 });
    expect(await rows('side')).toEqual(states.s2.map((x) => (x.startsWith('11|') ? expect.stringMatching(/^11\|/) : x)));
  });
});

/**
 * A state commit (a checkout recorded by reference: a reload from a
 * checkpoint) on a branch other than main, each table its own case: 'early'
 * makes it before the point, so it is side's boundary (its base) and its
 * parent is pruned; 'late' after the point, on side above side's boundary,
 * its source pruned. Blame and row history read each branch from the
 * history it keeps, never a state commit's difference across pruned commits.
 */
describe.each(targetNames().flatMap((n) => [[n, 'early'], [n, 'late']] as const))('prune with a state commit on another branch on %s (%s)', (name, when) => {
  let t: Target;
  let repo: Repository;
  const ids: Record<string, string> = {};
  const early = when === 'early';
  /** each branch tip's rows before the prune */
  const tips: Record<string, string[]> = {};
  const rows = async (at: string) => (await repo.rowsAt({ table: 'items', at })).rows.map((r) => r.join('|')).sort();
  const live = async () => (await repo.db.query<{ r: string }>(`SELECT id || '|' || v AS r FROM items`)).rows.map((r) => r.r).sort();

  const commit = async (label: string, statement: string) => {
    await repo.db.query(statement);
    ids[label] = (await repo.commit({ table: 'items', author, message: label })).commit.id;
  };
  const stateCommit = async () => {
    const r = await repo.checkout({ table: 'items', ref: ids.R, author, reload: 'always' });
    expect(r.reload).not.toBeNull();
    ids.cs = r.commit?.id as string;
  };

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, v text NOT NULL); INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 1200) g`);
    // the root holds every row: a checkpoint, from which a checkout of it reloads
    ids.R = (await repo.track('items', { author })).root.id;
    await commit('m1', `UPDATE items SET v = 'm1' WHERE id = 1`);
    await repo.createBranch({ table: 'items', name: 'side', start: 'HEAD' });
    await repo.switch({ table: 'items', branch: 'side' });
    await commit('s1', `UPDATE items SET v = 's1' WHERE id = 11`);
    if (early) await stateCommit();
    await repo.switch({ table: 'items', branch: 'main' });
    await commit('m2', `UPDATE items SET v = 'm2' WHERE id = 2`);
    await commit('m3', `UPDATE items SET v = 'm3' WHERE id = 3`);
    await repo.switch({ table: 'items', branch: 'side' });
    if (!early) await stateCommit();
    await commit('s2', `UPDATE items SET v = 's2' WHERE id = 11`);
    await repo.switch({ table: 'items', branch: 'main' });
    await commit('m4', `UPDATE items SET v = 'm4' WHERE id = 1`);
    for (const b of ['main', 'side']) tips[b] = await rows(b);
    const r = await repo.prune({ before: ids.m3, author, message: 'retention' });
    expect(new Map(r.tables[0].boundaries.map((b) => [b.branch, b.commit]))).toEqual(new Map([['main', ids.m3], ['side', early ? ids.cs : ids.s1]]));
    // 'late': the state commit above side's boundary lost its source (the root): it keeps a base of its own
    expect(r.entry?.bases.map((b) => b.commit).sort()).toEqual((early ? [ids.m3, ids.cs] : [ids.m3, ids.s1, ids.cs]).sort());
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  // only where side's boundary is the state commit itself (registered for that case alone)
  if (early) {
    it('blame and log --row on the branch whose boundary is a state commit: read from its base, cells set before it marked pruned', async () => {
      await repo.switch({ table: 'items', branch: 'side' });
      const all = await repo.blame({ table: 'items' });
      expect(all.rows).toHaveLength(1200);
      expect(all.prunedBefore).toBe(ids.cs);
      const cells = (k: string) => Object.fromEntries((all.rows.find((r) => r.key.id === k)?.cells ?? []).map((c) => [c.column, [c.value, c.commit, c.pruned ?? false]]));
      expect(cells('1').v).toEqual(['v1', null, true]);
      expect(cells('11').v).toEqual(['s2', ids.s2, false]);
      expect((await repo.blame({ table: 'items', key: '1' })).rows[0].cells.find((c) => c.column === 'v')).toMatchObject({ value: 'v1', commit: null, pruned: true });
      expect((await repo.rowLog({ table: 'items', key: '11' })).entries.map((e) => [e.commit.message, e.after?.v])).toEqual([['s2', 's2']]);
      await repo.switch({ table: 'items', branch: 'main' });
    });
  }

  it('every branch tip reads and switches as before the prune (the state commit\'s source pruned or not); verify passes', async () => {
    for (const b of ['main', 'side']) expect([b, await rows(b)]).toEqual([b, tips[b]]);
    expect(await rows(ids.cs)).toEqual(await rows('side~1'));
    await repo.switch({ table: 'items', branch: 'side' });
    expect(await live()).toEqual(tips.side);
    expect((await repo.diff({ table: 'items', from: 'main', to: 'side' })).changes.map((c) => JSON.stringify(c.key)).sort())
      .toEqual(['{"id":"1"}', '{"id":"11"}', '{"id":"2"}', '{"id":"3"}']);
    await repo.switch({ table: 'items', branch: 'main' });
    expect(await live()).toEqual(tips.main);
    expect((await repo.verify()).problems).toEqual([]);
    // s1, side's boundary, still reads; what is older answers E_PRUNED
    if (!early) expect(await rows(ids.s1)).toHaveLength(1200);
    expect(await code(repo.rowsAt({ table: 'items', at: ids.m1 }))).toBe('E_PRUNED');
  });

  it('log --row and blame on main are not stopped by the state commit of the other branch', async () => {
    for (const k of ['1', '11']) {
      const rl = await repo.rowLog({ table: 'items', key: k });
      expect(rl.entries.map((e) => e.commit.message)).toEqual(k === '1' ? ['m4'] : []);
      expect((await repo.blame({ table: 'items', key: k })).rows).toHaveLength(1);
    }
    expect((await repo.blame({ table: 'items' })).rows).toHaveLength(1200);
  });
});
