import { renderDoctor } from '../../render/verify.js';
import { json } from '../options.js';
import { verb } from '../verb.js';

export const doctor = verb<object>({
  name: 'doctor',
  description: 'check the connection, server, vsg schema, capture triggers, uncommitted changes and the history chain',
  // a connection only: doctor reports a missing or outdated schema instead of refusing to start
  needs: 'database',
  options: [json()],
  examples: ['vsg doctor', 'vsg doctor --json --url postgres://me@db/app'],
  exits: { 0: 'every check passed (warnings allowed)', 1: 'a check failed', 5: 'cannot connect' },
  async run({ repo, style }) {
    const r = await repo.doctor();
    return { result: r, render: () => renderDoctor(r, style), status: r.ok ? 0 : 1 };
  },
});
