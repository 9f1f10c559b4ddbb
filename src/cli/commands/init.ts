/**
 * `vsg init`: create or upgrade vsg's schema. On a terminal, with no flags
 * and nothing configured yet, it asks where to keep history and which tables
 * to track, and writes .vsgrc.json; otherwise it asks nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import type { Repository } from '../../api/repository.js';
import { interpolate } from '../../config/config.js';
import { maskUrl } from '../../db/db.js';
import type { Cli, Globals } from '../context.js';
import { withProgress } from '../progress.js';

interface Opts {
  save?: boolean;
  track: string[];
  input?: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('init')
    .description("create or upgrade vsg's schema in the database (idempotent); on a terminal, asks what it needs")
    .option('--save', 'write the connection (--url) to .vsgrc.json in this directory')
    .option('--track <table>', 'also start tracking this table (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--no-input', 'never ask questions, even on a terminal')
    .addHelpText(
      'after',
      `
On a terminal, with no option and no configuration yet, init asks for a server URL (or the
embedded database) and the tables to track, and writes .vsgrc.json. With any option, without
a terminal, or with VSG_NO_INPUT=1 or CI set, it asks nothing.

Examples:
  vsg init                                  # embedded database in .vsg/ (asks on a terminal)
  vsg init --url postgres://me@localhost/app --save --track clients

Exit codes: 0 done; 3 a table to track is unusable; 5 cannot connect or bad configuration.`,
    )
    .action(async (opts: Opts, cmd: Command) => {
      let g = cli.setup(cmd);
      const lines: string[] = [];
      let save: { url?: string; dir?: string } | undefined = opts.save ? (g.url ? { url: g.url } : {}) : undefined;
      let track = opts.track;
      if (await shouldAsk(cli, g, opts, cmd)) {
        const answers = await ask(cli);
        if (answers.url) g = { ...g, url: interpolate(answers.url, cli.env) };
        save = answers.save ? (answers.url ? { url: answers.url } : { dir: '.vsg' }) : undefined;
        track = answers.track;
      }
      const repo = await withProgress(g.url ? `connecting to ${maskUrl(g.url)}` : 'opening the embedded database', () => cli.repo(g, { bare: true, create: true }));
      const r = await withProgress('creating the vsg schema', () => repo.init());
      const what =
        r.applied.length === 0 ? `vsg schema is up to date (version ${r.to})` : r.from === 0 ? `initialised vsg (schema version ${r.to})` : `upgraded vsg schema to version ${r.to} (applied ${r.applied.join(', ')})`;
      lines.push(`${what} in ${repo.db.where}`);
      if (track.length) lines.push(...(await trackAll(cli, repo, track)));
      if (save) {
        const file = path.join(cli.cwd, '.vsgrc.json');
        fs.writeFileSync(file, `${JSON.stringify(save, null, 2)}\n`);
        lines.push(`wrote ${file}`);
      }
      await cli.out(lines.join('\n'));
    });
}

/** Ask only on a terminal, with no option given, nothing configured, and questions allowed. */
async function shouldAsk(cli: Cli, g: Globals, opts: Opts, cmd: Command): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  if (opts.input === false || cli.env.VSG_NO_INPUT || cli.env.CI) return false;
  if (g.url || opts.save || opts.track.length) return false;
  if (cmd.args.length) return false;
  if (cli.env.VSG_DATABASE_URL) return false;
  if (fs.existsSync(path.join(cli.cwd, cli.env.VSG_DIR ?? '.vsg'))) return false; // an embedded repository is already here
  const config = await cli.loadConfig();
  return !config.file;
}

interface Answers {
  url?: string;
  save: boolean;
  track: string[];
}

async function ask(cli: Cli): Promise<Answers> {
  const s = cli.style;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    process.stdout.write(`${s.bold('vsg init')}: where should vsg keep the history of your tables?\n`);
    process.stdout.write(s.dim('  a PostgreSQL URL (postgres://user@host:5432/db; write a password as ${ENV_VAR} to keep it out of the file),\n'));
    process.stdout.write(s.dim('  or press Enter for an embedded database in .vsg/ (no server needed)\n'));
    const url = (await rl.question('database URL: ')).trim();
    let tables: string[] = [];
    const list = (await rl.question(`tables to track, separated by commas (Enter for none yet): `)).trim();
    if (list) tables = list.split(',').map((t) => t.trim()).filter(Boolean);
    const yes = (await rl.question(`save ${url ? 'the URL' : 'this choice'} to .vsgrc.json? [Y/n] `)).trim().toLowerCase();
    const save = yes === '' || yes === 'y' || yes === 'yes';
    return { url: url || undefined, save, track: tables };
  } finally {
    rl.close();
  }
}

async function trackAll(cli: Cli, repo: Repository, tables: string[]): Promise<string[]> {
  const author = await cli.author({});
  const tracked = new Set((await repo.tables()).map((t) => t.display));
  const out: string[] = [];
  for (const name of tables) {
    if (tracked.has(name)) {
      out.push(`${name} is already tracked`);
      continue;
    }
    const r = await repo.track(name, { author });
    out.push(`tracking ${r.table.display} on branch main [${cli.style.yellow(r.root.shortId)}] ${r.root.inserted} rows`);
  }
  return out;
}
