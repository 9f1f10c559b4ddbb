import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('init')
    .description("create or upgrade vsg's schema in the database (idempotent)")
    .option('--save', 'write the connection (--url) to .vsgrc.json in this directory')
    .addHelpText('after', '\nExamples:\n  vsg init                                  # embedded database in .vsg/\n  vsg init --url postgres://me@localhost/app --save\n\nExit codes: 0 done; 5 cannot connect or bad configuration.')
    .action(async (opts: { save?: boolean }, cmd: Command) => {
      const g = cli.setup(cmd);
      const repo = await cli.repo(g, { bare: true });
      const r = await repo.init();
      let saved = '';
      if (opts.save) {
        const file = path.join(cli.cwd, '.vsgrc.json');
        const config = g.url ? { url: g.url } : {};
        fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
        saved = `\nwrote ${file}`;
      }
      const what = r.applied.length === 0 ? `vsg schema is up to date (version ${r.to})` : r.from === 0 ? `initialised vsg (schema version ${r.to})` : `upgraded vsg schema from version ${r.from} to ${r.to}`;
      await cli.out(`${what} in ${repo.db.where}${saved}`);
    });
}
