/** Verify, like `git fsck`: the check itself is the core's (src/core/verify.ts), which doctor runs too. */
import type { Db } from '../db/db.js';
import { ExitCode, VsgError } from '../errors.js';
import { verifyHistory, type VerifyOptions, type VerifyResult } from '../core/verify.js';

/** Verify the whole repository, or one table's history. */
export function verify(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyHistory(db, opts);
}

/** The verdict as one error, for callers that want verify to throw. */
export function verifyError(r: VerifyResult): VsgError {
  const p = r.firstBad?.problems[0] ?? r.problems[0];
  const what = p.commit ? `commit ${p.commit.slice(0, 7)} of '${p.table}'` : p.ref ? `ref '${p.ref}' of '${p.table}'` : `'${p.table}'`;
  return new VsgError('E_VERIFY', `verify failed: ${what}: ${p.message}`, { exitCode: ExitCode.no, data: r });
}
