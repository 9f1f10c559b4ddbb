import type { Command } from 'commander';
import { renderRestore } from '../../render/blame.js';
import type { Cli } from '../context.js';
import { withProgress } from '../progress.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('restore')
    .description("put a table to a commit's rows without committing; with no commit, discard uncommitted changes")
    .argument('[commit]', 'commit id, prefix, HEAD~N or tag (default HEAD)')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Afterwards 'vsg status' and 'vsg diff' show the difference against HEAD;
'vsg commit' records it, 'vsg restore' alone discards it again.

Examples:
  vsg restore -t clients              # discard uncommitted changes
  vsg restore HEAD~2 -t clients       # the rows of two commits ago, uncommitted

Exit codes: 0 restored; 3 unknown commit or table; 4 a constraint or trigger refused the rows (nothing changed).`,
    )
    .action(async (ref: string | undefined, opts: { table?: string; json?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const r = await withProgress(`restoring ${ref ?? 'HEAD'}`, () => repo.restore({ table: opts.table, ref }));
      await (opts.json ? cli.json(r) : cli.out(renderRestore(r, cli.style)));
    });
}
