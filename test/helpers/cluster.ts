/**
 * A private PostgreSQL cluster for tests that must crash a server: initdb into
 * a fresh temporary directory, started on a free port of 127.0.0.1 with its
 * unix socket inside that directory, trust auth, fsync on. The shared server
 * of the other suites is never touched.
 *
 * initdb and the server refuse to run as root: as root they run as the
 * `postgres` OS user through runuser; as any other user, as that user.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where the server's programs are: VSG_TEST_PG_BIN, else PostgreSQL 15's Debian location. */
export const PG_BIN = process.env.VSG_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

interface Runner {
  /** the command prefix that runs a program as the cluster's owner */
  prefix: string[];
  /** uid/gid to give the cluster's directory (when running as another user) */
  owner?: { uid: number; gid: number };
}

/** How this process can run a private cluster, or why it cannot. */
export function clusterSupport(bin = PG_BIN): { runner: Runner } | { reason: string } {
  for (const prog of ['initdb', 'pg_ctl', 'postgres']) {
    if (!fs.existsSync(path.join(bin, prog))) return { reason: `${path.join(bin, prog)} is missing (set VSG_TEST_PG_BIN to the server's bin directory)` };
  }
  if (typeof process.getuid !== 'function') return { reason: 'no POSIX user ids on this platform' };
  if (process.getuid() !== 0) return { runner: { prefix: [] } };
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return { reason: 'running as root and there is no `postgres` OS user to run initdb as' };
  const prefix = ['runuser', '-u', 'postgres', '--'];
  const probe = spawnSync(prefix[0], [...prefix.slice(1), path.join(bin, 'pg_ctl'), '--version'], { encoding: 'utf8', cwd: os.tmpdir() });
  if (probe.status !== 0) return { reason: `running as root and \`runuser -u postgres\` does not work: ${(probe.stderr || String(probe.error ?? '')).trim()}` };
  return { runner: { prefix, owner: { uid: Number(uid.stdout), gid: Number(gid.stdout) } } };
}

/** A TCP port free on 127.0.0.1 now (for a private cluster, a pooler). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class Cluster {
  readonly data: string;
  readonly logFile: string;
  running = false;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly runner: Runner,
    /** the server's programs (PG_BIN unless another installation was named) */
    readonly bin: string = PG_BIN,
  ) {
    this.data = path.join(dir, 'data');
    this.logFile = path.join(dir, 'server.log');
  }

  /** postgres://postgres@127.0.0.1:<port>/<db> */
  url(db = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  /** A fresh temporary directory the cluster's owner can write, and a free port. */
  private static async place(runner: Runner, bin = PG_BIN): Promise<Cluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-test-cluster-'));
    if (runner.owner) fs.chownSync(dir, runner.owner.uid, runner.owner.gid);
    return new Cluster(dir, await freePort(), runner, bin);
  }

  /**
   * initdb a new cluster in a fresh temporary directory and start it; `conf`
   * adds lines to its postgresql.conf (e.g. `wal_level = logical`); `bin`
   * names another installation's programs (a PostgreSQL with Citus).
   */
  static async create(runner: Runner, opts: { conf?: string[]; bin?: string } = {}): Promise<Cluster> {
    const c = await Cluster.place(runner, opts.bin);
    const dir = c.dir;
    c.run('initdb', ['-D', c.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C']);
    // fsync and synchronous commit on (the defaults, stated): an acknowledged commit is on disk.
    // No checkpoint by time, so a commit survives a crash only through WAL replay.
    fs.appendFileSync(
      path.join(c.data, 'postgresql.conf'),
      [
        `port = ${c.port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${dir}'`,
        'fsync = on',
        'synchronous_commit = on',
        'full_page_writes = on',
        'checkpoint_timeout = 1h',
        'max_connections = 20',
        'shared_buffers = 16MB',
        ...(opts.conf ?? []),
        '',
      ].join('\n'),
    );
    c.start();
    return c;
  }

  /**
   * A hot standby of this cluster: pg_basebackup -R (a streaming replica,
   * standby.signal and primary_conninfo written by it) into a fresh directory,
   * started on a port of its own. Destroy it before its primary.
   */
  async standby(): Promise<Cluster> {
    const s = await Cluster.place(this.runner, this.bin);
    s.run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-D', s.data, '-R', '-X', 'stream']);
    // later lines win: the copied postgresql.conf names the primary's port and socket directory
    fs.appendFileSync(path.join(s.data, 'postgresql.conf'), [`port = ${s.port}`, `unix_socket_directories = '${s.dir}'`, 'hot_standby = on', ''].join('\n'));
    s.start();
    return s;
  }

  private run(prog: string, args: string[]): string {
    const [cmd, ...pre] = [...this.runner.prefix, path.join(this.bin, prog)];
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' };
    const r = spawnSync(cmd, [...pre, ...args], { cwd: this.dir, env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${prog} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  start(): void {
    this.run('pg_ctl', ['-D', this.data, '-l', this.logFile, '-w', '-t', '60', 'start']);
    this.running = true;
  }

  /** Stop the server: 'immediate' is a crash (no checkpoint; the next start replays WAL). */
  stop(mode: 'immediate' | 'fast'): void {
    this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
    this.running = false;
  }

  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  /** Stop the server this cluster started (pg_ctl, else its postmaster's pid) and remove the directory. */
  destroy(): void {
    if (this.running) {
      try {
        this.stop('fast');
      } catch {
        const pidFile = path.join(this.data, 'postmaster.pid');
        const pid = fs.existsSync(pidFile) ? Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10) : 0;
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGQUIT');
          } catch {
            /* already gone */
          }
        }
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
