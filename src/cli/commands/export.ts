import { usage } from '../../errors.js';
import { EXPORT_FORMATS, exportWriter, type ExportFormat } from '../../render/export.js';
import { json, option, table } from '../options.js';
import { startProgress } from '../progress.js';
import { verb } from '../verb.js';

export const exportVerb = verb<{ table?: string; at?: string; format: string; json?: boolean }>({
  name: 'export',
  description: 'write the rows of a table as of any commit, without touching the live table',
  needs: 'read',
  options: [table(), option('--at <commit>', 'the commit (default HEAD: the last committed state)'), option('--format <format>', `${EXPORT_FORMATS.join(', ')}`, { default: 'table' }), json()],
  help: `Rows stream in primary-key order through a cursor; every value is its exact
PostgreSQL text form (csv as COPY writes it: NULL empty, '' quoted). --json is --format json.`,
  examples: ['vsg export -t clients --at HEAD~3 --format csv > clients.csv', 'vsg export -t clients --at v1.0 --format sql | psql otherdb'],
  exits: { 0: '', 2: 'unknown format', 3: 'unknown commit or table' },
  // The rows stream to stdout as they come (a table may not fit in memory): no result object.
  check(_args, opts) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw usage(`unknown format '${opts.format}'`, `use one of ${EXPORT_FORMATS.join(', ')}`);
  },
  async run({ repo, style, write }, _args, opts) {
    const format = opts.json ? 'json' : opts.format;
    const w = exportWriter(format as ExportFormat, style);
    const p = startProgress('exporting rows');
    let n = 0;
    try {
      await repo.exportRows(
        { table: opts.table, at: opts.at },
        {
          header: (h) => write(w.header(h)),
          rows: (b) => {
            p.update((n += b.length));
            return write(w.rows(b));
          },
        },
      );
    } finally {
      p.done();
    }
    await write(w.end());
    return {};
  },
});
