/**
 * The statements vsg builds in TypeScript around its sql/ files (no
 * database): the write-back's fill, forgetting no-op changes, and a
 * rollback's change-set CTE. Parameters must line up and spliced
 * expressions must arrive verbatim (a `$` in a quoted name included).
 */
import { describe, expect, it } from 'vitest';
import { fillSql, shiftParams } from '../../src/core/sql/apply-fill.js';
import { forgetSql, rollbackSql } from '../../src/core/sql/timetravel.js';

describe('shiftParams', () => {
  it('renumbers every $n, leaving other dollars alone', () => {
    expect(shiftParams('SELECT $1, $2::oid, $10 FROM t WHERE a = $1', 3)).toBe('SELECT $4, $5::oid, $13 FROM t WHERE a = $4');
    expect(shiftParams('SELECT $1', 0)).toBe('SELECT $1');
    expect(shiftParams(`SELECT 'a$b', $x`, 2)).toBe(`SELECT 'a$b', $x`);
  });
});

describe('fillSql', () => {
  it("puts the source's parameters first and its own after them", () => {
    const f = fillSql({ text: 'SELECT $1::jsonb AS key, $2::jsonb AS img', params: ['k', 'i'] }, '16384', '"public"."items"', 4, 50_000);
    expect(f.params).toEqual(['k', 'i', '16384', 4, 50_000]);
    expect(f.text).toContain('FROM (SELECT $1::jsonb AS key, $2::jsonb AS img\n  ) s');
    // the row image is built in TypeScript from the columns, never asked of the server
    expect(f.text).not.toContain('image_expr');
    expect(f.text).toContain('LIMIT (SELECT filled * $4::bigint + 1 FROM got)');
    expect(f.text).toContain('g.filled < $5::bigint');
    // the columns and sequences queries, renumbered to the table's parameter
    expect(f.text).toContain('a.attrelid = $3::oid');
    expect(f.text).not.toMatch(/\$1::oid/);
    expect(f.text).toContain('FROM "public"."items" LIMIT');
  });
  it('takes a source without parameters', () => {
    const f = fillSql({ text: 'SELECT key, img FROM x', params: [] }, '1', '"s"."t"', 4, 10);
    expect(f.params).toEqual(['1', 4, 10]);
    expect(f.text).toContain('a.attrelid = $1::oid');
  });
});

describe('forgetSql', () => {
  const exprs = { img: `jsonb_build_object('a$1', r."a$1"::text)`, match: `r."a$1" = (n.key->>'a$1')::int` };
  it('splices the expressions verbatim', () => {
    const text = forgetSql('"public"."t"', exprs, false);
    expect(text).toContain(`(SELECT ${exprs.img} FROM "public"."t" r WHERE ${exprs.match})`);
    expect(text).toMatch(/DELETE FROM vsg\.pending p USING gone WHERE p\.table_id = \$1 AND p\.key = gone\.key$/);
  });
  it('with counts, leaves the forgotten keys out of them', () => {
    const text = forgetSql('"public"."t"', exprs, true);
    expect(text).toContain('d AS (\n       DELETE FROM vsg.pending');
    expect(text).toContain('key NOT IN (SELECT key FROM gone)');
    expect(text).toContain('AS inserted');
  });
});

describe('rollbackSql', () => {
  const exprs = { img: `jsonb_build_object('id', r.id::text, 'x$1', r."x$1"::text)`, match: `r.id = (c.key->>'id')::int` };
  it('reads the change set beside the live rows as the CTE vsg_rollback, in both statements', () => {
    const s = rollbackSql('"public"."items"', exprs);
    for (const text of [s.conflicts, s.source]) {
      expect(text.startsWith('WITH vsg_rollback AS MATERIALIZED (')).toBe(true);
      expect(text).toContain(`(SELECT ${exprs.img} FROM "public"."items" r WHERE ${exprs.match}) AS cur`);
      expect(text).not.toContain('{{');
      expect(text).not.toContain('pg_temp.vsg_rollback');
    }
    expect(s.conflicts).toMatch(/\) x ORDER BY 1, 7, 2$/);
    expect(s.source).toContain('FROM vsg_rollback');
  });
});
