/**
 * Scenario 4: checkout and restore across 1,000 changed rows, checkout
 * across a completely different state (every row changed), and restore
 * discarding an uncommitted change to every row. Floor: reloading
 * the table with INSERT … SELECT from a copy of the target state (TRUNCATE
 * first, in one transaction); snapshot design: reloading it from the stored
 * jsonb snapshot (jsonb_populate_recordset). The audit design has no way back
 * short of replaying its log, so it has no figure here.
 */
import { makeRow, project } from '../lib.mjs';
import { progress, time } from '../harness.mjs';
import { TABLES, pickKey, snapshotCommitSql, snapshotFeasible } from '../fixtures.mjs';

export const id = 'checkout';

/** The last size's figure of the every-row checkout, to project the next one. */
let lastAll = null;
const BUDGET_MS = 90_000;
/** The every-row checkout is measured at every size up to this; above it (--large), only within the time budget. */
const ALWAYS_UP_TO = 1_000_000;
export const perSize = true;

/** Why this build cannot run the scenario, or null. */
export function unavailable(lib) {
  const p = lib.Repository?.prototype ?? {};
  const missing = ['checkout', 'restore'].filter((m) => typeof p[m] !== 'function');
  return missing.length ? `this build's Repository has no ${missing.join('/')}()` : null;
}

export async function run(ctx) {
  const { client: c, size, repo, reps } = ctx;
  const snapOk = snapshotFeasible(size);
  const rows = [];
  // States: B = HEAD after scenario 5 (diff_b holds it, minus the 1,000 status rows).
  const head = (await repo.status({ table: 'items' }))[0].head;
  await c.query('DROP TABLE IF EXISTS co_head; CREATE TABLE co_head AS SELECT * FROM items');
  const key = pickKey(size, 1000, 311);
  const other = (await repo.commit({ table: 'items', sql: `UPDATE items SET a = a + 1 WHERE id BETWEEN ${key} AND ${key + 999}`, author: 'bench', message: 'checkout 1000' })).commit.id;
  await c.query(snapshotFeasible(size) ? snapshotCommitSql('SELECT 1') : 'SELECT 1');
  const snapId = snapOk ? (await c.query('SELECT max(id)::text AS m FROM snap_history')).rows[0].m : null;
  const reload = () => c.query(`BEGIN; TRUNCATE ${TABLES.floor}; INSERT INTO ${TABLES.floor} SELECT * FROM co_head; COMMIT`);
  const snapReload = () =>
    c.query(`BEGIN; TRUNCATE ${TABLES.snapshot}; INSERT INTO ${TABLES.snapshot} SELECT * FROM jsonb_populate_recordset(NULL::${TABLES.snapshot}, (SELECT data FROM snap_history WHERE id = ${snapId})); COMMIT`);
  const snapReps = size >= 1_000_000 ? Math.min(3, reps.engine) : reps.engine;

  progress(`${size} rows: checkout across 1,000 changed rows`);
  const s = { vsg: [], floor: [], snapshot: [] };
  for (let i = 0; i < reps.engine; i++) {
    // there and back: each call crosses the same 1,000 rows
    s.vsg.push(await time(() => repo.checkout({ table: 'items', ref: i % 2 ? other : head, author: 'bench' })));
    if (i < snapReps) s.floor.push(await time(reload));
    if (snapOk && i < snapReps) s.snapshot.push(await time(snapReload));
  }
  rows.push(
    makeRow({
      scenario: '4 checkout',
      name: '1,000 changed rows',
      rows: size,
      vsg: s.vsg,
      refs: { floor: s.floor, snapshot: snapOk ? s.snapshot : 'too large', audit: 'no way back' },
      checkScaling: 'time',
    }),
  );

  progress(`${size} rows: restore of 1,000 uncommitted changes`);
  const r = { vsg: [], floor: [], snapshot: [] };
  for (let i = 0; i < reps.engine; i++) {
    await c.query(`UPDATE items SET a = a + 7 WHERE id BETWEEN ${key} AND ${key + 999}`);
    r.vsg.push(await time(() => repo.restore({ table: 'items' })));
    if (i < snapReps) r.floor.push(await time(reload));
    if (snapOk && i < snapReps) r.snapshot.push(await time(snapReload));
  }
  const st = await repo.status({ table: 'items' });
  if (!st[0].clean) throw new Error('restore left uncommitted changes');
  rows.push(
    makeRow({
      scenario: '4 restore',
      name: '1,000 uncommitted changes',
      rows: size,
      vsg: r.vsg,
      refs: { floor: r.floor, snapshot: snapOk ? r.snapshot : 'too large', audit: 'no way back' },
      checkScaling: 'time',
    }),
  );

  // A completely different state: every row changed by one commit, then check out across it.
  const projected = project(lastAll, size);
  if (size > ALWAYS_UP_TO && projected !== null && projected * 3 > BUDGET_MS) {
    ctx.skip('4 checkout, completely different state', `projected ${Math.round(projected / 1000)} s per checkout (+ an every-row commit) from ${lastAll.size} rows, over the time budget`);
    await c.query('DROP TABLE IF EXISTS co_head');
    return rows;
  }
  progress(`${size} rows: checkout across a completely different state`);
  const base = (await repo.status({ table: 'items' }))[0].head;
  await repo.commit({ table: 'items', sql: 'UPDATE items SET a = a + 1, b = md5(b)', author: 'bench', message: 'every row' });
  const all = (await repo.status({ table: 'items' }))[0].head;
  const wReps = size >= 1_000_000 ? 1 : Math.min(3, reps.engine);
  const w = { vsg: [], floor: [], snapshot: [] };
  for (let i = 0; i < wReps * 2; i++) {
    w.vsg.push(await time(() => repo.checkout({ table: 'items', ref: i % 2 ? all : base, author: 'bench' })));
    if (i < wReps) {
      w.floor.push(await time(reload));
      if (snapOk) w.snapshot.push(await time(snapReload));
    }
  }
  lastAll = { size, ms: Math.max(...w.vsg) };
  rows.push(
    makeRow({
      scenario: '4 checkout',
      name: 'completely different state (every row)',
      rows: size,
      vsg: w.vsg,
      refs: { floor: w.floor, snapshot: snapOk ? w.snapshot : 'too large', audit: 'no way back' },
    }),
  );

  // Discarding an uncommitted change to every row (an UPDATE run outside vsg):
  // restore back to HEAD, which leaves nothing uncommitted, so it may reload.
  progress(`${size} rows: restore discarding an uncommitted change to every row`);
  const d = { vsg: [], floor: [] };
  for (let i = 0; i < wReps; i++) {
    await c.query('UPDATE items SET a = a + 1');
    d.vsg.push(await time(() => repo.restore({ table: 'items' })));
    d.floor.push(await time(reload));
  }
  rows.push(
    makeRow({
      scenario: '4 restore',
      name: 'discarding an uncommitted change to every row',
      rows: size,
      vsg: d.vsg,
      refs: { floor: d.floor, snapshot: 'n/a', audit: 'no way back' },
    }),
  );

  // What any checkout that records one change row per changed row must pay at
  // least, each part alone beside the same reload: writing every row back from
  // the images history stores (their text forms, through each column's input
  // function: what keeps values exact), with no diff to compute and nothing to
  // record; and recording the commit's change rows (both images, key order,
  // vsg.changes' own indexes, no foreign key), with nothing written.
  progress(`${size} rows: the every-row checkout's lower bounds`);
  // Each column cast from its text form, as the bulk write-back does (cheaper than jsonb_populate_record).
  const casts = (
    await c.query(`SELECT string_agg(format('(after->>%L)::%s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum) AS list
                   FROM pg_attribute WHERE attrelid = '${TABLES.floor}'::regclass AND attnum > 0 AND NOT attisdropped`)
  ).rows[0].list;
  // The every-row commit's change rows as history gives them (vsg.commit_rows:
  // its change rows, or the rows of the copy it is kept as, a statement of
  // 10,000 rows or more), set aside once, untimed.
  await c.query(`DROP TABLE IF EXISTS lb_rows;
    CREATE TABLE lb_rows AS SELECT * FROM vsg.commit_rows((SELECT seq FROM vsg.commits WHERE id = '${all}'));
    ANALYZE lb_rows`);
  const lb = { write: [], record: [], floor: [] };
  for (let i = 0; i < wReps; i++) {
    lb.write.push(
      await time(() =>
        c.query(`BEGIN; TRUNCATE ${TABLES.floor};
          INSERT INTO ${TABLES.floor} SELECT ${casts} FROM lb_rows;
          COMMIT`),
      ),
    );
    lb.record.push(
      await time(() =>
        c.query(`BEGIN; CREATE TEMP TABLE lb_changes (LIKE vsg.changes INCLUDING ALL) ON COMMIT DROP;
          INSERT INTO lb_changes (seq, table_id, key, before, after, salt, row_hash)
            SELECT 0, table_id, key, before, after, salt, row_hash FROM lb_rows ORDER BY key::text COLLATE "C";
          COMMIT`),
      ),
    );
    lb.floor.push(await time(reload));
  }
  await c.query('DROP TABLE lb_rows');
  for (const [part, vsg] of [
    ['lower bound: write every row back from stored images', lb.write],
    ['lower bound: record every row\'s change', lb.record],
  ]) {
    rows.push(makeRow({ scenario: '4 checkout', name: part, rows: size, vsg, refs: { floor: lb.floor, snapshot: 'n/a', audit: 'n/a' } }));
  }
  await c.query('DROP TABLE IF EXISTS co_head');
  return rows;
}
