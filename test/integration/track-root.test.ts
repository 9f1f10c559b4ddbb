/**
 * The ROOT commit that `track` makes straight from a table's rows
 * (sql/commit/root.sql) records what a commit of the same rows records
 * (sql/commit/create.sql): the same change rows (key, no "before", the image
 * after), each row hashed by vsg.row_hash with its own salt, the table and
 * change-set hashes and the commit id as vsg's own functions recompute them,
 * and a history that `verify` passes. The rows of one table are compared
 * with those a commit of `INSERT … SELECT` of them into a twin table records
 * through the capture triggers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000 });

/** A table whose key has two columns and whose values have text forms that are easy to get wrong. */
const SHAPE = `(b text, a int8, n numeric(12,3), ts timestamptz, j json, arr int[], raw bytea, f float8, PRIMARY KEY (b, a))`;
const ROWS = `INSERT INTO src VALUES
  ('b', 9007199254740993, 1.500, '2026-01-02 03:04:05.123456+00', '{"x" :  [1, 2]}', '[0:2]={7,8,9}', '\\x00ff', 'NaN'),
  ('a', 2, NULL, NULL, NULL, NULL, NULL, '-Infinity'),
  ('ä', 10, 3, 'infinity', '"é"', '{}', '', 0.1),
  ('B', 1, -4.250, '1999-12-31 23:59:59+00', 'null', '{NULL,1}', '\\x0a', 1e300),
  ('a', 10, 0, '2026-06-01 00:00:00+00', '[]', '{1}', '\\x61', -0.0)`;

interface ChangeRow {
  key: string;
  before: string | null;
  after: string | null;
}

describe.each(targetNames())('the ROOT commit track makes from the rows on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let root: { id: string; tableId: number };
  let emptyRoot: { id: string; tableId: number };
  let commitId: string;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE src ${SHAPE}; CREATE TABLE twin ${SHAPE}`);
    await repo.sql(ROWS);
    root = (await repo.track('src', { author: 'ann', message: 'track src' })).root;
    emptyRoot = (await repo.track('twin', { author: 'ann' })).root;
    commitId = (await repo.commit({ table: 'twin', author: 'ann', sql: 'INSERT INTO twin SELECT * FROM src' })).commit.id;
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  const changes = async (commit: string): Promise<ChangeRow[]> =>
    (
      await repo.db.query<ChangeRow>(
        `SELECT key::text, before::text, after::text FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1) ORDER BY key::text COLLATE "C"`,
        [commit],
      )
    ).rows;

  it('holds the change rows a commit of the same rows records', async () => {
    const fromRoot = await changes(root.id);
    expect(fromRoot).toHaveLength(5);
    expect(fromRoot.every((r) => r.before === null)).toBe(true);
    expect(fromRoot).toEqual(await changes(commitId));
  });

  it('hashes each row with its own salt as vsg.row_hash does, and the table and commit as vsg recomputes them', async () => {
    const { rows } = await repo.db.query<{ salts: string; distinct_salts: string; bad_rows: string; wrong_table: string }>(
      `SELECT count(*)::text AS salts, count(DISTINCT ch.salt)::text AS distinct_salts,
              count(*) FILTER (WHERE octet_length(ch.salt) <> 16 OR ch.row_hash IS DISTINCT FROM vsg.row_hash(ch.salt, ch.table_id, ch.key, ch.before, ch.after))::text AS bad_rows,
              count(*) FILTER (WHERE ch.table_id <> c.table_id)::text AS wrong_table
       FROM vsg.changes ch JOIN vsg.commits c ON c.seq = ch.seq WHERE c.id = $1`,
      [root.id],
    );
    expect(rows[0]).toEqual({ salts: '5', distinct_salts: '5', bad_rows: '0', wrong_table: '0' });
    for (const id of [root.id, emptyRoot.id, commitId]) {
      const { rows: c } = await repo.db.query<Record<string, string | null>>(
        `SELECT c.id, c.change_hash,
                vsg.change_set_hash((SELECT vsg.table_entry(c.table_id, vsg.table_hash(string_agg(vsg.row_hash(ch.salt, ch.table_id, ch.key, ch.before, ch.after), ''::bytea ORDER BY ch.key::text COLLATE "C")))
                                     FROM vsg.changes ch WHERE ch.seq = c.seq HAVING count(*) > 0)) AS recomputed_hash,
                vsg.commit_hash(c.parent, c.merge_parent, c.table_id, c.kind, c.operation, c.author, c.message, c.committed_at, c.statement, c.meta, c.change_hash) AS recomputed_id
         FROM vsg.commits c WHERE c.id = $1`,
        [id],
      );
      expect(c[0].recomputed_hash).toBe(c[0].change_hash);
      expect(c[0].recomputed_id).toBe(c[0].id);
    }
  });

  it("has a root's columns, counts and branch: every row an insert, no parent, 'main' on it (twin's moved on since)", async () => {
    const { rows } = await repo.db.query<Record<string, string | null>>(
      `SELECT c.id, c.table_id::text, c.parent, c.merge_parent, c.depth::text, c.branch_id::text, c.kind, c.operation, c.author, c.message,
              c.statement, c.meta::text, c.inserted::text, c.updated::text, c.deleted::text, c.source, c.hash_scheme::text,
              (SELECT r.commit_id FROM vsg.refs r WHERE r.table_id = c.table_id AND r.kind = 'branch' AND r.name = 'main') AS main
       FROM vsg.commits c WHERE c.kind = 'ROOT' ORDER BY c.seq`,
    );
    const common = { parent: null, merge_parent: null, depth: '0', branch_id: null, kind: 'ROOT', author: 'ann', statement: null, meta: null, updated: '0', deleted: '0', source: null, hash_scheme: '2' };
    expect(rows).toEqual([
      { ...common, id: root.id, table_id: String(root.tableId), operation: 'INSERT', message: 'track src', inserted: '5', main: root.id },
      { ...common, id: emptyRoot.id, table_id: String(emptyRoot.tableId), operation: 'NONE', message: 'track twin', inserted: '0', main: commitId },
    ]);
  });

  it('verifies, and so does a history that goes on from it', async () => {
    await repo.commit({ table: 'src', author: 'ann', sql: `UPDATE src SET n = n + 1 WHERE b = 'a'; DELETE FROM src WHERE b = 'B'` });
    const v = await repo.verify();
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
  });
});
