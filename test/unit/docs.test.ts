// docs/commands/ is generated from the command definitions by scripts/docs.mjs
// (`npm run docs`); this fails when a page differs from what it would write now.
// Reads the built dist/ (npm test builds first). No database.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../src/core/verify.js';
// @ts-expect-error plain ESM script without type declarations
import { commandPages, helpToMarkdown, stalePages } from '../../scripts/docs.mjs';

describe('command reference in docs/commands', () => {
  it('is what npm run docs would write now', async () => {
    const stale = (await stalePages()) as { file: string; problem: string }[];
    const message = stale.map((s) => `${s.file}: ${s.problem}`).join('\n');
    expect(stale, `${message}\nthe command reference is stale: run npm run docs`).toEqual([]);
  });

  it('has a page per command, each with usage, options and exit codes', async () => {
    const pages = (await commandPages()) as Map<string, string>;
    for (const verb of ['init', 'track', 'untrack', 'commit', 'log', 'diff', 'checkout', 'merge', 'verify', 'doctor']) {
      const page = pages.get(`docs/commands/${verb}.md`);
      expect(page, verb).toBeDefined();
      expect(page).toContain(`# vsg ${verb}\n`);
      expect(page).toContain('## Options');
      expect(page).toContain('## Exit codes');
    }
    expect(pages.get('docs/commands/README.md')).toContain('[`vsg commit`](commit.md)');
  });

  it('shows no "(default: [])" for a repeatable option, in any command', async () => {
    const pages = (await commandPages()) as Map<string, string>;
    for (const [file, page] of pages) expect(page, file).not.toContain('default: []');
  });

  it('turns help text into markdown: headed blocks, examples as code, paragraphs joined', () => {
    const md = helpToMarkdown('\nOnly the rows\nthat differ.\n\nExamples:\n  vsg a   # one\n  vsg b\n\nExit codes: 0 done;\n1 no.');
    expect(md).toBe('Only the rows that differ.\n\n## Examples\n\n```sh\nvsg a   # one\nvsg b\n```\n\n## Exit codes\n\n0 done; 1 no.');
  });
});

describe('docs/integrity.md', () => {
  it('lists every problem code verify can report', () => {
    const page = fs.readFileSync(new URL('../../docs/integrity.md', import.meta.url), 'utf8');
    const list = page.slice(page.indexOf('stable problem codes'), page.indexOf('`-t <table>` verifies one'));
    expect(PROBLEM_CODES.length).toBeGreaterThan(40);
    expect(PROBLEM_CODES.filter((c) => !list.includes(`\`${c}\``))).toEqual([]);
  });
});
