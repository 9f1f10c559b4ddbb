import { renderTables } from '../../render/misc.js';
import { json, option } from '../options.js';
import { verb } from '../verb.js';

export const tables = verb<{ all?: boolean }>({
  name: 'tables',
  description: 'list tracked tables with branch, HEAD and commit count',
  needs: 'read',
  options: [option('--all', 'the histories of untracked tables too, marked (untracked <date>), newest first'), json()],
  examples: ['vsg tables', 'vsg tables --all --json'],
  exits: { 0: '', 3: 'no repository' },
  async run({ repo, style }, _args, opts) {
    const list = await repo.tables({ all: opts.all });
    return { result: list, render: () => renderTables(list, style) };
  },
});
