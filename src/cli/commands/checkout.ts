import { renderCheckout } from '../../render/blame.js';
import { author, json, message, option, table } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';
import { switchTo } from './switch.js';

export const checkout = verb<{ table?: string; message?: string; author?: string; force?: boolean }>({
  name: 'checkout',
  description: "put a table back to a commit's rows, recorded as a new CHECKOUT commit on top of HEAD",
  needs: 'write',
  args: [{ name: '<commit>', description: 'commit id, prefix, HEAD~N or tag; a branch name switches to it, as in git' }],
  options: [table(), message(), author(), option('-f, --force', 'overwrite uncommitted changes'), json()],
  help: `Only the rows that differ between the table and the commit are written; history
is never rewritten. A checkout to the state the table already has commits nothing.`,
  examples: [
    'vsg checkout HEAD~3 -t clients',
    'vsg checkout 3f2a9c1 -t clients -m "back to before the import"',
    "vsg checkout feature -t clients      # a branch: same as 'vsg switch feature'",
  ],
  exits: {
    0: 'checked out (or already there)',
    1: 'uncommitted changes (use --force)',
    3: 'unknown commit or table',
    4: 'a constraint or trigger refused the rows (nothing changed)',
  },
  async run(ctx, [ref], opts) {
    const at = ref as string;
    // As in git, checking out a branch switches to it (--force discards changes).
    if (await ctx.repo.isBranch(at, { table: opts.table })) return switchTo(ctx, at, { table: opts.table, discard: opts.force });
    const who = await ctx.author(opts);
    const r = await withProgress(`checking out ${at}`, () => ctx.repo.checkout({ table: opts.table, ref: at, message: opts.message, author: who, force: opts.force }));
    return { result: r, render: () => renderCheckout(r, ctx.style) };
  },
});
