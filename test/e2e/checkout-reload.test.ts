/**
 * Checkout by reload (src/core/reload.ts): a checkout across most of the
 * table reloads it from a checkpoint and records a state commit, whose change
 * set is computed when read. The same history is built twice on each
 * database, once with reloads forced (VSG_CHECKOUT_RELOAD=always) and once
 * with them off (never: one change row per differing row, as before). Every
 * reader must then say the same of both: the rows after each step, each
 * commit's change set, diffs between commits, blame, row history, merge,
 * rollback and verify. Commit ids differ (times differ), so commits are
 * compared by their position in the log.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/api/repository.js';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

type Mode = 'always' | 'never';

/** What each reader said of one history, with commit ids replaced by their log position. */
interface Seen {
  reloaded: boolean[];
  tables: string[][];
  shows: unknown[];
  diffs: unknown[];
  blame: unknown;
  blameOne: unknown;
  rowLogs: unknown[];
  merge: unknown;
  rollback: unknown;
  cliCheckout: string;
  log: string;
}

const rowsOf = async (repo: Repository) => (await repo.db.query<{ r: string }>('SELECT (i.*)::text AS r FROM items i ORDER BY id')).rows.map((r) => r.r);

async function build(t: Target, mode: Mode): Promise<Seen> {
  let repo: Repository = await t.open({ init: true });
  const seen: Seen = { reloaded: [], tables: [], shows: [], diffs: [], blame: null, blameOne: null, rowLogs: [], merge: null, rollback: null, cliCheckout: '', log: '' };
  try {
    await repo.sql(`CREATE TABLE items (id serial PRIMARY KEY, n numeric(12,2), t text, j jsonb, at timestamptz,
                      g int GENERATED ALWAYS AS (id * 2) STORED);
      INSERT INTO items (n, t, j, at) SELECT i / 4.0, md5(i::text), jsonb_build_object('i', i), '2026-01-01 00:00:00+00'::timestamptz + i * interval '1 minute'
      FROM generate_series(1, 1200) i`);
    await repo.track('items', { author: 'alice' });
    const commit = (sql: string, message: string) => repo.commit({ table: 'items', author: 'alice', message, sql });
    const checkout = async (ref: string) => {
      const r = await repo.checkout({ table: 'items', ref, author: 'bob', reload: mode });
      seen.reloaded.push(r.reload !== null);
      seen.tables.push(await rowsOf(repo));
    };
    await commit('UPDATE items SET n = n + 1 WHERE id <= 10', 'c1');
    // most rows: a checkpoint of its own
    await commit(
      `UPDATE items SET t = upper(t), j = j || '{"k": 1}' WHERE id % 7 <> 0; DELETE FROM items WHERE id % 25 = 0;
       INSERT INTO items (n, t) SELECT 0, 'new' || i FROM generate_series(1, 30) i`,
      'c2',
    );
    await commit(`UPDATE items SET n = -n WHERE id BETWEEN 100 AND 104; INSERT INTO items (n, t) VALUES (1, 'x'), (2, 'y')`, 'c3');
    await checkout('HEAD~2'); // c1, from the root's checkpoint and c1's 10 rows
    await commit(`UPDATE items SET t = 'four' WHERE id IN (1, 7, 50)`, 'c4');
    await checkout('HEAD~2'); // c3, from c2's checkpoint and c3's 7 rows
    seen.rollback = await repo.rollback({ table: 'items', author: 'bob' }).then((r) => r.applied); // undo that checkout
    seen.tables.push(await rowsOf(repo));
    // a branch that adds a row, merged after main went back to the root
    await repo.switch({ table: 'items', branch: 'side', create: true });
    await commit(`INSERT INTO items (id, n, t) VALUES (5000, 5, 'side')`, 'side row');
    await repo.switch({ table: 'items', branch: 'main' });
    await checkout(await rootId(repo));
    const m = await repo.merge({ table: 'items', ref: 'side', author: 'bob' });
    seen.merge = { status: m.status, conflicts: m.conflicts };
    seen.tables.push(await rowsOf(repo));
    // the CLI, as a user runs it: back to c2
    const c2 = await idOf(repo, 'c2');
    await repo.close();
    seen.cliCheckout = await vsgOk(t, ['checkout', c2, '-t', 'items'], { env: { VSG_CHECKOUT_RELOAD: mode } });
    seen.log = await vsgOk(t, ['log', '-t', 'items', '-n', '1']);
    repo = await t.open();
    seen.tables.push(await rowsOf(repo));

    // Every reader, on every commit of main's log.
    const ids = (await repo.log({ table: 'items' })).commits.map((c) => c.id);
    const pos = (id: unknown) => (typeof id === 'string' && ids.includes(id) ? `#${ids.indexOf(id)}` : id);
    for (const id of ids) {
      const s = await repo.show(id, { table: 'items' });
      seen.shows.push({ kind: s.commit.kind, counts: [s.commit.inserted, s.commit.updated, s.commit.deleted], changes: s.changes });
    }
    for (const [a, b] of [[6, 0], [3, 1], [9, 4], [ids.length - 1, 0], [2, 5]]) {
      const d = await repo.diff({ table: 'items', from: ids[a], to: ids[b] });
      seen.diffs.push(d.changes);
    }
    const b = await repo.blame({ table: 'items' });
    seen.blame = b.rows.map((r) => ({ key: r.key, cells: r.cells.map((c) => [c.column, c.value, pos(c.commit)]) }));
    seen.blameOne = (await repo.blame({ table: 'items', key: '7' })).rows.map((r) => r.cells.map((c) => [c.column, pos(c.commit)]));
    for (const key of ['7', '100', '25', '5000', '1201']) {
      const l = await repo.rowLog({ table: 'items', key });
      seen.rowLogs.push(l.entries.map((e) => [pos(e.commit.id), e.commit.kind, e.before, e.after]));
    }
    return seen;
  } finally {
    await repo.close();
  }
}

async function rootId(repo: Repository): Promise<string> {
  const commits = (await repo.log({ table: 'items' })).commits;
  return commits[commits.length - 1].id;
}

async function idOf(repo: Repository, message: string): Promise<string> {
  const c = (await repo.log({ table: 'items' })).commits.find((x) => x.message === message);
  if (!c) throw new Error(`no commit '${message}'`);
  return c.id;
}

describe.each(targetNames())('checkout by reload on %s', (name) => {
  const t = {} as Record<Mode, Target>;
  const seen = {} as Record<Mode, Seen>;
  beforeAll(async () => {
    for (const mode of ['never', 'always'] as const) {
      t[mode] = await makeTarget(name);
      seen[mode] = await build(t[mode], mode);
    }
  }, 600_000);
  afterAll(async () => {
    for (const x of Object.values(t)) await x.cleanup();
  });

  it('reloads where forced, and writes rows where not', () => {
    expect(seen.always.reloaded).toEqual([true, true, true]);
    expect(seen.never.reloaded).toEqual([false, false, false]);
    expect(seen.always.cliCheckout).toMatch(/checked out \w{7} into items: reloaded 1\d{3} rows from the checkpoint at \w{7}/);
    expect(seen.never.cliCheckout).toMatch(/checked out \w{7} into items: \d+ inserted, \d+ updated, \d+ deleted/);
    expect(seen.always.log).toMatch(/CHECKOUT STATE: the rows of \w{7}/);
  });

  it('leaves the same rows after every checkout, rollback and merge', () => {
    expect(seen.always.tables.length).toBe(6);
    expect(seen.always.tables).toEqual(seen.never.tables);
    // and the checkouts did go somewhere: c1's rows differ from c3's
    expect(seen.always.tables[0]).not.toEqual(seen.always.tables[1]);
  });

  it("computes a state commit's change set, diffs through it, blame and row history as if it held its rows", () => {
    expect(seen.always.shows).toEqual(seen.never.shows);
    expect(seen.always.diffs).toEqual(seen.never.diffs);
    expect((seen.always.diffs as unknown[][]).some((d) => d.length > 1000)).toBe(true);
    expect(seen.always.blame).toEqual(seen.never.blame);
    expect(seen.always.blameOne).toEqual(seen.never.blameOne);
    expect(seen.always.rowLogs).toEqual(seen.never.rowLogs);
    expect(seen.always.rollback).toEqual(seen.never.rollback);
    expect(seen.always.merge).toEqual({ status: 'merged', conflicts: [] });
    expect(seen.never.merge).toEqual(seen.always.merge);
  });

  it('restore discards uncommitted changes to most rows by reloading, and nothing is left uncommitted', async () => {
    for (const mode of ['always', 'never'] as const) {
      const repo = await t[mode].open();
      try {
        const before = await rowsOf(repo);
        await repo.sql('UPDATE items SET n = n + 1000');
        const r = await repo.restore({ table: 'items', reload: mode });
        expect(r.reload !== null).toBe(mode === 'always');
        expect(r.status.clean).toBe(true);
        expect(await rowsOf(repo)).toEqual(before);
      } finally {
        await repo.close();
      }
    }
    await t.always.sql('DELETE FROM items WHERE id % 2 = 0');
    const out = await vsgOk(t.always, ['restore', '-t', 'items'], { env: { VSG_CHECKOUT_RELOAD: 'always' } });
    expect(out).toMatch(/restored items to HEAD \(\w{7}\): reloaded 1\d{3} rows from the checkpoint at \w{7}\nnothing to commit, working table clean/);
  });

  it('verifies, and a state commit pointed elsewhere is caught', async () => {
    expect(await vsgOk(t.always, ['verify'])).toMatch(/^ok 1 table: /);
    expect(await vsgOk(t.always, ['status', '-t', 'items'])).toMatch(/nothing to commit, working table clean/);
    await t.always.sql('UPDATE vsg.commits SET source = parent WHERE id = (SELECT id FROM vsg.commits WHERE source IS NOT NULL ORDER BY seq DESC LIMIT 1)');
    const r = await vsg(t.always, ['verify']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/change_hash/);
  });

  it('falls back to writing rows where a reload would skip what the table watches', async () => {
    const repo = await t.never.open();
    try {
      // a trigger of the user's: TRUNCATE and INSERT would not fire its UPDATE/DELETE path
      await repo.sql(`CREATE TABLE audit (n int); CREATE FUNCTION count_it() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES (1); RETURN NULL; END $$;
        CREATE TRIGGER watch AFTER UPDATE OR DELETE ON items FOR EACH STATEMENT EXECUTE FUNCTION count_it()`);
      const r = await repo.checkout({ table: 'items', ref: await idOf(repo, 'c1'), author: 'bob', reload: 'always' });
      expect(r.reload).toBeNull();
      expect(r.applied?.updated).toBeGreaterThan(900);
      expect(Number((await repo.db.query<{ n: string }>('SELECT count(*) AS n FROM audit')).rows[0].n)).toBeGreaterThan(0);
      await repo.sql('DROP TRIGGER watch ON items');
      // a foreign key referencing it: TRUNCATE would refuse
      await repo.sql('CREATE TABLE refs (item int REFERENCES items(id))');
      const f = await repo.checkout({ table: 'items', ref: await idOf(repo, 'c3'), author: 'bob', reload: 'always' });
      expect(f.reload).toBeNull();
      expect(f.applied?.updated).toBeGreaterThan(900);
    } finally {
      await repo.close();
    }
  });

  it('reloads a table with a composite key, correcting the checkpoint from history', async () => {
    const repo = await t.always.open();
    try {
      await repo.sql(`CREATE TABLE pairs (region text, n int, v numeric, PRIMARY KEY (region, n));
        INSERT INTO pairs SELECT 'r' || (i % 7), i, i / 3.0 FROM generate_series(1, 1400) i`);
      await repo.track('pairs', { author: 'alice' });
      const c = (sql: string) => repo.commit({ table: 'pairs', author: 'alice', sql });
      await c(`UPDATE pairs SET v = -v WHERE n <= 20; DELETE FROM pairs WHERE n BETWEEN 21 AND 25; INSERT INTO pairs VALUES ('new', 1, 1)`);
      await repo.sql('CREATE TABLE pairs_c1 AS TABLE pairs');
      await c(`UPDATE pairs SET v = v + 1`);
      const r = await repo.checkout({ table: 'pairs', ref: 'HEAD~1', author: 'bob', reload: 'always' });
      // from the root's checkpoint, with the 26 rows c1 changed taken from history
      expect(r.reload).toMatchObject({ rows: 1396, corrected: 26 });
      const diff = await repo.db.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM ((TABLE pairs EXCEPT ALL TABLE pairs_c1) UNION ALL (TABLE pairs_c1 EXCEPT ALL TABLE pairs)) d',
      );
      expect(diff.rows[0].n).toBe('0');
    } finally {
      await repo.close();
    }
  });

  it("passes over a checkpoint that gained or lost a row behind vsg's back for an older one: the table holds the commit's rows", async () => {
    const repo = await t.always.open();
    try {
      // pairs (the test before): the root, c1, c2 (every row: its own checkpoint), and HEAD a state commit of c1's rows
      const cp = (
        await repo.db.query<{ relname: string; commit_id: string; rows: string }>(
          `SELECT k.relname, k.commit_id, k.rows::text FROM vsg.checkpoints k JOIN vsg.tracked tr ON tr.id = k.table_id
           JOIN vsg.commits c ON c.id = k.commit_id WHERE tr.table_name = 'pairs' AND k.root IS NOT TRUE ORDER BY c.seq DESC LIMIT 1`,
        )
      ).rows[0];
      expect(cp.rows).toBe('1396');
      const c1 = (await repo.status({ table: 'pairs' }))[0].head!;
      const rel = `vsg.${cp.relname}`;
      const c2Rows = `(SELECT region, n, v + 1 AS v FROM pairs_c1)`;
      const differing = async () =>
        (await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ((TABLE pairs EXCEPT ALL ${c2Rows}) UNION ALL (${c2Rows} EXCEPT ALL TABLE pairs)) d`)).rows[0].n;
      const toC2 = async () => (await repo.checkout({ table: 'pairs', ref: cp.commit_id, author: 'bob', reload: 'always' })).reload;
      const back = () => repo.checkout({ table: 'pairs', ref: c1, author: 'bob', reload: 'always' });
      // intact: read as it is
      expect((await toC2())?.checkpoint).toBe(cp.commit_id);
      expect(await differing()).toBe('0');
      await back();
      // a row added to it: the root's is read instead, corrected from history
      await repo.sql(`INSERT INTO ${rel} VALUES ('zz', -1, 0)`);
      const gained = await toC2();
      expect(gained?.checkpoint).not.toBe(cp.commit_id);
      expect(gained?.corrected).toBeGreaterThan(1000);
      expect(await differing()).toBe('0');
      await back();
      // a row of it deleted (and the added one): the same
      await repo.sql(`DELETE FROM ${rel} WHERE region = 'zz' OR n = 700`);
      const lost = await toC2();
      expect(lost?.checkpoint).not.toBe(cp.commit_id);
      expect(await differing()).toBe('0');
      expect(Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM pairs WHERE n = 700`)).rows[0].n)).toBe(1);
      await back();
      await repo.sql(`INSERT INTO ${rel} SELECT region, n, v + 1 FROM pairs_c1 WHERE n = 700`);
      expect((await toC2())?.checkpoint).toBe(cp.commit_id);
      expect(await differing()).toBe('0');
    } finally {
      await repo.close();
    }
  });

  it('untrack drops the checkpoints', async () => {
    const of = async (table: string) =>
      (await t.always.sql('SELECT k.relname FROM vsg.checkpoints k JOIN vsg.tracked t ON t.id = k.table_id WHERE t.table_name = $1', [table])).rows.map(
        (r: { relname: string }) => r.relname,
      );
    const before = await of('items');
    const others = await of('pairs');
    expect(before.length).toBeGreaterThan(0);
    await vsgOk(t.always, ['untrack', 'items', '--force']);
    const left = await t.always.sql(`SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'vsg'::regnamespace AND c.relname = ANY($1::text[])`, [before]);
    expect(left.rows).toEqual([]);
    // another table's are kept
    expect(others.length).toBeGreaterThan(0);
    expect(await of('pairs')).toEqual(others);
  });
});
