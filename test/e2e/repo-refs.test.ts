/**
 * Repository-wide tags, branches, switch and checkout through bin/vsg: with
 * several tables tracked no -t is needed, and a name is the set of the
 * tables' refs of that name, made, moved and deleted together. The CI fixture
 * reset (tag, an application writes across three related tables, checkout
 * the tag: every table equals the fixture by EXCEPT ALL both ways, one
 * CHECKOUT commit per changed table); switch across tables; listing and
 * deleting; the refusals (a name one table has already, a branch one table
 * lacks, a checkout of some tables that would orphan rows: nothing changed).
 * State is set up and read through SQL and the library; the CLI runs only
 * the commands under test. One-table forms: test/e2e/branch.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { differences, idsNotInLog, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

// PGlite spawns cost seconds each on a busy machine.
vi.setConfig({ testTimeout: 300_000 });

const TABLES = ['clients', 'order_items', 'orders'];
const author = 'tester';

describe.each(targetNames())('repository-wide refs (CLI) on %s', (name) => {
  let t: Target;
  /** the commit across the tables that tracked them, where the tag fixture stands */
  let tracked: { id: string; shortId: string; message: string };
  /** The library, opened for one step (the embedded database takes one process at a time). */
  const lib = <T>(f: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, f);
  const snapshot = (tag: string) => t.sql(TABLES.map((x) => `DROP TABLE IF EXISTS ${tag}_${x}; CREATE TABLE ${tag}_${x} AS TABLE ${x};`).join('\n'));
  /** Each table holds the rows of its copy `<tag>_<table>`. */
  const sameAs = async (tag: string) =>
    expect(await differences(t, TABLES, (x) => `${tag}_${x}`), `against ${tag}`).toEqual(Object.fromEntries(TABLES.map((x) => [x, 0])));
  /** Each table's branch, HEAD and commit count. */
  const heads = () => lib(async (repo) => Object.fromEntries((await repo.tables()).map((x) => [x.display, { head: x.head, commit: x.headCommit, commits: x.commits }])));
  /** Record each table's uncommitted changes as its own commit. */
  const commitEach = (message: string) =>
    lib(async (repo) => {
      for (const x of (await repo.status()).filter((s) => !s.clean)) await repo.commit({ table: x.table, message, author });
    });

  beforeAll(async () => {
    t = await makeTarget(name);
    await t.sql(`CREATE TABLE clients (id int PRIMARY KEY, name text);
      CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(10,2));
      CREATE TABLE order_items (order_id int REFERENCES orders ON DELETE CASCADE ON UPDATE CASCADE, line int, sku text, PRIMARY KEY (order_id, line));
      INSERT INTO clients VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
      INSERT INTO orders VALUES (10, 1, 5), (11, 1, 6), (20, 2, 7), (30, 3, 8);
      INSERT INTO order_items VALUES (10, 1, 'x'), (10, 2, 'y'), (11, 1, 'z'), (20, 1, 'w'), (30, 1, 'v')`);
    const repo = await t.open({ init: true });
    await repo.trackTables(TABLES, { author });
    await repo.close();
  }, 300_000);
  afterAll(() => t.cleanup());

  it('resets a CI fixture: tag every table, an application writes across them, checkout the tag', async () => {
    // one line, naming the commit by the id log lists (the commit across the tables), not each table's part
    const tagged = await vsgOk(t, ['tag', 'fixture']);
    expect(tagged).toMatch(/^tagged [0-9a-f]{7} as fixture\n$/);
    tracked = (await lib((repo) => repo.log({ limit: 1 }))).commits[0];
    expect(tagged).toBe(`tagged ${tracked.shortId} as fixture\n`);
    await snapshot('fixture');
    // the application: a delete that cascades, a key change that cascades, inserts across the three
    await t.sql(`DELETE FROM clients WHERE id = 1; UPDATE orders SET id = 21 WHERE id = 20;
      INSERT INTO clients VALUES (4, 'dee'); INSERT INTO orders VALUES (40, 4, 1); INSERT INTO order_items VALUES (40, 1, 'q'), (21, 2, 'u');
      UPDATE clients SET name = 'BOB' WHERE id = 2`);
    await commitEach('the application');
    await lib(async (repo) => {
      await repo.commit({ table: 'clients', message: 'eve', author, sql: "INSERT INTO clients VALUES (5, 'eve')" });
      await repo.commit({ table: 'orders', message: 'order 50', author, sql: 'INSERT INTO orders VALUES (50, 5, 9)' });
    });
    const before = await heads();

    const r = await vsg(t, ['checkout', 'fixture', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(TABLES);
    await sameAs('fixture');
    const after = await heads();
    for (const x of TABLES) {
      // one CHECKOUT commit on top of each table's HEAD, recording the tag's rows
      expect(out[x].commit, x).toMatchObject({ kind: 'CHECKOUT', parents: [before[x].commit], meta: { source: out[x].source.id } });
      expect(out[x].source.refs).toContainEqual({ name: 'fixture', kind: 'tag' });
      expect(after[x]).toEqual({ head: 'main', commit: out[x].commit.id, commits: (before[x].commits ?? 0) + 1 });
    }
    expect(out.clients.applied).toEqual({ inserted: 1, updated: 1, deleted: 2 });
    expect((await lib((repo) => repo.status())).every((s) => s.clean)).toBe(true);
    // The three CHECKOUT commits are one commit across the tables, the log's newest entry.
    const span = out.clients.commit.span as string;
    expect(TABLES.map((x) => out[x].commit.span)).toEqual([span, span, span]);
    const [top] = (await lib((repo) => repo.log({ limit: 1 }))).commits;
    expect(top).toMatchObject({ id: span, kind: 'CHECKOUT', message: 'Check out fixture' });
    // the commit checked out, as log lists it: the tag's commit across the tables (each table's part kept in source)
    expect(TABLES.map((x) => out[x].repoSource)).toEqual([tracked.id, tracked.id, tracked.id]);
    expect(top.parts?.map((p) => p.id).sort()).toEqual(TABLES.map((x) => out[x].commit.id).sort());

    // Again: every table is there already, and no commit is made.
    const again = await vsgOk(t, ['checkout', 'fixture']);
    expect(again).toBe(`already at the state of ${tracked.shortId}; nothing to commit\n`);
    expect(await heads()).toEqual(after);
    expect((await lib((repo) => repo.verify())).ok).toBe(true);
  });

  it('switches every table to its branch of one name, and lists branches and tags by name', async () => {
    // one line, as git's
    expect(await vsgOk(t, ['switch', '-c', 'feature'])).toBe("switched to a new branch 'feature'\n");
    await lib(async (repo) => {
      await repo.commit({ table: 'clients', message: 'fay', author, sql: "INSERT INTO clients VALUES (6, 'fay'); UPDATE clients SET name = 'CY' WHERE id = 3" });
      await repo.commit({ table: 'orders', message: 'order 60', author, sql: 'INSERT INTO orders VALUES (60, 6, 3)' });
      await repo.commit({ table: 'order_items', message: 'items of 60', author, sql: "INSERT INTO order_items VALUES (60, 1, 'f'), (60, 2, 'g')" });
    });
    await snapshot('feature');

    const back = await vsg(t, ['switch', 'main']);
    expect(back.code, back.stderr).toBe(0);
    // one line: main's commit as log lists it (the checkout across the tables), the rows written per table
    const [mainTop] = (await lib((repo) => repo.log({ limit: 1 }))).commits;
    expect(back.stdout).toBe(`switched to branch 'main' at ${mainTop.shortId} (clients: 1 updated, 1 deleted · order_items: 2 deleted · orders: 1 deleted)\n`);
    expect(await idsNotInLog(t, back.stdout)).toEqual([]);
    await sameAs('fixture');
    expect(Object.values(await heads()).map((h) => h.head)).toEqual(['main', 'main', 'main']);

    // as git branch -v: each name's commit as log lists it (feature: its newest, 'items of 60'), and its message
    const list = await vsgOk(t, ['branch']);
    expect(list).toMatch(/^ {2}feature [0-9a-f]{7} items of 60\n\* main {4}[0-9a-f]{7} Check out fixture\n$/);
    expect(await idsNotInLog(t, list, ['main', 'feature'])).toEqual([]);
    const json = JSON.parse(await vsgOk(t, ['branch', '--json']));
    expect(json.tables).toEqual(TABLES);
    expect(json.names.map((n: { name: string; tables: string[]; current: string[] }) => [n.name, n.tables, n.current])).toEqual([
      ['feature', TABLES, []],
      ['main', TABLES, TABLES],
    ]);
    expect(await vsgOk(t, ['tag'])).toBe(`fixture ${tracked.shortId} ${tracked.message}\n`);

    const sw = JSON.parse(await vsgOk(t, ['switch', 'feature', '--json']));
    expect(Object.keys(sw)).toEqual(TABLES);
    expect(sw.order_items).toMatchObject({ from: 'main', branch: 'feature', applied: { inserted: 2, updated: 0, deleted: 0 } });
    await sameAs('feature');
    expect((await lib((repo) => repo.status())).every((s) => s.clean)).toBe(true);
  });

  it('refuses a name one table has already, a branch one table lacks, and a checkout of some tables that would orphan rows: nothing changed', async () => {
    // a tag name taken in one table: no table gets the tag
    await lib((repo) => repo.createTag({ table: 'orders', name: 'taken' }));
    const taken = await vsg(t, ['tag', 'taken']);
    expect(taken.code).toBe(3);
    expect(taken.stderr.split('\n')[0]).toBe("error: a tag named 'taken' already exists for 'orders'");
    expect((await lib((repo) => repo.tagsByName())).names.find((n) => n.name === 'taken')?.tables).toEqual(['orders']);

    // a branch one table lacks: no table switches
    await lib((repo) => repo.createBranch({ table: 'clients', name: 'lonely' }));
    const before = await heads();
    const lonely = await vsg(t, ['switch', 'lonely']);
    expect(lonely.code).toBe(3);
    expect(lonely.stderr.split('\n').slice(0, 2)).toEqual(["error: 'lonely' is not a branch of 'order_items'", "hint: 'vsg branch' lists which tables have each branch; nothing was changed"]);
    expect(await heads()).toEqual(before);
    await sameAs('feature');

    // orders alone back to the fixture would take order 60, whose items stay: refused, exit 4
    const partial = await vsg(t, ['checkout', 'fixture', '-t', 'orders', '--json']);
    expect(partial.code, partial.stdout + partial.stderr).toBe(4);
    expect(JSON.parse(partial.stderr).error).toMatchObject({
      code: 'E_FK_VIOLATION',
      data: { table: 'orders', constraint: 'order_items_order_id_fkey', referencing: 'order_items' },
      hint: "check them out together ('vsg checkout fixture -t orders -t order_items'), or change the referencing rows first; nothing was changed",
    });
    expect(await heads()).toEqual(before);
    await sameAs('feature');
    expect((await lib((repo) => repo.status())).every((s) => s.clean)).toBe(true);
  });

  it('deletes a tag and a branch from every table having it', async () => {
    const del = await vsgOk(t, ['tag', '-d', 'fixture']);
    expect(del).toMatch(/^deleted tag fixture \(was [0-9a-f]{7}\)\n$/);
    expect(await idsNotInLog(t, del)).toEqual([]);
    await vsgOk(t, ['switch', 'main']);
    // feature's commits are on no other branch (but lonely, in clients): -d is refused whole, -D deletes it everywhere
    const unmerged = await vsg(t, ['branch', '-d', 'feature']);
    expect(unmerged.code).toBe(1);
    expect(unmerged.stderr.split('\n')[0]).toBe("error: branch 'feature' of 'order_items' is not merged into any other branch");
    expect((await lib((repo) => repo.branchesByName())).names.find((n) => n.name === 'feature')?.tables).toEqual(TABLES);
    const forced = JSON.parse(await vsgOk(t, ['branch', '-D', 'feature', '--json']));
    expect(Object.keys(forced)).toEqual(TABLES);
    expect(Object.values(forced).map((b) => (b as { forced: boolean }).forced)).toEqual([false, true, true]);
    // a branch of every table: one line with the commit as log lists it (--json keeps each table's own commit and adds it)
    const [top] = (await lib((repo) => repo.log({ limit: 1 }))).commits;
    expect(await vsgOk(t, ['branch', 'spare'])).toBe(`created branch spare at ${top.shortId}\n`);
    const spare = JSON.parse(await vsgOk(t, ['branch', '-d', 'spare', '--json']));
    expect(Object.values(spare).map((b) => (b as { repoCommit: string }).repoCommit)).toEqual([top.id, top.id, top.id]);
    expect((spare as Record<string, { commit: string }>).orders.commit).toBe(top.parts?.find((p) => p.table === 'orders')?.id);
    const left = await lib((repo) => Promise.all([repo.branchesByName(), repo.tagsByName()]));
    expect(left[0].names.map((n) => [n.name, n.tables])).toEqual([['lonely', ['clients']], ['main', TABLES]]);
    expect(left[1].names.map((n) => [n.name, n.tables])).toEqual([['taken', ['orders']]]);
  });
});
