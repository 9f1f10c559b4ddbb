/**
 * `vsg tui` in ink-testing-library's fake terminal, for the component tests
 * (test/integration/tui*.test.ts): open the App over a repository, wait for
 * frames, send keys. `unmountAll` after each test.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import type { Repository } from '../../src/index.js';
import { makeStyle } from '../../src/render/style.js';
import { App, type TuiProps } from '../../src/tui/app.js';

export const plain = makeStyle(false);
export const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A' };

export type Ui = ReturnType<typeof render>;
const mounted: Ui[] = [];

/** The App over `repo`, 120 × 24, plain style, author 'tester' (unless `props` say otherwise). */
export function open(repo: Repository, props: Partial<TuiProps> = {}): Ui {
  const ui = render(React.createElement(App, { repo, style: plain, author: 'tester', size: { columns: 120, rows: 24 }, ...props }));
  mounted.push(ui);
  return ui;
}

/** Unmount every App opened since the last call. */
export function unmountAll(): void {
  for (const ui of mounted.splice(0)) ui.unmount();
}

/** The frame once `test` holds (the App reads the database between frames). */
export async function frame(ui: Ui, test: (f: string) => boolean, what = 'the frame'): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const f = ui.lastFrame() ?? '';
    if (test(f)) return f;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const showing = (ui: Ui, text: string | RegExp) => frame(ui, (f) => (typeof text === 'string' ? f.includes(text) : text.test(f)), String(text));

/** Send one key, then wait for the frame it leads to. */
export async function press(ui: Ui, key: string, then: string | RegExp): Promise<string> {
  ui.stdin.write(key);
  return showing(ui, then);
}

/** The selected line of a frame. */
export const selected = (f: string) => f.split('\n').find((l) => l.startsWith('>')) ?? '';
