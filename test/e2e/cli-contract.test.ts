/**
 * The command contract through bin/vsg: --json on every command (init, track
 * and untrack too), an error as one JSON object on stderr with the same exit
 * code, usage errors too, and "the answer is no" as exit 1 with the same text.
 * The tables, commits and branches a test only stands on are made through
 * plain SQL and the library.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

interface JsonError {
  error: { code: string; message: string; hint: string | null; data: unknown };
}

/** stderr as exactly one JSON error object (and nothing else). */
function jsonError(stderr: string): JsonError {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  const e = JSON.parse(stderr) as JsonError;
  expect(Object.keys(e.error)).toEqual(['code', 'message', 'hint', 'data']);
  return e;
}

describe.each(targetNames())('the command contract on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
  });
  afterAll(() => t.cleanup());

  it('an error before init is JSON on stderr with --json, text without', async () => {
    const r = await vsg(t, ['status', '--json']);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(jsonError(r.stderr).error).toEqual({ code: 'E_NO_REPO', message: 'no vsg repository in this database', hint: "run 'vsg init' first", data: null });
    expect((await vsg(t, ['status'])).stderr).toBe("error: no vsg repository in this database\nhint: run 'vsg init' first\n");
  });

  it('init, track and untrack print their result with --json', async () => {
    const init = JSON.parse(await vsgOk(t, ['init', '--json']));
    expect(init).toMatchObject({ from: 0, tracked: [], saved: null });
    expect(init.to).toBeGreaterThan(0);
    expect(typeof init.where).toBe('string');
    await t.sql("CREATE TABLE c (id int PRIMARY KEY, v text); INSERT INTO c VALUES (1, 'a'), (2, 'b'); CREATE TABLE d (id int PRIMARY KEY)");
    const tracked = JSON.parse(await vsgOk(t, ['track', 'c', '--json']));
    expect(tracked.table.display).toBe('c');
    expect(tracked.root).toMatchObject({ inserted: 2 });
    expect(tracked.root.id).toMatch(/^[0-9a-f]{64}$/);
    const again = JSON.parse(await vsgOk(t, ['init', '--json', '--track', 'c', '--track', 'd']));
    expect(again.applied).toEqual([]);
    expect(again.tracked.map((x: { name: string; already: boolean }) => [x.name, x.already])).toEqual([
      ['c', true],
      ['d', false],
    ]);
    const untracked = JSON.parse(await vsgOk(t, ['untrack', 'd', '--json']));
    expect(untracked).toMatchObject({ tables: ['d'], deleted: 0, branch: 'main', commit: { kind: 'UNTRACK', message: 'untrack d' } });
    expect(JSON.parse(await vsgOk(t, ['untrack', 'd', '--force', '--json']))).toEqual({ tables: ['d'], commit: null, deleted: 2, branch: null });
    // the text forms are as they were
    expect(await vsgOk(t, ['init'])).toMatch(/^vsg schema is up to date \(version \d+\) in .+\n$/);
  });

  it('an unknown commit exits 3 with one parseable JSON error', async () => {
    const r = await vsg(t, ['show', 'nosuch', '--json']);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(jsonError(r.stderr).error).toMatchObject({ code: 'E_UNKNOWN_REF', message: "'nosuch' is not a commit, branch or tag" });
  });

  it('the CLI speaks its own words for library errors, in text and JSON', async () => {
    const r = await vsg(t, ['log', '-t', 'nope', '--json']);
    expect(r.code).toBe(3);
    const text = await vsg(t, ['diff', '-t', 'nope']);
    expect(text.stderr).toBe("error: table 'nope' does not exist\nhint: tracked: c\n");
    await t.sql('CREATE TABLE e (id int PRIMARY KEY)');
    const untracked = await vsg(t, ['status', '-t', 'e', '--json']);
    expect(jsonError(untracked.stderr).error).toMatchObject({ code: 'E_NOT_TRACKED', hint: "run 'vsg track e'", data: { table: 'e' } });
  });

  it('a merge conflict is exit 1 with the conflicts on stdout and the same error text', async () => {
    await withRepo(t, async (repo) => {
      const author = 'tester';
      await repo.createBranch({ table: 'c', name: 'feature' });
      await repo.commit({ table: 'c', author, sql: "UPDATE c SET v = 'ours' WHERE id = 1" });
      await repo.switch({ table: 'c', branch: 'feature' });
      await repo.commit({ table: 'c', author, sql: "UPDATE c SET v = 'theirs' WHERE id = 1" });
      await repo.switch({ table: 'c', branch: 'main' });
    });
    const r = await vsg(t, ['merge', '-t', 'c', 'feature']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/id=1.*v.*update\/update.*a.*ours.*theirs/);
    expect(r.stderr).toBe(
      "error: merge of 'feature' into 'c' has 1 conflict\nhint: resolve them with 'vsg resolve' ('vsg conflicts' lists them), then 'vsg merge --continue'; or 'vsg merge --abort'\n",
    );
    await withRepo(t, (repo) => repo.mergeAbort({ table: 'c' }));
    const j = await vsg(t, ['merge', '-t', 'c', 'feature', '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).status).toBe('conflict');
    expect(jsonError(j.stderr).error).toMatchObject({ code: 'E_MERGE_CONFLICT', data: [expect.objectContaining({ column: 'v', ours: 'ours', theirs: 'theirs' })] });
    await withRepo(t, (repo) => repo.mergeAbort({ table: 'c' }));
  }, 240_000); // two runs of the CLI; on PGlite each starts a database

  it('"the answer is no" is exit 1 from status and diff under --exit-code, not an error', async () => {
    await t.sql("UPDATE c SET v = 'x' WHERE id = 2");
    const s = await vsg(t, ['status', '-t', 'c', '--exit-code']);
    expect([s.code, s.stderr]).toEqual([1, '']);
    const d = await vsg(t, ['diff', '-t', 'c', '--exit-code', '--json']);
    expect([d.code, d.stderr]).toEqual([1, '']);
    expect(JSON.parse(d.stdout).changes).toHaveLength(1);
  });
});

/**
 * What a command prints before it would open a database (its --help, a usage
 * error) is the same on every database, so it is run once, where no database
 * answers: the server named is unreachable.
 */
describe('the command contract before any database', () => {
  let nowhere: Pick<Target, 'cwd' | 'env'>;
  beforeAll(() => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PAGER: 'cat', VSG_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    delete env.FORCE_COLOR;
    nowhere = { cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-contract-')), env };
  });
  afterAll(() => fs.rmSync(nowhere.cwd, { recursive: true, force: true }));

  it('a usage error is JSON too when --json is on the command line, exit 2', async () => {
    const r = await vsg(nowhere, ['log', '--bogus', '--json']);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).error).toMatchObject({ code: 'E_USAGE', message: "unknown option '--bogus'", data: { commander: 'commander.unknownOption' } });
    const text = await vsg(nowhere, ['log', '--bogus']);
    expect([text.code, text.stderr]).toEqual([2, "error: unknown option '--bogus'\n"]);
    const own = await vsg(nowhere, ['log', '-n', 'x', '--json']);
    expect([own.code, jsonError(own.stderr).error.code]).toEqual([2, 'E_USAGE']);
  });

  it('--help states the exit codes of each command', async () => {
    for (const c of ['init', 'track', 'merge', 'verify']) expect(await vsgOk(nowhere, [c, '--help'])).toMatch(/Exit codes:\n {2}0 /);
  });
});
