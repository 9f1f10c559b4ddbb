/**
 * Values come back exactly as PostgreSQL stores them: the traps of
 * design.md (int8 above 2^53, numeric scale, NaN/-Infinity, microseconds,
 * bytea, array bounds, json whitespace, JSON null vs SQL NULL, emoji)
 * through `vsg show --json` and `vsg diff --json`. The table and the commits
 * those read are made through the library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsgOk, withRepo, type Target } from '../helpers/targets.js';

const ROW = `(9007199254740993, 1234567890.0123456789, 'NaN', '-Infinity', '2024-02-29 12:34:56.123456+05:30',
  '\\xdeadbeef00', '[0:2]={7,8,9}', '{"b":1,  "a":[1, 2]}', '{"k": null}', E'line1\\nline2 🐘', 'happy', NULL, 'null', 0.1)`;

const EXPECTED = {
  id: '9007199254740993',
  n: '1234567890.0123456789',
  f: 'NaN',
  fi: '-Infinity',
  ts: '2024-02-29 07:04:56.123456+00',
  b: '\\xdeadbeef00',
  a: '[0:2]={7,8,9}',
  j: '{"b":1,  "a":[1, 2]}',
  jb: '{"k": null}',
  t: 'line1\nline2 🐘',
  e: 'happy',
  nul: null,
  jnull: 'null',
  r: '0.1',
};

describe.each(targetNames())('exact values on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await withRepo(
      t,
      async (repo) => {
        await repo.sql(`CREATE TYPE mood AS ENUM ('sad', 'happy');
          CREATE TABLE fidelity (id int8 PRIMARY KEY, n numeric(20,10), f float8, fi float8, ts timestamptz, b bytea,
            a int[], j json, jb jsonb, t text, e mood, nul text, jnull jsonb, r real)`);
        await repo.track('fidelity', { author: 'tester' });
      },
      { init: true },
    );
  });
  afterAll(() => t.cleanup());

  it('show --json carries every value in its exact text form', async () => {
    await withRepo(t, (repo) => repo.commit({ table: 'fidelity', author: 'tester', message: 'the traps', sql: `INSERT INTO fidelity VALUES ${ROW}` }));
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD', '--json']));
    expect(shown.changes).toHaveLength(1);
    expect(shown.changes[0].key).toEqual({ id: '9007199254740993' });
    expect(shown.changes[0].old).toBeNull();
    expect(shown.changes[0].new).toEqual(EXPECTED);
  });

  it('diff --json between two commits keeps both sides exact', async () => {
    await withRepo(t, (repo) => repo.commit({ table: 'fidelity', author: 'tester', sql: `UPDATE fidelity SET n = n + 0.0000000001, jb = 'null', nul = ''` }));
    const d = JSON.parse(await vsgOk(t, ['diff', 'HEAD~1', 'HEAD', '--json']));
    expect(d.changes).toEqual([
      {
        key: { id: '9007199254740993' },
        old: EXPECTED,
        new: { ...EXPECTED, n: '1234567890.0123456790', jb: 'null', nul: '' },
      },
    ]);
    expect(d.stat).toEqual({ inserted: 0, updated: 1, deleted: 0, columns: { n: 1, jb: 1, nul: 1 } });
  });

  it('the history agrees with the live table, value for value', async () => {
    const live = await t.sql(`SELECT id::text, n::text, f::text, fi::text, ts::text, b::text, a::text, j::text, jb::text, t, e::text, nul, jnull::text, r::text
      FROM fidelity`);
    const d = JSON.parse(await vsgOk(t, ['diff', 'HEAD~2', '--json']));
    // HEAD~2 is the root (empty table): the diff to the live table is the live row.
    const row = live.rows[0] as Record<string, string>;
    // The test's own connection is not in UTC: compare timestamptz as instants.
    expect(Date.parse(d.changes[0].new.ts.replace(' ', 'T').replace(/\+00$/, 'Z'))).toBe(Date.parse('2024-02-29T07:04:56.123Z'));
    const { ts: _ts, ...rest } = d.changes[0].new;
    const { ts: _lts, ...liveRest } = row;
    expect(rest).toEqual(liveRest);
  });
});
