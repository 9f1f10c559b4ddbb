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
        `SELECT md5((SELECT string_agg(x::text, ',' ORDER BY x.commit_id, x.key::text) FROM vsg.changes x)
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

  it('refuses, changing nothing: a branch forked before the point, a tag older than it with keepTags, uncommitted changes', async () => {
    const before = await snapshot();
    const e1 = await repo.prune({ before: 'HEAD~10', author }).catch((e: unknown) => e as { code: string; data: { refs: { name: string; why: string }[] } });
    expect(e1).toMatchObject({ code: 'E_PRUNE_REFUSED', data: { refs: [expect.objectContaining({ name: 'old', why: 'off' })] } });
    await repo.deleteBranch({ table: 'people', name: 'old', force: true });
    const mid = await snapshot();
    expect(await code(repo.prune({ before: 'HEAD~10', author, keepTags: true }))).toBe('E_PRUNE_REFUSED');
    await repo.db.query(`UPDATE people SET n = 5 WHERE id = 3`);
    expect(await code(repo.prune({ before: 'HEAD~10', author }))).toBe('E_UNCOMMITTED');
    await repo.restore({ table: 'people' });
    expect(await snapshot()).toBe(mid);
    expect(mid).not.toBe(before); // only the branch deletion
  });

  it('prunes 20 commits: verify passes, plain and against a digest taken after the point; one taken before says it is older', async () => {
    const sizeBefore = Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.changes`)).rows[0].n);
    const r = await repo.prune({ before: 'HEAD~10', author, message: 'retention', vacuum: 'full' });
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
    const out = await vsg(t.name === 'pglite' ? (await repo.close(), t) : t, ['prune', '--before', 'HEAD~4', '-m', 'again', '--json']);
    if (t.name === 'pglite') repo = await t.open();
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout) as { entry: { commits: number }; tables: { boundary: string }[] };
    // HEAD is the forget's --live commit: HEAD~4 is main 27, where 'late' starts
    expect(r.entry.commits).toBe(7);
    expect(r.tables[0].boundary).toBe(chain[27]);
    // the first base (at a commit now pruned) is superseded, the erasure counted in it too
    expect((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.bases`)).rows[0].n).toBe('1');
    expect((await repo.verify()).problems).toEqual([]);
    expect((await repo.verify({ against: late })).against).toMatchObject({ ok: true, pruned: 27 });
  });
});
