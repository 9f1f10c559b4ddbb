/**
 * A key's history over many large statements kept as copies (hash scheme 3):
 * vsg.key_changes probes every copy of the table in one query
 * (vsg.packed_key_rows), the copies grouped by their columns. Two twin tables
 * get the same history, one of copies and one of change rows (a column of a
 * domain of the user's), with copies of every layout between them: a large
 * INSERT's (every row an insert), UPDATEs' and a DELETE's (their values
 * before), made before and after a column was added, and after the key's
 * type was widened, so that a key only the new type holds is in none of the
 * older copies. Each key's log and blame must read the same from both twins.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { sameForTwins } from '../helpers/twins.js';

vi.setConfig({ testTimeout: 300_000 });

const PACKED = 'keys_p';
const ROWS = 'keys_r';
const shape = (bal: string) => `(k text, n int, bal ${bal}, PRIMARY KEY (k, n))`;
/** each step 10,000 rows or more of one statement (a copy), but the ALTERs */
const STEPS = [
  `INSERT INTO %t SELECT 'b' || (g % 5), g, g / 10.0 FROM generate_series(1, 12000) g`,
  `UPDATE %t SET bal = bal + 1 WHERE n <= 11000`,
  `ALTER TABLE %t ADD COLUMN note text`,
  `UPDATE %t SET note = 'n' || n WHERE n > 1000`,
  `ALTER TABLE %t ALTER COLUMN n TYPE bigint`,
  // moves 10,500 keys above what an int holds: a delete of the old key and an insert of the new
  `UPDATE %t SET n = n + 5000000000 WHERE n > 1500`,
  `DELETE FROM %t WHERE n > 5000002000`,
];

describe.each(targetNames())('a key\'s history over large statements kept as copies on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE DOMAIN bal_d AS numeric(12,2); CREATE TABLE ${PACKED} ${shape('numeric(12,2)')}; CREATE TABLE ${ROWS} ${shape('bal_d')}`);
    for (const tb of [PACKED, ROWS]) {
      await repo.sql(`INSERT INTO ${tb} SELECT 'a', g, g FROM generate_series(1, 100) g`);
      await repo.track(tb, { author });
      for (const step of STEPS) await repo.commit({ table: tb, author, sql: step.replaceAll('%t', tb) });
    }
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('keeps the large statements of one twin as copies of three layouts, the other\'s as change rows', async () => {
    const copies = async (tb: string) =>
      q<{ layout: string }>(
        `SELECT (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                 FROM pg_attribute a WHERE a.attrelid = ('vsg.packed_' || c.seq)::regclass AND a.attnum > 0 AND NOT a.attisdropped) AS layout
         FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id
         WHERE t.table_name = $1 AND c.hash_scheme = 3 AND c.kind <> 'ROOT' ORDER BY c.seq`,
        [tb],
      );
    const layouts = (await copies(PACKED)).map((c) => c.layout);
    expect(layouts).toHaveLength(5);
    // an INSERT's; UPDATEs' and a DELETE's before and after the column was added, and after the key's type changed
    expect(new Set(layouts).size).toBe(4);
    expect(layouts[0]).toBe('k text, n integer, bal numeric(12,2)');
    expect(layouts[4]).toMatch(/^k text, n bigint, bal numeric\(12,2\), note text, vsg:op/);
    expect(await copies(ROWS)).toEqual([]);
  });

  it('reads each key\'s log and blame from the copies as from the twin\'s change rows', async () => {
    const both = async (read: (tb: string) => Promise<unknown>) => {
      const a = sameForTwins(await read(PACKED), [PACKED, ROWS]);
      expect(a).toBe(sameForTwins(await read(ROWS), [PACKED, ROWS]));
      return a;
    };
    // inserted, updated twice, moved away; moved in (only copies made after n became a bigint,
    // which an int cannot hold, have it); moved in then deleted; inserted and updated; tracked and updated
    // (blame: of the rows the table holds)
    const keys = [
      ['{"k":"b2","n":2002}', 4, false],
      ['{"k":"b3","n":5000001503}', 1, true],
      ['{"k":"b1","n":5000011001}', 2, false],
      ['{"k":"b0","n":1000}', 2, true],
      ['{"k":"a","n":50}', 2, true],
    ] as const;
    for (const [key, entries, live] of keys) {
      const log = JSON.parse(await both((tb) => repo.rowLog({ table: tb, key }))) as { entries: unknown[] };
      expect([key, log.entries.length]).toEqual([key, entries]);
      if (live) expect(await both((tb) => repo.blame({ table: tb, key }))).toContain('"commit"');
    }
  });
});

/**
 * A backfill by ranges of the key: each batch a copy whose keys lie in one
 * range. A key's history passes over the copies whose first and last keys
 * (vsg.root_chunks) do not span it, and probes each other's key index once:
 * counted by PostgreSQL's own index scan counts in the reading transaction.
 */
describe.each(targetNames())('a key\'s history over a backfill by ranges of the key on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  /** the copies' seqs: four UPDATE batches of 10,000 keys each, then an INSERT of 10,000 more */
  const batches: number[] = [];
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  /** the copies (by batch, from 1) whose key index a key's history probed, and how many rows it read */
  const probed = (key: number) =>
    repo.db.transaction(async (tx) => {
      // (the counts a backend has not reported yet: of this transaction, and of earlier ones)
      const scans = async () =>
        new Map(
          (
            await tx.query<{ seq: string; n: string }>(
              `SELECT substr(c.relname, 8) AS seq, pg_stat_get_xact_numscans(i.indexrelid)::text AS n
               FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid
               WHERE c.relnamespace = 'vsg'::regnamespace AND c.relname LIKE 'packed\\_%'`,
            )
          ).rows.map((r) => [Number(r.seq), Number(r.n)]),
        );
      const was = await scans();
      const rows = (await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.key_changes((SELECT id FROM vsg.tracked WHERE table_name = 'bf'), $1)`, [JSON.stringify({ id: String(key) })])).rows[0].n;
      const now = await scans();
      expect(now.size).toBe(batches.length);
      const copies = batches.flatMap((seq, i) => Array<number>(now.get(seq)! - was.get(seq)!).fill(i + 1));
      return { copies, rows: Number(rows) };
    });
  const lastKeys = (batch: number) => q<{ chunk: number; last_key: string | null }>(`SELECT chunk, last_key::text FROM vsg.root_chunks WHERE seq = $1 ORDER BY chunk`, [batches[batch - 1]]);
  const entries = async (key: number) => (await repo.rowLog({ table: 'bf', key: String(key) })).entries.length;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE bf (id bigint PRIMARY KEY, v int); INSERT INTO bf SELECT g, 0 FROM generate_series(1, 40000) g`);
    await repo.track('bf', { author });
    const steps = [1, 2, 3, 4].map((b) => `UPDATE bf SET v = v + ${b} WHERE id BETWEEN ${b * 10000 - 9999} AND ${b * 10000}`);
    steps.push(`INSERT INTO bf SELECT g, 5 FROM generate_series(40001, 50000) g`);
    for (const sql of steps) {
      const c = (await repo.commit({ table: 'bf', author, sql })).commit;
      const [r] = await q<{ seq: string; scheme: string }>('SELECT seq::text, hash_scheme::text AS scheme FROM vsg.commits WHERE id = $1', [c.id]);
      expect(r.scheme).toBe('3');
      batches.push(Number(r.seq));
    }
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('probes only the copy whose keys span the key asked, once', async () => {
    // inside a range, at each end of one, in the INSERT's, above every copy's
    expect(await probed(15000)).toEqual({ copies: [2], rows: 2 });
    expect(await probed(10000)).toEqual({ copies: [1], rows: 2 });
    expect(await probed(10001)).toEqual({ copies: [2], rows: 2 });
    expect(await probed(45000)).toEqual({ copies: [5], rows: 1 });
    expect(await probed(60000)).toEqual({ copies: [], rows: 0 });
    // each chunk's last key is its last row's: 10 chunks of 1,024 rows or fewer a copy
    expect((await lastKeys(2)).map((c) => c.last_key)).toEqual([...Array(10).keys()].map((i) => `{"id": "${Math.min(10000 + (i + 1) * 1024, 20000)}"}`));
  });

  it('probes a copy whose chunks have no last key (hashed before schema version 26), and reads the same history', async () => {
    const before = await entries(15000);
    const kept = await lastKeys(1);
    await repo.sql(`UPDATE vsg.root_chunks SET last_key = NULL WHERE seq = ${batches[0]}`);
    try {
      expect(await probed(15000)).toEqual({ copies: [1, 2], rows: 2 });
      expect(await entries(15000)).toBe(before);
      expect((await repo.verify()).problems).toEqual([]);
    } finally {
      for (const c of kept) await q(`UPDATE vsg.root_chunks SET last_key = $1::jsonb WHERE seq = $2 AND chunk = $3`, [c.last_key, batches[0], c.chunk]);
    }
    expect(await probed(15000)).toEqual({ copies: [2], rows: 2 });
  });

  it('verify names an edited last key, which would hide a row from its key\'s history', async () => {
    expect(await entries(19990)).toBe(2);
    await repo.sql(`UPDATE vsg.root_chunks SET last_key = '{"id": "19000"}' WHERE seq = ${batches[1]} AND chunk = 9`);
    try {
      expect(await entries(19990)).toBe(1);
      const v = await repo.verify();
      expect(v.problems.map((p) => [p.code, p.seq === batches[1], p.expected, p.actual])).toEqual([
        ['chunk_last_key', true, 'chunk 9: {"id": "20000"}', 'chunk 9: {"id": "19000"}'],
      ]);
    } finally {
      await repo.sql(`UPDATE vsg.root_chunks SET last_key = '{"id": "20000"}' WHERE seq = ${batches[1]} AND chunk = 9`);
    }
    expect((await repo.verify()).problems).toEqual([]);
    expect(await entries(19990)).toBe(2);
  });
});
