/** The write-back statements (src/core/sql/write-back.ts), as text: no database. */
import { describe, expect, it } from 'vitest';
import {
  bulkDelete,
  bulkInsert,
  bulkUpdate,
  countUpTo,
  identityChanges,
  keyedDelete,
  keyedInsert,
  keyedUpdate,
  raiseSequence,
  reloadInsert,
  writeSql,
  type WriteColumn,
} from '../../src/core/sql/write-back.js';

const col = (name: string, type: string, more: Partial<WriteColumn> = {}): WriteColumn => ({ name, type, generated: false, identity: '', defaultExpr: null, ...more });

/** A plain table: one integer key, one text column. */
const items = { qname: '"public"."items"', keyColumns: ['id'] };
const itemCols = [col('id', 'integer'), col('name', 'text')];

/** A composite key (a, b) and a column with a default. */
const pairs = { qname: '"public"."pairs"', keyColumns: ['a', 'b'] };
const pairCols = [col('a', 'integer'), col('b', 'character varying(10)'), col('v', 'numeric', { defaultExpr: '0' })];

/** Hostile names: quotes, spaces, $, mixed case; an identity column and a generated one. */
const hostile = { qname: '"My Schema"."Wei""rd $1 tab"', keyColumns: ['Key $1', "o'k"] };
const hostileCols = [
  col('Key $1', 'integer'),
  col("o'k", 'text'),
  col('Id"x', 'bigint', { identity: 'd' }),
  col('Always', 'bigint', { identity: 'a' }),
  col('g', 'integer', { generated: true }),
];

describe('writeSql (the pieces every write-back shares)', () => {
  it('joins on the key, sets the non-key columns, inserts every writable column', () => {
    const w = writeSql(items, itemCols);
    expect(w.join).toBe(`r."id" = (s.key->>'id')::integer`);
    expect(w.set).toBe(`"name" = CASE WHEN s.img ? 'name' THEN (s.img->>'name')::text ELSE NULL END`);
    expect(w.insertColumns).toBe('"id", "name"');
    expect(w.image('o')).toBe(`jsonb_build_object('id', "o"."id"::text, 'name', "o"."name"::text)`);
    expect(w.key('r')).toBe(`jsonb_build_object('id', "r"."id"::text)`);
  });

  it('matches a composite key column by column, in key order, each in its type; a missing value takes the default', () => {
    const w = writeSql(pairs, pairCols);
    expect(w.join).toBe(`r."a" = (s.key->>'a')::integer AND r."b" = (s.key->>'b')::character varying(10)`);
    expect(w.keyMatch('k')).toBe(`k."a" = (s.key->>'a')::integer AND k."b" = (s.key->>'b')::character varying(10)`);
    expect(w.set).toBe(`"v" = CASE WHEN s.img ? 'v' THEN (s.img->>'v')::numeric ELSE 0 END`);
  });

  it('quotes hostile names as identifiers and as literals; keeps identity values on update, never writes generated columns', () => {
    const w = writeSql(hostile, hostileCols);
    expect(w.join).toBe(`r."Key $1" = (s.key->>'Key $1')::integer AND r."o'k" = (s.key->>'o''k')::text`);
    expect(w.set).toBe(`"Id""x" = CASE WHEN s.img ? 'Id"x' THEN (s.img->>'Id"x')::bigint ELSE r."Id""x" END`);
    expect(w.insertColumns).toBe(`"Key $1", "o'k", "Id""x", "Always"`);
    expect(w.insertValues).toContain(`ELSE nextval(pg_get_serial_sequence('"My Schema"."Wei""rd $1 tab"', 'Id"x')) END`);
    expect(w.insertValues).not.toContain('"g"');
  });

  it('has nothing to set when every column is a key column', () => {
    expect(writeSql({ qname: '"k"', keyColumns: ['id'] }, [col('id', 'integer')]).set).toBe('');
  });
});

describe('keyed write-back statements', () => {
  it('reads images staged under another name, and deletes only the rows a condition keeps (a write-back across tables)', () => {
    const w = writeSql(items, itemCols, 'pg_temp.vsg_apply_2');
    expect(keyedDelete(items, w, 'NOT EXISTS (SELECT 1)')).toBe(
      `DELETE FROM "public"."items" r WHERE r."id" = ANY (ARRAY(SELECT (s.key->>'id')::integer FROM pg_temp.vsg_apply_2 s WHERE s.img IS NULL)) AND NOT EXISTS (SELECT 1)`,
    );
    expect(keyedInsert(items, w)).toContain('FROM pg_temp.vsg_apply_2 s');
    expect(bulkDelete(items, w, 'pending', 'x')).toContain(`USING pg_temp.vsg_apply_2 s WHERE s.img IS NULL AND r."id" = (s.key->>'id')::integer AND x`);
    expect(raiseSequence(items, 'id', 'images', 'pg_temp.vsg_apply_2')).toContain('FROM pg_temp.vsg_apply_2 s WHERE s.img IS NOT NULL');
  });
  it('deletes, updates and inserts a plain table through its key', () => {
    const w = writeSql(items, itemCols);
    // a one-column key: its index reached by = ANY of the staged keys, never a join the planner may turn into a scan of the table
    expect(keyedDelete(items, w)).toBe(`DELETE FROM "public"."items" r WHERE r."id" = ANY (ARRAY(SELECT (s.key->>'id')::integer FROM pg_temp.vsg_apply s WHERE s.img IS NULL))`);
    expect(keyedUpdate(items, w)).toBe(
      `UPDATE "public"."items" r SET "name" = CASE WHEN s.img ? 'name' THEN (s.img->>'name')::text ELSE NULL END FROM pg_temp.vsg_apply s
       WHERE s.img IS NOT NULL AND r."id" = (s.key->>'id')::integer AND r."id" = ANY (ARRAY(SELECT (s.key->>'id')::integer FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL)) AND (jsonb_build_object('id', "r"."id"::text, 'name', "r"."name"::text)) IS DISTINCT FROM s.img`,
    );
    expect(keyedInsert(items, w)).toBe(
      `INSERT INTO "public"."items" ("id", "name") OVERRIDING SYSTEM VALUE
     SELECT CASE WHEN s.img ? 'id' THEN (s.img->>'id')::integer ELSE NULL END, CASE WHEN s.img ? 'name' THEN (s.img->>'name')::text ELSE NULL END FROM pg_temp.vsg_apply s
     WHERE s.img IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."items" r WHERE r."id" = (s.key->>'id')::integer AND r."id" = ANY (ARRAY(SELECT (s.key->>'id')::integer FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL)))`,
    );
  });

  it('deletes and updates by a composite key: the whole key joined, the first column reached by = ANY', () => {
    const w = writeSql(pairs, pairCols);
    expect(keyedDelete(pairs, w)).toBe(
      `DELETE FROM "public"."pairs" r USING pg_temp.vsg_apply s WHERE s.img IS NULL AND r."a" = (s.key->>'a')::integer AND r."b" = (s.key->>'b')::character varying(10) AND r."a" = ANY (ARRAY(SELECT (s.key->>'a')::integer FROM pg_temp.vsg_apply s WHERE s.img IS NULL))`,
    );
    expect(keyedUpdate(pairs, w)).toContain(
      `WHERE s.img IS NOT NULL AND r."a" = (s.key->>'a')::integer AND r."b" = (s.key->>'b')::character varying(10) AND r."a" = ANY (ARRAY(SELECT (s.key->>'a')::integer FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL)) AND (`,
    );
  });

  it('joins on the key alone where Citus is installed (no probe)', () => {
    const w = { ...writeSql(items, itemCols), probe: false };
    expect(keyedDelete(items, w)).toBe(`DELETE FROM "public"."items" r USING pg_temp.vsg_apply s WHERE s.img IS NULL AND r."id" = (s.key->>'id')::integer`);
    expect(keyedDelete(pairs, { ...writeSql(pairs, pairCols), probe: false }, 'x')).toBe(
      `DELETE FROM "public"."pairs" r USING pg_temp.vsg_apply s WHERE s.img IS NULL AND r."a" = (s.key->>'a')::integer AND r."b" = (s.key->>'b')::character varying(10) AND x`,
    );
    expect(keyedUpdate(items, w)).not.toContain('= ANY');
    expect(keyedInsert(items, w)).toContain(`NOT EXISTS (SELECT 1 FROM "public"."items" r WHERE r."id" = (s.key->>'id')::integer)`);
  });

  it('names a hostile table and its columns only quoted', () => {
    const w = writeSql(hostile, hostileCols);
    expect(keyedDelete(hostile, w)).toBe(
      `DELETE FROM "My Schema"."Wei""rd $1 tab" r USING pg_temp.vsg_apply s WHERE s.img IS NULL AND r."Key $1" = (s.key->>'Key $1')::integer AND r."o'k" = (s.key->>'o''k')::text AND r."Key $1" = ANY (ARRAY(SELECT (s.key->>'Key $1')::integer FROM pg_temp.vsg_apply s WHERE s.img IS NULL))`,
    );
    expect(identityChanges(hostile, w, 'Always')).toBe(
      `SELECT count(*) AS n FROM pg_temp.vsg_apply s JOIN "My Schema"."Wei""rd $1 tab" r ON r."Key $1" = (s.key->>'Key $1')::integer AND r."o'k" = (s.key->>'o''k')::text
       WHERE s.img ? 'Always' AND r."Always"::text IS DISTINCT FROM s.img->>'Always'`,
    );
  });

  it('raises a sequence from the images or from the table; the sequence is a parameter', () => {
    expect(raiseSequence(hostile, 'Id"x', 'images')).toContain(`FROM (SELECT max((s.img->>'Id"x')::numeric)::bigint AS m FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL) x`);
    expect(raiseSequence(hostile, 'Id"x', 'table')).toContain(`FROM (SELECT max("Id""x")::bigint AS m FROM "My Schema"."Wei""rd $1 tab") x`);
    expect(raiseSequence(items, 'id', 'table').startsWith('SELECT setval($1::regclass, x.m)')).toBe(true);
  });
});

describe('bulk write-back statements', () => {
  const w = writeSql(items, itemCols);

  it('counts up to a bound parameter', () => {
    expect(countUpTo(hostile)).toBe(`SELECT count(*)::text AS n FROM (SELECT 1 FROM "My Schema"."Wei""rd $1 tab" LIMIT $1) t`);
  });

  it('records each changed row where the mode says, or nowhere', () => {
    expect(bulkDelete(items, w, 'pending')).toContain(', p AS (INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, key, cur, NULL FROM d)');
    expect(bulkDelete(items, w, 'commit')).toContain(', p AS (INSERT INTO pg_temp.vsg_delta (table_id, key, before, after) SELECT $1, key, cur, NULL FROM d)');
    const discard = bulkDelete(items, w, 'discard');
    expect(discard).toContain('RETURNING 1)');
    expect(discard).not.toContain('$1');
    expect(bulkUpdate(items, w, 'pending')).toContain(`JOIN "public"."items" o ON o."id" = (s.key->>'id')::integer`);
    expect(bulkUpdate(items, w, 'pending')).toContain("SELECT $1, key, cur, img FROM u WHERE cur IS DISTINCT FROM img");
    expect(bulkInsert(items, w, 'commit')).toContain(`RETURNING jsonb_build_object('id', "r"."id"::text) AS key,`);
    expect(bulkInsert(items, w, 'commit')).toContain('SELECT $1, key, NULL::jsonb, img FROM i');
  });

  it('writes a composite-keyed, hostile table only through quoted names', () => {
    const hw = writeSql(hostile, hostileCols);
    const ins = bulkInsert(hostile, hw, 'pending');
    expect(ins.startsWith(`WITH i AS (INSERT INTO "My Schema"."Wei""rd $1 tab" AS r ("Key $1", "o'k", "Id""x", "Always") OVERRIDING SYSTEM VALUE`)).toBe(true);
    expect(bulkUpdate(pairs, writeSql(pairs, pairCols), 'discard')).toContain(`JOIN "public"."pairs" o ON o."a" = (s.key->>'a')::integer AND o."b" = (s.key->>'b')::character varying(10)`);
  });
});

describe('reload', () => {
  it('copies the checkpoint alone when history corrected no key', () => {
    expect(reloadInsert(items, itemCols, 'checkpoint_ab', 0, 10)).toBe(
      `INSERT INTO "public"."items" ("id", "name") OVERRIDING SYSTEM VALUE SELECT k."id", k."name" FROM vsg."checkpoint_ab" k 
     `,
    );
  });

  it('filters corrected keys with NOT IN while few, NOT EXISTS beyond, and adds their images', () => {
    const few = reloadInsert(hostile, hostileCols, 'checkpoint_ab', 3, 10);
    expect(few).toContain(`FROM vsg."checkpoint_ab" k WHERE (k."Key $1", k."o'k") NOT IN (SELECT (s.key->>'Key $1')::integer, (s.key->>'o''k')::text FROM pg_temp.vsg_apply s)`);
    expect(few).toContain('UNION ALL SELECT CASE WHEN');
    expect(few).not.toContain(`k."g"`);
    const many = reloadInsert(pairs, pairCols, 'checkpoint_ab', 11, 10);
    expect(many).toContain(`WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_apply s WHERE k."a" = (s.key->>'a')::integer AND k."b" = (s.key->>'b')::character varying(10))`);
  });
});
