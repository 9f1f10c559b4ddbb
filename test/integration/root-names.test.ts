/**
 * A root kept as a checkpoint hashed by chunks (hash scheme 3,
 * docs/integrity.md) of tables whose columns bear the names vsg's own SQL
 * gives its aliases and the columns it selects beside the checkpoint's
 * (sql/functions/root_*.sql, sql/forget/check.sql): t, b1, b2, r, k, k_1, i,
 * o, n, c, x, rn, seq, key, chunk, held, after, first_key, img; keyed by
 * (key, t), by rn and by (b2, k). Each is compared with a twin of the same
 * rows whose root stays change rows (scheme 2: a column of a domain of the
 * user's), given the same history: every reader must read the same from
 * both, and the rows must be the ones written. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 180_000 });

const COLUMNS = `key text, t int, b1 text, b2 text, r int, k int, k_1 text, i int, o text, n numeric, c text, x %x, rn int,
  seq bigint, chunk int, held boolean, after text, first_key text, img jsonb`;
/** 2,500 rows (chunks of 1,024, 1,024 and 452), each column's value telling its row */
const fill = (tb: string) => `INSERT INTO ${tb}
  SELECT (ARRAY['a', 'B', 'z'])[g % 3 + 1] || (g / 3)::text, g, 'b1-' || g, 'b2-' || g, -g, 10000 + g, 'k_1-' || g, g * 2, 'o' || g,
         g / 8.0, CASE WHEN g % 13 = 0 THEN NULL ELSE 'c' || g END, g % 7, 100000 + g, g::bigint * 1000000000, g / 1024, g % 2 = 0,
         'after-' || g, 'first-' || g, jsonb_build_object('g', g)
  FROM generate_series(1, 2500) g`;
const STEPS = [
  `UPDATE %t SET o = o || '!', chunk = chunk + 1 WHERE t % 100 = 0`,
  `DELETE FROM %t WHERE t % 250 = 1`,
  `INSERT INTO %t (key, t, k, rn, b2, o, x, seq) SELECT 'new' || g, g, 10000 + g, 100000 + g, 'b2-' || g, 'late', 0, g FROM generate_series(5001, 5005) g`,
];

/** The tables: packed and its twin (change rows), by key. */
const KEYS = [
  { packed: 'two_p', rows: 'two_r', pk: 'key, t' },
  { packed: 'one_p', rows: 'one_r', pk: 'rn' },
  { packed: 'pair_p', rows: 'pair_r', pk: 'b2, k' },
] as const;

/** The key of row g of a table keyed by `pk`, as the library takes it. */
const keyOf = (pk: string, g: number) => {
  const of: Record<string, string | number> = { key: `${['a', 'B', 'z'][g % 3]}${Math.floor(g / 3)}`, t: g, rn: 100000 + g, b2: `b2-${g}`, k: 10000 + g };
  return JSON.stringify(Object.fromEntries(pk.split(', ').map((c) => [c, of[c]])));
};

/** A result with what differs between the twins by construction taken out: ids, hashes, table ids and names, times. */
function norm(x: unknown, ...names: string[]): string {
  let s = JSON.stringify(x)
    .replace(/"committedAt":"[^"]*"/g, '"committedAt":"T"')
    .replace(/"tableId":\d+/g, '"tableId":0')
    .replace(/[0-9a-f]{64}|[0-9a-f]{32}/g, 'H')
    .replace(/"(shortId|head)":"[0-9a-f]+"/g, '"$1":"H"')
    .replace(/Check out [0-9a-f]{7}/g, 'Check out H')
    .replaceAll('"xint"', '"integer"');
  for (const n of names) s = s.replaceAll(n, 'T');
  return s;
}

describe.each(targetNames())('a packed root whose columns bear the names of vsg\'s aliases on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  const root: Record<string, { id: string; seq: string; tableId: number }> = {};
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const problems = async () => (await repo.verify()).problems.map((p) => `${p.code} ${p.commit}`);
  /** the live rows, every column as text, in key order */
  const live = (tb: string) => q(`SELECT to_jsonb(x)::text AS row FROM (SELECT key, t, b1, b2, r, k, k_1, i, o, n, c, x::int, rn, seq, chunk, held, after, first_key, img FROM ${tb}) x ORDER BY t`);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE DOMAIN xint AS int');
    for (const k of KEYS) {
      await repo.sql(`CREATE TABLE ${k.packed} (${COLUMNS.replace('%x', 'int')}, PRIMARY KEY (${k.pk}));
        CREATE TABLE ${k.rows} (${COLUMNS.replace('%x', 'xint')}, PRIMARY KEY (${k.pk}))`);
      for (const tb of [k.packed, k.rows]) {
        await repo.sql(fill(tb));
        await repo.sql(`CREATE TABLE ${tb}_was AS SELECT * FROM ${tb}`);
        const made = (await repo.track(tb, { author })).root;
        const seq = (await q<{ seq: string }>('SELECT seq::text FROM vsg.commits WHERE id = $1', [made.id]))[0].seq;
        root[tb] = { id: made.id, seq, tableId: (await repo.tables()).find((x) => x.name === tb)!.id };
      }
    }
    for (const step of STEPS) {
      for (const k of KEYS) for (const tb of [k.packed, k.rows]) await repo.commit({ table: tb, author, sql: step.replaceAll('%t', tb) });
    }
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('tracks each table of 2,500 rows as a checkpoint in three chunks; its twin as change rows', async () => {
    for (const k of KEYS) {
      const c = await q<Record<string, string>>(
        `SELECT c.hash_scheme::text AS scheme, c.inserted::text AS inserted,
                (SELECT string_agg(rc.chunk || ':' || rc.rows, ' ' ORDER BY rc.chunk) FROM vsg.root_chunks rc WHERE rc.seq = c.seq) AS chunks
         FROM vsg.commits c WHERE c.id = ANY($1) ORDER BY c.seq`,
        [[root[k.packed].id, root[k.rows].id]],
      );
      expect(c).toEqual([
        { scheme: '3', inserted: '2500', chunks: '0:1024 1:1024 2:452' },
        { scheme: '2', inserted: '2500', chunks: null },
      ]);
    }
    expect(await problems()).toEqual([]);
  });

  it('reads the root\'s rows, a row\'s log and one key\'s blame as the twin does, with the values written', async () => {
    for (const k of KEYS) {
      const both = async (read: (tb: string) => Promise<unknown>) => {
        const a = norm(await read(k.packed), k.packed, k.rows);
        expect(a).toBe(norm(await read(k.rows), k.packed, k.rows));
        return a;
      };
      const rootRows = await q<{ key: string; after: string }>(
        `SELECT key::text, after::text FROM vsg.commit_rows($1) ORDER BY key::text COLLATE "C"`,
        [root[k.packed].seq],
      );
      expect(rootRows).toHaveLength(2500);
      const row700 = rootRows.map((r) => JSON.parse(r.after) as Record<string, string | null>).find((r) => r.t === '700')!;
      expect(row700).toEqual({
        key: 'B233', t: '700', b1: 'b1-700', b2: 'b2-700', r: '-700', k: '10700', k_1: 'k_1-700', i: '1400', o: 'o700', n: '87.5000000000000000',
        c: 'c700', x: '0', rn: '100700', seq: '700000000000', chunk: '0', held: 'true', after: 'after-700', first_key: 'first-700', img: '{"g": 700}',
      });
      await both((tb) => repo.show(root[tb].id, { table: tb }));
      await both((tb) => repo.rowsAt({ table: tb, at: root[tb].id }));
      // a row updated (its cell o set by the UPDATE, the others by the root), one deleted, one never changed
      const log = await repo.rowLog({ table: k.packed, key: keyOf(k.pk, 700) });
      expect(log.entries.map((e) => [e.commit.kind, e.before?.o ?? null, e.after?.o ?? null])).toEqual([
        ['COMMIT', 'o700', 'o700!'],
        ['ROOT', null, 'o700'],
      ]);
      expect(log.entries[1].after).toEqual(row700);
      const blame = await repo.blame({ table: k.packed, key: keyOf(k.pk, 700) });
      const cells = Object.fromEntries(blame.rows[0].cells.map((cell) => [cell.column, blame.commits[cell.commit!].kind]));
      expect(cells).toMatchObject({ o: 'COMMIT', chunk: 'COMMIT', key: 'ROOT', t: 'ROOT', k: 'ROOT', after: 'ROOT', seq: 'ROOT' });
      for (const g of [700, 751, 5]) {
        expect(await both((tb) => repo.rowLog({ table: tb, key: keyOf(k.pk, g) }))).toContain('"entries":[{');
        await both((tb) => repo.blame({ table: tb, key: keyOf(k.pk, g) }).catch((e: { code: string }) => e.code));
      }
    }
  });

  it('diffs the root against HEAD to the rows the commits changed, as the twin', async () => {
    for (const k of KEYS) {
      const d = await repo.diff({ table: k.packed, from: root[k.packed].id, to: 'HEAD' });
      // 25 rows updated, 10 deleted, 5 inserted
      expect(d.stat).toMatchObject({ inserted: 5, updated: 25, deleted: 10 });
      const upd = d.changes.find((ch) => ch.new?.t === '700')!;
      expect([upd.old?.o, upd.new?.o, upd.old?.chunk, upd.new?.chunk]).toEqual(['o700', 'o700!', '0', '1']);
      expect(d.changes.find((ch) => ch.old?.t === '751')).toMatchObject({ new: null, old: { key: 'B250', after: 'after-751' } });
      expect(norm(d, k.packed, k.rows)).toBe(norm(await repo.diff({ table: k.rows, from: root[k.rows].id, to: 'HEAD' }), k.packed, k.rows));
      expect(norm(await repo.diff({ table: k.packed, from: 'HEAD', to: root[k.packed].id }), k.packed, k.rows)).toBe(
        norm(await repo.diff({ table: k.rows, from: 'HEAD', to: root[k.rows].id }), k.packed, k.rows),
      );
    }
  });

  it('checks the root out from its checkpoint and by its rows, to exactly the rows tracked, as the twin', async () => {
    for (const k of KEYS) {
      const was = await live(`${k.packed}_was`);
      expect(was).toHaveLength(2500);
      const out = await repo.checkout({ table: k.packed, ref: root[k.packed].id, author, reload: 'always' });
      expect(out.reload?.checkpoint).toBe(root[k.packed].id);
      expect((await repo.checkout({ table: k.rows, ref: root[k.rows].id, author, reload: 'always' })).reload).not.toBeNull();
      expect(await live(k.packed)).toEqual(was);
      expect(await live(k.rows)).toEqual(was);
      for (const tb of [k.packed, k.rows]) await repo.checkout({ table: tb, ref: 'HEAD~1', author, reload: 'never' });
      const back = await repo.checkout({ table: k.packed, ref: root[k.packed].id, author, reload: 'never' });
      expect(back.reload).toBeNull();
      expect(back.applied).toEqual({ inserted: 10, updated: 25, deleted: 5 });
      expect((await repo.checkout({ table: k.rows, ref: root[k.rows].id, author, reload: 'never' })).applied).toEqual(back.applied);
      expect(await live(k.packed)).toEqual(was);
      for (const tb of [k.packed, k.rows]) await repo.checkout({ table: tb, ref: 'HEAD~3', author });
      expect(await live(k.packed)).toEqual(await live(k.rows));
    }
    expect(await problems()).toEqual([]);
  });

  it('forgets one key by unpacking its chunk alone: its values gone, its chunk-mates read as before, verify passes', async () => {
    for (const k of KEYS) {
      const key = keyOf(k.pk, 700);
      const mate = keyOf(k.pk, 703);
      const mateBefore = norm(await repo.rowLog({ table: k.packed, key: mate }));
      const rel = `vsg.root_${root[k.packed].tableId}`;
      const r = await repo.forget({ table: k.packed, keys: [key], message: 'erasure', author });
      const twin = await repo.forget({ table: k.rows, keys: [key], message: 'erasure', author });
      expect(r.entry).toMatchObject({ keys: 1 });
      expect(r.entry.rows).toBeGreaterThan(0);
      expect(r.entry).toMatchObject({ keys: twin.entry.keys, rows: twin.entry.rows, cells: twin.entry.cells });
      const unpacked = await q<{ chunk: string; rows: string; keys: string }>(
        `SELECT chunk::text, rows::text, jsonb_array_length(keys)::text AS keys FROM vsg.root_chunks WHERE seq = $1 AND salt IS NULL ORDER BY chunk`,
        [root[k.packed].seq],
      );
      expect(unpacked).toHaveLength(1);
      expect(unpacked[0].keys).toBe(unpacked[0].rows);
      expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel}`))[0].n).toBe(String(2500 - Number(unpacked[0].rows)));
      expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.changes WHERE seq = $1`, [root[k.packed].seq]))[0].n).toBe(unpacked[0].rows);
      // the key's values are nowhere in its history (its key columns aside); its chunk-mate's history is what it was
      const log = await repo.rowLog({ table: k.packed, key });
      const values = log.entries.flatMap((e) => [e.before, e.after]).filter((img) => img !== null).flatMap((img) => Object.entries(img!));
      expect(values.filter(([col, v]) => !k.pk.split(', ').includes(col) && v !== null)).toEqual([]);
      expect(norm(log, k.packed, k.rows)).toBe(norm(await repo.rowLog({ table: k.rows, key }), k.packed, k.rows));
      expect(norm(await repo.rowLog({ table: k.packed, key: mate }))).toBe(mateBefore);
      expect(norm(await repo.show(root[k.packed].id, { table: k.packed }), k.packed, k.rows)).toBe(
        norm(await repo.show(root[k.rows].id, { table: k.rows }), k.packed, k.rows),
      );
    }
    expect(await problems()).toEqual([]);
  });

  it('forgets by a predicate over those columns, each name its own column\'s', async () => {
    for (const k of KEYS) {
      const where = `key = 'B235' AND t = 706 AND k = 10706 AND i = 1412 AND r = -706 AND after = 'after-706' AND img = '{"g": 706}' AND chunk = 0 AND seq = 706000000000`;
      const r = await repo.forget({ table: k.packed, where, message: 'erasure', author });
      expect(r.entry).toMatchObject({ keys: 1 });
      const entries = (await repo.rowLog({ table: k.packed, key: keyOf(k.pk, 706) })).entries;
      expect(entries.map((e) => e.commit.kind).at(-1)).toBe('ROOT');
      expect(entries.filter((e) => e.after !== null && e.after.o !== null)).toEqual([]);
      expect((await repo.rowLog({ table: k.packed, key: keyOf(k.pk, 703) })).entries[0].after?.o).toBe('o703');
    }
    expect(await problems()).toEqual([]);
  });
});
