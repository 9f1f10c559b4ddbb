// vsg with Kysely: the query builder's writes become vsg commits, inside the
// query builder's own transactions.
//
//   VSG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop node examples/kysely/orders.mjs
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openRepository } from 'vsg';

/**
 * A Kysely instance on one connection (a pg PoolClient), so that Kysely and
 * vsg share it, and with it the transaction.
 */
function kyselyOn(client) {
  const pinned = { query: (...args) => client.query(...args), release: () => undefined };
  return new Kysely({ dialect: new PostgresDialect({ pool: { connect: async () => pinned, end: async () => undefined } }) });
}

export async function main(url) {
  const pool = new pg.Pool({ connectionString: url });
  const client = await pool.connect();
  try {
    const db = kyselyOn(client);
    await db.schema
      .createTable('orders')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('orders').values([{ id: 1, item: 'chair', status: 'new' }, { id: 2, item: 'desk', status: 'new' }]).onConflict((oc) => oc.doNothing()).execute();

    const repo = await openRepository({ client, init: true });
    if (!(await repo.tables()).some((t) => t.display === 'orders')) await repo.track('orders', { author: 'setup' });

    // 1. vsg opens the transaction; Kysely writes in it.
    const shipped = await repo.commit({ table: 'orders', message: 'ship order 1', author: 'shop-api', meta: { request: 'r-2001' } }, async () =>
      db.updateTable('orders').set({ status: 'shipped' }).where('id', '=', 1).executeTakeFirst(),
    );

    // 2. Kysely's own transaction: vsg's commit joins it.
    const created = await db.transaction().execute(async (trx) => {
      // context for every change this transaction makes (the capture reads it)
      await sql`SET LOCAL vsg.meta = '{"endpoint": "POST /orders"}'`.execute(trx);
      await trx.insertInto('orders').values({ id: 3, item: 'lamp', status: 'new' }).execute();
      return repo.commit({ table: 'orders', message: 'new order 3', author: 'shop-api' }, async () => undefined);
    });

    // 3. A failure later in Kysely's transaction takes the commit back with it.
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('orders').where('id', '=', 2).execute();
        await repo.commit({ table: 'orders', message: 'cancel order 2', author: 'shop-api' }, async () => undefined);
        throw new Error('payment service down');
      })
      .catch((e) => console.log(`rolled back: ${e.message}`));

    const log = await repo.log({ table: 'orders' });
    for (const c of log.commits) console.log(`${c.shortId} ${c.author.padEnd(10)} ${c.message}${c.meta ? ` ${JSON.stringify(c.meta)}` : ''}`);
    const rows = await db.selectFrom('orders').selectAll().orderBy('id').execute();
    return { shipped, created, log, rows };
  } finally {
    client.release();
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
