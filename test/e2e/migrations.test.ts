/** Versioned migrations: a missing one (whatever its number) is detected and applied by `vsg init`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

describe.each(targetNames())('schema migrations on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
  });
  afterAll(() => t.cleanup());

  it('a database lacking one migration is refused with a hint, and init applies just that one', async () => {
    const first = await vsgOk(t, ['init']);
    const version = Number(/version (\d+)/.exec(first)?.[1]);
    expect(version).toBeGreaterThanOrEqual(6);
    // Take migration 6 away, as if this database predated it while later ones were applied.
    await vsgOk(t, ['sql', 'DROP TABLE vsg.schema_changes; DELETE FROM vsg.migrations WHERE version = 6']);
    const refused = await vsg(t, ['status']);
    expect([refused.code, refused.stderr]).toEqual([3, "error: the vsg schema lacks 1 migration(s) this vsg needs\nhint: run 'vsg init' to upgrade it\n"]);
    expect(await vsgOk(t, ['init'])).toMatch(/^upgraded vsg schema/);
    expect(JSON.parse(await vsgOk(t, ['sql', 'SELECT version FROM vsg.migrations ORDER BY version', '--json'])).rows.flat().map(Number)).toContain(6);
    expect(await vsgOk(t, ['status'])).toBe("no table is tracked yet (use 'vsg track <table>')\n");
  });
});
