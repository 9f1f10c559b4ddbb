/**
 * Data and the reference designs, built set-based in SQL.
 *  - items        tracked by vsg
 *  - items_floor  the same rows, no history at all (the floor)
 *  - items_audit  a row-level audit trigger: one audit_log row per changed row, to_jsonb(OLD)/to_jsonb(NEW)
 *  - items_snap   the snapshot design: every commit stores the whole table as jsonb in snap_history
 */
import { progress } from './harness.mjs';

export const TABLES = { vsg: 'items', floor: 'items_floor', audit: 'items_audit', snapshot: 'items_snap' };

/** Rows of `name`, generated: ~100 bytes each. */
export function generateSql(name, n) {
  return `CREATE TABLE ${name} (id bigint PRIMARY KEY, a int NOT NULL, b text NOT NULL, c numeric(12,2), d timestamptz NOT NULL);
INSERT INTO ${name} SELECT i, i % 1000, md5(i::text), (i % 100000) / 100.0, timestamptz '2026-01-01' + i * interval '1 second'
FROM generate_series(1, ${Number(n)}) AS i;`;
}

export const AUDIT_DDL = `
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY, table_name text NOT NULL, op text NOT NULL,
  txid bigint NOT NULL DEFAULT txid_current(), at timestamptz NOT NULL DEFAULT now(),
  old_row jsonb, new_row jsonb);
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (table_name, op, old_row, new_row)
  VALUES (TG_TABLE_NAME, TG_OP,
          CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
          CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
  RETURN NULL;
END $$;`;

export function auditTrigger(table) {
  return `CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_row();`;
}

export const SNAP_DDL = `CREATE TABLE snap_history (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), message text, data jsonb NOT NULL);`;

/** The snapshot design's commit: the statement, then the whole table into history, in one transaction. */
export function snapshotCommitSql(statement, table = TABLES.snapshot) {
  return `BEGIN; ${statement}; INSERT INTO snap_history (message, data) SELECT 'bench', jsonb_agg(to_jsonb(t) ORDER BY t.id) FROM ${table} t; COMMIT;`;
}

/** Whether the snapshot design is run at this size (one 10M-row snapshot is ~0.6 GB of jsonb, over PostgreSQL's 255 MB jsonb limit). */
export function snapshotFeasible(size) {
  return size <= 1_000_000;
}

/** Build the four tables of one size, then track `items` with vsg. */
export async function setupSize(ctx) {
  const { client: c, size, repo } = ctx;
  progress(`${size} rows: generating data`);
  await c.query(generateSql(TABLES.vsg, size));
  for (const t of [TABLES.floor, TABLES.audit, TABLES.snapshot]) {
    await c.query(`CREATE TABLE ${t} (LIKE items INCLUDING ALL); INSERT INTO ${t} SELECT * FROM items;`);
  }
  await c.query(AUDIT_DDL + auditTrigger(TABLES.audit));
  await c.query(SNAP_DDL);
  if (snapshotFeasible(size)) {
    progress(`${size} rows: snapshot design's first snapshot`);
    await c.query(snapshotCommitSql('SELECT 1'));
  }
  progress(`${size} rows: vsg track items`);
  const s = performance.now();
  await repo.track('items', { author: 'bench' });
  ctx.trackMs = performance.now() - s;
  await c.query('VACUUM ANALYZE');
}

/** A key range start that leaves room for `width` rows. */
export function pickKey(size, width, i) {
  // deterministic, spread over the table, different each repetition
  const span = Math.max(1, size - width);
  return 1 + ((i * 7919 * 104729) % span);
}
