/**
 * Where vsg connects, and who commits. Precedence, highest first:
 *   url:    --url, VSG_DATABASE_URL, .vsgrc `url`, else the embedded database
 *   author: --author, VSG_AUTHOR, .vsgrc `author`, else the OS user
 * .vsgrc is any file cosmiconfig finds for "vsg"; `${VAR}` in a string value is
 * read from the environment, and an unset variable is an error (never an
 * empty password).
 */
import os from 'node:os';
import path from 'node:path';
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import { ExitCode, VsgError } from '../errors.js';
import { jsonProblem, lineColumn } from './json.js';

export interface VsgConfig {
  url?: string;
  author?: string;
  /** directory of the embedded database */
  dir?: string;
  /** the file the settings came from, if any */
  file?: string;
}

export interface ResolvedConnection {
  kind: 'postgres' | 'pglite';
  url?: string;
  dir: string;
  source: '--url' | 'VSG_DATABASE_URL' | '.vsgrc' | 'embedded';
}

const KNOWN_KEYS = new Set(['url', 'author', 'dir']);
const HINT = 'fix the configuration file (see README: Configuration)';

function configError(message: string, file?: string): VsgError {
  return new VsgError('E_CONFIG', file ? `${message} in '${file}'` : message, { exitCode: ExitCode.connection, hint: HINT });
}

/** One problem of a configuration file, where it is when known. */
export interface ConfigProblem {
  line?: number;
  column?: number;
  message: string;
}

/**
 * The problems of a file as one error: `file:line:column: reason`, as
 * compilers say it, each problem on its own line.
 */
function problemsError(file: string, problems: ConfigProblem[]): VsgError {
  const at = (p: ConfigProblem) => `${file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.message}`;
  const message = problems.length === 1 ? at(problems[0]) : `${file}: ${problems.length} problems\n${problems.map(at).join('\n')}`;
  return new VsgError('E_CONFIG', message, { exitCode: ExitCode.connection, hint: HINT, data: { file, problems } });
}

/** Replace `${NAME}` with the environment's value; an unset name is an error. */
export function interpolate(value: string, env: NodeJS.ProcessEnv, file?: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw configError(`environment variable '${name}' is not set`, file);
    return v;
  });
}

/** Where a key (or its value) is written in a JSON or YAML text, best effort. */
function locate(text: string | undefined, key: string, what: 'key' | 'value' | string): { line?: number; column?: number } {
  if (text === undefined) return {};
  const k = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[{,\\s])(["']?)${k}\\2\\s*:[ \\t]*`, 'm').exec(text);
  if (!m) return {};
  let offset = m.index + m[1].length;
  if (what === 'value') offset = m.index + m[0].length;
  else if (what !== 'key') {
    const i = text.indexOf(what, offset);
    if (i >= 0) offset = i;
  }
  return lineColumn(text, offset);
}

/**
 * Validate a raw config object, collecting every problem (unknown keys, wrong
 * types, unset variables) into one error. `text` is the file's text, to say
 * where each problem is.
 */
export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv, file = '.vsgrc', text?: string): VsgConfig {
  if (raw === null || raw === undefined) return { file };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw problemsError(file, [{ message: 'the configuration must be an object (url, author, dir)' }]);
  const problems: ConfigProblem[] = [];
  const out: VsgConfig = { file };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!KNOWN_KEYS.has(key)) {
      problems.push({ ...locate(text, key, 'key'), message: `unknown key '${key}' (vsg reads ${[...KNOWN_KEYS].join(', ')})` });
      continue;
    }
    if (typeof value !== 'string') {
      problems.push({ ...locate(text, key, 'value'), message: `'${key}' must be a string` });
      continue;
    }
    const unset = [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].filter((m) => env[m[1]] === undefined);
    for (const m of unset) problems.push({ ...locate(text, key, m[0]), message: `environment variable '${m[1]}' is not set` });
    if (!unset.length) (out as Record<string, string>)[key] = interpolate(value, env, file);
  }
  if (problems.length) throw problemsError(file, problems);
  return out;
}

/**
 * Read a configuration file's text: JSON strictly (a `.json` file, or a
 * `.vsgrc` that starts with `{` or `[`), else YAML; a syntax error says
 * where it is.
 */
function parseText(filepath: string, text: string, shown: string): unknown {
  const json = filepath.endsWith('.json') || (!/\.ya?ml$/.test(filepath) && /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')));
  if (json) {
    const body = text.replace(/^\uFEFF/, '');
    const problem = jsonProblem(body);
    if (problem) throw problemsError(shown, [{ ...lineColumn(body, problem.offset), message: problem.reason }]);
    return body.trim() === '' ? null : JSON.parse(body);
  }
  try {
    return (defaultLoaders['.yaml'] as (f: string, t: string) => unknown)(filepath, text);
  } catch (e) {
    const y = e as { mark?: { line: number; column: number }; reason?: string; message?: string };
    const where = y.mark ? { line: y.mark.line + 1, column: y.mark.column + 1 } : {};
    throw problemsError(shown, [{ ...where, message: y.reason ?? String(y.message).split('\n').pop() ?? 'not YAML' }]);
  }
}

/** Find and load .vsgrc (or equivalent) from cwd upwards. */
export async function loadConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<VsgConfig> {
  const shown = (file: string) => {
    const rel = path.relative(cwd, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
  };
  const texts = new Map<string, string>();
  const loader = (filepath: string, text: string) => {
    texts.set(filepath, text);
    return parseText(filepath, text, shown(filepath));
  };
  const explorer = cosmiconfig('vsg', {
    searchStrategy: 'global',
    stopDir: os.homedir(),
    loaders: { '.json': loader, '.yaml': loader, '.yml': loader, noExt: loader },
  });
  let found;
  try {
    found = await explorer.search(cwd);
  } catch (e) {
    if (e instanceof VsgError) throw e;
    const err = e as Error & { filepath?: string };
    const first = String(err.message).split('\n')[0];
    throw configError(`malformed configuration: ${first}`, err.filepath);
  }
  if (!found || found.isEmpty) return {};
  // package.json: the keys are looked for in its "vsg" object only, so no position is guessed there
  const text = path.basename(found.filepath) === 'package.json' ? undefined : texts.get(found.filepath);
  return validateConfig(found.config, env, shown(found.filepath), text);
}

/** Decide where to connect, by the documented precedence. */
export function resolveConnection(opts: { url?: string }, env: NodeJS.ProcessEnv, config: VsgConfig, cwd: string): ResolvedConnection {
  const dir = path.resolve(cwd, env.VSG_DIR ?? config.dir ?? '.vsg');
  if (opts.url) return { kind: 'postgres', url: opts.url, dir, source: '--url' };
  if (env.VSG_DATABASE_URL) return { kind: 'postgres', url: env.VSG_DATABASE_URL, dir, source: 'VSG_DATABASE_URL' };
  if (config.url) return { kind: 'postgres', url: config.url, dir, source: '.vsgrc' };
  return { kind: 'pglite', dir, source: 'embedded' };
}

/** Who commits, by the documented precedence. */
export function resolveAuthor(opts: { author?: string }, env: NodeJS.ProcessEnv, config: VsgConfig): string {
  if (opts.author) return opts.author;
  if (env.VSG_AUTHOR) return env.VSG_AUTHOR;
  if (config.author) return config.author;
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
}
