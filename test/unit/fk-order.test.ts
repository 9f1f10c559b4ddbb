/** The foreign-key order of a write-back across tables (src/core/fk-graph.ts) and its statements (src/core/sql/fk.ts): no database. */
import { describe, expect, it } from 'vitest';
import { stronglyConnected, writeOrder, type ForeignKey } from '../../src/core/fk-graph.js';
import { orphanedBy, setConstraints, unreferencedBy } from '../../src/core/sql/fk.js';

/** A key from child to parent (tables named by their "oid", here their name). */
function fk(child: string, parent: string, more: Partial<ForeignKey> = {}): ForeignKey {
  const t = (name: string) => ({ schema: 'public', name, display: name });
  return {
    name: `${child}_${parent}_fkey`,
    schema: 'public',
    child,
    childTable: t(child),
    childColumns: [`${parent}_id`],
    parent,
    parentTable: t(parent),
    parentColumns: ['id'],
    onDelete: 'no action',
    onUpdate: 'no action',
    deferrable: false,
    deferred: false,
    ...more,
  };
}

const before = (order: string[], a: string, b: string) => order.indexOf(a) < order.indexOf(b);

describe('stronglyConnected (Tarjan)', () => {
  it('puts every component after the components its edges lead to', () => {
    // d -> c -> b -> a, and e on its own
    const comps = stronglyConnected(['d', 'a', 'e', 'c', 'b'], [['d', 'c'], ['c', 'b'], ['b', 'a']]);
    expect(comps.every((c) => c.length === 1)).toBe(true);
    const flat = comps.flat();
    expect(flat.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const order = comps.flat();
    expect(before(order, 'a', 'b') && before(order, 'b', 'c') && before(order, 'c', 'd')).toBe(true);
  });

  it('finds cycles, a self-loop alone being no cycle of several nodes', () => {
    const comps = stronglyConnected(['a', 'b', 'c', 'd', 'e'], [['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'a'], ['e', 'e']]);
    const sorted = comps.map((c) => [...c].sort());
    expect(sorted).toContainEqual(['a', 'b', 'c']);
    expect(sorted).toContainEqual(['d']);
    expect(sorted).toContainEqual(['e']);
    // d references the cycle: after it
    expect(comps.findIndex((c) => c.includes('d'))).toBeGreaterThan(comps.findIndex((c) => c.includes('a')));
  });

  it('handles two cycles joined by an edge, and a long chain without recursion', () => {
    const comps = stronglyConnected(['x1', 'x2', 'y1', 'y2'], [['x1', 'x2'], ['x2', 'x1'], ['x1', 'y1'], ['y1', 'y2'], ['y2', 'y1']]);
    expect(comps.map((c) => [...c].sort())).toEqual([['y1', 'y2'], ['x1', 'x2']]);
    const n = 5_000;
    const nodes = Array.from({ length: n }, (_, i) => `t${i}`);
    const chain = nodes.slice(1).map((t, i) => [t, nodes[i]] as const);
    expect(stronglyConnected([...nodes].reverse(), chain).flat()).toEqual(nodes);
  });
});

describe('writeOrder', () => {
  it('orders parents first and ignores self-references and keys to tables outside the set', () => {
    const fks = [fk('order_items', 'orders'), fk('orders', 'clients'), fk('staff', 'staff'), fk('orders', 'regions')];
    const o = writeOrder(['order_items', 'staff', 'orders', 'clients'], fks);
    expect(o.parentsFirst).toHaveLength(4);
    expect(before(o.parentsFirst, 'clients', 'orders') && before(o.parentsFirst, 'orders', 'order_items')).toBe(true);
    expect(o.deferred).toEqual([]);
  });

  it('defers the deferrable keys of a cycle and orders by the others', () => {
    const ab = fk('a', 'b', { deferrable: true });
    const ba = fk('b', 'a');
    const o = writeOrder(['a', 'b', 'c'], [ab, ba, fk('c', 'a')]);
    expect(o.deferred).toEqual([ab]);
    // b references a with a key that is checked at once: a first
    expect(before(o.parentsFirst, 'a', 'b') && before(o.parentsFirst, 'a', 'c')).toBe(true);
    // every key of the cycle deferrable: all deferred
    const all = writeOrder(['a', 'b'], [fk('a', 'b', { deferrable: true }), fk('b', 'a', { deferrable: true, deferred: true })]);
    expect(all.deferred.map((f) => f.name)).toEqual(['a_b_fkey', 'b_a_fkey']);
  });

  it('refuses a cycle of keys that are not deferrable, naming its tables and keys', () => {
    const fks = [fk('a', 'b'), fk('b', 'c'), fk('c', 'a'), fk('d', 'a'), fk('c', 'b', { deferrable: true })];
    let err: any;
    try {
      writeOrder(['a', 'b', 'c', 'd'], fks);
    } catch (e) {
      err = e;
    }
    expect(err?.code).toBe('E_FK_CYCLE');
    expect([...err.data.tables].sort()).toEqual(['a', 'b', 'c']);
    expect(err.data.constraints.map((c: { name: string }) => c.name).sort()).toEqual(['a_b_fkey', 'b_c_fkey', 'c_a_fkey']);
    expect(err.message).toContain("'a'");
    expect(err.hint).toContain('DEFERRABLE');
  });

  it('refuses only the cycle: one deferrable key breaks a cycle of three', () => {
    const o = writeOrder(['a', 'b', 'c'], [fk('a', 'b'), fk('b', 'c'), fk('c', 'a', { deferrable: true })]);
    expect(o.parentsFirst).toEqual(['c', 'b', 'a']);
    expect(o.deferred.map((f) => f.name)).toEqual(['c_a_fkey']);
  });
});

describe('foreign-key statements', () => {
  const items = fk('order_items', 'orders', { childColumns: ['order_id', 'line_no'], parentColumns: ['id', 'no'] });
  it('defers and checks keys by qualified name', () => {
    expect(setConstraints([items, fk('Odd', 'x', { name: 'we"ird', schema: 'S' })], 'DEFERRED')).toBe(
      'SET CONSTRAINTS "public"."order_items_orders_fkey", "S"."we""ird" DEFERRED',
    );
  });
  it('keeps a parent row while a row of a written child references it', () => {
    expect(unreferencedBy([items, fk('b', 'orders')])).toBe(
      'NOT EXISTS (SELECT 1 FROM "public"."order_items" c WHERE c."order_id" = "r"."id" AND c."line_no" = "r"."no")' +
        ' AND NOT EXISTS (SELECT 1 FROM "public"."b" c WHERE c."orders_id" = "r"."id")',
    );
    expect(unreferencedBy([])).toBe('');
  });
  it('finds a row of a table left alone whose referenced row goes or changes', () => {
    expect(orphanedBy(fk('orders', 'clients'), '"public"."clients"', 'pg_temp.vsg_apply_1', 'r."id" = (s.key->>\'id\')::integer')).toBe(
      `SELECT jsonb_build_object('id', "r"."id"::text)::text AS ref
     FROM pg_temp.vsg_apply_1 s JOIN "public"."clients" r ON r."id" = (s.key->>'id')::integer
     WHERE (s.img IS NULL OR (s.img ? 'id' AND s.img->>'id' IS DISTINCT FROM r."id"::text))
       AND EXISTS (SELECT 1 FROM "public"."orders" c WHERE c."clients_id" = r."id")
     LIMIT 1`,
    );
  });
});
