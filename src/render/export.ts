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
import type { ExportHeader, ForgottenRows, RowBatch, RowsAtResult } from '../index.js';
import { FORGOTTEN } from './values.js';
import type { Style } from './style.js';

export const EXPORT_FORMATS = ['table', 'csv', 'json', 'sql'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportWriter {
  header(h: ExportHeader): string;
  /** a batch, and its rows' forgotten columns (vsg forget) by index */
  rows(batch: RowBatch, forgotten?: ForgottenRows): string;
  end(): string;
}

/**
 * The name of a JSON row's flag listing its forgotten columns: "forgotten",
 * or with as many underscores after it as it takes to name no column.
 */
export function forgottenKey(columns: readonly string[]): string {
  let k = 'forgotten';
  while (columns.includes(k)) k += '_';
  return k;
}

/** A row as a JSON object: its columns, and where values were forgotten (null), the flag naming them with their markers. */
function jsonRow(columns: readonly string[], r: (string | null)[], forgotten: Record<string, string> | undefined): string {
  const o: Record<string, unknown> = Object.fromEntries(columns.map((c, i) => [c, r[i]]));
  if (forgotten) o[forgottenKey(columns)] = forgotten;
  return JSON.stringify(o);
}

/** A row with each forgotten cell (vsg forget) as `mark`. */
function marked<T>(columns: readonly string[], r: (string | null)[], forgotten: Record<string, string> | undefined, mark: T): (string | null | T)[] {
  return forgotten ? r.map((v, i) => (columns[i] in forgotten ? mark : v)) : r;
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
      // CSV has no second kind of null: a forgotten value is the text «forgotten»
      return {
        header: (x) => ((h = x), `${x.columns.map(csvField).join(',')}\n`),
        rows: (b, f) => b.map((r, i) => `${marked(h.columns, r, f?.[i], FORGOTTEN).map(csvField).join(',')}\n`).join(''),
        end: () => '',
      };
    case 'json':
      return {
        header: (x) => ((h = x), '['),
        rows: (b, f) =>
          b
            .map((r, i) => {
              const line = `${first ? '\n' : ',\n'}  ${jsonRow(h.columns, r, f?.[i])}`;
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
        // a forgotten value is written as NULL, and says so
        rows: (b, f) =>
          b.map((r, j) => `${prefix}${keep.map((i) => (f?.[j] && h.columns[i] in f[j] ? 'NULL /* forgotten */' : sqlLiteral(r[i]))).join(', ')});\n`).join(''),
        end: () => '',
      };
    }
    default: {
      const forgotten: ForgottenRows = {};
      return {
        header: (x) => ((h = x), ''),
        rows: (b, f) => {
          for (const [i, cols] of Object.entries(f ?? {})) forgotten[buffered.length + Number(i)] = cols;
          buffered.push(...b);
          return '';
        },
        end: () => `${renderRowsTable({ ...h, rows: buffered, forgotten }, s)}\n`,
      };
    }
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
        rows: (b, f) =>
          b
            .map((r, i) => {
              const line = `${first ? '\n' : ',\n'}    ${jsonRow(cols, r, f?.[i])}`;
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
        rows: (b, f) => one.rows(b, f),
        tableEnd: () => '',
        end: () => 'COMMIT;\n',
      };
    default:
      return {
        start: () => '',
        header: (x) => ((one = exportWriter('table', s)), one.header(x), `${n++ ? '\n' : ''}${s.bold(x.table)} at ${x.commit.slice(0, 7)}\n`),
        rows: (b, f) => one.rows(b, f),
        tableEnd: () => one.end(),
        end: () => '',
      };
  }
}

/** Rows as psql would show them, NULL spelt out, forgotten values as «forgotten», with a row count. */
export function renderRowsTable(r: Pick<RowsAtResult, 'columns' | 'rows' | 'forgotten'>, s: Style): string {
  const t = new Table({ head: r.columns, style: { head: s.level ? ['bold'] : [], border: [] } });
  const gone = s.dim(FORGOTTEN);
  r.rows.forEach((row, i) => t.push(marked(r.columns, row, r.forgotten?.[i], gone).map((v) => (v === null ? s.dim('NULL') : v))));
  return `${t.toString()}\n(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`;
}
