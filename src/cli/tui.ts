/**
 * Running the TUI from the command line (`vsg tui`, `vsg log -i`): Ink and
 * React are loaded here only, so no other command pays for them. The screen
 * is the terminal's alternate one, left on exit: the shell's screen comes
 * back as it was, as with less or vim.
 */
import { usage } from '../errors.js';
import type { LogFilter } from '../tui/source.js';
import type { Outcome, RunContext } from './verb.js';

/** Refuse before anything is opened when stdin or stdout is not a terminal, or JSON is asked for. */
export function requireTerminal(what: string, json = false): void {
  if (json) throw usage(`${what} draws a screen and prints no JSON; use 'vsg log --json' or 'vsg show --json'`);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw usage(`${what} needs a terminal (stdin and stdout); for a pipe or a script use 'vsg log', 'vsg show' or --json`);
  }
}

export async function runTui(ctx: RunContext, filter: LogFilter): Promise<Outcome> {
  requireTerminal('vsg tui');
  const [{ render }, React, { App }] = await Promise.all([import('ink'), import('react'), import('../tui/app.js')]);
  const author = await ctx.author({});
  process.stdout.write('\x1b[?1049h\x1b[H\x1b[2J');
  try {
    const app = render(React.createElement(App, { repo: ctx.repo, style: ctx.style, author, filter }), { exitOnCtrlC: true, patchConsole: false });
    await app.waitUntilExit();
  } finally {
    process.stdout.write('\x1b[?1049l');
  }
  return {};
}
