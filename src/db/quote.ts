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
