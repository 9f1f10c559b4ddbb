/**
 * The vsg program: global flags, the verbs of ./commands, and the one place
 * where outcomes and errors become output and exit codes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { Command, CommanderError, Option } from 'commander';
import type { Repository } from '../api/repository.js';
import { scrubSecrets } from '../db/connection.js';
import { parseStatementsOnlyWhenNeeded } from '../db/statements.js';
import { WASM_TIERING } from '../db/wasm.js';
import { packageRoot } from '../db/sql.js';
import { ExitCode, fromPrunedSql, isVsgError, permissionError, VsgError, type ExitCodeValue } from '../errors.js';
import { renderError } from '../render/error.js';
import { makeStyle, wantColor } from '../render/style.js';
import { Cli, write } from './context.js';
import { verbsFor } from './commands/lazy.js';
import { cliWords } from './hints.js';
import { helpAfter, type Outcome, type RunContext, type Verb } from './verb.js';

export const version: string = (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

const EXIT_CODES = `
Exit codes:
  0   success
  1   the answer is no: a conflict, nothing to commit, differences under --exit-code, a failed verify
  2   usage error: unknown command or option, missing argument
  3   bad request: unknown or ambiguous commit, untracked table, no primary key, no repository
  4   the SQL vsg was asked to run failed (nothing was changed)
  5   cannot connect (or open the embedded database), or the configuration is malformed
  6   permission denied by the database
  7   that history was pruned (vsg prune): its changes are no longer stored
  70  a bug in vsg
  130 interrupted (Ctrl-C; 143 for SIGTERM): the transaction in progress was rolled back`;

/** A verb that ran: its outcome, and how the command line asked for it. */
export interface Ran {
  verb: Verb;
  outcome: Outcome;
  json: boolean;
  pager?: boolean;
}

/** Whether --json is on the command line (before a `--`), for errors found before a verb runs. */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Build the commander program from verb declarations (exported for
 * completion, the demo and the docs). `sink` receives each verb's outcome.
 */
export function buildProgram(cli: Cli, verbs: readonly Verb[], sink: (r: Ran) => void = () => undefined, opts: { json?: boolean } = {}): Command {
  const program = new Command('vsg')
    .description('Git for PostgreSQL tables: every change a hash-chained commit you can diff, revert, branch and merge')
    .version(version, '-V, --version')
    .option('--url <url>', 'PostgreSQL URL (default: VSG_DATABASE_URL, .vsgrc, else the embedded database in .vsg/)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--verbose', 'more detail in errors')
    .addHelpText('after', EXIT_CODES)
    .showSuggestionAfterError()
    .exitOverride();
  // With --json, main reports a usage error as JSON instead of commander's line.
  program.configureOutput({ writeErr: (s) => (opts.json ? undefined : process.stderr.write(s)) });
  for (const v of verbs) {
    const c = program.command(v.name).description(v.description);
    for (const a of v.args ?? []) c.argument(a.name, a.description, a.default);
    // A repeatable option's empty list is filled in after parsing: given to
    // commander, its help would say "(default: [])".
    const lists: [string, unknown[]][] = [];
    for (const o of v.options) {
      const opt = new Option(o.flags, o.description);
      if (o.parse) opt.argParser(o.parse);
      if (Array.isArray(o.default)) lists.push([opt.attributeName(), o.default]);
      else if (o.default !== undefined) opt.default(o.default);
      c.addOption(opt);
    }
    c.addHelpText('after', helpAfter(v));
    c.exitOverride();
    c.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const flags = params[params.length - 2] as { json?: boolean; pager?: boolean } & Record<string, unknown>;
      for (const [k, d] of lists) flags[k] ??= [...d];
      const ran: Ran = { verb: v, outcome: {}, json: Boolean(flags.json), pager: flags.pager };
      sink(ran); // errors from here on are reported in the verb's mode
      const args = params.slice(0, -2) as (string | undefined)[];
      v.check?.(args, flags);
      ran.outcome = await v.run(await context(cli, v, cmd, ran.json), args, flags);
    });
  }
  return program;
}

/** What a verb's run gets; the repository is opened here, as its `needs` says. */
async function context(cli: Cli, v: Verb, cmd: Command, json: boolean): Promise<RunContext> {
  const globals = cli.setup(cmd);
  const repo: Repository | undefined = v.needs === 'none' ? undefined : await cli.repo(globals, { bare: v.needs === 'database' });
  return {
    cli,
    globals,
    style: cli.style,
    get repo(): Repository {
      if (!repo) throw new Error(`'${v.name}' declares needs: 'none' but uses the repository`);
      return repo;
    },
    json,
    program: cmd.parent ?? cmd,
    open: (g, o = {}) => cli.repo(g, o),
    author: (o) => cli.author(o),
    write: (text) => (text ? write(process.stdout, text) : Promise.resolve()),
  };
}

/** Parse argv and run the verb it names; throws what the verb (or commander) throws. */
export async function dispatch(cli: Cli, argv: string[], opts: { from?: 'node' | 'user'; verbs?: readonly Verb[]; onRan?: (r: Ran) => void } = {}): Promise<Ran | undefined> {
  let ran: Ran | undefined;
  const json = wantsJson(opts.from === 'user' ? argv : argv.slice(2));
  const sink = (r: Ran) => {
    ran = r;
    opts.onRan?.(r);
  };
  // Only the verb the command line names is loaded (commands/lazy.ts): start-up is most of a short command.
  const verbs = opts.verbs ?? (await verbsFor(opts.from === 'user' ? argv : argv.slice(2)));
  await buildProgram(cli, verbs, sink, { json }).parseAsync(argv, { from: opts.from ?? 'node' });
  return ran;
}

/** Print an outcome (JSON or text, then its refusal) and return its exit status. */
export async function present(cli: Cli, ran: Ran): Promise<number> {
  const { outcome } = ran;
  if (ran.json) {
    if (outcome.result !== undefined) await cli.out(JSON.stringify(outcome.result, null, 2));
  } else if (outcome.render) {
    await cli.out(outcome.render(), { page: outcome.page, pager: ran.pager });
  }
  if (outcome.refusal) report(outcome.refusal, cli, ran.json);
  return outcome.status ?? ExitCode.ok;
}

/**
 * node-postgres decides when it loads whether it runs in a Cloudflare Worker.
 * Where there is no `navigator` (Node 20) it builds a fetch `Response` to find
 * out, which loads Node's whole fetch implementation (undici): 40-70 ms of
 * every command that opens a database, server or embedded. Node 21 and later
 * define `navigator`, and pg reads its userAgent instead. On Node 20 the CLI
 * defines one with that userAgent; like WASM_TIERING, only in the CLI's own
 * process, never in a library's host.
 */
export function defineNavigator(g: { navigator?: unknown } = globalThis as { navigator?: unknown }): void {
  if (g.navigator !== undefined) return;
  // userAgent alone: PGlite's Emscripten runtime reads `navigator.language`
  // for its default LANG, which must stay what it is without one.
  const navigator = { userAgent: `Node.js/${process.versions.node.split('.')[0]}` };
  Object.defineProperty(g, 'navigator', { value: navigator, configurable: true, enumerable: false, writable: true });
}

export async function main(argv: string[], onDone: () => void = () => undefined): Promise<void> {
  v8.setFlagsFromString(WASM_TIERING);
  defineNavigator();
  parseStatementsOnlyWhenNeeded();
  const cli = new Cli();
  // A reader that went away (`vsg log | head -1`) ends us quietly.
  let code: number = ExitCode.ok;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      onDone();
      process.exit(code);
    }
  });
  let ran: Ran | undefined;
  const stop = onInterrupt(cli, () => (ran ? ran.json : wantsJson(argv.slice(2))), onDone);
  cli.onOpen = (repo) => {
    if (repo.db.kind === 'postgres') stop.arm();
  };
  try {
    await dispatch(cli, argv, { onRan: (r) => (ran = r) });
    if (ran) {
      code = ran.outcome.status ?? ExitCode.ok; // also for a reader that goes away mid-output
      code = await present(cli, ran);
    }
  } catch (e) {
    code = report(stop.error() ?? e, cli, ran ? ran.json : wantsJson(argv.slice(2)));
  } finally {
    await cli.close();
  }
  await write(process.stderr, '');
  onDone();
  process.exit(code);
}

/**
 * SIGINT (Ctrl-C) and SIGTERM on a server stop a command as psql does: a
 * statement running there is cancelled and the transaction rolled back (waited
 * for), then vsg says so on one line and exits 128 + the signal's number (130
 * for Ctrl-C). With nothing in progress it exits at once, and so does a second
 * signal (the server rolls back a transaction whose connection ends).
 *
 * Armed only once a server connection is open. The embedded database runs
 * inside this process, and a statement there runs to its end without letting
 * any JavaScript run, a signal handler included: handled, Ctrl-C would wait for
 * the statement. Unhandled, the signal ends the process at once, as a kill does:
 * the transaction never commits, and the next command recovers the database and
 * takes over the lock (test/integration/crash.test.ts).
 */
function onInterrupt(cli: Cli, json: () => boolean, onDone: () => void): { arm(): void; error(): VsgError | undefined } {
  let err: VsgError | undefined;
  let armed = false;
  let reported = false;
  const exitNow = (e: VsgError) => {
    if (!reported) report(e, cli, json());
    onDone();
    process.exit(e.exitCode);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (cli.paging) return; // the pager's to handle; vsg ends with it
    const exitCode = (128 + (os.constants.signals[signal] ?? 2)) as ExitCodeValue;
    if (err) exitNow(new VsgError('E_INTERRUPTED', 'interrupted', { exitCode: err.exitCode }));
    const state = cli.interrupt();
    const what = state.inTransaction ? 'interrupted; the transaction was rolled back' : state.busy ? 'interrupted; the statement was cancelled' : 'interrupted';
    err = new VsgError('E_INTERRUPTED', what, { exitCode });
    if (!state.busy && !state.inTransaction) exitNow(err);
  };
  return {
    arm() {
      if (armed) return;
      armed = true;
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    error() {
      reported = err !== undefined;
      return err;
    },
  };
}

/**
 * The server ended the session (shut down, crashed, an administrator), during
 * a query or between two: not a bug in vsg. node-postgres says the latter as
 * "Client has encountered a connection error and is not queryable".
 */
export function connectionLost(e: unknown): boolean {
  const sqlstate = String((e as { code?: string })?.code ?? '');
  return /^(57P0[1-3]|08)/.test(sqlstate) || /Connection terminated|ECONNRESET|EPIPE|not queryable/.test(String((e as Error)?.message));
}

/** Any thrown value as the VsgError it stands for (a bug when nothing expected it). */
export function asVsgError(e: unknown): VsgError {
  if (e instanceof CommanderError) {
    return new VsgError('E_USAGE', e.message.replace(/^error: /, ''), { data: { commander: e.code } });
  }
  if (isVsgError(e)) return e;
  if (fromPrunedSql(e) !== e) return fromPrunedSql(e) as VsgError;
  // The database refused: a role without the rights (e.g. read-only) is not a bug in vsg.
  if ((e as { code?: string })?.code === '42501') {
    return permissionError(e);
  }
  // A read-only transaction vsg did not see coming (default_transaction_read_only, a standby behind a pooler)
  if ((e as { code?: string })?.code === '25006') {
    return new VsgError('E_READ_ONLY', `the database refused a write: ${(e as Error).message}`, {
      hint: 'the server or the session is read-only (a hot standby?): point write commands at the primary',
      cause: e,
    });
  }
  if (connectionLost(e)) {
    return new VsgError('E_CONNECTION_LOST', `lost the connection to the database: ${scrubSecrets(String((e as Error).message))}`, {
      hint: "an unfinished operation was rolled back by the server; if it was finishing, check 'vsg log' and 'vsg status'",
      cause: e,
    });
  }
  const err = e as Error;
  // a driver's message or stack may quote the connection string: no password leaves here
  return new VsgError('E_BUG', `this is a bug in vsg: ${scrubSecrets(String(err?.message ?? e))}`, {
    data: { version, node: process.version, platform: process.platform, stack: scrubSecrets(err?.stack ?? '') },
    cause: e,
  });
}

/** Report an error on stderr (one JSON object with --json) and return its exit code. */
export function report(e: unknown, cli: Cli, json = false): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
    if (!json) return ExitCode.usage; // commander already printed the message
  }
  const err = cliWords(asVsgError(e));
  if (err.code === 'E_INTERRUPTED' && !json) {
    // not an error of the command: one line, as psql and git say it
    process.stderr.write(`vsg: ${err.message}\n`);
    return err.exitCode;
  }
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { code: err.code, message: err.message, hint: err.hint ?? null, data: err.data ?? null } })}\n`);
    return err.exitCode;
  }
  const style = makeStyle(wantColor(undefined, process.env, Boolean(process.stderr.isTTY)));
  if (err.code === 'E_BUG') {
    const stack = scrubSecrets((err.cause as Error | undefined)?.stack ?? '');
    process.stderr.write(`${renderError(err, style)}\nvsg ${version}, node ${process.version}, ${process.platform}\n${stack}\n`);
  } else {
    process.stderr.write(`${renderError(err, style, cli.verbose)}\n`);
  }
  return err.exitCode;
}
