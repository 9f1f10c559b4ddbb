/**
 * Every failure vsg expects has its own code and exit code, so that scripts
 * can branch on `err.code` (and on the process exit status) instead of text.
 */

/** Exit codes, stable and documented in the README and in `vsg --help`. */
export const ExitCode = {
  ok: 0,
  /** the answer is no: a conflict, nothing to commit, a dirty status under --exit-code, a failed verify */
  no: 1,
  /** the command line is wrong: unknown option or command, missing argument */
  usage: 2,
  /** the request cannot be met: unknown or ambiguous commit, untracked table, no primary key */
  input: 3,
  /** the SQL the user asked vsg to run failed; nothing was changed */
  sql: 4,
  /** the database cannot be reached, or the configuration is malformed */
  connection: 5,
  /** permission denied by the database */
  permission: 6,
  /** a bug in vsg */
  bug: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The base of every expected vsg error: one line of message, an optional hint. */
export class VsgError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly data?: unknown;

  constructor(code: string, message: string, opts: { exitCode?: ExitCodeValue; hint?: string; data?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'VsgError';
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.input;
    this.hint = opts.hint;
    this.data = opts.data;
  }
}

/** A statement the user asked vsg to run failed; carries PostgreSQL's own report. */
export class SqlError extends VsgError {
  constructor(message: string, data: SqlErrorData, cause?: unknown) {
    super('E_SQL', message, { exitCode: ExitCode.sql, data, hint: data.hint, cause });
  }
}

export interface SqlErrorData {
  sqlstate?: string;
  position?: number;
  detail?: string;
  hint?: string;
  statement: string;
}

/** Thrown for conflicts: merge, rollback, a stale --parent. `data` lists what conflicted. */
export class ConflictError extends VsgError {
  constructor(code: string, message: string, opts: { hint?: string; data?: unknown } = {}) {
    super(code, message, { exitCode: ExitCode.no, ...opts });
  }
}

export function isVsgError(e: unknown): e is VsgError {
  return e instanceof VsgError;
}
