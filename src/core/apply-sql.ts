/**
 * What both write-back paths share (the keyed path in apply.ts, the bulk path
 * in apply-bulk.ts, and the reload in reload.ts): how the changed rows are
 * recorded and the counts they return; the SQL that writes an image into a
 * row is built in sql/write-back.ts. Its own module so that neither path
 * imports the other's types back.
 */
export { writeSql, type WriteSql } from './sql/write-back.js';

/**
 * What becomes of the changed rows, which the capture triggers record in
 * vsg.pending on the keyed path:
 * - 'pending' (default): they stay there, uncommitted (restore).
 * - 'commit': the caller commits them in this transaction (createCommit takes
 *   them), then calls dropStaged; a bulk write stages them in a temp table
 *   instead of vsg.pending.
 * - 'discard': the caller throws them away (the table now holds a commit's
 *   state and nothing is uncommitted); a bulk write does not record them.
 */
export type RecordMode = 'pending' | 'commit' | 'discard';

/** Rows a write-back deleted, updated and inserted. */
export interface ApplyResult {
  inserted: number;
  updated: number;
  deleted: number;
}
