/**
 * PGlite's WebAssembly module (9 MB) compiled while the CLI's own modules
 * load. V8 compiles a module on its background threads; started by bin/vsg
 * before it imports the CLI, the compile overlaps the ~0.1 s of loading
 * JavaScript, and the embedded database's start (src/db/embedded.ts) takes
 * the compiled module instead of reading and compiling the file itself.
 *
 * Started only where the command will open the embedded database: no server
 * named by --url or VSG_DATABASE_URL, and a repository directory present
 * (`.vsg`, or VSG_DIR). A `.vsgrc` naming a server is not read this early:
 * there the compile runs on a background thread for nothing. This module
 * loads nothing else, so that bin/vsg pays nothing for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

/**
 * V8 compiles WebAssembly quickly to baseline code, then recompiles each
 * function that runs long enough with its optimising compiler, on other
 * threads. PGlite's start runs much of PostgreSQL once, so the default
 * threshold has those threads recompile hundreds of functions that will not
 * run again in a one-command process: on two cores that doubled an embedded
 * command's time. A thousand times the default still optimises the loops of a
 * long operation within its first moments. Only the CLI sets this (bin/vsg,
 * src/cli/main.ts): it is the whole process's, and a library must leave its
 * host's alone.
 */
export const WASM_TIERING = '--wasm-tiering-budget=1800000000';

const KEY = Symbol.for('vsg.pgliteWasm');
type Holder = { [KEY]?: Promise<WebAssembly.Module> };

/** Arguments after which no database is opened: help, the version, shell completion. */
const NO_DATABASE = new Set(['--help', '-h', 'help', '--version', '-V', 'completion']);

/**
 * Whether this command line (the arguments after `vsg`) will open the
 * embedded database in `cwd`, as far as can be told without the configuration.
 */
export function embeddedLikely(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): boolean {
  if (args.length === 0 || args.some((a) => NO_DATABASE.has(a))) return false;
  if (env.VSG_DATABASE_URL || args.some((a) => a === '--url' || a.startsWith('--url='))) return false;
  return fs.existsSync(path.resolve(cwd, env.VSG_DIR || '.vsg'));
}

/** Start compiling PGlite's module now, in the background (the CLI's start, bin/vsg). */
export function precompile(): void {
  const holder = globalThis as Holder;
  if (holder[KEY]) return;
  try {
    v8.setFlagsFromString(WASM_TIERING);
    const dist = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
    const started = WebAssembly.compile(fs.readFileSync(path.join(dist, 'pglite.wasm')));
    started.catch(() => undefined); // PGlite compiles its own if this failed
    holder[KEY] = started;
  } catch {
    /* only ever a shortcut */
  }
}

/** The module precompile started, or undefined (PGlite reads and compiles its own). */
export async function precompiled(): Promise<WebAssembly.Module | undefined> {
  const started = (globalThis as Holder)[KEY];
  return started?.catch(() => undefined);
}
