import { renderDiff } from '../../render/diff.js';
import { exitCode, json, onlyTable, option, pager } from '../options.js';
import { verb } from '../verb.js';

export const diff = verb<{ table?: string; stat?: boolean; exitCode?: boolean }>({
  name: 'diff',
  description: 'row and cell differences: HEAD vs the live table, a commit vs the live table, or two commits',
  needs: 'read',
  args: [
    { name: '[from]', description: 'the old side (default HEAD)' },
    { name: '[to]', description: 'the new side (default: the live table)' },
  ],
  options: [onlyTable(), option('--stat', 'only counts per kind and column'), json(), exitCode(), pager()],
  examples: ['vsg diff                     # uncommitted changes', 'vsg diff HEAD~3              # three commits ago vs now', 'vsg diff 3f2a9c1 8e41d07 --json'],
  exits: { 0: '', 1: 'differences in rows or columns, or a dropped table (with --exit-code)', 3: 'unknown table or commit' },
  async run({ repo, style }, [from, to], opts) {
    const d = await repo.diff({ table: opts.table, from, to });
    return { result: d, render: () => renderDiff(d, style, { stat: opts.stat }), page: true, status: opts.exitCode && (d.changes.length > 0 || d.schema.length > 0 || d.dropped) ? 1 : 0 };
  },
});
