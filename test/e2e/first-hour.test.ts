/**
 * What a new user hits in the first hour (issue 14), end to end through
 * bin/vsg on the server and on PGlite: hints that can be pasted into a shell,
 * config errors with a position, and the rough edges of text output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, root, targetNames, vsg, type Target } from '../helpers/targets.js';

/** The words bash makes of a pasted command line. */
function words(line: string): string[] {
  const r = spawnSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('help of repeatable options', () => {
  it('shows no "(default: [])"', async () => {
    for (const verb of ['commit', 'init']) {
      const r = await vsg({ cwd: root, env: process.env }, [verb, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\(repeatable\)\n/);
      expect(r.stdout).not.toContain('(default: [])');
    }
  });
});

describe('.vsgrc errors', () => {
  it('a .vsgrc holding JSON with a trailing comma is an error at the comma, exit 5; several problems come together', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-rc-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.VSG_DATABASE_URL;
      fs.writeFileSync(path.join(cwd, '.vsgrc'), '{\n  "author": "ann",\n  "dir": ".db",\n}\n');
      const r = await vsg({ cwd, env }, ['status']);
      expect(r.code).toBe(5);
      expect(r.stderr.split('\n')[0]).toBe("error: .vsgrc:3:15: unexpected ',' before '}'");
      fs.writeFileSync(path.join(cwd, '.vsgrc'), 'author: 5\ncolour: red\n');
      const many = await vsg({ cwd, env }, ['status']);
      expect(many.code).toBe(5);
      expect(many.stderr.split('\n').slice(0, 3)).toEqual([
        'error: .vsgrc: 2 problems',
        ".vsgrc:1:9: 'author' must be a string",
        ".vsgrc:2:1: unknown key 'colour' (vsg reads url, author, dir)",
      ]);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe.each(targetNames())('first-hour rough edges on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql(`CREATE TABLE "we""ird" (id int PRIMARY KEY, v text); CREATE TABLE "it's here" (id int PRIMARY KEY, v text)`);
      await repo.sql(`CREATE TABLE "un""tracked it's" (id int PRIMARY KEY)`);
      await repo.track('we"ird', { author: 'setup' });
      await repo.track("it's here", { author: 'setup' });
      await repo.sql(`CREATE TABLE tk (k text PRIMARY KEY, v int); INSERT INTO tk VALUES ('a,b', 1), ('x=y', 2), ('a', 3)`);
      await repo.track('tk', { author: 'setup' });
      await repo.commit({ table: 'tk', author: 'setup', sql: "UPDATE tk SET v = v + 10 WHERE k IN ('a,b', 'x=y')" });
      await repo.sql(`CREATE TABLE doc (id int PRIMARY KEY, body text); INSERT INTO doc VALUES (1, E'def f():\\n    if x:\\n        return 1')`);
      await repo.track('doc', { author: 'setup' });
      await repo.commit({ table: 'doc', author: 'setup', sql: "UPDATE doc SET body = replace(body, 'x', 'y')" });
      await repo.sql(`INSERT INTO "we""ird" VALUES (1, 'a'); INSERT INTO "it's here" VALUES (1, 'a')`);
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('hints that name a quoted table paste into bash as that name', async () => {
    const st = await vsg(t, ['status']);
    expect(st.code).toBe(0);
    for (const display of ['"we""ird"', `"it's here"`]) {
      const block = st.stdout.split('\n\n').find((b) => b.startsWith(`${display} on branch`));
      const cmds = [...(block ?? '').matchAll(/'(vsg (?:commit|diff) -t .*?)' to (?:record|see)/g)].map((m) => m[1]);
      expect(cmds, st.stdout).toHaveLength(2);
      for (const c of cmds) expect(words(c).slice(2)).toEqual(['-t', display]);
    }
    const nt = await vsg(t, ['log', '-t', `un"tracked it's`]);
    expect(nt.code).toBe(3);
    const hint = /hint: run '(vsg track .*)'$/m.exec(nt.stderr)?.[1];
    expect(hint, nt.stderr).toBeDefined();
    expect(words(hint!)).toEqual(['vsg', 'track', `un"tracked it's`]);
  });

  it("a one-column text key with ',' or '=' is that value, not a composite key", async () => {
    const b = await vsg(t, ['blame', '-t', 'tk', 'a,b', '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).rows.map((r: { key: unknown }) => r.key)).toEqual([{ k: 'a,b' }]);
    const l = await vsg(t, ['log', '-t', 'tk', '--row', 'x=y', '--json']);
    expect(l.code, l.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(l.stdout))).toContain('"v":"12"');
  });

  it('log reads --since yesterday and --until 2.weeks.ago as git does', async () => {
    const since = await vsg(t, ['log', '-t', 'tk', '--since', 'yesterday', '--json']);
    expect(since.code, since.stderr).toBe(0);
    expect(JSON.parse(since.stdout).commits).toHaveLength(2);
    const until = await vsg(t, ['log', '-t', 'tk', '--until', '2.weeks.ago', '--json']);
    expect(until.code, until.stderr).toBe(0);
    expect(JSON.parse(until.stdout).commits).toHaveLength(0);
  });

  it('show keeps the indentation of each line of a multi-line value', async () => {
    const r = await vsg(t, ['show', 'HEAD', '-t', 'doc']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('    body: def f():\n              if [-x-]{+y+}:\n                  return 1\n');
  });

  it("sql prints psql's command tags", async () => {
    const r = await vsg(t, [
      'sql',
      "CREATE TABLE s (id int PRIMARY KEY, v text); INSERT INTO s VALUES (1, 'a'), (2, 'b'); UPDATE s SET v = 'c'; DELETE FROM s WHERE id = 1; " +
        "SELECT id FROM s; INSERT INTO s VALUES (3, 'x') RETURNING id; CREATE INDEX s_v ON s (v); CREATE TABLE s2 AS SELECT * FROM s; DROP TABLE s, s2",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const box = (v: string) => ['┌────┐', '│ id │', '├────┤', `│ ${v}  │`, '└────┘', '(1 row)'];
    expect(r.stdout.split('\n')).toEqual([
      'CREATE TABLE', 'INSERT 0 2', 'UPDATE 2', 'DELETE 1', ...box('2'), ...box('3'), '', 'INSERT 0 1', 'CREATE INDEX', 'SELECT 2', 'DROP TABLE', '',
    ]);
  });

  it('repeated --meta still collects every value; show decorates HEAD as log does', async () => {
    const c = await vsg(t, ['commit', '-t', 'we"ird', '--meta', 'a=1', '--meta', 'b=2', '-m', 'meta']);
    expect(c.code, c.stderr).toBe(0);
    const r = await vsg(t, ['show', 'HEAD', '-t', 'we"ird']);
    expect(r.stdout.split('\n')[0]).toMatch(/^commit [0-9a-f]{64} \(HEAD -> main\)$/);
    expect(r.stdout).toContain('Meta:   a=1\nMeta:   b=2');
  });
});
