/**
 * vsg untrack through bin/vsg on both databases: one UNTRACK commit across the
 * tables named, after which they are no longer versioned while their history
 * stays readable by name and verifies; a refusal over uncommitted changes
 * changes nothing; tracking again starts a new history; --force deletes.
 * The scenarios run in order on one database (set up through the library).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsNotInLog, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

interface Listed {
  display: string;
  untrackedAt: string | null;
  commits: number;
}

describe.each(targetNames())('vsg untrack on %s', { timeout: 120_000 }, (name) => {
  let t: Target;
  /** the commit of clients that renamed Bob, and the UNTRACK commit across clients and orders */
  const ids: { rename?: string; untrack?: string; untrackClients?: string } = {};
  const count = async (q: string, params: unknown[] = []) => Number((await t.sql(q, params)).rows[0].n);
  const listed = async (all = false) =>
    (JSON.parse(await vsgOk(t, ['tables', ...(all ? ['--all'] : []), '--json'])) as Listed[]).map((x) => [x.display, x.untrackedAt !== null, x.commits]);
  const triggers = (table: string) => count(`SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`, [table]);

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql(`CREATE TABLE clients (id int PRIMARY KEY, name text);
        CREATE TABLE orders (id int PRIMARY KEY, client int REFERENCES clients, total numeric);
        CREATE TABLE items (id int PRIMARY KEY, v text);
        INSERT INTO clients VALUES (1, 'Ada'), (2, 'Bob'); INSERT INTO orders VALUES (10, 1, 9.50); INSERT INTO items VALUES (1, 'x')`);
      await repo.trackTables(['clients', 'orders', 'items'], { author: 'ann' });
      ids.rename = (await repo.commit({ table: 'clients', author: 'ann', message: 'Bob is Robert', sql: `UPDATE clients SET name = 'Robert' WHERE id = 2` })).commit.id;
      await repo.commit({ table: 'orders', author: 'ann', message: 'an order', sql: `INSERT INTO orders VALUES (11, 2, 20)` });
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('refuses a table with uncommitted changes (exit 1, E_UNCOMMITTED) and changes nothing', async () => {
    await t.sql(`UPDATE clients SET name = 'Ann' WHERE id = 1`);
    const before = await count('SELECT count(*) AS n FROM vsg.commits');
    const r = await vsg(t, ['untrack', 'orders', 'clients']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: cannot untrack 'clients': 1 uncommitted change\nhint: commit them ('vsg commit -t clients') or discard them ('vsg restore -t clients') first; nothing was changed\n",
    );
    // nothing changed: no commit, every table still tracked and captured, the change still pending
    expect(await count('SELECT count(*) AS n FROM vsg.commits')).toBe(before);
    expect([await triggers('clients'), await triggers('orders')]).toEqual([4, 4]);
    expect(await count('SELECT count(*) AS n FROM vsg.pending')).toBe(1);
    const repo = await t.open();
    try {
      const err = await repo.untrack(['clients'], { author: 'ann' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_UNCOMMITTED', exitCode: 1, data: { table: 'clients', uncommitted: 1 } });
      expect((await repo.tables()).map((x) => [x.display, x.commits])).toEqual([
        ['clients', 2],
        ['items', 1],
        ['orders', 2],
      ]);
      await repo.restore({ table: 'clients' });
    } finally {
      await repo.close();
    }
  });

  it('untracks two tables in one UNTRACK commit across them; they are no longer versioned', async () => {
    const r = JSON.parse(await vsgOk(t, ['untrack', 'clients', 'orders', '--json']));
    expect(r).toMatchObject({ tables: ['clients', 'orders'], deleted: 0, branch: 'main', commit: { kind: 'UNTRACK', message: 'untrack clients, orders', author: 'tester' } });
    expect(r.commit.parts.map((p: { table: string; kind: string; parents: string[] }) => [p.table, p.kind, p.parents.length])).toEqual([
      ['clients', 'UNTRACK', 1],
      ['orders', 'UNTRACK', 1],
    ]);
    ids.untrack = r.commit.id;
    ids.untrackClients = r.commit.parts[0].id;
    // one commit in the repository's log, on top
    const log = JSON.parse(await vsgOk(t, ['log', '-n', '1', '--json']));
    expect(log.commits.map((c: { id: string }) => c.id)).toEqual([ids.untrack]);
    expect(await listed()).toEqual([['items', false, 1]]);
    expect(await listed(true)).toEqual([
      ['items', false, 1],
      ['clients', true, 3],
      ['orders', true, 3],
    ]);
    // capture is gone: triggers, functions; a write is no longer recorded
    expect([await triggers('clients'), await triggers('orders')]).toEqual([0, 0]);
    expect(await count(`SELECT count(*) AS n FROM pg_proc WHERE pronamespace = 'vsg'::regnamespace AND proname ~ '^capture_[0-9]+$'`)).toBe(1);
    await t.sql(`UPDATE clients SET name = 'changed after untrack'`);
    expect(await count('SELECT count(*) AS n FROM vsg.pending')).toBe(0);
    expect(await vsgOk(t, ['status'])).toMatch(/^items on branch main/);
    // a write command refuses it as untracked
    const refused = await vsg(t, ['commit', '-t', 'clients', '-m', 'x', "UPDATE clients SET name = 'y'"]);
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([3, "error: table 'clients' is not tracked"]);
  });

  it('log, show, diff, export and blame read the untracked history by its name', async () => {
    const log = JSON.parse(await vsgOk(t, ['log', '-t', 'clients', '--json']));
    expect(log.commits.map((c: { kind: string; message: string }) => [c.kind, c.message])).toEqual([
      ['UNTRACK', 'untrack clients, orders'],
      ['COMMIT', 'Bob is Robert'],
      ['ROOT', 'track clients, orders, items'],
    ]);
    const show = JSON.parse(await vsgOk(t, ['show', 'HEAD~1', '-t', 'clients', '--json']));
    expect([show.commit.id, show.changes.length]).toEqual([ids.rename, 1]);
    // no working table: the new side defaults to the history's HEAD, its UNTRACK commit
    const diff = JSON.parse(await vsgOk(t, ['diff', 'HEAD~2', '-t', 'clients', '--json']));
    expect([diff.to.id, diff.stat, diff.changes.map((c: { key: unknown }) => c.key)]).toEqual([ids.untrackClients, { inserted: 0, updated: 1, deleted: 0, columns: { name: 1 } }, [{ id: '2' }]]);
    // the rows as history has them (values in their text form, as a dropped table's), not as the live table has them since
    expect(JSON.parse(await vsgOk(t, ['export', '-t', 'clients', '--format', 'json']))).toEqual([
      { id: '1', name: 'Ada' },
      { id: '2', name: 'Robert' },
    ]);
    const blame = JSON.parse(await vsgOk(t, ['blame', '-t', 'clients', '--json']));
    expect(blame.rows[1].cells.map((c: { column: string; value: string; commit: string }) => [c.column, c.value, c.commit === ids.rename])).toEqual([
      ['id', '2', false],
      ['name', 'Robert', true],
    ]);
    // one row: its blame and its history, the key typed as history recorded its column
    const one = JSON.parse(await vsgOk(t, ['blame', '-t', 'clients', 'id=2', '--json']));
    expect(one.rows.map((r: { key: unknown; cells: { value: string }[] }) => [r.key, r.cells[1].value])).toEqual([[{ id: '2' }, 'Robert']]);
    const row = JSON.parse(await vsgOk(t, ['log', '-t', 'clients', '--row', '2', '--json']));
    expect(row.entries.map((e: { commit: { id: string }; before: unknown; after: unknown }) => [e.commit.id === ids.rename, e.before, e.after])).toEqual([
      [true, { id: '2', name: 'Bob' }, { id: '2', name: 'Robert' }],
      [false, null, { id: '2', name: 'Bob' }],
    ]);
    expect((await vsg(t, ['log', '-t', 'clients', '--row', 'abc'])).code).toBe(3);
  });

  it("verify checks the untracked history and the UNTRACK commit, and finds a tampered change row of it", async () => {
    expect(JSON.parse(await vsgOk(t, ['verify', '--json']))).toMatchObject({ ok: true, tables: 1, histories: 2, commits: 7, problems: [] });
    expect(await vsgOk(t, ['verify'])).toMatch(/^ok 1 table and 2 untracked histories: 7 commits, /);
    expect(JSON.parse(await vsgOk(t, ['verify', '-t', 'clients', '--json']))).toMatchObject({ ok: true, scope: 'clients', commits: 3 });
    await t.sql(`UPDATE vsg.changes SET after = jsonb_set(after, '{name}', '"Bobby"') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [ids.rename]);
    const r = await vsg(t, ['verify', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).firstBad).toMatchObject({ commit: ids.rename, table: 'clients', problems: [expect.objectContaining({ code: 'row_hash' })] });
    // put back (the next scenario's verify passes again)
    await t.sql(`UPDATE vsg.changes SET after = jsonb_set(after, '{name}', '"Robert"') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [ids.rename]);
  });

  it('tracking the table again starts a new history; the old one stays readable by id', async () => {
    expect(await vsgOk(t, ['track', 'clients'])).toMatch(/^tracking clients on branch main \[[0-9a-f]{7}\] 2 rows\n$/);
    const log = JSON.parse(await vsgOk(t, ['log', '-t', 'clients', '--json']));
    expect(log.commits.map((c: { kind: string; parents: string[] }) => [c.kind, c.parents])).toEqual([['ROOT', []]]);
    const old = JSON.parse(await vsgOk(t, ['log', ids.untrackClients!, '--json']));
    expect(old.commits.map((c: { kind: string }) => c.kind)).toEqual(['UNTRACK', 'COMMIT', 'ROOT']);
    // with several tables tracked, export is keyed by table: a commit of the old history exports it as it stood then
    expect(JSON.parse(await vsgOk(t, ['export', '--at', ids.rename!, '--format', 'json']))).toEqual({
      clients: [
        { id: '1', name: 'Ada' },
        { id: '2', name: 'Robert' },
      ],
    });
    expect(await listed(true)).toEqual([
      ['clients', false, 1],
      ['items', false, 1],
      ['clients', true, 3],
      ['orders', true, 3],
    ]);
    expect(JSON.parse(await vsgOk(t, ['verify', '--json']))).toMatchObject({ ok: true, tables: 2, histories: 2, commits: 8 });
  });

  it('--force deletes a history: of a tracked table, or an untracked one by name', async () => {
    expect(await vsgOk(t, ['untrack', 'items', '--force'])).toBe('untracked items (1 commit deleted)\n');
    expect(await triggers('items')).toBe(0);
    expect(await vsgOk(t, ['untrack', 'orders', '--force'])).toBe('untracked orders (3 commits deleted)\n');
    expect(await listed(true)).toEqual([
      ['clients', false, 1],
      ['clients', true, 3],
    ]);
    expect(await count(`SELECT count(*) AS n FROM vsg.changes c LEFT JOIN vsg.tracked t ON t.id = c.table_id WHERE t.id IS NULL`)).toBe(0);
    // what remains still verifies (a commit across tables may lack a deleted table's part)
    expect(JSON.parse(await vsgOk(t, ['verify', '--json']))).toMatchObject({ ok: true, tables: 1, histories: 1, commits: 4 });
    const gone = await vsg(t, ['untrack', 'orders']);
    expect([gone.code, gone.stderr.split('\n')[0]]).toEqual([3, "error: table 'orders' is not tracked"]);
  });

});

// The one table left of a history across tables: no other table, no untracked
// history, so that log reads one table's commits (its own path) and must still
// list each commit across tables by that commit's id.
describe.each(targetNames())('vsg untrack --force of a table with commits across it and another, on %s', { timeout: 120_000 }, (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await (await t.open({ init: true })).close();
  });
  afterAll(() => t.cleanup());

  it('lists a commit across the table and one left by its own id in log and show, which resolves', async () => {
    await t.sql(`CREATE TABLE pa (id int PRIMARY KEY, v text); CREATE TABLE pb (id int PRIMARY KEY, v text);
      INSERT INTO pa VALUES (1, 'a'); INSERT INTO pb VALUES (1, 'b')`);
    // the history to untrack from, built through the library (`vsg commit --json` prints this result)
    const [across, before] = await withRepo(t, async (repo) => {
      await repo.trackTables(['pa', 'pb'], { author: 'tester' });
      const both = await repo.commit({ author: 'tester', message: 'both', sql: "UPDATE pa SET v = 'a2'; UPDATE pb SET v = 'b2'" });
      await repo.commit({ author: 'tester', message: 'pb alone', sql: "UPDATE pb SET v = 'b3'" });
      return [both, (await repo.log()).commits.map((c) => c.id)] as const;
    });
    expect(across.commit.parts).toHaveLength(2);
    expect(before[1]).toBe(across.commit.id);
    expect(await vsgOk(t, ['untrack', 'pa', '--force'])).toBe('untracked pa (2 commits deleted)\n');

    // pb alone is tracked: the log still lists each commit across pa and pb by its own id, parents read as entries
    const log = JSON.parse(await vsgOk(t, ['log', '--json'])).commits as { id: string; parents: string[]; table: string; parts?: { table: string }[] }[];
    expect(log.map((c) => c.id)).toEqual(before);
    expect(log.map((c) => c.parents)).toEqual([[before[1]], [before[2]], []]);
    expect(log[1].parts?.map((p) => p.table)).toEqual(['pb']);
    const text = await vsgOk(t, ['log', '--oneline']);
    expect(text).toBe(`${before[0].slice(0, 7)} (HEAD -> main) pb alone\n${before[1].slice(0, 7)} both\n${before[2].slice(0, 7)} track pa, pb\n`);
    expect(await idsNotInLog(t, text)).toEqual([]);
    // a limit, and the page after that commit (as the TUI reads the log): it goes on below it
    expect(JSON.parse(await vsgOk(t, ['log', '-n', '2', '--json'])).commits.map((c: { id: string }) => c.id)).toEqual(before.slice(0, 2));
    expect((await withRepo(t, (repo) => repo.log({ before: before[1] }))).commits.map((c) => c.id)).toEqual([before[2]]);
    // show HEAD~1 is that commit, by its own id; the id resolves; -t pb shows pb's part as before
    const show = await vsgOk(t, ['show', 'HEAD~1']);
    expect(show.split('\n')[0]).toBe(`commit ${across.commit.id}`);
    expect(JSON.parse(await vsgOk(t, ['show', 'HEAD~1', '--json'])).commit.id).toBe(across.commit.id);
    expect(JSON.parse(await vsgOk(t, ['show', across.commit.id.slice(0, 7), '--json'])).commit.id).toBe(across.commit.id);
    const part = across.commit.parts?.find((p) => p.table === 'pb')?.id;
    expect(JSON.parse(await vsgOk(t, ['show', 'HEAD~1', '-t', 'pb', '--json'])).commit).toMatchObject({ id: part, span: across.commit.id });
    expect(JSON.parse(await vsgOk(t, ['log', '-t', 'pb', '--json'])).commits[1].id).toBe(part);
    expect(JSON.parse(await vsgOk(t, ['verify', '--json']))).toMatchObject({ ok: true });
  });
});
