/**
 * Writing several tables back in one transaction, in foreign-key order
 * (src/core/write-back-many.ts, src/core/fk-graph.ts), through the library:
 * related tables after an application's deletes, inserts, cascades and key
 * changes; a child that moved to a new parent; self-references; deferrable
 * and non-deferrable cycles; restores of some tables only that would break a
 * key to a table left alone; and a reload of a table nothing references
 * beside its referenced parent on the row path. Each table is compared with
 * a snapshot by EXCEPT ALL both ways. The CLI side is test/e2e/restore-tables.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; data?: any; message?: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; data?: unknown };
  }
  throw new Error('expected an error');
}

describe.each(targetNames())('write-back in foreign-key order (library) on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'tester';
  /** Rows of `a` not in `b` plus rows of `b` not in `a` (0: equal as multisets). */
  const differs = async (a: string, b: string) =>
    Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ((TABLE ${a} EXCEPT ALL TABLE ${b}) UNION ALL (TABLE ${b} EXCEPT ALL TABLE ${a})) x`)).rows[0].n);
  const snapshot = async (...tables: string[]) => {
    for (const x of tables) await repo.sql(`DROP TABLE IF EXISTS snap_${x}; CREATE TABLE snap_${x} AS TABLE ${x}`);
  };
  const sameAsSnapshot = async (...tables: string[]) => {
    for (const x of tables) expect(await differs(x, `snap_${x}`), x).toBe(0);
  };
  /** An application's writes: plain SQL on the database, outside vsg (its changes are uncommitted). */
  const app = async (text: string) => {
    await repo.db.query(text);
  };
  const clean = async (...tables: string[]) => {
    const st = await repo.status();
    for (const x of tables) expect(st.find((s) => s.table === x)?.clean, x).toBe(true);
  };

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('restores three related tables after deletes, cascades, inserts and key changes', async () => {
    await repo.sql(`CREATE TABLE clients (id int PRIMARY KEY, name text UNIQUE);
      CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(10,2));
      CREATE TABLE order_items (order_id int REFERENCES orders ON DELETE CASCADE ON UPDATE CASCADE, line int, sku text, PRIMARY KEY (order_id, line));
      INSERT INTO clients VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
      INSERT INTO orders VALUES (10, 1, 5), (11, 1, 6), (20, 2, 7), (30, 3, 8);
      INSERT INTO order_items VALUES (10, 1, 'x'), (10, 2, 'y'), (11, 1, 'z'), (20, 1, 'w'), (30, 1, 'v')`);
    for (const x of ['clients', 'orders', 'order_items']) await repo.track(x, { author });
    await snapshot('clients', 'orders', 'order_items');
    // the application: a delete that cascades through both children, a key
    // change that cascades, a client re-keyed (its orders moved to the new
    // key first), a new name that reuses a deleted client's, inserts
    await app(`DELETE FROM clients WHERE id = 1;
      UPDATE orders SET id = 21 WHERE id = 20;
      INSERT INTO clients VALUES (300, 'cy2'); UPDATE orders SET client_id = 300 WHERE client_id = 3; DELETE FROM clients WHERE id = 3;
      INSERT INTO clients VALUES (4, 'ann'); INSERT INTO orders VALUES (40, 4, 1); INSERT INTO order_items VALUES (40, 1, 'q'), (21, 2, 'u');
      UPDATE order_items SET sku = 'W' WHERE order_id = 21 AND line = 1`);
    expect(await differs('orders', 'snap_orders')).toBeGreaterThan(0);

    const r = await repo.restoreMany({ tables: ['order_items', 'clients', 'orders'] });
    expect(Object.keys(r)).toEqual(['order_items', 'clients', 'orders']);
    await sameAsSnapshot('clients', 'orders', 'order_items');
    await clean('clients', 'orders', 'order_items');
    for (const x of Object.values(r)) expect(x.status.clean).toBe(true);
  });

  it('puts a child back on its old parent before that parent goes, with no cascade to lean on', async () => {
    await repo.sql(`CREATE TABLE teams (id int PRIMARY KEY, name text);
      CREATE TABLE players (id int PRIMARY KEY, team_id int NOT NULL REFERENCES teams, name text);
      INSERT INTO teams VALUES (1, 'red'); INSERT INTO players VALUES (1, 1, 'p1'), (2, 1, 'p2')`);
    await repo.track('teams', { author });
    await repo.track('players', { author });
    await snapshot('teams', 'players');
    // the team re-keyed: new team, players moved, old team deleted
    await app(`INSERT INTO teams VALUES (100, 'red'); UPDATE players SET team_id = 100; DELETE FROM teams WHERE id = 1`);
    // alone, teams cannot go back: its new row is still referenced by players, which stays as it is
    const alone = await errorOf(repo.restore({ table: 'teams' }));
    expect(alone.code).toBe('E_FK_VIOLATION');
    expect(alone.data.constraint).toBe('players_team_id_fkey');
    expect(alone.data.referencing).toBe('players');
    const r = await repo.restoreMany({ tables: ['teams', 'players'] });
    expect(r.teams.applied).toEqual({ inserted: 1, updated: 0, deleted: 1 });
    expect(r.players.applied).toEqual({ inserted: 0, updated: 2, deleted: 0 });
    await sameAsSnapshot('teams', 'players');
    await clean('teams', 'players');
  });

  it('needs no order within a self-referencing table: a manager and a report deleted and re-inserted, a report moved back', async () => {
    await repo.sql(`CREATE TABLE staff (id int PRIMARY KEY, boss int REFERENCES staff, name text);
      INSERT INTO staff VALUES (1, NULL, 'ceo'), (2, 1, 'manager'), (3, 2, 'report'), (6, 2, 'report2')`);
    await repo.track('staff', { author });
    await snapshot('staff');
    // manager 2 and report 3 gone; 6 moved to the ceo; a new manager 4 and report 5
    await app(`UPDATE staff SET boss = 1 WHERE id = 6; DELETE FROM staff WHERE id = 3; DELETE FROM staff WHERE id = 2;
      INSERT INTO staff VALUES (4, 1, 'new manager'), (5, 4, 'new report')`);
    // deleting 4 and 5, inserting 2 and 3, each in one statement, with the keys checked at its end
    const one = await repo.restore({ table: 'staff' });
    expect(one.applied).toEqual({ inserted: 2, updated: 1, deleted: 2 });
    await sameAsSnapshot('staff');
    await clean('staff');
    // the same through the write-back across tables
    await app(`DELETE FROM staff WHERE id IN (3, 6); DELETE FROM staff WHERE id = 2; INSERT INTO staff VALUES (4, 1, 'new manager'), (5, 4, 'new report')`);
    await repo.restoreMany({ tables: ['staff', 'teams'] });
    await sameAsSnapshot('staff');
    await clean('staff');
  });

  it('restores a cycle of deferrable keys with them deferred; refuses one that is not deferrable, naming tables and keys, nothing changed', async () => {
    await repo.sql(`CREATE TABLE husband (id int PRIMARY KEY, wife int);
      CREATE TABLE wife (id int PRIMARY KEY, husband int REFERENCES husband DEFERRABLE);
      ALTER TABLE husband ADD CONSTRAINT husband_wife_fkey FOREIGN KEY (wife) REFERENCES wife DEFERRABLE INITIALLY DEFERRED;
      BEGIN; INSERT INTO husband VALUES (1, 1), (2, 2); INSERT INTO wife VALUES (1, 1), (2, 2); COMMIT`);
    await repo.track('husband', { author });
    await repo.track('wife', { author });
    await snapshot('husband', 'wife');
    await app(`BEGIN; SET CONSTRAINTS ALL DEFERRED; DELETE FROM husband WHERE id = 1; DELETE FROM wife WHERE id = 1; UPDATE wife SET husband = 2 WHERE id = 2; COMMIT`);
    await repo.restoreMany({ tables: ['wife', 'husband'] });
    await sameAsSnapshot('husband', 'wife');
    await clean('husband', 'wife');

    await repo.sql(`CREATE TABLE hen (id int PRIMARY KEY, egg int);
      CREATE TABLE egg (id int PRIMARY KEY, hen int REFERENCES hen);
      INSERT INTO hen VALUES (1, NULL); INSERT INTO egg VALUES (1, 1); UPDATE hen SET egg = 1;
      ALTER TABLE hen ADD CONSTRAINT hen_egg_fkey FOREIGN KEY (egg) REFERENCES egg`);
    await repo.track('hen', { author });
    await repo.track('egg', { author });
    await app(`UPDATE hen SET egg = NULL; DELETE FROM egg; INSERT INTO egg VALUES (2, 1)`);
    await snapshot('hen', 'egg');
    // every uncommitted change row, as the capture recorded it: a refused write-back adds none
    const pending = async () => (await repo.db.query<{ p: string }>(`SELECT string_agg(table_id || ':' || key::text, ',' ORDER BY seq) AS p FROM vsg.pending`)).rows[0].p;
    const before = await pending();
    expect(before).not.toBeNull();
    const err = await errorOf(repo.restoreMany({ tables: ['hen', 'egg', 'clients'] }));
    expect(err.code).toBe('E_FK_CYCLE');
    expect([...err.data.tables].sort()).toEqual(['egg', 'hen']);
    expect(err.data.constraints.map((c: { name: string }) => c.name).sort()).toEqual(['egg_hen_fkey', 'hen_egg_fkey']);
    await sameAsSnapshot('hen', 'egg');
    expect(await pending()).toEqual(before);
  });

  it('refuses a restore of some tables that would take the row a table left alone references, nothing changed', async () => {
    await repo.sql(`INSERT INTO clients VALUES (9, 'nine'); INSERT INTO orders VALUES (90, 9, 1); INSERT INTO order_items VALUES (90, 1, 'n')`);
    await snapshot('clients', 'orders', 'order_items');
    // HEAD of clients lacks client 9; orders (left alone) references it
    const alone = await errorOf(repo.restoreMany({ tables: ['clients', 'order_items'] }));
    expect(alone.code).toBe('E_FK_VIOLATION');
    expect(alone.data).toMatchObject({ table: 'clients', constraint: 'orders_client_id_fkey', referencing: 'orders' });
    expect(alone.message).toContain('(id)=(9)');
    await sameAsSnapshot('clients', 'orders', 'order_items');
    // a written table referencing a row the table left alone lacks: the server's refusal, reported the same way
    await repo.sql(`DELETE FROM order_items WHERE order_id = 90; DELETE FROM orders WHERE id = 90; DELETE FROM clients WHERE id = 9;
      DELETE FROM order_items WHERE order_id = 11`);
    await repo.sql(`DELETE FROM orders WHERE id = 11`);
    await snapshot('clients', 'orders', 'order_items');
    const missing = await errorOf(repo.restoreMany({ tables: ['order_items', 'clients'] }));
    expect(missing.code).toBe('E_FK_VIOLATION');
    expect(missing.data.constraint).toBe('order_items_order_id_fkey');
    await sameAsSnapshot('clients', 'orders', 'order_items');
    await repo.restoreMany({ tables: ['order_items', 'orders', 'clients'] });
    await clean('clients', 'orders', 'order_items');
  });

  it('reloads a table nothing references from its checkpoint, its referenced parent row by row, in one transaction', async () => {
    await repo.sql(`CREATE TABLE regions (id int PRIMARY KEY, name text);
      CREATE TABLE shops (id int PRIMARY KEY, region_id int NOT NULL REFERENCES regions ON DELETE CASCADE, name text);
      INSERT INTO regions SELECT i, 'r' || i FROM generate_series(1, 50) i;
      INSERT INTO shops SELECT i, 1 + i % 50, 's' || i FROM generate_series(1, 1200) i`);
    await repo.track('regions', { author });
    await repo.track('shops', { author }); // 1,200 rows: tracking takes a checkpoint (src/core/checkpoint.ts)
    await snapshot('regions', 'shops');
    // most rows of both changed; region 7 deleted, taking its shops with it
    await app(`UPDATE regions SET name = upper(name); UPDATE shops SET name = upper(name); DELETE FROM regions WHERE id = 7`);
    const r = await repo.restoreMany({ tables: ['shops', 'regions'], reload: 'always' });
    expect(r.shops.reload).not.toBeNull();
    expect(r.shops.applied).toBeNull();
    // referenced by shops: TRUNCATE would refuse, so its rows go back one by one
    expect(r.regions.reload).toBeNull();
    expect(r.regions.applied).toEqual({ inserted: 1, updated: 49, deleted: 0 });
    await sameAsSnapshot('regions', 'shops');
    await clean('regions', 'shops');
  });

  it('restores every tracked table to its own tag of one name; refuses a name a table lacks', async () => {
    const tables = (await repo.tables()).map((x) => x.display);
    for (const x of ['teams', 'players']) await repo.createTag({ table: x, name: 'fixture' });
    await snapshot('teams', 'players');
    await repo.commit({ table: 'teams', author, message: 'blue', sql: `INSERT INTO teams VALUES (2, 'blue')` });
    await repo.commit({ table: 'players', author, message: 'p3', sql: `INSERT INTO players VALUES (3, 2, 'p3'); UPDATE players SET name = 'P1' WHERE id = 1` });
    const r = await repo.restoreMany({ tables: ['players', 'teams'], ref: 'fixture' });
    expect(r.teams.applied).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    await sameAsSnapshot('teams', 'players');
    expect(r.players.status).toMatchObject({ clean: false, deleted: 1, updated: 1 });
    const lacking = await errorOf(repo.restoreMany({ ref: 'fixture' }));
    expect(lacking.code).toBe('E_UNKNOWN_REF');
    expect(tables).toContain(lacking.data.table);
    expect(['teams', 'players']).not.toContain(lacking.data.table);
    await sameAsSnapshot('teams', 'players');
  });
});
