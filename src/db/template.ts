/**
 * A fresh PostgreSQL cluster for the embedded database, made once and kept.
 * PGlite's initdb takes 5-10 s (PostgreSQL's bootstrap run in WebAssembly);
 * copying the files of a cluster it made earlier takes a fraction of a
 * second. The template is a tar of such a cluster (PGlite's own dump), kept
 * in the user's cache directory under a name that says which PGlite made it,
 * so a PGlite upgrade makes a new one and never reuses a stale one.
 *
 * The cache is only ever a shortcut: when it is missing, unreadable, damaged
 * or not writable, the cluster is made in memory and used without being kept.
 * Files appear in the cache by rename, so a reader never sees half a file, and
 * two processes making it at once both succeed (the last rename wins, with the
 * same content).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Raise when the way the template is made or read changes. */
const FORMAT = 1;

/**
 * A cached file of another PGlite version is removed once unused this long:
 * two installs of different versions on one machine (a global vsg and a
 * project's) keep each their own instead of deleting each other's.
 */
const STALE_MS = 7 * 24 * 3600 * 1000;

/**
 * Settings every embedded session starts with. shared_buffers: PostgreSQL
 * zeroes all of them at start, which costs a third of PGlite's start-up at the
 * default 128MB; the files are on the host's disk, whose page cache already
 * holds what a small embedded database reads.
 */
export const START_SETTINGS: readonly string[] = ['-c', 'shared_buffers=16MB'];

/**
 * The cache directory: VSG_CACHE_DIR if set (empty: no cache), else the
 * platform's (XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
 * %LOCALAPPDATA% on Windows), in a folder named vsg.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.VSG_CACHE_DIR !== undefined) return env.VSG_CACHE_DIR === '' ? null : path.resolve(env.VSG_CACHE_DIR);
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return null;
  }
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'vsg', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'vsg');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'vsg');
}

/**
 * What makes a cluster: PGlite's version (its package.json) and the sizes of its
 * WebAssembly and file bundle. Not their times: two installs of one PGlite (a
 * global vsg and a project's, or a clone's) share one template, where keys by
 * time made each install delete the other's.
 */
export function templateKey(): string {
  const dist = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  const h = createHash('sha256').update(`format ${FORMAT}\n`);
  try {
    h.update(fs.readFileSync(path.join(dist, '..', 'package.json')));
  } catch {
    /* the files below still tell versions apart */
  }
  for (const f of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) {
    const s = fs.statSync(path.join(dist, f));
    h.update(`${f} ${s.size}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/** The template as tar bytes: from the cache, else made now (and kept when the cache is writable). */
export async function clusterTemplate(env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const dir = cacheDir(env);
  const file = dir && path.join(dir, `pgdata-${templateKey()}.tar`);
  if (file) {
    try {
      const tar = fs.readFileSync(file);
      if (holdsCluster(tar)) {
        touch(file);
        return tar;
      }
    } catch {
      /* missing or unreadable: make it */
    }
  }
  const tar = await makeTemplate();
  if (dir && file) keep(dir, file, tar);
  return tar;
}

/** initdb in memory (several times faster than on disk), then PGlite's own dump of the files. */
async function makeTemplate(): Promise<Buffer> {
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = new PGlite({ startParams: [...PGlite.defaultStartParams, ...START_SETTINGS] });
  try {
    await lite.waitReady;
    await lite.exec('CHECKPOINT'); // so that a start from these files has no WAL to replay
    const blob = await lite.dumpDataDir('none');
    return Buffer.from(await blob.arrayBuffer());
  } finally {
    await lite.close().catch(() => undefined);
  }
}

/** Mark a cached file used now (its age is what STALE_MS counts); a read-only cache only means it is not marked. */
export function touch(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    /* not marked */
  }
}

/** Remove the entries of `parent` named like `pattern`, but `keep`, unused (untouched) for STALE_MS. */
export function dropStale(parent: string, pattern: RegExp, keep: string): void {
  for (const f of fs.readdirSync(parent)) {
    const other = path.join(parent, f);
    if (pattern.test(f) && other !== keep && Date.now() - fs.statSync(other).mtimeMs > STALE_MS) fs.rmSync(other, { recursive: true, force: true });
  }
}

/** Store the template by rename; any failure (read-only, full disk) only means no cache. */
function keep(dir: string, file: string, tar: Buffer): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, tar);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    // Templates of other PGlite versions unused for a week are dead weight (40 MB each).
    dropStale(dir, /^pgdata-[0-9a-f]+\.tar$/, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing was written */
    }
  }
}

interface TarEntry {
  name: string;
  type: 'file' | 'dir';
  data: Buffer;
}

/** The entries of a ustar archive (regular files and directories; PGlite's dump has nothing else). */
export function* tarEntries(tar: Buffer): Generator<TarEntry> {
  const text = (at: number, len: number): string => {
    const b = tar.subarray(at, at + len);
    const end = b.indexOf(0);
    return b.subarray(0, end < 0 ? len : end).toString('utf8');
  };
  let at = 0;
  while (at + 512 <= tar.length && tar[at] !== 0) {
    const name = text(at, 100);
    const prefix = text(at + 345, 155);
    const size = Number.parseInt(text(at + 124, 12).trim() || '0', 8);
    const flag = String.fromCharCode(tar[at + 156] || 48);
    if (!Number.isFinite(size) || at + 512 + size > tar.length) throw new Error('truncated archive');
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    const full = (prefix ? `${prefix}/${name}` : name).replace(/^\/+/, '').replace(/\/+$/, '');
    if (full === '' || full.split('/').some((p) => p === '..' || p === '.')) throw new Error(`unexpected path '${full}' in archive`);
    if (flag === '5') yield { name: full, type: 'dir', data };
    else if (flag === '0') yield { name: full, type: 'file', data };
    else throw new Error(`unexpected entry type '${flag}' in archive`);
  }
}

function holdsCluster(tar: Buffer): boolean {
  try {
    let version = false;
    for (const e of tarEntries(tar)) if (e.name === 'PG_VERSION') version = true;
    return version;
  } catch {
    return false;
  }
}

/**
 * Write the cluster to `target` (which must not exist) all at once: into a
 * sibling directory first, renamed into place at the end, so that a command
 * killed half-way leaves no half cluster that would pass for a repository.
 */
export function extractCluster(tar: Buffer, target: string): void {
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    for (const e of tarEntries(tar)) {
      const p = path.join(tmp, e.name);
      if (e.type === 'dir') fs.mkdirSync(p, { recursive: true, mode: 0o700 });
      else {
        fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o700 });
        fs.writeFileSync(p, e.data, { mode: 0o600 });
      }
    }
    if (!fs.existsSync(path.join(tmp, 'PG_VERSION'))) throw new Error('the archive holds no PostgreSQL cluster');
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
