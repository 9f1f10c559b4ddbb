/** The statements that read and recreate a dropped table (src/core/sql/dropped.ts), as text: names quoted, values bound. */
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/db/sql.js';
import { createSchema, createTable, historyRows, insertHistoryRows, sequenceOwnedBy, sequencePastMax } from '../../src/core/sql/dropped.js';

describe('dropped-table SQL builders', () => {
  it('recreates columns with their recorded types, NOT NULL, defaults and the key, names quoted', () => {
    expect(
      createTable('"public"."we""ird"', [
        { name: 'id', type: 'integer', notNull: true, defaultExpr: "nextval('t_id_seq'::regclass)" },
        { name: 'a"b', type: 'numeric(6,2)', notNull: false, defaultExpr: null },
      ], ['id']),
    ).toBe(`CREATE TABLE "public"."we""ird" ("id" integer NOT NULL DEFAULT nextval('t_id_seq'::regclass), "a""b" numeric(6,2), PRIMARY KEY ("id"))`);
    expect(createSchema('s"x')).toBe('CREATE SCHEMA IF NOT EXISTS "s""x"');
    expect(sequenceOwnedBy('"s"', '"public"."t"', 'id')).toBe('ALTER SEQUENCE "s" OWNED BY "public"."t"."id"');
    expect(sequencePastMax('"public"."t"', 'id')).toBe('SELECT setval($1::regclass, max("id")) FROM "public"."t" HAVING max("id") IS NOT NULL');
  });

  it('reads rows from history by bound table id and commit, in key order', () => {
    const q = historyRows(['id'], [{ name: 'id', type: 'integer' }, { name: "it's", type: 'text' }]);
    expect(q).toContain(`CASE WHEN jsonb_typeof(x.img->'it''s') <> 'object' THEN x.img->>'it''s' END AS c1`);
    expect(q).toContain(`(SELECT jsonb_object_agg(e.k, e.v->'forgotten')::text FROM jsonb_each(x.img) AS e(k, v) WHERE jsonb_typeof(e.v) = 'object') AS f FROM`);
    expect(q).toContain(`(x.key->>'id')::integer AS k0`);
    // history alone, as sql/dropped/rows_at.sql reads it
    expect(q).toContain(`(${sql('dropped/rows_at')}) x`);
    expect(q).toMatch(/ORDER BY k0$/);
    const insert = insertHistoryRows('"public"."t"');
    expect(insert).toMatch(/^INSERT INTO "public"."t" SELECT r\.\* FROM \(.*jsonb_populate_record\(NULL::"public"."t", CASE WHEN .* THEN .* ELSE x\.img END\) r WHERE \$3::text = 'null' OR NOT EXISTS .*$/s);
    // a forgotten cell (an object) becomes JSON null where $3 says 'null'
    expect(insert).toContain(`CASE WHEN jsonb_typeof(e.value) = 'object' THEN 'null'::jsonb ELSE e.value END`);
  });
});
