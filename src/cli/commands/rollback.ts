import { renderRollback } from '../../render/blame.js';
import { author, forgotten, json, message, option, table } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const rollback = verb<{ table?: string; message?: string; author?: string; force?: boolean; forgotten?: 'live' | 'null' }>({
  name: 'rollback',
  description: "undo one commit's change set as a new ROLLBACK commit, like git revert",
  needs: 'write',
  args: [{ name: '[commit]', description: 'the commit to undo (default HEAD)' }],
  options: [table(), message(), author(), option('-f, --force', 'undo even rows and cells changed since (overwriting those changes)'), forgotten(), json()],
  help: `The undo is cell-level: an updated row gets back only the columns that commit
changed, so a later change to another column of the same row is kept. A row or
cell changed since (by a later commit or an uncommitted change) is a conflict:
nothing changes unless --force. A rollback writes rows back, never columns: a
SCHEMA commit's rows are undone, its columns stay, and one that changed
columns only has nothing to roll back (exit 1); undo it with the opposite
ALTER TABLE through vsg commit.

With several tables tracked and no -t, the commit named (default: the newest
of the tables' HEADs) is undone in every table it changed, in one
transaction, rows written in the order their foreign keys accept (a client
and the orders its deletion cascaded to come back together), as one commit
across those tables. -t undoes one table's part alone.`,
  examples: ['vsg rollback -t clients               # undo HEAD', 'vsg rollback 3f2a9c1 -t clients', 'vsg rollback 3f2a9c1                  # every table that commit changed'],
  exits: {
    0: 'rolled back',
    1: 'conflict, or nothing left to undo',
    3: 'unknown commit or table',
    4: 'a constraint or trigger refused the rows, or a foreign key would break (nothing changed)',
  },
  async run(ctx, [ref], opts) {
    const who = await ctx.author(opts);
    const r = await withProgress(`rolling back ${ref ?? 'HEAD'}`, () => ctx.repo.rollback({ table: opts.table, ref, message: opts.message, author: who, force: opts.force, forgotten: opts.forgotten }));
    return { result: r, render: () => renderRollback(r, ctx.style) };
  },
});
