/**
 * `vsg tui` as a user runs it: bin/vsg in a tmux pane (a real
 * pseudo-terminal), keys sent, the screen read back. Open, move, open a
 * commit and see its cell change, search, roll back with confirmation, quit
 * with the terminal as it was (the shell's screen back, the cursor shown,
 * the alternate screen left). Without a terminal it refuses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bin, makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000 });

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) process.stderr.write('vsg tests: tmux is not installed; the vsg tui terminal tests are skipped\n');
const socket = `vsg-tui-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Start a shell line in a new pane: prints BEFORE, runs bin/vsg, then its exit status. */
function runInPane(name: string, t: Target, args: string[], extra: Record<string, string> = {}): void {
  const env: Record<string, string> = { TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: process.env.HOME ?? '/tmp', PATH: process.env.PATH ?? '', VSG_AUTHOR: 'tester', ...extra };
  if (t.env.VSG_DATABASE_URL) env.VSG_DATABASE_URL = t.env.VSG_DATABASE_URL;
  const vars = Object.entries(env).map(([k, v]) => `${k}=${shq(v)}`).join(' ');
  const cmd = `cd ${shq(t.cwd)} && echo BEFORE && env -i ${vars} ${shq(process.execPath)} ${shq(bin)} ${args.map(shq).join(' ')}; echo "__EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '20', cmd);
}
const screen = (name: string, escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name);
const key = (name: string, ...keys: string[]) => tmux('send-keys', '-t', name, ...keys);

async function waitFor(name: string, test: RegExp | ((s: string) => boolean), escapes = false): Promise<string> {
  const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = screen(name, escapes);
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${test} in pane ${name}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const selected = (s: string) => s.split('\n').find((l) => l.startsWith('>')) ?? '';

// One target suffices: the screen does not depend on the database (the component tests run both).
const name = targetNames().includes('postgres') ? 'postgres' : 'pglite';

describe(`vsg tui without a terminal (${name})`, () => {
  it('refuses on one line, exit 2, and so does vsg log -i', async () => {
    const t = { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } };
    for (const args of [['tui'], ['log', '-i']]) {
      const r = await vsg(t, args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/needs a terminal/);
    }
    const j = await vsg(t, ['tui', '--json']);
    expect([j.code, JSON.parse(j.stderr).error.code]).toEqual([2, 'E_USAGE']);
  });
});

describe.skipIf(!hasTmux)(`vsg tui in a terminal (${name})`, () => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE items (id int PRIMARY KEY, qty int, label text)');
      await repo.sql("INSERT INTO items SELECT g, 0, 'item ' || g FROM generate_series(1, 5) g");
      await repo.track('items', { author: 'setup' });
      for (let i = 1; i <= 4; i++) await repo.commit({ table: 'items', author: 'tester', message: `change ${i}`, sql: `UPDATE items SET qty = ${i * 10} WHERE id = ${i}` });
    } finally {
      await repo.close();
    }
  });
  afterAll(async () => {
    if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
    await t?.cleanup();
  });

  it('open, move, open a commit, search, roll back after y, quit: the terminal as it was', async () => {
    const p = 'main';
    runInPane(p, t, ['tui']);
    const first = await waitFor(p, /setup .*items/);
    expect(first.split('\n')[0]).toMatch(/^vsg tui {2}main {2}5 commits/);
    expect(selected(first)).toMatch(/\(HEAD -> main\) .* tester items ~1 {2}change 4/);
    expect(tmux('display', '-p', '-t', p, '#{alternate_on}').trim()).toBe('1');

    // move and open a commit: its cell change, as vsg show prints it
    key(p, 'j');
    await waitFor(p, (s) => selected(s).includes('change 3'));
    key(p, 'Enter');
    const commit = await waitFor(p, /qty: 0 → 30/);
    expect(commit).toMatch(/^commit [0-9a-f]{64}$/m);
    expect(commit).toMatch(/^~ id=3$/m);
    key(p, 'q');
    await waitFor(p, (s) => selected(s).includes('change 3'));

    // search: the log of the commits whose message matches
    key(p, '/');
    await waitFor(p, /^\/▏/m);
    key(p, '-l', 'change 2');
    await waitFor(p, /^\/change 2▏/m);
    key(p, 'Enter');
    const found = await waitFor(p, /\/change 2 {2}1 commit\b/);
    expect(found).toMatch(/^> [0-9a-f]{7} .* change 2$/m);
    expect(found).not.toMatch(/change 4/);
    key(p, '/');
    await waitFor(p, /^\/▏/m);
    key(p, 'Enter');
    await waitFor(p, /main {2}5 commits/);

    // roll back the newest commit: asked first, then a new commit on top
    key(p, 'R');
    const ask = await waitFor(p, /roll back [0-9a-f]{7} change 4/);
    expect(ask).toMatch(/y do it, any other key: do nothing/);
    key(p, 'y');
    const done = await waitFor(p, /main {2}6 commits/);
    expect(done).toMatch(/\(HEAD -> main\) .* items ~1 {2}Rollback "change 4"/);
    expect(done).toMatch(/rolled back [0-9a-f]{7} in items: 1 updated/);

    // quit: the shell's screen back as it was, the cursor shown
    key(p, 'q');
    const after = await waitFor(p, /__EXIT=0/);
    expect(after.split('\n').filter(Boolean)).toEqual(['BEFORE', '__EXIT=0']);
    expect(tmux('display', '-p', '-t', p, '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });

  it('row view: a row of a commit, its history and blame, and a jump to the commit that set a value', async () => {
    const p = 'row';
    runInPane(p, t, ['tui']);
    await waitFor(p, /setup .*items/);
    key(p, 'G');
    await waitFor(p, (s) => selected(s).includes('track items'));
    key(p, 'k');
    await waitFor(p, (s) => selected(s).includes('change 1'));
    key(p, 'Enter');
    await waitFor(p, /qty: 0 → 10/);
    key(p, ']');
    await waitFor(p, /^▸~ id=1$/m);
    key(p, 'Enter');
    const row = await waitFor(p, /history of id=1 in items/);
    expect(row).toMatch(/^> {2}[0-9a-f]{7} tester change 1 {2}qty=10$/m);
    expect(row).toMatch(/^ {3}[0-9a-f]{7} setup track items {2}\(inserted\) qty=0, label=item 1$/m);
    const setBy = /^ {3}qty +([0-9a-f]{7}) tester {2}10$/m.exec(row)?.[1];
    expect(setBy).toBeDefined();
    for (let i = 0; i < 4 && !/^> {2}qty /m.test(screen(p)); i++) {
      const s = screen(p);
      key(p, 'j');
      await waitFor(p, (x) => x !== s);
    }
    await waitFor(p, /^> {2}qty /m);
    key(p, 'Enter');
    const commit = await waitFor(p, new RegExp(`commit ${setBy}`));
    expect(commit).toMatch(/^commit [0-9a-f]{64}$/m);
    expect(commit).toMatch(/qty: 0 → 10/);
    // back one pane at a time, as a user who reads each (keys that arrive together:
    // the next test)
    key(p, 'q');
    await waitFor(p, /history of id=1 in items/);
    key(p, 'q');
    await waitFor(p, (x) => !/history of id=1 in items/.test(x) && /qty: 0 → 10/.test(x));
    key(p, 'q');
    await waitFor(p, (x) => selected(x).includes('change 1') && !/qty: 0 → 10/.test(x));
    key(p, 'q');
    await waitFor(p, /__EXIT=0/);
  });

  it('keys that arrive together (fast typing, a paste): each takes effect, in order', async () => {
    const p = 'together';
    runInPane(p, t, ['tui']);
    const first = await waitFor(p, /setup .*items/);
    const line = (s: string) => s.split('\n').findIndex((l) => l.startsWith('>'));
    // one send-keys call: the keys reach the program in one read, one input for Ink
    key(p, '-l', 'jjkj');
    await waitFor(p, (s) => line(s) === line(first) + 2);
    // a search typed and entered at once
    key(p, '-l', '/change 3\r');
    await waitFor(p, /\/change 3 {2}1 commit\b/);
    key(p, '-l', '/\r');
    await waitFor(p, (s) => /main {2}\d+ commits/.test(s) && !s.includes('/change 3'));
    // open a commit, select its row and open the row view: three keys, one read
    key(p, '-l', 'G');
    await waitFor(p, (s) => selected(s).includes('track items'));
    key(p, '-l', 'k\r');
    await waitFor(p, /qty: 0 → 10/);
    key(p, '-l', ']\r');
    await waitFor(p, /history of id=1 in items/);
    // back from the row view, back from the commit, quit
    key(p, '-l', 'qqq');
    const after = await waitFor(p, /__EXIT=0/);
    expect(after.split('\n').filter(Boolean)).toEqual(['BEFORE', '__EXIT=0']);
  });

  it('a long value, clipped, expanded with e', async () => {
    const repo = await t.open();
    try {
      await repo.commit({ table: 'items', author: 'tester', message: 'long label', sql: `UPDATE items SET label = repeat('word ', 40) || 'TAIL' WHERE id = 5` });
    } finally {
      await repo.close();
    }
    const p = 'expand';
    runInPane(p, t, ['tui']);
    await waitFor(p, (s) => selected(s).includes('long label'));
    key(p, 'Enter');
    // the statement names TAIL; the cell's line is clipped before it
    const tails = (s: string) => s.split('TAIL').length - 1;
    const clipped = await waitFor(p, /^ {4}label: .*word word/m);
    expect(clipped).toMatch(/…$/m);
    expect(tails(clipped)).toBe(1);
    key(p, 'e');
    const open = await waitFor(p, (s) => tails(s) === 2);
    expect(open).toMatch(/^ {4}label: .*word word/m);
    key(p, 'q');
    key(p, 'q');
    await waitFor(p, /__EXIT=0/);
  });

  it('mouse wheel: reports on while it runs (the SGR sequences written into the pane), off after q', async () => {
    const p = 'wheel';
    runInPane(p, t, ['tui']);
    await waitFor(p, /setup .*items/);
    // the TUI asked for button reports, SGR-encoded
    expect(tmux('display', '-p', '-t', p, '#{mouse_standard_flag} #{mouse_sgr_flag}').trim()).toBe('1 1');
    const id = (s: string) => selected(s).slice(0, 9); // '> ' and the short id (the age moves on)
    const before = id(screen(p));
    // tmux cannot send a wheel event from the command line: the terminal's report is typed into the pane
    key(p, '-l', '\x1b[<65;10;5M');
    const down = await waitFor(p, (s) => id(s) !== before);
    expect(down.split('\n').findIndex((l) => l.startsWith('>'))).toBe(4); // three lines down
    key(p, '-l', '\x1b[<64;10;5M');
    await waitFor(p, (s) => id(s) === before);
    key(p, 'q');
    await waitFor(p, /__EXIT=0/);
    expect(tmux('display', '-p', '-t', p, '#{mouse_any_flag} #{mouse_standard_flag} #{mouse_sgr_flag} #{alternate_on} #{cursor_flag}').trim()).toBe('0 0 0 0 1');
  });

  it('check a commit out: what will change asked first, then a CHECKOUT commit', async () => {
    const p = 'checkout';
    runInPane(p, t, ['tui']);
    await waitFor(p, /setup .*items/);
    for (;;) {
      const s = screen(p);
      if (selected(s).includes('change 2')) break;
      key(p, 'j');
      await waitFor(p, (x) => x !== s);
    }
    key(p, 'c');
    const ask = await waitFor(p, /check out [0-9a-f]{7} change 2/);
    expect(ask).toMatch(/items ~\d+/);
    expect(ask).toMatch(/y do it, any other key: do nothing/);
    key(p, 'y');
    await waitFor(p, /checked out [0-9a-f]{7} into items/);
    // the list is read again after the status line is written: wait for the new commit on top
    const done = await waitFor(p, /\(HEAD -> main\) .* items ~\d+ {2}Check out [0-9a-f]{7}$/m);
    expect(done.split('\n').find((l) => l.includes('(HEAD -> main)'))).toMatch(/ items ~\d+ {2}Check out [0-9a-f]{7}$/);
    key(p, 'q');
    await waitFor(p, /__EXIT=0/);
  });

  it('merge with conflicts: each resolved (ours, theirs, a typed value), then continued', async () => {
    const repo = await t.open();
    try {
      await repo.createBranches({ name: 'side' });
      await repo.switchMany({ branch: 'side' });
      await repo.commit({ table: 'items', author: 'tester', message: 'side labels', sql: "UPDATE items SET label = 's' || id WHERE id <= 3" });
      await repo.switchMany({ branch: 'main' });
      await repo.commit({ table: 'items', author: 'tester', message: 'main labels', sql: "UPDATE items SET label = 'm' || id WHERE id <= 3" });
    } finally {
      await repo.close();
    }
    const p = 'merge';
    runInPane(p, t, ['tui']);
    await waitFor(p, /main labels/);
    key(p, 'b');
    // the pane's title comes first, its list when read: j moves in the list
    await waitFor(p, /^ {3}side .* side labels/m);
    key(p, 'j');
    await waitFor(p, /^> {2}side/m);
    key(p, 'M');
    await waitFor(p, /merge branch side into main/);
    key(p, 'y');
    const list = await waitFor(p, /merging side: 3 unresolved/);
    expect(selected(list)).toMatch(/^>unresolved {2}items id=1 label {2}base item 1 {2}ours m1 {2}theirs s1$/);
    key(p, 'o');
    await waitFor(p, /^>unresolved {2}items id=2/m);
    key(p, 't');
    await waitFor(p, /^>unresolved {2}items id=3/m);
    key(p, 'v');
    await waitFor(p, /^value \(NULL for NULL\): ▏/m);
    key(p, '-l', 'typed');
    key(p, 'Enter');
    const resolved = await waitFor(p, /merging side: 0 unresolved/);
    expect(resolved).toMatch(/resolved: m1 {2}items id=1/);
    expect(resolved).toMatch(/resolved: s2 {2}items id=2/);
    expect(resolved).toMatch(/resolved: typed {2}items id=3/);
    key(p, 'C');
    await waitFor(p, /continue the merge of side/);
    key(p, 'y');
    const merged = await waitFor(p, /\(HEAD -> main\) .* {2}Merge/);
    expect(merged).toMatch(/side labels/);
    key(p, 'q');
    await waitFor(p, /__EXIT=0/);
    const r = await vsg({ cwd: t.cwd, env: { ...t.env, NO_COLOR: '1' } }, ['sql', 'SELECT label FROM items WHERE id <= 3 ORDER BY id']);
    expect(r.stdout).toMatch(/m1[\s\S]*s2[\s\S]*typed/);
  }, 180_000); // (a dozen screens, each waited for: over a minute on a loaded machine)

  it('colours like the CLI, and none with NO_COLOR', async () => {
    runInPane('colour', t, ['tui']);
    const coloured = await waitFor('colour', /change 1/, true);
    expect(coloured).toMatch(/\x1b\[33m[0-9a-f]{7}/); // ids yellow, as vsg log
    key('colour', 'q');
    await waitFor('colour', /__EXIT=0/);
    runInPane('plain', t, ['tui'], { NO_COLOR: '1' });
    const plain = await waitFor('plain', /change 1/, true);
    expect(plain).not.toMatch(/\x1b\[[0-9;]*m/);
    key('plain', 'q');
    await waitFor('plain', /__EXIT=0/);
  });
});
