/**
 * Rows as of a commit, in the formats `vsg export` writes: an aligned table,
 * CSV (as COPY … CSV HEADER writes it: NULL empty, the empty string quoted),
 * JSON (an array of objects, every value its exact PostgreSQL text form or
 * null), or SQL INSERT statements that rebuild the rows. Each writer turns one
 * batch at a time into text, so the command can stream; only the table
 * format needs every row before it can align the columns.
 */
import Table from 'cli-table3';
import { ident } from '../db/quote.js';
import type { ExportHeader, RowBatch, RowsAtResult } from '../index.js';
import type { Style } from './style.js';

export const EXPORT_FORMATS = ['table', 'csv', 'json', 'sql'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportWriter {
  header(h: ExportHeader): string;
  rows(batch: RowBatch): string;
  end(): string;
}

/** One CSV field: quoted when it must be, NULL as nothing, '' as "". */
export function csvField(v: string | null): string {
  if (v === null) return '';
  if (v === '' || /[",\r\n]/.test(v) || /^\s|\s$/.test(v) || v === '\\.') return `"${v.replace(/"/g, '""')}"`;
  return v;
}

/** A SQL literal for a value's text form. */
export function sqlLiteral(v: string | null): string {
  return v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`;
}

/** A streaming writer for csv, json or sql; `table` buffers (see renderRowsTable). */
export function exportWriter(format: ExportFormat, s: Style): ExportWriter {
  let h: ExportHeader;
  let first = true;
  const buffered: RowBatch = [];
  switch (format) {
    case 'csv':
      return {
        header: (x) => `${x.columns.map(csvField).join(',')}\n`,
        rows: (b) => b.map((r) => `${r.map(csvField).join(',')}\n`).join(''),
        end: () => '',
      };
    case 'json':
      return {
        header: (x) => ((h = x), '['),
        rows: (b) =>
          b
            .map((r) => {
              const o = Object.fromEntries(h.columns.map((c, i) => [c, r[i]]));
              const line = `${first ? '\n' : ',\n'}  ${JSON.stringify(o)}`;
              first = false;
              return line;
            })
            .join(''),
        end: () => (first ? ']\n' : '\n]\n'),
      };
    case 'sql': {
      let keep: number[] = [];
      let prefix = '';
      return {
        header: (x) => {
          h = x;
          keep = x.columns.map((c, i) => (x.generated.includes(c) ? -1 : i)).filter((i) => i >= 0);
          const target = `${ident(x.schema)}.${ident(x.name)}`;
          prefix = `INSERT INTO ${target} (${keep.map((i) => ident(x.columns[i])).join(', ')})${x.identityAlways ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES (`;
          return `-- ${x.table} as of ${x.commit}\n`;
        },
        rows: (b) => b.map((r) => `${prefix}${keep.map((i) => sqlLiteral(r[i])).join(', ')});\n`).join(''),
        end: () => '',
      };
    }
    default:
      return {
        header: (x) => ((h = x), ''),
        rows: (b) => (buffered.push(...b), ''),
        end: () => `${renderRowsTable({ ...h, rows: buffered }, s)}\n`,
      };
  }
}

/**
 * A streaming writer for several tables, one after another: the table format
 * a section per table (its name and commit over its rows), json one object
 * keyed by table, sql one transaction (`SET CONSTRAINTS ALL DEFERRED`, the
 * tables in the order they come: parents first). csv holds one table only.
 */
export function exportManyWriter(format: Exclude<ExportFormat, 'csv'>, s: Style): ExportWriter & { start(): string; tableEnd(h: ExportHeader): string } {
  let one: ExportWriter;
  let n = 0;
  switch (format) {
    case 'json': {
      let first = true;
      let cols: string[] = [];
      return {
        start: () => '{',
        header: (x) => ((first = true), (cols = x.columns), `${n++ ? ',' : ''}\n  ${JSON.stringify(x.table)}: [`),
        rows: (b) =>
          b
            .map((r) => {
              const line = `${first ? '\n' : ',\n'}    ${JSON.stringify(Object.fromEntries(r.map((v, i) => [cols[i], v])))}`;
              first = false;
              return line;
            })
            .join(''),
        tableEnd: () => (first ? ']' : '\n  ]'),
        end: () => (n ? '\n}\n' : '}\n'),
      };
    }
    case 'sql':
      return {
        start: () => 'BEGIN;\nSET CONSTRAINTS ALL DEFERRED;\n',
        header: (x) => ((one = exportWriter('sql', s)), one.header(x)),
        rows: (b) => one.rows(b),
        tableEnd: () => '',
        end: () => 'COMMIT;\n',
      };
    default:
      return {
        start: () => '',
        header: (x) => ((one = exportWriter('table', s)), one.header(x), `${n++ ? '\n' : ''}${s.bold(x.table)} at ${x.commit.slice(0, 7)}\n`),
        rows: (b) => one.rows(b),
        tableEnd: () => one.end(),
        end: () => '',
      };
  }
}

/** Rows as psql would show them, NULL spelt out, with a row count. */
export function renderRowsTable(r: Pick<RowsAtResult, 'columns' | 'rows'>, s: Style): string {
  const t = new Table({ head: r.columns, style: { head: s.level ? ['bold'] : [], border: [] } });
  for (const row of r.rows) t.push(row.map((v) => (v === null ? s.dim('NULL') : v)));
  return `${t.toString()}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`;
}
