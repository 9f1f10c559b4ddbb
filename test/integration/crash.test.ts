/**
 * Crash safety: bin/vsg killed with SIGKILL in the middle of an operation
 * leaves the whole operation or nothing (table, commits, refs, pending
 * changes, merge state), and the chain verifies afterwards (through the
 * library: what `vsg verify` runs and prints; the next bin/vsg run after a
 * kill is the `vsg status` that must open the database).
 *
 * On the server the kill points are held open in a test-only function (in the
 * user's SQL, or in a trigger on the user table or on vsg's own tables) while
 * another connection watches for the session waiting there. PGlite runs
 * inside the killed process itself, so there the paused trigger first writes
 * a marker file into the data directory (server-side COPY) for the test to
 * see; killing the process is then the crash, and the next command must open
 * the data directory and take over the dead process's lock file. A real
 * server crash (`pg_ctl stop -m immediate`) is in server-crash.test.ts, on a
 * private cluster.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseRows, Pause, scenario, tableState, until, type Row, type TableState } from '../helpers/crash.js';
import { bin, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

const hasServer = targetNames().includes('postgres');

interface State {
  rows: string;
  commits: string[];
  refs: string;
  pending: number;
}

describe.skipIf(!hasServer)('killed vsg processes on postgres (server only: kill points need a second session)', () => {
  let t: Target;

  async function state(): Promise<State> {
    const rows = await t.sql(`SELECT coalesce(string_agg(format('%s=%s', id, v), ',' ORDER BY id), '') AS s FROM stock`);
    const commits = await t.sql('SELECT id FROM vsg.commits ORDER BY seq');
    const refs = await t.sql(`SELECT string_agg(format('%s:%s', name, commit_id), ',' ORDER BY name) AS s FROM vsg.refs`);
    const pending = await t.sql('SELECT count(*)::int AS n FROM vsg.pending');
    return { rows: rows.rows[0].s, commits: commits.rows.map((r: { id: string }) => r.id), refs: refs.rows[0].s, pending: pending.rows[0].n };
  }

  /** Wait until no other session of this database is left (the killed one's backend has ended). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const r = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
      if (r.rows[0].n === 0) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the killed session never ended');
  }

  /**
   * Start bin/vsg, SIGKILL it after `ms` (or once its session sleeps in pg_sleep),
   * and wait until its backend is gone. Returns whether the pause was reached.
   */
  async function killDuring(args: string[], opts: { ms?: number; sleeping?: boolean }): Promise<boolean> {
    const child = spawn(process.execPath, [bin, ...args], { cwd: t.cwd, env: t.env, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    let reached = false;
    if (opts.sleeping) {
      for (let i = 0; i < 300 && !reached; i++) {
        const r = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event = 'PgSleep'`);
        reached = r.rows[0].n > 0;
        if (!reached) await new Promise((res) => setTimeout(res, 50));
      }
    } else {
      await new Promise((res) => setTimeout(res, opts.ms ?? 0));
    }
    child.kill('SIGKILL');
    const code = await exited;
    await settle();
    return opts.sleeping ? reached && code === null : true;
  }

  async function expectVerified(): Promise<void> {
    expect((await withRepo(t, (repo) => repo.verify())).ok).toBe(true);
  }

  beforeAll(async () => {
    t = await makeTarget('postgres');
    const repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE stock (id int PRIMARY KEY, v int NOT NULL)');
    await repo.sql('INSERT INTO stock SELECT g, 0 FROM generate_series(1, 5) g');
    await repo.track('stock', { author: 'setup' });
    await repo.commit({ table: 'stock', author: 'setup', sql: 'UPDATE stock SET v = 1 WHERE id = 1' });
    await repo.close();
    // test-only pause: a trigger calling it holds an operation open at a chosen step
    await t.sql(`CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1.5); RETURN NULL; END $$`);
  });
  afterAll(() => t.cleanup());

  it('a commit killed inside the user SQL leaves nothing behind', async () => {
    const before = await state();
    expect(await killDuring(['commit', '-t', 'stock', 'UPDATE stock SET v = 99; SELECT pg_sleep(1.5)'], { sleeping: true })).toBe(true);
    expect(await state()).toEqual(before);
    await expectVerified();
  });

  it('a commit killed after its commit row, while moving the branch, leaves nothing behind', async () => {
    await t.sql('CREATE TRIGGER slow_ref AFTER UPDATE ON vsg.refs FOR EACH STATEMENT EXECUTE FUNCTION public.slow()');
    try {
      const before = await state();
      expect(await killDuring(['commit', '-t', 'stock', '-m', 'killed', 'UPDATE stock SET v = 42 WHERE id = 2'], { sleeping: true })).toBe(true);
      expect(await state()).toEqual(before);
      await expectVerified();
    } finally {
      await t.sql('DROP TRIGGER slow_ref ON vsg.refs');
    }
  });

  it('a session ended by the server mid-commit (as in a server crash) changes nothing and exits 5', async () => {
    await t.sql('CREATE TRIGGER slow_ref AFTER UPDATE ON vsg.refs FOR EACH STATEMENT EXECUTE FUNCTION public.slow()');
    try {
      const before = await state();
      const run = vsg(t, ['--verbose', 'commit', '-t', 'stock', '-m', 'cut off', 'UPDATE stock SET v = 5 WHERE id = 4']);
      let cut = false;
      for (let i = 0; i < 300 && !cut; i++) {
        const r = await t.sql(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event = 'PgSleep'`);
        cut = r.rows[0].n > 0;
        if (!cut) await new Promise((res) => setTimeout(res, 50));
      }
      expect(cut).toBe(true);
      const r = await run;
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('code: E_CONNECTION_LOST');
      await settle();
      expect(await state()).toEqual(before);
      await expectVerified();
    } finally {
      await t.sql('DROP TRIGGER slow_ref ON vsg.refs');
    }
  });

  it('rollback, checkout and restore killed midway leave all or nothing', async () => {
    // a pause in every statement that writes the table: the kill lands while vsg rewrites rows
    await t.sql('CREATE TRIGGER slow_rows AFTER INSERT OR UPDATE OR DELETE ON stock FOR EACH STATEMENT EXECUTE FUNCTION public.slow()');
    try {
      for (const args of [
        ['rollback', 'HEAD', '-t', 'stock'],
        ['checkout', 'HEAD~1', '-t', 'stock', '--force'],
      ]) {
        const before = await state();
        expect(await killDuring(args, { sleeping: true }), `${args[0]} reached the pause`).toBe(true);
        expect(await state(), args[0]).toEqual(before);
      }
      await t.sql('UPDATE stock SET v = 7 WHERE id = 5');
      await settle();
      const dirty = await state();
      expect(await killDuring(['restore', '-t', 'stock'], { sleeping: true }), 'restore reached the pause').toBe(true);
      expect(await state(), 'restore').toEqual(dirty);
      await expectVerified();
    } finally {
      await t.sql('DROP TRIGGER slow_rows ON stock');
      await withRepo(t, (repo) => repo.restore({ table: 'stock' })); // discard the uncommitted change made above
    }
  });

  it('a commit killed at random moments is always all or nothing', { timeout: 180_000 }, async () => {
    for (const ms of [150, 350, 500, 650, 800, 1000]) {
      const before = await state();
      await killDuring(['commit', '-t', 'stock', '-m', `kill at ${ms}`, `UPDATE stock SET v = v + 1 WHERE id = 3`], { ms });
      const after = await state();
      if (after.commits.length === before.commits.length) {
        expect(after, `killed at ${ms} ms: nothing`).toEqual(before);
      } else {
        // the whole commit: one new commit, the branch on it, the row changed, nothing pending
        expect(after.commits.slice(0, -1)).toEqual(before.commits);
        const head = after.commits[after.commits.length - 1];
        expect(after.refs).toBe(`main:${head}`);
        expect(after.rows).not.toBe(before.rows);
        expect(after.pending).toBe(0);
      }
    }
    await expectVerified();
  });
});

describe.each(targetNames())('killed vsg merge (and the other writes) on %s', (name) => {
  let t: Target;
  let pause: Pause;
  const lockFile = () => path.join(t.cwd, '.vsg', 'lock');
  const state = (table: string) => tableState((text) => t.sql(text), table);
  const hold = (on: string, events?: string) => pause.at(on, events);
  const release = (on: string) => pause.remove(on);

  /**
   * Start `vsg args`, SIGKILL it once it waits in the pause, and wait until
   * nothing of it is left running. On PGlite, the dead process's lock file
   * is left behind.
   */
  async function killDuring(args: string[]): Promise<void> {
    await pause.arm();
    const child = spawn(process.execPath, [bin, ...args], { cwd: t.cwd, env: t.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    const gone = new Promise<void>((res) => child.on('exit', () => res(void (exited = true))));
    let reached = false;
    try {
      reached = await until(() => pause.reached(), () => exited);
      child.kill('SIGKILL');
      await gone;
    } finally {
      await pause.release();
    }
    if (name === 'postgres') {
      // the killed session's backend wakes, finds its client gone and rolls back
      await until(async () => {
        const r = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
        return r.rows[0].n === 0;
      }, () => false);
    }
    if (!reached) throw new Error(`vsg ${args.join(' ')} exited before reaching the pause:\n${stderr}`);
    if (name === 'pglite') expect(fs.readFileSync(lockFile(), 'utf8'), 'the killed process left its lock').toBe(String(child.pid));
  }

  /**
   * After a kill: the next command opens the database (on PGlite taking the
   * dead process's lock over, and releasing it), verify passes, status
   * reports what the tables hold.
   */
  async function expectRecovered(table: string, s: TableState): Promise<void> {
    const [st] = JSON.parse(await vsgOk(t, ['status', '-t', table, '--json']));
    expect(st).toMatchObject({ table, branch: s.head, head: s.headCommit, clean: s.pending === 0 });
    expect(st.merging === null).toBe(s.merge === null);
    if (name === 'pglite') expect(fs.existsSync(lockFile()), 'lock released').toBe(false);
    expect((await withRepo(t, (repo) => repo.verify())).ok).toBe(true);
  }

  /** Build a scenario table through the library (fast on both targets); `paused`: with the pause in its writes. */
  async function setup(table: string, ours: string[], theirs: string[], paused = false): Promise<TableState> {
    const repo = await t.open();
    try {
      await scenario(repo, table, ours, theirs, paused);
    } finally {
      await repo.close();
    }
    return state(table);
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    await (await t.open({ init: true })).close();
    pause = await Pause.install(t, 4243);
  });
  afterAll(() => t.cleanup());

  it('a clean merge killed in its write-back leaves nothing; a retry merges', { timeout: 180_000 }, async () => {
    const before = await setup('m_wb', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ['UPDATE NAME SET b = 20 WHERE id = 2', 'DELETE FROM NAME WHERE id = 5'], true);
    await killDuring(['merge', 'feature', '-t', 'm_wb']);
    expect(await state('m_wb')).toEqual(before);
    await expectRecovered('m_wb', before);
    const r = JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'm_wb', '--json']));
    expect(r.status).toBe('merged');
    const after = await state('m_wb');
    expect(after.rows).toEqual([{ id: 1, a: 'ours', b: 1 }, { id: 2, a: 'x2', b: 20 }, ...baseRows().slice(2, 4)]);
    expect(after.commits.slice(0, -1)).toEqual(before.commits);
    expect(after.refs).toContain(`main:${r.commit.id}`);
    await expectRecovered('m_wb', after);
  });

  it('a merge killed after its merge commit, while the branch moves, leaves nothing; so does a fast-forward killed in its write-back', { timeout: 180_000 }, async () => {
    const before = await setup('m_ref', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ['UPDATE NAME SET b = 20 WHERE id = 2']);
    await hold('vsg.refs', 'UPDATE');
    try {
      await killDuring(['merge', 'feature', '-t', 'm_ref']);
    } finally {
      await release('vsg.refs');
    }
    expect(await state('m_ref')).toEqual(before);
    await expectRecovered('m_ref', before);

    const ff = await setup('m_ff', [], ["UPDATE NAME SET a = 'f' WHERE id = 3", "INSERT INTO NAME VALUES (6, 'n', 6)"], true);
    await killDuring(['merge', 'feature', '-t', 'm_ff']);
    expect(await state('m_ff')).toEqual(ff);
    await expectRecovered('m_ff', ff);
    expect(JSON.parse(await vsgOk(t, ['merge', 'feature', '-t', 'm_ff', '--json'])).status).toBe('fast-forward');
    const rows: Row[] = [...baseRows().map((r) => (r.id === 3 ? { ...r, a: 'f' } : r)), { id: 6, a: 'n', b: 6 }];
    expect((await state('m_ff')).rows).toEqual(rows);
  });

  it('a conflicted merge killed after recording its conflicts leaves no merge in progress; a retry records them and --abort forgets them', { timeout: 180_000 }, async () => {
    const before = await setup('m_conf', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ["UPDATE NAME SET a = 'theirs' WHERE id = 1"]);
    await hold('vsg.merge_conflicts', 'INSERT');
    try {
      await killDuring(['merge', 'feature', '-t', 'm_conf']);
    } finally {
      await release('vsg.merge_conflicts');
    }
    expect(await state('m_conf')).toEqual(before);
    await expectRecovered('m_conf', before);
    const none = await vsg(t, ['merge', '--abort', '-t', 'm_conf', '--verbose']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('E_NO_MERGE');
    expect((await vsg(t, ['merge', 'feature', '-t', 'm_conf'])).code).toBe(1);
    const merging = await state('m_conf');
    expect(merging.conflicts).toContain('update/update');
    expect({ ...merging, merge: null, conflicts: null }).toEqual(before);
    await vsgOk(t, ['merge', '--abort', '-t', 'm_conf']);
    expect(await state('m_conf')).toEqual(before);
  });

  it('with a conflict recorded, resolve and merge --continue killed midway keep the merge as it was; a retry finishes it', { timeout: 240_000 }, async () => {
    await setup('m_cont', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ["UPDATE NAME SET a = 'theirs' WHERE id = 1", 'UPDATE NAME SET b = 30 WHERE id = 3'], true);
    expect((await vsg(t, ['merge', 'feature', '-t', 'm_cont'])).code).toBe(1);
    const open = await state('m_cont');
    expect(open.conflicts).toContain('"resolved": false');
    await hold('vsg.merge_conflicts', 'UPDATE');
    try {
      await killDuring(['resolve', '-t', 'm_cont', '1', 'a', '--theirs']);
    } finally {
      await release('vsg.merge_conflicts');
    }
    expect(await state('m_cont')).toEqual(open);
    await vsgOk(t, ['resolve', '-t', 'm_cont', '1', 'a', '--theirs']);
    const resolved = await state('m_cont');
    expect(resolved.conflicts).toContain('"resolved": true');
    await killDuring(['merge', '--continue', '-t', 'm_cont']);
    expect(await state('m_cont')).toEqual(resolved);
    await expectRecovered('m_cont', resolved);
    expect(JSON.parse(await vsgOk(t, ['merge', '--continue', '-t', 'm_cont', '--json'])).status).toBe('merged');
    const after = await state('m_cont');
    expect(after).toMatchObject({ merge: null, conflicts: null, pending: 0 });
    expect(after.rows).toEqual([{ id: 1, a: 'theirs', b: 1 }, { id: 2, a: 'x2', b: 2 }, { id: 3, a: 'x3', b: 30 }, ...baseRows().slice(3)]);
    await expectRecovered('m_cont', after);
  });

  it('commit, checkout, rollback and restore killed in their write-back leave nothing', { timeout: 240_000 }, async () => {
    const before = await setup('ops', ["UPDATE NAME SET a = 'm' WHERE id = 1", 'DELETE FROM NAME WHERE id = 2'], [], true);
    for (const args of [
      ['commit', '-t', 'ops', 'UPDATE ops SET b = 0'],
      ['checkout', 'HEAD~2', '-t', 'ops'],
      ['rollback', 'HEAD', '-t', 'ops'],
    ]) {
      await killDuring(args);
      expect(await state('ops'), args[0]).toEqual(before);
    }
    await t.sql("UPDATE ops SET a = 'dirty' WHERE id = 3");
    const dirty = await state('ops');
    await killDuring(['restore', '-t', 'ops']);
    expect(await state('ops'), 'restore').toEqual(dirty);
    await expectRecovered('ops', dirty);
  });

  // The server's version is above; here the kill may also land while PGlite starts or shuts down
  // (PGlite runs inside the killed process), so this one exists for PGlite only.
  if (name === 'pglite')
    it('a commit killed at moments spread over its run (start, transaction, shutdown) is always all or nothing', { timeout: 300_000 }, async () => {
    await setup('rnd', [], []);
    // one commit's run time spreads the kill moments over a run (no assertion on it)
    const t0 = Date.now();
    await vsgOk(t, ['commit', '-t', 'rnd', 'UPDATE rnd SET b = b + 1 WHERE id = 3']);
    const span = Date.now() - t0;
    for (const f of [0.2, 0.4, 0.6, 0.75, 0.9, 1.0]) {
      const before = await state('rnd');
      const child = spawn(process.execPath, [bin, 'commit', '-t', 'rnd', 'UPDATE rnd SET b = b + 1 WHERE id = 3'], { cwd: t.cwd, env: t.env, stdio: 'ignore' });
      const gone = new Promise((res) => child.on('exit', res));
      await new Promise((res) => setTimeout(res, Math.round(f * span)));
      child.kill('SIGKILL');
      await gone;
      // the next command opens the data directory, taking over a lock the kill may have left
      expect(JSON.parse(await vsgOk(t, ['verify', '--json'])).ok, `killed at ${f} of a run`).toBe(true);
      const after = await state('rnd');
      const b3 = (s: TableState) => s.rows.find((r) => r.id === 3)?.b;
      if (after.commits.length === before.commits.length) {
        expect(after, `killed at ${f} of a run: nothing`).toEqual(before);
      } else {
        expect(after.commits.slice(0, -1), `killed at ${f} of a run: the whole commit`).toEqual(before.commits);
        expect(after).toMatchObject({ headCommit: after.commits[after.commits.length - 1], pending: 0 });
        expect(b3(after)).toBe((b3(before) as number) + 1);
      }
    }
  });
});
