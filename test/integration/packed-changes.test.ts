/**
 * A large UPDATE or DELETE of a commit's SQL kept as a copy hashed by chunks
 * (hash scheme 3, docs/integrity.md "A large statement kept as a copy"): each
 * row after the change, its kind and its values before, in their own types.
 * Two twin tables hold the same rows and get the same history; one has a
 * column of a domain of the user's, which keeps its commits as change rows
 * (scheme 2), with the same images. Every reader must read the same history
 * from both, checkouts and a rollback must leave the same rows, and verify
 * must pass and catch an edited copy. The copy is edited and put back first,
 * while the history is short (each verify reads all of it), so the readers
 * after it also read a copy whose rows are no longer in key order on disk.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { sameForTwins } from '../helpers/twins.js';

vi.setConfig({ testTimeout: 300_000 });

const PACKED = 'twin_p';
const ROWS = 'twin_r';
const shape = (bal: string) => `(k text, n int, name text, bal ${bal}, at timestamptz, f float8, j jsonb, PRIMARY KEY (k, n))`;
/** 12,000 rows: statements of 10,000 rows or more are kept packed */
const fill = (t: string) => `INSERT INTO ${t}
  SELECT (ARRAY['a', 'B', 'ä'])[g % 3 + 1] || (g / 7)::text, g, CASE WHEN g % 11 = 0 THEN NULL ELSE 'name ' || g END,
         g / 100.0, '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 minute', CASE WHEN g % 97 = 0 THEN 'NaN'::float8 ELSE g / 3.0 END,
         jsonb_build_object('g', g)
  FROM generate_series(1, 12000) g`;
/** the same history on both twins: each statement 10,000 rows or more */
const STEPS = [
  // rows whose every column is set to what it was (n a multiple of 110: bal kept, name NULL) are no change
  `UPDATE %t SET bal = CASE WHEN n % 10 = 0 THEN bal ELSE bal + 1 END, name = upper(name) WHERE n <= 11000`,
  // keys changed: a delete of the old key and an insert of the new one
  `UPDATE %t SET n = n + 100000 WHERE n > 1000`,
  `DELETE FROM %t WHERE n > 101500`,
  `UPDATE %t SET j = NULL, f = 0`,
];

const norm = (x: unknown): string => sameForTwins(x, [PACKED, ROWS]);

describe.each(targetNames())('a large UPDATE or DELETE kept as a copy on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const made: Record<string, { id: string; seq: string }[]> = { [PACKED]: [], [ROWS]: [] };
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const problems = async () => (await repo.verify()).problems.map((p) => p.code);
  const live = async (tb: string) => q(`SELECT k, n, name, bal::text, at::text, f::text, j::text FROM ${tb} ORDER BY k COLLATE "C", n`);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE DOMAIN bal_d AS numeric(12,2); CREATE TABLE ${PACKED} ${shape('numeric(12,2)')}; CREATE TABLE ${ROWS} ${shape('bal_d')}`);
    for (const tb of [PACKED, ROWS]) {
      await repo.sql(fill(tb));
      await repo.track(tb, { author });
    }
    for (const step of STEPS) {
      for (const tb of [PACKED, ROWS]) {
        const c = (await repo.commit({ table: tb, author, sql: step.replaceAll('%t', tb) })).commit;
        made[tb].push({ id: c.id, seq: (await q<{ seq: string }>('SELECT seq::text FROM vsg.commits WHERE id = $1', [c.id]))[0].seq });
      }
    }
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('keeps each statement as a copy with chunks, no change row, and the twin with a type of the user\'s as change rows', async () => {
    const of = async (tb: string) =>
      q<Record<string, string>>(
        `SELECT c.hash_scheme::text AS scheme, c.inserted || '/' || c.updated || '/' || c.deleted AS counts,
                (SELECT count(*) FROM vsg.changes ch WHERE ch.seq = c.seq)::text AS change_rows,
                (SELECT sum(rc.rows) FROM vsg.root_chunks rc WHERE rc.seq = c.seq)::text AS chunked,
                CASE WHEN to_regclass('vsg.packed_' || c.seq) IS NOT NULL THEN 'copy' ELSE 'none' END AS copy
         FROM vsg.commits c WHERE c.id = ANY($1) ORDER BY c.seq`,
        [made[tb].map((m) => m.id)],
      );
    // 11,000 rows updated, 100 of them to what they were; 11,000 keys changed; 10,500 deleted; 1,500 updated
    const counts = ['0/10900/0', '11000/0/11000', '0/0/10500', '0/1500/0'];
    const packed = await of(PACKED);
    expect(packed.map((c) => c.counts)).toEqual(counts);
    expect(packed.slice(0, 3).map((c) => [c.scheme, c.change_rows, c.copy, c.chunked])).toEqual([
      ['3', '0', 'copy', '10900'],
      ['3', '0', 'copy', '22000'],
      ['3', '0', 'copy', '10500'],
    ]);
    // the last statement touched 1,500 rows: fewer than 10,000, change rows as any
    expect([packed[3].scheme, packed[3].change_rows, packed[3].copy]).toEqual(['2', '1500', 'none']);
    expect((await of(ROWS)).map((c) => [c.scheme, c.counts, c.copy])).toEqual(counts.map((n) => ['2', n, 'none']));
    expect(await q(`SELECT relname FROM pg_class WHERE relnamespace = 'vsg'::regnamespace AND relname LIKE 'packing%'`)).toEqual([]);
  });

  it('verify catches an edited row of the copy, and a copy gone', async () => {
    const rel = `vsg.packed_${made[PACKED][0].seq}`;
    await repo.sql(`UPDATE ${rel} SET "vsg:b1" = 'evil' WHERE n = 5`);
    expect((await repo.verify()).problems.map((p) => [p.code, p.commit === made[PACKED][0].id])).toEqual([['chunk_hash', true]]);
    await repo.sql(`UPDATE ${rel} SET "vsg:b1" = 'name 5' WHERE n = 5`);
    expect(await problems()).toEqual([]);
    await repo.sql(`ALTER TABLE ${rel} RENAME TO gone`);
    expect(await problems()).toContain('root_checkpoint');
    await expect(repo.show(made[PACKED][0].id, { table: PACKED })).rejects.toThrow(/copy holding the rows of commit/);
    await repo.sql(`ALTER TABLE vsg.gone RENAME TO ${rel.slice(4)}`);
    expect(await problems()).toEqual([]);
  });

  it('gives every reader the same history as the twin kept as change rows', async () => {
    for (let i = 0; i < STEPS.length; i++) {
      const rows = async (tb: string) =>
        q<{ key: string; before: string | null; after: string | null }>(
          `SELECT key::text, before::text, after::text FROM vsg.commit_rows($1) ORDER BY key::text COLLATE "C"`,
          [made[tb][i].seq],
        );
      const a = await rows(PACKED);
      expect(a.length).toBeGreaterThan(1000);
      expect(a).toEqual(await rows(ROWS));
    }
    const both = async (read: (tb: string) => Promise<unknown>) => {
      const a = norm(await read(PACKED));
      expect(a).toBe(norm(await read(ROWS)));
      return a;
    };
    for (let i = 0; i < STEPS.length; i++) {
      expect(await both((tb) => repo.show(made[tb][i].id, { table: tb }))).toContain(`"kind":"COMMIT"`);
    }
    await both((tb) => repo.diff({ table: tb, from: 'HEAD~4', to: 'HEAD' }));
    await both((tb) => repo.diff({ table: tb, from: 'HEAD', to: 'HEAD~3' }));
    await both((tb) => repo.rowsAt({ table: tb, at: 'HEAD~2' }));
    await both((tb) => repo.blame({ table: tb }));
    // a key updated and never moved, one moved (its old and its new key), one moved then deleted, one set to what it was
    for (const key of ['{"k":"B1","n":10}', '{"k":"a214","n":1500}', '{"k":"a214","n":101500}', '{"k":"B1428","n":10000}', '{"k":"B1428","n":110000}', '{"k":"a0","n":3}', '{"k":"ä15","n":110}']) {
      expect(await both((tb) => repo.rowLog({ table: tb, key }))).toContain('"entries":[{');
    }
  });

  it('checks out each commit and rolls one back to exactly the twin\'s rows', async () => {
    // before the first, then each commit's state
    for (const at of [-1, 0, 1, 2, 3]) {
      for (const tb of [PACKED, ROWS]) await repo.checkout({ table: tb, ref: at < 0 ? `${made[tb][0].id}~1` : made[tb][at].id, author });
      const rows = await live(PACKED);
      expect(rows.length).toBe([12000, 12000, 12000, 1500, 1500][at + 1]);
      expect(rows).toEqual(await live(ROWS));
    }
    // the keys moved back, over the later changes to them
    for (const tb of [PACKED, ROWS]) await repo.rollback({ table: tb, ref: made[tb][1].id, author, force: true });
    const after = await live(PACKED);
    expect(after.length).toBeGreaterThan(10000);
    expect(after).toEqual(await live(ROWS));
    expect(await problems()).toEqual([]);
  });

  it('forget of a key that an UPDATE kept as a copy changed unpacks its chunk: the values leave the copy, both images are blanked, verify passes', async () => {
    const rel = `vsg.packed_${made[PACKED][0].seq}`;
    // a row the first step changed, whose key the second moved: in three commits' copies
    const held = async () => Number((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel} WHERE k = 'B1' AND n = 10`))[0].n);
    expect(await held()).toBe(1);
    await repo.forget({ table: PACKED, where: `name = 'NAME 10' OR name = 'name 10'`, columns: ['name'], message: 'erasure', author });
    expect(await held()).toBe(0);
    const hist = JSON.stringify(await repo.rowLog({ table: PACKED, key: '{"k":"B1","n":10}' }));
    expect(hist).toContain('"entries":[{');
    expect(hist).not.toMatch(/name 10|NAME 10/);
    const unpacked = await q<{ before: string; after: string; forgotten: string }>(
      `SELECT before::text, after::text, forgotten::text FROM vsg.changes WHERE seq = $1 AND key = '{"k": "B1", "n": "10"}'`,
      [made[PACKED][0].seq],
    );
    expect(unpacked).toHaveLength(1);
    expect(unpacked[0].forgotten).toBe('{name}');
    expect(unpacked[0].before).toContain('"bal": "0.10"');
    expect(unpacked[0].after).toContain('"bal": "0.10"');
    expect(await problems()).toEqual([]);
  });
});
