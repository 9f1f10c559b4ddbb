/**
 * Ctrl-C (SIGINT) during a long `vsg commit`, through bin/vsg. On the server,
 * vsg cancels the statement (as psql does), waits for the rollback, says so
 * on one line and exits 130: no query of it is left running, nothing of the
 * commit is there, and the next commit is not blocked by it. The embedded
 * database runs inside the vsg process and cannot be cancelled mid-statement:
 * the signal ends the process at once, and the next command finds nothing of
 * the commit, takes over the lock and verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pause, until } from '../helpers/crash.js';
import { bin, makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

const ROWS = 20_000;

describe.each(targetNames())('SIGINT during a commit on %s', (name) => {
  let t: Target;
  let pause: Pause;
  const state = async () => {
    const r = await t.sql('SELECT (SELECT sum(v)::int FROM big) AS total, (SELECT count(*)::int FROM vsg.commits) AS commits, (SELECT count(*)::int FROM vsg.pending) AS pending');
    const row = r.rows[0] as Record<string, unknown>;
    return { total: Number(row.total), commits: Number(row.commits), pending: Number(row.pending) };
  };

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql(`CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL); INSERT INTO big SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
      await repo.track('big', { author: 'setup' });
    } finally {
      await repo.close();
    }
    pause = await Pause.install(t, 4250);
  });
  afterAll(() => t.cleanup());

  it('stops the commit, leaves nothing of it, and the next commit goes through at once', { timeout: 120_000 }, async () => {
    const before = await state();
    await pause.arm();
    // every row updated, then the statement waits in the pause until the signal
    const child = spawn(process.execPath, [bin, 'commit', '-t', 'big', '-m', 'interrupted', `UPDATE big SET v = v + 1; ${pause.sql}`], { cwd: t.cwd, env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.on('exit', (code, signal) => {
        exited = true;
        res({ code, signal });
      }),
    );
    let end: { code: number | null; signal: NodeJS.Signals | null };
    let waited: number;
    try {
      expect(await until(() => pause.reached(), () => exited), `the commit reached the pause: ${stderr}`).toBe(true);
      const t0 = Date.now();
      child.kill('SIGINT');
      end = await done;
      waited = Date.now() - t0;
      if (name === 'postgres') {
        // nothing of the interrupted session is left running while the test's lock still holds
        const active = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`);
        expect(active.rows[0].n).toBe(0);
      }
    } finally {
      await pause.release();
      if (!exited) child.kill('SIGKILL');
    }
    expect(stdout).toBe('');
    if (name === 'postgres') {
      expect(end).toEqual({ code: 130, signal: null });
      expect(stderr).toBe('vsg: interrupted; the transaction was rolled back\n');
      expect(waited).toBeLessThan(5_000);
    } else {
      // in-process: the signal ends vsg at once (a shell reports 130), its lock is left behind
      expect(end).toEqual({ code: null, signal: 'SIGINT' });
      expect(fs.readFileSync(path.join(t.cwd, '.vsg', 'lock'), 'utf8')).toBe(String(child.pid));
    }
    expect(await state()).toEqual(before);
    const t1 = Date.now();
    const next = await vsg(t, ['commit', '-t', 'big', 'UPDATE big SET v = 7 WHERE id = 1']);
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - t1).toBeLessThan(15_000);
    expect(await state()).toEqual({ total: 7, commits: before.commits + 1, pending: 0 });
    const verify = await vsg(t, ['verify', '--json']);
    expect(JSON.parse(verify.stdout).ok).toBe(true);
  });
});

// The server alone: the embedded database has one connection, and hashes a
// packed root after copying it, on that connection.
describe.each(targetNames().filter((n) => n === 'postgres'))('SIGINT during a track whose root is hashed on a second connection, on %s', (name) => {
  let t: Target;

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE wide (id int PRIMARY KEY, v text NOT NULL); INSERT INTO wide SELECT g, md5(g::text) FROM generate_series(1, 5000) g');
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('stops the hashing too: vsg exits at once, no statement of it is left running, nothing of the track is kept', { timeout: 120_000 }, async () => {
    // The second connection's statement (vsg.root_chunk_hashes) opens
    // vsg.root_chunks; holding it locked keeps that statement waiting, and the
    // track waiting for its chunks, until the signal.
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    let child: ChildProcess | undefined;
    let exited = false;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE vsg.root_chunks IN ACCESS EXCLUSIVE MODE');
      const held = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      // (read from another session: a transaction sees pg_stat_activity as it first read it)
      const waiting = async () =>
        Number((await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%root_chunk_hashes%'`)).rows[0].n) === 1;
      child = spawn(process.execPath, [bin, 'track', 'wide'], { cwd: t.cwd, env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
        child!.on('exit', (code, signal) => {
          exited = true;
          res({ code, signal });
        }),
      );
      expect(await until(waiting, () => exited), `the hashing waited on the lock: ${stderr}`).toBe(true);
      const t0 = Date.now();
      child.kill('SIGINT');
      const end = await Promise.race([done, new Promise<null>((res) => setTimeout(() => res(null), 10_000))]);
      expect(end, 'vsg exited within 10 s of the signal').toEqual({ code: 130, signal: null });
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(stderr).toBe('vsg: interrupted; the transaction was rolled back\n');
      expect(stdout).toBe('');
      // nothing of vsg's is left running: its hashing statement was cancelled, not left waiting
      const left = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), ${held}) AND state <> 'idle'`);
      expect(Number(left.rows[0].n)).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      if (child && !exited) child.kill('SIGKILL');
    }
    const tracked = await t.sql(`SELECT count(*)::int AS n FROM vsg.tracked`);
    expect(tracked.rows[0].n).toBe(0);
    const again = await vsg(t, ['track', 'wide']);
    expect(again.code, again.stderr).toBe(0);
    const verify = await vsg(t, ['verify', '--json']);
    expect(JSON.parse(verify.stdout).ok).toBe(true);
  });
});
