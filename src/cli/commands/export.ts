import type { Command } from 'commander';
import { ExitCode, VsgError } from '../../errors.js';
import { EXPORT_FORMATS, exportWriter, type ExportFormat } from '../../render/export.js';
import { write, type Cli } from '../context.js';
import { startProgress } from '../progress.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('export')
    .description('write the rows of a table as of any commit, without touching the live table')
    .option('-t, --table <table>', 'the tracked table (default: the only one)')
    .option('--at <commit>', 'the commit (default HEAD: the last committed state)')
    .option('--format <format>', `${EXPORT_FORMATS.join(', ')}`, 'table')
    .addHelpText(
      'after',
      `
Rows stream in primary-key order through a cursor; every value is its exact
PostgreSQL text form (csv as COPY writes it: NULL empty, '' quoted).

Examples:
  vsg export -t clients --at HEAD~3 --format csv > clients.csv
  vsg export -t clients --at v1.0 --format sql | psql otherdb

Exit codes: 0; 2 unknown format; 3 unknown commit or table.`,
    )
    .action(async (opts: { table?: string; at?: string; format: string }, cmd: Command) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new VsgError('E_USAGE', `unknown format '${opts.format}'`, { exitCode: ExitCode.usage, hint: `use one of ${EXPORT_FORMATS.join(', ')}` });
      }
      const repo = await cli.repo(cli.setup(cmd));
      const w = exportWriter(opts.format as ExportFormat, cli.style);
      const out = (text: string) => (text ? write(process.stdout, text) : Promise.resolve());
      const p = startProgress('exporting rows');
      let n = 0;
      try {
        await repo.exportRows(
          { table: opts.table, at: opts.at },
          {
            header: (h) => out(w.header(h)),
            rows: (b) => {
              p.update((n += b.length));
              return out(w.rows(b));
            },
          },
        );
      } finally {
        p.done();
      }
      await out(w.end());
    });
}
