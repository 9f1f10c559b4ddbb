/**
 * A root commit that is a checkpoint (hash scheme 3, migration 017): every
 * reader of the root's rows answers as it does for a root recorded the way
 * before version 17, as one change row per row. Two tables with the same rows
 * and the same history, one tracked each way, are compared: show of the
 * root, diff from it, row log and blame, the rows as of the root (export),
 * checkout to it (row by row and by reload), a merge whose base is the root,
 * an untracked history, and the checkpoint kept or dropped with the history.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

const author = 'tester';

/** The rows: values that must come back exactly, and enough of them (1,200) for checkout to reload. */
const FILL = (t: string) => `
  CREATE TABLE ${t} (id bigint PRIMARY KEY, n numeric(12,2), f float8, at timestamptz, b bytea, a int[], j json, jb jsonb, s text);
  INSERT INTO ${t} SELECT i, i / 4.0, CASE i % 50 WHEN 0 THEN 'NaN' WHEN 1 THEN '-Infinity' ELSE i / 3.0 END,
    timestamptz '2026-01-01 00:00:00.123456+00' + i * interval '1 minute', decode(md5(i::text), 'hex'),
    CASE WHEN i % 7 = 0 THEN '[0:2]={7,8,9}'::int[] ELSE ARRAY[i] END,
    CASE WHEN i % 5 = 0 THEN '{"b": 1,  "a": 2}'::json END, CASE WHEN i % 9 = 0 THEN 'null'::jsonb ELSE jsonb_build_object('i', i) END,
    CASE WHEN i % 11 = 0 THEN NULL ELSE 'row ' || i || E' \\\\ "quoted", (paren)' END
  FROM generate_series(1, 1200) i;
  UPDATE ${t} SET id = 9007199254740993 WHERE id = 1200;`;

describe.each(targetNames())('a root commit that is a checkpoint, against one of change rows, on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const roots: Record<string, string> = {};

  /** Commit ids replaced by their messages, so that the two histories compare. */
  const byMessage = async (table: string) => {
    const { commits } = await repo.log({ table });
    const m = new Map(commits.map((c) => [c.id, c.message]));
    return (id: string | null | undefined) => (id ? (m.get(id) ?? id) : id);
  };

  async function build(table: string, rootAsChanges: boolean) {
    await repo.sql(FILL(table));
    const { root } = await repo.track(table, { author, message: 'track', rootAsChanges });
    roots[table] = root.id;
    const commit = (message: string, sql: string) => repo.commit({ table, author, message, sql });
    await commit('c1', `UPDATE ${table} SET n = n + 1, s = 'changed' WHERE id <= 10`);
    await commit('c2', `DELETE FROM ${table} WHERE id BETWEEN 11 AND 20; INSERT INTO ${table} (id, s) VALUES (5000, 'new')`);
    await repo.createBranch({ table, name: 'side', start: root.id });
    await repo.switch({ table, branch: 'side' });
    await commit('side', `UPDATE ${table} SET s = 'side' WHERE id IN (5, 500)`);
    await repo.switch({ table, branch: 'main' });
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await build('old_root', true);
    await build('new_root', false);
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('records the new root as a checkpoint and no change rows, the old one as change rows', async () => {
    const { rows } = await repo.db.query<{ t: string; scheme: string; changes: string; cp: string | null; inserted: string }>(
      `SELECT t.table_name AS t, c.hash_scheme::text AS scheme, c.inserted::text AS inserted,
              (SELECT count(*) FROM vsg.changes x WHERE x.commit_id = c.id)::text AS changes,
              (SELECT k.relname FROM vsg.checkpoints k WHERE k.commit_id = c.id) AS cp
       FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id WHERE c.kind = 'ROOT' ORDER BY t.table_name`,
    );
    expect(rows).toEqual([
      { t: 'new_root', scheme: '3', inserted: '1200', changes: '0', cp: expect.stringMatching(/^checkpoint_root_\d+$/) },
      // (a root of 1,000 rows or more took a checkpoint before version 17 too)
      { t: 'old_root', scheme: '2', inserted: '1200', changes: '1200', cp: expect.stringMatching(/^checkpoint_[0-9a-f]{20}$/) },
    ]);
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('shows the root, diffs from it and reads the rows as of it the same way', async () => {
    const views = async (table: string) => {
      const show = await repo.show(roots[table], { table });
      const diff = await repo.diff({ table, from: roots[table], to: 'HEAD' });
      const at = await repo.rowsAt({ table, at: roots[table] });
      const side = await repo.diff({ table, from: roots[table], to: 'side' });
      return {
        show: [show.commit.inserted, show.commit.updated, show.commit.deleted, show.changes],
        diff: diff.changes,
        side: side.changes,
        rows: at.rows,
      };
    };
    const [o, n] = [await views('old_root'), await views('new_root')];
    expect((o.show[3] as unknown[]).length).toBe(1200);
    expect(n).toEqual(o);
  });

  it('gives the same row log and blame through the root', async () => {
    const views = async (table: string) => {
      const msg = await byMessage(table);
      const out: unknown[] = [];
      for (const key of ['5', '500', '1199', '9007199254740993']) {
        const log = await repo.rowLog({ table, key });
        out.push(log.entries.map((e) => [msg(e.commit.id), e.before, e.after]));
        const b = await repo.blame({ table, key });
        out.push(b.rows.map((r) => r.cells.map((c) => [c.column, msg(c.commit)])));
      }
      return out;
    };
    expect(await views('new_root')).toEqual(await views('old_root'));
  });

  it('checks out the root row by row and by reload from its checkpoint, and merges with it as the base', async () => {
    const content = async (table: string) =>
      (await repo.db.query<{ r: string }>(`SELECT (x.*)::text AS r FROM ${table} x ORDER BY id`)).rows.map((r) => r.r);
    await repo.sql(FILL('original'));
    const want = await content('original');
    for (const table of ['old_root', 'new_root']) {
      const never = await repo.checkout({ table, ref: roots[table], author, reload: 'never' });
      expect(never.reload).toBeNull();
      expect(await content(table)).toEqual(want);
      await repo.checkout({ table, ref: 'HEAD~1', author, reload: 'never' });
      const always = await repo.checkout({ table, ref: roots[table], author, reload: 'always' });
      expect(always.reload).toMatchObject({ checkpoint: roots[table] });
      expect(await content(table)).toEqual(want);
    }
    const merged = async (table: string) => {
      await repo.merge({ table, ref: 'side', author, message: 'merge side' });
      return content(table);
    };
    expect(await merged('new_root')).toEqual(await merged('old_root'));
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('keeps the root checkpoint with an untracked history, which reads and verifies, and drops it with the history', async () => {
    const cp = async () =>
      (await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_catalog.pg_tables WHERE schemaname = 'vsg' AND tablename LIKE 'checkpoint_root_%'`)).rows[0].n;
    expect(await cp()).toBe('1');
    await repo.untrack(['old_root', 'new_root'], { author });
    expect(await cp()).toBe('1');
    const at = async (table: string) => (await repo.rowsAt({ table, at: roots[table] })).rows;
    expect(await at('new_root')).toEqual(await at('old_root'));
    expect((await repo.verify()).problems).toEqual([]);
    // tracked again: a new history with a root of its own
    await repo.track('new_root', { author });
    expect(await cp()).toBe('2');
    await repo.untrack('new_root', { force: true });
    expect(await cp()).toBe('1');
    await repo.untrack('new_root', { force: true });
    expect(await cp()).toBe('0');
    expect((await repo.verify()).problems).toEqual([]);
  });
});
