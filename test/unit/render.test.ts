import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../src/render/diff.js';
import { caret } from '../../src/render/error.js';
import { renderLog } from '../../src/render/log.js';
import { renderViolationTable } from '../../src/render/merge.js';
import { renderPrune } from '../../src/render/prune.js';
import { renderVerify } from '../../src/render/verify.js';
import { makeStyle, wantColor } from '../../src/render/style.js';
import { cell, cellChange, relativeDate } from '../../src/render/values.js';
import type { CommitInfo, ConstraintViolation } from '../../src/index.js';

const plain = makeStyle(false);
const commit: CommitInfo = {
  id: '3f2a9c1' + '0'.repeat(57), shortId: '3f2a9c1', table: 'clients', tableId: 1, parents: [], kind: 'COMMIT',
  operation: 'UPDATE', author: 'alice', message: 'raise limits', committedAt: '2026-11-24T10:00:00.000000Z',
  statement: 'UPDATE clients SET credit = 2', meta: null, inserted: 0, updated: 2, deleted: 0, source: null, changeHash: 'x', refs: [],
};

describe('renderers', () => {
  it('log --oneline decorates HEAD like git', () => {
    const out = renderLog({ commits: [commit], heads: [{ table: 'clients', branch: 'main', commit: commit.id }] }, plain, { oneline: true });
    expect(out).toBe('3f2a9c1 (HEAD -> main) raise limits');
  });
  it('colours ids yellow only when colour is on', () => {
    const out = renderLog({ commits: [commit], heads: [] }, makeStyle(true), { oneline: true });
    expect(out).toContain('\u001b[33m3f2a9c1');
    expect(renderLog({ commits: [commit], heads: [] }, plain, { oneline: true })).not.toContain('\u001b[');
  });
  it('diff shows only changed cells, old → new, in table column order', () => {
    const out = renderDiff(
      {
        table: 'clients', keyColumns: ['id'], columns: ['id', 'name', 'credit'],
        from: { ref: 'HEAD', id: 'a'.repeat(64) }, to: { ref: 'WORKING', id: null },
        schema: [], dropped: false,
        stat: { inserted: 0, updated: 1, deleted: 0, columns: { credit: 1, name: 1 } },
        changes: [{ key: { id: '2' }, old: { id: '2', name: 'Bob', credit: '1.00' }, new: { id: '2', name: 'Rob', credit: '2.00' } }],
      },
      plain,
    );
    expect(out.split('\n').slice(1, 4)).toEqual(['~ id=2', '    name: Bob → Rob', '    credit: 1.00 → 2.00']);
  });
  it('keeps the indentation of every line of a multi-line value, under its first', () => {
    const out = renderDiff(
      {
        table: 'doc', keyColumns: ['id'], columns: ['id', 'body'],
        from: { ref: 'HEAD', id: 'a'.repeat(64) }, to: { ref: 'WORKING', id: null },
        schema: [], dropped: false,
        stat: { inserted: 0, updated: 1, deleted: 0, columns: { body: 1 } },
        changes: [{ key: { id: '1' }, old: { id: '1', body: 'def f():\n    if x:\n        return 1' }, new: { id: '1', body: 'def f():\n    if y:\n        return 1' } }],
      },
      plain,
    );
    expect(out.split('\n').slice(1, 5)).toEqual(['~ id=1', '    body: def f():', '              if [-x-]{+y+}:', '                  return 1']);
  });
  it('word-diffs long text cells', () => {
    expect(cellChange('the quick brown fox jumps over the lazy dog today', 'the quick red fox jumps over the lazy dog today', plain)).toBe(
      'the quick [-brown-]{+red+} fox jumps over the lazy dog today',
    );
  });
  it('clips values of megabytes to a window around the first difference, with their length', () => {
    const big = 'ab '.repeat(2_000_000);
    expect(cell(big, plain)).toBe(`${big.slice(0, 80)}… [6000000 characters]`);
    const changed = `${big.slice(0, 3_000_000)}X${big.slice(3_000_001)}`;
    const out = cellChange(big, changed, plain);
    expect(out).toBe(`…${big.slice(2_999_980, 3_000_060)}… [6000000 characters] → …${changed.slice(2_999_980, 3_000_060)}… [6000000 characters]`);
    expect(cell(`🐘${'x'.repeat(77)}🐘${'y'.repeat(3000)}`, plain)).toBe(`🐘${'x'.repeat(77)}🐘… [3081 characters]`); // the cut does not split 🐘
  });
  it('tells SQL NULL from the text NULL and the empty string', () => {
    expect(cellChange(null, 'NULL', plain)).toBe('NULL → "NULL"');
    expect(cellChange('', 'x', plain)).toBe('"" → x');
  });
  it('puts a caret under the PostgreSQL error position', () => {
    expect(caret({ statement: 'SELECT 1;\nUPDAT t SET x = 1', position: 11 })).toEqual(['LINE 2: UPDAT t SET x = 1', '        ^']);
  });
  it('relative dates', () => {
    expect(relativeDate('2026-11-24T10:00:00Z', Date.parse('2026-11-24T10:05:00Z'))).toBe('5 minutes ago');
  });
  it('colour: flag, then NO_COLOR, then terminal', () => {
    expect(wantColor(true, { NO_COLOR: '1' }, false)).toBe(true);
    expect(wantColor(undefined, { NO_COLOR: '1' }, true)).toBe(false);
    expect(wantColor(undefined, {}, true)).toBe(true);
    expect(wantColor(undefined, {}, false)).toBe(false);
  });
  it('says in words what breaks each constraint a merge would break', () => {
    const v = (kind: ConstraintViolation['kind'], row: ConstraintViolation['row'], other: ConstraintViolation['other'], columns = ['client_id']): ConstraintViolation => ({
      table: 'orders', key: { id: '12' }, row, constraint: 'c', kind, columns, other,
    });
    const out = renderViolationTable(
      [
        v('foreign key', { id: '12', client_id: '2' }, { table: 'clients', relation: 'missing', key: null, values: { id: '2' } }),
        v('foreign key', null, { table: 'items', relation: 'references', key: { id: '7' }, values: { order_id: '12' } }),
        v('unique', { id: '12', email: 'a@x' }, { table: 'orders', relation: 'duplicate', key: { id: '3' }, values: { email: 'a@x' } }, ['email']),
        v('not null', { id: '12', qty: null }, null, ['qty']),
        v('check', { id: '12', qty: '0' }, null, ['qty']),
      ],
      ['id'],
      plain,
    );
    const why = out.split('\n').filter((l) => l.includes('id=12')).map((l) => l.split('│').at(-2)?.trim());
    expect(why).toEqual(['no clients row with id=2', 'still referenced by items (id=7): order_id=12', 'email=a@x also in orders (id=3)', 'qty is NULL', 'the check fails']);
    expect(out).toContain('(deleted)');
  });
  it('prune --keep-tags names the tag that held a table back and how many commits fewer were pruned', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    const out = renderPrune(
      {
        entry: { seq: 1, id: 'c'.repeat(64), author: 'ops', message: 'm', at: '', point: b, commits: 4, bases: [{ table: 'orders', commit: a, rows: 3, hash: '' }] },
        tables: [{ table: 'orders', boundary: a, boundaries: [{ branch: 'main', commit: a }], commits: 4, changes: 9 }],
        tagsDeleted: [],
        heldBack: [{ table: 'orders', tag: 'v1', commit: a, spared: 2 }],
        historiesLeft: [],
        checkpoints: 0,
        vacuum: { done: true, full: true },
        space: { before: 2 << 20, after: 1 << 20 },
      },
      plain,
    );
    expect(out.split('\n').slice(1, 3)).toEqual([
      'orders: 4 commits, 9 change rows dropped; history starts at aaaaaaa',
      "orders: held back to aaaaaaa by tag 'v1' (--keep-tags): 2 commits fewer pruned",
    ]);
    expect(renderPrune({ entry: null, tables: [], tagsDeleted: [], heldBack: [{ table: 'orders', tag: 'v1', commit: a, spared: 4 }], historiesLeft: [], checkpoints: 0, vacuum: { done: false }, space: { before: 0, after: 0 } }, plain))
      .toBe("nothing older than the point: nothing pruned; orders held back by tag 'v1' (--keep-tags)");
  });
  it('prune and verify count in the singular when there is one', () => {
    const a = 'a'.repeat(64);
    const out = renderPrune(
      {
        entry: { seq: 1, id: 'c'.repeat(64), author: 'ops', message: 'm', at: '', point: a, commits: 1, bases: [{ table: 'orders', commit: a, rows: 1, hash: '' }] },
        tables: [{ table: 'orders', boundary: a, boundaries: [{ branch: 'main', commit: a }], commits: 1, changes: 1 }],
        tagsDeleted: [],
        heldBack: [{ table: 'orders', tag: 'v1', commit: a, spared: 1 }],
        historiesLeft: [],
        checkpoints: 1,
        vacuum: { done: true, full: true },
        space: { before: 2 << 20, after: 1 << 20 },
      },
      plain,
    );
    expect(out.split('\n').slice(0, 4)).toEqual([
      'prune ccccccc before aaaaaaa: 1 commit pruned; bases: orders (1 row at aaaaaaa)',
      'orders: 1 commit, 1 change row dropped; history starts at aaaaaaa',
      "orders: held back to aaaaaaa by tag 'v1' (--keep-tags): 1 commit fewer pruned",
      'dropped 1 checkpoint',
    ]);
    const verified = { ok: true, scope: 'all', tables: 1, histories: 1, commits: 1, changes: 1, refs: 1, firstBad: null, problems: [] };
    expect(renderVerify(verified, plain)).toBe('ok 1 table and 1 untracked history: 1 commit, 1 change row, 1 ref');
    expect(renderVerify({ ...verified, tables: 2, histories: 2, commits: 2, changes: 0, refs: 3 }, plain)).toBe('ok 2 tables and 2 untracked histories: 2 commits, 0 change rows, 3 refs');
    expect(renderVerify({ ...verified, against: { digest: 'd', ok: true, covered: 1, found: 1 } }, plain)).toContain('history matches digest (1 commit covered)');
  });
});
