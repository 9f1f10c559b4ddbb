import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskConnection, parseConnection, parseKeywords, scrubSecrets, sslConfig } from '../../src/db/connection.js';
import { assertRunsInTransaction, mayRefuse } from '../../src/db/statements.js';
import type { VsgError } from '../../src/errors.js';

const codeOf = async (f: () => unknown): Promise<string | undefined> => {
  try {
    await f();
    return undefined;
  } catch (e) {
    return (e as VsgError).code;
  }
};

describe('maskConnection', () => {
  it('masks the userinfo, ?password= and &sslpassword= of a URL', () => {
    expect(maskConnection('postgres://u:p%40ss@h/db?password=x&sslpassword=y&sslmode=require')).toBe('postgres://u:***@h/db?password=***&sslpassword=***&sslmode=require');
    expect(maskConnection('postgres://u@h/db')).toBe('postgres://u@h/db');
  });
  it('masks bare and quoted keyword values, leaving the rest', () => {
    expect(maskConnection("host=h password='a b\\' c' dbname=d sslpassword=z")).toBe('host=h password=*** dbname=d sslpassword=***');
    expect(maskConnection('host=h password = x')).toBe('host=h password = ***');
  });
});

describe('parseKeywords', () => {
  it("reads libpq's syntax: spaces around '=', quotes, backslash escapes", () => {
    expect([...parseKeywords("host = h  dbname='my db' password=a\\ b user='o\\'neil'")]).toEqual([
      ['host', 'h'],
      ['dbname', 'my db'],
      ['password', 'a b'],
      ['user', "o'neil"],
    ]);
  });
  it('refuses what libpq would', async () => {
    expect(await codeOf(() => parseKeywords("host='h"))).toBe('E_CONFIG');
    expect(await codeOf(() => parseKeywords('host h'))).toBe('E_CONFIG');
  });
});

describe('parseConnection', () => {
  it('turns keyword=value into a node-postgres config', () => {
    const t = parseConnection("host=db port=6432 dbname=app user=me password='p w' connect_timeout=3", {});
    expect(t.config).toEqual({ host: 'db', port: 6432, database: 'app', user: 'me', password: 'p w', connect_timeout: '3', connectionTimeoutMillis: 3000, ssl: false });
    expect(t.secrets).toEqual(['p w']);
    expect(t.where).toBe('host=db port=6432 dbname=app user=me password=*** connect_timeout=3');
  });
  it('keeps every password of a URL as a secret, raw and decoded', () => {
    expect(parseConnection('postgres://u:a%40b@h/db', {}).secrets.sort()).toEqual(['a%40b', 'a@b']);
    expect(parseConnection('postgres://u@h/db?password=q1', {}).secrets).toEqual(['q1']);
  });
  it('takes the SSL parameters out of the URL before node-postgres sees them', () => {
    const t = parseConnection('postgres://u@h:5433/db?sslmode=require&application_name=a', {});
    expect(t.config).toMatchObject({ host: 'h', port: 5433, database: 'db', application_name: 'a', ssl: { rejectUnauthorized: false } });
    expect(t.config).not.toHaveProperty('sslmode');
  });
});

describe('sslConfig: libpq semantics', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-ssl-'));
  const ca = path.join(home, 'ca.pem');
  fs.writeFileSync(ca, 'CA');
  const env = { HOME: home };
  const of = (p: Record<string, string>, e: NodeJS.ProcessEnv = env) => sslConfig(new Map(Object.entries(p)), e);
  it('disable, allow, prefer', () => {
    expect(of({})).toEqual({ ssl: false });
    expect(of({ sslmode: 'disable' })).toEqual({ ssl: false });
    expect(of({ sslmode: 'allow' })).toEqual({ ssl: false, fallback: 'tls' });
    expect(of({ sslmode: 'prefer' })).toEqual({ ssl: { rejectUnauthorized: false }, fallback: 'plain' });
  });
  it('require encrypts without verifying, or verifies the chain given a root certificate', () => {
    expect(of({ sslmode: 'require' })).toEqual({ ssl: { rejectUnauthorized: false } });
    const r = of({ sslmode: 'require', sslrootcert: ca }).ssl as { ca: string; checkServerIdentity: unknown; rejectUnauthorized?: boolean };
    expect([r.ca, typeof r.checkServerIdentity, r.rejectUnauthorized]).toEqual(['CA', 'function', undefined]);
  });
  it('verify-ca checks the chain only; verify-full the chain and the host; system means the system CAs', () => {
    const vca = of({ sslmode: 'verify-ca', sslrootcert: ca }).ssl as { ca: string; checkServerIdentity: unknown };
    expect([vca.ca, typeof vca.checkServerIdentity]).toEqual(['CA', 'function']);
    expect(of({ sslmode: 'verify-full', sslrootcert: ca })).toEqual({ ssl: { ca: 'CA' } });
    expect(of({ sslmode: 'verify-full' })).toEqual({ ssl: {} });
    expect(of({ sslmode: 'require', sslrootcert: 'system' })).toEqual({ ssl: {} });
  });
  it('PGSSLMODE applies when the string has no sslmode', () => {
    expect(of({}, { ...env, PGSSLMODE: 'require' })).toEqual({ ssl: { rejectUnauthorized: false } });
    expect(of({ sslmode: 'disable' }, { ...env, PGSSLMODE: 'require' })).toEqual({ ssl: false });
  });
  it('refuses verify-ca without a root certificate, an unreadable file and an unknown mode', async () => {
    expect(await codeOf(() => of({ sslmode: 'verify-ca' }))).toBe('E_CONFIG');
    expect(await codeOf(() => of({ sslmode: 'require', sslrootcert: path.join(home, 'none') }))).toBe('E_CONFIG');
    expect(await codeOf(() => of({ sslmode: 'strict' }))).toBe('E_CONFIG');
  });
});

describe('scrubSecrets', () => {
  it('removes PGPASSWORD, raw and encoded, but not a secret too short to scrub safely', () => {
    expect(scrubSecrets('a p@ss#1 and p%40ss%231', { PGPASSWORD: 'p@ss#1' })).toBe('a *** and ***');
    expect(scrubSecrets('postgres abc', { PGPASSWORD: 'abc' })).toBe('postgres abc');
  });
});

describe('assertRunsInTransaction', () => {
  const refused = (sql: string) => codeOf(() => assertRunsInTransaction(sql));
  it('refuses transaction control and what cannot run in a transaction block', async () => {
    expect(await refused('UPDATE t SET a = 1; COMMIT')).toBe('E_TX_CONTROL');
    expect(await refused('commit and chain')).toBe('E_TX_CONTROL');
    expect(await refused('ROLLBACK PREPARED $$x$$')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('VACUUM (ANALYZE) t')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('REINDEX (CONCURRENTLY) TABLE t')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('DROP INDEX CONCURRENTLY i')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('ALTER TABLE p DETACH PARTITION c CONCURRENTLY')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('DISCARD ALL')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('ALTER SYSTEM SET work_mem = 1')).toBe('E_NO_TRANSACTION_BLOCK');
    expect(await refused('SAVEPOINT a; SAVEPOINT b; RELEASE a; ROLLBACK TO b')).toBe('E_SAVEPOINT');
  });
  it('allows the rest, and leaves what does not parse to PostgreSQL', async () => {
    expect(await refused('ANALYZE t; CLUSTER t USING i; DISCARD PLANS; REINDEX TABLE t; CREATE INDEX i ON t (a)')).toBeUndefined();
    expect(await refused('SAVEPOINT a; SAVEPOINT b; ROLLBACK TO a; RELEASE a')).toBeUndefined();
    expect(await refused("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$; SELECT 'ROLLBACK' /* END */")).toBeUndefined();
    expect(await refused('COMMIT; SELEC 1')).toBeUndefined();
  });
  it('mayRefuse: every refused statement holds one of its words, however spelt; plain DML holds none', async () => {
    const refusedSql = [
      'UPDATE t SET a = 1; COMMIT', 'commit and chain', 'end', 'abort', 'begin', 'start transaction', 'prepare transaction $$x$$',
      'ROLLBACK PREPARED $$x$$', 'commit prepared $$x$$', 'VACUUM (ANALYZE) t', 'vacuum', 'REINDEX (CONCURRENTLY) TABLE t', 'reindex system',
      'reindex database d', 'DROP INDEX CONCURRENTLY i', 'create index concurrently i on t (a)', 'ALTER TABLE p DETACH PARTITION c CONCURRENTLY',
      'DISCARD ALL', 'ALTER SYSTEM SET work_mem = 1', 'create database d', 'drop database d', 'alter database d set tablespace s',
      'create tablespace s location $$/x$$', 'drop tablespace s', 'create subscription s connection $$x$$ publication p', 'drop subscription s',
      'cluster', 'SAVEPOINT a; SAVEPOINT b; RELEASE a; ROLLBACK TO b', 'release x', 'UPDATE t SET a = 1;/**/CoMmIt/**/', 'select 1;\nend\n',
    ];
    for (const sql of refusedSql) {
      expect(await refused(sql), sql).toBeDefined(); // the parser refuses it
      expect(mayRefuse(sql), sql).toBe(true); // so the CLI must not skip parsing it
    }
    for (const sql of ['UPDATE t SET a = 1 WHERE id = 2', "INSERT INTO t (start_date, ended) VALUES (now(), 'x')", 'DELETE FROM t WHERE committed_at < now()', 'WITH x AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM x']) {
      expect(mayRefuse(sql), sql).toBe(false);
    }
  });
  it('says which SQL is plain statements only, to run inside vsg.run_statement', async () => {
    expect(await assertRunsInTransaction('UPDATE t SET a = 1 WHERE id = 2')).toBe(true);
    expect(await assertRunsInTransaction("INSERT INTO t VALUES (1); DELETE FROM t WHERE a = ';COMMIT'; SELECT 1")).toBe(true);
    expect(await assertRunsInTransaction('WITH x AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM x')).toBe(true);
    expect(await assertRunsInTransaction('SELECT * INTO u FROM t')).toBe(false);
    expect(await assertRunsInTransaction('SET LOCAL vsg.author = 1; UPDATE t SET a = 1')).toBe(false);
    expect(await assertRunsInTransaction('ALTER TABLE t ADD COLUMN b int')).toBe(false);
    expect(await assertRunsInTransaction('SAVEPOINT a; UPDATE t SET a = 1; RELEASE a')).toBe(false);
    expect(await assertRunsInTransaction('UPDAT t SET a = 1')).toBe(false);
    expect(await assertRunsInTransaction('')).toBe(false);
  });
});
