/**
 * SQL that would end vsg's transaction, or that cannot run inside one, is
 * refused through bin/vsg before any of it runs: exit 4 ("nothing was
 * changed") stays true, the table and its history are as they were. The word
 * COMMIT in a string, a dollar-quoted body or a comment is not a COMMIT, and
 * a savepoint the SQL sets and releases itself is fine. `vsg sql` runs as
 * psql would, so transaction control keeps working there.
 *
 * Set-up and the state checked before and after (rows, commit count) go
 * through the library; bin/vsg runs the commands whose exit code and output
 * are asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

const AUTHOR = { author: 'tester' };

// PGlite starts in seconds on a busy machine, and each case is a process of its own.
describe.each(targetNames())('transaction control in the SQL of a commit on %s', { timeout: 240_000 }, (name) => {
  let t: Target;
  /** Open the library, run `fn`, close (PGlite: before bin/vsg runs again). */
  const inRepo = <T>(fn: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, fn);
  /** The rows as `vsg sql --json` gives them: each a list of text values. */
  const rowsOf = async (repo: Repository) =>
    (await repo.db.query('SELECT id::text, name FROM clients ORDER BY id')).rows.map((r) => [r.id, r.name]) as string[][];
  const commitsOf = async (repo: Repository) => (await repo.log({ table: 'clients' })).commits.length;
  const commits = () => inRepo(commitsOf);
  const state = () => inRepo(async (repo) => [await rowsOf(repo), await commitsOf(repo)]);

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql("CREATE TABLE clients (id int PRIMARY KEY, name text); INSERT INTO clients VALUES (1, 'ann'), (2, 'bob')");
      await repo.track('clients', AUTHOR);
    } finally {
      await repo.close();
    }
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
    if (name === 'postgres') {
      for (const [sql, line] of cases) {
        const r = await vsg(t, ['commit', '-t', 'clients', sql]);
        expect([sql, r.code, r.stderr.split('\n')[0], r.stderr.split('\n')[1]?.startsWith('hint: ')]).toEqual([sql, 4, line, true]);
      }
    } else {
      // The refusal is decided before any SQL runs, alike on both databases: bin/vsg shows each on the server
      // (and the first test shows a refusal through bin/vsg here); on PGlite the library gives the same error,
      // its exit code and hint, without a cold start of the database per case.
      await inRepo(async (repo) => {
        for (const [sql, line] of cases) {
          const e = await repo.commit({ table: 'clients', sql, ...AUTHOR }).then(
            () => expect.fail(`${sql} went through`),
            (x: { message: string; exitCode?: number; hint?: string }) => x,
          );
          expect([sql, e.exitCode, `error: ${e.message}`, Boolean(e.hint)]).toEqual([sql, 4, line, true]);
        }
      });
    }
    expect(await state()).toEqual(before);
  }, 600_000);

  it('allows a savepoint the SQL sets and releases or rolls back to itself', async () => {
    // bin/vsg takes the first; the second, and the checks, through the library
    const n = await commits();
    await vsgOk(t, ['commit', '-t', 'clients', "SAVEPOINT a; UPDATE clients SET name = 'ann2' WHERE id = 1; RELEASE a"]);
    await inRepo(async (repo) => {
      await repo.commit({ table: 'clients', sql: "SAVEPOINT a; UPDATE clients SET name = 'gone' WHERE id = 1; ROLLBACK TO SAVEPOINT a; UPDATE clients SET name = 'bob2' WHERE id = 2", ...AUTHOR });
      expect(await rowsOf(repo)).toEqual([
        ['1', 'ann2'],
        ['2', 'bob2'],
      ]);
      expect(await commitsOf(repo)).toBe(n + 2);
      const last = JSON.parse(JSON.stringify(await repo.show('HEAD', { table: 'clients' })));
      expect(last.changes).toEqual([{ key: { id: '2' }, old: { id: '2', name: 'bob' }, new: { id: '2', name: 'bob2' } }]);
    });
  });

  it('COMMIT inside a string, a dollar-quoted body or a comment is not a COMMIT', async () => {
    // the string and the dollar-quoted body through the library; the comments through bin/vsg (after --: SQL that starts with --)
    const n = await commits();
    await inRepo(async (repo) => {
      await repo.commit({ table: 'clients', sql: "UPDATE clients SET name = 'COMMIT' WHERE id = 1", ...AUTHOR });
      await repo.commit({ table: 'clients', sql: 'UPDATE clients SET name = $body$ROLLBACK; COMMIT$body$ WHERE id = 2', ...AUTHOR });
    });
    await vsgOk(t, ['commit', '-t', 'clients', '--', "-- COMMIT\nUPDATE clients SET name = 'c1' WHERE id = 1 /* COMMIT; */; -- END"]);
    expect(await state()).toEqual([
      [
        ['1', 'c1'],
        ['2', 'ROLLBACK; COMMIT'],
      ],
      n + 3,
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
    await inRepo(async (repo) => {
      expect((await rowsOf(repo))[0]).toEqual(['1', 'via-sql']);
      expect((await repo.status()).map((s) => [s.table, s.updated])).toEqual([['clients', 1]]);
    });
  });
});
