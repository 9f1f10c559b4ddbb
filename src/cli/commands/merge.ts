import { MergeConflictError, MergeConstraintError, type Strategy } from '../../api/merge.js';
import { usage } from '../../errors.js';
import { renderMerge } from '../../render/merge.js';
import { author, forgotten, json, message, option, tables } from '../options.js';
import { verb } from '../verb.js';
import { withProgress } from '../progress.js';

interface Opts {
  table: string[];
  message?: string;
  author?: string;
  strategy?: string;
  base?: string;
  ff?: boolean;
  continue?: boolean;
  abort?: boolean;
  forgotten?: 'live' | 'null';
}

export const merge = verb<Opts>({
  name: 'merge',
  description: 'three-way merge of a branch or commit into the current branch, by key and by column',
  needs: 'write',
  args: [{ name: '[branch]', description: 'branch, tag or commit to merge' }],
  options: [
    tables(),
    message(),
    author(),
    option('-s, --strategy <side>', "resolve every conflict this way: 'ours' or 'theirs'"),
    option('--base <commit>', 'use this merge base (to choose one in a criss-cross history)'),
    option('--no-ff', 'create a merge commit even when a fast-forward would do'),
    option('--continue', 'finish the merge in progress once its conflicts are resolved'),
    option('--abort', 'forget the merge in progress'),
    forgotten(),
    json(),
  ],
  help: `Cells changed on one side only merge cleanly, also within one row. Conflicts
(the same cell changed two ways, update against delete, one new key inserted
twice with different rows) stop the merge: the live table and the branch stay
as they were, the merge is kept in progress, and 'vsg conflicts' / 'vsg resolve'
settle it before 'vsg merge --continue'. Other write commands on the table
refuse meanwhile.

The merged state is checked against the table's constraints before anything
is written (and again by --continue): a foreign key, unique, check or not-null
constraint it would break refuses the merge, listing every violation, with
nothing changed.

With several tables tracked and no -t (or -t repeated), each table's branch
of that name is merged into the table's current branch, all in one
transaction: tables without it are left alone. The conflicts and broken
constraints of every table are found before anything is written, the merged
rows of all the tables are checked together (an order merged for a client the
other side deleted is refused, whatever the key's ON DELETE), and the rows are
written in the order their foreign keys accept. The MERGE commits of two or
more tables are one commit across them. A conflict in any table stops the
whole merge with nothing written, kept in progress for every table it moves:
'vsg conflicts' lists every table's conflicts, 'vsg resolve' finds the table
of a key, and 'vsg merge --continue' (no -t) writes the merge as one MERGE
commit across the tables, their constraints checked together first;
'vsg merge --abort' (no -t) forgets all of it. Neither takes -t for one table
of such a merge.

Merged rows that hold a value forgotten (vsg forget) are refused (exit 3),
unless --forgotten says what to write in its place (with a merge or with
--continue): the live value (live) or NULL (null).

A one-table merge (-t) is refused when a row of another table references a
row it deletes or re-keys, whatever the key's ON DELETE: merge the tables
together instead.`,
  examples: [
    'vsg merge -t clients repricing',
    'vsg merge -t clients repricing --strategy theirs',
    'vsg resolve -t clients 7 credit --theirs && vsg merge -t clients --continue',
    'vsg merge promo                     # every tracked table that has a branch promo',
    'vsg merge promo -t clients -t orders',
    'vsg resolve 7 credit --theirs && vsg merge --continue   # a merge across tables, kept on conflicts',
  ],
  exits: {
    0: 'merged (or up to date)',
    1: 'conflicts (the merge is kept in progress; across tables: every table), unresolved conflicts, a constraint the merge would break, uncommitted changes, criss-cross',
    2: '--continue, --abort or --base with -t repeated; --continue or --abort without -t while several merges are in progress; --continue or --abort with -t on a table of a merge across tables (E_MERGE_ACROSS)',
    3: 'unknown table or commit (across tables: no table has it), no merge in progress, a cycle of foreign keys that are not deferrable, merged rows that hold forgotten values (without --forgotten)',
    4: 'the rows written were refused by what is not checked ahead (a trigger, an exclusion constraint, a key from a table the merge leaves alone); nothing changed',
  },
  check([ref], opts) {
    if (opts.strategy !== undefined && opts.strategy !== 'ours' && opts.strategy !== 'theirs') throw usage(`--strategy '${opts.strategy}' is not 'ours' or 'theirs'`);
    if ([ref !== undefined, Boolean(opts.continue), Boolean(opts.abort)].filter(Boolean).length !== 1) throw usage('name what to merge, or give --continue or --abort');
    const names = new Set(opts.table);
    if (ref === undefined && names.size > 1) throw usage('--continue and --abort work on the whole merge in progress (no -t), or on one table\'s (-t once)');
    if (opts.base !== undefined && names.size > 1) throw usage('--base is a commit of one table; give -t once');
  },
  async run(ctx, [ref], opts) {
    const { repo, style } = ctx;
    const names = [...new Set(opts.table)];
    const table = names.length === 1 ? names[0] : undefined;
    if (opts.abort) {
      const r = await repo.mergeAbort({ table });
      return { result: r, render: () => `${r.table}: merge of '${r.theirsRef}' aborted (${r.conflicts} conflict${r.conflicts === 1 ? '' : 's'} forgotten)` };
    }
    const who = await ctx.author(opts);
    try {
      const merged = { table, tables: names.length > 1 ? names : undefined, ref: ref as string, message: opts.message, author: who, base: opts.base, noFf: opts.ff === false, forgotten: opts.forgotten };
      const r = await withProgress(opts.continue ? 'finishing the merge' : `merging ${ref as string}`, () =>
        opts.continue
          ? repo.mergeContinue({ table, message: opts.message, author: who, forgotten: opts.forgotten })
          : repo.merge({ ...merged, strategy: opts.strategy as Strategy | undefined }),
      );
      return { result: r, render: () => renderMerge(r, style) };
    } catch (e) {
      // The library throws on conflicts and broken constraints; on the command line they are the answer: the result, then why, exit 1.
      if (!(e instanceof MergeConflictError || e instanceof MergeConstraintError)) throw e;
      return { result: e.result, render: () => renderMerge(e.result, style), status: 1, refusal: e };
    }
  },
});
