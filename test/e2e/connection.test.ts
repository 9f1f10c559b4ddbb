/**
 * Connection strings through bin/vsg: a password, in whatever form
 * node-postgres or libpq accepts it, never reaches the terminal (a refused
 * connection, `--verbose`, the "this is a bug" report and its stack);
 * keyword=value strings connect; sslmode has libpq's meaning, with no
 * node-postgres warning. The embedded database has no connection string, so
 * these run against the server alone (the masking cases need no server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, root, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

const SECRET = 'S3cretPw';
const CLOSED = '127.0.0.1:5999';
const REFUSED = `connect ECONNREFUSED ${CLOSED}`;

/** No trace of the secret, raw or percent-encoded, in anything printed. */
function clean(r: { stdout: string; stderr: string }): void {
  for (const s of [SECRET, encodeURIComponent(`${SECRET}@x`), 'SECURITY WARNING']) {
    expect(r.stderr).not.toContain(s);
    expect(r.stdout).not.toContain(s);
  }
}

describe('passwords in every form are masked when the connection fails', () => {
  let cwd: string;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PAGER: 'cat' };
  delete env.VSG_DATABASE_URL;
  delete env.PGPASSWORD;
  const at = (extra: NodeJS.ProcessEnv = {}) => ({ cwd, env: { ...env, ...extra } });

  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-conn-'));
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  const cases: [string, string, string][] = [
    ['the URL userinfo', `postgres://postgres:${SECRET}@${CLOSED}/db`, `postgres://postgres:***@${CLOSED}/db`],
    ['a percent-encoded userinfo', `postgres://postgres:${encodeURIComponent(`${SECRET}@x`)}@${CLOSED}/db`, `postgres://postgres:***@${CLOSED}/db`],
    ['?password=', `postgres://postgres@${CLOSED}/db?password=${SECRET}`, `postgres://postgres@${CLOSED}/db?password=***`],
    ['&password= after another parameter', `postgres://postgres@${CLOSED}/db?application_name=x&password=${SECRET}`, `postgres://postgres@${CLOSED}/db?application_name=x&password=***`],
    ['keyword=value', `host=127.0.0.1 port=5999 user=postgres password=${SECRET} dbname=db`, 'host=127.0.0.1 port=5999 user=postgres password=*** dbname=db'],
    ['a quoted keyword value', `host=127.0.0.1 port=5999 password = '${SECRET} \\'x' dbname=db`, 'host=127.0.0.1 port=5999 password = *** dbname=db'],
  ];

  it.each(cases)('%s, from --url and with --verbose', async (_, url, masked) => {
    const r = await vsg(at(), ['status', '--verbose', '--url', url]);
    expect([r.code, r.stdout]).toEqual([5, '']);
    expect(r.stderr.split('\n')[0]).toBe(`error: cannot connect to '${masked}': ${REFUSED}`);
    expect(r.stderr).toContain('code: E_CONNECT');
    clean(r);
  });

  it.each(cases)('%s, from VSG_DATABASE_URL', async (_, url, masked) => {
    const r = await vsg(at({ VSG_DATABASE_URL: url }), ['log']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([5, `error: cannot connect to '${masked}': ${REFUSED}`]);
    clean(r);
  });

  it.each(cases)('%s, from .vsgrc through vsg doctor', async (_, url, masked) => {
    const dir = fs.mkdtempSync(path.join(cwd, 'rc-'));
    fs.writeFileSync(path.join(dir, '.vsgrc'), JSON.stringify({ url }));
    const r = await vsg({ cwd: dir, env }, ['doctor']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([5, `error: cannot connect to '${masked}': ${REFUSED}`]);
    clean(r);
  });

  it('PGPASSWORD and ~/.pgpass stay out of the message', async () => {
    const pgpass = path.join(cwd, 'pgpass');
    fs.writeFileSync(pgpass, `*:*:*:*:${SECRET}\n`, { mode: 0o600 });
    const r = await vsg(at({ PGPASSWORD: SECRET, PGPASSFILE: pgpass }), ['status', '--verbose', '--url', `postgres://postgres@${CLOSED}/db`]);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([5, `error: cannot connect to 'postgres://postgres@${CLOSED}/db': ${REFUSED}`]);
    clean(r);
  });

  it('a keyword=value string libpq would refuse is refused in one line, password masked', async () => {
    const r = await vsg(at(), ['status', '--url', `host=127.0.0.1 password=${SECRET} sslfoo=1`]);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([5, "error: unsupported connection keyword 'sslfoo'"]);
    clean(r);
    const junk = await vsg(at(), ['status', '--url', `db.example.com:${SECRET}`]);
    expect([junk.code, junk.stderr.split('\n')[0]]).toEqual([5, 'error: the connection string is neither a URL nor keyword=value pairs']);
    clean(junk);
  });
});

describe.skipIf(!targetNames().includes('postgres'))('connection strings against the server', () => {
  let t: Target;
  let hook: string;
  let u: URL;
  const env: NodeJS.ProcessEnv = {};
  const keywords = (extra = '') => `host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username) || 'postgres'} dbname=${u.pathname.slice(1)}${extra}`;
  const withUrl = (url: string) => ({ cwd: t.cwd, env: { ...t.env, ...env, VSG_DATABASE_URL: url } });

  beforeAll(async () => {
    t = await makeTarget('postgres');
    u = new URL(t.url!);
    Object.assign(env, t.env);
    delete env.PGPASSWORD;
    await vsgOk(t, ['init']);
    // A driver that fails after connecting with a message quoting the password
    // it holds: what reaches vsg's "this is a bug" report, message and stack.
    hook = path.join(t.cwd, 'leaky-driver.cjs');
    fs.writeFileSync(
      hook,
      `const pg = require(${JSON.stringify(path.join(root, 'node_modules', 'pg'))});
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : config && config.text;
  // the session's settings go through (sql/session/settings.sql, or SET on the embedded database)
  if (String(text).startsWith('SET ') || String(text).includes('pg_is_in_recovery() AS standby')) return query.call(this, config, ...rest);
  return Promise.reject(new Error('driver fell over: password ' + this.password + ' for ' + this.user));
};
`,
    );
  });
  afterAll(() => t.cleanup());

  it('a keyword=value string connects, and doctor shows it masked', async () => {
    const kv = keywords(` password='${SECRET} x' application_name=vsg_kv`);
    const r = await vsg(withUrl(kv), ['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`ok    connection: server: ${keywords(' password=*** application_name=vsg_kv')}`);
    clean(r);
    expect(await vsgOk(t, ['status', '--url', keywords()])).toBe(await vsgOk(t, ['status']));
  });

  it('doctor masks ?password= on a working connection', async () => {
    const url = `${t.url}?password=${SECRET}`;
    const r = await vsg(withUrl(url), ['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('?password=***');
    clean(r);
  });

  it.each([
    ['the URL userinfo', () => ({ url: t.url!.replace('://postgres@', `://postgres:${SECRET}@`), extra: {} })],
    ['?password=', () => ({ url: `${t.url}?password=${SECRET}`, extra: {} })],
    ['keyword=value', () => ({ url: keywords(` password=${SECRET}`), extra: {} })],
    ['PGPASSWORD', () => ({ url: t.url!, extra: { PGPASSWORD: SECRET } })],
  ])('the bug report scrubs a password given by %s from its message and stack', async (_, given) => {
    const { url, extra } = given();
    const r = await vsg(withUrl(url), ['status', '--verbose'], { env: { ...extra, NODE_OPTIONS: `--require ${hook}` } });
    expect(r.code).toBe(70);
    expect(r.stderr.split('\n')[0]).toBe('error: this is a bug in vsg: driver fell over: password *** for postgres');
    expect(r.stderr).toMatch(/\n\s+at /); // the stack is there, scrubbed
    clean(r);
  });

  it.each(['disable', 'prefer', 'allow'])('sslmode=%s connects to a server without TLS, quietly', async (mode) => {
    const r = await vsg(withUrl(`${t.url}?sslmode=${mode}`), ['status']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const kv = await vsg(withUrl(keywords(` sslmode=${mode}`)), ['status']);
    expect([kv.code, kv.stderr]).toEqual([0, '']);
  });

  it.each(['require', 'verify-full'])('sslmode=%s against a server without TLS is one line and exit 5', async (mode) => {
    const url = `${t.url}?sslmode=${mode}`;
    const r = await vsg(withUrl(url), ['status']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `error: cannot connect to '${url}': the server does not support SSL connections\n` +
        'hint: the server does not offer TLS: use sslmode=prefer or sslmode=disable, or enable ssl on the server\n',
    );
  });

  it('sslmode=verify-ca without a root certificate, a missing sslrootcert and an unknown sslmode are refused before connecting', async () => {
    const home = fs.mkdtempSync(path.join(t.cwd, 'home-'));
    const noCa = await vsg(withUrl(`${t.url}?sslmode=verify-ca`), ['status'], { env: { HOME: home } });
    expect([noCa.code, noCa.stderr.split('\n')[0]]).toEqual([5, 'error: sslmode=verify-ca needs a root certificate']);
    const missing = await vsg(withUrl(`${t.url}?sslmode=require&sslrootcert=/nonexistent/root.crt&password=${SECRET}`), ['status']);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([5, "error: cannot read sslrootcert '/nonexistent/root.crt': ENOENT"]);
    clean(missing);
    const bogus = await vsg(withUrl(`${t.url}?sslmode=bogus`), ['status']);
    expect([bogus.code, bogus.stderr.split('\n')[0]]).toEqual([5, "error: invalid sslmode 'bogus'"]);
  });
});
