import type { Command } from 'commander';
import { renderConflictList } from '../../render/merge.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('conflicts')
    .description('list the conflicts of the merge in progress (key, column, base, ours, theirs)')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('--json', 'print JSON')
    .option('--exit-code', 'exit 1 while conflicts are unresolved')
    .addHelpText('after', '\nExamples:\n  vsg conflicts -t clients\n  vsg conflicts --json --exit-code    # in a script: 1 while any is unresolved\n\nExit codes: 0; 1 unresolved conflicts (with --exit-code); 3 unknown table, no merge in progress.')
    .action(async (opts: { table?: string; json?: boolean; exitCode?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const r = await repo.conflicts({ table: opts.table });
      await (opts.json ? cli.json(r) : cli.out(renderConflictList(r, cli.style)));
      if (opts.exitCode && r.unresolved > 0) process.exitCode = 1;
    });
}
