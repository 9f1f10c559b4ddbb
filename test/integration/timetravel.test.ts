/**
 * Time travel through the library API: exact values after checkout and
 * restore, sequences, refusals by the user's constraints and triggers,
 * rollback semantics, reading any version (rowsAt, vsg.as_of), blame and a
 * row's history. The CLI side is test/e2e/timetravel.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const FIDELITY = `CREATE TYPE mood AS ENUM ('sad', 'happy');
  CREATE TABLE fidelity (id int8 PRIMARY KEY, n numeric(20,10), f float8, fi float8, ts timestamptz, b bytea,
    a int[], j json, jb jsonb, t text, e mood, nul text)`;
const ROWS = `INSERT INTO fidelity VALUES
  (9007199254740993, 1234567890.0123456789, 'NaN', '-Infinity', '2024-02-29 12:34:56.123456+05:30', '\\xdeadbeef00',
   '[0:2]={7,8,9}', '{"b":1,  "a":[1, 2]}', '{"k": null}', E'line1\\nline2 🐘', 'happy', NULL),
  (2, 0.0000000001, 'Infinity', -0.0, '1999-12-31 23:59:59.999999+00', '\\x', '{}', 'null', 'null', '', 'sad', NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'x')`;
/** Every column as text: json has no equality operator, and text is what must round-trip. */
const TEXT_COLS = 'id::text, n::text, f::text, fi::text, ts::text, b::text, a::text, j::text, jb::text, t, e::text, nul';

async function differs(repo: Repository, a: string, b: string): Promise<number> {
  const { rows } = await repo.db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ((SELECT ${TEXT_COLS} FROM ${a} EXCEPT ALL SELECT ${TEXT_COLS} FROM ${b})
      UNION ALL (SELECT ${TEXT_COLS} FROM ${b} EXCEPT ALL SELECT ${TEXT_COLS} FROM ${a})) x`,
  );
  return Number(rows[0].n);
}

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; data?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; data?: unknown };
  }
  throw new Error('expected an error');
}

describe.each(targetNames())('time travel (library) on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'tester';
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(FIDELITY);
    await repo.track('fidelity', { author });
    await repo.commit({ table: 'fidelity', sql: ROWS, author, message: 'the traps' });
    await repo.sql('CREATE TABLE snap_traps AS SELECT * FROM fidelity');
    await repo.commit({
      table: 'fidelity',
      author,
      sql: `UPDATE fidelity SET n = n + 1, f = 1.5, a = '{1,2}', j = '{}', jb = '{"k": 1}', t = 'changed', e = 'sad', nul = 'now set';
            DELETE FROM fidelity WHERE id = 2; INSERT INTO fidelity (id, t) VALUES (4, 'new')`,
    });
    await repo.sql('CREATE TABLE snap_changed AS SELECT * FROM fidelity');
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('checkout brings every value back exactly (EXCEPT ALL both ways is empty)', async () => {
    const r = await repo.checkout({ table: 'fidelity', ref: 'HEAD~1', author });
    expect(r.alreadyAt).toBe(false);
    expect(r.commit?.kind).toBe('CHECKOUT');
    expect(r.commit?.parents).toEqual([r.commit?.parents[0]]);
    expect(r.commit?.message).toContain(r.source.shortId);
    expect(r.applied).toEqual({ inserted: 1, updated: 2, deleted: 1 });
    expect(await differs(repo, 'fidelity', 'snap_traps')).toBe(0);
    // the array keeps its lower bound, json its whitespace
    const { rows } = await repo.db.query<{ a: string; j: string }>('SELECT a::text, j::text FROM fidelity WHERE id = 9007199254740993');
    expect(rows[0]).toEqual({ a: '[0:2]={7,8,9}', j: '{"b":1,  "a":[1, 2]}' });
  });

  it('checking out the state the table already has commits nothing', async () => {
    const before = (await repo.tables())[0].headCommit;
    const r = await repo.checkout({ table: 'fidelity', ref: 'HEAD', author });
    expect(r.alreadyAt).toBe(true);
    expect(r.commit).toBeNull();
    expect((await repo.tables())[0].headCommit).toBe(before);
  });

  it('restore puts the rows back uncommitted, and restore alone discards them', async () => {
    const r = await repo.restore({ table: 'fidelity', ref: 'HEAD~1' });
    expect(r.status.clean).toBe(false);
    expect(await differs(repo, 'fidelity', 'snap_changed')).toBe(0);
    const st = await repo.status({ table: 'fidelity' });
    expect(st[0]).toMatchObject({ inserted: 1, updated: 2, deleted: 1, clean: false });
    const back = await repo.restore({ table: 'fidelity' });
    expect(back.status.clean).toBe(true);
    expect((await repo.status({ table: 'fidelity' }))[0].clean).toBe(true);
    expect(await differs(repo, 'fidelity', 'snap_traps')).toBe(0);
  });

  it('reads any version without touching the table: rowsAt and vsg.as_of', async () => {
    await repo.sql(`UPDATE fidelity SET t = 'uncommitted' WHERE id = 3`);
    const at = await repo.rowsAt({ table: 'fidelity', at: 'HEAD~1' });
    expect(at.rows.map((r) => r[0])).toEqual(['3', '4', '9007199254740993']);
    const big = at.rows.find((r) => r[0] === '9007199254740993') as (string | null)[];
    expect(big[at.columns.indexOf('t')]).toBe('changed');
    // typed variant equals the snapshot; the jsonb one carries the text forms
    await repo.sql(`CREATE TABLE as_of_typed AS SELECT * FROM vsg.as_of_rows(NULL::fidelity, 'HEAD~1')`);
    expect(await differs(repo, 'as_of_typed', 'snap_changed')).toBe(0);
    const { rows } = await repo.db.query<{ i: string }>(`SELECT i::text FROM vsg.as_of('fidelity', 'HEAD') i WHERE i->>'id' = '3'`);
    expect(JSON.parse(rows[0].i).t).toBeNull();
    const head = (await repo.tables())[0].headCommit as string;
    const prefix = await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.as_of('fidelity', $1)`, [head.slice(0, 8)]);
    expect(prefix.rows[0].n).toBe('3');
    const { rows: live } = await repo.db.query<{ t: string }>('SELECT t FROM fidelity WHERE id = 3');
    expect(live[0].t).toBe('uncommitted');
    await repo.restore({ table: 'fidelity' });
  });

  it('keeps sequences ahead of the rows written back', async () => {
    await repo.sql('CREATE TABLE seq (id serial PRIMARY KEY, v text, g int GENERATED ALWAYS AS IDENTITY)');
    await repo.track('seq', { author });
    await repo.commit({ table: 'seq', author, sql: `INSERT INTO seq (id, v) OVERRIDING SYSTEM VALUE VALUES (10, 'a'), (11, 'b')` });
    await repo.commit({ table: 'seq', author, sql: 'DELETE FROM seq' });
    await repo.sql(`SELECT setval(pg_get_serial_sequence('seq', 'id'), 1)`);
    await repo.restore({ table: 'seq', ref: 'HEAD~1' });
    const { rows } = await repo.db.query<{ id: string }>(`INSERT INTO seq (v) VALUES ('next') RETURNING id::text`);
    expect(Number(rows[0].id)).toBeGreaterThan(11);
  });

  it('a restore refused by a foreign key, a check constraint or a trigger changes nothing', async () => {
    await repo.sql(`CREATE TABLE parent (id int PRIMARY KEY);
      INSERT INTO parent VALUES (1), (2);
      CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent, amount int)`);
    await repo.track('child', { author });
    await repo.commit({ table: 'child', author, sql: 'INSERT INTO child VALUES (1, 1, 500), (2, 2, 5)' });
    await repo.commit({ table: 'child', author, sql: 'DELETE FROM child WHERE id = 1; UPDATE child SET amount = 6 WHERE id = 2' });
    const head = (await repo.tables()).find((x) => x.display === 'child')?.headCommit;
    const state = async () => (await repo.db.query<{ s: string }>(`SELECT string_agg(id || ':' || amount, ',' ORDER BY id) AS s FROM child`)).rows[0].s;

    await repo.sql('DELETE FROM parent WHERE id = 1');
    const fk = await errorOf(repo.restore({ table: 'child', ref: 'HEAD~1' }));
    expect(fk.code).toBe('E_FK_VIOLATION');
    expect(fk.data).toMatchObject({ table: 'child', constraint: 'child_parent_fkey', referencing: 'child' });
    expect(await state()).toBe('2:6');
    await repo.sql('INSERT INTO parent VALUES (1)');

    await repo.sql('ALTER TABLE child ADD CONSTRAINT small CHECK (amount < 100) NOT VALID');
    const check = await errorOf(repo.checkout({ table: 'child', ref: 'HEAD~1', author }));
    expect(check.code).toBe('E_APPLY_REFUSED');
    expect(await state()).toBe('2:6');
    await repo.sql('ALTER TABLE child DROP CONSTRAINT small');

    await repo.sql(`CREATE FUNCTION no_five() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.amount = 5 THEN RAISE EXCEPTION 'five is not allowed'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER no_five BEFORE INSERT OR UPDATE ON child FOR EACH ROW EXECUTE FUNCTION no_five()`);
    const trig = await errorOf(repo.restore({ table: 'child', ref: 'HEAD~1' }));
    expect(trig.code).toBe('E_APPLY_REFUSED');
    expect(await state()).toBe('2:6');
    expect((await repo.status({ table: 'child' }))[0].clean).toBe(true);
    expect((await repo.tables()).find((x) => x.display === 'child')?.headCommit).toBe(head);
    await repo.sql('DROP TRIGGER no_five ON child');
  });

  describe('rollback', () => {
    beforeAll(async () => {
      await repo.sql(`CREATE TABLE acct (id int PRIMARY KEY, name text, credit int)`);
      await repo.track('acct', { author });
      await repo.commit({ table: 'acct', author, sql: `INSERT INTO acct VALUES (1, 'Ann', 10), (2, 'Bob', 20), (3, 'Cy', 30)` });
    });

    it('undoes exactly one commit: inserts, updates and deletes', async () => {
      await repo.commit({ table: 'acct', author, message: 'mixed', sql: `INSERT INTO acct VALUES (4, 'Di', 40); UPDATE acct SET credit = 11 WHERE id = 1; DELETE FROM acct WHERE id = 3` });
      const r = await repo.rollback({ table: 'acct', author });
      expect(r.commit.kind).toBe('ROLLBACK');
      expect(r.commit.message).toMatch(/^Rollback "mixed"/);
      expect(r.applied).toEqual({ inserted: 1, updated: 1, deleted: 1 });
      const { rows } = await repo.db.query<{ s: string }>(`SELECT string_agg(id || ':' || name || ':' || credit, ',' ORDER BY id) AS s FROM acct`);
      expect(rows[0].s).toBe('1:Ann:10,2:Bob:20,3:Cy:30');
    });

    it("records each row's net change over several statements: its first before, its last after", async () => {
      // 2,000 rows changed twice and 1,000 inserted and deleted in one transaction:
      // enough rows that pairing each key's first and last change by a join
      // the planner believes is 1 row long would show (n^2), not just be wrong.
      await repo.sql('CREATE TABLE netted (id int PRIMARY KEY, v int); INSERT INTO netted SELECT g, g FROM generate_series(1, 3000) g');
      await repo.track('netted', { author });
      const r = await repo.commit({
        table: 'netted', author, message: 'net',
        sql: `UPDATE netted SET v = v + 1 WHERE id <= 2000; UPDATE netted SET v = v * 10 WHERE id <= 2000;
              DELETE FROM netted WHERE id > 2000; INSERT INTO netted SELECT g, g FROM generate_series(2001, 3000) g WHERE g % 2 = 0;
              INSERT INTO netted VALUES (4000, 1); DELETE FROM netted WHERE id = 4000`,
      });
      expect(r.commit).toMatchObject({ inserted: 0, updated: 2000, deleted: 500 });
      const { rows } = await repo.db.query<{ n: string; ok: string }>(
        `SELECT count(*)::text AS n,
                count(*) FILTER (WHERE (key->>'id')::int <= 2000 AND before->>'v' = key->>'id'
                                   AND after->>'v' = (((key->>'id')::int + 1) * 10)::text
                                 OR (key->>'id')::int > 2000 AND (key->>'id')::int % 2 = 1 AND after IS NULL
                                   AND before->>'v' = key->>'id')::text AS ok
         FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`,
        [r.commit.id],
      );
      expect(rows[0]).toEqual({ n: '2500', ok: '2500' });
      expect((await repo.verify()).ok).toBe(true);
    });

    it('keeps a later change to another column of the same row (cell-level)', async () => {
      await repo.commit({ table: 'acct', author, message: 'rename', sql: `UPDATE acct SET name = 'Anne' WHERE id = 1` });
      await repo.commit({ table: 'acct', author, message: 'credit', sql: `UPDATE acct SET credit = 15 WHERE id = 1` });
      await repo.rollback({ table: 'acct', ref: 'HEAD~1', author });
      const { rows } = await repo.db.query<{ name: string; credit: string }>('SELECT name, credit::text FROM acct WHERE id = 1');
      expect(rows[0]).toEqual({ name: 'Ann', credit: '15' });
    });

    it('stops on a later change to the same cell, lists it, and changes nothing; --force overwrites', async () => {
      await repo.commit({ table: 'acct', author, message: 'bob 21', sql: `UPDATE acct SET credit = 21 WHERE id = 2` });
      await repo.commit({ table: 'acct', author, message: 'bob 22', sql: `UPDATE acct SET credit = 22 WHERE id = 2` });
      const head = (await repo.tables()).find((x) => x.display === 'acct')?.headCommit;
      const e = await errorOf(repo.rollback({ table: 'acct', ref: 'HEAD~1', author }));
      expect(e.code).toBe('E_ROLLBACK_CONFLICT');
      expect((e.data as { conflicts: unknown[] }).conflicts).toEqual([
        { key: { id: '2' }, column: 'credit', reason: 'changed', before: '20', after: '21', current: '22' },
      ]);
      expect((await repo.tables()).find((x) => x.display === 'acct')?.headCommit).toBe(head);
      const forced = await repo.rollback({ table: 'acct', ref: 'HEAD~1', author, force: true });
      expect(forced.overridden).toHaveLength(1);
      const { rows } = await repo.db.query<{ credit: string }>('SELECT credit::text FROM acct WHERE id = 2');
      expect(rows[0].credit).toBe('20');
    });

    it('treats an uncommitted change to the same row as a conflict', async () => {
      await repo.commit({ table: 'acct', author, message: 'cy', sql: `UPDATE acct SET name = 'Cyd' WHERE id = 3` });
      await repo.sql(`UPDATE acct SET credit = 31 WHERE id = 3`);
      const e = await errorOf(repo.rollback({ table: 'acct', author }));
      expect(e.code).toBe('E_ROLLBACK_CONFLICT');
      expect((e.data as { conflicts: { reason: string }[] }).conflicts[0].reason).toBe('uncommitted');
      await repo.restore({ table: 'acct' });
      const r = await repo.rollback({ table: 'acct', author });
      expect(r.applied.updated).toBe(1);
      const again = await errorOf(repo.rollback({ table: 'acct', ref: 'HEAD~1', author }));
      expect(again.code).toBe('E_NOTHING_TO_ROLLBACK');
    });
  });

  it('blame names, per column, the commit that set the current value', async () => {
    const b = await repo.blame({ table: 'acct', key: '1' });
    expect(b.rows).toHaveLength(1);
    const by = Object.fromEntries(b.rows[0].cells.map((c) => [c.column, b.commits[c.commit as string].message]));
    expect(by.id).toMatch(/^INSERT INTO acct/);
    expect(by.name).toMatch(/^Rollback "rename"/);
    expect(by.credit).toBe('credit');
    const all = await repo.blame({ table: 'acct' });
    expect(all.rows.map((r) => r.key.id)).toEqual(['1', '2', '3']);
    await repo.sql(`UPDATE acct SET credit = 99 WHERE id = 2`);
    const dirty = await repo.blame({ table: 'acct', key: 'id=2' });
    expect(dirty.rows[0].cells.find((c) => c.column === 'credit')).toMatchObject({ value: '99', commit: null, uncommitted: true });
    await repo.restore({ table: 'acct' });
  });

  it('a row history lists only the commits that changed it, newest first', async () => {
    const h = await repo.rowLog({ table: 'acct', key: 'id=2' });
    expect(h.entries.map((e) => e.after?.credit)).toEqual(['20', '22', '21', '20']);
    const { rows } = await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.row_history('acct', '{"id": 2}')`);
    expect(rows[0].n).toBe('4');
    const bad = await errorOf(repo.rowLog({ table: 'acct', key: 'id=x' }));
    expect(bad.code).toBe('E_BAD_KEY');
  });
});
