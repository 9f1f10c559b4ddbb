import type { Command } from 'commander';
import { MergeConflictError, type Strategy } from '../../api/repository.js';
import { ExitCode, VsgError } from '../../errors.js';
import { renderMerge } from '../../render/merge.js';
import type { Cli } from '../context.js';

interface Opts {
  table?: string;
  message?: string;
  author?: string;
  strategy?: string;
  base?: string;
  ff?: boolean;
  continue?: boolean;
  abort?: boolean;
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('merge')
    .description('three-way merge of a branch or commit into the current branch, by key and by column')
    .argument('[branch]', 'branch, tag or commit to merge')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('-m, --message <msg>', 'message of the merge commit')
    .option('--author <who>', 'author (default: VSG_AUTHOR, .vsgrc, the OS user)')
    .option('-s, --strategy <side>', "resolve every conflict this way: 'ours' or 'theirs'")
    .option('--base <commit>', 'use this merge base (to choose one in a criss-cross history)')
    .option('--no-ff', 'create a merge commit even when a fast-forward would do')
    .option('--continue', 'finish the merge in progress once its conflicts are resolved')
    .option('--abort', 'forget the merge in progress')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Cells changed on one side only merge cleanly, also within one row. Conflicts
(the same cell changed two ways, update against delete, one new key inserted
twice with different rows) stop the merge: the live table and the branch stay
as they were, the merge is kept in progress, and 'vsg conflicts' / 'vsg resolve'
settle it before 'vsg merge --continue'. Other write commands on the table
refuse meanwhile.

Examples:
  vsg merge -t clients repricing
  vsg merge -t clients repricing --strategy theirs
  vsg resolve -t clients 7 credit --theirs && vsg merge -t clients --continue

Exit codes: 0 merged (or up to date); 1 conflicts, unresolved conflicts, uncommitted changes, criss-cross; 3 unknown table or commit, no merge in progress.`,
    )
    .action(async (ref: string | undefined, opts: Opts, cmd: Command) => {
      const g = cli.setup(cmd);
      if (opts.strategy !== undefined && opts.strategy !== 'ours' && opts.strategy !== 'theirs') {
        throw new VsgError('E_USAGE', `--strategy '${opts.strategy}' is not 'ours' or 'theirs'`, { exitCode: ExitCode.usage });
      }
      if ([ref !== undefined, Boolean(opts.continue), Boolean(opts.abort)].filter(Boolean).length !== 1) {
        throw new VsgError('E_USAGE', 'name what to merge, or give --continue or --abort', { exitCode: ExitCode.usage });
      }
      const repo = await cli.repo(g);
      if (opts.abort) {
        const r = await repo.mergeAbort({ table: opts.table });
        return opts.json ? cli.json(r) : cli.out(`${r.table}: merge of '${r.theirsRef}' aborted (${r.conflicts} conflicts forgotten)`);
      }
      if (opts.continue) {
        const r = await repo.mergeContinue({ table: opts.table, message: opts.message, author: await cli.author(opts) });
        return opts.json ? cli.json(r) : cli.out(renderMerge(r, cli.style));
      }
      try {
        const r = await repo.merge({
          table: opts.table,
          ref: ref as string,
          message: opts.message,
          author: await cli.author(opts),
          strategy: opts.strategy as Strategy | undefined,
          base: opts.base,
          noFf: opts.ff === false,
        });
        await (opts.json ? cli.json(r) : cli.out(renderMerge(r, cli.style)));
      } catch (e) {
        // The conflicts are the answer: print them on stdout, then exit 1 with the error line.
        if (e instanceof MergeConflictError) await (opts.json ? cli.json(e.result) : cli.out(renderMerge(e.result, cli.style)));
        throw e;
      }
    });
}
