/**
 * `vsg init`: create or upgrade vsg's schema. On a terminal, with no flags
 * and nothing configured yet, it asks where to keep history and which tables
 * to track, and writes .vsgrc.json; otherwise it asks nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Repository } from '../../api/repository.js';
import { interpolate } from '../../config/config.js';
import { maskUrl } from '../../db/db.js';
import type { InitResult, TrackResult } from '../../index.js';
import type { Style } from '../../render/style.js';
import type { Cli, Globals } from '../context.js';
import { json, option, repeat } from '../options.js';
import { withProgress } from '../progress.js';
import { verb, type RunContext } from '../verb.js';
import { counted } from '../../render/values.js';

interface Opts {
  save?: boolean;
  track: string[];
  input?: boolean;
  json?: boolean;
}

export const init = verb<Opts>({
  name: 'init',
  description: "create or upgrade vsg's schema in the database (idempotent); on a terminal, asks what it needs",
  // it opens the database itself, once it knows where (it may ask)
  needs: 'none',
  options: [
    option('--save', 'write the connection (--url) to .vsgrc.json in this directory'),
    option('--track <table>', 'also start tracking this table (repeatable)', { parse: repeat, default: [] }),
    option('--no-input', 'never ask questions, even on a terminal'),
    json(),
  ],
  help: `On a terminal, with no option and no configuration yet, init asks for a server URL (or the
embedded database) and the tables to track, and writes .vsgrc.json. With any option, without
a terminal, or with VSG_NO_INPUT=1 or CI set, it asks nothing.`,
  examples: [
    'vsg init                                  # embedded database in .vsg/ (asks on a terminal)',
    'vsg init --url postgres://me@localhost/app --save --track clients',
  ],
  exits: { 0: 'done', 3: 'a table to track is unusable', 5: 'cannot connect or bad configuration' },
  async run(ctx, _args, opts) {
    const { cli } = ctx;
    let g = ctx.globals;
    let save: { url?: string; dir?: string } | undefined = opts.save ? (g.url ? { url: g.url } : {}) : undefined;
    let track = opts.track;
    if (await shouldAsk(cli, g, opts)) {
      const answers = await ask(cli);
      if (answers.url) g = { ...g, url: interpolate(answers.url, cli.env) };
      save = answers.save ? (answers.url ? { url: answers.url } : { dir: '.vsg' }) : undefined;
      track = answers.track;
    }
    const repo = await withProgress(g.url ? `connecting to ${maskUrl(g.url)}` : 'opening the embedded database', () => ctx.open(g, { bare: true, create: true }));
    const r = await withProgress('creating the vsg schema', () => repo.init());
    const result: InitOutcome = { ...r, where: repo.db.where, tracked: [], saved: null };
    if (track.length) result.tracked = await trackAll(ctx, repo, track);
    if (save) {
      const file = path.join(cli.cwd, '.vsgrc.json');
      fs.writeFileSync(file, `${JSON.stringify(save, null, 2)}\n`);
      result.saved = file;
    }
    return { result, render: () => renderInit(result, ctx.style) };
  },
});

/** What init did: the schema change, the tables it started tracking, the file it wrote. */
export interface InitOutcome extends InitResult {
  where: string;
  /** each table asked for, in order: tracked now (with its root commit), or already tracked */
  tracked: Array<{ name: string; already: boolean; result?: TrackResult }>;
  saved: string | null;
}

function renderInit(r: InitOutcome, s: Style): string {
  const what =
    r.applied.length === 0 ? `vsg schema is up to date (version ${r.to})` : r.from === 0 ? `initialised vsg (schema version ${r.to})` : `upgraded vsg schema to version ${r.to} (applied ${r.applied.join(', ')})`;
  const lines = [`${what} in ${r.where}`];
  if (r.from !== 0 && r.functions.length) lines.push(`stored functions applied: ${r.functions.join(', ')}`);
  for (const t of r.tracked) {
    lines.push(t.result ? `tracking ${t.result.table.display} on branch main [${s.yellow(t.result.root.shortId)}] ${counted(t.result.root.inserted ?? 0, 'row')}` : `${t.name} is already tracked`);
  }
  if (r.saved) lines.push(`wrote ${r.saved}`);
  return lines.join('\n');
}

/** Ask only on a terminal, with no option given, nothing configured, and questions allowed. */
async function shouldAsk(cli: Cli, g: Globals, opts: Opts): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  if (opts.input === false || cli.env.VSG_NO_INPUT || cli.env.CI) return false;
  if (g.url || opts.save || opts.track.length || opts.json) return false;
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

async function trackAll(ctx: RunContext, repo: Repository, tables: string[]): Promise<InitOutcome['tracked']> {
  const author = await ctx.author({});
  const tracked = new Set((await repo.tables()).map((t) => t.display));
  const out: InitOutcome['tracked'] = [];
  for (const name of tables) {
    if (tracked.has(name)) out.push({ name, already: true });
    else out.push({ name, already: false, result: await repo.track(name, { author }) });
  }
  return out;
}
