/**
 * The command table: every file in this folder registers one verb (or a few
 * close ones), so adding a command is adding a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Cli } from '../context.js';

export type Register = (program: Command, cli: Cli) => void;

/** Load every command module of this folder, in a stable order. */
export async function loadCommands(): Promise<Register[]> {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .sort();
  const mods = await Promise.all(files.map((f) => import(path.join(dir, f)) as Promise<{ register?: Register }>));
  return mods.map((m) => m.register).filter((r): r is Register => typeof r === 'function');
}
