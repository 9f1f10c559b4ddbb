import type { Command } from 'commander';
import { renderTags } from '../../render/branch.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('tag')
    .description('list, create or delete tags: fixed names for commits, usable wherever a commit is')
    .argument('[name]', 'tag to create (or delete, with -d)')
    .argument('[commit]', 'the commit to tag (default HEAD)')
    .option('-t, --table <table>', 'the tracked table')
    .option('-d, --delete', 'delete the tag')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  vsg tag -t clients v1.0
  vsg tag before-import 3f2a9c1
  vsg diff v1.0 HEAD -t clients

Exit codes: 0; 2 bad name; 3 unknown table, commit or tag, name taken.`,
    )
    .action(async (name: string | undefined, commit: string | undefined, opts: { table?: string; delete?: boolean; json?: boolean }, cmd: Command) => {
      const repo = await cli.repo(cli.setup(cmd));
      if (opts.delete) {
        if (name === undefined) throw cmd.error('error: -d needs a tag name', { exitCode: 2 });
        const r = await repo.deleteTag({ table: opts.table, name });
        return opts.json ? cli.json(r) : cli.out(`deleted tag ${r.name} of ${r.table} (was ${cli.style.yellow(r.shortId)})`);
      }
      if (name !== undefined) {
        const r = await repo.createTag({ table: opts.table, name, commit });
        return opts.json ? cli.json(r) : cli.out(`tagged ${r.table} ${cli.style.yellow(r.shortId)} as ${r.name}`);
      }
      const tags = await repo.tags({ table: opts.table });
      await (opts.json ? cli.json(tags) : cli.out(renderTags(tags, cli.style)));
    });
}
