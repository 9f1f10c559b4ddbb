/**
 * Commands that take one table or several (`-t` repeatable): with one -t, or
 * no -t while only one table is tracked, the one-table form, exactly as
 * before; with several -t, or none while several tables are tracked, the form
 * over several tables (every tracked table when none is named).
 */
import { isVsgError } from '../errors.js';

export type OneOrMany<A, B> = { one: A; many?: undefined } | { many: B; one?: undefined };

/**
 * Run `one` when the -t given (`names`) mean one table, else `many`. With no
 * -t, `one` is tried first: it refuses with E_TABLE_REQUIRED (before changing
 * anything) when several tables are tracked, or with an error `several`
 * accepts when what it was given names something of several tables.
 */
export async function oneOrMany<A, B>(
  names: string[],
  one: (table: string | undefined) => Promise<A>,
  many: (tables: string[] | undefined) => Promise<B>,
  several: (e: unknown) => boolean = () => false,
): Promise<OneOrMany<A, B>> {
  const given = [...new Set(names)];
  if (given.length > 1) return { many: await many(given) };
  try {
    return { one: await one(given[0]) };
  } catch (e) {
    if (!(given.length === 0 && ((isVsgError(e) && e.code === 'E_TABLE_REQUIRED') || several(e)))) throw e;
    return { many: await many(undefined) };
  }
}
