import { renderCheckout, renderCheckoutMany } from '../../render/blame.js';
import { oneOrMany } from '../many.js';
import { author, forgotten, json, message, option, tables } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';
import { switchTo } from './switch.js';

export const checkout = verb<{ table: string[]; message?: string; author?: string; force?: boolean; forgotten?: 'live' | 'null' }>({
  name: 'checkout',
  description: "put tables back to a commit's rows, recorded as a new CHECKOUT commit on top of HEAD",
  needs: 'write',
  args: [{ name: '<commit>', description: 'commit id, prefix, HEAD~N or tag; a branch name switches to it, as in git; with several tables HEAD~N or a commit id is a commit of the repository, each table as it stood then; a branch or tag name, that of each table' }],
  options: [tables(), message(), author(), option('-f, --force', 'overwrite uncommitted changes'), forgotten(), json()],
  help: `Only the rows that differ between the table and the commit are written; history
is never rewritten. A checkout to the state the table already has commits nothing.

With several tables (-t repeated, or none given while several are tracked:
every tracked table), each table goes to its state at COMMIT (HEAD~N or a
commit id: the repository's commit, each table as it stood then; a branch or
tag name: each table's own) in one transaction, rows written in the order their
foreign keys accept, so that cascades leave every table exactly at its
target; each table that changed gets its CHECKOUT commit, one already there
none. Refused whole, nothing changed, when a table lacks the commit or has
uncommitted changes, when the keys form a cycle that is not deferrable, or
when a row of a table left alone would lose the row it references (a
checkout of some tables only). One line, naming the new commit and the commit
checked out by the ids 'vsg log' lists, with each table's rows; --json keyed by
table (each table's own commit in source, the repository's in repoSource).`,
  examples: [
    'vsg checkout fixture                 # every tracked table back to its tag "fixture"',
    'vsg checkout HEAD~3 -t clients',
    'vsg checkout 3f2a9c1 -t clients -m "back to before the import"',
    "vsg checkout feature -t clients      # a branch: same as 'vsg switch feature'",
  ],
  exits: {
    0: 'checked out (or already there)',
    1: 'uncommitted changes (use --force)',
    3: 'unknown commit or table (in any of the tables); a cycle of foreign keys that are not deferrable',
    4: 'a constraint or trigger refused the rows, or a foreign key would break (nothing changed)',
  },
  async run(ctx, [ref], opts) {
    const at = ref as string;
    const { repo } = ctx;
    // As in git, checking out a branch switches to it (--force discards changes).
    const branch = await oneOrMany(opts.table, (table) => repo.isBranch(at, { table }), (tables) => repo.isBranchOfEach(at, { tables }));
    if (branch.one ?? branch.many) return switchTo(ctx, at, { table: opts.table, discard: opts.force, forgotten: opts.forgotten });
    const who = await ctx.author(opts);
    const base = { ref: at, message: opts.message, author: who, force: opts.force, forgotten: opts.forgotten };
    const r = await withProgress(`checking out ${at}`, () =>
      oneOrMany(opts.table, (table) => repo.checkout({ ...base, table }), (tables) => repo.checkoutMany({ ...base, tables })),
    );
    return r.one ? { result: r.one, render: () => renderCheckout(r.one, ctx.style) } : { result: r.many, render: () => renderCheckoutMany(r.many!, ctx.style) };
  },
});
