import type { Command } from 'commander';
import { renderVerify } from '../../render/verify.js';
import type { Cli } from '../context.js';

interface Opts {
  table?: string;
  json?: boolean;
  digest?: boolean;
  against?: string;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('verify')
    .description('recompute every commit hash, parent link and ref, and report the first commit that does not match')
    .option('-t, --table <table>', 'only this table')
    .option('--digest', 'print a digest of the history as it is now (keep it to check later with --against)')
    .option('--against <digest>', 'also fail when history this digest covered was rewritten or truncated')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  vsg verify\n  D=$(vsg verify -t orders --digest)\n  vsg verify -t orders --against "$D"\n\nExit codes: 0 history intact; 1 a problem found (or the digest does not match); 2 malformed digest; 3 unknown table.',
    )
    .action(async (opts: Opts, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      const r = await repo.verify({ table: opts.table, digest: opts.digest, against: opts.against });
      await (opts.json ? cli.json(r) : cli.out(renderVerify(r, cli.style)));
      if (!r.ok) process.exitCode = 1;
    });
}
