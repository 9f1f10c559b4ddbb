/**
 * vsg as a role that is not a superuser (issue 19), as on RDS, Cloud SQL or
 * Supabase: through bin/vsg against the server, with roles the test creates.
 *
 * - A plain role (LOGIN, no CREATEDB, no superuser) that owns its database and
 *   tables: every command works; an application role with UPDATE on a tracked
 *   table alone writes it, and the owner's commit records the change.
 * - Another role: each refusal says which privilege is missing (exit 6): CREATE
 *   on the database for init, USAGE on schema vsg to read, INSERT … on vsg's
 *   tables to write, ownership of the table to track it (nothing installed).
 * - A role with those privileges on vsg's tables commits a large (staged)
 *   statement; a role that may only read them cannot take its own staged rows
 *   and so hide them from history.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTarget, vsg, vsgOk, type Target } from '../helpers/targets.js';

const admin = inject('serverUrl');
if (!admin) process.stderr.write('vsg tests: no PostgreSQL server in this run; the role tests (roles exist on a server only) are skipped\n');

describe.skipIf(!admin)('a role that owns only its own tables', () => {
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const owner = `vsg_owner_${tag}`;
  const other = `vsg_other_${tag}`;
  const db = `vsg_roles_${tag}`;
  const empty = `vsg_roles_e_${tag}`;
  let t: Target;
  const as = (role: string, database = db) => {
    const u = new URL(admin!);
    u.username = role;
    u.password = 'pw';
    u.pathname = `/${database}`;
    return { cwd: t.cwd, env: { ...t.env, VSG_DATABASE_URL: u.toString(), VSG_AUTHOR: role } };
  };
  async function sqlAs(role: string | null, text: string, database = db): Promise<pg.QueryResult> {
    const u = new URL(admin!);
    if (role) {
      u.username = role;
      u.password = 'pw';
    }
    u.pathname = `/${database}`;
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    try {
      return await c.query(text);
    } finally {
      await c.end();
    }
  }
  const adminSql = (text: string) => sqlAs(null, text, new URL(admin!).pathname.slice(1) || 'postgres');

  beforeAll(async () => {
    t = await makeTarget('postgres'); // a working directory and environment; its database is not used
    await adminSql(`CREATE ROLE ${owner} LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await adminSql(`CREATE ROLE ${other} LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await adminSql(`CREATE DATABASE ${db} OWNER ${owner}`);
    await adminSql(`CREATE DATABASE ${empty} OWNER ${owner}`);
    await sqlAs(owner, `CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items VALUES (1, 'a'), (2, 'b')`);
  }, 60_000);

  afterAll(async () => {
    if (!admin) return;
    await adminSql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await adminSql(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`).catch(() => undefined);
    await adminSql(`DROP ROLE IF EXISTS ${other}`).catch(() => undefined);
    await adminSql(`DROP ROLE IF EXISTS ${owner}`).catch(() => undefined);
    await t?.cleanup();
  });

  it('the owner runs every kind of command', async () => {
    const o = as(owner);
    await vsgOk(o, ['init']);
    await vsgOk(o, ['track', 'items']);
    await vsgOk(o, ['commit', '-t', 'items', '-m', 'one', `UPDATE items SET v = 'aa' WHERE id = 1`]);
    await vsgOk(o, ['switch', '-c', 'exp']);
    await vsgOk(o, ['commit', '-t', 'items', '-m', 'two', `UPDATE items SET v = 'bb' WHERE id = 2`]);
    await vsgOk(o, ['switch', 'main']);
    await vsgOk(o, ['merge', 'exp']);
    await vsgOk(o, ['rollback', 'HEAD', '-t', 'items']);
    await vsgOk(o, ['checkout', 'HEAD~1', '-t', 'items']);
    expect(await vsgOk(o, ['log', '--oneline'])).toMatch(/two\n.*one\n.*track items\n$/s);
    expect(await vsgOk(o, ['verify'])).toMatch(/^ok /);
    expect(await vsgOk(o, ['doctor'])).toContain('all checks passed');
  }, 60_000);

  it('an application role with UPDATE on the table alone writes it, and the change is recorded', async () => {
    await sqlAs(owner, `GRANT SELECT, UPDATE ON items TO ${other}`);
    await sqlAs(other, `UPDATE items SET v = 'app' WHERE id = 1`);
    const o = as(owner);
    expect(await vsgOk(o, ['commit', '-t', 'items', '-m', 'from the app'])).toMatch(/1 updated/);
  });

  it('each refusal names the privilege that is missing, exit 6', async () => {
    const refused = async (env: ReturnType<typeof as>, args: string[], hint: RegExp) => {
      const r = await vsg(env, args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 6, stdout: '' });
      const [message, h] = r.stderr.trim().split('\n');
      expect(message).toMatch(/^error: (permission denied|cannot track)/);
      expect(h).toMatch(hint);
    };
    await refused(as(other, empty), ['init'], new RegExp(`^hint: init creates schema vsg, which needs CREATE on the database: .*GRANT CREATE ON DATABASE ${empty}`));
    await refused(as(other), ['log'], /^hint: vsg's schema belongs to the role that ran init: reads need USAGE on schema vsg/);
    await sqlAs(owner, `GRANT USAGE ON SCHEMA vsg TO ${other}; GRANT SELECT ON ALL TABLES IN SCHEMA vsg TO ${other}`);
    await vsgOk(as(other), ['log', '--oneline']);
    await vsgOk(as(other), ['status']);
    await refused(as(other), ['commit', '-t', 'items', '-m', 'x', `UPDATE items SET v = 'x' WHERE id = 2`], /^hint: this role lacks a privilege on table \w+ \(of the application or of schema vsg\): .*writes INSERT, UPDATE, DELETE/);
    // tracking needs ownership: named, and nothing installed
    await sqlAs(owner, `CREATE TABLE mine (id int PRIMARY KEY); GRANT ALL ON mine TO ${other}; GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vsg TO ${other}`);
    const r = await vsg(as(other), ['track', 'mine']);
    expect(r.code).toBe(6);
    expect(r.stderr.split('\n')[0]).toBe(`error: cannot track 'mine': its capture triggers need ownership of the table, which belongs to '${owner}'`);
    expect((await sqlAs(owner, `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'mine'::regclass`)).rows[0].n).toBe(0);
    expect((await sqlAs(owner, `SELECT count(*)::int AS n FROM vsg.tracked WHERE table_name = 'mine'`)).rows[0].n).toBe(0);
  }, 60_000);

  it("a role that may write vsg's tables commits a large statement; one that may only read them cannot hide its own from history", async () => {
    // A statement of 1,000 rows or more of a commit is staged in the session
    // and taken by the commit (vsg.take_captured), which any role may call:
    // taken by a role that may not delete from vsg.pending, it would never
    // reach vsg.pending. Both roles log in (the session's user is the role).
    await sqlAs(owner, `CREATE TABLE big (id int PRIMARY KEY, v text); INSERT INTO big SELECT i, 'v' || i FROM generate_series(1, 1500) i`);
    await vsgOk(as(owner), ['track', 'big']);
    await sqlAs(owner, `GRANT SELECT, UPDATE ON big TO ${other}; GRANT USAGE ON SCHEMA vsg TO ${other}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vsg TO ${other}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA vsg TO ${other}`);
    expect(await vsgOk(as(other), ['commit', '-t', 'big', '-m', 'large', `UPDATE big SET v = v || '+'`])).toMatch(/1500 updated/);
    await sqlAs(owner, `REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vsg FROM ${other}`);
    const take = `SELECT set_config('vsg.stage', ',*,', true); UPDATE big SET v = v || '-';`;
    const tid = `(SELECT id FROM vsg.tracked WHERE table_name = 'big')`;
    await expect(sqlAs(other, `BEGIN; ${take} SELECT count(*) FROM vsg.take_captured(${tid}, true); COMMIT`)).rejects.toMatchObject({
      code: '42501', message: expect.stringMatching(new RegExp(`^permission denied to take the staged changes of tracked table \\d+: role "${other}" has no DELETE on vsg\\.pending$`)),
    });
    // the refusal caught, the transaction commits: its change is uncommitted in vsg, not gone
    await sqlAs(other, `BEGIN; ${take} DO $$ BEGIN PERFORM count(*) FROM vsg.take_captured(${tid}, true); EXCEPTION WHEN insufficient_privilege THEN NULL; END $$; COMMIT`);
    expect(await vsgOk(as(owner), ['status', '-t', 'big', '--json'])).toMatch(/"updated": ?1500/);
    expect(await vsgOk(as(owner), ['commit', '-t', 'big', '-m', 'from the reader'])).toMatch(/1500 updated/);
    expect(await vsgOk(as(owner), ['verify'])).toMatch(/^ok /);
  }, 60_000);

  it("a role that may not track cannot put a table's capture on a table of its own; the table's own writes are still captured", async () => {
    // The capture runs as vsg's owner: on a table of the role's own, shaped
    // like the tracked one, it would write whatever that role inserts into
    // vsg.pending, for the next commit to record.
    const fn = (await sqlAs(owner, `SELECT vsg.capture_function(id) AS f FROM vsg.tracked WHERE table_name = 'items'`)).rows[0].f as string;
    const pending = async () => (await sqlAs(owner, `SELECT count(*)::int AS n FROM vsg.pending p JOIN vsg.tracked t ON t.id = p.table_id WHERE t.table_name = 'items'`)).rows[0].n;
    const before = await pending();
    await expect(
      sqlAs(other, `CREATE TEMP TABLE fake (LIKE items); CREATE TRIGGER forge AFTER INSERT ON fake REFERENCING NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(); INSERT INTO fake VALUES (7, 'forged')`),
    ).rejects.toMatchObject({ code: '42501', message: `permission denied for function ${fn}` });
    expect(await pending()).toBe(before);
    await sqlAs(other, `UPDATE items SET v = 'still captured' WHERE id = 2`);
    expect(await pending()).toBe(before + 1);
    expect(await vsgOk(as(owner), ['commit', '-t', 'items', '-m', 'the app again'])).toMatch(/1 updated/);
  }, 60_000);
});
