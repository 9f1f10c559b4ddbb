/**
 * `<ref>@{<date>}`: the newest commit of the reference's first-parent chain
 * made at or before that time (sql/functions/first_parent_before.sql, a walk
 * through the commit graph's skip pointers), then any ~N / ^ after it. Checked
 * against the definition computed here from the log (first parents, newest
 * first: the first commit not made after the date) at every commit's own time
 * and a microsecond before it, over a history deep enough for the skip
 * pointers to matter, on a branch, across a merge (first parents only), across
 * tables, on an untracked history (by its name and by commit id), and through
 * bin/vsg where the date holds colons (`show <ref>:<table>`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitInfo, Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

const author = 'tester';
const COMMITS = 150;

/** An ISO time (to the microsecond) moved by `us` microseconds, as PostgreSQL reads it. */
function shifted(iso: string, us: number): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (!m) throw new Error(`not an ISO time: ${iso}`);
  const micros = BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0')) + BigInt(us);
  const whole = new Date(Number(micros / 1000000n) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(micros % 1000000n).padStart(6, '0')}Z`;
}

/** The definition: walking first parents from the chain's head (newest first), the first commit made at or before `at`. */
function expected(chain: CommitInfo[], at: string): string | undefined {
  const t = (iso: string) => shifted(iso, 0);
  return chain.find((c) => t(c.committedAt) <= t(at))?.id;
}

describe.each(targetNames())('commit references by date, on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let main: CommitInfo[];
  let side: CommitInfo[];
  let merged: CommitInfo;

  const idOf = async (ref: string) => (await repo.show(ref, { table: 'items' })).commit.id;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT i, 0 FROM generate_series(1, 10) i');
    await repo.track('items', { author });
    for (let i = 1; i <= COMMITS; i++) await repo.commit({ table: 'items', sql: `UPDATE items SET v = ${i} WHERE id = ${1 + (i % 10)}`, author, message: `c${i}` });
    main = (await repo.log({ table: 'items', limit: 1000 })).commits;
    // a branch from c50, three commits there (the newest of all), merged back into main
    await repo.createBranch({ table: 'items', name: 'side', start: main[COMMITS - 50].id });
    await repo.switch({ table: 'items', branch: 'side' });
    for (let i = 1; i <= 3; i++) await repo.commit({ table: 'items', sql: `INSERT INTO items VALUES (${100 + i}, ${i})`, author, message: `s${i}` });
    side = (await repo.log({ table: 'items', limit: 1000 })).commits;
    await repo.switch({ table: 'items', branch: 'main' });
    const m = await repo.merge({ table: 'items', ref: 'side', author });
    merged = (await repo.show(m.commit!.id, { table: 'items' })).commit;
  }, 240_000);
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it(`names the newest commit of the chain made by then: at the time of each of the last 20 and every 7th of ${COMMITS + 1} commits, and a microsecond before it`, async () => {
    let asked = 0;
    for (const [i, c] of main.entries()) {
      // every commit of the last 20 and every 7th below: both sides of the skip pointers
      if (i > 20 && i % 7 !== 0 && i !== main.length - 1) continue;
      // before the merge: main's chain as it was is the tail of today's below the merge
      expect(await idOf(`main@{${c.committedAt}}`), `at c's time: ${c.message}`).toBe(c.id);
      const before = shifted(c.committedAt, -1);
      const want = expected(main, before);
      if (want === undefined) {
        await expect(idOf(`main@{${before}}`)).rejects.toMatchObject({ code: 'E_UNKNOWN_REF', message: `'main@{${before}}' goes back past the first commit` });
      } else {
        expect(await idOf(`main@{${before}}`), `just before ${c.message}`).toBe(want);
      }
      asked++;
    }
    expect(asked).toBeGreaterThan(35);
  });

  it('follows first parents only: main across the merge, side on its own chain, HEAD and @ alone as HEAD', async () => {
    // side's commits are newer than every commit of main before the merge
    for (const s of side.slice(0, 3)) expect(await idOf(`main@{${s.committedAt}}`)).toBe(main[0].id);
    expect(await idOf(`main@{${merged.committedAt}}`)).toBe(merged.id);
    expect(await idOf(`side@{${side[1].committedAt}}`)).toBe(side[1].id);
    // on side, the time of c100 (made after the fork at c50) is the fork point
    expect(await idOf(`side@{${main[COMMITS - 100].committedAt}}`)).toBe(main[COMMITS - 50].id);
    expect(await idOf(`HEAD@{${main[3].committedAt}}`)).toBe(main[3].id);
    expect(await idOf(`@{${main[3].committedAt}}`)).toBe(main[3].id);
    expect(await idOf('@{now}')).toBe(merged.id);
    // a tag, and a commit id
    await repo.createTag({ table: 'items', name: 'v1', commit: main[10].id });
    expect(await idOf(`v1@{${main[40].committedAt}}`)).toBe(main[40].id);
    expect(await idOf(`${main[5].id.slice(0, 12)}@{${main[9].committedAt}}`)).toBe(main[9].id);
  });

  it('takes ~N and ^ after the date, and relative dates as --since does', async () => {
    expect(await idOf(`main@{${main[30].committedAt}}~2`)).toBe(main[32].id);
    expect(await idOf(`main@{${main[30].committedAt}}^`)).toBe(main[31].id);
    expect(await idOf('main@{0.seconds.ago}')).toBe(merged.id);
    expect(await idOf('main@{now}~3')).toBe(main[2].id);
    await expect(idOf('main@{10 years ago}')).rejects.toMatchObject({ code: 'E_UNKNOWN_REF', message: "'main@{10 years ago}' goes back past the first commit" });
  });

  it('refuses a count of reflog entries, a date that is none, and branch names holding @{', async () => {
    await expect(idOf('main@{3}')).rejects.toMatchObject({ code: 'E_BAD_DATE', message: "'main@{3}' counts reflog entries, which vsg does not keep: @{...} takes a date" });
    await expect(idOf('@{-1}')).rejects.toMatchObject({ code: 'E_BAD_DATE' });
    await expect(idOf('main@{soon}')).rejects.toMatchObject({ code: 'E_BAD_DATE', message: "in 'main@{soon}', the date 'soon' is not a date" });
    await expect(repo.createBranch({ table: 'items', name: 'x@{y}' })).rejects.toMatchObject({ code: 'E_BAD_REF_NAME' });
  });

  it('through bin/vsg: a time with colons in show <ref>:<table>, and log', async () => {
    const at = main[20].committedAt.replace('T', ' ').replace('Z', '');
    const v = (await repo.rowsAt({ at: main[20].id, table: 'items' })).rows;
    // (the embedded database is one process's at a time)
    await repo.close();
    const shown = await vsg(t, ['show', `main@{${at}}:items`, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).rows).toEqual(JSON.parse(JSON.stringify(v)));
    const log = await vsg(t, ['log', '--oneline', '-n', '1', `main@{${at}}`]);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toBe(`${main[20].shortId} ${main[20].message}\n`);
    const bad = await vsg(t, ['log', 'main@{2001-01-01}']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe("error: 'main@{2001-01-01}' goes back past the first commit\nhint: see 'vsg log' for commit ids\n");
    repo = await t.open();
  });

  it('a date whose commit was pruned answers E_PRUNED, as ~N does; later dates still resolve', async () => {
    await repo.prune({ before: main[100].id, author });
    await expect(idOf(`main@{${main[120].committedAt}}`)).rejects.toMatchObject({ code: 'E_PRUNED' });
    await expect(idOf(`main@{${main[100].committedAt}}~1`)).rejects.toMatchObject({ code: 'E_PRUNED' });
    expect(await idOf(`main@{${main[100].committedAt}}`)).toBe(main[100].id);
    expect(await idOf(`main@{${main[60].committedAt}}`)).toBe(main[60].id);
  });
});

describe.each(targetNames())('commit references by date across tables, on %s', (name) => {
  let t: Target;
  let repo: Repository;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE a (id int PRIMARY KEY, v int NOT NULL); CREATE TABLE b (id int PRIMARY KEY, v int NOT NULL); INSERT INTO a VALUES (1, 0); INSERT INTO b VALUES (1, 0)');
    await repo.trackTables(['a', 'b'], { author });
  }, 120_000);
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it('HEAD@{date} with no table is every table as it stood then: show, export and diff', async () => {
    await repo.commit({ sql: 'UPDATE a SET v = 1', author, message: 'a1' });
    const t1 = (await repo.log({ limit: 1 })).commits[0];
    await repo.commit({ sql: 'UPDATE b SET v = 1', author, message: 'b1' });
    await repo.commit({ sql: 'UPDATE a SET v = 2; UPDATE b SET v = 2', author, message: 'ab2' });
    const t3 = (await repo.log({ limit: 1 })).commits[0];
    // the repository's commit at t1: a1
    expect((await repo.show(`HEAD@{${t1.committedAt}}`)).commit.id).toBe(t1.id);
    expect((await repo.show(`@{${t3.committedAt}}`)).commit.id).toBe(t3.id);
    // a at a1 (v = 1), b at its root (v = 0)
    const at = async (ref: string, table: string) => (await repo.rowsAt({ at: ref, table })).rows.map((r) => r[1]);
    expect(await at(`@{${t1.committedAt}}`, 'a')).toEqual(['1']);
    expect(await at(`@{${t1.committedAt}}`, 'b')).toEqual(['0']);
    const d = await repo.diffMany({ from: `@{${t1.committedAt}}`, to: `@{${t3.committedAt}}` });
    expect(Object.fromEntries(Object.entries(d).map(([k, x]) => [k, x.changes.map((c) => [c.old?.v, c.new?.v])]))).toEqual({ a: [['1', '2']], b: [['0', '2']] });
    await expect(repo.show('HEAD@{2001-01-01}')).rejects.toMatchObject({ code: 'E_UNKNOWN_REF', message: "'HEAD@{2001-01-01}' goes back past the first commit" });
  });
});

/**
 * An untracked table's history (`vsg untrack` keeps it, read by the name the
 * table had): its references by date resolve on its own chain, whose HEAD and
 * branch end at the UNTRACK commit, its root and a commit across tables
 * among them. Named by a commit id of it and no table, a reference counts
 * back from that commit (the tracked tables as they stood then beside it);
 * once the name is tracked again, the name reads the new history and the old
 * one is reached by commit id, dates included.
 */
describe.each(targetNames())('commit references by date on an untracked history, on %s', (name) => {
  let t: Target;
  let repo: Repository;
  /** gone's chain, newest first: the UNTRACK commit, g3, g2 (across gone and kept), g1, the root (across both) */
  let chain: CommitInfo[];
  let later: CommitInfo;

  const idOf = async (ref: string, table?: string) => (await repo.show(ref, table === undefined ? {} : { table })).commit.id;
  const values = async (at: string, table?: string) => (await repo.rowsAt({ at, ...(table === undefined ? {} : { table }) })).rows.map((r) => r[1]);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE gone (id int PRIMARY KEY, v int NOT NULL); CREATE TABLE kept (id int PRIMARY KEY, v int NOT NULL); INSERT INTO gone VALUES (1, 0); INSERT INTO kept VALUES (1, 0)');
    await repo.trackTables(['gone', 'kept'], { author });
    await repo.commit({ sql: 'UPDATE gone SET v = 1', author, message: 'g1' });
    await repo.commit({ sql: 'UPDATE kept SET v = 1', author, message: 'k1' });
    await repo.commit({ sql: 'UPDATE gone SET v = 2; UPDATE kept SET v = 2', author, message: 'g2' });
    await repo.commit({ sql: 'UPDATE gone SET v = 3', author, message: 'g3' });
    await repo.untrack('gone', { author });
    await repo.commit({ sql: 'UPDATE kept SET v = 3', author, message: 'k3' });
    later = (await repo.log({ table: 'kept', limit: 1 })).commits[0];
    chain = (await repo.log({ table: 'gone', limit: 100 })).commits;
  }, 120_000);
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it('resolves main@{date}, HEAD@{date} and @{date} on the history by its name, each commit at its own time and a microsecond before', async () => {
    expect(chain.map((c) => c.message)).toEqual(['untrack gone', 'g3', 'g2', 'g1', 'track gone, kept']);
    expect(chain.map((c) => c.kind)).toEqual(['UNTRACK', 'COMMIT', 'COMMIT', 'COMMIT', 'ROOT']);
    for (const [i, c] of chain.entries()) {
      for (const base of ['main', 'HEAD', '']) expect(await idOf(`${base}@{${c.committedAt}}`, 'gone'), `${base}@{${c.message}}`).toBe(c.id);
      const before = shifted(c.committedAt, -1);
      if (i === chain.length - 1) {
        await expect(idOf(`main@{${before}}`, 'gone')).rejects.toMatchObject({ code: 'E_UNKNOWN_REF', message: `'main@{${before}}' goes back past the first commit` });
      } else {
        expect(await idOf(`main@{${before}}`, 'gone')).toBe(chain[i + 1].id);
      }
    }
    // after the UNTRACK commit (another table's commit since): the history's HEAD, its last commit
    expect(await idOf(`main@{${later.committedAt}}`, 'gone')).toBe(chain[0].id);
    expect(await idOf('@{now}', 'gone')).toBe(chain[0].id);
    expect(await idOf(`@{${chain[2].committedAt}}~1`, 'gone')).toBe(chain[3].id);
    expect(await idOf(`main@{${chain[1].committedAt}}^`, 'gone')).toBe(chain[2].id);
  });

  it('reads the history at a date: export, diff, log and a row\'s log', async () => {
    expect(await values(`main@{${chain[3].committedAt}}`, 'gone')).toEqual(['1']);
    expect(await values(`@{${shifted(chain[2].committedAt, -1)}}`, 'gone')).toEqual(['1']);
    expect(await values(`@{${later.committedAt}}`, 'gone')).toEqual(['3']);
    const d = await repo.diff({ table: 'gone', from: `@{${chain[3].committedAt}}`, to: `main@{${chain[1].committedAt}}` });
    expect(d.changes.map((c) => [c.old?.v, c.new?.v])).toEqual([['1', '3']]);
    expect((await repo.log({ table: 'gone', from: `main@{${chain[2].committedAt}}` })).commits.map((c) => c.id)).toEqual(chain.slice(2).map((c) => c.id));
    const row = await repo.rowLog({ table: 'gone', key: '1', from: `HEAD@{${chain[2].committedAt}}` });
    expect(row.entries.map((e) => e.after?.v)).toEqual(['2', '1', '0']);
  });

  it('by a commit id of the history and no table: counts back its own chain, the commit itself first (~0, ~N, @{date})', async () => {
    // (counted back across tables, g2 is the commit across tables, as the repository's log lists it)
    const g2 = (await repo.log()).commits.find((c) => c.message === 'g2')!.id;
    expect(g2).not.toBe(chain[2].id);
    expect(await idOf(`${chain[1].id}~0`)).toBe(chain[1].id);
    expect(await idOf(`${chain[1].id}~1`)).toBe(g2);
    expect(await idOf(`${chain[0].id}~1`)).toBe(chain[1].id);
    expect(await idOf(`${chain[0].id.slice(0, 12)}@{${chain[1].committedAt}}`)).toBe(chain[1].id);
    expect(await idOf(`${chain[0].id}@{${shifted(chain[1].committedAt, -1)}}`)).toBe(g2);
    expect(await idOf(`${chain[0].id}@{${later.committedAt}}~2`)).toBe(g2);
    expect(await values(`${chain[0].id}@{${chain[1].committedAt}}`, 'gone')).toEqual(['3']);
    // one table is tracked: log names the other history's commits by id too; a commit alone, its
    // ancestors (as with tables tracked); counted back or by date, every table as it stood then
    expect((await repo.log({ from: chain[0].id })).commits.map((c) => c.message)).toEqual(['untrack gone', 'g3', 'g2', 'g1', 'track gone, kept']);
    expect((await repo.log({ from: `${chain[0].id}@{${chain[1].committedAt}}` })).commits.map((c) => c.message)).toEqual(['g3', 'g2', 'k1', 'g1', 'track gone, kept']);
  });

  it('once the name is tracked again, reads the new history by the name and the old one by commit id, dates included', async () => {
    await repo.track('gone', { author });
    const fresh = (await repo.log({ table: 'gone' })).commits;
    expect(fresh.map((c) => c.kind)).toEqual(['ROOT']);
    await expect(idOf(`main@{${later.committedAt}}`, 'gone')).rejects.toMatchObject({ code: 'E_UNKNOWN_REF', message: `'main@{${later.committedAt}}' goes back past the first commit` });
    expect(await idOf('@{now}', 'gone')).toBe(fresh[0].id);
    expect(await idOf(`${chain[0].id}@{${chain[1].committedAt}}`)).toBe(chain[1].id);
    expect(await idOf(`${chain[0].id}~1`)).toBe(chain[1].id);
    expect(await idOf(`${chain[0].id}@{${later.committedAt}}~2`)).toBe((await repo.log()).commits.find((c) => c.message === 'g2')!.id);
    expect(await values(`${chain[0].id}@{${chain[3].committedAt}}`)).toEqual(['1']);
  });
});
