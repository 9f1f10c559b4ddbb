/**
 * Ref labels under a filter, several tables tracked: a branch or HEAD
 * decorates the entry where the repository's ref stands, never an older
 * entry holding another table's part of it (`vsg log --author`, `vsg tui --author`).
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { renderLog } from '../../src/render/log.js';
import { makeStyle } from '../../src/render/style.js';
import { App } from '../../src/tui/app.js';
import { makeTarget, targetNames, vsgOk, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 60_000 });
const plain = makeStyle(false);

describe.each(targetNames())('ref labels with a filter over several tables (%s)', (name) => {
  let t: Target;
  let repo: Repository;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE a (id int PRIMARY KEY, v int); CREATE TABLE b (id int PRIMARY KEY, v int); INSERT INTO a VALUES (1, 0); INSERT INTO b VALUES (1, 0)');
    await repo.trackTables(['a', 'b'], { author: 'alice' });
    await repo.commit({ table: 'b', author: 'alice', message: 'alice on b', sql: 'UPDATE b SET v = 1' });
    await repo.commit({ table: 'a', author: 'bob', message: 'bob on a', sql: 'UPDATE a SET v = 1' });
    await repo.createBranches({ name: 'feature' });
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('log --author: HEAD and the branch stand on bob\'s entry, left out: no label lands on alice\'s (b\'s part of them)', async () => {
    const all = renderLog(await repo.log(), plain, { oneline: true }).split('\n');
    expect(all[0]).toMatch(/^[0-9a-f]{7} \(HEAD -> main, feature\) bob on a$/);
    expect(all[1]).toMatch(/^[0-9a-f]{7} alice on b$/);
    const r = await repo.log({ author: 'alice' });
    expect(r.at?.head).toBe((await repo.log({ limit: 1 })).commits[0].id);
    const lines = renderLog(r, plain, { oneline: true }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^[0-9a-f]{7} alice on b$/);
    expect(lines.join('\n')).not.toMatch(/HEAD|feature/);
  });

  it('vsg tui --author: the same', async () => {
    const ui = render(React.createElement(App, { repo, style: plain, author: 'tester', filter: { author: 'alice' }, size: { columns: 120, rows: 10 } }));
    try {
      const deadline = Date.now() + 20_000;
      while (!(ui.lastFrame() ?? '').includes('alice on b')) {
        if (Date.now() > deadline) throw new Error(`no log; last frame:\n${ui.lastFrame()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const f = ui.lastFrame() ?? '';
      expect(f).toMatch(/^> [0-9a-f]{7} .* alice b ~1 {2}alice on b$/m);
      expect(f.split('\n').slice(1).join('\n')).not.toMatch(/HEAD|feature/);
    } finally {
      ui.unmount();
    }
  });

  it('vsg tui without a filter: a branch standing on a commit of another branch labels nothing; --all shows it there', async () => {
    await repo.createBranches({ name: 'side' });
    await repo.switchMany({ branch: 'side' });
    await repo.commit({ table: 'a', author: 'carol', message: 'carol on a, on side', sql: 'UPDATE a SET v = 2' });
    await repo.switchMany({ branch: 'main' });
    const frameOf = async (filter: { all?: boolean }) => {
      const ui = render(React.createElement(App, { repo, style: plain, author: 'tester', filter, size: { columns: 120, rows: 12 } }));
      try {
        const deadline = Date.now() + 20_000;
        while (!(ui.lastFrame() ?? '').includes('alice on b')) {
          if (Date.now() > deadline) throw new Error(`no log; last frame:\n${ui.lastFrame()}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return ui.lastFrame() ?? '';
      } finally {
        ui.unmount();
      }
    };
    // side's part of b is alice's commit, listed; its part of a (carol's) is not: no label
    const main = await frameOf({});
    expect(main).toMatch(/\(HEAD -> main, feature\) .* bob on a$/m);
    expect(main).not.toMatch(/side/);
    const all = await frameOf({ all: true });
    expect(all).toMatch(/\* [0-9a-f]{7} \(side\) .* carol on a, on side$/m);
    expect(all.split('\n').filter((l) => l.includes('side'))).toHaveLength(1);
  });

  it('vsg log without a filter: a branch or tag whose newest part is not listed labels nothing (its older part on another table is not where it stands)', async () => {
    // side: a at carol's commit (not in main's history), b at alice's (listed)
    const text = renderLog(await repo.log(), plain, { oneline: true });
    expect(text).toMatch(/^[0-9a-f]{7} \(HEAD -> main, feature\) bob on a$/m);
    expect(text).not.toMatch(/side/);
    expect(renderLog(await repo.log({ limit: 2 }), plain, { oneline: true })).not.toMatch(/side/);
    // the same through bin/vsg: the log, its graph, and the dot graph
    await repo.close();
    try {
      expect(await vsgOk(t, ['log', '--oneline'])).not.toMatch(/side/);
      expect(await vsgOk(t, ['log', '--graph', '--oneline'])).not.toMatch(/side/);
      expect(await vsgOk(t, ['log', '--format', 'dot'])).not.toMatch(/side/);
      expect(await vsgOk(t, ['log', '--author', 'alice', '--format', 'dot'])).not.toMatch(/HEAD|feature|side/);
    } finally {
      repo = await t.open();
    }
  });
});
