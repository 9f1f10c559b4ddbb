/**
 * Named prepared statements for vsg's own statements, so that a long-lived
 * process (the library, the bench) parses and plans each of them once per
 * connection instead of on every call. A one-row commit spends about as long
 * planning its two large statements (sql/tables/lock.sql, sql/commit/create.sql)
 * as running them; named, PostgreSQL keeps the parsed statement and, after five
 * runs, a generic plan where that is no dearer than planning each time.
 *
 * What is named: a text that sql() returned (one statement of a file under
 * sql/<area>/, keyed by the file's name) sent with parameters, i.e. already
 * over the extended protocol, where a text holds one statement. The first use
 * is still one round trip: node-postgres sends Parse, Bind and Execute
 * together. Builders' texts, the user's SQL and scripts stay unnamed.
 *
 * A saved statement can go stale: a vsg upgrade run by another process may
 * change the row type a statement returns ("cached plan must not change
 * result type"), and the user's own SQL may DEALLOCATE it. Either error
 * forgets the name (the next use prepares it afresh under a new one); the Db
 * runs the statement again once, or, inside its transaction, which that error
 * aborted, the whole transaction again once (src/db/db.ts).
 *
 * Off with VSG_PREPARED_STATEMENTS=off (or the library's `preparedStatements:
 * false`): for a connection pooler that hands each transaction to any server
 * session (PgBouncer's transaction pooling before 1.21, or without
 * max_prepared_statements), where a statement prepared on one session is
 * missing on the next.
 */
import { VsgError } from '../errors.js';
import { sqlFileOf } from './sql.js';

/** PostgreSQL keeps at most NAMEDATALEN - 1 bytes of a statement's name. */
const MAX_NAME = 63;

/** Which statements a session prepares, under which names, and what it has forgotten. */
export interface StatementNames {
  /** the name to prepare `text` under on this session, or undefined to send it unnamed */
  nameOf(text: string, params: readonly unknown[] | undefined): string | undefined;
  /**
   * After a named statement failed: whether the error says the saved
   * statement is stale, in which case it is forgotten (a later nameOf gives a
   * new name, prepared afresh).
   */
  forgetIfStale(name: string, e: unknown): boolean;
  /** how many stale statements were met so far (a transaction compares it before and after) */
  readonly staleSeen: number;
}

/** Whether an error of a named statement means the session's copy of it is gone or no longer fits. */
export function isStaleStatementError(e: unknown): 'one' | 'all' | false {
  const err = e as { code?: string; routine?: string; message?: string } | null;
  if (!err || typeof err !== 'object') return false;
  // 0A000 is raised for other reasons too; the plan cache's own check is RevalidateCachedQuery
  if (err.code === '0A000' && (err.routine === 'RevalidateCachedQuery' || /cached plan must not change result type/.test(String(err.message)))) return 'one';
  // 26000: "prepared statement … does not exist" (DEALLOCATE, DISCARD ALL); 42P05: it exists already
  if (err.code === '26000' || err.code === '42P05') return 'all';
  return false;
}

/** Statement names for one session; with `enabled` false, nothing is named. */
export function statementNames(enabled: boolean): StatementNames {
  // A forgotten statement gets a new name rather than a DEALLOCATE: node-postgres
  // remembers which names it parsed on the connection and offers no way to forget one.
  let epoch = 0;
  const generation = new Map<string, number>();
  let staleSeen = 0;
  return {
    nameOf(text, params) {
      if (!enabled || !params || params.length === 0) return undefined;
      const file = sqlFileOf(text);
      if (file === undefined) return undefined;
      const name = `vsg${epoch}.${generation.get(file) ?? 0}:${file}`;
      return Buffer.byteLength(name) <= MAX_NAME ? name : undefined;
    },
    forgetIfStale(name, e) {
      const stale = isStaleStatementError(e);
      if (!stale) return false;
      staleSeen++;
      if (stale === 'all') {
        epoch++;
      } else {
        const file = name.slice(name.indexOf(':') + 1);
        generation.set(file, (generation.get(file) ?? 0) + 1);
      }
      return true;
    },
    get staleSeen() {
      return staleSeen;
    },
  };
}

/**
 * Whether vsg's own connections prepare their statements: the caller's
 * choice, else VSG_PREPARED_STATEMENTS (on/off, true/false, 1/0; unset or
 * empty: on). Any other value is refused (E_CONFIG) rather than guessed at.
 */
export function preparedStatementsWanted(choice?: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (choice !== undefined) return choice;
  const v = (env.VSG_PREPARED_STATEMENTS ?? '').trim().toLowerCase();
  if (v === '' || v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw new VsgError('E_CONFIG', `VSG_PREPARED_STATEMENTS must be on or off, not '${env.VSG_PREPARED_STATEMENTS}'`, {
    hint: 'set VSG_PREPARED_STATEMENTS=off behind a pooler that does not keep prepared statements, else unset it',
  });
}
