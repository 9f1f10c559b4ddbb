import type { Command } from 'commander';
import { ExitCode, VsgError } from '../../errors.js';
import { renderCommitSummary } from '../../render/misc.js';
import type { Cli } from '../context.js';

interface Opts {
  table?: string;
  message?: string;
  author?: string;
  parent?: string;
  allowEmpty?: boolean;
  file?: string;
  meta: string[];
  json?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('commit')
    .description('run SQL and record the rows it changed as a commit; without SQL, record uncommitted changes')
    .argument('[sql]', "SQL to run, or '-' to read it from standard input")
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('-m, --message <msg>', 'commit message (default: the statement)')
    .option('-f, --file <file>', 'read the SQL from a file')
    .option('--author <who>', 'author (default: VSG_AUTHOR, .vsgrc, the OS user)')
    .option('--parent <commit>', 'fail unless HEAD is still this commit (optimistic locking)')
    .option('--allow-empty', 'commit even if no row changed')
    .option('--meta <key=value>', 'attach metadata (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--json', 'print the commit as JSON')
    .addHelpText(
      'after',
      `
Examples:
  vsg commit -t clients -m "raise limits" "UPDATE clients SET credit = credit * 2 WHERE tier = 'gold'"
  vsg commit -t clients -f migration.sql
  vsg commit -t clients                       # record changes an application made
  vsg commit -t clients --parent 3f2a9c1 "DELETE FROM clients WHERE id = 7"

Exit codes: 0 committed; 1 nothing to commit, or HEAD is not --parent; 3 bad table or commit; 4 the SQL failed (nothing changed).`,
    )
    .action(async (arg: string | undefined, opts: Opts, cmd: Command) => {
      const g = cli.setup(cmd);
      const statement = await cli.readSql(arg, opts.file);
      const meta = parseMeta(opts.meta);
      const repo = await cli.repo(g);
      const r = await repo.commit({
        table: opts.table,
        sql: statement,
        message: opts.message,
        author: await cli.author(opts),
        authorIsDefault: opts.author === undefined,
        parent: opts.parent,
        allowEmpty: opts.allowEmpty,
        meta,
      });
      await (opts.json ? cli.json(r) : cli.out(renderCommitSummary(r, cli.style)));
    });
}

export function parseMeta(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new VsgError('E_USAGE', `--meta '${p}' is not key=value`, { exitCode: ExitCode.usage });
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}
