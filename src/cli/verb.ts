/**
 * The command contract. Every verb is one declaration: its name, what it
 * needs, its arguments and (shared) options, examples and exit codes, and a
 * `run` that returns an Outcome. `main` alone turns outcomes and errors into
 * output and exit codes; a verb never prints to stdout itself (except export,
 * which streams through `ctx.write`), never sets an exit code, never exits.
 */
import type { Command } from 'commander';
import type { Repository } from '../api/repository.js';
import type { ExitCodeValue, VsgError } from '../errors.js';
import type { Style } from '../render/style.js';
import type { Cli, Globals } from './context.js';
import type { OptionDef } from './options.js';

/**
 * What a verb needs before it runs, as git's command table declares it:
 * - `none`: no database (or it opens the one it is told to, as init does)
 * - `database`: a connection, vsg's schema not required (sql, doctor)
 * - `read`: a vsg repository it only reads
 * - `write`: a vsg repository it changes
 */
export type Needs = 'none' | 'database' | 'read' | 'write';

/** A positional argument: `<name>` required, `[name]` optional. */
export interface ArgDef {
  name: string;
  description: string;
  default?: string;
}

/** What a run answers: the result object, how to show it as text, and the exit status. */
export interface Outcome {
  /** what `--json` prints on stdout (undefined: nothing) */
  result?: unknown;
  /** the text form of the result (absent: nothing printed as text) */
  render?: () => string;
  /** page the text on a terminal */
  page?: boolean;
  /** 0, or 1 for "the answer is no" (conflicts, differences under --exit-code, a failed check) */
  status?: ExitCodeValue;
  /** why the answer is no, printed on stderr after the result, as an error is */
  refusal?: VsgError;
}

/** What a run gets: the repository its `needs` asked for, the parsed flags, helpers. */
export interface RunContext {
  cli: Cli;
  globals: Globals;
  style: Style;
  /** the repository (not opened for `needs: 'none'`: reading it throws) */
  repo: Repository;
  /** `--json` was given */
  json: boolean;
  /** the whole program (for completion) */
  program: Command;
  /** open a repository with other settings (init: after asking where) */
  open(globals: Globals, opts?: { bare?: boolean; create?: boolean }): Promise<Repository>;
  /** the author: --author, else VSG_AUTHOR, .vsgrc, the OS user */
  author(opts: { author?: string }): Promise<string>;
  /** stream text to stdout (for commands whose output is too large to hold) */
  write(text: string): Promise<void>;
}

/** A verb of the command line, declared once. */
export interface Verb<O = any> {
  name: string;
  description: string;
  needs: Needs;
  args?: ArgDef[];
  options: OptionDef[];
  /** paragraphs shown in --help before the examples */
  help?: string;
  examples: string[];
  /** exit code → when (0 first) */
  exits: Partial<Record<ExitCodeValue, string>>;
  /** usage checks that need no database, made before the repository is opened */
  check?(args: (string | undefined)[], opts: O): void;
  run(ctx: RunContext, args: (string | undefined)[], opts: O): Promise<Outcome>;
}

/** Declare a verb (typed identity: the options object type flows into run). */
export function verb<O>(v: Verb<O>): Verb<O> {
  return v;
}

/** The --help text after the options: notes, examples, exit codes. */
export function helpAfter(v: Verb): string {
  const parts: string[] = [];
  if (v.help) parts.push(v.help.trim());
  if (v.examples.length) parts.push(`Examples:\n${v.examples.map((e) => `  ${e}`).join('\n')}`);
  const codes = Object.entries(v.exits).map(([code, when]) => `  ${code.padEnd(3)} ${when || 'success'}`);
  parts.push(`Exit codes:\n${codes.join('\n')}`);
  return `\n${parts.join('\n\n')}`;
}
