import { renderRowsTable } from '../../render/export.js';
import { renderShow } from '../../render/misc.js';
import { json, pager, table } from '../options.js';
import { verb } from '../verb.js';

export const show = verb<{ table?: string }>({
  name: 'show',
  description: 'show a commit: its metadata and the rows it changed; <commit>:<table> shows the rows as of that commit',
  needs: 'read',
  args: [{ name: '[commit]', description: 'commit id, prefix, HEAD~N, branch, tag, or any of them @{<date>}', default: 'HEAD' }],
  options: [table(), json(), pager()],
  examples: ['vsg show 3f2a9c1', 'vsg show HEAD~2 -t clients --json', 'vsg show HEAD~2:clients     # the rows as of that commit'],
  exits: { 0: '', 3: 'unknown or ambiguous commit' },
  async run({ repo, style }, [ref], opts) {
    // (a colon inside @{<date>} is the date's: main@{2026-01-31 14:00}:clients)
    const rowsAt = /^((?:[^:@]|@(?!\{)|@\{[^{}]*\})+):(.+)$/.exec(ref as string);
    if (rowsAt) {
      const rows = await repo.rowsAt({ at: rowsAt[1], table: rowsAt[2] });
      return { result: rows, render: () => renderRowsTable(rows, style), page: true };
    }
    const r = await repo.show(ref as string, { table: opts.table });
    return { result: r, render: () => renderShow(r, style), page: true };
  },
});
