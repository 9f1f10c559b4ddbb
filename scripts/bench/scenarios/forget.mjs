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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRow } from '../lib.mjs';
import { BUILD, connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';
import { loopSql, maxParam } from './history.mjs';

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
      await c.query(`CREATE TABLE hist (id int PRIMARY KEY, a int NOT NULL, b text NOT NULL);
        INSERT INTO hist SELECT i, 0, md5(i::text) FROM generate_series(1, 1000) i;`);
      await repo.track('hist', { author: 'bench' });
      const { rows: t } = await c.query(
        `SELECT t.id::text AS tid, r.id::text AS branch FROM vsg.tracked t JOIN vsg.refs r ON r.table_id = t.id AND r.name = 'main' WHERE t.table_name = 'hist'`,
      );
      const createSql = readFileSync(join(BUILD, 'sql', 'commit', 'create.sql'), 'utf8');
      await c.query(loopSql(maxParam(createSql)));
      const chunk = 100;
      const s0 = performance.now();
      for (let done = 0; done < total; done += chunk) {
        await c.query('SELECT bench_commits($1, $2, $3, $4, $5)', [Math.min(chunk, total - done), done, createSql, t[0].tid, t[0].branch]);
        if ((done + chunk) % 1000 === 0) await c.query('VACUUM vsg.pending');
        if ((done + chunk) % 10000 === 0) progress(`forget: ${done + chunk}/${total} commits (${((performance.now() - s0) / (done + chunk)).toFixed(2)} ms each)`);
      }
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
