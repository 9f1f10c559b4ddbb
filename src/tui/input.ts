/**
 * Keys that reach the TUI together. Ink reads the terminal and hands each
 * escape sequence to useInput alone, but a run of plain characters read at
 * once (fast typing, a paste, keys queued while the machine was busy) comes
 * as one input: `qqq`, `jjkj`, `/change 3\r`. Compared with single keys, all
 * of them would be lost; split, each is handled in order.
 */
import type { Key } from 'ink';

/** A CSI sequence Ink did not name (its ESC stripped): `[200~`, a mouse report. Never typed text. */
const SEQUENCE = /^\[[<=>?]?[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]$/;

/**
 * The keys of one input, in order, each as Ink hands a single key over:
 * enter, tab and backspace as flags with no text, a control character as
 * ctrl plus its letter, a capital with shift. An input of one character, an
 * escape sequence (arrows and the like, already a flag), a sequence Ink did
 * not name or a mouse report is one key, as given.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = [...input];
  if (chars.length <= 1 || SEQUENCE.test(input) && /[\x30-\x3f]/.test(input)) return [[input, key]];
  const plain = Object.fromEntries(Object.entries(key).map(([k, v]) => [k, typeof v === 'boolean' ? false : v])) as unknown as Key;
  return chars.map((c): [string, Key] => {
    if (c === '\r' || c === '\n') return ['', { ...plain, return: true }];
    if (c === '\t') return ['', { ...plain, tab: true }];
    if (c === '\x7f' || c === '\b') return ['', { ...plain, backspace: true }];
    const code = c.codePointAt(0) as number;
    if (code < 0x20) return [String.fromCharCode(code + 0x60), { ...plain, ctrl: true }];
    return [c, /[A-Z]/.test(c) ? { ...plain, shift: true } : plain];
  });
}
