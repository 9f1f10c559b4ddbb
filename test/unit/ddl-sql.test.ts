/** The statements over names (src/core/sql/ddl.ts, merge.ts, rows.ts), as text: no database. */
import { describe, expect, it } from 'vitest';
import {
  analyzeTemp,
  copyTable,
  countUpTo,
  createCheckpoint,
  createTempAs,
  declareCursor,
  dropCaptureFunction,
  dropCaptureTriggers,
  dropCheckpoint,
  dropTemp,
  dropTrigger,
  dropVsgFunction,
  fetchForward,
  indexTempKey,
  lockTable,
  truncateTables,
} from '../../src/core/sql/ddl.js';
import { planConflicts, planRows, sideChanges, virtualBase, virtualSide } from '../../src/core/sql/merge.js';
import { blame, rootCommit, rowsAt, snapshotIntoDelta, stateImages } from '../../src/core/sql/rows.js';
import { forgetLive, forgetVacuum, forgetWhere, forgottenFromLive } from '../../src/core/sql/forget.js';
import { sql } from '../../src/db/sql.js';

const items = { qname: '"public"."items"', keyColumns: ['id'] };
const pairs = { qname: '"public"."pairs"', keyColumns: ['a', 'b'] };
const hostile = { qname: '"My Schema"."Wei""rd $1 tab"', keyColumns: ['Key $1', "o'k"] };
const hostileCols = [
  { name: 'Key $1', type: 'integer' },
  { name: "o'k", type: 'text' },
  { name: 'Mixed Case"', type: 'jsonb' },
];

describe('locks, DDL and cursors', () => {
  it('locks and truncates a table by its quoted name', () => {
    expect(lockTable(hostile.qname, 'SHARE ROW EXCLUSIVE')).toBe('LOCK TABLE "My Schema"."Wei""rd $1 tab" IN SHARE ROW EXCLUSIVE MODE');
    expect(lockTable(items.qname, 'ACCESS EXCLUSIVE')).toBe('LOCK TABLE "public"."items" IN ACCESS EXCLUSIVE MODE');
    expect(truncateTables([hostile.qname])).toBe('TRUNCATE "My Schema"."Wei""rd $1 tab"');
    expect(truncateTables([hostile.qname, '"public"."b"'])).toBe('TRUNCATE "My Schema"."Wei""rd $1 tab", "public"."b"');
  });

  it('drops triggers and functions by quoted name', () => {
    expect(dropTrigger('vsg_capture_insert', hostile.qname)).toBe('DROP TRIGGER "vsg_capture_insert" ON "My Schema"."Wei""rd $1 tab"');
    expect(dropCaptureTriggers(hostile.qname)).toBe(sql('tables/drop_triggers').split('%1$s').join('"My Schema"."Wei""rd $1 tab"'));
    expect(dropCaptureTriggers(hostile.qname)).toContain('DROP TRIGGER IF EXISTS vsg_capture_truncate ON "My Schema"."Wei""rd $1 tab";');
    expect(dropCaptureFunction(12)).toBe('DROP FUNCTION IF EXISTS "vsg"."capture_12"()');
    expect(dropCaptureFunction(12, true)).toBe('DROP FUNCTION IF EXISTS "vsg"."capture_12"() CASCADE');
    expect(dropVsgFunction('as_of')).toBe('DROP FUNCTION IF EXISTS "vsg"."as_of"');
    expect(dropVsgFunction('x"; DROP TABLE t; --')).toBe('DROP FUNCTION IF EXISTS "vsg"."x""; DROP TABLE t; --"');
  });

  it('creates and drops checkpoints; the table id is a parameter', () => {
    expect(createCheckpoint('checkpoint_ab', hostile.qname)).toBe(
      `CREATE UNLOGGED TABLE "vsg"."checkpoint_ab" AS SELECT * FROM "My Schema"."Wei""rd $1 tab"
     WHERE NOT EXISTS (SELECT 1 FROM vsg.pending WHERE table_id = $1)`,
    );
    expect(dropCheckpoint('checkpoint_ab')).toBe('DROP TABLE IF EXISTS "vsg"."checkpoint_ab"');
    expect(dropCheckpoint('check"point', false)).toBe('DROP TABLE "vsg"."check""point"');
  });

  it("copies a table as a root's checkpoint, after counting its rows up to a limit", () => {
    expect(copyTable('root_7', hostile.qname)).toBe('CREATE TABLE "vsg"."root_7" AS SELECT * FROM "My Schema"."Wei""rd $1 tab"');
    expect(countUpTo(hostile.qname, 1000)).toBe('SELECT count(*)::text AS n FROM (SELECT FROM "My Schema"."Wei""rd $1 tab" LIMIT 1000) x');
  });

  it('builds temp tables by quoted name', () => {
    expect(dropTemp('vsg_m_ours')).toBe('DROP TABLE IF EXISTS "pg_temp"."vsg_m_ours"');
    expect(createTempAs('vsg_m_rows', 'SELECT 1')).toBe('CREATE TEMP TABLE "vsg_m_rows" ON COMMIT DROP AS SELECT 1');
    expect(indexTempKey('vsg_m_ours_r')).toBe('CREATE INDEX ON "pg_temp"."vsg_m_ours_r" (key)');
    // statistics of the key column alone (the images are never filtered on); the row count comes with any ANALYZE
    expect(analyzeTemp('vsg_m_ours_r')).toBe('ANALYZE "pg_temp"."vsg_m_ours_r" ("key")');
    expect(analyzeTemp('vsg_m_new', ['a"b', 'c'])).toBe('ANALYZE "pg_temp"."vsg_m_new" ("a""b", "c")');
  });

  it('declares and reads a cursor; a fetch size is a whole number', () => {
    expect(declareCursor('vsg_export', 'SELECT 1')).toBe('DECLARE "vsg_export" NO SCROLL CURSOR FOR SELECT 1');
    expect(fetchForward('vsg_export', 1000)).toBe('FETCH FORWARD 1000 FROM "vsg_export"');
    expect(() => fetchForward('vsg_export', 1.5)).toThrow(RangeError);
    expect(() => fetchForward('vsg_export', Number.NaN)).toThrow(RangeError);
  });
});

describe('merge work tables', () => {
  it('materialises the files of sql/merge and sql/diff', () => {
    expect(sideChanges('vsg_m_ours')).toBe(`CREATE TEMP TABLE "vsg_m_ours" ON COMMIT DROP AS SELECT d.key, d.old, d.new FROM (${sql('diff/between')}) d`);
    expect(virtualBase()).toBe(`CREATE TEMP TABLE "vsg_m_vbase" ON COMMIT DROP AS SELECT key, img FROM (${sql('merge/result')}) s`);
    expect(planRows()).toBe(`CREATE TEMP TABLE "vsg_m_rows" ON COMMIT DROP AS ${sql('merge/rows')}`);
    expect(planConflicts()).toBe(`CREATE TEMP TABLE "vsg_m_conf" ON COMMIT DROP AS ${sql('merge/conflicts')}`);
  });

  it('names one side of a virtual base, and only a side', () => {
    const theirs = virtualSide('theirs');
    expect(theirs.startsWith('CREATE TEMP TABLE "vsg_m_theirs" ON COMMIT DROP AS')).toBe(true);
    expect(theirs).toContain('LEFT JOIN pg_temp.vsg_m_theirs_r s ON s.key = k.key');
    expect(theirs).not.toContain('SIDE');
    expect(() => virtualSide('x; DROP' as 'ours')).toThrow();
  });
});

describe('queries over a table’s rows', () => {
  it('reads the images a state differs by', () => {
    expect(stateImages()).toBe(`SELECT d.key, d.old AS img FROM (${sql('diff/between')}) d`);
  });

  it('reads the rows as of a commit, ordered by a composite key', () => {
    const text = rowsAt(pairs, [
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'text' },
      { name: 'v', type: 'numeric' },
    ]);
    expect(text).toContain(`SELECT c0, c1, c2, f FROM (`);
    expect(text).toContain(`SELECT r."a"::text AS c0, r."b"::text AS c1, r."v"::text AS c2, r."a" AS k0, r."b" AS k1, NULL::text AS f FROM "public"."pairs" r WHERE NOT EXISTS (SELECT 1 FROM d WHERE r."a" = (d.key->>'a')::integer AND r."b" = (d.key->>'b')::text)`);
    // a forgotten cell (an object) reads as NULL, never as a value; f maps the row's forgotten columns to their markers
    expect(text).toContain(
      `SELECT d.old->>'a' AS c0, d.old->>'b' AS c1, CASE WHEN jsonb_typeof(d.old->'v') <> 'object' THEN d.old->>'v' END AS c2, (d.old->>'a')::integer AS k0, (d.old->>'b')::text AS k1, ` +
        `(SELECT jsonb_object_agg(e.k, e.v->'forgotten')::text FROM jsonb_each(d.old) AS e(k, v) WHERE jsonb_typeof(e.v) = 'object') AS f FROM d WHERE d.old IS NOT NULL`,
    );
    expect(text.endsWith(') u ORDER BY k0, k1')).toBe(true);
  });

  it('quotes hostile names in the rows as of a commit and in the root snapshot', () => {
    expect(rowsAt(hostile, hostileCols)).toContain(`r."Mixed Case"""::text AS c2, r."Key $1" AS k0, r."o'k" AS k1, NULL::text AS f FROM "My Schema"."Wei""rd $1 tab" r`);
    expect(snapshotIntoDelta(hostile, hostileCols.map((c) => c.name))).toBe(
      `INSERT INTO pg_temp.vsg_delta (table_id, key, before, after) SELECT $1, jsonb_build_object('Key $1', "r"."Key $1"::text, 'o''k', "r"."o'k"::text), NULL, ` +
        `jsonb_build_object('Key $1', "r"."Key $1"::text, 'o''k', "r"."o'k"::text, 'Mixed Case"', "r"."Mixed Case"""::text) FROM "My Schema"."Wei""rd $1 tab" r`,
    );
    expect(snapshotIntoDelta(items, ['id'])).toBe(
      `INSERT INTO pg_temp.vsg_delta (table_id, key, before, after) SELECT $1, jsonb_build_object('id', "r"."id"::text), NULL, jsonb_build_object('id', "r"."id"::text) FROM "public"."items" r`,
    );
  });

  it("makes the root commit from the table's own rows, hostile names quoted, the rest from sql/commit/root.sql", () => {
    expect(rootCommit(hostile, hostileCols.map((c) => c.name))).toBe(
      `WITH snap AS (SELECT jsonb_build_object('Key $1', "r"."Key $1"::text, 'o''k', "r"."o'k"::text) AS key, ` +
        `jsonb_build_object('Key $1', "r"."Key $1"::text, 'o''k', "r"."o'k"::text, 'Mixed Case"', "r"."Mixed Case"""::text) AS after FROM "My Schema"."Wei""rd $1 tab" r),\n` +
        sql('commit/root'),
    );
    expect(rootCommit(items, ['id'])).toBe(
      `WITH snap AS (SELECT jsonb_build_object('id', "r"."id"::text) AS key, jsonb_build_object('id', "r"."id"::text) AS after FROM "public"."items" r),\n${sql('commit/root')}`,
    );
  });

  it('blames the whole table by walking the chain, one key through its own changes', () => {
    const cols = [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
    ];
    const all = blame(items, cols, false);
    expect(all.startsWith('WITH RECURSIVE chain AS (')).toBe(true);
    expect(all).toContain(`live AS (SELECT jsonb_build_object('id', "r"."id"::text) AS key, jsonb_build_object('id', "r"."id"::text, 'name', "r"."name"::text) AS img FROM "public"."items" r\n`);
    const one = blame(hostile, hostileCols, true);
    // one key: its changes read once (vsg.key_changes probes each copy that can hold the key), then the chain
    expect(one.startsWith('WITH kc AS MATERIALIZED (')).toBe(true);
    expect(one.match(/vsg\.key_changes\(/g)).toHaveLength(1);
    expect(one).toContain('), chain AS (');
    expect(one).toContain(`FROM "My Schema"."Wei""rd $1 tab" r, (SELECT $3::jsonb AS key) q WHERE "r"."Key $1" = ("q".key->>'Key $1')::integer AND "r"."o'k" = ("q".key->>'o''k')::text`);
    expect(one).toContain('SELECT l.key::text, l.img::text, la.last::text, pc.cols::text AS pend');
    // a state commit's changes: for one key its difference there alone; the other function is not even planned
    expect(one).toContain('CROSS JOIN LATERAL vsg.state_diff_key($1, c.parent, chain.id, $3::jsonb) d');
    expect(one).not.toContain('vsg.state_diff(');
    expect(all).toContain('CROSS JOIN LATERAL vsg.state_diff($1, c.parent, chain.id, false) d');
    expect(all).not.toContain('vsg.state_diff_key(');
  });
});

describe('forget’s statements over a table’s rows', () => {
  it('selects keys by a predicate over the live rows and every image of history, hostile names quoted', () => {
    const text = forgetWhere(hostile, `"o'k" = 'x'`);
    expect(text).toContain(`SELECT jsonb_build_object('Key $1', "t"."Key $1"::text, 'o''k', "t"."o'k"::text) FROM "My Schema"."Wei""rd $1 tab" AS t WHERE ("o'k" = 'x')`);
    expect(text).toContain(`SELECT ch.key, i.img - coalesce(ch.forgotten, '{}'::text[]) AS img FROM vsg.changes ch`);
    expect(text).toContain(`WHERE ch.seq IN (SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1::int) AND ch.table_id = $1::int AND i.img IS NOT NULL\n`);
    expect(text).toContain(`WHERE EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::"My Schema"."Wei""rd $1 tab", h.img) AS t WHERE ("o'k" = 'x'))`);
    expect(text.startsWith('INSERT INTO pg_temp.vsg_forget (key)')).toBe(true);
  });

  it('deletes the live rows, or sets the columns to NULL, by key in its own type', () => {
    expect(forgetLive(items, [{ name: 'id', type: 'integer' }], null)).toBe(
      `DELETE FROM "public"."items" AS t WHERE (t."id") IN (SELECT (k.key->>'id')::integer FROM pg_temp.vsg_forget k)`,
    );
    expect(forgetLive(hostile, hostileCols, ['Mixed Case"'])).toBe(
      `UPDATE "My Schema"."Wei""rd $1 tab" AS t SET "Mixed Case""" = NULL WHERE (t."Key $1", t."o'k") IN (SELECT (k.key->>'Key $1')::integer, (k.key->>'o''k')::text FROM pg_temp.vsg_forget k)`,
    );
  });

  it('vacuums what it rewrote: vsg.changes, vsg.pending, and with --live the table', () => {
    const base = ['vsg.changes', 'vsg.pending', 'vsg.base_rows'];
    expect(forgetVacuum(base)).toBe('VACUUM vsg.changes, vsg.pending, vsg.base_rows');
    expect(forgetVacuum([...base, hostile.qname])).toBe('VACUUM vsg.changes, vsg.pending, vsg.base_rows, "My Schema"."Wei""rd $1 tab"');
    expect(forgetVacuum([...base, 'vsg.root_7', items.qname], true)).toBe('VACUUM FULL vsg.changes, vsg.pending, vsg.base_rows, vsg.root_7, "public"."items"');
  });

  it('fills forgotten cells of staged images from the live row', () => {
    const text = forgottenFromLive(items, [{ name: 'id', type: 'integer' }, { name: 'v', type: 'text' }]);
    expect(text).toContain(`(SELECT jsonb_build_object('id', "t"."id"::text, 'v', "t"."v"::text) FROM "public"."items" AS t WHERE "t"."id" = ("a".key->>'id')::integer)`);
    expect(text).toContain(`WHERE a.img IS NOT NULL AND jsonb_path_exists(a.img, '$.* ? (@.type() == "object")')`);
  });
});
