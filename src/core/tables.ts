/**
 * Tracked tables: resolving a name to exactly one table (by the catalog, never
 * by splicing text), starting and stopping versioning, listing.
 */
import { sqlTrue as yes, type Queryable } from '../db/db.js';
import { ident } from '../db/quote.js';
import { sql } from '../db/sql.js';
import { gather } from './gather.js';
import { lockTable as lockTableSql } from './sql/ddl.js';
import { VsgError } from '../errors.js';
import type { Signature } from './signature.js';

export interface TrackedTable {
  id: number;
  relid: string;
  schema: string;
  name: string;
  /** quoted, schema-qualified name for SQL */
  qname: string;
  /** how people read it: bare in public, schema.name elsewhere */
  display: string;
  keyColumns: string[];
  /** the branch the live table follows */
  head: string;
  /** the table was dropped: its history remains until 'vsg untrack' */
  gone: boolean;
  /** when the table was untracked (ISO 8601, UTC): this is a history no longer followed, named as it was then; null while tracked */
  untrackedAt: string | null;
  branchId: number | null;
  headCommit: string | null;
  /** how many commits its history holds; counted (O(commits)) only by listTables(db, true) */
  commits: number | null;
  /** columns and key as last recorded in history (track, SCHEMA commits) */
  signature: Signature | null;
  /** the oldest commit whose changes are kept, when history was pruned before it (vsg prune; read by listTables, tableById) */
  prunedBefore?: string | null;
}

export interface Column {
  name: string;
  type: string;
  generated: boolean;
  identity: string;
  notNull: boolean;
  /** the column default as the server deparses it, or null */
  defaultExpr: string | null;
}

type ListRow = Record<
  'id' | 'relid' | 'key_columns' | 'head' | 'schema_name' | 'table_name' | 'stored_schema' | 'stored_name' | 'signature' | 'branch_id' | 'head_commit' | 'commits' | 'untracked_at',
  string | null
> & { base?: string | null };

/** Display form of a table name: quoted only where SQL would need quotes. */
export function displayName(schema: string, name: string): string {
  const part = (s: string) => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : ident(s));
  return schema === 'public' ? part(name) : `${part(schema)}.${part(name)}`;
}

function toTable(r: ListRow): TrackedTable {
  // A table dropped behind vsg's back keeps the name it was tracked under; an
  // untracked history, the name it had when untracked (and is not 'gone').
  const untrackedAt = r.untracked_at ?? null;
  const gone = untrackedAt === null && (r.schema_name === null || r.table_name === null);
  const schema = r.schema_name ?? String(r.stored_schema);
  const name = r.table_name ?? String(r.stored_name);
  return {
    id: Number(r.id),
    relid: String(r.relid),
    schema,
    name,
    qname: `${ident(schema)}.${ident(name)}`,
    display: displayName(schema, name),
    gone,
    untrackedAt,
    keyColumns: JSON.parse(String(r.key_columns)) as string[],
    head: String(r.head),
    branchId: r.branch_id === null ? null : Number(r.branch_id),
    headCommit: r.head_commit,
    commits: r.commits === null ? null : Number(r.commits),
    signature: r.signature === null ? null : (JSON.parse(r.signature) as Signature),
    ...(r.base !== undefined ? { prunedBefore: r.base } : {}),
  };
}

/** Every tracked table, with its commit count when `counts`; with `untracked`, the untracked histories too (after them). */
export async function listTables(db: Queryable, counts = false, untracked = false): Promise<TrackedTable[]> {
  const { rows } = await db.query<ListRow>(sql('tables/list'), [null, counts, untracked]);
  const all = rows.map(toTable);
  return untracked ? [...all.filter((t) => t.untrackedAt === null), ...all.filter((t) => t.untrackedAt !== null)] : all;
}

/** One table by id, tracked or an untracked history (fresh: current name, branch and HEAD). */
export async function tableById(db: Queryable, id: number): Promise<TrackedTable> {
  const { rows } = await db.query<ListRow>(sql('tables/list'), [id, false, false]);
  if (!rows[0]) throw new VsgError('E_NOT_TRACKED', `table #${id} is not tracked`);
  return toTable(rows[0]);
}

/** The OID a name resolves to as SQL would resolve it, or null. */
export async function resolveRelation(db: Queryable, name: string): Promise<string | null> {
  const { rows } = await db.query<{ oid: string | null }>(sql('tables/resolve_relation'), [name]);
  return rows[0]?.oid ?? null;
}

/**
 * The tracked table a user means: the one named, or the only one tracked.
 * A name resolving to an untracked table is an error even if a tracked table
 * of the same name lives in another schema: vsg never guesses between them.
 * One statement (sql/tables/resolve.sql).
 */
export async function resolveTable(db: Queryable, name?: string): Promise<TrackedTable> {
  const { rows } = await db.query<ListRow & { oid: string | null }>(sql('tables/resolve'), [name ?? null]);
  return choose(rows.filter((r) => r.id !== null).map(toTable), name, rows[0]?.oid ?? null);
}

/**
 * The history a read names: the tracked table, as resolveTable finds it, or
 * when no table tracked now has that name, the newest untracked history of
 * that name (as it was named when untracked): log, show, diff, export, blame
 * and verify read an untracked table's past by its name.
 */
export async function resolveHistory(db: Queryable, name?: string): Promise<TrackedTable> {
  try {
    return await resolveTable(db, name);
  } catch (e) {
    if (name === undefined || !(e instanceof VsgError) || (e.code !== 'E_NO_TABLE' && e.code !== 'E_NOT_TRACKED')) throw e;
    const { rows } = await db.query<{ id: string }>(sql('tables/untracked_by_name'), [name, name.replace(/^public\./, '')]);
    if (!rows[0]) throw e;
    return tableById(db, Number(rows[0].id));
  }
}

/** Which of the tracked tables `name` means, given the OID it resolves to (see resolveTable). */
function choose(all: TrackedTable[], name: string | undefined, oid: string | null): TrackedTable {
  if (name === undefined) {
    if (all.length === 1) return all[0];
    if (all.length === 0) throw new VsgError('E_NO_TABLES', 'no table is tracked yet', { hint: 'track one first' });
    throw new VsgError('E_TABLE_REQUIRED', 'several tables are tracked; name one with the table option', {
      hint: `tracked: ${all.map((t) => t.display).join(', ')}`,
    });
  }
  const dropped = all.filter((t) => t.gone && (t.display === name || t.name === name || `${t.schema}.${t.name}` === name));
  if (oid === null && dropped.length === 1) return dropped[0];
  if (oid === null) {
    throw new VsgError('E_NO_TABLE', `table '${name}' does not exist`, {
      hint: all.length ? `tracked: ${all.map((t) => t.display).join(', ')}` : 'create it first',
    });
  }
  const hit = all.find((t) => t.relid === oid);
  if (!hit) {
    throw new VsgError('E_NOT_TRACKED', `table '${name}' is not tracked`, { hint: 'track it first', data: { table: name } });
  }
  return hit;
}

/** Columns of a table, in order. */
export async function columns(db: Queryable, relid: string): Promise<Column[]> {
  const { rows } = await db.query<ColumnRow>(sql('tables/columns'), [relid]);
  return rows.map(toColumn);
}

/** A row of sql/tables/columns.sql, as text or (through json_agg) as JSON values. */
export type ColumnRow = Record<'name' | 'type' | 'identity' | 'default_expr', string | null> & Record<'generated' | 'not_null', string | boolean | null>;

/** A row of sql/tables/columns.sql as a Column. */
export function toColumn(r: ColumnRow): Column {
  return {
    name: String(r.name),
    type: String(r.type),
    generated: yes(r.generated),
    identity: r.identity ?? '',
    notNull: yes(r.not_null),
    defaultExpr: r.default_expr ?? null,
  };
}

/**
 * A tracked table locked for a write: as of the lock, with its columns and key
 * now, whether a merge into it is in progress, and the transaction's id.
 */
export interface LockedTable extends TrackedTable {
  branchId: number | null;
  /** the table's columns and key as they are now */
  now: Signature;
  /** a merge into the table waits for --continue or --abort */
  merging: boolean;
  /** the transaction's id (txid_current) when the lock was taken */
  xid: string;
}

type LockRow = ListRow & { oid: string | null; locked: boolean | string | null; now: string | null; merging: boolean | string | null; xid: string | null };

/**
 * Resolve the table a write names (or the only one tracked) and lock it, in
 * one statement (sql/tables/lock.sql): every write command on a table goes
 * through here or lockTable first. Refuses what resolveTable refuses, and a
 * table that was dropped.
 */
export async function lockNamed(tx: Queryable, name?: string, opts: LockOptions = {}): Promise<LockedTable> {
  const { rows } = await tx.query<LockRow>(sql('tables/lock'), [name ?? null, null]);
  const listed = rows.filter((r) => r.id !== null);
  const hit = choose(listed.map(toTable), name, rows[0]?.oid ?? null);
  // A dropped table has no relation for the name to resolve to: it is locked by its id.
  if (hit.gone && opts.gone) return lockTable(tx, hit, opts);
  return locked(tx, hit, listed.find((r) => Number(r.id) === hit.id && yes(r.locked)), lockTable, opts);
}

export interface LockOptions {
  /** a dropped table is locked too (its `now` is the signature history last recorded), not refused */
  gone?: boolean;
}

/** Lock a tracked table's vsg row (and its branch's): every write command on a table goes through here or lockNamed first. */
export async function lockTable(tx: Queryable, table: TrackedTable, opts: LockOptions = {}): Promise<LockedTable> {
  const { rows } = await tx.query<LockRow>(sql('tables/lock'), [null, table.id]);
  return locked(tx, table, rows.find((r) => r.id !== null && yes(r.locked)), lockTable, opts);
}

/**
 * Resolve the table a commit names, as lockNamed does, holding its vsg row
 * only FOR KEY SHARE (sql/tables/lock_shared.sql): commits to the table run
 * side by side, and exclude the operations that lock it (write-backs, switch,
 * merge, untrack). With `append`, the branch is locked too, for a commit that
 * appends at once; otherwise the commit locks it to append (after its SQL).
 */
export async function shareNamed(tx: Queryable, name: string | undefined, append: boolean): Promise<LockedTable>;
/** With `several`, no name while several tables are tracked is no refusal: null (a commit across tables). */
export async function shareNamed(tx: Queryable, name: string | undefined, append: boolean, several: true): Promise<LockedTable | null>;
export async function shareNamed(tx: Queryable, name: string | undefined, append: boolean, several = false): Promise<LockedTable | null> {
  // (no name, several tracked: the SQL or work that follows is a commit's across the tables it changes, which
  // its captures list where no Citus worker may capture any: sql/tables/lock_shared.sql $6)
  const across = several && name === undefined;
  const { rows } = await tx.query<LockRow & { tracked: string }>(sql('tables/lock_shared'), [name ?? null, null, append, across, null, across && !append && tx.citus === false, false]);
  return sharedFrom(tx, rows, name, append, several);
}

/**
 * As shareNamed(tx, name, false, true) for a commit of SQL, and in the same
 * statement run the SQL once the table is locked, when nothing shareNamed or
 * the commit checks first would refuse (sql/tables/lock_shared.sql $5):
 * `ran`. Only for SQL that is plain INSERT, UPDATE, DELETE, MERGE or SELECT
 * statements (vsg.run_statement); `goesOn`: the commit may go on past its
 * commit statement (sql/tables/lock_shared.sql says when). The SQL's error is thrown as PostgreSQL
 * reported it, inside vsg.run_statement. With `across` and no name, where
 * several tables are tracked (no table: a commit across the tables the SQL
 * changes), the SQL runs there too: `changed` lists the ids of the tables it
 * changed (null when it did not run), and where that is one table, the same
 * statement locked it after the SQL, as shareTable does: `changedTable`.
 */
export async function shareAndRun(
  tx: Queryable,
  name: string | undefined,
  statement: string,
  across = false,
): Promise<{ table: LockedTable | null; ran: boolean; goesOn: boolean; changed: number[] | null; changedTable?: LockedTable }> {
  const { rows } = await tx.query<LockRow & { tracked: string; ran: boolean | string | null; goes_on: boolean | string | null; changed: string | null }>(
    sql('tables/lock_shared'),
    // (whether the commit may go on past its statement, where that statement can take the COMMIT:
    // ops/commit.ts; asked of the table the SQL ran for, or of the one table it changed)
    [name ?? null, null, false, name === undefined, statement, across && name === undefined, tx.commitWith !== undefined],
  );
  const ran = rows.some((r) => yes(r.ran));
  const goesOn = rows.some((r) => yes(r.goes_on));
  const listed = rows.find((r) => r.changed !== null)?.changed ?? null;
  if (listed === null) return { table: await sharedFrom(tx, rows, name, false, true), ran, goesOn, changed: null };
  const changed = tableIds(listed);
  const row = changed.length === 1 ? rows.find((r) => Number(r.id) === changed[0] && yes(r.locked)) : undefined;
  return { table: null, ran, goesOn, changed, ...(row ? { changedTable: await locked(tx, toTable(row), row, (q, t) => shareTable(q, t, false)) } : {}) };
}

/** Whether `s` is the table's name as the user writes it (display, or bare): given where a commit or key goes. */
export function isNameOf(table: Pick<TrackedTable, 'display' | 'name'>, s: string): boolean {
  const t = s.trim();
  return t === table.display || t === table.name;
}

/** Table ids joined by commas, as vsg.changed_tables lists them ('' for none). */
export function tableIds(listed: string): number[] {
  return listed === '' ? [] : listed.split(',').map(Number);
}

async function sharedFrom(tx: Queryable, rows: (LockRow & { tracked: string })[], name: string | undefined, append: boolean, several: boolean): Promise<LockedTable | null> {
  if (several && name === undefined && Number(rows[0]?.tracked ?? 0) > 1) return null;
  const listed = rows.filter((r) => r.id !== null);
  const hit = choose(listed.map(toTable), name, rows[0]?.oid ?? null);
  return locked(tx, hit, listed.find((r) => Number(r.id) === hit.id && yes(r.locked)), (q, t) => shareTable(q, t, append));
}

/** As shareNamed, for a table known by its id (a commit across tables locks each table its SQL changed). */
export async function shareTable(tx: Queryable, table: TrackedTable | number, append: boolean): Promise<LockedTable> {
  const id = typeof table === 'number' ? table : table.id;
  const { rows } = await tx.query<LockRow>(sql('tables/lock_shared'), [null, id, append, false, null, false, false]);
  const row = rows.find((r) => r.id !== null && yes(r.locked));
  const known = typeof table !== 'number' ? table : row ? toTable(row) : await tableById(tx, id);
  return locked(tx, known, row, (q, t) => shareTable(q, t, append));
}

async function locked(
  tx: Queryable,
  table: TrackedTable,
  row: LockRow | undefined,
  relock: (tx: Queryable, table: TrackedTable, opts?: LockOptions) => Promise<LockedTable>,
  opts: LockOptions = {},
): Promise<LockedTable> {
  // Every write starts here: the rows captured on Citus shards come into vsg.pending first (src/core/citus.ts).
  await gather(tx, [table.id]);
  // An untracked history is read, never written: no row of it is ever locked.
  if (table.untrackedAt !== null) {
    throw new VsgError('E_NOT_TRACKED', `table '${table.display}' is not tracked`, { hint: 'its history stays readable; track it again to start a new one', data: { table: table.display } });
  }
  // Untracked (or dropped) meanwhile: a fresh read says which.
  if (!row && !table.gone) return relock(tx, await tableById(tx, table.id), opts);
  let fresh = row ? toTable(row) : table;
  if (fresh.gone && opts.gone && row) {
    return { ...fresh, now: fresh.signature as Signature, merging: yes(row.merging), xid: String(row.xid) };
  }
  if (fresh.gone) {
    throw new VsgError('E_TABLE_GONE', `table '${fresh.display}' was dropped; its history remains`, {
      hint: 'restore it with restore(); untrack() stops versioning it and keeps its history', data: { table: fresh.display },
    });
  }
  const r = row as LockRow;
  // No branch: one made after this statement's snapshot is invisible to it; read again before refusing.
  if (fresh.branchId === null) fresh = await tableById(tx, fresh.id);
  return { ...fresh, now: JSON.parse(String(r.now)) as Signature, merging: yes(r.merging), xid: String(r.xid) };
}

/** Block other writers of the live table until the command's transaction ends. */
export async function lockLiveTable(tx: Queryable, table: TrackedTable): Promise<void> {
  await tx.query(lockTableSql(table.qname, 'SHARE ROW EXCLUSIVE'));
}

/**
 * Lock several tracked tables for one write across them: those named (each
 * once), or, with none named, every tracked table that is not dropped.
 * Locked in name order, so that two commands over the same tables cannot
 * deadlock; answered in the order given (or listed).
 */
export async function lockEach(tx: Queryable, names?: readonly string[], opts: LockOptions = {}): Promise<LockedTable[]> {
  const picked: { name: string; table?: TrackedTable }[] =
    names && names.length ? [...new Set(names)].map((name) => ({ name })) : (await listTables(tx)).filter((t) => !t.gone).map((t) => ({ name: t.display, table: t }));
  if (picked.length === 0) throw new VsgError('E_NO_TABLES', 'no table is tracked yet', { hint: 'track one first' });
  const out: { table: LockedTable; at: number }[] = [];
  const byName = [...picked.keys()].sort((a, b) => (picked[a].name < picked[b].name ? -1 : picked[a].name > picked[b].name ? 1 : 0));
  for (const i of byName) {
    const p = picked[i];
    const table = p.table ? await lockTable(tx, p.table, opts) : await lockNamed(tx, p.name, opts);
    const same = out.find((x) => x.table.id === table.id);
    if (same) same.at = Math.min(same.at, i);
    else out.push({ table, at: i });
  }
  return out.sort((a, b) => a.at - b.at).map((x) => x.table);
}
