/**
 * Scenario 6: merge of two branches with 1,000 changes each (different rows,
 * so it merges cleanly). Floor: applying the other branch's 1,000 changed rows
 * with one UPDATE … FROM; snapshot design: dbvsg's "merge", a blind union of
 * two whole snapshots written back. The audit design has no branches.
 */
import { makeRow, project } from '../lib.mjs';
import { progress, time } from '../harness.mjs';
import { TABLES, pickKey, snapshotFeasible } from '../fixtures.mjs';

export const id = 'merge';

let last = null;
const BUDGET_MS = 120_000;
export const perSize = true;

export function unavailable(lib) {
  const p = lib.Repository?.prototype ?? {};
  const missing = ['switch', 'merge'].filter((m) => typeof p[m] !== 'function');
  return missing.length ? `this build's Repository has no ${missing.join('/')}()` : null;
}

export async function run(ctx) {
  const { client: c, size, repo, reps } = ctx;
  const snapOk = snapshotFeasible(size);
  let n = Math.min(reps.engine, 5);
  const projected = project(last, size);
  // Fewer repetitions where one merge would take long (the figure grows with the table).
  if (projected !== null) n = Math.max(1, Math.min(n, Math.floor(BUDGET_MS / projected)));
  if (projected !== null && projected > BUDGET_MS * 2) {
    ctx.skip('6 merge', `projected ${Math.round(projected / 1000)} s per merge from ${last.size} rows, over the time budget`);
    return [];
  }
  const s = { vsg: [], floor: [], snapshot: [] };
  progress(`${size} rows: merge of two branches with 1,000 changes each`);
  for (let i = 0; i < n; i++) {
    const k1 = pickKey(size, 1000, 900 + i);
    let k2 = pickKey(size, 1000, 1900 + i);
    if (Math.abs(k1 - k2) < 1000) k2 = (k1 + size / 2) % (size - 1000) + 1;
    const name = `topic${i}`;
    await repo.switch({ table: 'items', branch: name, create: true });
    await repo.commit({ table: 'items', sql: `UPDATE items SET a = a + 3 WHERE id BETWEEN ${k1} AND ${k1 + 999}`, author: 'bench', message: 'theirs' });
    await repo.switch({ table: 'items', branch: 'main' });
    await repo.commit({ table: 'items', sql: `UPDATE items SET b = md5(b) WHERE id BETWEEN ${k2} AND ${k2 + 999}`, author: 'bench', message: 'ours' });
    s.vsg.push(await time(() => repo.merge({ table: 'items', ref: name, author: 'bench' })));

    await c.query(`DROP TABLE IF EXISTS theirs; CREATE TABLE theirs AS SELECT * FROM ${TABLES.floor} WHERE id BETWEEN ${k1} AND ${k1 + 999}; UPDATE theirs SET a = a + 3`);
    s.floor.push(await time(() => c.query(`UPDATE ${TABLES.floor} t SET a = x.a, b = x.b, c = x.c, d = x.d FROM theirs x WHERE t.id = x.id`)));
    if (snapOk && i < (size >= 1_000_000 ? 2 : n)) {
      s.snapshot.push(
        await time(() =>
          c.query(`BEGIN;
            CREATE TEMP TABLE u ON COMMIT DROP AS
              SELECT DISTINCT ON (r.id) r.* FROM snap_history h, jsonb_populate_recordset(NULL::${TABLES.snapshot}, h.data) r
              WHERE h.id IN (SELECT id FROM snap_history ORDER BY id DESC LIMIT 2) ORDER BY r.id;
            TRUNCATE ${TABLES.snapshot}; INSERT INTO ${TABLES.snapshot} SELECT * FROM u; COMMIT`),
        ),
      );
    }
  }
  last = { size, ms: Math.max(...s.vsg) };
  return [
    makeRow({
      scenario: '6 merge',
      name: 'two branches, 1,000 changes each',
      rows: size,
      vsg: s.vsg,
      refs: { floor: s.floor, snapshot: snapOk ? s.snapshot : 'too large', audit: 'no branches' },
      checkScaling: 'time',
    }),
  ];
}
