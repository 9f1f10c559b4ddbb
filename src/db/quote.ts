/** Identifier and literal quoting: the only way vsg builds names into SQL. */

/** Quote an identifier as PostgreSQL's quote_ident does, always (never raw). */
export function ident(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL byte');
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote a schema-qualified name. */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** Quote a string literal (only for DDL where a parameter cannot go). */
export function literal(value: string): string {
  if (value.includes('\u0000')) throw new Error('literal contains a NUL byte');
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Quote a word for a POSIX shell, for hints that show a command line with a
 * user-supplied name in it: what is printed can be pasted into bash and gives
 * the command exactly that word. Plain words stay bare; others go in double
 * quotes when nothing in them is special there, else in single quotes.
 */
export function shellQuote(arg: string): string {
  if (/^[\w./=:~@%+,-]+$/.test(arg)) return arg;
  if (!/["$`\\!\n]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
