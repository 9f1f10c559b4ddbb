/**
 * Writing history back into the live table. Every command that changes the
 * table to a known state (checkout, restore, rollback, switch, merge) says
 * which keys must hold which image, as SQL over vsg's own tables, and this
 * module makes the table match, touching only those rows. Row data never
 * leaves PostgreSQL; the capture triggers record what changed, so the caller
 * can then commit it (createCommit) or leave it uncommitted (restore).
 */
import type { Queryable } from '../db/db.js';
import { ident } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { ExitCode, isVsgError, VsgError } from '../errors.js';
import { applyBulk, BULK_ROWS, BULK_SHARE, takesBulkPath } from './apply-bulk.js';
import { CHECKPOINT_MIN_ROWS } from './checkpoint.js';
import { isDistributed, placementOf } from './citus.js';
import { gather } from './gather.js';
import { fillSql } from './sql/apply-fill.js';
import { writeSql, type ApplyResult, type RecordMode, type WriteSql } from './apply-sql.js';
import { fkViolation } from './fk-graph.js';
import { settleForgotten } from './forgets.js';
import { commonAncestor } from './mergebase.js';
import { assertSchemaRecorded } from './schema.js';
import { citusDelete, citusInsert, citusInsertEach, citusUpdate, identityChanges, keyedDelete, keyedInsert, keyedUpdate, raiseSequence } from './sql/write-back.js';
import { stateImages } from './sql/rows.js';
import { displayName, toColumn, type Column, type ColumnRow, type TrackedTable } from './tables.js';
import type { Image } from './types.js';

/** SQL yielding rows (key jsonb, img jsonb): the image each key must have, NULL for "no row". */
export interface ImageSource {
  text: string;
  params: unknown[];
}

/** The keys where the live table differs from commit `target`, each with its image at `target`. */
export function stateSource(table: TrackedTable, target: string, lcaDepth: number): ImageSource {
  return {
    text: stateImages(),
    params: [target, table.headCommit, lcaDepth, true, table.id],
  };
}

/**
 * Make the live table hold, for every key the source yields, exactly that
 * image. Deletes, then updates, then inserts; the table's own constraints and
 * triggers apply, and a refusal fails the whole command with their reason.
 * Sequences and identity columns are raised past any value written back.
 * The changed rows are recorded by the capture triggers (keyed path) or by
 * the write itself (bulk path), and kept as `record` says.
 */
export async function applyImages(tx: Queryable, table: TrackedTable, source: ImageSource, record: RecordMode = 'pending'): Promise<ApplyResult> {
  const st = await stageImages(tx, table, source);
  let result: ApplyResult;
  try {
    result = st.bulk ? await applyBulk(tx, table, st.w, record, st.selfRef) : await applyKeyed(tx, table, st.w, st.selfRef, st.placed);
  } catch (e) {
    throw refused(table, e);
  }
  await raiseSequences(tx, table, 'images', st.sequences);
  if (st.bulk && record === 'commit') staged.add(tx);
  // what the write captured on a distributed table's shards (src/core/citus.ts)
  if (st.placed) await gather(tx, [table.id]);
  return result;
}

/** Images staged for a write-back into one table, and how they will be written. */
export interface StagedImages {
  /** the statements' shared parts; w.staged names the temp table holding the images */
  w: WriteSql;
  /** keys staged */
  filled: number;
  /** written by the bulk path (apply-bulk.ts), else row by row */
  bulk: boolean;
  /** the table's serial and identity sequences (raiseSequences) */
  sequences: { name: string; seq: string }[];
  /** a foreign key of the table references the table itself (checked at the end of each statement) */
  selfRef: boolean;
  /** a Citus reference table, captured on its placement: written as Citus allows, with its columns (write-back.ts › citusUpdate) */
  placed?: { cols: Column[] };
}

/**
 * Stage the images `source` yields for `table` in pg_temp.vsg_apply and make
 * the checks that come before any write: columns gone since the images were
 * recorded, GENERATED ALWAYS values that would have to change; then choose
 * the path. Nothing is written to the table.
 */
export async function stageImages(tx: Queryable, table: TrackedTable, source: ImageSource): Promise<StagedImages> {
  await assertSchemaRecorded(tx, table);
  const placed = (await placementOf(tx, table)) !== null;
  // No index: every source yields each key once, and a btree on jsonb costs ~10 us a row to fill.
  await tx.query(sql('apply/temp'));
  // One statement fills it and answers what comes next (sql/apply-fill.ts).
  // (on Citus, not counted: Citus will not plan the table in one statement with vsg's SQL functions)
  const fill = fillSql(source, table.relid, placed ? null : table.qname, BULK_SHARE, BULK_ROWS);
  const { rows } = await tx.query<FillRow>(fill.text, fill.params);
  const f = rows[0];
  const filled = Number(f.filled);
  const cols = (JSON.parse(f.columns) as ColumnRow[]).map(toColumn);
  if (f.vanished === true || f.vanished === 't') await refuseVanishedColumns(tx, table, cols.map((c) => c.name));
  // A forgotten value is never written back: refused, or replaced as the caller said (src/core/forgets.ts).
  if (Number(f.n_forgotten) > 0) await settleForgotten(tx, table, JSON.parse(String(f.forgotten)) as Image[], Number(f.n_forgotten), cols);
  // (the keyed statements' probe of the table: not where Citus is installed, src/core/sql/write-back.ts)
  const w = { ...writeSql(table, cols), probe: tx.citus !== true };
  await refuseAlwaysIdentityUpdate(tx, table, cols, w);
  // A difference that is a large share of the table is written in bulk (apply-bulk.ts).
  const bulk = !placed && (await takesBulkPath(tx, table, filled, f.size === null ? null : Number(f.size)));
  const selfRef = f.self_ref === true || f.self_ref === 't';
  return { w, filled, bulk, sequences: JSON.parse(f.sequences) as { name: string; seq: string }[], selfRef, ...(placed ? { placed: { cols } } : {}) };
}

type FillRow = { filled: string; vanished: boolean | string; forgotten: string | null; n_forgotten: string; size: string | null; columns: string; sequences: string; self_ref: boolean | string };

/** A write-back the server refused (a constraint, a trigger, a privilege), as the error vsg reports. */
export function refused(table: TrackedTable, e: unknown): unknown {
  const err = e as { code?: string; message?: string; detail?: string; constraint?: string; table?: string; schema?: string };
  // (already vsg's: a write of KeyedWrites reports its own table's refusal)
  if (err.code === undefined || isVsgError(e)) return e;
  if (err.code === '23503' && err.constraint && err.table) {
    return fkViolation(table.display, err.constraint, displayName(err.schema ?? 'public', err.table), err.detail ?? err.message ?? '', e);
  }
  return new VsgError('E_APPLY_REFUSED', `cannot write rows back to '${table.display}': ${err.message}`, {
    exitCode: err.code === '42501' ? ExitCode.permission : ExitCode.sql,
    hint: err.detail ?? 'a constraint or trigger of the table refused the change; nothing was changed',
    data: { sqlstate: err.code },
    cause: e,
  });
}

/**
 * Row by row, for a difference that is a small share of the table: each
 * statement reaches its rows through the primary key, and the capture
 * triggers record what changed. Rows already holding their image are left alone.
 * Deletes, updates, inserts; in a table that references itself, inserts,
 * updates, deletes (`selfRef`): PostgreSQL checks such a key at the end of
 * each statement, so a row may point at a row inserted by the same write-back
 * only once that is in, and a row may go only once no kept row points at it.
 * The statements, the staged images' ANALYZE first, go in one round trip
 * (KeyedWrites); a Citus reference table's one by one, as Citus allows them.
 */
async function applyKeyed(tx: Queryable, table: TrackedTable, w: WriteSql, selfRef = false, placed?: { cols: Column[] }): Promise<ApplyResult> {
  if (placed) return applyPlaced(tx, table, w, selfRef, placed);
  const result: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };
  const writes = new KeyedWrites(tx);
  writes.add(table, sql('apply/analyze_temp'));
  const remove = () => writes.add(table, keyedDelete(table, w), (n) => (result.deleted = n));
  const insert = () => writes.add(table, keyedInsert(table, w), (n) => (result.inserted = n));
  if (selfRef) insert();
  else remove();
  if (w.set) writes.add(table, keyedUpdate(table, w), (n) => (result.updated = n));
  if (selfRef) remove();
  else insert();
  await writes.send();
  return result;
}

/**
 * A write-back's keyed statements (keyedDelete, keyedUpdate, keyedInsert and
 * the like, none with parameters), held and sent together (send): one round
 * trip for each run of statements of one table (vsg.run_each), where each
 * runs exactly as it would on its own, a statement of its own with its
 * triggers, and its constraints checked at its end. The caller sends them
 * before anything that must see their effect or their counts. A refusal is
 * reported as its own table's (refused).
 */
export class KeyedWrites {
  private runs: { table: TrackedTable; texts: string[]; sinks: ((n: number) => void)[] }[] = [];

  constructor(private readonly tx: Queryable) {}

  /** Hold `text`, a statement writing `table`; `sink` gets its row count once it ran. */
  add(table: TrackedTable, text: string, sink: (n: number) => void = () => undefined): void {
    let run = this.runs.at(-1);
    if (run?.table !== table) this.runs.push((run = { table, texts: [], sinks: [] }));
    run.texts.push(text);
    run.sinks.push(sink);
  }

  /**
   * One run's row counts. Where Citus is installed, each statement goes on
   * its own, at the top level, where Citus plans a distributed table's
   * statements (inside a function it would plan them there instead).
   */
  private async run(texts: string[]): Promise<number[]> {
    if (this.tx.citus === true) {
      const counts: number[] = [];
      for (const text of texts) counts.push((await this.tx.query(text)).rowCount);
      return counts;
    }
    const { rows } = await this.tx.query<{ counts: string }>(sql('apply/run_each'), [texts]);
    return rows[0].counts.slice(1, -1).split(',').map(Number);
  }

  /** Run the statements held, in order. */
  async send(): Promise<void> {
    const runs = this.runs;
    this.runs = [];
    for (const { table, texts, sinks } of runs) {
      let counts: number[];
      try {
        counts = await this.run(texts);
      } catch (e) {
        throw refused(table, e);
      }
      sinks.forEach((sink, i) => sink(counts[i]));
    }
  }
}

/** applyKeyed on a Citus reference table, captured on its placement: one statement a round trip. */
async function applyPlaced(tx: Queryable, table: TrackedTable, w: WriteSql, selfRef: boolean, placed: { cols: Column[] }): Promise<ApplyResult> {
  const result: ApplyResult = { inserted: 0, updated: 0, deleted: 0 };
  const remove = (first = false) => deletePlaced(tx, table, w, '', first ? withAnalyze : undefined);
  const update = () => updatePlaced(tx, table, w, placed);
  if (selfRef) {
    result.inserted = await insertPlaced(tx, table, w, placed, true);
    result.updated = await update();
    result.deleted = await remove();
    return result;
  }
  result.deleted = await remove(true);
  result.updated = await update();
  result.inserted = await insertPlaced(tx, table, w, placed);
  return result;
}

/**
 * A fresh temp table has no statistics: without them the joins of a write-back may
 * scan the whole table. ANALYZE goes with the first statement, in one round trip.
 */
function withAnalyze(text: string): string {
  return `${sql('apply/analyze_temp')};\n${text}`;
}

/**
 * On a Citus table, insert the staged rows whose keys the table lacks: one statement (a
 * reference table), or on a distributed table one a row inside the server (vsg.write_each; src/core/sql/write-back.ts › citusInsertEach).
 */
async function insertPlaced(tx: Queryable, table: TrackedTable, w: WriteSql, placed: { cols: Column[] }, analyzeFirst = false): Promise<number> {
  const analyze = (text: string) => (analyzeFirst ? withAnalyze(text) : text);
  if (!(await isDistributed(tx, table))) return (await tx.query(analyze(citusInsert(table, w)))).rowCount;
  // (a statement with parameters goes alone: the ANALYZE before it)
  if (analyzeFirst) await tx.query(sql('apply/analyze_temp'));
  const each = citusInsertEach(table, w, placed.cols);
  return Number((await tx.query<{ n: string }>(sql('apply/write_each'), [each.changed, each.update])).rows[0].n);
}

/**
 * Keyed path on a Citus reference table: delete the staged keys whose image is
 * "no row" (and that meet `only`, a condition on r) as Citus allows
 * (write-back.ts › citusDelete). `wrap` may prefix the statement.
 */
export async function deletePlaced(tx: Queryable, table: TrackedTable, w: WriteSql, only = '', wrap?: (text: string) => string): Promise<number> {
  const text = citusDelete(table, w, only);
  return (await tx.query(wrap ? wrap(text) : text)).rowCount;
}

/** Keyed path on a Citus reference table: update the kept rows that do not hold their image yet, one row a statement (write-back.ts › citusUpdate). */
export async function updatePlaced(tx: Queryable, table: TrackedTable, w: WriteSql, placed: { cols: Column[] }): Promise<number> {
  if (!w.set) return 0;
  const each = citusUpdate(table, w, placed.cols);
  return Number((await tx.query<{ n: string }>(sql('apply/write_each'), [each.changed, each.update])).rows[0].n);
}

/** Transactions in which a bulk write-back staged rows for a commit (pg_temp.vsg_delta). */
const staged = new WeakSet<Queryable>();

/**
 * Whether the commit of a write-back that wrote `applied` may be its
 * transaction's last statement (NewCommit.final): it wrote rows, fewer than
 * may make a checkpoint after the commit (maybeCheckpoint), and staged none
 * for it that dropStaged must drop after it.
 */
export function commitEndsWriteBack(tx: Queryable, applied: ApplyResult): boolean {
  const rows = applied.inserted + applied.updated + applied.deleted;
  return rows > 0 && rows < CHECKPOINT_MIN_ROWS && !staged.has(tx);
}

/** Forget the rows a bulk write-back staged for a commit (after createCommit took them); nothing to do when none did. */
export async function dropStaged(tx: Queryable): Promise<void> {
  if (!staged.has(tx)) return;
  staged.delete(tx);
  await tx.query(sql('apply/drop_delta_temp'));
}

/**
 * Images from before a schema change may name columns that are gone. A
 * renamed column (recorded by a SCHEMA commit) keeps its history: its values
 * move to the new name. A dropped one cannot be written back exactly: refuse,
 * naming the columns, rather than lose their values.
 */
async function refuseVanishedColumns(tx: Queryable, table: TrackedTable, current: string[]): Promise<void> {
  // Called only when the fill found such an image (the usual answer, none, costs nothing more).
  const vanished = async () =>
    (
      await tx.query<{ name: string }>(sql('apply/unknown_columns'), [current])
    ).rows;
  let rows = await vanished();
  if (rows.length === 0) return;
  const renamed = await renamesOf(tx, table.id);
  for (const { name } of rows) {
    const now = renamed.get(name);
    if (now === undefined || !current.includes(now)) continue;
    await tx.query(sql('apply/rename_column'), [name, now]);
  }
  rows = await vanished();
  if (rows.length) {
    const names = rows.map((r) => `'${r.name}'`).join(', ');
    throw new VsgError('E_SCHEMA_CHANGED', `cannot write rows back to '${table.display}': column ${names} no longer exists (dropped or renamed since)`, {
      hint: 'add the column back, or go to a commit made after the schema change',
      data: { columns: rows.map((r) => r.name) },
    });
  }
}

/**
 * Only an INSERT can set a GENERATED ALWAYS identity column (an UPDATE may set
 * it to DEFAULT only), so a kept row whose non-key identity value must change
 * cannot be written back exactly: refuse, rather than leave that value wrong.
 */
async function refuseAlwaysIdentityUpdate(tx: Queryable, table: TrackedTable, cols: Column[], w: WriteSql): Promise<void> {
  for (const c of cols.filter((x) => x.identity === 'a' && !table.keyColumns.includes(x.name))) {
    const { rows } = await tx.query<{ n: string }>(identityChanges(table, w, c.name));
    const n = Number(rows[0].n);
    if (n === 0) continue;
    throw new VsgError(
      'E_APPLY_REFUSED',
      `cannot write rows back to '${table.display}': column '${c.name}' is GENERATED ALWAYS AS IDENTITY and must change in ${n} existing row${n === 1 ? '' : 's'}, which only an INSERT can do`,
      {
        exitCode: ExitCode.sql,
        hint: `let vsg set it ('ALTER TABLE ${table.display} ALTER COLUMN ${ident(c.name)} SET GENERATED BY DEFAULT') and retry; nothing was changed`,
        data: { column: c.name, rows: n },
      },
    );
  }
}

/** Old column name -> its name now, following every rename recorded by SCHEMA commits in order. */
async function renamesOf(tx: Queryable, tableId: number): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ old: string; new: string }>(sql('schema/renames'), [tableId]);
  const map = new Map<string, string>();
  for (const r of rows) {
    for (const [k, v] of map) if (v === r.old) map.set(k, r.new);
    map.set(r.old, r.new);
  }
  return map;
}

/**
 * Keep serial and identity sequences ahead of every value written back: the
 * images of pg_temp.vsg_apply (or `staged`), or, after a reload, the whole table.
 */
export async function raiseSequences(
  tx: Queryable,
  table: TrackedTable,
  from: 'images' | 'table' = 'images',
  known?: { name: string; seq: string }[],
  staged?: string,
): Promise<void> {
  const rows = known ?? (await tx.query<{ name: string; seq: string }>(sql('apply/sequences'), [table.relid])).rows;
  for (const r of rows) {
    await tx.query(raiseSequence(table, r.name, from, staged), [r.seq]);
  }
}

/**
 * Make the live table hold exactly commit `id`'s rows, touching only the rows
 * that differ; `lcaDepth`, when the caller knows it, is the depth of the
 * common ancestor of `id` and HEAD (vsg.lca).
 */
export async function applyState(tx: Queryable, table: TrackedTable, id: string, record: RecordMode = 'pending', lcaDepth?: number): Promise<ApplyResult> {
  const depth = lcaDepth ?? (await commonAncestor(tx, id, table.headCommit as string)).depth;
  return applyImages(tx, table, stateSource(table, id, depth), record);
}
