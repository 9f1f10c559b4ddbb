/**
 * Every failure vsg expects has its own code and exit code, so that scripts
 * can branch on `err.code` (and on the process exit status) instead of text.
 * ERRORS is the catalogue: every code vsg throws, its default exit code, and
 * what it means. A code not in it does not compile.
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
  /** the history asked for was pruned (vsg prune): its changes are no longer stored, so vsg answers this instead of a wrong state */
  pruned: 7,
  /** a bug in vsg */
  bug: 70,
  /** interrupted by SIGINT (Ctrl-C; 128 + the signal's number, as a shell reports it): the transaction in progress was rolled back */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorSpec {
  /** the exit code unless the thrower says otherwise */
  exit: ExitCodeValue;
  /** one line: what the code means */
  meaning: string;
}

const { no, usage: use, input, sql, connection, permission, pruned, bug, interrupted } = ExitCode;

/** The catalogue of error codes. */
export const ERRORS = {
  E_ALREADY_TRACKED: { exit: no, meaning: 'the table is already tracked' },
  E_AMBIGUOUS_REF: { exit: input, meaning: 'a commit prefix or name matches several commits; data.candidates lists them' },
  E_APPLY_REFUSED: { exit: sql, meaning: 'a constraint, trigger or permission refused the rows written back; nothing changed' },
  E_BAD_DATE: { exit: use, meaning: 'a --since/--until value, or the date of <ref>@{<date>}, is not a date' },
  E_BAD_DIGEST: { exit: use, meaning: 'a history digest is malformed' },
  E_BAD_KEY: { exit: input, meaning: 'a row key is malformed or not a key of the table' },
  E_BAD_REF_NAME: { exit: use, meaning: 'a branch or tag name is not valid' },
  E_BUG: { exit: bug, meaning: 'an unexpected failure: a bug in vsg' },
  E_CITUS: { exit: input, meaning: 'the table is a Citus table vsg does not capture (an append- or range-distributed or Citus local table, a table of a distributed schema, or a reference table with no placement on this node): nothing is installed' },
  E_CONFIG: { exit: connection, meaning: 'the configuration (.vsgrc, URL) is malformed' },
  E_CONNECT: { exit: connection, meaning: 'cannot connect to the database' },
  E_CONNECTION_LOST: { exit: connection, meaning: 'the server ended the session mid-command; it rolled the command back' },
  E_CRISS_CROSS: { exit: no, meaning: 'several best merge bases; pick one' },
  E_CURRENT_BRANCH: { exit: input, meaning: 'the branch to delete is the one the table follows' },
  E_DEMO_DIR: { exit: connection, meaning: 'the demo directory already holds a repository' },
  E_EMBEDDED_VERSION: { exit: connection, meaning: 'the embedded database was made by another PostgreSQL major version than this vsg embeds, which cannot open it; nothing in it was changed (data: dir, made, embedded)' },
  E_FORGET_COLUMN: { exit: input, meaning: 'a column to forget is not a column of the table, or is a key column (forget the whole row instead)' },
  E_FORGET_OLD_COMMITS: { exit: input, meaning: 'the rows to forget are in commits made before schema version 13 (hash scheme 1, no salts): blanking them would break those commits; data.commits lists them, nothing changed' },
  E_FORGOTTEN: { exit: input, meaning: 'the write-back needs values that were forgotten; data.keys lists the rows; pass forgotten: live or null (--forgotten) to write the live value or NULL; nothing changed' },
  E_FK_CYCLE: { exit: input, meaning: "the tables' foreign keys form a cycle of keys that are not deferrable: no order of writes satisfies them; nothing changed" },
  E_FK_VIOLATION: { exit: sql, meaning: 'writing the rows back would break a foreign key (data: constraint, tables, key); nothing changed' },
  E_INTERRUPTED: { exit: interrupted, meaning: 'the command was interrupted (SIGINT, SIGTERM); the transaction in progress was rolled back' },
  E_KEY_CHANGED: { exit: input, meaning: "the table's primary key changed (its columns, or a type that prints its keys otherwise), which vsg cannot follow" },
  E_LOCKED: { exit: connection, meaning: 'the embedded database is in use by another process' },
  E_MERGE_ACROSS: { exit: use, meaning: "the table's merge is part of a merge across tables: continue or abort the whole merge, without naming a table" },
  E_MERGE_CONFLICT: { exit: no, meaning: "the merge has conflicts; data lists them, the merge (one table's, or every table's of a merge across tables) stays in progress" },
  E_MERGE_CONSTRAINT: { exit: no, meaning: 'the merged state would break a foreign key, unique, check or not-null constraint; data lists the violations, nothing was written' },
  E_MERGE_IN_PROGRESS: { exit: input, meaning: 'a merge into the table is in progress' },
  E_MERGE_STALE: { exit: input, meaning: 'the table moved since the merge started' },
  E_MERGE_UNRESOLVED: { exit: no, meaning: 'conflicts of the merge in progress are still unresolved' },
  E_NOTHING_TO_COMMIT: { exit: no, meaning: 'no row changed' },
  E_NOTHING_TO_ROLLBACK: { exit: no, meaning: "the commit's changes are already undone" },
  E_NOT_A_TABLE: { exit: input, meaning: 'the name is not an ordinary or partitioned table, or belongs to vsg itself' },
  E_NOT_TRACKED: { exit: input, meaning: 'the table is not tracked' },
  E_NO_TRANSACTION_BLOCK: { exit: sql, meaning: 'the SQL holds a statement that cannot run inside a transaction block' },
  E_NO_BRANCH: { exit: input, meaning: 'the table follows a branch that does not exist, or has no HEAD commit' },
  E_NO_CONFLICT: { exit: input, meaning: 'no conflict at that key or column' },
  E_NO_MERGE: { exit: input, meaning: 'no merge is in progress' },
  E_NO_PRIMARY_KEY: { exit: input, meaning: 'the table has no primary key' },
  E_NO_REPO: { exit: input, meaning: 'no vsg repository in this database' },
  E_NO_ROW: { exit: input, meaning: 'no row with that key' },
  E_NO_SCHEMA: { exit: input, meaning: 'the schema does not exist' },
  E_NO_SUCH_BRANCH: { exit: input, meaning: 'no branch of that name' },
  E_NO_SUCH_TAG: { exit: input, meaning: 'no tag of that name' },
  E_NO_TABLE: { exit: input, meaning: 'the table does not exist' },
  E_NO_TABLES: { exit: input, meaning: 'no table is tracked yet' },
  E_OTHER_TABLE: { exit: input, meaning: 'the commit belongs to another table' },
  E_PERMISSION: { exit: permission, meaning: 'permission denied by the database' },
  E_PRUNED: { exit: pruned, meaning: 'the commit, or a commit the answer needs, was pruned (vsg prune): its changes are no longer stored; data.commit names it' },
  E_PRUNE_REFUSED: { exit: input, meaning: 'prune cannot run: a tracked table was dropped (restore or untrack it first); nothing changed' },
  E_READ_FILE: { exit: use, meaning: 'cannot read the SQL file' },
  E_READ_ONLY: { exit: input, meaning: 'the server is a hot standby (pg_is_in_recovery()) or the transaction is read-only: vsg only reads there; nothing was attempted' },
  E_REF_EXISTS: { exit: input, meaning: 'a branch or tag of that name already exists' },
  E_ROLLBACK_CONFLICT: { exit: no, meaning: 'rows or cells the commit changed were changed since; data lists them' },
  E_SAVEPOINT: { exit: sql, meaning: 'the SQL releases or rolls back to a savepoint it did not set' },
  E_SCHEMA_CHANGED: { exit: input, meaning: 'a column the rows need no longer exists' },
  E_SCHEMA_NEW: { exit: input, meaning: "vsg's schema is newer than this vsg" },
  E_SCHEMA_OLD: { exit: input, meaning: "vsg's schema needs an upgrade (init)" },
  E_SCHEMA_UNRECORDED: { exit: input, meaning: "the table's columns changed outside vsg and are not recorded yet" },
  E_SQL: { exit: sql, meaning: "the SQL vsg was asked to run failed; nothing changed; data.sqlstate is PostgreSQL's code (40P01 a deadlock, 40001 a serialization failure: run it again)" },
  E_STALE_PARENT: { exit: no, meaning: 'the branch moved: HEAD is not the expected parent' },
  E_SUBSCRIBED: { exit: input, meaning: "a logical-replication subscription writes into the table: its rows fire no statement trigger and would go unrecorded (track it on the publisher, or force)" },
  E_TABLE_GONE: { exit: input, meaning: 'the tracked table was dropped; its history remains (restore recreates it)' },
  E_NAME_TAKEN: { exit: input, meaning: 'a dropped table cannot be recreated: another relation has its name' },
  E_RECREATE: { exit: input, meaning: 'a dropped table could not be recreated from its recorded columns; nothing changed' },
  E_TABLE_REQUIRED: { exit: use, meaning: 'several tables could be meant; name one' },
  E_TX_CONTROL: { exit: sql, meaning: "the SQL would end vsg's transaction (COMMIT, ROLLBACK, BEGIN …)" },
  E_UNCOMMITTED: { exit: no, meaning: 'the table has uncommitted changes' },
  E_UNKNOWN_REF: { exit: input, meaning: 'no commit, branch or tag of that name' },
  E_UNMERGED: { exit: no, meaning: 'the branch is not merged into another branch' },
  E_UNRELATED: { exit: input, meaning: 'the two commits share no history' },
  E_USAGE: { exit: use, meaning: 'the command line is wrong: unknown option or command, missing or bad argument' },
  E_VERIFY: { exit: no, meaning: 'verify found a commit, link or ref that does not match' },
} as const satisfies Record<string, ErrorSpec>;

/** Every code vsg throws. */
export type ErrorCode = keyof typeof ERRORS;

/** The base of every expected vsg error: one line of message, an optional hint. */
export class VsgError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly data?: unknown;

  constructor(code: ErrorCode, message: string, opts: { exitCode?: ExitCodeValue; hint?: string; data?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'VsgError';
    this.code = code;
    this.exitCode = opts.exitCode ?? ERRORS[code].exit;
    this.hint = opts.hint;
    this.data = opts.data;
  }
}

/** A usage error (exit 2): what the command line got wrong, and how to say it. */
export function usage(message: string, hint?: string): VsgError {
  return new VsgError('E_USAGE', message, { hint });
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
  constructor(code: ErrorCode, message: string, opts: { hint?: string; data?: unknown } = {}) {
    super(code, message, { exitCode: ExitCode.no, ...opts });
  }
}

export function isVsgError(e: unknown): e is VsgError {
  return e instanceof VsgError;
}

/**
 * PostgreSQL's "permission denied" (42501) as E_PERMISSION, saying which
 * privilege is missing and how to get it: vsg runs as a role that may own
 * only its own tables (RDS, Cloud SQL, Supabase).
 */
export function permissionError(e: unknown): VsgError {
  const message = String((e as Error)?.message ?? e);
  let m: RegExpMatchArray | null;
  let hint: string;
  if ((m = message.match(/^permission denied for database (.+)$/))) {
    hint = `init creates schema vsg, which needs CREATE on the database: run it as the database's owner, or GRANT CREATE ON DATABASE ${m[1]} TO this role`;
  } else if (/^permission denied for schema vsg$/.test(message) || /^permission denied for (table|sequence|function) /.test(message) && /\bvsg\./.test(message)) {
    hint = "vsg's schema belongs to the role that ran init: reads need USAGE on schema vsg and SELECT on its tables, writes also INSERT, UPDATE, DELETE (GRANT them as that role), or run vsg as it";
  } else if ((m = message.match(/^must be owner of (?:table|relation) (.+)$/))) {
    hint = `only the owner of ${m[1]} can change its triggers: run vsg as that role`;
  } else if ((m = message.match(/^permission denied for (?:table|relation) (.+)$/))) {
    hint = `this role lacks a privilege on table ${m[1]} (of the application or of schema vsg): reads need SELECT, writes INSERT, UPDATE, DELETE (GRANT them as its owner)`;
  } else if ((m = message.match(/^permission denied for schema (.+)$/))) {
    hint = `this role needs USAGE on schema ${m[1]} (and CREATE to make tables in it)`;
  } else {
    hint = 'ask for the privilege PostgreSQL names, or run the command as a role that has it';
  }
  return new VsgError('E_PERMISSION', `permission denied: ${message}`, { exitCode: ExitCode.permission, hint, cause: e });
}

/** The refusal to read pruned history (docs/prune.md): E_PRUNED, exit 7. */
export function prunedError(id: string, cause?: unknown): VsgError {
  return new VsgError('E_PRUNED', `commit ${id.slice(0, 7)} was pruned: its changes are no longer stored`, {
    hint: "read history from the prune's boundary on ('vsg log' shows it)", data: { commit: id }, cause,
  });
}

/** A database error raised by vsg.pruned_error (SQLSTATE VP001) as E_PRUNED; anything else as it is. */
export function fromPrunedSql(e: unknown): unknown {
  const err = e as { code?: string; detail?: string };
  return err?.code === 'VP001' ? prunedError(String(err.detail ?? ''), e) : e;
}
