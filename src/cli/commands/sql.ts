import { usage } from '../../errors.js';
import { renderSqlResult } from '../../render/misc.js';
import { file, json } from '../options.js';
import { verb } from '../verb.js';

const noSql = () => usage('no SQL given', "pass it as an argument, with -f file, or '-' for standard input");

export const sql = verb<{ file?: string }>({
  name: 'sql',
  description: 'run SQL on the database without versioning it (psql for the embedded database)',
  needs: 'database',
  args: [{ name: '[sql]', description: "SQL to run, or '-' for standard input" }],
  options: [file(), json()],
  help: "Changes to tracked tables made here are uncommitted changes: 'vsg commit' records them.",
  examples: ['vsg sql "CREATE TABLE clients (id int PRIMARY KEY, name text)"', 'vsg sql "SELECT * FROM clients" --json'],
  exits: { 0: '', 2: 'no SQL given', 4: 'the SQL failed' },
  check([arg], opts) {
    if (opts.file === undefined && (arg === undefined || arg.trim() === '')) throw noSql();
  },
  async run({ cli, repo, style }, [arg], opts) {
    const statement = await cli.readSql(arg, opts.file);
    if (statement === undefined || statement.trim() === '') throw noSql();
    const r = await repo.sql(statement);
    return { result: r, render: () => renderSqlResult(r, style) };
  },
});
