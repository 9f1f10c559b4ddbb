/**
 * The command line's own words for library errors. The library speaks of its
 * API (options, methods); the CLI says the same with its flags and commands,
 * here, in one table keyed by error code.
 */
import { shellQuote as sh } from '../db/quote.js';
import { VsgError, type ErrorCode } from '../errors.js';

type Words = (e: VsgError) => { message?: string; hint?: string } | undefined;

/** Per code: the message and hint as the command line says them (undefined: as the library says). */
export const CLI_WORDS: Partial<Record<ErrorCode, Words>> = {
  E_NO_TABLES: () => ({ hint: "run 'vsg track <table>'" }),
  E_FORGOTTEN: () => ({ hint: 'write the live value (--forgotten live) or NULL (--forgotten null) instead; nothing was changed' }),
  E_FORGET_OLD_COMMITS: (e) =>
    when(e, 'prune past them', () => "prune past them ('vsg prune --before <commit>'): their state is kept as a base with salts, which forget reaches; nothing was changed"),
  E_VERIFY: (e) => when(e, 'verify() shows what changed', () => "'vsg verify' shows what changed"),
  E_FORGET_COLUMN: (e) => (e.hint?.startsWith('forget the whole row') ? { hint: 'forget the whole row (no --columns): its key stays as its identity in history' } : undefined),
  E_TABLE_REQUIRED: (e) => ({ message: e.message.replace('name one with the table option', 'name one with -t') }),
  E_NO_TABLE: (e) => (e.hint === 'create it first' ? { hint: "create it first, e.g. with 'vsg sql'" } : undefined),
  E_NOT_TRACKED: (e) => when(e, 'track it first', (d) => `run 'vsg track ${sh(d.table)}'`),
  E_TABLE_GONE: (e) => when(e, 'restore it with', (d) => `'vsg restore -t ${sh(d.table)}' recreates it from its history; 'vsg untrack ${sh(d.table)}' stops versioning it`),
  E_NO_SUCH_TAG: () => ({ hint: "'vsg tag' lists tags" }),
  E_SUBSCRIBED: (e) => ({ hint: e.hint?.replace('force tracks', '--force tracks') }),
  E_ALREADY_TRACKED: () => ({ hint: "'vsg tables' lists tracked tables" }),
  E_OTHER_TABLE: (e) => when(e, 'see the log of', (d) => `see 'vsg log -t ${sh(d.table)}'`),
  E_UNCOMMITTED: (e) =>
    when(e, 'commit them, discard them (restore)', (d) => `commit them ('vsg commit -t ${sh(d.table)}'), discard them ('vsg restore -t ${sh(d.table)}'), or use --force`) ??
    when(e, 'commit them first, or discard them', (d) => `commit them first ('vsg commit -t ${sh(d.table)}'), or discard them ('vsg restore')`) ??
    when(e, 'commit them, or throw them away', (d) => `commit them ('vsg commit -t ${sh(d.table)}'), or throw them away with --discard`) ??
    when(e, 'abort the merge, record', () => "'vsg merge --abort', record or discard them, and merge again") ??
    when(e, 'commit or restore them first', (d) => `commit them ('vsg commit -t ${sh(d.table)}') or discard them ('vsg restore -t ${sh(d.table)}') first; nothing was changed`),
  E_REF_EXISTS: (e) => when(e, 'delete the ', (d) => `delete it first with 'vsg ${d.kind} -d ${sh(d.name)}'`),
  E_NO_SUCH_BRANCH: (e) =>
    when(e, 'branchesByName() lists', () => "'vsg branch' lists which tables have each branch; nothing was changed") ??
    when(e, 'branches() lists', (d) => (d.table ? `'vsg branch -t ${sh(d.table)}' lists branches; 'vsg switch -c ${sh(d.branch)}' creates one` : "'vsg branch' lists branches")) ??
    when(e, `'`, (d) =>
      d.branch !== undefined ? `'${d.branch}' is a tag: 'vsg checkout ${sh(d.branch)}' checks it out, 'vsg switch -c <name> ${sh(d.branch)}' starts a branch there` : `'${d.name}' is a tag: 'vsg tag -d ${sh(d.name)}'`,
    ),
  E_CURRENT_BRANCH: () => ({ hint: "switch to another branch first with 'vsg switch'" }),
  E_UNMERGED: (e) => when(e, 'merge it first', (d) => `merge it first, or delete it anyway with 'vsg branch -D ${sh(d.name)}' (its commits stay reachable by id)`),
  E_UNKNOWN_REF: (e) =>
    when(e, 'log() lists', () => "see 'vsg log' for commit ids") ?? when(e, 'name a table with the table option', (d) => `to name the table, give -t ${sh(d.table)}`),
  E_MERGE_CONFLICT: (e) =>
    when(e, 'a merge across tables is not kept', () => (e.hint as string).replace("merge with strategy 'ours' or 'theirs'", 'use --strategy ours|theirs').replace('alone (table option)', 'alone with -t')) ?? {
      hint: "resolve them with 'vsg resolve' ('vsg conflicts' lists them), then 'vsg merge --continue'; or 'vsg merge --abort'",
    },
  E_MERGE_CONSTRAINT: (e) =>
    when(e, 'the merge stays in progress', () => "the merge stays in progress: 'vsg resolve' the rows involved another way and 'vsg merge --continue', or 'vsg merge --abort', change them on a branch and merge again") ??
    when(e, 'change the rows involved', () => "change the rows involved on one of the branches (or in the other table: 'vsg commit'), then merge again") ??
    when(e, 'merge the tables together', () => (e.hint as string).replace(/\(tables option: (.*)\)/, (_, names: string) => `(without -t, or ${names.split(', ').map((n) => `-t ${sh(n.slice(1, -1))}`).join(' ')})`)),
  E_CRISS_CROSS: (e) => ({ hint: e.hint?.replace('pick one as base:', 'pick one with --base:') }),
  E_NO_MERGE: () => ({ hint: "start one with 'vsg merge <branch>'" }),
  E_USAGE: (e) =>
    when(e, 'give the column with the value', (d) => `vsg resolve ${d.key === undefined ? '<key>' : sh(String(d.key))} <column> --value <text>`) ??
    when(e, 'give a statement, or leave sql out', () => "give a statement, or leave it out: 'vsg commit' alone records uncommitted changes") ??
    when(e, 'give key, or all: true', (d) =>
      d.take === 'ours' || d.take === 'theirs' ? `vsg resolve <key> --${d.take}, or vsg resolve --all --${d.take} ('vsg conflicts' lists them)` : "vsg resolve <key> [<column>] …, or --all with --ours or --theirs ('vsg conflicts' lists them)",
    ),
  E_BAD_KEY: (e) => when(e, 'name the table with the table option', (d) => `name the table with -t ${sh(d.table)}, then a key of it`),
  E_NOTHING_TO_ROLLBACK: (e) => when(e, 'undo a schema change with the opposite ALTER TABLE', () => "undo a schema change with the opposite ALTER TABLE, through 'vsg commit'"),
  E_NO_CONFLICT: () => ({ hint: "'vsg conflicts' lists them" }),
  E_MERGE_UNRESOLVED: () => ({ hint: "resolve them with 'vsg resolve <key> [<column>] --ours|--theirs|--value <text>' ('vsg conflicts' lists them)" }),
  E_MERGE_ACROSS: () => ({ hint: "continue or abort the whole merge: 'vsg merge --continue' or 'vsg merge --abort', without -t" }),
  E_MERGE_STALE: () => ({ hint: "'vsg merge --abort' and merge again" }),
  E_NO_ROW: (e) => when(e, 'rowLog()', (d) => `'vsg log -t ${sh(d.table)} --row ${sh(String(d.key))}' shows its history`),
  E_ROLLBACK_CONFLICT: (e) => ({ hint: e.hint?.replace(/use force to overwrite them$/, 'use --force to overwrite them') }),
  E_BAD_DIGEST: (e) => ({ hint: e.hint?.replace('as verify({ digest: true }) gives it', "as printed by 'vsg verify --digest'") }),
  E_KEY_CHANGED: (e) => ({ hint: e.hint?.replace('untrack it, change it, and track it again', "'vsg untrack' it, change it, and 'vsg track' it again") }),
  E_SCHEMA_UNRECORDED: (e) => when(e, 'record the change first', (d) => `record the change first with 'vsg commit -t ${sh(d.table)}'`),
  E_NO_BRANCH: (e) =>
    when(e, 'switch to an existing branch', () => "switch to an existing branch with 'vsg switch'") ??
    when(e, 'its state is unknown', () => "its state is unknown to vsg; re-create the branch with 'vsg branch' at the commit it held"),
  E_MERGE_IN_PROGRESS: () => ({ hint: "finish it with 'vsg merge --continue' or forget it with 'vsg merge --abort'" }),
  E_TX_CONTROL: (e) => when(e, 'leave transaction control to vsg', () => "leave transaction control to vsg; 'vsg status' shows any change that was committed anyway"),
  E_NOTHING_TO_COMMIT: (e) =>
    when(e, 'the statement was rolled back; name one table', () => 'the statement was rolled back; name one table with -t and use --allow-empty to record it anyway') ??
    when(e, 'the statement was rolled back', () => 'the statement was rolled back; use --allow-empty to record it anyway') ??
    when(e, 'status()', () => "'vsg status' shows uncommitted changes"),
  E_NO_REPO: (e) =>
    when(e, 'create one', () => "run 'vsg init' to create an embedded one, or set --url or VSG_DATABASE_URL") ?? { hint: "run 'vsg init' first" },
  E_SCHEMA_OLD: () => ({ hint: "run 'vsg init' to upgrade it" }),
  E_FK_VIOLATION: (e) =>
    when(e, 'write the tables of that key back together', (d) =>
      d.verb === 'checkout' && d.table !== d.referencing
        ? `check them out together ('vsg checkout ${sh(String(d.ref))} -t ${sh(d.table)} -t ${sh(d.referencing)}'), or change the referencing rows first; nothing was changed`
        : d.table !== d.referencing
        ? `restore them together ('vsg restore -t ${sh(d.table)} -t ${sh(d.referencing)}'), or change the referencing rows first; nothing was changed`
        : `the rows of '${d.table}' need rows its key references: restore them together ('-t' repeats), or change them first; nothing was changed`,
    ),
};

/** The CLI's hint when the library's hint starts so (the library may throw a code from several places). */
function when(e: VsgError, starts: string, hint: (data: Record<string, any>) => string): { hint: string } | undefined {
  if (!e.hint?.startsWith(starts)) return undefined;
  return { hint: hint((e.data ?? {}) as Record<string, any>) };
}

/** The error as the command line shows it: same code, exit code and data. */
export function cliWords(e: VsgError): VsgError {
  const w = CLI_WORDS[e.code]?.(e);
  if (!w) return e;
  const out = new VsgError(e.code, w.message ?? e.message, { exitCode: e.exitCode, hint: w.hint ?? e.hint, data: e.data, cause: e.cause });
  Object.setPrototypeOf(out, Object.getPrototypeOf(e)); // an SqlError stays one (the caret)
  return out;
}
