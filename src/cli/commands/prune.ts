import { usage } from '../../errors.js';
import { renderPrune } from '../../render/prune.js';
import { author, json, option } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const prune = verb<{ before?: string; keepTags?: boolean; message?: string; author?: string; vacuum?: boolean; vacuumFull?: boolean }>({
  name: 'prune',
  description: 'drop the changes of commits older than a point on every branch, keeping the state at the point; verify still passes',
  needs: 'write',
  options: [
    option('--before <commit|date>', 'the point: a commit, branch, tag or HEAD~N, or a date (2026-01-31, "90 days ago"); what is older goes'),
    option('--keep-tags', 'keep every tagged state: a table\'s history starts at its oldest tag older than the point (default: such tags are deleted)'),
    option('-m, --message <why>', 'why: recorded in the PRUNE entry (default "prune before <point>")'),
    author(),
    option('--no-vacuum', 'do not vacuum vsg.changes, vsg.commits and vsg.base_rows afterwards'),
    option('--vacuum-full', 'VACUUM FULL afterwards (the default): rewrite their files and give the space back to the file system; vsg commands wait while it runs, application writes do not'),
    option('--no-vacuum-full', 'a plain VACUUM instead: the freed space is kept for new commits, the files keep their size'),
    json(),
  ],
  help: `On every branch of every tracked table, the commits older than the point
lose their change rows; each keeps a compact header (id, parents, change
hash, time; author, message and statement blanked). Per branch of each table,
the state at its boundary (the point; for a branch forked before it or behind
it, its newest commit not newer) is kept as a base, row by row with salts and
row hashes, so that
\`vsg verify\` still proves the chain from it, digests taken after the point
still verify, and \`vsg forget\` still reaches values held in it. A PRUNE
entry records it; \`vsg log\` shows it and ends at each table's boundary.
Reading pruned history (show, diff, export --at, checkout, a merge that needs
a pruned commit's changes) answers exit 7 (E_PRUNED), never a wrong state.

Tags on pruned commits are deleted with them; --keep-tags instead moves each
table's boundary back to its oldest tagged commit older than the point.

Refused, nothing changed: uncommitted changes, a merge in progress, a dropped
table. See docs/prune.md.`,
  examples: [
    'vsg prune --before v2.0',
    'vsg prune --before "2026-01-01" -m "retention: 1 year"',
    'vsg prune --before HEAD~1000 --no-vacuum-full',
  ],
  exits: {
    0: 'pruned (or nothing older than the point)',
    1: 'uncommitted changes',
    2: 'no --before',
    3: 'unknown point; a merge in progress; a dropped table',
    7: 'the point itself was pruned already',
  },
  check(_args, opts) {
    if (opts.before === undefined || opts.before.trim() === '') throw usage('name the point: --before <commit|date>', 'vsg prune --before HEAD~1000');
  },
  async run(ctx, _args, opts) {
    const who = await ctx.author(opts);
    const r = await withProgress('pruning', () =>
      ctx.repo.prune({
        before: opts.before as string, keepTags: opts.keepTags, message: opts.message, author: who,
        vacuum: opts.vacuum === false ? false : opts.vacuumFull === false ? 'plain' : 'full',
      }),
    );
    return { result: r, render: () => renderPrune(r, ctx.style) };
  },
});
