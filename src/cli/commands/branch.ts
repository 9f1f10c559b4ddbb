import { renderBranches, renderBranchesByName, renderRefsMany } from '../../render/branch.js';
import { usage } from '../../errors.js';
import { oneOrMany } from '../many.js';
import { json, option, tables } from '../options.js';
import { verb } from '../verb.js';

export const branch = verb<{ table: string[]; delete?: boolean; forceDelete?: boolean }>({
  name: 'branch',
  description: 'list, create or delete branches',
  needs: 'write',
  args: [
    { name: '[name]', description: 'branch to create (or delete, with -d)' },
    { name: '[start]', description: 'commit, branch or tag to start it at (default HEAD); with several tables HEAD~N or a commit id is a commit of the repository, each table as it stood then; a branch or tag name, that of each table' },
  ],
  options: [
    tables(),
    option('-d, --delete', 'delete the branch (refused if no other branch reaches its tip)'),
    option('-D, --force-delete', 'delete the branch even if unmerged'),
    json(),
  ],
  help: `With several tables (-t repeated, or none given while several are tracked:
every tracked table), a branch belongs to the repository: 'vsg branch NAME'
creates it in each table at its HEAD (or at START: HEAD~N or a commit id
counts the repository's commits, each table as it stood then; a branch or tag
name is each table's own), all in one transaction, and is refused whole,
nothing created, when a table already has the name. 'vsg branch -d NAME'
deletes it from every table having it, refused whole when a table follows it
or (without -D) has it unmerged. Commits are named by the ids 'vsg log'
lists: the list shows one line per name with the commit it stands at and its
message (and the tables it covers, when not all); * marks the branch the
tables follow. --json keeps each table's own commit in refs and adds
repoCommit to each name (and to each table's entry when creating or deleting).`,
  examples: [
    'vsg branch                            # list; * marks the branch the live tables follow',
    'vsg branch repricing                  # create in every tracked table, each at its HEAD',
    'vsg branch -t clients hotfix v1.2     # create at a tag or commit',
    'vsg branch -d repricing',
  ],
  exits: { 0: '', 1: 'branch not merged (use -D)', 2: 'bad name', 3: 'unknown table, commit or branch, name taken (by any of the tables), current branch' },
  async run({ repo, style: s }, [name, start], opts) {
    if (opts.delete || opts.forceDelete) {
      if (name === undefined) throw usage('-d needs a branch name');
      const force = opts.forceDelete;
      const r = await oneOrMany(opts.table, (table) => repo.deleteBranch({ table, name, force }), (tables) => repo.deleteBranches({ tables, name, force }));
      const line = (t: { name: string; table: string; shortId: string }) => `deleted branch ${t.name} of ${t.table} (was ${s.yellow(t.shortId)})`;
      const all = (t: { name: string; repoShortId?: string }) => `deleted branch ${t.name} (was ${s.yellow(t.repoShortId ?? '')})`;
      return r.one ? { result: r.one, render: () => line(r.one) } : { result: r.many, render: () => renderRefsMany(r.many!, all) };
    }
    if (name !== undefined) {
      const r = await oneOrMany(opts.table, (table) => repo.createBranch({ table, name, start }), (tables) => repo.createBranches({ tables, name, start }));
      const line = (t: { name: string; table: string; shortId: string }) => `created branch ${s.green(t.name)} of ${t.table} at ${s.yellow(t.shortId)}`;
      const all = (t: { name: string; repoShortId?: string }) => `created branch ${s.green(t.name)} at ${s.yellow(t.repoShortId ?? '')}`;
      return r.one ? { result: r.one, render: () => line(r.one) } : { result: r.many, render: () => renderRefsMany(r.many!, all) };
    }
    const r = await oneOrMany(opts.table, (table) => repo.branches({ table }), (tables) => repo.branchesByName({ tables }));
    return r.one ? { result: r.one, render: () => renderBranches(r.one, s) } : { result: r.many, render: () => renderBranchesByName(r.many!, s) };
  },
});
