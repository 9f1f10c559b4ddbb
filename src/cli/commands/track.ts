import type { TrackResult } from '../../index.js';
import { usage } from '../../errors.js';
import { author, json, message, option } from '../options.js';
import { verb } from '../verb.js';
import { withProgress } from '../progress.js';
import { counted } from '../../render/values.js';

export const track = verb<{ message?: string; author?: string; schema?: string; force?: boolean }>({
  name: 'track',
  description: 'start versioning tables: capture triggers and a root commit of their current rows',
  needs: 'write',
  args: [{ name: '[tables...]', description: "table names as SQL would read them (schema.table, '\"MixedCase\"')" }],
  options: [
    option('--schema <schema>', 'every table of the schema that has a primary key (and is not tracked yet)'),
    option('--force', 'track a table that a logical-replication subscription writes into (its replicated rows are not recorded)'),
    message(),
    author(),
    json(),
  ],
  help: `Several tables are tracked in one transaction: all of them, or none when one cannot be.

Tracking installs triggers, which needs ownership of the table (exit 6 otherwise).
A table that a logical-replication subscription writes into is refused unless
--force: the subscription's rows fire no statement trigger, so vsg would record
none of them; track it on the publisher. On Citus, a reference table is
captured on its placement on the node vsg connects to (the coordinator); a
distributed or Citus local table, or a reference table with no placement there,
is refused, and skipped with the reason by --schema (see docs/scaling-out.md).`,
  examples: ['vsg track clients', 'vsg track clients orders order_items', 'vsg track --schema billing'],
  exits: { 0: 'tracked', 1: 'already tracked', 2: 'no table named', 3: 'no such table or schema, no primary key, a subscription target or a Citus table vsg cannot capture', 6: 'the role does not own the table' },
  check([names], opts) {
    if (!(names as unknown as string[]).length && opts.schema === undefined) throw usage('name a table to track, or --schema', 'vsg track clients');
  },
  async run(ctx, [names], opts) {
    const list = names as unknown as string[];
    const who = { author: await ctx.author(opts), message: opts.message, ...(opts.force ? { force: true } : {}) };
    const line = (r: TrackResult) => `tracking ${r.table.display} on branch main [${ctx.style.yellow(r.root.shortId)}] ${counted(r.root.inserted ?? 0, 'row')}`;
    // (a root commit holds every row of the table: a spinner on a terminal while it is made)
    const doing = `tracking ${opts.schema !== undefined ? `the tables of ${opts.schema}` : list.join(', ')}`;
    if (list.length === 1 && opts.schema === undefined) {
      const r = await withProgress(doing, () => ctx.repo.track(list[0], who));
      return { result: r, render: () => line(r) };
    }
    const r = await withProgress(doing, () => ctx.repo.trackTables(list, { ...who, schema: opts.schema }));
    return {
      result: r,
      render: () =>
        [
          // several tracked together: their parts' ids are not in the log; the commit across them is, below
          ...r.tracked.map((t) => (r.commit ? `tracking ${t.table.display} on branch main: ${counted(t.root.inserted ?? 0, 'row')}` : line(t))),
          ...(r.commit ? [`one commit across them: [main ${ctx.style.yellow(r.commit.shortId)}] ${r.commit.message}`] : []),
          ...r.skipped.map((s) => `skipped ${s.table}: ${s.reason}`),
        ].join('\n'),
    };
  },
});

export const untrack = verb<{ force?: boolean; message?: string; author?: string }>({
  name: 'untrack',
  description: 'stop versioning tables: one UNTRACK commit; their history stays readable and verifiable',
  needs: 'write',
  args: [{ name: '<tables...>', description: 'tracked tables' }],
  options: [option('--force', 'delete the tables\' histories instead (no commit); also deletes an untracked history of that name'), message(), author(), json()],
  help: `Several tables are untracked in one commit across them, or none is. The
capture triggers go; commits, change rows and refs stay: 'vsg log -t <table>',
show, diff, export and blame read the history by its name, verify checks it.
A table with uncommitted changes refuses (commit or restore them first).
Tracking the table again starts a new history. With --force, a commit across
this table and others keeps the others' parts: log and show still list it by
its own id (with the parts left), and that id still resolves.`,
  examples: ['vsg untrack clients', 'vsg untrack clients orders -m "archive"', 'vsg untrack clients --force'],
  exits: { 0: 'untracked', 1: 'uncommitted changes', 3: 'not tracked, or no such table' },
  async run(ctx, [names], opts) {
    const list = names as unknown as string[];
    const r = await ctx.repo.untrack(list, { force: opts.force, message: opts.message, author: opts.force ? undefined : await ctx.author(opts) });
    const n = r.deleted;
    return {
      result: r,
      render: () =>
        r.commit
          ? `untracked ${r.tables.join(', ')} [${r.branch} ${ctx.style.yellow(r.commit.shortId)}] ${r.commit.message}`
          : `untracked ${r.tables.join(', ')} (${n} commit${n === 1 ? '' : 's'} deleted)`,
    };
  },
});
