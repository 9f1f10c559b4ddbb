import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { WASM_TIERING } from './src/db/wasm.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // One worker per core, not vitest's default of one fewer: most of a test's
    // time is spent waiting on what it spawned (bin/vsg, the server), so on a
    // 2-core machine the default ran the files one at a time.
    maxWorkers: os.availableParallelism(),
    // The workers open the embedded database in-process many times; with V8's
    // default tiering each start recompiles hundreds of PGlite's functions
    // that run once. The CLI sets the same budget for itself (src/db/wasm.ts);
    // the library leaves its host's flags alone, so the suite sets it here.
    execArgv: [WASM_TIERING],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
