import type { Command } from 'commander';
import { renderShow } from '../../render/misc.js';
import { renderRowsTable } from '../../render/export.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('show')
    .description('show a commit: its metadata and the rows it changed; <commit>:<table> shows the rows as of that commit')
    .argument('[commit]', 'commit id, prefix, HEAD~N, branch or tag', 'HEAD')
    .option('-t, --table <table>', 'the tracked table (needed for HEAD when several are tracked)')
    .option('--json', 'print JSON')
    .option('--no-pager', 'do not page output')
    .addHelpText('after', '\nExamples:\n  vsg show 3f2a9c1\n  vsg show HEAD~2 -t clients --json\n  vsg show HEAD~2:clients     # the rows as of that commit\n\nExit codes: 0; 3 unknown or ambiguous commit.')
    .action(async (ref: string, opts: { table?: string; json?: boolean; pager?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const rowsAt = /^([^:]+):(.+)$/.exec(ref);
      if (rowsAt) {
        const rows = await repo.rowsAt({ at: rowsAt[1], table: rowsAt[2] });
        return opts.json ? cli.json(rows) : cli.out(renderRowsTable(rows, cli.style), { page: true, pager: opts.pager });
      }
      const r = await repo.show(ref, { table: opts.table });
      await (opts.json ? cli.json(r) : cli.out(renderShow(r, cli.style), { page: true, pager: opts.pager }));
    });
}
