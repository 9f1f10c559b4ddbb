import { renderStatus } from '../../render/misc.js';
import { exitCode, json, onlyTable } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const status = verb<{ table?: string; exitCode?: boolean }>({
  name: 'status',
  description: 'show the branch, HEAD and the uncommitted changes of every tracked table',
  needs: 'read',
  options: [onlyTable(), json(), exitCode()],
  help: `With several tables tracked: 'On branch main, HEAD 3f2a9c1' (HEAD is the newest
commit, a commit across tables by its own id), then each table with
uncommitted changes, a merge in progress or a drop (its HEAD also by the id
'vsg log' lists), and the clean ones on one line. --json gives every table as
an array, as with one, each with its own HEAD (head) and the id log lists
(repoHead).

Where dead rows dominate vsg.pending (an application's rolled-back writes to
tracked tables, with autovacuum off or on the embedded database), status
vacuums it afterwards, once (on a terminal it says so while it runs); see
docs/storage.md.`,
  examples: ['vsg status', 'vsg status -t clients --exit-code   # in CI: fail when someone changed the table outside vsg'],
  exits: { 0: '', 1: 'uncommitted changes (with --exit-code)', 3: 'unknown table' },
  async run({ repo, style }, _args, opts) {
    // a status that tidies vsg.pending may take a while: say so (on a terminal, after a second)
    const list = await withProgress('reading status', (p) => repo.status({ table: opts.table, onTidy: () => p.label('tidying vsg.pending: dead rows of rolled-back writes (once)') }));
    // Several tables: the header names the newest commit (a commit across tables by its own id).
    const head = list.length > 1 ? ((await repo.log({ limit: 1 })).commits[0]?.id ?? null) : undefined;
    return { result: list, render: () => renderStatus(list, style, head), status: opts.exitCode && list.some((t) => !t.clean) ? 1 : 0 };
  },
});
