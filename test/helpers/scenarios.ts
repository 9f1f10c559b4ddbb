/**
 * Named histories that several suites build, through the library (fast on
 * both databases); the CLI then runs only the commands under test.
 */
import type { Target } from './targets.js';

export const ORDER_TABLES = ['clients', 'items', 'orders'] as const;

/** clients ← orders ← items: the DDL alone (an empty copy of the schema). */
export const ORDERS_DDL = `CREATE TABLE clients (id int PRIMARY KEY, name text);
  CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(10,2));
  CREATE TABLE items (order_id int REFERENCES orders ON DELETE CASCADE, line int, sku text, PRIMARY KEY (order_id, line))`;

/** The commits of ordersWithMerge, by name: each a commit across tables (its id) or of one table. */
export interface OrdersHistory {
  /** track clients, orders, items: one commit across the three */
  track: string;
  /** a client, her order and its item (across the three) */
  cy: string;
  /** clients alone */
  renameBob: string;
  /** orders alone */
  reprice: string;
  /** on branch feature: a client and her order (across clients and orders) */
  dee: string;
  /** on main after feature forked: a client renamed and an order repriced (across clients and orders) */
  ann: string;
  /** main merging feature: a MERGE commit of clients and of orders, one commit across them */
  merge: string;
}

/**
 * Three related tables with a history across them, main's first parents
 * newest first: merge, ann, reprice, renameBob, cy, track; the merge's second
 * parent is dee (feature), whose first parent is reprice. The live tables end
 * on main, clean; untracked copies snap_<table> hold every table as of reprice.
 */
export async function ordersWithMerge(t: Target): Promise<OrdersHistory> {
  const author = 'tester';
  const repo = await t.open({ init: true });
  try {
    await repo.sql(`${ORDERS_DDL};
      INSERT INTO clients VALUES (1, 'ann'), (2, 'bob');
      INSERT INTO orders VALUES (10, 1, 5);
      INSERT INTO items VALUES (10, 1, 'x')`);
    const id = (r: { commit: { id: string; span?: string } }) => r.commit.span ?? r.commit.id;
    const track = (await repo.trackTables([...ORDER_TABLES], { author })).commit?.id as string;
    const cy = id(await repo.commit({ author, message: 'cy and her order', sql: "INSERT INTO clients VALUES (3, 'cy'); INSERT INTO orders VALUES (30, 3, 8); INSERT INTO items VALUES (30, 1, 'v')" }));
    const renameBob = id(await repo.commit({ table: 'clients', author, message: 'rename bob', sql: "UPDATE clients SET name = 'BOB' WHERE id = 2" }));
    const reprice = id(await repo.commit({ table: 'orders', author, message: 'reprice', sql: 'UPDATE orders SET total = 6 WHERE id = 10' }));
    for (const x of ORDER_TABLES) await repo.sql(`CREATE TABLE snap_${x} AS TABLE ${x}`);
    await repo.switchMany({ branch: 'feature', create: true });
    const dee = id(await repo.commit({ author, message: 'dee and her order', sql: "INSERT INTO clients VALUES (4, 'dee'); INSERT INTO orders VALUES (40, 4, 1)" }));
    await repo.switchMany({ branch: 'main' });
    const ann = id(await repo.commit({ author, message: 'ann renamed, order repriced', sql: "UPDATE clients SET name = 'ANN' WHERE id = 1; UPDATE orders SET total = 7 WHERE id = 30" }));
    const m = await repo.merge({ ref: 'feature', author, message: "Merge branch 'feature'" });
    return { track, cy, renameBob, reprice, dee, ann, merge: m.commit?.id as string };
  } finally {
    await repo.close();
  }
}
