import { usage } from '../../errors.js';
import { renderConflictList } from '../../render/merge.js';
import { json, option, table } from '../options.js';
import { verb } from '../verb.js';

interface Opts {
  table?: string;
  ours?: boolean;
  theirs?: boolean;
  value?: string;
  null?: boolean;
  all?: boolean;
}

export const resolve = verb<Opts>({
  name: 'resolve',
  description: 'resolve conflicts of the merge in progress: a row, one cell, or all',
  needs: 'write',
  args: [
    { name: '[key]', description: "the row's key: 7, id=7, a=1,b=x, or JSON" },
    { name: '[column]', description: 'only this column' },
  ],
  options: [
    table(),
    option('--ours', 'keep our value'),
    option('--theirs', 'take their value'),
    option('--value <text>', "set this value (the column type's text form)"),
    option('--null', 'set SQL NULL'),
    option('--all', 'every conflict (with --ours or --theirs)'),
    json(),
  ],
  examples: [
    'vsg resolve 7 credit --theirs',
    'vsg resolve 7 --ours                   # every conflict of row 7',
    "vsg resolve id=9 name --value 'Ann B.'",
    'vsg resolve --all --theirs',
  ],
  exits: { 0: '', 2: 'usage; without -t, a key conflicted in several tables (E_TABLE_REQUIRED)', 3: 'no merge in progress, no such conflict' },
  check([key], opts) {
    const picks = [opts.ours, opts.theirs, opts.value !== undefined, opts.null].filter(Boolean).length;
    if (picks !== 1) throw usage('give exactly one of --ours, --theirs, --value <text>, --null');
    if (opts.all === (key !== undefined)) throw usage('name a key, or give --all');
  },
  async run({ repo, style }, [key, column], opts) {
    const take = opts.ours ? 'ours' : opts.theirs ? 'theirs' : 'value';
    const r = await repo.resolve({ table: opts.table, key, column, all: opts.all, take, value: opts.null ? null : opts.value });
    return { result: r, render: () => `resolved ${r.changed} conflict${r.changed === 1 ? '' : 's'}\n${renderConflictList(r, style)}` };
  },
});
