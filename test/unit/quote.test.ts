import { describe, expect, it } from 'vitest';
import { ident, literal, qualified } from '../../src/db/quote.js';
import { maskUrl, scrub } from '../../src/db/db.js';

describe('identifier quoting', () => {
  it('always quotes, doubling embedded quotes', () => {
    expect(ident('clients')).toBe('"clients"');
    expect(ident('My"Table')).toBe('"My""Table"');
    expect(ident('a; DROP TABLE x; --')).toBe('"a; DROP TABLE x; --"');
    expect(qualified('Sales', 'order')).toBe('"Sales"."order"');
  });
  it('refuses a NUL byte rather than truncating', () => {
    expect(() => ident('a\u0000b')).toThrow(/NUL/);
    expect(() => literal('a\u0000b')).toThrow(/NUL/);
  });
  it('quotes literals by doubling single quotes', () => {
    expect(literal("O'Brien")).toBe("'O''Brien'");
  });
});

describe('password masking', () => {
  it('masks the password of a URL, special characters included', () => {
    const url = 'postgres://alice:p%40ss%23w%25rd%24@db.example:5432/app';
    expect(maskUrl(url)).toBe('postgres://alice:***@db.example:5432/app');
    expect(maskUrl('postgres://bob@host/db')).toBe('postgres://bob@host/db');
  });
  it('scrubs a secret from any text, raw or URL-encoded', () => {
    expect(scrub('failed for p@ss#w%rd$ and p%40ss%23w%25rd%24', ['p@ss#w%rd$'])).toBe('failed for *** and ***');
  });
});
