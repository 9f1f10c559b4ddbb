/**
 * Checkout by reload across tables that foreign keys link (src/core/reload.ts,
 * write-back-many.ts): clients ← orders ← items, ON DELETE CASCADE. PostgreSQL
 * empties a referenced table only together with the tables that reference it,
 * so a checkout of the whole repository reloads them together, in one TRUNCATE;
 * a table that a table not reloaded references is written row by row instead.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/api/repository.js';
import { makeTarget, targetNames, vsgOk, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

const N = 1200;
const TABLES = ['clients', 'orders', 'items'] as const;

/** Every row of the three tables, as text, in key order. */
async function rowsOf(repo: Repository): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) out[t] = (await repo.db.query<{ r: string }>(`SELECT (x.*)::text AS r FROM ${t} x ORDER BY id`)).rows.map((r) => r.r);
  return out;
}

/** Rows whose referenced row is missing, across both keys (0 when the keys hold). */
async function orphans(repo: Repository): Promise<number> {
  const { rows } = await repo.db.query<{ n: string }>(`SELECT
    (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = o.client_id)) +
    (SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id)) AS n`);
  return Number(rows[0].n);
}

describe.each(targetNames())('checkout by reload across foreign keys on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let fixture: Record<string, string[]>;
  let changed: Record<string, string[]>;
  let changedId: string;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE clients (id int PRIMARY KEY, name text NOT NULL);
      CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(12,2));
      CREATE TABLE items (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders ON DELETE CASCADE, qty int);
      INSERT INTO clients SELECT i, 'c' || i FROM generate_series(1, ${N}) i;
      INSERT INTO orders SELECT i, (i % ${N}) + 1, i / 4.0 FROM generate_series(1, ${N}) i;
      INSERT INTO items SELECT i, (i * 7 % ${N}) + 1, i FROM generate_series(1, ${N}) i`);
    await repo.trackTables([...TABLES], { author: 'alice' });
    await repo.createTags({ name: 'fixture' });
    fixture = await rowsOf(repo);
    // a completely different state, in one commit across the three tables:
    // every row changed, 12 clients gone (their orders and items by cascade), rows added
    await repo.commit({
      author: 'alice',
      message: 'every row',
      sql: `UPDATE clients SET name = upper(name); UPDATE orders SET total = total + 1; UPDATE items SET qty = -qty;
            DELETE FROM clients WHERE id % 100 = 0;
            INSERT INTO clients VALUES (${N + 1}, 'new'); INSERT INTO orders VALUES (${N + 1}, ${N + 1}, 1); INSERT INTO items VALUES (${N + 1}, ${N + 1}, 1)`,
    });
    changed = await rowsOf(repo);
    changedId = (await repo.log({ table: 'items', limit: 1 })).commits[0].id;
  }, 600_000);
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('reloads the three tables together and leaves each at its target, keys intact', async () => {
    const r = await repo.checkoutMany({ ref: 'fixture', author: 'bob', reload: 'always' });
    for (const table of TABLES) expect(r[table].reload, table).not.toBeNull();
    expect(r.items.reload?.rows).toBe(N);
    expect(await rowsOf(repo)).toEqual(fixture);
    expect(await orphans(repo)).toBe(0);
    // and back, the same way
    const back = await repo.checkoutMany({ ref: changedId, author: 'bob', reload: 'always' });
    for (const table of TABLES) expect(back[table].reload, table).not.toBeNull();
    expect(await rowsOf(repo)).toEqual(changed);
    for (const s of await repo.status()) expect(s.clean, s.table).toBe(true);
    expect((await repo.verify()).ok).toBe(true);
  });

  it('restores uncommitted changes to most rows of the three tables by reloading them together', async () => {
    await repo.sql('UPDATE clients SET name = name || \'!\'; UPDATE items SET qty = 0; DELETE FROM orders WHERE id % 3 = 0');
    const r = await repo.restoreMany({ reload: 'always' });
    for (const table of TABLES) expect(r[table].reload, table).not.toBeNull();
    expect(await rowsOf(repo)).toEqual(changed);
    for (const s of await repo.status()) expect(s.clean, s.table).toBe(true);
  });

  it('writes a table row by row when a table not reloaded references it, and reloads the others', async () => {
    await repo.sql('CREATE TABLE notes (client_id int REFERENCES clients)');
    try {
      const r = await repo.checkoutMany({ ref: 'fixture', author: 'bob', reload: 'always' });
      expect(r.clients.reload).toBeNull();
      expect(r.clients.applied?.updated).toBeGreaterThan(N - 20);
      expect(r.orders.reload).not.toBeNull();
      expect(r.items.reload).not.toBeNull();
      expect(await rowsOf(repo)).toEqual(fixture);
      expect(await orphans(repo)).toBe(0);
    } finally {
      await repo.sql('DROP TABLE notes');
    }
  });

  it('checks the whole repository out from the command line by reloading, and the history verifies', async () => {
    await repo.close();
    const out = await vsgOk(t, ['checkout', changedId], { env: { VSG_CHECKOUT_RELOAD: 'always' } });
    for (const table of TABLES) expect(out).toMatch(new RegExp(`${table}: reloaded \\d+ rows from the checkpoint at \\w{7}`));
    expect(await vsgOk(t, ['verify'])).toMatch(/^ok 3 tables: /);
    repo = await t.open();
    expect(await rowsOf(repo)).toEqual(changed);
    expect(await orphans(repo)).toBe(0);
  });
});
