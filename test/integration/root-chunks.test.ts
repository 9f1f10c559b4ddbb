/**
 * A root kept as a checkpoint hashed by chunks (hash scheme 3,
 * docs/integrity.md): `vsg track` of a table of 1,000 rows or more. Two
 * twin tables hold the same rows; one has a column of a domain of the user's,
 * which keeps its root as change rows (scheme 2), with the same images. Every
 * reader must read the same history from both; the commit's hash must be what
 * the manual defines (recomputed here in JavaScript from each column's send
 * bytes); verify must pass and catch each kind of tampering; forget, untrack
 * and prune must treat the checkpoint as history.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { readOf } from '../helpers/reads.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { sameForTwins } from '../helpers/twins.js';

vi.setConfig({ testTimeout: 180_000 });

/** (names of one length: a message shown cut to a length holds them) */
const PACKED = 'twin_p';
const ROWS = 'twin_r';
const shape = (bal: string) => `(k text, n int, name text, bal ${bal}, at timestamptz, raw bytea, f float8, arr int[], j jsonb, PRIMARY KEY (k, n))`;
/** 3,000 rows (chunks of 1,024, 1,024 and 952), keys of mixed case and beyond ASCII, values whose forms are easy to get wrong */
const fill = (t: string) => `INSERT INTO ${t}
  SELECT (ARRAY['a', 'B', 'ä', 'Z', 'b'])[g % 5 + 1] || (g / 7)::text, g, CASE WHEN g % 11 = 0 THEN NULL ELSE 'name ' || g END,
         g / 100.0, '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 minute 0.000001 second', decode(lpad(to_hex(g), 6, '0'), 'hex'),
         CASE WHEN g % 97 = 0 THEN 'NaN'::float8 ELSE g / 3.0 END, ARRAY[g, NULL, -g], jsonb_build_object('g', g, 'e', 'é')
  FROM generate_series(1, 3000) g`;
/** the same history on both twins */
const STEPS = [
  `UPDATE %t SET name = name || '!' WHERE n % 100 = 0`,
  `DELETE FROM %t WHERE n % 250 = 1`,
  `INSERT INTO %t SELECT 'new' || g, g, 'late', 1, NULL, NULL, 0, NULL, NULL FROM generate_series(5001, 5010) g`,
  `UPDATE %t SET bal = bal + 1 WHERE n BETWEEN 1000 AND 1100`,
];

const norm = (x: unknown): string => sameForTwins(x, [PACKED, ROWS]);

describe.each(targetNames())('a root kept as a checkpoint on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const root: Record<string, { id: string; seq: string; tableId: number }> = {};
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const rel = () => `vsg.root_${root[PACKED].tableId}`;
  const problems = async () => (await repo.verify()).problems.map((p) => p.code);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE DOMAIN bal_d AS numeric(12,2); CREATE TABLE ${PACKED} ${shape('numeric(12,2)')}; CREATE TABLE ${ROWS} ${shape('bal_d')}`);
    for (const tb of [PACKED, ROWS]) {
      await repo.sql(fill(tb));
      const made = (await repo.track(tb, { author })).root;
      const seq = (await q<{ seq: string }>('SELECT seq::text FROM vsg.commits WHERE id = $1', [made.id]))[0].seq;
      root[tb] = { id: made.id, seq, tableId: (await repo.tables()).find((x) => x.name === tb)!.id };
    }
    for (const step of STEPS) for (const tb of [PACKED, ROWS]) await repo.commit({ table: tb, author, sql: step.replaceAll('%t', tb) });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('keeps the rows of a table of 1,000 rows or more as a checkpoint with chunks of 1,024, and a table with a type of the user\'s as change rows', async () => {
    const c = await q<Record<string, string>>(
      `SELECT c.hash_scheme::text AS scheme, c.inserted::text AS inserted,
              (SELECT count(*) FROM vsg.changes ch WHERE ch.seq = c.seq)::text AS change_rows,
              (SELECT string_agg(rc.chunk || ':' || rc.rows, ' ' ORDER BY rc.chunk) FROM vsg.root_chunks rc WHERE rc.seq = c.seq) AS chunks,
              (SELECT k.relname || ' ' || k.rows FROM vsg.checkpoints k WHERE k.commit_id = c.id AND k.root) AS checkpoint
       FROM vsg.commits c WHERE c.id = ANY($1) ORDER BY c.seq`,
      [[root[PACKED].id, root[ROWS].id]],
    );
    expect(c).toEqual([
      { scheme: '3', inserted: '3000', change_rows: '0', chunks: '0:1024 1:1024 2:952', checkpoint: `root_${root[PACKED].tableId} 3000` },
      { scheme: '2', inserted: '3000', change_rows: '3000', chunks: null, checkpoint: null },
    ]);
  });

  it('gives every reader the same history as the twin whose root is change rows', async () => {
    const rootRows = async (tb: string) =>
      q<{ key: string; before: string | null; after: string }>(
        `SELECT key::text, before::text, after::text FROM vsg.commit_rows($1) ORDER BY key::text COLLATE "C"`,
        [root[tb].seq],
      );
    const packed = await rootRows(PACKED);
    expect(packed).toHaveLength(3000);
    expect(packed).toEqual(await rootRows(ROWS));
    const both = async (read: (tb: string) => Promise<unknown>) => {
      const a = norm(await read(PACKED));
      expect(a).toBe(norm(await read(ROWS)));
      return a;
    };
    expect(await both((tb) => repo.show(root[tb].id, { table: tb }))).toContain('"kind":"ROOT"');
    await both((tb) => repo.diff({ table: tb, from: root[tb].id, to: 'HEAD' }));
    await both((tb) => repo.diff({ table: tb, from: 'HEAD', to: root[tb].id }));
    await both((tb) => repo.rowsAt({ table: tb, at: root[tb].id }));
    await both((tb) => repo.rowsAt({ table: tb, at: 'HEAD~2' }));
    await both((tb) => repo.blame({ table: tb }));
    // keys changed later, deleted, never changed, added later, with a NULL value, beyond ASCII
    for (const key of ['{"k":"a14","n":100}', '{"k":"B35","n":251}', '{"k":"Z0","n":3}', '{"k":"new5001","n":5001}', '{"k":"ä154","n":1082}', '{"k":"ä3","n":22}']) {
      expect(await both((tb) => repo.rowLog({ table: tb, key }))).toContain('"entries":[{');
      await both((tb) => repo.blame({ table: tb, key }).catch((e: { code: string }) => e.code));
    }
  });

  it('checks the root out from its checkpoint, to exactly the twin\'s rows', async () => {
    const live = async (tb: string) => q(`SELECT k, n, name, bal::text, at::text, raw::text, f::text, arr::text, j::text FROM ${tb} ORDER BY k COLLATE "C", n`);
    const out = await repo.checkout({ table: PACKED, ref: root[PACKED].id, author, reload: 'always' });
    expect(out.reload?.checkpoint).toBe(root[PACKED].id);
    // (the twin's root has a checkpoint of the ordinary kind: the same state commit on both)
    expect((await repo.checkout({ table: ROWS, ref: root[ROWS].id, author, reload: 'always' })).reload).not.toBeNull();
    expect(await live(PACKED)).toHaveLength(3000);
    expect(await live(PACKED)).toEqual(await live(ROWS));
    for (const tb of [PACKED, ROWS]) await repo.checkout({ table: tb, ref: 'HEAD~1', author });
    expect(await live(PACKED)).toEqual(await live(ROWS));
    expect(await problems()).toEqual([]);
  });

  it('hashes the root as docs/integrity.md defines scheme 3, recomputed here from each column\'s send bytes', async () => {
    const sha = (...p: Buffer[]) => createHash('sha256').update(Buffer.concat(p)).digest();
    const int4 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const lp = (s: string) => Buffer.from(`${Buffer.byteLength(s)}:${s}`);
    const cols = ['k', 'n', 'name', 'bal', 'at', 'raw', 'f', 'arr', 'j'];
    const sends = ['textsend(k)', 'int4send(n)', 'textsend(name)', 'numeric_send(bal)', 'timestamptz_send(at)', 'byteasend(raw)', 'float8send(f)', 'array_send(arr)', 'jsonb_send(j)'];
    const rows = await q<Record<string, string | null>>(
      `SELECT ${sends.map((s, i) => `encode(${s}, 'hex') AS c${i}`).join(', ')} FROM ${rel()} ORDER BY k COLLATE "C", n`,
    );
    const salts = await q<{ salt: string; hash: string }>(`SELECT encode(salt, 'hex') AS salt, encode(hash, 'hex') AS hash FROM vsg.root_chunks WHERE seq = $1 ORDER BY chunk`, [root[PACKED].seq]);
    const chunkHashes: Buffer[] = [];
    for (let c = 0; c * 1024 < rows.length; c++) {
      const bytes = rows.slice(c * 1024, c * 1024 + 1024).flatMap((r) =>
        cols.map((_, i) => (r[`c${i}`] === null ? int4(-1) : Buffer.concat([int4(r[`c${i}`]!.length / 2), Buffer.from(r[`c${i}`]!, 'hex')]))),
      );
      chunkHashes.push(sha(Buffer.from('vsg-chunk-3'), Buffer.from(salts[c].salt, 'hex'), int4(c), ...bytes));
      expect(chunkHashes[c].toString('hex')).toBe(salts[c].hash);
    }
    const types = await q<{ t: string }>(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [rel()]);
    const header = Buffer.from(cols.map((c, i) => `${lp(c)}${lp(types[i].t)}`).join(''));
    const tableHash = sha(Buffer.from('vsg-table-3'), int4(header.length), header, ...chunkHashes);
    const changeHash = sha(Buffer.from('vsg-changes-2'), lp(String(root[PACKED].tableId)), tableHash).toString('hex');
    const c = await q<{ change_hash: string; re_id: string; id: string }>(
      `SELECT change_hash, id, vsg.commit_hash(parent, merge_parent, table_id, kind, operation, author, message, committed_at, statement, meta, change_hash) AS re_id
       FROM vsg.commits WHERE id = $1`,
      [root[PACKED].id],
    );
    expect(c[0].change_hash).toBe(changeHash);
    expect(c[0].re_id).toBe(c[0].id);
  });

  it('hashes the same chunks from a table as from its copy (a server hashes the table on a second connection while it copies), by either way of reading them', async () => {
    // the table's key has a collation of the database's: its runs are read by numbering every row;
    // the copy has an index in the runs' order: each run is read from just past the last key of the one before
    await repo.sql(`CREATE TABLE same ${shape('numeric(12,2)')}; ${fill('same')}; CREATE TABLE same_copy AS SELECT * FROM same;
      CREATE UNIQUE INDEX ON same_copy (k COLLATE "C", n)`);
    const chunks = async (rel: string) =>
      q<{ ord: string; chunk: string; rows: string; hash: string; first_key: string; last_key: string }>(
        `SELECT ord::text, chunk::text, rows::text, encode(hash, 'hex') AS hash, first_key::text, last_key::text
         FROM vsg.root_chunk_hashes($1::regclass, '{k,n}', '\\x00ff'::bytea, NULL) ORDER BY ord`,
        [rel],
      );
    // each run's last key: the key of its last row in byte order, as a key image
    const lastKeys = async () =>
      (await q<{ k: string; n: string }>(`SELECT k, n::text FROM same ORDER BY k COLLATE "C", n`))
        .filter((_, i, all) => i % 1024 === 1023 || i === all.length - 1)
        .map((r) => `{"k": ${JSON.stringify(r.k)}, "n": "${r.n}"}`);
    const fromTable = await chunks('same');
    expect(fromTable.map((c) => `${c.ord}:${c.chunk}:${c.rows}`)).toEqual(['0:0:1024', '1:1:1024', '2:2:952']);
    // each run's first key, the same both ways, in byte order: 'B' before 'Z' before 'a' before 'b' before 'ä'
    expect(fromTable.map((c) => c.first_key)).toEqual(['{"k": "B0", "n": "1"}', '{"k": "Z371", "n": "2603"}', '{"k": "b259", "n": "1814"}']);
    expect(fromTable.map((c) => c.last_key)).toEqual(await lastKeys());
    expect(fromTable[2].last_key).toMatch(/^\{"k": "ä/);
    expect(await chunks('same_copy')).toEqual(fromTable);
    // rows a whole number of runs (the copy's last run ends its table: no empty run after it), and none
    await repo.sql(`DELETE FROM same WHERE n > 2048; DELETE FROM same_copy WHERE n > 2048`);
    const whole = await chunks('same');
    expect(whole.map((c) => `${c.ord}:${c.chunk}:${c.rows}`)).toEqual(['0:0:1024', '1:1:1024']);
    expect(whole.every((c) => /^[0-9a-f]{64}$/.test(c.hash))).toBe(true);
    expect(whole.map((c) => c.last_key)).toEqual(await lastKeys());
    expect(await chunks('same_copy')).toEqual(whole);
    await repo.sql(`DELETE FROM same; DELETE FROM same_copy`);
    expect(await chunks('same')).toEqual([]);
    expect(await chunks('same_copy')).toEqual([]);
    await repo.sql('DROP TABLE same, same_copy');
  });

  it('verifies, and verify names each kind of tampering with the checkpoint', async () => {
    expect(await problems()).toEqual([]);
    const caught = async (tamper: string, undo: string) => {
      await repo.sql(tamper);
      const v = await repo.verify();
      await repo.sql(undo);
      expect(await problems()).toEqual([]);
      return v.problems.map((p) => [p.code, p.commit === root[PACKED].id]);
    };
    const edited = await caught(`UPDATE ${rel()} SET name = 'evil' WHERE n = 1500`, `UPDATE ${rel()} SET name = 'name 1500' WHERE n = 1500`);
    expect(edited).toEqual([['chunk_hash', true]]);
    expect(await caught(`UPDATE ${rel()} SET f = 'Infinity' WHERE n = 2`, `UPDATE ${rel()} SET f = 2 / 3.0 WHERE n = 2`)).toEqual([['chunk_hash', true]]);
    expect(await caught(`INSERT INTO ${rel()} (k, n) VALUES ('zz', 0)`, `DELETE FROM ${rel()} WHERE k = 'zz'`)).toEqual([['chunk_hash', true]]);
    const v = await (async () => {
      await repo.sql(`ALTER TABLE ${rel()} RENAME COLUMN name TO nom`);
      try {
        return await repo.verify();
      } finally {
        await repo.sql(`ALTER TABLE ${rel()} RENAME COLUMN nom TO name`);
      }
    })();
    expect(v.problems.map((p) => p.code)).toEqual(['change_hash']);
    await repo.sql(`ALTER TABLE ${rel()} RENAME TO moved`);
    try {
      expect((await repo.verify()).problems.map((p) => p.code).sort()).toEqual(['change_hash', 'root_checkpoint']);
      await expect(repo.show(root[PACKED].id, { table: PACKED })).rejects.toThrow(/checkpoint holding the rows of root commit/);
    } finally {
      await repo.sql(`ALTER TABLE vsg.moved RENAME TO root_${root[PACKED].tableId}`);
    }
    // a row deleted from the middle: its chunk and every later one shift
    const row = (await q<Record<string, string>>(`SELECT k, n::text FROM ${rel()} ORDER BY k COLLATE "C", n OFFSET 10 LIMIT 1`))[0];
    const copy = `CREATE TABLE vsg.kept AS SELECT * FROM ${rel()} WHERE k = '${row.k}' AND n = ${row.n}`;
    await repo.sql(copy);
    expect(await caught(`DELETE FROM ${rel()} WHERE k = '${row.k}' AND n = ${row.n}`, `INSERT INTO ${rel()} SELECT * FROM vsg.kept; DROP TABLE vsg.kept`)).toEqual([['chunk_hash', true]]);
  });

  it('forget unpacks the chunk holding the row: its values are gone, its chunk-mates read as before and stay vouched for', async () => {
    const key = '{"k":"a14","n":100}';
    const before = norm(await repo.rowLog({ table: PACKED, key: '{"k":"a15","n":105}' }));
    const r = await repo.forget({ table: PACKED, keys: [key], message: 'erasure', author });
    const twin = await repo.forget({ table: ROWS, keys: [key], message: 'erasure', author });
    // the root's row, the UPDATE's and the checkout back's
    expect(r.entry).toMatchObject({ keys: 1, rows: 3, cells: 21 });
    expect(twin.entry).toMatchObject({ keys: 1, rows: 3, cells: 21 });
    const chunks = await q<Record<string, string | null>>(
      `SELECT chunk::text, rows::text, salt IS NULL AS unpacked, jsonb_array_length(keys)::text AS keys, forget_seq::text FROM vsg.root_chunks WHERE seq = $1 ORDER BY chunk`,
      [root[PACKED].seq],
    );
    const seq = String(r.entry.seq);
    // (booleans as PostgreSQL's text: vsg's connections read every value as text)
    expect(chunks.filter((c) => c.unpacked === 't')).toEqual([{ chunk: '1', rows: '1024', unpacked: 't', keys: '1024', forget_seq: seq }]);
    expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel()}`))[0].n).toBe(String(3000 - 1024));
    expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.changes WHERE seq = $1`, [root[PACKED].seq]))[0].n).toBe('1024');
    expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel()} WHERE name = 'name 100!' OR n = 100`))[0].n).toBe('0');
    // both twins read the same, markers aside; a chunk-mate's history is what it was
    expect(norm(await repo.rowLog({ table: PACKED, key: '{"k":"a15","n":105}' }))).toBe(before);
    expect(norm(await repo.show(root[PACKED].id, { table: PACKED }))).toBe(norm(await repo.show(root[ROWS].id, { table: ROWS })));
    expect(norm(await repo.rowLog({ table: PACKED, key }))).toBe(norm(await repo.rowLog({ table: ROWS, key })));
    expect(await problems()).toEqual([]);
  });

  it('verify catches tampering with an unpacked chunk and its seal', async () => {
    const mate = '{"k": "a15", "n": "105"}';
    const at = `seq = ${root[PACKED].seq} AND key = '${mate}'`;
    const saved = (await q<{ after: string; row_hash: string }>(`SELECT after::text, encode(row_hash, 'hex') AS row_hash FROM vsg.changes WHERE ${at}`))[0];
    const tampered = async (sql: string) => {
      await repo.sql(sql);
      const codes = await problems();
      await repo.sql(`UPDATE vsg.changes SET after = '${saved.after}', row_hash = decode('${saved.row_hash}', 'hex') WHERE ${at}`);
      return codes;
    };
    // a chunk-mate's value: its own row hash fails
    expect(await tampered(`UPDATE vsg.changes SET after = jsonb_set(after, '{name}', '"evil"') WHERE ${at}`)).toEqual(['row_hash']);
    // ... and with its row hash recomputed to match, the chunk's seal does
    expect(await tampered(`UPDATE vsg.changes SET after = jsonb_set(after, '{name}', '"evil"'), row_hash = vsg.row_hash(salt, table_id, key, before, jsonb_set(after, '{name}', '"evil"')) WHERE ${at}`)).toEqual(['root_seal']);
    // ... and with the seal recomputed too, the FORGET entry's seal, then its id
    const seal = await q<{ seal: string }>(`SELECT encode(seal, 'hex') AS seal FROM vsg.root_chunks WHERE seq = $1 AND salt IS NULL`, [root[PACKED].seq]);
    const codes = await tampered(`UPDATE vsg.changes SET after = jsonb_set(after, '{name}', '"evil"'), row_hash = vsg.row_hash(salt, table_id, key, before, jsonb_set(after, '{name}', '"evil"')) WHERE ${at};
      UPDATE vsg.root_chunks rc SET seal = sha256('vsg-seal-3'::bytea || rc.hash || (SELECT string_agg(ch.row_hash, ''::bytea ORDER BY k.key::text COLLATE "C")
        FROM jsonb_array_elements(rc.keys) AS k(key) JOIN vsg.changes ch ON ch.seq = rc.seq AND ch.key = k.key)) WHERE rc.seq = ${root[PACKED].seq} AND rc.salt IS NULL`);
    await repo.sql(`UPDATE vsg.root_chunks SET seal = decode('${seal[0].seal}', 'hex') WHERE seq = ${root[PACKED].seq} AND salt IS NULL`);
    expect(codes).toEqual(['forget_seal']);
    // a row of the chunk deleted
    const row = (await q<{ row: string }>(`SELECT to_jsonb(ch)::text AS row FROM vsg.changes ch WHERE ${at}`))[0].row;
    await repo.sql(`DELETE FROM vsg.changes WHERE ${at}`);
    const deleted = await problems();
    await repo.sql(`INSERT INTO vsg.changes SELECT * FROM jsonb_populate_record(NULL::vsg.changes, '${row.replaceAll("'", "''")}'::jsonb)`);
    expect(deleted).toEqual(['root_seal']);
    expect(await problems()).toEqual([]);
  });

  it('refuses to forget from a chunk that no longer matches its hash, changing nothing', async () => {
    const snapshot = async () =>
      (await q<{ h: string }>(`SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x.seq, x.key::text), '') || (SELECT count(*) FROM vsg.forgets) || (SELECT string_agg(rc::text, ',' ORDER BY chunk) FROM vsg.root_chunks rc)) AS h FROM vsg.changes x`))[0].h;
    await repo.sql(`UPDATE ${rel()} SET name = 'evil' WHERE n = 2997`);
    const was = await snapshot();
    await expect(repo.forget({ table: PACKED, keys: ['{"k":"ä428","n":2997}'], message: 'x', author })).rejects.toMatchObject({
      code: 'E_VERIFY',
      message: expect.stringMatching(/^cannot forget rows of 'twin_p': 1 chunk\(s\) of the rows of root commit #\d+ do not match their hash; nothing was forgotten$/),
    });
    expect(await snapshot()).toBe(was);
    await repo.sql(`UPDATE ${rel()} SET name = 'name 2997' WHERE n = 2997`);
    expect(await problems()).toEqual([]);
  });

  it('untrack keeps the checkpoint as history; untrack with force drops it', async () => {
    await repo.sql(`CREATE TABLE gone (id int PRIMARY KEY, v text); INSERT INTO gone SELECT g, 'v' || g FROM generate_series(1, 1500) g`);
    const made = (await repo.track('gone', { author })).root;
    const relname = (await q<{ r: string }>(`SELECT relname AS r FROM vsg.checkpoints WHERE commit_id = $1 AND root`, [made.id]))[0].r;
    await repo.untrack('gone', { author });
    expect((await q<{ r: string | null }>(`SELECT to_regclass('vsg.' || $1)::text AS r`, [relname]))[0].r).not.toBeNull();
    expect((await repo.show(made.id, { table: 'gone' })).changes).toHaveLength(1500);
    expect(await problems()).toEqual([]);
    await repo.untrack('gone', { force: true });
    expect((await q<{ r: string | null }>(`SELECT to_regclass('vsg.' || $1)::text AS r`, [relname]))[0].r).toBeNull();
    expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.root_chunks rc WHERE NOT EXISTS (SELECT 1 FROM vsg.commits c WHERE c.seq = rc.seq)`))[0].n).toBe('0');
    expect(await problems()).toEqual([]);
  });

  it('prune past the root drops its checkpoint and chunks, and what is left verifies and reads as the twin', async () => {
    const r = await repo.prune({ before: 'HEAD~1', author, vacuum: false });
    expect(r.checkpoints).toBeGreaterThan(0);
    expect((await q<{ r: string | null }>(`SELECT to_regclass($1)::text AS r`, [rel()]))[0].r).toBeNull();
    expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.root_chunks`))[0].n).toBe('0');
    expect(await problems()).toEqual([]);
    expect(norm(await repo.rowsAt({ table: PACKED, at: 'HEAD' }))).toBe(norm(await repo.rowsAt({ table: ROWS, at: 'HEAD' })));
    expect(norm(await repo.show('HEAD', { table: PACKED }))).toBe(norm(await repo.show('HEAD', { table: ROWS })));
  });
});

/**
 * Finding the chunk that holds a key (schema version 24): each chunk stores its
 * first key, and forget reads the chunk with the greatest first key not above
 * the key, from that first key through the copy's key index. Keys 2, 4, ...
 * 14,000 (bigint: their text order is not their order): chunks from ids 2,
 * 2050, 4098, 6146, 8194, 10242 and 12290 (856 rows), odd ids absent.
 */
describe.each(targetNames())('finding the chunk of a key by the chunks\' first keys on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let rel: string;
  let seq: string;
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const problems = async () => (await repo.verify()).problems.map((p) => [p.code, p.expected, p.actual]);
  const unpacked = async () =>
    (await q<{ chunk: string }>(`SELECT chunk::text FROM vsg.root_chunks WHERE seq = $1 AND salt IS NULL ORDER BY chunk`, [seq])).map((c) => Number(c.chunk));
  /** Everything a refused forget must leave as it was: change rows, FORGET entries, chunks, the copy. */
  const snapshot = async () =>
    (await q<{ h: string }>(`SELECT md5(coalesce((SELECT string_agg(x::text, ',' ORDER BY x.seq, x.key::text) FROM vsg.changes x), '')
        || (SELECT count(*) FROM vsg.forgets) || (SELECT string_agg(rc::text, ',' ORDER BY chunk) FROM vsg.root_chunks rc)
        || (SELECT count(*) FROM ${rel})) AS h`))[0].h;
  const forget = (...keys: string[]) => repo.forget({ table: 'evens', keys, message: 'erasure', author, vacuum: false });

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE evens (id bigint PRIMARY KEY, v text); INSERT INTO evens SELECT 2 * g, 'v' || g FROM generate_series(1, 7000) g`);
    const made = (await repo.track('evens', { author })).root;
    seq = (await q<{ seq: string }>('SELECT seq::text FROM vsg.commits WHERE id = $1', [made.id]))[0].seq;
    rel = `vsg.root_${(await repo.tables()).find((x) => x.name === 'evens')!.id}`;
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('stores each chunk\'s first key: the key image of its first row in key order', async () => {
    const chunks = await q<{ rows: string; first_key: string }>(`SELECT rows::text, first_key::text FROM vsg.root_chunks WHERE seq = $1 ORDER BY chunk`, [seq]);
    expect(chunks.map((c) => [c.rows, c.first_key])).toEqual([
      ...[2, 2050, 4098, 6146, 8194, 10242].map((id) => ['1024', `{"id": "${id}"}`]),
      ['856', '{"id": "12290"}'],
    ]);
    expect(await problems()).toEqual([]);
  });

  it('forget of a key in the first, a middle and the last chunk unpacks that chunk alone, reading that chunk\'s rows of the copy and one probe of the key twice', async () => {
    for (const [key, chunk, rows] of [['100', 0, 1024], ['5000', 2, 1024], ['14000', 6, 856]] as const) {
      const before = await unpacked();
      const [read] = await readOf(repo, [rel], () => forget(key));
      expect(await unpacked()).toEqual([...before, chunk].sort());
      // the chunk's rows, read from its first key through the key index; the key's row, probed by check and by unpack
      expect(read).toBe(rows + 2);
      expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel} WHERE id = $1`, [key]))[0].n).toBe('0');
    }
    expect((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel}`))[0].n).toBe(String(7000 - 2 * 1024 - 856));
    expect(await problems()).toEqual([]);
  });

  it('a key absent between two chunks holds no row: nothing unpacked for it, beside a key of a chunk unpacked before', async () => {
    await expect(forget('2049')).rejects.toMatchObject({ code: 'E_NO_ROW' });
    // 102: chunk 0 is change rows now, blanked as any; 2049 lies between chunks 0 and 1
    const r = await forget('2049', '102');
    expect(r.entry).toMatchObject({ keys: 1, rows: 1 });
    expect(await unpacked()).toEqual([0, 2, 6]);
    expect(await problems()).toEqual([]);
  });

  it('a tampered first key leads to a refusal, nothing changed, or to the right chunk; verify reports it', async () => {
    const tamper = (key: string) => repo.sql(`UPDATE vsg.root_chunks SET first_key = '${key}' WHERE seq = ${seq} AND chunk = 3`);
    const refused = async (key: string, why: RegExp) => {
      const was = await snapshot();
      await expect(forget(key)).rejects.toMatchObject({ code: 'E_VERIFY', message: expect.stringMatching(why) });
      expect(await snapshot()).toBe(was);
    };
    const reported = (stored: string) => [['chunk_first_key', 'chunk 3: {"id": "6146"}', `chunk 3: ${stored}`]];
    // above the chunk's first row: a key of it below the stored first key is led to chunk 1, whose rows match their
    // hash and do not hold it; a key above it reads from there, rows that do not match chunk 3's hash
    await tamper('{"id": "7000"}');
    expect(await problems()).toEqual(reported('{"id": "7000"}'));
    await refused('6200', /the first keys of the chunks of root commit #\d+ do not lead to the chunks holding the keys; nothing was forgotten$/);
    await refused('7100', /1 chunk\(s\) of the rows of root commit #\d+ do not match their hash; nothing was forgotten$/);
    // no key of the column's type
    await tamper('{"id": "x"}');
    expect(await problems()).toEqual(reported('{"id": "x"}'));
    await refused('6200', /a first key of the chunks of root commit #\d+ is no key of its rows; nothing was forgotten$/);
    // between the chunk's first row and the row before it: it reads the chunk's rows all the same
    await tamper('{"id": "6145"}');
    expect(await problems()).toEqual(reported('{"id": "6145"}'));
    await forget('6200');
    expect(await unpacked()).toEqual([0, 2, 3, 6]);
    expect(await problems()).toEqual([]);
  });

  it('forget of a key of a chunk between two unpacked before reads that chunk', async () => {
    const [read] = await readOf(repo, [rel], () => forget('3000'));
    expect(await unpacked()).toEqual([0, 1, 2, 3, 6]);
    expect(read).toBe(1024 + 2);
    expect(await problems()).toEqual([]);
  });

  it('a key whose text the key column\'s type does not take holds no row (an untracked history\'s keys, as typed)', async () => {
    await repo.untrack('evens', { author });
    await expect(forget('abc')).rejects.toMatchObject({ code: 'E_NO_ROW' });
    const r = await forget('abc', '11000');
    expect(r.entry).toMatchObject({ keys: 1, rows: 1 });
    expect(await unpacked()).toEqual([0, 1, 2, 3, 5, 6]);
    expect(await problems()).toEqual([]);
  });
});
