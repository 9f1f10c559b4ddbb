/**
 * A session the server ends (administrator, shutdown, crash) is a lost
 * connection (exit 5), not a bug in vsg (exit 70): during a query, and also
 * between two queries, where node-postgres only says the client "is not
 * queryable" on the next one.
 */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { connectionLost } from '../../src/cli/main.js';

const server = inject('serverUrl') ?? undefined;

describe.skipIf(!server)('a session ended by the server (needs the PostgreSQL server; PGlite has no other session to end it)', () => {
  const open = async () => {
    const c = new pg.Client({ connectionString: server });
    c.on('error', () => undefined);
    await c.connect();
    const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { c, pid: rows[0].pid };
  };
  const terminate = async (pid: number) => {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
  };

  it('during a query', async () => {
    const { c, pid } = await open();
    const running = c.query('SELECT pg_sleep(30)').then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 200));
    await terminate(pid);
    const err = await running;
    expect(err).not.toBeNull();
    expect(connectionLost(err)).toBe(true);
    await c.end().catch(() => undefined);
  });

  it('between two queries', async () => {
    const { c, pid } = await open();
    const ended = new Promise((r) => c.once('error', r));
    await terminate(pid);
    await ended;
    const err = await c.query('SELECT 1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(err)).toContain('not queryable');
    expect(connectionLost(err)).toBe(true);
    await c.end().catch(() => undefined);
  });

  it('an ordinary SQL error is not a lost connection', async () => {
    const { c } = await open();
    const err = await c.query('SELECT * FROM no_such_table').then(
      () => null,
      (e: unknown) => e,
    );
    expect(connectionLost(err)).toBe(false);
    await c.end();
  });
});
