/**
 * Shared by the crash and race suites: a named scenario table with a
 * 'feature' branch, and one snapshot of everything an interrupted operation
 * could leave half-done (rows, commits, refs, pending changes, merge state).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Repository } from '../../src/index.js';
import type { Target } from './targets.js';

/** A row of a scenario table. */
export interface Row {
  id: number;
  a: string | null;
  b: number | null;
}

/** The rows a scenario table starts with: (id, a, b) = (1..5, 'x<id>', id). */
export const baseRows = (): Row[] => [1, 2, 3, 4, 5].map((i) => ({ id: i, a: `x${i}`, b: i }));

/**
 * A table `name` (id, a, b) holding baseRows(), tracked, with branch 'feature'
 * from the root; `theirs` is committed on feature, `ours` on main (one commit
 * per statement, NAME standing for the table); the live table is left on main.
 * With `pause`, every statement writing the table passes the Pause point.
 */
export async function scenario(repo: Repository, name: string, ours: string[] = [], theirs: string[] = [], pause = false): Promise<void> {
  const fill = (s: string) => s.split('NAME').join(name);
  await repo.sql(`CREATE TABLE ${name} (id int PRIMARY KEY, a text, b int)`);
  // a pause point in every statement writing the table (inactive until armed)
  if (pause) await repo.sql(Pause.trigger(name));
  await repo.sql(`INSERT INTO ${name} SELECT g, 'x' || g, g FROM generate_series(1, 5) g`);
  await repo.track(name, { author: 'setup' });
  await repo.createBranch({ table: name, name: 'feature' });
  if (theirs.length) {
    await repo.switch({ table: name, branch: 'feature' });
    for (const s of theirs) await repo.commit({ table: name, sql: fill(s), author: 'setup' });
    await repo.switch({ table: name, branch: 'main' });
  }
  for (const s of ours) await repo.commit({ table: name, sql: fill(s), author: 'setup' });
}

export interface TableState {
  /** the live rows in key order */
  rows: Row[];
  /** the branch the table follows */
  head: string;
  /** the commit that branch points at */
  headCommit: string;
  /** every commit of the table, oldest first */
  commits: string[];
  /** name:commit of every ref of the table */
  refs: string;
  /** uncommitted changes captured for the table */
  pending: number;
  /** the merge in progress (without its start time), null when none */
  merge: string | null;
  /** its conflicts with their resolutions */
  conflicts: string | null;
}

/** One statement (PGlite pays an open per call): the whole state of table $1. */
export const STATE_SQL = (name: string) => `
SELECT (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]')::text FROM ${name} x) AS rows,
       t.head,
       (SELECT r.commit_id FROM vsg.refs r WHERE r.table_id = t.id AND r.name = t.head) AS head_commit,
       (SELECT coalesce(string_agg(c.id, ',' ORDER BY c.seq), '') FROM vsg.commits c WHERE c.table_id = t.id) AS commits,
       (SELECT string_agg(format('%s:%s', r.name, r.commit_id), ',' ORDER BY r.name) FROM vsg.refs r WHERE r.table_id = t.id) AS refs,
       (SELECT count(*)::int FROM vsg.pending p WHERE p.table_id = t.id) AS pending,
       (SELECT (to_jsonb(m) - 'started_at')::text FROM vsg.merges m WHERE m.table_id = t.id) AS merge,
       (SELECT jsonb_agg(to_jsonb(mc) - 'seq' ORDER BY mc.key, mc.col)::text FROM vsg.merge_conflicts mc WHERE mc.table_id = t.id) AS conflicts
FROM vsg.tracked t WHERE t.table_name = '${name}'`;

type SqlFn = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** The state of scenario table `name` (a plain lowercase name), read through `sql`. */
export async function tableState(sql: SqlFn, name: string): Promise<TableState> {
  const { rows } = await sql(STATE_SQL(name));
  const r = rows[0] as Record<string, string | number | null>;
  return {
    rows: JSON.parse(String(r.rows)) as Row[],
    head: String(r.head),
    headCommit: String(r.head_commit),
    commits: String(r.commits).split(',').filter(Boolean),
    refs: String(r.refs),
    pending: Number(r.pending),
    merge: (r.merge as string | null) ?? null,
    conflicts: (r.conflicts as string | null) ?? null,
  };
}

/**
 * A pause point for crash and race tests: `public.hold_now()`, called from a
 * test trigger (`public.hold()`) or from the user's SQL, blocks the calling
 * transaction while the pause is armed, and the test can see it waiting.
 *
 * - server: hold_now() takes an advisory lock that the test's own session holds
 *   while armed; a session waiting on it shows in pg_stat_activity.
 * - PGlite (inside the vsg process, so nothing else can look in): hold_now()
 *   writes a marker file into the data directory (server-side COPY) and then
 *   sleeps while a gate file there exists.
 */
export class Pause {
  private constructor(
    private readonly t: Target,
    private readonly key: number,
  ) {}

  private file(name: string): string {
    return path.join(this.t.cwd, '.vsg', 'pgdata', name);
  }

  /** Create public.hold_now() (pauses where it is called) and the trigger function public.hold() calling it. */
  static async install(t: Target, key: number): Promise<Pause> {
    await t.sql(
      t.name === 'postgres'
        ? `CREATE FUNCTION public.hold_now() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock(${key}); END $$`
        : `CREATE FUNCTION public.hold_now() RETURNS void LANGUAGE plpgsql AS $$
           DECLARE dir text := current_setting('data_directory');
           BEGIN
             EXECUTE format('COPY (SELECT 1) TO %L', dir || '/vsg-test-paused');
             WHILE (pg_stat_file(dir || '/vsg-test-gate', true)).size IS NOT NULL LOOP PERFORM pg_sleep(0.05); END LOOP;
           END $$`,
    );
    await t.sql(`CREATE FUNCTION public.hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hold_now(); RETURN NULL; END $$`);
    return new Pause(t, key);
  }

  /** SQL that pauses where it runs (in the user's statement of a commit). */
  readonly sql = 'SELECT public.hold_now()';

  /** From now on hold_now() blocks. Call while no vsg process runs. */
  async arm(): Promise<void> {
    if (this.t.name === 'postgres') await this.t.sql('SELECT pg_advisory_lock($1)', [this.key]);
    else {
      fs.rmSync(this.file('vsg-test-paused'), { force: true });
      fs.writeFileSync(this.file('vsg-test-gate'), '');
    }
  }

  /** Some transaction is blocked in hold_now(). */
  async reached(): Promise<boolean> {
    if (this.t.name === 'pglite') return fs.existsSync(this.file('vsg-test-paused'));
    const r = await this.t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event = 'advisory'`);
    return Number(r.rows[0].n) > 0;
  }

  /** Let every blocked transaction go on (or, once its process was killed, end). */
  async release(): Promise<void> {
    if (this.t.name === 'postgres') await this.t.sql('SELECT pg_advisory_unlock($1)', [this.key]);
    // The marker stays: the paused process may write it again, and PGlite's
    // file system would not see it removed behind its back (arm() removes it
    // while no vsg process runs).
    else fs.rmSync(this.file('vsg-test-gate'), { force: true });
  }

  /**
   * Wait (up to 30 s) until `child`, a vsg process, is blocked in hold_now(),
   * SIGKILL it, let the pause go and, on the server, wait until its backend
   * is gone (its transaction rolled back). False when it never got there.
   */
  async killWhenReached(child: ChildProcess): Promise<boolean> {
    const exited = new Promise((res) => child.on('exit', res));
    let reached = false;
    for (let i = 0; i < 600 && !reached; i++) {
      reached = await this.reached();
      if (!reached) await new Promise((res) => setTimeout(res, 50));
    }
    child.kill('SIGKILL');
    await exited;
    await this.release();
    if (this.t.name === 'postgres') {
      for (let i = 0; i < 100; i++) {
        const r = await this.t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
        if (r.rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    return reached;
  }

  /** SQL creating the trigger that, once armed, pauses every statement writing `on` (a table, or one of vsg's own). */
  static trigger(on: string, events = 'INSERT OR UPDATE OR DELETE'): string {
    // zz_: fires after vsg's capture triggers (AFTER triggers fire in name order)
    return `CREATE TRIGGER zz_hold AFTER ${events} ON ${on} FOR EACH STATEMENT EXECUTE FUNCTION public.hold()`;
  }

  async at(on: string, events?: string): Promise<void> {
    await this.t.sql(Pause.trigger(on, events));
  }

  async remove(on: string): Promise<void> {
    await this.t.sql(`DROP TRIGGER IF EXISTS zz_hold ON ${on}`);
  }
}

/** Poll `cond` every 25 ms until it holds (true) or `stop` says to give up (false). */
export async function until(cond: () => Promise<boolean>, stop: () => boolean): Promise<boolean> {
  for (;;) {
    if (await cond()) return true;
    if (stop()) return false;
    await new Promise((res) => setTimeout(res, 25));
  }
}
