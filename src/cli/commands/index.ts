/**
 * The command table: every verb, declared once in its own file, in the order
 * `vsg --help` lists them. Adding a command is adding a file and a line here.
 */
import type { Verb } from '../verb.js';
import { blame } from './blame.js';
import { branch } from './branch.js';
import { checkout } from './checkout.js';
import { commit } from './commit.js';
import { completion } from './completion.js';
import { conflicts } from './conflicts.js';
import { demo } from './demo.js';
import { diff } from './diff.js';
import { doctor } from './doctor.js';
import { exportVerb } from './export.js';
import { forget } from './forget.js';
import { init } from './init.js';
import { log } from './log.js';
import { merge } from './merge.js';
import { prune } from './prune.js';
import { resolve } from './resolve.js';
import { restore } from './restore.js';
import { rollback } from './rollback.js';
import { show } from './show.js';
import { sql } from './sql.js';
import { status } from './status.js';
import { switchVerb } from './switch.js';
import { tables } from './tables.js';
import { tag } from './tag.js';
import { track, untrack } from './track.js';
import { tui } from './tui.js';
import { verify } from './verify.js';

export const VERBS: readonly Verb[] = [
  blame, branch, checkout, commit, completion, conflicts, demo, diff, doctor, exportVerb, forget, init, log, merge,
  prune, resolve, restore, rollback, show, sql, status, switchVerb, tables, tag, track, tui, untrack, verify,
];
