/**
 * The embedded database: PGlite persisted in a directory (`.vsg/` by default).
 * PGlite has no locking of its own and two processes on one data directory
 * lose writes, so a command holds a lock file for as long as it runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ExitCode, VsgError } from '../errors.js';
import { rawText, SESSION_SETTINGS, wrapClient, type Db } from './db.js';

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

/** Open (creating if needed) the embedded database in `dir`. */
export async function openEmbedded(dir: string): Promise<Db> {
  const release = await acquireLock(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const lite = new PGlite(path.join(dir, 'pgdata'));
    const client = new pg.Client({ ...(createPgConfig(lite) as object), types: rawText });
    await client.connect();
    await client.query(SESSION_SETTINGS);
    return wrapClient(client, 'pglite', `embedded database in ${dir}`, async () => {
      await client.end().catch(() => undefined);
      // PGlite keeps the event loop alive until closed; it is ours, so close it.
      await lite.close().catch(() => undefined);
      release();
    });
  } catch (e) {
    release();
    if (e instanceof VsgError) throw e;
    throw new VsgError('E_CONNECT', `cannot open the embedded database in '${dir}': ${(e as Error).message}`, {
      exitCode: ExitCode.connection,
      hint: `remove '${dir}' to start afresh if it is damaged`,
    });
  }
}
