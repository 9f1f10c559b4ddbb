import { renderBlame } from '../../render/blame.js';
import { json, pager, table } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const blame = verb<{ table?: string }>({
  name: 'blame',
  description: 'per row and column, the commit, author and time that last set the current value',
  needs: 'read',
  args: [{ name: '[key]', description: `one row: '7', 'id=7', 'a=1,b=x' for a composite key, or JSON '{"id":7}'` }],
  options: [table(), json(), pager()],
  examples: ['vsg blame -t clients 7', 'vsg blame -t clients --json'],
  exits: { 0: '', 3: 'unknown table, bad key, or no such row' },
  async run({ repo, style }, [key], opts) {
    const r = await withProgress('blaming', () => repo.blame({ table: opts.table, key }));
    return { result: r, render: () => renderBlame(r, style), page: true };
  },
});
