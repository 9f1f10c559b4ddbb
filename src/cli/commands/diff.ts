import type { Command } from 'commander';
import { renderDiff } from '../../render/diff.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('diff')
    .description('row and cell differences: HEAD vs the live table, a commit vs the live table, or two commits')
    .argument('[from]', 'the old side (default HEAD)')
    .argument('[to]', 'the new side (default: the live table)')
    .option('-t, --table <table>', 'the tracked table')
    .option('--stat', 'only counts per kind and column')
    .option('--json', 'print JSON')
    .option('--exit-code', 'exit 1 when there are differences')
    .option('--no-pager', 'do not page output')
    .addHelpText('after', '\nExamples:\n  vsg diff                     # uncommitted changes\n  vsg diff HEAD~3              # three commits ago vs now\n  vsg diff 3f2a9c1 8e41d07 --json\n\nExit codes: 0; 1 differences (with --exit-code); 3 unknown table or commit.')
    .action(async (from: string | undefined, to: string | undefined, opts: { table?: string; stat?: boolean; json?: boolean; exitCode?: boolean; pager?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const d = await repo.diff({ table: opts.table, from, to });
      await (opts.json ? cli.json(d) : cli.out(renderDiff(d, cli.style, { stat: opts.stat }), { page: true, pager: opts.pager }));
      if (opts.exitCode && d.changes.length > 0) process.exitCode = 1;
    });
}
