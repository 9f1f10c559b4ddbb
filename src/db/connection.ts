/**
 * From what the user wrote (a URL or libpq keyword=value pairs) to a
 * node-postgres client config, a display form with every password masked, and
 * the secrets to scrub from anything a driver says.
 *
 * - Forms: `postgres://user:pw@host:port/db?param=…` (password in the
 *   userinfo or as `?password=`), and `host=… port=… dbname=… user=…
 *   password=…` as libpq reads them (values may be 'quoted'). PGPASSWORD and
 *   ~/.pgpass are read by node-postgres when no password is given.
 * - SSL follows libpq's sslmode, not node-postgres's (which treats require as
 *   verify-full and prints a warning about it): disable; allow (plain, then
 *   TLS if the server insists); prefer (TLS unverified, else plain); require
 *   (TLS unverified, or verify-ca when a root certificate is given); verify-ca
 *   (the chain, not the host name); verify-full (chain and host name, against
 *   sslrootcert or the system's CAs; sslrootcert=system names the latter).
 *   No sslmode: PGSSLMODE, else no TLS (node-postgres's default; libpq's is prefer).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createRequire } from 'node:module';
import type * as PgConnectionString from 'pg-connection-string';
import { ExitCode, VsgError } from '../errors.js';

export interface ConnectionTarget {
  config: pg.ClientConfig;
  /** where it points, every password masked */
  where: string;
  /** passwords and passphrases in it, to scrub from driver messages */
  secrets: string[];
  /** sslmode=prefer: plain if the server has no TLS; allow: TLS if the server refuses plain */
  fallback?: 'plain' | 'tls';
}

const SSL_KEYS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'ssl', 'uselibpqcompat'];

/** libpq keywords vsg passes on, and the node-postgres setting each becomes. */
const KEYWORDS: Record<string, string> = {
  host: 'host',
  hostaddr: 'host',
  port: 'port',
  dbname: 'database',
  user: 'user',
  password: 'password',
  application_name: 'application_name',
  fallback_application_name: 'fallback_application_name',
  options: 'options',
  client_encoding: 'client_encoding',
  connect_timeout: 'connect_timeout',
};

const HINT = 'check --url, VSG_DATABASE_URL or .vsgrc';

function bad(message: string, hint = HINT): VsgError {
  return new VsgError('E_CONFIG', message, { exitCode: ExitCode.connection, hint });
}

/** The credentials of a URL: between '://' and the LAST '@' (a raw '@' in a password stays in it). */
function credentials(url: string): { head: string; user: string; password: string | null; tail: string } | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(url);
  if (!m) return null;
  const rest = url.slice(m[1].length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return null;
  const info = rest.slice(0, at);
  const colon = info.indexOf(':');
  return { head: m[1], user: colon < 0 ? info : info.slice(0, colon), password: colon < 0 ? null : info.slice(colon + 1), tail: rest.slice(at + 1) };
}

const isUrl = (text: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
const isKeywords = (text: string) => /^\s*[a-z_]+\s*=/i.test(text);

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Mask every password of a connection URL or keyword=value string, for every message vsg prints. */
export function maskConnection(text: string): string {
  if (isUrl(text)) {
    const c = credentials(text);
    const url = c && c.password !== null ? `${c.head}${c.user}:***@${c.tail}` : text;
    return url.replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***');
  }
  if (isKeywords(text)) return text.replace(/((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|(?:[^\s\\]|\\.)+)/gi, '$1***');
  return text;
}

/** libpq's keyword=value syntax: whitespace between pairs, values bare or 'single-quoted', backslash escapes. */
export function parseKeywords(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  for (ws(); i < text.length; ws()) {
    const key = /^[a-z_]+/i.exec(text.slice(i))?.[0];
    if (!key) throw bad('malformed connection string: expected keyword=value', 'write host=… port=… dbname=… user=…, or a postgres:// URL');
    i += key.length;
    ws();
    if (text[i] !== '=') throw bad(`malformed connection string: missing '=' after '${key}'`);
    i++;
    ws();
    let value = '';
    if (text[i] === "'") {
      i++;
      for (; i < text.length && text[i] !== "'"; i++) value += text[i] === '\\' ? text[++i] : text[i];
      if (text[i] !== "'") throw bad(`malformed connection string: unterminated quoted value of '${key}'`);
      i++;
    } else {
      for (; i < text.length && !/\s/.test(text[i]); i++) value += text[i] === '\\' ? text[++i] : text[i];
    }
    out.set(key.toLowerCase(), value);
  }
  return out;
}

function readFile(kind: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw bad(`cannot read ${kind} '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** node-postgres's `ssl` (and the fallback) for libpq's sslmode and friends. */
export function sslConfig(p: Map<string, string>, env: NodeJS.ProcessEnv): { ssl: pg.ClientConfig['ssl']; fallback?: 'plain' | 'tls' } {
  let mode = p.get('sslmode') ?? env.PGSSLMODE;
  if (mode === undefined) {
    const flag = p.get('ssl');
    mode = flag === 'true' || flag === '1' ? 'verify-full' : 'disable'; // node-postgres's ?ssl=true verifies
  }
  if (mode === 'disable') return { ssl: false };
  const unverified = { rejectUnauthorized: false };
  if (mode === 'allow') return { ssl: false, fallback: 'tls' };
  if (mode === 'prefer') return { ssl: unverified, fallback: 'plain' };
  if (mode === 'no-verify') return { ssl: unverified };
  if (!['require', 'verify-ca', 'verify-full'].includes(mode)) {
    throw bad(`invalid sslmode '${mode}'`, 'use disable, allow, prefer, require, verify-ca or verify-full');
  }
  const tls: Exclude<pg.ClientConfig['ssl'], boolean | undefined> = {};
  const cert = p.get('sslcert');
  const key = p.get('sslkey');
  if (cert) tls.cert = readFile('sslcert', cert);
  if (key) tls.key = readFile('sslkey', key);
  if (p.get('sslpassword')) tls.passphrase = p.get('sslpassword');
  // libpq: the root certificate is sslrootcert, else ~/.postgresql/root.crt if present; "system" means the system's CAs.
  const named = p.get('sslrootcert') ?? env.PGSSLROOTCERT;
  const home = path.join(env.HOME ?? os.homedir(), '.postgresql', 'root.crt');
  const rootFile = named === 'system' ? undefined : (named ?? (fs.existsSync(home) ? home : undefined));
  if (named === 'system') mode = 'verify-full';
  if (rootFile) tls.ca = readFile('sslrootcert', rootFile);
  if (mode === 'require' && !rootFile) return { ssl: { ...tls, ...unverified } };
  if (mode === 'require' || mode === 'verify-ca') {
    if (!rootFile) throw bad('sslmode=verify-ca needs a root certificate', 'add sslrootcert=<file> (or use sslmode=verify-full against the system CAs)');
    return { ssl: { ...tls, checkServerIdentity: () => undefined } };
  }
  return { ssl: tls };
}

/** Parse what the user wrote into a node-postgres config; malformed input is one clear line (exit 5). */
export function parseConnection(text: string, env: NodeJS.ProcessEnv = process.env): ConnectionTarget {
  const where = maskConnection(text);
  if (isKeywords(text) && !isUrl(text)) return fromKeywords(text, where, env);
  if (!isUrl(text)) {
    throw bad('the connection string is neither a URL nor keyword=value pairs', 'write postgres://user@host:port/database, or host=… port=… dbname=… user=…');
  }
  const c = credentials(text);
  if (c?.password && /[@#/?]/.test(c.password)) {
    // A URL parser would cut the password there and send the rest as a host name
    // to DNS and into error messages: refuse before connecting.
    throw new VsgError('E_CONFIG', `the password in '${where}' must be percent-encoded`, {
      exitCode: ExitCode.connection,
      hint: "write '@' as %40, '#' as %23, '/' as %2F, '?' as %3F",
    });
  }
  // Take the SSL parameters out before node-postgres's parser sees them: it
  // would read files, warn, and give require the meaning of verify-full.
  const afterAuthority = c ? text.length - c.tail.length : 0;
  const q = text.indexOf('?', afterAuthority);
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const ssl = new Map<string, string>();
  for (const k of SSL_KEYS) {
    const v = params.get(k);
    if (v !== null) ssl.set(k, v);
    params.delete(k);
  }
  const rest = params.toString();
  const bare = (q < 0 ? text : text.slice(0, q)) + (rest ? `?${rest}` : '');
  let parsed: Record<string, unknown>;
  try {
    // Loaded here, not at the top: a command that connects to nothing (--help, a
    // refusal outside a repository) loads nothing of the driver's family.
    const { parse, toClientConfig } = createRequire(import.meta.url)('pg-connection-string') as typeof PgConnectionString;
    parsed = toClientConfig(parse(bare)) as Record<string, unknown>;
  } catch (e) {
    throw bad(`malformed connection URL '${where}': ${(e as Error).message}`);
  }
  if (parsed.password === '') delete parsed.password;
  if (parsed.user === '') delete parsed.user;
  const { ssl: tls, fallback } = sslConfig(ssl, env);
  const secrets = [parsed.password, ssl.get('sslpassword'), c?.password ?? undefined].filter((s): s is string => typeof s === 'string' && s !== '');
  return { config: { ...(parsed as pg.ClientConfig), ssl: tls }, where, secrets, fallback };
}

function fromKeywords(text: string, where: string, env: NodeJS.ProcessEnv): ConnectionTarget {
  const pairs = parseKeywords(text);
  const config: Record<string, unknown> = {};
  const ssl = new Map<string, string>();
  for (const [key, value] of pairs) {
    if (SSL_KEYS.includes(key)) ssl.set(key, value);
    else if (KEYWORDS[key]) config[KEYWORDS[key]] = value;
    else throw bad(`unsupported connection keyword '${key}'`, `vsg reads ${[...Object.keys(KEYWORDS), ...SSL_KEYS.slice(0, 5)].join(', ')}`);
  }
  if (config.port !== undefined) {
    const port = Number(config.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw bad(`invalid port '${String(config.port)}' in '${where}'`);
    config.port = port;
  }
  if (config.connect_timeout !== undefined) config.connectionTimeoutMillis = Number(config.connect_timeout) * 1000;
  if (config.password === '') delete config.password;
  const { ssl: tls, fallback } = sslConfig(ssl, env);
  const secrets = [pairs.get('password'), pairs.get('sslpassword')].filter((s): s is string => typeof s === 'string' && s !== '');
  return { config: { ...(config as pg.ClientConfig), ssl: tls }, where, secrets, fallback };
}

const kept = new Set<string>();

/** Remember a secret, so that scrubSecrets removes it from any message. */
export function keepSecret(secret: string | null | undefined): void {
  if (secret) kept.add(secret);
}

/**
 * Remove every known secret (and PGPASSWORD) from a text, raw or URL-encoded.
 * Secrets under four characters are left: scrubbing them would shred the text;
 * the structural masking of maskConnection covers those.
 */
export function scrubSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  const all = [...kept, env.PGPASSWORD ?? ''].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of all) {
    for (const form of new Set([s, encodeURIComponent(s), decode(s)])) out = out.split(form).join('***');
  }
  return out;
}
