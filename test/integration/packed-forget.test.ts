/**
 * `vsg forget` of rows held by a commit kept packed that is not a root: a
 * commit whose SQL inserted 10,000 rows or more in one statement keeps them
 * as a copy hashed by chunks (hash scheme 3, vsg.packed_<seq>), as a root kept
 * as a checkpoint is (docs/integrity.md). Forget must reach the rows there as
 * it reaches a root's: unpack the chunk holding a key, blank it, seal it into
 * the FORGET entry, vacuum the copy; verify must pass and catch tampering;
 * prune and untrack with force must drop the copy.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 180_000 });

const sha = (...p: Buffer[]) => createHash('sha256').update(Buffer.concat(p)).digest();
const int4 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/**
 * items: a root of 1,500 rows kept as a checkpoint (ids 1 to 1,500, chunks of
 * 1,024 and 476), a packed INSERT of 12,000 rows (ids 10,001 to 22,000: chunk
 * n from id 10,001 + 1,024·n, the last of 736), then an UPDATE of a key of each.
 */
describe.each(targetNames())('forget of a commit kept packed on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  let root: { id: string; seq: string };
  let packed: { id: string; seq: string };
  let tableId: number;
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const one = async (text: string, params: unknown[] = []) => (await q<{ v: string | null }>(text, params))[0].v;
  const copy = () => `vsg.packed_${packed.seq}`;
  const problems = async () => (await repo.verify()).problems.map((p) => [p.code, p.commit ?? null]);
  const forget = (keys: string[]) => repo.forget({ table: 'items', keys, message: 'erasure', author });
  const unpacked = async (seq: string) =>
    (await q<{ n: string }>(`SELECT chunk::text AS n FROM vsg.root_chunks WHERE seq = $1 AND salt IS NULL ORDER BY chunk`, [seq])).map((c) => Number(c.n));
  const seal = async (seq: string, chunk: number) =>
    Buffer.from((await one(`SELECT encode(seal, 'hex') AS v FROM vsg.root_chunks WHERE seq = $1 AND chunk = $2`, [seq, chunk]))!, 'hex');
  const entrySeal = async (seq: number) => one(`SELECT encode(seal, 'hex') AS v FROM vsg.forgets WHERE seq = $1`, [seq]);
  /** Whether a value is anywhere vsg keeps rows of the table: its change rows, the root's checkpoint, the packed copy. */
  const held = async (value: string) =>
    one(`SELECT ((SELECT count(*) FROM vsg.changes WHERE table_id = $1 AND (coalesce(before::text, '') || coalesce(after::text, '')) LIKE $2)
                 + (SELECT count(*) FROM vsg.root_${tableId} WHERE name = $3)
                 + (SELECT count(*) FROM ${copy()} WHERE name = $3))::text AS v`, [tableId, `%"${value}"%`, value]);
  /** Everything a refused forget must leave as it was: change rows, FORGET entries, chunks, the copies. */
  const snapshot = async () =>
    one(`SELECT md5(coalesce((SELECT string_agg(x::text, ',' ORDER BY x.seq, x.key::text) FROM vsg.changes x), '')
           || (SELECT count(*) FROM vsg.forgets) || (SELECT string_agg(rc::text, ',' ORDER BY seq, chunk) FROM vsg.root_chunks rc)
           || (SELECT count(*) FROM vsg.root_${tableId}) || (SELECT count(*) FROM ${copy()})) AS v`);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE items (id bigint PRIMARY KEY, name text, v int); INSERT INTO items SELECT g, 'root ' || g, g FROM generate_series(1, 1500) g`);
    const made = (await repo.track('items', { author })).root;
    tableId = (await repo.tables()).find((x) => x.name === 'items')!.id;
    const p = (await repo.commit({ table: 'items', author, sql: `INSERT INTO items SELECT g, 'packed ' || g, g FROM generate_series(10001, 22000) g` })).commit;
    await repo.commit({ table: 'items', author, sql: 'UPDATE items SET v = v + 1 WHERE id IN (7, 15000)' });
    const seqOf = async (id: string) => (await one('SELECT seq::text AS v FROM vsg.commits WHERE id = $1', [id]))!;
    root = { id: made.id, seq: await seqOf(made.id) };
    packed = { id: p.id, seq: await seqOf(p.id) };
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('keeps the 12,000-row INSERT packed: hash scheme 3, its rows in vsg.packed_<seq>, no change row', async () => {
    const c = await q<Record<string, string | null>>(
      `SELECT c.hash_scheme::text AS scheme, c.kind, c.inserted::text AS inserted, to_regclass($2)::text AS copy,
              (SELECT count(*) FROM vsg.changes ch WHERE ch.seq = c.seq)::text AS change_rows,
              (SELECT count(*) || ' ' || sum(rc.rows) FROM vsg.root_chunks rc WHERE rc.seq = c.seq) AS chunks
       FROM vsg.commits c WHERE c.id = $1`,
      [packed.id, copy()],
    );
    expect(c).toEqual([{ scheme: '3', kind: 'COMMIT', inserted: '12000', copy: copy(), change_rows: '0', chunks: '12 12000' }]);
    expect(await one(`SELECT hash_scheme::text AS v FROM vsg.commits WHERE id = $1`, [root.id])).toBe('3');
    expect(await problems()).toEqual([]);
  });

  it('forget of a key of the packed commit unpacks its chunk: the values are gone from the copy, the change rows and every reader', async () => {
    const mate = '{"id":"15001"}';
    const mateLog = JSON.stringify(await repo.rowLog({ table: 'items', key: mate }));
    // (its row in the copy, the UPDATE's change row)
    expect(await held('packed 15000')).toBe('2');
    const r = await forget(['15000']);
    // the packed commit's row and the UPDATE's, two columns each
    expect(r.entry).toMatchObject({ keys: 1, rows: 2, cells: 4 });
    expect(r.vacuum.done).toBe(true);
    expect(await unpacked(packed.seq)).toEqual([4]);
    expect(await one(`SELECT forget_seq::text AS v FROM vsg.root_chunks WHERE seq = $1 AND chunk = 4`, [packed.seq])).toBe(String(r.entry.seq));
    expect(await one(`SELECT count(*)::text AS v FROM ${copy()}`)).toBe(String(12000 - 1024));
    // the chunk's rows are change rows of the packed commit, in changes_key (root NULL)
    expect(await one(`SELECT count(*) || ' ' || count(*) FILTER (WHERE root IS NULL) AS v FROM vsg.changes WHERE seq = $1`, [packed.seq])).toBe('1024 1024');
    expect(await held('packed 15000')).toBe('0');
    // the copy it changed was vacuumed with the rest
    expect(Number(await one(`SELECT vacuum_count::text AS v FROM pg_stat_all_tables WHERE relid = $1::regclass`, [copy()]))).toBeGreaterThan(0);
    const shown = (await repo.show(packed.id, { table: 'items' })).changes.find((c) => c.key.id === '15000');
    expect(shown).toMatchObject({ old: null, new: { id: '15000', name: null, v: null }, forgotten: { new: { name: expect.any(String), v: expect.any(String) } } });
    const log = JSON.stringify(await repo.rowLog({ table: 'items', key: '15000' }));
    expect(log).not.toContain('packed 15000');
    expect(log).toContain('"forgotten"');
    // a chunk-mate reads as before
    expect(JSON.stringify(await repo.rowLog({ table: 'items', key: mate }))).toBe(mateLog);
    expect(await problems()).toEqual([]);
    // the FORGET entry's seal, as docs/integrity.md defines it: a chunk of a commit that is not the root, after its id
    const expected = sha(Buffer.from('vsg-seals-3'), int4(-1), Buffer.from(packed.id, 'hex'), int4(4), await seal(packed.seq, 4));
    expect(await entrySeal(r.entry.seq)).toBe(expected.toString('hex'));
  });

  it('forgets keys of the root and of the packed commit in one forget, sealing both chunks; a root\'s alone as always', async () => {
    const r = await forget(['7', '20000']);
    // the root's row of 7 and the UPDATE's, the packed commit's of 20000
    expect(r.entry).toMatchObject({ keys: 2, rows: 3, cells: 6 });
    expect(await unpacked(root.seq)).toEqual([0]);
    expect(await unpacked(packed.seq)).toEqual([4, 9]);
    expect(await one(`SELECT count(*) || ' ' || count(*) FILTER (WHERE root) AS v FROM vsg.changes WHERE seq = $1`, [root.seq])).toBe('1024 1024');
    expect(await held('root 7')).toBe('0');
    expect(await held('packed 20000')).toBe('0');
    expect(JSON.stringify(await repo.rowLog({ table: 'items', key: '20000' }))).not.toContain('packed 20000');
    expect(await problems()).toEqual([]);
    // by commit seq, then chunk: the root's chunk as ever, then the packed commit's after its id
    const expected = sha(Buffer.from('vsg-seals-3'), int4(0), await seal(root.seq, 0), int4(-1), Buffer.from(packed.id, 'hex'), int4(9), await seal(packed.seq, 9));
    expect(await entrySeal(r.entry.seq)).toBe(expected.toString('hex'));
    const alone = await forget(['1400']);
    expect(await unpacked(root.seq)).toEqual([0, 1]);
    expect(await entrySeal(alone.entry.seq)).toBe(sha(Buffer.from('vsg-seals-3'), int4(1), await seal(root.seq, 1)).toString('hex'));
    expect(await problems()).toEqual([]);
  });

  it('forgets the packed rows a where predicate is true of', async () => {
    const r = await repo.forget({ table: 'items', where: `name IN ('packed 21000', 'packed 21001')`, columns: ['name'], message: 'erasure', author });
    expect(r.entry).toMatchObject({ keys: 2, rows: 2, cells: 2 });
    expect(await unpacked(packed.seq)).toEqual([4, 9, 10]);
    expect(await held('packed 21000')).toBe('0');
    expect(await held('packed 21001')).toBe('0');
    // the column not named stays
    expect((await repo.show(packed.id, { table: 'items' })).changes.find((c) => c.key.id === '21000')?.new).toEqual({ id: '21000', name: null, v: '21000' });
    expect(await problems()).toEqual([]);
  });

  it('refuses to forget from a packed chunk edited or led to by an edited first key, changing nothing; verify names both', async () => {
    const refused = async (key: string, why: RegExp) => {
      const was = await snapshot();
      await expect(forget([key])).rejects.toMatchObject({ code: 'E_VERIFY', message: expect.stringMatching(why) });
      expect(await snapshot()).toBe(was);
    };
    await repo.sql(`UPDATE ${copy()} SET name = 'evil' WHERE id = 11000`);
    expect(await problems()).toEqual([['chunk_hash', packed.id]]);
    await refused('11000', /^cannot forget rows of 'items': 1 chunk\(s\) of the rows of commit #\d+ do not match their hash; nothing was forgotten$/);
    await repo.sql(`UPDATE ${copy()} SET name = 'packed 11000' WHERE id = 11000`);
    // chunk 2 starts at 12049: stored above that, a key below leads to chunk 1, which does not hold it
    await repo.sql(`UPDATE vsg.root_chunks SET first_key = '{"id": "12500"}' WHERE seq = ${packed.seq} AND chunk = 2`);
    expect(await problems()).toEqual([['chunk_first_key', packed.id]]);
    await refused('12100', /^cannot forget rows of 'items': the first keys of the chunks of commit #\d+ do not lead to the chunks holding the keys; nothing was forgotten$/);
    await repo.sql(`UPDATE vsg.root_chunks SET first_key = '{"id": "12049"}' WHERE seq = ${packed.seq} AND chunk = 2`);
    expect(await problems()).toEqual([]);
  });

  it('verify names an edited row of an unpacked packed chunk, and a change row the chunks do not name', async () => {
    const at = `seq = ${packed.seq} AND key = '{"id": "15001"}'`;
    const saved = (await q<{ after: string; row_hash: string }>(`SELECT after::text, encode(row_hash, 'hex') AS row_hash FROM vsg.changes WHERE ${at}`))[0];
    await repo.sql(`UPDATE vsg.changes SET after = jsonb_set(after, '{name}', '"evil"'), row_hash = vsg.row_hash(salt, table_id, key, before, jsonb_set(after, '{name}', '"evil"')) WHERE ${at}`);
    const edited = await problems();
    await repo.sql(`UPDATE vsg.changes SET after = '${saved.after}', row_hash = decode('${saved.row_hash}', 'hex') WHERE ${at}`);
    expect(edited).toEqual([['root_seal', packed.id]]);
    await repo.sql(`INSERT INTO vsg.changes (table_id, seq, key, before, after, salt, row_hash)
      SELECT table_id, seq, '{"id": "30000"}', NULL, after, salt, vsg.row_hash(salt, table_id, '{"id": "30000"}', NULL, after) FROM vsg.changes WHERE ${at}`);
    const stray = await problems();
    await repo.sql(`DELETE FROM vsg.changes WHERE seq = ${packed.seq} AND key = '{"id": "30000"}'`);
    expect(stray).toContainEqual(['root_unpacked', packed.id]);
    expect(await problems()).toEqual([]);
  });

  it('prune past the packed commit drops its copy and its chunks, and what is left verifies', async () => {
    const r = await repo.prune({ before: 'HEAD', author, vacuum: false });
    expect(r.checkpoints).toBeGreaterThan(0);
    expect(await one(`SELECT to_regclass($1)::text AS v`, [copy()])).toBeNull();
    expect(await one(`SELECT count(*)::text AS v FROM vsg.root_chunks WHERE seq = $1`, [packed.seq])).toBe('0');
    expect(await one(`SELECT count(*)::text AS v FROM pg_class WHERE relnamespace = 'vsg'::regnamespace AND relname LIKE 'packed\\_%'`)).toBe('0');
    expect(await problems()).toEqual([]);
    expect((await repo.rowsAt({ table: 'items', at: 'HEAD' })).rows).toHaveLength(13500);
  });

  it('after a prune, a forget of a commit kept packed since is checked as any: an edited seal is named (forget_seal)', async () => {
    const later = (await repo.commit({ table: 'items', author, sql: `INSERT INTO items SELECT g, 'later ' || g, g FROM generate_series(30001, 41000) g` })).commit;
    const seq = (await one('SELECT seq::text AS v FROM vsg.commits WHERE id = $1', [later.id]))!;
    await forget(['30005']);
    expect(await unpacked(seq)).toEqual([0]);
    expect(await problems()).toEqual([]);
    const kept = (await seal(seq, 0)).toString('hex');
    await repo.sql(`UPDATE vsg.root_chunks SET seal = sha256(seal) WHERE seq = ${Number(seq)} AND chunk = 0`);
    try {
      expect((await problems()).map(([code]) => code)).toContain('forget_seal');
    } finally {
      await repo.sql(`UPDATE vsg.root_chunks SET seal = decode('${kept}', 'hex') WHERE seq = ${Number(seq)} AND chunk = 0`);
    }
    expect(await problems()).toEqual([]);
  });

  it('an untracked history\'s packed rows are found by a predicate too; untrack with force leaves no copy of a packed commit, nor its chunks', async () => {
    await repo.sql(`CREATE TABLE more (id int PRIMARY KEY, v text); INSERT INTO more VALUES (1, 'a')`);
    await repo.track('more', { author });
    const p = (await repo.commit({ table: 'more', author, sql: `INSERT INTO more SELECT g, 'v' || g FROM generate_series(2, 10001) g` })).commit;
    const seq = (await one('SELECT seq::text AS v FROM vsg.commits WHERE id = $1 AND hash_scheme = 3', [p.id]))!;
    await repo.forget({ table: 'more', keys: ['5000'], message: 'erasure', author });
    expect(await unpacked(seq)).toEqual([4]);
    await repo.untrack('more', { author });
    // kept as history by a plain untrack, and forgotten by name: a value the live table no longer holds is found in the copy alone
    expect(await one(`SELECT to_regclass($1)::text AS v`, [`vsg.packed_${seq}`])).toBe(`vsg.packed_${seq}`);
    await repo.sql(`UPDATE more SET v = 'changed' WHERE id = 6000`);
    const r = await repo.forget({ table: 'more', where: `v = 'v6000'`, message: 'erasure', author });
    expect(r.entry).toMatchObject({ keys: 1, rows: 1, cells: 1 });
    expect(await unpacked(seq)).toEqual([4, 5]);
    expect(await one(`SELECT count(*)::text AS v FROM vsg.changes WHERE seq = $1 AND after::text LIKE '%"v6000"%'`, [seq])).toBe('0');
    expect(await problems()).toEqual([]);
    await repo.untrack('more', { force: true });
    // (nor its index)
    expect(await one(`SELECT count(*)::text AS v FROM pg_class WHERE relnamespace = 'vsg'::regnamespace AND relname ~ ('^packed_' || $1 || '($|_)')`, [seq])).toBe('0');
    expect(await one(`SELECT count(*)::text AS v FROM vsg.root_chunks WHERE seq = $1`, [seq])).toBe('0');
    expect(await problems()).toEqual([]);
  });
});
