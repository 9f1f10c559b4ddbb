/**
 * `vsg forget` (docs/forget.md): a row's values (or some columns) blanked in
 * every commit on every branch, in checkpoints and wherever else vsg keeps row
 * data, with the chain still verifying (plain, and against a digest taken
 * before) and the erasure recorded as a FORGET entry. The value must be
 * nowhere in the database afterwards: a pg_dump of the whole database on the
 * server, and on both databases the text of every row of every table (vsg's
 * own, the checkpoints, the live table). Scenarios run through the library;
 * the command itself is spawned a few times (its output, its refusals, a
 * SIGKILL in the middle). A second suite: switch and merge with forgotten
 * values (--forgotten), a forget during a merge in progress, and the readers'
 * --json (null plus the flag) through bin/vsg.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConstraintViolation, Repository } from '../../src/index.js';
import { renderViolationTable } from '../../src/render/merge.js';
import { makeStyle } from '../../src/render/style.js';
import { Pause } from '../helpers/crash.js';
import { bin, makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000 });

const SECRET = 'zq-secret-7731';
const author = 'dpo';
const ROW_SELECT = `SELECT ch.table_id::text, ch.key::text, ch.before::text, ch.after::text, encode(ch.salt, 'hex') AS salt, encode(ch.row_hash, 'hex') AS row_hash`;

/** Every row of every table of the database (vsg's own, checkpoints, the user's) as text, in one statement. */
const ALL_TEXT = `
DO $$
DECLARE r record; acc text := '';
BEGIN
  FOR r IN SELECT c.oid::regclass AS rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  LOOP
    EXECUTE format('SELECT $1 || coalesce(string_agg(x::text, E''\\n''), '''') FROM %s x', r.rel) INTO acc USING acc || E'\\n' || r.rel::text || E'\\n';
  END LOOP;
  PERFORM set_config('forget_test.all', acc, true);
END $$;
SELECT current_setting('forget_test.all', true) AS all_text`;

async function allText(repo: Repository): Promise<string> {
  let text = '';
  await repo.transaction(async (_r, tx) => {
    const r = await tx.query<{ all_text: string }>(ALL_TEXT);
    text = r.rows[r.rows.length - 1]?.all_text ?? '';
  });
  return text;
}

const pgDump = ['/usr/lib/postgresql/15/bin/pg_dump', 'pg_dump'].find((p) => spawnSync(p, ['--version']).status === 0);

describe.each(targetNames())('forget on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let digest: string;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    // 1,000 rows: the root's rows are a checkpoint (a native copy of the table, hash scheme 3) that holds the secret too
    await repo.sql(`CREATE TABLE people (id int PRIMARY KEY, email text, name text, n int NOT NULL DEFAULT 0)`);
    await repo.sql(`INSERT INTO people SELECT g, 'user' || g || '@example.com', 'name ' || g, 0 FROM generate_series(1, 1000) g`);
    await repo.sql(`UPDATE people SET email = '${SECRET}@example.com', name = 'Zed Q' WHERE id = 7`);
    await repo.track('people', { author });
    // ~50 commits on two branches, values set as an application would (no statement recorded holds them)
    const change = async (sql: string, params: unknown[], message: string) => {
      await repo.db.query(sql, params);
      await repo.commit({ table: 'people', author, message });
    };
    await repo.createBranch({ table: 'people', name: 'side' });
    for (let i = 1; i <= 30; i++) {
      await change('UPDATE people SET n = n + 1, email = CASE WHEN id = 7 THEN $1 ELSE email END WHERE id IN (7, $2)', [`${SECRET}+${i % 5}@example.com`, 100 + i], `main ${i}`);
    }
    await repo.createTag({ table: 'people', name: 'v1', commit: 'HEAD~10' });
    await repo.switch({ table: 'people', branch: 'side' });
    for (let i = 1; i <= 20; i++) await change('UPDATE people SET n = n + 10 WHERE id IN (7, $1)', [200 + i], `side ${i}`);
    await repo.switch({ table: 'people', branch: 'main' });
    digest = (await repo.verify({ digest: true })).digest as string;
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('forget one row across 50 commits on two branches: the value is nowhere, verify passes (plain and against an earlier digest), log shows the entry', async () => {
    const text = await allText(repo);
    expect(text).toContain(SECRET); // the scan sees it before: in history, in the checkpoint, live
    expect(text).toMatch(/\nvsg\.root_\d+\n/);
    const ids = (await repo.db.query<{ id: string }>('SELECT id FROM vsg.commits ORDER BY seq')).rows;

    const r = await repo.forget({ table: 'people', keys: ['7'], message: 'erasure request #42', author, live: true, vacuum: 'full' });
    expect(r.entry).toMatchObject({ table: 'people', author, message: 'erasure request #42', columns: null, keys: 1 });
    // the root, 30 commits on main, 20 on side, the --live delete: each holds a change row of id 7
    expect(r.entry.rows).toBe(52);
    expect(r.commit?.deleted).toBe(1);
    expect(r.entry.live).toBe(r.commit?.id);
    // the root's checkpoint is history, not a cache: the chunk holding row 7 left it as change rows, blanked with the rest
    expect(r.checkpoints).toBe(0);
    const chunks = await repo.db.query<{ unpacked: string; sealed: string }>(
      `SELECT count(*) FILTER (WHERE salt IS NULL)::text AS unpacked, count(*) FILTER (WHERE seal IS NOT NULL AND forget_seq IS NOT NULL)::text AS sealed FROM vsg.root_chunks`,
    );
    expect(chunks.rows[0]).toEqual({ unpacked: '1', sealed: '1' });
    expect(r.vacuum).toMatchObject({ done: true, full: true });
    // never the values, never the key
    expect(JSON.stringify(r.entry)).not.toMatch(new RegExp(`${SECRET}|"7"`));

    expect(await allText(repo)).not.toContain(SECRET);
    if (name === 'postgres' && pgDump) {
      const dump = spawnSync(pgDump, ['--dbname', t.url as string], { maxBuffer: 1 << 28 });
      expect(dump.status).toBe(0);
      expect(dump.stdout.length).toBeGreaterThan(10_000);
      expect(dump.stdout.includes(SECRET)).toBe(false);
    } else if (name === 'postgres') console.log('pg_dump not found: the dump check is left out; every table was scanned instead');
    // below SQL: the database's own files (rewritten by VACUUM FULL), after a checkpoint wrote them out and unlinked the old ones
    if (name === 'postgres') {
      const dir = (await t.sql(`SELECT current_setting('data_directory') || '/base/' || oid AS d FROM pg_database WHERE datname = current_database()`)).rows[0].d as string;
      await t.sql('CHECKPOINT');
      if (r.vacuum.kept) console.log(`data files not scanned: the vacuum had to keep ${r.vacuum.kept} dead row versions (a transaction elsewhere on this server held them; it says so)`);
      else if (fs.existsSync(dir)) {
        const hits = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile() && fs.readFileSync(path.join(dir, f)).includes(SECRET));
        const rels = [];
        for (const h of hits) rels.push((await t.sql('SELECT pg_filenode_relation(0, $1::oid)::text AS r', [h.split('.')[0]])).rows[0].r ?? h);
        expect(rels).toEqual([]);
      } else console.log(`the server's data directory is not readable here (${dir}): its files are not scanned`);
    } else console.log('PGlite: its data files are not scanned (its own file system layer writes them); every table was');

    // commit ids unchanged (plus the --live commit), the chain verifies, an earlier digest still holds
    const now = (await repo.db.query<{ id: string }>('SELECT id FROM vsg.commits ORDER BY seq')).rows;
    expect(now.slice(0, ids.length)).toEqual(ids);
    const v = await repo.verify({ against: digest });
    expect(v.problems).toEqual([]);
    expect(v.against?.ok).toBe(true);

    const log = await repo.log({ table: 'people', limit: 3 });
    expect(log.forgets?.map((f) => f.id)).toEqual([r.entry.id]);
    expect((await repo.forgets({ table: 'people' })).map((f) => f.message)).toEqual(['erasure request #42']);
    // readers show the cells as forgotten: null, and the flag with the marker, never a value
    const shown = await repo.show('v1', { table: 'people' });
    const row = shown.changes.find((c) => c.key.id === '7');
    expect(row?.new?.email).toBeNull();
    expect(row?.forgotten?.new?.email).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(row?.forgotten?.new ?? {}).sort()).toEqual(['email', 'n', 'name']);
  });

  it('forget only some columns: the others stay readable and the row keeps its shape', async () => {
    const r = await repo.forget({ table: 'people', keys: ['id=101', '102'], columns: ['email'], message: 'contact withdrawn', author });
    expect(r.entry).toMatchObject({ columns: ['email'], keys: 2, rows: 4, cells: 4 }); // a cell: one column of one change row (both its images)
    const { rows: raw } = await repo.db.query<{ before: string | null; after: string; forgotten: string }>(
      `SELECT before, after, forgotten FROM vsg.changes WHERE table_id = (SELECT id FROM vsg.tracked WHERE table_name = 'people') AND key = '{"id": "101"}' ORDER BY seq`,
    );
    // vsg's connections give every value as text
    const rows = raw.map((x) => ({ forgotten: x.forgotten, before: x.before === null ? null : (JSON.parse(x.before) as Record<string, unknown>), after: JSON.parse(x.after) as Record<string, unknown> }));
    expect(rows.map((x) => x.forgotten)).toEqual(['{email}', '{email}']); // text[] as PostgreSQL's text
    expect(rows[1].after).toMatchObject({ id: '101', name: 'name 101', n: '1', email: { forgotten: expect.any(String) } });
    // a value equal in two images keeps equal markers: the commit did not change the email, and its diff says so
    expect(rows[1].before?.email).toEqual(rows[1].after.email);
    const inHistory = `SELECT count(*)::text AS n FROM vsg.changes WHERE before::text LIKE '%user101@%' OR after::text LIKE '%user101@%'`;
    expect((await repo.db.query<{ n: string }>(inHistory)).rows[0].n).toBe('0');
    expect((await repo.db.query<{ email: string }>('SELECT email FROM people WHERE id = 101')).rows[0].email).toBe('user101@example.com');
    expect((await repo.verify()).problems).toEqual([]);
    // forgetting the same cells again blanks nothing new; a key column cannot be forgotten alone
    expect((await repo.forget({ table: 'people', keys: ['101'], columns: ['email'], message: 'again', author })).entry).toMatchObject({ rows: 0, cells: 0 });
    await expect(repo.forget({ table: 'people', keys: ['101'], columns: ['id'], message: 'x', author })).rejects.toMatchObject({ code: 'E_FORGET_COLUMN', exitCode: 3 });
    await expect(repo.forget({ table: 'people', keys: ['101'], columns: ['nope'], message: 'x', author })).rejects.toMatchObject({ code: 'E_FORGET_COLUMN' });
    await expect(repo.forget({ table: 'people', keys: ['99999'], message: 'x', author })).rejects.toMatchObject({ code: 'E_NO_ROW' });
  });

  it('--where finds rows by a value they held only in history, and forgets them', async () => {
    await repo.db.query(`UPDATE people SET name = 'Old Name 55' WHERE id = 55`);
    await repo.commit({ table: 'people', author, message: 'rename 55' });
    await repo.db.query(`UPDATE people SET name = 'name 55' WHERE id = 55`);
    await repo.commit({ table: 'people', author, message: 'rename 55 back' });
    const r = await repo.forget({ table: 'people', where: `name = 'Old Name 55'`, columns: ['name'], message: 'old name', author });
    expect(r.entry).toMatchObject({ keys: 1, rows: 3 });
    // rows forgotten in part are still found by their other columns (the forgotten ones read as NULL)
    const again = await repo.forget({ table: 'people', where: `email = 'user101@example.com' OR (id = 101 AND email IS NULL)`, columns: ['name'], message: 'name of 101', author });
    expect(again.entry).toMatchObject({ keys: 1, rows: 0, cells: 2 }); // its 2 change rows had the email forgotten already
    expect(await allText(repo)).not.toContain('Old Name 55');
    await expect(repo.forget({ table: 'people', where: `name = 'nobody at all'`, message: 'x', author })).rejects.toMatchObject({ code: 'E_NO_ROW' });
    await expect(repo.forget({ table: 'people', where: `no_such_column = 1`, message: 'x', author })).rejects.toMatchObject({ exitCode: 4 });
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('a write-back that needs a forgotten value is refused, naming the keys; allowed with live or null; nothing half-written', async () => {
    const before = (await repo.db.query<{ n: string }>('SELECT count(*)::text AS n FROM vsg.commits')).rows[0].n;
    // v1 held row 7 (deleted live since, its values forgotten); row 101 (email forgotten) is the same there as live, so it is not needed
    const refused = await repo.checkout({ table: 'people', ref: 'v1', author }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'E_FORGOTTEN', exitCode: 3, data: { keys: [{ id: '7' }], rows: 1 } });
    expect((await repo.db.query<{ n: string }>('SELECT count(*)::text AS n FROM vsg.commits')).rows[0].n).toBe(before);
    expect((await repo.db.query('SELECT 1 FROM people WHERE id = 7')).rowCount).toBe(0);
    // undoing the --live delete of row 7 would need its values: refused too
    await expect(repo.rollback({ table: 'people', ref: 'HEAD~2', author })).rejects.toMatchObject({ code: 'E_FORGOTTEN', data: { keys: [{ id: '7' }] } });

    // live: the live value where it was forgotten (row 7 has no live row: it stays away); the rest of v1 is written
    const live = await repo.checkout({ table: 'people', ref: 'v1', author, forgotten: 'live' });
    expect(live.commit).not.toBeNull();
    const rows = await repo.db.query<{ id: string; email: string | null }>('SELECT id, email FROM people WHERE id IN (7, 101) ORDER BY id');
    expect(rows.rows).toEqual([{ id: '101', email: 'user101@example.com' }]);
    expect((await repo.db.query('SELECT n FROM people WHERE id = 130')).rows).toEqual([{ n: '0' }]); // main 30 undone: v1 is main 20
    // null: NULL where it was forgotten (row 7 comes back with its key and NULLs, n from history)
    await repo.db.query('ALTER TABLE people ALTER COLUMN n DROP NOT NULL');
    const nul = await repo.checkout({ table: 'people', ref: 'HEAD~4', author, forgotten: 'null' }); // main 30: before the --live delete
    expect(nul.commit).not.toBeNull();
    expect((await repo.db.query('SELECT id, email, name FROM people WHERE id = 7')).rows).toEqual([{ id: '7', email: null, name: null }]);
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('tampering after forget is still caught: an edited value, a blanked row, a deleted FORGET entry', async () => {
    const tableId = "(SELECT id FROM vsg.tracked WHERE table_name = 'people')";
    // each edit is undone from a copy afterwards
    const tamper = async (sql: string, code: string) => {
      await repo.db.query(`CREATE TABLE public.bak_changes AS SELECT * FROM vsg.changes WHERE table_id = ${tableId} AND key = '{"id": "130"}'`);
      await repo.db.query('CREATE TABLE public.bak_forgets AS SELECT * FROM vsg.forgets');
      try {
        await repo.db.query(sql);
        const v = await repo.verify();
        expect(v.problems.map((p) => p.code)).toContain(code);
      } finally {
        await repo.db.query(`DELETE FROM vsg.changes WHERE table_id = ${tableId} AND key = '{"id": "130"}'`);
        await repo.db.query('INSERT INTO vsg.changes SELECT * FROM public.bak_changes');
        await repo.db.query('DELETE FROM vsg.forgets WHERE seq NOT IN (SELECT seq FROM public.bak_forgets)');
        await repo.db.query('INSERT INTO vsg.forgets SELECT * FROM public.bak_forgets ON CONFLICT (seq) DO UPDATE SET message = excluded.message');
        await repo.db.query('DROP TABLE public.bak_changes, public.bak_forgets');
      }
    };
    // a value never forgotten, in a commit that also holds forgotten rows
    await tamper(`UPDATE vsg.changes SET after = jsonb_set(after, '{n}', '"999"') WHERE table_id = ${tableId} AND key = '{"id": "130"}' AND before IS NOT NULL`, 'row_hash');
    // a row blanked behind vsg's back (salt dropped, marked forgotten): not accounted for by any FORGET entry
    await tamper(`UPDATE vsg.changes SET salt = NULL, forgotten = '{n}' WHERE table_id = ${tableId} AND key = '{"id": "130"}'`, 'forget_counts');
    await tamper(`DELETE FROM vsg.forgets WHERE seq = (SELECT max(seq) FROM vsg.forgets)`, 'forget_counts');
    await tamper(`UPDATE vsg.forgets SET message = 'nothing to see' WHERE seq = (SELECT min(seq) FROM vsg.forgets)`, 'forget_id');
    expect((await repo.verify()).ok).toBe(true);
  });

  it('a forgotten value cannot be confirmed by hashing a guess without the salt; with the salt it could have been', async () => {
    // a row still known: its stored hash is what the manual's formula gives with its salt, and not without
    const sha = (...p: Buffer[]) => createHash('sha256').update(Buffer.concat(p)).digest('hex');
    const lp = (s: string | null) => Buffer.from(s === null ? '-' : `${Buffer.byteLength(s)}:${s}`);
    const rowHash = (salt: string | null, tableId: string, key: string, before: string | null, after: string | null) =>
      sha(Buffer.from('vsg-row-2'), lp(salt), lp(tableId), lp(key), lp(before), lp(after));
    const q = await repo.db.query<{ table_id: string; key: string; before: string | null; after: string; salt: string; row_hash: string }>(
      `${ROW_SELECT}
       FROM vsg.changes ch JOIN vsg.commits c ON c.seq = ch.seq WHERE c.kind = 'ROOT' AND ch.key = '{"id": "7"}'`,
    );
    const f = q.rows[0];
    expect(f.salt).toBeNull(); // forgotten: salt gone, hash kept
    expect(f.row_hash).toMatch(/^[0-9a-f]{64}$/);
    // the right guess (the root's image of row 7 exactly as it was), hashed without the salt: no match
    const guess = JSON.stringify({ n: '0', id: '7', name: 'Zed Q', email: `${SECRET}@example.com` }).replace(/":"/g, '": "').replace(/","/g, '", "');
    expect(rowHash(null, f.table_id, f.key, null, guess)).not.toBe(f.row_hash);
    expect(rowHash('', f.table_id, f.key, null, guess)).not.toBe(f.row_hash);
    // the same construction over a row still known, with its salt, matches: the formula is right, only the salt is missing
    const k = (await repo.db.query<typeof f>(
      `${ROW_SELECT}
       FROM vsg.changes ch JOIN vsg.commits c ON c.seq = ch.seq WHERE c.kind = 'ROOT' AND ch.key = '{"id": "8"}'`,
    )).rows[0];
    expect(rowHash(k.salt, k.table_id, k.key, k.before, k.after)).toBe(k.row_hash);
    expect(rowHash(null, k.table_id, k.key, k.before, k.after)).not.toBe(k.row_hash);
  });

  it('an untracked history can be forgotten too (not its live rows)', async () => {
    await repo.sql(`CREATE TABLE gone (id int PRIMARY KEY, v text)`);
    await repo.sql(`INSERT INTO gone VALUES (1, 'qx-untracked-secret'), (2, 'b')`);
    await repo.track('gone', { author });
    await repo.untrack('gone', { author });
    await expect(repo.forget({ table: 'gone', keys: ['1'], live: true, message: 'x', author })).rejects.toMatchObject({ code: 'E_NOT_TRACKED' });
    expect((await repo.forget({ table: 'gone', keys: ['1'], message: 'erasure', author })).entry).toMatchObject({ table: 'gone', keys: 1, rows: 1, cells: 1 });
    const left = await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM vsg.changes WHERE after::text LIKE '%qx-untracked%' OR before::text LIKE '%qx-untracked%'`);
    expect(left.rows[0].n).toBe('0');
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('a dropped table whose HEAD holds forgotten values is recreated only as told: refused naming the keys, NULL in their place, or the rows left out', async () => {
    await repo.sql(`CREATE TABLE dropme (id int PRIMARY KEY, email text, n int)`);
    await repo.sql(`INSERT INTO dropme VALUES (1, 'qx-dropped-secret', 5), (2, 'b', 6), (3, 'qx-gone-secret', 8)`);
    await repo.track('dropme', { author });
    await repo.forget({ table: 'dropme', keys: ['3'], live: true, message: 'erasure', author }); // row 3 deleted live too
    await repo.forget({ table: 'dropme', keys: ['1'], message: 'erasure', author }); // row 1 stays live
    await repo.commit({ table: 'dropme', author, sql: 'UPDATE dropme SET n = 7 WHERE id = 2' });
    // typed rows of the past read a forgotten value as NULL, never the marker's text (row 1 is read from the live table, which holds it)
    const past = await repo.db.query(`SELECT id, email, n FROM vsg.as_of_rows(NULL::dropme, 'HEAD~2') ORDER BY id`);
    expect(past.rows).toEqual([{ id: '1', email: 'qx-dropped-secret', n: '5' }, { id: '2', email: 'b', n: '6' }, { id: '3', email: null, n: null }]);
    const recreate = async (forgotten?: 'live' | 'null') => {
      await repo.sql('DROP TABLE dropme');
      return repo.restore({ table: 'dropme', ...(forgotten ? { forgotten } : {}) });
    };
    // refused, naming the keys: nothing recreated
    await expect(recreate()).rejects.toMatchObject({ code: 'E_FORGOTTEN', exitCode: 3, data: { keys: [{ id: '1' }], rows: 1 } });
    expect((await repo.db.query(`SELECT to_regclass('dropme') AS r`)).rows[0].r).toBeNull();
    await repo.sql('CREATE TABLE dropme (id int PRIMARY KEY)'); // (recreate drops it again)
    expect(await recreate('null')).toMatchObject({ recreated: true });
    expect((await repo.db.query('SELECT id, email, n FROM dropme ORDER BY id')).rows).toEqual([{ id: '1', email: null, n: null }, { id: '2', email: 'b', n: '7' }]);
    expect(await recreate('live')).toMatchObject({ recreated: true });
    expect((await repo.db.query('SELECT id, email, n FROM dropme ORDER BY id')).rows).toEqual([{ id: '2', email: 'b', n: '7' }]);
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('the command: text and --json, refusals with their exit codes, and a SIGKILL in the middle leaves all or nothing', async () => {
    const snapshot = async () =>
      (await repo.db.query<{ h: string; f: string }>(`SELECT md5(string_agg(x::text, ',' ORDER BY x.seq, x.key::text)) AS h, (SELECT count(*) FROM vsg.forgets)::text AS f FROM vsg.changes x`)).rows[0];
    await repo.close();
    let before: { h: string; f: string } | undefined;
    try {
      const out = await vsgOk(t, ['forget', '-t', 'people', '300', '--columns', 'name', '-m', 'cli erasure']);
      expect(out).toMatch(/^forget [0-9a-f]{7} people: 1 row \(name\): 1 change row, 1 cell\n/);
      expect(out).toMatch(/\nvacuumed what it rewrote\n/);
      const noWhy = await vsg(t, ['forget', '-t', 'people', '301']);
      expect([noWhy.code, noWhy.stderr]).toEqual([2, expect.stringMatching(/^error: say why: forget needs -m/)]);
      // the keys are put in canonical form together: the first one the key column's type does not take is named, nothing changed
      repo = await t.open();
      const was = await snapshot();
      await repo.close();
      const badKey = await vsg(t, ['forget', '-t', 'people', '301', 'x7', '302', 'y8', '-m', 'erasure', '--json']);
      expect([badKey.code, JSON.parse(badKey.stderr).error]).toEqual([3, expect.objectContaining({ code: 'E_BAD_KEY', message: expect.stringMatching(/^'x7' is not a key of 'people': invalid input syntax for type integer: "x7"$/) })]);
      const bad = await vsg(t, ['checkout', '-t', 'people', 'v1', '--json']);
      expect(bad.code).toBe(3);
      expect(JSON.parse(bad.stderr).error).toMatchObject({ code: 'E_FORGOTTEN', hint: expect.stringContaining('--forgotten live') });

      // killed while appending its FORGET entry, after blanking every row of the key: nothing changed
      repo = await t.open();
      expect(await snapshot()).toEqual(was);
      await repo.close();
      const pause = await Pause.install(t, 7731);
      await pause.at('vsg.forgets', 'INSERT');
      repo = await t.open();
      before = await snapshot();
      await repo.close();
      await pause.arm();
      const child = spawn(process.execPath, [bin, 'forget', '-t', 'people', '400', '-m', 'killed'], { cwd: t.cwd, env: t.env, stdio: 'ignore' });
      expect(await pause.killWhenReached(child)).toBe(true);
      await pause.remove('vsg.forgets');
    } finally {
      repo = await t.open();
    }
    expect(await snapshot()).toEqual(before);
    expect((await repo.verify()).ok).toBe(true);
    // and again, to the end
    expect((await repo.forget({ table: 'people', keys: ['400'], message: 'again', author })).entry.rows).toBe(1);
    expect((await repo.verify()).ok).toBe(true);
  });
});

/**
 * Forgotten values meet switch and merge (refused unless --forgotten says
 * what to write), and a merge in progress (its saved conflicts are blanked
 * too, so that it can be continued or aborted).
 */
describe.each(targetNames())('forget with switch and merge on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const live = async (id: number) => (await repo.db.query<{ email: string | null; plan: string | null }>('SELECT email, plan FROM c WHERE id = $1', [id])).rows[0];

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE c (id int PRIMARY KEY, email text, plan text)`);
    await repo.sql(`INSERT INTO c VALUES (1, 'qa-one@x', 'free'), (2, 'qa-two@x', 'free'), (3, 'qa-three@x', 'free'), (4, 'qa-four@x', 'free')`);
    await repo.track('c', { author });
    await repo.createBranch({ table: 'c', name: 'side' });
    await repo.commit({ table: 'c', sql: `UPDATE c SET plan = 'pro' WHERE id = 1`, author, message: 'main: 1 pro' });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('switch to a branch whose rows hold forgotten values: refused naming the keys, then written with live or null', async () => {
    // row 1 forgotten whole (not live): side still holds its root image, all of it forgotten but the key
    await repo.forget({ table: 'c', keys: ['1'], message: 'erase 1', author });
    const refused = await repo.switch({ table: 'c', branch: 'side' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'E_FORGOTTEN', exitCode: 3, data: { keys: [{ id: '1' }], rows: 1 } });
    expect(await live(1)).toEqual({ email: 'qa-one@x', plan: 'pro' });
    await expect(repo.switchMany({ tables: ['c'], branch: 'side' })).rejects.toMatchObject({ code: 'E_FORGOTTEN' });
    // live: the live row's values where side's were forgotten (so row 1 stays as it is live)
    expect(await repo.switch({ table: 'c', branch: 'side', forgotten: 'live' })).toMatchObject({ branch: 'side' });
    expect(await live(1)).toEqual({ email: 'qa-one@x', plan: 'pro' });
    await repo.switch({ table: 'c', branch: 'main', forgotten: 'live' });
    // null: NULL in each forgotten cell
    expect(await repo.switchMany({ tables: ['c'], branch: 'side', forgotten: 'null' })).toMatchObject({ c: { branch: 'side' } });
    expect(await live(1)).toEqual({ email: null, plan: null });
    await repo.switch({ table: 'c', branch: 'main', forgotten: 'live' });
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('merge whose merged rows hold forgotten values: refused, then written with the live value', async () => {
    await repo.switch({ table: 'c', branch: 'side', forgotten: 'live' });
    await repo.commit({ table: 'c', sql: `UPDATE c SET plan = 'gold' WHERE id = 2`, author, message: 'side: 2 gold' });
    await repo.switch({ table: 'c', branch: 'main', forgotten: 'live' });
    await repo.forget({ table: 'c', keys: ['2'], columns: ['email'], message: 'erase email of 2', author });
    await repo.db.query(`UPDATE c SET email = 'qa-two-live@x' WHERE id = 2`);
    await repo.commit({ table: 'c', author, message: 'main: 2 new email' });
    // merged row 2: plan from side, email from main's live value (no forgotten cell needed) — but main's own
    // change to 2's email makes that clean; forget main's new email too, so the merged row needs a forgotten value
    await repo.forget({ table: 'c', keys: ['2'], columns: ['email'], message: 'erase email of 2 again', author });
    const refused = await repo.merge({ table: 'c', ref: 'side', author }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'E_FORGOTTEN', exitCode: 3, data: { keys: [{ id: '2' }] } });
    expect(await live(2)).toEqual({ email: 'qa-two-live@x', plan: 'free' });
    const r = await repo.merge({ table: 'c', ref: 'side', author, forgotten: 'live' });
    expect(r.status).toBe('merged');
    expect(await live(2)).toEqual({ email: 'qa-two-live@x', plan: 'gold' });
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('forget during a merge in progress blanks its saved conflicts too: they show as forgotten, the merge aborts or continues (with --forgotten)', async () => {
    await repo.switch({ table: 'c', branch: 'side', forgotten: 'live' });
    // values set as an application would: a statement recorded in a commit keeps them (docs/forget.md)
    await repo.db.query(`UPDATE c SET email = $1, plan = 'side' WHERE id = 3`, ['qa-3-side@x']);
    await repo.commit({ table: 'c', author, message: 'side: 3' });
    await repo.switch({ table: 'c', branch: 'main', forgotten: 'live' });
    await repo.db.query(`UPDATE c SET email = $1 WHERE id = 3`, ['qa-3-main@x']);
    await repo.commit({ table: 'c', author, message: 'main: 3' });
    await expect(repo.merge({ table: 'c', ref: 'side', author })).rejects.toMatchObject({ code: 'E_MERGE_CONFLICT' });
    const inMerge = `SELECT count(*)::text AS n FROM vsg.merge_conflicts WHERE (coalesce(base::text, '') || coalesce(ours::text, '') || coalesce(theirs::text, '') || coalesce(value::text, '')) LIKE '%qa-3-%'`;
    expect((await repo.db.query<{ n: string }>(inMerge)).rows[0].n).toBe('1');
    // --live would commit under the merge: refused, nothing changed
    await expect(repo.forget({ table: 'c', keys: ['3'], columns: ['email'], live: true, message: 'x', author })).rejects.toMatchObject({ code: 'E_MERGE_IN_PROGRESS', exitCode: 3 });
    const r = await repo.forget({ table: 'c', keys: ['3'], columns: ['email'], message: 'erase 3 mid-merge', author });
    expect(r.entry).toMatchObject({ keys: 1 });
    expect((await repo.db.query<{ n: string }>(inMerge)).rows[0].n).toBe('0');
    expect(await allText(repo)).not.toMatch(/qa-3-(side|main)@x[^]*qa-3-(side|main)@x/); // only the live row holds its value
    const listed = await repo.conflicts({ table: 'c' });
    expect(listed.conflicts).toHaveLength(1);
    expect(listed.conflicts[0]).toMatchObject({ column: 'email', kind: 'update/update' });
    expect(JSON.stringify(listed)).not.toContain('qa-3-');
    // null plus the flag: each side's marker (the two sides held different values, so their markers differ)
    const c0 = listed.conflicts[0];
    expect(c0).toMatchObject({ base: null, ours: null, theirs: null, forgotten: { base: expect.stringMatching(/^[0-9a-f]{32}$/), ours: expect.any(String), theirs: expect.any(String) } });
    expect(c0.forgotten?.ours).not.toBe(c0.forgotten?.theirs);
    // abort works; merging again meets the same conflict, now between forgotten values (they differed)
    await repo.mergeAbort({ table: 'c' });
    await expect(repo.merge({ table: 'c', ref: 'side', author })).rejects.toMatchObject({ code: 'E_MERGE_CONFLICT' });
    await repo.resolve({ table: 'c', key: '3', column: 'email', take: 'theirs' });
    // the merged row needs side's email, which is forgotten: refused, the merge stays in progress; NULL written when asked
    await expect(repo.mergeContinue({ table: 'c' })).rejects.toMatchObject({ code: 'E_FORGOTTEN', data: { keys: [{ id: '3' }] } });
    expect((await repo.conflicts({ table: 'c' })).conflicts).toHaveLength(1);
    const done = await repo.mergeContinue({ table: 'c', forgotten: 'null' });
    expect(done.status).toBe('merged');
    expect(await live(3)).toEqual({ email: null, plan: 'side' });
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('a merge refused by a constraint names the row with its forgotten cells as null plus the flag, «forgotten» in the text', async () => {
    await repo.sql(`CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE, name text); INSERT INTO u VALUES (1, 'u1@x', 'one')`);
    await repo.track('u', { author });
    await repo.createBranch({ table: 'u', name: 'side' });
    await repo.switch({ table: 'u', branch: 'side' });
    await repo.commit({ table: 'u', author, sql: `INSERT INTO u VALUES (3, 'dup@x', 'qa-secret-name')` });
    await repo.switch({ table: 'u', branch: 'main' });
    await repo.commit({ table: 'u', author, sql: `INSERT INTO u VALUES (2, 'dup@x', 'main')` });
    await repo.forget({ table: 'u', keys: ['3'], columns: ['name'], message: 'erase name of 3', author });
    const e = (await repo.merge({ table: 'u', ref: 'side', author }).catch((x: unknown) => x)) as { code: string; data: ConstraintViolation[] };
    expect(e.code).toBe('E_MERGE_CONSTRAINT');
    expect(e.data).toEqual([
      expect.objectContaining({ key: { id: '3' }, row: { id: '3', email: 'dup@x', name: null }, constraint: 'u_email_key', forgotten: { row: { name: expect.stringMatching(/^[0-9a-f]{32}$/) } } }),
    ]);
    expect(JSON.stringify(e.data)).not.toContain('qa-secret');
    expect(renderViolationTable(e.data, ['id'], makeStyle(false))).toContain('name=«forgotten»');
    expect((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM u`)).rows[0].n).toBe('2'); // nothing written
  });

  it('with not-null constraints alone, a forgotten cell is judged as with any other: NULL breaks NOT NULL, the live value passes', async () => {
    await repo.sql(`CREATE TABLE nn (id int PRIMARY KEY, name text NOT NULL, note text)`);
    await repo.sql(`INSERT INTO nn VALUES (1, 'one', 'x')`);
    await repo.track('nn', { author });
    await repo.createBranch({ table: 'nn', name: 'nnside' });
    await repo.switch({ table: 'nn', branch: 'nnside' });
    await repo.commit({ table: 'nn', author, sql: `UPDATE nn SET name = 'qa-nn-side', note = 'y' WHERE id = 1` });
    await repo.switch({ table: 'nn', branch: 'main' });
    await repo.commit({ table: 'nn', author, sql: `INSERT INTO nn VALUES (2, 'two', NULL)` });
    await repo.forget({ table: 'nn', keys: ['1'], message: 'erase 1', author });
    const live = async () => (await repo.db.query<{ r: string }>(`SELECT string_agg(nn::text, ' ' ORDER BY id) AS r FROM nn`)).rows[0].r;
    await expect(repo.merge({ table: 'nn', ref: 'nnside', author })).rejects.toMatchObject({ code: 'E_FORGOTTEN', data: { keys: [{ id: '1' }] } });
    const e = (await repo.merge({ table: 'nn', ref: 'nnside', author, forgotten: 'null' }).catch((x: unknown) => x)) as { code: string; data: ConstraintViolation[] };
    expect(e.code).toBe('E_MERGE_CONSTRAINT');
    const hex = expect.stringMatching(/^[0-9a-f]{32}$/);
    // name's NULL breaks its NOT NULL; note may be NULL
    expect(e.data).toEqual([
      expect.objectContaining({ key: { id: '1' }, constraint: 'nn_name_not_null', kind: 'not null', columns: ['name'], row: { id: '1', name: null, note: null }, forgotten: { row: { name: hex, note: hex } } }),
    ]);
    expect(JSON.stringify(e.data)).not.toContain('qa-nn');
    expect(await live()).toBe('(1,one,x) (2,two,)'); // nothing written
    const r = await repo.merge({ table: 'nn', ref: 'nnside', author, forgotten: 'live' });
    expect(r.status).toBe('merged');
    expect(await live()).toBe('(1,one,x) (2,two,)');
    expect((await repo.verify()).problems).toEqual([]);
  });

  it('a merge judges a forgotten cell by what it will write there: NULL breaks NOT NULL and CHECK, the live value passes, by default none is judged', async () => {
    await repo.sql(`CREATE TABLE k (id int PRIMARY KEY, name text NOT NULL, code text CONSTRAINT k_code CHECK (code IS NOT NULL AND code ~ '^[A-Z]+$'), qty int CHECK (qty > 0))`);
    await repo.sql(`INSERT INTO k VALUES (1, 'one', 'A', 1)`);
    await repo.track('k', { author });
    await repo.createBranch({ table: 'k', name: 'kside' });
    await repo.switch({ table: 'k', branch: 'kside' });
    await repo.commit({ table: 'k', author, sql: `UPDATE k SET name = 'qa-k-side', code = 'QA', qty = 7 WHERE id = 1` });
    await repo.switch({ table: 'k', branch: 'main' });
    await repo.commit({ table: 'k', author, sql: `INSERT INTO k VALUES (2, 'two', 'B', 2)` });
    // row 1 forgotten whole in history (not live): the merged row takes kside's three forgotten cells
    await repo.forget({ table: 'k', keys: ['1'], message: 'erase 1', author });
    const liveK = async () => (await repo.db.query<{ r: string }>(`SELECT string_agg(k::text, ' ' ORDER BY id) AS r FROM k`)).rows[0].r;
    // default: the merge refuses to write forgotten values; no constraint is judged on them (nor does an int marker break the check)
    await expect(repo.merge({ table: 'k', ref: 'kside', author })).rejects.toMatchObject({ code: 'E_FORGOTTEN', data: { keys: [{ id: '1' }] } });
    // null: NULL breaks name's NOT NULL and k_code's CHECK; qty's CHECK lets NULL through
    const e = (await repo.merge({ table: 'k', ref: 'kside', author, forgotten: 'null' }).catch((x: unknown) => x)) as { code: string; data: ConstraintViolation[] };
    expect(e.code).toBe('E_MERGE_CONSTRAINT');
    const hex = expect.stringMatching(/^[0-9a-f]{32}$/);
    expect(e.data).toEqual([
      expect.objectContaining({ key: { id: '1' }, constraint: 'k_code', kind: 'check', row: { id: '1', name: null, code: null, qty: null }, forgotten: { row: { name: hex, code: hex, qty: hex } } }),
      expect.objectContaining({ key: { id: '1' }, constraint: 'k_name_not_null', kind: 'not null', columns: ['name'] }),
    ]);
    expect(JSON.stringify(e.data)).not.toContain('qa-k');
    expect(await liveK()).toBe('(1,one,A,1) (2,two,B,2)'); // nothing written
    // live: the live row's values, which keep every constraint
    const r = await repo.merge({ table: 'k', ref: 'kside', author, forgotten: 'live' });
    expect(r.status).toBe('merged');
    expect(await liveK()).toBe('(1,one,A,1) (2,two,B,2)');
    expect((await repo.verify()).problems).toEqual([]);
  });

  it("a constraint violation's other values taken from a forgotten cell are null plus the flag, «forgotten» in the text", async () => {
    await repo.sql(`CREATE TABLE m (id int PRIMARY KEY, email text, CONSTRAINT m_email_key UNIQUE NULLS NOT DISTINCT (email)); INSERT INTO m VALUES (1, NULL)`);
    await repo.track('m', { author });
    await repo.createBranch({ table: 'm', name: 'mside' });
    await repo.switch({ table: 'm', branch: 'mside' });
    await repo.commit({ table: 'm', author, sql: `INSERT INTO m VALUES (2, 'qa-m-two@x')` });
    await repo.switch({ table: 'm', branch: 'main' });
    await repo.commit({ table: 'm', author, sql: `INSERT INTO m VALUES (3, 'three@x')` });
    await repo.forget({ table: 'm', keys: ['2'], columns: ['email'], message: 'erase email of 2', author });
    // NULL written in row 2's email would equal row 1's (NULLS NOT DISTINCT)
    const e = (await repo.merge({ table: 'm', ref: 'mside', author, forgotten: 'null' }).catch((x: unknown) => x)) as { code: string; data: ConstraintViolation[] };
    expect(e.code).toBe('E_MERGE_CONSTRAINT');
    expect(e.data).toHaveLength(1);
    const marker = (e.data[0].forgotten?.row as Record<string, string> | undefined)?.email;
    expect(marker).toMatch(/^[0-9a-f]{32}$/);
    expect(e.data[0]).toMatchObject({ key: { id: '2' }, row: { id: '2', email: null }, constraint: 'm_email_key', kind: 'unique' });
    expect(e.data[0].other).toEqual({ table: 'm', relation: 'duplicate', key: { id: '1' }, values: { email: null }, forgotten: { values: { email: marker } } });
    expect(renderViolationTable(e.data, ['id'], makeStyle(false))).toContain('email=«forgotten» also in m (id=1)');
    // by default the forgotten email is not judged: the write-back refuses it
    await expect(repo.merge({ table: 'm', ref: 'mside', author })).rejects.toMatchObject({ code: 'E_FORGOTTEN' });
    expect((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM m`)).rows[0].n).toBe('2'); // nothing written
  });

  it('through bin/vsg: --json shows a forgotten cell as null plus the flag in show, diff, log --row, export; text as «forgotten»; switch and merge take --forgotten', async () => {
    const root = (await repo.db.query<{ id: string }>(`SELECT id FROM vsg.commits WHERE kind = 'ROOT'`)).rows[0].id;
    await repo.close();
    try {
      const hex = expect.stringMatching(/^[0-9a-f]{32}$/);
      const json = async (args: string[]) => JSON.parse(await vsgOk(t, [...args, '--json'])) as Record<string, unknown>;
      const shown = (await json(['show', root, '-t', 'c'])) as { changes: { key: { id: string }; new: Record<string, unknown>; forgotten?: unknown }[] };
      const one = shown.changes.find((x) => x.key.id === '1');
      expect(one).toMatchObject({ new: { id: '1', email: null, plan: null }, forgotten: { new: { email: hex, plan: hex } } });
      expect(shown.changes.find((x) => x.key.id === '4')).not.toHaveProperty('forgotten'); // never forgotten: no flag
      const diff = (await json(['diff', root, 'HEAD', '-t', 'c'])) as { changes: { key: { id: string }; old: unknown; new: unknown; forgotten?: { old?: Record<string, string>; new?: Record<string, string> } }[] };
      const d1 = diff.changes.find((x) => x.key.id === '1');
      expect(d1).toMatchObject({ old: { email: null, plan: null }, new: { email: null, plan: null } });
      // the email was the same on both sides (equal markers), the plan changed (free → pro): markers tell, values do not
      expect(d1?.forgotten?.old?.email).toBe(d1?.forgotten?.new?.email);
      expect(d1?.forgotten?.old?.plan).not.toBe(d1?.forgotten?.new?.plan);
      expect(await vsgOk(t, ['diff', root, 'HEAD', '-t', 'c'])).toMatch(/~ id=1\n    plan: «forgotten» → «forgotten»\n/);
      const rowLog = (await json(['log', '-t', 'c', '--row', '1'])) as { entries: { before: unknown; after: unknown; forgotten?: unknown }[] };
      expect(rowLog.entries.at(-1)).toMatchObject({ before: null, after: { id: '1', email: null }, forgotten: { after: { email: hex } } });
      const exported = JSON.parse(await vsgOk(t, ['export', '-t', 'c', '--at', root, '--format', 'json'])) as Record<string, unknown>[];
      expect(exported[0]).toEqual({ id: '1', email: null, plan: null, forgotten: { email: hex, plan: hex } });
      expect(exported[3]).toEqual({ id: '4', email: 'qa-four@x', plan: 'free' });
      expect(await vsgOk(t, ['export', '-t', 'c', '--at', root, '--format', 'sql'])).toContain(`VALUES ('1', NULL /* forgotten */, NULL /* forgotten */);`);
      expect(await vsgOk(t, ['export', '-t', 'c', '--at', root])).toMatch(/│ 1 +│ «forgotten» +│ «forgotten» +│/);
      const all = await vsgOk(t, ['log', '-t', 'c', '--row', '1', '--oneline']);
      expect(all).toContain('email=«forgotten»');
      expect(all).not.toContain('qa-one');

      // switch: refused without --forgotten (exit 3, the keys in data), written with it
      const sw = await vsg(t, ['switch', '-t', 'c', 'side', '--json']);
      expect(sw.code).toBe(3);
      expect(JSON.parse(sw.stderr).error).toMatchObject({ code: 'E_FORGOTTEN', data: { keys: [{ id: '1' }, { id: '2' }, { id: '3' }] }, hint: expect.stringContaining('--forgotten live') });
      await vsgOk(t, ['switch', '-t', 'c', 'side', '--forgotten', 'live']);
      await vsgOk(t, ['commit', '-t', 'c', `UPDATE c SET plan = 'x2' WHERE id = 2`, '-m', 'side: 2 x2']);
      await vsgOk(t, ['switch', 'main', '--forgotten', 'live']);
      // (side's new commit took row 2's email from the live row, where switch --forgotten live had written it: forget it there too)
      await vsgOk(t, ['forget', '-t', 'c', '2', '--columns', 'email', '-m', 'erase email of 2 once more']);
      // merge: the merged row 2 needs a forgotten email
      const mg = await vsg(t, ['merge', '-t', 'c', 'side']);
      expect([mg.code, mg.stderr]).toEqual([3, expect.stringMatching(/^error: cannot write rows back to 'c': 1 row of that state holds forgotten values: \{"id":"2"\}\nhint: write the live value \(--forgotten live\)/)]);
      await vsgOk(t, ['merge', '-t', 'c', 'side', '--forgotten', 'live']);
      expect(await vsg(t, ['switch', '-t', 'c', 'side', '--forgotten', 'maybe'])).toMatchObject({ code: 2 });
    } finally {
      repo = await t.open();
    }
    expect(await live(2)).toEqual({ email: 'qa-two-live@x', plan: 'x2' });
    expect((await repo.verify()).problems).toEqual([]);
  }, 400_000); // some twenty spawns of bin/vsg, each opening PGlite anew: minutes on a loaded machine
});
