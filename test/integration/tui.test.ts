/**
 * `vsg tui`'s panes and keys, drawn by Ink into ink-testing-library's fake
 * terminal over a real repository (one per database, shared by the file):
 * ordersWithMerge, then a change made outside vsg (the status pseudo-entry).
 * Each test renders the App, sends keys, and reads the frames.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { renderShow } from '../../src/render/misc.js';
import { makeStyle } from '../../src/render/style.js';
import { KEYS } from '../../src/tui/keys.js';
import { ordersWithMerge, type OrdersHistory } from '../helpers/scenarios.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { KEY, frame, open, press, selected, showing, unmountAll, type Ui } from '../helpers/tui.js';

vi.setConfig({ testTimeout: 60_000 });

/** Send a key, then wait for a frame that `test` accepts. */
async function pressUntil(ui: Ui, key: string, test: (f: string) => boolean, what: string): Promise<string> {
  ui.stdin.write(key);
  return frame(ui, test, what);
}

describe.each(targetNames())('vsg tui panes and keys (%s)', (name) => {
  let t: Target;
  let repo: Repository;
  let h: OrdersHistory;
  beforeAll(async () => {
    t = await makeTarget(name);
    h = await ordersWithMerge(t);
    repo = await t.open();
    await repo.sql("UPDATE clients SET name = 'cyd' WHERE id = 3"); // uncommitted: the status pseudo-entry
  });
  afterEach(() => {
    unmountAll();
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('log pane: the uncommitted changes first, then each commit with id, refs, date, author, tables and message', async () => {
    const ui = open(repo);
    const f = await showing(ui, 'track clients, items, orders');
    const lines = f.split('\n');
    expect(lines[0]).toMatch(/^vsg tui {2}main {2}7 commits/);
    expect(lines[1]).toBe('> uncommitted changes clients ~1');
    expect(lines[2]).toMatch(new RegExp(`^  ${h.merge.slice(0, 7)} \\(HEAD -> main\\) (just now|\\d+ seconds? ago) tester clients \\+1, orders \\+1 {2}Merge branch 'feature'`));
    expect(f).toMatch(new RegExp(`${h.reprice.slice(0, 7)} .*tester orders ~1 {2}reprice`));
    expect(f).toMatch(/dee and her order/);
    expect(lines[lines.length - 1]).toMatch(/enter open · \/ search .* q quit/);
  });

  it('j k and the arrows move the selection; enter opens the commit as vsg show prints it, colours included', async () => {
    const colour = makeStyle(true);
    const ui = open(repo, { style: colour });
    await showing(ui, 'track clients');
    await press(ui, 'j', /^>.*Merge branch/m);
    await press(ui, KEY.down, /^>.*ann renamed/m);
    await press(ui, 'k', /^>.*Merge branch/m);
    await press(ui, 'j', /^>.*ann renamed/m);
    const f = await press(ui, KEY.enter, `commit ${h.ann}`);
    // every line of the pane is a line of `vsg show`, with its colours: the cell change name: ann → ANN
    // (the relative date is read at two moments: "59 seconds ago" may have become "1 minute ago")
    const undated = (l: string) => l.replace(/\((just now|\d+ \w+ ago)\)/, '(…)');
    const show = renderShow(await repo.show(h.ann), colour).split('\n').map(undated);
    const body = f.split('\n').slice(1, -1).filter((l) => l.trim() !== '').map(undated);
    expect(body.length).toBeGreaterThan(8);
    for (const line of body) expect(show).toContain(line);
    expect(f).toContain(`    name: ${colour.red('ann')} → ${colour.green('ANN')}`);
    // n and p: the next and previous commit of the log
    await press(ui, 'n', `commit ${h.dee}`);
    await press(ui, 'p', `commit ${h.ann}`);
    const back = await press(ui, 'q', 'enter open');
    expect(selected(back)).toContain('ann renamed');
  });

  it('enter on the uncommitted changes shows them as vsg diff does; esc goes back', async () => {
    const ui = open(repo);
    await showing(ui, 'uncommitted changes');
    const f = await press(ui, KEY.enter, 'name: cy → cyd');
    expect(f.split('\n')[0]).toContain('uncommitted changes');
    await press(ui, KEY.esc, 'enter open');
  });

  it('commit pane scrolls: j, G and g', async () => {
    const ui = open(repo, { size: { columns: 120, rows: 8 } });
    await showing(ui, / 7 commits/);
    await press(ui, 'j', /^>.*Merge branch/m);
    const first = await press(ui, KEY.enter, `commit ${h.merge}`);
    expect(first.split('\n')[1]).toContain(`commit ${h.merge}`);
    await pressUntil(ui, 'j', (f) => f.split('\n')[1].startsWith('Merge: '), 'one line down');
    const end = await pressUntil(ui, 'G', (f) => !f.includes('Merge: '), 'the end');
    expect(end).toContain('total: 1.00'); // the merge's last row: dee's order
    await pressUntil(ui, 'g', (f) => f.split('\n')[1].includes(`commit ${h.merge}`), 'the top');
  });

  it('/ searches commit messages in the database; an empty search clears it', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    await press(ui, '/', /^\/▏/m);
    for (const c of 'her ORDER') ui.stdin.write(c);
    await showing(ui, '/her ORDER▏');
    const f = await press(ui, KEY.enter, '/her ORDER  2 commits');
    expect(f).toContain('dee and her order');
    expect(f).toContain('cy and her order');
    expect(f).not.toContain('reprice');
    await press(ui, '/', /^\/▏/m);
    await press(ui, KEY.enter, '7 commits');
  });

  it('m marks a commit and d diffs it with the selected one; d alone diffs with the live tables', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    await press(ui, 'j', /^>.*Merge branch/m);
    await press(ui, 'j', /^>.*ann renamed/m);
    await press(ui, 'm', /^>\*.*ann renamed/m);
    await press(ui, 'j', /^>.*dee and her order/m);
    await press(ui, 'j', /^>.* reprice$/m);
    const f = await press(ui, 'd', 'name: ann → ANN');
    expect(f.split('\n')[0]).toContain(`diff ${h.reprice.slice(0, 7)}..${h.ann.slice(0, 7)}`);
    expect(f).toContain('total: 8.00 → 7.00');
    await press(ui, 'q', 'enter open');
    await press(ui, 'm', /^>\*.* reprice$/m); // the mark moves to reprice
    await press(ui, 'm', /^> [0-9a-f]{7} .* reprice$/m); // and goes: d alone diffs with the live tables
    const live = await press(ui, 'd', 'name: cy → cyd');
    expect(live.split('\n')[0]).toContain(`diff ${h.reprice.slice(0, 7)}..live tables`);
  });

  it('b lists branches and tags; enter on a branch asks first, and any key but y does nothing', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    const f = await press(ui, 'b', /^> {2}feature/m);
    expect(f).toMatch(/^> {2}feature [0-9a-f]{7}/m);
    expect(f).toMatch(/^ {1}\* main [0-9a-f]{7}/m);
    await press(ui, 'j', /^>\* main/m);
    await press(ui, 'k', /^> {2}feature/m);
    const ask = await press(ui, KEY.enter, 'switch every table to branch feature');
    expect(ask).toContain('y do it, any other key: do nothing');
    const no = await press(ui, 'n', 'nothing done');
    expect(no.split('\n')[0]).toContain('main');
    expect((await repo.status()).every((s) => s.branch === 'main')).toBe(true);
  });

  it('? lists every key of every pane; ? again goes back', async () => {
    const ui = open(repo, { size: { columns: 140, rows: 64 } });
    await showing(ui, 'track clients');
    const f = await press(ui, '?', 'this help');
    for (const k of KEYS) expect(f).toContain(k.does);
    await press(ui, '?', 'enter open');
  });

  it('reads the log a page at a time as the selection nears the end', async () => {
    const ui = open(repo, { pageSize: 2, size: { columns: 120, rows: 5 } });
    // a 3-line pane reads two pages ahead of the selection: 4 of 7 commits at first
    await showing(ui, / [2-6]\+ commits/);
    // G goes to the last line read, and the pages behind it are read: G again goes further
    for (let i = 0; !/^>.*track clients, items, orders/m.test(ui.lastFrame() ?? ''); i++) {
      expect(i, 'G reaches the first commit').toBeLessThan(10);
      await pressUntil(ui, 'G', (f) => selected(f) !== '', 'G');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ui.lastFrame()).toMatch(/ 7 commits/);
  });

  it('R on a commit whose rows changed since: after y, the refusal on the last line, nothing changed', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    for (const line of ['Merge branch', 'ann renamed', 'dee and her order', ' reprice$', 'rename bob', 'cy and her order']) {
      await press(ui, 'j', new RegExp(`^>.*${line}`, 'm'));
    }
    await press(ui, 'R', `roll back ${h.cy.slice(0, 7)} cy and her order`);
    const refused = await press(ui, 'y', /rolled back|cannot roll back/);
    expect(refused).not.toMatch(/rolled back/);
    // the refusal on the last line, and what is in the way (the uncommitted change to cy's row)
    expect(refused.split('\n')[0]).toContain('refused, nothing changed');
    expect(refused.split('\n')[1]).toMatch(/^cannot roll back [0-9a-f]{7}: /);
    expect(refused).toMatch(/id=3/);
    expect(refused.trimEnd().split('\n').pop()).toMatch(/^cannot roll back/);
    await press(ui, 'q', / 7 commits/);
    expect((await repo.log({ limit: 1 })).commits[0].id).toBe(h.merge);
  });

  it('R rolls the selected commit back after y: a new ROLLBACK commit on top', async () => {
    const ui = open(repo);
    await showing(ui, 'track clients');
    await press(ui, 'j', /^>.*Merge branch/m);
    await press(ui, 'j', /^>.*ann renamed/m);
    const ask = await press(ui, 'R', `roll back ${h.ann.slice(0, 7)} ann renamed, order repriced`);
    expect(ask).toContain('clients ~1, orders ~1');
    const done = await press(ui, 'y', /rolled back/);
    const after = await showing(ui, '8 commits');
    expect(after).toMatch(/\(HEAD -> main\).*Rollback/);
    expect(done).toMatch(/rolled back/);
    const r = await repo.sql('SELECT name FROM clients WHERE id = 1');
    expect(JSON.stringify(r)).toContain('"ann"');
  });
});
