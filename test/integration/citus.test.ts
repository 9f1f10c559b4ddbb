/**
 * vsg on a real Citus cluster (issue 19): a coordinator and two workers on
 * this machine, each a private PostgreSQL with shared_preload_libraries =
 * 'citus' (test/helpers/citus.ts). Runs only where VSG_TEST_CITUS_PG_BIN names
 * the bin directory of a PostgreSQL that has the citus extension; otherwise
 * skipped, with the reason printed.
 *
 * What it holds to: Citus tables are detected by kind (distributed, single-
 * shard distributed, reference, Citus local) from Citus's own catalog; `vsg
 * track` refuses a single-shard distributed or Citus local table with E_CITUS
 * (exit 3, one line) and installs nothing, on the coordinator or on any
 * worker, even with citus.enable_unsafe_triggers on, and --schema skips them
 * saying why; writes to them keep working. A hash-distributed table is
 * versioned on its shards: each shard's triggers write the co-located shard of
 * a pending table, and vsg gathers those rows into its coordinator tables in
 * the same distributed transaction (commit of SQL and of the application's
 * writes from the coordinator and from a worker, through the CLI, the library
 * and the application's own pool, TRUNCATE, a shard moved by Citus, a column
 * added, rollback of the application's transaction, checkout, restore,
 * rollback, switch, merge, export, verify, doctor, untrack; an application's
 * author where Citus propagates SET LOCAL to the workers); a broken pending
 * table makes the capture warn, never fail the write; forget is refused. A reference table is versioned on the coordinator's
 * placement (triggers there only): writes through the coordinator and from
 * each worker are each recorded once, `vsg commit "SQL"` takes its own rows,
 * and checkout, restore, rollback, forget --live, switch and merge write every
 * placement; verify and doctor pass, and doctor fails when Citus removes the
 * placement. `vsg doctor` reports every Citus table's state; a plain table of
 * the coordinator is versioned end to end (track, commit, log, checkout,
 * verify); a tracked table that Citus is later made to distribute is reported
 * by doctor, and untrack gives its writes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openRepository, type Repository } from '../../src/index.js';
import { CitusCluster, citusSupport, onNode } from '../helpers/citus.js';
import { sql } from '../../src/db/sql.js';
import { vsg } from '../helpers/targets.js';

const support = citusSupport();
if ('reason' in support) process.stderr.write(`vsg tests: no Citus to test against (${support.reason}); the Citus tests are skipped\n`);

const author = 'tester';
/** Citus's own refusals and failures, as Citus 13.2 words them (seen on the real cluster) */
const HAS_TRIGGERS = /cannot distribute relation "(later|empty)" because it has triggers/;
const NO_VSG_TABLES = /relation "vsg\.tracked" does not exist/;

describe.skipIf('reason' in support)('a Citus 13 cluster: a coordinator and two workers (private clusters)', () => {
  let citus: CitusCluster;
  let repo: Repository;
  let cli: { cwd: string; env: NodeJS.ProcessEnv };
  const coord = (text: string, params?: unknown[]) => onNode(citus.url(), text, params);
  /** vsg's triggers on a table's shards, on every worker */
  const shardTriggers = async (table: string) => {
    let n = 0;
    for (const w of citus.workers) {
      // (not joined to pg_class: Citus hides shards from it, citus.override_table_visibility)
      const r = await onNode<{ n: number }>(w.url(), `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid::regclass::text ~ $1 AND tgname LIKE 'vsg%'`, [`^${table}_[0-9]+$`]);
      n += r.rows[0].n;
    }
    return n;
  };
  /** Branch 'side', commit `onSide` there, commit `onMain` on main, merge side: each step through the CLI, each to succeed. */
  const branchAndMerge = async (table: string, onSide: string, onMain: string, after?: (args: string[]) => Promise<void>) => {
    for (const args of [
      ['branch', 'side', '-t', table],
      ['switch', 'side', '-t', table],
      ['commit', '-t', table, '-m', 'side', onSide],
      ['switch', 'main', '-t', table],
      ['commit', '-t', table, '-m', 'main', onMain],
      ['merge', 'side', '-t', table],
    ]) {
      const r = await vsg(cli, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      await after?.(args);
    }
  };
  const coordTriggers = async (table: string) =>
    (await coord(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname LIKE 'vsg%'`, [table])).rows[0].n as number;

  beforeAll(async () => {
    if ('reason' in support) return;
    citus = await CitusCluster.start(support);
    repo = await openRepository({ url: citus.url(), init: true });
    await coord(`CREATE TABLE dist (id bigint PRIMARY KEY, v text);
      CREATE TABLE single (id bigint PRIMARY KEY, v text);
      CREATE TABLE ref (id int PRIMARY KEY, name text);
      CREATE TABLE clocal (id int PRIMARY KEY, v text);
      CREATE TABLE plain (id int PRIMARY KEY, v text, n numeric);
      SELECT create_distributed_table('dist', 'id');
      SELECT create_distributed_table('single', null);
      SELECT create_reference_table('ref');
      SELECT citus_add_local_table_to_metadata('clocal');
      INSERT INTO dist SELECT g, 'v' || g FROM generate_series(1, 100) g;
      INSERT INTO ref VALUES (1, 'a'), (2, 'b');
      INSERT INTO plain VALUES (1, 'a', 1.50), (2, 'b', 2.25)`);
    cli = { cwd: citus.coordinator.dir, env: { ...process.env, NO_COLOR: '1', PAGER: 'cat', VSG_AUTHOR: author, VSG_DATABASE_URL: citus.url() } };
  }, 300_000);

  afterAll(async () => {
    await repo?.close();
    citus?.destroy();
  }, 120_000);

  it('is a Citus 13 cluster with two active workers', async () => {
    const v = await coord(`SELECT extversion FROM pg_extension WHERE extname = 'citus'`);
    expect(v.rows[0].extversion).toMatch(/^13\./);
    const n = await coord(`SELECT count(*)::int AS n FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND shouldhaveshards AND groupid <> 0`);
    expect(n.rows[0].n).toBe(2);
  });

  it('detects each Citus table by kind from pg_dist_partition; a plain table is not one', async () => {
    const { rows } = await repo.db.query<{ relname: string; kind: string }>(sql('track/citus_table'), [null]);
    expect(rows.map((r) => [r.relname, r.kind])).toEqual([
      ['clocal', 'local'],
      ['dist', 'distributed'],
      ['ref', 'reference'],
      ['single', 'distributed'],
    ]);
    const one = await repo.db.query(sql('track/citus_table'), [(await coord(`SELECT 'plain'::regclass::oid::text AS o`)).rows[0].o]);
    expect(one.rows).toEqual([]);
  });

  it('vsg track refuses every Citus table but a reference, hash-distributed or single-shard table in one line (E_CITUS, exit 3), installs nothing, and writes keep working', async () => {
    // even where Citus would let a trigger through
    await coord(`ALTER DATABASE postgres SET citus.enable_unsafe_triggers = on`);
    try {
      for (const [table, kind] of [['clocal', 'local']]) {
        const r = await vsg(cli, ['track', table]);
        expect({ table, code: r.code, stdout: r.stdout, first: r.stderr.split('\n')[0] }).toEqual({
          table,
          code: 3,
          stdout: '',
          first: `error: cannot track '${table}': it is a Citus ${kind} table, whose writes vsg cannot capture yet without risking them; nothing was installed`,
        });
        const j = await vsg(cli, ['track', table, '--json']);
        expect(JSON.parse(j.stderr).error).toMatchObject({ code: 'E_CITUS', data: { table, citus: kind } });
        expect(await coordTriggers(table)).toBe(0);
        expect(await shardTriggers(table)).toBe(0);
      }
      // several at once: the lot is refused, the plain and the reference table too
      const many = await vsg(cli, ['track', 'plain', 'ref', 'dist', 'single', 'clocal']);
      expect(many.code).toBe(3);
      expect((await coord(`SELECT count(*)::int AS n FROM vsg.tracked`)).rows[0].n).toBe(0);
      expect((await coord(`SELECT to_regclass('vsg.pending') IS NOT NULL AS p`)).rows[0].p).toBe(true);
      // writes through the coordinator, to every kind, still work
      await coord(`UPDATE dist SET v = 'w' WHERE id = 7; INSERT INTO ref VALUES (3, 'c'); UPDATE single SET v = 'x'; INSERT INTO clocal VALUES (1, 'y'); DELETE FROM dist WHERE id = 100`);
      expect((await coord(`SELECT (SELECT v FROM dist WHERE id = 7) AS d, (SELECT count(*)::int FROM ref) AS r, (SELECT count(*)::int FROM dist) AS n`)).rows[0]).toEqual({ d: 'w', r: 3, n: 99 });
    } finally {
      await coord(`ALTER DATABASE postgres RESET citus.enable_unsafe_triggers`);
    }
  }, 120_000);

  it('a plain table of the coordinator is versioned end to end beside them: track, commit, log, checkout, verify', async () => {
    await repo.track('plain', { author });
    await repo.commit({ table: 'plain', author, message: 'more', sql: `UPDATE plain SET n = n * 2; INSERT INTO plain VALUES (3, 'c', 0.125)` });
    const log = await repo.log({ table: 'plain' });
    expect(log.commits.map((c) => c.message)).toEqual(['more', expect.stringMatching(/track/i)]);
    expect((await coord(`SELECT string_agg(id || ':' || n, ',' ORDER BY id) AS s FROM plain`)).rows[0].s).toBe('1:3.00,2:4.50,3:0.125');
    await repo.checkout({ table: 'plain', ref: 'HEAD~1', author });
    expect((await coord(`SELECT string_agg(id || ':' || n, ',' ORDER BY id) AS s FROM plain`)).rows[0].s).toBe('1:1.50,2:2.25');
    expect((await repo.verify()).ok).toBe(true);
    // the CLI, spawned as a user would
    const oneline = await vsg(cli, ['log', '--oneline', '-t', 'plain']);
    expect(oneline.code).toBe(0);
    expect(oneline.stdout.trim().split('\n')).toHaveLength(3);
    const c = await vsg(cli, ['commit', '-t', 'plain', '-m', 'cli', `UPDATE plain SET v = 'z' WHERE id = 1`]);
    expect({ code: c.code, stderr: c.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await vsg(cli, ['verify'])).code).toBe(0);
    // Citus copied schema vsg and vsg's stored functions to the workers (pg_dist_object), never its tables
    const objects = `SELECT (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'vsg'::regnamespace) AS functions,
      (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'vsg'::regnamespace) AS relations`;
    const here = (await coord(objects)).rows[0];
    expect(here.relations).toBeGreaterThan(0);
    for (const w of citus.workers) expect((await onNode(w.url(), objects)).rows[0]).toEqual({ functions: here.functions, relations: 0 });
  }, 120_000);

  it('vsg doctor reports every Citus table with its kind, untracked', async () => {
    const d = await repo.doctor();
    expect(d.checks.filter((c) => c.name === 'citus').map((c) => [c.table, c.status, c.data])).toEqual([
      ['clocal', 'ok', { kind: 'local', tracked: false }],
      ['dist', 'ok', { kind: 'distributed', tracked: false }],
      ['ref', 'ok', { kind: 'reference', tracked: false, placement: expect.stringMatching(/^ref_[0-9]+$/) }],
      ['single', 'ok', { kind: 'distributed', tracked: false }],
    ]);
    expect(d.ok).toBe(true);
    const r = await vsg(cli, ['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("a Citus reference table, not tracked ('vsg track' versions it)");
    expect(r.stdout).toContain("citus dist: a Citus distributed table, not tracked ('vsg track' versions it on its shards)");
  }, 60_000);

  it('a reference table is versioned on the coordinator\'s placement: every write captured once, whichever node starts it', async () => {
    const onWorker = (i: number, text: string) => onNode(citus.workers[i].url(), text);
    const rows = async (url: string) => (await onNode<{ s: string }>(url, `SELECT string_agg(id || ':' || name, ',' ORDER BY id) AS s FROM ref`)).rows[0].s;
    /** the table as each node reads it (each reads its own placement) */
    const everywhere = async () => [await rows(citus.url()), ...(await Promise.all(citus.workers.map((w) => rows(w.url()))))];
    const placement = (await coord(`SELECT shard_name('ref'::regclass, s.shardid) AS p FROM pg_dist_shard s JOIN pg_dist_placement pl ON pl.shardid = s.shardid
      WHERE s.logicalrelid = 'ref'::regclass AND pl.groupid = 0`)).rows[0].p as string;
    expect(await rows(citus.url())).toBe('1:a,2:b,3:c');
    const t = await vsg(cli, ['track', 'ref']);
    expect({ code: t.code, stderr: t.stderr }).toEqual({ code: 0, stderr: '' });
    // its capture triggers: on the coordinator's placement alone, none on the table itself, none on the workers' placements
    expect((await coord(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname LIKE 'vsg%'`, [placement])).rows[0].n).toBe(4);
    expect(await coordTriggers('ref')).toBe(0);
    expect(await shardTriggers('ref')).toBe(0);

    // the application's writes after track: through the coordinator, and from each worker (Citus syncs its metadata to them)
    await coord(`UPDATE ref SET name = 'A' WHERE id = 1`);
    await onWorker(0, `INSERT INTO ref VALUES (10, 'j')`);
    await onWorker(1, `BEGIN; UPDATE ref SET name = 'B' WHERE id = 2; DELETE FROM ref WHERE id = 3; COMMIT`);
    expect(await everywhere()).toEqual(Array(3).fill('1:A,2:B,10:j'));
    // each recorded once, as it was
    const d = await repo.diff({ table: 'ref' });
    expect(d.changes.map((c) => [c.key, c.old, c.new]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [{ id: '1' }, { id: '1', name: 'a' }, { id: '1', name: 'A' }],
      [{ id: '10' }, null, { id: '10', name: 'j' }],
      [{ id: '2' }, { id: '2', name: 'b' }, { id: '2', name: 'B' }],
      [{ id: '3' }, { id: '3', name: 'c' }, null],
    ]);
    const app = await vsg(cli, ['commit', '-t', 'ref', '-m', 'app']);
    expect({ code: app.code, stderr: app.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await repo.log({ table: 'ref' })).commits[0]).toMatchObject({ message: 'app', inserted: 1, updated: 2, deleted: 1 });

    // vsg commit "SQL": the rows its statement changed are taken in its own transaction
    const c = await vsg(cli, ['commit', '-t', 'ref', '-m', 'cli', `UPDATE ref SET name = name || '!' WHERE id <= 2; INSERT INTO ref VALUES (4, 'd')`]);
    expect({ code: c.code, stderr: c.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await repo.log({ table: 'ref' })).commits[0]).toMatchObject({ message: 'cli', inserted: 1, updated: 2, deleted: 0 });
    expect((await repo.status({ table: 'ref' }))[0].clean).toBe(true);

    // write-back goes through the coordinator to every placement: checkout, restore, rollback
    const co = await vsg(cli, ['checkout', 'HEAD~1', '-t', 'ref']);
    expect({ code: co.code, stderr: co.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await everywhere()).toEqual(Array(3).fill('1:A,2:B,10:j'));
    expect((await repo.status({ table: 'ref' }))[0].clean).toBe(true);
    await onWorker(1, `DELETE FROM ref WHERE id = 10; UPDATE ref SET name = 'x' WHERE id = 1`);
    expect((await repo.status({ table: 'ref' }))[0]).toMatchObject({ updated: 1, deleted: 1, inserted: 0 });
    const rs = await vsg(cli, ['restore', '-t', 'ref']);
    expect({ code: rs.code, stderr: rs.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await everywhere()).toEqual(Array(3).fill('1:A,2:B,10:j'));
    expect((await repo.status({ table: 'ref' }))[0].clean).toBe(true);
    const rb = await vsg(cli, ['rollback', 'HEAD', '-t', 'ref']);
    expect({ code: rb.code, stderr: rb.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await everywhere()).toEqual(Array(3).fill('1:A!,2:B!,4:d,10:j'));

    // a TRUNCATE from a worker is captured too, and checkout brings the rows back
    await onWorker(0, `TRUNCATE ref`);
    const tr = await repo.commit({ table: 'ref', author, message: 'emptied' });
    expect(tr.commit).toMatchObject({ inserted: 0, updated: 0, deleted: 4 });
    await repo.checkout({ table: 'ref', ref: 'HEAD~1', author });
    expect(await everywhere()).toEqual(Array(3).fill('1:A!,2:B!,4:d,10:j'));

    const log = await vsg(cli, ['log', '--oneline', '-t', 'ref']);
    expect(log.stdout.trim().split('\n').map((l) => l.replace(/^[0-9a-f]+ (\([^)]*\) )?/, ''))).toEqual([
      expect.stringMatching(/^Check out [0-9a-f]+ \("Rollback/),
      'emptied',
      expect.stringMatching(/^Rollback/),
      expect.stringMatching(/^Check out/),
      'cli',
      'app',
      'track ref',
    ]);
    expect((await vsg(cli, ['verify'])).code).toBe(0);
    const doc = await repo.doctor();
    expect(doc.ok).toBe(true);
    expect(doc.checks.filter((k) => k.table === 'ref').map((k) => [k.name, k.status])).toEqual([
      ['triggers', 'ok'],
      ['uncommitted', 'ok'],
      ['citus', 'ok'],
    ]);
    expect(doc.checks.find((k) => k.name === 'citus' && k.table === 'ref')?.message).toBe(`a Citus reference table, captured on its placement ${placement} on this node`);
    // vsg forget --live: the row blanked in history and deleted from every placement
    const f = await vsg(cli, ['forget', '-t', 'ref', '10', '-m', 'erase', '--live', '--no-vacuum']);
    expect({ code: f.code, stderr: f.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await everywhere()).toEqual(Array(3).fill('1:A!,2:B!,4:d'));
    expect((await vsg(cli, ['verify'])).code).toBe(0);
    // a branch, switch and a three-way merge, written back through the coordinator
    await branchAndMerge('ref', `UPDATE ref SET name = 'S' WHERE id = 4`, `UPDATE ref SET name = 'M' WHERE id = 1`, async (args) => {
      if (args[0] === 'switch' && args[1] === 'main') expect(await everywhere()).toEqual(Array(3).fill('1:A!,2:B!,4:d'));
    });
    expect(await everywhere()).toEqual(Array(3).fill('1:M,2:B!,4:S'));
    expect((await vsg(cli, ['verify'])).code).toBe(0);
  }, 180_000);

  it('a hash-distributed table is versioned on its shards: every node\'s writes captured beside them and gathered by vsg in the same distributed transaction', async () => {
    const onWorker = (i: number, text: string) => onNode(citus.workers[i].url(), text);
    const rows = async (where = 'true') => (await coord(`SELECT coalesce(string_agg(id || ':' || v, ',' ORDER BY id), '') AS s FROM dist WHERE ${where}`)).rows[0].s as string;
    const ok = (r: { code: number; stderr: string }) => expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const shards = (await coord(`SELECT count(*)::int AS n FROM pg_dist_shard WHERE logicalrelid = 'dist'::regclass`)).rows[0].n as number;
    const t = await vsg(cli, ['track', 'dist']);
    expect({ code: t.code, stderr: t.stderr, out: t.stdout.trim() }).toEqual({ code: 0, stderr: '', out: expect.stringMatching(/^tracking dist on branch main \[[0-9a-f]+\] 99 rows$/) });
    // the three row triggers on every shard (Citus copies them there), and a pending table co-located with the table
    expect(await shardTriggers('dist')).toBe(3 * shards);
    const id = Number((await coord(`SELECT id FROM vsg.tracked WHERE relid = 'dist'::regclass AND untracked_at IS NULL`)).rows[0].id);
    const pending = `vsg.pending_${id}`;
    const colocated = await coord(`SELECT count(DISTINCT colocationid)::int AS n, count(*)::int AS tables FROM pg_dist_partition WHERE logicalrelid IN ('dist'::regclass, $1::regclass)`, [pending]);
    expect(colocated.rows[0]).toEqual({ n: 1, tables: 2 });
    const left = async () => (await coord(`SELECT (SELECT count(*)::int FROM ${pending}) AS shards, (SELECT count(*)::int FROM vsg.pending WHERE table_id = $1) AS here`, [id])).rows[0];

    // the application's writes: multi-shard and router statements through the coordinator, a transaction started on a worker, one rolled back
    await coord(`UPDATE dist SET v = 'u' || id::text WHERE id <= 10`);
    await coord(`INSERT INTO dist VALUES (200, 'new'); DELETE FROM dist WHERE id = 99`);
    await onWorker(0, `BEGIN; UPDATE dist SET v = 'w1' WHERE id IN (20, 21); INSERT INTO dist VALUES (201, 'x'); COMMIT`);
    await coord(`BEGIN; UPDATE dist SET v = 'gone' WHERE id > 30; ROLLBACK`);
    expect((await left()).shards).toBe(15);
    expect((await repo.status({ table: 'dist' }))[0]).toMatchObject({ inserted: 2, updated: 12, deleted: 1, clean: false });
    const d = await repo.diff({ table: 'dist' });
    expect(d.changes).toHaveLength(15);
    expect(d.changes.find((c) => c.key.id === '20')).toMatchObject({ old: { id: '20', v: 'v20' }, new: { id: '20', v: 'w1' } });
    expect(d.changes.find((c) => c.key.id === '99')).toMatchObject({ old: { id: '99', v: 'v99' }, new: null });
    const app = await vsg(cli, ['commit', '-t', 'dist', '-m', 'app']);
    ok(app);
    expect((await repo.log({ table: 'dist' })).commits[0]).toMatchObject({ message: 'app', inserted: 2, updated: 12, deleted: 1 });
    expect(await left()).toEqual({ shards: 0, here: 0 });
    const atApp = await rows();

    // vsg commit "SQL": a multi-shard statement's rows taken in its own distributed transaction; an
    // application's transaction still open meanwhile keeps its rows out of it and leaves them uncommitted
    const open = new pg.Client({ connectionString: citus.url() });
    await open.connect();
    try {
      await open.query(`BEGIN; UPDATE dist SET v = 'open' WHERE id = 60`);
      const c = await vsg(cli, ['commit', '-t', 'dist', '-m', 'cli', `UPDATE dist SET v = v || '!' WHERE id BETWEEN 40 AND 49; DELETE FROM dist WHERE id = 50; INSERT INTO dist VALUES (202, 'y')`]);
      ok(c);
      expect((await repo.log({ table: 'dist' })).commits[0]).toMatchObject({ message: 'cli', inserted: 1, updated: 10, deleted: 1 });
      expect((await repo.status({ table: 'dist' }))[0].clean).toBe(true);
      await open.query('COMMIT');
    } finally {
      await open.end();
    }
    expect((await repo.status({ table: 'dist' }))[0]).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    ok(await vsg(cli, ['commit', '-t', 'dist', '-m', 'open']));
    // the author an application sets reaches the shards where Citus propagates SET LOCAL there
    // (each statement sent alone: Citus forwards a SET's whole query text to the workers, and a
    // text that also holds the UPDATE fails there, on an untracked table too)
    const alice = new pg.Client({ connectionString: citus.url() });
    await alice.connect();
    try {
      for (const q of ['BEGIN', "SET LOCAL citus.propagate_set_commands = 'local'", "SET LOCAL vsg.author = 'alice'", "UPDATE dist SET v = 'alice' WHERE id IN (11, 12)", 'COMMIT']) await alice.query(q);
    } finally {
      await alice.end();
    }
    const byAlice = await repo.commit({ table: 'dist', author, authorIsDefault: true, message: 'alice' });
    expect(byAlice.commit).toMatchObject({ author: 'alice', updated: 2 });
    // a statement that fails: nothing recorded, nothing changed, nothing left pending
    const bad = await vsg(cli, ['commit', '-t', 'dist', '-m', 'bad', `UPDATE dist SET v = 'z' WHERE id = 1; INSERT INTO dist VALUES (2, 'dup')`]);
    expect(bad.code).toBe(4);
    expect(await rows('id = 1')).toBe('1:u1');
    expect(await left()).toEqual({ shards: 0, here: 0 });
    // through the library
    const lib = await repo.commit({ table: 'dist', author, message: 'lib', sql: `UPDATE dist SET v = 'lib' WHERE id IN (3, 33, 63)` });
    expect(lib.commit).toMatchObject({ inserted: 0, updated: 3, deleted: 0 });
    // the library on the application's own pool (vsg learns that Citus is here as it opens the repository)
    const pool = new pg.Pool({ connectionString: citus.url() });
    try {
      const own = await openRepository({ client: pool });
      await pool.query(`UPDATE dist SET v = 'pool' WHERE id = 4`);
      expect((await own.status({ table: 'dist' }))[0]).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
      expect((await own.commit({ table: 'dist', author, message: 'pool' })).commit.updated).toBe(1);
      expect((await own.commit({ table: 'dist', author, message: 'pool sql', sql: `UPDATE dist SET v = 'p' WHERE id IN (64, 65)` })).commit.updated).toBe(2);
      await own.close();
    } finally {
      await pool.end();
    }
    const atLib = await rows();

    // write-back through the coordinator: checkout, rollback, restore
    ok(await vsg(cli, ['checkout', 'HEAD~6', '-t', 'dist']));
    expect(await rows()).toBe(atApp);
    expect((await repo.status({ table: 'dist' }))[0].clean).toBe(true);
    ok(await vsg(cli, ['rollback', 'HEAD', '-t', 'dist']));
    expect(await rows()).toBe(atLib);
    await onWorker(1, `UPDATE dist SET v = 'dirty' WHERE id = 1; DELETE FROM dist WHERE id = 2; INSERT INTO dist VALUES (300, 'z')`);
    expect((await repo.status({ table: 'dist' }))[0]).toMatchObject({ inserted: 1, updated: 1, deleted: 1 });
    ok(await vsg(cli, ['restore', '-t', 'dist']));
    expect(await rows()).toBe(atLib);
    expect((await repo.status({ table: 'dist' }))[0].clean).toBe(true);

    // Citus moves the shard of id 1 to the other worker (its default, logical replication): the
    // pending shard moves with it, its triggers go along, and the next write there is captured
    const moved = (await coord(`SELECT s.shardid::text AS id, p.nodeport AS port FROM pg_dist_shard s JOIN pg_dist_shard_placement p USING (shardid)
      WHERE s.shardid = get_shard_id_for_distribution_column('dist', 1)`)).rows[0] as { id: string; port: number };
    const to = citus.workers.find((w) => w.port !== moved.port)!;
    await coord(`SELECT citus_move_shard_placement($1::bigint, '127.0.0.1', $2, '127.0.0.1', $3)`, [moved.id, moved.port, to.port]);
    const placed = await coord(`SELECT DISTINCT p.nodeport FROM pg_dist_shard s JOIN pg_dist_shard_placement p USING (shardid)
      WHERE s.shardminvalue = (SELECT shardminvalue FROM pg_dist_shard WHERE shardid = $1::bigint) AND s.logicalrelid IN ('dist'::regclass, $2::regclass)`, [moved.id, pending]);
    expect(placed.rows).toEqual([{ nodeport: to.port }]);
    // (Citus gives the moved shard the table's TRUNCATE trigger too: a TRUNCATE then records its rows twice, which the commit nets to one delete each, below)
    const there = await onNode(to.url(), `SELECT string_agg(tgname, ',' ORDER BY tgname) AS t FROM pg_trigger WHERE tgrelid = $1::regclass`, [`dist_${moved.id}`]);
    expect(there.rows[0].t).toBe(['delete', 'insert', 'truncate', 'update'].map((op) => `vsg_capture_${op}_${moved.id}`).join(','));
    await coord(`UPDATE dist SET v = 'moved' WHERE id = 1`);
    expect((await repo.status({ table: 'dist' }))[0]).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect((await repo.commit({ table: 'dist', author, message: 'moved' })).commit.updated).toBe(1);
    await coord(`UPDATE dist SET v = 'u1' WHERE id = 1`);
    expect((await repo.commit({ table: 'dist', author, message: 'back' })).commit.updated).toBe(1);
    expect(await rows()).toBe(atLib);

    // Citus splits the shard of id 2 in two, one half on each worker: the pending shard is split with it
    // (co-location), the new shards get the capture triggers, and writes to rows of both halves are captured
    const old = (await coord(`SELECT shardid::text AS id, shardminvalue::bigint AS lo, shardmaxvalue::bigint AS hi FROM pg_dist_shard WHERE shardid = get_shard_id_for_distribution_column('dist', 2)`)).rows[0] as { id: string; lo: string; hi: string };
    const mid = (BigInt(old.lo) + BigInt(old.hi)) / 2n;
    const nodes = (await coord(`SELECT array_agg(nodeid ORDER BY nodeport) AS ids FROM pg_dist_node WHERE nodeport = ANY($1::int[])`, [citus.workers.map((w) => w.port)])).rows[0].ids as number[];
    await coord(`SELECT citus_split_shard_by_split_points($1::bigint, ARRAY[$2::text], $3::int[], 'block_writes')`, [old.id, String(mid), nodes]);
    // (each shard with its three row triggers; Citus gives the new ones the TRUNCATE trigger too, as a moved
    // shard, and drops the old shard later: only the shards Citus lists now count)
    const current = (await coord(`SELECT array_agg('dist_' || shardid) AS names FROM pg_dist_shard WHERE logicalrelid = 'dist'::regclass`)).rows[0].names as string[];
    expect(current).toHaveLength(shards + 1);
    let covered = 0;
    for (const w of citus.workers) {
      covered += (await onNode<{ n: number }>(w.url(), `SELECT count(*)::int AS n FROM (SELECT tgrelid FROM pg_trigger WHERE tgrelid::regclass::text = ANY($1::text[])
        AND tgname ~ '^vsg_capture_(insert|update|delete)_' GROUP BY tgrelid HAVING count(*) = 3) x`, [current])).rows[0].n;
    }
    expect(covered).toBe(shards + 1);
    const halves = (await coord(`SELECT min(id) FILTER (WHERE h <= $1::bigint) AS a, min(id) FILTER (WHERE h > $1::bigint) AS b
      FROM (SELECT id, worker_hash(id) AS h FROM generate_series(1000::bigint, 20000::bigint) AS id) x WHERE h BETWEEN $2::bigint AND $3::bigint`, [String(mid), old.lo, old.hi])).rows[0] as { a: string; b: string };
    expect([typeof halves.a, typeof halves.b]).toEqual(['string', 'string']);
    await coord(`INSERT INTO dist VALUES (${Number(halves.a)}, 'split'), (${Number(halves.b)}, 'split')`);
    expect((await repo.status({ table: 'dist' }))[0]).toMatchObject({ inserted: 2, updated: 0, deleted: 0 });
    expect((await repo.commit({ table: 'dist', author, message: 'split' })).commit.inserted).toBe(2);
    ok(await vsg(cli, ['rollback', 'HEAD', '-t', 'dist']));
    expect(await rows()).toBe(atLib);

    // TRUNCATE, from the coordinator and from a worker: every row recorded as deleted, and checkout brings them back
    const n = (await coord(`SELECT count(*)::int AS n FROM dist`)).rows[0].n as number;
    for (const truncate of [() => coord('TRUNCATE dist'), () => onWorker(1, 'TRUNCATE dist')]) {
      await truncate();
      const tr = await repo.commit({ table: 'dist', author, message: 'emptied' });
      expect(tr.commit).toMatchObject({ inserted: 0, updated: 0, deleted: n });
      await repo.checkout({ table: 'dist', ref: 'HEAD~1', author });
      expect(await rows()).toBe(atLib);
      expect((await repo.status({ table: 'dist' }))[0].clean).toBe(true);
    }

    // a branch, switch and a three-way merge
    await branchAndMerge('dist', `UPDATE dist SET v = 'S' WHERE id = 5`, `UPDATE dist SET v = 'M' WHERE id = 6`);
    expect(await rows('id IN (5, 6)')).toBe('5:S,6:M');

    // a column added outside vsg: the capture on the shards reads the new columns, and the commit records the change
    await coord(`ALTER TABLE dist ADD COLUMN n int`);
    await coord(`UPDATE dist SET n = 7 WHERE id = 8`);
    const schema = await repo.commit({ table: 'dist', author, message: 'n' });
    expect(schema.commit).toMatchObject({ kind: 'SCHEMA', updated: 1 });
    expect(schema.schema).toEqual(["column 'n' added (integer)"]);

    // reads come from the coordinator's history
    const show = await vsg(cli, ['show', 'HEAD', '-t', 'dist']);
    ok(show);
    expect(show.stdout).toContain('n: NULL → 7');
    const blame = await vsg(cli, ['blame', '-t', 'dist', '5', '--json']);
    ok(blame);
    const csv = await vsg(cli, ['export', '-t', 'dist', '--format', 'csv']);
    ok(csv);
    expect(csv.stdout.trim().split('\n')).toHaveLength(1 + (await coord(`SELECT count(*)::int AS n FROM dist`)).rows[0].n);
    expect((await vsg(cli, ['verify'])).code).toBe(0);
    const doc = await repo.doctor();
    expect(doc.ok).toBe(true);
    expect(doc.checks.filter((k) => k.table === 'dist').map((k) => [k.name, k.status, k.message])).toEqual([
      ['triggers', 'ok', '4 capture triggers present and enabled'],
      ['uncommitted', 'ok', 'none'],
      ['citus', 'ok', `a Citus distributed table, captured on its ${shards + 1} shards into ${pending}`], // (one shard split above)
    ]);

    // forget in a distributed table: the history blanked on the coordinator, the live row deleted on its
    // shard through the coordinator, one transaction; a predicate over live rows and history, one column
    // set to NULL on the shards; verify still passes and nothing is left uncommitted
    const heldBy = async (where: string) =>
      (await coord(`SELECT count(*)::int AS n FROM vsg.changes WHERE table_id = $1 AND forgotten IS NULL AND (${where})`, [id])).rows[0].n as number;
    expect(await heldBy(`key = '{"id": "5"}'::jsonb`)).toBeGreaterThan(0);
    ok(await vsg(cli, ['forget', '-t', 'dist', '5', '--live', '-m', 'erase']));
    expect(await rows('id = 5')).toBe('');
    expect(await heldBy(`key = '{"id": "5"}'::jsonb`)).toBe(0);
    await repo.commit({ table: 'dist', author, message: 'secret', sql: `UPDATE dist SET v = 'secret' WHERE id IN (41, 42)` });
    const row43 = await rows('id = 43');
    await coord(`UPDATE dist SET v = 'secret' WHERE id = 43`);
    const refused = await vsg(cli, ['forget', '-t', 'dist', '--where', "v = 'secret'", '--columns', 'v', '--live', '-m', 'erase v']);
    expect({ code: refused.code, first: refused.stderr.split('\n')[0] }).toEqual({
      code: 1,
      first: "error: cannot forget rows of 'dist': 1 uncommitted change to them",
    });
    ok(await vsg(cli, ['restore', '-t', 'dist']));
    ok(await vsg(cli, ['forget', '-t', 'dist', '--where', "v = 'secret'", '--columns', 'v', '--live', '-m', 'erase v']));
    expect((await coord(`SELECT count(*)::int AS n FROM dist WHERE id IN (41, 42) AND v IS NULL`)).rows[0].n).toBe(2);
    expect(await rows('id = 43')).toBe(row43);
    expect(await heldBy(`before->>'v' = 'secret' OR after->>'v' = 'secret'`)).toBe(0);
    expect((await repo.status({ table: 'dist' }))[0].clean).toBe(true);
    expect((await vsg(cli, ['verify'])).code).toBe(0);

    // nothing of vsg's can fail a write: with its pending table broken, the capture on the shards
    // warns and lets the write through, and doctor says what is wrong until it is mended
    await coord(`ALTER TABLE ${pending} RENAME COLUMN gstamp TO broken`);
    const warned: string[] = [];
    const writer = new pg.Client({ connectionString: citus.url() });
    await writer.connect();
    writer.on('notice', (n) => warned.push(`${n.severity}: ${n.message}`));
    try {
      await writer.query(`UPDATE dist SET v = 'still' WHERE id = 9`);
    } finally {
      await writer.end();
    }
    expect(await rows('id = 9')).toBe('9:still');
    expect(warned).toEqual([expect.stringMatching(/^WARNING: vsg: a change to public\.dist was not recorded: column "gstamp" of relation "pending_[0-9]+_[0-9]+" does not exist$/)]);
    const broken = await repo.doctor();
    expect(broken.ok).toBe(false);
    expect(broken.checks.find((k) => k.name === 'citus' && k.status === 'fail')?.message).toMatch(/^cannot read the changes captured on the shards of distributed tables: /);
    await coord(`ALTER TABLE ${pending} RENAME COLUMN broken TO gstamp`);
    expect((await repo.doctor()).ok).toBe(true);
    // (the change that went unrecorded is undone by hand; the restore forgets its pending row, which nets to nothing)
    await coord(`UPDATE dist SET v = 'u9' WHERE id = 9`);
    ok(await vsg(cli, ['restore', '-t', 'dist']));
    expect((await repo.status({ table: 'dist' }))[0].clean).toBe(true);

    // untrack: the triggers leave every shard, the pending table goes, writes go on
    ok(await vsg(cli, ['untrack', 'dist']));
    expect(await shardTriggers('dist')).toBe(0);
    expect((await coord(`SELECT to_regclass($1) AS p`, [pending])).rows[0].p).toBe(null);
    await coord(`UPDATE dist SET v = 'after' WHERE id = 1`);
    await onWorker(0, `INSERT INTO dist VALUES (400, 'w')`);
    expect(await rows('id IN (1, 400)')).toBe('1:after,400:w');
    expect((await repo.doctor()).ok).toBe(true);
  }, 300_000);

  it('a single-shard distributed table is versioned on its one shard: writes from the coordinator and a worker, a commit of SQL, checkout, forget, verify, untrack', async () => {
    const rows = async () => (await coord(`SELECT coalesce(string_agg(id || ':' || v, ',' ORDER BY id), '') AS s FROM single`)).rows[0].s as string;
    const ok = (r: { code: number; stderr: string }) => expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    await coord(`DELETE FROM single; INSERT INTO single SELECT g, 's' || g FROM generate_series(1, 5) g`);
    const t = await vsg(cli, ['track', 'single']);
    expect({ code: t.code, stderr: t.stderr, out: t.stdout.trim() }).toEqual({ code: 0, stderr: '', out: expect.stringMatching(/^tracking single on branch main \[[0-9a-f]+\] 5 rows$/) });
    expect(await shardTriggers('single')).toBe(3);
    const id = Number((await coord(`SELECT id FROM vsg.tracked WHERE relid = 'single'::regclass AND untracked_at IS NULL`)).rows[0].id);
    const colocated = await coord(`SELECT count(DISTINCT colocationid)::int AS n, count(*)::int AS tables FROM pg_dist_partition WHERE logicalrelid IN ('single'::regclass, $1::regclass)`, [`vsg.pending_${id}`]);
    expect(colocated.rows[0]).toEqual({ n: 1, tables: 2 });
    await coord(`UPDATE single SET v = 'c' WHERE id = 1`);
    for (const w of citus.workers) await onNode(w.url(), `INSERT INTO single VALUES (${w.port}, 'w')`);
    expect((await repo.status({ table: 'single' }))[0]).toMatchObject({ inserted: 2, updated: 1, deleted: 0 });
    ok(await vsg(cli, ['commit', '-t', 'single', '-m', 'app']));
    ok(await vsg(cli, ['commit', '-t', 'single', '-m', 'sql', `UPDATE single SET v = v || '!' WHERE id <= 3; DELETE FROM single WHERE id > 4`]));
    expect((await repo.log({ table: 'single' })).commits[0]).toMatchObject({ message: 'sql', inserted: 0, updated: 3, deleted: 3 });
    const atSql = await rows();
    expect(atSql).toBe('1:c!,2:s2!,3:s3!,4:s4');
    ok(await vsg(cli, ['checkout', 'HEAD~2', '-t', 'single']));
    expect(await rows()).toBe('1:s1,2:s2,3:s3,4:s4,5:s5');
    ok(await vsg(cli, ['checkout', 'HEAD~1', '-t', 'single']));
    expect(await rows()).toBe(atSql);
    ok(await vsg(cli, ['forget', '-t', 'single', '2', '--live', '-m', 'erase']));
    expect(await rows()).toBe('1:c!,3:s3!,4:s4');
    expect((await coord(`SELECT count(*)::int AS n FROM vsg.changes WHERE table_id = $1 AND key = '{"id": "2"}'::jsonb AND forgotten IS NULL`, [id])).rows[0].n).toBe(0);
    expect((await repo.status({ table: 'single' }))[0].clean).toBe(true);
    expect((await vsg(cli, ['verify'])).code).toBe(0);
    expect((await repo.doctor()).checks.find((k) => k.name === 'citus' && k.table === 'single')).toMatchObject({ status: 'ok', message: `a Citus distributed table, captured on its 1 shards into vsg.pending_${id}` });
    ok(await vsg(cli, ['untrack', 'single']));
    expect(await shardTriggers('single')).toBe(0);
    await coord(`UPDATE single SET v = 'after' WHERE id = 1`);
    expect(await rows()).toBe('1:after,3:s3!,4:s4');
  }, 300_000);

  it('a distributed table with shards on the coordinator too is versioned, written back included; a table of a distributed schema is refused', async () => {
    const ok = (r: { code: number; stderr: string }) => expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    await coord(`SELECT citus_set_node_property('127.0.0.1', $1, 'shouldhaveshards', true)`, [citus.coordinator.port]);
    try {
      await coord(`CREATE TABLE spread (id bigint PRIMARY KEY, v text); SELECT create_distributed_table('spread', 'id', shard_count => 6);
        INSERT INTO spread SELECT g, 'v' || g FROM generate_series(1, 30) g`);
      const here = await coord(`SELECT count(*)::int AS n FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid) WHERE s.logicalrelid = 'spread'::regclass AND p.groupid = 0`);
      expect(here.rows[0].n).toBeGreaterThan(0);
      ok(await vsg(cli, ['track', 'spread']));
      await coord(`UPDATE spread SET v = 'x' WHERE id <= 30`);
      expect((await repo.status({ table: 'spread' }))[0]).toMatchObject({ inserted: 0, updated: 30, deleted: 0 });
      ok(await vsg(cli, ['commit', '-t', 'spread', '-m', 'app']));
      ok(await vsg(cli, ['commit', '-t', 'spread', '-m', 'sql', `DELETE FROM spread WHERE id > 20`]));
      expect((await repo.log({ table: 'spread' })).commits.slice(0, 2).map((c) => [c.message, c.updated, c.deleted])).toEqual([['sql', 0, 10], ['app', 30, 0]]);
      // write-back there: the deleted rows inserted one a statement (Citus's INSERT … SELECT fails where the
      // coordinator holds shards: "another command is already in progress"), the others updated
      ok(await vsg(cli, ['checkout', 'HEAD~2', '-t', 'spread']));
      expect((await coord(`SELECT count(*)::int AS n, count(*) FILTER (WHERE v = 'v' || id)::int AS orig FROM spread`)).rows[0]).toEqual({ n: 30, orig: 30 });
      expect((await repo.status({ table: 'spread' }))[0].clean).toBe(true);
      ok(await vsg(cli, ['checkout', 'HEAD~1', '-t', 'spread']));
      expect((await coord(`SELECT count(*)::int AS n, count(*) FILTER (WHERE v = 'x')::int AS x FROM spread`)).rows[0]).toEqual({ n: 20, x: 20 });
      expect((await vsg(cli, ['verify'])).code).toBe(0);
      ok(await vsg(cli, ['untrack', 'spread']));
      // (its shards on the coordinator would keep the last test from taking the coordinator out of Citus's metadata)
      await coord(`DROP TABLE spread`);
    } finally {
      await coord(`SELECT citus_set_node_property('127.0.0.1', $1, 'shouldhaveshards', false)`, [citus.coordinator.port]);
    }
    await coord(`SET citus.enable_schema_based_sharding = on; CREATE SCHEMA tenant1; CREATE TABLE tenant1.items (id bigint PRIMARY KEY, v text);
      INSERT INTO tenant1.items SELECT g, 'i' || g FROM generate_series(1, 5) g`);
    expect((await coord(`SELECT partmethod::text AS m FROM pg_dist_partition WHERE logicalrelid = 'tenant1.items'::regclass`)).rows).toEqual([{ m: 'n' }]);
    // a table of a distributed schema: Citus will not co-locate vsg's pending table with it, so track
    // refuses in one line, installs nothing, and the table's writes go on
    const refused = await vsg(cli, ['track', 'tenant1.items']);
    expect({ code: refused.code, stdout: refused.stdout, first: refused.stderr.split('\n')[0] }).toEqual({
      code: 3,
      stdout: '',
      first: expect.stringMatching(/^error: cannot track 'tenant1\.items': Citus refuses vsg's pending table beside its shards \(cannot colocate tables items and pending_[0-9]+\); nothing was installed$/),
    });
    expect(await coordTriggers('tenant1.items')).toBe(0);
    expect(await shardTriggers('tenant1.items')).toBe(0);
    expect((await coord(`SELECT count(*)::int AS n FROM vsg.tracked WHERE relid = 'tenant1.items'::regclass`)).rows[0].n).toBe(0);
    await coord(`UPDATE tenant1.items SET v = 'changed' WHERE id = 2`);
    expect((await coord(`SELECT v FROM tenant1.items WHERE id = 2`)).rows).toEqual([{ v: 'changed' }]);
    await coord(`DROP SCHEMA tenant1 CASCADE`);
  }, 300_000);

  it('vsg track --schema tracks its plain, reference and single-shard tables and skips, saying why, the Citus tables it cannot capture', async () => {
    await coord(`CREATE SCHEMA shop; CREATE TABLE shop.orders (id bigint PRIMARY KEY, v text); CREATE TABLE shop.currencies (code text PRIMARY KEY);
      CREATE TABLE shop.notes (id int PRIMARY KEY, v text); CREATE TABLE shop.kept (id int PRIMARY KEY, v text);
      SELECT create_distributed_table('shop.orders', null); SELECT create_reference_table('shop.currencies');
      SELECT citus_add_local_table_to_metadata('shop.kept');
      INSERT INTO shop.orders VALUES (1, 'a'); INSERT INTO shop.currencies VALUES ('EUR')`);
    const r = await vsg(cli, ['track', '--schema', 'shop', '--json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout) as { tracked: { table: { display: string } }[]; skipped: { table: string; reason: string }[] };
    expect(out.tracked.map((t) => t.table.display)).toEqual(['shop.currencies', 'shop.notes', 'shop.orders']);
    expect(out.skipped).toEqual([{ table: 'shop.kept', reason: 'a Citus local table, which vsg cannot capture' }]);
    expect(await coordTriggers('shop.kept')).toBe(0);
    // (the single-shard table, captured on its one shard)
    expect(await shardTriggers('shop.orders')).toBe(3);
    await coord(`INSERT INTO shop.orders VALUES (2, 'b'); INSERT INTO shop.currencies VALUES ('USD')`);
    expect((await repo.status({ table: 'shop.currencies' }))[0]).toMatchObject({ inserted: 1, updated: 0, deleted: 0 });
    expect((await vsg(cli, ['commit', '-t', 'shop.currencies', '-m', 'usd'])).code).toBe(0);
    expect((await repo.status({ table: 'shop.orders' }))[0]).toMatchObject({ inserted: 1, updated: 0, deleted: 0 });
    expect((await vsg(cli, ['commit', '-t', 'shop.orders', '-m', 'order 2'])).code).toBe(0);
    expect((await vsg(cli, ['untrack', 'shop.currencies', 'shop.notes', 'shop.orders'])).code).toBe(0);
    expect(await shardTriggers('shop.orders')).toBe(0);
    // (its one placement is on the coordinator, which the last test takes out of Citus's metadata)
    await coord(`SELECT undistribute_table('shop.kept')`);
  }, 120_000);

  it('a tracked table Citus is made to distribute: refused, or, forced, doctor fails on it and untrack gives its writes back', async () => {
    await coord(`CREATE TABLE later (id int PRIMARY KEY, v text); INSERT INTO later VALUES (1, 'a'); CREATE TABLE empty (id int PRIMARY KEY, v text)`);
    await repo.trackTables(['later', 'empty'], { author });
    // Citus refuses to distribute a table that has triggers, unless told it is safe
    await expect(coord(`SELECT create_distributed_table('later', 'id')`)).rejects.toThrow(HAS_TRIGGERS);
    // told so, it copies the rows into the new shards, whose copied capture triggers fail: nothing is distributed
    await expect(coord(`SET citus.enable_unsafe_triggers = on; SELECT create_distributed_table('later', 'id')`)).rejects.toThrow(NO_VSG_TABLES);
    await coord(`UPDATE later SET v = 'b' WHERE id = 1`);
    const c = await repo.commit({ table: 'later', author, message: 'still a plain table' });
    expect(c.commit.updated).toBe(1);
    // an empty table is distributed, and from then on every write to it fails on the workers
    await coord(`SET citus.enable_unsafe_triggers = on; SELECT create_distributed_table('empty', 'id')`);
    expect(await shardTriggers('empty')).toBeGreaterThan(0);
    await expect(coord(`INSERT INTO empty VALUES (1, 'a')`)).rejects.toThrow(NO_VSG_TABLES);
    const d = await repo.doctor();
    expect(d.ok).toBe(false);
    expect(d.checks.find((c) => c.name === 'citus' && c.table === 'empty')).toMatchObject({ status: 'fail', data: { kind: 'distributed', tracked: true } });
    expect((await vsg(cli, ['doctor'])).code).toBe(1);
    // the hint doctor gives: untrack (its capture function dropped with CASCADE, on every node)
    const u = await vsg(cli, ['untrack', 'empty', 'later']);
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await coordTriggers('empty')).toBe(0);
    expect(await shardTriggers('empty')).toBe(0);
    await coord(`INSERT INTO empty VALUES (1, 'a'); UPDATE later SET v = 'c'`);
    expect((await coord(`SELECT (SELECT v FROM empty) AS e, (SELECT v FROM later) AS l`)).rows[0]).toEqual({ e: 'a', l: 'c' });
    expect((await repo.doctor()).ok).toBe(true);
  }, 120_000);
  it('Citus drops the placement a reference table is captured on: doctor fails saying so, writes keep working, untrack; with none here, track refuses', async () => {
    // (a Citus local table's one placement is on the coordinator, which Citus then keeps)
    await coord(`SELECT undistribute_table('clocal')`);
    await coord(`SELECT citus_remove_node('127.0.0.1', $1)`, [citus.coordinator.port]);
    try {
      await coord(`INSERT INTO ref VALUES (20, 't')`);
      expect((await coord(`SELECT name FROM ref WHERE id = 20`)).rows).toEqual([{ name: 't' }]);
      const d = await repo.doctor();
      expect(d.ok).toBe(false);
      expect(d.checks.filter((k) => k.table === 'ref' && k.status === 'fail').map((k) => [k.name, k.message])).toEqual([
        ['triggers', 'capture triggers missing: vsg_capture_delete, vsg_capture_insert, vsg_capture_truncate, vsg_capture_update; changes to the table are not being recorded'],
        ['citus', 'a Citus reference table with no placement on this node any more: its writes are not being captured'],
      ]);
      expect((await vsg(cli, ['doctor'])).code).toBe(1);
      // a reference table with no placement on this node: nowhere here to capture it
      await coord(`CREATE TABLE ref3 (id int PRIMARY KEY, v text); SELECT create_reference_table('ref3')`);
      const r = await vsg(cli, ['track', 'ref3']);
      expect({ code: r.code, first: r.stderr.split('\n')[0] }).toEqual({
        code: 3,
        first: "error: cannot track 'ref3': it is a Citus reference table with no placement on this node, where vsg would capture its writes; nothing was installed",
      });
      expect(await shardTriggers('ref3')).toBe(0);
      const u = await vsg(cli, ['untrack', 'ref']);
      expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 0, stderr: '' });
      await coord(`UPDATE ref SET name = 'u' WHERE id = 20; INSERT INTO ref3 VALUES (1, 'a')`);
      expect((await repo.doctor()).ok).toBe(true);
    } finally {
      await coord(`SELECT citus_set_coordinator_host('127.0.0.1', $1)`, [citus.coordinator.port]);
    }
  }, 120_000);
});
