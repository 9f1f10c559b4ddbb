/**
 * What the user's SQL may not do inside vsg's transaction, decided before any
 * of it runs, by PostgreSQL's own parser (libpg_query compiled to WebAssembly:
 * no native build, the same grammar as the server, so a COMMIT inside a
 * dollar-quoted body or a comment is not a COMMIT).
 *
 * Refused:
 * - transaction control that ends or restarts vsg's transaction (COMMIT, END,
 *   ROLLBACK, ABORT, BEGIN, START TRANSACTION, PREPARE TRANSACTION): the user's
 *   change would be committed without its record, or rolled back under it;
 * - statements PostgreSQL refuses inside a transaction block (VACUUM,
 *   CREATE INDEX CONCURRENTLY, CREATE DATABASE, COMMIT PREPARED, …): named
 *   clearly here rather than failing halfway;
 * - RELEASE or ROLLBACK TO a savepoint the SQL did not set itself, which would
 *   reach into vsg's (or, through the library, the application's) savepoints.
 *   SAVEPOINT a; …; RELEASE a (or ROLLBACK TO a) stays inside vsg's
 *   transaction and is allowed.
 *
 * SQL that does not parse is left to PostgreSQL, which parses the whole text
 * before running any of it and reports the error with its position.
 *
 * The parser (~2 MB of WebAssembly) is loaded only when a commit runs SQL,
 * and in the CLI only when the SQL holds a word a refusal needs (mayRefuse).
 */
import { ExitCode, VsgError } from '../errors.js';

type Node = Record<string, unknown>;
type Parser = { parseSync(sql: string): { stmts?: { stmt?: Node; stmt_location?: number; stmt_len?: number }[] } };

let parser: Promise<Parser> | undefined;

function load(): Promise<Parser> {
  parser ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    return m as unknown as Parser;
  });
  return parser;
}

/** Why one statement cannot run in vsg's transaction. */
interface Refusal {
  code: 'E_TX_CONTROL' | 'E_NO_TRANSACTION_BLOCK' | 'E_SAVEPOINT';
  /** the statement's kind as the user would say it, e.g. "COMMIT", "CREATE INDEX CONCURRENTLY" */
  kind: string;
  /** for E_SAVEPOINT: the savepoint named */
  savepoint?: string;
}

const ENDS = { code: 'E_TX_CONTROL' } as const;
const OUTSIDE = { code: 'E_NO_TRANSACTION_BLOCK' } as const;

/** The first word of a statement's text, upper-cased: END for COMMIT, ABORT for ROLLBACK. */
function keyword(text: string, otherwise: string): string {
  const code = text.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^[a-z]+/i.exec(code)?.[0].toUpperCase() ?? otherwise;
}

const option = (list: unknown, name: string): boolean =>
  Array.isArray(list) && list.some((d) => (d as { DefElem?: { defname?: string } }).DefElem?.defname === name);

/** Classify one parsed statement; `savepoints` is the stack of savepoints the SQL has set so far. */
function classify(node: Node, text: string, savepoints: string[]): Refusal | null {
  const [type, body] = Object.entries(node)[0] ?? [];
  const b = (body ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'TransactionStmt': {
      const name = String(b.savepoint_name ?? '');
      switch (b.kind) {
        case 'TRANS_STMT_BEGIN':
          return { ...ENDS, kind: 'BEGIN' };
        case 'TRANS_STMT_COMMIT':
          return { ...ENDS, kind: keyword(text, 'COMMIT') };
        case 'TRANS_STMT_ROLLBACK':
          return { ...ENDS, kind: keyword(text, 'ROLLBACK') };
        case 'TRANS_STMT_START':
          return { ...ENDS, kind: 'START TRANSACTION' };
        case 'TRANS_STMT_PREPARE':
          return { ...ENDS, kind: 'PREPARE TRANSACTION' };
        case 'TRANS_STMT_COMMIT_PREPARED':
          return { ...OUTSIDE, kind: 'COMMIT PREPARED' };
        case 'TRANS_STMT_ROLLBACK_PREPARED':
          return { ...OUTSIDE, kind: 'ROLLBACK PREPARED' };
        case 'TRANS_STMT_SAVEPOINT':
          savepoints.push(name);
          return null;
        case 'TRANS_STMT_RELEASE':
        case 'TRANS_STMT_ROLLBACK_TO': {
          const at = savepoints.lastIndexOf(name);
          const kind = b.kind === 'TRANS_STMT_RELEASE' ? 'RELEASE SAVEPOINT' : 'ROLLBACK TO SAVEPOINT';
          if (at < 0) return { code: 'E_SAVEPOINT', kind, savepoint: name };
          savepoints.length = b.kind === 'TRANS_STMT_RELEASE' ? at : at + 1;
          return null;
        }
        default:
          return { ...ENDS, kind: 'transaction control' };
      }
    }
    case 'VacuumStmt':
      return b.is_vacuumcmd ? { ...OUTSIDE, kind: 'VACUUM' } : null; // ANALYZE alone may run in a transaction
    case 'CreatedbStmt':
      return { ...OUTSIDE, kind: 'CREATE DATABASE' };
    case 'DropdbStmt':
      return { ...OUTSIDE, kind: 'DROP DATABASE' };
    case 'AlterDatabaseStmt':
      return option(b.options, 'tablespace') ? { ...OUTSIDE, kind: 'ALTER DATABASE SET TABLESPACE' } : null;
    case 'CreateTableSpaceStmt':
      return { ...OUTSIDE, kind: 'CREATE TABLESPACE' };
    case 'DropTableSpaceStmt':
      return { ...OUTSIDE, kind: 'DROP TABLESPACE' };
    case 'IndexStmt':
      return b.concurrent ? { ...OUTSIDE, kind: 'CREATE INDEX CONCURRENTLY' } : null;
    case 'DropStmt':
      return b.concurrent ? { ...OUTSIDE, kind: 'DROP INDEX CONCURRENTLY' } : null;
    case 'ReindexStmt':
      if (option(b.params, 'concurrently')) return { ...OUTSIDE, kind: 'REINDEX CONCURRENTLY' };
      if (b.kind === 'REINDEX_OBJECT_SYSTEM') return { ...OUTSIDE, kind: 'REINDEX SYSTEM' };
      if (b.kind === 'REINDEX_OBJECT_DATABASE') return { ...OUTSIDE, kind: 'REINDEX DATABASE' };
      return null;
    case 'AlterSystemStmt':
      return { ...OUTSIDE, kind: 'ALTER SYSTEM' };
    case 'CreateSubscriptionStmt':
      return { ...OUTSIDE, kind: 'CREATE SUBSCRIPTION' };
    case 'DropSubscriptionStmt':
      return { ...OUTSIDE, kind: 'DROP SUBSCRIPTION' };
    case 'DiscardStmt':
      return b.target === 'DISCARD_ALL' ? { ...OUTSIDE, kind: 'DISCARD ALL' } : null;
    case 'ClusterStmt':
      return b.relation ? null : { ...OUTSIDE, kind: 'CLUSTER' }; // CLUSTER of every table
    case 'AlterTableStmt': {
      const detach = Array.isArray(b.cmds) && b.cmds.some((c) => {
        const cmd = (c as { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } } }).AlterTableCmd;
        return cmd?.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent;
      });
      return detach ? { ...OUTSIDE, kind: 'DETACH PARTITION CONCURRENTLY' } : null;
    }
    default:
      return null;
  }
}

function refuse(r: Refusal, position: number): VsgError {
  const data = { kind: r.kind, position, ...(r.savepoint !== undefined ? { savepoint: r.savepoint } : {}) };
  const exitCode = ExitCode.sql;
  if (r.code === 'E_TX_CONTROL' && (r.kind === 'BEGIN' || r.kind === 'START TRANSACTION')) {
    return new VsgError(r.code, `'${r.kind}' cannot start a transaction inside vsg's; nothing was run`, {
      exitCode,
      data,
      hint: 'drop BEGIN and COMMIT: vsg runs the SQL in one transaction and commits it together with its record',
    });
  }
  if (r.code === 'E_TX_CONTROL') {
    return new VsgError(r.code, `'${r.kind}' would end vsg's transaction; nothing was run`, {
      exitCode,
      data,
      hint: "drop it: vsg commits the change together with its record (or run the SQL outside vsg's history with 'vsg sql' or psql)",
    });
  }
  if (r.code === 'E_SAVEPOINT') {
    return new VsgError(r.code, `'${r.kind} ${r.savepoint}' names a savepoint the SQL did not set; nothing was run`, {
      exitCode,
      data,
      hint: `set it first in the same SQL (SAVEPOINT ${r.savepoint}), or leave savepoints out`,
    });
  }
  return new VsgError(r.code, `'${r.kind}' cannot run inside a transaction block, and vsg runs the SQL in one; nothing was run`, {
    exitCode,
    data,
    hint: "run it on its own with 'vsg sql' or psql",
  });
}

/**
 * A word that every statement classify() refuses contains, as a keyword of
 * its own: SQL in which none of them stands as a word anywhere (comments and
 * string literals included, so this errs only towards parsing) has nothing
 * to refuse. PostgreSQL's keywords are ASCII, case-insensitive, and delimited
 * by what JavaScript's \b also sees as a boundary.
 */
const MAY_REFUSE =
  /\b(?:BEGIN|START|COMMIT|END|ROLLBACK|ABORT|PREPARE|PREPARED|SAVEPOINT|RELEASE|VACUUM|DATABASE|TABLESPACE|CONCURRENTLY|REINDEX|SYSTEM|SUBSCRIPTION|DISCARD|CLUSTER)\b/i;

/** Whether `sql` may hold a statement that assertRunsInTransaction refuses (false: it holds none). */
export function mayRefuse(sql: string): boolean {
  return MAY_REFUSE.test(sql);
}

let parseOnlyWhenNeeded = false;

/**
 * For a process that makes one commit and ends (the CLI): SQL that cannot
 * hold a refused statement (mayRefuse) is not parsed. Loading the parser
 * costs a new process ~130 ms, far more than the round trip its answer saves
 * (running plain statements inside the locking statement); a long-lived
 * process, the library's, loads it once and keeps that round trip.
 */
export function parseStatementsOnlyWhenNeeded(): void {
  parseOnlyWhenNeeded = true;
}

/**
 * Refuse, before anything runs, SQL that cannot run inside vsg's transaction
 * (see the module comment). Throws a VsgError (exit 4) naming the first such
 * statement; returns quietly for SQL that is fine or that does not parse.
 * Returns whether the SQL is only plain statements (`isPlain`), which may
 * run inside a function (vsg.run_statement); false for SQL that does not parse,
 * and for SQL left unparsed (parseStatementsOnlyWhenNeeded).
 */
export async function assertRunsInTransaction(sql: string): Promise<boolean> {
  if (parseOnlyWhenNeeded && parser === undefined && !mayRefuse(sql)) return false;
  const { parseSync } = await load();
  let stmts;
  try {
    stmts = parseSync(sql).stmts ?? [];
  } catch {
    return false; // PostgreSQL reports it, with its caret, and nothing runs
  }
  const savepoints: string[] = [];
  let plain = stmts.length > 0;
  for (const s of stmts) {
    if (!s.stmt) continue;
    const start = s.stmt_location ?? 0;
    const text = sql.slice(start, s.stmt_len ? start + s.stmt_len : undefined);
    const r = classify(s.stmt, text, savepoints);
    if (r) throw refuse(r, start);
    plain &&= isPlain(s.stmt);
  }
  return plain;
}

/**
 * INSERT, UPDATE, DELETE, MERGE, or SELECT without INTO: statements that run
 * inside a PL/pgSQL EXECUTE exactly as on their own. Not transaction control,
 * utility statements (some refuse to run in a function: VACUUM, COPY from the
 * client, CALL of a procedure that commits), nor SELECT INTO (which EXECUTE
 * does not implement).
 */
export function isPlain(node: Node): boolean {
  const [type, body] = Object.entries(node)[0] ?? [];
  if (type === 'SelectStmt') return !(body as { intoClause?: unknown } | undefined)?.intoClause;
  return type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'MergeStmt';
}
