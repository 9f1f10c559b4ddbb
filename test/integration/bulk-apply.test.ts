/**
 * Write-back in bulk (src/core/apply-bulk.ts): when the difference to write
 * is a large share of the table, checkout, restore, switch and merge write it
 * with set-based statements that record their own changed rows, not through
 * the capture trigger. The table here is big enough for that path (the first
 * test checks it is the one taken) and holds the type-fidelity traps. Checked
 * on both databases: exact rows, a change set equal to the real difference
 * (never delete-all + insert-all), refusals by a check constraint, a trigger
 * and a foreign key that change nothing, a table referenced by a foreign key,
 * user triggers, --force over uncommitted changes, switch and fast-forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { takesBulkPath } from '../../src/core/apply-bulk.js';
import { keyedDelete, keyedInsert, keyedUpdate, writeSql } from '../../src/core/sql/write-back.js';
import { resolveTable } from '../../src/core/tables.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const ROWS = 400;
const SCHEMA = `CREATE TYPE tone AS ENUM ('low', 'high');
  CREATE TABLE items (id int8 PRIMARY KEY, n numeric(20,10), f float8, ts timestamptz, b bytea, a int[], j json, jb jsonb,
    t text, e tone, nul text, g numeric GENERATED ALWAYS AS (n * 2) STORED)`;
const STATE_A = `INSERT INTO items (id, n, f, ts, b, a, j, jb, t, e, nul)
  SELECT i, i / 7.0, i * 1.1, timestamptz '2024-02-29 12:34:56.123456+05:30' + i * interval '1 second', decode(md5(i::text), 'hex'),
         ARRAY[i, i + 1], ('{"k":  ' || i || '}')::json, jsonb_build_object('k', i), md5(i::text), 'low', NULL
  FROM generate_series(1, ${ROWS}) i;
  UPDATE items SET n = 1234567890.0123456789, f = 'NaN', a = '[0:2]={7,8,9}', j = '{"b":1,  "a":[1, 2]}', jb = '{"k": null}',
                   t = E'line1\\nline2 🐘', e = 'high' WHERE id = 1;
  UPDATE items SET id = 9007199254740993 WHERE id = 2;
  UPDATE items SET f = '-Infinity', j = 'null', jb = 'null', t = '' WHERE id = 3`;
/** B: 90% of the rows updated (every column but the key), a tenth of those deleted, 100 new rows. */
const TO_B = `UPDATE items SET n = n + 1, f = f * 2, ts = ts + interval '1 day 0.000001 second', b = b || '\\x00'::bytea, a = a || 0,
    j = '[]', jb = jsonb_build_object('k', -1), t = t || '!', e = 'high', nul = 'set' WHERE id % 10 <> 0;
  DELETE FROM items WHERE id % 10 = 5;
  INSERT INTO items (id, t) SELECT i, 'new ' || i FROM generate_series(1001, 1100) i`;
const TEXT_COLS = 'id::text, n::text, f::text, ts::text, b::text, a::text, j::text, jb::text, t, e::text, nul, g::text';

describe.each(targetNames())('bulk write-back on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'tester';
  let A: string;
  let B: string;

  /** Rows in one table and not the other, both ways, as text (json has no equality). */
  const differs = async (x: string, y: string) =>
    Number(
      (
        await repo.db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM ((SELECT ${TEXT_COLS} FROM ${x} EXCEPT ALL SELECT ${TEXT_COLS} FROM ${y})
            UNION ALL (SELECT ${TEXT_COLS} FROM ${y} EXCEPT ALL SELECT ${TEXT_COLS} FROM ${x})) d`,
        )
      ).rows[0].n,
    );

  /**
   * The real difference from table `from` to table `to`, row images built the
   * way vsg builds them, against the change set commit `id` recorded.
   */
  const changeSet = async (id: string, from: string, to: string) => {
    const img = async (rel: string) => (await repo.db.query<{ e: string }>(`SELECT vsg.image_expr($1::regclass::oid, 'r') AS e`, [rel])).rows[0].e;
    const { rows } = await repo.db.query<Record<'expected' | 'ins' | 'upd' | 'del' | 'got' | 'differ', string>>(
      `WITH exp AS (
         SELECT jsonb_build_object('id', coalesce(o.id, n.id)::text) AS key, o.img AS before, n.img AS after
         FROM (SELECT r.id, ${await img(from)} AS img FROM ${from} r) o
         FULL JOIN (SELECT r.id, ${await img(to)} AS img FROM ${to} r) n ON n.id = o.id
         WHERE o.img IS DISTINCT FROM n.img
       ), got AS (SELECT key, before, after FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1))
       SELECT (SELECT count(*) FROM exp)::text AS expected,
              (SELECT count(*) FROM exp WHERE before IS NULL)::text AS ins,
              (SELECT count(*) FROM exp WHERE before IS NOT NULL AND after IS NOT NULL)::text AS upd,
              (SELECT count(*) FROM exp WHERE after IS NULL)::text AS del,
              (SELECT count(*) FROM got)::text AS got,
              (SELECT count(*) FROM ((SELECT * FROM exp EXCEPT ALL SELECT * FROM got) UNION ALL (SELECT * FROM got EXCEPT ALL SELECT * FROM exp)) x)::text AS differ`,
      [id],
    );
    const r = rows[0];
    return { expected: Number(r.expected), inserted: Number(r.ins), updated: Number(r.upd), deleted: Number(r.del), got: Number(r.got), differ: Number(r.differ) };
  };
  const head = async () => (await repo.status({ table: 'items' }))[0];
  const errorOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as { code?: string; message?: string };
    }
    throw new Error('expected an error');
  };

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(SCHEMA);
    await repo.sql(STATE_A);
    A = (await repo.track('items', { author })).root.id;
    await repo.sql('CREATE TABLE snap_a AS SELECT * FROM items');
    B = (await repo.commit({ table: 'items', author, message: 'B', sql: TO_B })).commit.id;
    await repo.sql('CREATE TABLE snap_b AS SELECT * FROM items');
  }, 120_000);
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('takes the bulk path for a difference that is a large share of the table, row by row for a small one', async () => {
    await repo.db.transaction(async (tx) => {
      const table = await resolveTable(tx, 'items');
      expect(await takesBulkPath(tx, table, ROWS)).toBe(true);
      expect(await takesBulkPath(tx, table, 10)).toBe(false);
    });
  });

  it('checks out a completely different state exactly, and records exactly the real difference', async () => {
    const r = await repo.checkout({ table: 'items', ref: A, author });
    expect(await differs('items', 'snap_a')).toBe(0);
    const c = await changeSet(r.commit!.id, 'snap_b', 'snap_a');
    // B updated every row but those with id % 10 = 0, deleted those with id % 10 = 5 and added 100:
    // going back, the 40 rows B left alone are no change
    expect(c).toMatchObject({ inserted: 40, updated: ROWS - 80, deleted: 100, got: c.expected, differ: 0 });
    expect(r.applied).toEqual({ inserted: c.inserted, updated: c.updated, deleted: c.deleted });
    expect(r.commit).toMatchObject({ kind: 'CHECKOUT', inserted: c.inserted, updated: c.updated, deleted: c.deleted });
    expect((await repo.diff({ table: 'items', from: A, to: r.commit!.id })).stat).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    expect((await repo.diff({ table: 'items', from: B, to: r.commit!.id })).changes).toHaveLength(c.expected);
    expect(await head()).toMatchObject({ clean: true, head: r.commit!.id });

    const back = await repo.checkout({ table: 'items', ref: B, author });
    expect(await differs('items', 'snap_b')).toBe(0);
    expect(await changeSet(back.commit!.id, 'snap_a', 'snap_b')).toMatchObject({ differ: 0 });
    expect((await repo.verify()).ok).toBe(true);
  });

  it('restores a completely different state uncommitted, and back to HEAD clean', async () => {
    const r = await repo.restore({ table: 'items', ref: A });
    expect(await differs('items', 'snap_a')).toBe(0);
    const d = await repo.diff({ table: 'items' });
    const s = await head();
    expect(s).toMatchObject({ clean: false, inserted: d.stat.inserted, updated: d.stat.updated, deleted: d.stat.deleted });
    expect(r.applied).toEqual({ inserted: d.stat.inserted, updated: d.stat.updated, deleted: d.stat.deleted });
    // the uncommitted changes are the real difference: committing them records exactly it
    const c = await repo.commit({ table: 'items', author, message: 'record the restore' });
    expect(await changeSet(c.commit.id, 'snap_b', 'snap_a')).toMatchObject({ differ: 0 });
    await repo.restore({ table: 'items', ref: B });
    await repo.commit({ table: 'items', author, message: 'back to B' });
    expect(await differs('items', 'snap_b')).toBe(0);
    expect(await head()).toMatchObject({ clean: true });
  });

  it('a check constraint, a trigger or a foreign key that refuses a row changes nothing', async () => {
    const before = (await head()).head;
    const refused = async (setup: string, undo: string, reason: RegExp, code = 'E_APPLY_REFUSED') => {
      await repo.sql(setup);
      try {
        const e = await errorOf(repo.checkout({ table: 'items', ref: A, author }));
        expect(e.code).toBe(code);
        expect(e.message).toMatch(reason);
        expect(await differs('items', 'snap_b')).toBe(0);
        expect(await head()).toMatchObject({ clean: true, head: before });
      } finally {
        await repo.sql(undo);
      }
    };
    // A holds n = 2/7 … 6/7, below the constraint added since
    await refused('ALTER TABLE items ADD CONSTRAINT big_n CHECK (n IS NULL OR n > 1)', 'ALTER TABLE items DROP CONSTRAINT big_n', /big_n/);
    await refused(
      `CREATE FUNCTION frozen() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.id = 7 THEN RAISE EXCEPTION 'row 7 is frozen'; END IF; RETURN NEW; END $$;
       CREATE TRIGGER frozen BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION frozen()`,
      'DROP TRIGGER frozen ON items; DROP FUNCTION frozen()',
      /row 7 is frozen/,
    );
    // a row of B that A does not have is still referenced
    await refused(
      'CREATE TABLE tags (id int PRIMARY KEY, item int8 REFERENCES items (id)); INSERT INTO tags VALUES (1, 1050)',
      'DELETE FROM tags',
      /foreign key tags_item_fkey of 'tags'/,
      'E_FK_VIOLATION',
    );
  });

  it('writes back a table that other tables reference by foreign key', async () => {
    // tags (from the test above) references items; these rows exist in both A and B
    await repo.sql('INSERT INTO tags VALUES (2, 10), (3, 20)');
    await repo.db.transaction(async (tx) => {
      expect(await takesBulkPath(tx, await resolveTable(tx, 'items'), ROWS)).toBe(true);
    });
    const r = await repo.checkout({ table: 'items', ref: A, author });
    expect(await differs('items', 'snap_a')).toBe(0);
    expect(await changeSet(r.commit!.id, 'snap_b', 'snap_a')).toMatchObject({ differ: 0 });
    await repo.checkout({ table: 'items', ref: B, author });
    expect(await differs('items', 'snap_b')).toBe(0);
    await repo.sql('DROP TABLE tags');
  });

  it("fires the user's triggers, and records the rows as they wrote them", async () => {
    await repo.sql(`CREATE TABLE audit (op text, id int8);
      CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO audit VALUES (TG_OP, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END); RETURN NULL; END $$;
      CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION audit();
      CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.nul := 'stamped'; RETURN NEW; END $$;
      CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON items FOR EACH ROW EXECUTE FUNCTION stamp()`);
    try {
      const r = await repo.checkout({ table: 'items', ref: A, author });
      const audit = (await repo.db.query<{ op: string; n: string }>('SELECT op, count(*)::text AS n FROM audit GROUP BY op')).rows;
      const n = Object.fromEntries(audit.map((x) => [x.op, Number(x.n)]));
      expect({ inserted: n.INSERT ?? 0, updated: n.UPDATE ?? 0, deleted: n.DELETE ?? 0 }).toEqual(r.applied);
      // the BEFORE trigger changed what was written: the commit holds that, and nothing is left uncommitted
      // (only the 40 rows B left alone were not written)
      expect(Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM items WHERE nul IS DISTINCT FROM 'stamped'`)).rows[0].n)).toBe(
        ROWS / 10,
      );
      expect(await changeSet(r.commit!.id, 'snap_b', 'items')).toMatchObject({ differ: 0 });
      expect(await head()).toMatchObject({ clean: true });
    } finally {
      await repo.sql('DROP TRIGGER audit ON items; DROP TRIGGER stamp ON items; DROP TABLE audit');
    }
    await repo.checkout({ table: 'items', ref: B, author });
    expect(await differs('items', 'snap_b')).toBe(0);
  });

  it('--force folds uncommitted changes in: the commit records the difference from HEAD', async () => {
    await repo.sql(`UPDATE items SET t = 'dirty' WHERE id IN (10, 20, 1001); DELETE FROM items WHERE id = 30`);
    expect(await head()).toMatchObject({ clean: false, updated: 3, deleted: 1 });
    const r = await repo.checkout({ table: 'items', ref: A, author, force: true });
    expect(await differs('items', 'snap_a')).toBe(0);
    expect(await changeSet(r.commit!.id, 'snap_b', 'snap_a')).toMatchObject({ differ: 0 });
    expect(await head()).toMatchObject({ clean: true });
    await repo.checkout({ table: 'items', ref: B, author });
  });

  it('records writes made after a bulk write-back as usual', async () => {
    await repo.sql(`UPDATE items SET t = 'later' WHERE id = 10`);
    expect(await head()).toMatchObject({ clean: false, updated: 1 });
    await repo.restore({ table: 'items' });
    expect(await head()).toMatchObject({ clean: true });
    expect(await differs('items', 'snap_b')).toBe(0);
  });

  it('writes back a table with a key of two columns', async () => {
    await repo.sql(`CREATE TABLE pairs (a int, b text, v int, PRIMARY KEY (a, b));
      INSERT INTO pairs SELECT i / 3, 'k' || i % 3, i FROM generate_series(0, 299) i`);
    const root = (await repo.track('pairs', { author })).root.id;
    await repo.sql('CREATE TABLE snap_p AS SELECT * FROM pairs');
    await repo.commit({ table: 'pairs', author, sql: `UPDATE pairs SET v = -v WHERE a % 10 <> 0; DELETE FROM pairs WHERE b = 'k2' AND a % 2 = 0;
      INSERT INTO pairs SELECT i, 'new', 0 FROM generate_series(500, 549) i` });
    await repo.db.transaction(async (tx) => {
      expect(await takesBulkPath(tx, await resolveTable(tx, 'pairs'), 300)).toBe(true);
    });
    const r = await repo.checkout({ table: 'pairs', ref: root, author });
    const same = await repo.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM ((TABLE pairs EXCEPT ALL TABLE snap_p) UNION ALL (TABLE snap_p EXCEPT ALL TABLE pairs)) d',
    );
    expect(same.rows[0].n).toBe('0');
    // B negated 270 rows, deleted 50 (40 of them negated first) and added 50: going back, 230 rows
    // are updated, 50 come back and 50 go; the 30 rows B left alone are no change
    expect(r.commit).toMatchObject({ inserted: 50, updated: 230, deleted: 50 });
    expect((await repo.diff({ table: 'pairs', from: root, to: r.commit!.id })).changes).toEqual([]);
    expect((await repo.status({ table: 'pairs' }))[0].clean).toBe(true);
    await repo.untrack('pairs', { force: true });
  });

  it("the row-by-row path reaches a two-column key's rows through its index, never by scanning the table", async () => {
    // 2,250 staged keys against 20,000 rows (the row-by-row path's share): joined
    // to the staged rows alone, the DELETE, UPDATE and INSERT were planned as hash
    // joins over the whole table.
    await repo.sql(`CREATE TABLE wide (a int, b text, v text, PRIMARY KEY (a, b));
      INSERT INTO wide SELECT g / 4, 'k' || g % 4, 'v' || g FROM generate_series(1, 20000) g; ANALYZE wide`);
    const target = { qname: '"public"."wide"', keyColumns: ['a', 'b'] };
    const cols = [
      { name: 'a', type: 'integer', generated: false, identity: '', defaultExpr: null },
      { name: 'b', type: 'text', generated: false, identity: '', defaultExpr: null },
      { name: 'v', type: 'text', generated: false, identity: '', defaultExpr: null },
    ];
    const w = writeSql(target, cols);
    await repo.db.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE vsg_apply (key jsonb, img jsonb) ON COMMIT DROP`);
      await tx.query(`INSERT INTO pg_temp.vsg_apply SELECT jsonb_build_object('a', a::text, 'b', b),
          CASE WHEN a % 20 = 0 THEN jsonb_build_object('a', a::text, 'b', b, 'v', 'x') END FROM wide WHERE a % 10 = 0 AND b <> 'k3';
        INSERT INTO pg_temp.vsg_apply SELECT jsonb_build_object('a', g::text, 'b', 'new'), jsonb_build_object('a', g::text, 'b', 'new', 'v', 'x')
          FROM generate_series(30001, 30750) g;
        ANALYZE pg_temp.vsg_apply`);
      for (const text of [keyedDelete(target, w), keyedUpdate(target, w), keyedInsert(target, w)]) {
        const plan = (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${text}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain('Index Cond: (a = ANY');
        expect(plan).not.toMatch(/Seq Scan on wide/);
      }
      // and they write exactly the staged rows
      expect((await tx.query(keyedDelete(target, w))).rowCount).toBe(750);
      expect((await tx.query(keyedUpdate(target, w))).rowCount).toBe(750);
      expect((await tx.query(keyedInsert(target, w))).rowCount).toBe(750);
      const now = await tx.query<{ n: string; x: string }>(`SELECT count(*) FILTER (WHERE v = 'x')::text AS x, count(*)::text AS n FROM wide`);
      expect(now.rows[0]).toEqual({ x: '1500', n: '20000' });
    });
    await repo.sql('DROP TABLE wide');
  });

  it('switches between branches whose states differ completely, and fast-forwards one onto the other', async () => {
    await repo.createBranch({ table: 'items', name: 'old', start: A });
    await repo.switch({ table: 'items', branch: 'old' });
    expect(await differs('items', 'snap_a')).toBe(0);
    expect(await head()).toMatchObject({ branch: 'old', head: A, clean: true });
    await repo.switch({ table: 'items', branch: 'main' });
    expect(await differs('items', 'snap_b')).toBe(0);
    const main = (await head()).head;
    await repo.switch({ table: 'items', branch: 'old' });
    const m = await repo.merge({ table: 'items', ref: 'main', author });
    expect(m.status).toBe('fast-forward');
    expect(await differs('items', 'snap_b')).toBe(0);
    expect(await head()).toMatchObject({ branch: 'old', head: main, clean: true });
    expect((await repo.verify()).ok).toBe(true);
  });
});
