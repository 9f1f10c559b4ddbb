/**
 * A column's type changed (`ALTER COLUMN … TYPE`, with or without USING):
 * PostgreSQL rewrites the table without firing a trigger, and the commit that
 * records the type change records the values it rewrote (src/core/retype.ts).
 * After each case, the table's state as history alone gives it
 * (sql/dropped/rows_at.sql, what a dropped table's restore reads) is the live
 * table's at HEAD and the state before at HEAD~1; a checkout of HEAD~1 writes
 * the values of before back through the new type. Cases: the SQL's own type
 * change, with its own writes before or after it in the same SQL; a type
 * change made outside vsg, recorded by a commit without SQL (with another
 * writer's change) or by one whose SQL wrote other rows (another writer's
 * uncommitted change keeping the conversion with it); a root kept as a
 * checkpoint; a change made outside vsg recorded over an application's large
 * staged write (its rows share one sequence number), or while another session's
 * change to a row is in flight (the commit waits for it, on the server); a
 * change that keeps every value's text (int to bigint: no row);
 * a key column's type changed (refused where its keys read otherwise); a large statement
 * in the same commit, before or after the type change (its rows join the
 * uncommitted changes the type change mends).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository, VsgError } from '../../src/index.js';
import { until } from '../helpers/crash.js';
import { makeTarget, root, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const ROWS_AT = fs.readFileSync(path.join(root, 'sql', 'dropped', 'rows_at.sql'), 'utf8');

describe.each(targetNames())('a column type change on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const tableId = async (tb: string) => (await repo.tables()).find((x) => x.name === tb)!.id;
  /** each row's image as history alone gives it at `ref`, by key */
  const fromHistory = async (tb: string, ref: string) => {
    const commit = (await repo.show(ref, { table: tb })).commit.id;
    const rows = await q<{ k: string; img: string }>(`SELECT x.key::text AS k, x.img::text AS img FROM (${ROWS_AT}) x ORDER BY 1`, [await tableId(tb), commit]);
    return Object.fromEntries(rows.map((r) => [r.k, JSON.parse(r.img) as Record<string, string | null>]));
  };
  /** each live row's image (every column as text), by key */
  const live = async (tb: string) => {
    const rows = await q<{ k: string; img: string }>(`SELECT jsonb_build_object('id', id::text)::text AS k, (SELECT jsonb_object_agg(e.key, e.value #>> '{}') FROM jsonb_each(to_jsonb(t)) e)::text AS img FROM ${tb} t ORDER BY 1`);
    return Object.fromEntries(rows.map((r) => [r.k, JSON.parse(r.img) as Record<string, string | null>]));
  };
  const commit = async (tb: string, sql?: string) => (await repo.commit({ table: tb, author, ...(sql !== undefined ? { sql } : {}) })).commit;
  /** a table of `n` rows (id, cents numeric(12,0), note text), tracked; its images before anything */
  const fresh = async (tb: string, n = 6) => {
    await repo.sql(`CREATE TABLE ${tb} (id int PRIMARY KEY, cents numeric(12,0), note text); INSERT INTO ${tb} SELECT g, g * 100 + 45, 'n' || g FROM generate_series(1, ${n}) g`);
    await repo.track(tb, { author });
    return live(tb);
  };
  /** history at HEAD is the live table, at HEAD~1 `before`; a checkout of HEAD~1 gives `back` (the values of before, read through the new type) */
  const holds = async (tb: string, before: Record<string, unknown>, back: (id: number) => string) => {
    expect(await fromHistory(tb, 'HEAD')).toEqual(await live(tb));
    expect(await fromHistory(tb, 'HEAD~1')).toEqual(before);
    await repo.checkout({ table: tb, ref: 'HEAD~1', author });
    const rows = await q<{ id: string; cents: string }>(`SELECT t.id::text AS id, t.cents::text AS cents FROM ${tb} t ORDER BY t.id`);
    expect(rows).toEqual(Object.keys(before).map((_, i) => ({ id: String(i + 1), cents: back(i + 1) })));
    expect((await repo.verify()).problems).toEqual([]);
  };

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('records every value a USING clause rewrote, as an update of that cell', async () => {
    const before = await fresh('a');
    const c = await commit('a', `ALTER TABLE a ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    expect([c.kind, c.inserted, c.updated, c.deleted]).toEqual(['SCHEMA', 0, 6, 0]);
    const diff = await repo.diff({ table: 'a', from: 'HEAD~1', to: 'HEAD' });
    expect(diff.changes[0]).toEqual({ key: { id: '1' }, old: { id: '1', cents: '145', note: 'n1' }, new: { id: '1', cents: '1.45', note: 'n1' } });
    await holds('a', before, (id) => `${id * 100 + 45}.00`);
  });

  it("composes the SQL's own writes before and after the type change with the rows it rewrote", async () => {
    const before = await fresh('b');
    const c = await commit('b', `UPDATE b SET cents = 5000 WHERE id = 1; ALTER TABLE b ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100;
      UPDATE b SET note = 'late' WHERE id = 2; DELETE FROM b WHERE id = 3; INSERT INTO b VALUES (7, 1.5, 'new')`);
    expect([c.inserted, c.updated, c.deleted]).toEqual([1, 5, 1]);
    const rows = Object.fromEntries((await repo.diff({ table: 'b', from: 'HEAD~1', to: 'HEAD' })).changes.map((x) => [x.key.id, [x.old, x.new]]));
    expect(rows['1']).toEqual([{ id: '1', cents: '145', note: 'n1' }, { id: '1', cents: '50.00', note: 'n1' }]);
    expect(rows['2']).toEqual([{ id: '2', cents: '245', note: 'n2' }, { id: '2', cents: '2.45', note: 'late' }]);
    expect(rows['3']).toEqual([{ id: '3', cents: '345', note: 'n3' }, null]);
    expect(rows['7']).toEqual([null, { id: '7', cents: '1.50', note: 'new' }]);
    expect(await fromHistory('b', 'HEAD')).toEqual(await live('b'));
    expect(await fromHistory('b', 'HEAD~1')).toEqual(before);
    await repo.checkout({ table: 'b', ref: 'HEAD~1', author });
    expect(await q(`SELECT t.id::text AS id, t.cents::text AS cents, t.note FROM b t ORDER BY t.id`)).toEqual(
      [1, 2, 3, 4, 5, 6].map((id) => ({ id: String(id), cents: `${id * 100 + 45}.00`, note: `n${id}` })),
    );
  });

  it('records a type change made outside vsg with its rewritten values, after another writer\'s change to a row', async () => {
    const before = await fresh('c');
    await repo.sql(`ALTER TABLE c ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    // another transaction's change, uncommitted in vsg, after the type change
    await q(`UPDATE c SET note = 'other' WHERE id = 4`);
    const c = await commit('c');
    expect([c.kind, c.inserted, c.updated, c.deleted]).toEqual(['SCHEMA', 0, 6, 0]);
    await holds('c', before, (id) => `${id * 100 + 45}.00`);
  });

  it('records the rows rewritten outside vsg in the commit whose SQL writes other rows; another writer\'s row keeps its conversion until it is committed', async () => {
    const before = await fresh('d');
    await repo.sql(`ALTER TABLE d ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    await q(`UPDATE d SET note = 'other' WHERE id = 4`);
    const made = await repo.commit({ table: 'd', author, sql: `UPDATE d SET note = 'mine' WHERE id = 5` });
    expect([made.commit.kind, made.commit.updated]).toEqual(['SCHEMA', 5]);
    // the other writer's row stays uncommitted, its rewrite with it: history has it as before
    const now = await live('d');
    expect(await fromHistory('d', 'HEAD')).toEqual({ ...now, '{"id": "4"}': before['{"id": "4"}'] });
    expect((await repo.status({ table: 'd' }))[0].updated).toBe(1);
    const rest = await commit('d');
    expect([rest.kind, rest.updated]).toEqual(['COMMIT', 1]);
    expect(await fromHistory('d', 'HEAD')).toEqual(now);
    expect(await fromHistory('d', 'HEAD~2')).toEqual(before);
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('records a type change on a table whose root is kept as a checkpoint', async () => {
    const before = await fresh('e', 1500);
    const c = await commit('e', `ALTER TABLE e ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    expect(c.updated).toBe(1500);
    await holds('e', before, (id) => `${id * 100 + 45}.00`);
  });

  it('records no row where every value keeps its text (int to bigint), of a key column too', async () => {
    await repo.sql(`CREATE TABLE f (id int PRIMARY KEY, n int); INSERT INTO f SELECT g, g FROM generate_series(1, 5) g`);
    await repo.track('f', { author });
    const c = await commit('f', `ALTER TABLE f ALTER COLUMN n TYPE bigint`);
    expect([c.kind, c.inserted, c.updated, c.deleted]).toEqual(['SCHEMA', 0, 0, 0]);
    const k = await commit('f', `ALTER TABLE f ALTER COLUMN id TYPE bigint; INSERT INTO f VALUES (6, 6); DELETE FROM f WHERE id = 1`);
    expect([k.kind, k.inserted, k.updated, k.deleted]).toEqual(['SCHEMA', 1, 0, 1]);
    expect(await fromHistory('f', 'HEAD')).toEqual(await live('f'));
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('refuses a key column type change that changes how its keys read, by SQL or outside vsg, and changes nothing', async () => {
    await repo.sql(`CREATE TABLE g (id numeric(6,0) PRIMARY KEY, n numeric(6,0)); INSERT INTO g SELECT g, g FROM generate_series(1, 5) g`);
    await repo.track('g', { author });
    const head = (await repo.show('HEAD', { table: 'g' })).commit.id;
    const refused = async (sql?: string) => {
      const err = await repo.commit({ table: 'g', author, ...(sql !== undefined ? { sql } : {}) }).then(() => null, (e: unknown) => e as VsgError);
      expect(err?.code).toBe('E_KEY_CHANGED');
      expect(err?.exitCode).toBe(3);
      expect((await repo.show('HEAD', { table: 'g' })).commit.id).toBe(head);
      return err!.message;
    };
    const typed = async () => (await q<{ ty: string }>(`SELECT format_type(atttypid, atttypmod) AS ty FROM pg_attribute WHERE attrelid = 'g'::regclass AND attname = 'id'`))[0].ty;
    expect(await refused(`ALTER TABLE g ALTER COLUMN id TYPE numeric(8,2), ALTER COLUMN n TYPE numeric(8,2)`)).toBe(
      `the type of key column 'id' of 'g' changed how its keys read ({"id": "1"}), which vsg cannot follow`,
    );
    expect(await typed()).toBe('numeric(6,0)');
    // every row written after the type change, in the same SQL: the keys history had are gone all the same
    await refused(`ALTER TABLE g ALTER COLUMN id TYPE numeric(8,2); UPDATE g SET n = n + 1`);
    expect(await typed()).toBe('numeric(6,0)');
    // made outside vsg, the next commit is refused until the type reads the keys as before
    await repo.sql(`ALTER TABLE g ALTER COLUMN id TYPE numeric(8,2)`);
    await refused();
    await refused(`UPDATE g SET n = 7 WHERE id = 2`);
    await repo.sql(`ALTER TABLE g ALTER COLUMN id TYPE numeric(6,0)`);
    expect((await commit('g', `UPDATE g SET n = 7 WHERE id = 2`)).kind).toBe('COMMIT');
    expect(await fromHistory('g', 'HEAD')).toEqual(await live('g'));
  });

  it("records a type change made outside vsg over an application's large staged write, each row with its own values", async () => {
    const before = await fresh('s');
    // the application stages a 1,500-row INSERT itself (vsg.stage): at its end the rows reach vsg.pending, sharing one sequence number
    await repo.sql(`SELECT set_config('vsg.stage', ',' || ${await tableId('s')} || ',', true); INSERT INTO s SELECT g, g * 100 + 45, 'n' || g FROM generate_series(7, 1506) g`);
    expect(await q<{ n: string; seqs: string }>(`SELECT count(*)::text AS n, count(DISTINCT seq)::text AS seqs FROM vsg.pending WHERE table_id = $1`, [await tableId('s')])).toEqual([{ n: '1500', seqs: '1' }]);
    await repo.sql(`ALTER TABLE s ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    const c = await commit('s');
    expect([c.kind, c.inserted, c.updated, c.deleted]).toEqual(['SCHEMA', 1500, 6, 0]);
    const rows = Object.fromEntries((await repo.diff({ table: 's', from: 'HEAD~1', to: 'HEAD' })).changes.map((x) => [x.key.id, x.new]));
    expect([rows['7'], rows['1000'], rows['1506']]).toEqual([7, 1000, 1506].map((id) => ({ id: String(id), cents: `${id}.45`, note: `n${id}` })));
    await holds('s', before, (id) => `${id * 100 + 45}.00`);
  });

  it.skipIf(name === 'pglite')('waits for a writer in flight when it records a type change made outside vsg, and mends that writer\'s change (server only: PGlite allows one connection)', async () => {
    const before = await fresh('w');
    await repo.sql(`ALTER TABLE w ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    // another session's change to a row, in flight: its capture read the row converted
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await other.query(`BEGIN; UPDATE w SET note = 'other' WHERE id = 4`);
      let done = false;
      const made = repo.commit({ table: 'w', author }).finally(() => { done = true; });
      // the commit waits on the table's lock until the writer ends, and only then reads the rows
      const waiting = async () => (await t.sql(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%'`)).rowCount === 1;
      expect(await until(waiting, () => done)).toBe(true);
      await other.query('COMMIT');
      const c = (await made).commit;
      expect([c.kind, c.inserted, c.updated, c.deleted]).toEqual(['SCHEMA', 0, 6, 0]);
    } finally {
      await other.end();
    }
    expect((await repo.diff({ table: 'w', from: 'HEAD~1', to: 'HEAD' })).changes.find((x) => x.key.id === '4')).toEqual(
      { key: { id: '4' }, old: { id: '4', cents: '445', note: 'n4' }, new: { id: '4', cents: '4.45', note: 'other' } },
    );
    await holds('w', before, (id) => `${id * 100 + 45}.00`);
  });

  it("composes a type change with a large statement's rows of the table in the same commit, before or after it, packed or staged; another table's stays packed", async () => {
    // a 10,000-row INSERT (packed in a copy of the columns as they were) before the type change, a 1,500-row UPDATE (staged) after it
    const before = await fresh('h', 12);
    const c = await commit('h', `INSERT INTO h SELECT g, g * 100 + 45, 'n' || g FROM generate_series(13, 10012) g;
      ALTER TABLE h ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100; UPDATE h SET note = 'late' WHERE id BETWEEN 5 AND 1504`);
    expect([c.kind, c.inserted, c.updated, c.deleted]).toEqual(['SCHEMA', 10000, 12, 0]);
    const rows = Object.fromEntries((await repo.diff({ table: 'h', from: 'HEAD~1', to: 'HEAD' })).changes.map((x) => [x.key.id, [x.old, x.new]]));
    expect(rows['1']).toEqual([{ id: '1', cents: '145', note: 'n1' }, { id: '1', cents: '1.45', note: 'n1' }]);
    expect(rows['6']).toEqual([{ id: '6', cents: '645', note: 'n6' }, { id: '6', cents: '6.45', note: 'late' }]);
    expect(rows['20']).toEqual([null, { id: '20', cents: '20.45', note: 'late' }]);
    expect(rows['9000']).toEqual([null, { id: '9000', cents: '9000.45', note: 'n9000' }]);
    await holds('h', before, (id) => `${id * 100 + 45}.00`);
    // a 11,000-row UPDATE (packed, its images in the type of before) before the type change
    const was = await fresh('i', 12000);
    const u = await commit('i', `UPDATE i SET note = 'x' || id WHERE id <= 11000; ALTER TABLE i ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100`);
    expect([u.kind, u.inserted, u.updated, u.deleted]).toEqual(['SCHEMA', 0, 12000, 0]);
    expect((await repo.diff({ table: 'i', from: 'HEAD~1', to: 'HEAD' })).changes.find((x) => x.key.id === '7')).toEqual(
      { key: { id: '7' }, old: { id: '7', cents: '745', note: 'n7' }, new: { id: '7', cents: '7.45', note: 'x7' } },
    );
    await holds('i', was, (id) => `${id * 100 + 45}.00`);
    // across tables: one table's type change, another's large statement, which stays packed
    const j = await fresh('j');
    await repo.sql(`CREATE TABLE k (id int PRIMARY KEY, v text)`);
    await repo.track('k', { author });
    const across = await repo.commit({ tables: ['j', 'k'], author, sql: `ALTER TABLE j ALTER COLUMN cents TYPE numeric(12,2) USING cents / 100; INSERT INTO k SELECT g, 'v' || g FROM generate_series(1, 10000) g` });
    const parts = Object.fromEntries(across.parts!.map((x) => [x.table, x.commit]));
    expect([parts.j.kind, parts.j.updated, parts.k.kind, parts.k.inserted]).toEqual(['SCHEMA', 6, 'COMMIT', 10000]);
    expect(await q<{ s: string }>(`SELECT hash_scheme::text AS s FROM vsg.commits WHERE id = $1`, [parts.k.id])).toEqual([{ s: '3' }]);
    await holds('j', j, (id) => `${id * 100 + 45}.00`);
  });
});
