/**
 * A row's history, blame and log over histories with branches and merges,
 * checked against their definition, computed here from the commit rows: a
 * commit is in HEAD's history when a walk over every parent (first and merge)
 * from HEAD reaches it; blame reads HEAD's first-parent chain. vsg answers
 * from the row's own changes and vsg.commit_graph (sql/migrations/007) instead of
 * walking, so these tests pin that it answers the same: named scenarios
 * (an unmerged branch, a merge, a fast-forward, checkout and rollback), then
 * a seeded random history.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { prng } from '../helpers/prng.js';

vi.setConfig({ testTimeout: 300_000 });

const author = 'tester';

interface Graph {
  commits: Map<string, { seq: number; parent: string | null; mergeParent: string | null; depth: number }>;
  changes: { commit: string; key: string; before: Record<string, string> | null; after: Record<string, string> | null }[];
}

/** The table's commits and change rows, as stored. */
async function readGraph(repo: Repository, table: string): Promise<Graph> {
  const { rows: cs } = await repo.db.query<Record<string, string | null>>(
    `SELECT c.id, c.seq::text, c.parent, c.merge_parent, c.depth::text FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id
     WHERE t.table_name = $1`,
    [table],
  );
  const { rows: ch } = await repo.db.query<Record<string, string | null>>(
    `SELECT c.id AS commit_id, ch.key::text, ch.before::text, ch.after::text FROM vsg.changes ch JOIN vsg.tracked t ON t.id = ch.table_id JOIN vsg.commits c ON c.seq = ch.seq
     WHERE t.table_name = $1`,
    [table],
  );
  return {
    commits: new Map(
      cs.map((c) => [c.id as string, { seq: Number(c.seq), parent: c.parent, mergeParent: c.merge_parent, depth: Number(c.depth) }]),
    ),
    changes: ch.map((c) => ({
      commit: c.commit_id as string,
      key: c.key as string,
      before: c.before === null ? null : JSON.parse(c.before),
      after: c.after === null ? null : JSON.parse(c.after),
    })),
  };
}

/** Every commit a walk over first and merge parents reaches from `start`. */
function reach(g: Graph, start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const c = g.commits.get(id);
    if (c?.parent) todo.push(c.parent);
    if (c?.mergeParent) todo.push(c.mergeParent);
  }
  return seen;
}

function firstParentChain(g: Graph, start: string): Set<string> {
  const out = new Set<string>();
  for (let id: string | null = start; id; id = g.commits.get(id)?.parent ?? null) out.add(id);
  return out;
}

const bySeqDesc = (g: Graph) => (a: string, b: string) => (g.commits.get(b)?.seq ?? 0) - (g.commits.get(a)?.seq ?? 0);

/** Reference row history: the key's change rows whose commit HEAD reaches, newest first. */
function refRowHistory(g: Graph, head: string, key: string): string[] {
  const r = reach(g, head);
  return g.changes.filter((c) => c.key === key && r.has(c.commit)).map((c) => c.commit).sort(bySeqDesc(g));
}

/** Reference blame of one key: per column, the deepest first-parent change that set it. */
function refBlame(g: Graph, head: string, key: string): Record<string, string> {
  const chain = firstParentChain(g, head);
  const out: Record<string, { commit: string; depth: number }> = {};
  for (const c of g.changes) {
    if (c.key !== key || !c.after || !chain.has(c.commit)) continue;
    const depth = g.commits.get(c.commit)?.depth ?? -1;
    for (const col of Object.keys(c.after)) {
      if (c.before && c.before[col] === c.after[col]) continue;
      if (!out[col] || out[col].depth < depth) out[col] = { commit: c.commit, depth };
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.commit]));
}

async function headOf(repo: Repository, table: string): Promise<string> {
  return (await repo.tables()).find((t) => t.name === table)?.headCommit as string;
}

/** What vsg says, for one key: rowLog, vsg.row_history and blame. */
async function vsgViews(repo: Repository, table: string, key: string) {
  const spec = (JSON.parse(key) as { id: string }).id;
  const rowLog = (await repo.rowLog({ table, key: spec })).entries.map((e) => e.commit.id);
  const { rows } = await repo.db.query<{ commit_id: string }>(`SELECT commit_id FROM vsg.row_history($1::regclass, $2::jsonb)`, [table, key]);
  const live = await repo.db.query(`SELECT 1 FROM ${table} WHERE id = $1::int`, [spec]);
  let blame: Record<string, string | null> | null = null;
  if (live.rowCount) {
    const b = await repo.blame({ table, key: spec });
    blame = Object.fromEntries(b.rows[0].cells.filter((c) => c.commit !== null).map((c) => [c.column, c.commit]));
  }
  return { rowLog, sql: rows.map((r) => r.commit_id), blame };
}

/** Check every key of the table, and log from `starts`, against the reference. */
async function expectMatchesReference(repo: Repository, table: string, starts: string[] = []): Promise<void> {
  const g = await readGraph(repo, table);
  const head = await headOf(repo, table);
  for (const key of [...new Set(g.changes.map((c) => c.key))].sort()) {
    const want = refRowHistory(g, head, key);
    const got = await vsgViews(repo, table, key);
    expect(got.rowLog, `rowLog ${key}`).toEqual(want);
    expect(got.sql, `vsg.row_history ${key}`).toEqual(want);
    if (got.blame) expect(got.blame, `blame ${key}`).toEqual(refBlame(g, head, key));
  }
  for (const start of [head, ...starts]) {
    const all = [...reach(g, start)].sort(bySeqDesc(g));
    for (const limit of [1, 3, 10, undefined]) {
      const got = (await repo.log({ table, from: start, limit })).commits.map((c) => c.id);
      expect(got, `log from ${start.slice(0, 7)} -n ${limit}`).toEqual(all.slice(0, limit ?? all.length));
    }
    const seqs = [...g.commits.values()].map((c) => c.seq);
    const { rows } = await repo.db.query<{ s: string }>(
      `SELECT r::text AS s FROM vsg.reachable((SELECT seq FROM vsg.commits WHERE id = $1), $2::bigint[]) r ORDER BY r`,
      [start, seqs],
    );
    expect(rows.map((r) => Number(r.s)), `vsg.reachable from ${start.slice(0, 7)}`).toEqual(
      [...reach(g, start)].map((id) => g.commits.get(id)?.seq as number).sort((a, b) => a - b),
    );
  }
}

async function message(repo: Repository, ids: string[]): Promise<string[]> {
  const log = await repo.log({ table: 'acct' });
  const by = new Map(log.commits.map((c) => [c.id, c.message]));
  return ids.map((id) => by.get(id) ?? `(not in main's log) ${id.slice(0, 7)}`);
}

describe.each(targetNames())('row history over branches and merges on %s', (name) => {
  let t: Target;
  let repo: Repository;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE acct (id int PRIMARY KEY, name text, credit int)`);
    await repo.sql(`INSERT INTO acct VALUES (1, 'Ann', 10), (2, 'Bob', 20), (3, 'Cy', 30)`);
    await repo.track('acct', { author, message: 'track' });
    await repo.commit({ table: 'acct', author, message: 'main credit', sql: 'UPDATE acct SET credit = 11 WHERE id = 1' });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('a row changed on a branch that is not merged is not in main\'s row history, blame or log', async () => {
    await repo.switch({ table: 'acct', branch: 'side', create: true });
    await repo.commit({ table: 'acct', author, message: 'side name', sql: `UPDATE acct SET name = 'Annie' WHERE id = 1` });
    const side = await headOf(repo, 'acct');
    expect(await message(repo, (await repo.rowLog({ table: 'acct', key: '1' })).entries.map((e) => e.commit.id))).toEqual([
      'side name',
      'main credit',
      'track',
    ]);
    await repo.switch({ table: 'acct', branch: 'main' });
    await repo.commit({ table: 'acct', author, message: 'main cy', sql: `UPDATE acct SET credit = 31 WHERE id = 3` });
    const h = await repo.rowLog({ table: 'acct', key: '1' });
    expect(h.entries.map((e) => e.commit.message)).toEqual(['main credit', 'track']);
    const { rows } = await repo.db.query<{ message: string }>(`SELECT message FROM vsg.row_history('acct', '1')`);
    expect(rows.map((r) => r.message)).toEqual(['main credit', 'track']);
    const b = await repo.blame({ table: 'acct', key: '1' });
    expect(b.commits[b.rows[0].cells.find((c) => c.column === 'name')?.commit as string].message).toBe('track');
    expect((await repo.log({ table: 'acct' })).commits.map((c) => c.id)).not.toContain(side);
    await expectMatchesReference(repo, 'acct', [side]);
    // from another start (vsg log <commit> --row): the row's history as seen from there
    const from = async (start: string) => (await repo.rowLog({ table: 'acct', key: '1', from: start })).entries.map((e) => [e.commit.message, e.after?.name]);
    expect(await from('side')).toEqual([['side name', 'Annie'], ['main credit', 'Ann'], ['track', 'Ann']]);
    expect(await from(side)).toEqual(await from('side'));
    expect(await from('HEAD~1')).toEqual([['main credit', 'Ann'], ['track', 'Ann']]);
    expect(await from('HEAD~2')).toEqual([['track', 'Ann']]);
    expect(await from('HEAD')).toEqual(await from('main'));
    expect(await repo.rowLog({ table: 'acct', key: '1', from: 'nosuch' }).then(() => 'ok', (e: { code?: string }) => String(e.code))).toBe('E_UNKNOWN_REF');
  });

  it('after a merge, the row history lists the merged branch\'s commit and the merge, as before', async () => {
    const r = await repo.merge({ table: 'acct', ref: 'side', author, message: 'merge side' });
    expect(r.status).toBe('merged');
    const h = await repo.rowLog({ table: 'acct', key: '1' });
    expect(h.entries.map((e) => [e.commit.message, e.after?.name])).toEqual([
      ['merge side', 'Annie'],
      ['side name', 'Annie'],
      ['main credit', 'Ann'],
      ['track', 'Ann'],
    ]);
    // Blame follows the first-parent chain: the merge carries the change.
    const b = await repo.blame({ table: 'acct', key: '1' });
    expect(b.commits[b.rows[0].cells.find((c) => c.column === 'name')?.commit as string].message).toBe('merge side');
    await expectMatchesReference(repo, 'acct');
  });

  it('a fast-forward brings the branch\'s commits into the history', async () => {
    await repo.switch({ table: 'acct', branch: 'ff', create: true });
    await repo.commit({ table: 'acct', author, message: 'ff bob', sql: `UPDATE acct SET credit = 21 WHERE id = 2` });
    await repo.switch({ table: 'acct', branch: 'main' });
    expect((await repo.rowLog({ table: 'acct', key: '2' })).entries.map((e) => e.commit.message)).toEqual(['track']);
    expect((await repo.merge({ table: 'acct', ref: 'ff', author })).status).toBe('fast-forward');
    await repo.commit({ table: 'acct', author, message: 'after ff', sql: `UPDATE acct SET credit = 22 WHERE id = 2` });
    expect((await repo.rowLog({ table: 'acct', key: '2' })).entries.map((e) => e.commit.message)).toEqual(['after ff', 'ff bob', 'track']);
    await expectMatchesReference(repo, 'acct');
  });

  it('checkout and rollback commits are in the row history', async () => {
    await repo.checkout({ table: 'acct', ref: 'HEAD~2', author, message: 'back' });
    await repo.rollback({ table: 'acct', author, message: 'undo back' });
    const h = await repo.rowLog({ table: 'acct', key: '2' });
    expect(h.entries.map((e) => [e.commit.kind, e.after?.credit])).toEqual([
      ['ROLLBACK', '22'],
      ['CHECKOUT', '20'],
      ['COMMIT', '22'],
      ['COMMIT', '21'],
      ['ROOT', '20'],
    ]);
    // from the checkout (a state commit): its difference for the row, then what it reached
    expect((await repo.rowLog({ table: 'acct', key: '2', from: 'HEAD~1' })).entries.map((e) => [e.commit.kind, e.after?.credit])).toEqual(h.entries.slice(1).map((e) => [e.commit.kind, e.after?.credit]));
    await expectMatchesReference(repo, 'acct');
  });

  it('a commit missing from the graph (recorded while triggers were off) is reported, and the next commit adds it', async () => {
    const head = await headOf(repo, 'acct');
    await repo.db.query('DELETE FROM vsg.commit_graph WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)', [head]);
    const d = await repo.doctor();
    expect(d.checks.find((c) => c.name === 'graph')).toMatchObject({ status: 'fail', data: { missing: 1 } });
    await repo.commit({ table: 'acct', author, message: 'on top', sql: 'UPDATE acct SET credit = 23 WHERE id = 2' });
    expect((await repo.doctor()).checks.find((c) => c.name === 'graph')?.status).toBe('ok');
    expect((await repo.rowLog({ table: 'acct', key: '2' })).entries.map((e) => e.commit.kind)).toEqual(['COMMIT', 'ROLLBACK', 'CHECKOUT', 'COMMIT', 'COMMIT', 'ROOT']);
    await repo.db.query('DELETE FROM vsg.commit_graph WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)', [head]);
    const { rows } = await repo.db.query<{ n: string }>('SELECT vsg.commit_graph_fill()::text AS n');
    expect(rows[0].n).toBe('1');
    await expectMatchesReference(repo, 'acct');
  });

  it('a seeded random history of commits, branches, merges, checkouts and rollbacks agrees with the walk', async () => {
    await repo.sql(`CREATE TABLE prop (id int PRIMARY KEY, a int, b text)`);
    await repo.sql(`INSERT INTO prop SELECT g, g, 'b' || g FROM generate_series(1, 6) g`);
    await repo.track('prop', { author });
    const rnd = prng(20261124);
    const int = (n: number) => Math.floor(rnd() * n);
    const branches = ['main'];
    let current = 'main';
    const tips: string[] = [];
    const tolerate = async (p: Promise<unknown>, codes: string[]) => {
      try {
        await p;
      } catch (e) {
        if (!codes.includes((e as { code?: string }).code as string)) throw e;
      }
    };
    for (let i = 0; i < 80; i++) {
      const op = int(20);
      const k = 1 + int(8);
      if (op < 9) {
        const stmt = [
          `UPDATE prop SET a = a + 1 WHERE id = ${k}`,
          `UPDATE prop SET b = 'v${i}' WHERE id = ${k}`,
          `INSERT INTO prop VALUES (${k}, ${i}, 'n${i}') ON CONFLICT (id) DO UPDATE SET a = excluded.a`,
          `DELETE FROM prop WHERE id = ${k}`,
        ][int(4)];
        await tolerate(repo.commit({ table: 'prop', author, sql: stmt }), ['E_NOTHING_TO_COMMIT']);
      } else if (op < 12) {
        const b = `b${i}`;
        await repo.switch({ table: 'prop', branch: b, create: true });
        branches.push(b);
        current = b;
      } else if (op < 14) {
        current = branches[int(branches.length)];
        await repo.switch({ table: 'prop', branch: current });
      } else if (op < 19) {
        const other = branches[int(branches.length)];
        if (other !== current) {
          await tolerate(repo.merge({ table: 'prop', ref: other, author, strategy: 'theirs', noFf: rnd() < 0.7 }), ['E_CRISS_CROSS']);
        }
      } else if (rnd() < 0.5) {
        await tolerate(repo.rollback({ table: 'prop', author }), ['E_NOTHING_TO_ROLLBACK', 'E_ROLLBACK_CONFLICT']);
      } else {
        await tolerate(repo.checkout({ table: 'prop', ref: 'HEAD~2', author }), ['E_UNKNOWN_REF']);
      }
    }
    for (const b of branches) tips.push((await repo.branches({ table: 'prop' })).branches.find((x) => x.name === b)?.commit as string);
    const { rows } = await repo.db.query<{ n: string; m: string }>(
      `SELECT count(*)::text AS n, count(merge_parent)::text AS m FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id WHERE t.table_name = 'prop'`,
    );
    expect(Number(rows[0].n)).toBeGreaterThan(25);
    expect(Number(rows[0].m)).toBeGreaterThan(2);
    // Read from the branch that reaches most commits through merges, so that
    // both ways of being in the history occur, and commits outside it too.
    const g = await readGraph(repo, 'prop');
    const viaMerges = (tip: string) => reach(g, tip).size - firstParentChain(g, tip).size;
    const best = branches[tips.reduce((bi, tip, i) => (viaMerges(tip) > viaMerges(tips[bi]) ? i : bi), 0)];
    await repo.switch({ table: 'prop', branch: best });
    const head = await headOf(repo, 'prop');
    const reached = reach(g, head);
    expect(reached.size).toBeGreaterThan(firstParentChain(g, head).size);
    expect(reached.size).toBeLessThan(g.commits.size);
    await expectMatchesReference(repo, 'prop', tips);
  });
});
