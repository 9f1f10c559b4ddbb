/** A tracked table dropped behind vsg's back: history stays readable, writes are refused, untrack cleans up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

describe.each(targetNames())('a dropped tracked table on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await vsgOk(t, ['init']);
    await vsgOk(t, ['sql', 'CREATE TABLE keep (id int PRIMARY KEY); CREATE TABLE doomed (id int PRIMARY KEY, v text)']);
    await vsgOk(t, ['track', 'keep']);
    await vsgOk(t, ['track', 'doomed']);
    await vsgOk(t, ['commit', '-t', 'doomed', "INSERT INTO doomed VALUES (1, 'x')"]);
    await vsgOk(t, ['sql', 'DROP TABLE doomed']);
  });
  afterAll(() => t.cleanup());

  it('every other command keeps working, and its history stays readable', async () => {
    expect(JSON.parse(await vsgOk(t, ['tables', '--json'])).map((x: { display: string; gone: boolean }) => [x.display, x.gone])).toEqual([
      ['doomed', true],
      ['keep', false],
    ]);
    expect(JSON.parse(await vsgOk(t, ['log', '-t', 'doomed', '--json'])).commits).toHaveLength(2);
    await vsgOk(t, ['commit', '-t', 'keep', 'INSERT INTO keep VALUES (1)']);
  });

  it('a write to it is refused with a hint', async () => {
    const r = await vsg(t, ['commit', '-t', 'doomed', '--allow-empty', 'SELECT 1']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([3, "error: table 'doomed' was dropped; its history remains"]);
  });

  it('untrack --force deletes its history', async () => {
    expect(await vsgOk(t, ['untrack', 'doomed', '--force'])).toBe('untracked doomed (2 commits deleted)\n');
    expect(JSON.parse(await vsgOk(t, ['tables', '--json'])).map((x: { display: string }) => x.display)).toEqual(['keep']);
  });
});
