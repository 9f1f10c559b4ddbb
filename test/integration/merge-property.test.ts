/**
 * Property: for random pairs of branches whose changes touch disjoint cells,
 * merging them gives exactly the base with both change sets applied. Seeded,
 * so a failure names a reproducible seed. Library API, server and PGlite.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { prng } from '../helpers/prng.js';

vi.setConfig({ testTimeout: 300_000 });

type Row = { a: string; b: string; c: string };
type State = Map<number, Row>;
const COLS = ['a', 'b', 'c'] as const;

interface Change {
  key: number;
  /** null: delete; a row: insert or set these cells */
  cells: Partial<Row> | null;
}

/** SQL applying a change set, and the change set applied to a JS model. */
function toSql(table: string, changes: Change[], before: State): string[] {
  return changes.map((ch) => {
    if (ch.cells === null) return `DELETE FROM ${table} WHERE id = ${ch.key}`;
    if (!before.has(ch.key)) {
      const r = ch.cells as Row;
      return `INSERT INTO ${table} VALUES (${ch.key}, '${r.a}', '${r.b}', '${r.c}')`;
    }
    return `UPDATE ${table} SET ${Object.entries(ch.cells).map(([c, v]) => `${c} = '${v}'`).join(', ')} WHERE id = ${ch.key}`;
  });
}

function apply(state: State, changes: Change[]): State {
  const out = new Map([...state].map(([k, v]) => [k, { ...v }]));
  for (const ch of changes) {
    if (ch.cells === null) out.delete(ch.key);
    else out.set(ch.key, { ...(out.get(ch.key) ?? { a: '', b: '', c: '' }), ...ch.cells });
  }
  return out;
}

/**
 * Two change sets touching disjoint cells: each cell of an existing row is
 * owned by at most one side; a deleted row and a new key belong to one side.
 */
function disjointChanges(rand: () => number, base: State, nextKey: { n: number }): [Change[], Change[]] {
  const sides: [Change[], Change[]] = [[], []];
  for (const key of base.keys()) {
    const roll = rand();
    if (roll < 0.4) continue;
    if (roll < 0.5) {
      sides[rand() < 0.5 ? 0 : 1].push({ key, cells: null });
      continue;
    }
    const parts: [Partial<Row>, Partial<Row>] = [{}, {}];
    for (const c of COLS) {
      const r = rand();
      if (r < 0.35) parts[0][c] = `o${Math.floor(rand() * 1000)}`;
      else if (r < 0.7) parts[1][c] = `t${Math.floor(rand() * 1000)}`;
    }
    parts.forEach((p, i) => {
      if (Object.keys(p).length) sides[i].push({ key, cells: p });
    });
  }
  for (let i = 0; i < 3; i++) {
    const r = rand();
    if (r < 0.6) sides[r < 0.3 ? 0 : 1].push({ key: nextKey.n++, cells: { a: `n${i}`, b: `${r}`, c: 'new' } });
  }
  return sides;
}

async function tableState(repo: Repository, table: string): Promise<State> {
  const r = await repo.db.query<{ id: string; a: string; b: string; c: string }>(`SELECT id::text, a, b, c FROM ${table} ORDER BY id`);
  return new Map(r.rows.map((x) => [Number(x.id), { a: x.a, b: x.b, c: x.c }]));
}

describe.each(targetNames())('merge property on %s', (name) => {
  let t: Target;
  let repo: Repository;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(seeds)('seed %i: merged table = base + both change sets', async (seed) => {
    const rand = prng(seed);
    const table = `p${seed}`;
    const author = 'prop';
    await repo.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, a text, b text, c text)`);
    const n = 10 + Math.floor(rand() * 20);
    await repo.sql(`INSERT INTO ${table} SELECT g, 'a' || g, 'b' || g, 'c' || g FROM generate_series(1, ${n}) g`);
    await repo.track(table, { author });
    // some shared history first, so the base is not the root
    await repo.commit({ table, sql: `UPDATE ${table} SET c = 'shared' WHERE id % 3 = 0`, author });
    const base = await tableState(repo, table);
    const [ours, theirs] = disjointChanges(rand, base, { n: n + 1 });
    await repo.createBranch({ table, name: 'theirs' });
    await repo.switch({ table, branch: 'theirs' });
    // each side commits its changes in one or two commits
    const split = (xs: string[]) => [xs.slice(0, Math.ceil(xs.length / 2)), xs.slice(Math.ceil(xs.length / 2))].filter((x) => x.length);
    for (const part of split(toSql(table, theirs, base))) await repo.commit({ table, sql: part.join(';\n'), author });
    await repo.switch({ table, branch: 'main' });
    for (const part of split(toSql(table, ours, base))) await repo.commit({ table, sql: part.join(';\n'), author });
    const r = await repo.merge({ table, ref: 'theirs', author });
    expect(r.conflicts).toEqual([]);
    const expected = apply(apply(base, ours), theirs);
    expect(await tableState(repo, table)).toEqual(expected);
    // and the merge commit's state, rebuilt from history, is the same
    const d = await repo.diff({ table });
    expect(d.changes).toEqual([]);
  });
});
