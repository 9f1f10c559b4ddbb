/**
 * Row keys as people type them on the command line (blame, log --row,
 * resolve): one parser, so that a key means the same, and a bad one fails the
 * same way, in every command.
 */
import type { Queryable } from '../db/db.js';
import { shellQuote } from '../db/quote.js';
import { ExitCode, VsgError } from '../errors.js';
import { isNameOf, type TrackedTable } from './tables.js';
import type { Image } from './types.js';
import { sql } from '../db/sql.js';

/**
 * Parse a key as people type it: `7` (one-column key), `id=7`, `a=1,b=x`,
 * or a JSON object. With one key column, anything but JSON or exactly
 * `<column>=value` is the value itself, commas and '=' included (`a,b` is
 * the text key "a,b"). Values are then put in canonical form by the database
 * (canonicalKey). A key that does not parse, names a column that is not a
 * key column or misses one is a bad request (E_BAD_KEY, exit 3).
 */
export function parseKey(spec: string, keyColumns: string[]): Record<string, string> {
  const s = spec.trim();
  const bad = (why: string) => {
    const example = JSON.stringify(Object.fromEntries(keyColumns.map((k) => [k, keyColumns.length === 1 ? s : '…'])));
    const pairs = keyColumns.length === 1 ? `the value, or ${keyColumns[0]}=value` : keyColumns.map((k) => `${k}=value`).join(',');
    return new VsgError('E_BAD_KEY', `'${spec}' is not a key of this table: ${why}`, {
      exitCode: ExitCode.input,
      hint: `give ${pairs}, or the key as JSON: ${shellQuote(example)}`,
    });
  };
  if (s.startsWith('{')) {
    try {
      const o = JSON.parse(s) as Record<string, unknown>;
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    } catch {
      throw bad('invalid JSON');
    }
  }
  if (keyColumns.length === 1) {
    const [k] = keyColumns;
    const named = s.startsWith(k) && /^\s*=/.test(s.slice(k.length));
    return { [k]: named ? s.slice(s.indexOf('=', k.length) + 1).trim() : s };
  }
  if (!s.includes('=')) throw bad(`the key has ${keyColumns.length} columns`);
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw bad(`'${part}' is not column=value`);
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  for (const k of Object.keys(out)) if (!keyColumns.includes(k)) throw bad(`'${k}' is not a key column (${keyColumns.join(', ')})`);
  for (const k of keyColumns) if (!(k in out)) throw bad(`missing ${k}`);
  return out;
}

/** The key in the form vsg stores it ({"id": "7"}), each value through its column's type. */
export async function canonicalKey(db: Queryable, table: TrackedTable, spec: string): Promise<Image> {
  const parsed = parseKey(spec, table.keyColumns);
  try {
    const { rows } = await db.query<{ k: string }>(sql('keys/canonical'), [table.id, JSON.stringify(parsed)]);
    return JSON.parse(rows[0].k) as Image;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === undefined) throw e;
    throw badKey(table, spec, String(err.message));
  }
}

/**
 * Many keys in the form vsg stores them, in order, in one statement (vsg
 * forget of many keys): as canonicalKey, which takes a round trip a key. The
 * first key the database refuses fails as canonicalKey fails for it.
 */
export async function canonicalKeys(db: Queryable, table: TrackedTable, specs: string[]): Promise<Image[]> {
  const parsed = specs.map((s) => JSON.stringify(parseKey(s, table.keyColumns)));
  const { rows } = await db.query<{ k: string | null; error: string | null }>(sql('keys/canonical_many'), [table.id, parsed]);
  const bad = rows.findIndex((r) => r.error !== null);
  if (bad >= 0) throw badKey(table, specs[bad], rows[bad].error as string);
  return rows.map((r) => JSON.parse(r.k as string) as Image);
}

function badKey(table: TrackedTable, spec: string, message: string): VsgError {
  // `vsg blame clients`: the table's own name where a key goes
  const named = isNameOf(table, spec);
  return new VsgError('E_BAD_KEY', `'${spec}' is not a key of '${table.display}': ${named ? 'it names the table itself' : message.replace(/^vsg: /, '')}`, {
    exitCode: ExitCode.input,
    ...(named ? { hint: 'name the table with the table option, and give a key of it', data: { table: table.display } } : {}),
  });
}
