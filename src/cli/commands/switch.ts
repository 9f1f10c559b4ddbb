import type { Command } from 'commander';
import { renderSwitch } from '../../render/branch.js';
import type { Cli, Globals } from '../context.js';

export interface SwitchOpts {
  table?: string;
  discard?: boolean;
  create?: boolean;
  json?: boolean;
}

/**
 * Switch the live table to a branch and print the result. Exported so that
 * `vsg checkout <branch>` can delegate here when its argument is a branch.
 */
export async function switchAction(cli: Cli, g: Globals, branch: string, opts: SwitchOpts & { start?: string }): Promise<void> {
  const repo = await cli.repo(g);
  const r = await repo.switch({ table: opts.table, branch, discard: opts.discard, create: opts.create, start: opts.start });
  await (opts.json ? cli.json(r) : cli.out(renderSwitch(r, cli.style)));
}

export function register(program: Command, cli: Cli): void {
  program
    .command('switch')
    .description('make the live table follow another branch and hold its rows')
    .argument('<branch>', 'the branch to switch to (or to create, with -c)')
    .argument('[start]', 'with -c: where the new branch starts (default HEAD)')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('-c, --create', 'create the branch first')
    .option('--discard', 'throw away uncommitted changes of the live table')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Only the rows that differ between the two branches are written. Uncommitted
changes block the switch (unless --discard), except to a branch at the same
commit, where they come along.

Examples:
  vsg switch -t clients repricing
  vsg switch -t clients -c hotfix v1.2
  vsg switch -t clients main --discard

Exit codes: 0; 1 uncommitted changes; 3 unknown table or branch, merge in progress.`,
    )
    .action(async (branch: string, start: string | undefined, opts: SwitchOpts, cmd: Command) => {
      if (start !== undefined && !opts.create) throw cmd.error('error: a start point needs -c', { exitCode: 2 });
      await switchAction(cli, cli.setup(cmd), branch, { ...opts, start });
    });
}
