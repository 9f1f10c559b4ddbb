/** Start and stop versioning a table. */
import { sqlTrue as yes, type Db, type Queryable } from '../db/db.js';
import { qualified } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { ConflictError, VsgError } from '../errors.js';
import { dropCheckpoints } from '../core/checkpoint.js';
import { onShards } from '../core/citus.js';
import { recordShape } from '../core/dropped.js';
import { createCommit, createRoot } from '../core/create-commit.js';
import { recordSpan, spanInfo } from '../core/spans.js';
import { columns, displayName, lockEach, resolveHistory, resolveRelation, tableById, type LockedTable, type TrackedTable } from '../core/tables.js';
import { assertClean, assertWritable, cannot } from '../core/guards.js';
import { dropCaptureFunction, dropCaptureTriggers, dropDistPending, lockTable } from '../core/sql/ddl.js';
import { snapshotIntoDelta } from '../core/sql/rows.js';
import type { CommitInfo } from '../core/types.js';

export interface TrackResult {
  table: TrackedTable;
  root: CommitInfo;
}

/** What tracking several tables at once did. */
export interface TrackManyResult {
  tracked: TrackResult[];
  /** tables of a --schema left alone, and why (no primary key, tracked already) */
  skipped: { table: string; reason: string }[];
  /** two or more tables tracked: their ROOT commits as one commit across them */
  commit?: CommitInfo;
}

export interface TrackOptions {
  author: string;
  message?: string;
  /** track a table that a logical-replication subscription writes into all the same (its replicated rows will not be recorded) */
  force?: boolean;
}

/** A relation as sql/track/relation.sql reads it. */
interface Relation {
  nspname: string;
  relname: string;
  relkind: string;
  owned: boolean | string;
  owner: string;
  subscriptions: string | null;
  citus: boolean | string;
}

/**
 * Refuse, before anything is installed, a table whose writes vsg could not
 * capture, or whose writes its triggers could break: one the role does not
 * own (CREATE TRIGGER needs ownership), one a subscription replicates into
 * (the apply worker fires row triggers only, never vsg's statement
 * triggers: its rows would silently go unrecorded; `force` tracks it all the
 * same), and a Citus table other than a reference table placed on this node
 * or a hash-distributed table (a trigger of the ordinary kind on a distributed
 * table is copied to shards where vsg's tables are missing, which fails every
 * write to it; a reference table is captured on its placement here, see
 * sql/functions/capture_relation.sql, a hash-distributed one on its shards,
 * sql/functions/write_dist_capture.sql).
 */
async function assertCapturable(tx: Queryable, oid: string, display: string, rel: Relation, force: boolean): Promise<void> {
  if (!yes(rel.owned)) {
    throw new VsgError('E_PERMISSION', `cannot track '${display}': its capture triggers need ownership of the table, which belongs to '${rel.owner}'`, {
      hint: `track it as '${rel.owner}' (or a member of that role), or have it run ALTER TABLE ${display} OWNER TO the role vsg connects as`,
      data: { table: display, owner: rel.owner, privilege: 'ownership' },
    });
  }
  if (yes(rel.citus)) {
    const { rows } = await tx.query<{ kind: string; placement: string | null; method: string }>(sql('track/citus_table'), [oid]);
    const c = rows[0];
    if (c?.kind === 'reference' && c.placement === null) {
      throw new VsgError('E_CITUS', `cannot track '${display}': it is a Citus reference table with no placement on this node, where vsg would capture its writes; nothing was installed`, {
        hint: "add this node to Citus's metadata (SELECT citus_set_coordinator_host(…) on the coordinator), which gives it a placement of every reference table",
        data: { table: display, citus: c.kind },
      });
    }
    if (c && onShards(c)) return;
    if (c && c.kind !== 'reference') {
      throw new VsgError('E_CITUS', `cannot track '${display}': it is a Citus ${c.kind} table, whose writes vsg cannot capture yet without risking them; nothing was installed`, {
        hint: 'track plain tables of the coordinator, reference tables and hash-distributed or single-shard tables (see docs/scaling-out.md)',
        data: { table: display, citus: c.kind },
      });
    }
  }
  if (rel.subscriptions !== null && !force) {
    throw new VsgError('E_SUBSCRIBED', `cannot track '${display}': subscription ${rel.subscriptions} replicates into it, and replicated rows fire no statement trigger, so vsg would record none of them`, {
      hint: 'track the table on the publisher, where its rows are written; force tracks it here all the same (only local writes are recorded)',
      data: { table: display, subscriptions: rel.subscriptions.split(', ') },
    });
  }
}

/**
 * Track a table: capture triggers, a root commit holding its current rows,
 * and branch 'main'. The table is locked against writers meanwhile, so the
 * root and the triggers see the same state.
 */
export async function track(db: Db, name: string, opts: TrackOptions): Promise<TrackResult> {
  return db.transaction(async (tx) => trackOne(tx, await relationOf(tx, name), opts));
}

/**
 * Track several tables in one transaction: all of them or none (a table that
 * does not exist, has no primary key or is tracked already refuses the lot).
 * With `schema`, every table of that schema that has a primary key and is not
 * tracked yet joins the named ones; the rest are reported as skipped.
 */
export async function trackTables(db: Db, names: string[], opts: TrackOptions & { schema?: string }): Promise<TrackManyResult> {
  return db.transaction(async (tx) => {
    const skipped: TrackManyResult['skipped'] = [];
    const oids: string[] = [];
    for (const name of names) oids.push(await relationOf(tx, name));
    if (opts.schema !== undefined) {
      const { rows } = await tx.query<{ name: string | null; skip: string | null }>(sql('track/schema_tables'), [opts.schema]);
      if (!rows.length) throw new VsgError('E_NO_SCHEMA', `schema '${opts.schema}' does not exist`, { hint: 'name a schema as the catalog spells it (\\dn in psql lists them)' });
      const citus = await uncapturable(tx);
      for (const r of rows) {
        if (r.name === null) continue;
        const oid = r.skip ? null : await relationOf(tx, qualified(opts.schema, r.name));
        const kind = oid === null ? undefined : citus.get(oid);
        if (r.skip || kind) skipped.push({ table: displayName(opts.schema, r.name), reason: r.skip ?? `a Citus ${kind} table, which vsg cannot capture` });
        else if (oid !== null) oids.push(oid);
      }
    }
    const unique = [...new Set(oids)];
    // Run again over a schema whose tables are all tracked: nothing to do, as a script expects.
    if (!unique.length && skipped.some((s) => s.reason === 'tracked already')) return { tracked: [], skipped };
    if (!unique.length) {
      throw new VsgError('E_NO_TABLE', `schema '${opts.schema}' has no table to track`, {
        hint: skipped.length ? `skipped: ${skipped.map((s) => `${s.table} (${s.reason})`).join(', ')}` : 'create a table with a primary key first',
        data: { skipped },
      });
    }
    // Tracked together, the tables share one message: `track clients, orders`.
    let together = opts;
    if (unique.length > 1 && opts.message === undefined) {
      const displays: string[] = [];
      for (const oid of unique) {
        const { rows } = await tx.query<{ nspname: string; relname: string }>(sql('track/relation'), [oid]);
        displays.push(displayName(rows[0].nspname, rows[0].relname));
      }
      together = { ...opts, message: `track ${displays.join(', ')}` };
    }
    // Each refusal before anything is installed: Citus creates a distributed table's
    // pending table's sequence on the workers in transactions of their own.
    for (const oid of unique) await checkRelation(tx, oid, together);
    const tracked: TrackResult[] = [];
    for (const oid of unique) tracked.push(await trackOne(tx, oid, together));
    // Tables tracked together: their ROOT commits are one commit across them.
    if (tracked.length > 1) {
      const span = await recordSpan(tx, tracked.map((t) => t.root));
      return { tracked, skipped, commit: spanInfo(span, tracked.map((t) => t.root)) };
    }
    return { tracked, skipped };
  });
}

/**
 * The Citus tables vsg refuses (assertCapturable), by relation oid, with their
 * kind: what `--schema` leaves alone rather than refuse the lot. Empty where
 * Citus is absent (no query where vsg knows it is).
 */
async function uncapturable(tx: Queryable): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (tx.citus === false || !(await citusTriggerDrop(tx))) return out;
  const { rows } = await tx.query<{ relid: string; kind: string; placement: string | null; method: string }>(sql('track/citus_table'), [null]);
  for (const r of rows) if ((r.kind !== 'reference' || r.placement === null) && !onShards(r)) out.set(r.relid, r.kind);
  return out;
}

async function relationOf(tx: Queryable, name: string): Promise<string> {
  const oid = await resolveRelation(tx, name);
  if (oid === null) throw new VsgError('E_NO_TABLE', `table '${name}' does not exist`, { hint: 'create it first' });
  return oid;
}

/** Refuse a relation vsg cannot track (assertCapturable and more); answer what trackOne needs of it. */
async function checkRelation(tx: Queryable, oid: string, opts: TrackOptions): Promise<{ rel: Relation; display: string }> {
  const { rows } = await tx.query<Relation>(sql('track/relation'), [oid]);
  const rel = rows[0];
  const display = displayName(rel.nspname, rel.relname);
  if (rel.relkind !== 'r' && rel.relkind !== 'p') {
    throw new VsgError('E_NOT_A_TABLE', `'${display}' is not a table`, { hint: 'only ordinary and partitioned tables can be tracked' });
  }
  if (rel.nspname === 'vsg') throw new VsgError('E_NOT_A_TABLE', `'${display}' belongs to vsg itself`);
  await assertCapturable(tx, oid, display, rel, opts.force === true);
  return { rel, display };
}

async function trackOne(tx: Queryable, oid: string, opts: TrackOptions): Promise<TrackResult> {
  const { rel, display } = await checkRelation(tx, oid, opts);
  const pk = await tx.query<{ name: string }>(sql('tables/primary_key'), [oid]);
  if (pk.rows.length === 0) {
    throw new VsgError('E_NO_PRIMARY_KEY', `table '${display}' has no primary key`, {
      hint: `add one (ALTER TABLE ${display} ADD PRIMARY KEY (...)); vsg identifies rows by it`,
    });
  }
  const qname = qualified(rel.nspname, rel.relname);
  // A distributed Citus table: Citus creates the functions and triggers on the
  // workers only in a transaction that has not written shards in parallel.
  const distributed = yes(rel.citus) && (await distributedOnShards(tx, oid));
  if (distributed) await tx.query(sql('track/dist_sequential'));
  await tx.query(lockTable(qname, 'SHARE ROW EXCLUSIVE'));
  const inserted = await tx.query<{ id: string }>(sql('track/insert_tracked'), [oid, rel.nspname, rel.relname, pk.rows.map((r) => r.name)]);
  if (!inserted.rows[0]) throw new ConflictError('E_ALREADY_TRACKED', `table '${display}' is already tracked`, { hint: 'tables() lists tracked tables' });
  const id = Number(inserted.rows[0].id);
  await recordShape(tx, id);
  // a distributed Citus table: its pending table beside its shards first (sql/functions/dist_prepare.sql)
  if (distributed) {
    try {
      await tx.query(sql('track/dist_prepare'), [id]);
    } catch (e) {
      // Citus's refusal (a table of a distributed schema cannot be co-located with one outside it): the transaction goes, and all with it;
      // a lost connection, a cancel (Ctrl-C), a lack of resources stay what they are
      const code = (e as { code?: unknown }).code;
      if (typeof code !== 'string' || /^(08|53|57|58)/.test(code)) throw e;
      throw new VsgError('E_CITUS', `cannot track '${display}': Citus refuses vsg's pending table beside its shards (${(e as Error).message}); nothing was installed`, {
        hint: 'track tables outside distributed schemas (see docs/scaling-out.md)',
        data: { table: display, citus: 'distributed' },
      });
    }
  }
  await tx.query(sql('track/install_capture'), [id]);
  const names = (await columns(tx, oid)).map((c) => c.name);
  const table = await tableById(tx, id);
  const message = opts.message ?? `track ${display}`;
  // The root straight from the rows (the table is locked against writers since
  // before its triggers, so it has no pending changes to pair them with); in a
  // Citus database, through the commit that gathers the shards' rows.
  const root = yes(rel.citus) ? await stagedRoot(tx, table, names, opts.author, message) : await createRoot(tx, table, names, { author: opts.author, message });
  await tx.query(sql('track/create_main'), [id, root.id]);
  // (its one commit so far: the root)
  return { table: { ...(await tableById(tx, id)), commits: 1 }, root };
}

/** Whether vsg captures the table on its Citus shards (track/citus_table). */
async function distributedOnShards(tx: Queryable, oid: string): Promise<boolean> {
  const { rows } = await tx.query<{ kind: string; method: string }>(sql('track/citus_table'), [oid]);
  return rows[0] !== undefined && onShards(rows[0]);
}

/**
 * The root commit of a table of a Citus database: every current row staged as
 * an insert (src/core/sql/rows.ts › snapshotIntoDelta), which createCommit
 * takes with the pending rows it gathers from the shards.
 */
async function stagedRoot(tx: Queryable, table: TrackedTable, names: string[], author: string, message: string): Promise<CommitInfo> {
  await tx.query(sql('apply/drop_delta_temp'));
  await tx.query(sql('apply/create_delta_temp'));
  await tx.query(snapshotIntoDelta(table, names), [table.id]);
  const root = await createCommit(tx, table, { kind: 'ROOT', takeAll: true, author, message, allowEmpty: true });
  await tx.query(sql('apply/drop_delta_temp'));
  return root;
}

export interface UntrackResult {
  /** the tables untracked, as named then */
  tables: string[];
  /** the UNTRACK commit (across the tables when several); null with force, which records none */
  commit: CommitInfo | null;
  /** commits deleted: 0 unless force */
  deleted: number;
  /** the branch the UNTRACK commit was made on (the tables' branches, comma-separated if they differ); null with force */
  branch: string | null;
}

export interface UntrackOptions {
  /** delete the tables' histories instead of recording an UNTRACK commit */
  force?: boolean;
  /** who untracks (default: the database user) */
  author?: string;
  message?: string;
}

/**
 * Stop versioning tables, in one transaction: an UNTRACK commit on each
 * table's branch (one commit across them when several), after which the
 * capture triggers and function, uncommitted changes (there are none: a
 * table with some refuses) and checkpoints are gone, and the history stays,
 * readable and verifiable under the table's name. With `force`, the tables'
 * histories are deleted instead, and no commit is recorded.
 */
export async function untrack(db: Db, names: string | readonly string[], opts: UntrackOptions = {}): Promise<UntrackResult> {
  const list = [...new Set(typeof names === 'string' ? [names] : names)];
  if (!list.length) throw new VsgError('E_USAGE', 'name a table to untrack');
  if (opts.force) return db.transaction(async (tx) => deleteHistories(tx, list));
  return db.transaction(async (tx) => {
    // (a Citus distributed table's capture function is dropped on the workers, after its pending rows were read: sql/track/dist_sequential.sql)
    if (tx.citus === true) await tx.query(sql('track/dist_sequential'));
    const author = opts.author ?? (await tx.query<{ u: string }>(sql('track/current_user'))).rows[0].u;
    const tables: LockedTable[] = [];
    // Locked in name order (lockEach), so that two commands cannot deadlock.
    // A dropped table is untracked too: its history is kept, named as it was.
    for (const t of await lockEach(tx, list, { gone: true })) {
      await assertWritable(tx, t);
      await assertClean(tx, t, { message: cannot(`untrack '${t.display}'`), hint: 'commit or restore them first' });
      tables.push(t);
    }
    const message = opts.message ?? `untrack ${tables.map((t) => t.display).join(', ')}`;
    const parts: CommitInfo[] = [];
    const citus = await citusTriggerDrop(tx);
    for (const t of tables) {
      parts.push(await createCommit(tx, t, { kind: 'UNTRACK', takeAll: true, author, message, allowEmpty: true }));
      await stopCapture(tx, t, citus);
      await tx.query(sql('track/untrack'), [t.id]);
    }
    const commit = parts.length > 1 ? spanInfo(await recordSpan(tx, parts), parts) : parts[0];
    return { tables: tables.map((t) => t.display), commit, deleted: 0, branch: [...new Set(tables.map((t) => t.head))].join(', ') };
  });
}

/** Whether Citus is installed (sql/track/citus_present.sql says why that matters to untrack). */
async function citusTriggerDrop(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ citus: boolean | string }>(sql('track/citus_present'));
  return yes(rows[0].citus);
}

/**
 * Drop what versioning a table needs and its history does not: triggers,
 * capture function, pending rows, checkpoints. Where Citus is installed, the
 * function is dropped with CASCADE, which takes the triggers with it on the
 * coordinator and on every shard of a table Citus distributed after it was tracked.
 */
async function stopCapture(tx: Queryable, table: TrackedTable, citus: boolean): Promise<void> {
  if (!table.gone && !citus) await tx.query(dropCaptureTriggers(table.qname));
  await tx.query(dropCaptureFunction(table.id, citus));
  if (citus) await tx.query(dropDistPending(table.id));
  await tx.query(sql('pending/discard_table'), [table.id]);
  await dropCheckpoints(tx, table.id);
}

/** The old untrack: delete the tables' histories entirely (a tracked table, or else an untracked history of that name). */
async function deleteHistories(tx: Queryable, names: string[]): Promise<UntrackResult> {
  const tables: string[] = [];
  let deleted = 0;
  const citus = await citusTriggerDrop(tx);
  if (citus) await tx.query(sql('track/dist_sequential'));
  for (const name of names) {
    const table = await tableById(tx, (await resolveHistory(tx, name)).id);
    const { rows: counted } = await tx.query<{ n: string }>(sql('track/count_commits'), [table.id]);
    if (table.untrackedAt === null) await stopCapture(tx, table, citus);
    await dropCheckpoints(tx, table.id, true);
    await tx.query(sql('track/delete_refs'), [table.id]);
    await tx.query(sql('track/delete_changes'), [table.id]);
    await tx.query(sql('track/unlink_commits'), [table.id]);
    await tx.query(sql('track/delete_commits'), [table.id]);
    await tx.query(sql('track/delete_tracked'), [table.id]);
    tables.push(table.display);
    deleted += Number(counted[0].n);
  }
  return { tables, commit: null, deleted, branch: null };
}
