/**
 * The options verbs share, each defined once with one description, so that
 * `-t` means the same thing in every command and its help says so once.
 */
import { InvalidArgumentError } from 'commander';
export interface OptionDef {
  flags: string;
  description: string;
  default?: unknown;
  /** parse or accumulate the value (commander's argParser) */
  parse?: (value: string, previous: any) => unknown;
}

/** An option of one verb only. */
export function option(flags: string, description: string, extra: Omit<OptionDef, 'flags' | 'description'> = {}): OptionDef {
  return { flags, description, ...extra };
}

/** A one-table `-t` given twice is a usage error, not the last one silently. */
function once(v: string, prev: string | undefined): string {
  if (prev !== undefined) throw new InvalidArgumentError(`this command works on one table; give -t once (got '${prev}' and '${v}')`);
  return v;
}

/** `-t`: the one tracked table the command works on. */
export const table = (): OptionDef => option('-t, --table <table>', 'the tracked table (needed when several are tracked)', { parse: once });

/** `-t` on commands that take several tables: repeatable, default every tracked table. */
export const tables = (): OptionDef =>
  option('-t, --table <table>', 'a tracked table; repeat for several (default: every tracked table)', { parse: repeat, default: [] });

/** `-t` on commands that report on every table unless told one. */
export const onlyTable = (): OptionDef => option('-t, --table <table>', 'only this table (default: every tracked table)', { parse: once });

/** `--json`: the result object on stdout, an error as {"error": …} on stderr. */
export const json = (): OptionDef => option('--json', 'print the result as JSON (an error as {"error": …} on stderr)');

/** `--author` of the commit a command makes. */
export const author = (): OptionDef => option('--author <who>', 'author (default: VSG_AUTHOR, .vsgrc, the OS user)');

/** `-m` of the commit a command makes. */
export const message = (): OptionDef => option('-m, --message <msg>', 'commit message (default: one that says what was done)');

/** `--no-pager`. */
export const pager = (): OptionDef => option('--no-pager', 'do not page output');

/** `-f`: SQL from a file. */
export const file = (): OptionDef => option('-f, --file <file>', "read the SQL from a file ('-': standard input)");

/** `--exit-code`: "the answer is no" as exit status 1, as in git diff --exit-code. */
export const exitCode = (): OptionDef => option('--exit-code', 'exit 1 when there is something to report (see Exit codes)');

/** A repeatable option's accumulator. */
export const repeat = (v: string, acc: string[] | undefined): string[] => [...(acc ?? []), v];

/** `--forgotten`: what a write-back writes where a value it needs was forgotten (vsg forget). */
export const forgotten = (): OptionDef =>
  option('--forgotten <live|null>', "where a value needed was forgotten (vsg forget): write the live value ('live': the live row as it is) or NULL; default: refuse", {
    parse: (v: string) => {
      if (v !== 'live' && v !== 'null') throw new InvalidArgumentError("give 'live' or 'null'");
      return v;
    },
  });
