// The CLI's early compile of PGlite's module (src/db/wasm.ts): when it starts, and that
// what it compiles is PGlite's. No database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedLikely, precompile, precompiled } from '../../src/db/wasm.js';

const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-wasm-'));
fs.mkdirSync(path.join(repo, '.vsg'));
fs.mkdirSync(path.join(repo, 'elsewhere'));
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-wasm-empty-'));
afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(empty, { recursive: true, force: true });
});

describe('embeddedLikely', () => {
  it('is true for a command in a directory holding a repository, with no server named', () => {
    expect(embeddedLikely(['log', '-n', '1'], {}, repo)).toBe(true);
    expect(embeddedLikely(['status'], { VSG_DIR: 'elsewhere' }, repo)).toBe(true);
  });
  it('is false where a server is named, no repository is there, or the command opens none', () => {
    expect(embeddedLikely(['log'], { VSG_DATABASE_URL: 'postgres://x/y' }, repo)).toBe(false);
    expect(embeddedLikely(['log', '--url', 'postgres://x/y'], {}, repo)).toBe(false);
    expect(embeddedLikely(['--url=postgres://x/y', 'log'], {}, repo)).toBe(false);
    expect(embeddedLikely(['log'], {}, empty)).toBe(false);
    expect(embeddedLikely(['log'], { VSG_DIR: 'nowhere' }, repo)).toBe(false);
    for (const args of [[], ['--help'], ['log', '--help'], ['-h'], ['help', 'log'], ['--version'], ['-V'], ['completion', 'bash']]) {
      expect(embeddedLikely(args, {}, repo)).toBe(false);
    }
  });
});

describe('precompile', () => {
  it("compiles PGlite's own module once, which precompiled hands over", async () => {
    precompile();
    const mod = await precompiled();
    expect(mod).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.Module.exports(mod as WebAssembly.Module).map((e) => e.name)).toContain('pgl_startPGlite');
    precompile(); // a second call starts nothing new
    expect(await precompiled()).toBe(mod);
  });
});
