/**
 * `vsg tui`'s row view, expand, mouse wheel, --all graph and actions
 * (restore, tag, branch, merge with conflicts resolved one by one, checkout),
 * drawn by Ink into ink-testing-library's fake terminal over a real
 * repository on each database: ordersWithMerge, then a long value, then a
 * branch 'side' whose clients conflict with main's on three rows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { ordersWithMerge, type OrdersHistory } from '../helpers/scenarios.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { KEY, frame, open, press, selected, showing, unmountAll, type Ui } from '../helpers/tui.js';

vi.setConfig({ testTimeout: 60_000 });

const WHEEL_DOWN = '\x1b[<65;20;5M';
const WHEEL_UP = '\x1b[<64;20;5M';
async function type(ui: Ui, text: string): Promise<void> {
  for (const c of text) ui.stdin.write(c);
  await showing(ui, `${text}▏`);
}
const LONG = `${'long '.repeat(60)}END`;

describe.each(targetNames())('vsg tui row view, wheel, graph and actions (%s)', (name) => {
  let t: Target;
  let repo: Repository;
  let h: OrdersHistory;
  let longId: string;
  beforeAll(async () => {
    t = await makeTarget(name);
    h = await ordersWithMerge(t);
    repo = await t.open();
    longId = (await repo.commit({ table: 'clients', author: 'tester', message: 'long name', sql: `UPDATE clients SET name = '${LONG}' WHERE id = 2` })).commit?.id as string;
  });
  afterEach(() => {
    unmountAll();
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('a row of a commit: [ ] select it, enter opens its history and blame; enter on a value jumps to the commit that set it', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    await press(ui, 'j', /^>.*Merge branch/m);
    await press(ui, 'j', /^>.*ann renamed/m);
    const commit = await press(ui, KEY.enter, /commit [0-9a-f]{64}/);
    // no row selected: the pane is vsg show's; ] selects the first (▸), ] again the next: orders id=30
    expect(commit).toMatch(/^~ id=1$/m);
    await press(ui, ']', /^▸~ id=1$/m);
    const next = await press(ui, ']', /^▸~ id=30$/m);
    expect(next).toMatch(/^ ~ id=1$/m);
    await press(ui, '[', /^▸~ id=1$/m);
    const row = await press(ui, KEY.enter, 'history of id=1 in clients');
    expect(row.split('\n')[0]).toContain('row id=1 of clients');
    // its history, newest first, the selection on the newest
    // (a commit across tables: the row's table's part of it)
    const part = /^> {2}([0-9a-f]{7}) tester ann renamed, order repriced {2}name=ANN$/m.exec(row)?.[1] as string;
    expect(part, selected(row)).toBeDefined();
    expect(row).toMatch(/\(inserted\) name=ann/);
    // blame: the commit that set each value
    expect(row).toMatch(new RegExp(`^ {3}name +${part} tester {2}ANN$`, 'm'));
    for (let i = 0; i < 5 && !/^> {2}name/m.test(ui.lastFrame() ?? ''); i++) ui.stdin.write('j'), await new Promise((r) => setTimeout(r, 60));
    await showing(ui, /^> {2}name/m);
    const jumped = await press(ui, KEY.enter, `commit ${part}`);
    expect(jumped).toContain('name: ann → ANN');
    await press(ui, 'q', 'history of id=1');
    await press(ui, 'q', /^▸~ id=1$/m);
    await press(ui, 'q', 'enter open');
  });

  it('a long value is clipped; e expands it in the commit pane and in the row view', async () => {
    const ui = open(repo);
    await showing(ui, 'long name');
    const commit = await press(ui, KEY.enter, `commit ${longId}`);
    expect(commit).not.toContain('END');
    const wrapped = await press(ui, 'e', 'END');
    expect(wrapped).toMatch(/long long/);
    await press(ui, 'e', (await frame(ui, (f) => f.includes('END'))) && /^(?![\s\S]*END)/);
    const row = await press(ui, KEY.enter, 'history of id=2 in clients');
    expect(row).not.toContain('END');
    for (let i = 0; i < 6 && !/^> {2}name/m.test(ui.lastFrame() ?? ''); i++) ui.stdin.write('j'), await new Promise((r) => setTimeout(r, 60));
    await showing(ui, /^> {2}name/m);
    const full = await press(ui, 'e', /END$/m);
    expect(full.replace(/\n {4}/g, '')).toContain(LONG.slice(0, 100));
    await press(ui, 'e', /^(?![\s\S]*END)/);
  });

  it('the mouse wheel moves the log three lines a notch, and scrolls a commit', async () => {
    const ui = open(repo, { size: { columns: 120, rows: 8 } });
    await showing(ui, /^>.*long name/m);
    const down = await press(ui, WHEEL_DOWN, /^>.*dee and her order/m);
    expect(selected(down)).toMatch(/dee and her order/);
    await press(ui, WHEEL_DOWN + WHEEL_DOWN, /^>.*track clients/m); // two notches in one read: six lines (to the last)
    await press(ui, WHEEL_UP + WHEEL_UP + WHEEL_UP, /^>.*long name/m);
    // a click is not a wheel: nothing moves
    ui.stdin.write('\x1b[<0;20;5M\x1b[<0;20;5m');
    await new Promise((r) => setTimeout(r, 100));
    expect(selected(ui.lastFrame() ?? '')).toMatch(/long name/);
    await press(ui, 'j', /^>.*Merge branch/m);
    const merge = await press(ui, KEY.enter, `commit ${h.merge}`);
    expect(merge.split('\n')[1]).toContain(`commit ${h.merge}`);
    ui.stdin.write(WHEEL_DOWN);
    const scrolled = await frame(ui, (f) => !f.split('\n')[1].includes(`commit ${h.merge}`), 'the commit scrolled');
    expect(scrolled.split('\n')[1]).toMatch(/^ ?Date: /); // three lines down: commit, Merge, Author gone
  });

  it('X restores the uncommitted changes after asking, saying what goes', async () => {
    await repo.sql("UPDATE clients SET name = 'changed' WHERE id = 1");
    const ui = open(repo);
    await showing(ui, 'uncommitted changes clients ~1');
    const ask = await press(ui, 'X', 'restore every table to HEAD');
    expect(ask).toContain('uncommitted changes clients ~1');
    await press(ui, 'y', /restored|clients/);
    await frame(ui, (f) => !f.includes('uncommitted changes') && f.includes('long name'), 'the log without uncommitted changes');
    expect(JSON.stringify(await repo.sql('SELECT name FROM clients WHERE id = 1'))).toContain('"ANN"');
  });

  it('t tags and B branches the selected commit, each after a typed name and a confirmation', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    await press(ui, 'j', /^>.*Merge branch/m);
    await press(ui, 't', /^tag name: ▏/m);
    await type(ui, 'v2');
    const ask = await press(ui, KEY.enter, `tag ${h.merge.slice(0, 7)}`);
    expect(ask).toContain('as tag: v2');
    await press(ui, 'y', /tagged/);
    await showing(ui, /tag: v2/);
    expect((await repo.tagsByName()).names.map((n) => n.name)).toContain('v2');
    await showing(ui, /^>.*long name/m); // the log read again, from the top
    await press(ui, 'j', /^>.*Merge branch/m);
    await press(ui, 'j', /^>.*ann renamed/m);
    await press(ui, 'B', /^branch name: ▏/m);
    await type(ui, 'side');
    await press(ui, KEY.enter, `branch side at ${h.ann.slice(0, 7)}`);
    await press(ui, 'n', 'nothing done'); // any key but y
    expect((await repo.branchesByName()).names.map((n) => n.name)).not.toContain('side');
    await press(ui, 'B', /^branch name: ▏/m);
    await type(ui, 'side');
    await press(ui, KEY.enter, `branch side at ${h.ann.slice(0, 7)}`);
    await press(ui, 'y', /created branch side/);
    expect((await repo.branchesByName()).names.map((n) => n.name)).toContain('side');
  });

  it('--all draws every branch as a graph', async () => {
    await repo.switchMany({ branch: 'side' });
    await repo.commit({ table: 'clients', author: 'tester', message: 'side names', sql: "UPDATE clients SET name = 's' || id WHERE id <= 3" });
    await repo.switchMany({ branch: 'main' });
    await repo.commit({ table: 'clients', author: 'tester', message: 'main names', sql: "UPDATE clients SET name = 'm' || id WHERE id <= 3" });
    const ui = open(repo, { filter: { all: true }, size: { columns: 120, rows: 30 } });
    const f = await showing(ui, 'side names');
    expect(f.split('\n')[0]).toContain('every branch');
    expect(f).toMatch(/^> \* [0-9a-f]{7} \(HEAD -> main\).* main names$/m);
    expect(f).toMatch(/^ {2}\| \* [0-9a-f]{7} \(side\).* side names$/m);
    expect(f).toMatch(/^ {2}\|\/ *$/m);
    // j skips the connector lines
    await press(ui, 'j', /^>.*side names/m);
    await press(ui, 'j', /^>.*long name/m);
    await press(ui, 'j', /^>.*Merge branch/m);
  });

  it('M merges a branch; its conflicts are listed and resolved one by one (ours, theirs, a typed value), then continued', async () => {
    const ui = open(repo);
    await showing(ui, 'main names');
    await press(ui, 'b', /branches and tags/);
    for (let i = 0; i < 5 && !/^>.*side/m.test(ui.lastFrame() ?? ''); i++) ui.stdin.write('j'), await new Promise((r) => setTimeout(r, 60));
    await showing(ui, /^> {2}side/m);
    const ask = await press(ui, 'M', 'merge branch side into main');
    expect(ask).toContain('three-way merge');
    const list = await press(ui, 'y', 'merging side: 3 unresolved');
    expect(selected(list)).toMatch(/^>unresolved {2}clients id=1 name {2}base ANN {2}ours m1 {2}theirs s1$/);
    await press(ui, 'o', /^ resolved: m1 /m);
    await showing(ui, /^>unresolved {2}clients id=2/m);
    await press(ui, 't', /^ resolved: s2 /m);
    await showing(ui, /^>unresolved {2}clients id=3/m);
    await press(ui, 'v', /^value \(NULL for NULL\): ▏/m);
    await type(ui, 'typed');
    const done = await press(ui, KEY.enter, 'merging side: 0 unresolved');
    expect(done).toContain('every conflict resolved: C continues the merge');
    await press(ui, 'C', 'continue the merge of side');
    await press(ui, 'y', /Merge/);
    await showing(ui, /\(HEAD -> main\)/);
    const r = await repo.sql('SELECT id, name FROM clients WHERE id <= 3 ORDER BY id');
    expect(JSON.stringify(r)).toMatch(/"m1".*"s2".*"typed"/);
  });

  it('c checks a commit out after showing what will change: a CHECKOUT commit', async () => {
    const ui = open(repo);
    await showing(ui, 'main names');
    for (let i = 0; i < 10 && !/^>.*long name/m.test(ui.lastFrame() ?? ''); i++) ui.stdin.write('j'), await new Promise((r) => setTimeout(r, 60));
    await showing(ui, /^>.*long name/m);
    const ask = await press(ui, 'c', `check out ${longId.slice(0, 7)} long name`);
    expect(ask).toMatch(/clients ~3/);
    await press(ui, 'y', /checked out/);
    await showing(ui, new RegExp(`\\(HEAD -> main\\).* clients ~3  Check out ${longId.slice(0, 7)}$`, 'm'));
    const r = await repo.sql('SELECT id, name FROM clients WHERE id <= 3 ORDER BY id');
    expect(JSON.stringify(r)).toMatch(/"ANN".*"long long.*END".*"cy"/);
  });
});
