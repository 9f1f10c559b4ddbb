/**
 * Doctor, like `git fsck` plus a health check: can we connect, which server,
 * is vsg's schema current, does every tracked table still exist with its
 * capture triggers present AND enabled (a disabled trigger silently stops
 * recording), how much is uncommitted, and is the chain intact (verify).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/db.js';
import { shellQuote } from '../db/quote.js';
import { packageRoot, sql } from '../db/sql.js';
import { gather } from '../core/gather.js';
import { onShards } from '../core/citus.js';
import { latestSchemaVersion, schemaVersion } from '../core/repository.js';
import { unrecordedSchemaChange } from '../core/schema.js';
import { displayName, tableById } from '../core/tables.js';
import { verifyHistory } from '../core/verify.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: 'connection' | 'server' | 'standby' | 'pooler' | 'schema' | 'table' | 'triggers' | 'branch' | 'key' | 'uncommitted' | 'subscription' | 'citus' | 'graph' | 'chain';
  status: CheckStatus;
  table?: string;
  message: string;
  hint?: string;
  data?: unknown;
}

export interface DoctorResult {
  ok: boolean;
  checks: Check[];
}

/** The capture triggers every tracked table must have (vsg.install_capture, sql/functions/install_capture.sql). */
export const CAPTURE_TRIGGERS = ['vsg_capture_delete', 'vsg_capture_insert', 'vsg_capture_truncate', 'vsg_capture_update'];

/** pg_trigger.tgenabled values that fire in an ordinary session ('D' disabled, 'R' replica only). */
const FIRES = new Set(['O', 'A']);

interface TableRow {
  id: string;
  schema_name: string;
  table_name: string;
  nspname: string | null;
  relname: string | null;
  head: string;
  key_columns: string;
  triggers: string;
  head_ok: string;
  pk: string | null;
}

/** Run every check; never throws for a failed check (only for a lost connection). */
export async function doctor(db: Db): Promise<DoctorResult> {
  const checks: Check[] = [{ name: 'connection', status: 'ok', message: `${db.kind === 'pglite' ? 'embedded' : 'server'}: ${db.where}` }];
  const v = await db.query<{ version: string; num: string }>(sql('doctor/server_version'));
  const num = Number(v.rows[0].num);
  checks.push({
    name: 'server',
    status: num >= 130000 ? 'ok' : 'fail',
    message: `PostgreSQL ${v.rows[0].version}`,
    ...(num >= 130000 ? {} : { hint: 'vsg needs PostgreSQL 13 or newer' }),
  });
  if (db.server?.standby) {
    checks.push({ name: 'standby', status: 'ok', message: 'a hot standby (pg_is_in_recovery()): vsg reads here, write commands are refused' });
  }
  if (db.server?.pooled) {
    checks.push({ name: 'pooler', status: 'ok', message: "behind a connection pooler: vsg's settings are set per transaction, no statement is prepared" });
  }
  const have = await schemaVersion(db);
  const latest = latestSchemaVersion();
  if (have === null || have === 0) {
    checks.push({ name: 'schema', status: 'fail', message: 'no vsg repository in this database', hint: "run 'vsg init'" });
    return finish(checks);
  }
  checks.push(
    have === latest
      ? { name: 'schema', status: 'ok', message: `version ${have} (latest)` }
      : have < latest
        ? { name: 'schema', status: 'fail', message: `version ${have}, this vsg needs ${latest}`, hint: "run 'vsg init' to upgrade it" }
        : { name: 'schema', status: 'fail', message: `version ${have}, newer than this vsg knows (${latest})`, hint: 'upgrade vsg' },
  );
  if (have !== latest) return finish(checks);
  const missing = await missingMigrations(db);
  if (missing.length) {
    const last = checks[checks.length - 1];
    Object.assign(last, { status: 'fail', message: `version ${have}, but migration${missing.length === 1 ? '' : 's'} ${missing.join(', ')} never applied`, hint: "run 'vsg init' to apply them" });
    return finish(checks);
  }

  // what was captured on Citus shards counts as uncommitted (src/core/gather.ts); a pending
  // table that cannot be read is reported, not thrown
  await gather(db).catch((e: unknown) =>
    checks.push({
      name: 'citus',
      status: 'fail',
      message: `cannot read the changes captured on the shards of distributed tables: ${(e as Error).message}`,
      hint: 'the pending tables of distributed tables (vsg.pending_<id>) are vsg\'s own: put back what was changed in them',
    }),
  );
  const { rows } = await db.query<TableRow>(sql('verify/tables'));
  for (const r of rows) {
    const table = r.relname === null ? displayName(r.schema_name, r.table_name) : displayName(String(r.nspname), r.relname);
    if (r.relname === null) {
      checks.push({
        name: 'table',
        // Its history still reads (src/core/dropped.ts), but a tracked table is missing and
        // nothing captures its writes: the user must act, so the check fails (exit 1).
        status: 'fail',
        table,
        message: 'dropped; its history is kept, writes to it are refused',
        hint: `'vsg restore -t ${shellQuote(table)}' recreates it from its history; 'vsg untrack ${shellQuote(table)}' stops versioning it and keeps its history`,
        data: { id: Number(r.id), dropped: true },
      });
      continue;
    }
    const triggers = JSON.parse(r.triggers) as { name: string; enabled: string }[];
    const missing = CAPTURE_TRIGGERS.filter((n) => !triggers.some((t) => t.name === n));
    const disabled = triggers.filter((t) => CAPTURE_TRIGGERS.includes(t.name) && !FIRES.has(t.enabled)).map((t) => t.name);
    if (missing.length || disabled.length) {
      const what = [missing.length ? `missing: ${missing.join(', ')}` : '', disabled.length ? `disabled: ${disabled.join(', ')}` : ''].filter(Boolean).join('; ');
      checks.push({
        name: 'triggers',
        status: 'fail',
        table,
        message: `capture triggers ${what}; changes to the table are not being recorded`,
        hint: disabled.length
          ? `${disabled.map((n) => `ALTER TABLE ${table} ENABLE TRIGGER ${n};`).join(' ')} changes made meanwhile were not recorded`
          : 'untrack and track the table again',
        data: { missing, disabled },
      });
    } else {
      checks.push({ name: 'triggers', status: 'ok', table, message: `${CAPTURE_TRIGGERS.length} capture triggers present and enabled` });
    }
    if (r.head_ok !== 'true') {
      checks.push({ name: 'branch', status: 'fail', table, message: `HEAD follows branch '${r.head}', which does not exist`, hint: "switch to an existing branch with 'vsg switch'" });
    }
    if (r.pk !== r.key_columns) {
      checks.push({
        name: 'key',
        status: 'fail',
        table,
        message: `primary key is now ${r.pk ?? '(none)'}, history is keyed by ${r.key_columns}`,
        hint: 'restore the primary key vsg tracks rows by',
      });
    }
    const schema = await unrecordedSchemaChange(db, await tableById(db, Number(r.id)));
    if (schema.length) {
      checks.push({
        name: 'schema',
        status: 'warn',
        table,
        message: `columns changed outside vsg: ${schema.join('; ')}`,
        hint: `'vsg commit -t ${shellQuote(table)}' records the change as a SCHEMA commit`,
      });
    }
    const p = await db.query<{ inserted: string; updated: string; deleted: string }>(sql('status/pending'), [r.id]);
    const [ins, upd, del] = [Number(p.rows[0].inserted), Number(p.rows[0].updated), Number(p.rows[0].deleted)];
    checks.push(
      ins + upd + del === 0
        ? { name: 'uncommitted', status: 'ok', table, message: 'none' }
        : {
            name: 'uncommitted',
            status: 'warn',
            table,
            message: `${ins} inserted, ${upd} updated, ${del} deleted`,
            hint: `'vsg commit -t ${shellQuote(table)}' records them, 'vsg diff -t ${shellQuote(table)}' shows them`,
            data: { inserted: ins, updated: upd, deleted: del },
          },
    );
  }
  if (rows.length === 0) checks.push({ name: 'table', status: 'ok', message: 'no table is tracked yet' });
  checks.push(...(await deploymentChecks(db)));

  // Commits the graph index lacks (recorded while triggers were off) would be
  // missing from row histories and blame.
  const g = await db.query<{ n: string }>(sql('doctor/commits_outside_graph'));
  const unindexed = Number(g.rows[0].n);
  checks.push(
    unindexed === 0
      ? { name: 'graph', status: 'ok', message: 'every commit is in the commit graph' }
      : {
          name: 'graph',
          status: 'fail',
          message: `${unindexed} commit${unindexed === 1 ? ' is' : 's are'} missing from the commit graph: row histories and blame skip them`,
          hint: `vsg sql 'SELECT vsg.commit_graph_fill()' adds them`,
          data: { missing: unindexed },
        },
  );

  const ver = await verifyHistory(db);
  if (ver.ok) {
    checks.push({ name: 'chain', status: 'ok', message: `${ver.commits} commit${ver.commits === 1 ? '' : 's'}, ${ver.refs} ref${ver.refs === 1 ? '' : 's'} verified` });
  } else {
    const first = ver.firstBad?.problems[0] ?? ver.problems[0];
    checks.push({
      name: 'chain',
      status: 'fail',
      table: first.table,
      message: `${ver.problems.length} problem${ver.problems.length === 1 ? '' : 's'}; first: ${first.commit ? `commit ${first.commit.slice(0, 12)}` : first.ref ? `ref '${first.ref}'` : first.table}: ${first.message}`,
      hint: "'vsg verify' lists them all",
      data: { firstBad: ver.firstBad, problems: ver.problems.length },
    });
  }
  return finish(checks);
}

/**
 * Tracked tables a subscription writes into (their replicated rows go
 * unrecorded), and, where the citus extension is installed, every Citus
 * table's state: a tracked one fails (its triggers may fail writes on the
 * workers), an untracked one is reported as not captured.
 */
async function deploymentChecks(db: Db): Promise<Check[]> {
  const checks: Check[] = [];
  const { rows } = await db.query<{ subscribed: string; citus: string | boolean; tracked: string }>(sql('doctor/deployment'));
  for (const t of JSON.parse(rows[0].subscribed) as { schema: string; table: string; subscriptions: string[] }[]) {
    checks.push({
      name: 'subscription',
      status: 'warn',
      table: displayName(t.schema, t.table),
      message: `subscription ${t.subscriptions.join(', ')} replicates into it: replicated rows fire no statement trigger, vsg records only local writes`,
      hint: 'track the table on the publisher to version the replicated rows',
      data: { subscriptions: t.subscriptions },
    });
  }
  if (rows[0].citus !== true && rows[0].citus !== 't') return checks;
  const tracked = new Set(JSON.parse(rows[0].tracked) as string[]);
  const citus = await db.query<CitusRow>(sql('track/citus_table'), [null]);
  for (const c of citus.rows) {
    const shards = c.pending !== null && tracked.has(c.relid) ? await shardTriggers(db, c.relid) : undefined;
    checks.push(citusCheck(displayName(c.nspname, c.relname), c, tracked.has(c.relid), shards));
  }
  if (!citus.rows.length) checks.push({ name: 'citus', status: 'ok', message: 'citus is installed; no Citus table in this database' });
  return checks;
}

/**
 * A Citus table's state: a reference table is versioned on its placement on
 * this node (its capture triggers there are checked with every tracked
 * table's); tracked, it fails when Citus moved or dropped that placement
 * (nothing captures its writes). Any other Citus table tracked fails: its
 * triggers may fail writes on the workers.
 */
function citusCheck(table: string, c: CitusRow, tracked: boolean, shards?: { shards: number; captured: number }): Check {
  const data = { kind: c.kind, tracked, ...(c.kind === 'reference' ? { placement: c.placement } : {}), ...(shards ? { pending: c.pending, ...shards } : {}) };
  if (!tracked) {
    const how =
      c.kind === 'reference'
        ? c.placement === null
          ? 'it has no placement on this node, where vsg would capture it'
          : "'vsg track' versions it"
        : onShards(c)
          ? "'vsg track' versions it on its shards"
          : 'vsg does not capture it';
    return { name: 'citus', status: 'ok', table, message: `a Citus ${c.kind} table, not tracked (${how})`, data };
  }
  if (c.kind === 'reference' && c.placement !== null) {
    return { name: 'citus', status: 'ok', table, message: `a Citus reference table, captured on its placement ${c.placement} on this node`, data };
  }
  if (shards && shards.captured === shards.shards) {
    return { name: 'citus', status: 'ok', table, message: `a Citus distributed table, captured on its ${shards.shards} shards into ${c.pending}`, data };
  }
  if (shards) {
    return {
      name: 'citus',
      status: 'fail',
      table,
      message: `a Citus distributed table with vsg's capture triggers on ${shards.captured} of its ${shards.shards} shards: writes to the others are not being captured`,
      hint: `'vsg untrack ${shellQuote(table)}' and track it again`,
      data,
    };
  }
  if (c.kind === 'reference') {
    return {
      name: 'citus',
      status: 'fail',
      table,
      message: 'a Citus reference table with no placement on this node any more: its writes are not being captured',
      hint: `put this node back in Citus's metadata (citus_set_coordinator_host), then 'vsg untrack ${shellQuote(table)}' and track it again`,
      data,
    };
  }
  return {
    name: 'citus',
    status: 'fail',
    table,
    message: `a Citus ${c.kind} table with vsg's capture triggers: writes to it may fail on the workers`,
    hint: `'vsg untrack ${shellQuote(table)}' removes them`,
    data,
  };
}

/** A Citus table as sql/track/citus_table.sql reads it. */
interface CitusRow {
  relid: string;
  nspname: string;
  relname: string;
  kind: string;
  placement: string | null;
  method: string;
  pending: string | null;
}

/** How many shards of a distributed table carry vsg's three row-change capture triggers, asked of every shard's node (sql/doctor/shard_triggers.sql). */
async function shardTriggers(db: Db, relid: string): Promise<{ shards: number; captured: number }> {
  const { rows } = await db.query<{ shards: string; captured: string }>(sql('doctor/shard_triggers'), [relid]);
  return { shards: Number(rows[0].shards), captured: Number(rows[0].captured) };
}

/** Migrations this vsg has that the database never applied (a gap below its highest version). */
async function missingMigrations(db: Db): Promise<string[]> {
  const files = fs.readdirSync(path.join(packageRoot, 'sql', 'migrations')).filter((f) => /^\d{3}_.*\.sql$/.test(f));
  const { rows } = await db.query<{ version: string }>(sql('doctor/migrations_applied'));
  const done = new Set(rows.map((r) => Number(r.version)));
  return files.filter((f) => !done.has(Number.parseInt(f.slice(0, 3), 10))).sort();
}

function finish(checks: Check[]): DoctorResult {
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
