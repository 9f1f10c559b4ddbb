/**
 * A merge never leaves a constraint broken (issue 15), end to end through
 * bin/vsg on the server and on PGlite: a foreign key (an orphan from either
 * side, a self-reference), a unique, a check and a not-null constraint that
 * the merged rows would break are each reported like a conflict (table, key,
 * constraint, the rows involved; --json) and the merge is refused, exit 1,
 * with the tables, branches, history and merge state exactly as before. A
 * clean merge over foreign keys passes as it did. Commits, conflicts and
 * resolutions that only lead up to the merge under test go through the library.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

// PGlite pays ~1.5 s per CLI run (more on a loaded machine)
vi.setConfig({ testTimeout: 300_000 });

const AUTHOR = { author: 'tester' };

/**
 * Run `setup` (SQL, untracked), track `tables`, branch `feature` of `table`
 * from there, commit `theirs` on feature and `ours` on main of `table`, then
 * `after` (commits to other tables, each `[table, sql]`).
 */
async function scenario(
  t: Target,
  s: { setup: string[]; tables: string[]; table: string; theirs: string[]; ours: string[]; after?: [string, string][] },
): Promise<void> {
  const repo = await t.open();
  try {
    for (const q of s.setup) await repo.sql(q);
    for (const name of s.tables) await repo.track(name, AUTHOR);
    await repo.createBranch({ table: s.table, name: 'feature' });
    await repo.switch({ table: s.table, branch: 'feature' });
    for (const q of s.theirs) await repo.commit({ table: s.table, sql: q, ...AUTHOR });
    await repo.switch({ table: s.table, branch: 'main' });
    for (const q of s.ours) await repo.commit({ table: s.table, sql: q, ...AUTHOR });
    for (const [table, q] of s.after ?? []) await repo.commit({ table, sql: q, ...AUTHOR });
  } finally {
    await repo.close();
  }
}

/**
 * Everything a refused merge must leave alone: each table's rows, log, branches and status, and the merge state.
 * Read through the library (the merge itself runs through bin/vsg): a CLI run per question cost
 * ~1.5 s each on the embedded database.
 */
async function state(t: Target, tables: string[]): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const repo = await t.open();
  try {
    for (const name of tables) {
      const rows = await repo.sql(`SELECT to_jsonb(x)::text AS r FROM ${name} x ORDER BY 1`);
      out[name] = JSON.parse(JSON.stringify({
        rows: rows.rows,
        log: await repo.log({ table: name }),
        branches: await repo.branches({ table: name }),
        status: await repo.status({ table: name }),
        merge: await repo.conflicts({ table: name }).then(
          (c) => c,
          (e: { code?: string }) => e.code,
        ),
      }));
    }
  } finally {
    await repo.close();
  }
  return out;
}

/** `vsg merge feature -t table --json`, expected to be refused: its result, after checking the exit code and the error on stderr. */
async function refused(t: Target, table: string, args: string[] = ['feature']): Promise<{ status: string; violations: Record<string, unknown>[] }> {
  const r = await vsg(t, ['merge', ...args, '-t', table, '--json']);
  expect(r.code).toBe(1);
  const err = JSON.parse(r.stderr.trim().split('\n').at(-1) as string).error;
  expect(err.code).toBe('E_MERGE_CONSTRAINT');
  const out = JSON.parse(r.stdout);
  expect(out.status).toBe('refused');
  expect(out.commit).toBeNull();
  expect(err.data).toEqual(out.violations);
  return out;
}

describe.each(targetNames())('merge keeps constraints on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await (await t.open({ init: true })).close();
  });
  afterAll(() => t.cleanup());

  it('refuses to merge an order for a client deleted since (fast-forward and three-way), nothing changed', async () => {
    await scenario(t, {
      setup: [
        'CREATE TABLE clients (id int PRIMARY KEY, name text)',
        'CREATE TABLE orders (id int PRIMARY KEY, client_id int REFERENCES clients, qty int)',
        "INSERT INTO clients VALUES (1, 'ann'), (2, 'bob')",
        'INSERT INTO orders VALUES (10, 1, 1)',
      ],
      tables: ['clients', 'orders'],
      table: 'orders',
      theirs: ['INSERT INTO orders VALUES (20, 2, 5)'],
      ours: [],
      after: [['clients', 'DELETE FROM clients WHERE id = 2']],
    });
    const before = await state(t, ['clients', 'orders']);
    const ff = await refused(t, 'orders');
    expect(ff.violations).toEqual([
      {
        table: 'orders',
        key: { id: '20' },
        row: { id: '20', client_id: '2', qty: '5' },
        constraint: 'orders_client_id_fkey',
        kind: 'foreign key',
        columns: ['client_id'],
        other: { table: 'clients', relation: 'missing', key: null, values: { id: '2' } },
      },
    ]);
    // the same through a three-way merge, and in words
    await withRepo(t, (repo) => repo.commit({ table: 'orders', sql: 'UPDATE orders SET qty = 2 WHERE id = 10', ...AUTHOR }));
    const mid = await state(t, ['clients', 'orders']);
    const text = await vsg(t, ['merge', 'feature', '-t', 'orders']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/orders: merge of 'feature' refused: the merged rows would break 1 constraint/);
    expect(text.stdout).toMatch(/id=20 .*orders_client_id_fkey .*foreign key .*no clients row with id=2/);
    expect(text.stderr).toMatch(/error: merge of 'feature' into 'orders' would break 1 constraint; nothing was written\nhint: change the rows involved/);
    expect(await state(t, ['clients', 'orders'])).toEqual(mid);
    expect((mid as Record<string, { rows: string[] }>).clients).toEqual((before as Record<string, unknown>).clients);
    // put the client back: the merge goes through
    await withRepo(t, (repo) => repo.commit({ table: 'clients', sql: "INSERT INTO clients VALUES (2, 'bob')", ...AUTHOR }));
    expect(JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'orders', '--json'])).status).toBe('merged');
  });

  it('refuses to merge the deletion of a client that live orders still reference (NO ACTION)', async () => {
    await scenario(t, {
      setup: [
        'CREATE TABLE c2 (id int PRIMARY KEY, name text)',
        'CREATE TABLE o2 (id int PRIMARY KEY, client_id int REFERENCES c2 ON DELETE NO ACTION)',
        "INSERT INTO c2 VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')",
        'INSERT INTO o2 VALUES (12, 2)',
      ],
      tables: ['c2', 'o2'],
      table: 'c2',
      theirs: ['DELETE FROM c2 WHERE id IN (1, 3)'],
      ours: ["UPDATE c2 SET name = 'b' WHERE id = 2"],
      // meanwhile, orders for client 1 (which the branch deleted) are added
      after: [['o2', 'INSERT INTO o2 VALUES (10, 1), (11, 1)']],
    });
    const before = await state(t, ['c2', 'o2']);
    const r = await refused(t, 'c2');
    expect(r.violations.map((v) => [v.key, v.row, v.constraint, v.kind, v.columns, v.other])).toEqual([
      [{ id: '1' }, null, 'o2_client_id_fkey', 'foreign key', ['id'], { table: 'o2', relation: 'references', key: { id: '10' }, values: { client_id: '1' } }],
      [{ id: '1' }, null, 'o2_client_id_fkey', 'foreign key', ['id'], { table: 'o2', relation: 'references', key: { id: '11' }, values: { client_id: '1' } }],
    ]);
    expect(await state(t, ['c2', 'o2'])).toEqual(before);
  });

  it('ON DELETE CASCADE still refuses: the cascade would change the other table, which a one-table merge does not write', async () => {
    await scenario(t, {
      setup: [
        'CREATE TABLE c4 (id int PRIMARY KEY, name text)',
        'CREATE TABLE o4 (id int PRIMARY KEY, client_id int REFERENCES c4 ON DELETE CASCADE)',
        "INSERT INTO c4 VALUES (1, 'ann'), (2, 'bob')",
        'INSERT INTO o4 VALUES (10, 1), (11, 2)',
      ],
      tables: ['c4', 'o4'],
      table: 'c4',
      // on the branch, the delete cascades into the live o4, which the test restores below
      theirs: ['DELETE FROM c4 WHERE id = 2'],
      ours: ["UPDATE c4 SET name = 'Ann' WHERE id = 1"],
    });
    const repo = await t.open();
    try {
      await repo.restore({ table: 'o4' });
    } finally {
      await repo.close();
    }
    const before = await state(t, ['c4', 'o4']);
    const r = await refused(t, 'c4');
    expect(r.violations.map((v) => [v.key, v.row, v.constraint, v.other])).toEqual([
      [{ id: '2' }, null, 'o4_client_id_fkey', { table: 'o4', relation: 'references', key: { id: '11' }, values: { client_id: '2' } }],
    ]);
    expect(await state(t, ['c4', 'o4'])).toEqual(before);
  });

  it('a self-reference: a report added to a deleted manager, and a manager deleted under a kept report', async () => {
    await scenario(t, {
      setup: [
        'CREATE TABLE emp (id int PRIMARY KEY, name text, manager_id int REFERENCES emp)',
        "INSERT INTO emp VALUES (1, 'boss', NULL), (2, 'mia', 1), (3, 'max', 1)",
      ],
      tables: ['emp'],
      table: 'emp',
      theirs: ["INSERT INTO emp VALUES (4, 'new', 2)", 'DELETE FROM emp WHERE id = 3'],
      ours: ['DELETE FROM emp WHERE id = 2', "INSERT INTO emp VALUES (5, 'sam', 3)"],
    });
    const before = await state(t, ['emp']);
    const r = await refused(t, 'emp');
    expect(r.violations.map((v) => [v.key, v.row === null ? null : 'row', v.constraint, v.other])).toEqual([
      [{ id: '3' }, null, 'emp_manager_id_fkey', { table: 'emp', relation: 'references', key: { id: '5' }, values: { manager_id: '3' } }],
      [{ id: '4' }, 'row', 'emp_manager_id_fkey', { table: 'emp', relation: 'missing', key: null, values: { id: '2' } }],
    ]);
    expect(await state(t, ['emp'])).toEqual(before);
  });

  it('refuses equal unique values: a merged row against a kept row, and two merged rows', async () => {
    await scenario(t, {
      setup: ['CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, name text)', "INSERT INTO users VALUES (1, 'a@x', 'a'), (2, 'b@x', 'b')"],
      tables: ['users'],
      table: 'users',
      theirs: ["INSERT INTO users VALUES (3, 'same@x', 'theirs')", "UPDATE users SET email = 'z@x' WHERE id = 2", "UPDATE users SET name = 'A' WHERE id = 1"],
      ours: ["INSERT INTO users VALUES (4, 'same@x', 'ours')", "UPDATE users SET email = 'z@x' WHERE id = 1"],
    });
    const before = await state(t, ['users']);
    const r = await refused(t, 'users');
    const seen = r.violations.map((v) => [v.key, v.constraint, v.kind, v.columns, v.other]);
    expect(seen).toHaveLength(2);
    // the two merged rows 1 (email from ours, name from theirs) and 2 share z@x; the order of the pair is the server's
    expect(seen).toContainEqual([{ id: '3' }, 'users_email_key', 'unique', ['email'], { table: 'users', relation: 'duplicate', key: { id: '4' }, values: { email: 'same@x' } }]);
    const pair = seen.find((v) => (v[4] as { values: { email: string } }).values.email === 'z@x') as unknown[];
    expect([(pair[0] as { id: string }).id, (pair[4] as { key: { id: string } }).key.id].sort()).toEqual(['1', '2']);
    expect(await state(t, ['users'])).toEqual(before);
  });

  it('refuses a row whose merged cells break a check, and a NULL where the column became NOT NULL', async () => {
    await scenario(t, {
      setup: ['CREATE TABLE ranges (id int PRIMARY KEY, lo int, hi int, note text, CONSTRAINT lo_below_hi CHECK (lo < hi), CHECK (hi < 100))', "INSERT INTO ranges VALUES (1, 1, 5, 'n')"],
      tables: ['ranges'],
      table: 'ranges',
      // each side keeps lo < hi; together they do not
      theirs: ['UPDATE ranges SET lo = 4 WHERE id = 1', "INSERT INTO ranges VALUES (2, 1, 2, NULL)"],
      ours: ['UPDATE ranges SET hi = 2 WHERE id = 1'],
    });
    await withRepo(t, (repo) =>
      repo.commit({ table: 'ranges', allowEmpty: true, message: 'note required', sql: "ALTER TABLE ranges ALTER note SET DEFAULT '', ALTER note SET NOT NULL", ...AUTHOR }),
    );
    const before = await state(t, ['ranges']);
    const r = await refused(t, 'ranges');
    expect(r.violations.map((v) => [v.key, v.row, v.constraint, v.kind, v.columns, v.other])).toEqual([
      [{ id: '1' }, { id: '1', lo: '4', hi: '2', note: 'n' }, 'lo_below_hi', 'check', ['lo', 'hi'], null],
      [{ id: '2' }, { id: '2', lo: '1', hi: '2', note: null }, 'ranges_note_not_null', 'not null', ['note'], null],
    ]);
    expect(await state(t, ['ranges'])).toEqual(before);
  });

  it('with not-null constraints alone: refuses a NULL, and a column the merged image lacks unless its default fills it', async () => {
    await scenario(t, {
      setup: ['CREATE TABLE notes (id int PRIMARY KEY, body text, tag text)', "INSERT INTO notes VALUES (1, 'a', 't')"],
      tables: ['notes'],
      table: 'notes',
      // rows 2 and 3 are written before the columns below exist: their images lack them
      theirs: ["INSERT INTO notes VALUES (2, NULL, 'u'), (3, 'c', 'v')"],
      ours: ["UPDATE notes SET tag = 'x' WHERE id = 1"],
    });
    await withRepo(t, (repo) =>
      repo.commit({
        table: 'notes',
        allowEmpty: true,
        message: 'body required, two columns more',
        sql: "ALTER TABLE notes ALTER body SET NOT NULL, ADD COLUMN lang text NOT NULL DEFAULT 'en', ADD COLUMN n int; UPDATE notes SET n = 0; ALTER TABLE notes ALTER n SET NOT NULL",
        ...AUTHOR,
      }),
    );
    const before = await state(t, ['notes']);
    const r = await refused(t, 'notes');
    // lang is filled from its default, as the write-back would; n has none
    expect(r.violations.map((v) => [v.key, v.row, v.constraint, v.kind, v.columns])).toEqual([
      [{ id: '2' }, { id: '2', body: null, tag: 'u' }, 'notes_body_not_null', 'not null', ['body']],
      [{ id: '2' }, { id: '2', body: null, tag: 'u' }, 'notes_n_not_null', 'not null', ['n']],
      [{ id: '3' }, { id: '3', body: 'c', tag: 'v' }, 'notes_n_not_null', 'not null', ['n']],
    ]);
    expect(await state(t, ['notes'])).toEqual(before);
  });

  it('--continue checks the resolved rows before writing, and keeps the merge in progress when they break a constraint', async () => {
    await scenario(t, {
      setup: ['CREATE TABLE spans (id int PRIMARY KEY, lo int, hi int, CONSTRAINT lo_below_hi CHECK (lo < hi))', 'INSERT INTO spans VALUES (1, 1, 5)'],
      tables: ['spans'],
      table: 'spans',
      theirs: ['UPDATE spans SET lo = 4 WHERE id = 1'],
      ours: ['UPDATE spans SET lo = 2, hi = 3 WHERE id = 1'],
    });
    await withRepo(t, async (repo) => {
      await expect(repo.merge({ table: 'spans', ref: 'feature', ...AUTHOR })).rejects.toMatchObject({ code: 'E_MERGE_CONFLICT' }); // a conflict on lo
      await repo.resolve({ table: 'spans', key: '1', column: 'lo', take: 'theirs' });
    });
    const before = await state(t, ['spans']);
    const r = await refused(t, 'spans', ['--continue']);
    expect(r.violations).toMatchObject([{ key: { id: '1' }, row: { lo: '4', hi: '3' }, constraint: 'lo_below_hi', kind: 'check' }]);
    const text = await vsg(t, ['merge', '--continue', '-t', 'spans']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/hint: the merge stays in progress: 'vsg resolve' the rows involved another way/);
    expect(await state(t, ['spans'])).toEqual(before);
    // resolved the other way, it goes through
    await withRepo(t, (repo) => repo.resolve({ table: 'spans', key: '1', column: 'lo', take: 'ours' }));
    expect(JSON.parse(await vsgOk(t, ['merge', '--continue', '-t', 'spans', '--json'])).status).toBe('merged');
    expect((await t.sql('SELECT lo::text, hi::text FROM spans')).rows).toEqual([{ lo: '2', hi: '3' }]);
  });

  it('a clean merge over foreign keys, unique and check constraints goes through as before', async () => {
    await scenario(t, {
      setup: [
        'CREATE TABLE c3 (id int PRIMARY KEY, email text UNIQUE NOT NULL, CHECK (email <> \'\'))',
        'CREATE TABLE o3 (id int PRIMARY KEY, client_id int NOT NULL REFERENCES c3)',
        "INSERT INTO c3 VALUES (1, 'a@x'), (2, 'b@x')",
        'INSERT INTO o3 VALUES (10, 1)',
      ],
      tables: ['c3', 'o3'],
      table: 'c3',
      theirs: ["INSERT INTO c3 VALUES (3, 'c@x')", 'DELETE FROM c3 WHERE id = 2', "UPDATE c3 SET email = 'b@x' WHERE id = 1"],
      ours: ["INSERT INTO c3 VALUES (4, 'd@x')"],
    });
    const r = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'c3', '--json']));
    expect(r).toMatchObject({ status: 'merged', violations: [], applied: { inserted: 1, updated: 1, deleted: 1 } });
    expect((await t.sql('SELECT id::text, email FROM c3 ORDER BY id')).rows).toEqual([
      { id: '1', email: 'b@x' },
      { id: '3', email: 'c@x' },
      { id: '4', email: 'd@x' },
    ]);
  });
});
