import type { Command } from 'commander';
import { ExitCode, VsgError } from '../../errors.js';
import { renderSqlResult } from '../../render/misc.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('sql')
    .description('run SQL on the database without versioning it (psql for the embedded database)')
    .argument('[sql]', "SQL to run, or '-' for standard input")
    .option('-f, --file <file>', 'read the SQL from a file')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `\nExamples:\n  vsg sql "CREATE TABLE clients (id int PRIMARY KEY, name text)"\n  vsg sql "SELECT * FROM clients" --json\n\nChanges to tracked tables made here are uncommitted changes: 'vsg commit' records them.\nExit codes: 0; 2 no SQL given; 4 the SQL failed.`)
    .action(async (arg: string | undefined, opts: { file?: string; json?: boolean }, cmd: Command) => {
      const g = cli.setup(cmd);
      const statement = await cli.readSql(arg, opts.file);
      if (statement === undefined || statement.trim() === '') {
        throw new VsgError('E_USAGE', 'no SQL given', { exitCode: ExitCode.usage, hint: "pass it as an argument, with -f file, or '-' for standard input" });
      }
      const repo = await cli.repo(g, { bare: true });
      const r = await repo.sql(statement);
      await (opts.json ? cli.json(r) : cli.out(renderSqlResult(r, cli.style)));
    });
}
