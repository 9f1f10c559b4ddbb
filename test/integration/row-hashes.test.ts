/**
 * A commit's change set hashed row -> table -> commit (hash scheme 2,
 * docs/integrity.md), recomputed here in Node from the stored rows exactly as
 * the manual describes it: each row's hash over its salt, table, key and
 * images; the table's over its row hashes in key order; the change_hash over
 * (table id, table hash). So the construction is pinned by its definition,
 * not by the SQL that makes it and the SQL that verifies it agreeing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000 });

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
/** vsg.lp: length in bytes, ':', the text; '-' for NULL. */
const lp = (t: string | null) => Buffer.from(t === null ? '-' : `${Buffer.byteLength(t)}:${t}`, 'utf8');

interface Row {
  table_id: string;
  key: string;
  before: string | null;
  after: string | null;
  salt: string | null;
  row_hash: string | null;
}

async function changeRows(repo: Repository, commit: string): Promise<Row[]> {
  const { rows } = await repo.db.query<Row>(
    `SELECT table_id::text, key::text, before::text, after::text, encode(salt, 'hex') AS salt, encode(row_hash, 'hex') AS row_hash
     FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`,
    [commit],
  );
  return rows;
}

/** The change_hash of scheme 2, from the rows' stored hashes. */
function changeHash(rows: Row[]): string {
  const tables = [...new Set(rows.map((r) => Number(r.table_id)))].sort((a, b) => a - b);
  const entries = tables.map((id) => {
    const mine = rows.filter((r) => Number(r.table_id) === id);
    // key order is key::text COLLATE "C": byte order of the UTF-8 text
    mine.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const table = sha256(Buffer.from('vsg-table-2'), ...mine.map((r) => Buffer.from(r.row_hash!, 'hex')));
    return Buffer.concat([lp(String(id)), table]);
  });
  return sha256(Buffer.from('vsg-changes-2'), ...entries).toString('hex');
}

describe.each(targetNames())('change sets hashed row -> table -> commit on %s', (name) => {
  let t: Target;
  let repo: Repository;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE "Grüße" (id text PRIMARY KEY, n numeric, j jsonb)`);
    await repo.sql(`INSERT INTO "Grüße" VALUES ('b', 1.50, '{"x": [1, 2]}'), ('a', NULL, NULL), ('ä', 3, '"é"'), ('B', 4, 'null')`);
    await repo.track('"Grüße"', { author: 'ann' });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it("each row's hash, each table's and the commit's change_hash are what the manual says", async () => {
    const { commit: c } = await repo.commit({
      table: '"Grüße"',
      author: 'ann',
      sql: `UPDATE "Grüße" SET n = n * 2 WHERE id IN ('b', 'ä'); DELETE FROM "Grüße" WHERE id = 'a'; INSERT INTO "Grüße" VALUES ('z', 0, '[]')`,
    });
    const rows = await changeRows(repo, c.id);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.salt).toMatch(/^[0-9a-f]{32}$/);
      const expected = sha256(
        Buffer.from('vsg-row-2'),
        lp(r.salt),
        lp(r.table_id),
        lp(r.key),
        lp(r.before),
        lp(r.after),
      ).toString('hex');
      expect(r.row_hash).toBe(expected);
    }
    const { rows: stored } = await repo.db.query<{ change_hash: string; hash_scheme: string }>(
      'SELECT change_hash, hash_scheme::text FROM vsg.commits WHERE id = $1',
      [c.id],
    );
    expect(stored[0]).toEqual({ change_hash: changeHash(rows), hash_scheme: '2' });
    expect(c.changeHash).toBe(changeHash(rows));
  });

  it('every row has a salt of its own, and the same change made again gets new salts', async () => {
    const root = (await repo.db.query<{ id: string }>(`SELECT id FROM vsg.commits WHERE kind = 'ROOT'`)).rows[0].id;
    const rootSalts = (await changeRows(repo, root)).map((r) => r.salt);
    expect(new Set(rootSalts).size).toBe(4);
    await repo.commit({ table: '"Grüße"', author: 'ann', sql: `UPDATE "Grüße" SET j = NULL WHERE id IN ('b', 'B')` });
    const once = async () => {
      const { commit: c } = await repo.commit({ table: '"Grüße"', author: 'ann', sql: `UPDATE "Grüße" SET j = '7' WHERE id IN ('b', 'B')` });
      await repo.commit({ table: '"Grüße"', author: 'ann', sql: `UPDATE "Grüße" SET j = NULL WHERE id IN ('b', 'B')` });
      return (await changeRows(repo, c.id)).sort((a, b) => a.key.localeCompare(b.key));
    };
    const [first, second] = [await once(), await once()];
    const salts = [...first, ...second].map((r) => r.salt);
    expect(salts.every((s) => /^[0-9a-f]{32}$/.test(s ?? ''))).toBe(true);
    expect(new Set([...salts, ...rootSalts]).size).toBe(8);
    // the same keys, images and table: only the salts tell the two commits' rows apart
    expect(second.map((r) => [r.key, r.before, r.after])).toEqual(first.map((r) => [r.key, r.before, r.after]));
    expect(second.map((r) => r.row_hash)).not.toEqual(first.map((r) => r.row_hash));
  });

  it('a root commit of many rows and a commit that changes nothing hash the same way', async () => {
    const root = (await repo.db.query<{ id: string }>(`SELECT id FROM vsg.commits WHERE kind = 'ROOT'`)).rows[0].id;
    const rows = await changeRows(repo, root);
    expect(rows).toHaveLength(4);
    expect((await repo.db.query<{ h: string }>('SELECT change_hash AS h FROM vsg.commits WHERE id = $1', [root])).rows[0].h).toBe(changeHash(rows));
    const { commit: empty } = await repo.commit({ table: '"Grüße"', author: 'ann', sql: 'SELECT 1', allowEmpty: true });
    expect(empty.changeHash).toBe(sha256(Buffer.from('vsg-changes-2')).toString('hex'));
    expect((await repo.verify()).problems).toEqual([]);
  });
});
