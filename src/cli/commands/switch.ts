import { renderSwitch, renderSwitchMany } from '../../render/branch.js';
import { usage } from '../../errors.js';
import { oneOrMany } from '../many.js';
import { forgotten, json, option, tables } from '../options.js';
import { withProgress } from '../progress.js';
import { verb, type Outcome, type RunContext } from '../verb.js';

export interface SwitchOpts {
  table: string[];
  discard?: boolean;
  create?: boolean;
  start?: string;
  forgotten?: 'live' | 'null';
}

/** Switch the live tables to a branch; `vsg checkout <branch>` comes here too. */
export async function switchTo({ repo, style }: RunContext, branch: string, opts: SwitchOpts): Promise<Outcome> {
  const { discard, create, start, forgotten } = opts;
  const r = await withProgress(`switching to ${branch}`, () =>
    oneOrMany(opts.table, (table) => repo.switch({ table, branch, discard, create, start, forgotten }), (tables) => repo.switchMany({ tables, branch, discard, create, start, forgotten })),
  );
  return r.one ? { result: r.one, render: () => renderSwitch(r.one, style) } : { result: r.many, render: () => renderSwitchMany(r.many!, style) };
}

export const switchVerb = verb<Omit<SwitchOpts, 'start'>>({
  name: 'switch',
  description: 'make the live tables follow another branch and hold its rows',
  needs: 'write',
  args: [
    { name: '<branch>', description: 'the branch to switch to (or to create, with -c)' },
    { name: '[start]', description: 'with -c: where the new branch starts (default HEAD)' },
  ],
  options: [tables(), option('-c, --create', 'create the branch first'), option('--discard', 'throw away uncommitted changes of the live tables'), forgotten(), json()],
  help: `Only the rows that differ between the two branches are written. Uncommitted
changes block the switch (unless --discard), except to a branch at the same
commit, where they come along.

With several tables (-t repeated, or none given while several are tracked:
every tracked table), each table switches to its own branch of that name in
one transaction, rows written in the order their foreign keys accept (rows
removed children first, rows added or changed parents first). Refused whole,
nothing changed, when a table lacks the branch, has uncommitted changes, or
has a merge in progress. One line, as git's, naming the branch's commit by
the id 'vsg log' lists, with the rows written per table; --json an object
keyed by table (each table's own commit in commit, the repository's in repoCommit).

A row of the branch that holds a forgotten value (vsg forget) is refused
(exit 3), unless --forgotten says what to write in its place: the live value
(live) or NULL (null).`,
  examples: ['vsg switch repricing              # every tracked table', 'vsg switch -t clients repricing', 'vsg switch -c hotfix v1.2', 'vsg switch main --discard'],
  exits: { 0: '', 1: 'uncommitted changes', 3: 'unknown table or branch (in any of the tables), merge in progress, a cycle of foreign keys that are not deferrable, rows that hold forgotten values (without --forgotten)', 4: 'a constraint or trigger refused the rows, or a foreign key would break (nothing changed)' },
  async run(ctx, [branch, start], opts) {
    if (start !== undefined && !opts.create) throw usage('a start point needs -c');
    return switchTo(ctx, branch as string, { ...opts, start });
  },
});
