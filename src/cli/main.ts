/**
 * The vsg program: global flags, one file per command, and the one place
 * where errors become messages and exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../db/sql.js';
import { ExitCode, isVsgError, VsgError } from '../errors.js';
import { renderError } from '../render/error.js';
import { makeStyle, wantColor } from '../render/style.js';
import { Cli, write } from './context.js';
import { loadCommands, type Register } from './commands/index.js';

export const version: string = (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

const EXIT_CODES = `
Exit codes:
  0   success
  1   the answer is no: a conflict, nothing to commit, differences under --exit-code, a failed verify
  2   usage error: unknown command or option, missing argument
  3   bad request: unknown or ambiguous commit, untracked table, no primary key, no repository
  4   the SQL vsg was asked to run failed (nothing was changed)
  5   cannot connect, or the configuration is malformed
  6   permission denied by the database
  70  a bug in vsg`;

/** Build the commander program (exported for completion and docs). */
export function buildProgram(cli: Cli, commands: Register[]): Command {
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
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program, cli);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/**
 * V8 compiles WebAssembly quickly to baseline code, then recompiles each
 * function that runs long enough with its optimising compiler, on other
 * threads. PGlite's start runs much of PostgreSQL once, so the default
 * threshold has those threads recompile hundreds of functions that will not
 * run again in a one-command process: on two cores that doubled an embedded
 * command's time. A thousand times the default still optimises the loops of a
 * long operation within its first moments. Only the CLI sets this: it is the
 * whole process's, and a library must leave its host's alone.
 */
const WASM_TIERING = '--wasm-tiering-budget=1800000000';

export async function main(argv: string[], onDone: () => void = () => undefined): Promise<void> {
  v8.setFlagsFromString(WASM_TIERING);
  const cli = new Cli();
  // A reader that went away (`vsg log | head -1`) ends us quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      onDone();
      process.exit(Number(process.exitCode ?? 0));
    }
  });
  let code: number = ExitCode.ok;
  try {
    await buildProgram(cli, await loadCommands()).parseAsync(argv);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = report(e, cli);
  } finally {
    await cli.close();
  }
  await write(process.stderr, '');
  onDone();
  process.exit(code);
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

function report(e: unknown, cli: Cli): number {
  const style = makeStyle(wantColor(undefined, process.env, Boolean(process.stderr.isTTY)));
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage; // commander already printed the message
  }
  if (isVsgError(e)) {
    process.stderr.write(`${renderError(e, style, cli.verbose)}\n`);
    return e.exitCode;
  }
  // The database refused: a role without the rights (e.g. read-only) is not a bug in vsg.
  if ((e as { code?: string })?.code === '42501') {
    const denied = new VsgError('E_PERMISSION', `permission denied: ${(e as Error).message}`, {
      exitCode: ExitCode.permission,
      hint: 'this command writes; ask for INSERT/UPDATE/DELETE on the table and on schema vsg, or use a read command',
    });
    process.stderr.write(`${renderError(denied, style, cli.verbose)}\n`);
    return ExitCode.permission;
  }
  if (connectionLost(e)) {
    const lost = new VsgError('E_CONNECTION_LOST', `lost the connection to the database: ${(e as Error).message}`, {
      exitCode: ExitCode.connection,
      hint: "an unfinished operation was rolled back by the server; if it was finishing, check 'vsg log' and 'vsg status'",
    });
    process.stderr.write(`${renderError(lost, style, cli.verbose)}\n`);
    return ExitCode.connection;
  }
  const err = e as Error;
  const bug = new VsgError('E_BUG', `this is a bug in vsg: ${err?.message ?? String(e)}`, { exitCode: ExitCode.bug });
  process.stderr.write(`${renderError(bug, style)}\nvsg ${version}, node ${process.version}, ${process.platform}\n${err?.stack ?? ''}\n`);
  return ExitCode.bug;
}
