import { renderBranches } from '../../render/branch.js';
import { usage } from '../../errors.js';
import { json, option, table } from '../options.js';
import { verb } from '../verb.js';

export const branch = verb<{ table?: string; delete?: boolean; forceDelete?: boolean }>({
  name: 'branch',
  description: 'list, create or delete branches of a table',
  needs: 'write',
  args: [
    { name: '[name]', description: 'branch to create (or delete, with -d)' },
    { name: '[start]', description: 'commit, branch or tag to start it at (default HEAD)' },
  ],
  options: [
    table(),
    option('-d, --delete', 'delete the branch (refused if no other branch reaches its tip)'),
    option('-D, --force-delete', 'delete the branch even if unmerged'),
    json(),
  ],
  examples: [
    'vsg branch -t clients                 # list; * marks the branch the live table follows',
    'vsg branch -t clients repricing       # create at HEAD',
    'vsg branch -t clients hotfix v1.2     # create at a tag or commit',
    'vsg branch -t clients -d repricing',
  ],
  exits: { 0: '', 1: 'branch not merged (use -D)', 2: 'bad name', 3: 'unknown table, commit or branch, name taken, current branch' },
  async run({ repo, style: s }, [name, start], opts) {
    if (opts.delete || opts.forceDelete) {
      if (name === undefined) throw usage('-d needs a branch name');
      const r = await repo.deleteBranch({ table: opts.table, name, force: opts.forceDelete });
      return { result: r, render: () => `deleted branch ${r.name} of ${r.table} (was ${s.yellow(r.shortId)})` };
    }
    if (name !== undefined) {
      const r = await repo.createBranch({ table: opts.table, name, start });
      return { result: r, render: () => `created branch ${s.green(r.name)} of ${r.table} at ${s.yellow(r.shortId)}` };
    }
    const list = await repo.branches({ table: opts.table });
    return { result: list, render: () => renderBranches(list, s) };
  },
});
