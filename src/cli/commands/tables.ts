import { renderTables } from '../../render/misc.js';
import { json } from '../options.js';
import { verb } from '../verb.js';

export const tables = verb<object>({
  name: 'tables',
  description: 'list tracked tables with branch, HEAD and commit count',
  needs: 'read',
  options: [json()],
  examples: ['vsg tables', 'vsg tables --json'],
  exits: { 0: '', 3: 'no repository' },
  async run({ repo, style }) {
    const list = await repo.tables();
    return { result: list, render: () => renderTables(list, style) };
  },
});
