/** The progress helper: what a line says, and that it draws only on a terminal, after the delay. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLine, startProgress, withProgress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string };
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  Object.assign(s, { isTTY, text: () => out });
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progressLine', () => {
  it('shows a percentage with a total, a count without, a spinner with neither', () => {
    expect(progressLine('restoring clients', 450, 1000, 1234, 0)).toBe('restoring clients:  45% (450/1000) 1.2s');
    expect(progressLine('restoring clients', 1000, 1000, 2000, 0)).toBe('restoring clients: 100% (1000/1000) 2.0s');
    expect(progressLine('scanning', 42, undefined, 500, 0)).toBe('scanning: 42 0.5s');
    expect(progressLine('starting', undefined, undefined, 1500, 1)).toBe('starting ⠙ 1.5s');
  });
});

describe('startProgress', () => {
  it('draws nothing when the stream is not a terminal', async () => {
    const s = fakeStream(false);
    const p = startProgress('work', { stream: s, delayMs: 0, env: {} });
    await sleep(150);
    p.done();
    expect(s.text()).toBe('');
    expect(p.visible).toBe(false);
  });

  it('draws nothing for work shorter than the delay', async () => {
    const s = fakeStream(true);
    await withProgress('quick', async () => sleep(20), { stream: s, delayMs: 300, env: {} });
    expect(s.text()).toBe('');
  });

  it('draws in place on a terminal after the delay, and erases the line when done', async () => {
    const s = fakeStream(true);
    const p = startProgress('copying', { stream: s, delayMs: 10, total: 10, env: {} });
    p.update(5);
    await sleep(150);
    expect(p.visible).toBe(true);
    p.done();
    expect(s.text()).toMatch(/^\r\x1b\[Kcopying: {2}50% \(5\/10\) \d+\.\ds/);
    expect(s.text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('is off with VSG_PROGRESS=0 or TERM=dumb', async () => {
    for (const env of [{ VSG_PROGRESS: '0' }, { TERM: 'dumb' }]) {
      const s = fakeStream(true);
      const p = startProgress('x', { stream: s, delayMs: 0, env });
      await sleep(50);
      p.done();
      expect(s.text()).toBe('');
    }
  });
});
