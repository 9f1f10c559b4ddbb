/** vsg as a library: `import { openRepository } from 'vsg'`. */
export { openRepository, Repository, type OpenOptions } from './api/repository.js';
export { ExitCode, VsgError, SqlError, ConflictError, isVsgError } from './errors.js';
export type { Db, Queryable } from './db/db.js';
export type { CommitInfo, RowChange, Image } from './engine/types.js';
export type { CommitOptions, CommitResult } from './engine/commit.js';
export type { DiffResult, DiffOptions, DiffStat } from './engine/diff.js';
export type { LogOptions, LogResult, ShowResult } from './engine/history.js';
export type { TableStatus } from './engine/status.js';
export type { TrackedTable } from './engine/tables.js';
export type { SqlResult } from './engine/sqlrun.js';
