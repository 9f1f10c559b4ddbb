/**
 * SQL that would end vsg's transaction, or that cannot run inside one, is
 * refused through bin/vsg before any of it runs: exit 4 ("nothing was
 * changed") stays true, the table and its history are as they were. The word
 * COMMIT in a string, a dollar-quoted body or a comment is not a COMMIT, and
 * a savepoint the SQL sets and releases itself is fine. `vsg sql` runs as
 * psql would, so transaction control keeps working there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

// PGlite starts in seconds on a busy machine, and each case is a process of its own.
describe.each(targetNames())('transaction control in the SQL of a commit on %s', { timeout: 240_000 }, (name) => {
  let t: Target;
  const rows = async () => JSON.parse(await vsgOk(t, ['sql', 'SELECT id, name FROM clients ORDER BY id', '--json'])).rows as string[][];
  const commits = async () => JSON.parse(await vsgOk(t, ['log', '-t', 'clients', '--json'])).commits.length as number;
  const state = async () => [await rows(), await commits()];

  beforeAll(async () => {
    t = await makeTarget(name);
    await vsgOk(t, ['init']);
    await vsgOk(t, ['sql', "CREATE TABLE clients (id int PRIMARY KEY, name text); INSERT INTO clients VALUES (1, 'ann'), (2, 'bob')"]);
    await vsgOk(t, ['track', 'clients']);
  });
  afterAll(() => t.cleanup());

  it('refuses a COMMIT before anything runs: the row and the history stay, exit 4', async () => {
    const before = await state();
    const r = await vsg(t, ['commit', '-t', 'clients', "UPDATE clients SET name = 'x' WHERE id = 1; COMMIT"]);
    expect([r.code, r.stdout]).toEqual([4, '']);
    expect(await state()).toEqual(before);
    expect(r.stderr).toBe(
      "error: 'COMMIT' would end vsg's transaction; nothing was run\n" +
        "hint: drop it: vsg commits the change together with its record (or run the SQL outside vsg's history with 'vsg sql' or psql)\n",
    );
    expect(before[0]).toEqual([
      ['1', 'ann'],
      ['2', 'bob'],
    ]);
  });

  it('names each kind of statement it refuses, and runs none of them', async () => {
    const before = await state();
    const cases: [string, string][] = [
      ["UPDATE clients SET name = 'x' WHERE id = 1; ROLLBACK", "error: 'ROLLBACK' would end vsg's transaction; nothing was run"],
      ["UPDATE clients SET name = 'x' WHERE id = 1;\nend;", "error: 'END' would end vsg's transaction; nothing was run"],
      ["BEGIN; UPDATE clients SET name = 'x' WHERE id = 1; COMMIT;", "error: 'BEGIN' cannot start a transaction inside vsg's; nothing was run"],
      ["START TRANSACTION ISOLATION LEVEL SERIALIZABLE; UPDATE clients SET name = 'x' WHERE id = 1", "error: 'START TRANSACTION' cannot start a transaction inside vsg's; nothing was run"],
      ["UPDATE clients SET name = 'x' WHERE id = 1; PREPARE TRANSACTION 'p1'", "error: 'PREPARE TRANSACTION' would end vsg's transaction; nothing was run"],
      ["COMMIT PREPARED 'p1'", "error: 'COMMIT PREPARED' cannot run inside a transaction block, and vsg runs the SQL in one; nothing was run"],
      ["UPDATE clients SET name = 'x' WHERE id = 1; VACUUM clients", "error: 'VACUUM' cannot run inside a transaction block, and vsg runs the SQL in one; nothing was run"],
      ['CREATE INDEX CONCURRENTLY clients_name ON clients (name)', "error: 'CREATE INDEX CONCURRENTLY' cannot run inside a transaction block, and vsg runs the SQL in one; nothing was run"],
      ['CREATE DATABASE vsg_never_made', "error: 'CREATE DATABASE' cannot run inside a transaction block, and vsg runs the SQL in one; nothing was run"],
      ["UPDATE clients SET name = 'x' WHERE id = 1; RELEASE SAVEPOINT outer_one", "error: 'RELEASE SAVEPOINT outer_one' names a savepoint the SQL did not set; nothing was run"],
      ["SAVEPOINT a; RELEASE a; UPDATE clients SET name = 'x' WHERE id = 1; ROLLBACK TO a", "error: 'ROLLBACK TO SAVEPOINT a' names a savepoint the SQL did not set; nothing was run"],
    ];
    for (const [sql, line] of cases) {
      const r = await vsg(t, ['commit', '-t', 'clients', sql]);
      expect([sql, r.code, r.stderr.split('\n')[0], r.stderr.split('\n')[1]?.startsWith('hint: ')]).toEqual([sql, 4, line, true]);
    }
    expect(await state()).toEqual(before);
  }, 600_000);

  it('allows a savepoint the SQL sets and releases or rolls back to itself', async () => {
    const n = await commits();
    await vsgOk(t, ['commit', '-t', 'clients', "SAVEPOINT a; UPDATE clients SET name = 'ann2' WHERE id = 1; RELEASE a"]);
    await vsgOk(t, ['commit', '-t', 'clients', "SAVEPOINT a; UPDATE clients SET name = 'gone' WHERE id = 1; ROLLBACK TO SAVEPOINT a; UPDATE clients SET name = 'bob2' WHERE id = 2"]);
    expect(await rows()).toEqual([
      ['1', 'ann2'],
      ['2', 'bob2'],
    ]);
    expect(await commits()).toBe(n + 2);
    const last = JSON.parse(await vsgOk(t, ['show', 'HEAD', '-t', 'clients', '--json']));
    expect(last.changes).toEqual([{ key: { id: '2' }, old: { id: '2', name: 'bob' }, new: { id: '2', name: 'bob2' } }]);
  });

  it('COMMIT inside a string, a dollar-quoted body or a comment is not a COMMIT', async () => {
    await vsgOk(t, ['commit', '-t', 'clients', "UPDATE clients SET name = 'COMMIT' WHERE id = 1"]);
    await vsgOk(t, ['commit', '-t', 'clients', 'UPDATE clients SET name = $body$ROLLBACK; COMMIT$body$ WHERE id = 2']);
    await vsgOk(t, ['commit', '-t', 'clients', '--', "-- COMMIT\nUPDATE clients SET name = 'c1' WHERE id = 1 /* COMMIT; */; -- END"]);
    expect(await rows()).toEqual([
      ['1', 'c1'],
      ['2', 'ROLLBACK; COMMIT'],
    ]);
  });

  it('a COMMIT in a DO body is PostgreSQL\'s to refuse, and changes nothing', async () => {
    const before = await state();
    const r = await vsg(t, ['commit', '-t', 'clients', "DO $$ BEGIN UPDATE clients SET name = 'x' WHERE id = 1; COMMIT; END $$"]);
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')[0]).toMatch(/^error: invalid transaction termination/);
    expect(await state()).toEqual(before);
  });

  it('SQL that does not parse is left to PostgreSQL, with its caret', async () => {
    const before = await state();
    const r = await vsg(t, ['commit', '-t', 'clients', "UPDAT clients SET name = 'x'; COMMIT"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('error: syntax error at or near "UPDAT"\nLINE 1: UPDAT clients SET name = \'x\'; COMMIT\n        ^\n');
    expect(await state()).toEqual(before);
  });

  it('vsg sql runs transaction control as psql would', async () => {
    await vsgOk(t, ['sql', "BEGIN; UPDATE clients SET name = 'via-sql' WHERE id = 1; COMMIT"]);
    await vsgOk(t, ['sql', 'VACUUM clients']);
    expect((await rows())[0]).toEqual(['1', 'via-sql']);
    const status = JSON.parse(await vsgOk(t, ['status', '--json']));
    expect(status.map((s: { table: string; updated: number }) => [s.table, s.updated])).toEqual([['clients', 1]]);
  });
});
