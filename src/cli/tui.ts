/**
 * Running the TUI from the command line (`vsg tui`, `vsg log -i`): Ink and
 * React are loaded here only, so no other command pays for them. The screen
 * is the terminal's alternate one, left on exit: the shell's screen comes
 * back as it was, as with less or vim.
 */
import v8 from 'node:v8';
import { usage } from '../errors.js';
import { MOUSE_OFF, MOUSE_ON } from '../tui/mouse.js';
import type { LogFilter } from '../tui/source.js';
import type { Outcome, RunContext } from './verb.js';

/** Refuse before anything is opened when stdin or stdout is not a terminal, or JSON is asked for. */
export function requireTerminal(what: string, json = false): void {
  if (json) throw usage(`${what} draws a screen and prints no JSON; use 'vsg log --json' or 'vsg show --json'`);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw usage(`${what} needs a terminal (stdin and stdout); for a pipe or a script use 'vsg log', 'vsg show' or --json`);
  }
}

let loading: Promise<[typeof import('ink'), typeof import('react'), typeof import('../tui/app.js')]> | undefined;

/**
 * Start loading Ink, React and the TUI: called once the command line is
 * known to want the TUI, so the loading (most of the time to the first
 * frame) overlaps the opening of the repository.
 */
export function preloadTui(): void {
  loading ??= Promise.all([import('ink'), import('react'), import('../tui/app.js')]);
  loading.catch(() => undefined); // reported when awaited
}

export async function runTui(ctx: RunContext, filter: LogFilter): Promise<Outcome> {
  requireTerminal('vsg tui');
  // main keeps WebAssembly in its baseline tier for PGlite's one-shot start (the
  // repository is open by now); Ink's layout engine (yoga, WebAssembly) runs on
  // every frame of a long session: V8's default tiering again
  v8.setFlagsFromString('--wasm-tiering-budget=1800000');
  preloadTui();
  const [{ render }, React, { App, RENDER_OPTIONS }] = await (loading as NonNullable<typeof loading>);
  const author = await ctx.author({});
  // the alternate screen and mouse reports on; every way out turns them off again
  process.stdout.write(`\x1b[?1049h\x1b[H\x1b[2J${MOUSE_ON}`);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(`${MOUSE_OFF}\x1b[?1049l`);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    process.kill(process.pid, signal);
  };
  process.once('exit', restore);
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.once(sig, onSignal);
  try {
    const app = render(React.createElement(App, { repo: ctx.repo, style: ctx.style, author, filter }), { ...RENDER_OPTIONS, exitOnCtrlC: true });
    await app.waitUntilExit();
  } finally {
    restore();
    process.off('exit', restore);
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.off(sig, onSignal);
  }
  return {};
}
