/** Plain data the operations return and renderers print (and --json prints as is). */

/** A row image or key: column name to the value's PostgreSQL text form, null for SQL NULL. */
export type Image = Record<string, string | null>;

export interface CommitInfo {
  id: string;
  shortId: string;
  table: string;
  tableId: number;
  parents: string[];
  kind: string;
  operation: string;
  author: string;
  message: string;
  /** ISO 8601 in UTC, to the microsecond */
  committedAt: string;
  statement: string | null;
  meta: Record<string, unknown> | null;
  /** rows the commit inserted, updated, deleted; null for a state commit (source set), whose change is computed when read */
  inserted: number | null;
  updated: number | null;
  deleted: number | null;
  /** for a state commit (a checkout recorded by reference): the commit whose rows it holds */
  source: string | null;
  changeHash: string;
  refs: { name: string; kind: 'branch' | 'tag' }[];
  /**
   * A commit across tables (one transaction that changed several): each
   * table's part, a commit of that table, in table order. Its id is the
   * commit's across tables; table, counts and parents are its parts'.
   */
  parts?: CommitInfo[];
  /** a part of a commit across tables: that commit's id */
  span?: string;
  /**
   * a commit whose changes `vsg prune` dropped (its header stays, author,
   * message and statement blanked): only a part of a commit across tables
   * that the prune's point cut through is ever read as one
   */
  pruned?: true;
}

/** One changed row: old is null for an insert, new is null for a delete. */
export interface RowChange {
  key: Image;
  old: Image | null;
  new: Image | null;
  /** cells forgotten (vsg forget), null in the images: per image, column → marker (equal markers, equal values); absent when none */
  forgotten?: { old?: Record<string, string>; new?: Record<string, string> };
}
