/**
 * The embedded cluster template's cache key: one PGlite version, one key, so
 * that two installs of it (a global vsg and a project's) share one template
 * instead of each deleting the other's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { templateKey } from '../../src/db/template.js';

describe('the template key', () => {
  it('does not change when the files of the same PGlite are installed again (other times, same contents)', () => {
    const wasm = path.join(path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))), 'pglite.wasm');
    const before = templateKey();
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    const { atime, mtime } = fs.statSync(wasm);
    try {
      fs.utimesSync(wasm, atime, new Date(mtime.getTime() - 86_400_000));
      expect(templateKey()).toBe(before);
    } finally {
      fs.utimesSync(wasm, atime, mtime);
    }
  });
});
