import type { Command } from 'commander';
import { renderBranches } from '../../render/branch.js';
import type { Cli } from '../context.js';

interface Opts {
  table?: string;
  delete?: boolean;
  forceDelete?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('branch')
    .description('list, create or delete branches of a table')
    .argument('[name]', 'branch to create (or delete, with -d)')
    .argument('[start]', 'commit, branch or tag to start it at (default HEAD)')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('-d, --delete', 'delete the branch (refused if no other branch reaches its tip)')
    .option('-D, --force-delete', 'delete the branch even if unmerged')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  vsg branch -t clients                 # list; * marks the branch the live table follows
  vsg branch -t clients repricing       # create at HEAD
  vsg branch -t clients hotfix v1.2     # create at a tag or commit
  vsg branch -t clients -d repricing

Exit codes: 0; 1 branch not merged (use -D); 2 bad name; 3 unknown table, commit or branch, name taken, current branch.`,
    )
    .action(async (name: string | undefined, start: string | undefined, opts: Opts, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      if (opts.delete || opts.forceDelete) {
        if (name === undefined) throw cmd.error('error: -d needs a branch name', { exitCode: 2 });
        const r = await repo.deleteBranch({ table: opts.table, name, force: opts.forceDelete });
        return opts.json ? cli.json(r) : cli.out(`deleted branch ${r.name} of ${r.table} (was ${cli.style.yellow(r.shortId)})`);
      }
      if (name !== undefined) {
        const r = await repo.createBranch({ table: opts.table, name, start });
        return opts.json ? cli.json(r) : cli.out(`created branch ${cli.style.green(r.name)} of ${r.table} at ${cli.style.yellow(r.shortId)}`);
      }
      const list = await repo.branches({ table: opts.table });
      await (opts.json ? cli.json(list) : cli.out(renderBranches(list, cli.style)));
    });
}
