/**
 * Versioned migrations: a missing one (whatever its number) is detected and
 * applied by `vsg init`. The refusal, init and doctor run through bin/vsg;
 * taking a migration away, and the reads that compare history before and
 * after (the objects `vsg log`, `log --row` and `blame` print with --json),
 * through plain SQL and the library.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTarget, root, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

/**
 * Turn a repository back into one at schema version 6: drop what migration 7
 * (the commit graph) added, put back 004's vsg.row_history, forget 7.
 */
function withoutCommitGraph(): string {
  const v4 = fs.readFileSync(path.join(root, 'test', 'fixtures', 'legacy-schema-v11', '004_timetravel.sql'), 'utf8');
  // (its change rows named their commit by id; since version 20 they name it by seq)
  const rowHistory = v4
    .slice(v4.indexOf('CREATE FUNCTION vsg.row_history'))
    .replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION')
    .replace('SELECT ch.commit_id, ch.seq,', 'SELECT (SELECT x.id FROM vsg.commits x WHERE x.seq = ch.seq) AS commit_id, ch.seq,');
  return `DROP TRIGGER commit_graph ON vsg.commits;
    DROP FUNCTION vsg.commit_graph_trigger(), vsg.commit_graph_add(bigint, int, text, text, boolean), vsg.commit_graph_fill(bigint), vsg.reachable(bigint, bigint[]),
      vsg.first_parent_reach(bigint, bigint[]), vsg.first_parent_at(bigint, int);
    DROP TABLE vsg.commit_graph;
    ${rowHistory};
    DELETE FROM vsg.migrations WHERE version = 7`;
}

describe.each(targetNames())('schema migrations on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
  });
  afterAll(() => t.cleanup());

  it('a database lacking one migration is refused with a hint, and init applies just that one', async () => {
    const first = await vsgOk(t, ['init']);
    const version = Number(/version (\d+)/.exec(first)?.[1]);
    expect(version).toBeGreaterThanOrEqual(6);
    // Take migration 6 away, as if this database predated it while later ones were applied.
    await t.sql('DROP TABLE vsg.schema_changes; DELETE FROM vsg.migrations WHERE version = 6');
    const refused = await vsg(t, ['status']);
    expect([refused.code, refused.stderr]).toEqual([3, "error: the vsg schema lacks 1 migration(s) this vsg needs\nhint: run 'vsg init' to upgrade it\n"]);
    expect(await vsgOk(t, ['init'])).toMatch(/^upgraded vsg schema/);
    expect((await t.sql('SELECT version FROM vsg.migrations ORDER BY version')).rows.map((r) => Number(r.version))).toContain(6);
    expect(await vsgOk(t, ['status'])).toBe("no table is tracked yet (use 'vsg track <table>')\n");
  });

  it('init upgrades a repository with history that lacks migration 7: the commit graph is built and history reads the same', async () => {
    const repo = await t.open();
    try {
      await repo.sql('CREATE TABLE m7 (id int PRIMARY KEY, v text)');
      await repo.sql(`INSERT INTO m7 VALUES (1, 'a'), (2, 'b')`);
      await repo.track('m7', { author: 'tester' });
      await repo.commit({ table: 'm7', author: 'tester', sql: `UPDATE m7 SET v = 'main' WHERE id = 2` });
      await repo.switch({ table: 'm7', branch: 'side', create: true });
      await repo.commit({ table: 'm7', author: 'tester', sql: `UPDATE m7 SET v = 'side' WHERE id = 1` });
      await repo.switch({ table: 'm7', branch: 'wip', create: true });
      await repo.commit({ table: 'm7', author: 'tester', sql: `UPDATE m7 SET v = 'wip' WHERE id = 1` });
      await repo.switch({ table: 'm7', branch: 'main' });
      await repo.commit({ table: 'm7', author: 'tester', sql: `INSERT INTO m7 VALUES (3, 'c')` });
      await repo.merge({ table: 'm7', ref: 'side', author: 'tester', message: 'merge side' });
    } finally {
      await repo.close();
    }
    const rowHistory = async () =>
      (await t.sql(`SELECT commit_id, kind, after::text FROM vsg.row_history('m7', '1')`)).rows as Record<string, string>[];
    const reads = async () => [
      ...(await withRepo(t, async (repo) => [
        JSON.stringify(await repo.log({ table: 'm7' })),
        JSON.stringify(await repo.rowLog({ table: 'm7', key: '1' })),
        JSON.stringify(await repo.blame({ table: 'm7', key: '1' })),
      ])),
      await rowHistory(),
    ];
    const at7 = await reads();
    expect((at7[3] as unknown[]).length).toBe(3);
    await t.sql(withoutCommitGraph());
    expect((await t.sql('SELECT count(*)::text AS n FROM vsg.migrations WHERE version = 7')).rows[0].n).toBe('0');
    // The earlier vsg.row_history reads the same rows as version 7's.
    expect(await rowHistory()).toEqual(at7[3]);
    const refused = await vsg(t, ['log', '-t', 'm7']);
    expect([refused.code, refused.stderr]).toEqual([3, "error: the vsg schema lacks 1 migration(s) this vsg needs\nhint: run 'vsg init' to upgrade it\n"]);
    expect(await vsgOk(t, ['init'])).toMatch(/^upgraded vsg schema to version \d+ \(applied 007_commit_graph\.sql\)/);
    expect(await vsgOk(t, ['doctor'])).toMatch(/schema: version \d+ \(latest\)/);
    expect(await reads()).toEqual(at7);
    const counts = (await t.sql('SELECT (SELECT count(*) FROM vsg.commits)::text AS commits, (SELECT count(*) FROM vsg.commit_graph)::text AS graph')).rows[0];
    expect(counts.commits).toBe(counts.graph);
    // Commits made after the upgrade join the graph.
    const h = await withRepo(t, async (repo) => {
      await repo.commit({ table: 'm7', author: 'tester', message: 'after upgrade', sql: `UPDATE m7 SET v = 'later' WHERE id = 1` });
      return repo.rowLog({ table: 'm7', key: '1' });
    });
    expect(h.entries.map((e) => [e.commit.kind, e.commit.message])).toEqual([
      ['COMMIT', 'after upgrade'],
      ['MERGE', 'merge side'],
      ['COMMIT', "UPDATE m7 SET v = 'side' WHERE id = 1"],
      ['ROOT', expect.any(String)],
    ]);
  });
});
