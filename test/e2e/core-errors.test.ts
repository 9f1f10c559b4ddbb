/**
 * Every core command's options and refusals through bin/vsg: the exit code,
 * one clear line on stderr, and the table and history exactly as they were.
 * Set-up and the reads that check "nothing changed" go through the library
 * (one in-process open instead of a CLI start each); the commands whose
 * output, exit code or stderr a test asserts are spawned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

describe.each(targetNames())('core commands and their errors on %s', (name) => {
  let t: Target;
  /** the library on this target, closed before the next CLI run (PGlite admits one process) */
  const lib = <T>(f: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, f);
  const log = (opts: { limit?: number } = {}) => lib(async (repo) => (await repo.log({ table: 'accounts', ...opts })).commits);
  const commits = async () => (await log()).length;
  /** the table's rows and the number of its commits, read in one open */
  const state = () => lib(async (repo) => [(await repo.db.query('SELECT * FROM accounts ORDER BY id')).rows, (await repo.log({ table: 'accounts' })).commits.length]);

  beforeAll(async () => {
    t = await makeTarget(name);
  });
  afterAll(() => t.cleanup());

  it('refuses to work before init, with a hint', async () => {
    const r = await vsg(t, ['status']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: no vsg repository in this database\nhint: run 'vsg init' first\n$/);
  });

  it('init is idempotent', async () => {
    expect(await vsgOk(t, ['init'])).toMatch(/^initialised vsg \(schema version \d+\)/);
    expect(await vsgOk(t, ['init'])).toMatch(/^vsg schema is up to date/);
  });

  it('track refuses a missing table, a table without a primary key, and a second track', async () => {
    await t.sql("CREATE TABLE nokey (a int); CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric(12,2)); INSERT INTO accounts VALUES (1, 'ann', 100), (2, 'bob', 50)");
    const missing = await vsg(t, ['track', 'nope']);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([3, "error: table 'nope' does not exist"]);
    const nokey = await vsg(t, ['track', 'nokey']);
    expect([nokey.code, nokey.stderr.split('\n')[0]]).toEqual([3, "error: table 'nokey' has no primary key"]);
    await lib((repo) => repo.track('accounts', { author: 'tester' }));
    const again = await vsg(t, ['track', 'accounts']);
    expect([again.code, again.stderr.split('\n')[0]]).toEqual([1, "error: table 'accounts' is already tracked"]);
  });

  it('tracks schema-qualified mixed-case names exactly', async () => {
    await t.sql('CREATE SCHEMA "Sales"; CREATE TABLE "Sales"."Order Lines" ("Id" int PRIMARY KEY, qty int); CREATE TABLE "Sales"."order lines" (id int PRIMARY KEY)');
    expect(await vsgOk(t, ['track', '"Sales"."Order Lines"'])).toMatch(/^tracking "Sales"\."Order Lines" on branch main/);
    // `vsg tables --json` prints this object; the CLI's listing is asserted in 'untrack --force' below
    const list = await lib(async (repo) => {
      await repo.commit({ table: '"Sales"."Order Lines"', sql: 'INSERT INTO "Sales"."Order Lines" VALUES (1, 2)', author: 'tester' });
      return repo.tables();
    });
    expect(list.map((x) => [x.display, x.commits])).toEqual([
      ['"Sales"."Order Lines"', 2],
      ['accounts', 1],
    ]);
  });

  it('a failing statement exits 4 with the position, and changes nothing', async () => {
    const before = await state();
    const r = await vsg(t, ['commit', '-t', 'accounts', "UPDATE accounts SET balance = 0; UPDAT accounts SET owner = 'x'"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('error: syntax error at or near "UPDAT"\nLINE 1: UPDATE accounts SET balance = 0; UPDAT accounts SET owner = \'x\'\n                                         ^\n');
    expect(await state()).toEqual(before);
  });

  // Plain statements that parse run inside the statement that locks the table
  // (vsg.run_statement): PostgreSQL's report must read as if they ran alone.
  it('a plain statement that fails after parsing (run with the lock) exits 4 with the position, and changes nothing', async () => {
    const before = await state();
    const r = await vsg(t, ['commit', '-t', 'accounts', 'UPDATE accounts SET balance = 0; UPDATE accounts SET nosuch = 1']);
    expect(r.code).toBe(4);
    const statement = 'UPDATE accounts SET balance = 0; UPDATE accounts SET nosuch = 1';
    expect(r.stderr).toBe(`error: column "nosuch" of relation "accounts" does not exist\nLINE 1: ${statement}\n${' '.repeat('LINE 1: '.length + statement.indexOf('nosuch'))}^\n`);
    expect(r.stderr).toContain('\n                                                             ^\n');
    const d = await vsg(t, ['commit', '-t', 'accounts', 'INSERT INTO accounts SELECT * FROM accounts']);
    expect(d.code).toBe(4);
    expect(d.stderr).toBe('error: duplicate key value violates unique constraint "accounts_pkey"\nDETAIL: Key (id)=(1) already exists.\n');
    expect(await state()).toEqual(before);
  });

  it('a statement that changes nothing makes no commit unless --allow-empty', async () => {
    const r = await vsg(t, ['commit', '-t', 'accounts', 'UPDATE accounts SET balance = balance WHERE id = 1']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("error: nothing to commit: no row of 'accounts' changed");
    const n = await commits();
    expect(await vsgOk(t, ['commit', '-t', 'accounts', '--allow-empty', '-m', 'checkpoint', 'SELECT 1'])).toMatch(/^\[main [0-9a-f]{7}\] NONE accounts: no change/);
    expect(await commits()).toBe(n + 1);
  });

  it('reads SQL from a file and from standard input, and records the author', async () => {
    const file = path.join(t.cwd, 'change.sql');
    fs.writeFileSync(file, "INSERT INTO accounts VALUES (3, 'cy', 10);\n");
    await vsgOk(t, ['commit', '-t', 'accounts', '-f', file, '--author', 'flag-author']);
    await vsgOk(t, ['commit', '-t', 'accounts', '-'], { input: 'UPDATE accounts SET balance = 11 WHERE id = 3', env: { VSG_AUTHOR: 'env-author' } });
    // `-f -` is standard input too, as in psql
    await vsgOk(t, ['commit', '-t', 'accounts', '-f', '-', '--author', 'stdin-author'], { input: 'UPDATE accounts SET balance = 12 WHERE id = 3' });
    expect((await log({ limit: 3 })).map((c: { author: string; operation: string }) => [c.author, c.operation])).toEqual([
      ['stdin-author', 'UPDATE'],
      ['env-author', 'UPDATE'],
      ['flag-author', 'INSERT'],
    ]);
    const missing = await vsg(t, ['commit', '-t', 'accounts', '-f', path.join(t.cwd, 'nope.sql')]);
    expect(missing.code).toBe(2);
  });

  it('--parent: commits on the named HEAD, refuses a stale one and changes nothing', async () => {
    const [head, stale] = await log({ limit: 2 });
    const before = await state();
    const r = await vsg(t, ['commit', '-t', 'accounts', '--parent', stale.shortId, 'DELETE FROM accounts WHERE id = 3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`'accounts' has moved: HEAD is ${head.shortId}, not ${stale.shortId}`);
    expect(r.stderr).toContain('commit on a branch and merge');
    expect(await state()).toEqual(before);
    await vsgOk(t, ['commit', '-t', 'accounts', '--parent', head.id, 'DELETE FROM accounts WHERE id = 3']);
  });

  it('commit without SQL records what others changed; status and diff showed it first', async () => {
    await t.sql("UPDATE accounts SET owner = 'Ann' WHERE id = 1; INSERT INTO accounts VALUES (4, 'dee', 1)");
    const [head] = await log({ limit: 1 });
    expect(await vsgOk(t, ['diff', '-t', 'accounts', '--stat'])).toBe(
      'diff accounts HEAD (' + head.shortId + ')..WORKING\n accounts | 2 rows changed: 1 inserted, 1 updated, 0 deleted\n    owner: 1 updated\n',
    );
    expect(await vsgOk(t, ['commit', '-t', 'accounts', '-m', 'app changes'])).toMatch(/^\[main [0-9a-f]{7}\] MIXED accounts: 1 inserted, 1 updated\n$/);
    expect((await lib((repo) => repo.status({ table: 'accounts' })))[0].clean).toBe(true);
  });

  it('log filters by count, author and date; --oneline is one line per commit', async () => {
    const one = (await vsgOk(t, ['log', '-t', 'accounts', '--oneline'])).trim().split('\n');
    expect(one.length).toBe(await commits());
    expect(one[0]).toMatch(/^[0-9a-f]{7} \(HEAD -> main\) app changes$/);
    expect(JSON.parse(await vsgOk(t, ['log', '-t', 'accounts', '--author', 'FLAG', '--json'])).commits.map((c: { author: string }) => c.author)).toEqual(['flag-author']);
    expect(JSON.parse(await vsgOk(t, ['log', '-t', 'accounts', '--since', '2999-01-01', '--json'])).commits).toEqual([]);
    expect((await vsg(t, ['log', '-n', 'many'])).code).toBe(2);
    expect((await vsg(t, ['log', '--since', 'someday'])).code).toBe(2);
  });

  it('references: prefixes, HEAD~N, and clear errors for unknown ones', async () => {
    const all = await log();
    // the CLI's --json of a prefix; HEAD~N and HEAD below resolve in the library, which `vsg show` calls as is
    const shown = JSON.parse(await vsgOk(t, ['show', all[2].id.slice(0, 5), '--json']));
    expect(shown.commit.id).toBe(all[2].id);
    expect((await lib((repo) => repo.show('HEAD~2', { table: 'accounts' }))).commit.id).toBe(all[2].id);
    const past = await vsg(t, ['show', `HEAD~${all.length}`, '-t', 'accounts']);
    expect([past.code, past.stderr.split('\n')[0]]).toEqual([3, `error: 'HEAD~${all.length}' goes back past the first commit`]);
    const unknown = await vsg(t, ['show', 'feedbeef']);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([3, "error: 'feedbeef' is not a commit, branch or tag"]);
    // With several tables tracked, HEAD is the newest commit of all, and HEAD~N counts back the commits of all.
    const [head, back, newest] = await lib(async (repo) => [(await repo.show('HEAD')).commit.id, (await repo.show('HEAD~1')).commit.id, (await repo.log({ limit: 2 })).commits]);
    expect(head).toBe(newest[0].id);
    expect(back).toBe(newest[1].id);
  });

  it('a table named where a reference or a key goes: the error names it as a table and says how to name one', async () => {
    const before = await state();
    const asRef = await vsg(t, ['log', 'accounts']);
    expect([asRef.code, asRef.stderr]).toEqual([3, "error: 'accounts' is not a commit, branch or tag, but a tracked table\nhint: to name the table, give -t accounts\n"]);
    const asKey = await vsg(t, ['blame', '-t', 'accounts', 'accounts']);
    expect([asKey.code, asKey.stderr]).toEqual([3, "error: 'accounts' is not a key of 'accounts': it names the table itself\nhint: name the table with -t accounts, then a key of it\n"]);
    // a branch of that name is a reference: it wins, as before
    await lib((repo) => repo.createBranch({ table: 'accounts', name: 'accounts' }));
    expect((await vsg(t, ['log', 'accounts', '--oneline'])).code).toBe(0);
    await lib((repo) => repo.deleteBranch({ table: 'accounts', name: 'accounts' }));
    expect(await state()).toEqual(before);
  });

  it('usage errors exit 2', async () => {
    expect((await vsg(t, ['frobnicate'])).code).toBe(2);
    expect((await vsg(t, ['log', '--frob'])).code).toBe(2);
    expect((await vsg(t, ['sql'])).code).toBe(2);
    // empty SQL (an unset variable in a script) is not "nothing to commit"; nothing is recorded
    const before = await commits();
    const empty = await vsg(t, ['commit', '-t', 'accounts', ' ']);
    expect([empty.code, empty.stderr]).toEqual([2, "error: the SQL to commit is empty\nhint: give a statement, or leave it out: 'vsg commit' alone records uncommitted changes\n"]);
    expect(await commits()).toBe(before);
  });

  it('sql: results as a table or JSON; errors exit 4', async () => {
    expect(await vsgOk(t, ['sql', "SELECT 1 AS one, NULL AS nothing, 'NULL' AS text"])).toBe(
      '┌─────┬─────────┬────────┐\n│ one │ nothing │ text   │\n├─────┼─────────┼────────┤\n│ 1   │ NULL    │ "NULL" │\n└─────┴─────────┴────────┘\n(1 row)\n',
    );
    const one = { command: 'SELECT', tag: 'SELECT 1', rowCount: 1, columns: ['one'], rows: [['1']] };
    expect(JSON.parse(await vsgOk(t, ['sql', 'SELECT 1 AS one', '--json']))).toEqual({ ...one, statements: [one] });
    const bad = await vsg(t, ['sql', 'SELECT nope FROM accounts']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([4, 'error: column "nope" does not exist']);
  });

  it('sql: every statement\'s result, in order, and columns of the same name kept apart', async () => {
    expect(await vsgOk(t, ['sql', "SELECT 1 AS a, 2 AS a; SET vsg.author = 'x'; SELECT 'b' AS b"])).toBe(
      '┌───┬───┐\n│ a │ a │\n├───┼───┤\n│ 1 │ 2 │\n└───┴───┘\n(1 row)\nSET\n┌───┐\n│ b │\n├───┤\n│ b │\n└───┘\n(1 row)\n',
    );
    const r = JSON.parse(await vsgOk(t, ['sql', 'SELECT 1 AS a, 2 AS a; SELECT 3 AS c', '--json']));
    expect(r.statements).toEqual([
      { command: 'SELECT', tag: 'SELECT 1', rowCount: 1, columns: ['a', 'a'], rows: [['1', '2']] },
      { command: 'SELECT', tag: 'SELECT 1', rowCount: 1, columns: ['c'], rows: [['3']] },
    ]);
    expect([r.columns, r.rows]).toEqual([['c'], [['3']]]);
  });

  it('no colour when stdout is not a terminal; --color forces it', async () => {
    const plainOut = await vsgOk(t, ['log', '-t', 'accounts', '--oneline', '-n', '1'], { env: { NO_COLOR: '' } });
    expect(plainOut).not.toContain('\u001b[');
    expect(await vsgOk(t, ['log', '-t', 'accounts', '--oneline', '-n', '1', '--color'])).toContain('\u001b[33m');
  });

  it('untrack --force deletes a history', async () => {
    expect(await vsgOk(t, ['untrack', '"Sales"."Order Lines"', '--force'])).toBe('untracked "Sales"."Order Lines" (2 commits deleted)\n');
    expect(JSON.parse(await vsgOk(t, ['tables', '--json'])).map((x: { display: string }) => x.display)).toEqual(['accounts']);
    // Its triggers are gone: a change to it is no longer captured anywhere.
    await t.sql('INSERT INTO "Sales"."Order Lines" VALUES (9, 9)');
    expect((await t.sql('SELECT count(*)::text AS n FROM vsg.pending')).rows).toEqual([{ n: '0' }]);
  });
});

describe('connection and configuration errors', () => {
  const dir = { cwd: '', env: { ...process.env, NO_COLOR: '1', VSG_DATABASE_URL: undefined } as NodeJS.ProcessEnv };
  beforeAll(() => {
    dir.cwd = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'vsg-conn-'));
  });
  afterAll(() => fs.rmSync(dir.cwd, { recursive: true, force: true }));

  it('an unreachable server is one line, exit 5, password masked', async () => {
    const r = await vsg(dir, ['status', '--url', "postgres://alice:p%40ss%23w%25rd'$@127.0.0.1:1/app"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error: cannot connect to 'postgres:\/\/alice:\*\*\*@127\.0\.0\.1:1\/app': connect ECONNREFUSED/);
    expect(r.stderr + r.stdout).not.toMatch(/p%40ss|p@ss|w%25rd|#w/);
  });

  it('a malformed .vsgrc is exit 5 and names the file, line and column once', async () => {
    fs.writeFileSync(path.join(dir.cwd, '.vsgrc.json'), '{"url": ');
    const r = await vsg(dir, ['status']);
    expect(r.code).toBe(5);
    expect(r.stderr.split('\n')[0]).toBe('error: .vsgrc.json:1:9: unexpected end of input');
  });

  it('an unset ${VAR} in .vsgrc is an error, not an empty password', async () => {
    fs.writeFileSync(path.join(dir.cwd, '.vsgrc.json'), '{"url": "postgres://u:${VSG_TEST_UNSET_PW}@127.0.0.1/x"}');
    const r = await vsg(dir, ['status']);
    expect(r.code).toBe(5);
    expect(r.stderr.split('\n')[0]).toBe("error: .vsgrc.json:1:23: environment variable 'VSG_TEST_UNSET_PW' is not set");
  });
});
