/** The one key parser (blame, log --row, resolve): no database. */
import { describe, expect, it } from 'vitest';
import { parseKey } from '../../src/core/keys.js';
import { ExitCode, VsgError } from '../../src/errors.js';

function failure(spec: string, keyColumns: string[]): VsgError {
  try {
    parseKey(spec, keyColumns);
  } catch (e) {
    if (e instanceof VsgError) return e;
    throw e;
  }
  throw new Error(`'${spec}' parsed`);
}

describe('parseKey', () => {
  it('reads a bare value, column=value pairs and JSON', () => {
    expect(parseKey('7', ['id'])).toEqual({ id: '7' });
    expect(parseKey(' id=7 ', ['id'])).toEqual({ id: '7' });
    expect(parseKey('a=1, b=x', ['a', 'b'])).toEqual({ a: '1', b: 'x' });
    // JSON values become text forms, as vsg stores keys
    expect(parseKey('{"a": 1, "b": "x"}', ['a', 'b'])).toEqual({ a: '1', b: 'x' });
  });

  it('with one key column, reads anything but JSON or exactly <column>=value as the value', () => {
    expect(parseKey('a,b', ['k'])).toEqual({ k: 'a,b' });
    expect(parseKey('x=y', ['k'])).toEqual({ k: 'x=y' });
    expect(parseKey('name=7', ['id'])).toEqual({ id: 'name=7' });
    expect(parseKey('k=a,b', ['k'])).toEqual({ k: 'a,b' });
    expect(parseKey('k = x=y', ['k'])).toEqual({ k: 'x=y' });
    expect(parseKey('kk=1', ['k'])).toEqual({ k: 'kk=1' });
    expect(parseKey('{"k": "a,b"}', ['k'])).toEqual({ k: 'a,b' });
  });

  it('names the JSON form in the hint of a bad key, quoted for the shell', () => {
    expect(failure('{a,b', ['k']).hint).toBe(`give the value, or k=value, or the key as JSON: '{"k":"{a,b"}'`);
    expect(failure('7', ['a', 'b']).hint).toBe(`give a=value,b=value, or the key as JSON: '{"a":"…","b":"…"}'`);
  });

  it('refuses a bad key as a bad request (exit 3), the same way for every command', () => {
    for (const [spec, cols] of [
      ['7', ['a', 'b']],
      ['{nope', ['id']],
      ['a=1', ['a', 'b']],
    ] as const) {
      const e = failure(spec, [...cols]);
      expect(e.code, spec).toBe('E_BAD_KEY');
      expect(e.exitCode, spec).toBe(ExitCode.input);
    }
  });
});
