/**
 * Rows staged in the session (pg_temp.vsg_captured) that no commit takes are
 * moved to vsg.pending by a deferred trigger (vsg.flush_captured), armed by a
 * row of pg_temp.vsg_captured_flush. `SET CONSTRAINTS ALL IMMEDIATE` fires
 * that trigger at once, mid-transaction, or as the row is inserted: rows
 * staged after it must still reach vsg.pending (and `status`), and rows the
 * flush moved must not hide those staged later from a commit. Through the
 * library, as an application does it: a session that asks for staging
 * itself, and an application's transaction that goes on after a commit it
 * holds was refused (the commit had asked for its table to be staged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VsgError, type Repository } from '../../src/index.js';
import { stagingRepository } from '../helpers/staging.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';
const ROWS = 1500;

describe.each(targetNames())('a flush fired early loses no staged row on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let itemsId: number;

  const q = (text: string, params?: unknown[]) => repo.db.query<Record<string, string | null>>(text, params);
  /** vsg.pending's rows, by table name. */
  async function pending(): Promise<Record<string, number>> {
    const { rows } = await q(`SELECT t.table_name AS name, count(*)::text AS n FROM vsg.pending p JOIN vsg.tracked t ON t.id = p.table_id GROUP BY 1`);
    return Object.fromEntries(rows.map((r) => [r.name!, Number(r.n)]));
  }
  /** What status says is uncommitted in a table. */
  async function uncommitted(table: string) {
    const st = (await repo.status()).find((s) => s.table === table || s.table === `public.${table}`)!;
    return { inserted: st.inserted, updated: st.updated, deleted: st.deleted };
  }
  /** Each key's change in a commit, for some keys. */
  async function changes(id: string, keys: number[]): Promise<Record<number, [string | null, string | null]>> {
    const { rows } = await q(
      `SELECT (key->>'id') AS id, before->>'v' AS b, after->>'v' AS a FROM vsg.changes
       WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1) AND (key->>'id')::int = ANY ($2)`,
      [id, keys],
    );
    return Object.fromEntries(rows.map((r) => [Number(r.id), [r.b, r.a]]));
  }
  /** The values of some keys of items now. */
  async function values(keys: number[]): Promise<Record<number, string>> {
    const { rows } = await q(`SELECT id::text, v FROM items WHERE id = ANY ($1)`, [keys]);
    return Object.fromEntries(rows.map((r) => [Number(r.id), r.v!]));
  }
  /** Commit whatever is uncommitted, so that each test starts clean. */
  async function settle(): Promise<void> {
    await repo.commit({ author, message: 'settle', tables: ['items', 'other'] }).catch(() => undefined);
    expect((await repo.status()).every((s) => s.clean)).toBe(true);
    expect(await pending()).toEqual({});
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    ({ repo, itemsId } = await stagingRepository(t, ROWS, author));
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('moves the rows a session staged with its constraints immediate', async () => {
    await repo.sql(`BEGIN; SELECT set_config('vsg.stage', ',${itemsId},', true); SET CONSTRAINTS ALL IMMEDIATE;
                    UPDATE items SET v = v || 'i'; COMMIT`);
    expect(await uncommitted('items')).toEqual({ inserted: 0, updated: ROWS, deleted: 0 });
    expect(await pending()).toEqual({ items: ROWS });
    // with no flush to wait for, the statement went to vsg.pending, a number a row
    expect(Number((await q(`SELECT count(DISTINCT seq) AS n FROM vsg.pending`)).rows[0].n)).toBe(ROWS);
    await settle();
  });

  it('moves the rows a session staged after a flush fired mid-transaction, each once, in order', async () => {
    const was = await values([1, 2, 1001]);
    await repo.sql(`BEGIN; SELECT set_config('vsg.stage', ',${itemsId},', true);
                    UPDATE items SET v = v || 'a' WHERE id <= 1000;
                    SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;
                    UPDATE items SET v = v || 'b'; UPDATE items SET v = v || 'c' WHERE id = 1; COMMIT`);
    expect(await uncommitted('items')).toEqual({ inserted: 0, updated: ROWS, deleted: 0 });
    expect(await pending()).toEqual({ items: 1000 + ROWS + 1 });
    const made = await repo.commit({ table: 'items', author });
    expect(await changes(made.commit.id, [1, 2, 1001])).toEqual({
      1: [was[1], `${was[1]}abc`],
      2: [was[2], `${was[2]}ab`],
      1001: [was[1001], `${was[1001]}b`],
    });
    expect((await repo.verify()).ok).toBe(true);
    await settle();
  });

  it('moves the rows an application stages after a commit it holds was refused, its constraints immediate', async () => {
    const made = await repo.commit({ table: 'items', author, sql: `UPDATE items SET v = v || 'p' WHERE id = 1` });
    const stale = made.commit.parents[0];
    await repo.sql(`UPDATE items SET v = v || 'q' WHERE id = 1`);
    await repo.commit({ table: 'items', author });
    await repo.transaction(async (r, tx) => {
      const refused = await r.commit({ table: 'items', author, parent: stale }, async (w) => {
        await w.query(`UPDATE items SET v = v || 'never'`);
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(VsgError);
      expect(refused).toMatchObject({ code: 'E_STALE_PARENT' });
      // the application goes on in its transaction
      await tx.query('SET CONSTRAINTS ALL IMMEDIATE');
      await tx.query(`UPDATE items SET v = v || 'r'`);
      await tx.query(`UPDATE other SET w = w || 'r'`);
    });
    expect(Number((await q(`SELECT count(*) AS n FROM items WHERE v LIKE '%r'`)).rows[0].n)).toBe(ROWS);
    expect(await uncommitted('items')).toEqual({ inserted: 0, updated: ROWS, deleted: 0 });
    expect(await uncommitted('other')).toEqual({ inserted: 0, updated: ROWS, deleted: 0 });
    expect(await pending()).toEqual({ items: ROWS, other: ROWS });
    await settle();
  });

  it("takes every row of a commit's work around an early flush: none hidden by the flush's mark, none left behind", async () => {
    const was = await values([1, 500, 1200]);
    const made = await repo.commit({ tables: ['items', 'other'], author }, async (w) => {
      await w.query(`UPDATE items SET v = v || 'a'`);
      await w.query('SET CONSTRAINTS ALL IMMEDIATE');
      await w.query(`UPDATE other SET w = w || 'b'`);
      await w.query(`UPDATE items SET v = v || 'b' WHERE id <= 1000`);
      await w.query('SET CONSTRAINTS ALL DEFERRED');
      await w.query(`UPDATE items SET v = v || 'c' WHERE id > 300`);
      await w.query(`UPDATE other SET w = w || 'c' WHERE id <= 1200`);
    });
    expect(made.parts?.map((p) => [p.table, p.commit.updated])).toEqual([['items', ROWS], ['other', ROWS]]);
    const now = await values([1, 500, 1200]);
    expect(await changes(made.parts![0].commit.id, [1, 500, 1200])).toEqual({
      1: [was[1], `${was[1]}ab`],
      500: [was[500], `${was[500]}abc`],
      1200: [was[1200], `${was[1200]}ac`],
    });
    expect(now).toEqual({ 1: `${was[1]}ab`, 500: `${was[500]}abc`, 1200: `${was[1200]}ac` });
    expect((await repo.status()).every((s) => s.clean)).toBe(true);
    expect(await pending()).toEqual({});
    expect((await repo.verify()).ok).toBe(true);
  });

  it('keeps savepoints: a flush or a staging undone with its savepoint is undone, and the rest is moved', async () => {
    await repo.sql(`BEGIN; SELECT set_config('vsg.stage', ',${itemsId},', true);
                    UPDATE items SET v = v || 'a' WHERE id <= 1000;
                    SAVEPOINT s; SET CONSTRAINTS ALL IMMEDIATE; UPDATE items SET v = v || 'x'; ROLLBACK TO SAVEPOINT s;
                    SAVEPOINT u; UPDATE items SET v = v || 'y' WHERE id > 100; ROLLBACK TO SAVEPOINT u;
                    UPDATE items SET v = v || 'b' WHERE id > 400; COMMIT`);
    expect(Number((await q(`SELECT count(*) AS n FROM items WHERE v LIKE '%x' OR v LIKE '%y'`)).rows[0].n)).toBe(0);
    expect(await pending()).toEqual({ items: 1000 + 1100 });
    expect(await uncommitted('items')).toEqual({ inserted: 0, updated: ROWS, deleted: 0 });
    await settle();
    // a flush armed in a savepoint rolled back after an early one goes with it; the next statement arms another
    await repo.sql(`BEGIN; SELECT set_config('vsg.stage', ',${itemsId},', true);
                    UPDATE items SET v = v || 'a' WHERE id <= 1000; SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;
                    SAVEPOINT s; UPDATE items SET v = v || 'x'; ROLLBACK TO SAVEPOINT s;
                    UPDATE items SET v = v || 'b' WHERE id > 400; COMMIT`);
    expect(Number((await q(`SELECT count(*) AS n FROM items WHERE v LIKE '%x'`)).rows[0].n)).toBe(0);
    expect(await pending()).toEqual({ items: 1000 + 1100 });
    await settle();
  });
});
