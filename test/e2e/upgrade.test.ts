/**
 * Upgrading repositories made by earlier schema versions, whose stored
 * functions were defined by the migrations themselves (the chain frozen in
 * test/fixtures/legacy-schema-v11/), to version 12, where they live in
 * sql/functions/ and init applies them by checksum (vsg.functions), and to
 * version 13, where new commits hash their change sets row -> table -> commit
 * and the old ones keep verifying as they were made.
 * The upgrade's refusals and reports are asserted through bin/vsg; the reads
 * compared across the upgrade, the writes that follow it and the verifies in
 * between go through the library (one in-process open instead of a CLI start
 * each).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/api/repository.js';
import { functionFiles } from '../../src/core/repository.js';
import { makeTarget, root, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 600_000 });

/**
 * While `on`, the library reads the queries that write and verify change sets
 * as the release of schema version 12 had them (test/fixtures/release-v12-queries/):
 * the current ones need version 13's columns. Only the loader of vsg's own
 * query files is replaced; the database is real.
 */
const release12 = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/db/sql.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/db/sql.js')>();
  const { readFileSync, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = join(actual.packageRoot, 'test', 'fixtures', 'release-v12-queries');
  return {
    ...actual,
    sql: (name: string) => {
      const frozen = join(dir, `${name}.sql`);
      return release12.on && existsSync(frozen) ? readFileSync(frozen, 'utf8') : actual.sql(name);
    },
  };
});

const legacyDir = path.join(root, 'test', 'fixtures', 'legacy-schema-v11');

/** The SQL that builds vsg's schema as the release of schema version `upTo` (1..11) did, migration by migration. */
function legacySchema(upTo: number): string {
  const files = fs.readdirSync(legacyDir).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort().slice(0, upTo);
  return [
    'CREATE SCHEMA vsg',
    'CREATE TABLE vsg.migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())',
    ...files.flatMap((f) => [
      fs.readFileSync(path.join(legacyDir, f), 'utf8'),
      `INSERT INTO vsg.migrations (version, name) VALUES (${Number.parseInt(f.slice(0, 3), 10)}, '${f}')`,
    ]),
  ].join(';\n');
}

/** vsg's own functions (not the per-table capture functions), each with a digest of its definition. */
const functionsOf = async (repo: Repository) =>
  (
    await repo.db.query<{ name: string; def: string }>(
      `SELECT p.oid::regprocedure::text AS name, md5(pg_get_functiondef(p.oid)) AS def FROM pg_catalog.pg_proc p
       WHERE p.pronamespace = 'vsg'::regnamespace AND p.proname !~ '^capture_[0-9]+$' ORDER BY 1`,
    )
  ).rows;

/** vsg's tables, columns, indexes and triggers. */
const structureOf = async (repo: Repository) =>
  (
    await repo.db.query<{ x: string }>(
      `SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) AS x
       FROM information_schema.columns WHERE table_schema = 'vsg' AND table_name !~ '^checkpoint_'
       UNION ALL SELECT 'index ' || indexdef FROM pg_catalog.pg_indexes WHERE schemaname = 'vsg' AND tablename !~ '^checkpoint_'
       UNION ALL SELECT format('trigger %s %s', tgrelid::regclass, pg_get_triggerdef(t.oid)) FROM pg_catalog.pg_trigger t
         WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = 'vsg'::regnamespace)
       UNION ALL SELECT format('constraint %s %s', conrelid::regclass, pg_get_constraintdef(c.oid)) FROM pg_catalog.pg_constraint c
         WHERE connamespace = 'vsg'::regnamespace
       ORDER BY 1`,
    )
  ).rows.map((r) => r.x);

const appliedAt = async (repo: Repository) =>
  Object.fromEntries(
    (await repo.db.query<{ name: string; at: string }>('SELECT name, applied_at::text AS at FROM vsg.functions')).rows.map((r) => [r.name, r.at]),
  );

/**
 * `vsg init` of a repository made by this vsg (`make`), then taken back to what
 * an earlier version wrote by `undo` (a later migration's column dropped and
 * its record deleted): what init printed.
 */
async function initAfter(t: Target, make: (repo: Repository) => Promise<unknown>, undo: string): Promise<string> {
  const repo = await t.open({ bare: true });
  try {
    await repo.db.query('DROP SCHEMA IF EXISTS vsg CASCADE; DROP TABLE IF EXISTS items, readings CASCADE');
    await repo.init();
    await make(repo);
    await repo.db.query(undo);
  } finally {
    await repo.close();
  }
  return vsgOk(t, ['init']);
}

describe.each(targetNames())('upgrading earlier schema versions on %s', (name) => {
  let t: Target;
  let fresh: { functions: unknown; structure: string[] };
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ bare: true });
    try {
      await repo.init();
      fresh = { functions: await functionsOf(repo), structure: await structureOf(repo) };
      await repo.db.query('DROP SCHEMA vsg CASCADE');
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('a new repository holds exactly the functions of sql/functions/, recorded with their checksums', async () => {
    const names = (fresh.functions as { name: string }[]).map((f) => f.name.replace(/^vsg\.|\(.*$/g, ''));
    expect(names).toEqual(functionFiles().map((f) => f.name));
  });

  it('a repository of version 11 with history (branches, a merge, a checkout by reload) upgrades with nothing lost', async () => {
    let repo = await t.open({ bare: true });
    const before: Record<string, unknown> = {};
    release12.on = true;
    try {
      await repo.db.query(legacySchema(11));
      // The library sends a write-back's statements through vsg.run_each,
      // which runs each as it is (storage-neutral: that release sent them one
      // by one, to the same effect); init applies it again with the rest.
      await repo.db.query(fs.readFileSync(path.join(root, 'sql', 'functions', 'run_each.sql'), 'utf8'));
      // History made on the version-11 schema with the queries of the release
      // as it stands before version 13 (the rest are those of that release).
      await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, n numeric(12,2), t text, at timestamptz);
        INSERT INTO items SELECT i, i / 4.0, md5(i::text), '2026-01-01 00:00:00+00'::timestamptz + i * interval '1 minute' FROM generate_series(1, 1200) i`);
      await repo.track('items', { author: 'alice' });
      const commit = (sql: string) => repo.commit({ table: 'items', author: 'alice', sql });
      await commit('UPDATE items SET n = n + 1 WHERE id <= 10');
      await commit(`UPDATE items SET t = upper(t) WHERE id % 7 <> 0; DELETE FROM items WHERE id % 25 = 0`);
      await repo.switch({ table: 'items', branch: 'side', create: true });
      await commit(`INSERT INTO items VALUES (5000, 1, 'side', NULL)`);
      await repo.switch({ table: 'items', branch: 'main' });
      await commit(`UPDATE items SET n = 0 WHERE id = 1`);
      await repo.merge({ table: 'items', ref: 'side', author: 'alice', message: 'merge side' });
      const co = await repo.checkout({ table: 'items', ref: 'HEAD~3', author: 'bob', reload: 'always' });
      expect(co.reload).not.toBeNull();
      await commit(`UPDATE items SET t = 'after' WHERE id = 2`);
      expect((await repo.verify()).problems).toEqual([]);
      expect((await repo.db.query('SELECT count(*)::text AS n FROM vsg.commits WHERE source IS NOT NULL')).rows[0].n).toBe('1');
      before.commits = (await repo.db.query('SELECT id FROM vsg.commits ORDER BY seq')).rows;
      before.refs = (await repo.db.query('SELECT name, commit_id FROM vsg.refs ORDER BY name')).rows;
      before.rows = (await repo.db.query('SELECT (i.*)::text AS r FROM items i ORDER BY id')).rows;
      expect(await repo.db.query(`SELECT to_regclass('vsg.functions') AS f`)).toMatchObject({ rows: [{ f: null }] });
    } finally {
      release12.on = false;
      await repo.close();
    }
    // what `vsg log`, `diff`, `log --row`, `blame` and `show` print as --json: the library's results, read in one open
    const readsOf = async (r: Repository) => [
      await r.log({ table: 'items' }),
      await r.diff({ table: 'items', from: 'HEAD~4', to: 'HEAD' }),
      await r.rowLog({ table: 'items', key: '1' }),
      await r.blame({ table: 'items', key: '2' }),
      await r.show('HEAD~1', { table: 'items' }),
    ];
    const verifyIn = async (r: Repository) => expect((await r.verify()).problems).toEqual([]);
    const refused = await vsg(t, ['log', '-t', 'items']);
    expect([refused.code, refused.stderr]).toEqual([3, "error: the vsg schema lacks 15 migration(s) this vsg needs\nhint: run 'vsg init' to upgrade it\n"]);
    expect(await vsgOk(t, ['init'])).toMatch(/^upgraded vsg schema to version 26 \(applied 012_stored_functions\.sql, 013_row_hashes\.sql, 014_commit_parts\.sql, 015_untracked_history\.sql, 016_forget\.sql, 017_prune\.sql, 018_parent_index\.sql, 019_changes_unlinked\.sql, 020_changes_by_seq\.sql, 021_root_rows\.sql, 022_root_index\.sql, 023_root_chunks\.sql, 024_root_first_keys\.sql, 025_packed_commits\.sql, 026_chunk_last_keys\.sql\)/);
    expect(await vsgOk(t, ['doctor'])).toMatch(/schema: version 26 \(latest\)/);
    repo = await t.open();
    let after: unknown[];
    try {
      await verifyIn(repo);
      after = await readsOf(repo);
      // a row's history still reaches back to the root made before version 21 (its rows stay in changes_key)
      const rowLog = after[2] as Awaited<ReturnType<Repository['rowLog']>>;
      expect(rowLog.entries.at(-1)).toMatchObject({ commit: { kind: 'ROOT' }, before: null, after: { id: '1' } });
      expect((await repo.db.query('SELECT id FROM vsg.commits ORDER BY seq')).rows).toEqual(before.commits);
      expect((await repo.db.query('SELECT name, commit_id FROM vsg.refs ORDER BY name')).rows).toEqual(before.refs);
      expect((await repo.db.query('SELECT (i.*)::text AS r FROM items i ORDER BY id')).rows).toEqual(before.rows);
      const recorded = (await repo.db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM vsg.functions ORDER BY name')).rows;
      expect(recorded).toEqual(functionFiles().map((f) => ({ name: f.name, checksum: f.checksum })));
      // The same functions, tables, indexes and triggers as a repository made new.
      expect(await functionsOf(repo)).toEqual(fresh.functions);
      expect(await structureOf(repo)).toEqual(fresh.structure);
      // A second init changes nothing.
      expect(await repo.init()).toMatchObject({ applied: [], functions: [], dropped: [], recaptured: 0 });
    } finally {
      await repo.close();
    }
    // Reads say the same again, and writes still work: capture, commit, checkout.
    repo = await t.open();
    let schemes: number[][];
    try {
      expect(await readsOf(repo)).toEqual(after);
      await repo.db.query(`UPDATE items SET t = 'outside' WHERE id = 3`);
      expect((await repo.status({ table: 'items' }))[0].updated).toBe(1);
      await repo.commit({ table: 'items', message: 'outside write', author: 'tester' });
      await repo.checkout({ table: 'items', ref: 'HEAD~2', author: 'tester' });
      await verifyIn(repo);
      expect((await repo.log({ table: 'items' })).commits.length).toBe((before.commits as unknown[]).length + 2);
      // The old commits keep their flat change hash (scheme 1, no salts); the two made since hash row -> table -> commit.
      schemes = (
        await repo.db.query<Record<string, unknown>>(`SELECT c.hash_scheme, count(DISTINCT c.id) AS commits, count(x.salt) AS salted, count(x.row_hash) AS hashed, count(x.key) AS rows
          FROM vsg.commits c LEFT JOIN vsg.changes x ON x.seq = c.seq GROUP BY 1 ORDER BY 1`)
      ).rows.map((r) => ['hash_scheme', 'commits', 'salted', 'hashed', 'rows'].map((k) => Number(r[k])));
    } finally {
      await repo.close();
    }
    const n = (before.commits as unknown[]).length;
    expect(schemes[0].slice(0, 4)).toEqual([1, n, 0, 0]);
    expect(schemes[1][0]).toBe(2);
    expect(schemes[1][1]).toBe(2);
    expect(schemes[1][2]).toBe(schemes[1][4]);
    expect(schemes[1][3]).toBe(schemes[1][4]);
    // forget refuses rows held by scheme-1 commits (no salt: blanking would break them), naming the commits; nothing changes
    const refusedForget = await vsg(t, ['forget', '-t', 'items', '5', '-m', 'erasure', '--json']);
    expect(refusedForget.code).toBe(3);
    const err = JSON.parse(refusedForget.stderr).error;
    expect(err.code).toBe('E_FORGET_OLD_COMMITS');
    expect(err.data.commits.length).toBeGreaterThan(0);
    expect(err.message).toContain(err.data.commits[0].slice(0, 7));
    expect(err.hint).toBe("prune past them ('vsg prune --before <commit>'): their state is kept as a base with salts, which forget reaches; nothing was changed");
    // prune (version 17) reaches what forget cannot: the scheme-1 commits lose their change rows, the state at
    // the point is kept as a base with salts and row hashes, and then the row can be forgotten; verify passes throughout
    // (a branch older than the point would keep a boundary of its own; deleted here so that everything before HEAD goes)
    repo = await t.open();
    try {
      await verifyIn(repo); // after the refused forget
      await repo.deleteBranch({ table: 'items', name: 'side', force: true });
    } finally {
      await repo.close();
    }
    const pruned = JSON.parse(await vsgOk(t, ['prune', '--before', 'HEAD', '-m', 'retention', '--json']));
    expect(pruned.entry.commits).toBeGreaterThanOrEqual(n);
    await vsgOk(t, ['verify']);
    expect(await vsgOk(t, ['forget', '-t', 'items', '5', '-m', 'erasure'])).toMatch(/^forget [0-9a-f]{7} items: 1 row: 1 change row/);
    repo = await t.open();
    try {
      await verifyIn(repo);
    } finally {
      await repo.close();
    }
  });

  it("a function applied by another release stops every command until init applies this one's (exit 3, E_SCHEMA_OLD)", async () => {
    await t.sql(`UPDATE vsg.functions SET checksum = 'another release' WHERE name = 'as_of'`);
    const r = await vsg(t, ['log', '-n', '1', '--oneline']);
    expect([r.code, r.stdout, r.stderr]).toEqual([3, '', "error: 1 of vsg's stored functions differ from this vsg's (as_of)\nhint: run 'vsg init' to upgrade it\n"]);
    const init = await vsgOk(t, ['init']);
    expect(init.split('\n').slice(1)).toEqual(['stored functions applied: as_of', '']);
    expect((await vsg(t, ['log', '-n', '1', '--oneline'])).code).toBe(0);
  });

  it('init applies a function again when its checksum or its function changed, rewrites capture functions when their generator did, and nothing else', async () => {
    const repo = await t.open();
    try {
      const at = await appliedAt(repo);
      expect(await repo.init()).toMatchObject({ applied: [], functions: [], dropped: [], recaptured: 0 });
      expect(await appliedAt(repo)).toEqual(at);

      await repo.db.query(`UPDATE vsg.functions SET checksum = 'changed' WHERE name = 'lca'`);
      await repo.db.query('DROP FUNCTION vsg.source_hash(text)');
      expect(await repo.init()).toMatchObject({ applied: [], functions: ['lca', 'source_hash'], dropped: [], recaptured: 0 });
      const again = await appliedAt(repo);
      expect(Object.keys(again).filter((n) => again[n] !== at[n]).sort()).toEqual(['lca', 'source_hash']);
      expect((await repo.db.query(`SELECT to_regprocedure('vsg.source_hash(text)')::text AS f`)).rows[0].f).toBe('vsg.source_hash(text)');

      // A file of the capture-function generator: every tracked table's capture function is written anew.
      const capture = async () =>
        (await repo.db.query<{ x: string }>(`SELECT xmin::text AS x FROM pg_catalog.pg_proc WHERE oid = 'vsg.capture_1'::regproc`)).rows[0].x;
      const x = await capture();
      await repo.db.query(`UPDATE vsg.functions SET checksum = 'changed' WHERE name = 'key_expr'`);
      expect(await repo.init()).toMatchObject({ functions: ['key_expr'], recaptured: 1 });
      expect(await capture()).not.toBe(x);

      // A function whose file is gone is dropped.
      await repo.db.query(`CREATE FUNCTION vsg.obsolete() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
      await repo.db.query(`INSERT INTO vsg.functions (name, checksum) VALUES ('obsolete', 'x')`);
      expect(await repo.init()).toMatchObject({ functions: [], dropped: ['obsolete'] });
      expect((await repo.db.query(`SELECT to_regproc('vsg.obsolete')::text AS f`)).rows[0].f).toBeNull();
      expect((await repo.db.query(`SELECT count(*)::text AS n FROM vsg.functions WHERE name = 'obsolete'`)).rows[0].n).toBe('0');
    } finally {
      await repo.close();
    }
  });

  it('an empty repository of every earlier version (1 to 10) upgrades to what a new one holds', async () => {
    for (let v = 1; v <= 10; v++) {
      const repo = await t.open({ bare: true });
      try {
        await repo.db.query('DROP SCHEMA IF EXISTS vsg CASCADE; DROP TABLE IF EXISTS items CASCADE');
        await repo.db.query(legacySchema(v));
        const r = await repo.init();
        expect([v, r.from, r.to, r.functions.length]).toEqual([v, v, 26, functionFiles().length]);
        expect(await functionsOf(repo)).toEqual(fresh.functions);
        expect(await structureOf(repo)).toEqual(fresh.structure);
        expect((await repo.doctor()).ok).toBe(true);
      } finally {
        await repo.close();
      }
    }
  });

  it('a repository of version 23 with a root kept as a checkpoint, one chunk unpacked, upgrades: each chunk still packed gets its first key, and forget finds chunks by them', async () => {
    // Version 23's schema and rows: a repository made by this vsg, then the column version 24 added dropped and its
    // migration unrecorded (what version 23 wrote of a root is what this vsg writes, but for the first keys).
    const chunks = async (r: Repository) =>
      (await r.db.query<{ chunk: string; packed: string; first_key: string | null }>(
        `SELECT chunk::text, (salt IS NOT NULL)::text AS packed, first_key::text FROM vsg.root_chunks ORDER BY chunk`,
      )).rows.map((c) => [c.chunk, c.packed, c.first_key]);
    const init = await initAfter(
      t,
      async (repo) => {
        // 5,000 rows, ids 2, 4, ... 10,000: chunks of 1,024 from ids 2, 2050, 4098, 6146 and 8194 (904 rows)
        await repo.sql(`CREATE TABLE readings (id bigint PRIMARY KEY, v text); INSERT INTO readings SELECT 2 * g, 'v' || g FROM generate_series(1, 5000) g`);
        await repo.track('readings', { author: 'alice' });
        await repo.forget({ table: 'readings', keys: ['3000'], message: 'erasure', author: 'alice' });
      },
      `ALTER TABLE vsg.root_chunks DROP COLUMN first_key; DELETE FROM vsg.migrations WHERE version = 24`,
    );
    expect(init).toMatch(/^upgraded vsg schema to version 26 \(applied 024_root_first_keys\.sql\)/);
    let repo = await t.open();
    try {
      // the i-th run of the copy is the i-th chunk still packed: chunk 1 left it
      expect(await chunks(repo)).toEqual([
        ['0', 'true', '{"id": "2"}'],
        ['1', 'false', null],
        ['2', 'true', '{"id": "4098"}'],
        ['3', 'true', '{"id": "6146"}'],
        ['4', 'true', '{"id": "8194"}'],
      ]);
      expect((await repo.verify()).problems).toEqual([]);
    } finally {
      await repo.close();
    }
    // a key of the chunk after the unpacked one, and one of the last chunk
    expect(await vsgOk(t, ['forget', '-t', 'readings', '4100', '9000', '-m', 'erasure'])).toMatch(/^forget [0-9a-f]{7} readings: 2 rows: 2 change rows/);
    repo = await t.open();
    try {
      expect((await chunks(repo)).filter((c) => c[1] === 'false').map((c) => c[0])).toEqual(['1', '2', '4']);
      expect((await repo.db.query(`SELECT count(*)::text AS n FROM vsg.root_${(await repo.tables())[0].id}`)).rows[0].n).toBe(String(2 * 1024));
      expect((await repo.verify()).problems).toEqual([]);
    } finally {
      await repo.close();
    }
  });
  it('a repository of version 25 with large statements kept as copies upgrades: their chunks have no last key, a key\'s history probes them, and the copies made after get theirs', async () => {
    // Version 25's rows: a repository made by this vsg, then the column version 26 added dropped and its migration
    // unrecorded (what version 25 wrote of a copy is what this vsg writes, but for the last keys).
    const lastKeys = async (r: Repository) =>
      (await r.db.query<{ seq: string; n: string; last: string | null }>(
        `SELECT seq::text, count(*)::text AS n, (array_agg(last_key::text ORDER BY chunk DESC))[1] AS last
         FROM vsg.root_chunks WHERE seq IN (SELECT seq FROM vsg.commits WHERE hash_scheme = 3 AND kind <> 'ROOT') GROUP BY seq ORDER BY seq`,
      )).rows.map((c) => [c.n, c.last]);
    const init = await initAfter(
      t,
      async (repo) => {
        await repo.sql(`CREATE TABLE readings (id bigint PRIMARY KEY, v int); INSERT INTO readings SELECT g, 0 FROM generate_series(1, 30000) g`);
        await repo.track('readings', { author: 'alice' });
        await repo.commit({ table: 'readings', sql: 'UPDATE readings SET v = 1 WHERE id <= 12000', author: 'alice' });
      },
      `ALTER TABLE vsg.root_chunks DROP COLUMN last_key; DELETE FROM vsg.migrations WHERE version = 26`,
    );
    expect(init).toMatch(/^upgraded vsg schema to version 26 \(applied 026_chunk_last_keys\.sql\)/);
    const repo = await t.open();
    try {
      expect(await lastKeys(repo)).toEqual([['12', null]]);
      await repo.commit({ table: 'readings', sql: 'UPDATE readings SET v = 2 WHERE id > 15000', author: 'alice' });
      expect(await lastKeys(repo)).toEqual([['12', null], ['15', '{"id": "30000"}']]);
      // a key of the copy made before: probed, though its keys have no last one; a key of both, of neither
      expect((await repo.rowLog({ table: 'readings', key: '100' })).entries).toHaveLength(2);
      expect((await repo.rowLog({ table: 'readings', key: '29000' })).entries).toHaveLength(2);
      expect((await repo.rowLog({ table: 'readings', key: '13000' })).entries).toHaveLength(1);
      expect((await repo.verify()).problems).toEqual([]);
    } finally {
      await repo.close();
    }
  });
});
