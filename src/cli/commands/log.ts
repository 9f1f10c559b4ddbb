import type { Command } from 'commander';
import { ExitCode, VsgError } from '../../errors.js';
import { renderLog } from '../../render/log.js';
import { renderDot, renderGraph } from '../../render/graph.js';
import { renderRowLog } from '../../render/blame.js';
import type { Cli } from '../context.js';

interface Opts {
  table?: string;
  maxCount?: string;
  oneline?: boolean;
  author?: string;
  since?: string;
  until?: string;
  json?: boolean;
  pager?: boolean;
  row?: string;
  graph?: boolean;
  format?: string;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('log')
    .description('show commit history, newest first')
    .argument('[commit]', 'start from this commit instead of HEAD')
    .option('-t, --table <table>', 'only this table')
    .option('-n, --max-count <n>', 'at most n commits')
    .option('--oneline', 'one line per commit')
    .option('--author <who>', 'only commits whose author contains this')
    .option('--since <date>', "only commits at or after this date ('2026-01-31', '2 days ago')")
    .option('--until <date>', 'only commits at or before this date')
    .option('--row <key>', "only commits that changed this row ('7', 'id=7', 'a=1,b=x'), with its value after each")
    .option('--graph', 'draw the commit graph beside the log, like git log --graph')
    .option('--format <format>', "'dot': print the commit graph for Graphviz (vsg log --format dot | dot -Tsvg)")
    .option('--json', 'print JSON')
    .option('--no-pager', 'do not page output')
    .addHelpText('after', '\nExamples:\n  vsg log -t clients --oneline -n 10\n  vsg log -t clients --row 7\n  vsg log --author alice --since "1 week ago" --json\n\nExit codes: 0; 3 unknown table or commit.')
    .action(async (from: string | undefined, opts: Opts, cmd: Command) => {
      const g = cli.setup(cmd);
      const limit = opts.maxCount === undefined ? undefined : Number(opts.maxCount);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        throw new VsgError('E_USAGE', `-n '${opts.maxCount}' is not a whole number`, { exitCode: ExitCode.usage });
      }
      const repo = await cli.repo(g);
      if (opts.row !== undefined) {
        const rl = await repo.rowLog({ table: opts.table, key: opts.row });
        if (limit !== undefined) rl.entries = rl.entries.slice(0, limit);
        if (opts.json) return cli.json(rl);
        return cli.out(renderRowLog(rl, cli.style, { oneline: opts.oneline }), { page: true, pager: opts.pager });
      }
      if (opts.format !== undefined && opts.format !== 'dot') {
        throw new VsgError('E_USAGE', `--format '${opts.format}' is not known; try 'dot'`, { exitCode: ExitCode.usage });
      }
      const r = await repo.log({ table: opts.table, from, limit, author: opts.author, since: opts.since, until: opts.until });
      if (opts.json) return cli.json(r);
      if (opts.format === 'dot') return cli.out(renderDot(r));
      if (opts.graph) return cli.out(renderGraph(r, cli.style, { oneline: opts.oneline }), { page: true, pager: opts.pager });
      await cli.out(renderLog(r, cli.style, { oneline: opts.oneline }), { page: true, pager: opts.pager });
    });
}
