import { renderDiff, renderDiffMany } from '../../render/diff.js';
import { exitCode, json, option, pager, tables } from '../options.js';
import { verb } from '../verb.js';

export const diff = verb<{ table: string[]; stat?: boolean; exitCode?: boolean }>({
  name: 'diff',
  description: 'row and cell differences: HEAD vs the live table, a commit vs the live table, or two commits',
  needs: 'read',
  args: [
    { name: '[from]', description: 'the old side (default HEAD)' },
    { name: '[to]', description: 'the new side (default: the live table)' },
  ],
  options: [tables(), option('--stat', 'only counts per kind and column'), json(), exitCode(), pager()],
  help: `With several tables tracked and no -t (or -t repeated), one section per
table, each between its versions of the two sides: HEAD~N counts the
repository's commits and a commit id (a commit across tables included) is
each table as it stood at that commit, a table not tracked yet then left
out; a branch or tag name is each table's own. Each section names the two
sides by the ids 'vsg log' lists (the repository's commits, as show names a
commit across tables), not by each table's own commit. --stat gives one line
per table; --json an object keyed by table (each side's id this table's own
commit, its repoCommit the repository's).`,
  examples: [
    'vsg diff                     # uncommitted changes',
    'vsg diff HEAD~3 -t clients   # three commits ago vs now',
    'vsg diff 3f2a9c1 8e41d07 --json',
    'vsg diff 3f2a9c1 --stat      # every table since that commit, a line each',
  ],
  exits: { 0: '', 1: 'differences in rows or columns, or a dropped table (with --exit-code)', 3: 'unknown table or commit' },
  async run({ repo, style }, [from, to], opts) {
    const names = [...new Set(opts.table)];
    const differs = (d: { changes: unknown[]; schema: unknown[]; dropped: boolean }) => d.changes.length > 0 || d.schema.length > 0 || d.dropped;
    if (names.length > 1 || (names.length === 0 && (await repo.tables()).length > 1)) {
      const r = await repo.diffMany({ tables: names.length ? names : undefined, from, to });
      return { result: r, render: () => renderDiffMany(r, style, { stat: opts.stat }), page: true, status: opts.exitCode && Object.values(r).some(differs) ? 1 : 0 };
    }
    const d = await repo.diff({ table: names[0], from, to });
    return { result: d, render: () => renderDiff(d, style, { stat: opts.stat }), page: true, status: opts.exitCode && differs(d) ? 1 : 0 };
  },
});
