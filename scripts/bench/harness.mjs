/**
 * The bench's plumbing: its own databases (created and always dropped), pg
 * clients, timers, child processes (always killed), progress on stderr.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The vsg build the bench measures: a private copy of bin/, dist/ and sql/ (see freezeBuild). */
export let BUILD = ROOT;
export let VSG_BIN = join(ROOT, 'bin', 'vsg');

/**
 * Copy the build (bin, dist, sql, package.json; node_modules linked) into a
 * temporary directory and measure that copy, so that a rebuild in the checkout
 * during a 15-minute run cannot mix two versions of vsg in one result.
 */
export function freezeBuild(cleanup) {
  const dir = cleanup.tempDir('vsg-bench-build-');
  for (const d of ['bin', 'dist', 'sql']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  BUILD = dir;
  VSG_BIN = join(dir, 'bin', 'vsg');
  return dir;
}

const rawText = { getTypeParser: () => (v) => v };

/** Progress to stderr, with the time since start. */
const t0 = performance.now();
export function progress(msg) {
  const s = ((performance.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${msg}\n`);
}

/** Everything that must be undone at exit: databases, child processes, temp dirs, clients. */
export class Cleanup {
  constructor(adminUrl) {
    this.adminUrl = adminUrl;
    this.databases = new Set();
    this.children = new Set();
    this.dirs = new Set();
    this.clients = new Set();
    this.done = false;
  }

  async run() {
    if (this.done) return;
    this.done = true;
    for (const c of this.children) {
      try {
        process.kill(c.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    for (const c of this.clients) await c.end().catch(() => undefined);
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    if (this.databases.size) {
      const admin = new pg.Client({ connectionString: this.adminUrl });
      try {
        await admin.connect();
        for (const name of this.databases) {
          await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).catch((e) => {
            process.stderr.write(`[bench] could not drop database ${name}: ${e.message}\n`);
          });
        }
        this.databases.clear();
      } finally {
        await admin.end().catch(() => undefined);
      }
    }
  }

  tempDir(prefix) {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(d);
    return d;
  }
}

/** URL of database `name` on the same server as `url`. */
export function dbUrl(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Create a database that the cleanup will drop. */
export async function createDatabase(cleanup, name) {
  const admin = new pg.Client({ connectionString: cleanup.adminUrl });
  await admin.connect();
  try {
    cleanup.databases.add(name);
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return dbUrl(cleanup.adminUrl, name);
}

/** Drop one of the bench's databases now (frees disk between sizes). */
export async function dropDatabase(cleanup, name) {
  const admin = new pg.Client({ connectionString: cleanup.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    cleanup.databases.delete(name);
  } finally {
    await admin.end();
  }
}

/** A pg client (text values, like vsg's own) that the cleanup closes. */
export async function connect(cleanup, url) {
  const c = new pg.Client({ connectionString: url, types: rawText });
  c.on('error', () => undefined);
  await c.connect();
  await c.query(`SET extra_float_digits = 3; SET TimeZone = 'UTC'`);
  cleanup.clients.add(c);
  const end = c.end.bind(c);
  c.end = async () => {
    cleanup.clients.delete(c);
    await end();
  };
  return c;
}

/** Milliseconds that fn takes. */
export async function time(fn) {
  const s = performance.now();
  await fn();
  return performance.now() - s;
}

/**
 * Run a child process to completion; resolves {code, stdout, stderr, ms}.
 * Registered with the cleanup so Ctrl-C kills it.
 */
export function run(cleanup, cmd, args, { env, cwd, input } = {}) {
  return new Promise((resolve, reject) => {
    const s = performance.now();
    const fullEnv = { ...process.env, ...env };
    for (const k of Object.keys(fullEnv)) if (fullEnv[k] === undefined) delete fullEnv[k];
    const child = spawn(cmd, args, { env: fullEnv, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    cleanup.children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      cleanup.children.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      cleanup.children.delete(child);
      resolve({ code, stdout, stderr, ms: performance.now() - s });
    });
    child.stdin.end(input ?? '');
  });
}

/** Like run, but throws with the child's stderr on a non-zero exit. */
export async function runOk(cleanup, cmd, args, opts) {
  const r = await run(cleanup, cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

/** Environment for bin/vsg in the bench: no colour, no pager, a fixed author. */
export const VSG_ENV = { NO_COLOR: '1', PAGER: 'cat', VSG_AUTHOR: 'bench', VSG_DATABASE_URL: undefined };

export { tmpdir };
