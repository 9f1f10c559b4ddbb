/**
 * A packed INSERT commit (hash scheme 3, not a root): a commit whose SQL
 * inserts 10,000 rows or more into the table it names in one statement keeps
 * them as a copy, vsg.packed_<seq>, hashed by chunks, with no change row.
 * Twin tables get the same rows, one through a packed commit and one through
 * a commit of two smaller INSERTs (change rows, scheme 2): every reader must
 * give the same answer for both. Tampering with the copy comes first, while
 * the history is short (each verify reads all of it), so the readers after it
 * also read a copy whose rows are no longer in key order on disk. Then the
 * capture's edge cases: what history and vsg.pending hold afterwards, each row
 * exactly once, and no vsg.packing_* copy left behind.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VsgError, type CommitResult, type Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/** (names of one length: a message shown cut to a length holds them) */
const PACKED = 'tw_pk';
const ROWS = 'tw_rw';
/** the second pair: a two-column key */
const PACKED2 = 'kk_pk';
const ROWS2 = 'kk_rw';
const shape = `(id bigint PRIMARY KEY, name text NOT NULL, amt numeric(12,2), at timestamptz, doc jsonb, raw bytea, note text)`;
const shape2 = `(k text, n int, v text, PRIMARY KEY (k, n))`;
/** rows lo..hi: ids above 2^53, values whose text forms are easy to get wrong, a NULL-able column */
const fill = (t: string, lo: number, hi: number) => `INSERT INTO ${t}
  SELECT 9007199254740993 + g, 'name ' || g || CASE WHEN g % 13 = 0 THEN ' é' ELSE '' END, g / 100.0,
         '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 minute 0.000001 second',
         jsonb_build_object('g', g, 'big', 9007199254740993 + g, 'f', 0.1 * g), decode(lpad(to_hex(g), 6, '0'), 'hex'),
         CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END
  FROM generate_series(${lo}, ${hi}) g`;
const fill2 = (t: string, lo: number, hi: number) =>
  `INSERT INTO ${t} SELECT (ARRAY['a', 'B', 'ä', 'Z'])[g % 4 + 1] || (g / 9)::text, g, 'v' || g FROM generate_series(${lo}, ${hi}) g`;
const id = (g: number) => (9007199254740993n + BigInt(g)).toString();
/** the same history on both twins after the large INSERT (id % 1000 = 7: g = 14, 1014, ...; id % 2500 = 3: g = 1510, 4010, ...) */
const STEPS = [
  `UPDATE %t SET note = 'later', amt = amt + 1 WHERE id % 1000 = 7`,
  `DELETE FROM %t WHERE id % 2500 = 3`,
  `UPDATE %t SET doc = doc || '{"x": 1}' WHERE id = ${id(5)}`,
  // (a column added after it: the copy keeps the columns it was made with, as the twin's images do)
  `ALTER TABLE %t ADD COLUMN extra text DEFAULT 'd'`,
  `UPDATE %t SET extra = 'e' WHERE id % 1000 = 8`,
];
const STEPS2 = [`UPDATE %t SET v = v || '!' WHERE n % 1000 = 0`, `DELETE FROM %t WHERE n % 3000 = 1`];

/** A result with what differs between the twins by construction taken out: ids, hashes, table ids and names, times, seqs. */
let dumps = 0;
function norm(x: unknown): string {
  return JSON.stringify(x)
    .replace(/"committedAt":"[^"]*"/g, '"committedAt":"T"')
    // the twins' SQL differs by construction: the packed twin's one INSERT, the other's two
    .replace(/"statement":"(?:[^"\\]|\\.)*"/g, '"statement":"S"')
    .replace(/"(tableId|seq)":"?\d+"?/g, '"$1":0')
    .replace(/[0-9a-f]{64}|[0-9a-f]{32}/g, 'H')
    .replace(/"(shortId|head)":"[0-9a-f]+"/g, '"$1":"H"')
    .replace(/\b[0-9a-f]{7}\b/g, 'H')
    .replaceAll(PACKED, 'T')
    .replaceAll(ROWS, 'T')
    .replaceAll(PACKED2, 'T')
    .replaceAll(ROWS2, 'T');
}

describe.each(targetNames())('a packed INSERT commit on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  /** each twin's large INSERT commit, and the commit before it */
  const made: Record<string, { id: string; parent: string; seq: string }> = {};
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const one = async (text: string, params: unknown[] = []) => (await q<{ v: string | null }>(text, params))[0].v;
  const problems = async () => (await repo.verify()).problems.map((p) => p.code);
  const seqOf = async (commit: string) => (await one('SELECT seq::text AS v FROM vsg.commits WHERE id = $1', [commit]))!;
  const scheme = async (commit: string) => one('SELECT hash_scheme::text AS v FROM vsg.commits WHERE id = $1', [commit]);
  const changeRows = async (commit: string) => Number(await one('SELECT count(*)::text AS v FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)', [commit]));
  const copyOf = async (commit: string) => one(`SELECT to_regclass('vsg.packed_' || seq)::text AS v FROM vsg.commits WHERE id = $1`, [commit]);
  const packing = async () => (await q<{ r: string }>(`SELECT relname::text AS r FROM pg_class WHERE relnamespace = 'vsg'::regnamespace AND relname LIKE 'packing%'`)).map((r) => r.r);
  const pending = async (table?: string) =>
    Number(await one(`SELECT count(*)::text AS v FROM vsg.pending p JOIN vsg.tracked t ON t.id = p.table_id WHERE $1::text IS NULL OR t.table_name = $1`, [table ?? null]));
  /** a table's rows, every column as its text */
  const live = async (tb: string) => q(`SELECT t::text AS r FROM ${tb} t ORDER BY 1`);
  /** Both twins' answers to one read, normalised, and equal. */
  const both = async (read: (tb: string) => Promise<unknown>, pair: [string, string] = [PACKED, ROWS]) => {
    const a = norm(await read(pair[0]));
    const b = norm(await read(pair[1]));
    if (a !== b && process.env.PREADERS_DUMP) {
      const fs = await import('node:fs');
      fs.writeFileSync(`/tmp/preaders/a${++dumps}.txt`, a.replaceAll(',"', ',\n"'));
      fs.writeFileSync(`/tmp/preaders/b${dumps}.txt`, b.replaceAll(',"', ',\n"'));
    }
    expect(a).toBe(b);
    return a;
  };
  const twin = (tb: string) => ({ [PACKED]: ROWS, [PACKED2]: ROWS2 })[tb]!;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE ${PACKED} ${shape}; CREATE TABLE ${ROWS} ${shape}; CREATE TABLE ${PACKED2} ${shape2}; CREATE TABLE ${ROWS2} ${shape2};
      ${fill(PACKED, 1, 50)}; ${fill(ROWS, 1, 50)}; ${fill2(PACKED2, 1, 40)}; ${fill2(ROWS2, 1, 40)}`);
    await repo.sql(`CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE e (id bigint PRIMARY KEY, v text); CREATE TABLE en (id int PRIMARY KEY, m mood, v text);
      CREATE TABLE e2 (id int PRIMARY KEY, v text); INSERT INTO e VALUES (1, 'one'), (2, 'two'), (5, 'five'); INSERT INTO e2 VALUES (1, 'one')`);
    await repo.trackTables([PACKED, ROWS, PACKED2, ROWS2, 'e', 'en', 'e2'], { author });
    const large = async (tb: string, sql: string) => {
      const c = (await repo.commit({ table: tb, author, message: 'load', sql })).commit;
      made[tb] = { id: c.id, parent: c.parents[0], seq: await seqOf(c.id) };
    };
    await large(PACKED, fill(PACKED, 51, 12050));
    await large(ROWS, `${fill(ROWS, 51, 6050)}; ${fill(ROWS, 6051, 12050)}`);
    await large(PACKED2, fill2(PACKED2, 41, 12040));
    await large(ROWS2, `${fill2(ROWS2, 41, 6040)}; ${fill2(ROWS2, 6041, 12040)}`);
    for (const [steps, pair] of [[STEPS, [PACKED, ROWS]], [STEPS2, [PACKED2, ROWS2]]] as const) {
      for (const step of steps) for (const tb of pair) await repo.commit({ table: tb, author, sql: step.replaceAll('%t', tb) });
    }
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('keeps a 12,000-row INSERT packed (scheme 3, its copy, no change row), and two INSERTs of 6,000 as change rows', async () => {
    for (const [tb, tw] of [[PACKED, ROWS], [PACKED2, ROWS2]]) {
      expect([await scheme(made[tb].id), await changeRows(made[tb].id), await copyOf(made[tb].id)]).toEqual(['3', 0, `vsg.packed_${made[tb].seq}`]);
      expect(Number(await one(`SELECT count(*)::text AS v FROM vsg.packed_${made[tb].seq}`))).toBe(12000);
      expect(Number(await one(`SELECT sum(rows)::text AS v FROM vsg.root_chunks WHERE seq = $1`, [made[tb].seq]))).toBe(12000);
      expect([await scheme(made[tw].id), await changeRows(made[tw].id), await copyOf(made[tw].id)]).toEqual(['2', 12000, null]);
    }
    expect(await packing()).toEqual([]);
    expect(await pending()).toBe(0);
    expect(await problems()).toEqual([]);
  });

  it('verify names a row of the copy edited (chunk_hash) and the copy gone (root_checkpoint); readers then refuse with one clear error', async () => {
    const rel = `vsg.packed_${made[PACKED].seq}`;
    const codes = async () => (await repo.verify()).problems.map((p) => [p.code, p.commit === made[PACKED].id]);
    expect(await codes()).toEqual([]);
    await repo.sql(`UPDATE ${rel} SET note = 'evil' WHERE id = ${id(3000)}`);
    expect(await codes()).toEqual([['chunk_hash', true]]);
    await repo.sql(`UPDATE ${rel} SET note = 'note 3000' WHERE id = ${id(3000)}`);
    await repo.sql(`CREATE TABLE vsg.kept AS SELECT * FROM ${rel} WHERE id = ${id(11000)}; DELETE FROM ${rel} WHERE id = ${id(11000)}`);
    expect(await codes()).toEqual([['chunk_hash', true]]);
    await repo.sql(`INSERT INTO ${rel} SELECT * FROM vsg.kept; DROP TABLE vsg.kept`);
    expect(await codes()).toEqual([]);
    await repo.sql(`ALTER TABLE ${rel} RENAME TO gone`);
    try {
      expect((await codes()).map(([c]) => c).sort()).toEqual(['change_hash', 'root_checkpoint']);
      const gone = new RegExp(`^vsg: the copy holding the rows of commit #${made[PACKED].seq} is gone$`);
      for (const read of [
        () => repo.show(made[PACKED].id, { table: PACKED }),
        // (before it: its rows undone; at it, rows are read back from HEAD without them)
        () => repo.rowsAt({ table: PACKED, at: made[PACKED].parent }),
        () => repo.diff({ table: PACKED, from: made[PACKED].parent, to: made[PACKED].id }),
        () => repo.rowLog({ table: PACKED, key: id(9000) }),
      ]) {
        await expect(read()).rejects.toThrow(gone);
      }
    } finally {
      await repo.sql(`ALTER TABLE vsg.gone RENAME TO packed_${made[PACKED].seq}`);
    }
    expect(await codes()).toEqual([]);
  });

  it('shows the same commit: counts and rows, and each table\'s log with each commit\'s rows', async () => {
    for (const tb of [PACKED, PACKED2]) {
      const shown = await both((x) => repo.show(made[x].id, { table: x }), [tb, twin(tb)]);
      expect(shown).toContain('"inserted":12000,"updated":0,"deleted":0');
      expect((await repo.show(made[tb].id, { table: tb })).changes).toHaveLength(12000);
      await both(async (x) => {
        const log = await repo.log({ table: x });
        return { log, patches: await Promise.all(log.commits.map((c) => repo.show(c.id, { table: x }))) };
      }, [tb, twin(tb)]);
    }
  });

  it('diffs the same: the commit against its parent, HEAD, and back', async () => {
    for (const tb of [PACKED, PACKED2]) {
      const pair: [string, string] = [tb, twin(tb)];
      expect(await both((x) => repo.diff({ table: x, from: made[x].parent, to: made[x].id }), pair)).toContain('12000');
      await both((x) => repo.diff({ table: x, from: made[x].id, to: 'HEAD' }), pair);
      await both((x) => repo.diff({ table: x, from: 'HEAD', to: made[x].id }), pair);
      await both((x) => repo.diff({ table: x, from: made[x].parent, to: 'HEAD' }), pair);
    }
  });

  it('blames, logs a row and exports the same, at the commit and before it', async () => {
    await both((x) => repo.blame({ table: x }));
    await both((x) => repo.blame({ table: x }), [PACKED2, ROWS2]);
    // a row of the INSERT changed later, deleted later, never changed, one from before it, one never there
    for (const g of [7014, 4010, 9000, 12050, 5, 20000]) {
      const key = id(g);
      const log = await both((x) => repo.rowLog({ table: x, key }).catch((e: VsgError) => e.code));
      if (g !== 20000) expect(log).toContain('"entries":[{');
      await both((x) => repo.blame({ table: x, key }).catch((e: VsgError) => e.code));
    }
    for (const key of ['{"k":"a111","n":1000}', '{"k":"B333","n":3001}', '{"k":"Z1333","n":12003}', '{"k":"ä2","n":22}', '{"k":"a666","n":6000}']) {
      expect(await both((x) => repo.rowLog({ table: x, key }), [PACKED2, ROWS2])).toContain('"entries":[{');
    }
    for (const pair of [[PACKED, ROWS], [PACKED2, ROWS2]] as [string, string][]) {
      const at = await repo.rowsAt({ table: pair[0], at: made[pair[0]].id });
      expect(at.rows).toHaveLength(12000 + (pair[0] === PACKED ? 50 : 40));
      await both((x) => repo.rowsAt({ table: x, at: made[x].id }), pair);
      await both((x) => repo.rowsAt({ table: x, at: made[x].parent }), pair);
      await both((x) => repo.rowsAt({ table: x, at: 'HEAD' }), pair);
      // streamed in batches: the same rows as read at once
      const streamed = async (x: string) => {
        const rows: unknown[] = [];
        await repo.exportRows({ table: x, at: made[x].id, batchSize: 5000 }, { rows: (b) => void rows.push(...b) });
        return rows;
      };
      expect(await both(streamed, pair)).toBe(norm(at.rows));
    }
  });

  it('shows the same status of uncommitted changes to its rows, and restores both to the same rows', async () => {
    const was = norm(await live(PACKED));
    expect(was).toBe(norm(await live(ROWS)));
    for (const tb of [PACKED, ROWS]) {
      await repo.sql(`UPDATE ${tb} SET name = 'dirty' WHERE id % 100 = 1; DELETE FROM ${tb} WHERE id % 100 = 2; INSERT INTO ${tb} (id, name) VALUES (1, 'new')`);
    }
    const st = await both(async (x) => (await repo.status()).find((s) => s.table === x || s.table === `public.${x}`));
    expect(st).toContain('"clean":false');
    await both((x) => repo.diff({ table: x }));
    for (const tb of [PACKED, ROWS]) await repo.restore({ table: tb });
    expect(norm(await live(PACKED))).toBe(was);
    expect(norm(await live(ROWS))).toBe(was);
    expect((await repo.status()).every((s) => s.clean)).toBe(true);
  });

  it('rolls the commit back to the same rows and the same commit', async () => {
    const rb = async (x: string) => {
      const r = await repo.rollback({ table: x, ref: made[x].id, author, force: true });
      return { r, rows: await live(x) };
    };
    const out = await both(rb);
    expect(out).toContain('"deleted":');
    expect((await live(PACKED)).length).toBe(50);
    expect(await both((x) => repo.show('HEAD', { table: x }).then((s) => s.tables?.[x] ?? s))).toContain('"inserted":0,"updated":0');
  });

  it('checks out to the commit, before it and back, to the twin\'s rows each time', async () => {
    for (const reload of ['never', 'always', 'auto'] as const) {
      for (const ref of ['id', 'parent', 'id'] as const) {
        for (const x of [PACKED, ROWS]) await repo.checkout({ table: x, ref: made[x][ref], author, reload });
        const rows = await live(PACKED);
        expect({ reload, ref, rows: norm(rows) }).toEqual({ reload, ref, rows: norm(await live(ROWS)) });
        expect(rows.length).toBe(ref === 'id' ? 12050 : 50);
      }
    }
    for (const x of [PACKED2, ROWS2]) await repo.checkout({ table: x, ref: made[x].parent, author });
    expect(norm(await live(PACKED2))).toBe(norm(await live(ROWS2)));
    for (const x of [PACKED2, ROWS2]) await repo.checkout({ table: x, ref: made[x].id, author });
    expect(norm(await live(PACKED2))).toBe(norm(await live(ROWS2)));
    expect((await live(PACKED2)).length).toBe(12040);
    expect(await problems()).toEqual([]);
  });

  it('merges a branch holding a packed commit into one that does not, as the twin\'s', async () => {
    await repo.createBranches({ name: 'feat' });
    await repo.switchMany({ branch: 'feat' });
    const feat: Record<string, string> = {};
    feat[PACKED] = (await repo.commit({ table: PACKED, author, sql: fill(PACKED, 20001, 31000) })).commit.id;
    feat[ROWS] = (await repo.commit({ table: ROWS, author, sql: `${fill(ROWS, 20001, 25000)}; ${fill(ROWS, 25001, 31000)}` })).commit.id;
    expect([await scheme(feat[PACKED]), await scheme(feat[ROWS])]).toEqual(['3', '2']);
    await repo.switchMany({ branch: 'main' });
    for (const x of [PACKED, ROWS]) await repo.commit({ table: x, author, sql: `UPDATE ${x} SET note = 'main' WHERE id % 500 = 9` });
    const merged = await repo.merge({ tables: [PACKED, ROWS], ref: 'feat', author });
    expect(merged.status).toBe('merged');
    expect(norm(await live(PACKED))).toBe(norm(await live(ROWS)));
    expect((await live(PACKED)).length).toBe(12050 + 11000);
    const parts = (await repo.show('HEAD')).tables!;
    expect(norm(parts[PACKED])).toBe(norm(parts[ROWS]));
    await both((x) => repo.diff({ table: x, from: 'HEAD~1', to: 'HEAD' }));
    await both((x) => repo.rowLog({ table: x, key: id(25000) }));
    const verified = await repo.verify();
    expect(verified.problems.map((p) => p.code)).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  /** What a commit is: its hash scheme, counts, change rows, copy; with vsg.pending and the copies being made. */
  const what = async (commit: string) => {
    const c = (await q<Record<string, string>>(`SELECT hash_scheme::text AS s, inserted::text AS i, updated::text AS u, deleted::text AS d FROM vsg.commits WHERE id = $1`, [commit]))[0];
    return { scheme: c.s, counts: [Number(c.i), Number(c.u), Number(c.d)], changeRows: await changeRows(commit), copy: (await copyOf(commit)) !== null, pending: await pending(), packing: await packing() };
  };
  const ins = (lo: number, hi: number, v = 'x', tb = 'e') => `INSERT INTO ${tb} (id, v) SELECT g, '${v}' || g FROM generate_series(${lo}, ${hi}) g`;
  const rowOf = async (commit: string, key: number) =>
    (await q<{ b: string | null; a: string | null }>(`SELECT before::text AS b, after::text AS a FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1) AND key = jsonb_build_object('id', $2::text)`, [commit, key]))[0] ?? null;
  const count = async (where: string, tb = 'e') => Number(await one(`SELECT count(*)::text AS v FROM ${tb} WHERE ${where}`));
  const commitE = async (sql: string) => (await repo.commit({ table: 'e', author, sql })).commit.id;
  const clean = async () => {
    expect(await pending()).toBe(0);
    expect(await packing()).toEqual([]);
    expect((await repo.status()).every((st) => st.clean)).toBe(true);
  };

  it('keeps 10,000 rows packed and 9,999 as change rows', async () => {
    expect(await what(await commitE(ins(10001, 19999)))).toEqual({ scheme: '2', counts: [9999, 0, 0], changeRows: 9999, copy: false, pending: 0, packing: [] });
    expect(await what(await commitE(ins(20001, 30000)))).toEqual({ scheme: '3', counts: [10000, 0, 0], changeRows: 0, copy: true, pending: 0, packing: [] });
    await clean();
  });

  it('takes two large INSERTs of one commit as change rows, every row', async () => {
    const c = await commitE(`${ins(40001, 50000, 'a')}; ${ins(50001, 60500, 'b')}`);
    expect(await what(c)).toEqual({ scheme: '2', counts: [20500, 0, 0], changeRows: 20500, copy: false, pending: 0, packing: [] });
    expect(await rowOf(c, 40001)).toEqual({ b: null, a: '{"v": "a40001", "id": "40001"}' });
    expect(await rowOf(c, 60500)).toEqual({ b: null, a: '{"v": "b60500", "id": "60500"}' });
    await clean();
  });

  it('composes a large INSERT with an UPDATE or DELETE of its rows, or a change before it, in one commit', async () => {
    let c = await commitE(`${ins(70001, 82000)}; UPDATE e SET v = 'upd' WHERE id % 3 = 0 AND id > 70000`);
    expect(await what(c)).toEqual({ scheme: '2', counts: [12000, 0, 0], changeRows: 12000, copy: false, pending: 0, packing: [] });
    expect(await rowOf(c, 70002)).toEqual({ b: null, a: '{"v": "upd", "id": "70002"}' });
    expect(await rowOf(c, 70001)).toEqual({ b: null, a: '{"v": "x70001", "id": "70001"}' });
    c = await commitE(`${ins(90001, 102000)}; DELETE FROM e WHERE id > 96000 AND id <= 102000`);
    expect(await what(c)).toEqual({ scheme: '2', counts: [6000, 0, 0], changeRows: 6000, copy: false, pending: 0, packing: [] });
    c = await commitE(`UPDATE e SET v = 'first' WHERE id = 1; ${ins(110001, 122000)}`);
    expect(await what(c)).toEqual({ scheme: '2', counts: [12000, 1, 0], changeRows: 12001, copy: false, pending: 0, packing: [] });
    expect(await rowOf(c, 1)).toEqual({ b: '{"v": "one", "id": "1"}', a: '{"v": "first", "id": "1"}' });
    // an upsert: the INSERT's new rows and the UPDATE of keys it found, one statement's two changes
    c = await commitE(`${ins(1, 1)} UNION ALL SELECT g, 'up' || g FROM generate_series(600001, 612000) g ON CONFLICT (id) DO UPDATE SET v = 'upserted'`);
    expect(await what(c)).toEqual({ scheme: '2', counts: [12000, 1, 0], changeRows: 12001, copy: false, pending: 0, packing: [] });
    expect(await rowOf(c, 1)).toEqual({ b: '{"v": "first", "id": "1"}', a: '{"v": "upserted", "id": "1"}' });
    await clean();
    expect(await problems()).toEqual([]);
  });

  it('records an earlier uncommitted change by another writer to a key the large INSERT writes, first', async () => {
    await repo.sql(`DELETE FROM e WHERE id = 5`);
    const made = await repo.commit({ table: 'e', author, sql: ins(5, 5) + `; ${ins(130001, 141000)}` });
    expect(made.recorded?.deleted).toBe(1);
    // (the commit's SQL changed the table twice: composed, change rows)
    expect(await what(made.commit.id)).toEqual({ scheme: '2', counts: [11001, 0, 0], changeRows: 11001, copy: false, pending: 0, packing: [] });
    await repo.sql(`DELETE FROM e WHERE id = 2`);
    const packed = await repo.commit({ table: 'e', author, sql: `${ins(150001, 161000)} UNION ALL SELECT 2, 'again'` });
    expect(packed.recorded?.deleted).toBe(1);
    expect(await rowOf(packed.recorded!.id, 2)).toEqual({ b: '{"v": "two", "id": "2"}', a: null });
    // (one statement: packed, the key's earlier delete its parent)
    expect(await what(packed.commit.id)).toEqual({ scheme: '3', counts: [11001, 0, 0], changeRows: 0, copy: true, pending: 0, packing: [] });
    expect(packed.commit.parents).toEqual([packed.recorded!.id]);
    expect((await repo.rowLog({ table: 'e', key: '2' })).entries.map((x) => x.commit.id).slice(0, 2)).toEqual([packed.commit.id, packed.recorded!.id]);
    await clean();
  });

  it('records a table with a column of a user-defined type as change rows', async () => {
    const c = (await repo.commit({ table: 'en', author, sql: `INSERT INTO en SELECT g, 'sad', 'v' || g FROM generate_series(1, 12000) g` })).commit.id;
    expect(await what(c)).toEqual({ scheme: '2', counts: [12000, 0, 0], changeRows: 12000, copy: false, pending: 0, packing: [] });
    await clean();
  });

  it('packs each table\'s large statement of a commit across tables, naming several or none, and reads the parts back', async () => {
    const packedPart = (rows: number) => ({ scheme: '3', counts: [rows, 0, 0], changeRows: 0, copy: true, pending: 0, packing: [] });
    const parts = (c: CommitResult) => Promise.all(c.parts!.map(async (p) => [p.table, await what(p.commit.id)]));
    // one table's statement large, the other's one row: a part of each kind
    let made = await repo.commit({ author, sql: `${ins(170001, 182000)}; ${ins(3, 3, 'n', 'e2')}` });
    expect(await parts(made)).toEqual([
      ['e', packedPart(12000)],
      ['e2', { scheme: '2', counts: [1, 0, 0], changeRows: 1, copy: false, pending: 0, packing: [] }],
    ]);
    // the tables named: each table's large statement packed
    made = await repo.commit({ tables: ['e', 'e2'], author, sql: `${ins(190001, 202000)}; ${ins(4, 11003, 'z', 'e2')}` });
    expect(await parts(made)).toEqual([['e', packedPart(12000)], ['e2', packedPart(11000)]]);
    // ... read back as one commit across them: shown, rolled back (every row of both), the rollback rolled back
    const across = made.commit.id;
    const shown = await repo.show(across);
    expect([shown.tables!.e.changes.length, shown.tables!.e2.changes.length]).toEqual([12000, 11000]);
    expect(shown.tables!.e2.changes.find((c) => c.key.id === '11003')).toMatchObject({ old: null, new: { id: '11003', v: 'z11003' } });
    const undone = await repo.rollback({ ref: across, author });
    expect([await count('id BETWEEN 190001 AND 202000'), Number(await one('SELECT count(*)::text AS v FROM e2'))]).toEqual([0, 2]);
    await repo.rollback({ ref: undone.commit.id, author });
    expect([await count('id BETWEEN 190001 AND 202000'), Number(await one('SELECT count(*)::text AS v FROM e2'))]).toEqual([12000, 11002]);
    await repo.sql('DELETE FROM e2 WHERE id >= 3');
    await repo.commit({ table: 'e2', author });
    // one statement, the commit naming no table: one table changed, packed
    made = await repo.commit({ author, sql: ins(210001, 222000) });
    expect(made.parts).toBeUndefined();
    expect(await what(made.commit.id)).toEqual(packedPart(12000));
    // ... and so with another writer's change of the table uncommitted, which stays uncommitted
    await repo.sql(`DELETE FROM e WHERE id = 2`);
    made = await repo.commit({ author, sql: ins(900001, 912000) });
    expect(made.parts).toBeUndefined();
    expect(made.recorded).toBeUndefined();
    expect(await what(made.commit.id)).toEqual({ ...packedPart(12000), pending: 1 });
    expect((await repo.commit({ table: 'e', author })).commit).toMatchObject({ inserted: 0, deleted: 1 });
    // (`tables` of one table names that table alone, as `table` does: packed)
    made = await repo.commit({ tables: ['e'], author, sql: ins(920001, 932000) });
    expect(await what(made.commit.id)).toEqual(packedPart(12000));
    // naming no table, the SQL sent on its own (not plain statements alone), or the application's work: each table's packed
    made = await repo.commit({ author, sql: `SET LOCAL statement_timeout = '5min'; ${ins(980001, 992000)}; ${ins(5, 10004, 'w', 'e2')}` });
    expect(await parts(made)).toEqual([['e', packedPart(12000)], ['e2', packedPart(10000)]]);
    await repo.sql('DELETE FROM e2 WHERE id >= 5');
    await repo.commit({ table: 'e2', author });
    made = await repo.commit({ author }, async (w) => {
      await w.query(ins(1000001, 1012000));
      await w.query(ins(5, 10004, 'v', 'e2'));
    });
    expect(await parts(made)).toEqual([['e', packedPart(12000)], ['e2', packedPart(10000)]]);
    await repo.sql('DELETE FROM e2 WHERE id >= 5');
    await repo.commit({ table: 'e2', author });
    // two large statements of one table in a commit across tables: that part composed as change rows
    made = await repo.commit({ author, sql: `${ins(940001, 952000)}; ${ins(960001, 972000)}; ${ins(5, 10004, 'y', 'e2')}` });
    expect(await parts(made)).toEqual([
      ['e', { scheme: '2', counts: [24000, 0, 0], changeRows: 24000, copy: false, pending: 0, packing: [] }],
      ['e2', packedPart(10000)],
    ]);
    await clean();
    expect(await problems()).toEqual([]);
  });

  it('records a large DELETE and the rows its foreign key cascades to, one commit across the two tables, and puts both back', async () => {
    await repo.sql(`CREATE TABLE pp (id int PRIMARY KEY, v text); CREATE TABLE pc (id int PRIMARY KEY, p int NOT NULL REFERENCES pp ON DELETE CASCADE, w text);
      INSERT INTO pp SELECT g, 'p' || g FROM generate_series(1, 12000) g; INSERT INTO pc SELECT g, (g + 1) / 2, 'c' || g FROM generate_series(1, 20000) g;
      CREATE INDEX ON pc (p)`);
    await repo.trackTables(['pp', 'pc'], { author });
    const rows = async () => [Number(await one('SELECT count(*)::text AS v FROM pp')), Number(await one('SELECT count(*)::text AS v FROM pc'))];
    const made = await repo.commit({ author, sql: 'DELETE FROM pp WHERE id > 1000' });
    expect(made.parts!.map((p) => [p.table, p.commit.deleted])).toEqual([['pp', 11000], ['pc', 18000]]);
    // (the cascade is a statement of the foreign key's for each row deleted, its rows gathered into one transition
    // table: packed too; the index on pc (p) spares each a scan of pc, 8.6 s of 20,000 rows 11,000 times here)
    expect(await what(made.parts![0].commit.id)).toEqual({ scheme: '3', counts: [0, 0, 11000], changeRows: 0, copy: true, pending: 0, packing: [] });
    expect(await what(made.parts![1].commit.id)).toEqual({ scheme: '3', counts: [0, 0, 18000], changeRows: 0, copy: true, pending: 0, packing: [] });
    expect(await rows()).toEqual([1000, 2000]);
    await repo.rollback({ ref: made.commit.id, author });
    expect(await rows()).toEqual([12000, 20000]);
    expect(await one(`SELECT w AS v FROM pc WHERE id = 20000`)).toBe('c20000');
    await clean();
    expect(await problems()).toEqual([]);
    await repo.untrack(['pc', 'pp'], { force: true });
    await repo.sql('DROP TABLE pc; DROP TABLE pp');
  });

  it('never packs what the application writes itself: INSERT or COPY with vsg.stage unset, or set by the session', async () => {
    await repo.sql(ins(230001, 242000));
    expect([await pending('e'), await packing()]).toEqual([12000, []]);
    if (name === 'postgres') {
      await repo.sql(`COPY e (id, v) FROM PROGRAM 'seq 250001 262000 | sed "s/$/,c/"' WITH (FORMAT csv)`);
      expect([await pending('e'), await packing(), await count('id BETWEEN 250001 AND 262000')]).toEqual([24000, [], 12000]);
    }
    // a session that asks for staging of the table as a commit naming it would: flushed to vsg.pending as it commits
    const eid = Number(await one(`SELECT id::text AS v FROM vsg.tracked WHERE table_name = 'e'`));
    await repo.sql(`BEGIN; SELECT set_config('vsg.stage', ',${eid},', true); ${ins(270001, 282000)}; COMMIT`);
    expect([await pending('e'), await packing()]).toEqual([name === 'postgres' ? 36000 : 24000, []]);
    // ... and flushed early, then a second large INSERT packed again and flushed at the end
    await repo.sql(`BEGIN; SELECT set_config('vsg.stage', ',${eid},', true); ${ins(290001, 302000)}; SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;
                    ${ins(310001, 322000)}; COMMIT`);
    const all = name === 'postgres' ? 60000 : 48000;
    expect([await pending('e'), await packing()]).toEqual([all, []]);
    expect(Number(await one(`SELECT count(DISTINCT key)::text AS v FROM vsg.pending`))).toBe(all);
    const c = (await repo.commit({ table: 'e', author })).commit.id;
    expect(await what(c)).toEqual({ scheme: '2', counts: [all, 0, 0], changeRows: all, copy: false, pending: 0, packing: [] });
    await clean();
  });

  it('loses nothing in an application\'s transaction: a commit refused, a commit then more writes', async () => {
    const head = (await repo.log({ limit: 1 })).commits[0].id;
    await repo.commit({ table: 'e', author, sql: `UPDATE e SET v = 'moved' WHERE id = 1` });
    await repo.transaction(async (r, tx) => {
      const refused = await r.commit({ table: 'e', author, parent: head }, async (w) => {
        await w.query(ins(330001, 342000));
      }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'E_STALE_PARENT' });
      // the refused commit leaves its table no longer staged for: what the application writes next goes to vsg.pending
      expect((await tx.query(`SELECT coalesce(current_setting('vsg.stage', true), '') AS s`)).rows[0]).toEqual({ s: '' });
      await tx.query(ins(350001, 362000));
      expect(Number((await tx.query(`SELECT count(*)::text AS n FROM vsg.pending WHERE table_id = (SELECT id FROM vsg.tracked WHERE relid = 'e'::regclass AND untracked_at IS NULL)`)).rows[0].n)).toBe(12000);
    });
    expect([await count('id BETWEEN 330001 AND 342000'), await count('id BETWEEN 350001 AND 362000')]).toEqual([0, 12000]);
    expect([await pending('e'), await packing()]).toEqual([12000, []]);
    await repo.commit({ table: 'e', author });
    await clean();
    let made = '';
    await repo.transaction(async (r, tx) => {
      made = (await r.commit({ table: 'e', author, sql: ins(370001, 382000) })).commit.id;
      await tx.query(ins(390001, 402000));
      await tx.query(`UPDATE e SET v = 'after' WHERE id BETWEEN 370001 AND 370010`);
    });
    expect(await what(made)).toMatchObject({ scheme: '3', counts: [12000, 0, 0], changeRows: 0, copy: true, pending: 12010, packing: [] });
    expect(Number(await one(`SELECT count(*)::text AS v FROM vsg.pending WHERE key->>'id' BETWEEN '370001' AND '382000'`))).toBe(10);
    const after = (await repo.commit({ table: 'e', author })).commit.id;
    expect(await what(after)).toEqual({ scheme: '2', counts: [12000, 10, 0], changeRows: 12010, copy: false, pending: 0, packing: [] });
    await clean();
  });

  it('takes nothing a rolled-back savepoint undid, in a commit\'s work', async () => {
    const work = (...steps: string[]) => repo.commit({ table: 'e', author }, async (w) => {
      for (const s of steps) await w.query(s);
    });
    let made = await work('SAVEPOINT s', ins(410001, 422000), 'ROLLBACK TO SAVEPOINT s', ins(430001, 430500));
    expect(await what(made.commit.id)).toEqual({ scheme: '2', counts: [500, 0, 0], changeRows: 500, copy: false, pending: 0, packing: [] });
    made = await work('SAVEPOINT s', ins(440001, 452000), 'ROLLBACK TO SAVEPOINT s', ins(460001, 471000));
    expect(await what(made.commit.id)).toEqual({ scheme: '3', counts: [11000, 0, 0], changeRows: 0, copy: true, pending: 0, packing: [] });
    made = await work(ins(480001, 492000), 'SAVEPOINT s', `UPDATE e SET v = 'no' WHERE id > 480000`, 'ROLLBACK TO SAVEPOINT s');
    expect(await what(made.commit.id)).toEqual({ scheme: '3', counts: [12000, 0, 0], changeRows: 0, copy: true, pending: 0, packing: [] });
    expect(await count(`id BETWEEN 410001 AND 422000 OR id BETWEEN 440001 AND 452000 OR v = 'no'`)).toBe(0);
    await clean();
    expect(await problems()).toEqual([]);
  });
});
