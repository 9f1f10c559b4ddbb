/**
 * vsg.pending tidied when dead rows dominate (issue 16). An application that
 * writes to a tracked table and rolls back leaves the captured rows dead in
 * vsg.pending, and every status and commit after it reads through them until
 * a VACUUM; with autovacuum off (or absent: the embedded database) nothing
 * else removes them. The statement status and commit already send reads a
 * statistic in passing (sql/status/pending.sql `tidy`), and only when it says
 * so does vsg send a VACUUM afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openRepository, type Repository } from '../../src/index.js';
import { countingDb, type CountingDb } from '../../src/db/counting.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';
const ROWS = 2000;
/** a statement that is a VACUUM (not one whose comments mention it) */
const VACUUM_LINE = /^VACUUM\b/m;

/** vsg.pending's pages now, and as the last VACUUM (or ANALYZE) measured them. */
async function pages(repo: Repository): Promise<{ now: number; measured: number }> {
  const { rows } = await repo.db.query<{ now: string; measured: string }>(
    `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::text AS now, c.relpages::text AS measured
     FROM pg_class c WHERE c.oid = 'vsg.pending'::regclass`,
  );
  return { now: Number(rows[0].now), measured: Number(rows[0].measured) };
}

/** Roll back `rounds` UPDATEs of every row, as an application would: each captured, then dead. */
async function abortWrites(repo: Repository, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) await repo.sql(`BEGIN; UPDATE items SET v = v || 'x'; ROLLBACK`);
}

describe.each(targetNames())('vsg.pending tidied when dead rows dominate on %s', (name) => {
  let t: Target;
  let plain: Repository;
  let repo: Repository;
  let db: CountingDb;

  beforeAll(async () => {
    t = await makeTarget(name);
    plain = await t.open({ init: true });
    await plain.sql(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT i, repeat('v', 200) || i FROM generate_series(1, ${ROWS}) i`);
    await plain.track('items', { author });
    db = countingDb(plain.db);
    repo = await openRepository({ db });
    // an uncommitted change status must go on showing
    await plain.sql(`UPDATE items SET v = 'outside' WHERE id = 1`);
  });
  afterAll(async () => {
    await plain.close();
    await t.cleanup();
  });

  it('status after many rolled-back writes vacuums vsg.pending once, its answer unchanged', async () => {
    const clean = await db.measure(() => repo.status());
    const before = await pages(plain);
    await abortWrites(plain, 6); // 12,000 captured rows, ~700 pages
    // (this backend reports the rolled-back rows as dead when it next flushes its statistics, at most once a
    // second: made now, so that a flush after the VACUUM's own report does not count them again)
    if (name === 'postgres') await plain.db.query('SELECT pg_stat_force_next_flush()');
    const bloated = await pages(plain);
    expect(bloated.now - bloated.measured).toBeGreaterThan(320);

    // onTidy (the CLI's "tidying vsg.pending" on a terminal) is called once, before the VACUUM
    const told: number[] = [];
    const tidied = await db.measure(() => repo.status({ onTidy: () => told.push(db.count) }));
    expect(told).toEqual([tidied.count - 1]);
    expect(tidied.value).toEqual(clean.value);
    expect(tidied.value[0]).toMatchObject({ updated: 1, clean: false });
    // the same statements, and the VACUUM after them
    expect(tidied.count).toBe(clean.count + 1);
    expect(tidied.sent[tidied.sent.length - 1].text).toMatch(/^VACUUM \(SKIP_LOCKED\) vsg\.pending/m);
    const after = await pages(plain);
    expect(after.now).toBeLessThanOrEqual(before.now);
    expect(after.measured).toBe(after.now);
    if (name === 'postgres') {
      const dead = await plain.db.query<{ n: string }>(`SELECT pg_stat_get_dead_tuples('vsg.pending'::regclass)::text AS n`);
      expect(Number(dead.rows[0].n)).toBe(0);
    }

    // clean again: the next status pays nothing more
    const next = await db.measure(() => repo.status({ onTidy: () => told.push(-1) }));
    expect(told).toHaveLength(1);
    expect(next.count).toBe(clean.count);
    expect(next.value).toEqual(clean.value);
  });

  it('a commit after many rolled-back writes vacuums vsg.pending after its transaction', async () => {
    await abortWrites(plain, 6);
    const bloated = await pages(plain);
    expect(bloated.now - bloated.measured).toBeGreaterThan(320);
    const r = await db.measure(() => repo.commit({ table: 'items', sql: `UPDATE items SET v = 'two' WHERE id = 2`, author }));
    expect(r.value.commit.updated).toBe(1);
    expect(r.sent[r.sent.length - 1].text).toMatch(VACUUM_LINE);
    expect(r.sent[r.sent.length - 1].inTransaction).toBe(false);
    const after = await pages(plain);
    expect(after.now).toBeLessThan(bloated.now / 4); // the row of row 1's change stays where it was
    expect(after.measured).toBe(after.now);
    // the uncommitted change of row 1 is still there, the commit took row 2 alone
    const s = await repo.status();
    expect(s[0]).toMatchObject({ updated: 1, clean: false });
    const next = await db.measure(() => repo.commit({ table: 'items', sql: `UPDATE items SET v = 'three' WHERE id = 3`, author }));
    expect(next.sent.some((q) => VACUUM_LINE.test(q.text))).toBe(false);
  });

  // Roles and an application's own pg connection exist on the server only: these are
  // registered for it alone (no skipped test on the embedded database).
  if (name === 'postgres') {
    it('leaves it to a role that may vacuum it: another one sends no VACUUM', async () => {
      const role = `vsg_pt_${process.pid}_${Date.now().toString(36)}`;
      await plain.sql(`CREATE ROLE ${role} LOGIN; GRANT USAGE ON SCHEMA vsg TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA vsg TO ${role}; GRANT SELECT ON items TO ${role}`);
      const u = new URL(t.url!);
      u.username = role;
      const reader = await openRepository({ url: u.toString() });
      try {
        await abortWrites(plain, 6);
        const bloated = await pages(plain);
        const counted = countingDb(reader.db);
        const r = await counted.measure(() => openRepository({ db: counted }).then((x) => x.status()));
        expect(r.value[0]).toMatchObject({ updated: 1, clean: false });
        expect(r.sent.some((q) => VACUUM_LINE.test(q.text))).toBe(false);
        expect((await pages(plain)).now).toBe(bloated.now);
      } finally {
        await reader.close();
        await repo.status(); // the owner's status tidies it for the next test
        await plain.sql(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
      }
    });

    it("never vacuums on an application's own connection", async () => {
      const client = new pg.Client({ connectionString: t.url });
      await client.connect();
      try {
        const app = await openRepository({ client });
        await abortWrites(plain, 6);
        const bloated = await pages(plain);
        const seen: string[] = [];
        const query = client.query.bind(client);
        (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
          seen.push(String(typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string }).text));
          return (query as (...b: unknown[]) => unknown)(...a);
        };
        const s = await app.status();
        expect(s[0]).toMatchObject({ updated: 1, clean: false });
        expect(seen.some((q) => VACUUM_LINE.test(q))).toBe(false);
        expect((await pages(plain)).now).toBe(bloated.now);
        // vsg's own connection tidies it
        await repo.status();
        expect((await pages(plain)).now).toBeLessThan(bloated.now / 4);
      } finally {
        await client.end();
      }
    });
  }
});
