import { usage } from '../../errors.js';
import { renderCommitSummary } from '../../render/misc.js';
import { author, file, json, message, option, repeat, tables } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

interface Opts {
  table: string[];
  message?: string;
  author?: string;
  parent?: string;
  allowEmpty?: boolean;
  file?: string;
  meta: string[];
}

export const commit = verb<Opts>({
  name: 'commit',
  description: 'run SQL and record the rows it changed as a commit; without SQL, record uncommitted changes',
  needs: 'write',
  args: [{ name: '[sql]', description: "SQL to run, or '-' to read it from standard input" }],
  options: [
    tables(),
    message(),
    file(),
    author(),
    option('--parent <commit>', 'fail unless HEAD is still this commit (optimistic locking)'),
    option('--allow-empty', 'commit even if no row changed'),
    option('--meta <key=value>', 'attach metadata (repeatable)', { parse: repeat, default: [] }),
    json(),
  ],
  help: `With several tables tracked and no -t, the commit records every tracked
table the transaction changed (its statements, the cascades and triggers they
set off, the functions they called): one commit, with a part per table.
-t (repeatable) restricts it to those tables; the changes to others stay
uncommitted, as with git commit <path>. Without SQL, the uncommitted changes
(of the tables named) are recorded. --parent is checked table by table: a
commit since it to a table this commit changes makes it stale, commits to
other tables do not.`,
  examples: [
    `vsg commit -m "drop client 1" "DELETE FROM clients WHERE id = 1"   # clients and the orders it cascades to`,
    `vsg commit -t clients -m "raise limits" "UPDATE clients SET credit = credit * 2 WHERE tier = 'gold'"`,
    'vsg commit -t clients -f migration.sql',
    'vsg commit -t clients                       # record changes an application made',
    'vsg commit -t clients --parent 3f2a9c1 "DELETE FROM clients WHERE id = 7"',
  ],
  exits: { 0: 'committed', 1: 'nothing to commit, or HEAD is not --parent', 3: 'bad table or commit', 4: 'the SQL failed (nothing changed)' },
  async run(ctx, [arg], opts) {
    const statement = await ctx.cli.readSql(arg, opts.file);
    const who = await ctx.author(opts);
    const meta = parseMeta(opts.meta);
    // (a large statement, or one waiting for a lock, can take a while: a spinner on a terminal)
    const r = await withProgress(statement === undefined ? 'recording the uncommitted changes' : 'running the SQL and committing', () =>
      ctx.repo.commit({
        tables: opts.table,
        sql: statement,
        message: opts.message,
        author: who,
        authorIsDefault: opts.author === undefined,
        parent: opts.parent,
        allowEmpty: opts.allowEmpty,
        meta,
      }),
    );
    return { result: r, render: () => renderCommitSummary(r, ctx.style) };
  },
});

export function parseMeta(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw usage(`--meta '${p}' is not key=value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}
