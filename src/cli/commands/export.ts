import { usage } from '../../errors.js';
import { EXPORT_FORMATS, exportManyWriter, exportWriter, type ExportFormat } from '../../render/export.js';
import { json, option, tables } from '../options.js';
import { startProgress } from '../progress.js';
import { verb } from '../verb.js';

export const exportVerb = verb<{ table: string[]; at?: string; format: string; json?: boolean }>({
  name: 'export',
  description: 'write the rows of a table (or of every table) as of any commit, without touching the live tables',
  needs: 'read',
  options: [tables(), option('--at <commit>', 'the commit (default HEAD: the last committed state)'), option('--format <format>', `${EXPORT_FORMATS.join(', ')}`, { default: 'table' }), json()],
  help: `Rows stream in primary-key order through a cursor; every value is its exact
PostgreSQL text form (csv as COPY writes it: NULL empty, '' quoted). --json is --format json.

With several tables tracked and no -t (or -t repeated), every (named) table is
read from one REPEATABLE READ snapshot, each as it stood at --at (HEAD~N counts
back the repository's commits across tables): table a section per table, json
an object keyed by table, sql one BEGIN … COMMIT with SET CONSTRAINTS ALL
DEFERRED and the tables parents first by their foreign keys, which loads into
an empty copy of the schema. csv holds one table: name it with -t.`,
  examples: [
    'vsg export -t clients --at HEAD~3 --format csv > clients.csv',
    'vsg export -t clients --at v1.0 --format sql | psql otherdb',
    'vsg export --at v1.0 --format sql | psql emptycopy   # every table, one transaction',
  ],
  exits: { 0: '', 2: 'unknown format; csv with several tables', 3: 'unknown commit or table' },
  // The rows stream to stdout as they come (a table may not fit in memory): no result object.
  check(_args, opts) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw usage(`unknown format '${opts.format}'`, `use one of ${EXPORT_FORMATS.join(', ')}`);
  },
  async run({ repo, style, write }, _args, opts) {
    const format = (opts.json ? 'json' : opts.format) as ExportFormat;
    const names = [...new Set(opts.table)];
    const many = names.length > 1 || (names.length === 0 && (await repo.tables()).filter((t) => !t.gone).length > 1);
    if (many && format === 'csv') throw usage('csv holds one table: name a table with -t');
    const p = startProgress('exporting rows');
    let n = 0;
    const count = (rows: number) => p.update((n += rows));
    try {
      if (many) {
        const w = exportManyWriter(format as Exclude<ExportFormat, 'csv'>, style);
        await write(w.start());
        await repo.exportTables(
          { tables: names.length ? names : undefined, at: opts.at, parentsFirst: format === 'sql' },
          { header: (h) => write(w.header(h)), rows: (b, f) => (count(b.length), write(w.rows(b, f))), end: (h) => write(w.tableEnd(h)) },
        );
        await write(w.end());
        return {};
      }
      const w = exportWriter(format, style);
      await repo.exportRows({ table: names[0], at: opts.at }, { header: (h) => write(w.header(h)), rows: (b, f) => (count(b.length), write(w.rows(b, f))) });
      await write(w.end());
    } finally {
      p.done();
    }
    return {};
  },
});
