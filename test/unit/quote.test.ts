import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ident, literal, qualified, shellQuote } from '../../src/db/quote.js';
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

describe('shell quoting for hints', () => {
  const bash = (word: string) => spawnSync('bash', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' }).stdout;
  it('leaves plain words bare and quotes the rest so that bash gives them back', () => {
    expect(shellQuote('orders')).toBe('orders');
    expect(shellQuote('public.orders')).toBe('public.orders');
    expect(shellQuote('a b')).toBe('"a b"');
    expect(shellQuote('"we""ird"')).toBe(`'"we""ird"'`);
    for (const w of ['"we""ird"', `"it's here"`, `it's`, 'a b', '$HOME', '`id`', 'a\\b', 'x!y', '', 'a\nb', "'", '*', 'a;b', 'ü 表']) {
      expect(bash(shellQuote(w)), w).toBe(w);
    }
  });
});
