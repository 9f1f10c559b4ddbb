import { renderVerify } from '../../render/verify.js';
import { json, onlyTable, option } from '../options.js';
import { withProgress } from '../progress.js';
import { verb } from '../verb.js';

export const verify = verb<{ table?: string; digest?: boolean; against?: string; checkpoints?: boolean }>({
  name: 'verify',
  description: 'recompute every commit hash, parent link and ref, and report the first commit that does not match',
  needs: 'read',
  options: [
    onlyTable(),
    option('--digest', 'print a digest of the history as it is now (keep it to check later with --against)'),
    option('--against <digest>', 'also fail when history this digest covered was rewritten or truncated'),
    option('--checkpoints', 'also compare each checkpoint (a copy of a table that checkout reloads from) with the rows history gives its commit; reads each copy whole'),
    json(),
  ],
  examples: ['vsg verify', 'vsg verify --checkpoints', 'D=$(vsg verify -t orders --digest)', 'vsg verify -t orders --against "$D"'],
  exits: { 0: 'history intact', 1: 'a problem found (or the digest does not match)', 2: 'malformed digest', 3: 'unknown table' },
  async run({ repo, style }, _args, opts) {
    const r = await withProgress('verifying', () => repo.verify({ table: opts.table, digest: opts.digest, against: opts.against, checkpoints: opts.checkpoints }));
    return { result: r, render: () => renderVerify(r, style), status: r.ok ? 0 : 1 };
  },
});
