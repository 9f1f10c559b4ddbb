/** `vsg demo`: the guided tour runs the real commands, fast, and leaves nothing behind unless asked. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vsg } from '../helpers/targets.js';

describe('vsg demo', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-demo-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PAGER: 'cat' };
  delete env.VSG_DATABASE_URL;
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  const started = Date.now();
  let elapsed = 0;
  const tour = vsg({ cwd, env }, ['demo']).then((r) => {
    elapsed = Date.now() - started;
    return r;
  });

  it('walks through the real commands and leaves nothing behind', async () => {
    const r = await tour;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // one process, one in-memory database: seconds, not a process per step
    expect(elapsed).toBeLessThan(90_000);
    for (const cmd of ['init', 'track clients', 'commit -t clients', 'log', 'diff HEAD~2 HEAD', 'show HEAD', 'status']) {
      expect(r.stdout).toContain(`$ vsg ${cmd}`);
    }
    expect(r.stdout).toMatch(/^tracking clients on branch main \[[0-9a-f]{7}\] 3 rows$/m);
    expect(r.stdout).toMatch(/^\[main [0-9a-f]{7}\] UPDATE clients: 2 updated$/m);
    // a statement over two related tables is one commit, and its rollback brings both back
    expect(r.stdout).toMatch(/^\[main [0-9a-f]{7}\] DELETE clients: 1 deleted · orders: 2 deleted$/m);
    expect(r.stdout).toMatch(/^\[main [0-9a-f]{7}\] rolled back [0-9a-f]{7} in clients: 1 inserted · orders: 2 inserted$/m);
    expect(r.stdout).toMatch(/nothing to commit, every table clean \(clients, orders\)\n/);
    // an application's session settings become the commit's author and metadata
    expect(r.stdout).toContain('Author: billing-app');
    expect(r.stdout).toContain('Meta:   request=r-42');
    // every step has a numbered one-line explanation before its command
    const steps = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
    const commands = r.stdout.split('\n').filter((l) => l.startsWith('$ vsg '));
    expect(steps.length).toBe(commands.length);
    expect(steps.length).toBeGreaterThanOrEqual(14);
    expect(r.stdout).not.toContain('error:');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('runs checkout, rollback, branch, switch and merge when this build has them', async () => {
    const probe = await vsg({ cwd, env }, ['--help']);
    const has = (c: string) => new RegExp(`^  ${c}\\b`, 'm').test(probe.stdout);
    const r = await tour;
    for (const c of ['rollback', 'checkout', 'restore', 'branch', 'switch', 'merge']) {
      if (has(c)) expect(r.stdout).toContain(`$ vsg ${c} `);
      else expect(r.stdout).not.toContain(`$ vsg ${c} `);
    }
    expect(r.stderr).toBe('');
  });

  it('--keep DIR keeps a repository the user can go on with, and refuses to reuse one', async () => {
    const dir = path.join(cwd, 'tour');
    const r = await vsg({ cwd, env }, ['demo', '--keep', dir]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.vsg'))).toBe(true);
    const log = await vsg({ cwd: dir, env }, ['log', '--oneline', '-t', 'clients']);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('double gold credit');
    const again = await vsg({ cwd, env }, ['demo', '--keep', dir]);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/already holds a vsg repository/);
  });
});
