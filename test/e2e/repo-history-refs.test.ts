/**
 * Ancestry references across tables and export across tables, through
 * bin/vsg on the server and on PGlite. With several tables tracked, HEAD~N,
 * main~N, X^ and <merge>^2 count back the repository's history (a commit
 * across tables is one step; first parents across every table), in show, log,
 * diff, tag, rollback and checkout, while -t keeps each table's own count.
 * `vsg export` with several tables reads them from one snapshot: a section
 * per table, JSON keyed by table, a SQL script (parents first, one
 * transaction) that loads into an empty copy of the schema (compared with
 * EXCEPT ALL), and csv refused (exit 2, nothing written). History: the
 * ordersWithMerge scenario (test/helpers/scenarios.ts). bin/vsg runs where its
 * output, exit code or --json is asserted; which commit a ref names, the tags'
 * tables, status and the rows are read through the library (one open for
 * several reads: on PGlite each open starts the database).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { ORDER_TABLES, ORDERS_DDL, ordersWithMerge, type OrdersHistory } from '../helpers/scenarios.js';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

/** Open the library on the target (bare: also a database without vsg), run `fn`, close (PGlite: before bin/vsg runs again). */
/** The id `vsg show <ref>` names (a commit across tables, or of one table). */
const shown = async (repo: Repository, ref: string, table?: string) => (await repo.show(ref, { table })).commit.id;

/** Rows of `a` not in `b` and of `b` not in `a` (EXCEPT ALL both ways). */
const differs = async (repo: Repository, a: string, b: string) =>
  Number((await repo.db.query(`SELECT count(*)::text AS n FROM ((TABLE ${a} EXCEPT ALL TABLE ${b}) UNION ALL (TABLE ${b} EXCEPT ALL TABLE ${a})) x`)).rows[0].n);

vi.setConfig({ testTimeout: 300_000 });

describe.each(targetNames())('repository history refs and export across tables (CLI) on %s', (name) => {
  let t: Target;
  let h: OrdersHistory;

  beforeAll(async () => {
    t = await makeTarget(name);
    h = await ordersWithMerge(t);
  }, 300_000);
  afterAll(() => t.cleanup());

  it('counts HEAD~N, main~N, ^ and ^2 back across tables in show; -t keeps the table’s own count', async () => {
    // a commit across tables (ann's) shows every part
    const ann = JSON.parse(await vsgOk(t, ['show', 'HEAD^', '--json']));
    expect([ann.commit.id, Object.keys(ann.tables)]).toEqual([h.ann, ['clients', 'orders']]);
    await withRepo(t, async (repo) => {
      expect(await shown(repo, 'HEAD~2')).toBe(h.reprice);
      expect(await shown(repo, 'main~3')).toBe(h.renameBob);
      expect(await shown(repo, 'HEAD~1~4')).toBe(h.track);
      // the merge's second parent: the merged branch's commit, and its first parent
      expect(await shown(repo, 'HEAD^2')).toBe(h.dee);
      expect(await shown(repo, 'HEAD^2~1')).toBe(h.reprice);
      // one table: its own history (orders: merge, ann, reprice, then cy's part)
      expect((await repo.show('HEAD~3', { table: 'orders' })).commit).toMatchObject({ table: 'orders', message: 'cy and her order' });
      // a parent a commit does not have (bin/vsg's exit code and line for a bad ref: HEAD~6 below)
      const e = await repo.show('HEAD~1^2').then(() => expect.fail('HEAD~1^2 resolved'), (x: { code?: string; message: string }) => x);
      expect([e.code, e.message]).toEqual(['E_UNKNOWN_REF', "'HEAD~1^2' has no such parent"]);
    });

    // HEAD decorates the repository's newest commit alone, not cy's, whose items part is still items' HEAD
    expect((await vsgOk(t, ['show', 'HEAD'])).split('\n')[0]).toBe(`commit ${h.merge} (HEAD -> main)`);
    expect((await vsgOk(t, ['show', 'HEAD~4'])).split('\n')[0]).toBe(`commit ${h.cy}`);

    const past = await vsg(t, ['show', 'HEAD~6']);
    expect([past.code, past.stderr.split('\n')[0]]).toEqual([3, "error: 'HEAD~6' goes back past the first commit"]);
  });

  it('starts log at HEAD~N across tables, and draws the merged branch beside main in --graph', async () => {
    const short = (id: string) => id.slice(0, 7);
    expect(await vsgOk(t, ['log', 'HEAD~2', '--oneline'])).toBe(
      [`${short(h.reprice)} reprice`, `${short(h.renameBob)} rename bob`, `${short(h.cy)} cy and her order`, `${short(h.track)} track clients, items, orders`].join('\n') + '\n',
    );
    const graph = await vsgOk(t, ['log', '--graph', '--oneline']);
    expect(graph).toBe(
      [
        `*   ${short(h.merge)} (HEAD -> main) Merge branch 'feature'`,
        '|\\',
        `* | ${short(h.ann)} ann renamed, order repriced`,
        `| * ${short(h.dee)} (feature) dee and her order`,
        '|/',
        `* ${short(h.reprice)} reprice`,
        `* ${short(h.renameBob)} rename bob`,
        `* ${short(h.cy)} cy and her order`,
        `* ${short(h.track)} track clients, items, orders`,
      ].join('\n') + '\n',
    );
  });

  it('starts log at a branch, HEAD or a commit across tables: every table as it stood there, as log shows HEAD\'s', async () => {
    const short = (id: string) => id.slice(0, 7);
    const feature = [`${short(h.dee)} (feature) dee and her order`, `${short(h.reprice)} reprice`, `${short(h.renameBob)} rename bob`, `${short(h.cy)} cy and her order`, `${short(h.track)} track clients, items, orders`];
    // 'feature' is a branch of every table, each at its own commit: not ambiguous (it answered exit 3)
    const side = await vsg(t, ['log', 'feature', '--oneline']);
    expect([side.code, side.stdout, side.stderr]).toEqual([0, feature.join('\n') + '\n', '']);
    expect(await vsgOk(t, ['log', h.dee, '--oneline'])).toBe(feature.join('\n') + '\n');
    const head = await vsgOk(t, ['log', '--oneline']);
    expect(await vsgOk(t, ['log', 'main', '--oneline'])).toBe(head);
    expect(await vsgOk(t, ['log', 'HEAD', '--oneline'])).toBe(head);
    // one table: its own branch, as before
    const orders = JSON.parse(await vsgOk(t, ['log', '-t', 'orders', 'feature', '--json'])).commits as { table: string }[];
    expect(new Set(orders.map((c) => c.table))).toEqual(new Set(['orders']));
  });

  it('diffs HEAD~3 against HEAD~2 of the repository: the repricing alone', async () => {
    const d = JSON.parse(await vsgOk(t, ['diff', 'HEAD~3', 'HEAD~2', '--json']));
    expect(Object.keys(d)).toEqual([...ORDER_TABLES]);
    expect(d.clients.changes).toEqual([]);
    expect(d.items.changes).toEqual([]);
    expect(d.orders.changes).toEqual([{ key: { id: '10' }, old: expect.objectContaining({ total: '5.00' }), new: expect.objectContaining({ total: '6.00' }) }]);
  });

  it('exports every table at HEAD~2 from one snapshot: sections, JSON keyed by table, a SQL script that loads into an empty schema; csv refused', async () => {
    const text = await vsgOk(t, ['export', '--at', 'HEAD~2']);
    expect(text).toMatch(/^clients at [0-9a-f]{7}\n[^]*\(3 rows\)\n\nitems at [0-9a-f]{7}\n[^]*\(2 rows\)\n\norders at [0-9a-f]{7}\n[^]*\(2 rows\)\n$/);

    const json = JSON.parse(await vsgOk(t, ['export', '--at', 'HEAD~2', '--format', 'json']));
    expect(Object.keys(json)).toEqual([...ORDER_TABLES]);
    // the snapshot as of HEAD~2, and each table of it as JSON (carried into the copy below)
    const snap = await withRepo(
      t,
      async (repo) => {
        expect(json.clients).toEqual((await repo.db.query('SELECT id::text, name FROM snap_clients ORDER BY id')).rows);
        expect(json.orders).toEqual((await repo.db.query('SELECT id::text, client_id::text, total::text FROM snap_orders ORDER BY id')).rows);
        expect(json.items).toEqual((await repo.db.query('SELECT order_id::text, line::text, sku FROM snap_items ORDER BY order_id, line')).rows);
        const out: Record<string, string> = {};
        for (const x of ORDER_TABLES) out[x] = (await repo.db.query(`SELECT coalesce(json_agg(s), '[]')::text AS j FROM snap_${x} s`)).rows[0].j as string;
        return out;
      },
      { bare: true },
    );
    // -t repeated: those tables only
    expect(Object.keys(JSON.parse(await vsgOk(t, ['export', '-t', 'orders', '-t', 'clients', '--json'])))).toEqual(['orders', 'clients']);

    const script = await vsgOk(t, ['export', '--at', 'HEAD~2', '--format', 'sql']);
    expect(script.split('\n').filter((l) => !l.startsWith('INSERT'))).toEqual([
      'BEGIN;', 'SET CONSTRAINTS ALL DEFERRED;', expect.stringMatching(/^-- clients as of /), expect.stringMatching(/^-- orders as of /), expect.stringMatching(/^-- items as of /), 'COMMIT;', '',
    ]);
    const copy = await makeTarget(name);
    try {
      await withRepo(
        copy,
        async (db) => {
          await db.db.query(ORDERS_DDL);
          await db.db.query(script);
          for (const x of ORDER_TABLES) {
            // the snapshot, carried over as JSON into the copy, against what the script loaded
            await db.db.query(`CREATE TABLE snap_${x} AS SELECT * FROM json_populate_recordset(NULL::${x}, $1::json)`, [snap[x]]);
            expect([x, await differs(db, x, `snap_${x}`)]).toEqual([x, 0]);
          }
        },
        { bare: true },
      );
    } finally {
      await copy.cleanup();
    }

    for (const args of [['--format', 'csv'], ['-t', 'clients', '-t', 'orders', '--format', 'csv']]) {
      const r = await vsg(t, ['export', ...args]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'error: csv holds one table: name a table with -t\n']);
    }
  });

  it('tags HEAD~2, rolls back HEAD~1 and checks out HEAD~3 across tables', async () => {
    await vsgOk(t, ['tag', 'priced', 'HEAD~2']);
    const tags = JSON.parse(await vsgOk(t, ['tag', '--json']));
    expect(tags.names.find((n: { name: string }) => n.name === 'priced').tables).toEqual([...ORDER_TABLES]);
    // a commit id (of the whole, or of one of its parts) tags every table as it stood at that commit (the tags made by bin/vsg, read and deleted through the library)
    const tablesOf = async (repo: Repository, tag: string) => ((await repo.tagsByName()).names.find((n) => n.name === tag) as { tables: string[] }).tables;
    const itemsPart = await withRepo(t, async (repo) => {
      expect(await shown(repo, 'priced')).toBe(h.reprice);
      return ((await repo.show(h.cy)).tables as Record<string, { commit: { id: string } }>).items.commit.id;
    });
    for (const [tag, id] of [['at-cy', h.cy.slice(0, 7)], ['at-cy-part', itemsPart.slice(0, 7)]]) {
      await vsgOk(t, ['tag', tag, id]);
      await withRepo(t, async (repo) => {
        expect(await tablesOf(repo, tag), tag).toEqual([...ORDER_TABLES]);
        expect(await shown(repo, tag), tag).toBe(h.cy);
        await repo.deleteTags({ name: tag });
        expect((await repo.tagsByName()).names.map((n) => n.name), tag).not.toContain(tag);
      });
    }

    // HEAD~1 is ann's commit across clients and orders: both undone, as one commit across them
    const rb = JSON.parse(await vsgOk(t, ['rollback', 'HEAD~1', '--json']));
    expect(rb.reverted.id).toBe(h.ann);
    expect(rb.applied).toEqual({ inserted: 0, updated: 2, deleted: 0 });
    await withRepo(t, async (repo) => {
      expect((await repo.db.query('SELECT name FROM clients WHERE id = 1')).rows[0].name).toBe('ann');
      expect((await repo.db.query('SELECT total::text FROM orders WHERE id = 30')).rows[0].total).toBe('8.00');
      // now HEAD~3 is reprice again
      expect(await shown(repo, 'HEAD~3')).toBe(h.reprice);
    });

    // every table back to its state then
    const co = JSON.parse(await vsgOk(t, ['checkout', 'HEAD~3', '--json']));
    expect(Object.keys(co)).toEqual([...ORDER_TABLES]);
    await withRepo(t, async (repo) => {
      for (const x of ORDER_TABLES) expect(await differs(repo, x, `snap_${x}`), x).toBe(0);
      const status = await repo.status();
      expect([status.length, status.every((s) => s.clean)]).toEqual([ORDER_TABLES.length, true]);
    });
  });
});
