/**
 * Scenario 11: forget one key over a long history. A 1,000-row table gets
 * 100,000 commits (10,000 with --quick), each a 1-row UPDATE recorded by the
 * engine's own commit statement (the server-side loop of scenario 7), so that
 * each key changed 100 times (10). Then `forget` of one key (a different key
 * each repetition, vacuum off) is timed through the library: it must cost the
 * key's own change rows, found through the (table_id, key, seq) index, not the
 * history. Its floor is rewriting those change rows in place with one plain
 * UPDATE (rolled back). The VACUUM that follows a forget by default (plain,
 * then FULL) is timed once beside it: that one follows the size of vsg.changes.
 */
import { makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';
import { buildHistory } from './history.mjs';

export const id = 'forget';
export const perSize = false;

export async function run(ctx) {
  const { cleanup, reps, prefix, lib, opts } = ctx;
  const total = opts.quick ? 10_000 : 100_000;
  const name = `${prefix}_forget`;
  const url = await createDatabase(cleanup, name);
  try {
    const c = await connect(cleanup, url);
    const repo = await lib.openRepository({ url, init: true });
    try {
      if (typeof repo.forget !== 'function') {
        ctx.notes?.push('forget: not in this build');
        return [];
      }
      const t = [await buildHistory(c, repo, total, 'forget')];
      await c.query('VACUUM ANALYZE');
      const perKey = total / 1000 + 1; // its changes, and the root commit's row
      const n = reps.engine;
      const forget = [];
      const floor = [];
      for (let i = 0; i < n; i++) {
        const key = String(42 + i);
        floor.push(
          await time(async () => {
            await c.query('BEGIN');
            await c.query(`UPDATE vsg.changes SET salt = NULL, forgotten = '{a,b}' WHERE table_id = $1 AND key = jsonb_build_object('id', $2::text)`, [t[0].tid, key]);
            await c.query('ROLLBACK');
          }),
        );
        let r;
        forget.push(await time(async () => (r = await repo.forget({ table: 'hist', keys: [key], message: 'bench', author: 'bench', vacuum: false }))));
        if (r.entry.rows !== perKey) throw new Error(`forget of ${key} blanked ${r.entry.rows} change rows, not ${perKey}`);
      }
      const note = `${perKey} change rows of the key among ${total + 1000}; table of 1,000 rows with ${total} commits (rows column = commits)`;
      const rows = [makeRow({ scenario: '13 forget', name: 'forget one key (no vacuum)', rows: total, vsg: forget, refs: { floor }, note })];
      progress('forget: the vacuums after it');
      const plain = await time(() => c.query('VACUUM vsg.changes, vsg.pending'));
      const full = await time(() => c.query('VACUUM FULL vsg.changes, vsg.pending'));
      rows.push(makeRow({ scenario: '13 forget', name: 'VACUUM vsg.changes, vsg.pending after it', rows: total, vsg: [plain], refs: {}, note: 'once; follows the size of vsg.changes' }));
      rows.push(makeRow({ scenario: '13 forget', name: 'VACUUM FULL of the same (--vacuum-full)', rows: total, vsg: [full], refs: {}, note: 'once; rewrites the tables' }));
      return rows;
    } finally {
      await repo.close().catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  } finally {
    await dropDatabase(cleanup, name);
  }
}
