/**
 * A merge never leaves a constraint broken: before it writes anything, the
 * merged state of the table is checked against its constraints, and every
 * violation is collected (not only the first PostgreSQL would raise):
 *
 * - foreign keys from the table: a merged row whose referencing columns
 *   (non-null, as the key's MATCH rule says) name no row of the referenced
 *   table (for a self-reference: of the merged table, the merge's own inserts
 *   and deletes counted);
 * - foreign keys to the table: a row the merge deletes (or whose referenced
 *   columns it changes) that rows of another table still reference, whatever
 *   the key's action (a cascade or SET NULL would change a table the merge
 *   does not write), or that kept rows of the same table still reference
 *   through a key with NO ACTION or RESTRICT;
 * - unique constraints and indexes other than the primary key: two merged
 *   rows, or a merged row and a live row the merge keeps, with equal values;
 * - not-null and check constraints on merged rows, the checks evaluated by
 *   PostgreSQL itself (sql/merge/check_rows.sql).
 *
 * A forgotten cell (vsg forget) is judged by what the merge will write there
 * (docs/forget.md): the live value (`forgotten: 'live'`), NULL ('null');
 * by default, when the merge will refuse to write it (E_FORGOTTEN), its value
 * is unknown, and a constraint on that column is not judged.
 *
 * Deferrable constraints are checked too: the merged state must satisfy them
 * at commit. The merged rows stay in PostgreSQL (session work tables, see
 * src/core/sql/merge-constraints.ts); only the violations come back.
 * Exclusion constraints, unique indexes on expressions or with a predicate,
 * and triggers are left to the write itself, which refuses the whole merge
 * (E_APPLY_REFUSED) when they object.
 */
import type { Queryable } from '../db/db.js';
import type { ImageSource } from './apply.js';
import { forgottenPolicy, type ForgottenPolicy } from './forgets.js';
import { compareKeys, flagForgotten, forgottenMarker, type Forgotten } from './rows.js';
import { forgottenFromLive } from './sql/forget.js';
import { checkStatements, constraintsQuery, fillOut, joinedColumns, notNullQuery, notNullTests, prepareStage, prepareTyped, runChecks, stagedImages, stageStatements, temp, violationsQuery, WORK, type Check, type CheckTarget, type WorkTables } from './sql/merge-constraints.js';
import { writeSql } from './sql/write-back.js';
import { displayName, toColumn, type Column, type ColumnRow, type TrackedTable } from './tables.js';
import type { Image } from './types.js';
import { qualified } from '../db/quote.js';

/** The kinds of constraint a merge is checked against. */
export type ConstraintKind = 'foreign key' | 'unique' | 'check' | 'not null';

/** A constraint the merged state would break: reported like a conflict. */
export interface ConstraintViolation {
  /** the table being merged */
  table: string;
  /** the row of `table` the merge writes or deletes */
  key: Image;
  /** its merged image; null when the merge deletes it */
  row: Image | null;
  constraint: string;
  kind: ConstraintKind;
  /** the constrained columns of `table` */
  columns: string[];
  /**
   * The other row involved. Foreign key from the table: the referenced table and
   * the key that is missing there (key null, values: the referenced columns).
   * Foreign key to the table: a row still referencing it (its primary key, or
   * null when its table has none; values: its referencing columns). Unique: the
   * row already holding the values (values: the unique columns).
   */
  other: {
    table: string;
    relation: OtherRelation;
    key: Image | null;
    values: Image;
    /** values taken from cells of `row` forgotten (vsg forget), null in `values`: column → marker; absent when none */
    forgotten?: Forgotten<'values'>;
  } | null;
  /** cells of `row` forgotten (vsg forget), null in it: column → marker; absent when none */
  forgotten?: Forgotten<'row'>;
}

/** How the other row is involved: the referenced key is missing; it references the row; it holds the same unique values. */
export type OtherRelation = 'missing' | 'references' | 'duplicate';

type ConstraintRow = {
  kind: 'fk_from' | 'fk_to' | 'unique' | 'check';
  name: string;
  columns: string[];
  other_schema: string | null;
  other_name: string | null;
  other_columns: string[] | null;
  other_key: string[] | null;
  match: string | null;
  on_delete: string | null;
  on_update: string | null;
  nulls_distinct: boolean;
};

/** A check with what its violations report. */
interface Described {
  check: Check;
  name: string;
  kind: ConstraintKind;
  columns: string[];
  /** the other table, as people read it */
  otherTable: string | null;
}

/** NO ACTION and RESTRICT refuse a change that leaves referencing rows behind; the other actions change those rows. */
const REFUSES = new Set(['a', 'r']);

/** One table's constraints, read and described, ready to be checked against its staged merged rows. */
interface Prepared {
  table: TrackedTable;
  target: CheckTarget;
  described: Described[];
  cols: Column[];
  hasChecks: boolean;
  /** some staged images still hold forgotten cells (typed as NULL for the checks) */
  forgotten: boolean;
  /** what the merge writes where a value was forgotten (src/core/forgets.ts) */
  policy: ForgottenPolicy;
  /** the violations, when staging judged them already (not-null checks alone); null: the checks are still to run */
  judged: ViolationRow[] | null;
}

/**
 * Read the table's columns and constraints, and stage `source` into
 * `work.out` (the work tables made fresh). With `quick` (one table's merge),
 * a table whose only checks are not-null ones is judged as it is staged, by
 * the same statement (notNullTests): `judged` holds its violation rows, and
 * no typed copy (`work.new`) is made unless a forgotten cell needs one.
 */
async function prepare(tx: Queryable, table: TrackedTable, source: ImageSource, work: WorkTables, always: boolean, quick = false): Promise<Prepared | null> {
  const { rows } = await tx.query<{ columns: string; constraints: string }>(constraintsQuery(), [table.relid]);
  const cols = (JSON.parse(rows[0].columns) as ColumnRow[]).map(toColumn);
  const found = JSON.parse(rows[0].constraints) as ConstraintRow[];
  const notNull = cols.filter((c) => c.notNull).map((c) => c.name);
  const described = describe(table, found, notNull);
  if (described.length === 0 && !always) return null;
  const target = { relid: table.relid, qname: table.qname, keyColumns: table.keyColumns, columns: cols };
  const tests = quick ? notNullTests(described.map((d) => d.check), cols) : null;
  await tx.query(prepareStage(table.qname, notNull, work, tests === null));
  const filled = await tx.query<{ forgotten: string } & ViolationRow>(fillOut(source.text, work, tests), source.params);
  // Judge a forgotten cell by what the write-back will write there: the live value is
  // put in now (one more round trip, only then); NULL, or nothing, at typing (stageStatements).
  const policy = forgottenPolicy(tx);
  let forgotten = Number(filled.rows[0].forgotten) > 0;
  let judged: ViolationRow[] | null = tests === null || forgotten ? null : filled.rows.filter((r) => r.c !== null);
  if (forgotten && policy === 'live') {
    await tx.query(forgottenFromLive(table, cols, temp(work.out)));
    forgotten = false;
    if (tests !== null) judged = (await tx.query<ViolationRow>(notNullQuery(tests, work))).rows;
  }
  // a forgotten cell typed as NULL needs the typed rows after all
  if (tests !== null && judged === null) await tx.query(prepareTyped(table.qname, notNull, work));
  return { table, target, described, cols, hasChecks: described.some((d) => d.kind === 'check'), forgotten, policy, judged };
}

/** What findViolations found, and where the images it read now are. */
export interface Checked {
  violations: ConstraintViolation[];
  /** the images to write back: the staged copy when the check made one (so the source is not computed twice), else the source itself */
  images: ImageSource;
}

/**
 * The constraints that the images of `source` (every key the merge writes,
 * with its image, NULL for a deletion) would break once written into the
 * table. Writes nothing but the session's work tables. One round trip when
 * the table has no constraint to check, three when it has only not-null
 * ones, four otherwise.
 */
export async function findViolations(tx: Queryable, table: TrackedTable, source: ImageSource): Promise<Checked> {
  const p = await prepare(tx, table, source, WORK, false, true);
  if (!p) return { violations: [], images: source };
  const images = { text: stagedImages(WORK), params: [] };
  if (p.judged !== null) return { violations: violations(p, p.judged), images };
  const checks = p.described.map((d) => d.check);
  const query = violationsQuery(p.target, checks);
  if (query === null) return { violations: [], images };
  const res = await tx.query<ViolationRow>(checkStatements(p.target, writeSql(table, p.cols), p.hasChecks, query, p.forgotten, joinedColumns(checks)));
  return { violations: violations(p, res.rows), images };
}

/** One table of a merge across tables with its merged rows staged (stageMerged), to be checked with the others (checkMerged). */
export interface StagedMerge extends Prepared {
  work: WorkTables;
  /** the staged images, as a source to write them back from (write-back-many.ts) */
  images: ImageSource;
}

/**
 * Stage the images of `source` that a merge across tables writes into one
 * of its tables, in work tables of that table's own (so that the merge
 * planner may move on to the next table): four round trips.
 */
export async function stageMerged(tx: Queryable, table: TrackedTable, source: ImageSource): Promise<StagedMerge> {
  const work: WorkTables = { out: `vsg_mx_out_${table.id}`, new: `vsg_mx_new_${table.id}` };
  const p = (await prepare(tx, table, source, work, true)) as Prepared;
  await tx.query(stageStatements(writeSql(table, p.cols), work, p.forgotten, joinedColumns(p.described.map((d) => d.check))));
  return { ...p, work, images: { text: stagedImages(work), params: [] } };
}

/**
 * findViolations for the tables of a merge across tables, as one merged
 * state: each table's constraints are checked against the merged rows of
 * the others (all staged first by stageMerged), so that a key to another of
 * the tables finds (or misses) its row as that table will be once merged,
 * not as it is live. One round trip a table with a constraint to check.
 */
export async function checkMerged(tx: Queryable, staged: readonly StagedMerge[]): Promise<ConstraintViolation[]> {
  const all = new Map(staged.map((s) => [s.table.qname, { work: s.work, keyColumns: s.table.keyColumns }]));
  const out: ConstraintViolation[] = [];
  for (const s of staged) {
    const others = new Map([...all].filter(([q]) => q !== s.table.qname));
    const query = violationsQuery(s.target, s.described.map((d) => d.check), s.work, others);
    if (query === null) continue;
    const res = await tx.query<ViolationRow>(runChecks(s.target, s.hasChecks, query, s.work));
    out.push(...violations(s, res.rows));
  }
  return out;
}

type ViolationRow = Record<'c' | 'key' | 'other' | 'vals' | 'img', string | null>;

function violations(p: Prepared, rows: ViolationRow[]): ConstraintViolation[] {
  const parse = (v: string | null) => (v === null ? null : (JSON.parse(v) as Image));
  return rows
    .map((r) => {
      const d = p.described[Number(r.c)];
      const vals = parse(r.vals);
      const v: ConstraintViolation = {
        table: p.table.display,
        key: parse(r.key) as Image,
        row: parse(r.img),
        constraint: d.name,
        kind: d.kind,
        columns: d.columns,
        other: d.otherTable === null || vals === null ? null : { table: d.otherTable, relation: relation(d.check), key: parse(r.other), values: vals },
      };
      return flagOther(flagForgotten(v, { row: 'image' }), d.check);
    })
    // Refused anyway (E_FORGOTTEN), a forgotten cell has no value to judge a constraint by.
    .filter((v) => p.policy !== 'refuse' || !v.columns.some((c) => forgottenMarker(v.forgotten, 'row', c) !== undefined))
    .sort((a, b) => compareKeys(a.key, b.key, p.table.keyColumns) || a.constraint.localeCompare(b.constraint) || JSON.stringify(a.other).localeCompare(JSON.stringify(b.other)));
}

/**
 * The other relation's values that are cells of the merged row (a unique
 * constraint's, a foreign key's from the table): null plus the flag where
 * that cell was forgotten, as in `row`.
 */
function flagOther(v: ConstraintViolation, c: Check): ConstraintViolation {
  const o = v.other;
  if (o === null || (c.kind !== 'unique' && c.kind !== 'fk_from')) return v;
  const pairs = c.kind === 'unique' ? c.columns.map((u) => [u, u]) : c.otherColumns.map((p, j) => [p, c.columns[j]]);
  const flag: Record<string, string> = {};
  for (const [field, column] of pairs) {
    const m = forgottenMarker(v.forgotten, 'row', column);
    if (m === undefined || !(field in o.values)) continue;
    o.values[field] = null;
    flag[field] = m;
  }
  if (Object.keys(flag).length) o.forgotten = { values: flag };
  return v;
}

function relation(c: Check): OtherRelation {
  return c.kind === 'fk_from' ? 'missing' : c.kind === 'fk_to' ? 'references' : 'duplicate';
}

/** The checks to run, from the catalog's answer; not-null ones named as PostgreSQL 18 names them. */
function describe(table: TrackedTable, found: ConstraintRow[], notNull: string[]): Described[] {
  const out: Described[] = [];
  for (const k of found) {
    const other = k.other_schema !== null && k.other_name !== null ? { q: qualified(k.other_schema, k.other_name), display: displayName(k.other_schema, k.other_name) } : null;
    const self = other !== null && k.other_schema === table.schema && k.other_name === table.name;
    if (k.kind === 'unique') {
      out.push({ check: { kind: 'unique', columns: k.columns, nullsDistinct: k.nulls_distinct }, name: k.name, kind: 'unique', columns: k.columns, otherTable: table.display });
    } else if (k.kind === 'check') {
      out.push({ check: { kind: 'check', name: k.name }, name: k.name, kind: 'check', columns: k.columns ?? [], otherTable: null });
    } else if (other && k.other_columns) {
      const fk = { columns: k.columns, other: other.q, otherColumns: k.other_columns, self };
      const check: Check =
        k.kind === 'fk_from'
          ? { kind: 'fk_from', ...fk, matchFull: k.match === 'f' }
          : { kind: 'fk_to', ...fk, otherKey: k.other_key, onDelete: REFUSES.has(k.on_delete ?? ''), onUpdate: REFUSES.has(k.on_update ?? '') };
      out.push({ check, name: k.name, kind: 'foreign key', columns: k.columns, otherTable: other.display });
    }
  }
  for (const c of notNull) {
    // The key is never NULL in an image: only the other columns can break it.
    if (table.keyColumns.includes(c)) continue;
    out.push({ check: { kind: 'not null', column: c }, name: `${table.name}_${c}_not_null`, kind: 'not null', columns: [c], otherTable: null });
  }
  return out;
}
