/**
 * The log as the TUI reads it: a page at a time through the library's log
 * (its `before` cursor), never the whole history. Filters run in SQL.
 */
import type { Repository } from '../api/repository.js';
import type { CommitInfo, LogResult } from '../index.js';

/** What the log pane shows: the log's filters (`vsg log`'s options). */
export interface LogFilter {
  table?: string;
  author?: string;
  since?: string;
  until?: string;
  /** message contains (the `/` search) */
  grep?: string;
  /** every branch's commits, drawn as a graph (`vsg tui --all`) */
  all?: boolean;
}

/** The commits read so far of one log, and how to read the next page. */
export class LogPages {
  commits: CommitInfo[] = [];
  heads: LogResult['heads'] = [];
  /** where HEAD and each ref stand, when the log says (several tables, filtered): they decorate that entry alone */
  at: LogResult['at'];
  /** the whole log is read */
  done = false;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly repo: Repository,
    readonly filter: LogFilter,
    readonly pageSize = 200,
  ) {}

  /** Read the next page (one read at a time; a call while one runs waits for it). */
  more(): Promise<void> {
    if (this.done) return Promise.resolve();
    this.reading ??= this.read().finally(() => (this.reading = null));
    return this.reading;
  }

  get busy(): boolean {
    return this.reading !== null;
  }

  private async read(): Promise<void> {
    const last = this.commits[this.commits.length - 1];
    // the first page says where the refs stand (several tables): a ref of a commit the log does not list labels nothing
    const r = await this.repo.log({ ...this.filter, limit: this.pageSize, before: last?.id });
    if (!last) {
      this.heads = r.heads;
      this.at = r.at;
    }
    this.commits = [...this.commits, ...r.commits];
    if (r.commits.length < this.pageSize) this.done = true;
  }
}
