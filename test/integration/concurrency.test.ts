/**
 * Concurrency: many writers on one branch, two-session interleavings, and an
 * invariant (money is only moved, never made) that must hold in every
 * committed version. The multi-writer and two-session tests need several
 * connections at once, which only the server has: PGlite is one process with
 * one connection, so there they are skipped (the invariant runs on both). So
 * do the tests of one commit's open transaction overlapping another commit:
 * on PGlite the second cannot even start while the first holds the one
 * connection (and across processes, .vsg/lock serialises whole commands). Two
 * bin/vsg processes racing commit against merge and switch run on both: on
 * PGlite they queue on the embedded database's lock file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { createCommit } from '../../src/core/create-commit.js';
import { resolveTable } from '../../src/core/tables.js';
import { ConflictError } from '../../src/errors.js';
import { baseRows, Pause, scenario, tableState, until, type Row, type TableState } from '../helpers/crash.js';
import { bin, makeTarget, targetNames, vsgOk, withRepo, type RunResult, type Target } from '../helpers/targets.js';

const WRITERS = 8;
const COMMITS = 100;

/** What a writer runs again: a stale parent, or the server's serialization failure or deadlock (E_SQL, data.sqlstate). */
function retryable(e: unknown): boolean {
  const err = e as { code?: string; data?: { sqlstate?: string } };
  const sqlstate = err.data?.sqlstate ?? err.code;
  return err instanceof ConflictError || err.code === 'E_STALE_PARENT' || sqlstate === '40001' || sqlstate === '40P01';
}

/** The first-parent chain from the branch head back to the root, oldest first. */
const CHAIN = `
WITH RECURSIVE chain AS (
  SELECT c.id, c.parent, c.depth, 1 AS n FROM vsg.commits c
  JOIN vsg.refs r ON r.commit_id = c.id JOIN vsg.tracked t ON t.id = r.table_id AND r.name = t.head
  WHERE t.table_name = $1
  UNION ALL
  SELECT p.id, p.parent, p.depth, chain.n + 1 FROM vsg.commits p JOIN chain ON p.id = chain.parent
)
SELECT id, depth FROM chain ORDER BY depth`;

const hasServer = targetNames().includes('postgres');

describe.skipIf(!hasServer)('concurrent writers on postgres (server only: PGlite allows one connection)', () => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget('postgres');
    const repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE events (id int PRIMARY KEY, writer int NOT NULL, i int NOT NULL)');
    await repo.sql('CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL)');
    await repo.sql('INSERT INTO counter VALUES (1, 0)');
    await repo.track('events', { author: 'setup' });
    await repo.track('counter', { author: 'setup' });
    await repo.close();
  });
  afterAll(() => t.cleanup());

  it(`${WRITERS} writers x ${COMMITS} commits on one branch: one linear chain, none lost, table matches`, { timeout: 300_000 }, async () => {
    const repos: Repository[] = await Promise.all(Array.from({ length: WRITERS }, () => openRepository({ url: t.url })));
    const acknowledged: string[] = [];
    let retries = 0;
    try {
      await Promise.all(
        repos.map(async (repo, w) => {
          for (let i = 0; i < COMMITS; i++) {
            for (;;) {
              try {
                const r = await repo.commit({ table: 'events', author: `w${w}`, sql: `INSERT INTO events VALUES (${w * 1000 + i}, ${w}, ${i})` });
                acknowledged.push(r.commit.id);
                break;
              } catch (e) {
                if (!retryable(e)) throw e;
                retries++;
              }
            }
          }
        }),
      );
    } finally {
      await Promise.all(repos.map((r) => r.close()));
    }
    expect(acknowledged).toHaveLength(WRITERS * COMMITS);
    const chain = await t.sql(CHAIN, ['events']);
    // root + every acknowledged commit, each exactly once, depth 0..N without a gap
    expect(chain.rows).toHaveLength(WRITERS * COMMITS + 1);
    expect(chain.rows.map((r: { depth: string | number }) => Number(r.depth))).toEqual(Array.from({ length: WRITERS * COMMITS + 1 }, (_, i) => i));
    const onChain = new Set(chain.rows.map((r: { id: string }) => r.id));
    expect(acknowledged.every((id) => onChain.has(id))).toBe(true);
    const all = await t.sql(`SELECT count(*)::int AS n FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id WHERE t.table_name = 'events'`);
    expect(all.rows[0].n).toBe(WRITERS * COMMITS + 1);
    const rows = await t.sql('SELECT writer, count(*)::int AS n, min(i) AS lo, max(i) AS hi FROM events GROUP BY writer ORDER BY writer');
    expect(rows.rows).toEqual(Array.from({ length: WRITERS }, (_, w) => ({ writer: w, n: COMMITS, lo: 0, hi: COMMITS - 1 })));
    const repo = await t.open();
    try {
      expect((await repo.status({ table: 'events' }))[0].clean).toBe(true);
      expect((await repo.verify({ table: 'events' })).ok).toBe(true);
      expect((await repo.diff({ table: 'events' })).changes).toEqual([]);
    } finally {
      await repo.close();
    }
    expect(retries).toBeGreaterThanOrEqual(0);
  });

  it(`${WRITERS} writers committing across 3 related tables: every acknowledged commit whole, each table one chain, nothing lost`, { timeout: 300_000 }, async () => {
    const N = 25;
    const setup = await t.open();
    try {
      await setup.sql(`CREATE TABLE acct (id int PRIMARY KEY, writer int NOT NULL, bal bigint NOT NULL);
        CREATE TABLE xfer (id int PRIMARY KEY, acct int NOT NULL REFERENCES acct ON DELETE CASCADE, amount bigint NOT NULL);
        CREATE TABLE audit (id int PRIMARY KEY, note text NOT NULL)`);
      await setup.sql(`INSERT INTO acct SELECT w, w, 0 FROM generate_series(0, ${WRITERS - 1}) w`);
      await setup.trackTables(['acct', 'xfer', 'audit'], { author: 'setup' });
    } finally {
      await setup.close();
    }
    const repos: Repository[] = await Promise.all(Array.from({ length: WRITERS }, () => openRepository({ url: t.url })));
    const acknowledged: { id: string; parts: string[] }[] = [];
    try {
      await Promise.all(
        repos.map(async (repo, w) => {
          for (let i = 0; i < N; i++) {
            const id = w * 1000 + i;
            // Even writers change all three tables, odd ones two: the tables each commit locks differ.
            const sql = `UPDATE acct SET bal = bal + ${i + 1} WHERE id = ${w}; INSERT INTO xfer VALUES (${id}, ${w}, ${i})${w % 2 === 0 ? `; INSERT INTO audit VALUES (${id}, 'w${w} #${i}')` : ''}`;
            for (;;) {
              try {
                const r = await repo.commit({ author: `w${w}`, sql });
                acknowledged.push({ id: r.commit.id, parts: (r.commit.parts ?? []).map((p) => p.id) });
                break;
              } catch (e) {
                if (!retryable(e)) throw e;
              }
            }
          }
        }),
      );
    } finally {
      await Promise.all(repos.map((r) => r.close()));
    }
    expect(acknowledged).toHaveLength(WRITERS * N);
    // Every commit is whole: 3 parts from even writers, 2 from odd ones, stored under its id.
    const stored = await t.sql('SELECT id, array_agg(part ORDER BY part) AS parts FROM vsg.commit_parts GROUP BY id');
    const byId = new Map(stored.rows.map((r: { id: string; parts: string[] }) => [r.id, r.parts]));
    for (const a of acknowledged) expect(byId.get(a.id), a.id).toEqual([...a.parts].sort());
    expect(acknowledged.filter((a) => a.parts.length === 3)).toHaveLength((WRITERS / 2) * N);
    // Each table: one linear chain holding its root and every part, depth without a gap.
    for (const [table, parts] of [['acct', WRITERS * N], ['xfer', WRITERS * N], ['audit', (WRITERS / 2) * N]] as const) {
      const chain = await t.sql(CHAIN, [table]);
      expect(chain.rows, table).toHaveLength(parts + 1);
      expect(chain.rows.map((r: { depth: string | number }) => Number(r.depth))).toEqual(Array.from({ length: parts + 1 }, (_, i) => i));
      const onChain = new Set(chain.rows.map((r: { id: string }) => r.id));
      const mine = (await t.sql(`SELECT p.part FROM vsg.commit_parts p JOIN vsg.tracked x ON x.id = p.table_id WHERE x.table_name = $1`, [table])).rows;
      expect(mine.every((r: { part: string }) => onChain.has(r.part)), table).toBe(true);
    }
    const bal = await t.sql('SELECT id, bal::int FROM acct ORDER BY id');
    expect(bal.rows).toEqual(Array.from({ length: WRITERS }, (_, w) => ({ id: w, bal: (N * (N + 1)) / 2 })));
    const repo = await t.open();
    try {
      expect((await repo.status()).filter((s) => ['acct', 'xfer', 'audit'].includes(s.table)).every((s) => s.clean)).toBe(true);
      expect((await repo.verify()).ok).toBe(true);
    } finally {
      await repo.close();
    }
    for (const table of ['acct', 'xfer', 'audit']) expect(await replayDiff(table), table).toBe(0);
  });

  /** Rows of `table` that differ (both ways) from replaying its chain: the last image per key, as each value's text form. */
  async function replayDiff(table: string): Promise<number> {
    const r = await t.sql(
      `WITH RECURSIVE chain AS (
         SELECT c.id, c.seq, c.parent, c.depth FROM vsg.commits c
         JOIN vsg.refs r ON r.commit_id = c.id JOIN vsg.tracked t ON t.id = r.table_id AND r.name = t.head WHERE t.table_name = $1
         UNION ALL SELECT p.id, p.seq, p.parent, p.depth FROM vsg.commits p JOIN chain ON p.id = chain.parent),
       replay AS (
         SELECT DISTINCT ON (x.key) x.key, x.after FROM chain c JOIN vsg.changes x ON x.seq = c.seq ORDER BY x.key, c.depth DESC),
       hist AS (SELECT after AS img FROM replay WHERE after IS NOT NULL),
       live AS (SELECT (SELECT jsonb_object_agg(e.k, to_jsonb(e.v)) FROM jsonb_each_text(to_jsonb(x)) AS e(k, v)) AS img FROM ${table} x)
       SELECT count(*)::int AS n FROM ((TABLE hist EXCEPT ALL TABLE live) UNION ALL (TABLE live EXCEPT ALL TABLE hist)) d`,
      [table],
    );
    return r.rows[0].n;
  }

  it(`${WRITERS} writers on their own rows and one shared row: every commit in one chain, history replays to the table`, { timeout: 300_000 }, async () => {
    const setup = await t.open();
    await setup.sql('CREATE TABLE hot (id int PRIMARY KEY, n bigint NOT NULL)');
    await setup.sql(`INSERT INTO hot SELECT g, 0 FROM generate_series(0, ${WRITERS}) g`);
    await setup.track('hot', { author: 'setup' });
    await setup.close();
    const PER = 40;
    const repos: Repository[] = await Promise.all(Array.from({ length: WRITERS }, () => openRepository({ url: t.url })));
    const acknowledged: string[] = [];
    try {
      await Promise.all(
        repos.map(async (repo, w) => {
          for (let i = 0; i < PER; i++) {
            // even: the writer's own row only (no other writer waits for it); odd: with row 0, which every writer changes
            const rows = i % 2 === 0 ? `${w + 1}` : `0, ${w + 1}`;
            for (;;) {
              try {
                const r = await repo.commit({ table: 'hot', author: `w${w}`, sql: `UPDATE hot SET n = n + 1 WHERE id IN (${rows})` });
                expect(r.recorded).toBeUndefined();
                acknowledged.push(r.commit.id);
                break;
              } catch (e) {
                if (!retryable(e)) throw e;
              }
            }
          }
        }),
      );
    } finally {
      await Promise.all(repos.map((r) => r.close()));
    }
    const chain = await t.sql(CHAIN, ['hot']);
    // root + every acknowledged commit, each once, each the parent of the next
    expect(chain.rows.map((r: { depth: string | number }) => Number(r.depth))).toEqual(Array.from({ length: WRITERS * PER + 1 }, (_, i) => i));
    const onChain = new Set(chain.rows.map((r: { id: string }) => r.id));
    expect(acknowledged.filter((id) => !onChain.has(id))).toEqual([]);
    const total = await t.sql(`SELECT count(*)::int AS n FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id WHERE t.table_name = 'hot'`);
    expect(total.rows[0].n).toBe(WRITERS * PER + 1);
    const rows = await t.sql('SELECT id, n::int AS n FROM hot ORDER BY id');
    expect(rows.rows).toEqual([{ id: 0, n: (WRITERS * PER) / 2 }, ...Array.from({ length: WRITERS }, (_, w) => ({ id: w + 1, n: PER }))]);
    expect(await replayDiff('hot')).toBe(0);
    const repo = await t.open();
    try {
      expect((await repo.status({ table: 'hot' }))[0].clean).toBe(true);
      expect((await repo.verify({ table: 'hot' })).ok).toBe(true);
    } finally {
      await repo.close();
    }
  });

  /** A tracked table of two rows, ids 1 and 2, `column` 0 in both. */
  const trackTwoRows = async (table: string, column: string) => {
    const setup = await t.open();
    await setup.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, ${column} NOT NULL)`);
    await setup.sql(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
    await setup.track(table, { author: 'setup' });
    await setup.close();
  };

  it('a writer holding its transaction open after its change does not block another writer of the table; a write-back waits for it', { timeout: 60_000 }, async () => {
    await trackTwoRows('open_tx', 'n bigint');
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => openRepository({ url: t.url })));
    let release = (): void => undefined;
    const gate = new Promise<void>((res) => (release = res));
    let changed = (): void => undefined;
    const ran = new Promise<void>((res) => (changed = res));
    try {
      const root = (await a.log({ table: 'open_tx' })).commits[0].id;
      // A changes row 1 and keeps its transaction open
      const first = a.commit({ table: 'open_tx', author: 'a' }, async (tx) => {
        await tx.query('UPDATE open_tx SET n = 1 WHERE id = 1');
        changed();
        await gate;
      });
      await ran;
      // B commits row 2 meanwhile, to the end: it waits for nothing A holds
      const second = await Promise.race([
        b.commit({ table: 'open_tx', author: 'b', sql: 'UPDATE open_tx SET n = 2 WHERE id = 2' }),
        new Promise<'blocked'>((res) => setTimeout(() => res('blocked'), 10_000)),
      ]);
      expect(second).not.toBe('blocked');
      if (second === 'blocked') return;
      expect(second.commit.parents).toEqual([root]);
      // a write-back (restore) waits for A's commit to end
      let restored = false;
      const restore = c.restore({ table: 'open_tx' }).then((r) => ((restored = true), r));
      await new Promise((res) => setTimeout(res, 500));
      expect(restored).toBe(false);
      release();
      const done = await first;
      // A appended after B: on top of it
      expect(done.commit.parents).toEqual([second.commit.id]);
      expect((await restore).applied).toEqual({ inserted: 0, updated: 0, deleted: 0 });
      expect((await t.sql('SELECT id, n::int AS n FROM open_tx ORDER BY id')).rows).toEqual([{ id: 1, n: 1 }, { id: 2, n: 2 }]);
      expect(await replayDiff('open_tx')).toBe(0);
      expect((await c.verify({ table: 'open_tx' })).ok).toBe(true);
    } finally {
      release();
      await Promise.all([a, b, c].map((r) => r.close()));
    }
  });

  it('parent is checked when the commit is appended: a commit that landed while the SQL ran makes it stale', { timeout: 60_000 }, async () => {
    const setup = await t.open();
    await setup.sql('CREATE TABLE late (id int PRIMARY KEY, n bigint NOT NULL)');
    await setup.sql('INSERT INTO late VALUES (1, 0), (2, 0)');
    await setup.track('late', { author: 'setup' });
    await setup.close();
    const [a, b] = await Promise.all([0, 1].map(() => openRepository({ url: t.url })));
    let release = (): void => undefined;
    const gate = new Promise<void>((res) => (release = res));
    let changed = (): void => undefined;
    const ran = new Promise<void>((res) => (changed = res));
    try {
      const root = (await a.log({ table: 'late' })).commits[0].id;
      const stale = a
        .commit({ table: 'late', author: 'a', parent: root }, async (tx) => {
          await tx.query('UPDATE late SET n = 1 WHERE id = 1');
          changed();
          await gate;
        })
        .catch((e: unknown) => e);
      await ran; // HEAD was still `root` when A started
      const other = await b.commit({ table: 'late', author: 'b', sql: 'UPDATE late SET n = 2 WHERE id = 2' });
      release();
      const err = await stale;
      expect(err).toBeInstanceOf(ConflictError);
      expect(err).toMatchObject({ code: 'E_STALE_PARENT', exitCode: 1, data: { head: other.commit.id, parent: root } });
      // nothing of A's landed
      expect((await t.sql('SELECT id, n::int AS n FROM late ORDER BY id')).rows).toEqual([{ id: 1, n: 0 }, { id: 2, n: 2 }]);
      expect((await b.log({ table: 'late' })).commits.map((c) => c.id)).toEqual([other.commit.id, root]);
      expect((await b.status({ table: 'late' }))[0].clean).toBe(true);
    } finally {
      release();
      await Promise.all([a, b].map((r) => r.close()));
    }
  });

  it('the database itself refuses a second commit on the same parent of a branch', async () => {
    await expect(
      t.sql(`INSERT INTO vsg.commits (id, table_id, parent, depth, branch_id, kind, operation, author, message, committed_at, inserted, updated, deleted, change_hash)
             SELECT repeat('b', 64), table_id, parent, depth, branch_id, kind, operation, author, message, committed_at, 0, 0, 0, change_hash
             FROM vsg.commits WHERE kind = 'COMMIT' ORDER BY seq DESC LIMIT 1`),
    ).rejects.toMatchObject({ code: '23505', constraint: 'commits_linear' });
  });

  it('a writer holding a stale HEAD gets a retryable E_STALE_PARENT conflict, never a fork', async () => {
    const repo = await t.open();
    try {
      const stale = await resolveTable(repo.db, 'counter');
      await repo.commit({ table: 'counter', author: 'a', sql: 'UPDATE counter SET n = n + 1' });
      const err = await repo.db
        .transaction(async (tx) => {
          await tx.query('UPDATE counter SET n = n + 100');
          return createCommit(tx, stale, { kind: 'COMMIT', takeAll: false, author: 'b', message: 'stale' });
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).code).toBe('E_STALE_PARENT');
      expect((await repo.sql('SELECT n FROM counter')).rows).toEqual([['1']]);
      expect((await repo.tables()).find((x) => x.id === stale.id)?.commits).toBe(2);
    } finally {
      await repo.close();
    }
  });

  it('two commits locking the same rows in opposite orders: PostgreSQL cancels one (E_SQL, data.sqlstate 40P01), nothing of it kept; run again, it lands', { timeout: 60_000 }, async () => {
    await trackTwoRows('pair', 'v int');
    // Each commit's SQL changes one row, then waits on an advisory lock this test holds, then
    // changes the other: both wait there holding their first row, and are let go together.
    const gate = new pg.Client({ connectionString: t.url });
    await gate.connect();
    const [a, b] = await Promise.all([t.open(), t.open()]);
    try {
      await gate.query('SELECT pg_advisory_lock(71), pg_advisory_lock(72)');
      const sqlOf = (first: number, second: number, lock: number) =>
        `UPDATE pair SET v = v + 1 WHERE id = ${first}; SELECT pg_advisory_lock(${lock}), pg_advisory_unlock(${lock}); UPDATE pair SET v = v + 1 WHERE id = ${second}`;
      const raced = [a.commit({ table: 'pair', author: 'a', sql: sqlOf(1, 2, 71) }), b.commit({ table: 'pair', author: 'b', sql: sqlOf(2, 1, 72) })];
      const waiting = () => t.sql(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid IN (71, 72)`).then((r) => Number(r.rows[0].n) === 2);
      const deadline = Date.now() + 30_000;
      expect(await until(waiting, () => Date.now() > deadline)).toBe(true);
      await gate.query('SELECT pg_advisory_unlock(71), pg_advisory_unlock(72)');
      const settled = await Promise.allSettled(raced);
      const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(failed[0].reason).toMatchObject({ code: 'E_SQL', exitCode: 4, data: { sqlstate: '40P01' } });
      // the other commit landed whole, the cancelled one left nothing: rows, history, pending
      expect((await t.sql('SELECT id, v FROM pair ORDER BY id')).rows).toEqual([{ id: 1, v: 1 }, { id: 2, v: 1 }]);
      expect((await t.sql(CHAIN, ['pair'])).rows).toHaveLength(2);
      expect(Number((await t.sql(`SELECT count(*)::int AS n FROM vsg.pending WHERE table_id = (SELECT id FROM vsg.tracked WHERE table_name = 'pair')`)).rows[0].n)).toBe(0);
      const loser = settled[0].status === 'rejected' ? a : b;
      await loser.commit({ table: 'pair', author: 'again', sql: 'UPDATE pair SET v = v + 1' });
      expect((await t.sql('SELECT id, v FROM pair ORDER BY id')).rows).toEqual([{ id: 1, v: 2 }, { id: 2, v: 2 }]);
      expect((await t.sql(CHAIN, ['pair'])).rows).toHaveLength(3);
      expect((await loser.verify({ table: 'pair' })).ok).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close(), gate.end()]);
    }
  });

  it('commits racing rollback, checkout and restore on one table: serialised or refused, nothing lost', { timeout: 300_000 }, async () => {
    const setup = await t.open();
    await setup.sql('CREATE TABLE race (id int PRIMARY KEY, w int NOT NULL, i int NOT NULL)');
    await setup.track('race', { author: 'setup' });
    await setup.close();
    const writers = await Promise.all(Array.from({ length: 4 }, () => openRepository({ url: t.url })));
    const other = await openRepository({ url: t.url });
    const acknowledged: string[] = [];
    const refused: Record<string, number> = {};
    let done = false;
    let performed = 0;
    try {
      const ops = (async () => {
        for (let n = 0; !done; n++) {
          try {
            const kind = n % 3;
            if (kind === 0) acknowledged.push((await other.rollback({ table: 'race', author: 'undo' })).commit.id);
            else if (kind === 1) {
              const r = await other.checkout({ table: 'race', ref: 'HEAD~2', author: 'back' });
              if (r.commit) acknowledged.push(r.commit.id);
            } else await other.restore({ table: 'race' });
            performed++;
          } catch (e) {
            const code = (e as { code?: string }).code ?? 'raw';
            refused[code] = (refused[code] ?? 0) + 1;
            if (!(e as { exitCode?: number }).exitCode) throw e; // a raw database error would be a bug
          }
        }
      })();
      await Promise.all(
        writers.map(async (repo, w) => {
          for (let i = 0; i < 30; i++) {
            for (;;) {
              try {
                const r = await repo.commit({ table: 'race', author: `w${w}`, sql: `INSERT INTO race VALUES (${w * 1000 + i}, ${w}, ${i})` });
                acknowledged.push(r.commit.id);
                break;
              } catch (e) {
                if (!retryable(e)) throw e;
              }
            }
          }
        }),
      );
      done = true;
      await ops;
    } finally {
      done = true;
      await Promise.all([...writers, other].map((r) => r.close()));
    }
    expect(performed).toBeGreaterThan(0);
    const chain = await t.sql(CHAIN, ['race']);
    const onChain = new Set(chain.rows.map((r: { id: string }) => r.id));
    expect(acknowledged.filter((id) => !onChain.has(id))).toEqual([]);
    const total = await t.sql(`SELECT count(*)::int AS n FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id WHERE t.table_name = 'race'`);
    expect(chain.rows).toHaveLength(total.rows[0].n); // one linear chain, nothing off it
    const mismatch = await t.sql(
      `WITH RECURSIVE chain AS (
         SELECT c.id, c.seq, c.parent, c.depth FROM vsg.commits c
         JOIN vsg.refs r ON r.commit_id = c.id JOIN vsg.tracked t ON t.id = r.table_id AND r.name = t.head WHERE t.table_name = 'race'
         UNION ALL SELECT p.id, p.seq, p.parent, p.depth FROM vsg.commits p JOIN chain ON p.id = chain.parent),
       replay AS (
         SELECT DISTINCT ON (x.key) x.key, x.after FROM chain c JOIN vsg.changes x ON x.seq = c.seq ORDER BY x.key, c.depth DESC)
       SELECT count(*)::int AS n FROM (SELECT * FROM replay WHERE after IS NOT NULL) replay FULL JOIN race a ON (replay.key->>'id')::int = a.id
       WHERE replay.after IS DISTINCT FROM jsonb_build_object('id', a.id::text, 'w', a.w::text, 'i', a.i::text)`,
    );
    expect(mismatch.rows[0].n).toBe(0);
    const repo = await t.open();
    try {
      expect((await repo.status({ table: 'race' }))[0].clean).toBe(true);
      expect((await repo.verify({ table: 'race' })).ok).toBe(true);
    } finally {
      await repo.close();
    }
  });

  describe('two sessions', () => {
    let app: pg.Client;
    beforeAll(async () => {
      app = new pg.Client({ connectionString: t.url });
      await app.connect();
      const repo = await t.open();
      await repo.sql('CREATE TABLE kv (k int PRIMARY KEY, v int NOT NULL)');
      await repo.sql('INSERT INTO kv VALUES (1, 0), (2, 0), (3, 0)');
      await repo.track('kv', { author: 'setup' });
      await repo.close();
    });
    afterAll(() => app.end());

    it("a vsg commit never takes another session's uncommitted change", async () => {
      await app.query('BEGIN');
      await app.query('UPDATE kv SET v = 7 WHERE k = 1');
      const repo = await t.open();
      try {
        // with SQL: only its own rows
        const a = await repo.commit({ table: 'kv', author: 'vsg', sql: 'UPDATE kv SET v = 5 WHERE k = 2' });
        expect(a.commit.updated).toBe(1);
        // without SQL ("record uncommitted changes"): nothing visible to take yet
        await expect(repo.commit({ table: 'kv', author: 'vsg' })).rejects.toMatchObject({ code: 'E_NOTHING_TO_COMMIT' });
        await app.query('COMMIT');
        // now committed by the app, it is an uncommitted change for vsg, attributed to nobody yet
        expect((await repo.status({ table: 'kv' }))[0]).toMatchObject({ updated: 1, clean: false });
        const shown = await repo.show('HEAD', { table: 'kv' });
        expect(shown.changes.map((c) => c.key)).toEqual([{ k: '2' }]);
        const b = await repo.commit({ table: 'kv', author: 'ops', message: 'record app change' });
        expect(b.commit.updated).toBe(1);
        expect((await repo.status({ table: 'kv' }))[0].clean).toBe(true);
      } finally {
        await app.query('ROLLBACK').catch(() => undefined);
        await repo.close();
      }
    });

    it('a long transaction started before a commit does not revert or swallow it', async () => {
      const repo = await t.open();
      try {
        // REPEATABLE READ: its snapshot predates the commit; touching the committed row fails, never reverts it
        await app.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        await app.query('SELECT * FROM kv');
        await repo.commit({ table: 'kv', author: 'vsg', sql: 'UPDATE kv SET v = 10 WHERE k = 3' });
        await expect(app.query('UPDATE kv SET v = v + 1 WHERE k = 3')).rejects.toMatchObject({ code: '40001' });
        await app.query('ROLLBACK');
        // READ COMMITTED: the long transaction's update lands on top of the commit
        await app.query('BEGIN');
        await app.query('SELECT * FROM kv');
        await repo.commit({ table: 'kv', author: 'vsg', sql: 'UPDATE kv SET v = 20 WHERE k = 3' });
        await app.query('UPDATE kv SET v = v + 1 WHERE k = 3');
        await app.query('COMMIT');
        expect((await repo.sql('SELECT v FROM kv WHERE k = 3')).rows).toEqual([['21']]);
        const d = await repo.diff({ table: 'kv' });
        expect(d.changes).toEqual([{ key: { k: '3' }, old: { k: '3', v: '20' }, new: { k: '3', v: '21' } }]);
        expect((await repo.verify({ table: 'kv' })).ok).toBe(true);
        const rec = await repo.commit({ table: 'kv', author: 'ops', message: 'record the long transaction' });
        expect(rec.commit.updated).toBe(1);
      } finally {
        await app.query('ROLLBACK').catch(() => undefined);
        await repo.close();
      }
    });

    it('a vsg commit waits for an app transaction holding its row, then records on top of it', async () => {
      const v0 = String((await t.sql('SELECT v FROM kv WHERE k = 1')).rows[0].v);
      await app.query('BEGIN');
      await app.query('UPDATE kv SET v = 100 WHERE k = 1');
      const repo = await t.open();
      try {
        const pending = repo.commit({ table: 'kv', author: 'vsg', sql: 'UPDATE kv SET v = v + 1 WHERE k = 1' });
        await new Promise((r) => setTimeout(r, 300));
        await app.query('COMMIT');
        const c = await pending;
        // the app's change is recorded first, as its own commit; the statement's commit holds its own change
        expect(c.recorded).toMatchObject({ updated: 1, message: 'record uncommitted changes' });
        expect(c.commit.parents).toEqual([c.recorded?.id]);
        expect((await repo.show(c.recorded?.id ?? '', { table: 'kv' })).changes).toEqual([{ key: { k: '1' }, old: { k: '1', v: v0 }, new: { k: '1', v: '100' } }]);
        expect((await repo.show(c.commit.id, { table: 'kv' })).changes).toEqual([{ key: { k: '1' }, old: { k: '1', v: '100' }, new: { k: '1', v: '101' } }]);
        expect((await repo.status({ table: 'kv' }))[0].clean).toBe(true);
        expect((await repo.verify({ table: 'kv' })).ok).toBe(true);
      } finally {
        await app.query('ROLLBACK').catch(() => undefined);
        await repo.close();
      }
    });
  });
});

describe.each(targetNames())('invariant: transfers keep the total in every committed version on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(14,2) NOT NULL)');
    await repo.sql('INSERT INTO accounts SELECT g, 1000 FROM generate_series(1, 10) g');
    await repo.track('accounts', { author: 'bank' });
    await repo.close();
  });
  afterAll(() => t.cleanup());

  it('holds at every commit of the chain and the history rebuilds the live table', { timeout: 300_000 }, async () => {
    // server: 4 concurrent writers; PGlite: one connection, so one writer
    const writers = name === 'postgres' ? 4 : 1;
    const perWriter = name === 'postgres' ? 40 : 30;
    const repos = await Promise.all(Array.from({ length: writers }, () => t.open()));
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    try {
      await Promise.all(
        repos.map(async (repo, w) => {
          for (let i = 0; i < perWriter; i++) {
            const a = 1 + rnd(10);
            const b = 1 + ((a + rnd(9)) % 10);
            const amount = `${1 + rnd(500)}.${String(rnd(100)).padStart(2, '0')}`;
            const sql = `UPDATE accounts SET balance = balance + CASE id WHEN ${a} THEN -${amount} ELSE ${amount} END WHERE id IN (${a}, ${b})`;
            for (;;) {
              try {
                await repo.commit({ table: 'accounts', author: `teller${w}`, sql });
                break;
              } catch (e) {
                if (!retryable(e)) throw e;
              }
            }
          }
        }),
      );
    } finally {
      await Promise.all(repos.map((r) => r.close()));
    }
    // total after each commit, rebuilt from the deltas along the first-parent chain
    const totals = await t.sql(
      `WITH RECURSIVE chain AS (
         SELECT c.id, c.seq, c.parent, c.depth FROM vsg.commits c
         JOIN vsg.refs r ON r.commit_id = c.id JOIN vsg.tracked t ON t.id = r.table_id AND r.name = t.head WHERE t.table_name = $1
         UNION ALL SELECT p.id, p.seq, p.parent, p.depth FROM vsg.commits p JOIN chain ON p.id = chain.parent)
       SELECT c.depth, (sum(sum(coalesce((x.after->>'balance')::numeric, 0) - coalesce((x.before->>'balance')::numeric, 0))) OVER (ORDER BY c.depth))::text AS total
       FROM chain c LEFT JOIN vsg.changes x ON x.seq = c.seq GROUP BY c.depth ORDER BY c.depth`,
      ['accounts'],
    );
    expect(totals.rows).toHaveLength(writers * perWriter + 1);
    expect(new Set(totals.rows.map((r: { total: string }) => r.total))).toEqual(new Set(['10000.00']));
    // replaying history (last image per key along the chain) gives exactly the live table
    const mismatch = await t.sql(
      `WITH RECURSIVE chain AS (
         SELECT c.id, c.seq, c.parent, c.depth FROM vsg.commits c
         JOIN vsg.refs r ON r.commit_id = c.id JOIN vsg.tracked t ON t.id = r.table_id AND r.name = t.head WHERE t.table_name = 'accounts'
         UNION ALL SELECT p.id, p.seq, p.parent, p.depth FROM vsg.commits p JOIN chain ON p.id = chain.parent),
       replay AS (
         SELECT DISTINCT ON (x.key) x.key, x.after FROM chain c JOIN vsg.changes x ON x.seq = c.seq ORDER BY x.key, c.depth DESC)
       SELECT count(*)::int AS n FROM replay FULL JOIN accounts a ON (replay.key->>'id')::int = a.id
       WHERE replay.after IS DISTINCT FROM jsonb_build_object('id', a.id::text, 'balance', a.balance::text)`,
    );
    expect(Number(mismatch.rows[0].n)).toBe(0);
    const repo = await t.open();
    try {
      expect((await repo.verify({ table: 'accounts' })).ok).toBe(true);
    } finally {
      await repo.close();
    }
  });
});

/**
 * Two bin/vsg processes on one table, in a fixed order: the first is paused
 * mid-transaction (test trigger or its own SQL, see Pause), the second starts
 * and queues behind it (server: waits for the first's lock on the table;
 * PGlite: for the first process's .vsg/lock), then the first is let go.
 * Serialised or refused, nothing lost, one linear chain, verify passes.
 */
describe.each(targetNames())('a commit racing merge and switch, two processes in a fixed order, on %s', (name) => {
  let t: Target;
  let pause: Pause;
  const state = (table: string) => tableState((text) => t.sql(text), table);

  interface Started {
    pid: number;
    done: boolean;
    result: Promise<RunResult>;
  }
  function start(args: string[]): Started {
    const child = spawn(process.execPath, [bin, '--verbose', ...args], { cwd: t.cwd, env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const s: Started = {
      pid: child.pid as number,
      done: false,
      result: new Promise((res) => child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }))),
    };
    void s.result.then(() => (s.done = true));
    return s;
  }

  /** Run `first` paused at the armed pause point, `second` queued behind it, then let both finish. */
  async function race(first: string[], second: string[]): Promise<[RunResult, RunResult]> {
    await pause.arm();
    try {
      const a = start(first);
      if (!(await until(() => pause.reached(), () => a.done))) throw new Error(`vsg ${first.join(' ')} ended before the pause:\n${(await a.result).stderr}`);
      const b = start(second);
      if (name === 'postgres') {
        // b's session waits for a lock a's transaction holds (the table's vsg.tracked row)
        const queued = await until(async () => {
          const r = await t.sql(
            `SELECT count(*)::int AS n FROM pg_stat_activity w, pg_stat_activity h
             WHERE w.datname = current_database() AND w.wait_event_type = 'Lock' AND w.wait_event <> 'advisory'
               AND h.wait_event = 'advisory' AND h.pid = ANY (pg_blocking_pids(w.pid))`,
          );
          return r.rows[0].n > 0;
        }, () => b.done);
        expect(queued, `vsg ${second.join(' ')} queued behind vsg ${first.join(' ')}`).toBe(true);
      } else {
        // a holds the embedded database's lock; b (started, not yet able to finish) waits for it
        expect(fs.readFileSync(path.join(t.cwd, '.vsg', 'lock'), 'utf8')).toBe(String(a.pid));
        await new Promise((res) => setTimeout(res, 2000));
        expect(b.done, 'the second command cannot finish while the first holds the lock').toBe(false);
      }
      await pause.release();
      return [await a.result, await b.result];
    } finally {
      await pause.release();
    }
  }

  /** Every commit of `branch` is on its first-parent chain (no fork); returns the chain, newest first. */
  async function chain(table: string, branch = 'main'): Promise<string[]> {
    const r = await t.sql(
      `WITH RECURSIVE b AS (SELECT r.id, r.commit_id FROM vsg.refs r JOIN vsg.tracked t ON t.id = r.table_id WHERE t.table_name = '${table}' AND r.name = '${branch}'),
       chain AS (SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN b ON c.id = b.commit_id
                 UNION ALL SELECT p.id, p.parent, p.depth FROM vsg.commits p JOIN chain ON p.id = chain.parent)
       SELECT (SELECT string_agg(id, ',' ORDER BY depth DESC) FROM chain) AS ids,
              (SELECT count(*)::int FROM vsg.commits c JOIN b ON c.branch_id = b.id WHERE c.id NOT IN (SELECT id FROM chain)) AS off`,
    );
    expect(Number(r.rows[0].off), `commits of ${branch} off its chain`).toBe(0);
    return String(r.rows[0].ids).split(',');
  }

  /** After the race: the table's status (as `vsg status --json` prints it) is clean on `s`, and the chain verifies; one open of the library. */
  async function expectSound(table: string, s: TableState): Promise<void> {
    const [[st], verified] = await withRepo(t, async (repo) => [await repo.status({ table }), await repo.verify()] as const);
    expect(st).toMatchObject({ branch: s.head, head: s.headCommit, clean: true, merging: null });
    expect(verified.ok).toBe(true);
  }

  /** A scenario table; `paused`: with the pause in every statement writing it. */
  async function setup(table: string, ours: string[], theirs: string[], paused = false): Promise<void> {
    const repo = await t.open();
    try {
      await scenario(repo, table, ours, theirs, paused);
    } finally {
      await repo.close();
    }
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    await (await t.open({ init: true })).close();
    pause = await Pause.install(t, 4244);
  });
  afterAll(() => t.cleanup());

  const OURS = ["UPDATE NAME SET a = 'ours' WHERE id = 1"];
  const THEIRS = ['UPDATE NAME SET b = 20 WHERE id = 2', 'DELETE FROM NAME WHERE id = 5'];
  const MERGED: Row[] = [{ id: 1, a: 'ours', b: 1 }, { id: 2, a: 'x2', b: 20 }, ...baseRows().slice(2, 4)];

  it('merge first (paused in its write-back), commit queued: the commit lands on the merge commit', { timeout: 180_000 }, async () => {
    await setup('mc', OURS, THEIRS, true);
    const [m, c] = await race(['merge', 'feature', '-t', 'mc', '--json'], ['commit', '-t', 'mc', '--json', 'UPDATE mc SET b = 100 WHERE id = 4']);
    expect(m.code, m.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    const merge = JSON.parse(m.stdout);
    const commit = JSON.parse(c.stdout);
    expect(merge.status).toBe('merged');
    expect(commit.commit.parents).toEqual([merge.commit.id]);
    expect((await chain('mc')).slice(0, 2)).toEqual([commit.commit.id, merge.commit.id]);
    const after = await state('mc');
    expect(after.rows).toEqual(MERGED.map((r) => (r.id === 4 ? { ...r, b: 100 } : r)));
    await expectSound('mc', after);
  });

  it('commit first (paused in its SQL), merge queued: the merge starts from the commit', { timeout: 180_000 }, async () => {
    await setup('cm', OURS, THEIRS);
    const [c, m] = await race(['commit', '-t', 'cm', '--json', `UPDATE cm SET b = 100 WHERE id = 4; ${pause.sql}`], ['merge', 'feature', '-t', 'cm', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(m.code, m.stderr).toBe(0);
    const commit = JSON.parse(c.stdout);
    const merge = JSON.parse(m.stdout);
    expect(merge.ours).toBe(commit.commit.id);
    expect(merge.commit.parents).toEqual([commit.commit.id, merge.theirs]);
    expect((await chain('cm')).slice(0, 2)).toEqual([merge.commit.id, commit.commit.id]);
    const after = await state('cm');
    expect(after.rows).toEqual(MERGED.map((r) => (r.id === 4 ? { ...r, b: 100 } : r)));
    await expectSound('cm', after);
  });

  it('a commit queued behind a merge with a stale --parent is refused (exit 1, retryable) and changes nothing', { timeout: 180_000 }, async () => {
    await setup('mp', OURS, THEIRS, true);
    const head = (await state('mp')).headCommit;
    const [m, c] = await race(['merge', 'feature', '-t', 'mp', '--json'], ['commit', '-t', 'mp', '--parent', head, 'UPDATE mp SET b = 100 WHERE id = 4']);
    expect(m.code, m.stderr).toBe(0);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^error: 'mp' has moved: HEAD is [0-9a-f]{7}, not [0-9a-f]{7}/m);
    expect(c.stderr).toContain('code: E_STALE_PARENT');
    const merged = await state('mp');
    expect(merged.rows).toEqual(MERGED);
    expect(merged.headCommit).toBe(JSON.parse(m.stdout).commit.id);
    // the retry, on the new HEAD, goes through
    await vsgOk(t, ['commit', '-t', 'mp', '--parent', merged.headCommit, 'UPDATE mp SET b = 100 WHERE id = 4']);
    expect((await chain('mp'))[1]).toBe(merged.headCommit);
    await expectSound('mp', await state('mp'));
  });

  it('switch first (paused in its write-back), commit queued: the commit lands on the branch switched to', { timeout: 180_000 }, async () => {
    await setup('sc', OURS, THEIRS, true);
    const before = await state('sc');
    const [s, c] = await race(['switch', 'feature', '-t', 'sc'], ['commit', '-t', 'sc', '--json', 'UPDATE sc SET a = 7 WHERE id = 3']);
    expect(s.code, s.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    const commit = JSON.parse(c.stdout);
    expect(commit.branch).toBe('feature');
    const after = await state('sc');
    expect(after.head).toBe('feature');
    expect(after.refs).toContain(`main:${before.headCommit}`); // main untouched
    expect((await chain('sc', 'feature'))[0]).toBe(commit.commit.id);
    expect(after.rows).toEqual([{ id: 1, a: 'x1', b: 1 }, { id: 2, a: 'x2', b: 20 }, { id: 3, a: '7', b: 3 }, { id: 4, a: 'x4', b: 4 }]);
    await expectSound('sc', after);
  });

  it('commit first (paused in its SQL), switch queued: the commit stays on main, the switch then leaves it', { timeout: 180_000 }, async () => {
    await setup('cs', OURS, THEIRS);
    const [c, s] = await race(['commit', '-t', 'cs', '--json', `UPDATE cs SET a = 7 WHERE id = 3; ${pause.sql}`], ['switch', 'feature', '-t', 'cs']);
    expect(c.code, c.stderr).toBe(0);
    expect(s.code, s.stderr).toBe(0);
    const commit = JSON.parse(c.stdout);
    expect(commit.branch).toBe('main');
    expect((await chain('cs'))[0]).toBe(commit.commit.id);
    const after = await state('cs');
    expect(after.head).toBe('feature');
    expect(after.rows).toEqual([{ id: 1, a: 'x1', b: 1 }, { id: 2, a: 'x2', b: 20 }, ...baseRows().slice(2, 4)]);
    await expectSound('cs', after);
    // back on main, the commit is there
    await withRepo(t, (repo) => repo.switch({ table: 'cs', branch: 'main' }));
    expect((await state('cs')).rows).toEqual([{ id: 1, a: 'ours', b: 1 }, { id: 2, a: 'x2', b: 2 }, { id: 3, a: '7', b: 3 }, ...baseRows().slice(3)]);
  });
});
