/** The statements vsg builds for Citus distributed tables (src/core/sql/citus.ts, ddl.ts, write-back.ts), as text: no database. */
import { describe, expect, it } from 'vitest';
import { pendingKeys, rollbackKeys } from '../../src/core/sql/citus.js';
import { dropDistPending, liveCopy } from '../../src/core/sql/ddl.js';
import { citusInsert, writeSql } from '../../src/core/sql/write-back.js';

describe('Citus distributed tables: the statements as text', () => {
  it('reads the keys of uncommitted changes, and those a rollback reads, with the commit id as a literal', () => {
    expect(pendingKeys(7)).toBe('SELECT p.key FROM vsg.pending p WHERE p.table_id = 7');
    expect(rollbackKeys(7, "ab'c")).toBe("SELECT c.key FROM vsg.commits x CROSS JOIN LATERAL vsg.commit_rows(x.seq) c WHERE x.id = 'ab''c' AND c.table_id = 7 UNION ALL SELECT p.key FROM vsg.pending p WHERE p.table_id = 7");
  });

  it('copies the live rows of those keys, or every row, into a temp table dropped at commit', () => {
    const keys = [
      { name: 'Key $1', type: 'integer' },
      { name: "o'k", type: 'text' },
    ];
    expect(liveCopy('vsg_live_3', '"My Schema"."t"', keys, 'SELECT p.key FROM vsg.pending p WHERE p.table_id = 3')).toBe(
      `CREATE TEMP TABLE "vsg_live_3" ON COMMIT DROP AS SELECT * FROM "My Schema"."t" r WHERE (r."Key $1", r."o'k") IN (SELECT (x.key->>'Key $1')::integer, (x.key->>'o''k')::text FROM (SELECT p.key FROM vsg.pending p WHERE p.table_id = 3) x)`,
    );
    expect(liveCopy('vsg_live_3', '"public"."t"', keys, null)).toBe('CREATE TEMP TABLE "vsg_live_3" ON COMMIT DROP AS SELECT * FROM "public"."t"');
  });

  it("drops a table's pending table by its id", () => {
    expect(dropDistPending(12)).toBe('DROP TABLE IF EXISTS "vsg"."pending_12"');
  });

  it('inserts the staged images whose keys are absent, found by one uncorrelated subquery', () => {
    const table = { qname: '"public"."d"', keyColumns: ['id'] };
    const w = writeSql(table, [
      { name: 'id', type: 'bigint', generated: false, identity: '', defaultExpr: null },
      { name: 'v', type: 'text', generated: false, identity: '', defaultExpr: null },
    ]);
    const text = citusInsert(table, w).replace(/\s+/g, ' ');
    expect(text).toContain('INSERT INTO "public"."d" ("id", "v") OVERRIDING SYSTEM VALUE SELECT');
    expect(text).toContain(`WHERE s.img IS NOT NULL AND ((s.key->>'id')::bigint) NOT IN ( SELECT r."id" FROM "public"."d" r WHERE (r."id") IN (SELECT (s.key->>'id')::bigint FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL))`);
    expect(text).not.toContain('NOT EXISTS');
  });
});
