/**
 * A commit across tables, through bin/vsg on both databases: a delete that
 * cascades is one commit holding every table it reached, and rolling it back
 * brings the client and its orders back exactly; a transaction of several
 * statements over three tables; `commit -t` leaving another table's changes
 * uncommitted; --parent checked table by table; tracking several tables as
 * one commit; tampering with one change row or with the parts caught by verify.
 * Commits that only build history, and the status and log reads that check a
 * state, go through the library, in one open between two runs of bin/vsg (an
 * open of the embedded database costs ~0.4 s); the commands whose output a
 * test asserts are spawned.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommitOptions, Repository } from '../../src/index.js';
import { differences, idsNotInLogOf, makeTarget, sessionOf, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

const TABLES = ['clients', 'orders', 'items'];

describe.each(targetNames())('commits across tables on %s', (name) => {
  let t: Target;
  /** per table, the rows in which it and its copy `<prefix>_<table>` differ */
  const against = (prefix: string, repo?: Repository) => differences(repo ? sessionOf(repo) : t, TABLES, (x) => `${prefix}_${x}`);
  const none = Object.fromEntries(TABLES.map((x) => [x, 0]));
  const SNAPSHOT = TABLES.map((x) => `DROP TABLE IF EXISTS snap_${x}; CREATE TABLE snap_${x} AS TABLE ${x};`).join('\n');
  /** copy every table to snap_<table> (on `repo` when one is open) */
  const snapshot = async (repo?: Repository) => {
    await (repo ? repo.db.query(SNAPSHOT) : t.sql(SNAPSHOT));
  };
  const sameAsSnapshot = async () => expect(await against('snap')).toEqual(none);
  /** the library on this target, closed before the next CLI run (PGlite admits one process) */
  const lib = <T>(f: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, f);
  /** the tables with uncommitted changes (what `vsg status --json` lists as not clean) */
  const dirtyIn = async (repo: Repository) => (await repo.status()).filter((s) => !s.clean).map((s) => s.table).sort();
  const dirty = () => lib(dirtyIn);
  /** a commit that only builds history, on a repository open for more: its short id */
  const commitIn = async (repo: Repository, o: Omit<CommitOptions, 'author'>) => (await repo.commit({ author: 'tester', ...o })).commit.shortId;

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    await repo.db.query(`CREATE TABLE clients (id int PRIMARY KEY, name text, credit int NOT NULL DEFAULT 0);
      CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(10,2));
      CREATE TABLE items (order_id int REFERENCES orders ON DELETE CASCADE, line int, sku text, PRIMARY KEY (order_id, line));
      INSERT INTO clients VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cy', 30);
      INSERT INTO orders VALUES (10, 1, 5), (11, 1, 6), (20, 2, 7), (30, 3, 8);
      INSERT INTO items VALUES (10, 1, 'x'), (10, 2, 'y'), (11, 1, 'z'), (20, 1, 'w')`);
    await repo.close();
  }, 300_000);
  afterAll(() => t.cleanup());

  it('tracks several tables as one commit across them', async () => {
    const out = await vsgOk(t, ['track', ...TABLES]);
    expect(out).toMatch(/^one commit across them: \[main [0-9a-f]{7}\] track clients, orders, items$/m);
    const repo = await t.open();
    try {
      const [top] = (await repo.log({ limit: 1 })).commits;
      expect(top.parts?.map((p) => [p.table, p.kind, p.inserted])).toEqual([['clients', 'ROOT', 3], ['orders', 'ROOT', 4], ['items', 'ROOT', 4]]);
    } finally {
      await repo.close();
    }
  });

  it('records a delete and the rows it cascades to as one commit, and rolls all of it back', async () => {
    await snapshot();
    const out = await vsgOk(t, ['commit', '-m', 'drop ann', 'DELETE FROM clients WHERE id = 1']);
    expect(out).toMatch(/^\[main ([0-9a-f]{7})\] DELETE clients: 1 deleted · orders: 2 deleted · items: 3 deleted\n$/);
    const id = /\[main ([0-9a-f]{7})\]/.exec(out)![1];
    // Each part is a commit of its table (its log), with the id of the whole beside it (checked below).
    const [clean, part] = await lib(async (repo) => [await dirtyIn(repo), (await repo.log({ table: 'orders', limit: 1 })).commits[0]] as const);
    expect(clean).toEqual([]);
    // One entry in the log of every table, naming each table with its counts.
    const log = await vsgOk(t, ['log', '-n', '1']);
    expect(log).toContain(`commit ${id}`);
    expect(log).toMatch(/^Tables: clients \(1 deleted\), orders \(2 deleted\), items \(3 deleted\)  COMMIT DELETE$/m);
    // show --json: one section per table, keyed by table.
    const shown = JSON.parse(await vsgOk(t, ['show', id, '--json'])) as { commit: { id: string }; tables: Record<string, { changes: unknown[] }> };
    expect(Object.keys(shown.tables)).toEqual(TABLES);
    expect(shown.tables.items.changes).toHaveLength(3);
    expect(part).toMatchObject({ span: shown.commit.id, deleted: 2 });

    const back = await vsgOk(t, ['rollback', id]);
    expect(back).toMatch(new RegExp(`^\\[main [0-9a-f]{7}\\] rolled back ${id} in clients: 1 inserted · orders: 2 inserted · items: 3 inserted\\n$`));
    await sameAsSnapshot();
    expect(await dirty()).toEqual([]);
  });

  let reshuffle = '';
  it('records a transaction of several statements over three tables as one commit', async () => {
    const out = await vsgOk(t, ['commit', '-m', 'reshuffle', '-'], {
      input: `UPDATE clients SET credit = credit + 1 WHERE id = 2;
        INSERT INTO orders VALUES (21, 2, 9.99);
        INSERT INTO items VALUES (21, 1, 'new'), (21, 2, 'newer');
        UPDATE items SET sku = 'W' WHERE order_id = 20;`,
    });
    expect(out).toMatch(/^\[main [0-9a-f]{7}\] MIXED clients: 1 updated · orders: 1 inserted · items: 2 inserted, 1 updated\n$/);
    reshuffle = /\[main ([0-9a-f]{7})\]/.exec(out)![1];
    await lib(async (repo) => {
      expect(await dirtyIn(repo)).toEqual([]);
      await repo.db.query(TABLES.map((x) => `CREATE TABLE at_reshuffle_${x} AS TABLE ${x};`).join('\n'));
    });
  });

  it('with -t, records only that table and leaves the cascade in the others uncommitted', async () => {
    await snapshot();
    const out = await vsgOk(t, ['commit', '-t', 'clients', '-m', 'drop cy', 'DELETE FROM clients WHERE id = 3']);
    expect(out).toMatch(/^\[main [0-9a-f]{7}\] DELETE clients: 1 deleted\n$/);
    const text = await vsgOk(t, ['status']);
    expect(text).toMatch(/^On branch main, HEAD [0-9a-f]{7}\n\norders on branch main, HEAD [0-9a-f]{7}\n {2}uncommitted changes:\n {4}deleted: {2}1\n/);
    expect(text).toMatch(/\n\nnothing to commit in clients, items\n$/);
    await lib(async (repo) => {
      expect(await dirtyIn(repo)).toEqual(['orders']);
      // orders' HEAD is its part of a commit across tables: named by that commit's id, as log lists it (--json adds repoHead)
      expect(await idsNotInLogOf(repo, text)).toEqual([]);
    });
    const st = JSON.parse(await vsgOk(t, ['status', '--json'])) as { table: string; head: string; repoHead: string }[];
    const orders = st.find((x) => x.table === 'orders')!;
    expect(orders.repoHead).not.toBe(orders.head);
    expect(text).toContain(`orders on branch main, HEAD ${orders.repoHead.slice(0, 7)}\n`);
    // Without SQL nor -t: the uncommitted changes of every table.
    expect(await vsgOk(t, ['commit', '-m', 'its order'])).toMatch(/^\[main [0-9a-f]{7}\] DELETE orders: 1 deleted\n$/);
    expect(await vsgOk(t, ['status'])).toMatch(/^On branch main, HEAD [0-9a-f]{7}\nnothing to commit, every table clean \(clients, items, orders\)\n$/);
  });

  it('checks --parent table by table: commits to other tables since do not make it stale', async () => {
    const repo = await t.open();
    let parent: string;
    try {
      const c = await repo.commit({ table: 'orders', sql: 'UPDATE orders SET total = 1 WHERE id = 20', author: 'tester', message: 'o' });
      parent = c.commit.id;
      await repo.commit({ table: 'items', sql: "UPDATE items SET sku = 'q' WHERE order_id = 21 AND line = 1", author: 'tester', message: 'i' });
    } finally {
      await repo.close();
    }
    // items moved since the parent: a commit touching items is stale, nothing changed.
    const stale = await vsg(t, ['commit', '--parent', parent, '-t', 'orders', '-t', 'items', 'UPDATE orders SET total = 2 WHERE id = 20; UPDATE items SET sku = \'r\' WHERE order_id = 21 AND line = 1']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^error: 'items' has moved since [0-9a-f]{7}: HEAD is [0-9a-f]{7}$/m);
    expect((await t.sql('SELECT total::text FROM orders WHERE id = 20')).rows[0].total).toBe('1.00');
    // orders alone (items untouched): clients and items moved since, which does not matter.
    const ok = await vsg(t, ['commit', '--parent', parent, '-t', 'orders', '-t', 'clients', 'UPDATE orders SET total = 2 WHERE id = 20']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('refuses a rollback across tables whose rows changed since, changing nothing', async () => {
    const id = await lib(async (repo) => {
      const both = await commitIn(repo, { message: 'both', sql: "UPDATE clients SET name = 'BOB' WHERE id = 2; UPDATE orders SET total = 3 WHERE id = 21" });
      await commitIn(repo, { table: 'orders', message: 'later', sql: 'UPDATE orders SET total = 4 WHERE id = 21' });
      await snapshot(repo);
      return both;
    });
    const r = await vsg(t, ['rollback', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot roll back ${id}: 1 row or cell changed since$`, 'm'));
    expect(r.stderr).toMatch(/^ {2}orders:\n {4}id=21 total: the commit set "3.00" \(was "9.99"\), now "4.00"$/m);
    await sameAsSnapshot();
    // -t undoes one table's part alone.
    expect(await vsgOk(t, ['rollback', id, '-t', 'clients'])).toMatch(/rolled back [0-9a-f]{7} in clients: 1 updated/);
  });

  it('diffs every table from a commit across tables, a line each with --stat, keyed by table with --json', async () => {
    const stat = await vsg(t, ['diff', reshuffle, '--stat', '--exit-code']);
    expect(stat.code).toBe(1);
    // each table against its own state at that commit; the live tables moved on since
    expect(stat.stdout).toMatch(/^ clients \| \d+ rows? changed: .*\n items {3}\| \d+ rows? changed: .*\n orders {2}\| \d+ rows? changed: .*\n$/);
    const json = JSON.parse(await vsgOk(t, ['diff', reshuffle, 'HEAD', '--json'])) as Record<string, { from: { id: string }; stat: { deleted: number } }>;
    expect(Object.keys(json)).toEqual(['clients', 'items', 'orders']);
    // clients 3 was deleted after the reshuffle
    expect(json.clients.stat.deleted).toBe(1);
    // each table's block names the commits as log lists them (the one given, HEAD's), as show does; --json keeps
    // each table's own commit in id and adds the repository's in repoCommit
    const text = await vsgOk(t, ['diff', reshuffle, 'HEAD']);
    const [head, unlisted] = await lib(async (repo) => [(await repo.log({ limit: 1 })).commits[0], await idsNotInLogOf(repo, text)] as const);
    expect(text.split('\n').filter((l) => l.startsWith('diff '))).toEqual(['clients', 'items', 'orders'].map((x) => `diff ${x} ${reshuffle.slice(0, 7)}..HEAD (${head.shortId})`));
    expect(unlisted).toEqual([]);
    expect(Object.values(json).map((d) => (d.from as { repoCommit?: string }).repoCommit?.slice(0, 7))).toEqual([reshuffle, reshuffle, reshuffle]);
    expect(json.orders.from.id.startsWith(reshuffle)).toBe(false);
    // The log of every table is one line of history: HEAD once, at the top, and no branch drawn.
    const graph = (await vsgOk(t, ['log', '--graph', '--oneline'])).trim().split('\n');
    expect(graph[0]).toMatch(/^\* [0-9a-f]{7} \(HEAD -> main\) /);
    expect(graph.filter((l) => l.includes('HEAD'))).toHaveLength(1);
    expect(graph.every((l) => l.startsWith('* ')), graph.join('\n')).toBe(true);
    // as dot: one main and one HEAD, at the newest entry
    const dot = await vsgOk(t, ['log', '--format', 'dot']);
    const newest = /^\* ([0-9a-f]{7})/.exec(graph[0])![1];
    expect(dot.match(/\[label="main"/g)).toHaveLength(1);
    expect(dot).toMatch(new RegExp(`^  "branch:main" -> "${newest}[0-9a-f]{57}" \\[style=dotted, arrowhead=none\\];$`, 'm'));
    expect(dot).toMatch(/^  "HEAD" -> "branch:main" \[style=dotted\];$/m);
    expect(dot.split('\n').filter((l) => l.includes('HEAD'))).toEqual(['  "HEAD" [label="HEAD", shape=plaintext];', '  "HEAD" -> "branch:main" [style=dotted];']);
  });

  it('checks every table out at a commit across tables (no -t), each as it stood then', async () => {
    const r = await vsg(t, ['checkout', reshuffle]);
    expect(r.code, r.stderr).toBe(0);
    // one line, as a commit's: the new commit across the tables and the commit checked out, by the ids log lists
    await lib(async (repo) => {
      const [top] = (await repo.log({ limit: 1 })).commits;
      expect(r.stdout).toMatch(new RegExp(`^\\[main ${top.shortId}\\] checked out ${reshuffle.slice(0, 7)}: clients: .* · items: .* · orders: .*\n$`));
      expect(await idsNotInLogOf(repo, r.stdout)).toEqual([]);
      expect(await against('at_reshuffle', repo)).toEqual(none);
      expect(await dirtyIn(repo)).toEqual([]);
    });
  });

  it('refuses a rollback that would take a row another table still references, with or without -t, nothing changed', async () => {
    const id = await lib(async (repo) => {
      const fay = await commitIn(repo, { table: 'clients', message: 'add fay', sql: "INSERT INTO clients VALUES (9, 'fay')" });
      await commitIn(repo, { table: 'orders', message: 'fay orders', sql: 'INSERT INTO orders VALUES (90, 9, 1)' });
      await snapshot(repo);
      return fay;
    });
    for (const args of [['rollback', id, '-t', 'clients'], ['rollback', id]]) {
      const r = await vsg(t, args);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.stderr).toMatch(/^error: cannot write rows back to 'clients': foreign key orders_client_id_fkey of 'orders' would break/m);
      await sameAsSnapshot();
    }
  });

  it('verify catches a change row of one table edited in a commit across tables, and its parts swapped', async () => {
    const { rows } = await lib(async (repo) => {
      const id = await commitIn(repo, { message: 'pair', sql: 'UPDATE clients SET credit = 99 WHERE id = 2; UPDATE orders SET total = 5 WHERE id = 21' });
      expect((await repo.verify()).ok).toBe(true);
      const sql = (text: string, params: unknown[]) => repo.db.query<Record<string, string>>(text, params);
      const found = await sql(`SELECT p.part, p.id FROM vsg.commit_parts p JOIN vsg.tracked t ON t.id = p.table_id WHERE p.id LIKE $1 || '%' AND t.table_name = 'orders'`, [id]);
      await sql(`UPDATE vsg.changes SET after = jsonb_set(after, '{total}', '"50.00"') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [found.rows[0].part]);
      return found;
    });
    const part = rows[0].part as string;
    const bad = await vsg(t, ['verify', '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { firstBad: { commit: string; table: string; problems: { code: string }[] } };
    expect(report.firstBad).toMatchObject({ commit: part, table: 'orders' });
    expect(report.firstBad.problems.map((p) => p.code)).toContain('row_hash');
    await lib(async (repo) => {
      const sql = (text: string, params: unknown[]) => repo.db.query<Record<string, string>>(text, params);
      await sql(`UPDATE vsg.changes SET after = jsonb_set(after, '{total}', '"5.00"') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [part]);
      // A part moved to another commit across tables: neither hashes to its id any more.
      const other = (await sql(`SELECT id FROM vsg.commit_parts WHERE id <> $1 LIMIT 1`, [rows[0].id])).rows[0].id;
      await sql('UPDATE vsg.commit_parts SET id = $1 WHERE part = $2', [other, part]);
      // (the CLI's report of a bad chain is asserted above; `vsg verify --json` prints this object)
      const swapped = await repo.verify();
      expect(swapped.ok).toBe(false);
      expect(swapped.problems.filter((p) => p.code === 'span_id').map((p) => p.commit).sort()).toEqual([other, rows[0].id].sort());
      await sql('UPDATE vsg.commit_parts SET id = $1 WHERE part = $2', [rows[0].id, part]);
      expect((await repo.verify()).ok).toBe(true);
    });
  });

  it('with no table named, a schema change is a SCHEMA commit of each table it altered: in the SQL, in the work, and made outside vsg', async () => {
    // DDL over two tables, no row changed: one commit across them, a SCHEMA part each
    const ddl = await vsgOk(t, ['commit', '-m', 'notes', 'ALTER TABLE clients ADD COLUMN note text; ALTER TABLE items ADD COLUMN qty int']);
    expect(ddl).toMatch(/^\[main [0-9a-f]{7}\] SCHEMA clients: column 'note' added \(text\) · items: column 'qty' added \(integer\)\n/);
    // inside a savepoint (a subtransaction writes the catalog)
    const renamed = await vsgOk(t, ['commit', 'SAVEPOINT s; ALTER TABLE items RENAME COLUMN qty TO quantity; RELEASE s']);
    expect(renamed).toMatch(/^\[main [0-9a-f]{7}\] SCHEMA items: column 'qty' renamed to 'quantity'\n/);
    // an application's work
    await lib(async (repo) => {
      const work = await repo.commit({ author: 'tester', message: 'drop note' }, async (tx) => {
        await tx.query('ALTER TABLE clients DROP COLUMN note');
      });
      expect([work.table, work.commit.kind]).toEqual(['clients', 'SCHEMA']);
      // an ALTER made outside vsg: status shows it, and a commit with no SQL and no table records it
      await repo.db.query('ALTER TABLE orders ADD COLUMN paid boolean');
      expect(await dirtyIn(repo)).toEqual(['orders']);
    });
    const outside = await vsgOk(t, ['commit', '-m', 'outside']);
    expect(outside).toMatch(/^\[main [0-9a-f]{7}\] SCHEMA orders: column 'paid' added \(boolean\)\n/);
    await lib(async (repo) => {
      expect(await dirtyIn(repo)).toEqual([]);
      expect((await repo.verify()).ok).toBe(true);
      // SQL that alters no column and changes no row is still nothing to commit
      // uncommitted changes in two tables: status says that one commit records both
      await repo.db.query('UPDATE clients SET credit = credit + 1 WHERE id = 1; UPDATE orders SET paid = true WHERE id = 10');
    });
    expect(await vsgOk(t, ['status'])).toMatch(/\n\n\(use 'vsg commit' to record the changes of clients, orders as one commit\)\n\nnothing to commit in items\n$/);
    expect(await vsgOk(t, ['commit', '-m', 'both'])).toMatch(/^\[main [0-9a-f]{7}\] UPDATE clients: 1 updated · orders: 1 updated\n/);
    const none = await vsg(t, ['commit', "UPDATE clients SET name = 'none' WHERE id = 999"]);
    expect([none.code, none.stderr]).toEqual([
      1,
      'error: nothing to commit: no row of a tracked table changed\nhint: the statement was rolled back; name one table with -t and use --allow-empty to record it anyway\n',
    ]);
  });
});
