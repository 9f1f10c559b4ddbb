import type { Command } from 'commander';
import { renderDoctor } from '../../render/verify.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('doctor')
    .description('check the connection, server, vsg schema, capture triggers, uncommitted changes and the history chain')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  vsg doctor\n  vsg doctor --json --url postgres://me@db/app\n\nExit codes: 0 every check passed (warnings allowed); 1 a check failed; 5 cannot connect.')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      // bare: doctor reports a missing or outdated schema instead of refusing to start
      const repo = await cli.repo(cli.setup(cmd), { bare: true });
      const r = await repo.doctor();
      await (opts.json ? cli.json(r) : cli.out(renderDoctor(r, cli.style)));
      if (!r.ok) process.exitCode = 1;
    });
}
