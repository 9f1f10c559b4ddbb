import type { Command } from 'commander';
import { renderCheckout } from '../../render/blame.js';
import type { Cli } from '../context.js';
import { withProgress } from '../progress.js';
import { switchAction } from './switch.js';

interface Opts {
  table?: string;
  message?: string;
  author?: string;
  force?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('checkout')
    .description("put a table back to a commit's rows, recorded as a new CHECKOUT commit on top of HEAD")
    .argument('<commit>', 'commit id, prefix, HEAD~N or tag; a branch name switches to it, as in git')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('-m, --message <msg>', 'commit message (default names the commit checked out)')
    .option('--author <who>', 'author (default: VSG_AUTHOR, .vsgrc, the OS user)')
    .option('-f, --force', 'overwrite uncommitted changes')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Only the rows that differ between the table and the commit are written; history
is never rewritten. A checkout to the state the table already has commits nothing.

Examples:
  vsg checkout HEAD~3 -t clients
  vsg checkout 3f2a9c1 -t clients -m "back to before the import"
  vsg checkout feature -t clients      # a branch: same as 'vsg switch feature'

Exit codes: 0 checked out (or already there); 1 uncommitted changes (use --force);
3 unknown commit or table; 4 a constraint or trigger refused the rows (nothing changed).`,
    )
    .action(async (ref: string, opts: Opts, cmd: Command) => {
      const g = cli.setup(cmd);
      const repo = await cli.repo(g);
      // As in git, checking out a branch switches to it (--force discards changes).
      if (await repo.isBranch(ref, { table: opts.table })) {
        return switchAction(cli, g, ref, { table: opts.table, discard: opts.force, json: opts.json });
      }
      const author = await cli.author(opts);
      const r = await withProgress(`checking out ${ref}`, () =>
        repo.checkout({ table: opts.table, ref, message: opts.message, author, force: opts.force }),
      );
      await (opts.json ? cli.json(r) : cli.out(renderCheckout(r, cli.style)));
    });
}
