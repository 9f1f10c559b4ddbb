/**
 * A commit that names no table, where several are tracked, is made of the
 * tables its SQL changed. The statement that runs the SQL lists them
 * (vsg.changed_tables): the captures that ran name their tables
 * (vsg.touched), and only those are looked up in vsg.pending, so that the
 * commit's cost follows the tables it changed and not the number tracked nor
 * other writers' uncommitted rows. Where the transaction wrote before the
 * commit began, every tracked table is looked up, as the rows it wrote could
 * be in any of them.
 *
 * What the listing read is taken from the transaction's own statistics of
 * vsg.pending (pg_stat_xact_user_tables), read just before and just after the
 * statement that runs the SQL, inside the commit's transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../src/db/db.js';
import { openRepository, type CommitResult, type Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';
const TABLES = 30;

interface PendingReads {
  scans: number;
  rows: number;
}

/**
 * A Db that passes everything on to `db` and, inside a transaction, reads
 * vsg.pending's statistics of the transaction before and after the statement
 * that lists the tables a commit naming none changed (its `changed` column).
 */
function watchingDb(db: Db, seen: PendingReads[]): Db {
  const reads = async (tx: Queryable): Promise<PendingReads> => {
    const { rows } = await tx.query<{ scans: string; rows: string }>(
      `SELECT (seq_scan + coalesce(idx_scan, 0))::text AS scans, (seq_tup_read + coalesce(idx_tup_fetch, 0))::text AS rows
       FROM pg_catalog.pg_stat_xact_user_tables WHERE relid = 'vsg.pending'::regclass`,
    );
    return { scans: Number(rows[0].scans), rows: Number(rows[0].rows) };
  };
  const watched = (tx: Queryable): Queryable => ({
    ...tx,
    query: async (text, params) => {
      if (!text.includes('vsg.changed_tables(')) return tx.query(text, params);
      const before = await reads(tx);
      const out = await tx.query(text, params);
      const after = await reads(tx);
      // (the same statement locks each changed table after it, listing nothing)
      if ((out.rows[0] as { changed?: string | null } | undefined)?.changed != null) seen.push({ scans: after.scans - before.scans, rows: after.rows - before.rows });
      return out as never;
    },
  });
  return {
    ...db,
    get citus() {
      return db.citus;
    },
    knowCitus: (present: boolean) => db.knowCitus?.(present),
    transaction: (fn, opts) => db.transaction((tx) => fn(watched(tx)), opts),
    close: () => db.close(),
  };
}

describe.each(targetNames())('a commit naming no table looks at the tables its SQL touched, on %s', (name) => {
  let t: Target;
  let plain: Repository;
  let repo: Repository;
  const seen: PendingReads[] = [];
  const tablesOf = (r: CommitResult) => (r.parts ?? [r]).map((p) => p.table).sort();
  // On a server, a commit that changed one table asks whether it ends with its
  // commit statement, which then takes its COMMIT (vsg.commit_goes_on): three
  // probes of that table's pending rows, the last finding the commit's own.
  const goesOn = name === 'postgres' ? { scans: 3, rows: 1 } : { scans: 0, rows: 0 };

  beforeAll(async () => {
    t = await makeTarget(name);
    plain = await t.open({ init: true });
    let ddl = '';
    for (let i = 1; i <= TABLES; i++) ddl += `CREATE TABLE a${i} (id int PRIMARY KEY, v text); INSERT INTO a${i} SELECT g, 'v' || g FROM generate_series(1, 10) g;`;
    ddl += `CREATE TABLE big (id int PRIMARY KEY, v text); INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 500) g;`;
    ddl += `CREATE TABLE child (id int PRIMARY KEY, a1 int NOT NULL REFERENCES a1 ON DELETE CASCADE); INSERT INTO child SELECT g, 1 + g % 2 FROM generate_series(1, 6) g;`;
    await plain.sql(ddl);
    for (let i = 1; i <= TABLES; i++) await plain.track(`a${i}`, { author });
    await plain.track('big', { author });
    await plain.track('child', { author });
    // Another writer's uncommitted changes: 500 rows in vsg.pending that no commit here takes.
    await plain.sql(`UPDATE big SET v = v || '!'`);
    repo = await openRepository({ db: watchingDb(plain.db, seen) });
  });
  afterAll(async () => {
    await plain.close();
    await t.cleanup();
  });

  it('reads vsg.pending for the one table an UPDATE changed, not for each of 32 tracked', async () => {
    seen.length = 0;
    const r = await repo.commit({ sql: `UPDATE a5 SET v = 'five' WHERE id = 3`, author });
    expect(r.table).toBe('a5');
    expect(r.commit.updated).toBe(1);
    // one look-up, of a5, finding its one row: not one a table, nor the other writer's 500 rows
    expect(seen).toEqual([{ scans: 1 + goesOn.scans, rows: 1 + goesOn.rows }]);
  });

  it('follows a cascade into another tracked table, and leaves out a table written to no change', async () => {
    seen.length = 0;
    const r = await repo.commit({
      sql: `UPDATE a3 SET v = v WHERE id = 1; UPDATE a4 SET v = 'four' WHERE id = 1; DELETE FROM a1 WHERE id = 2`,
      author,
    });
    // a3 was written, its rows unchanged; child's rows went with a1's by the foreign key
    expect(tablesOf(r)).toEqual(['a1', 'a4', 'child']);
    expect(r.parts!.map((p) => [p.table, p.commit.updated, p.commit.deleted])).toEqual([
      ['a1', 0, 1],
      ['a4', 1, 0],
      ['child', 0, 3],
    ]);
    // a1, a3, a4 and child looked up once each
    expect(seen.map((s) => s.scans)).toEqual([4]);
    const st = await plain.status();
    expect(st.filter((s) => !s.clean).map((s) => s.table)).toEqual(['big']);
  });

  // The application's work, and SQL that is not plain statements, run on
  // their own after the statement that found no table named: the tables are
  // listed by a statement of their own, from the same list.
  it('reads vsg.pending for the tables an application’s work changed, and for those of SQL sent on its own', async () => {
    seen.length = 0;
    const w = await repo.commit({ author, message: 'work' }, async (tx) => {
      await tx.query(`UPDATE a11 SET v = 'eleven' WHERE id = 1`);
      await tx.query(`UPDATE a12 SET v = 'twelve' WHERE id = 1`);
      return 'done';
    });
    expect(w.result).toBe('done');
    expect(tablesOf(w)).toEqual(['a11', 'a12']);
    // (a DO block is not a plain statement: the SQL is sent on its own)
    const s = await repo.commit({ sql: `DO $$BEGIN UPDATE a13 SET v = 'thirteen' WHERE id = 1; END$$`, author });
    expect(s.table).toBe('a13');
    expect(seen).toEqual([{ scans: 2, rows: 2 }, { scans: 1, rows: 1 }]);
  });

  it('looks at every tracked table where the work emptied the list', async () => {
    seen.length = 0;
    const w = await repo.commit({ author, message: 'reset' }, async (tx) => {
      await tx.query(`UPDATE a14 SET v = 'fourteen' WHERE id = 1`);
      await tx.query(`RESET vsg.touched`);
      await tx.query(`UPDATE a15 SET v = 'fifteen' WHERE id = 1`);
    });
    expect(tablesOf(w)).toEqual(['a14', 'a15']);
    expect(seen.map((s) => s.scans)).toEqual([TABLES + 2]);
  });

  it('looks at every tracked table where the transaction wrote before the commit', async () => {
    seen.length = 0;
    const r = await repo.db.transaction(async (tx) => {
      await tx.query(`UPDATE a7 SET v = 'seven' WHERE id = 1`);
      return repo.commit({ sql: `UPDATE a8 SET v = 'eight' WHERE id = 1`, author });
    });
    // a7's row, written in the same transaction before the commit, is this commit's too
    expect(tablesOf(r)).toEqual(['a7', 'a8']);
    expect(seen.map((s) => s.scans)).toEqual([TABLES + 2]);
    expect((await plain.verify()).ok).toBe(true);
  });

  // `vsg init` of a newer vsg keeps the capture function an earlier one wrote
  // for a table whose columns were changed outside vsg since: that function
  // does not name its table itself, but takes the slow path, which does.
  it('finds a table whose capture an earlier vsg wrote, altered outside vsg since', async () => {
    const { rows } = await plain.db.query<{ id: string; def: string }>(
      `SELECT t.id::text AS id, pg_get_functiondef(('vsg.capture_' || t.id)::regproc) AS def FROM vsg.tracked t WHERE t.table_name = 'a10'`,
    );
    const earlier = rows[0].def.replace(`vsg.touch(${rows[0].id})`, 'NULL::text');
    expect(earlier).not.toBe(rows[0].def);
    await plain.db.query(earlier);
    await plain.db.query(`ALTER TABLE a10 ADD COLUMN note text`);
    seen.length = 0;
    const r = await repo.commit({ sql: `UPDATE a10 SET v = 'ten' WHERE id = 1`, author });
    expect(r.table).toBe('a10');
    expect(r.commit.updated).toBe(1);
    expect(seen.map((s) => s.scans)).toEqual([1 + goesOn.scans]);
  });

  it('finds nothing to commit, and changes nothing, where the SQL touched no row', async () => {
    const before = (await plain.log({ limit: 1 })).commits[0].id;
    const e = await repo.commit({ sql: `UPDATE a9 SET v = 'x' WHERE false`, author }).then(() => null, (x: unknown) => x as { code?: string });
    expect(e?.code).toBe('E_NOTHING_TO_COMMIT');
    expect((await plain.log({ limit: 1 })).commits[0].id).toBe(before);
    expect((await plain.db.query(`SELECT v FROM a9 WHERE id = 1`)).rows).toEqual([{ v: 'v1' }]);
  });
});
