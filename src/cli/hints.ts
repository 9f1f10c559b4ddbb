/**
 * The command line's own words for library errors. The library speaks of its
 * API (options, methods); the CLI says the same with its flags and commands,
 * here, in one table keyed by error code.
 */
import { VsgError, type ErrorCode } from '../errors.js';

type Words = (e: VsgError) => { message?: string; hint?: string } | undefined;

/** Per code: the message and hint as the command line says them (undefined: as the library says). */
export const CLI_WORDS: Partial<Record<ErrorCode, Words>> = {};

/** The error as the command line shows it: same code, exit code and data. */
export function cliWords(e: VsgError): VsgError {
  const w = CLI_WORDS[e.code]?.(e);
  if (!w) return e;
  const out = new VsgError(e.code, w.message ?? e.message, { exitCode: e.exitCode, hint: w.hint ?? e.hint, data: e.data, cause: e.cause });
  Object.setPrototypeOf(out, Object.getPrototypeOf(e)); // an SqlError stays one (the caret)
  return out;
}
