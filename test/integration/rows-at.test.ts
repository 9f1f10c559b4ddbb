/**
 * A table's rows as of a commit from its history alone (sql/dropped/rows_at.sql:
 * what a dropped table's restore, `vsg verify --checkpoints`, a type change's
 * recording and a base of an untracked history read). It takes the root
 * commit's rows as they are kept and the changes since from the state path;
 * the reference here is the walk from nothing (vsg.state_diff from no commit),
 * which reads every commit's rows, the root's among them. The history holds
 * what can make the two differ: a root kept as a checkpoint with a chunk
 * unpacked by `vsg forget`, root rows deleted, changed and put back to their
 * root values, a large statement kept as a copy, a branch, a checkout (a state
 * commit) and a merge. Every commit of the table is compared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, root, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const ROWS_AT = fs.readFileSync(path.join(root, 'sql', 'dropped', 'rows_at.sql'), 'utf8');
const FROM_NOTHING = `SELECT key, new AS img FROM vsg.state_diff($1::int, NULL, $2::text, false, -1) WHERE new IS NOT NULL`;

describe.each(targetNames())("a table's rows as of a commit from its history alone on %s", (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'ann';
  const q = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await repo.db.query<R>(text, params)).rows;
  const rows = async (query: string, tid: number, commit: string) =>
    (await q<{ k: string; img: string }>(`SELECT x.key::text AS k, x.img::text AS img FROM (${query}) x ORDER BY 1`, [tid, commit])).map((r) => `${r.k} ${r.img}`);

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('gives every commit the rows of the walk from nothing, the live rows at HEAD', async () => {
    await repo.sql(`CREATE TABLE p (id int PRIMARY KEY, v int, note text); INSERT INTO p SELECT g, g, 'n' || g FROM generate_series(1, 12000) g`);
    await repo.track('p', { author });
    const tid = (await repo.tables()).find((x) => x.name === 'p')!.id;
    const scheme = await q<{ s: string }>(`SELECT hash_scheme::text AS s FROM vsg.commits WHERE table_id = $1 AND kind = 'ROOT'`, [tid]);
    expect(scheme).toEqual([{ s: '3' }]);
    const commit = async (sql: string) => repo.commit({ table: 'p', author, sql });
    await commit(`UPDATE p SET v = -v WHERE id IN (1, 2, 3)`);
    await commit(`DELETE FROM p WHERE id IN (10, 11); INSERT INTO p VALUES (20000, 0, 'new')`);
    await repo.createBranch({ table: 'p', name: 'side' });
    const large = await commit(`UPDATE p SET v = v + 1 WHERE id <= 11000`);
    expect(await q<{ s: string }>(`SELECT hash_scheme::text AS s FROM vsg.commits WHERE id = $1`, [large.commit.id])).toEqual([{ s: '3' }]);
    // a root row's chunk unpacked: its cells are forgotten in history, the live row deleted with it
    await repo.forget({ table: 'p', keys: ['20'], message: 'asked', author, live: true });
    // root rows put back to their root values: an update undone and a deleted key inserted again
    await commit(`UPDATE p SET v = id WHERE id IN (1, 2); INSERT INTO p VALUES (10, 10, 'n10')`);
    await repo.checkout({ table: 'p', ref: 'HEAD~3', author, forgotten: 'null' });
    await repo.switch({ table: 'p', branch: 'side', forgotten: 'null' });
    await commit(`UPDATE p SET note = 'side' WHERE id IN (5, 11400)`);
    await repo.switch({ table: 'p', branch: 'main', forgotten: 'null' });
    await repo.merge({ table: 'p', ref: 'side', author });

    const commits = await q<{ id: string; kind: string }>(`SELECT id, kind FROM vsg.commits WHERE table_id = $1 ORDER BY seq`, [tid]);
    expect(commits.map((c) => c.kind)).toEqual(['ROOT', 'COMMIT', 'COMMIT', 'COMMIT', 'COMMIT', 'COMMIT', 'CHECKOUT', 'COMMIT', 'MERGE']);
    for (const c of commits) {
      const got = await rows(ROWS_AT, tid, c.id);
      expect(got.length, c.kind).toBeGreaterThan(11990);
      expect(got, `${c.kind} ${c.id}`).toEqual(await rows(FROM_NOTHING, tid, c.id));
    }
    // at HEAD, the live rows (every column as text)
    const live = await q<{ k: string; img: string }>(
      `SELECT jsonb_build_object('id', id::text)::text AS k, jsonb_build_object('id', id::text, 'v', v::text, 'note', note)::text AS img FROM p ORDER BY 1`,
    );
    expect(await rows(ROWS_AT, tid, commits.at(-1)!.id)).toEqual(live.map((r) => `${r.k} ${r.img}`));
  });
});
