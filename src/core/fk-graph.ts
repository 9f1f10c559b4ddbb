/**
 * The foreign keys among the tables a write-back writes, and the order that
 * lets it write them all in one transaction (design.md › Write-back in
 * foreign-key order). Rows a table loses go children first, rows it gains or
 * changes parents first. Tarjan's strongly connected components find the
 * cycles: a cycle whose non-deferrable keys still form a cycle has no order
 * and is refused before anything is written; otherwise the deferrable keys of
 * the cycle are deferred to the end of the transaction (SET CONSTRAINTS) and
 * the rest give the order. A table that references itself needs no order:
 * PostgreSQL checks a non-deferrable key at the end of each statement, and a
 * write-back deletes, updates and inserts each table's rows in one statement each.
 */
import { sqlTrue as yes, type Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ident } from '../db/quote.js';
import { VsgError } from '../errors.js';
import { displayName } from './tables.js';

/** What a foreign key does to the referencing rows (pg_constraint.confdeltype, confupdtype). */
export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

const ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** One foreign key: `child`'s columns reference `parent`'s. Tables are relation oids (as text). */
export interface ForeignKey {
  name: string;
  /** the schema the constraint lives in (its table's) */
  schema: string;
  child: string;
  childTable: { schema: string; name: string; display: string };
  childColumns: string[];
  parent: string;
  parentTable: { schema: string; name: string; display: string };
  parentColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
  deferrable: boolean;
  /** INITIALLY DEFERRED */
  deferred: boolean;
}

type FkRow = Record<'name' | 'constraint_schema' | 'child' | 'child_schema' | 'child_name' | 'parent' | 'parent_schema' | 'parent_name' | 'on_delete' | 'on_update', string> & {
  child_columns: string;
  parent_columns: string;
  deferrable: boolean | string;
  deferred: boolean | string;
};

/** The foreign keys touching tables `relids`: among them, and from or to a table outside them (sql/fk/graph.sql). */
export async function foreignKeys(db: Queryable, relids: readonly string[]): Promise<ForeignKey[]> {
  const { rows } = await db.query<FkRow>(sql('fk/graph'), [relids]);
  return rows.map((r) => ({
    name: r.name,
    schema: r.constraint_schema,
    child: String(r.child),
    childTable: { schema: r.child_schema, name: r.child_name, display: displayName(r.child_schema, r.child_name) },
    childColumns: JSON.parse(r.child_columns) as string[],
    parent: String(r.parent),
    parentTable: { schema: r.parent_schema, name: r.parent_name, display: displayName(r.parent_schema, r.parent_name) },
    parentColumns: JSON.parse(r.parent_columns) as string[],
    onDelete: ACTIONS[r.on_delete] ?? 'no action',
    onUpdate: ACTIONS[r.on_update] ?? 'no action',
    deferrable: yes(r.deferrable),
    deferred: yes(r.deferred),
  }));
}

/**
 * Tarjan's strongly connected components of a directed graph. Components come
 * out in reverse topological order: each after every component its edges lead
 * to. With edges child → parent, that is parents first. Nodes and each node's
 * edges are visited in the order given, so the answer is deterministic.
 */
export function stronglyConnected(nodes: readonly string[], edges: readonly (readonly [string, string])[]): string[][] {
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const [a, b] of edges) if (next.has(a) && next.has(b)) next.get(a)!.push(b);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  // Iterative, so that a long chain of tables cannot overflow the call stack.
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.node);
        out.push(comp.reverse());
      }
    }
  }
  return out;
}

/** The order a write-back writes its tables in. */
export interface WriteOrder {
  /** the tables, parents first: rows gained or changed are written in this order, rows lost in the reverse */
  parentsFirst: string[];
  /** deferrable keys of a cycle among the tables, deferred to the end of the transaction (the order cannot satisfy them) */
  deferred: ForeignKey[];
}

/**
 * The order in which a write-back can write `tables` (relation oids) given
 * their foreign keys `fks` (those between two other tables are ignored).
 * Throws E_FK_CYCLE, naming the tables and keys, for a cycle of keys that are
 * not deferrable: no order of writes satisfies every one of them.
 */
export function writeOrder(tables: readonly string[], fks: readonly ForeignKey[], display: (relid: string) => string = (r) => r): WriteOrder {
  const inSet = new Set(tables);
  const inner = fks.filter((f) => inSet.has(f.child) && inSet.has(f.parent) && f.child !== f.parent);
  const parentsFirst: string[] = [];
  const deferred: ForeignKey[] = [];
  for (const comp of stronglyConnected(tables, inner.map((f) => [f.child, f.parent] as const))) {
    if (comp.length === 1) {
      parentsFirst.push(comp[0]);
      continue;
    }
    const members = new Set(comp);
    const within = inner.filter((f) => members.has(f.child) && members.has(f.parent));
    const hard = within.filter((f) => !f.deferrable);
    const sub = stronglyConnected(comp, hard.map((f) => [f.child, f.parent] as const));
    const cycle = sub.find((c) => c.length > 1);
    if (cycle) {
      const at = new Set(cycle);
      const keys = hard.filter((f) => at.has(f.child) && at.has(f.parent));
      const names = cycle.map((t) => `'${display(t)}'`).join(', ');
      const listed = keys.map((f) => `${f.name} on '${f.childTable.display}'`).join(', ');
      throw new VsgError('E_FK_CYCLE', `cannot write ${names} back: their foreign keys form a cycle that no order of writes satisfies (${listed}; none deferrable)`, {
        hint: `make one of them DEFERRABLE (ALTER TABLE ${keys[0].childTable.display} ALTER CONSTRAINT ${ident(keys[0].name)} DEFERRABLE) and retry; nothing was changed`,
        data: { tables: cycle.map(display), constraints: keys.map((f) => ({ name: f.name, table: f.childTable.display, references: f.parentTable.display })) },
      });
    }
    for (const c of sub) parentsFirst.push(...c);
    deferred.push(...within.filter((f) => f.deferrable));
  }
  return { parentsFirst, deferred };
}

/**
 * A write-back that would break a foreign key: the rows written to `writing`
 * and the rows of `table` that `constraint` ties to them cannot both hold.
 * `detail` says which key (PostgreSQL's "Key (id)=(9) …" when it refused).
 */
export function fkViolation(writing: string, constraint: string, table: string, detail: string, cause?: unknown): VsgError {
  return new VsgError('E_FK_VIOLATION', `cannot write rows back to '${writing}': foreign key ${constraint} of '${table}' would break (${detail.replace(/\.$/, '')})`, {
    hint: 'write the tables of that key back together, or change the rows that reference them first; nothing was changed',
    data: { table: writing, constraint, referencing: table, detail },
    cause,
  });
}
