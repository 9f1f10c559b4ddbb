import { usage } from '../../errors.js';
import { renderRowLog } from '../../render/blame.js';
import { renderDot, renderGraph } from '../../render/graph.js';
import { renderLog } from '../../render/log.js';
import { json, onlyTable, option, pager } from '../options.js';
import { preloadTui, requireTerminal } from '../tui.js';
import { verb } from '../verb.js';

interface Opts {
  table?: string;
  maxCount?: string;
  oneline?: boolean;
  author?: string;
  since?: string;
  until?: string;
  row?: string;
  graph?: boolean;
  format?: string;
  grep?: string;
  interactive?: boolean;
  json?: boolean;
}

export const log = verb<Opts>({
  name: 'log',
  description: 'show commit history, newest first',
  needs: 'read',
  args: [{ name: '[commit]', description: 'start from this commit instead of HEAD' }],
  options: [
    onlyTable(),
    option('-n, --max-count <n>', 'at most n commits'),
    option('--oneline', 'one line per commit'),
    option('--author <who>', 'only commits whose author contains this'),
    option('--since <date>', "only commits at or after this date ('2026-01-31', '2 days ago', 2.weeks.ago, yesterday)"),
    option('--until <date>', 'only commits at or before this date'),
    option('--grep <text>', 'only commits whose message contains this (case-insensitive)'),
    option('--row <key>', "only commits that changed this row ('7', 'id=7', 'a=1,b=x'), with its value after each"),
    option('--graph', 'draw the commit graph beside the log, like git log --graph'),
    option('--format <format>', "'dot': print the commit graph for Graphviz (vsg log --format dot | dot -Tsvg)"),
    option('-i, --interactive', "browse the log full-screen: the same as 'vsg tui' (a terminal only)"),
    json(),
    pager(),
  ],
  examples: ['vsg log -t clients --oneline -n 10', 'vsg log -t clients --row 7', 'vsg log -t clients v1 --row 7', 'vsg log --author alice --since "1 week ago" --json'],
  exits: { 0: '', 2: 'with -i: not a terminal', 3: 'unknown table or commit' },
  check([from], opts) {
    if (opts.interactive) {
      requireTerminal('vsg log -i', opts.json);
      preloadTui();
    }
    const limit = opts.maxCount === undefined ? 0 : Number(opts.maxCount);
    if (!Number.isInteger(limit) || limit < 0) throw usage(`-n '${opts.maxCount}' is not a whole number`);
  },
  async run(ctx, [from], opts) {
    const { repo, style: s } = ctx;
    if (opts.interactive) return (await import('../tui.js')).runTui(ctx, { table: opts.table, author: opts.author, grep: opts.grep, since: opts.since, until: opts.until });
    const limit = opts.maxCount === undefined ? undefined : Number(opts.maxCount);
    const oneline = { oneline: opts.oneline };
    if (opts.row !== undefined) {
      const rl = await repo.rowLog({ table: opts.table, key: opts.row, from });
      if (limit !== undefined) rl.entries = rl.entries.slice(0, limit);
      return { result: rl, render: () => renderRowLog(rl, s, oneline), page: true };
    }
    if (opts.format !== undefined && opts.format !== 'dot') throw usage(`--format '${opts.format}' is not known; try 'dot'`);
    const r = await repo.log({ table: opts.table, from, limit, author: opts.author, since: opts.since, until: opts.until, grep: opts.grep });
    if (opts.format === 'dot') return { result: r, render: () => renderDot(r) };
    if (opts.graph) return { result: r, render: () => renderGraph(r, s, oneline), page: true };
    return { result: r, render: () => renderLog(r, s, oneline), page: true };
  },
});
