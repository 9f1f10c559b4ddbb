/**
 * A tracked table dropped behind vsg's back: history stays readable, writes are refused, untrack keeps its history, --force deletes it.
 * Set-up and reads of state go through the library; bin/vsg runs where its output, exit code or stderr is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

const AUTHOR = { author: 'tester' };

/** Open the library on the target, run `fn`, close (PGlite: before bin/vsg runs again). */
/** The error `p` must reject with. */
async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string; data?: Record<string, unknown> }> {
  return p.then(
    () => expect.fail('went through'),
    (e: { code?: string; message: string; hint?: string; data?: Record<string, unknown> }) => e,
  );
}

describe.each(targetNames())('a dropped tracked table on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE keep (id int PRIMARY KEY); CREATE TABLE doomed (id int PRIMARY KEY, v text)');
      await repo.track('keep', AUTHOR);
      await repo.track('doomed', AUTHOR);
      await repo.commit({ table: 'doomed', sql: "INSERT INTO doomed VALUES (1, 'x')", ...AUTHOR });
      await repo.sql('DROP TABLE doomed');
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('every other command keeps working, and its history stays readable', async () => {
    expect(JSON.parse(await vsgOk(t, ['tables', '--json'])).map((x: { display: string; gone: boolean }) => [x.display, x.gone])).toEqual([
      ['doomed', true],
      ['keep', false],
    ]);
    await withRepo(t, async (repo) => {
      expect((await repo.log({ table: 'doomed' })).commits).toHaveLength(2);
      expect((await repo.commit({ table: 'keep', sql: 'INSERT INTO keep VALUES (1)', ...AUTHOR })).commit).toBeTruthy();
    });
  });

  it('a write to it is refused with a hint', async () => {
    const r = await vsg(t, ['commit', '-t', 'doomed', '--allow-empty', 'SELECT 1']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([3, "error: table 'doomed' was dropped; its history remains"]);
  });

  it('untrack keeps its history under its name, with an UNTRACK commit; --force then deletes it', async () => {
    const r = await vsg(t, ['untrack', 'doomed']);
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/^untracked doomed \[main [0-9a-f]{7}\] untrack doomed\n$/)]);
    await withRepo(t, async (repo) => {
      expect((await repo.tables()).map((x) => x.display)).toEqual(['keep']);
      expect((await repo.log({ table: 'doomed' })).commits.map((c) => c.kind)).toEqual(['UNTRACK', 'COMMIT', 'ROOT']);
      expect((await repo.verify()).ok).toBe(true);
    });
    expect(JSON.parse(await vsgOk(t, ['export', '-t', 'doomed', '--format', 'json']))).toEqual([{ id: '1', v: 'x' }]);
    expect(await vsgOk(t, ['untrack', 'doomed', '--force'])).toBe('untracked doomed (3 commits deleted)\n');
    expect(await withRepo(t, async (repo) => (await repo.tables({ all: true })).map((x) => x.display))).toEqual(['keep']);
  });
});

/**
 * Issue 14 item 3: a dropped table is reported as such, its history reads from
 * history alone, writes are refused with a hint, and restore brings it back.
 */
describe.each(targetNames())('restoring a dropped tracked table on %s', (name) => {
  let t: Target;
  const refused = "'vsg restore -t customers' recreates it from its history";
  const commits = () => withRepo(t, async (repo) => (await repo.log({ table: 'customers' })).commits.length);
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql(`CREATE TABLE keep (id int PRIMARY KEY);
        CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'anon', score numeric(6,2), big int8, note text)`);
      await repo.track('keep', { author: 'tester' });
      await repo.track('customers', { author: 'tester' });
      await repo.commit({ table: 'customers', author: 'tester', sql: "INSERT INTO customers (name, score, big) VALUES ('ann', 1.50, 9007199254740993), ('bob', 2, NULL)" });
      await repo.commit({ table: 'customers', author: 'tester', sql: "UPDATE customers SET note = '' WHERE id = 2" });
      await repo.sql('DROP TABLE customers');
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('status, diff and doctor report it as dropped, with a hint naming vsg restore', async () => {
    expect(await vsgOk(t, ['status', '-t', 'customers'])).toContain("  customers: dropped (its history is kept; 'vsg restore -t customers' recreates it)\n");
    const st = await vsg(t, ['status', '--json', '--exit-code']);
    expect([st.code, JSON.parse(st.stdout).map((x: { table: string; dropped: boolean; clean: boolean }) => [x.table, x.dropped, x.clean])]).toEqual([
      1,
      [
        ['customers', true, false],
        ['keep', false, true],
      ],
    ]);
    const d = await vsg(t, ['diff', '-t', 'customers', '--exit-code']);
    expect([d.code, d.stdout]).toEqual([1, expect.stringContaining('customers: dropped')]);
    const dr = await vsg(t, ['doctor', '--json']);
    expect(dr.code).toBe(1);
    const doctor = JSON.parse(dr.stdout);
    const check = doctor.checks.find((c: { table?: string }) => c.table === 'customers');
    expect(check).toMatchObject({ status: 'fail', message: 'dropped; its history is kept, writes to it are refused' });
    expect(check.hint).toContain('vsg restore -t customers');
    expect(check.hint).not.toMatch(/DELETE|vsg\.tracked/);
  });

  it('its history reads from history alone: show, export, blame, log --row, diff', async () => {
    // show, blame, log --row and diff through the library (what their --json prints), export and show <ref>:<table> through bin/vsg
    await withRepo(t, async (repo) => {
      const shown = await repo.show('HEAD', { table: 'customers' });
      expect([shown.columns, shown.changes.length]).toEqual([['id', 'name', 'score', 'big', 'note'], 1]);
      const blame = await repo.blame({ table: 'customers', key: '2' });
      expect(blame.rows[0].cells.map((c) => [c.column, c.value])).toEqual([
        ['id', '2'],
        ['name', 'bob'],
        ['score', '2.00'],
        ['big', null],
        ['note', ''],
      ]);
      expect((await repo.rowLog({ table: 'customers', key: '2' })).entries).toHaveLength(2);
      expect((await repo.diff({ from: 'HEAD~1', to: 'HEAD', table: 'customers' })).stat).toMatchObject({ updated: 1 });
    });
    expect(await vsgOk(t, ['show', 'HEAD~1:customers'])).toContain('9007199254740993');
    expect(await vsgOk(t, ['export', '-t', 'customers', '--format', 'csv'])).toBe('id,name,score,big,note\n1,ann,1.50,9007199254740993,\n2,bob,2.00,,""\n');
    expect(await vsgOk(t, ['export', '-t', 'customers', '--at', 'HEAD~2', '--format', 'json'])).toBe('[]\n');
    expect(await vsgOk(t, ['export', '-t', 'customers', '--format', 'sql'])).toContain(
      `INSERT INTO "public"."customers" ("id", "name", "score", "big", "note") VALUES ('1', 'ann', '1.50', '9007199254740993', NULL);`,
    );
  });

  it('writes to it are refused with a hint to restore it, and commits to other tables go on', async () => {
    // the CLI's refusal (exit 3, its hint) once, with commit; checkout, rollback and merge refuse alike in the library (the CLI words come from the error's code and data)
    const r = await vsg(t, ['commit', '-t', 'customers', '--allow-empty']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([3, "error: table 'customers' was dropped; its history remains"]);
    expect(r.stderr).toContain(refused);
    await withRepo(t, async (repo) => {
      const writes: [string, () => Promise<unknown>][] = [
        ['commit', () => repo.commit({ table: 'customers', allowEmpty: true, ...AUTHOR })],
        ['checkout', () => repo.checkout({ table: 'customers', ref: 'HEAD~1', ...AUTHOR })],
        ['rollback', () => repo.rollback({ table: 'customers', ...AUTHOR })],
        ['merge', () => repo.merge({ table: 'customers', ref: 'main', ...AUTHOR })],
      ];
      for (const [op, write] of writes) {
        const e = await rejection(write());
        expect([op, e.code, e.message, e.hint?.startsWith('restore it with'), e.data?.table]).toEqual([op, 'E_TABLE_GONE', "table 'customers' was dropped; its history remains", true, 'customers']);
      }
    });
    expect(await commits()).toBe(3);
    expect(await vsgOk(t, ['commit', '-t', 'keep', 'INSERT INTO keep VALUES (1)'])).toMatch(/INSERT keep: 1 inserted/);
  });

  it('restore recreates it as of a commit, uncommitted, and restore again brings HEAD back clean', async () => {
    expect(await vsgOk(t, ['restore', '-t', 'customers', 'HEAD~1'])).toMatch(/^recreated customers \(dropped\) from HEAD \([0-9a-f]{7}\), restored to [0-9a-f]{7}: 1 updated\n1 uncommitted change against HEAD/);
    await withRepo(t, async (repo) => {
      expect((await repo.status({ table: 'customers' }))[0]).toMatchObject({ dropped: false, updated: 1, clean: false });
      await repo.restore({ table: 'customers' });
      expect((await repo.status({ table: 'customers' }))[0]).toMatchObject({ dropped: false, updated: 0, clean: true });
    });
    const { rows: cols } = await t.sql(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull::text AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE attrelid = 'customers'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(cols).toEqual([
      { name: 'id', type: 'integer', notnull: 'true', def: "nextval('customers_id_seq'::regclass)" },
      { name: 'name', type: 'text', notnull: 'true', def: "'anon'::text" },
      { name: 'score', type: 'numeric(6,2)', notnull: 'false', def: null },
      { name: 'big', type: 'bigint', notnull: 'false', def: null },
      { name: 'note', type: 'text', notnull: 'false', def: null },
    ]);
    const { rows } = await t.sql('SELECT id::text, name, score::text, big::text, note FROM customers ORDER BY id');
    expect(rows).toEqual([
      { id: '1', name: 'ann', score: '1.50', big: '9007199254740993', note: null },
      { id: '2', name: 'bob', score: '2.00', big: null, note: '' },
    ]);
  });

  it('it is tracked again under the same history: commit, checkout and verify work', async () => {
    expect(await vsgOk(t, ['commit', '-t', 'customers', "INSERT INTO customers (score) VALUES (3)"])).toMatch(/INSERT customers: 1 inserted/);
    expect((await t.sql('SELECT id::text, name FROM customers WHERE score = 3')).rows).toEqual([{ id: '3', name: 'anon' }]);
    await withRepo(t, async (repo) => {
      await repo.checkout({ table: 'customers', ref: 'HEAD~1', ...AUTHOR });
      expect((await repo.db.query('SELECT count(*)::text AS n FROM customers')).rows).toEqual([{ n: '2' }]);
      expect((await repo.log({ table: 'customers' })).commits).toHaveLength(5);
      expect((await repo.verify()).ok).toBe(true);
    });
  });
});
