import { renderSwitch } from '../../render/branch.js';
import { usage } from '../../errors.js';
import { json, option, table } from '../options.js';
import { verb, type Outcome, type RunContext } from '../verb.js';

export interface SwitchOpts {
  table?: string;
  discard?: boolean;
  create?: boolean;
  start?: string;
}

/** Switch the live table to a branch; `vsg checkout <branch>` comes here too. */
export async function switchTo({ repo, style }: RunContext, branch: string, opts: SwitchOpts): Promise<Outcome> {
  const r = await repo.switch({ table: opts.table, branch, discard: opts.discard, create: opts.create, start: opts.start });
  return { result: r, render: () => renderSwitch(r, style) };
}

export const switchVerb = verb<SwitchOpts>({
  name: 'switch',
  description: 'make the live table follow another branch and hold its rows',
  needs: 'write',
  args: [
    { name: '<branch>', description: 'the branch to switch to (or to create, with -c)' },
    { name: '[start]', description: 'with -c: where the new branch starts (default HEAD)' },
  ],
  options: [table(), option('-c, --create', 'create the branch first'), option('--discard', 'throw away uncommitted changes of the live table'), json()],
  help: `Only the rows that differ between the two branches are written. Uncommitted
changes block the switch (unless --discard), except to a branch at the same
commit, where they come along.`,
  examples: ['vsg switch -t clients repricing', 'vsg switch -t clients -c hotfix v1.2', 'vsg switch -t clients main --discard'],
  exits: { 0: '', 1: 'uncommitted changes', 3: 'unknown table or branch, merge in progress' },
  async run(ctx, [branch, start], opts) {
    if (start !== undefined && !opts.create) throw usage('a start point needs -c');
    return switchTo(ctx, branch as string, { ...opts, start });
  },
});
