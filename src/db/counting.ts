/**
 * A Db that counts what it sends: every query, inside and outside a
 * transaction, and the BEGIN and COMMIT (or ROLLBACK) that frame each
 * outermost transaction. Not a mock: it passes every call on to the real Db
 * it wraps, and only keeps a log. Tests assert round-trip budgets with it
 * (test/integration/round-trips.test.ts); the bench can report them.
 *
 * What one entry is: one round trip to the server, i.e. one `query` (a text
 * of several statements, sent as one simple-protocol message, is one entry),
 * one `script`, and for a transaction its BEGIN and its COMMIT or ROLLBACK;
 * a BEGIN that a server connection sent with the transaction's first statement
 * (Db.beginsJoined) is part of that statement's round trip, and a transaction
 * that sent nothing there sent no BEGIN nor COMMIT either; a statement sent
 * with its COMMIT (Queryable.commitWith) is one round trip, COMMIT included.
 * A nested transaction joins the outer one and sends nothing of its own. This
 * is exactly what wrapClient sends for a server or the embedded database;
 * fromPg adds its SAVEPOINT and settings statements, which are not counted,
 * and neither is the rare second run of a transaction that a stale prepared
 * statement aborted (src/db/prepared.ts). Preparing a statement adds no round
 * trip: its Parse goes out with its first run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Queryable } from './db.js';

/** One round trip as the counting Db saw it. */
export interface SentStatement {
  /** the SQL text (BEGIN, COMMIT, ROLLBACK for the transaction's framing) */
  text: string;
  /** sent inside one of vsg's transactions (BEGIN and COMMIT count as inside) */
  inTransaction: boolean;
}

export interface CountingDb extends Db {
  /** round trips so far (since the last reset) */
  readonly count: number;
  /** what was sent, in order (since the last reset) */
  readonly sent: readonly SentStatement[];
  /** forget what was counted */
  reset(): void;
  /** run fn and return what it sent (the log is reset first) */
  measure<T>(fn: () => Promise<T>): Promise<{ value: T; count: number; sent: SentStatement[] }>;
}

/** Wrap a Db so that every statement sent through it is counted and logged. */
export function countingDb(db: Db): CountingDb {
  const sent: SentStatement[] = [];
  const inside = new AsyncLocalStorage<true>();
  const note = (text: string) => sent.push({ text, inTransaction: inside.getStore() === true });
  // (whether the transaction's last statement took its COMMIT with it: Queryable.commitWith)
  let committed = false;
  const counted = (tx: Queryable): Queryable => ({
    ...tx,
    query: (text, params) => {
      note(text);
      return tx.query(text, params);
    },
    ...(tx.commitWith
      ? {
          commitWith: async <R>(text: string, params: unknown[]) => {
            note(`${text} + COMMIT`);
            const out = await tx.commitWith!<R>(text, params);
            committed = true;
            return out;
          },
        }
      : {}),
  });
  const out: CountingDb = {
    kind: db.kind,
    where: db.where,
    ...(db.server ? { server: db.server } : {}),
    // (whether Citus is here, as the wrapped connection knows it: src/core/gather.ts asks nothing where it is absent)
    get citus() {
      return db.citus;
    },
    knowCitus: (present: boolean) => db.knowCitus?.(present),
    get count() {
      return sent.length;
    },
    get sent() {
      return sent;
    },
    reset() {
      sent.length = 0;
    },
    async measure(fn) {
      sent.length = 0;
      const value = await fn();
      return { value, count: sent.length, sent: [...sent] };
    },
    query: (text, params) => {
      note(text);
      return db.query(text, params);
    },
    transaction(fn, opts) {
      if (inside.getStore()) return db.transaction((tx) => fn(counted(tx)), opts);
      return inside.run(true, async () => {
        note('BEGIN');
        const begin = sent.length - 1;
        const joined = db.beginsJoined;
        // A BEGIN that went out with the first statement is no round trip of its own (src/db/db.ts)
        const settle = () => {
          if (joined === undefined || db.beginsJoined === joined) return false;
          sent.splice(begin, 1);
          if (sent[begin]) sent[begin] = { ...sent[begin], text: `BEGIN + ${sent[begin].text}` };
          return true;
        };
        // (a transaction that sent nothing began nothing, and ends with nothing;
        // one whose last statement took its COMMIT sends no end of its own)
        const end = (word: 'COMMIT' | 'ROLLBACK') => {
          if (!settle() && joined !== undefined && sent.length === begin + 1) sent.splice(begin, 1);
          else if (!committed) note(word);
        };
        committed = false;
        try {
          const value = await db.transaction((tx) => fn(counted(tx)), opts);
          end('COMMIT');
          return value;
        } catch (e) {
          end('ROLLBACK');
          throw e;
        }
      });
    },
    close: () => db.close(),
  };
  if (db.script) {
    const script = db.script.bind(db);
    out.script = (text) => {
      note(text);
      return script(text);
    };
  }
  return out;
}
