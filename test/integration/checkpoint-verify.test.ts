/**
 * `vsg verify --checkpoints` (docs/integrity.md): each checkpoint that a
 * reload reads (a copy of the table at a commit, taken after a commit that
 * changed at least half of it) is compared with the rows its history gives
 * that commit. A history built to hold every case where the two may rightly
 * disagree in text (a column's type changed, by typmod and by USING; a column
 * added with a default, renamed, dropped; a key forgotten before a checkpoint
 * was taken; a checkout to an older state; a prune) verifies clean, and every
 * edit of a copy is named: a value, a row deleted, a row added.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository, VerifyResult } from '../../src/index.js';
import { makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

describe.each(targetNames())('verify --checkpoints on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  /** the caches a reload may read (not the root's copy, which is history), oldest first */
  const caches = async () =>
    (await q<{ relname: string; commit_id: string }>(`SELECT k.relname, k.commit_id FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id WHERE k.root IS NULL AND to_regclass('vsg.' || k.relname) IS NOT NULL ORDER BY c.seq`));
  const checked = async (): Promise<VerifyResult> => repo.verify({ checkpoints: true });
  const commit = async (sql: string) => (await repo.commit({ table: 't', author, sql })).commit;
  /** the commit that took the first checkpoint */
  let first: string;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE t (id int PRIMARY KEY, v text, n numeric(8,2), s text, gone text);
      INSERT INTO t SELECT g, 'v' || g, g / 3.0, 'x' || g, 'g' || g FROM generate_series(1, 2000) g`);
    await repo.track('t', { author });
    // every column change whose rows history does not rewrite: their images keep the text of before
    await commit(`ALTER TABLE t ALTER COLUMN n TYPE numeric(10,3)`);
    await commit(`ALTER TABLE t ALTER COLUMN s TYPE int USING length(s)`);
    await commit(`ALTER TABLE t ADD COLUMN w text DEFAULT 'd'`);
    await commit(`ALTER TABLE t RENAME COLUMN v TO vv`);
    await commit(`ALTER TABLE t DROP COLUMN gone`);
    first = (await commit(`UPDATE t SET vv = vv || '!' WHERE id > 990`)).id;
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('passes a checkpoint taken after columns changed type (by typmod and USING), were added, renamed and dropped', async () => {
    // (each type change rewrote every row: its commit took a checkpoint too)
    expect((await caches()).length).toBe(3);
    const r = await checked();
    expect({ ok: r.ok, checkpoints: r.checkpoints, problems: r.problems }).toEqual({ ok: true, checkpoints: 3, problems: [] });
    // without the option nothing is compared, and the count says so
    expect((await repo.verify()).checkpoints).toBeUndefined();
  });

  it('passes over a checkpoint of a table whose key column changed type (keys are matched by their text)', async () => {
    await repo.sql(`CREATE TABLE u (id numeric(6,0) PRIMARY KEY, v text); INSERT INTO u SELECT g, 'v' || g FROM generate_series(1, 1500) g`);
    await repo.track('u', { author });
    await repo.commit({ table: 'u', author, sql: `ALTER TABLE u ALTER COLUMN id TYPE numeric(8,0)` });
    await repo.commit({ table: 'u', author, sql: `UPDATE u SET v = v || '!'` });
    const cache = (await q<{ relname: string }>(`SELECT k.relname FROM vsg.checkpoints k JOIN vsg.tracked t ON t.id = k.table_id WHERE t.table_name = 'u' AND k.root IS NULL`))[0].relname;
    expect((await q<{ ty: string }>(`SELECT format_type(atttypid, atttypmod) AS ty FROM pg_attribute WHERE attrelid = 'vsg.${cache}'::regclass AND attname = 'id'`))[0].ty).toBe('numeric(8,0)');
    // (a change that reads the keys otherwise is refused; a history made by a release that allowed it may hold
    // keys printed anew, '7.00' against history's '7', where every row would differ)
    const r = await repo.verify({ checkpoints: true, table: 'u' });
    expect({ ok: r.ok, checkpoints: r.checkpoints, problems: r.problems }).toEqual({ ok: true, checkpoints: 0, problems: [] });
    await repo.untrack('u', { author, force: true });
  });

  it('passes a checkpoint taken after a key was forgotten, after a checkout, and after a prune', async () => {
    await repo.forget({ table: 't', keys: ['995'], message: 'erase', author });
    expect(await caches()).toEqual([]); // forget drops the table's checkpoints
    await commit(`UPDATE t SET n = n + 1 WHERE id > 900`);
    const afterForget = (await caches()).length;
    expect(afterForget).toBe(1);
    await commit(`DELETE FROM t WHERE id > 1900`);
    await repo.checkout({ table: 't', ref: first, author });
    await commit(`UPDATE t SET w = 'z' WHERE id <= 1500`);
    // (the checkout rewrote over half of the table too: a checkpoint of a state commit)
    const n = (await caches()).length;
    expect(n).toBe(3);
    let r = await checked();
    expect({ ok: r.ok, checkpoints: r.checkpoints, problems: r.problems }).toEqual({ ok: true, checkpoints: n, problems: [] });
    await repo.prune({ before: 'HEAD~1', author });
    await commit(`UPDATE t SET w = 'q'`);
    r = await checked();
    expect({ ok: r.ok, problems: r.problems }).toEqual({ ok: true, problems: [] });
    expect(r.checkpoints).toBe((await caches()).length);
    expect(r.checkpoints).toBeGreaterThan(0);
  });

  it('names a value edited in a copy, a row deleted from it and a row added, with both images; a dropped copy is passed over', async () => {
    const [k] = (await caches()).slice(-1);
    const rows = (await q<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.${k.relname}`))[0].n;
    const image = async (id: number) => (await q<{ i: string }>(`SELECT jsonb_build_object('id', id::text, 'vv', vv, 'n', n::text, 's', s::text, 'w', w)::text AS i FROM vsg.${k.relname} WHERE id = $1`, [id]))[0].i;
    const good = await image(500);
    // the copy as it was made (verify passed above): what a reload of its commit must give
    await q(`CREATE TABLE snap AS SELECT * FROM vsg.${k.relname}`);
    const differs = async () =>
      Number((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ((TABLE t EXCEPT ALL TABLE snap) UNION ALL (TABLE snap EXCEPT ALL TABLE t)) x`))[0].n);
    const only = async () => {
      const r = await checked();
      expect(r.ok).toBe(false);
      expect(r.firstBad).toBeNull(); // history itself is intact
      expect(r.problems.map((p) => [p.code, p.table, p.commit])).toEqual([['checkpoint_rows', 't', k.commit_id]]);
      return r.problems[0];
    };

    await q(`UPDATE vsg.${k.relname} SET vv = 'edited' WHERE id = 500`);
    let p = await only();
    expect(p.expected).toBe(`{"id": "500"} ${good}`);
    expect(p.actual).toBe(`{"id": "500"} ${await image(500)} in vsg.${k.relname} (rows that differ: 1 of ${rows})`);
    expect(p.actual).toContain('"vv": "edited"');
    await q(`UPDATE vsg.${k.relname} SET vv = $1 WHERE id = 500`, [JSON.parse(good).vv]);
    expect((await checked()).ok).toBe(true);

    await q(`DELETE FROM vsg.${k.relname} WHERE id IN (7, 8)`);
    p = await only();
    expect(p.expected).toMatch(/^\{"id": "7"\} \{.*"vv": "v7"/);
    expect(p.actual).toBe(`{"id": "7"} (no row) in vsg.${k.relname} (rows that differ: 2 of ${rows})`);
    await q(`INSERT INTO vsg.${k.relname} SELECT * FROM snap WHERE id IN (7, 8)`);
    expect((await checked()).ok).toBe(true);

    await q(`INSERT INTO vsg.${k.relname} (id, vv, n, s, w) VALUES (99999, 'added', 1, 1, 'q')`);
    p = await only();
    expect(p.expected).toBe(`{"id": "99999"} (no row)`);
    expect(p.actual).toMatch(/^\{"id": "99999"\} \{.*"vv": "added".*\} in vsg\./);

    // the remedy the message gives: drop the copy; verify and reloads pass over it
    const count = (await caches()).length;
    await q(`DROP TABLE vsg.${k.relname}`);
    const r = await checked();
    expect({ ok: r.ok, checkpoints: r.checkpoints }).toEqual({ ok: true, checkpoints: count - 1 });
    const parent = (await repo.show(k.commit_id, { table: 't' })).commit.parents[0];
    await repo.checkout({ table: 't', ref: parent, author, reload: 'always' });
    await repo.checkout({ table: 't', ref: k.commit_id, author, reload: 'always' });
    expect(await differs()).toBe(0);
  });

  it('the command: exit 1 with the problem, its images and the copy named; plain verify does not read the copies', async () => {
    const [k] = (await caches()).slice(-1);
    await q(`UPDATE vsg.${k.relname} SET vv = 'edited' WHERE id = 600`);
    await repo.close(); // (the embedded database takes one process at a time)
    const text = await vsg(t, ['verify', '--checkpoints']);
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^verify failed 1 table: \d+ commits, \d+ change rows, \d+ refs?, \d+ checkpoints?: 1 problem$/);
    expect(lines[1]).toBe(`  checkpoint_rows: commit ${k.commit_id.slice(0, 12)} (t): the checkpoint of this commit, the copy of the table that checkout, restore and time travel reload from, does not hold the rows its history gives the commit (the first differing row is shown): a reload would write them; drop the copy (DROP TABLE, named below) and reloads pass over it`);
    expect(lines[2]).toMatch(/^ {4}expected: {3}\{"id": "600"\} \{.*"vv": "v600"\}$/);
    expect(lines[3]).toMatch(new RegExp(`^ {4}found: {6}\\{"id": "600"\\} \\{.*"vv": "edited".*\\} in vsg\\.${k.relname} \\(rows that differ: 1 of \\d+\\)$`));
    const json = JSON.parse((await vsg(t, ['verify', '--checkpoints', '--json'])).stdout) as VerifyResult;
    expect([json.ok, json.problems.map((p) => p.code)]).toEqual([false, ['checkpoint_rows']]);
    const plain = await vsg(t, ['verify']);
    expect([plain.code, plain.stdout]).toEqual([0, expect.stringMatching(/^ok 1 table: \d+ commits, \d+ change rows, \d+ refs?\n$/)]);
    repo = await t.open();
  });
});
