import { author, json, message, option } from '../options.js';
import { verb } from '../verb.js';

export const track = verb<{ message?: string; author?: string }>({
  name: 'track',
  description: 'start versioning a table: capture triggers and a root commit of its current rows',
  needs: 'write',
  args: [{ name: '<table>', description: "table name as SQL would read it (schema.table, '\"MixedCase\"')" }],
  options: [message(), author(), json()],
  examples: ['vsg track clients', 'vsg track billing.invoices'],
  exits: { 0: 'tracked', 1: 'already tracked', 3: 'no such table or no primary key' },
  async run(ctx, [name], opts) {
    const r = await ctx.repo.track(name as string, { author: await ctx.author(opts), message: opts.message });
    return { result: r, render: () => `tracking ${r.table.display} on branch main [${ctx.style.yellow(r.root.shortId)}] ${r.root.inserted} rows` };
  },
});

export const untrack = verb<{ force?: boolean }>({
  name: 'untrack',
  description: 'stop versioning a table and delete its history',
  needs: 'write',
  args: [{ name: '<table>', description: 'a tracked table' }],
  options: [option('--force', 'delete a history of more than the root commit'), json()],
  examples: ['vsg untrack clients --force'],
  exits: { 0: 'untracked', 3: 'not tracked, or history present without --force' },
  async run({ repo }, [name], opts) {
    const r = await repo.untrack(name as string, { force: opts.force });
    return { result: r, render: () => `untracked ${r.table} (${r.commits} commit${r.commits === 1 ? '' : 's'} deleted)` };
  },
});
