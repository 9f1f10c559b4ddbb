/**
 * The embedded database: PGlite persisted in a directory (`.vsg/` by default).
 * PGlite has no locking of its own and two processes on one data directory
 * lose writes, so a command holds a lock file for as long as it runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeFS as PGliteNodeFS } from '@electric-sql/pglite/nodefs';
import { ExitCode, VsgError } from '../errors.js';
import { bundleFiles, type Loader } from './bundle.js';
import { rawText, SETTINGS, wrapClient, type Db } from './db.js';
import { preparedStatementsWanted } from './prepared.js';
import { clusterTemplate, extractCluster, START_SETTINGS } from './template.js';
import { precompiled } from './wasm.js';

const LOCK_WAIT_MS = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take `<dir>/lock`, waiting for a live holder and breaking a dead one's. */
export async function acquireLock(dir: string, waitMs = LOCK_WAIT_MS): Promise<() => void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8') || '0', 10);
      if (!holder || !alive(holder)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new VsgError('E_LOCKED', `embedded database '${dir}' is in use by process ${holder}`, {
          exitCode: ExitCode.connection,
          hint: 'wait for that command to finish, or stop it',
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Whether `dir` holds an embedded database (its PostgreSQL cluster appears whole, by rename). */
export function embeddedExists(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pgdata', 'PG_VERSION'));
}

/**
 * The PostgreSQL major version of the PGlite vsg depends on (0.5.x: 18).
 * PostgreSQL opens only a cluster of its own major version, and PGlite has no
 * pg_upgrade: a PGlite of another major (0.6.x embeds 19) would fail to start
 * on every `.vsg/` made before it. test/e2e/startup.test.ts checks this against
 * the cluster the installed PGlite makes, so that a PGlite of another major
 * cannot come in unnoticed.
 */
export const EMBEDDED_MAJOR = 18;

/** `dir` as a message shows it: relative to the working directory when inside it. */
function shownDir(dir: string, cwd: string): string {
  const rel = path.relative(cwd, dir);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}

/**
 * Refuse a cluster of another PostgreSQL major version (its PG_VERSION) before
 * anything is loaded or written: PGlite would only fail to start, and the
 * files stay as they are for the vsg that can open them.
 */
export function checkMajor(dir: string, cwd = process.cwd()): void {
  let made: number;
  try {
    made = Number.parseInt(fs.readFileSync(path.join(dir, 'pgdata', 'PG_VERSION'), 'utf8').trim(), 10);
  } catch {
    return; // unreadable: the start reports it
  }
  if (!Number.isInteger(made) || made === EMBEDDED_MAJOR) return;
  const shown = shownDir(dir, cwd);
  throw new VsgError(
    'E_EMBEDDED_VERSION',
    `cannot open the embedded database in '${shown}': it was made by PostgreSQL ${made}, and this vsg embeds PostgreSQL ${EMBEDDED_MAJOR}`,
    {
      exitCode: ExitCode.connection,
      hint:
        made < EMBEDDED_MAJOR
          ? `open it with the vsg that made it (embedding PostgreSQL ${made}); vsg cannot upgrade an embedded database in place, and nothing in '${shown}' was changed`
          : `it was made by a newer vsg: open it with that one; nothing in '${shown}' was changed`,
      data: { dir, made, embedded: EMBEDDED_MAJOR },
    },
  );
}

/** The refusal of a command that needs a repository where there is none (nothing is created). */
export function noRepository(dir: string, cwd = process.cwd()): VsgError {
  const shown = shownDir(dir, cwd);
  const what = fs.existsSync(dir) ? `no database in '${shown}'` : `no ${shown}${path.sep} here`;
  return new VsgError('E_NO_REPO', `not a vsg repository: ${what} and no server configured`, {
    exitCode: ExitCode.input,
    hint: 'create one (init: true), or connect to a server (url)',
    data: { dir },
  });
}

/** A PGlite on `dataDir` spoken to through node-postgres, as a Db. */
async function start(dataDir: string, where: string, prepare: boolean, release: () => void = () => undefined): Promise<Db> {
  const [{ PGlite }, { NodeFS }, { createPgConfig }, { default: pg }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/nodefs'),
    import('@electric-sql/pglite/node-postgres'),
    import('pg'),
  ]);
  const bundle = bundleFiles();
  // The data directory on the host's disk, as PGlite mounts it for a path,
  // and the bundle's files from vsg's cache (./bundle.ts).
  class Files extends NodeFS {
    override async init(...args: Parameters<PGliteNodeFS['init']>): ReturnType<PGliteNodeFS['init']> {
      const { emscriptenOpts } = await super.init(...args);
      const preRun = [...(emscriptenOpts.preRun ?? []), (mod: object) => bundle.preRun(mod as Loader)];
      return { emscriptenOpts: { ...emscriptenOpts, preRun } };
    }
  }
  // PGlite reads the catalog for its own array parsers as it starts: the first
  // query of a new backend, which pays for loading the catalog caches (a third
  // of a `vsg log -n 1`'s CPU). node-postgres with raw text (rawText) never
  // uses those parsers, so that query is skipped.
  class Lite extends PGlite {
    override async _initArrayTypes(): Promise<void> {}
  }
  // The session's settings are the backend's own start parameters rather
  // than a SET after connecting: one cold statement fewer, and RESET keeps them.
  const session = SETTINGS.flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  // compiled already where the CLI started it early (./wasm.ts)
  const pgliteWasmModule = await precompiled();
  const lite = new Lite({
    dataDir,
    fs: new Files(dataDir),
    fsBundle: bundle.fsBundle,
    startParams: [...PGlite.defaultStartParams, ...START_SETTINGS, ...session],
    ...(pgliteWasmModule ? { pgliteWasmModule } : {}),
  });
  const client = new pg.Client({ ...(createPgConfig(lite) as object), types: rawText });
  try {
    // A start that fails (a damaged cluster) rejects waitReady; node-postgres's
    // connect over PGlite leaves that rejection unhandled, which ended the
    // process with a stack instead of E_CONNECT.
    await lite.waitReady;
    await client.connect();
  } catch (e) {
    await lite.close().catch(() => undefined);
    throw e;
  }
  bundle.keep();
  return wrapClient(
    client,
    'pglite',
    where,
    async () => {
      await client.end().catch(() => undefined);
      // PGlite keeps the event loop alive until closed; it is ours, so close it.
      await lite.close().catch(() => undefined);
      release();
    },
    undefined,
    { prepare },
  );
}

/**
 * Open the embedded database in `dir`. Without `create`, a directory with no
 * database is refused (E_NO_REPO) before anything is loaded or written; with
 * it, a new database is made from the cluster template.
 */
export async function openEmbedded(dir: string, opts: { create?: boolean; preparedStatements?: boolean } = {}): Promise<Db> {
  if (!opts.create && !embeddedExists(dir)) throw noRepository(dir);
  checkMajor(dir);
  const prepare = preparedStatementsWanted(opts.preparedStatements);
  const release = await acquireLock(dir);
  try {
    // Checked again under the lock: two `vsg init` at once make one database.
    if (!embeddedExists(dir)) {
      if (!opts.create) throw noRepository(dir);
      extractCluster(await clusterTemplate(), path.join(dir, 'pgdata'));
    }
    return await start(path.join(dir, 'pgdata'), `embedded database in ${dir}`, prepare, release);
  } catch (e) {
    release();
    if (e instanceof VsgError) throw e;
    const shown = shownDir(dir, process.cwd());
    throw new VsgError('E_CONNECT', `cannot open the embedded database in '${shown}': ${(e as Error).message}`, {
      exitCode: ExitCode.connection,
      hint: `'${shown}' holds the repository and its history: copy it aside before repairing or replacing it`,
    });
  }
}

/**
 * A throw-away embedded database in a temporary directory, removed on close.
 * On disk rather than in PGlite's memory file system: that one copies a
 * file's whole buffer each time the file grows and unpacks a cluster byte by
 * byte, which made a demo three times slower than the same work on disk.
 */
export async function openEmbeddedThrowaway(opts: { preparedStatements?: boolean } = {}): Promise<Db> {
  const prepare = preparedStatementsWanted(opts.preparedStatements);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-demo-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove); // also when the process ends before closing it
  try {
    extractCluster(await clusterTemplate(), path.join(dir, 'pgdata'));
    return await start(path.join(dir, 'pgdata'), 'a throw-away embedded database', prepare, remove);
  } catch (e) {
    remove();
    throw e;
  }
}
