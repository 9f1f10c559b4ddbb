/**
 * Private PostgreSQL servers for the scenarios that need settings the shared
 * server has not (Citus, pg_stat_statements): initdb into a temporary
 * directory each, started on free ports of 127.0.0.1, trust auth, stopped and
 * removed at the end (also at process exit). The shared server is never
 * touched.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** initdb and the server refuse root: run them as the postgres OS user then. */
function asOwner() {
  if (process.getuid?.() !== 0) return { prefix: [], owner: null };
  const id = (f) => Number(spawnSync('id', [f, 'postgres'], { encoding: 'utf8' }).stdout);
  return { prefix: ['runuser', '-u', 'postgres', '--'], owner: { uid: id('-u'), gid: id('-g') } };
}

/** Why servers cannot be started from `bin` here, or null. */
export function serversUnavailable(bin) {
  for (const prog of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(bin, prog))) return `${join(bin, prog)} is missing`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no `postgres` OS user to run initdb as';
  return null;
}

async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `count` servers from the programs in `bin`, each with the lines `settings`
 * added to its postgresql.conf. Returns their ports and URLs (database
 * postgres) and a stop function.
 */
export async function startServers(cleanup, bin, count, settings, label) {
  const who = asOwner();
  const nodes = [];
  const pgProg = (prog, args) => {
    const [cmd, ...pre] = [...who.prefix, join(bin, prog)];
    const r = spawnSync(cmd, [...pre, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' }, cwd: '/tmp', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${prog} failed: ${r.stderr || r.stdout}`);
  };
  const stop = () => {
    for (const n of nodes.splice(0)) {
      try {
        pgProg('pg_ctl', ['-D', n.data, '-m', 'fast', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
    }
  };
  process.on('exit', stop);
  for (let i = 0; i < count; i++) {
    const dir = cleanup.tempDir(`vsg-bench-${label}-`);
    if (who.owner) chownSync(dir, who.owner.uid, who.owner.gid);
    const port = await freePort();
    const data = join(dir, 'data');
    pgProg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C']);
    appendFileSync(join(data, 'postgresql.conf'), [`port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`, ...settings, ''].join('\n'));
    pgProg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    nodes.push({ port, data, url: `postgres://postgres@127.0.0.1:${port}/postgres` });
  }
  return { nodes: [...nodes], stop };
}
