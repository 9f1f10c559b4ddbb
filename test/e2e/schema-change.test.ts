/**
 * Schema changes on a tracked table: `vsg commit "ALTER TABLE ..."` records a
 * SCHEMA commit; log, show and diff keep working across it; write-back of
 * older rows puts added columns to their default, follows renames, and
 * refuses (changing nothing) where a column was dropped. The commits and
 * write-backs that only set a scene, and the log and verify reads that check
 * one, go through the library; the commands whose output a test asserts are
 * spawned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target, type TargetName } from '../helpers/targets.js';

/** A fresh database with 'items' tracked: a root commit and one UPDATE (set up through the library). */
async function itemsWithHistory(name: TargetName): Promise<Target> {
  const t = await makeTarget(name);
  const repo = await t.open({ init: true });
  try {
    await repo.sql("CREATE TABLE items (id int PRIMARY KEY, label text, qty int); INSERT INTO items VALUES (1, 'a', 1), (2, 'b', 2)");
    await repo.track('items', { author: 'tester' });
    await repo.commit({ table: 'items', author: 'tester', sql: 'UPDATE items SET qty = 10 WHERE id = 1' });
  } finally {
    await repo.close();
  }
  return t;
}

/** Whether the library's verify (what `vsg verify` reports) finds the chain intact. */
const verified = (t: Target) => withRepo(t, async (repo) => (await repo.verify()).ok);

/** The table's columns and rows as text, read by the test's own SQL (not through vsg). */
async function tableRows(t: Target, table: string): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  const r = await t.sql(`SELECT * FROM ${table} ORDER BY id`);
  const columns = r.fields.map((f) => f.name);
  return { columns, rows: r.rows.map((row) => columns.map((c) => (row[c] === null ? null : String(row[c])))) };
}

describe.each(targetNames())('schema changes on %s', (name) => {
  let t: Target;
  const rows = () => tableRows(t, 'items');

  beforeAll(async () => {
    t = await itemsWithHistory(name);
  });
  afterAll(() => t.cleanup());

  it('an ALTER TABLE is a SCHEMA commit that says what changed', async () => {
    expect(await vsgOk(t, ['commit', '-t', 'items', "ALTER TABLE items ADD COLUMN note text DEFAULT 'none'"])).toMatch(
      /^\[main [0-9a-f]{7}\] SCHEMA items: column 'note' added \(text\)\n$/,
    );
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD', '--json']));
    expect([shown.commit.kind, shown.schema]).toEqual(['SCHEMA', ["column 'note' added (text)"]]);
  });

  it('a rollback of a SCHEMA commit of no row has nothing to undo: it writes rows, never columns; nothing changes', async () => {
    const before = await rows();
    const r = await vsg(t, ['rollback', '-t', 'items', 'HEAD']);
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: nothing to roll back: [0-9a-f]{7} changed columns only, and a rollback writes rows back, never columns\nhint: undo a schema change with the opposite ALTER TABLE, through 'vsg commit'\n$/),
    ]);
    expect(await rows()).toEqual(before);
    expect(JSON.parse(await vsgOk(t, ['show', 'HEAD', '--json'])).commit.kind).toBe('SCHEMA');
  });

  it('diff across the change shows it, and the rows', async () => {
    await withRepo(t, (repo) => repo.commit({ table: 'items', author: 'tester', sql: "UPDATE items SET note = 'hi' WHERE id = 2" }));
    const d = JSON.parse(await vsgOk(t, ['diff', 'HEAD~3', 'HEAD', '--json']));
    expect(d.schema).toEqual([{ commit: expect.stringMatching(/^[0-9a-f]{64}$/), side: 'to', changes: ["column 'note' added (text)"] }]);
    expect(d.changes.map((c: { key: { id: string } }) => c.key.id)).toEqual(['1', '2']);
    expect(await vsgOk(t, ['diff', 'HEAD~3', 'HEAD'])).toMatch(/\nschema [0-9a-f]{7}: column 'note' added \(text\)\n/);
  });

  it('restoring rows from before a column was added gives it its default', async () => {
    await withRepo(t, (repo) => repo.restore({ ref: 'HEAD~3', table: 'items' }));
    expect((await rows()).rows).toEqual([
      ['1', 'a', '1', 'none'],
      ['2', 'b', '2', 'none'],
    ]);
    await withRepo(t, (repo) => repo.restore({ table: 'items' }));
  });

  it('a renamed column keeps its history', async () => {
    expect(await vsgOk(t, ['commit', '-t', 'items', 'ALTER TABLE items RENAME COLUMN label TO title'])).toContain("column 'label' renamed to 'title'");
    await withRepo(t, (repo) => repo.restore({ ref: 'HEAD~4', table: 'items' }));
    expect((await rows()).rows).toEqual([
      ['1', 'a', '1', 'none'],
      ['2', 'b', '2', 'none'],
    ]);
    await withRepo(t, (repo) => repo.restore({ table: 'items' }));
  });

  it('rows from before a column was dropped are refused, and nothing changes', async () => {
    await withRepo(t, (repo) => repo.commit({ table: 'items', author: 'tester', sql: 'ALTER TABLE items DROP COLUMN qty' }));
    const before = await rows();
    const r = await vsg(t, ['restore', 'HEAD~5', '-t', 'items']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe("error: cannot write rows back to 'items': column 'qty' no longer exists (dropped or renamed since)");
    expect(await rows()).toEqual(before);
    // log and show still read the old commits
    const [log, old] = await withRepo(t, async (repo) => [(await repo.log({ table: 'items' })).commits, await repo.show('HEAD~4', { table: 'items' })] as const);
    expect(log.map((c) => c.kind)).toEqual(['SCHEMA', 'SCHEMA', 'COMMIT', 'SCHEMA', 'COMMIT', 'ROOT']);
    expect(old.changes[0].new).toEqual({ id: '1', label: 'a', qty: '10' });
  });

  it('the recorded schema change is covered by the commit hash: verify catches an edit', async () => {
    expect(await verified(t)).toBe(true);
    await t.sql(`UPDATE vsg.schema_changes SET after = after - 1 WHERE commit_id = (SELECT id FROM vsg.commits WHERE kind = 'SCHEMA' ORDER BY seq LIMIT 1)`);
    const r = await vsg(t, ['verify', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems.map((p: { code: string }) => p.code)).toEqual(['schema_record']);
    await t.sql(`UPDATE vsg.schema_changes s SET after = c.meta->'vsg.schema'->'after' FROM vsg.commits c WHERE c.id = s.commit_id`);
    expect(await verified(t)).toBe(true);
  });

  it('changing the primary key is refused and rolled back', async () => {
    const r = await vsg(t, ['commit', '-t', 'items', 'ALTER TABLE items RENAME COLUMN id TO item_id']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([3, "error: the statement changes the primary key of 'items', which vsg cannot follow"]);
    expect((await rows()).columns).toEqual(['id', 'title', 'note']);
  });
});

describe.each(targetNames())('schema changes made outside vsg on %s', (name) => {
  let t: Target;
  const rows = () => tableRows(t, 'items');
  /** what a migration tool or psql would do: plain SQL, not through vsg */
  const outside = (text: string) => t.sql(text);

  beforeAll(async () => {
    t = await itemsWithHistory(name);
  });
  afterAll(() => t.cleanup());

  it('rows written after the ALTER are captured with the new columns', async () => {
    await outside("UPDATE items SET qty = 20 WHERE id = 2; ALTER TABLE items RENAME COLUMN label TO title; ALTER TABLE items ADD COLUMN note text DEFAULT 'none'");
    await outside("UPDATE items SET note = 'hi' WHERE id = 1");
    const { rows: images } = await outside(`SELECT after::text FROM vsg.pending WHERE key->>'id' = '1'`);
    expect(images.map((r) => JSON.parse(r.after as string))).toEqual([{ id: '1', title: 'a', qty: '10', note: 'hi' }]);
  });

  it('status shows the column changes beside the uncommitted rows', async () => {
    const out = await vsgOk(t, ['status', '-t', 'items']);
    expect(out).toContain("  columns changed outside vsg:\n    column 'label' renamed to 'title'\n    column 'note' added (text)\n  uncommitted changes:\n    updated:  2\n");
    const json = JSON.parse(await vsgOk(t, ['status', '-t', 'items', '--json']));
    expect([json[0].clean, json[0].schema]).toEqual([false, ["column 'label' renamed to 'title'", "column 'note' added (text)"]]);
    const doctor = JSON.parse(await vsgOk(t, ['doctor', '--json']));
    expect(doctor.checks.filter((c: { name: string }) => c.name === 'schema' && 'table' in c)).toEqual([
      expect.objectContaining({ status: 'warn', table: 'items', message: "columns changed outside vsg: column 'label' renamed to 'title'; column 'note' added (text)" }),
    ]);
  });

  it('write-back is refused until the change is recorded, and nothing changes', async () => {
    const before = await rows();
    for (const args of [['restore', '-t', 'items'], ['checkout', 'HEAD~1', '-t', 'items', '--force'], ['rollback', '-t', 'items', '--force']]) {
      const r = await vsg(t, args);
      expect([args[0], r.code, r.stderr.split('\n')[0]]).toEqual([
        args[0],
        3,
        "error: the columns of 'items' were changed outside vsg: column 'label' renamed to 'title'; column 'note' added (text)",
      ]);
      expect(r.stderr).toContain("hint: record the change first with 'vsg commit -t items'");
    }
    expect(await rows()).toEqual(before);
    expect(await withRepo(t, async (repo) => (await repo.log({ table: 'items' })).commits.length)).toBe(2);
  });

  it('the next commit records it as a SCHEMA commit, with the rows', async () => {
    expect(await vsgOk(t, ['commit', '-t', 'items'])).toMatch(
      /^\[main [0-9a-f]{7}\] SCHEMA items: column 'label' renamed to 'title'; column 'note' added \(text\); 2 updated\n$/,
    );
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD', '--json']));
    expect([shown.commit.kind, shown.commit.message]).toEqual(['SCHEMA', 'record uncommitted changes and a schema change made outside vsg']);
    expect(await vsgOk(t, ['status', '-t', 'items'])).toContain('nothing to commit, working table clean');
    expect(await verified(t)).toBe(true);
  });

  it("the table's capture function is rewritten for the new columns", async () => {
    const { rows: fn } = await outside(
      `SELECT (p.prosrc LIKE '%' || vsg.column_check(t.relid) || '%')::text AS current
       FROM vsg.tracked t JOIN pg_proc p ON p.oid = vsg.capture_function(t.id)::regproc`,
    );
    expect(fn).toEqual([{ current: 'true' }]);
  });

  it('older rows come back through the recorded rename', async () => {
    await withRepo(t, (repo) => repo.checkout({ ref: 'HEAD~2', table: 'items', author: 'tester' }));
    expect((await rows()).rows).toEqual([
      ['1', 'a', '1', 'none'],
      ['2', 'b', '2', 'none'],
    ]);
    await withRepo(t, (repo) => repo.checkout({ ref: 'HEAD~1', table: 'items', author: 'tester' }));
    expect((await rows()).rows).toEqual([
      ['1', 'a', '10', 'hi'],
      ['2', 'b', '20', 'none'],
    ]);
    expect(await verified(t)).toBe(true);
  });

  it('a primary key renamed outside vsg: the application writes on, the next commit refuses and changes nothing', async () => {
    await outside('ALTER TABLE items RENAME COLUMN id TO item_id');
    // captured under the key's recorded name, so that it fits history once the rename is undone
    await outside("UPDATE items SET title = 'renamed' WHERE item_id = 2");
    const { rows: captured } = await outside(`SELECT key::text, after::text FROM vsg.pending`);
    expect(captured.map((r) => [JSON.parse(r.key as string), JSON.parse(r.after as string)])).toEqual([
      [{ id: '2' }, { id: '2', title: 'renamed', qty: '20', note: 'none' }],
    ]);
    const r = await vsg(t, ['commit', '-t', 'items', '--allow-empty']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([3, "error: the primary key of 'items' was changed outside vsg, which vsg cannot follow"]);
    expect(await withRepo(t, async (repo) => (await repo.log({ table: 'items' })).commits.length)).toBe(5);
    expect((await outside('SELECT count(*)::text AS n FROM vsg.pending')).rows).toEqual([{ n: '1' }]);
  });

  it('once the rename is undone, that write is committed like any other', async () => {
    await outside('ALTER TABLE items RENAME COLUMN item_id TO id');
    expect(await vsgOk(t, ['commit', '-t', 'items', '-m', 'written while the key was renamed'])).toMatch(/^\[main [0-9a-f]{7}\] UPDATE items: 1 updated\n$/);
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD', '-t', 'items', '--json']));
    expect(shown.commit.message).toBe('written while the key was renamed');
    expect(shown.changes.map((c: { key: unknown; new: unknown }) => [c.key, c.new])).toEqual([[{ id: '2' }, { id: '2', title: 'renamed', qty: '20', note: 'none' }]]);
    expect(await vsgOk(t, ['status', '-t', 'items'])).toContain('nothing to commit, working table clean');
    expect(await verified(t)).toBe(true);
  });
});

describe.each(targetNames())("capture under the writer's own settings on %s", (name) => {
  let t: Target;
  /** the SET clauses of the table's capture function */
  const settings = async () =>
    (
      await t.sql(
        `SELECT array_to_string(p.proconfig, ';') AS config FROM vsg.tracked t JOIN pg_proc p ON p.oid = vsg.capture_function(t.id)::regproc WHERE t.relid = 'plain'::regclass`,
      )
    ).rows[0].config.split(';') as string[];

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql("CREATE TABLE plain (id int PRIMARY KEY, n numeric, s text[], j jsonb); INSERT INTO plain VALUES (0, 1.50, '{a,b}', '{\"k\": 1}')");
      await repo.track('plain', { author: 'tester' });
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('a table whose columns print alike under any settings has a capture function that sets only search_path', async () => {
    expect(await settings()).toEqual(['search_path=pg_catalog, pg_temp']);
  });

  it("a column added outside vsg whose text form depends on them is still captured in canonical form, and the writer's settings stay as they were", async () => {
    await t.sql('ALTER TABLE plain ADD COLUMN at timestamptz, ADD COLUMN f float8, ADD COLUMN b bytea');
    await t.sql(`BEGIN;
      SET LOCAL TimeZone = 'Asia/Tokyo'; SET LOCAL DateStyle = 'SQL, DMY'; SET LOCAL extra_float_digits = -3; SET LOCAL bytea_output = 'escape';
      INSERT INTO plain VALUES (1, 2.25, '{c}', '[1, 2]', '2026-01-02 03:04:05.123456+00', 1::float8 / 3, '\\x00ff');
      CREATE TABLE seen AS SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds,
        current_setting('extra_float_digits') AS efd, current_setting('bytea_output') AS bo;
      COMMIT`);
    const { rows: images } = await t.sql(`SELECT after::text FROM vsg.pending WHERE key->>'id' = '1'`);
    expect(images.map((r) => JSON.parse(r.after as string))).toEqual([
      { id: '1', n: '2.25', s: '{c}', j: '[1, 2]', at: '2026-01-02 03:04:05.123456+00', f: '0.3333333333333333', b: '\\x00ff' },
    ]);
    expect((await t.sql('SELECT * FROM seen')).rows).toEqual([{ tz: 'Asia/Tokyo', ds: 'SQL, DMY', efd: '-3', bo: 'escape' }]);
    await t.sql('DROP TABLE seen');
  });

  it('the SCHEMA commit rewrites the function with the settings those columns need', async () => {
    await withRepo(t, (repo) => repo.commit({ table: 'plain', author: 'tester', message: 'columns added by a migration' }));
    expect(await settings()).toEqual([
      'search_path=pg_catalog, pg_temp',
      'TimeZone=UTC',
      'DateStyle=ISO, YMD',
      'IntervalStyle=postgres',
      'extra_float_digits=3',
      'bytea_output=hex',
    ]);
    await t.sql(`BEGIN; SET LOCAL TimeZone = 'America/New_York'; SET LOCAL extra_float_digits = -3;
      UPDATE plain SET at = at + interval '1 hour', f = f * 2 WHERE id = 1; COMMIT`);
    const d = await withRepo(t, (repo) => repo.diff({ table: 'plain' }));
    expect(d.changes.map((c) => [c.old?.at, c.new?.at, c.new?.f])).toEqual([
      ['2026-01-02 03:04:05.123456+00', '2026-01-02 04:04:05.123456+00', '0.6666666666666666'],
    ]);
    expect(await verified(t)).toBe(true);
  });
});

/** Issue 14 item 4: diff shows column changes, made outside vsg or recorded, and --exit-code counts them. */
describe.each(targetNames())('diff of column changes on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql("CREATE TABLE clients (id int PRIMARY KEY, score int); INSERT INTO clients VALUES (1, 5)");
      await repo.track('clients', { author: 'tester' });
      await repo.sql('ALTER TABLE clients DROP COLUMN score');
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('a column dropped outside vsg: diff shows it and --exit-code exits 1', async () => {
    const r = await vsg(t, ['diff', '--exit-code']);
    expect([r.code, r.stdout]).toEqual([
      1,
      expect.stringContaining("schema (outside vsg, not recorded): column 'score' dropped\n"),
    ]);
    const j = await vsg(t, ['diff', '--json', '--exit-code']);
    expect([j.code, JSON.parse(j.stdout).schema]).toEqual([1, [{ commit: null, side: 'to', changes: ["column 'score' dropped"] }]]);
  });

  it('between two commits, a SCHEMA commit alone is a difference', async () => {
    await withRepo(t, (repo) => repo.commit({ author: 'tester', message: 'drop score' }));
    expect((await vsg(t, ['diff', '--exit-code'])).code).toBe(0);
    const r = await vsg(t, ['diff', 'HEAD~1', 'HEAD', '--exit-code']);
    expect([r.code, r.stdout]).toEqual([1, expect.stringMatching(/\nschema [0-9a-f]{7}: column 'score' dropped\n/)]);
  });
});
