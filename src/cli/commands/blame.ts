import type { Command } from 'commander';
import { renderBlame } from '../../render/blame.js';
import type { Cli } from '../context.js';
import { withProgress } from '../progress.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('blame')
    .description('per row and column, the commit, author and time that last set the current value')
    .argument('[key]', "one row: '7', 'id=7', or 'a=1,b=x' for a composite key")
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('--json', 'print JSON')
    .option('--no-pager', 'do not page output')
    .addHelpText('after', "\nExamples:\n  vsg blame -t clients 7\n  vsg blame -t clients --json\n\nExit codes: 0; 3 unknown table, bad key, or no such row.")
    .action(async (key: string | undefined, opts: { table?: string; json?: boolean; pager?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const r = await withProgress('blaming', () => repo.blame({ table: opts.table, key }));
      await (opts.json ? cli.json(r) : cli.out(renderBlame(r, cli.style), { page: true, pager: opts.pager }));
    });
}
