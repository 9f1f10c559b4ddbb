import { json, option, onlyTable } from '../options.js';
import { preloadTui, requireTerminal, runTui } from '../tui.js';
import { verb } from '../verb.js';

interface Opts {
  table?: string;
  author?: string;
  since?: string;
  until?: string;
  grep?: string;
  all?: boolean;
  json?: boolean;
}

export const tui = verb<Opts>({
  name: 'tui',
  description: 'browse and act on history full-screen: the log, commits, diffs, branches and tags',
  needs: 'read',
  options: [
    onlyTable(),
    option('--author <who>', 'only commits whose author contains this'),
    option('--since <date>', 'only commits at or after this date'),
    option('--until <date>', 'only commits at or before this date'),
    option('--grep <text>', 'only commits whose message contains this (case-insensitive)'),
    option('--all', 'the commits of every branch, drawn as a graph'),
    json(),
  ],
  help: `The log is read a page at a time, so a long history opens at once; its
filters (and '/' search) run in the database; --all draws every branch as a
graph. Enter opens a commit as 'vsg show' prints it, and a row of it its
history and blame; d diffs; b lists branches and tags (enter switches, M
merges, conflicts resolved one by one); c checks a commit out, t tags it, B
branches from it, R rolls it back, X restores: each after asking. The mouse
wheel scrolls; ? lists every key; q leaves the screen as it was.
Needs a terminal: piped or scripted, it refuses (exit 2); use 'vsg log' or
--json there (with --json it refuses too, the error as JSON). 'vsg log -i'
is the same. See docs/tui.md.`,
  examples: ['vsg tui', 'vsg tui --all', 'vsg tui -t clients --author alice', 'vsg log -i --grep refund'],
  exits: { 0: '', 2: 'not a terminal', 3: 'unknown table' },
  check(_args, opts) {
    requireTerminal('vsg tui', opts.json);
    preloadTui();
  },
  async run(ctx, _args, opts) {
    return runTui(ctx, { table: opts.table, author: opts.author, since: opts.since, until: opts.until, grep: opts.grep, all: opts.all });
  },
});
