import { describe, expect, it } from 'vitest';
import { imageExpr, keyExpr, keyMatch } from '../../src/db/images.js';

describe('row image and key expressions', () => {
  it('builds an image of every column, names quoted as identifiers and as literals', () => {
    expect(imageExpr(['id', "O'Brien", 'My"Col'], 'r')).toBe(
      `jsonb_build_object('id', "r"."id"::text, 'O''Brien', "r"."O'Brien"::text, 'My"Col', "r"."My""Col"::text)`,
    );
  });
  it('splits a wide table into calls of 50 columns (jsonb_build_object takes 100 arguments)', () => {
    const cols = Array.from({ length: 120 }, (_, i) => `c${i}`);
    const e = imageExpr(cols, 'o');
    expect(e.split(' || ')).toHaveLength(3);
    expect(e.match(/::text/g)).toHaveLength(120);
    expect(e.startsWith(`jsonb_build_object('c0', "o"."c0"::text,`)).toBe(true);
    expect(e).toContain(`'c49', "o"."c49"::text) || jsonb_build_object('c50', "o"."c50"::text`);
  });
  it('gives the empty image for a table without columns', () => {
    expect(imageExpr([], 'r')).toBe(`'{}'::jsonb`);
  });
  it('builds a key in key order', () => {
    expect(keyExpr(['b', 'a'], 'r')).toBe(`jsonb_build_object('b', "r"."b"::text, 'a', "r"."a"::text)`);
  });
  it('matches a key image column by column in each column type, leaving out columns that are gone', () => {
    const cols = [
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'character varying(10)' },
    ];
    expect(keyMatch(['a', 'b'], cols, 'r', 'q')).toBe(`"r"."a" = ("q".key->>'a')::integer AND "r"."b" = ("q".key->>'b')::character varying(10)`);
    expect(keyMatch(['a', 'gone'], cols, 'r', 'q')).toBe(`"r"."a" = ("q".key->>'a')::integer`);
  });
  it('refuses a NUL byte in a name', () => {
    expect(() => imageExpr(['a\u0000b'], 'r')).toThrow(/NUL/);
  });
});
