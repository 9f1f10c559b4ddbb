import { renderRestore } from '../../render/blame.js';
import { json, table } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const restore = verb<{ table?: string }>({
  name: 'restore',
  description: "put a table to a commit's rows without committing; with no commit, discard uncommitted changes",
  needs: 'write',
  args: [{ name: '[commit]', description: 'commit id, prefix, HEAD~N or tag (default HEAD)' }],
  options: [table(), json()],
  help: `Afterwards 'vsg status' and 'vsg diff' show the difference against HEAD;
'vsg commit' records it, 'vsg restore' alone discards it again.
A tracked table that was dropped is recreated from its history (recorded
columns, types, NOT NULL, defaults, primary key) and tracked again; no commit.`,
  examples: ['vsg restore -t clients              # discard uncommitted changes', 'vsg restore HEAD~2 -t clients       # the rows of two commits ago, uncommitted'],
  exits: { 0: 'restored', 3: 'unknown commit or table; a dropped table that cannot be recreated', 4: 'a constraint or trigger refused the rows (nothing changed)' },
  async run({ repo, style }, [ref], opts) {
    const r = await withProgress(`restoring ${ref ?? 'HEAD'}`, () => repo.restore({ table: opts.table, ref }));
    return { result: r, render: () => renderRestore(r, style) };
  },
});
