/** Strict JSON with a position (config files): no database. */
import { describe, expect, it } from 'vitest';
import { jsonProblem, lineColumn } from '../../src/config/json.js';

describe('jsonProblem', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\"\\u00e9"]} ', '"s"', '0', '{"a":{"b":[]}}']) {
      expect(jsonProblem(text), text).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });
  it('names the offending character and where it is', () => {
    expect(jsonProblem('{"a": 1,}')).toEqual({ offset: 7, reason: "unexpected ',' before '}'" });
    expect(jsonProblem('[1, 2, ]')).toEqual({ offset: 5, reason: "unexpected ',' before ']'" });
    expect(jsonProblem('{a: 1}')).toEqual({ offset: 1, reason: "unexpected 'a', expected a property name in double quotes" });
    expect(jsonProblem("{'a': 1}")?.offset).toBe(1);
    expect(jsonProblem('{"a" 1}')).toEqual({ offset: 5, reason: "unexpected '1', expected ':'" });
    expect(jsonProblem('{"a": 1 "b": 2}')).toEqual({ offset: 8, reason: `unexpected '"', expected ',' or '}'` });
    expect(jsonProblem('{"a": ')).toEqual({ offset: 6, reason: 'unexpected end of input' });
    expect(jsonProblem('{"a": "x')).toEqual({ offset: 6, reason: 'unterminated string' });
    expect(jsonProblem('{} x')).toEqual({ offset: 3, reason: "unexpected 'x' after the end of the value" });
    expect(jsonProblem('[01]')?.offset).toBe(2);
  });
  it('turns an offset into a 1-based line and column', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
