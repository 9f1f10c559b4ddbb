/**
 * The databases a suite runs against: a fresh database on the real server
 * and a fresh embedded (PGlite) directory, one per test file (or per call).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = path.join(root, 'bin', 'vsg');

export interface Target {
  name: 'postgres' | 'pglite';
  /** a working directory for CLI runs, with its own .vsg/ for PGlite */
  cwd: string;
  /** environment for CLI runs: VSG_DATABASE_URL for the server */
  env: NodeJS.ProcessEnv;
  url?: string;
  /** open the library API on this target */
  open(opts?: { init?: boolean; bare?: boolean }): Promise<Repository>;
  /** run SQL directly (not through vsg), e.g. as an application would */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /**
   * Run `fn`, whose `sql` runs SQL as `sql` does, on one open of the database:
   * the embedded one is opened once for all of its statements (`sql` opens
   * it for each), and closed before `fn`'s answer returns.
   */
  session<T>(fn: (sql: Target['sql']) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

export type TargetName = Target['name'];

/** The target names available in this run (PGlite always; postgres when a server answers). */
export function targetNames(): TargetName[] {
  return inject('serverUrl') ? ['postgres', 'pglite'] : ['pglite'];
}

let counter = 0;

/** A fresh, empty database of the given kind. */
export async function makeTarget(name: TargetName): Promise<Target> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `vsg-test-${name}-`));
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', VSG_AUTHOR: 'tester', PAGER: 'cat' };
  delete baseEnv.VSG_DATABASE_URL;
  delete baseEnv.FORCE_COLOR;
  if (name === 'postgres') {
    const admin = inject('serverUrl');
    if (!admin) throw new Error('no PostgreSQL server for this run');
    const db = `vsg_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const a = new pg.Client({ connectionString: admin });
    await a.connect();
    await a.query(`CREATE DATABASE ${db}`);
    await a.end();
    const u = new URL(admin);
    u.pathname = `/${db}`;
    const url = u.toString();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      name,
      cwd,
      url,
      env: { ...baseEnv, VSG_DATABASE_URL: url },
      open: (o = {}) => openRepository({ url, ...o }),
      sql: (text, params) => client.query(text, params),
      session: (fn) => fn((text, params) => client.query(text, params)),
      async cleanup() {
        await client.end().catch(() => undefined);
        const b = new pg.Client({ connectionString: admin });
        await b.connect();
        await b.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
        await b.end();
        fs.rmSync(cwd, { recursive: true, force: true });
      },
    };
  }
  const dir = path.join(cwd, '.vsg');
  fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  // The embedded database allows one process at a time: open, run, close.
  const session = async <T>(fn: (sql: Target['sql']) => Promise<T>): Promise<T> => {
    const repo = await openRepository({ dir, bare: true });
    try {
      return await fn(async (text, params) => (await repo.db.query(text, params)) as unknown as pg.QueryResult);
    } finally {
      await repo.close();
    }
  };
  return {
    name,
    cwd,
    env: baseEnv,
    open: (o = {}) => openRepository({ dir, ...o }),
    sql: (text, params) => session((sql) => sql(text, params)),
    session,
    async cleanup() {
      fs.rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/**
 * Run `fn` on the library opened on `t`, and close it: on PGlite only one
 * process may hold the database, so a test closes it before its next bin/vsg run.
 */
export async function withRepo<T>(t: Pick<Target, 'open'>, fn: (repo: Repository) => Promise<T>, opts: { bare?: boolean; init?: boolean } = {}): Promise<T> {
  const repo = await t.open(opts);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

/**
 * A repository already open as a `session` (for `differences` and the like):
 * its SQL runs on that open, which the caller closes.
 */
export function sessionOf(repo: Repository): Pick<Target, 'session'> {
  return { session: (fn) => fn(async (text, params) => (await repo.db.query(text, params)) as unknown as pg.QueryResult) };
}

/**
 * Per table of `tables`, the rows in which it and its copy `copy(table)`
 * differ, both ways (EXCEPT ALL): 0 where they hold the same rows. One open
 * of the database for all of them.
 */
export function differences(t: Pick<Target, 'session'>, tables: readonly string[], copy: (table: string) => string): Promise<Record<string, number>> {
  return t.session(async (sql) => {
    const out: Record<string, number> = {};
    for (const x of tables) {
      const y = copy(x);
      out[x] = Number((await sql(`SELECT count(*)::text AS n FROM ((TABLE ${x} EXCEPT ALL TABLE ${y}) UNION ALL (TABLE ${y} EXCEPT ALL TABLE ${x})) x`)).rows[0].n);
    }
    return out;
  });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a Node script to completion, collecting its output and exit code. */
export function run(script: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Run bin/vsg as a user would, in the target's directory and environment. */
export function vsg(t: Pick<Target, 'cwd' | 'env'>, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return run(bin, args, { cwd: t.cwd, env: { ...t.env, ...opts.env }, input: opts.input });
}

/** Run bin/vsg and fail the test unless it exits 0; returns stdout. */
export async function vsgOk(t: Pick<Target, 'cwd' | 'env'>, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await vsg(t, args, opts);
  if (r.code !== 0) throw new Error(`vsg ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/**
 * The commit ids (7 hex digits, as vsg prints them) that `text` shows and
 * that the log (from each of `from`, default HEAD) does not list as an entry:
 * what a user reading the output could not find in the log. A commit across
 * tables' parts are not entries (log lists the whole by its id). Read through
 * the library: `vsg log <ref> --json` prints exactly this result, and a CLI
 * start per check cost ~1.5 s on the embedded database.
 */
export function idsNotInLog(t: Pick<Target, 'open'>, text: string, from: string[] = ['HEAD']): Promise<string[]> {
  return withRepo(t, (repo) => idsNotInLogOf(repo, text, from));
}

/** idsNotInLog on a repository already open (one open of the embedded database for more reads). */
export async function idsNotInLogOf(repo: Repository, text: string, from: string[] = ['HEAD']): Promise<string[]> {
  const listed = new Set<string>();
  for (const ref of from) for (const c of (await repo.log({ from: ref })).commits) listed.add(c.id.slice(0, 7));
  return [...new Set(text.match(/\b[0-9a-f]{7}\b/g) ?? [])].filter((id) => !listed.has(id));
}
