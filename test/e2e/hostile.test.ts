/**
 * Hostile and bad input: table names that try to be SQL, names PostgreSQL
 * would truncate, a same-named table earlier in search_path, passwords that
 * must never be printed, broken configuration, and a read-only role.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

/** Each name as SQL would quote it, and how `vsg` is asked for it. */
const NAMES: { sql: string; arg: string }[] = [
  { sql: '"MixedCase"', arg: 'MixedCase' },
  { sql: '"select"', arg: '"select"' },
  { sql: '"we.ird"."dots.in.name"', arg: '"we.ird"."dots.in.name"' },
  { sql: '"quo""te\'s"', arg: '"quo""te\'s"' },
  { sql: '"x; DROP TABLE victim; --"', arg: '"x; DROP TABLE victim; --"' },
  { sql: '"ünï ☃ 表"', arg: 'ünï ☃ 表' },
];

const LONG63 = 'l'.repeat(63);
const LONG100 = 'l'.repeat(100);

function codeOf(stderr: string): string | undefined {
  return /code: (E_[A-Z_]+)/.exec(stderr)?.[1];
}

describe.each(targetNames())('hostile table names on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    await repo.sql('CREATE SCHEMA "we.ird"; CREATE SCHEMA app');
    await repo.sql('CREATE TABLE victim (id int PRIMARY KEY)');
    for (const n of NAMES) await repo.sql(`CREATE TABLE ${n.sql} (id int PRIMARY KEY, v text)`);
    await repo.sql(`CREATE TABLE ${LONG63} (id int PRIMARY KEY)`);
    await repo.sql('CREATE TABLE app.items (id int PRIMARY KEY, v text); CREATE TABLE public.items (id int PRIMARY KEY, v text)');
    await repo.close();
  });
  afterAll(() => t.cleanup());

  it('column names that try to end a quote of vsg\'s own SQL are only names: captured, written back, nothing else runs', async () => {
    const cols = ['"$capture$"', '"$q$; DROP TABLE victim; --"', '"it\'s"', '"a""b"'];
    const repo = await t.open();
    try {
      await repo.sql(`CREATE TABLE cols (id int PRIMARY KEY, ${cols.map((c) => `${c} text`).join(', ')})`);
      await repo.track('cols', { author: 'x' });
      await repo.commit({ table: 'cols', author: 'x', sql: `INSERT INTO cols VALUES (1, 'a', 'b', 'c', 'd')` });
      const c = await repo.commit({ table: 'cols', author: 'x', sql: `UPDATE cols SET ${cols.map((c) => `${c} = ${c} || '2'`).join(', ')}` });
      expect(c.commit.updated).toBe(1);
      // an ALTER outside vsg sends the capture down its dynamic path: the same names there
      await repo.sql('ALTER TABLE cols ADD COLUMN "$src$" text');
      await repo.sql(`UPDATE cols SET "$src$" = 'e'`);
      const s = await repo.commit({ table: 'cols', author: 'x' });
      expect([s.commit.kind, s.schema]).toEqual(['SCHEMA', ["column '$src$' added (text)"]]);
      await repo.checkout({ table: 'cols', ref: 'HEAD~2', author: 'x' });
      expect((await repo.sql('SELECT * FROM cols')).rows).toEqual([['1', 'a', 'b', 'c', 'd', null]]);
      expect((await repo.sql("SELECT to_regclass('victim') IS NOT NULL")).rows).toEqual([['t']]);
      expect((await repo.verify()).ok).toBe(true);
      // untrack takes the table's capture function with its triggers
      await repo.untrack('cols', { force: true });
      expect((await repo.sql("SELECT count(*) FROM pg_proc WHERE proname ~ '^capture_[0-9]+$'")).rows).toEqual([['0']]);
    } finally {
      await repo.close();
    }
  });

  it('tracks, commits and logs exactly the table named, and runs nothing else', async () => {
    const repo = await t.open();
    try {
      for (const n of NAMES) {
        const oid = (await repo.sql(`SELECT '${n.sql.replace(/'/g, "''")}'::regclass::oid::text`)).rows[0][0];
        const tr = await repo.track(n.arg, { author: 'x' });
        expect(tr.table.relid, n.sql).toBe(oid);
        const c = await repo.commit({ table: n.arg, author: 'x', sql: `INSERT INTO ${n.sql} VALUES (1, 'one')` });
        expect(c.commit.inserted).toBe(1);
        expect((await repo.log({ table: n.arg })).commits ?? []).not.toHaveLength(0);
      }
      expect((await repo.tables()).map((x) => x.relid).sort()).toHaveLength(NAMES.length);
      expect((await repo.verify()).ok).toBe(true);
    } finally {
      await repo.close();
    }
    // through the CLI too: the name that is a statement
    const out = await vsgOk(t, ['log', '-t', '"x; DROP TABLE victim; --"', '--oneline']);
    expect(out).toMatch(/INSERT INTO "x; DROP TABLE victim; --"/);
    const bad = await vsg(t, ['--verbose', 'track', 'victim; DROP TABLE victim']);
    expect(bad.code).toBe(3);
    expect(codeOf(bad.stderr)).toBe('E_NO_TABLE');
    expect((await t.sql(`SELECT to_regclass('victim')::text AS r`)).rows[0].r).toBe('victim');
  });

  it('refuses a name longer than PostgreSQL identifiers instead of truncating it to another table', async () => {
    const r = await vsg(t, ['--verbose', 'track', LONG100]);
    expect(r.code).toBe(3);
    expect(codeOf(r.stderr)).toBe('E_NO_TABLE');
    const repo = await t.open();
    try {
      await expect(repo.track(`public.${LONG100}`, { author: 'x' })).rejects.toMatchObject({ code: 'E_NO_TABLE' });
      expect((await repo.tables()).some((x) => x.name === LONG63)).toBe(false);
      await repo.track(LONG63, { author: 'x' });
    } finally {
      await repo.close();
    }
  });

  it('never confuses a same-named table earlier in search_path with the tracked one', async () => {
    const repo = await t.open();
    try {
      await repo.track('app.items', { author: 'x' });
      // "items" is public.items by search_path: untracked, refused, never app.items
      await expect(repo.status({ table: 'items' })).rejects.toMatchObject({ code: 'E_NOT_TRACKED' });
      await expect(repo.commit({ table: 'items', author: 'x', sql: "INSERT INTO items VALUES (1, 'public')" })).rejects.toMatchObject({ code: 'E_NOT_TRACKED' });
      const c = await repo.commit({ table: 'app.items', author: 'x', sql: "INSERT INTO app.items VALUES (1, 'app')" });
      expect(c.commit.inserted).toBe(1);
      expect((await repo.sql('SELECT count(*) FROM public.items')).rows).toEqual([['0']]);
    } finally {
      await repo.close();
    }
    const r = await vsg(t, ['--verbose', 'log', '-t', 'items']);
    expect(r.code).toBe(3);
    expect(codeOf(r.stderr)).toBe('E_NOT_TRACKED');
  });
});

describe('secrets and configuration', () => {
  const password = `p@ss#w%rd$'"x`;
  const encoded = encodeURIComponent(password).replace(/'/g, '%27');
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-hostile-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = (extra: NodeJS.ProcessEnv = {}) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete e.VSG_DATABASE_URL;
    return { ...e, ...extra };
  };
  const leaks = (text: string) => [password, encoded, 'ss#w', 'w%rd', `rd$'`].filter((s) => text.includes(s));

  it('never prints the password of a failing connection, even with --verbose', async () => {
    for (const url of [`postgres://bob:${encoded}@127.0.0.1:1/db`, `postgres://bob:${password}@127.0.0.1:1/db`]) {
      for (const args of [['--verbose', 'status'], ['--verbose', 'log'], ['doctor', '--json']]) {
        const r = await vsg({ cwd: dir, env: env() }, ['--url', url, ...args]);
        expect(r.code, `${url} ${args.join(" ")} ${r.stderr}`).toBe(5);
        expect(leaks(r.stdout + r.stderr)).toEqual([]);
      }
    }
    // a raw '@' or '#' would be cut by a URL parser and sent on as a host name: refused up front
    const raw = await vsg({ cwd: dir, env: env() }, ['--verbose', '--url', `postgres://bob:${password}@127.0.0.1:1/db`, 'status']);
    expect(codeOf(raw.stderr)).toBe('E_CONFIG');
    const viaEnv = await vsg({ cwd: dir, env: env({ VSG_DATABASE_URL: `postgres://bob:${encoded}@127.0.0.1:1/db` }) }, ['--verbose', 'status']);
    expect(viaEnv.code).toBe(5);
    expect(leaks(viaEnv.stdout + viaEnv.stderr)).toEqual([]);
  });

  it('reads a password from ${VAR} in .vsgrc without printing it, and refuses an unset one', async () => {
    const rc = path.join(dir, 'rc');
    fs.mkdirSync(rc);
    fs.writeFileSync(path.join(rc, '.vsgrc.json'), JSON.stringify({ url: 'postgres://bob:${VSG_TEST_PW}@127.0.0.1:1/db' }));
    const set = await vsg({ cwd: rc, env: env({ VSG_TEST_PW: encoded }) }, ['--verbose', 'status']);
    expect(set.code).toBe(5);
    expect(codeOf(set.stderr)).toBe('E_CONNECT');
    expect(leaks(set.stdout + set.stderr)).toEqual([]);
    const unset = await vsg({ cwd: rc, env: env() }, ['--verbose', 'status']);
    expect(unset.code).toBe(5);
    expect(codeOf(unset.stderr)).toBe('E_CONFIG');
    expect(unset.stderr).toContain('VSG_TEST_PW');
  });

  it('exits 5 on a malformed .vsgrc', async () => {
    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, '.vsgrc.json'), '{ "url": ');
    const r = await vsg({ cwd: bad, env: env() }, ['--verbose', 'status']);
    expect(r.code).toBe(5);
    expect(codeOf(r.stderr)).toBe('E_CONFIG');
  });
});

describe.skipIf(!targetNames().includes('postgres'))('a read-only role on postgres (server only: PGlite has one role)', () => {
  let t: Target;
  let ro: Target;
  let role: string;
  beforeAll(async () => {
    t = await makeTarget('postgres');
    await vsgOk(t, ['init']);
    const repo = await t.open();
    await repo.sql("CREATE TABLE clients (id int PRIMARY KEY, name text); INSERT INTO clients VALUES (1, 'Ann'), (2, 'Bob')");
    await repo.track('clients', { author: 'admin' });
    await repo.commit({ table: 'clients', author: 'admin', sql: "UPDATE clients SET name = 'Anna' WHERE id = 1" });
    await repo.sql("INSERT INTO clients VALUES (3, 'Cy')"); // an uncommitted change for status and diff
    await repo.close();
    role = `vsg_ro_${process.pid}`;
    const db = new URL(t.url!).pathname.slice(1);
    await t.sql(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await t.sql(`CREATE ROLE ${role} LOGIN; GRANT CONNECT ON DATABASE ${db} TO ${role}; GRANT USAGE ON SCHEMA vsg, public TO ${role};
                 GRANT SELECT ON ALL TABLES IN SCHEMA vsg, public TO ${role}`);
    const u = new URL(t.url!);
    u.username = role;
    ro = { ...t, env: { ...t.env, VSG_DATABASE_URL: u.toString() } };
  });
  afterAll(async () => {
    await t.sql(`DROP OWNED BY ${role}`).catch(() => undefined);
    await t.cleanup();
    const admin = new pg.Client({ connectionString: t.url!.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin.end();
  });

  it('can read: log, show, diff, status, verify', async () => {
    for (const args of [['log', '--oneline'], ['show', 'HEAD', '-t', 'clients'], ['diff', '-t', 'clients'], ['status'], ['verify'], ['verify', '--digest']]) {
      const r = await vsg(ro, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(await vsgOk(ro, ['diff', '-t', 'clients', '--json'])).toContain('"Cy"');
  });

  it('write commands fail with exit 6 (E_PERMISSION) and change nothing', async () => {
    const snapshot = async () => {
      const a = await t.sql(`SELECT string_agg(format('%s=%s', id, name), ',' ORDER BY id) AS s FROM clients`);
      const b = await t.sql(`SELECT string_agg(id, ',' ORDER BY seq) AS s FROM vsg.commits`);
      const c = await t.sql(`SELECT string_agg(name || ':' || commit_id, ',' ORDER BY name) AS s FROM vsg.refs`);
      const d = await t.sql('SELECT count(*)::int AS n FROM vsg.pending');
      return [a.rows[0].s, b.rows[0].s, c.rows[0].s, d.rows[0].n];
    };
    const before = await snapshot();
    for (const args of [
      ['commit', '-t', 'clients', '-m', 'x', "UPDATE clients SET name = 'Zed'"],
      ['commit', '-t', 'clients', '-m', 'record'],
      ['sql', 'DELETE FROM clients'],
      ['track', 'clients'],
    ]) {
      const r = await vsg(ro, ['--verbose', ...args]);
      if (args[0] === 'track') {
        expect([1, 6], `${args.join(' ')}: ${r.stderr}`).toContain(r.code); // already tracked, or refused
      } else {
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(6);
        expect(codeOf(r.stderr)).toBe('E_PERMISSION');
      }
      expect(r.stderr).not.toMatch(/this is a bug/);
    }
    expect(await snapshot()).toEqual(before);
  });
});
