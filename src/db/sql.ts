/** vsg's own SQL lives in sql/<area>/<name>.sql; each file is read once. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where sql/ is), from dist/db/ or src/db/. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const cache = new Map<string, string>();
/** text → the file it was read from: how the Db knows a statement is vsg's own (src/db/prepared.ts) */
const files = new Map<string, string>();

/** The text of sql/<name>.sql, e.g. `sql('commit/create')`. */
export function sql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(packageRoot, 'sql', `${name}.sql`), 'utf8');
    cache.set(name, text);
    files.set(text, name);
  }
  return text;
}

/** The file name ('commit/create') of a text that sql() returned, or undefined for any other text. */
export function sqlFileOf(text: string): string | undefined {
  return files.get(text);
}
