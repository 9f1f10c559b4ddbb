/** The statements that record the values a column type change rewrote (src/core/sql/retype.ts), as text: names quoted, values bound. */
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/db/sql.js';
import { dropRetyped, mendRetyped, recordRetyped, reprintedKey, stageRetyped } from '../../src/core/sql/retype.js';

describe('type change SQL builders', () => {
  it("reads history at HEAD by bound table id and commit beside the retyped columns' text now, names quoted", () => {
    const q = stageRetyped('"public"."we""ird"', ['id'], ["it's"]);
    expect(q).toMatch(/^CREATE TEMP TABLE vsg_retyped ON COMMIT DROP AS/);
    expect(q).toContain(`(${sql('dropped/rows_at')}) x`);
    expect(q).toContain(`SELECT jsonb_build_object('id', "r"."id"::text) AS key, jsonb_build_object('it''s', r."it's"::text) AS cells FROM "public"."we""ird" r`);
    expect(q).toContain('FULL JOIN h ON h.key = l.key');
  });

  it("finds a key history has and the table lacks, or the other way round, that no uncommitted change explains", () => {
    // from the rows already staged (history's at HEAD beside the table's): one side missing is a key only one has
    const q = reprintedKey();
    expect(q).toMatch(/^SELECT min\(r\.key::text\) AS key FROM pg_temp\.vsg_retyped r\s+WHERE \(r\.before IS NULL OR r\.cells IS NULL\)/);
    // the first such key in text order, passing over keys an uncommitted change inserted or deleted
    expect(q).toMatch(/AND NOT EXISTS \(SELECT 1 FROM vsg\.pending p WHERE p\.table_id = \$1::int AND p\.key = r\.key\)$/);
  });

  it("mends each key's first and last uncommitted change from one read of vsg.pending, and records the rest", () => {
    const [first, last] = mendRetyped(['c']);
    for (const u of [first, last]) expect(u).toContain('WITH f AS (SELECT q.key, min(q.seq) AS first, max(q.seq) AS last FROM vsg.pending q WHERE q.table_id = $1::int GROUP BY q.key)');
    // a row is its key's and its sequence number's (a large statement's rows share one)
    expect(first).toContain(`p.key = f.key AND p.seq = f.first AND p.before IS NOT NULL`);
    expect(first).toContain(`unnest(ARRAY['c']::text[]) n(n)`);
    expect(last).toContain(`SET after = p.after || r.cells`);
    expect(last).toContain(`p.key = f.key AND p.seq = f.last AND p.after IS NOT NULL`);
    const insert = recordRetyped(['c']);
    expect(insert).toMatch(/^INSERT INTO vsg\.pending \(table_id, key, before, after\)\s+SELECT \$1::int, r\.key, r\.before, r\.before \|\| /);
    expect(insert).toContain('NOT EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = $1::int AND p.key = r.key)');
    // a forgotten cell (vsg forget's marker, an object) is never rewritten
    expect(insert).toContain(`jsonb_typeof(r.before->n.n) <> 'object'`);
    expect(dropRetyped()).toBe('DROP TABLE pg_temp.vsg_retyped');
  });
});
