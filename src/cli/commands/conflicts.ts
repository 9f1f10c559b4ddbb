import { renderConflictList } from '../../render/merge.js';
import { exitCode, json, table } from '../options.js';
import { verb } from '../verb.js';

export const conflicts = verb<{ table?: string; exitCode?: boolean }>({
  name: 'conflicts',
  description: 'list the conflicts of the merge in progress (key, column, base, ours, theirs)',
  needs: 'read',
  options: [table(), json(), exitCode()],
  examples: ['vsg conflicts -t clients', 'vsg conflicts --json --exit-code    # in a script: 1 while any is unresolved'],
  exits: { 0: '', 1: 'unresolved conflicts (with --exit-code)', 3: 'unknown table, no merge in progress' },
  async run({ repo, style }, _args, opts) {
    const r = await repo.conflicts({ table: opts.table });
    return { result: r, render: () => renderConflictList(r, style), status: opts.exitCode && r.unresolved > 0 ? 1 : 0 };
  },
});
