import type { Command } from 'commander';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('track')
    .description('start versioning a table: capture triggers and a root commit of its current rows')
    .argument('<table>', "table name as SQL would read it (schema.table, '\"MixedCase\"')")
    .option('-m, --message <msg>', 'message of the root commit')
    .option('--author <who>', 'author of the root commit')
    .addHelpText('after', '\nExamples:\n  vsg track clients\n  vsg track billing.invoices\n\nExit codes: 0 tracked; 1 already tracked; 3 no such table or no primary key.')
    .action(async (name: string, opts: { message?: string; author?: string }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const r = await repo.track(name, { author: await cli.author(opts), message: opts.message });
      await cli.out(`tracking ${r.table.display} on branch main [${cli.style.yellow(r.root.shortId)}] ${r.root.inserted} rows`);
    });

  program
    .command('untrack')
    .description('stop versioning a table and delete its history')
    .argument('<table>', 'a tracked table')
    .option('--force', 'delete a history of more than the root commit')
    .addHelpText('after', '\nExamples:\n  vsg untrack clients --force\n\nExit codes: 0 untracked; 3 not tracked, or history present without --force.')
    .action(async (name: string, opts: { force?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const r = await repo.untrack(name, opts);
      await cli.out(`untracked ${r.table} (${r.commits} commit${r.commits === 1 ? '' : 's'} deleted)`);
    });
}
