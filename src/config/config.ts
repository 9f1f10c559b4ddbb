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
import { cosmiconfig } from 'cosmiconfig';
import { ExitCode, VsgError } from '../errors.js';

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

function configError(message: string, file?: string): VsgError {
  return new VsgError('E_CONFIG', file ? `${message} in '${file}'` : message, {
    exitCode: ExitCode.connection,
    hint: 'fix the configuration file (see README: Configuration)',
  });
}

/** Replace `${NAME}` with the environment's value; an unset name is an error. */
export function interpolate(value: string, env: NodeJS.ProcessEnv, file?: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw configError(`environment variable '${name}' is not set`, file);
    return v;
  });
}

/** Validate a raw config object, collecting every problem into one error. */
export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv, file?: string): VsgConfig {
  if (raw === null || raw === undefined) return { file };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configError('configuration must be an object', file);
  const problems: string[] = [];
  const out: VsgConfig = { file };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!KNOWN_KEYS.has(key)) {
      problems.push(`unknown key '${key}'`);
      continue;
    }
    if (typeof value !== 'string') {
      problems.push(`'${key}' must be a string`);
      continue;
    }
    (out as Record<string, string>)[key] = interpolate(value, env, file);
  }
  if (problems.length) throw configError(problems.join('; '), file);
  return out;
}

/** Find and load .vsgrc (or equivalent) from cwd upwards. */
export async function loadConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<VsgConfig> {
  const explorer = cosmiconfig('vsg', {
    searchStrategy: 'global',
    stopDir: os.homedir(),
  });
  let found;
  try {
    found = await explorer.search(cwd);
  } catch (e) {
    const err = e as Error & { filepath?: string };
    const first = String(err.message).split('\n')[0];
    throw configError(`malformed configuration: ${first}`, err.filepath);
  }
  if (!found || found.isEmpty) return {};
  return validateConfig(found.config, env, found.filepath);
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
