/** The error catalogue and the command contract, checked against the source itself. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_WORDS } from '../../src/cli/hints.js';
import { VERBS } from '../../src/cli/commands/index.js';
import { ERRORS, ExitCode, VsgError } from '../../src/errors.js';
import { root } from '../helpers/targets.js';

function sources(dir: string): Array<{ file: string; text: string }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') ? [{ file: path.relative(root, p), text: fs.readFileSync(p, 'utf8') }] : [];
  });
}
const src = sources(path.join(root, 'src'));

describe('the error catalogue', () => {
  it('holds every code thrown in src, and only those', () => {
    const thrown = new Set<string>();
    for (const { text } of src) {
      for (const m of text.matchAll(/(?:VsgError|ConflictError|super)\(\s*'(E_[A-Z_]+)'/g)) thrown.add(m[1]);
      // a refusal built from a classification: { code: 'E_…' } becomes new VsgError(r.code, …)
      for (const m of text.matchAll(/\bcode: '(E_[A-Z_]+)'/g)) thrown.add(m[1]);
    }
    expect(thrown.size).toBeGreaterThan(50);
    for (const code of thrown) expect(ERRORS, code).toHaveProperty(code);
    expect(Object.keys(ERRORS).filter((c) => !thrown.has(c))).toEqual([]);
  });

  it('gives every code an exit code and a one-line meaning', () => {
    const exits = new Set<number>(Object.values(ExitCode));
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(exits.has(spec.exit), code).toBe(true);
      expect(spec.meaning, code).toMatch(/^[^\n]{8,}$/);
    }
    expect(new VsgError('E_TABLE_REQUIRED', 'x').exitCode).toBe(2);
    expect(new VsgError('E_UNKNOWN_REF', 'x').exitCode).toBe(3);
    expect(new VsgError('E_UNKNOWN_REF', 'x', { exitCode: ExitCode.usage }).exitCode).toBe(2);
  });

  it('engine files use the catalogue, not literal exit codes', () => {
    for (const { file, text } of src.filter((s) => /^src\/(core|ops)\//.test(s.file))) expect(text, file).not.toMatch(/exitCode:\s*\d/);
  });

  it("the library's errors do not speak of the command line; the CLI says it in one table", () => {
    // doctor's checks are a result the CLI prints as they are, not errors
    for (const { file, text } of src.filter((s) => /^src\/(core|ops)\//.test(s.file) && !s.file.endsWith('doctor.ts'))) {
      for (const line of text.split('\n').filter((l) => /hint:|Error\(/.test(l))) {
        expect(line, file).not.toMatch(/'vsg [a-z]|with -t\b|--[a-z]/);
      }
    }
    for (const code of Object.keys(CLI_WORDS)) expect(ERRORS).toHaveProperty(code);
  });
});

describe('the command contract', () => {
  it('only main sets exit codes or exits', () => {
    for (const { file, text } of src.filter((s) => s.file !== 'src/cli/main.ts')) {
      expect(text, file).not.toMatch(/process\.exitCode\s*=|process\.exit\(/);
    }
  });

  it('every verb is declared once, with --json, examples and exit codes', () => {
    const names = VERBS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of VERBS) {
      if (v.name !== 'demo') expect(v.options.map((o) => o.flags), v.name).toContain('--json');
      expect(v.examples.length, v.name).toBeGreaterThan(0);
      expect(Object.keys(v.exits), v.name).toContain('0');
    }
  });

  it('shared options have one description each', () => {
    const seen = new Map<string, Set<string>>();
    // log's and tui's --author is another option: a filter on the commits listed
    for (const v of VERBS.filter((x) => x.name !== 'log' && x.name !== 'tui')) for (const o of v.options) seen.set(o.flags, (seen.get(o.flags) ?? new Set()).add(o.description));
    for (const flags of ['--json', '--author <who>', '-m, --message <msg>', '--no-pager', '--exit-code']) expect(seen.get(flags)?.size, flags).toBe(1);
    expect(seen.get('-t, --table <table>')?.size).toBeLessThanOrEqual(3); // the table, a filter, or several tables (restore)
  });
});
