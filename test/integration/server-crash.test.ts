/**
 * A real server crash: a private PostgreSQL cluster (never the shared server
 * of the other suites) is stopped with `pg_ctl stop -m immediate` while a
 * vsg command is inside its transaction, then started again (crash recovery
 * replays WAL). For commit, checkout, restore, rollback and merge: vsg exits 5
 * with a connection error; table, commits, refs, pending changes and merge
 * state are exactly as before; `vsg verify` and `vsg status` are sound; the
 * same command run again succeeds. And a commit acknowledged just before the
 * crash survives it.
 *
 * Where the stop lands is deterministic, not timed: the test holds a session
 * advisory lock; the operation blocks on it (pg_advisory_xact_lock in the
 * user's SQL, or in a test trigger on the table or on vsg's own tables) and
 * the server is stopped once pg_stat_activity shows it waiting there.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { Cluster, clusterSupport } from '../helpers/cluster.js';
import { baseRows, scenario, tableState, type Row, type TableState } from '../helpers/crash.js';
import { bin, vsg, vsgOk, type RunResult } from '../helpers/targets.js';

const support = clusterSupport();
if ('reason' in support) process.stderr.write(`vsg tests: cannot run a private PostgreSQL cluster (${support.reason}); the server-crash tests are skipped\n`);

/** The advisory lock key the paused operation waits on. */
const HOLD = 4242;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf('reason' in support)('a server stopped with pg_ctl stop -m immediate mid-operation (private cluster)', () => {
  let cluster: Cluster;
  let url: string;
  let w: { cwd: string; env: NodeJS.ProcessEnv };

  /** SQL on a fresh connection: the server restarts between tests, so nothing is kept open. */
  async function q(text: string, params?: unknown[]): Promise<pg.QueryResult> {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return await c.query(text, params);
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  const state = (name: string) => tableState(q, name);

  async function withRepo<T>(fn: (repo: Repository) => Promise<T>): Promise<T> {
    const repo = await openRepository({ url });
    try {
      return await fn(repo);
    } finally {
      await repo.close();
    }
  }

  /**
   * Run `vsg args`; once its session waits on the HOLD lock, crash the server
   * with `pg_ctl stop -m immediate`; wait for vsg to exit; start the server.
   */
  async function stopDuring(args: string[]): Promise<RunResult> {
    const holder = new pg.Client({ connectionString: url });
    holder.on('error', () => undefined); // the crash ends this session too
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [HOLD]);
    let finished = false;
    const run = vsg(w, ['--verbose', ...args]).finally(() => (finished = true));
    let held = false;
    while (!held && !finished) {
      const r = await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'advisory' AND pid <> pg_backend_pid()`);
      held = r.rows[0].n > 0;
      if (!held) await sleep(25);
    }
    if (held) cluster.stop('immediate');
    const r = await run;
    await holder.end().catch(() => undefined);
    if (!held) throw new Error(`vsg ${args.join(' ')} ended before reaching the pause: exit ${r.code}\n${r.stderr}`);
    cluster.start();
    return r;
  }

  function expectConnectionLost(r: RunResult): void {
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^error: lost the connection to the database: /m);
    expect(r.stderr).toContain('code: E_CONNECTION_LOST');
    expect(r.stderr).not.toMatch(/this is a bug/);
  }

  /** verify passes and status reports the state read from the tables. */
  async function expectSound(name: string, s: TableState): Promise<void> {
    const v = JSON.parse(await vsgOk(w, ['verify', '--json']));
    expect(v.ok).toBe(true);
    const [st] = JSON.parse(await vsgOk(w, ['status', '-t', name, '--json']));
    expect(st).toMatchObject({ table: name, branch: s.head, head: s.headCommit, clean: s.pending === 0 });
    expect(st.merging === null).toBe(s.merge === null);
  }

  async function hold(on: string, events = 'INSERT OR UPDATE OR DELETE'): Promise<void> {
    await q(`CREATE TRIGGER zz_hold AFTER ${events} ON ${on} FOR EACH STATEMENT EXECUTE FUNCTION public.hold()`);
  }
  const release = (on: string) => q(`DROP TRIGGER zz_hold ON ${on}`);

  beforeAll(async () => {
    if ('reason' in support) return;
    cluster = await Cluster.create(support.runner);
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE crash');
    await admin.end();
    url = cluster.url('crash');
    const cwd = path.join(cluster.dir, 'work');
    fs.mkdirSync(cwd);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', VSG_AUTHOR: 'tester', PAGER: 'cat', VSG_DATABASE_URL: url };
    delete env.FORCE_COLOR;
    w = { cwd, env };
    await (await openRepository({ url, init: true })).close();
    // The pause: a trigger calling it (named zz_ so it fires after vsg's capture triggers) blocks on HOLD.
    await q(`CREATE FUNCTION public.hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock(${HOLD}); RETURN NULL; END $$`);
  });
  afterAll(() => cluster?.destroy());

  it('commit: stopped inside the user SQL (rows changed and captured, no commit row yet) leaves nothing; a retry commits', async () => {
    await withRepo((repo) => scenario(repo, 'c_sql'));
    const before = await state('c_sql');
    expectConnectionLost(await stopDuring(['commit', '-t', 'c_sql', `UPDATE c_sql SET b = b + 100; SELECT pg_advisory_xact_lock(${HOLD})`]));
    expect(await state('c_sql')).toEqual(before);
    await expectSound('c_sql', before);
    await vsgOk(w, ['commit', '-t', 'c_sql', 'UPDATE c_sql SET b = b + 100']);
    const after = await state('c_sql');
    expect(after.rows).toEqual(baseRows().map((r) => ({ ...r, b: (r.b as number) + 100 })));
    expect(after.commits.slice(0, -1)).toEqual(before.commits);
    await expectSound('c_sql', after);
  });

  it('commit: stopped while the branch moves (commit row written, the last statement before COMMIT) leaves nothing', async () => {
    await withRepo((repo) => scenario(repo, 'c_ref'));
    const before = await state('c_ref');
    await hold('vsg.refs', 'UPDATE');
    try {
      expectConnectionLost(await stopDuring(['commit', '-t', 'c_ref', '-m', 'cut off', 'DELETE FROM c_ref WHERE id = 5']));
    } finally {
      await release('vsg.refs');
    }
    expect(await state('c_ref')).toEqual(before);
    await expectSound('c_ref', before);
    await vsgOk(w, ['commit', '-t', 'c_ref', '-m', 'again', 'DELETE FROM c_ref WHERE id = 5']);
    const after = await state('c_ref');
    expect(after.rows).toEqual(baseRows().slice(0, 4));
    expect(after.commits).toHaveLength(before.commits.length + 1);
    await expectSound('c_ref', after);
  });

  /** For checkout, rollback, restore and merge: the pause is in the write-back, after its first statement changed rows. */
  it.each([
    ['checkout', ['checkout', 'HEAD~3']],
    ['rollback', ['rollback', 'HEAD~1']],
  ])('%s: stopped in the write-back leaves nothing; a retry succeeds', async (verb, args) => {
    const name = `t_${verb}`;
    await withRepo((repo) => scenario(repo, name, ["UPDATE NAME SET a = 'm' WHERE id = 1", 'DELETE FROM NAME WHERE id = 2', "INSERT INTO NAME VALUES (6, 'n', 6)"]));
    const before = await state(name);
    await hold(name);
    try {
      expectConnectionLost(await stopDuring([...args, '-t', name]));
    } finally {
      await release(name);
    }
    expect(await state(name)).toEqual(before);
    await expectSound(name, before);
    await vsgOk(w, [...args, '-t', name]);
    const after = await state(name);
    const expected: Row[] =
      verb === 'checkout' ? baseRows() : [{ id: 1, a: 'm', b: 1 }, ...baseRows().slice(1), { id: 6, a: 'n', b: 6 }];
    expect(after.rows).toEqual(expected);
    expect(after.commits.slice(0, -1)).toEqual(before.commits);
    await expectSound(name, after);
  });

  it('restore: stopped in the write-back keeps the uncommitted changes; a retry discards them', async () => {
    await withRepo((repo) => scenario(repo, 't_restore'));
    await q("UPDATE t_restore SET a = 'dirty' WHERE id IN (1, 2); DELETE FROM t_restore WHERE id = 3");
    const before = await state('t_restore');
    expect(before.pending).toBeGreaterThan(0);
    await hold('t_restore');
    try {
      expectConnectionLost(await stopDuring(['restore', '-t', 't_restore']));
    } finally {
      await release('t_restore');
    }
    expect(await state('t_restore')).toEqual(before);
    await expectSound('t_restore', before);
    await vsgOk(w, ['restore', '-t', 't_restore']);
    const after = await state('t_restore');
    expect(after).toMatchObject({ rows: baseRows(), commits: before.commits, pending: 0 });
    await expectSound('t_restore', after);
  });

  it('merge: stopped in the write-back of a clean merge leaves nothing; a retry merges', async () => {
    await withRepo((repo) => scenario(repo, 'm_clean', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ['UPDATE NAME SET b = 20 WHERE id = 2', 'DELETE FROM NAME WHERE id = 5']));
    const before = await state('m_clean');
    await hold('m_clean');
    try {
      expectConnectionLost(await stopDuring(['merge', 'feature', '-t', 'm_clean']));
    } finally {
      await release('m_clean');
    }
    expect(await state('m_clean')).toEqual(before);
    await expectSound('m_clean', before);
    const r = JSON.parse(await vsgOk(w, ['merge', 'feature', '-t', 'm_clean', '--json']));
    expect(r.status).toBe('merged');
    const after = await state('m_clean');
    expect(after.rows).toEqual([{ id: 1, a: 'ours', b: 1 }, { id: 2, a: 'x2', b: 20 }, ...baseRows().slice(2, 4)]);
    expect(after.refs).toContain(`main:${r.commit.id}`);
    await expectSound('m_clean', after);
  });

  it('merge: stopped after recording its conflicts (before COMMIT) leaves no merge in progress; a retry records them, --abort forgets them', async () => {
    await withRepo((repo) => scenario(repo, 'm_conf', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ["UPDATE NAME SET a = 'theirs' WHERE id = 1"]));
    const before = await state('m_conf');
    await hold('vsg.merge_conflicts', 'INSERT');
    try {
      expectConnectionLost(await stopDuring(['merge', 'feature', '-t', 'm_conf']));
    } finally {
      await release('vsg.merge_conflicts');
    }
    expect(await state('m_conf')).toEqual(before);
    await expectSound('m_conf', before);
    const none = await vsg(w, ['merge', '--abort', '-t', 'm_conf', '--verbose']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('E_NO_MERGE');
    const again = await vsg(w, ['merge', 'feature', '-t', 'm_conf']);
    expect(again.code).toBe(1);
    const merging = await state('m_conf');
    expect(merging.merge).not.toBeNull();
    expect({ ...merging, merge: null, conflicts: null }).toEqual(before);
    await expectSound('m_conf', merging);
    await vsgOk(w, ['merge', '--abort', '-t', 'm_conf']);
    expect(await state('m_conf')).toEqual(before);
  });

  it('merge --continue: stopped in its write-back keeps the merge in progress with its resolutions; a retry finishes it', async () => {
    await withRepo((repo) => scenario(repo, 'm_cont', ["UPDATE NAME SET a = 'ours' WHERE id = 1"], ["UPDATE NAME SET a = 'theirs' WHERE id = 1", 'UPDATE NAME SET b = 30 WHERE id = 3']));
    expect((await vsg(w, ['merge', 'feature', '-t', 'm_cont'])).code).toBe(1);
    await vsgOk(w, ['resolve', '-t', 'm_cont', '1', 'a', '--theirs']);
    const before = await state('m_cont');
    expect(before.conflicts).toContain('"resolved": true');
    await hold('m_cont');
    try {
      expectConnectionLost(await stopDuring(['merge', '--continue', '-t', 'm_cont']));
    } finally {
      await release('m_cont');
    }
    expect(await state('m_cont')).toEqual(before);
    await expectSound('m_cont', before);
    const r = JSON.parse(await vsgOk(w, ['merge', '--continue', '-t', 'm_cont', '--json']));
    expect(r.status).toBe('merged');
    const after = await state('m_cont');
    expect(after).toMatchObject({ merge: null, conflicts: null, pending: 0 });
    expect(after.rows).toEqual([{ id: 1, a: 'theirs', b: 1 }, { id: 2, a: 'x2', b: 2 }, { id: 3, a: 'x3', b: 30 }, ...baseRows().slice(3)]);
    await expectSound('m_cont', after);
  });

  it('a commit acknowledged just before the crash survives it (replayed from WAL)', async () => {
    await withRepo((repo) => scenario(repo, 'c_ack'));
    const before = await state('c_ack');
    const logBefore = cluster.log().length;
    // crash the moment vsg prints the commit, i.e. right after COMMIT was acknowledged
    const child = spawn(process.execPath, [bin, 'commit', '-t', 'c_ack', '-m', 'acknowledged', 'UPDATE c_ack SET b = -1 WHERE id = 4'], { cwd: w.cwd, env: w.env });
    let out = '';
    let crashed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!crashed && /\[main [0-9a-f]{7}\]/.test(out)) {
        crashed = true;
        cluster.stop('immediate');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(crashed).toBe(true);
    expect(code).toBe(0);
    cluster.start();
    expect(cluster.log().slice(logBefore)).toMatch(/not properly shut down; automatic recovery in progress/);
    const after = await state('c_ack');
    expect(after.commits.slice(0, -1)).toEqual(before.commits);
    expect(out).toContain(`[main ${after.commits[after.commits.length - 1].slice(0, 7)}]`);
    expect(after.rows).toEqual(baseRows().map((r) => (r.id === 4 ? { ...r, b: -1 } : r)));
    await expectSound('c_ack', after);
  });
});
