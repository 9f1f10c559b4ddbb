/**
 * The column check written into each capture function (vsg.column_check):
 * true while the table's live columns are those it was written for, false
 * after any column is added, dropped, renamed or retyped (type or type
 * modifier), also where columns were dropped before (gaps in attnum) and
 * where names need quoting in an array literal.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000 });

describe.each(targetNames())('the capture column check on %s', (name) => {
  let t: Target;
  /** the condition for the table's columns as they are now */
  const condition = async (table: string) =>
    (await t.sql(`SELECT vsg.column_check($1::regclass) AS c`, [table])).rows[0].c as string;
  const holds = async (cond: string) => (await t.sql(`SELECT (${cond})::text AS ok`)).rows[0].ok as string;

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    await repo.close();
    await t.sql(`CREATE TABLE items (id int PRIMARY KEY, gone text, "NULL" text, "a,""b" varchar(10), n numeric(12,2));
                 ALTER TABLE items DROP COLUMN gone`);
  });
  afterAll(() => t.cleanup());

  it('holds for the columns it was written for, with a dropped column before and names that need quoting', async () => {
    expect(await holds(await condition('items'))).toBe('true');
  });

  it.each([
    ['a column added', 'ALTER TABLE items ADD COLUMN extra int'],
    ['a column dropped', 'ALTER TABLE items DROP COLUMN extra'],
    ['a column renamed', 'ALTER TABLE items RENAME COLUMN "NULL" TO "null"'],
    ['a type modifier changed', 'ALTER TABLE items ALTER COLUMN "a,""b" TYPE varchar(20)'],
    ['a type changed', 'ALTER TABLE items ALTER COLUMN n TYPE float8'],
    ['a column dropped and one of the same name and type added', 'ALTER TABLE items DROP COLUMN n, ADD COLUMN n float8'],
  ])('fails once %s, and the condition written anew holds', async (_what, ddl) => {
    const before = await condition('items');
    await t.sql(ddl);
    expect(await holds(before)).toBe('false');
    expect(await holds(await condition('items'))).toBe('true');
  });
});
