/**
 * Time travel end to end through bin/vsg: checkout, restore, rollback, show
 * <commit>:<table>, export, log --row, blame, and every refusal (uncommitted
 * changes, rollback conflicts, the user's foreign key / check / trigger),
 * with exact values for the type-fidelity table. Set-up, commits that only
 * build history and the reads that check a state (log, status, diff) use the
 * library; the commands whose output, exit code or error a test asserts are
 * spawned.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

const FIDELITY = `CREATE TYPE mood AS ENUM ('sad', 'happy');
  CREATE TABLE fidelity (id int8 PRIMARY KEY, n numeric(20,10), f float8, fi float8, ts timestamptz, b bytea,
    a int[], j json, jb jsonb, t text, e mood, nul text);
  INSERT INTO fidelity VALUES
  (9007199254740993, 1234567890.0123456789, 'NaN', '-Infinity', '2024-02-29 12:34:56.123456+05:30', '\\xdeadbeef00',
   '[0:2]={7,8,9}', '{"b":1,  "a":[1, 2]}', '{"k": null}', E'line1\\nline2 🐘', 'happy', NULL),
  (2, 0.0000000001, 'Infinity', -0.0, '1999-12-31 23:59:59.999999+00', '\\x', '{}', 'null', 'null', '', 'sad', NULL)`;
const TEXT_COLS = 'id::text, n::text, f::text, fi::text, ts::text, b::text, a::text, j::text, jb::text, t, e::text, nul';
const DIFFERS = `SELECT count(*)::text AS n FROM ((SELECT ${TEXT_COLS} FROM fidelity EXCEPT ALL SELECT ${TEXT_COLS} FROM snap)
  UNION ALL (SELECT ${TEXT_COLS} FROM snap EXCEPT ALL SELECT ${TEXT_COLS} FROM fidelity)) x`;

// PGlite spawns cost seconds each on a busy machine.
vi.setConfig({ testTimeout: 300_000 });

describe.each(targetNames())('time travel CLI on %s', (name) => {
  let t: Target;
  const code = (stderr: string) => /code: (E_\w+)/.exec(stderr)?.[1];
  const acct = async () => String((await t.sql(`SELECT string_agg(id || ':' || name || ':' || credit, ',' ORDER BY id) AS s FROM acct`)).rows[0].s);
  /** the library on this target, closed before the next CLI run (PGlite admits one process) */
  const lib = <T>(f: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, f);
  const head = (table: string) => lib(async (repo) => (await repo.log({ table, limit: 1 })).commits[0]);
  const clean = (table: string) => lib(async (repo) => (await repo.status({ table }))[0].clean);

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    const author = 'alice';
    try {
      await repo.sql('CREATE TABLE acct (id serial PRIMARY KEY, name text, credit int)');
      await repo.sql(`INSERT INTO acct (name, credit) VALUES ('Ann', 10), ('Bob', 20)`);
      await repo.track('acct', { author });
      await repo.commit({ table: 'acct', author, message: 'raise Ann', sql: 'UPDATE acct SET credit = 15 WHERE id = 1' });
      await repo.commit({ table: 'acct', author: 'bob', message: 'add Cy', sql: `INSERT INTO acct (name, credit) VALUES ('Cy', 30)` });
      await repo.commit({ table: 'acct', author, message: 'drop Bob', sql: 'DELETE FROM acct WHERE id = 2' });
      await repo.sql(FIDELITY);
      await repo.track('fidelity', { author });
      await repo.sql('CREATE TABLE snap AS SELECT * FROM fidelity');
      await repo.commit({ table: 'fidelity', author, sql: `UPDATE fidelity SET n = -n, a = '{1}', j = '[]', jb = '{"k": 0}', t = 'x', e = 'sad', nul = 'y'; DELETE FROM fidelity WHERE id = 2` });
    } finally {
      await repo.close();
    }
  }, 120_000);
  afterAll(() => t.cleanup());

  it('reads any version: show <commit>:<table>, export in every format, log --row, blame', async () => {
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD~2:acct', '--json']));
    expect(shown.columns).toEqual(['id', 'name', 'credit']);
    expect(shown.rows).toEqual([['1', 'Ann', '15'], ['2', 'Bob', '20']]);
    expect(await vsgOk(t, ['export', '-t', 'acct', '--at', 'HEAD~1', '--format', 'csv'])).toBe('id,name,credit\n1,Ann,15\n2,Bob,20\n3,Cy,30\n');
    expect(JSON.parse(await vsgOk(t, ['export', '-t', 'acct', '--format', 'json']))).toEqual([
      { id: '1', name: 'Ann', credit: '15' },
      { id: '3', name: 'Cy', credit: '30' },
    ]);
    const sql = await vsgOk(t, ['export', '-t', 'acct', '--at', 'HEAD~3', '--format', 'sql']);
    expect(sql).toContain(`INSERT INTO "public"."acct" ("id", "name", "credit") VALUES ('2', 'Bob', '20');`);
    const table = await vsgOk(t, ['export', '-t', 'fidelity', '--at', 'HEAD~1']);
    expect(table).toContain('9007199254740993');
    expect(table).toContain('(2 rows)');
    const rowLog = JSON.parse(await vsgOk(t, ['log', '-t', 'acct', '--row', 'id=2', '--json']));
    expect(rowLog.entries.map((e: { commit: { message: string }; after: unknown }) => [e.commit.message, e.after])).toEqual([
      ['drop Bob', null],
      ['track acct', { id: '2', name: 'Bob', credit: '20' }],
    ]);
    // from a start commit: the row's history as seen from there (before 'drop Bob')
    const before = JSON.parse(await vsgOk(t, ['log', '-t', 'acct', 'HEAD~1', '--row', 'id=2', '--json']));
    expect(before.entries.map((e: { commit: { message: string }; after: unknown }) => [e.commit.message, e.after])).toEqual([
      ['track acct', { id: '2', name: 'Bob', credit: '20' }],
    ]);
    expect(await vsgOk(t, ['log', '-t', 'acct', 'HEAD~2', '--row', '1', '--oneline'])).toMatch(/^[0-9a-f]{7} raise Ann {2}id=1 name=Ann, credit=15\n[0-9a-f]{7} track acct {2}id=1 name=Ann, credit=10\n$/);
    const blame = JSON.parse(await vsgOk(t, ['blame', '-t', 'acct', '1', '--json']));
    const credit = blame.rows[0].cells.find((c: { column: string }) => c.column === 'credit');
    expect(blame.commits[credit.commit]).toMatchObject({ author: 'alice', message: 'raise Ann' });
    const text = await vsgOk(t, ['blame', '-t', 'acct']);
    expect(text).toMatch(/id=3\n {2}id {6}[0-9a-f]{7} bob/);
  });

  it('checkout commits the old rows on top of HEAD; refuses uncommitted changes unless --force', async () => {
    const out = await vsgOk(t, ['checkout', 'HEAD~2', '-t', 'acct']);
    expect(out).toMatch(/^\[main [0-9a-f]{7}\] checked out [0-9a-f]{7} into acct: 1 inserted, 1 deleted/);
    const c = await head('acct');
    expect(c.kind).toBe('CHECKOUT');
    expect(c.message).toMatch(/^Check out [0-9a-f]{7} \("raise Ann"\)$/);
    expect(await acct()).toBe('1:Ann:15,2:Bob:20');
    const same = JSON.parse(await vsgOk(t, ['checkout', 'HEAD', '-t', 'acct', '--json']));
    expect(same).toMatchObject({ alreadyAt: true, commit: null });

    await t.sql(`UPDATE acct SET credit = 99 WHERE id = 1`);
    const refused = await vsg(t, ['checkout', 'HEAD~1', '-t', 'acct', '--verbose']);
    expect(refused.code).toBe(1);
    expect(code(refused.stderr)).toBe('E_UNCOMMITTED');
    expect(await acct()).toBe('1:Ann:99,2:Bob:20');
    const forced = JSON.parse(await vsgOk(t, ['checkout', 'HEAD~1', '-t', 'acct', '--force', '-m', 'back again', '--json']));
    expect(forced.commit.message).toBe('back again');
    expect(forced.discarded).toBe(1);
    expect(await acct()).toBe('1:Ann:15,3:Cy:30');
    expect(await clean('acct')).toBe(true);
  });

  it('restore puts rows back without committing; restore alone discards; sequences stay ahead', async () => {
    expect(await vsgOk(t, ['restore', 'HEAD~4', '-t', 'acct'])).toMatch(/restored acct to [0-9a-f]{7}: .*\n2 uncommitted changes against HEAD/);
    const d = await lib((repo) => repo.diff({ table: 'acct' })); // against HEAD, which did not move
    expect(d.stat).toMatchObject({ inserted: 1, updated: 0, deleted: 1 });
    await t.sql(`INSERT INTO acct (name, credit) VALUES ('Dee', 1)`); // the serial is not behind
    expect(await vsgOk(t, ['restore', '-t', 'acct'])).toMatch(/nothing to commit, working table clean/);
    expect(await clean('acct')).toBe(true);
    expect(await acct()).toBe('1:Ann:15,3:Cy:30');
  });

  it('rollback undoes one commit; a conflicting later change stops it unless --force', async () => {
    await lib(async (repo) => {
      await repo.db.query(`UPDATE acct SET credit = 16 WHERE id = 1`);
      await repo.commit({ table: 'acct', message: 'Ann 16', author: 'tester' });
      await repo.commit({ table: 'acct', message: 'Ann 17', sql: 'UPDATE acct SET credit = 17 WHERE id = 1', author: 'tester' });
    });
    const refused = await vsg(t, ['rollback', 'HEAD~1', '-t', 'acct', '--verbose']);
    expect(refused.code).toBe(1);
    expect(code(refused.stderr)).toBe('E_ROLLBACK_CONFLICT');
    expect(refused.stderr).toContain('id=1 credit');
    expect(await acct()).toBe('1:Ann:17,3:Cy:30');
    expect(await vsgOk(t, ['rollback', '-t', 'acct'])).toMatch(/^\[main [0-9a-f]{7}\] rolled back [0-9a-f]{7} in acct: 1 updated/);
    expect(await acct()).toBe('1:Ann:16,3:Cy:30');
    const c = await head('acct');
    expect(c.kind).toBe('ROLLBACK');
    expect(c.message).toMatch(/^Rollback "Ann 17"/);
    expect(c.parents).toHaveLength(1);
    await lib((repo) => repo.commit({ table: 'acct', message: 'Ann 18', sql: 'UPDATE acct SET credit = 18 WHERE id = 1', author: 'tester' }));
    // HEAD~2 is 'Ann 17' (16 -> 17); the cell now holds 18: forced, it goes back to 16
    await vsgOk(t, ['rollback', 'HEAD~2', '-t', 'acct', '--force']);
    expect(await acct()).toBe('1:Ann:16,3:Cy:30');
  });

  it('checkout and restore bring the type-fidelity table back exactly', async () => {
    // the engine's round trip, through the library that `vsg checkout` and `vsg restore` call as is (their CLI output is asserted above)
    const differs = await lib(async (repo) => {
      const n = async () => String((await repo.db.query(DIFFERS)).rows[0].n);
      await repo.checkout({ ref: 'HEAD~1', table: 'fidelity', author: 'tester' });
      const checkedOut = await n();
      await repo.restore({ ref: 'HEAD~1', table: 'fidelity' });
      const restoredOld = await n();
      await repo.restore({ ref: 'HEAD', table: 'fidelity' });
      return [checkedOut, restoredOld, await n()];
    });
    expect(differs[0]).toBe('0');
    expect(differs[1]).not.toBe('0');
    expect(differs[2]).toBe('0');
  });

  it('a restore refused by a foreign key, a check constraint or a trigger fails as a whole', async () => {
    await lib(async (repo) => {
      await repo.db.query(`CREATE TABLE parent (id int PRIMARY KEY); INSERT INTO parent VALUES (1), (2);
        CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent, amount int);
        INSERT INTO child VALUES (1, 1, 500), (2, 2, 5)`);
      await repo.track('child', { author: 'tester' });
      await repo.commit({ table: 'child', sql: 'DELETE FROM child WHERE id = 1; UPDATE child SET amount = 6 WHERE id = 2', author: 'tester' });
    });
    // the rows as they are, then the refusal's set-up undone (one open of the embedded database)
    const stateThenUndo = (undo: string) =>
      lib(async (repo) => {
        const s = String((await repo.db.query(`SELECT string_agg(id || ':' || amount, ',' ORDER BY id) AS s FROM child`)).rows[0].s);
        await repo.db.query(undo);
        return s;
      });
    const refusals = [
      ['DELETE FROM parent WHERE id = 1', 'INSERT INTO parent VALUES (1)', 'E_FK_VIOLATION'],
      ['ALTER TABLE child ADD CONSTRAINT small CHECK (amount < 100) NOT VALID', 'ALTER TABLE child DROP CONSTRAINT small', 'E_APPLY_REFUSED'],
      [
        `CREATE FUNCTION no_five() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.amount = 5 THEN RAISE EXCEPTION 'no five'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER no_five BEFORE INSERT OR UPDATE ON child FOR EACH ROW EXECUTE FUNCTION no_five()`,
        'DROP TRIGGER no_five ON child',
        'E_APPLY_REFUSED',
      ],
    ];
    for (const [setup, undo, expected] of refusals) {
      await t.sql(setup);
      const r = await vsg(t, ['restore', 'HEAD~1', '-t', 'child', '--verbose']);
      expect(r.code, setup).toBe(4);
      expect(code(r.stderr)).toBe(expected);
      expect(await stateThenUndo(undo)).toBe('2:6');
    }
    expect(await clean('child')).toBe(true);
  });
});
