import type { Command } from 'commander';
import { ExitCode, VsgError } from '../../errors.js';
import { renderConflictList } from '../../render/merge.js';
import type { Cli } from '../context.js';

interface Opts {
  table?: string;
  ours?: boolean;
  theirs?: boolean;
  value?: string;
  null?: boolean;
  all?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('resolve')
    .description('resolve conflicts of the merge in progress: a row, one cell, or all')
    .argument('[key]', "the row's key: 7, id=7, a=1,b=x, or JSON")
    .argument('[column]', 'only this column')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('--ours', 'keep our value')
    .option('--theirs', 'take their value')
    .option('--value <text>', "set this value (the column type's text form)")
    .option('--null', 'set SQL NULL')
    .option('--all', 'every conflict (with --ours or --theirs)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  vsg resolve 7 credit --theirs
  vsg resolve 7 --ours                   # every conflict of row 7
  vsg resolve id=9 name --value 'Ann B.'
  vsg resolve --all --theirs

Exit codes: 0; 2 usage; 3 no merge in progress, no such conflict.`,
    )
    .action(async (key: string | undefined, column: string | undefined, opts: Opts, cmd: Command) => {
      const g = cli.setup(cmd);
      const picks = [opts.ours, opts.theirs, opts.value !== undefined, opts.null].filter(Boolean).length;
      if (picks !== 1) throw new VsgError('E_USAGE', 'give exactly one of --ours, --theirs, --value <text>, --null', { exitCode: ExitCode.usage });
      if (opts.all === (key !== undefined)) throw new VsgError('E_USAGE', 'name a key, or give --all', { exitCode: ExitCode.usage });
      const take = opts.ours ? 'ours' : opts.theirs ? 'theirs' : 'value';
      const repo = await cli.repo(g);
      const r = await repo.resolve({ table: opts.table, key, column, all: opts.all, take, value: opts.null ? null : opts.value });
      await (opts.json ? cli.json(r) : cli.out(`resolved ${r.changed} conflict${r.changed === 1 ? '' : 's'}\n${renderConflictList(r, cli.style)}`));
    });
}
