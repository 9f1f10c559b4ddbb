/**
 * vsg behind PgBouncer in transaction pooling mode (issue 19). The test
 * starts its own pgbouncer on a free port (its own ini in a temporary
 * directory, pool_mode = transaction, three server connections) in front of
 * the test server, and skips, saying why, where `pgbouncer` is not installed.
 *
 * - Applications whose transactions interleave, each with SET LOCAL vsg.author
 *   and vsg.meta: every commit carries the author and metadata of the writer
 *   whose rows it records, and nobody else's.
 * - vsg leaves no setting behind on a pooled server session: every backend of
 *   the pool, pinned at once, shows the server's own values afterwards.
 * - The library knows it is behind a pooler: its settings hold inside each
 *   transaction, nothing is prepared, and concurrent commits from several
 *   processes' worth of connections all land.
 * - The CLI's main commands work through it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { freePort } from '../helpers/cluster.js';
import { makeTarget, vsg, vsgOk, type Target } from '../helpers/targets.js';

const author = 'tester';

/** pgbouncer on PATH (Debian installs it in /usr/sbin, outside a non-root PATH). */
function findPgbouncer(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const d of dirs) if (d && fs.existsSync(path.join(d, 'pgbouncer'))) return path.join(d, 'pgbouncer');
  return null;
}

const pgbouncer = findPgbouncer();
const server = inject('serverUrl');
const skip = !pgbouncer ? 'pgbouncer is not installed (apt-get install pgbouncer)' : !server ? 'no PostgreSQL server in this run' : null;
if (skip) process.stderr.write(`vsg tests: ${skip}; the PgBouncer tests are skipped\n`);

/** A pgbouncer of this test's own, in transaction pooling mode, in front of the server `url` points at. */
async function startPgbouncer(url: string): Promise<{ url(db: string): string; stop(): void }> {
  const u = new URL(url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-test-pgbouncer-'));
  const port = await freePort();
  const user = decodeURIComponent(u.username || 'postgres');
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${user}" "${decodeURIComponent(u.password)}"\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${u.hostname} port=${u.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 3',
      'max_client_conn = 100',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  // pgbouncer refuses to run as root: as root, it runs as the postgres OS user
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (o: string) => Number(spawnSync('id', [o, 'postgres'], { encoding: 'utf8' }).stdout);
    for (const f of ['', 'users.txt', 'pgbouncer.ini']) fs.chownSync(path.join(dir, f), id('-u'), id('-g'));
  }
  const cmd = asRoot ? ['runuser', '-u', 'postgres', '--', pgbouncer!] : [pgbouncer!];
  const r = spawnSync(cmd[0], [...cmd.slice(1), '-d', path.join(dir, 'pgbouncer.ini')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pgbouncer did not start: ${r.stderr}`);
  const pidFile = path.join(dir, 'pgbouncer.pid');
  for (let i = 0; i < 100 && !fs.existsSync(pidFile); i++) await new Promise((res) => setTimeout(res, 20));
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
  return {
    url: (db) => `postgres://${encodeURIComponent(user)}${u.password ? `:${u.password}` : ''}@127.0.0.1:${port}/${db}`,
    stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone already */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SETTINGS = ['work_mem', 'jit', 'extra_float_digits', 'bytea_output', 'IntervalStyle'];

describe.skipIf(skip !== null)('behind PgBouncer in transaction pooling mode', () => {
  let t: Target;
  let bouncer: Awaited<ReturnType<typeof startPgbouncer>>;
  let via: string;
  let repo: Repository;
  let defaults: Record<string, string>;
  const apps: pg.Client[] = [];
  let cli: { cwd: string; env: NodeJS.ProcessEnv };

  beforeAll(async () => {
    t = await makeTarget('postgres');
    const direct = await t.open({ init: true });
    await direct.sql(`CREATE TABLE items (id int PRIMARY KEY, v text, f float8); INSERT INTO items SELECT i, 'v' || i, i / 10.0 FROM generate_series(1, 9) i`);
    await direct.track('items', { author });
    await direct.close();
    const { rows } = await t.sql(`SELECT ${SETTINGS.map((s) => `current_setting('${s}') AS "${s}"`).join(', ')}`);
    defaults = rows[0];
    bouncer = await startPgbouncer(t.url!);
    via = bouncer.url(new URL(t.url!).pathname.slice(1));
    repo = await openRepository({ url: via });
    for (let i = 0; i < 3; i++) {
      const c = new pg.Client({ connectionString: via });
      await c.connect();
      apps.push(c);
    }
    cli = { cwd: t.cwd, env: { ...t.env, VSG_DATABASE_URL: via } };
  }, 60_000);

  afterAll(async () => {
    for (const c of apps) await c.end().catch(() => undefined);
    await repo?.close();
    bouncer?.stop();
    await t?.cleanup();
  });

  it('is known as a pooler: the pid the login announced is not the backend’s', () => {
    expect(repo.db.server).toEqual({ pooled: true, standby: false, citus: false });
  });

  it('interleaved applications’ SET LOCAL vsg.author / vsg.meta go to the commit of their own rows', async () => {
    const [a, b, c] = apps;
    await a.query('BEGIN');
    await a.query(`SET LOCAL vsg.author = 'app-a'`);
    await a.query(`SET LOCAL vsg.meta = 'request=r-a'`);
    await b.query('BEGIN');
    await b.query(`SET LOCAL vsg.author = 'app-b'`);
    await b.query(`SET LOCAL vsg.meta = '{"request": "r-b"}'`);
    await a.query(`UPDATE items SET v = 'A' WHERE id = 1`);
    await b.query(`UPDATE items SET v = 'B' WHERE id = 2`);
    await a.query('COMMIT');
    // b's transaction is still open: only a's row is there to commit
    const first = await repo.commit({ table: 'items', author, authorIsDefault: true });
    await b.query('COMMIT');
    const second = await repo.commit({ table: 'items', author, authorIsDefault: true });
    // c sets nothing, on a backend that served a or b: nothing of theirs is left on it
    await c.query('BEGIN');
    await c.query(`UPDATE items SET v = 'C' WHERE id = 3`);
    const leaked = await c.query(`SELECT coalesce(current_setting('vsg.author', true), '') || coalesce(current_setting('vsg.meta', true), '') AS s`);
    await c.query('COMMIT');
    expect(leaked.rows[0].s).toBe('');
    const third = await repo.commit({ table: 'items', author, authorIsDefault: true, message: 'c' });
    const show = async (id: string) => {
      const s = await repo.show(id, { table: 'items' });
      return { author: s.commit.author, meta: s.commit.meta, keys: s.changes.map((x) => x.key) };
    };
    expect(await show(first.commit.id)).toEqual({ author: 'app-a', meta: { request: 'r-a' }, keys: [{ id: '1' }] });
    expect(await show(second.commit.id)).toEqual({ author: 'app-b', meta: { request: 'r-b' }, keys: [{ id: '2' }] });
    expect(await show(third.commit.id)).toEqual({ author, meta: null, keys: [{ id: '3' }] });
  });

  it('the library’s settings hold inside its transactions, nothing is prepared, concurrent commits all land', async () => {
    expect((await repo.db.query(`SELECT current_setting('work_mem') AS w, current_setting('extra_float_digits') AS e`)).rows[0]).toEqual({ w: '64MB', e: '3' });
    const others = await Promise.all([1, 2, 3].map(() => openRepository({ url: via })));
    try {
      const done = await Promise.all(
        others.flatMap((r, i) => [4, 5].map((n) => r.commit({ table: 'items', author: `w${i}`, sql: `UPDATE items SET f = f + 1 WHERE id = ${n + 2 * i}` }))),
      );
      expect(done).toHaveLength(6);
      const prepared = await others[0].db.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`);
      expect(prepared.rows[0].n).toBe('0');
    } finally {
      for (const r of others) await r.close();
    }
    expect((await repo.verify()).ok).toBe(true);
    // exact text forms through the pooler: 0.9 + 1 as float8, with extra_float_digits = 3 set per transaction
    const { rows } = await repo.rowsAt({ table: 'items' });
    expect(rows.find((r) => r[0] === '9')).toEqual(['9', 'v9', '1.9']);
  });

  it('the main commands of the CLI work through it', async () => {
    await t.sql('CREATE TABLE notes (id int PRIMARY KEY, body text)');
    // a few spawns (each costs a process start): reads and writes of both kinds
    for (const args of [
      ['track', 'notes'],
      ['commit', '-t', 'notes', '-m', 'first', `INSERT INTO notes VALUES (1, 'a'), (2, 'b')`],
      ['rollback', 'HEAD', '-t', 'notes'],
      ['checkout', 'HEAD~1', '-t', 'notes'],
      ['log', '--oneline', '-t', 'notes'],
      ['diff', 'HEAD~2', 'HEAD', '-t', 'notes'],
      ['export', '-t', 'notes', '--format', 'csv'],
    ]) {
      const r = await vsg(cli, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    expect(await vsgOk(cli, ['doctor'])).toContain("ok    pooler: behind a connection pooler: vsg's settings are set per transaction, no statement is prepared");
  }, 60_000);

  it('leaves no setting of its own on any backend of the pool', async () => {
    // pin every server connection of the pool at once: each shows the server's defaults
    await Promise.all(apps.map((c) => c.query('BEGIN')));
    try {
      const seen = await Promise.all(apps.map((c) => c.query(`SELECT pg_backend_pid() AS pid, ${SETTINGS.map((s) => `current_setting('${s}') AS "${s}"`).join(', ')}`)));
      expect(new Set(seen.map((r) => r.rows[0].pid)).size).toBe(3);
      for (const r of seen) {
        const { pid: _pid, ...settings } = r.rows[0];
        expect(settings).toEqual(defaults);
      }
    } finally {
      await Promise.all(apps.map((c) => c.query('COMMIT')));
    }
  });
});
