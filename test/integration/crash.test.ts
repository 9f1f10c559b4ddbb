/**
 * Crash safety: bin/vsg killed with SIGKILL in the middle of an operation
 * leaves the whole operation or nothing (table, commits, refs, pending
 * changes), and `vsg verify` passes afterwards.
 *
 * Server only: the kill points are held open with pg_sleep (in the user's SQL,
 * or in a test-only trigger on vsg.refs / the user table) while another
 * connection watches; PGlite runs inside the killed process itself, so there
 * is no second session to inject the pause or observe the aftermath, and a
 * killed PGlite process is covered by the lock-file tests of the embedded
 * database. Stopping the shared server (`pg_ctl stop -m immediate`) is not
 * done here: the server is shared with other suites; ending vsg's session from
 * the server side (pg_terminate_backend) stands in for it.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

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
    const r = JSON.parse(await vsgOk(t, ['verify', '--json']));
    expect(r.ok).toBe(true);
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
      await vsgOk(t, ['restore', '-t', 'stock']); // discard the uncommitted change made above
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
