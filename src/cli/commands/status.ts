import type { Command } from 'commander';
import { renderStatus } from '../../render/misc.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('show, per tracked table, its branch, HEAD and uncommitted changes')
    .option('-t, --table <table>', 'only this table')
    .option('--json', 'print JSON')
    .option('--exit-code', 'exit 1 when there are uncommitted changes')
    .addHelpText('after', '\nExamples:\n  vsg status\n  vsg status -t clients --exit-code   # in CI: fail when someone changed the table outside vsg\n\nExit codes: 0; 1 uncommitted changes (with --exit-code); 3 unknown table.')
    .action(async (opts: { table?: string; json?: boolean; exitCode?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const list = await repo.status({ table: opts.table });
      await (opts.json ? cli.json(list) : cli.out(renderStatus(list, cli.style)));
      if (opts.exitCode && list.some((t) => !t.clean)) process.exitCode = 1;
    });
}
