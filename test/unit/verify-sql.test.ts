/** The statement `vsg verify --checkpoints` compares a checkpoint with (src/core/sql/verify.ts), as text: names quoted, values bound. */
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/db/sql.js';
import { checkpointDiff } from '../../src/core/sql/verify.js';

describe('checkpoint comparison SQL', () => {
  it('reads history by bound table id and commit, the copy by its quoted name, and passes over the columns named', () => {
    const q = checkpointDiff('checkpoint_"x', ['id'], [{ name: 'id' }, { name: "it's" }, { name: 'retyped' }], ['retyped']);
    // history alone, as sql/dropped/rows_at.sql reads it
    expect(q).toContain(`(${sql('dropped/rows_at')}) x`);
    expect(q).toContain(`SELECT jsonb_build_object('id', "r"."id"::text) AS key, jsonb_build_object('id', "r"."id"::text, 'it''s', "r"."it's"::text, 'retyped', "r"."retyped"::text) AS img FROM vsg."checkpoint_""x" r`);
    // a cell history lacks or marks forgotten is passed over; others compare as text
    expect(q).toContain(`(h.img->'it''s' IS NULL OR h.img->'it''s' = k.img->'it''s' OR jsonb_typeof(h.img->'it''s') = 'object')`);
    expect(q).not.toContain(`h.img->'retyped'`);
    expect(q).toMatch(/FROM h FULL JOIN k ON k\.key = h\.key\s+WHERE h\.key IS NULL OR k\.key IS NULL OR NOT \(/);
    expect(q).toMatch(/SELECT \(count\(\*\) OVER \(\)\)::text AS differ, key::text, expected::text, actual::text FROM bad ORDER BY key LIMIT 1$/);
  });

  it('compares keys alone where every column is passed over', () => {
    expect(checkpointDiff('c', ['id'], [{ name: 'id' }], ['id'])).toContain('OR NOT (true)');
  });
});
