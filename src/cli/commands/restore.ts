import { isVsgError } from '../../errors.js';
import { renderRestore, renderRestoreMany } from '../../render/blame.js';
import { forgotten, json, tables } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const restore = verb<{ table: string[]; forgotten?: 'live' | 'null' }>({
  name: 'restore',
  description: "put tables to a commit's rows without committing; with no commit, discard uncommitted changes",
  needs: 'write',
  args: [{ name: '[commit]', description: 'commit id, prefix, HEAD~N or tag (default HEAD); with several tables HEAD~N or a commit id is a commit of the repository, each table as it stood then; a branch or tag name, that of each table' }],
  options: [tables(), forgotten(), json()],
  help: `Afterwards 'vsg status' and 'vsg diff' show the difference against HEAD;
'vsg commit' records it, 'vsg restore' alone discards it again.
A tracked table that was dropped is recreated from its history (recorded
columns, types, NOT NULL, defaults, primary key) and tracked again; no commit.

Several tables (-t repeated, or none given while several are tracked: every
tracked table) are restored in one transaction, each to its HEAD or to its
state at the commit given (HEAD~N or a commit id: the repository's; a branch
or tag name: each table's own), in the order their foreign keys
accept: rows removed children first, rows added or changed parents first;
keys of a cycle that are DEFERRABLE are deferred, a cycle of keys that are
not is refused. A restore that would leave a row of a table not restored
without the row it references is refused. Nothing is changed when refused.
One line naming the commit restored by the id 'vsg log' lists, with each
table's rows, then what is left uncommitted; --json an object keyed by table
(each table's own commit in source, the repository's in repoSource).`,
  examples: [
    'vsg restore -t clients              # discard uncommitted changes',
    'vsg restore HEAD~2 -t clients       # the rows of two commits ago, uncommitted',
    'vsg restore -t clients -t orders    # both tables back to HEAD, in foreign-key order',
    'vsg restore fixture                 # every tracked table to its tag "fixture"',
  ],
  exits: {
    0: 'restored',
    3: "unknown commit or table; a table lacks the branch or tag; a cycle of foreign keys that are not deferrable; a dropped table that cannot be recreated",
    4: 'a constraint or trigger refused the rows, or a foreign key would break (nothing changed)',
  },
  async run({ repo, style }, [ref], opts) {
    const names = [...new Set(opts.table)];
    const many = () => withProgress(`restoring ${ref ?? 'HEAD'}`, () => repo.restoreMany({ tables: names.length ? names : undefined, ref, forgotten: opts.forgotten }));
    if (names.length > 1) {
      const r = await many();
      return { result: r, render: () => renderRestoreMany(r, style) };
    }
    try {
      const r = await withProgress(`restoring ${ref ?? 'HEAD'}`, () => repo.restore({ table: names[0], ref, forgotten: opts.forgotten }));
      return { result: r, render: () => renderRestore(r, style) };
    } catch (e) {
      // No -t while several tables are tracked: all of them.
      if (!(names.length === 0 && isVsgError(e) && e.code === 'E_TABLE_REQUIRED')) throw e;
      const r = await many();
      return { result: r, render: () => renderRestoreMany(r, style) };
    }
  },
});
