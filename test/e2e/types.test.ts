/**
 * Every type family of the reliability list, one by one: a table with that
 * type is tracked and gets three commits (an
 * INSERT, an UPDATE of the type's columns, a DELETE); then
 *  - `vsg diff` between the INSERT and the UPDATE shows the changed cells, and
 *    `--json` carries each value's exact text form;
 *  - `vsg rollback` of the UPDATE undoes exactly it;
 *  - `vsg checkout` of the INSERT reproduces exactly that commit's rows;
 *  - `vsg restore` of the root does too, and `vsg status` shows the difference;
 *  - after each write-back a plain INSERT (identity/serial left to its
 *    default) succeeds: no sequence is behind the rows written back.
 * Expected states are snapshots taken in SQL at each commit (CREATE TABLE AS),
 * compared with the live table by EXCEPT ALL both ways, on the real types and
 * on each row's text form. Families then add their own cases (sequences after
 * TRUNCATE … RESTART IDENTITY, a tightened domain CHECK, an enum value added
 * later, a column added with a volatile default, values of several MB).
 *
 * The write steps (track, commit, rollback, checkout, restore, status) go
 * through the library over one open repository on both databases: what they
 * test is the database's handling of each type, not the command line, and a
 * spawn per step cost ~10 starts of bin/vsg per family. On the server, the
 * reads whose printed form is the point (`vsg diff` as text and --json,
 * `vsg show`, the first line of a refused write-back) run bin/vsg as a user
 * runs it, so the command line's rendering of each type is checked there. On
 * the embedded database those reads are the CLI's own renderers over the
 * library's result (a spawn would start the embedded database each time).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, vsgOk, type Target } from '../helpers/targets.js';

// PGlite spawns cost a second or more each on a busy machine.
vi.setConfig({ testTimeout: 600_000 });

type Image = Record<string, string | null>;
type Images = Map<string, Image>;

interface Family {
  table: string;
  /** types, the table (key column `id`) and its first rows: the tracked state */
  setup: string;
  insert: string;
  /** changes the family's columns of some rows, none of which `del` deletes */
  update: string;
  del: string;
  /** an INSERT leaving the key (identity/serial) to its default */
  plain: string;
  /** select list compared on the real types (default *): json has no equality operator */
  compare?: string;
  /** lines the text diff of the UPDATE must contain */
  rendered?: string[];
  /** exact text forms the UPDATE's --json diff must carry: id -> column -> [old, new] */
  json?: Record<string, Record<string, [string | null, string | null]>>;
}

interface Run {
  d: Driver;
  f: Family;
  /** root (track), INSERT, UPDATE, DELETE commits */
  c: [string, string, string, string];
  s: Images[];
  /** `vsg diff` of the UPDATE, as text and as parsed --json */
  diffText: string;
  diffJson: { changes: { key: Image; old: Image | null; new: Image | null }[] };
}

/** A write-back refused: its exit code, error code and first line of stderr. */
interface Refusal {
  code: number;
  err: string | undefined;
  line: string;
}

/** The steps of a round trip, through bin/vsg (server) or the library (embedded database). */
interface Driver {
  /** run SQL directly, as an application would (several statements allowed); the last statement's rows */
  rows(text: string): Promise<Record<string, unknown>[]>;
  /** track the table; the root commit's id */
  track(table: string): Promise<string>;
  /** commit SQL, or the uncommitted changes; the new commit's id */
  commit(table: string, message: string, statement?: string): Promise<string>;
  /** `vsg diff from to -t table`, as text and as --json */
  diff(from: string, to: string, table: string): Promise<{ text: string; json: Run['diffJson'] }>;
  /** what `vsg rollback` / `vsg checkout` print */
  rollback(ref: string, table: string): Promise<string>;
  checkout(ref: string, table: string, force?: boolean): Promise<string>;
  /** `vsg restore [ref] -t table` */
  restore(table: string, ref?: string): Promise<void>;
  status(table: string): Promise<Record<string, unknown>[]>;
  /** `vsg show ref`, as text and as --json */
  show(ref: string): Promise<string>;
  showJson(ref: string): Promise<{ schema: string[] }>;
  /** `vsg sql`: a statement run by vsg */
  sql(statement: string): Promise<void>;
  /** a checkout (with --force) or rollback that must be refused */
  refusal(verb: 'checkout' | 'rollback', ref: string, table: string): Promise<Refusal>;
  close(): Promise<void>;
}

const md5 = (v: string) => createHash('md5').update(v, 'utf8').digest('hex');
const code = (stderr: string) => /code: (E_\w+)/.exec(stderr)?.[1];

/** The last statement's rows of a query result (one result, or one per statement). */
function lastRows(r: unknown): Record<string, unknown>[] {
  const all = r as { rows: Record<string, unknown>[] } | { rows: Record<string, unknown>[] }[];
  return (Array.isArray(all) ? all[all.length - 1] : all).rows;
}

/** The reads whose printed form is checked, each a spawned bin/vsg. */
function cliReads(t: Target): Pick<Driver, 'diff' | 'show' | 'showJson' | 'refusal'> {
  return {
    diff: async (from, to, table) => ({
      text: await vsgOk(t, ['diff', from, to, '-t', table]),
      json: JSON.parse(await vsgOk(t, ['diff', from, to, '-t', table, '--json'])),
    }),
    show: (ref) => vsgOk(t, ['show', ref]),
    showJson: async (ref) => JSON.parse(await vsgOk(t, ['show', ref, '--json'])),
    async refusal(verb, ref, table) {
      const r = await vsg(t, [verb, ref, ...(verb === 'checkout' ? ['--force'] : []), '-t', table, '--verbose']);
      return { code: r.code, err: code(r.stderr), line: r.stderr.split('\n')[0] };
    },
  };
}

/** Every step a library call on one open repository; text through the CLI's own renderers. */
async function libDriver(t: Target): Promise<Driver> {
  const repo: Repository = await t.open({ init: true });
  const { renderDiff } = await import('../../src/render/diff.js');
  const { renderShow } = await import('../../src/render/misc.js');
  const { renderCheckout, renderRollback } = await import('../../src/render/blame.js');
  const { makeStyle } = await import('../../src/render/style.js');
  const style = makeStyle(false);
  const author = 'tester';
  /** what --json prints: the result as JSON */
  const asJson = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    rows: async (text) => lastRows(await repo.db.query(text)),
    track: async (table) => (await repo.track(table, { author })).root.id,
    commit: async (table, message, statement) => (await repo.commit({ table, message, author, sql: statement })).commit.id,
    async diff(from, to, table) {
      const d = await repo.diff({ table, from, to });
      return { text: `${renderDiff(d, style)}\n`, json: asJson(d) };
    },
    rollback: async (ref, table) => `${renderRollback(await repo.rollback({ table, ref, author }), style)}\n`,
    checkout: async (ref, table, force) => `${renderCheckout(await repo.checkout({ table, ref, author, force }), style)}\n`,
    async restore(table, ref) {
      await repo.restore({ table, ref });
    },
    status: async (table) => asJson(await repo.status({ table })),
    show: async (ref) => `${renderShow(await repo.show(ref), style)}\n`,
    showJson: async (ref) => asJson(await repo.show(ref)),
    async sql(statement) {
      await repo.sql(statement);
    },
    async refusal(verb, ref, table) {
      try {
        await (verb === 'checkout' ? repo.checkout({ table, ref, author, force: true }) : repo.rollback({ table, ref, author }));
      } catch (e) {
        const err = e as { code?: string; exitCode?: number; message: string };
        return { code: err.exitCode ?? -1, err: err.code, line: `error: ${err.message}` };
      }
      return { code: 0, err: undefined, line: '' };
    },
    close: () => repo.close(),
  };
}

/** Each row's text forms, by id, read by the test's own SQL (not vsg's). */
function imagesOf(rows: Record<string, unknown>[], n: number): Images {
  const out: Images = new Map();
  for (const r of rows) {
    if (Number(r.n) !== n) continue;
    const img = JSON.parse(String(r.img)) as Image;
    out.set(String(img.id), img);
  }
  return out;
}

const byId = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : 1);

/** What a diff from one snapshot to another must say, computed from the snapshots. */
function expectedChanges(from: Images, to: Images): { key: Image; old: Image | null; new: Image | null }[] {
  const keys = [...new Set([...from.keys(), ...to.keys()])].sort(byId);
  return keys
    .map((k) => ({ key: { id: k }, old: from.get(k) ?? null, new: to.get(k) ?? null }))
    .filter((c) => JSON.stringify(c.old) !== JSON.stringify(c.new));
}

function counts(from: Images, to: Images): { inserted: number; updated: number; deleted: number } {
  const ch = expectedChanges(from, to);
  return { inserted: ch.filter((c) => !c.old).length, updated: ch.filter((c) => c.old && c.new).length, deleted: ch.filter((c) => !c.new).length };
}

/**
 * Compare the live table with a snapshot, EXCEPT ALL both ways on the real
 * types and on the row text; then (in the same statement, so it is not
 * compared) run the family's plain INSERT, which fails if a sequence is behind.
 * `zero`: a count that must be 0; `head`: the repository's newest commit.
 */
async function check(run: Run, snap: string, opts: { before?: string; plain?: boolean; compare?: string; zero?: string; head?: string } = {}): Promise<void> {
  const tb = run.f.table;
  const cmp = opts.compare ?? run.f.compare ?? '*';
  const plain = opts.plain === false ? 'SELECT 1 WHERE false' : `${run.f.plain} RETURNING 1`;
  const both = (a: string, b: string) => `(SELECT count(*) FROM ((${a.replace(/@/g, tb)} EXCEPT ALL ${a.replace(/@/g, snap)}) UNION ALL (${b.replace(/@/g, snap)} EXCEPT ALL ${b.replace(/@/g, tb)})) x)`;
  const rows = await run.d.rows(
    `${opts.before ? `${opts.before};` : ''}
     WITH ins AS (${plain})
     SELECT ${both(`SELECT ${cmp} FROM @`, `SELECT ${cmp} FROM @`)} AS real_types,
            ${opts.compare ? '0' : both('SELECT r::text FROM @ r', 'SELECT r::text FROM @ r')} AS row_text,
            (SELECT count(*) FROM ins) AS plain,
            (${opts.zero ?? '0'}) AS zero,
            (SELECT id FROM vsg.commits ORDER BY seq DESC LIMIT 1) AS head`,
  );
  const r = rows[0];
  expect({ real: Number(r.real_types), text: Number(r.row_text), plain: Number(r.plain), zero: Number(r.zero), head: opts.head ? r.head : undefined }).toEqual({
    real: 0,
    text: 0,
    plain: opts.plain === false ? 0 : 1,
    zero: 0,
    head: opts.head,
  });
}

/** The shared round trip; returns what the family's own cases need. */
async function roundTrip(d: Driver, f: Family): Promise<Run> {
  const tb = f.table;
  await d.rows(`${f.setup}; CREATE TABLE ${tb}_s0 AS SELECT * FROM ${tb}`);
  const root = await d.track(tb);
  const c1 = await d.commit(tb, 'insert', f.insert);
  await d.rows(`CREATE TABLE ${tb}_s1 AS SELECT * FROM ${tb}; ${f.update}; CREATE TABLE ${tb}_s2 AS SELECT * FROM ${tb}`);
  const c2 = await d.commit(tb, 'update');
  const rows = await d.rows(
    `${f.del}; CREATE TABLE ${tb}_s3 AS SELECT * FROM ${tb};
     SELECT n, img FROM (${[0, 1, 2, 3].map((n) => `SELECT ${n} AS n, img FROM tl_images('${tb}_s${n}')`).join(' UNION ALL ')}) x`,
  );
  const c3 = await d.commit(tb, 'delete');
  const s = [0, 1, 2, 3].map((n) => imagesOf(rows, n));
  const [s0, s1, s2, s3] = s;
  expect(counts(s0, s1).inserted).toBeGreaterThan(0);
  expect(expectedChanges(s1, s2).length).toBeGreaterThan(0);
  expect(counts(s2, s3).deleted).toBeGreaterThan(0);

  // diff: the cells the UPDATE changed, exactly, in text and in JSON.
  const { text, json } = await d.diff(c1, c2, tb);
  const run: Run = { d, f, c: [root, c1, c2, c3], s, diffText: text, diffJson: json };
  const want = expectedChanges(s1, s2);
  expect(json.changes).toEqual(want);
  for (const [id, cols] of Object.entries(f.json ?? {})) {
    const ch = json.changes.find((c) => c.key.id === id);
    for (const [col, [o, n]] of Object.entries(cols)) expect([col, ch?.old?.[col], ch?.new?.[col]]).toEqual([col, o, n]);
  }
  const plainValue = (v: string | null | undefined) => typeof v === 'string' && v !== '' && v !== 'NULL' && v.length <= 40 && !/^\s|\s$|[\n\t]/.test(v);
  for (const ch of want) {
    expect(text).toContain(`${ch.old && ch.new ? '~' : ch.old ? '-' : '+'} id=${ch.key.id}\n`);
    for (const col of Object.keys(ch.new ?? {})) {
      const [o, n] = [ch.old?.[col], ch.new?.[col]];
      if (o !== n && plainValue(o) && plainValue(n)) expect(text).toContain(`\n    ${col}: ${o} → ${n}\n`);
    }
  }
  for (const line of f.rendered ?? []) expect(text).toContain(line);

  // rollback of the UPDATE: the keys it changed get their rows from before it (the DELETE touched others).
  expect(await d.rollback(c2, tb)).toMatch(new RegExp(`rolled back [0-9a-f]{7} in ${tb}: `));
  const ids = `ARRAY[${want.map((c) => `'${c.key.id}'`).join(', ')}]::text[]`;
  await check(run, `${tb}_rb`, {
    before: `CREATE TABLE ${tb}_rb AS SELECT * FROM ${tb}_s3 WHERE NOT (id::text = ANY (${ids}))
             UNION ALL SELECT * FROM ${tb}_s1 WHERE id::text = ANY (${ids})`,
  });

  // checkout of the INSERT (the plain row above is uncommitted: --force folds it in).
  expect(await d.checkout(c1, tb, true)).toMatch(/checked out [0-9a-f]{7} into /);
  await check(run, `${tb}_s1`);

  // restore of the root: uncommitted, and status shows the difference against HEAD (= the INSERT's rows).
  await d.restore(tb, root);
  const st = await d.status(tb);
  expect(st[0]).toMatchObject({ ...counts(s1, s0), clean: false });
  await check(run, `${tb}_s0`);
  return run;
}

/** After the table is wiped and its sequences restarted, a checkout must raise them again. */
async function wipeAndCheckout(run: Run, extraSql = ''): Promise<void> {
  const tb = run.f.table;
  await run.d.rows(`TRUNCATE ${tb} RESTART IDENTITY${extraSql}`);
  await run.d.commit(tb, 'wipe');
  await run.d.checkout(run.c[3], tb);
  await check(run, `${tb}_s3`); // the plain INSERT collides if a sequence is behind
}

/** A refusal: exit 4, the error code, and its first line (callers then check that nothing changed). */
async function refused(run: Run, verb: 'checkout' | 'rollback', ref: string, errorCode: string, message: RegExp): Promise<void> {
  const r = await run.d.refusal(verb, ref, run.f.table);
  expect({ code: r.code, err: r.err }).toEqual({ code: 4, err: errorCode });
  expect(r.line).toMatch(message);
}

const TEXT_IMAGES = `CREATE FUNCTION tl_images(snap regclass) RETURNS TABLE (img text) LANGUAGE plpgsql
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres' SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $f$
BEGIN
  RETURN QUERY EXECUTE format('SELECT json_build_object(%s)::text FROM %s r',
    (SELECT string_agg(format('%L, r.%I::text', attname, attname), ', ' ORDER BY attnum)
     FROM pg_attribute WHERE attrelid = snap AND attnum > 0 AND NOT attisdropped), snap);
END
$f$`;

describe.each(targetNames())('every type family round-trips on %s', (name) => {
  let t: Target;
  let d: Driver;
  beforeAll(async () => {
    t = await makeTarget(name);
    d = await libDriver(t);
    if (name === 'postgres') d = { ...d, ...cliReads(t) };
    await d.rows(TEXT_IMAGES);
  });
  afterAll(async () => {
    await d?.close();
    await t.cleanup();
  });

  it('identity GENERATED ALWAYS as key, BY DEFAULT as a non-key column', async () => {
    const run = await roundTrip(d, {
      table: 'tl_ident_a',
      setup: `CREATE TABLE tl_ident_a (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                n bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100) UNIQUE, v text);
              INSERT INTO tl_ident_a (v) VALUES ('a'), ('b');
              INSERT INTO tl_ident_a (id, n, v) OVERRIDING SYSTEM VALUE VALUES (50, 9000, 'explicit')`,
      insert: `INSERT INTO tl_ident_a (v) VALUES ('c'), ('d')`,
      update: `UPDATE tl_ident_a SET n = n + 1000 WHERE id IN (1, 50)`,
      del: `DELETE FROM tl_ident_a WHERE id = 4`,
      plain: `INSERT INTO tl_ident_a (v) VALUES ('plain')`,
      rendered: ['~ id=1\n    n: 100 → 1100\n', '~ id=50\n    n: 9000 → 10000\n'],
    });
    await wipeAndCheckout(run);
    // An identity column added since: a row written back from before it gets the column's next value.
    await d.commit('tl_ident_a', 'add k', 'ALTER TABLE tl_ident_a ADD COLUMN k int GENERATED ALWAYS AS IDENTITY; DELETE FROM tl_ident_a WHERE id = 2');
    await d.checkout(run.c[0], 'tl_ident_a', true);
    await check(run, 'tl_ident_a_s0', { compare: 'id, n, v', zero: 'SELECT count(*) FROM tl_ident_a WHERE k IS NULL' });
  });

  it('identity BY DEFAULT as key, GENERATED ALWAYS as a non-key column; a value only an INSERT can write is refused', async () => {
    const run = await roundTrip(d, {
      table: 'tl_ident_d',
      setup: `CREATE TABLE tl_ident_d (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                n int GENERATED ALWAYS AS IDENTITY (START WITH 500) UNIQUE, v text);
              INSERT INTO tl_ident_d (v) VALUES ('a'), ('b')`,
      insert: `INSERT INTO tl_ident_d (v) VALUES ('c'); INSERT INTO tl_ident_d (id, v) VALUES (40, 'explicit')`,
      // the key changes: a delete of id 2 and an insert of id 102 (n goes with the row)
      update: `UPDATE tl_ident_d SET id = id + 100, v = 'moved' WHERE id = 2`,
      del: `DELETE FROM tl_ident_d WHERE id = 3`,
      plain: `INSERT INTO tl_ident_d (v) VALUES ('plain')`,
    });
    await wipeAndCheckout(run);
    // PostgreSQL lets only an INSERT set a GENERATED ALWAYS identity; an UPDATE can only set it to DEFAULT.
    const c4 = await d.commit('tl_ident_d', 'renumber', 'UPDATE tl_ident_d SET n = DEFAULT WHERE id = 1');
    await d.rows('CREATE TABLE tl_ident_d_s4 AS SELECT * FROM tl_ident_d');
    const msg = /^error: cannot write rows back to 'tl_ident_d': column 'n' is GENERATED ALWAYS AS IDENTITY/;
    await refused(run, 'checkout', run.c[3], 'E_APPLY_REFUSED', msg);
    await refused(run, 'rollback', c4, 'E_APPLY_REFUSED', msg);
    await check(run, 'tl_ident_d_s4', { plain: false, head: c4 });
  });

  it('serial, bigserial and an explicit sequence behind a nextval default', async () => {
    const run = await roundTrip(d, {
      table: 'tl_serial',
      setup: `CREATE SEQUENCE tl_serial_q;
              CREATE TABLE tl_serial (id bigserial PRIMARY KEY, s serial UNIQUE, q int UNIQUE DEFAULT nextval('tl_serial_q'), v text);
              INSERT INTO tl_serial (v) VALUES ('a'), ('b')`,
      insert: `INSERT INTO tl_serial (v) VALUES ('c'), ('d')`,
      update: `UPDATE tl_serial SET s = s + 1000, q = q + 1000 WHERE id = 2`,
      del: `DELETE FROM tl_serial WHERE id = 3`,
      plain: `INSERT INTO tl_serial (v) VALUES ('plain')`,
      rendered: ['~ id=2\n    s: 2 → 1002\n    q: 2 → 1002\n'],
    });
    // TRUNCATE … RESTART IDENTITY restarts the owned sequences; the explicit one is restarted by hand.
    await wipeAndCheckout(run, '; ALTER SEQUENCE tl_serial_q RESTART');
  });

  it('STORED generated columns follow their base columns', async () => {
    const run = await roundTrip(d, {
      table: 'tl_gen',
      setup: `CREATE TABLE tl_gen (id serial PRIMARY KEY, price numeric(10,2), qty int, name text,
                total numeric GENERATED ALWAYS AS (price * qty) STORED,
                label text GENERATED ALWAYS AS (upper(name) || '#' || qty::text) STORED);
              INSERT INTO tl_gen (price, qty, name) VALUES (2.50, 4, 'pen'), (1.00, 1, 'cap')`,
      insert: `INSERT INTO tl_gen (price, qty, name) VALUES (3.10, 2, 'ink'), (9.99, 1, 'box')`,
      update: `UPDATE tl_gen SET price = 6.25, name = 'big pen' WHERE id = 1`,
      del: `DELETE FROM tl_gen WHERE id = 4`,
      plain: `INSERT INTO tl_gen (price, qty, name) VALUES (1, 1, 'plain')`,
      rendered: ['    price: 2.50 → 6.25\n', '    total: 10.00 → 25.00\n', '    label: PEN#4 → BIG PEN#4\n'],
      json: { '1': { total: ['10.00', '25.00'], label: ['PEN#4', 'BIG PEN#4'] } },
    });
    // Generated values are never written: after the write-backs they still agree with their base columns.
    const bad = await d.rows(`SELECT count(*) AS n FROM tl_gen WHERE total IS DISTINCT FROM price * qty OR label IS DISTINCT FROM upper(name) || '#' || qty::text`);
    expect(Number(bad[0].n)).toBe(0);
    expect(run.s[2].get('1')).toMatchObject({ price: '6.25', total: '25.00' });
  });

  it('defaults with expressions keep the values they produced; a column added later with a volatile default', async () => {
    const run = await roundTrip(d, {
      table: 'tl_dflt',
      setup: `CREATE FUNCTION tl_tag() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 't-' || substr(md5(random()::text), 1, 8) $$;
              CREATE TABLE tl_dflt (id serial PRIMARY KEY, created timestamptz DEFAULT now(), u uuid DEFAULT gen_random_uuid(),
                r float8 DEFAULT random(), tag text DEFAULT tl_tag(), v text);
              INSERT INTO tl_dflt (v) VALUES ('a'), ('b')`,
      insert: `INSERT INTO tl_dflt (v) VALUES ('c'), ('d')`,
      update: `UPDATE tl_dflt SET created = created - interval '1 day 00:00:00.000001', u = gen_random_uuid(), r = random(), tag = tl_tag() WHERE id = 1`,
      del: `DELETE FROM tl_dflt WHERE id = 4`,
      plain: `INSERT INTO tl_dflt (v) VALUES ('plain')`,
    });
    const [, c1] = run.c;
    // Record the restored root, then add a column whose default differs per row and per call.
    await d.commit('tl_dflt', 'keep the restored rows');
    const alter = await d.commit('tl_dflt', 'add column', 'ALTER TABLE tl_dflt ADD COLUMN added timestamptz DEFAULT clock_timestamp()');
    const s = await d.showJson(alter);
    expect(s.schema).toEqual(["column 'added' added (timestamp with time zone)"]);
    await d.rows(`CREATE TABLE tl_dflt_sa AS SELECT * FROM tl_dflt; DELETE FROM tl_dflt WHERE id = 1`);
    await d.commit('tl_dflt', 'delete a row older than the column');
    // Back to the commit that added the column: the row comes back with the value it had, not a new default.
    await d.checkout(alter, 'tl_dflt');
    await check(run, 'tl_dflt_sa');
    // Back before the column existed: the old columns are exact; the added column keeps or gets its default.
    await d.checkout(c1, 'tl_dflt', true);
    await check(run, 'tl_dflt_s1', { compare: 'id, created, u, r, tag, v', zero: 'SELECT count(*) FROM tl_dflt WHERE added IS NULL' });
  });

  it('domains over text, int, a composite and an array; a CHECK tightened since refuses the old rows', async () => {
    const run = await roundTrip(d, {
      table: 'tl_domain',
      setup: `CREATE DOMAIN tl_code AS text CHECK (VALUE ~ '^[A-Z]{2,5}$');
              CREATE DOMAIN tl_pos AS int CHECK (VALUE > 0);
              CREATE TYPE tl_pair AS (a int, b text);
              CREATE DOMAIN tl_pair_d AS tl_pair CHECK ((VALUE).a > 0);
              CREATE DOMAIN tl_tags AS text[] CHECK (cardinality(VALUE) <= 3);
              CREATE TABLE tl_domain (id serial PRIMARY KEY, code tl_code, qty tl_pos, pair tl_pair_d, tags tl_tags);
              INSERT INTO tl_domain (code, qty, pair, tags) VALUES ('AB', 1, ROW(1, 'one'), '{x}'), ('CD', 2, ROW(2, NULL), '{}')`,
      insert: `INSERT INTO tl_domain (code, qty, pair, tags) VALUES ('EFG', 3, ROW(3, 'a "q"'), '{y,z}'), ('HI', 4, NULL, NULL)`,
      update: `UPDATE tl_domain SET code = 'ABCDE', qty = 100, pair = ROW(10, 'ten, 10'), tags = '{a,"b c",NULL}' WHERE id = 1`,
      del: `DELETE FROM tl_domain WHERE id = 4`,
      plain: `INSERT INTO tl_domain (code) VALUES ('PL')`,
      rendered: ['    code: AB → ABCDE\n', '    qty: 1 → 100\n'],
      json: { '1': { pair: ['(1,one)', '(10,"ten, 10")'], tags: ['{x}', '{a,"b c",NULL}'] } },
    });
    // Tighten the CHECK for new values (NOT VALID: existing rows and the snapshots stay).
    await d.sql('ALTER DOMAIN tl_code ADD CONSTRAINT tl_code_short CHECK (length(VALUE) <= 3) NOT VALID');
    const [{ id: head }] = await d.rows('CREATE TABLE tl_domain_sd AS SELECT * FROM tl_domain; SELECT id FROM vsg.commits ORDER BY seq DESC LIMIT 1');
    const msg = /^error: cannot write rows back to 'tl_domain': value for domain tl_code violates check constraint "tl_code_short"$/;
    await refused(run, 'checkout', run.c[2], 'E_APPLY_REFUSED', msg);
    await check(run, 'tl_domain_sd', { plain: false, head: String(head) });
  });

  it('ranges (empty, infinite bounds, time zones) and a multirange', async () => {
    await roundTrip(d, {
      table: 'tl_range',
      setup: `CREATE TABLE tl_range (id serial PRIMARY KEY, i int4range, n numrange, ts tsrange, tz tstzrange, d daterange, m int4multirange);
              INSERT INTO tl_range (i, n, ts, tz, d, m) VALUES
                ('[1,5)', '[1.50,2.250]', '[2024-01-01 00:00:00.000001,)', '["2024-03-10 01:30:00-08","2024-03-10 03:30:00-07")', '[2024-01-01,infinity)', '{[1,3),[5,8)}'),
                ('empty', '(,)', 'empty', '(,"2024-06-01 12:00:00+02"]', '(-infinity,2000-01-01]', '{}')`,
      insert: `INSERT INTO tl_range (i, n, ts, tz, d, m) VALUES ('[3,3]', '(0,1e-20)', '[-infinity,infinity]', 'empty', '[2024-02-28,2024-03-01]', '{[1,2),(2,3]}'), (NULL, NULL, NULL, NULL, NULL, NULL)`,
      update: `UPDATE tl_range SET i = 'empty', n = '[1.500,)', tz = '["2024-10-27 01:30:00+01","2024-10-27 02:30:00+00"]', m = m + '{[20,30)}', d = 'empty' WHERE id = 1`,
      del: `DELETE FROM tl_range WHERE id = 4`,
      plain: `INSERT INTO tl_range (i) VALUES ('[7,9)')`,
      rendered: ['    i: [1,5) → empty\n', '    n: [1.50,2.250] → [1.500,)\n', '    m: {[1,3),[5,8)} → {[1,3),[5,8),[20,30)}\n'],
      json: {
        '1': {
          tz: ['["2024-03-10 09:30:00+00","2024-03-10 10:30:00+00")', '["2024-10-27 00:30:00+00","2024-10-27 02:30:00+00"]'],
          d: ['[2024-01-01,infinity)', 'empty'],
          ts: ['["2024-01-01 00:00:00.000001",)', '["2024-01-01 00:00:00.000001",)'],
        },
      },
    });
  });

  it('enums, with a value added later that sorts between the others', async () => {
    const run = await roundTrip(d, {
      table: 'tl_enum',
      setup: `CREATE TYPE tl_mood AS ENUM ('sad', 'ok', 'happy');
              CREATE TABLE tl_enum (id serial PRIMARY KEY, mood tl_mood, moods tl_mood[]);
              INSERT INTO tl_enum (mood, moods) VALUES ('sad', '{sad,happy}'), ('ok', '{}')`,
      insert: `INSERT INTO tl_enum (mood, moods) VALUES ('happy', '{ok,NULL}'), (NULL, NULL)`,
      update: `UPDATE tl_enum SET mood = 'happy', moods = '{happy,happy,sad}' WHERE id = 1`,
      del: `DELETE FROM tl_enum WHERE id = 4`,
      plain: `INSERT INTO tl_enum (mood) VALUES ('ok')`,
      rendered: ['    mood: sad → happy\n', '    moods: {sad,happy} → {happy,happy,sad}\n'],
    });
    await d.restore('tl_enum');
    await d.sql(`ALTER TYPE tl_mood ADD VALUE 'meh' BEFORE 'ok'`);
    const c5 = await d.commit('tl_enum', 'meh', `UPDATE tl_enum SET mood = 'meh', moods = moods || 'meh'::tl_mood WHERE id = 2; INSERT INTO tl_enum (mood) VALUES ('meh')`);
    await d.rows('CREATE TABLE tl_enum_sm AS SELECT * FROM tl_enum');
    await d.checkout(run.c[0], 'tl_enum');
    await d.checkout(c5, 'tl_enum');
    await check(run, 'tl_enum_sm');
    // the live rows plus the plain 'ok' of the check, in the enum's order (NULL left out)
    const order = await d.rows(`SELECT string_agg(mood::text, ',' ORDER BY mood) AS o FROM tl_enum`);
    expect(order[0].o).toBe('sad,meh,meh,ok,happy');
  });

  it('multi-dimensional arrays with NULL elements, quoted strings, empty arrays and lower bounds', async () => {
    await roundTrip(d, {
      table: 'tl_array',
      setup: `CREATE TABLE tl_array (id serial PRIMARY KEY, ints int[][], texts text[][], flags bool[]);
              INSERT INTO tl_array (ints, texts, flags) VALUES
                ('{{1,NULL},{NULL,4}}', '{{"a b","c,d"},{NULL,"\\"q\\""}}', '{t,NULL,f}'),
                ('[0:1][-1:0]={{1,2},{3,NULL}}', '{{"NULL",""},{"x\\\\y","{}"}}', '{}')`,
      insert: `INSERT INTO tl_array (ints, texts, flags) VALUES ('{}', '{}', NULL), ('{{{1}},{{2}}}', E'{"\\u00e9t\\u00e9 🐘","line\\nbreak"}', '[5:5]={t}')`,
      update: `UPDATE tl_array SET ints = '[2:3][0:1]={{NULL,NULL},{5,6}}', texts = '{{NULL,NULL},{"",""}}' WHERE id = 1;
               UPDATE tl_array SET ints = '{}', flags = '[-1:0]={f,t}' WHERE id = 2`,
      del: `DELETE FROM tl_array WHERE id = 4`,
      plain: `INSERT INTO tl_array (ints) VALUES ('{1}')`,
      rendered: ['    ints: {{1,NULL},{NULL,4}} → [2:3][0:1]={{NULL,NULL},{5,6}}\n', '    ints: [0:1][-1:0]={{1,2},{3,NULL}} → {}\n'],
      json: {
        '1': { texts: ['{{"a b","c,d"},{NULL,"\\"q\\""}}', '{{NULL,NULL},{"",""}}'] },
        '2': { ints: ['[0:1][-1:0]={{1,2},{3,NULL}}', '{}'], flags: ['{}', '[-1:0]={f,t}'] },
      },
    });
  });

  it('composite types, and json keeping duplicate keys and whitespace', async () => {
    await roundTrip(d, {
      table: 'tl_comp',
      setup: `CREATE TYPE tl_addr AS (street text, zip int, tags text[]);
              CREATE TABLE tl_comp (id serial PRIMARY KEY, addr tl_addr, j json);
              INSERT INTO tl_comp (addr, j) VALUES (ROW('1 Main St', 12345, '{home,"x,y"}'), '{"a":1, "a":2,   "b" : [1,2]}'),
                                                  (ROW(NULL, NULL, NULL), ' [ ] ')`,
      insert: `INSERT INTO tl_comp (addr, j) VALUES (ROW('', 0, '{}'), 'null'), (NULL, '{"k":"v\\u00e9"}')`,
      update: `UPDATE tl_comp SET addr = ROW('2 "Quoted" Rd', 99, NULL), j = '{"a":2,"a":1}' WHERE id = 1; UPDATE tl_comp SET j = '[]' WHERE id = 2`,
      del: `DELETE FROM tl_comp WHERE id = 4`,
      plain: `INSERT INTO tl_comp (j) VALUES ('{}')`,
      compare: 'id, addr, j::text',
      rendered: ['    j: {"a":1, "a":2,   "b" : [1,2]} → {"a":2,"a":1}\n', '    j: " [ ] " → []\n'],
      json: { '1': { addr: ['("1 Main St",12345,"{home,""x,y""}")', '("2 ""Quoted"" Rd",99,)'], j: ['{"a":1, "a":2,   "b" : [1,2]}', '{"a":2,"a":1}'] } },
    });
  });

  it('values of several MB (5 MB text, 5 MB bytea, 3 MB jsonb): exact by md5, diff stays readable', async () => {
    const big = (n: number) => `(SELECT string_agg(md5(i::text), ' ') FROM generate_series(1, ${n}) i)`;
    const run = await roundTrip(d, {
      table: 'tl_large',
      setup: `CREATE TABLE tl_large (id serial PRIMARY KEY, t text, b bytea, j jsonb);
              INSERT INTO tl_large (t, b, j) VALUES ('small', '\\x00', '{}')`,
      insert: `INSERT INTO tl_large (t, b, j) VALUES (${big(160_000)}, decode(replace(${big(330_000)}, ' ', ''), 'hex'),
                 (SELECT jsonb_agg(jsonb_build_object('i', i, 'h', md5(i::text))) FROM generate_series(1, 60000) i)),
               ('also small', '\\x01', '[]')`,
      update: `UPDATE tl_large SET t = t || ' the end', b = set_byte(b, 4000000, 255), j = jsonb_set(j, '{30000,h}', '"changed"') WHERE id = 2`,
      del: `DELETE FROM tl_large WHERE id = 3`,
      plain: `INSERT INTO tl_large (t) VALUES ('plain')`,
      compare: 'id, md5(t), md5(b), md5(j::text)',
    });
    const sizes = await d.rows(`SELECT length(t) AS t, length(b) AS b, length(j::text) AS j, md5(t) AS mt, md5(b::text) AS mb, md5(j::text) AS mj
                                    FROM tl_large_s2 WHERE id = 2`);
    expect(Number(sizes[0].t)).toBeGreaterThan(5_000_000);
    expect(Number(sizes[0].b)).toBeGreaterThan(5_000_000);
    expect(Number(sizes[0].j)).toBeGreaterThan(3_000_000);
    // --json carries every value whole: the same md5 as the server's text form.
    const n = run.diffJson.changes[0].new as Image;
    expect([md5(n.t as string), md5(n.b as string), md5(n.j as string)]).toEqual([sizes[0].mt, sizes[0].mb, sizes[0].mj]);
    // The text diff and show print a window of each value and its length, not megabytes.
    const text = run.diffText;
    expect(text.length).toBeLessThan(4000);
    expect(text).toMatch(/\n {4}t: .*\[5\d{6} characters\]/);
    expect(text).toContain('the end');
    const shown = await d.show(run.c[1]);
    expect(shown.length).toBeLessThan(4000);
    expect(shown).toMatch(/\n {4}b: \\x[0-9a-f]+… \[10\d{6} characters\]/);
  });
});
