/**
 * The mouse wheel. Ink reads no mouse: the terminal is asked for SGR mouse
 * reports (button events, mode 1000, in the SGR encoding, mode 1006) while the
 * TUI runs, and asked to stop on every way out, so the terminal is left as it
 * was found. A report reaches useInput as `[<64;12;5M` (Ink strips the escape).
 */

/** Turn button reports on, SGR-encoded. */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
/** Turn them off again (in the reverse order). */
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

const REPORT = /\x1b?\[<(\d+);(\d+);(\d+)([Mm])/g;

/**
 * The wheel's lines in one input: +1 a notch down, -1 a notch up, summed over
 * every report the input holds (a fast wheel sends several at once); 0 for
 * reports of other buttons (clicks are ignored); null when the input holds no report.
 */
export function wheelSteps(input: string): number | null {
  let found = false;
  let steps = 0;
  for (const m of input.matchAll(REPORT)) {
    found = true;
    const button = Number(m[1]);
    // 64 wheel up, 65 wheel down; +4/+8/+16 are shift, meta and ctrl held
    if (m[4] === 'M' && (button & 64) !== 0 && (button & 3) < 2) steps += (button & 1) === 1 ? 1 : -1;
  }
  return found ? steps : null;
}
