/**
 * Three-way merge end to end through bin/vsg, on the server and on PGlite.
 * Each scenario gets its own table with a 'feature' branch built through the
 * library API (fast), then merges with the CLI as a user would; the reads
 * that check a state (a table's HEAD, its status) and the commits that follow
 * a merge go through the library too.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

// PGlite pays ~1.5 s per CLI run (more on a loaded machine)
vi.setConfig({ testTimeout: 300_000 });

const AUTHOR = { author: 'tester' };

/**
 * A table `name` (id, a, b) holding rows 1..5 = ('x<id>', id), tracked, with
 * branch 'feature' from the root; `theirs` is committed on feature, `ours` on
 * main (one commit per statement); the live table is left on main.
 */
async function scenario(t: Target, name: string, ours: string[], theirs: string[]): Promise<void> {
  const repo = await t.open();
  try {
    await repo.sql(`CREATE TABLE ${name} (id int PRIMARY KEY, a text, b int)`);
    await repo.sql(`INSERT INTO ${name} SELECT g, 'x' || g, g FROM generate_series(1, 5) g`);
    await repo.track(name, AUTHOR);
    await repo.createBranch({ table: name, name: 'feature' });
    if (theirs.length) {
      await repo.switch({ table: name, branch: 'feature' });
      for (const s of theirs) await repo.commit({ table: name, sql: s, ...AUTHOR });
      await repo.switch({ table: name, branch: 'main' });
    }
    for (const s of ours) await repo.commit({ table: name, sql: s, ...AUTHOR });
  } finally {
    await repo.close();
  }
}

async function rows(t: Target, name: string): Promise<string[][]> {
  const r = await t.sql(`SELECT id::text, a, b::text FROM ${name} ORDER BY id`);
  return (r.rows as Record<string, string | null>[]).map((x) => [x.id as string, x.a as string, x.b as string]);
}

/** The table's HEAD commit, as `vsg log -t name -n 1 --json` lists it. */
async function headOf(t: Target, name: string): Promise<{ id: string; parents: string[]; kind: string }> {
  return withRepo(t, async (repo) => (await repo.log({ table: name, limit: 1 })).commits[0]);
}

const base = (): string[][] => [1, 2, 3, 4, 5].map((i) => [String(i), `x${i}`, String(i)]);

describe.each(targetNames())('merge on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await (await t.open({ init: true })).close();
  });
  afterAll(() => t.cleanup());

  it('fast-forwards when HEAD is an ancestor, without a new commit', async () => {
    await scenario(t, 'ff', [], ["UPDATE ff SET a = 'f' WHERE id = 1", 'DELETE FROM ff WHERE id = 2']);
    const r = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'ff', '--json']));
    expect(r.status).toBe('fast-forward');
    const expected = base().filter((x) => x[0] !== '2');
    expected[0][1] = 'f';
    expect(await rows(t, 'ff')).toEqual(expected);
    const head = await headOf(t, 'ff');
    expect(head.id).toBe(r.theirs);
    const st = await withRepo(t, (repo) => repo.status({ table: 'ff' }));
    expect(st[0]).toMatchObject({ branch: 'main', clean: true });
    // merging again: nothing to do
    const again = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'ff', '--json']));
    expect(again.status).toBe('up-to-date');
  });

  it('merges changes to disjoint rows cleanly with a two-parent MERGE commit', async () => {
    await scenario(t, 'disjoint', ["UPDATE disjoint SET a = 'm' WHERE id = 1", 'DELETE FROM disjoint WHERE id = 5'], [
      "UPDATE disjoint SET b = 20 WHERE id = 2",
      "INSERT INTO disjoint VALUES (6, 'new', 6)",
    ]);
    const out = await vsgOk(t, ['merge', 'feature', '-t', 'disjoint']);
    expect(out).toMatch(/\[main [0-9a-f]{7}\] Merge branch 'feature' into main/);
    expect(await rows(t, 'disjoint')).toEqual([
      ['1', 'm', '1'],
      ['2', 'x2', '20'],
      ['3', 'x3', '3'],
      ['4', 'x4', '4'],
      ['6', 'new', '6'],
    ]);
    const head = await headOf(t, 'disjoint');
    expect(head.kind).toBe('MERGE');
    expect(head.parents).toHaveLength(2);
  });

  it('merges changes to different cells of one row cleanly', async () => {
    await scenario(t, 'cells', ["UPDATE cells SET a = 'ours' WHERE id = 3"], ['UPDATE cells SET b = 33 WHERE id = 3']);
    await vsgOk(t, ['merge', 'feature', '-t', 'cells']);
    expect((await rows(t, 'cells'))[2]).toEqual(['3', 'ours', '33']);
  });

  it('stops on each kind of conflict, leaving table and branch untouched, exit 1', async () => {
    await scenario(
      t,
      'conf',
      ["UPDATE conf SET a = 'o1' WHERE id = 1", 'DELETE FROM conf WHERE id = 2', "UPDATE conf SET a = 'o3' WHERE id = 3", "INSERT INTO conf VALUES (9, 'o9', 9)", "UPDATE conf SET b = 40 WHERE id = 4"],
      ["UPDATE conf SET a = 't1' WHERE id = 1", "UPDATE conf SET b = 22 WHERE id = 2", 'DELETE FROM conf WHERE id = 3', "INSERT INTO conf VALUES (9, 't9', 9)", "UPDATE conf SET a = 'same' WHERE id = 5"],
    );
    const before = await rows(t, 'conf');
    const headBefore = await headOf(t, 'conf');
    const r = await vsg(t, ['merge', 'feature', '-t', 'conf', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/conflict/);
    const res = JSON.parse(r.stdout);
    expect(res.status).toBe('conflict');
    const kinds = res.conflicts.map((c: { key: { id: string }; column: string | null; kind: string }) => [c.key.id, c.column, c.kind]);
    expect(kinds).toEqual([
      ['1', 'a', 'update/update'],
      ['2', null, 'delete/update'],
      ['3', null, 'update/delete'],
      ['9', 'a', 'insert/insert'],
    ]);
    expect(res.conflicts[0]).toMatchObject({ base: 'x1', ours: 'o1', theirs: 't1' });
    expect(await rows(t, 'conf')).toEqual(before);
    expect((await headOf(t, 'conf')).id).toBe(headBefore.id);
    // the text form is a table of key, column, base, ours, theirs
    const list = await vsgOk(t, ['conflicts', '-t', 'conf']);
    expect(list).toMatch(/key.*column.*kind.*base.*ours.*theirs/);
    expect(list).toMatch(/id=1.*a.*update\/update.*x1.*o1.*t1/);
    // other write commands refuse while the merge is in progress
    const c = await vsg(t, ['commit', '-t', 'conf', "UPDATE conf SET a = 'z' WHERE id = 4", '--verbose']);
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/E_MERGE_IN_PROGRESS/);
    expect(c.stderr).toMatch(/hint: .*merge --continue/);
    // --continue refuses while conflicts remain
    const early = await vsg(t, ['merge', '--continue', '-t', 'conf', '--verbose']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/E_MERGE_UNRESOLVED/);
    // resolve one by one, then continue
    await vsgOk(t, ['resolve', '-t', 'conf', '1', 'a', '--theirs']);
    await vsgOk(t, ['resolve', '-t', 'conf', 'id=2', '--theirs']);
    await vsgOk(t, ['resolve', '-t', 'conf', '3', '--ours']);
    await vsgOk(t, ['resolve', '-t', 'conf', '9', '--value', 'mine']);
    const done = JSON.parse(await vsgOk(t, ['merge', '--continue', '-t', 'conf', '--json']));
    expect(done.status).toBe('merged');
    expect(await rows(t, 'conf')).toEqual([
      ['1', 't1', '1'],
      ['2', 'x2', '22'],
      ['3', 'o3', '3'],
      ['4', 'x4', '40'],
      ['5', 'same', '5'],
      ['9', 'mine', '9'],
    ]);
    const head = await headOf(t, 'conf');
    expect(head.parents).toEqual([headBefore.id, res.theirs]);
    // the table is writable again
    await withRepo(t, (repo) => repo.commit({ table: 'conf', sql: "UPDATE conf SET a = 'after' WHERE id = 4", ...AUTHOR }));
  });

  it('resolves every conflict with --strategy ours and --strategy theirs', async () => {
    const ours = ["UPDATE s_NAME SET a = 'o' WHERE id IN (1, 2)", 'DELETE FROM s_NAME WHERE id = 3'];
    const theirs = ["UPDATE s_NAME SET a = 't' WHERE id = 1", "UPDATE s_NAME SET b = 22 WHERE id = 2", "UPDATE s_NAME SET a = 't' WHERE id = 3"];
    for (const side of ['ours', 'theirs']) {
      const tbl = `s_${side}`;
      await scenario(t, tbl, ours.map((s) => s.replace('s_NAME', tbl)), theirs.map((s) => s.replace('s_NAME', tbl)));
      const r = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', tbl, '--strategy', side, '--json']));
      expect(r.status).toBe('merged');
      expect(r.conflicts).toHaveLength(2);
      expect(await rows(t, tbl)).toEqual(
        side === 'ours'
          ? [['1', 'o', '1'], ['2', 'o', '22'], ['4', 'x4', '4'], ['5', 'x5', '5']]
          : [['1', 't', '1'], ['2', 'o', '22'], ['3', 't', '3'], ['4', 'x4', '4'], ['5', 'x5', '5']],
      );
    }
  });

  it('--abort forgets the merge and leaves the table as it was', async () => {
    await scenario(t, 'ab', ["UPDATE ab SET a = 'o' WHERE id = 1"], ["UPDATE ab SET a = 't' WHERE id = 1"]);
    expect((await vsg(t, ['merge', 'feature', '-t', 'ab'])).code).toBe(1);
    await vsgOk(t, ['merge', '--abort', '-t', 'ab']);
    expect((await rows(t, 'ab'))[0]).toEqual(['1', 'o', '1']);
    const none = await vsg(t, ['conflicts', '-t', 'ab', '--verbose']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/E_NO_MERGE/);
    await withRepo(t, (repo) => repo.commit({ table: 'ab', sql: 'UPDATE ab SET b = 0 WHERE id = 1', ...AUTHOR }));
  });

  it('merges a branch twice: the second merge starts from the first', async () => {
    await scenario(t, 'twice', ["UPDATE twice SET a = 'm' WHERE id = 1"], ["UPDATE twice SET b = 10 WHERE id = 1"]);
    await withRepo(t, (repo) => repo.merge({ table: 'twice', ref: 'feature', ...AUTHOR }));
    const repo = await t.open();
    try {
      await repo.switch({ table: 'twice', branch: 'feature' });
      // feature changes row 1 again: its old change must not conflict with itself
      await repo.commit({ table: 'twice', sql: 'UPDATE twice SET b = 11 WHERE id = 1', ...AUTHOR });
      await repo.commit({ table: 'twice', sql: "INSERT INTO twice VALUES (7, 'f', 7)", ...AUTHOR });
      await repo.switch({ table: 'twice', branch: 'main' });
    } finally {
      await repo.close();
    }
    const r = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'twice', '--json']));
    expect(r.status).toBe('merged');
    expect(r.conflicts).toEqual([]);
    const all = await rows(t, 'twice');
    expect(all[0]).toEqual(['1', 'm', '11']);
    expect(all[all.length - 1]).toEqual(['7', 'f', '7']);
  });

  /** main and feature each merge the other's tip (criss-cross): two best merge bases. */
  async function crissCross(table: string, ours: string, theirs: string, opts: { mainKeeps?: 'ours'; featureKeeps?: 'ours' } = {}): Promise<void> {
    await scenario(t, table, [ours], [theirs]);
    const repo = await t.open();
    try {
      const mainTip = (await repo.branches({ table })).branches.find((b) => b.name === 'main')?.commit as string;
      await repo.merge({ table, ref: 'feature', strategy: opts.mainKeeps, ...AUTHOR });
      await repo.switch({ table, branch: 'feature' });
      await repo.merge({ table, ref: mainTip, strategy: opts.featureKeeps, ...AUTHOR });
      await repo.commit({ table, sql: `UPDATE ${table} SET b = 30 WHERE id = 3`, ...AUTHOR });
      await repo.switch({ table, branch: 'main' });
      await repo.commit({ table, sql: `UPDATE ${table} SET b = 40 WHERE id = 4`, ...AUTHOR });
    } finally {
      await repo.close();
    }
  }

  it('merges a criss-cross history through a virtual merge base', async () => {
    await crissCross('cc', "UPDATE cc SET a = 'm1' WHERE id = 1", "UPDATE cc SET a = 'f1' WHERE id = 2");
    const r = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'cc', '--json']));
    expect(r.status).toBe('merged');
    expect(r.bases).toHaveLength(2);
    expect(await rows(t, 'cc')).toEqual([
      ['1', 'm1', '1'],
      ['2', 'f1', '2'],
      ['3', 'x3', '30'],
      ['4', 'x4', '40'],
      ['5', 'x5', '5'],
    ]);
  });

  it('in a criss-cross, a cell the two sides settled differently conflicts', async () => {
    // both change row 1; main keeps its value, feature keeps its own
    await crissCross('cc2', "UPDATE cc2 SET a = 'm' WHERE id = 1", "UPDATE cc2 SET a = 'f' WHERE id = 1", { mainKeeps: 'ours', featureKeeps: 'ours' });
    const r = await vsg(t, ['merge', 'feature', '-t', 'cc2', '--json']);
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout);
    expect(res.conflicts).toHaveLength(1);
    expect(res.conflicts[0]).toMatchObject({ key: { id: '1' }, column: 'a', ours: 'm', theirs: 'f' });
    await withRepo(t, (repo) => repo.mergeAbort({ table: 'cc2' }));
  });

  it('refuses to merge into a table with uncommitted changes', async () => {
    await scenario(t, 'dirty', [], ["UPDATE dirty SET a = 't' WHERE id = 1"]);
    await t.sql("UPDATE dirty SET a = 'local' WHERE id = 2");
    const r = await vsg(t, ['merge', 'feature', '-t', 'dirty', '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_UNCOMMITTED/);
  });
});
