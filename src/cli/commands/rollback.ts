import type { Command } from 'commander';
import { renderRollback } from '../../render/blame.js';
import type { Cli } from '../context.js';
import { withProgress } from '../progress.js';

interface Opts {
  table?: string;
  message?: string;
  author?: string;
  force?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('rollback')
    .description("undo one commit's change set as a new ROLLBACK commit, like git revert")
    .argument('[commit]', 'the commit to undo (default HEAD)')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('-m, --message <msg>', 'commit message (default: Rollback "<message>")')
    .option('--author <who>', 'author (default: VSG_AUTHOR, .vsgrc, the OS user)')
    .option('-f, --force', 'undo even rows and cells changed since (overwriting those changes)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
The undo is cell-level: an updated row gets back only the columns that commit
changed, so a later change to another column of the same row is kept. A row or
cell changed since (by a later commit or an uncommitted change) is a conflict:
nothing changes unless --force.

Examples:
  vsg rollback -t clients               # undo HEAD
  vsg rollback 3f2a9c1 -t clients

Exit codes: 0 rolled back; 1 conflict, or nothing left to undo; 3 unknown commit or table;
4 a constraint or trigger refused the rows (nothing changed).`,
    )
    .action(async (ref: string | undefined, opts: Opts, cmd: Command) => {
      const g = cli.setup(cmd);
      const repo = await cli.repo(g);
      const author = await cli.author(opts);
      const r = await withProgress(`rolling back ${ref ?? 'HEAD'}`, () =>
        repo.rollback({ table: opts.table, ref, message: opts.message, author, force: opts.force }),
      );
      await (opts.json ? cli.json(r) : cli.out(renderRollback(r, cli.style)));
    });
}
