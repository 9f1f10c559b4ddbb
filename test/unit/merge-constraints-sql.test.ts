/** The statements that check a merge against the table's constraints (src/core/sql/merge-constraints.ts), as text: no database. */
import { describe, expect, it } from 'vitest';
import { checkStatements, fillOut, joinedColumns, notNullQuery, notNullTests, prepareStage, prepareTyped, runChecks, stagedImages, stageStatements, violationsQuery, type CheckTarget } from '../../src/core/sql/merge-constraints.js';
import { writeSql, type WriteColumn } from '../../src/core/sql/write-back.js';

const col = (name: string, type: string): WriteColumn => ({ name, type, generated: false, identity: '', defaultExpr: null });

const orders: CheckTarget = {
  relid: '16384',
  qname: '"public"."orders"',
  keyColumns: ['id'],
  columns: [col('id', 'integer'), col('client_id', 'integer'), col('qty', 'integer')],
};

/** Hostile names: quotes, spaces, $ and a composite key. */
const hostile: CheckTarget = {
  relid: '16400',
  qname: '"My Schema"."Wei""rd"',
  keyColumns: ['K $1', "o'k"],
  columns: [col('K $1', 'integer'), col("o'k", 'text'), col('e"mail', 'text')],
};

describe('prepareStage / fillOut', () => {
  it('makes fresh work tables shaped like the table, its not-null columns nullable', () => {
    expect(prepareStage('"public"."orders"', ['id', 'qty'])).toBe(
      [
        'DROP TABLE IF EXISTS "pg_temp"."vsg_m_out"',
        'CREATE TEMP TABLE vsg_m_out (key jsonb, img jsonb) ON COMMIT DROP',
        'DROP TABLE IF EXISTS "pg_temp"."vsg_m_new"',
        'CREATE TEMP TABLE vsg_m_new (LIKE "public"."orders" INCLUDING GENERATED) ON COMMIT DROP',
        'ALTER TABLE pg_temp.vsg_m_new ALTER COLUMN "id" DROP NOT NULL, ALTER COLUMN "qty" DROP NOT NULL',
      ].join(';\n'),
    );
    expect(prepareStage('"public"."orders"', [])).not.toMatch(/ALTER/);
    expect(prepareStage(hostile.qname, ['e"mail'])).toMatch(/ALTER COLUMN "e""mail" DROP NOT NULL$/);
    // untyped: the staged images alone; the typed half made later, when needed
    expect(prepareStage('"public"."orders"', ['qty'], undefined, false)).toBe('DROP TABLE IF EXISTS "pg_temp"."vsg_m_out";\nCREATE TEMP TABLE vsg_m_out (key jsonb, img jsonb) ON COMMIT DROP');
    expect(prepareTyped('"public"."orders"', ['qty'])).toBe(
      'DROP TABLE IF EXISTS "pg_temp"."vsg_m_new";\nCREATE TEMP TABLE vsg_m_new (LIKE "public"."orders" INCLUDING GENERATED) ON COMMIT DROP;\nALTER TABLE pg_temp.vsg_m_new ALTER COLUMN "qty" DROP NOT NULL',
    );
  });

  it('fills vsg_m_out from a source, whose parameters stay its own', () => {
    expect(fillOut('SELECT key, img FROM x WHERE a = $1')).toBe(
      'WITH f AS (INSERT INTO pg_temp.vsg_m_out (key, img) SELECT key, img FROM (SELECT key, img FROM x WHERE a = $1\n) s RETURNING key, img)\n' +
        `SELECT (count(*) FILTER (WHERE img IS NOT NULL AND jsonb_path_exists(img, '$.* ? (@.type() == "object")')))::text AS forgotten FROM f`,
    );
  });
});

describe('violationsQuery', () => {
  it('is null when there is nothing to check', () => {
    expect(violationsQuery(orders, [])).toBeNull();
  });

  it('a foreign key from the table: the merged rows whose non-null key has no parent', () => {
    const q = violationsQuery(orders, [{ kind: 'fk_from', columns: ['client_id'], other: '"public"."clients"', otherColumns: ['id'], self: false, matchFull: false }]) as string;
    expect(q).toContain(`SELECT 0, jsonb_build_object('id', "n"."id"::text), NULL::jsonb, jsonb_build_object('id', n."client_id"::text)
FROM pg_temp.vsg_m_new n WHERE n."client_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."clients" p WHERE p."id" = n."client_id")`);
    expect(q).toMatch(/\) v\(c, key, other, vals\) LEFT JOIN pg_temp\.vsg_m_out s ON s\.key = v\.key$/);
  });

  it('a self-reference finds the parent among the merged rows or the live rows the merge keeps', () => {
    const q = violationsQuery(orders, [{ kind: 'fk_from', columns: ['client_id'], other: orders.qname, otherColumns: ['id'], self: true, matchFull: false }]) as string;
    expect(q).toContain(
      `NOT (EXISTS (SELECT 1 FROM "public"."orders" p WHERE p."id" = n."client_id" AND NOT EXISTS (SELECT 1 FROM pg_temp.vsg_m_out x WHERE x.key = jsonb_build_object('id', "p"."id"::text))) OR EXISTS (SELECT 1 FROM pg_temp.vsg_m_new p WHERE p."id" = n."client_id"))`,
    );
  });

  it('MATCH FULL over two columns: all NULL, or none and a parent', () => {
    const q = violationsQuery(orders, [{ kind: 'fk_from', columns: ['a', 'b'], other: '"s"."p"', otherColumns: ['x', 'y'], self: false, matchFull: true }]) as string;
    expect(q).toContain('WHERE NOT (n."a" IS NULL AND n."b" IS NULL) AND (n."a" IS NULL OR n."b" IS NULL OR NOT EXISTS (SELECT 1 FROM "s"."p" p WHERE p."x" = n."a" AND p."y" = n."b"))');
  });

  it('a foreign key to the table: rows the merge deletes or re-keys that another table still references (whatever the action)', () => {
    const q = violationsQuery(orders, [
      { kind: 'fk_to', columns: ['id'], other: '"public"."items"', otherColumns: ['order_id'], otherKey: ['id'], self: false, onDelete: true, onUpdate: false },
    ]) as string;
    expect(q).toContain(`SELECT 0, s.key, jsonb_build_object('id', "r"."id"::text), jsonb_build_object('order_id', r."order_id"::text)
FROM pg_temp.vsg_m_out s
JOIN "public"."orders" o ON "o"."id" = ("s".key->>'id')::integer
JOIN "public"."items" r ON r."order_id" = o."id"
WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_m_new m WHERE m."id" = o."id")
) v`);
    // a self-reference's own action acts: ON UPDATE CASCADE checks deletions alone
    const self = violationsQuery(orders, [{ kind: 'fk_to', columns: ['id'], other: orders.qname, otherColumns: ['parent'], otherKey: ['id'], self: true, onDelete: true, onUpdate: false }]) as string;
    expect(self).toContain('AND s.img IS NULL AND NOT EXISTS');
    const noKey = violationsQuery(orders, [{ kind: 'fk_to', columns: ['id'], other: '"public"."log"', otherColumns: ['o'], otherKey: null, self: false, onDelete: true, onUpdate: true }]) as string;
    expect(noKey).toContain('SELECT 0, s.key, NULL::jsonb,');
    expect(noKey).not.toMatch(/s\.img IS/);
  });

  it('unique: against the live rows the merge keeps, and between merged rows once a pair; NULLS NOT DISTINCT compares NULLs', () => {
    const q = violationsQuery(hostile, [{ kind: 'unique', columns: ['e"mail'], nullsDistinct: true }]) as string;
    expect(q).toContain(`FROM pg_temp.vsg_m_new n JOIN "My Schema"."Wei""rd" o ON n."e""mail" = o."e""mail" WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_m_out x WHERE x.key = jsonb_build_object('K $1', "o"."K $1"::text, 'o''k', "o"."o'k"::text))`);
    expect(q).toContain(`FROM pg_temp.vsg_m_new n JOIN pg_temp.vsg_m_new m ON n."e""mail" = m."e""mail" AND n.ctid < m.ctid`);
    const nnd = violationsQuery(hostile, [{ kind: 'unique', columns: ['e"mail'], nullsDistinct: false }]) as string;
    expect(nnd).toContain('n."e""mail" IS NOT DISTINCT FROM o."e""mail"');
  });

  it('not-null and check constraints: one part each, numbered by their place in the list', () => {
    const q = violationsQuery(orders, [
      { kind: 'check', name: "it's positive" },
      { kind: 'not null', column: 'qty' },
      { kind: 'not null', column: 'client_id' },
    ]) as string;
    expect(q).toContain(`CROSS JOIN LATERAL (VALUES (1, n."qty" IS NULL), (2, n."client_id" IS NULL)) v(c, missing) WHERE v.missing`);
    expect(q).toContain(`FROM pg_temp.vsg_m_chkv v JOIN (VALUES ('it''s positive', 0)) k(con, c) ON k.con = v.con
JOIN pg_temp.vsg_m_new n ON n.ctid = v.at`);
  });
});

describe('across tables (work tables of their own, the other tables merged)', () => {
  const work = { out: 'vsg_mx_out_7', new: 'vsg_mx_new_7' };
  const clients = { work: { out: 'vsg_mx_out_3', new: 'vsg_mx_new_3' }, keyColumns: ['id'] };
  const merged = new Map([['"public"."clients"', clients]]);

  it('a key to another merged table finds its row among its merged rows or the live rows its merge keeps', () => {
    const q = violationsQuery(orders, [{ kind: 'fk_from', columns: ['client_id'], other: '"public"."clients"', otherColumns: ['id'], self: false, matchFull: false }], work, merged) as string;
    expect(q).toContain(
      `FROM pg_temp.vsg_mx_new_7 n WHERE n."client_id" IS NOT NULL AND NOT (EXISTS (SELECT 1 FROM "public"."clients" p WHERE p."id" = n."client_id" AND NOT EXISTS (SELECT 1 FROM pg_temp.vsg_mx_out_3 x WHERE x.key = jsonb_build_object('id', "p"."id"::text))) OR EXISTS (SELECT 1 FROM pg_temp.vsg_mx_new_3 p WHERE p."id" = n."client_id"))`,
    );
    expect(q).toMatch(/LEFT JOIN pg_temp\.vsg_mx_out_7 s ON s\.key = v\.key$/);
    expect(q).not.toContain('vsg_m_out');
  });

  it('a row still referencing counts whatever the action: of a merged table only when its merge keeps it', () => {
    const cascade = { kind: 'fk_to' as const, columns: ['id'], otherColumns: ['client_id'], otherKey: ['id'], self: false, onDelete: false, onUpdate: false };
    const q = violationsQuery(orders, [{ ...cascade, other: '"public"."clients"' }], work, merged) as string;
    expect(q).toContain(
      `WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_mx_new_7 m WHERE m."id" = o."id") AND NOT EXISTS (SELECT 1 FROM pg_temp.vsg_mx_out_3 x WHERE x.key = jsonb_build_object('id', "r"."id"::text))\n) v`,
    );
    // a table left out of the merge: its live rows, any action
    const out = violationsQuery(orders, [{ ...cascade, other: '"public"."notes"' }], work, new Map()) as string;
    expect(out).toContain('WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_mx_new_7 m WHERE m."id" = o."id")\n) v');
    // one table alone: the same (the action would change the other table, which the merge does not write)
    expect(violationsQuery(orders, [{ ...cascade, other: '"public"."notes"' }])).toContain('WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_m_new m WHERE m."id" = o."id")\n) v');
  });

  it('stages and checks in work tables of its own, named by vsg alone', () => {
    expect(prepareStage('"public"."orders"', [], work)).toContain('CREATE TEMP TABLE vsg_mx_out_7 (key jsonb, img jsonb) ON COMMIT DROP');
    expect(fillOut('SELECT 1', work)).toMatch(/^WITH f AS \(INSERT INTO pg_temp\.vsg_mx_out_7 /);
    expect(stageStatements(writeSql(orders, orders.columns), work)).toContain('FROM pg_temp.vsg_mx_out_7 s WHERE s.img IS NOT NULL;\nCREATE INDEX ON pg_temp.vsg_mx_out_7 (key)');
    // images holding forgotten cells: each such cell typed as NULL, the staged images left as they are
    const forgotten = stageStatements(writeSql(orders, orders.columns), work, true);
    expect(forgotten).toContain(`THEN 'null'::jsonb ELSE e.value END) FROM jsonb_each(img) e)\n        ELSE img END AS img FROM pg_temp.vsg_mx_out_7) s WHERE s.img IS NOT NULL;`);
    expect(forgotten).not.toMatch(/UPDATE/);
    const run = runChecks(orders, true, 'SELECT 1', work);
    expect(run).toContain('FROM pg_temp.vsg_mx_new_7');
    expect(run).not.toContain('vsg_m_new');
    expect(stagedImages(work)).toBe('SELECT key, img FROM pg_temp.vsg_mx_out_7');
    expect(() => stagedImages({ out: 'x; DROP TABLE y', new: 'vsg_m_new' })).toThrow(/not a merge work table/);
  });
});

describe('checkStatements', () => {
  it('stages the merged rows as the write-back writes them, then runs the checks and the query last', () => {
    const text = checkStatements(orders, writeSql(orders, orders.columns), true, 'SELECT 1');
    expect(text.startsWith(`INSERT INTO pg_temp.vsg_m_new ("id", "client_id", "qty") SELECT CASE WHEN s.img ? 'id' THEN (s.img->>'id')::integer ELSE NULL END,`)).toBe(true);
    expect(text).toContain('FROM pg_temp.vsg_m_out s WHERE s.img IS NOT NULL;\nCREATE INDEX ON pg_temp.vsg_m_out (key)');
    expect(text).toContain('tpl regclass := 16384::oid::regclass;');
    expect(text).not.toContain('RELID');
    expect(text.endsWith(';\nSELECT 1')).toBe(true);
    expect(checkStatements(orders, writeSql(orders, orders.columns), false, 'SELECT 1')).not.toContain('DO $vsg_check$');
  });

  it('analyses the staged images on their key, and the typed rows only on the columns the checks join on', () => {
    const none = checkStatements(orders, writeSql(orders, orders.columns), false, 'SELECT 1');
    expect(none).toContain('ANALYZE pg_temp.vsg_m_out (key)');
    expect(none).not.toContain('ANALYZE pg_temp.vsg_m_new');
    const some = checkStatements(orders, writeSql(orders, orders.columns), false, 'SELECT 1', false, ['client_id', 'we"ird']);
    expect(some).toContain('ANALYZE pg_temp.vsg_m_new ("client_id", "we""ird")');
  });
});

describe('joinedColumns', () => {
  it('lists the unique and foreign-key columns once each; not-null and check constraints join on nothing', () => {
    expect(
      joinedColumns([
        { kind: 'not null', column: 'qty' },
        { kind: 'check', name: 'qty_positive' },
        { kind: 'unique', columns: ['code', 'client_id'], nullsDistinct: true },
        { kind: 'fk_from', columns: ['client_id'], other: '"public"."clients"', otherColumns: ['id'], self: false, matchFull: false },
        { kind: 'fk_to', columns: ['id'], other: '"public"."lines"', otherColumns: ['order_id'], otherKey: ['id'], self: false, onDelete: true, onUpdate: true },
      ]),
    ).toEqual(['code', 'client_id', 'id']);
    expect(joinedColumns([{ kind: 'not null', column: 'qty' }])).toEqual([]);
  });

  it('takes only an oid as the table', () => {
    expect(() => checkStatements({ ...orders, relid: '1; DROP TABLE x' }, writeSql(orders, orders.columns), true, 'SELECT 1')).toThrow(/not an oid/);
  });
});

describe('notNullTests', () => {
  const cols: WriteColumn[] = [
    col('id', 'integer'),
    { ...col('qty', 'integer'), defaultExpr: '1' },
    { ...col('n', 'bigint'), identity: 'a' },
    col('we"ird', 'text'),
    { ...col('total', 'integer'), generated: true },
  ];
  const nn = (column: string) => ({ kind: 'not null' as const, column });
  it("judges the staged images: JSON null, or a column the image lacks whose fallback is NULL (its default evaluated only then)", () => {
    const tests = notNullTests([nn('qty'), nn('n'), nn('we"ird')], cols) as string;
    expect(tests).toBe(
      [
        "(0, CASE WHEN s.img ? 'qty' THEN s.img -> 'qty' = 'null'::jsonb ELSE (1) IS NULL END)",
        "(1, CASE WHEN s.img ? 'n' THEN s.img -> 'n' = 'null'::jsonb ELSE false END)",
        `(2, CASE WHEN s.img ? 'we"ird' THEN s.img -> 'we"ird' = 'null'::jsonb ELSE true END)`,
      ].join(', '),
    );
    // staged and judged in one statement, a row per violation beside the count of forgotten cells
    const fill = fillOut('SELECT 1', { out: 'vsg_mx_out_7', new: 'vsg_mx_new_7' }, tests);
    expect(fill).toMatch(/^WITH f AS \(INSERT INTO pg_temp\.vsg_mx_out_7 \(key, img\) SELECT key, img FROM \(SELECT 1\n\) s RETURNING key, img\), n AS \(SELECT \(count/);
    expect(fill).toContain(`SELECT n.forgotten, v.c, v.key, v.other, v.vals, v.img FROM n LEFT JOIN (SELECT v.c::text AS c, s.key::text AS key, NULL::text AS other, NULL::text AS vals, s.img::text AS img\nFROM f s CROSS JOIN LATERAL (VALUES ${tests}) v(c, missing)\nWHERE s.img IS NOT NULL AND v.missing) v ON true`);
    // or, after staging, over the staged images
    expect(notNullQuery(tests)).toContain(`FROM pg_temp.vsg_m_out s CROSS JOIN LATERAL (VALUES ${tests})`);
  });
  it('leaves to the typed rows any other kind of check, a generated column, or nothing to check', () => {
    expect(notNullTests([nn('qty'), { kind: 'check', name: 'qty_positive' }], cols)).toBeNull();
    expect(notNullTests([nn('total')], cols)).toBeNull();
    expect(notNullTests([], cols)).toBeNull();
  });
});
