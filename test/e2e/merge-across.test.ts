/**
 * `vsg merge B` with several tables tracked (issue 15), through bin/vsg on the
 * server and on PGlite: every table's B merged into its current branch in one
 * transaction, as one commit across the tables that got a MERGE commit;
 * conflicts keep the whole merge in progress with nothing written: every
 * table's conflicts listed, resolved without -t (a key in two tables is
 * ambiguous), --continue as one MERGE commit across the tables, --abort
 * forgetting all of it, -t refused on one table of it; a one-table merge
 * refused when another table references a row it deletes, though the key
 * cascades;
 * a foreign key broken by the merged state of the tables together (an order
 * for a client the other side deleted, either way round) is refused before
 * anything is written; a merge valid as a whole (a client and its order
 * added, an order and then its client deleted) is written in foreign-key
 * order; every table fast-forwards when only B moved.
 *
 * Each scenario has its tables in a schema of its own and a branch name of its
 * own, so that one database serves them all (and a merge of B leaves tables
 * without B alone). State is set up and read through the library, in one open
 * between two runs of bin/vsg (an open of the embedded database costs ~0.4 s);
 * bin/vsg runs only the merges under test.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { idsNotInLogOf, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

const AUTHOR = { author: 'tester' };
const TABLES = ['clients', 'orders', 'items'];

/** clients ← orders ← items, with ON DELETE CASCADE (or NO ACTION) on both keys. */
function ddl(s: string, onDelete: 'CASCADE' | 'NO ACTION'): string {
  return `CREATE SCHEMA ${s};
    CREATE TABLE ${s}.clients (id int PRIMARY KEY, name text);
    CREATE TABLE ${s}.orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES ${s}.clients ON DELETE ${onDelete}, total int);
    CREATE TABLE ${s}.items (order_id int REFERENCES ${s}.orders ON DELETE ${onDelete}, line int, sku text, PRIMARY KEY (order_id, line));
    INSERT INTO ${s}.clients VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
    INSERT INTO ${s}.orders VALUES (10, 1, 5), (20, 2, 7), (30, 3, 8);
    INSERT INTO ${s}.items VALUES (10, 1, 'x'), (20, 1, 'y'), (30, 1, 'w')`;
}

interface Scenario {
  schema: string;
  branch: string;
  onDelete?: 'CASCADE' | 'NO ACTION';
  /** SQL committed on `branch` of every table (S. stands for the schema) */
  theirs: string[];
  /** SQL committed on main afterwards */
  ours: string[];
  /**
   * The order in which the tables switch back to main, one at a time: parents
   * first when the branch deleted rows (main brings them back), children
   * first when it added rows (main removes them).
   */
  back: 'parents first' | 'children first';
}

/** Build the scenario's tables and history through the library; the live tables end on main. */
async function scenario(repo: Repository, s: Scenario): Promise<void> {
  const q = (text: string) => text.split('S.').join(`${s.schema}.`);
  const names = TABLES.map((x) => `${s.schema}.${x}`);
  await repo.sql(ddl(s.schema, s.onDelete ?? 'CASCADE'));
  await repo.trackTables(names, AUTHOR);
  for (const table of names) {
    await repo.createBranch({ table, name: s.branch });
    await repo.switch({ table, branch: s.branch });
  }
  for (const text of s.theirs) await repo.commit({ sql: q(text), ...AUTHOR });
  for (const table of s.back === 'parents first' ? names : [...names].reverse()) await repo.switch({ table, branch: 'main' });
  for (const text of s.ours) await repo.commit({ sql: q(text), ...AUTHOR });
}

/** Rows of every table of the schema, each as text, sorted. */
async function rows(repo: Repository, schema: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const text = TABLES.map((x) => `SELECT '${x}' AS t, to_jsonb(r)::text AS r FROM ${schema}.${x} r`).join(' UNION ALL ');
  for (const r of (await repo.db.query<{ t: string; r: string }>(`${text} ORDER BY 1, 2`)).rows) (out[r.t] ??= []).push(r.r);
  return out;
}

/** What a refused merge must leave alone besides the rows: each table's branch, HEAD and status, and no merge kept. */
async function refs(repo: Repository, schema: string): Promise<unknown> {
  const tables = (await repo.tables()).filter((x) => x.schema === schema).map((x) => [x.display, x.head, x.headCommit]);
  const status = (await repo.status()).filter((x) => x.table.startsWith(`${schema}.`));
  const merging: string[] = [];
  for (const [table] of tables) {
    merging.push(await repo.conflicts({ table: table as string }).then(() => 'in progress', (e: { code?: string }) => String(e.code)));
  }
  return JSON.parse(JSON.stringify({ tables, status, merging }));
}

/**
 * Snapshot the schema's tables (snap_<table>), and count the rows where each
 * differs from its snapshot, or from tables `against`_<table> (EXCEPT ALL both ways).
 */
async function snapshot(repo: Repository, s: string): Promise<void> {
  await repo.db.query(TABLES.map((x) => `CREATE TABLE ${s}.snap_${x} AS TABLE ${s}.${x};`).join('\n'));
}
async function differences(repo: Repository, s: string, against = 'snap'): Promise<Record<string, number>> {
  const text = TABLES.map(
    (x) => `SELECT '${x}' AS t, (SELECT count(*) FROM ((TABLE ${s}.${x} EXCEPT ALL TABLE ${s}.${against}_${x}) UNION ALL (TABLE ${s}.${against}_${x} EXCEPT ALL TABLE ${s}.${x})) d)::int AS n`,
  );
  const out: Record<string, number> = {};
  for (const r of (await repo.db.query<{ t: string; n: number }>(text.join(' UNION ALL '))).rows) out[r.t] = Number(r.n);
  return out;
}

/** Build the scenario, snapshot its tables and return its refs (as `refs`), in one open. */
function scenarioSnapshot(t: Target, s: Scenario): Promise<unknown> {
  return withRepo(t, async (repo) => {
    await scenario(repo, s);
    await snapshot(repo, s.schema);
    return refs(repo, s.schema);
  });
}

/** After a refused merge: the rows as the snapshot holds them, and the refs as `before`. */
async function unchanged(repo: Repository, schema: string, before: unknown): Promise<void> {
  expect(await differences(repo, schema)).toEqual(NONE);
  expect(await refs(repo, schema)).toEqual(before);
}

const NONE = { clients: 0, orders: 0, items: 0 };

/** `vsg merge <args> --json` expected to be refused with `code`: its result, after checking the exit code and the error. */
async function refused(t: Target, args: string[], code: string): Promise<Record<string, any>> {
  const r = await vsg(t, ['merge', ...args, '--json']);
  expect(r.code, r.stderr).toBe(1);
  const err = JSON.parse(r.stderr.trim().split('\n').at(-1) as string).error;
  expect(err.code).toBe(code);
  const out = JSON.parse(r.stdout);
  expect(out.commit).toBeNull();
  expect(err.data).toEqual(code === 'E_MERGE_CONFLICT' ? out.conflicts : out.violations);
  return out;
}

/**
 * The same refusal through the library: the error's code and data, and the
 * result it carries (what `--json` prints). For the variants of a merge whose
 * CLI rendering (exit 1, the JSON error on stderr) `refused` already covers.
 */
async function refusedByLibrary(repo: Repository, opts: { ref: string; table?: string; tables?: string[] }, code: string): Promise<Record<string, any>> {
  const err = await repo.merge({ ...opts, ...AUTHOR }).then(
    () => expect.fail(`merge of ${opts.ref} went through`),
    (e: { code?: string; data?: unknown; result?: Record<string, any> }) => e,
  );
  expect(err.code).toBe(code);
  const out = err.result as Record<string, any>;
  expect(out.commit).toBeNull();
  expect(err.data).toEqual(code === 'E_MERGE_CONFLICT' ? out.conflicts : out.violations);
  return out;
}

describe.each(targetNames())('merge across tables on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await (await t.open({ init: true })).close();
  }, 300_000);
  afterAll(() => t.cleanup());

  it('merges every table in one transaction, as one commit across them', async () => {
    await withRepo(t, (repo) => scenario(repo, {
      schema: 's1',
      branch: 'f1',
      theirs: ["INSERT INTO S.clients VALUES (5, 'eve'); INSERT INTO S.orders VALUES (50, 5, 1); INSERT INTO S.items VALUES (50, 1, 'z'); UPDATE S.clients SET name = 'Bob' WHERE id = 2"],
      ours: ["UPDATE S.clients SET name = 'Cy' WHERE id = 3; UPDATE S.orders SET total = 6 WHERE id = 10; UPDATE S.items SET sku = 'X' WHERE order_id = 10"],
      back: 'children first',
    }));
    const out = await vsgOk(t, ['merge', 'f1']);
    expect(out).toMatch(/^\[main ([0-9a-f]{7})\] merged f1: s1\.clients: 1 inserted, 1 updated · s1\.orders: 1 inserted · s1\.items: 1 inserted\n$/);
    const id = /\[main ([0-9a-f]{7})\]/.exec(out)![1];
    // log (a limit leaving the parents off the list) and show name the parents by the ids log lists, not each table's parts
    const one = await vsgOk(t, ['log', '-n', '1']);
    const merge = /^Merge: +(.*)$/m.exec(one)![1];
    expect(merge.split(' ')).toHaveLength(2);
    expect(/^Merge: +(.*)$/m.exec(await vsgOk(t, ['show', id]))![1]).toBe(merge);
    const repo = await t.open();
    try {
      expect(await idsNotInLogOf(repo, one)).toEqual([]);
      expect(await rows(repo, 's1')).toEqual({
        clients: ['{"id": 1, "name": "ann"}', '{"id": 2, "name": "Bob"}', '{"id": 3, "name": "Cy"}', '{"id": 5, "name": "eve"}'],
        orders: ['{"id": 10, "total": 6, "client_id": 1}', '{"id": 20, "total": 7, "client_id": 2}', '{"id": 30, "total": 8, "client_id": 3}', '{"id": 50, "total": 1, "client_id": 5}'],
        items: ['{"sku": "X", "line": 1, "order_id": 10}', '{"sku": "w", "line": 1, "order_id": 30}', '{"sku": "y", "line": 1, "order_id": 20}', '{"sku": "z", "line": 1, "order_id": 50}'],
      });
      // One entry of the log: a MERGE part per table, each with B's tip as second parent.
      const [top] = (await repo.log({ limit: 1 })).commits;
      expect(top.shortId).toBe(id);
      // the parents `vsg log -n 1 --json` lists are the ones the text named
      expect(top.parents.map((p) => p.slice(0, 7)).join(' ')).toBe(merge);
      expect(top.parts?.map((p) => [p.table, p.kind, p.parents.length])).toEqual([['s1.clients', 'MERGE', 2], ['s1.orders', 'MERGE', 2], ['s1.items', 'MERGE', 2]]);
      expect((await repo.status()).filter((s) => s.table.startsWith('s1.') && !s.clean)).toEqual([]);
      expect((await repo.verify()).ok).toBe(true);
    } finally {
      await repo.close();
    }
  });

  it('keeps conflicts in two tables in progress for every table; resolved without -t, --continue makes one MERGE commit across them', async () => {
    const before = (await scenarioSnapshot(t, {
      schema: 's2',
      branch: 'f2',
      // clients 1: a cell both ways; orders 1: one new key inserted twice; items only on the branch (a fast-forward alone)
      theirs: ["UPDATE S.clients SET name = 'B' WHERE id = 1; INSERT INTO S.orders VALUES (1, 1, 100); UPDATE S.orders SET total = 50 WHERE id = 10; INSERT INTO S.items VALUES (20, 2, 'z')"],
      ours: ["UPDATE S.clients SET name = 'A' WHERE id = 1; INSERT INTO S.orders VALUES (1, 2, 200); UPDATE S.orders SET total = 6 WHERE id = 20"],
      back: 'children first',
    })) as { tables: unknown; merging: string[] };
    expect(before.merging).toEqual(['E_NO_MERGE', 'E_NO_MERGE', 'E_NO_MERGE']);
    const out = await refused(t, ['f2'], 'E_MERGE_CONFLICT');
    expect(out.status).toBe('conflict');
    expect(out.conflicts.map((c: { table: string; key: unknown; column: string; kind: string }) => [c.table, c.key, c.column, c.kind])).toEqual([
      ['s2.clients', { id: '1' }, 'name', 'update/update'],
      ['s2.orders', { id: '1' }, 'client_id', 'insert/insert'],
      ['s2.orders', { id: '1' }, 'total', 'insert/insert'],
    ]);
    expect(Object.keys(out.tables)).toEqual(['s2.clients', 's2.orders', 's2.items']);
    // nothing written, every table of the merge kept in progress (items too: it gets its MERGE part at --continue)
    await withRepo(t, async (repo) => {
      expect(await differences(repo, 's2')).toEqual(NONE);
      const kept = (await refs(repo, 's2')) as { tables: unknown; merging: string[] };
      expect([kept.tables, kept.merging]).toEqual([before.tables, ['in progress', 'in progress', 'in progress']]);
    });
    // every table's conflicts, in sections; --json keyed by table
    const listed = JSON.parse(await vsgOk(t, ['conflicts', '--json']));
    expect(Object.keys(listed.tables)).toEqual(['s2.clients', 's2.orders', 's2.items']);
    expect([listed.unresolved, listed.tables['s2.clients'].unresolved, listed.tables['s2.orders'].unresolved, listed.tables['s2.items'].conflicts]).toEqual([3, 1, 2, []]);
    const text = await vsgOk(t, ['conflicts']);
    expect(text).toMatch(/^s2\.clients: merging 'f2' \([0-9a-f]{7}\) into 'main'[^]*\n1 of 1 unresolved\n\ns2\.orders: merging 'f2'[^]*\n2 of 2 unresolved\n\ns2\.items: merging 'f2'[^]*\nno conflicts\n\n3 of 3 unresolved in all\n$/);
    expect(listed.tables['s2.orders'].repoTheirs).not.toBe(listed.tables['s2.orders'].theirs);
    // key 1 is conflicted in two tables: name one
    const ambiguous = await vsg(t, ['resolve', '1', '--theirs']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/^error: s2\.clients, s2\.orders each have a conflict at 1; name one with -t\n/);
    // neither a key nor --all: a usage error that says how to name either
    const neither = await vsg(t, ['resolve', '--theirs']);
    expect([neither.code, neither.stderr]).toEqual([
      2,
      "error: name the row to resolve by its key, or resolve every conflict\nhint: vsg resolve <key> --theirs, or vsg resolve --all --theirs ('vsg conflicts' lists them)\n",
    ]);
    // a key that parses for none of the tables (invalid JSON) is a bad request, not "no conflict"
    const bad = await vsg(t, ['resolve', '{"id": 1', '--theirs', '--json']);
    expect([bad.code, JSON.parse(bad.stderr).error.code]).toEqual([3, 'E_BAD_KEY']);
    // one table of the merge cannot go on or back alone
    // (--continue -t through bin/vsg for the exit code and hint; --abort -t through the library below, same error)
    const part = await vsg(t, ['merge', '--continue', '-t', 's2.orders']);
    expect(part.code).toBe(2);
    expect(part.stderr).toMatch(/^error: the merge of 'f2' into 's2\.orders' is part of a merge across s2\.clients, s2\.orders, s2\.items\nhint: continue or abort the whole merge: 'vsg merge --continue' or 'vsg merge --abort', without -t\n$/);
    const open = await vsg(t, ['merge', '--continue', '--json']);
    expect(open.code).toBe(1);
    expect(JSON.parse(open.stderr.trim().split('\n').at(-1) as string).error.code).toBe('E_MERGE_UNRESOLVED');
    await withRepo(t, async (lib) => {
      const e = await lib.mergeAbort({ table: 's2.clients' }).then(() => expect.fail('--abort -t went through'), (x: { code?: string; message: string }) => x);
      expect([e.code, e.message]).toEqual(['E_MERGE_ACROSS', "the merge of 'f2' into 's2.clients' is part of a merge across s2.clients, s2.orders, s2.items"]);
      // each table's section of `vsg conflicts` names the commits by the ids log lists (of main, f2), not each table's own
      expect(await idsNotInLogOf(lib, text, ['main', 'f2'])).toEqual([]);
      expect(await differences(lib, 's2')).toEqual(NONE);
    });
    // --all settles every table's conflicts; a key with its column finds its one table
    expect(await vsgOk(t, ['resolve', '--all', '--ours'])).toMatch(/^resolved 3 conflicts\n/);
    expect(await vsgOk(t, ['resolve', '1', 'name', '--theirs'])).toMatch(/^resolved 1 conflict\n/);
    const done = await vsgOk(t, ['merge', '--continue']);
    expect(done).toMatch(/^\[main ([0-9a-f]{7})\] merged f2: s2\.clients: 1 updated · s2\.orders: 1 updated · s2\.items: 1 inserted\n3 conflicts resolved\n$/);
    await withRepo(t, async (repo) => {
      await repo.db.query(`CREATE TABLE s2.exp_clients AS TABLE s2.snap_clients; UPDATE s2.exp_clients SET name = 'B' WHERE id = 1;
        CREATE TABLE s2.exp_orders AS TABLE s2.snap_orders; UPDATE s2.exp_orders SET total = 50 WHERE id = 10;
        CREATE TABLE s2.exp_items AS TABLE s2.snap_items; INSERT INTO s2.exp_items VALUES (20, 2, 'z')`);
      expect(await differences(repo, 's2', 'exp')).toEqual(NONE);
      const [top] = (await repo.log({ limit: 1 })).commits;
      expect(top.shortId).toBe(/\[main ([0-9a-f]{7})\]/.exec(done)![1]);
      expect(top.parts?.map((p) => [p.table, p.kind, p.parents.length])).toEqual([['s2.clients', 'MERGE', 2], ['s2.orders', 'MERGE', 2], ['s2.items', 'MERGE', 2]]);
      expect((await repo.status()).filter((x) => x.table.startsWith('s2.') && !x.clean)).toEqual([]);
      expect((await repo.verify()).ok).toBe(true);
      expect(((await refs(repo, 's2')) as { merging: string[] }).merging).toEqual(['E_NO_MERGE', 'E_NO_MERGE', 'E_NO_MERGE']);
    });
  });

  it('--abort without -t forgets the whole merge across tables, nothing changed; --strategy then merges it', async () => {
    const before = await scenarioSnapshot(t, {
      schema: 's7',
      branch: 'f7',
      theirs: ["UPDATE S.clients SET name = 'B' WHERE id = 1; UPDATE S.orders SET total = 50 WHERE id = 10; INSERT INTO S.orders VALUES (40, 1, 4); INSERT INTO S.items VALUES (40, 1, 'n')"],
      ours: ["UPDATE S.clients SET name = 'A' WHERE id = 1; UPDATE S.orders SET total = 6 WHERE id = 10; UPDATE S.items SET sku = 'Y' WHERE order_id = 20"],
      back: 'children first',
    });
    const stopped = await vsg(t, ['merge', 'f7']);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^s7\.clients: automatic merge of 'f7' failed: 1 conflict\n[^]*\ns7\.orders: automatic merge of 'f7' failed: 1 conflict\n[^]*\nnothing was written; the merge of every table is kept in progress/);
    expect(stopped.stderr).toMatch(/^error: merge of 'f7' has 2 conflicts in s7\.clients, s7\.orders; nothing was written, the merge is in progress\nhint: resolve them with 'vsg resolve'/);
    // a write to a table of the merge waits for it, also to one without conflicts
    const write = await vsg(t, ['commit', "UPDATE s7.items SET sku = 'q' WHERE order_id = 10"]);
    expect([write.code, write.stderr.split('\n')[0]]).toEqual([3, "error: a merge into 's7.items' is in progress"]);
    expect(await vsgOk(t, ['merge', '--abort'])).toBe("s7.clients, s7.orders, s7.items: merge of 'f7' aborted (2 conflicts forgotten)\n");
    await withRepo(t, (repo) => unchanged(repo, 's7', before));
    // a strategy settles every table's conflicts: the merge goes through
    expect(await vsgOk(t, ['merge', 'f7', '--strategy', 'theirs'])).toMatch(/^\[main [0-9a-f]{7}\] merged f7: s7\.clients: 1 updated · s7\.orders: 1 inserted, 1 updated · s7\.items: 1 inserted\n2 conflicts resolved\n$/);
    expect((await withRepo(t, (repo) => rows(repo, 's7'))).clients[0]).toBe('{"id": 1, "name": "B"}');
  });

  it('refuses an order for a client the other side deleted, before anything is written', async () => {
    const before = await scenarioSnapshot(t, {
      schema: 's3',
      branch: 'f3',
      theirs: ['INSERT INTO S.orders VALUES (21, 2, 1)'],
      ours: ['DELETE FROM S.clients WHERE id = 2'],
      back: 'children first',
    });
    const out = await refused(t, ['f3'], 'E_MERGE_CONSTRAINT');
    expect(out.status).toBe('refused');
    expect(out.violations).toEqual([
      {
        table: 's3.orders',
        key: { id: '21' },
        row: { id: '21', client_id: '2', total: '1' },
        constraint: 'orders_client_id_fkey',
        kind: 'foreign key',
        columns: ['client_id'],
        other: { table: 's3.clients', relation: 'missing', key: null, values: { id: '2' } },
      },
    ]);
    await withRepo(t, (repo) => unchanged(repo, 's3', before));
  });

  it('refuses the deletion of a client the other side added an order for, though the key cascades', async () => {
    const before = await scenarioSnapshot(t, {
      schema: 's4',
      branch: 'f4',
      // on the branch the delete cascades to order 20 and its item
      theirs: ['DELETE FROM S.clients WHERE id = 2'],
      ours: ['INSERT INTO S.orders VALUES (21, 2, 1)'],
      back: 'parents first',
    });
    const out = await refused(t, ['f4'], 'E_MERGE_CONSTRAINT');
    expect(out.violations).toEqual([
      {
        table: 's4.clients',
        key: { id: '2' },
        row: null,
        constraint: 'orders_client_id_fkey',
        kind: 'foreign key',
        columns: ['id'],
        other: { table: 's4.orders', relation: 'references', key: { id: '21' }, values: { client_id: '2' } },
      },
    ]);
    expect(out.tables['s4.clients'].violations).toEqual(out.violations);
    // a one-table merge (-t) is refused alike: the cascade would change orders, which it does not write
    // (its rendering through bin/vsg, the refusal's data through the library below)
    const text = await vsg(t, ['merge', 'f4', '-t', 's4.clients']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/\nhint: merge the tables together \(without -t, or -t s4\.clients -t s4\.orders\), or change the rows involved on one of the branches\n$/);
    await withRepo(t, async (repo) => {
      const alone = await refusedByLibrary(repo, { ref: 'f4', table: 's4.clients' }, 'E_MERGE_CONSTRAINT');
      expect(alone.tables).toBeUndefined();
      expect(alone.violations.map((v: { table: string; key: unknown; other: { table: string; key: unknown } }) => [v.table, v.key, v.other.table, v.other.key])).toEqual([
        ['s4.clients', { id: '2' }, 's4.orders', { id: '20' }],
        ['s4.clients', { id: '2' }, 's4.orders', { id: '21' }],
      ]);
      // orders left out (-t): the cascade would change a table the merge does not write
      const without = await refusedByLibrary(repo, { ref: 'f4', tables: ['s4.clients', 's4.items'] }, 'E_MERGE_CONSTRAINT');
      expect(without.violations.map((v: { table: string; key: unknown; other: { key: unknown } }) => [v.table, v.key, v.other.key])).toEqual([
        ['s4.clients', { id: '2' }, { id: '20' }],
        ['s4.clients', { id: '2' }, { id: '21' }],
      ]);
      await unchanged(repo, 's4', before);
    });
  });

  it('merges a client and its order added on the branch (refused with the client left out by -t)', async () => {
    await withRepo(t, async (repo) => {
      await scenario(repo, {
        schema: 's5',
        branch: 'f5',
        onDelete: 'NO ACTION',
        theirs: ["INSERT INTO S.clients VALUES (5, 'eve')", 'INSERT INTO S.orders VALUES (50, 5, 1)', "INSERT INTO S.items VALUES (50, 1, 'z')"],
        ours: ["UPDATE S.clients SET name = 'Ann' WHERE id = 1; UPDATE S.orders SET total = 6 WHERE id = 10"],
        back: 'children first',
      });
      // -t restricts the merge: without the client, the order has no parent
      const alone = await refusedByLibrary(repo, { ref: 'f5', tables: ['s5.orders', 's5.items'] }, 'E_MERGE_CONSTRAINT');
      expect(Object.keys(alone.tables)).toEqual(['s5.orders', 's5.items']);
      expect(alone.violations.map((v: { table: string; key: unknown }) => [v.table, v.key])).toEqual([['s5.orders', { id: '50' }]]);
    });
    const json = JSON.parse(await vsgOk(t, ['merge', 'f5', '--json']));
    expect(json.status).toBe('merged');
    expect(Object.fromEntries(Object.entries(json.tables as Record<string, { status: string; applied: unknown }>).map(([k, v]) => [k, [v.status, v.applied]]))).toEqual({
      's5.clients': ['merged', { inserted: 1, updated: 0, deleted: 0 }],
      's5.orders': ['merged', { inserted: 1, updated: 0, deleted: 0 }],
      's5.items': ['fast-forward', { inserted: 1, updated: 0, deleted: 0 }],
    });
    expect(json.commit.parts.map((p: { table: string }) => p.table)).toEqual(['s5.clients', 's5.orders']);
    const r = await withRepo(t, (repo) => rows(repo, 's5'));
    expect([r.clients.length, r.orders.length, r.items.length]).toEqual([4, 4, 4]);
    expect(r.clients[0]).toBe('{"id": 1, "name": "Ann"}');
  });

  it('fast-forwards every table: an order deleted, then its client, written children first', async () => {
    await withRepo(t, (repo) => scenario(repo, {
      schema: 's6',
      branch: 'f6',
      onDelete: 'NO ACTION',
      theirs: ['DELETE FROM S.items WHERE order_id = 30', 'DELETE FROM S.orders WHERE id = 30', 'DELETE FROM S.clients WHERE id = 3'],
      ours: [],
      back: 'parents first',
    }));
    const out = await vsgOk(t, ['merge', 'f6']);
    expect(out).toBe("fast-forward 'main' to 'f6': s6.clients: 1 deleted · s6.orders: 1 deleted · s6.items: 1 deleted\n");
    const repo = await t.open();
    try {
      const r = await rows(repo, 's6');
      expect([r.clients.length, r.orders.length, r.items.length]).toEqual([2, 2, 2]);
      // no commit made: each table's main is now at its f6
      const heads = (await repo.tables()).filter((x) => x.schema === 's6');
      for (const x of heads) expect(x.headCommit).toBe((await repo.log({ table: x.display, from: 'f6', limit: 1 })).commits[0].id);
      expect((await repo.status()).filter((s) => s.table.startsWith('s6.') && !s.clean)).toEqual([]);
    } finally {
      await repo.close();
    }
    expect(await vsgOk(t, ['merge', 'f6'])).toBe("s6.clients, s6.orders, s6.items: already up to date with 'f6'\n");
  });
});
