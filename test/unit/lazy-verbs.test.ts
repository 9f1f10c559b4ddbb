/** The lazily loaded command table (src/cli/commands/lazy.ts) is the command table (no database). */
import { describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cli/commands/index.js';
import { VERB_LOADERS, verbsFor } from '../../src/cli/commands/lazy.js';

describe('lazy verbs', () => {
  it('loads every verb of VERBS by its name, and no other', async () => {
    expect(Object.keys(VERB_LOADERS).sort()).toEqual(VERBS.map((v) => v.name).sort());
    for (const v of VERBS) expect(await VERB_LOADERS[v.name]()).toBe(v);
  });
  it('loads only the verb a command line names, past global options', async () => {
    expect((await verbsFor(['log', '-n', '1'])).map((v) => v.name)).toEqual(['log']);
    expect((await verbsFor(['--url', 'postgres://x/status', '--no-color', 'status'])).map((v) => v.name)).toEqual(['status']);
    expect((await verbsFor(['--json', 'commit', '-t', 'log'])).map((v) => v.name)).toEqual(['commit']);
  });
  it('loads every verb for help, an unknown word, completion, or no verb', async () => {
    for (const args of [[], ['--help'], ['help', 'log'], ['lgo'], ['completion', 'bash'], ['--', 'log'], ['constructor']]) {
      expect(await verbsFor(args)).toBe(VERBS);
    }
  });
});
