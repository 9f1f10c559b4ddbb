/**
 * vsg verify and vsg doctor through bin/vsg: tampering of every kind is found
 * and the oldest bad commit named; a digest catches a rewrite whose hashes were
 * all recomputed, and a truncation; doctor sees disabled and missing triggers.
 * Each scenario tampers with its own table, checked with -t. Where a scenario
 * first needs a table to verify clean (before it tampers, or a tamper that
 * fools verify alone), the library says so, as `vsg verify` reports it; what
 * the CLI prints and exits for a bad chain is asserted on bin/vsg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

/**
 * Recompute every commit's change_hash and id in seq order, as a superuser
 * could after editing history: by its hash scheme (docs/integrity.md), for
 * scheme 2 each row's hash first.
 */
export const REHASH = `
DO $$
DECLARE s bigint; c record; h text; nid text;
BEGIN
  FOR s IN SELECT seq FROM vsg.commits ORDER BY seq LOOP
    SELECT * INTO c FROM vsg.commits WHERE seq = s;
    IF c.hash_scheme = 2 THEN
      UPDATE vsg.changes SET row_hash = vsg.row_hash(salt, table_id, key, before, after) WHERE seq = c.seq;
      SELECT vsg.change_set_hash(string_agg(vsg.table_entry(t.table_id, t.hash), ''::bytea ORDER BY t.table_id)) INTO h
      FROM (SELECT table_id, vsg.table_hash(string_agg(row_hash, ''::bytea ORDER BY key::text COLLATE "C")) AS hash
            FROM vsg.changes WHERE seq = c.seq GROUP BY table_id) t;
    ELSE
      SELECT encode(sha256(coalesce(string_agg(vsg.change_digest(key, before, after), ''::bytea ORDER BY key::text COLLATE "C"), ''::bytea)), 'hex')
        INTO h FROM vsg.changes WHERE seq = c.seq;
    END IF;
    nid := vsg.commit_hash(c.parent, c.merge_parent, c.table_id, c.kind, c.operation, c.author, c.message, c.committed_at, c.statement, c.meta, h);
    IF nid <> c.id THEN
      UPDATE vsg.commits SET id = nid, change_hash = h WHERE id = c.id;
      UPDATE vsg.commits SET parent = nid WHERE parent = c.id;
      UPDATE vsg.commits SET merge_parent = nid WHERE merge_parent = c.id;
      UPDATE vsg.refs SET commit_id = nid WHERE commit_id = c.id;
    END IF;
  END LOOP;
END $$`;

const TABLES = ['clean', 'edited', 'meta', 'deleted', 'dangling', 'rewritten', 'truncated', 'notrig', 'rowsalt', 'rowhash', 'scheme', 'blanked', 'twice', 'rooted'];

interface Hist {
  table: string;
  ids: string[];
}

describe.each(targetNames())('verify and doctor on %s', { timeout: 150_000 }, (name) => {
  let t: Target;
  const hist: Record<string, Hist> = {};

  /** The table's commit ids, oldest first. */
  async function ids(table: string): Promise<string[]> {
    const r = await t.sql(`SELECT c.id FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id WHERE t.table_name = $1 ORDER BY c.seq`, [table]);
    return r.rows.map((x: { id: string }) => x.id);
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    for (const table of TABLES) {
      await repo.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, v text, n numeric)`);
      await repo.sql(`INSERT INTO ${table} VALUES (1, 'a', 1.50), (2, 'b', NULL)`);
      await repo.track(table, { author: 'ann' });
      await repo.commit({ table, author: 'ann', message: 'one', sql: `UPDATE ${table} SET v = 'a2' WHERE id = 1` });
      await repo.commit({ table, author: 'bob', message: 'two', sql: `INSERT INTO ${table} VALUES (3, '', 3)` });
      await repo.commit({ table, author: 'ann', message: 'three', sql: `DELETE FROM ${table} WHERE id = 2` });
    }
    await repo.close();
    for (const table of TABLES) {
      hist[table] = { table, ids: await ids(table) };
    }
  });
  afterAll(() => t.cleanup());
  /** whether the table's chain verifies (exit 0 from `vsg verify -t table`) */
  const verifies = (table: string) => withRepo(t, async (repo) => (await repo.verify({ table })).ok);

  it('passes an intact history and doctor passes every check', async () => {
    const r = JSON.parse(await vsgOk(t, ['verify', '--json']));
    expect(r).toMatchObject({ ok: true, scope: 'all', tables: TABLES.length, commits: 4 * TABLES.length, refs: TABLES.length, firstBad: null, problems: [] });
    const d = JSON.parse(await vsgOk(t, ['doctor', '--json']));
    expect(d.ok).toBe(true);
    expect(d.checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['connection', 'server', 'schema', 'triggers', 'uncommitted', 'chain']));
    expect(d.checks.filter((c: { status: string }) => c.status !== 'ok')).toEqual([]);
  });

  it('names the commit whose change row was edited (row_hash: its values no longer hash to it) and exits 1', async () => {
    const [, c1] = hist.edited.ids;
    const stored = (await t.sql(`SELECT encode(row_hash, 'hex') AS h FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [c1])).rows[0].h;
    await t.sql(`UPDATE vsg.changes SET after = jsonb_set(after, '{v}', '"evil"') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [c1]);
    const r = await vsg(t, ['verify', '-t', 'edited', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.firstBad).toMatchObject({ commit: c1, table: 'edited' });
    // The commit's change_hash is built from the stored row hashes, which still hold.
    expect(out.problems).toEqual([expect.objectContaining({ code: 'row_hash', commit: c1, actual: `{"id": "1"} ${stored}` })]);
    const text = await vsg(t, ['verify', '-t', 'edited']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`first bad commit: ${c1}`);
    expect(text.stdout).toMatch(/row_hash: commit [0-9a-f]{12} \(edited, #\d+\): a change row's salt and values do not hash to its row_hash/);
    expect(text.stdout).toContain(`stored:     {"id": "1"} ${stored}`);
  });

  it("names the commit whose change row's salt was edited (row_hash)", async () => {
    const [, , c2] = hist.rowsalt.ids;
    await t.sql(`UPDATE vsg.changes SET salt = '\\x00000000000000000000000000000000' WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [c2]);
    const r = await vsg(t, ['verify', '-t', 'rowsalt', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.firstBad).toMatchObject({ commit: c2, table: 'rowsalt' });
    expect(out.problems.map((p: { code: string }) => p.code)).toEqual(['row_hash']);
  });

  it("names the commit whose change row's row_hash was edited (row_hash and change_hash)", async () => {
    const [, , , c3] = hist.rowhash.ids;
    await t.sql(`UPDATE vsg.changes SET row_hash = sha256('forged') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [c3]);
    const r = await vsg(t, ['verify', '-t', 'rowhash', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.firstBad).toMatchObject({ commit: c3, table: 'rowhash' });
    expect(out.problems.map((p: { code: string }) => p.code)).toEqual(['change_hash', 'row_hash']);
  });

  it('names the commit whose hash scheme was changed (change_hash)', async () => {
    const [, c1] = hist.scheme.ids;
    await t.sql(`UPDATE vsg.commits SET hash_scheme = 1 WHERE id = $1`, [c1]);
    const out = JSON.parse((await vsg(t, ['verify', '-t', 'scheme', '--json'])).stdout);
    expect(out.firstBad).toMatchObject({ commit: c1, table: 'scheme' });
    expect(out.problems.map((p: { code: string }) => p.code)).toEqual(['change_hash']);
  });

  it('still verifies a history whose change rows had their values and salt blanked, their row hashes kept', async () => {
    const [c0, , c2, c3] = hist.blanked.ids;
    // What a `vsg forget` leaves: the key and the row's hash; no values, no salt.
    // An insert, a delete and two rows of the root.
    await t.sql(`UPDATE vsg.changes SET before = NULL, after = NULL, salt = NULL WHERE seq IN (SELECT seq FROM vsg.commits WHERE id IN ($1, $2, $3))`, [c0, c2, c3]);
    expect((await t.sql(`SELECT count(*)::text AS n FROM vsg.changes WHERE seq IN (SELECT seq FROM vsg.commits WHERE id IN ($1, $2, $3)) AND salt IS NULL AND row_hash IS NOT NULL`, [c0, c2, c3])).rows[0].n).toBe('4');
    const r = await vsg(t, ['verify', '-t', 'blanked', '--json']);
    expect([r.code, JSON.parse(r.stdout).problems]).toEqual([0, []]);
    // The kept hash still binds: a blanked row whose hash is then changed is caught.
    await t.sql(`UPDATE vsg.changes SET row_hash = sha256('forged') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [c2]);
    const bad = await vsg(t, ['verify', '-t', 'blanked', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).problems.map((p: { code: string; commit: string }) => [p.code, p.commit])).toEqual([['change_hash', c2]]);
  });

  it('gives two commits that make the identical change different row hashes (random salts)', async () => {
    const repo = await t.open();
    try {
      for (const v of ['same', 'a2', 'same']) await repo.commit({ table: 'twice', author: 'ann', sql: `UPDATE twice SET v = '${v}' WHERE id = 1` });
    } finally {
      await repo.close();
    }
    const rows = (
      await t.sql(
        `SELECT x.key::text, x.before::text, x.after::text, encode(x.salt, 'hex') AS salt, encode(x.row_hash, 'hex') AS hash
         FROM vsg.changes x JOIN vsg.commits c ON c.seq = x.seq JOIN vsg.tracked t ON t.id = c.table_id
         WHERE t.table_name = 'twice' AND x.after->>'v' = 'same' ORDER BY c.seq`,
      )
    ).rows as { key: string; before: string; after: string; salt: string; hash: string }[];
    expect(rows).toHaveLength(2);
    expect([rows[1].key, rows[1].before, rows[1].after]).toEqual([rows[0].key, rows[0].before, rows[0].after]);
    expect(rows[0].salt).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[1].salt).not.toBe(rows[0].salt);
    expect(rows[1].hash).not.toBe(rows[0].hash);
    // Each hash is its row's own: recomputed from its salt and values, it matches.
    expect(await verifies('twice')).toBe(true);
  });

  it('names the commit whose metadata was edited (id), the oldest first', async () => {
    const [, c1, c2] = hist.meta.ids;
    await t.sql(`UPDATE vsg.commits SET author = 'mallory' WHERE id = $1`, [c2]);
    await t.sql(`UPDATE vsg.commits SET message = 'nothing to see' WHERE id = $1`, [c1]);
    const r = await vsg(t, ['verify', '-t', 'meta', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.firstBad.commit).toBe(c1);
    expect(out.problems.filter((p: { code: string }) => p.code === 'id').map((p: { commit: string }) => p.commit)).toEqual([c1, c2]);
  });

  it('finds a deleted commit as the dangling parent of its child', async () => {
    const [, c1, c2] = hist.deleted.ids;
    await t.sql(`SET session_replication_role = replica; DELETE FROM vsg.commits WHERE id = '${c1}'; SET session_replication_role = DEFAULT`);
    const out = JSON.parse((await vsg(t, ['verify', '-t', 'deleted', '--json'])).stdout);
    expect(out.ok).toBe(false);
    expect(out.firstBad.commit).toBe(c2);
    expect(out.firstBad.problems).toEqual([expect.objectContaining({ code: 'missing_parent', expected: c1 })]);
    expect(out.problems.map((p: { code: string }) => p.code)).toContain('orphan_change');
  });

  it('finds change rows marked as a root\'s in a commit that is no ROOT, which a key\'s history would not reach', async () => {
    const [root, c1] = hist.rooted.ids;
    // the root's own rows are marked, and verify passes
    expect(await verifies('rooted')).toBe(true);
    await t.sql(`UPDATE vsg.changes SET root = true WHERE seq = (SELECT seq FROM vsg.commits WHERE id = $1)`, [c1]);
    const r = await vsg(t, ['verify', '-t', 'rooted', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.firstBad.commit).toBe(c1);
    expect(out.firstBad.problems).toEqual([expect.objectContaining({ code: 'root_row', expected: 'ROOT', actual: 'COMMIT' })]);
    expect(out.problems.map((p: { commit: string }) => p.commit)).not.toContain(root);
  });

  it('finds a ref pointing nowhere and one pointing into another table', async () => {
    await t.sql(
      `SET session_replication_role = replica;
       UPDATE vsg.refs SET commit_id = repeat('a', 64) WHERE table_id = (SELECT id FROM vsg.tracked WHERE table_name = 'dangling');
       INSERT INTO vsg.refs (table_id, kind, name, commit_id) SELECT id, 'tag', 'foreign', '${hist.clean.ids[0]}' FROM vsg.tracked WHERE table_name = 'dangling';
       SET session_replication_role = DEFAULT`,
    );
    const r = await vsg(t, ['verify', '-t', 'dangling', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.firstBad).toBeNull();
    expect(out.problems).toEqual([
      expect.objectContaining({ code: 'ref_table', ref: 'foreign' }),
      expect.objectContaining({ code: 'dangling_ref', ref: 'main' }),
    ]);
  });

  it('catches with a digest a rewrite whose hashes were all recomputed', async () => {
    const digest = (await vsgOk(t, ['verify', '-t', 'rewritten', '--digest'])).trim();
    expect(digest).toMatch(/^vsg1-\d+-4-[0-9a-f]{64}$/);
    // history grows after the digest: still fine
    const repo = await t.open();
    await repo.commit({ table: 'rewritten', author: 'ann', sql: `UPDATE rewritten SET n = 9 WHERE id = 3` });
    await repo.close();
    expect((await vsg(t, ['verify', '-t', 'rewritten', '--against', digest])).code).toBe(0);
    // a superuser edits an old change and recomputes every hash: verify alone is fooled...
    const [, c1] = hist.rewritten.ids;
    await t.sql(`SET session_replication_role = replica; UPDATE vsg.changes SET after = jsonb_set(after, '{v}', '"evil"') WHERE seq = (SELECT seq FROM vsg.commits WHERE id = '${c1}'); ${REHASH}; SET session_replication_role = DEFAULT`);
    expect(await verifies('rewritten')).toBe(true);
    // ...the digest is not
    const r = await vsg(t, ['verify', '-t', 'rewritten', '--against', digest, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.against).toMatchObject({ ok: false, covered: 4, found: 4 });
    expect(out.problems.map((p: { code: string }) => p.code)).toEqual(['digest_rewritten']);
  });

  it('catches with a digest a truncated history that verifies on its own', async () => {
    const digest = (await vsgOk(t, ['verify', '-t', 'truncated', '--digest'])).trim();
    const [, , c2, c3] = hist.truncated.ids;
    await t.sql(
      `SET session_replication_role = replica;
       UPDATE vsg.refs SET commit_id = '${c2}' WHERE commit_id = '${c3}';
       DELETE FROM vsg.changes WHERE seq = (SELECT seq FROM vsg.commits WHERE id = '${c3}'); DELETE FROM vsg.commits WHERE id = '${c3}';
       SET session_replication_role = DEFAULT`,
    );
    expect(await verifies('truncated')).toBe(true);
    const r = await vsg(t, ['verify', '-t', 'truncated', '--against', digest, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems).toEqual([expect.objectContaining({ code: 'digest_truncated' })]);
  });

  it('refuses a malformed digest with exit 2', async () => {
    const r = await vsg(t, ['verify', '--against', 'not-a-digest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a vsg digest/);
  });

  it('doctor fails on a disabled or a missing capture trigger and on a broken chain', async () => {
    await t.sql('ALTER TABLE notrig DISABLE TRIGGER vsg_capture_update; DROP TRIGGER vsg_capture_truncate ON notrig');
    await t.sql(`INSERT INTO clean VALUES (10, 'drift', 0)`);
    const r = await vsg(t, ['doctor', '--json']);
    expect(r.code).toBe(1);
    const checks = JSON.parse(r.stdout).checks as { name: string; status: string; table?: string; data?: { missing: string[]; disabled: string[] } }[];
    const trig = checks.find((c) => c.name === 'triggers' && c.table === 'notrig');
    expect(trig).toMatchObject({ status: 'fail', data: { missing: ['vsg_capture_truncate'], disabled: ['vsg_capture_update'] } });
    expect(checks.find((c) => c.name === 'triggers' && c.table === 'clean')?.status).toBe('ok');
    expect(checks.find((c) => c.name === 'uncommitted' && c.table === 'clean')).toMatchObject({ status: 'warn', data: { inserted: 1 } });
    expect(checks.find((c) => c.name === 'chain')?.status).toBe('fail');
    const text = await vsg(t, ['doctor']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL\s+triggers notrig: capture triggers missing: vsg_capture_truncate; disabled: vsg_capture_update/);
  });

  it('doctor reports a database without vsg instead of refusing to run', async () => {
    const other = await makeTarget(name);
    try {
      const r = await vsg(other, ['doctor', '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'schema', status: 'fail' })]));
      // a migration skipped below the highest applied one is found too
      await (await other.open({ init: true })).close();
      await other.sql('DELETE FROM vsg.migrations WHERE version = 3');
      const repo = await other.open({ bare: true });
      try {
        const d = await repo.doctor();
        expect(d.ok).toBe(false);
        expect(d.checks.find((c) => c.name === 'schema')).toMatchObject({ status: 'fail', message: expect.stringContaining('003_integrity.sql') });
      } finally {
        await repo.close();
      }
    } finally {
      await other.cleanup();
    }
  });

  it('doctor and verify still run when a tracked table was dropped, and doctor names it (runs last)', async () => {
    await t.sql('DROP TABLE clean');
    const repo = await t.open();
    try {
      const d = await repo.doctor();
      expect(d.ok).toBe(false);
      expect(d.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'table', status: 'fail', table: 'clean' })]));
      const v = await repo.verify();
      expect(v.problems.some((p) => p.table === 'clean')).toBe(false);
    } finally {
      await repo.close();
    }
  });

});
