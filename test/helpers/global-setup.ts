/**
 * Decides which databases the suites run against, once per run:
 *   VSG_TEST_DATABASE_URL if set, else the server at 127.0.0.1:5432 if it
 *   answers, else a testcontainers PostgreSQL if a container runtime answers,
 *   else PGlite alone (and says so). PGlite always runs too.
 * Also initialises one PGlite data directory that each test copies.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string | null;
    pgliteTemplate: string;
  }
}

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void>)[] = [];
  let serverUrl: string | null = null;
  const candidates = [process.env.VSG_TEST_DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/postgres'].filter(Boolean) as string[];
  for (const url of candidates) {
    if (await answers(url)) {
      serverUrl = url;
      break;
    }
  }
  if (!serverUrl) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:15').start();
      serverUrl = container.getConnectionUri();
      cleanups.push(async () => void (await container.stop()));
      process.stderr.write(`vsg tests: using a testcontainers PostgreSQL at ${serverUrl}\n`);
    } catch {
      process.stderr.write('vsg tests: no PostgreSQL server answered and no container runtime; running against PGlite only\n');
    }
  }
  // The cluster every embedded target starts from: the one `vsg init` copies
  // (the user's cache, made by npm install), so that no run pays initdb again.
  const template = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-pglite-template-'));
  // (in a child process: vitest's module runner has no import.meta.resolve, which the template code uses)
  const made = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', 'const m = await import(process.argv[1]); m.extractCluster(await m.clusterTemplate(), process.argv[2]);',
      pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'db', 'template.js')).href, path.join(template, 'pgdata')],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`cannot make the embedded template: ${made.stderr}`);
  project.provide('serverUrl', serverUrl);
  project.provide('pgliteTemplate', template);
  return async () => {
    fs.rmSync(template, { recursive: true, force: true });
    for (const c of cleanups) await c();
  };
}
