import { usage } from '../../errors.js';
import { renderForget } from '../../render/log.js';
import { author, json, option, table } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const forget = verb<{ table?: string; columns?: string; where?: string; message?: string; author?: string; live?: boolean; vacuum?: boolean; vacuumFull?: boolean }>({
  name: 'forget',
  description: 'blank rows (or some of their columns) in every commit on every branch; the chain still verifies',
  needs: 'write',
  args: [{ name: '[keys...]', description: 'the rows\' keys: 7, id=7, a=1,b=x or JSON' }],
  options: [
    table(),
    option('--columns <c1,c2>', 'forget only these columns (never key columns); default: every column but the key'),
    option('--where <predicate>', 'the rows a SQL predicate over the table\'s columns is true of, live or in any image of history'),
    option('-m, --message <why>', 'why (required): recorded in the FORGET entry'),
    author(),
    option('--live', 'also delete the live rows (or set the columns to NULL), as a commit in the same transaction'),
    option('--no-vacuum', 'do not vacuum vsg.changes, vsg.pending (and with --live the table) afterwards: dead tuples keep the old values until vacuumed'),
    option('--vacuum-full', 'VACUUM FULL instead: rewrite those tables\' files so that no byte of an old value is left in them (locks them while it runs)'),
    json(),
  ],
  help: `The values (and each change row's salt) go; the key and the row hash stay, so
every commit id is unchanged, \`vsg verify\` passes and a digest taken before
still verifies. Readers show a forgotten cell as «forgotten»; in --json it is
null, and the object holding it gets a flag "forgotten" naming it (with its
marker: equal markers, equal values forgotten together). The erasure is recorded as a FORGET entry (who, when, why, the
table, the columns, how many rows and cells; never values, never keys) that
\`vsg log\` shows and \`vsg verify\` checks. Checkpoints of the table are
dropped; a merge in progress into the table has its conflicts blanked too, and
can be continued or aborted. A write-back that would need a forgotten value
(checkout, restore, rollback, switch, merge) is refused unless told
--forgotten live|null.

Refused: rows held by commits made before schema version 13 (no salts),
uncommitted changes to the rows, --live during a merge. See docs/forget.md
for what forget cannot reach (backups, WAL, replicas, messages and statements).`,
  examples: [
    'vsg forget -t customers 42 -m "erasure request #123"',
    'vsg forget -t customers --where "email = \'ann@example.com\'" --live -m "GDPR art. 17, ticket 881"',
    'vsg forget -t customers 42 --columns email,phone -m "contact details withdrawn"',
  ],
  exits: {
    0: 'forgotten',
    1: 'uncommitted changes to the rows',
    2: 'no keys and no --where, or no message',
    3: 'unknown table, column or key; rows in commits made before schema version 13; --live while a merge is in progress',
    4: 'the --where predicate failed',
  },
  check([keys], opts) {
    if (!(keys as unknown as string[]).length && opts.where === undefined) throw usage('name the rows to forget: keys, or --where', 'vsg forget -t customers 42 -m "why"');
    if (opts.message === undefined || opts.message.trim() === '') throw usage('say why: forget needs -m', 'vsg forget -t customers 42 -m "erasure request #123"');
  },
  async run(ctx, [keys], opts) {
    const who = await ctx.author(opts);
    const columns = opts.columns === undefined ? undefined : opts.columns.split(',').map((c) => c.trim()).filter((c) => c !== '');
    const r = await withProgress('forgetting', () =>
      ctx.repo.forget({
        table: opts.table, keys: keys as unknown as string[], where: opts.where, columns, message: opts.message as string, author: who,
        live: opts.live, vacuum: opts.vacuum === false ? false : opts.vacuumFull ? 'full' : true,
      }),
    );
    return { result: r, render: () => renderForget(r, ctx.style) };
  },
});
