import { renderStatus } from '../../render/misc.js';
import { exitCode, json, onlyTable } from '../options.js';
import { verb } from '../verb.js';

export const status = verb<{ table?: string; exitCode?: boolean }>({
  name: 'status',
  description: 'show, per tracked table, its branch, HEAD and uncommitted changes',
  needs: 'read',
  options: [onlyTable(), json(), exitCode()],
  examples: ['vsg status', 'vsg status -t clients --exit-code   # in CI: fail when someone changed the table outside vsg'],
  exits: { 0: '', 1: 'uncommitted changes (with --exit-code)', 3: 'unknown table' },
  async run({ repo, style }, _args, opts) {
    const list = await repo.status({ table: opts.table });
    return { result: list, render: () => renderStatus(list, style), status: opts.exitCode && list.some((t) => !t.clean) ? 1 : 0 };
  },
});
