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
