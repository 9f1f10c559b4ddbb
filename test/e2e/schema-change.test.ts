/**
 * Schema changes on a tracked table: `vsg commit "ALTER TABLE ..."` records a
 * SCHEMA commit; log, show and diff keep working across it; write-back of
 * older rows puts added columns to their default, follows renames, and
 * refuses (changing nothing) where a column was dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

describe.each(targetNames())('schema changes on %s', (name) => {
  let t: Target;
  const rows = async () => JSON.parse(await vsgOk(t, ['sql', 'SELECT * FROM items ORDER BY id', '--json']));

  beforeAll(async () => {
    t = await makeTarget(name);
    await vsgOk(t, ['init']);
    await vsgOk(t, ['sql', "CREATE TABLE items (id int PRIMARY KEY, label text, qty int); INSERT INTO items VALUES (1, 'a', 1), (2, 'b', 2)"]);
    await vsgOk(t, ['track', 'items']);
    await vsgOk(t, ['commit', '-t', 'items', 'UPDATE items SET qty = 10 WHERE id = 1']);
  });
  afterAll(() => t.cleanup());

  it('an ALTER TABLE is a SCHEMA commit that says what changed', async () => {
    expect(await vsgOk(t, ['commit', '-t', 'items', "ALTER TABLE items ADD COLUMN note text DEFAULT 'none'"])).toMatch(
      /^\[main [0-9a-f]{7}\] SCHEMA items: column 'note' added \(text\)\n$/,
    );
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD', '--json']));
    expect([shown.commit.kind, shown.schema]).toEqual(['SCHEMA', ["column 'note' added (text)"]]);
  });

  it('diff across the change shows it, and the rows', async () => {
    await vsgOk(t, ['commit', '-t', 'items', "UPDATE items SET note = 'hi' WHERE id = 2"]);
    const d = JSON.parse(await vsgOk(t, ['diff', 'HEAD~3', 'HEAD', '--json']));
    expect(d.schema).toEqual([{ commit: expect.stringMatching(/^[0-9a-f]{64}$/), side: 'to', changes: ["column 'note' added (text)"] }]);
    expect(d.changes.map((c: { key: { id: string } }) => c.key.id)).toEqual(['1', '2']);
    expect(await vsgOk(t, ['diff', 'HEAD~3', 'HEAD'])).toMatch(/\nschema [0-9a-f]{7}: column 'note' added \(text\)\n/);
  });

  it('restoring rows from before a column was added gives it its default', async () => {
    await vsgOk(t, ['restore', 'HEAD~3', '-t', 'items']);
    expect((await rows()).rows).toEqual([
      ['1', 'a', '1', 'none'],
      ['2', 'b', '2', 'none'],
    ]);
    await vsgOk(t, ['restore', '-t', 'items']);
  });

  it('a renamed column keeps its history', async () => {
    expect(await vsgOk(t, ['commit', '-t', 'items', 'ALTER TABLE items RENAME COLUMN label TO title'])).toContain("column 'label' renamed to 'title'");
    await vsgOk(t, ['restore', 'HEAD~4', '-t', 'items']);
    expect((await rows()).rows).toEqual([
      ['1', 'a', '1', 'none'],
      ['2', 'b', '2', 'none'],
    ]);
    await vsgOk(t, ['restore', '-t', 'items']);
  });

  it('rows from before a column was dropped are refused, and nothing changes', async () => {
    await vsgOk(t, ['commit', '-t', 'items', 'ALTER TABLE items DROP COLUMN qty']);
    const before = await rows();
    const r = await vsg(t, ['restore', 'HEAD~5', '-t', 'items']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe("error: cannot write rows back to 'items': column 'qty' no longer exists (dropped or renamed since)");
    expect(await rows()).toEqual(before);
    // log and show still read the old commits
    const log = JSON.parse(await vsgOk(t, ['log', '-t', 'items', '--json'])).commits;
    expect(log.map((c: { kind: string }) => c.kind)).toEqual(['SCHEMA', 'SCHEMA', 'COMMIT', 'SCHEMA', 'COMMIT', 'ROOT']);
    expect(JSON.parse(await vsgOk(t, ['show', 'HEAD~4', '-t', 'items', '--json'])).changes[0].new).toEqual({ id: '1', label: 'a', qty: '10' });
  });

  it('the recorded schema change is covered by the commit hash: verify catches an edit', async () => {
    expect((await vsg(t, ['verify'])).code).toBe(0);
    await vsgOk(t, ['sql', `UPDATE vsg.schema_changes SET after = after - 1 WHERE commit_id = (SELECT id FROM vsg.commits WHERE kind = 'SCHEMA' ORDER BY seq LIMIT 1)`]);
    const r = await vsg(t, ['verify', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems.map((p: { code: string }) => p.code)).toEqual(['schema_record']);
    await vsgOk(t, ['sql', `UPDATE vsg.schema_changes s SET after = c.meta->'vsg.schema'->'after' FROM vsg.commits c WHERE c.id = s.commit_id`]);
    expect((await vsg(t, ['verify'])).code).toBe(0);
  });

  it('changing the primary key is refused and rolled back', async () => {
    const r = await vsg(t, ['commit', '-t', 'items', 'ALTER TABLE items RENAME COLUMN id TO item_id']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([3, "error: the statement changes the primary key of 'items', which vsg cannot follow"]);
    expect((await rows()).columns).toEqual(['id', 'title', 'note']);
  });
});
