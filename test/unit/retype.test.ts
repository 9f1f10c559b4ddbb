/** Which column type changes can have rewritten a value's text (src/core/retype.ts): only those are compared row by row. */
import { describe, expect, it } from 'vitest';
import { keepsText, retypedColumns } from '../../src/core/retype.js';

describe('type changes that keep every value as it reads', () => {
  it('passes over integers to integers, text and varchar to each other, numeric to the same scale or none', () => {
    for (const [from, to] of [
      ['integer', 'bigint'], ['bigint', 'smallint'], ['text', 'character varying(20)'], ['character varying(5)', 'text'],
      ['character varying', 'character varying(9)'], ['numeric(6,0)', 'numeric(8,0)'], ['numeric(12,2)', 'numeric(9,2)'], ['numeric(12,2)', 'numeric'],
    ]) expect(keepsText(from, to), `${from} -> ${to}`).toBe(true);
  });

  it('compares every other change: a scale, a rounding, another family, fixed-width characters', () => {
    for (const [from, to] of [
      ['numeric(8,2)', 'numeric(10,3)'], ['numeric', 'numeric(10,2)'], ['numeric(6,0)', 'numeric(8,2)'], ['integer', 'numeric(12,2)'],
      ['integer', 'text'], ['character(4)', 'text'], ['real', 'double precision'], ['timestamp without time zone', 'timestamp with time zone'],
      ['numeric(5,-2)', 'numeric(6,-2)'],
    ]) expect(keepsText(from, to), `${from} -> ${to}`).toBe(false);
  });

  it('names the columns, by their name now, whose type changed otherwise', () => {
    const shape = (types: string[]) => ({ columns: types.map((type, i) => ({ num: i + 1, name: `c${i + 1}`, type })), key: [1] });
    expect(retypedColumns(shape(['integer', 'numeric(6,0)', 'text', 'integer']), shape(['bigint', 'numeric(8,2)', 'character varying(3)', 'text']))).toEqual(['c2', 'c4']);
  });
});
