/**
 * The repository of the staged-capture tests (staged-capture, staged-flush):
 * tables items (id, v) and other (id, w), `rows` rows each, both tracked.
 */
import type { Repository } from '../../src/index.js';
import type { Target } from './targets.js';

export async function stagingRepository(t: Target, rows: number, author: string): Promise<{ repo: Repository; itemsId: number }> {
  const repo = await t.open({ init: true });
  await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT i, 'v' || i FROM generate_series(1, ${rows}) i`);
  await repo.sql(`CREATE TABLE other (id int PRIMARY KEY, w text); INSERT INTO other SELECT i, 'w' || i FROM generate_series(1, ${rows}) i`);
  await repo.track('items', { author });
  await repo.track('other', { author });
  const { rows: found } = await repo.db.query<{ id: string }>(`SELECT id::text FROM vsg.tracked WHERE table_name = 'items'`);
  return { repo, itemsId: Number(found[0].id) };
}
