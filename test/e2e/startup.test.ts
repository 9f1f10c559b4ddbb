/**
 * Starting vsg: a command outside a repository refuses at once and creates
 * nothing (as git does outside a work tree); --version and --help load no
 * database driver; the embedded database's cluster template is a cache that
 * correctness never depends on.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { SETTINGS } from '../../src/db/db.js';
import { EMBEDDED_MAJOR } from '../../src/db/embedded.js';
import { bin, root, run, vsg } from '../helpers/targets.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-startup-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function emptyDir(name: string): string {
  const d = path.join(scratch, name);
  fs.mkdirSync(d);
  return d;
}

const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PAGER: 'cat', VSG_CACHE_DIR: path.join(scratch, 'cache') };
delete env.VSG_DATABASE_URL;
delete env.VSG_DIR;

let initialised: Promise<string> | undefined;

/**
 * A new directory `name` holding an initialised embedded repository, for the
 * tests of what a command run in a repository does: `vsg init` is not what
 * they test, so the repository is made once, through the library as
 * test/helpers/targets.ts makes one, and copied (a CLI init cost each ~1.5 s,
 * the first one a template besides).
 */
async function repoDir(name: string): Promise<string> {
  initialised ??= (async () => {
    const dir = path.join(scratch, 'initialised', '.vsg');
    fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true });
    await (await openRepository({ dir, init: true })).close();
    return dir;
  })();
  const cwd = emptyDir(name);
  fs.cpSync(await initialised, path.join(cwd, '.vsg'), { recursive: true });
  return cwd;
}

/** Run `fn` on the library opened on the embedded repository in `cwd`, and close it. */
async function inRepo<T>(cwd: string, fn: (repo: Repository) => Promise<T>): Promise<T> {
  const repo = await openRepository({ dir: path.join(cwd, '.vsg') });
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

/**
 * A module resolve hook (in its own loader thread) that writes every URL the
 * process resolves to a file: what a command loaded, independent of timing.
 */
function moduleRecorder(): { register: string; loaded: () => string[] } {
  const dir = fs.mkdtempSync(path.join(scratch, 'hook-'));
  const log = path.join(dir, 'loaded.txt');
  fs.writeFileSync(
    path.join(dir, 'hooks.mjs'),
    `import fs from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`,
  );
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  fs.writeFileSync(log, '');
  return { register: path.join(dir, 'register.mjs'), loaded: () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const DRIVER = /\/node_modules\/(pg|pg-[a-z-]+|@electric-sql\/pglite)\//;

describe('outside a repository', () => {
  for (const args of [['log'], ['status'], ['track', 'x'], ['sql', 'SELECT 1'], ['diff']]) {
    it(`vsg ${args.join(' ')} in an empty directory refuses, creates nothing and loads no PGlite`, async () => {
      const cwd = emptyDir(`empty-${args[0]}`);
      const rec = moduleRecorder();
      const r = await run('--import', [rec.register, bin, ...args], { cwd, env }); // node --import register bin/vsg …
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        "error: not a vsg repository: no .vsg/ here and no server configured\nhint: run 'vsg init' to create an embedded one, or set --url or VSG_DATABASE_URL\n",
      );
      expect(fs.readdirSync(cwd)).toEqual([]);
      expect(fs.existsSync(env.VSG_CACHE_DIR!)).toBe(false);
      expect(rec.loaded().some((u) => u.includes('/dist/cli/main.js'))).toBe(true); // the recorder works
      expect(rec.loaded().filter((u) => DRIVER.test(u))).toEqual([]);
    });
  }

  it('VSG_DIR names the directory in the message', async () => {
    const cwd = emptyDir('empty-vsgdir');
    const r = await vsg({ cwd, env: { ...env, VSG_DIR: 'db/history' } }, ['status']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(`error: not a vsg repository: no ${path.join('db', 'history')}${path.sep} here and no server configured`);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('the library refuses a directory with no database unless asked to create one', async () => {
    const dir = path.join(scratch, 'lib-missing', '.vsg');
    await expect(openRepository({ dir })).rejects.toMatchObject({ code: 'E_NO_REPO', exitCode: 3 });
    await expect(openRepository({ dir, bare: true })).rejects.toMatchObject({ code: 'E_NO_REPO' });
    expect(fs.existsSync(path.dirname(dir))).toBe(false);
  });
});

describe('commands that reach no database', () => {
  for (const args of [['--version'], ['-V'], ['--help'], ['log', '--help']]) {
    it(`vsg ${args.join(' ')} loads neither pg nor PGlite`, async () => {
      const rec = moduleRecorder();
      const r = await run('--import', [rec.register, bin, ...args], { cwd: scratch, env });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toBe('');
      expect(rec.loaded().filter((u) => DRIVER.test(u))).toEqual([]);
    });
  }
});

describe('what a command that opens the database loads', () => {
  // node-postgres probes for Cloudflare Workers with a fetch Response where
  // there is no `navigator` (Node 20), which loads Node's fetch (undici):
  // tens of milliseconds of every command. Node's own modules never reach a
  // resolve hook, so the process lists them itself as it exits.
  it('vsg log on the embedded database loads no fetch implementation (undici)', { timeout: 180_000 }, async () => {
    const cwd = await repoDir('no-undici');
    const e = { ...env, VSG_AUTHOR: 'tester' };
    const list = path.join(cwd, 'modules.txt');
    const hook = path.join(scratch, 'list-modules.mjs');
    fs.writeFileSync(hook, `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
    const r = await run('--import', [hook, bin, 'log', '-n', '1'], { cwd, env: e });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const loaded = fs.readFileSync(list, 'utf8').split('\n');
    expect(loaded.some((m) => m.includes('@electric-sql') || m.includes('internal/modules'))).toBe(true); // the list works
    expect(loaded.filter((m) => m.includes('undici'))).toEqual([]);
  });
});

describe("PGlite's module compiled while the CLI loads", () => {
  // bin/vsg starts compiling it (src/db/wasm.ts) before it imports the CLI, where
  // the command will open the embedded database; the resolve hook sees the order.
  it('in a repository, PGlite is found before the CLI loads; for --help there, or a server named, not at all', { timeout: 180_000 }, async () => {
    const cwd = await repoDir('early-wasm');
    const e = { ...env, VSG_AUTHOR: 'tester' };
    const early = moduleRecorder();
    const r = await run('--import', [early.register, bin, 'log', '-n', '1'], { cwd, env: e });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const order = early.loaded();
    const main = order.findIndex((u) => u.includes('/dist/cli/main.js'));
    expect(main).toBeGreaterThan(0);
    expect(order.slice(0, main).some((u) => u.includes('/node_modules/@electric-sql/pglite/'))).toBe(true);
    for (const args of [['log', '--help'], ['--url', 'postgres://127.0.0.1:1/none', 'status']]) {
      const rec = moduleRecorder();
      await run('--import', [rec.register, bin, ...args], { cwd, env: e });
      const seen = rec.loaded();
      const at = seen.findIndex((u) => u.includes('/dist/cli/main.js'));
      expect(at).toBeGreaterThan(0);
      expect(seen.slice(0, at).filter((u) => DRIVER.test(u))).toEqual([]);
    }
  });
});

describe("the CLI's commit and PostgreSQL's parser", () => {
  // Loading libpg_query costs a new process ~130 ms: the CLI loads it only
  // for SQL that holds a word some refused statement needs (mayRefuse).
  it('vsg commit of plain SQL loads no parser; SQL that may end the transaction is parsed and refused', { timeout: 180_000 }, async () => {
    const cwd = await repoDir('commit-parser');
    const e = { ...env, VSG_AUTHOR: 'tester' };
    await inRepo(cwd, async (repo) => {
      await repo.sql('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 1)');
      await repo.trackTables(['t'], { author: 'tester' });
    });
    const PARSER = /\/node_modules\/libpg-query\//;
    const plain = moduleRecorder();
    const ok = await run('--import', [plain.register, bin, 'commit', '-m', 'plain', 'UPDATE t SET v = 2 WHERE id = 1'], { cwd, env: e });
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(plain.loaded().some((u) => u.includes('/dist/cli/main.js'))).toBe(true); // the recorder works
    expect(plain.loaded().filter((u) => PARSER.test(u))).toEqual([]);
    const ends = moduleRecorder();
    const no = await run('--import', [ends.register, bin, 'commit', '-m', 'ends', 'UPDATE t SET v = 3 WHERE id = 1; COMMIT'], { cwd, env: e });
    expect([no.code, no.stderr.split('\n')[0]]).toEqual([4, "error: 'COMMIT' would end vsg's transaction; nothing was run"]);
    expect(ends.loaded().some((u) => PARSER.test(u))).toBe(true);
    expect(await inRepo(cwd, async (repo) => (await repo.sql('SELECT v FROM t')).rows)).toEqual([['2']]); // the refused SQL changed nothing
  });
});

describe("the embedded database's session", () => {
  // The settings are PGlite's start parameters, not a SET after connecting:
  // every one holds from the first statement, and RESET returns to them.
  it('has every session setting from the start, and keeps them through RESET ALL', { timeout: 180_000 }, async () => {
    const cwd = await repoDir('session-settings');
    const names = SETTINGS.map(([n]) => n);
    const select = `SELECT ${names.map((n) => `current_setting('${n}')`).join(" || '|' || ")} AS s`;
    const want = SETTINGS.map(([, v]) => v).join('|');
    for (const sql of [select, `RESET ALL; ${select}`]) {
      const r = await vsg({ cwd, env }, ['sql', '--json', sql]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toContain(JSON.stringify(want));
    }
  });
});

describe('the embedded cluster template', () => {
  it('init makes the database from a template, and works with the cache unwritable or damaged', { timeout: 180_000 }, async () => {
    const cache = path.join(scratch, 'tmpl-cache');
    const e = { ...env, VSG_CACHE_DIR: cache, VSG_AUTHOR: 'tester' };
    // templates of other PGlite versions (another install sharing the cache): one used this
    // week stays, one unused for eight days goes when this version keeps its own
    fs.mkdirSync(cache, { recursive: true });
    const [recent, stale] = ['pgdata-aaaa.tar', 'pgdata-bbbb.tar'].map((f) => path.join(cache, f));
    fs.writeFileSync(recent, 'another version');
    fs.writeFileSync(stale, 'another version');
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    fs.utimesSync(stale, old, old);
    // npm install (prepare / postinstall) makes the template, so that the first init only copies it
    const warm = await run(path.join(root, 'scripts', 'warm-cache.mjs'), [], { cwd: scratch, env: e });
    expect([warm.code, warm.stderr]).toEqual([0, '']);
    expect(warm.stdout).toMatch(/^vsg: embedded database template ready in .+ \(\d+\.\d s\)\n$/);
    expect(warm.stdout).toContain(` in ${cache} (`);
    expect([fs.existsSync(recent), fs.existsSync(stale)]).toEqual([true, false]);
    fs.rmSync(recent);
    const kept = fs.readdirSync(cache).filter((f) => f.endsWith('.tar'));
    expect(kept).toHaveLength(1);
    // and keeps PGlite's file bundle beside it (src/db/bundle.ts)
    expect(fs.readdirSync(cache).filter((f) => /^pglite-files-[0-9a-f]+$/.test(f) && fs.existsSync(path.join(cache, f, 'files.json')))).toHaveLength(1);
    // (as if last used eight days ago: a use marks it again, so another version's cleanup spares it)
    fs.utimesSync(path.join(cache, kept[0]), old, old);
    const made = fs.statSync(path.join(cache, kept[0]));
    const a = emptyDir('tmpl-a');
    const init = await vsg({ cwd: a, env: e }, ['init']);
    expect([init.code, init.stderr]).toEqual([0, '']);
    expect(init.stdout).toMatch(/^initialised vsg \(schema version \d+\)/);
    // used, not made again (a template made again is a new file, renamed into place), and marked used
    const used = fs.statSync(path.join(cache, kept[0]));
    expect(used.ino).toBe(made.ino);
    expect(used.mtimeMs).toBeGreaterThan(Date.now() - 10 * 60 * 1000);
    // with no cache the install step does nothing and says nothing
    expect(await run(path.join(root, 'scripts', 'warm-cache.mjs'), [], { cwd: scratch, env: { ...e, VSG_CACHE_DIR: '' } })).toEqual({ code: 0, stdout: '', stderr: '' });
    // a damaged template is not used (and is replaced)
    fs.writeFileSync(path.join(cache, kept[0]), 'not a tar');
    const b = emptyDir('tmpl-b');
    expect((await vsg({ cwd: b, env: e }, ['init'])).code).toBe(0);
    expect(fs.statSync(path.join(cache, kept[0])).size).toBeGreaterThan(1_000_000);
    // a cache that cannot be written (a file where its directory should be) only means no cache
    const blocked = path.join(scratch, 'blocked');
    fs.writeFileSync(blocked, '');
    const c = emptyDir('tmpl-c');
    const ce = { ...e, VSG_CACHE_DIR: path.join(blocked, 'cache') };
    expect((await vsg({ cwd: c, env: ce }, ['init'])).code).toBe(0);
    // each database works: a command writes a commit there (the table made and the log read through the library)
    for (const cwd of [a, b, c]) {
      await inRepo(cwd, (repo) => repo.sql('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, $$a$$)'));
      const track = await vsg({ cwd, env: cwd === c ? ce : e }, ['track', 't']);
      expect([track.code, track.stderr]).toEqual([0, '']);
      expect((await inRepo(cwd, (repo) => repo.log())).commits).toHaveLength(1);
    }
    // no leftovers of the atomic writes
    expect(fs.readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.readdirSync(path.join(a, '.vsg')).sort()).toEqual(['pgdata']);
  });

  it('two inits at once in one directory make one database', { timeout: 180_000 }, async () => {
    const cwd = emptyDir('tmpl-race');
    const e = { ...env, VSG_CACHE_DIR: path.join(scratch, 'race-cache'), VSG_AUTHOR: 'tester' };
    const [x, y] = await Promise.all([vsg({ cwd, env: e }, ['init']), vsg({ cwd, env: e }, ['init'])]);
    expect([x.code, y.code]).toEqual([0, 0]);
    expect([x.stdout, y.stdout].sort().map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['initialised vsg', 'vsg schema']);
    expect((await inRepo(cwd, (repo) => repo.log())).commits).toEqual([]);
  });
});

describe("PGlite's file bundle in the cache", () => {
  // SQL that needs the bundle's files: a time zone, the list of them all, a
  // text search dictionary, a conversion between encodings.
  const NEEDS_FILES = `SELECT '2024-06-01 12:00+00'::timestamptz AT TIME ZONE 'Europe/Paris' AS paris,
    to_tsvector('english', 'running dogs') AS ts, (SELECT count(*) > 500 FROM pg_timezone_names) AS zones,
    convert_to('x', 'LATIN1') AS latin1`;
  const ANSWER = [['2024-06-01 14:00:00', "'dog':2 'run':1", 't', '\\x78']];

  it('a first start keeps it; later commands read time zones, dictionaries and plpgsql from it, as they do without a cache', { timeout: 240_000 }, async () => {
    const cache = path.join(scratch, 'bundle-cache');
    const e = { ...env, VSG_CACHE_DIR: cache, VSG_AUTHOR: 'tester' };
    // the first start with this cache a command in a repository (an init from an empty cache makes the
    // cluster template too, 5-10 s that the template's tests already spend)
    const cwd = await repoDir('bundle');
    const first = await vsg({ cwd, env: e }, ['sql', '--json', NEEDS_FILES]);
    expect([first.code, first.stderr, JSON.parse(first.stdout).rows]).toEqual([0, '', ANSWER]);
    const kept = fs.readdirSync(cache).filter((f) => f.startsWith('pglite-files-'));
    expect(kept).toHaveLength(1);
    const files = path.join(cache, kept[0]);
    const manifest = JSON.parse(fs.readFileSync(path.join(files, 'files.json'), 'utf8')) as { size: number; files: string[]; dirs: Record<string, number> };
    // every directory of the copy, with its time: how a start knows the copy whole at one look per directory
    expect(Object.keys(manifest.dirs)).toContain('/pglite/share/postgresql/timezone/Europe');
    expect(manifest.dirs['/pglite/share/postgresql/timezone/Europe']).toBe(fs.statSync(path.join(files, 'pglite/share/postgresql/timezone/Europe')).mtimeMs);
    expect(manifest.files).toContain('/pglite/share/postgresql/timezone/Europe/Paris');
    expect(manifest.files.reduce((n, f) => n + fs.statSync(path.join(files, f)).size, 0)).toBe(manifest.size);
    for (const e2 of [e, { ...e, VSG_CACHE_DIR: '' }]) {
      const r = await vsg({ cwd, env: e2 }, ['sql', '--json', NEEDS_FILES]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(JSON.parse(r.stdout).rows).toEqual(ANSWER);
    }
    // vsg's own functions (plpgsql, a library of the bundle) capture a commit
    // (the table made and the log read through the library: the commands are what use the bundle)
    await inRepo(cwd, (repo) => repo.sql('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, $$a$$)'));
    expect((await vsg({ cwd, env: e }, ['track', 't'])).code).toBe(0);
    expect((await vsg({ cwd, env: e }, ['commit', '-t', 't', 'UPDATE t SET v = $$b$$'])).code).toBe(0);
    expect((await inRepo(cwd, (repo) => repo.log())).commits).toHaveLength(2);
    // the files a command reads are the cache's (one changed there is what PostgreSQL reads);
    // a copy missing one, even one the start itself opens, is not used, and the next start replaces it
    const paris = path.join(files, 'pglite', 'share', 'postgresql', 'timezone', 'Europe', 'Paris');
    const saved = fs.readFileSync(paris);
    fs.writeFileSync(paris, 'not a zone file');
    const bad = await vsg({ cwd, env: e }, ['sql', "SELECT now() AT TIME ZONE 'Europe/Paris'"]);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([4, 'error: time zone "Europe/Paris" not recognized']);
    fs.rmSync(paris);
    fs.rmSync(path.join(files, 'pglite', 'share', 'postgresql', 'timezone', 'UTC'));
    const healed = await vsg({ cwd, env: e }, ['sql', '--json', NEEDS_FILES]);
    expect([healed.code, JSON.parse(healed.stdout).rows]).toEqual([0, ANSWER]);
    expect(fs.readFileSync(paris)).toEqual(saved);
    // a damaged copy is not used, and the next start replaces it
    fs.writeFileSync(path.join(files, 'files.json'), '{"size": 1');
    const r = await vsg({ cwd, env: e }, ['sql', '--json', NEEDS_FILES]);
    expect([r.code, JSON.parse(r.stdout).rows]).toEqual([0, ANSWER]);
    // (the same files; its directories' times are the new copy's)
    const again = JSON.parse(fs.readFileSync(path.join(files, 'files.json'), 'utf8')) as typeof manifest;
    expect([again.size, again.files]).toEqual([manifest.size, manifest.files]);
    expect(Object.keys(again.dirs)).toEqual(Object.keys(manifest.dirs));
    expect(fs.readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a throw-away database (the demo) and a fresh init from an empty cache use it too', { timeout: 240_000 }, async () => {
    const e = { ...env, VSG_CACHE_DIR: path.join(scratch, 'bundle-demo-cache'), VSG_AUTHOR: 'tester' };
    const demo = await vsg({ cwd: emptyDir('bundle-demo'), env: e }, ['demo']);
    expect([demo.code, demo.stderr]).toEqual([0, '']);
    const cwd = emptyDir('bundle-init');
    expect((await vsg({ cwd, env: e }, ['init'])).code).toBe(0);
    const r = await vsg({ cwd, env: e }, ['sql', '--json', NEEDS_FILES]);
    expect([r.code, JSON.parse(r.stdout).rows]).toEqual([0, ANSWER]);
  });
});

/** Every file under `dir` with a hash of its content: what "nothing changed" means for a data directory. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

describe('an embedded database of another PostgreSQL major version', () => {
  // PostgreSQL opens only a cluster of its own major version, and PGlite has no
  // pg_upgrade: a PGlite of another major (0.6.x embeds 19) fails to start on
  // an older .vsg/. vsg names the mismatch instead, before loading anything.
  it('the installed PGlite makes clusters of the major vsg expects (EMBEDDED_MAJOR)', () => {
    const made = fs.readFileSync(path.join(inject('pgliteTemplate'), 'pgdata', 'PG_VERSION'), 'utf8').trim();
    expect(made).toBe(String(EMBEDDED_MAJOR));
  });

  for (const made of [EMBEDDED_MAJOR - 1, EMBEDDED_MAJOR + 1]) {
    it(`a cluster of PostgreSQL ${made} is refused in one line, exit 5, before PGlite loads, and nothing in it changes`, async () => {
      const cwd = emptyDir(`major-${made}`);
      const dir = path.join(cwd, '.vsg');
      fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'pgdata', 'PG_VERSION'), `${made}\n`);
      const before = filesOf(dir);
      const hint =
        made < EMBEDDED_MAJOR
          ? `open it with the vsg that made it (embedding PostgreSQL ${made}); vsg cannot upgrade an embedded database in place, and nothing in '.vsg' was changed`
          : "it was made by a newer vsg: open it with that one; nothing in '.vsg' was changed";
      const e = { ...env, VSG_EARLY_WASM: '0' }; // so that a PGlite module loaded means the command loaded it
      for (const args of [['status'], ['log', '-n', '1'], ['init']]) {
        const rec = moduleRecorder();
        const r = await run('--import', [rec.register, bin, ...args], { cwd, env: e });
        expect([args, r.code, r.stdout, r.stderr]).toEqual([
          args,
          5,
          '',
          `error: cannot open the embedded database in '.vsg': it was made by PostgreSQL ${made}, and this vsg embeds PostgreSQL ${EMBEDDED_MAJOR}\nhint: ${hint}\n`,
        ]);
        expect(rec.loaded().filter((u) => DRIVER.test(u))).toEqual([]);
      }
      const json = await vsg({ cwd, env: e }, ['log', '--json']);
      expect([json.code, JSON.parse(json.stderr).error]).toMatchObject([5, { code: 'E_EMBEDDED_VERSION', data: { made, embedded: EMBEDDED_MAJOR } }]);
      await expect(openRepository({ dir })).rejects.toMatchObject({ code: 'E_EMBEDDED_VERSION', exitCode: 5, data: { dir, made, embedded: EMBEDDED_MAJOR } });
      expect(filesOf(dir)).toEqual(before); // no lock file left either
    });
  }

  it('a cluster PGlite cannot start (no pg_control) is E_CONNECT in one line, exit 5, not a crash with a stack', { timeout: 120_000 }, async () => {
    const cwd = emptyDir('no-pg-control');
    const dir = path.join(cwd, '.vsg');
    fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'pgdata', 'global', 'pg_control'));
    const r = await vsg({ cwd, env }, ['status']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot open the embedded database in '[^\\n]*\\.vsg': [^\\n]+\\nhint: '[^\\n]*\\.vsg' holds the repository and its history: copy it aside before repairing or replacing it\\n$`));
    // nothing of it was removed
    expect(fs.existsSync(path.join(dir, 'pgdata', 'PG_VERSION'))).toBe(true);
    await expect(openRepository({ dir })).rejects.toMatchObject({ code: 'E_CONNECT', exitCode: 5 });
  });
});
