/**
 * splitKeys (src/tui/input.ts): keys that reach the TUI in one read, as Ink
 * hands them over (one input), become the single keys a user pressed.
 */
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { splitKeys } from '../../src/tui/input.js';

const none = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
} as Key;
const flags = (k: Key) => Object.entries(k).filter(([, v]) => v === true).map(([n]) => n);
const split = (input: string, key: Key = none) => splitKeys(input, key).map(([i, k]) => [i, ...flags(k)]);

describe('splitKeys', () => {
  it('one key is given as it came', () => {
    expect(split('q')).toEqual([['q']]);
    expect(split('', { ...none, upArrow: true })).toEqual([['', 'upArrow']]);
    expect(split('😀')).toEqual([['😀']]);
  });
  it('a run of keys is each of them, in order: enter, backspace, tab and control keys as Ink names them', () => {
    expect(split('qqq')).toEqual([['q'], ['q'], ['q']]);
    expect(split('/ab\r')).toEqual([['/'], ['a'], ['b'], ['', 'return']]);
    expect(split('Gx\x7f\t')).toEqual([['G', 'shift'], ['x'], ['', 'backspace'], ['', 'tab']]);
    expect(split('j\x03')).toEqual([['j'], ['c', 'ctrl']]);
    expect(split('[[')).toEqual([['['], ['[']]);
  });
  it('a sequence Ink did not name, or a mouse report, stays one input', () => {
    expect(split('[200~')).toEqual([['[200~']]);
    expect(split('[<64;12;5M')).toEqual([['[<64;12;5M']]);
  });
});
