import type { Command } from 'commander';
import { renderTables } from '../../render/misc.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('tables')
    .description('list tracked tables with branch, HEAD and commit count')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  vsg tables\n  vsg tables --json\n\nExit codes: 0; 3 no repository.')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const list = await repo.tables();
      await (opts.json ? cli.json(list) : cli.out(renderTables(list, cli.style)));
    });
}
