/**
 * What only shows on a terminal: bin/vsg runs in a tmux pane (a real
 * pseudo-terminal) and the tests read the screen back, escape sequences
 * included: colours, the pager, progress, interactive init.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) process.stderr.write('vsg tests: tmux is not installed; the terminal tests (colour, pager, progress, interactive init) are skipped\n');
const socket = `vsg-test-${process.pid}`;
let panes = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start bin/vsg in a new pane of the given size; returns the pane's name. */
function runInPane(cwd: string, env: NodeJS.ProcessEnv, args: string[], size = { w: 100, h: 30 }): string {
  const name = `p${++panes}`;
  const vars = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${shq(v!)}`)
    .join(' ');
  const cmd = `cd ${shq(cwd)} && env -i ${vars} ${shq(process.execPath)} ${shq(bin)} ${args.map(shq).join(' ')}; echo "__EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', String(size.w), '-y', String(size.h), cmd);
  return name;
}

/** The screen of a pane; with escapes, SGR colour sequences are kept. */
function screen(name: string, escapes = false): string {
  return tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name);
}

async function waitFor(name: string, pattern: RegExp, ms = 60_000, escapes = false): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = screen(name, escapes);
    if (pattern.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in pane ${name}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A clean terminal environment: no NO_COLOR, no PAGER override, no CI. */
function termEnv(t: Pick<Target, 'env'>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = ['VSG_DATABASE_URL', 'VSG_AUTHOR', 'HOME', 'PATH'];
  const env: NodeJS.ProcessEnv = { TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  for (const k of keep) if (t.env[k] !== undefined) env[k] = t.env[k];
  return { ...env, ...extra };
}

// One target suffices: terminal behaviour does not depend on the database.
const name = targetNames().includes('postgres') ? 'postgres' : 'pglite';

describe.skipIf(!hasTmux)(`vsg on a terminal (${name})`, () => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE items (id int PRIMARY KEY, qty int)');
      await repo.sql('INSERT INTO items SELECT g, 0 FROM generate_series(1, 3000) g');
      await repo.track('items', { author: 'setup' });
      for (let i = 1; i <= 8; i++) await repo.commit({ table: 'items', author: 'tester', message: `change ${i}`, sql: `UPDATE items SET qty = ${i} WHERE id = ${i}` });
      // one big commit: its show output is far larger than a pipe's buffer
      await repo.commit({ table: 'items', author: 'tester', message: 'bulk', sql: 'UPDATE items SET qty = qty + 100' });
    } finally {
      await repo.close();
    }
  });
  afterAll(async () => {
    if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
    await t?.cleanup();
  });

  it('colours ids yellow on a terminal (SGR 33)', async () => {
    const p = runInPane(t.cwd, termEnv(t), ['log', '--no-pager', '-n', '2', '-t', 'items']);
    const s = await waitFor(p, /__EXIT=0/, 60_000, true);
    expect(s).toMatch(/\x1b\[33mcommit [0-9a-f]{64}/);
  });

  it('prints no colour with NO_COLOR', async () => {
    const p = runInPane(t.cwd, termEnv(t, { NO_COLOR: '1' }), ['log', '--no-pager', '-n', '2', '-t', 'items']);
    const s = await waitFor(p, /__EXIT=0/, 60_000, true);
    expect(s).toMatch(/^commit [0-9a-f]{64}/m);
    expect(s).not.toMatch(/\x1b\[3\dm/);
  });

  it('pages long output through less -FRX, and quits cleanly', async () => {
    const p = runInPane(t.cwd, termEnv(t), ['log', '-t', 'items'], { w: 100, h: 20 });
    // less shows the first screenful and waits (its prompt is ':' on the last line)
    const s = await waitFor(p, /^:\s*$/m);
    expect(s).toMatch(/^commit [0-9a-f]{64}/m);
    expect(s).not.toContain('__EXIT=');
    tmux('send-keys', '-t', p, 'q');
    await waitFor(p, /__EXIT=0/);
  });

  it('does not page with --no-pager, or when the output fits (less -F)', async () => {
    const p = runInPane(t.cwd, termEnv(t), ['log', '--oneline', '-n', '3', '-t', 'items'], { w: 100, h: 20 });
    const s = await waitFor(p, /__EXIT=0/);
    expect(s.split('\n').filter((l) => / change \d$| bulk$/.test(l)).length).toBe(3);
  });

  it('shows progress on stderr while a slow step runs', async () => {
    const p = runInPane(t.cwd, termEnv(t, { VSG_PROGRESS_DELAY: '200' }), ['demo']);
    const s = await waitFor(p, /starting an embedded database .* \d+\.\ds/, 60_000);
    expect(s).toMatch(/starting an embedded database [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+\.\ds/);
    const end = await waitFor(p, /__EXIT=\d+/, 120_000);
    expect(end).toContain('__EXIT=0');
    // erased when done: the line is gone from the finished screen
    expect(end).not.toMatch(/starting an embedded database .* \d+\.\ds/);
  });

  it('shows a spinner while vsg commit runs a slow statement, and erases it', async () => {
    const p = runInPane(t.cwd, termEnv(t, { VSG_PROGRESS_DELAY: '200' }), ['commit', '-t', 'items', '-m', 'slow', 'UPDATE items SET qty = qty + 1 WHERE id = (SELECT 9 FROM pg_sleep(2))']);
    const s = await waitFor(p, /running the SQL and committing [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+\.\ds/);
    expect(s).not.toContain('__EXIT=');
    const end = await waitFor(p, /__EXIT=\d+/);
    expect(end).toContain('__EXIT=0');
    expect(end).toMatch(/\[main [0-9a-f]{7}\] UPDATE items: 1 updated/);
    expect(end).not.toContain('running the SQL and committing');
  });

  /**
   * Run bin/vsg in a pane while a second session holds locks (`hold`, in an
   * open transaction) that the command must wait for: its progress line shows
   * `label` with a spinner and the seconds, and is erased once the locks go and
   * the command ends (exit 0, its output matching `out`).
   */
  async function spinnerWhileWaiting(args: string[], label: string, hold: string[], out: RegExp): Promise<void> {
    const spinning = new RegExp(`${label} [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \\d+\\.\\ds`);
    const app = new pg.Client({ connectionString: t.url });
    await app.connect();
    try {
      await app.query('BEGIN');
      for (const q of hold) await app.query(q);
      const p = runInPane(t.cwd, termEnv(t, { VSG_PROGRESS_DELAY: '200' }), args);
      const s = await waitFor(p, spinning);
      expect(s).not.toContain('__EXIT=');
      await app.query('COMMIT');
      const end = await waitFor(p, /__EXIT=\d+/);
      expect(end).toContain('__EXIT=0');
      expect(end).toMatch(out);
      expect(end).not.toMatch(spinning);
    } finally {
      await app.end();
    }
  }

  /** Skip (saying why) where the target has no second session to hold a lock. */
  function needsSecondSession(ctx: { skip: () => void }, what: string): void {
    if (name === 'postgres') return;
    process.stderr.write(`vsg tests: the ${what} spinner test holds a lock from a second session, which the embedded database cannot have; skipped\n`);
    ctx.skip();
  }

  it('shows a spinner while vsg track waits for the table, and erases it', async (ctx) => {
    needsSecondSession(ctx, 'track');
    await t.sql('CREATE TABLE waits (id int PRIMARY KEY, v int); INSERT INTO waits VALUES (1, 1)');
    // an application's open transaction that wrote to the table
    await spinnerWhileWaiting(['track', 'waits'], 'tracking waits', ['UPDATE waits SET v = 2 WHERE id = 1'], /tracking waits on branch main \[[0-9a-f]{7}\] 1 row/);
  });

  it('shows a spinner while vsg switch, merge and verify wait for a lock, and erases it', async (ctx) => {
    needsSecondSession(ctx, 'switch, merge and verify');
    const repo = await t.open();
    try {
      await repo.switch({ table: 'items', branch: 'side', create: true });
      await repo.commit({ table: 'items', author: 'tester', message: 'on side', sql: 'UPDATE items SET qty = 77 WHERE id = 20' });
      await repo.switch({ table: 'items', branch: 'main' });
    } finally {
      await repo.close();
    }
    // another write-back of vsg's holding the table's row (switch and merge take it FOR UPDATE)
    const writeBack = 'SELECT 1 FROM vsg.tracked FOR UPDATE';
    await spinnerWhileWaiting(['switch', 'side', '-t', 'items'], 'switching to side', [writeBack], /items: switched to branch 'side' at [0-9a-f]{7} \(0 inserted, 1 updated, 0 deleted\)/);
    await spinnerWhileWaiting(['switch', 'main', '-t', 'items'], 'switching to main', [writeBack], /items: switched to branch 'main' at [0-9a-f]{7} \(0 inserted, 1 updated, 0 deleted\)/);
    await spinnerWhileWaiting(['merge', 'side', '-t', 'items'], 'merging side', [writeBack], /items: updating [0-9a-f]{7}\.\.[0-9a-f]{7}/);
    // a commit in flight: the digest waits for it
    await spinnerWhileWaiting(['verify', '--digest'], 'verifying', ['LOCK TABLE vsg.commits IN ROW EXCLUSIVE MODE'], /^vsg1-\d+-\d+-[0-9a-f]{64}$/m);
  });

  it('survives a reader that goes away (vsg show | head -1)', async () => {
    const r = spawnSync('bash', ['-c', `${shq(process.execPath)} ${shq(bin)} show HEAD -t items --no-pager | head -1; echo "\${PIPESTATUS[0]}" >&2`], {
      cwd: t.cwd,
      env: t.env,
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/^commit [0-9a-f]{64}.*\n$/);
    expect(r.stderr.trim()).toBe('0');
  });
});

describe.skipIf(!hasTmux || !targetNames().includes('postgres'))('interactive vsg init', () => {
  let t: Target;
  let dir: string;
  beforeAll(async () => {
    t = await makeTarget('postgres');
    await t.sql('CREATE TABLE clients (id int PRIMARY KEY, name text)');
    await t.sql("INSERT INTO clients VALUES (1, 'Ann')");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-init-'));
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    fs.rmSync(dir, { recursive: true, force: true });
    await t?.cleanup();
  });

  it('asks for the database and the tables, then writes .vsgrc.json', { timeout: 120_000 }, async () => {
    const env = termEnv({ env: { ...t.env, VSG_DATABASE_URL: undefined } });
    const p = runInPane(dir, env, ['init']);
    await waitFor(p, /database URL:\s*$/m);
    tmux('send-keys', '-t', p, '-l', t.url!);
    tmux('send-keys', '-t', p, 'Enter');
    await waitFor(p, /tables to track.*:\s*$/m);
    tmux('send-keys', '-t', p, '-l', 'clients');
    tmux('send-keys', '-t', p, 'Enter');
    await waitFor(p, /\[Y\/n\]\s*$/m);
    tmux('send-keys', '-t', p, 'Enter');
    const s = await waitFor(p, /__EXIT=\d+/);
    expect(s).toContain('__EXIT=0');
    expect(s).toMatch(/tracking clients on branch main \[[0-9a-f]{7}\] 1 row\b/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.vsgrc.json'), 'utf8'))).toEqual({ url: t.url });
    // configured now: the next run asks nothing and finds the repository
    const r = await vsg({ cwd: dir, env: { ...t.env, VSG_DATABASE_URL: undefined } }, ['tables', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ display: 'clients' })]);
  });

  it('asks nothing without a terminal', async () => {
    const r = await vsg({ cwd: dir, env: t.env }, ['init']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('database URL');
  });
});
