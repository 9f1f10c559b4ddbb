import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // One worker per core, not vitest's default of one fewer: most of a test's
    // time is spent waiting on what it spawned (bin/vsg, the server), so on a
    // 2-core machine the default ran the files one at a time.
    maxWorkers: os.availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
