/**
 * The CLI gives Node 20 the `navigator` that later Node versions have, so that
 * node-postgres does not load Node's fetch to probe for Cloudflare Workers.
 */
import { describe, expect, it } from 'vitest';
import { defineNavigator } from '../../src/cli/main.js';

describe('defineNavigator', () => {
  it('defines a navigator with a Node.js userAgent (and no language) where there is none', () => {
    const g: { navigator?: unknown } = {};
    defineNavigator(g);
    expect(g.navigator).toEqual({ userAgent: `Node.js/${process.versions.node.split('.')[0]}` });
    expect((g.navigator as { language?: string }).language).toBeUndefined();
    expect(Object.keys(g)).toEqual([]); // not enumerable, as Node's own
  });

  it('leaves an existing navigator alone', () => {
    const mine = { userAgent: 'Cloudflare-Workers' };
    const g: { navigator?: unknown } = { navigator: mine };
    defineNavigator(g);
    expect(g.navigator).toBe(mine);
  });
});
