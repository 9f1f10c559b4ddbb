/**
 * `vsg demo`: a guided tour on a throw-away embedded repository. Every step
 * runs the real command in this process (one PGlite instance, so the tour
 * takes seconds), prints what a user would type and what vsg answers, and
 * says in one line why. Steps whose command this build does not have yet
 * (checkout, branch, merge …) are skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRepository, type Repository } from '../../api/repository.js';
import { openEmbeddedThrowaway } from '../../db/embedded.js';
import { shellQuote } from '../../db/quote.js';
import { isVsgError, VsgError } from '../../errors.js';
import { renderError } from '../../render/error.js';
import { Cli, write, type Globals } from '../context.js';
import { cliWords } from '../hints.js';
import { option } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

/** The state steps can read to build their arguments. */
interface Tour {
  root: string;
  has: (command: string, option?: string) => boolean;
}

export interface DemoStep {
  /** one line: why this step */
  say: string;
  /** the vsg arguments (without "vsg") */
  args: string[] | ((t: Tour) => string[]);
  /** commands (or "command --option") this step needs; skipped without them */
  needs?: string[];
  /** run the step but do not stop the tour if it fails */
  optional?: boolean;
}


/** The tour, in order. Authors are fixed so the output reads like a team's history. */
export const DEMO_STEPS: DemoStep[] = [
  { say: "create vsg's schema (here in an embedded database; point --url or .vsgrc at a server for real work)", args: ['init'] },
  { say: 'an ordinary table, made with plain SQL (vsg sql is psql for the embedded database)', args: ['sql', 'CREATE TABLE clients (id int PRIMARY KEY, name text NOT NULL, tier text NOT NULL, credit numeric(10,2))'] },
  { say: 'with a few rows', args: ['sql', "INSERT INTO clients VALUES (1, 'Ann', 'gold', 100), (2, 'Bob', 'silver', 50), (3, 'Carl', 'gold', 70)"] },
  { say: 'start versioning it: a root commit holds its current rows', args: ['track', 'clients', '--author', 'alice'] },
  {
    say: 'run SQL through vsg: exactly the rows it changes become a commit',
    args: ['commit', '-t', 'clients', '--author', 'alice', '-m', 'double gold credit', "UPDATE clients SET credit = credit * 2 WHERE tier = 'gold'"],
  },
  {
    say: 'another commit, with application context attached as metadata',
    args: ['commit', '-t', 'clients', '--author', 'bob', '--meta', 'ticket=CRM-7', "INSERT INTO clients VALUES (4, 'Dora', 'silver', 40)"],
  },
  { say: 'the history, newest first, like git log', args: ['log', '--oneline'] },
  { say: 'what changed between two commits, row by row and cell by cell', args: ['diff', 'HEAD~2', 'HEAD'] },
  { say: 'one commit: who, when, why, its metadata, the statement, and the rows it changed', args: ['show', 'HEAD'] },
  {
    say: 'an application writes to the table directly, naming itself in session settings',
    args: ['sql', "SET LOCAL vsg.author = 'billing-app'; SET LOCAL vsg.meta = 'request=r-42'; UPDATE clients SET credit = credit - 5 WHERE id = 2"],
  },
  { say: 'vsg sees changes made outside it as uncommitted', args: ['status'] },
  { say: 'diff with no argument compares HEAD with the live table', args: ['diff'] },
  { say: 'record them: author and metadata come from the application that made them', args: ['commit', '-t', 'clients', '-m', 'monthly fee for Bob'] },
  { say: 'the commit names the application and its request', args: ['log', '-n', '1'] },
  { say: 'undo one old commit with a new one (like git revert); history is never rewritten', args: ['rollback', 'HEAD~2', '-t', 'clients', '--author', 'alice'], needs: ['rollback'], optional: true },
  { say: 'put the table back to any commit, recorded as a new CHECKOUT commit', args: (t) => ['checkout', t.root.slice(0, 7), '-t', 'clients', '--author', 'alice'], needs: ['checkout'], optional: true },
  { say: 'a mistake made outside vsg …', args: ['sql', 'DELETE FROM clients'], needs: ['restore'] },
  { say: '… is discarded by restore: back to HEAD, nothing committed', args: ['restore', '-t', 'clients'], needs: ['restore'], optional: true },
  { say: 'a branch: a second line of history for the same table', args: ['branch', 'experiment'], needs: ['branch', 'switch', 'merge'], optional: true },
  { say: 'the live table now follows the branch', args: ['switch', 'experiment'], needs: ['branch', 'switch', 'merge'], optional: true },
  {
    say: 'a change on the branch',
    args: ['commit', '-t', 'clients', '--author', 'bob', '-m', 'promote Bob', "UPDATE clients SET tier = 'gold' WHERE id = 2"],
    needs: ['branch', 'switch', 'merge'],
    optional: true,
  },
  { say: 'back to main', args: ['switch', 'main'], needs: ['branch', 'switch', 'merge'], optional: true },
  {
    say: 'meanwhile on main, a change to another cell',
    args: ['commit', '-t', 'clients', '--author', 'alice', '-m', 'fix spelling', "UPDATE clients SET name = 'Carla' WHERE id = 3"],
    needs: ['branch', 'switch', 'merge'],
    optional: true,
  },
  {
    say: 'three-way merge by key and column: changes to different cells merge cleanly',
    args: ['merge', 'experiment', '-t', 'clients', '--author', 'alice', '-m', 'merge experiment'],
    needs: ['branch', 'switch', 'merge'],
    optional: true,
  },
  { say: 'tag a commit; tags work wherever a commit does', args: ['tag', 'v1.0'], needs: ['tag'], optional: true },
  { say: 'the whole history as a graph', args: ['log', '--oneline', '--graph'], needs: ['log --graph'], optional: true },
  {
    say: 'a second table, whose rows reference the first',
    args: ['sql', 'CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(10,2)); INSERT INTO orders VALUES (10, 1, 25), (11, 2, 12), (12, 2, 30)'],
  },
  { say: 'track it too: from now on a transaction over both tables is one commit', args: ['track', 'orders', '--author', 'alice'] },
  {
    say: 'one statement, two tables: deleting Bob cascades to his orders, recorded as one commit',
    args: ['commit', '--author', 'alice', '-m', 'Bob leaves', 'DELETE FROM clients WHERE id = 2'],
  },
  { say: 'undo that whole commit: Bob and his orders come back, parents first', args: ['rollback', 'HEAD', '--author', 'alice'], needs: ['rollback'], optional: true },
  { say: "the log is the repository's: a commit across tables is one line", args: ['log', '--oneline', '-n', '3'] },
  { say: 'where each table stands', args: ['status'] },
];

/** A Cli over one open repository: no pager, no prompts, the repository stays open between steps. */
class TourCli extends Cli {
  constructor(
    private readonly shared: Repository,
    cwd: string,
  ) {
    super({ ...process.env, VSG_NO_INPUT: '1', VSG_PAGER: 'cat' }, cwd);
  }
  override async repo(_g: Globals): Promise<Repository> {
    return this.shared;
  }
  override async author(opts: { author?: string }): Promise<string> {
    return opts.author ?? 'alice';
  }
  override async close(): Promise<void> {}
  override out(text: string): Promise<void> {
    return super.out(text, { page: false });
  }
}

interface Opts {
  keep?: string;
}

export const demo = verb<Opts>({
  name: 'demo',
  description: 'a two-minute tour: runs the real commands on a throw-away embedded repository',
  needs: 'none',
  options: [option('--keep <dir>', 'keep the repository in this directory (cd there and keep playing)')],
  examples: ['npx vsg demo', 'vsg demo --keep /tmp/vsg-tour && cd /tmp/vsg-tour && vsg log'],
  exits: { 0: 'the tour ran', 5: 'the directory is not usable', 70: 'a step failed' },
  // The tour prints as it goes: each step is a command of its own, shown as it runs.
  async run({ cli }, _args, opts) {
    await runDemo(cli, opts);
    return {};
  },
});

/** --keep: a directory of the user's, which must not hold a repository yet. */
function keepDir(keep: string, cwd: string): string {
  const dir = path.resolve(cwd, keep);
  if (fs.existsSync(path.join(dir, '.vsg'))) {
    throw new VsgError('E_DEMO_DIR', `'${dir}' already holds a vsg repository`, { hint: 'pick a new directory for --keep' });
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function runDemo(cli: Cli, opts: Opts): Promise<void> {
  const s = cli.style;
  const dir = opts.keep === undefined ? undefined : keepDir(opts.keep, cli.cwd);
  const started = Date.now();
  const repo = await withProgress('starting an embedded database', async () =>
    dir === undefined ? openRepository({ db: await openEmbeddedThrowaway(), bare: true }) : openRepository({ dir: path.join(dir, '.vsg'), bare: true, create: true }),
  );
  try {
    const tour = new TourCli(repo, dir ?? os.tmpdir());
    const [{ buildProgram, dispatch, present }, { VERBS }] = await Promise.all([import('../main.js'), import('./index.js')]);
    const probe = buildProgram(tour, VERBS);
    const t: Tour = {
      root: '',
      has: (name, option) => {
        const c = probe.commands.find((x) => x.name() === name || x.aliases().includes(name));
        return Boolean(c) && (option === undefined || c!.options.some((o) => o.long === option));
      },
    };
    await write(process.stdout, `${s.bold('vsg demo')}: ${dir === undefined ? 'a throw-away repository' : `a repository in ${dir}`}\n`);
    let n = 0;
    for (const step of DEMO_STEPS) {
      if (step.needs && !step.needs.every((x) => t.has(...(x.split(' ') as [string, string?])))) continue;
      const args = typeof step.args === 'function' ? step.args(t) : step.args;
      n += 1;
      await write(process.stdout, `\n${s.cyan.bold(`${n}. ${step.say}`)}\n${s.dim('$')} ${s.bold(['vsg', ...args.map(shellQuote)].join(' '))}\n`);
      const failed = s.dim('(this step failed; the tour goes on)');
      try {
        const ran = await dispatch(tour, args, { from: 'user' });
        // "the answer is no" (a merge conflict): already shown; the tour goes on
        if (ran && (await present(tour, ran)) !== 0 && step.optional) await write(process.stderr, `${failed}\n`);
      } catch (e) {
        if (!step.optional || !isVsgError(e)) throw e;
        await write(process.stderr, `${renderError(cliWords(e), s, cli.verbose)}\n${failed}\n`);
      }
      if (args[0] === 'track' && !t.root) t.root = (await repo.tables())[0]?.headCommit ?? '';
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const end =
      dir === undefined
        ? "the throw-away repository is gone; keep one with 'vsg demo --keep DIR'"
        : `the repository is kept: cd ${shellQuote(dir)} and try 'vsg log', 'vsg diff HEAD~1'`;
    await write(process.stdout, `\n${s.green(`done in ${secs}s.`)} ${end}\n`);
  } finally {
    await repo.close();
  }
}
