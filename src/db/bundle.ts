/**
 * PGlite's file bundle (pglite.data: 6 MB in 700 files, PostgreSQL's share
 * directory with its time zones, text search data and the SQL initdb runs,
 * its loadable libraries, ICU's collation data) is read whole and copied into
 * PGlite's in-memory file system one file at a time at every start: 50-80 ms
 * of each embedded command, for files of which a running backend opens a
 * handful. So vsg keeps the bundle's files in its cache, once per PGlite
 * (beside the cluster template, under the same key), and mounts those three
 * directories from there (Emscripten's NODEFS): PostgreSQL opens what it needs
 * from the host's disk, and every file stays there for a statement that needs
 * one (a time zone, an encoding conversion, a dictionary).
 *
 * Only ever a shortcut, like the template: without a cache (VSG_CACHE_DIR
 * empty, not writable) PGlite loads its bundle as it always does, and a start
 * that loads the bundle records its files for the next one. The bundle's
 * other files (a few bytes each) come from the cache into memory as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, dropStale, templateKey, touch } from './template.js';

/** Where a backend finds the bundle's files, mounted from the cache. */
const MOUNTED = ['/pglite/share/postgresql', '/pglite/lib/postgresql', '/pglite/icu'];
const MANIFEST = 'files.json';

interface Manifest {
  /** the bundle's size in bytes, which PGlite checks the bundle it is given against */
  size: number;
  /** every file of the bundle, as PGlite's file system names it */
  files: string[];
  /**
   * every directory holding them, with its modification time once the copy
   * was whole: a file removed (or added) changes its directory's, so the
   * copy is known whole by one look per directory (43) rather than per file
   */
  dirs: Record<string, number>;
}

/** The parts of PGlite's Emscripten module the bundle's loader goes through (at preRun). */
export interface Loader {
  FS: { mkdirTree(p: string): void; mount(type: unknown, opts: { root: string }, mountpoint: string): void };
  NODEFS: unknown;
  FS_createPath(parent: string, part: string, canRead: boolean, canWrite: boolean): unknown;
  FS_createDataFile(parent: string, name: string | null, data: Uint8Array, canRead: boolean, canWrite: boolean, canOwn: boolean): unknown;
}

/** How one start gets the bundle: a hook to run before PGlite's loader, the bundle to give it, and what to do once started. */
export interface BundleFiles {
  preRun(mod: Loader): void;
  fsBundle?: Blob;
  /** after a start that loaded the whole bundle: keep its files in the cache */
  keep(): void;
}

const mounted = (f: string): boolean => MOUNTED.some((m) => f === m || f.startsWith(`${m}/`));

/** The cache directory of this PGlite's bundle files (null: no cache). */
export function bundleDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = cacheDir(env);
  return dir && path.join(dir, `pglite-files-${templateKey()}`);
}

function bundleSize(): number {
  const dist = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  return fs.statSync(path.join(dist, 'pglite.data')).size;
}

/** Whether the cache holds this PGlite's bundle files. */
export function bundleCached(env: NodeJS.ProcessEnv = process.env): boolean {
  const dir = bundleDir(env);
  return dir !== null && manifest(dir) !== null;
}

/**
 * The manifest of a whole copy of this PGlite's bundle in `dir`, or null. A
 * copy missing any file (a cleaner, a user's hand) is no copy: PostgreSQL
 * would otherwise fail to start or answer as if the file did not exist
 * ("time zone not recognized"). Known by its directories' modification
 * times (Manifest.dirs), which a removed file changes.
 */
function manifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    if (m.size !== bundleSize() || !Array.isArray(m.files) || typeof m.dirs !== 'object' || m.dirs === null) return null;
    return Object.entries(m.dirs).every(([d, mtime]) => fs.statSync(path.join(dir, d)).mtimeMs === mtime) ? m : null;
  } catch {
    return null;
  }
}

/** The directories of the bundle's files (each ancestor up to the root) and the mounted ones, with their modification times under `root`. */
function dirTimes(root: string, files: readonly string[]): Record<string, number> {
  const dirs = new Set<string>(MOUNTED);
  for (const f of files) for (let d = path.posix.dirname(f); d !== '/' && d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
  return Object.fromEntries([...dirs].sort().map((d) => [d, fs.statSync(path.join(root, d)).mtimeMs]));
}

/** The bundle for one start: from the cache when it holds this PGlite's files, else PGlite's own, recorded. */
export function bundleFiles(env: NodeJS.ProcessEnv = process.env): BundleFiles {
  const dir = bundleDir(env);
  const m = dir ? manifest(dir) : null;
  if (dir && m) {
    touch(dir); // in use: not stale to another version's cleanup
    return {
      preRun(mod) {
        for (const d of MOUNTED) {
          mod.FS.mkdirTree(d);
          mod.FS.mount(mod.NODEFS, { root: path.join(dir, d) }, d);
        }
        const createPath = mod.FS_createPath.bind(mod);
        const createFile = mod.FS_createDataFile.bind(mod);
        mod.FS_createPath = (parent, part, r, w) => (mounted(`${parent}/${part}`) ? undefined : createPath(parent, part, r, w));
        // The bundle given is all zeros (never read, so never touched): each
        // file's content comes from the mount or, for the few others, the cache.
        mod.FS_createDataFile = (parent, name, _data, r, w, own) => {
          const f = name === null ? parent : `${parent}/${name}`;
          return mounted(f) ? undefined : createFile(parent, name, fs.readFileSync(path.join(dir, f)), r, w, own);
        };
      },
      // Duck-typed: PGlite only calls arrayBuffer(), and a Blob of 6 MB would be 6 MB copied.
      fsBundle: { arrayBuffer: async () => new ArrayBuffer(m.size) } as unknown as Blob,
      keep() {},
    };
  }
  const seen: [string, Uint8Array][] = [];
  return {
    preRun(mod) {
      if (!dir) return;
      const createFile = mod.FS_createDataFile.bind(mod);
      mod.FS_createDataFile = (parent, name, data, r, w, own) => {
        seen.push([name === null ? parent : `${parent}/${name}`, data]);
        return createFile(parent, name, data, r, w, own);
      };
    },
    keep() {
      if (dir && seen.length) keep(dir, seen);
      seen.length = 0;
    },
  };
}

/** Write the files into a sibling directory, then rename it into place; any failure only means no cache. */
function keep(dir: string, files: [string, Uint8Array][]): void {
  const tmp = `${dir}.${process.pid}.tmp`;
  try {
    fs.rmSync(tmp, { recursive: true, force: true });
    let size = 0;
    for (const [f, data] of files) {
      const p = path.join(tmp, f);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, data);
      size += data.length;
    }
    // Mounted directories the bundle has no file in still need to exist.
    for (const d of MOUNTED) fs.mkdirSync(path.join(tmp, d), { recursive: true });
    if (size !== bundleSize()) return; // not the whole bundle: keep nothing
    const names = files.map(([f]) => f);
    fs.writeFileSync(path.join(tmp, MANIFEST), JSON.stringify({ size, files: names, dirs: dirTimes(tmp, names) } satisfies Manifest));
    // A directory without a whole manifest is no process's mount: replace it.
    if (!manifest(dir)) fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch {
      return; // another process kept it first
    }
    // Files of other PGlite versions are dead weight, once no process can
    // still have them mounted (a vsg of another version sharing the cache).
    dropStale(path.dirname(dir), /^pglite-files-[0-9a-f]+$/, dir);
  } catch {
    /* no cache: the next start loads the bundle again */
  }
  try {
    fs.rmSync(tmp, { recursive: true, force: true });
  } catch {
    /* nothing was written */
  }
}
