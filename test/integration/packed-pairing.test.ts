/**
 * How a capture pairs an UPDATE's old and new rows (vsg.key_pairing): as their
 * keys' text forms would pair them, the key compared as it is where equal
 * values always print alike (an integer, text in "C"), else by its text form.
 * A key whose value stays equal but prints apart (numeric 5 and 5.0) is a
 * delete and an insert, whichever way the statement is kept: a pending row or
 * change rows of a staged statement; and such a key's UPDATE is never kept as
 * a copy (indexed on the key's values, where 5 and 5.0 are one). And what a
 * large statement's capture changes for its copy (the merge join that writes
 * it in the key's order) ends with the capture: the rest of the commit's
 * transaction runs with the session's settings.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

describe.each(targetNames())('pairing an UPDATE\'s rows by key on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const counts = async (id: string) =>
    (await q<{ s: string; i: string; u: string; d: string }>(`SELECT hash_scheme::text AS s, inserted::text AS i, updated::text AS u, deleted::text AS d FROM vsg.commits WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE nk (id numeric PRIMARY KEY, v text);
      INSERT INTO nk SELECT g, 'v' || g FROM generate_series(1, 30000) g;
      CREATE TABLE ik (t text, id bigint, v int, PRIMARY KEY (t, id));
      INSERT INTO ik SELECT (ARRAY['a', 'B', 'ä'])[g % 3 + 1], g, g FROM generate_series(1, 12000) g`);
    await repo.track('nk', { author });
    await repo.track('ik', { author });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('records a key that stays equal but prints apart (numeric 5 → 5.0) as a delete and an insert, whichever way the statement is kept; never packs such a key\'s UPDATE', async () => {
    // one row through vsg.pending, 2,000 as a staged statement's change rows, 12,000 as change
    // rows too: a copy is indexed on the key's values, where 10001 and 10001.0 are one
    await repo.sql(`UPDATE nk SET id = id * 1.0 WHERE id = 1`);
    const one = (await repo.commit({ table: 'nk', author })).commit.id;
    const rows = (await repo.commit({ table: 'nk', author, sql: `UPDATE nk SET id = id * 1.0 WHERE id BETWEEN 2 AND 2001` })).commit.id;
    const big = (await repo.commit({ table: 'nk', author, sql: `UPDATE nk SET id = id * 1.0, v = v || '!' WHERE id BETWEEN 10001 AND 22000` })).commit.id;
    expect(await counts(one)).toEqual({ s: '2', i: '1', u: '0', d: '1' });
    expect(await counts(rows)).toEqual({ s: '2', i: '2000', u: '0', d: '2000' });
    expect(await counts(big)).toEqual({ s: '2', i: '12000', u: '0', d: '12000' });
    const kinds = (await repo.show(big, { table: 'nk' })).changes
      .filter((c) => ['10001', '10001.0'].includes(String(c.key.id)))
      .map((c) => `${String(c.key.id)} ${c.old ? 'old' : '-'} ${c.new ? 'new' : '-'}`)
      .sort();
    expect(kinds).toEqual(['10001 old -', '10001.0 - new']);
    // its UPDATE of other columns, too; a large DELETE or INSERT is kept as a copy
    expect(await counts((await repo.commit({ table: 'nk', author, sql: `UPDATE nk SET v = 'w' WHERE id > 15000` })).commit.id)).toEqual({ s: '2', i: '0', u: '15000', d: '0' });
    expect(await counts((await repo.commit({ table: 'nk', author, sql: `DELETE FROM nk WHERE id > 18000` })).commit.id)).toEqual({ s: '3', i: '0', u: '0', d: '12000' });
    expect(await counts((await repo.commit({ table: 'nk', author, sql: `INSERT INTO nk SELECT g + 0.5, 'h' FROM generate_series(1, 11000) g` })).commit.id)).toEqual({ s: '3', i: '11000', u: '0', d: '0' });
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('pairs a key of text and an integer as they are: an update of every row, a changed key a delete and an insert', async () => {
    const upd = (await repo.commit({ table: 'ik', author, sql: `UPDATE ik SET v = -v` })).commit.id;
    expect(await counts(upd)).toEqual({ s: '3', i: '0', u: '12000', d: '0' });
    const moved = (await repo.commit({ table: 'ik', author, sql: `UPDATE ik SET id = id + 100000 WHERE id <= 11000` })).commit.id;
    expect(await counts(moved)).toEqual({ s: '3', i: '11000', u: '0', d: '11000' });
    const at = (await repo.rowsAt({ table: 'ik', at: upd })).rows;
    expect(at.length).toBe(12000);
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('puts back what a large UPDATE\'s capture set for its copy: the commit\'s work goes on with its own settings', async () => {
    const settings = async (w: { query: (s: string) => Promise<{ rows: Record<string, string>[] }> }) =>
      (await w.query(`SELECT current_setting('work_mem') AS m, current_setting('enable_hashjoin') AS h`)).rows[0];
    const seen: Record<string, string>[] = [];
    const made = await repo.commit({ table: 'ik', author }, async (w) => {
      await w.query(`SET LOCAL work_mem = '1234kB'`);
      seen.push(await settings(w));
      await w.query(`UPDATE ik SET v = v + 1`);
      seen.push(await settings(w));
    });
    expect(await counts(made.commit.id)).toEqual({ s: '3', i: '0', u: '12000', d: '0' });
    expect(seen).toEqual([{ m: '1234kB', h: 'on' }, { m: '1234kB', h: 'on' }]);
    // a large INSERT's and DELETE's copies join nothing: the session's settings throughout
    for (const sql of [`INSERT INTO ik SELECT 'n', g, g FROM generate_series(1, 12000) g`, `DELETE FROM ik WHERE t = 'n'`]) {
      const kept = await repo.commit({ table: 'ik', author }, async (w) => {
        await w.query(`SET LOCAL work_mem = '1234kB'`);
        await w.query(sql);
        seen.push(await settings(w));
      });
      expect((await counts(kept.commit.id)).s).toBe('3');
    }
    expect(seen.slice(2)).toEqual([{ m: '1234kB', h: 'on' }, { m: '1234kB', h: 'on' }]);
  });
});
