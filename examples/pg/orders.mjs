// vsg with the `pg` driver: an application commits its own changes, with
// author and metadata, inside its own transactions.
//
//   VSG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop node examples/pg/orders.mjs
import pg from 'pg';
import { openRepository } from 'vsg';

export async function main(url) {
  const pool = new pg.Pool({ connectionString: url });
  try {
    // Once: vsg's schema, and the table under version control.
    await pool.query('CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, item text NOT NULL, status text NOT NULL)');
    await pool.query("INSERT INTO orders VALUES (1, 'chair', 'new'), (2, 'desk', 'new') ON CONFLICT DO NOTHING");
    const repo = await openRepository({ client: pool, init: true });
    if (!(await repo.tables()).some((t) => t.display === 'orders')) await repo.track('orders', { author: 'setup' });

    // 1. vsg opens the transaction; the application's code makes the change in
    //    it, on the same connection (tx.client). Change and commit land together.
    const shipped = await repo.commit(
      { table: 'orders', message: 'ship order 1', author: 'shop-api', meta: { request: 'r-1001', endpoint: 'POST /orders/1/ship' } },
      async (tx) => {
        const r = await tx.client.query("UPDATE orders SET status = 'shipped' WHERE id = $1 RETURNING id", [1]);
        return r.rowCount;
      },
    );

    // 2. The application's own transaction: vsg joins it (as a savepoint) and
    //    records only what this transaction changed; COMMIT makes both durable.
    const client = await pool.connect();
    let created;
    try {
      const inTx = await openRepository({ client });
      await client.query('BEGIN');
      await client.query("INSERT INTO orders VALUES (3, 'lamp', 'new')");
      created = await inTx.commit({ table: 'orders', message: 'new order 3', author: 'shop-api', meta: { request: 'r-1002' } }, async () => undefined);
      await client.query('COMMIT');

      // 3. ... and if the application rolls back, the commit is gone too.
      await client.query('BEGIN');
      await client.query('DELETE FROM orders WHERE id = 2');
      await inTx.commit({ table: 'orders', message: 'cancel order 2', author: 'shop-api' }, async () => undefined);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }

    // 4. Any other writer (a job, psql) names itself in session settings;
    //    `vsg commit` (or repo.commit without SQL) picks them up.
    const job = await pool.connect();
    try {
      await job.query('BEGIN');
      await job.query("SET LOCAL vsg.author = 'nightly-job'");
      await job.query("SET LOCAL vsg.meta = 'run=2026-11-24'");
      await job.query("UPDATE orders SET status = 'archived' WHERE status = 'shipped'");
      await job.query('COMMIT');
    } finally {
      job.release();
    }
    const recorded = await repo.commit({ table: 'orders', message: 'record the nightly job', author: 'ops', authorIsDefault: true });

    const log = await repo.log({ table: 'orders' });
    for (const c of log.commits) console.log(`${c.shortId} ${c.author.padEnd(12)} ${c.message}${c.meta ? ` ${JSON.stringify(c.meta)}` : ''}`);
    return { shipped, created, recorded, log };
  } finally {
    await pool.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.env.VSG_DATABASE_URL) {
    console.error('set VSG_DATABASE_URL to a database to try this in (it creates a table "orders" and vsg\'s schema)');
    process.exit(2);
  }
  await main(process.env.VSG_DATABASE_URL);
}
