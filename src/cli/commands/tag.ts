import { renderTags } from '../../render/branch.js';
import { usage } from '../../errors.js';
import { json, option, table } from '../options.js';
import { verb } from '../verb.js';

export const tag = verb<{ table?: string; delete?: boolean }>({
  name: 'tag',
  description: 'list, create or delete tags: fixed names for commits, usable wherever a commit is',
  needs: 'write',
  args: [
    { name: '[name]', description: 'tag to create (or delete, with -d)' },
    { name: '[commit]', description: 'the commit to tag (default HEAD)' },
  ],
  options: [table(), option('-d, --delete', 'delete the tag'), json()],
  examples: ['vsg tag -t clients v1.0', 'vsg tag before-import 3f2a9c1', 'vsg diff v1.0 HEAD -t clients'],
  exits: { 0: '', 2: 'bad name', 3: 'unknown table, commit or tag, name taken' },
  async run({ repo, style: s }, [name, commit], opts) {
    if (opts.delete) {
      if (name === undefined) throw usage('-d needs a tag name');
      const r = await repo.deleteTag({ table: opts.table, name });
      return { result: r, render: () => `deleted tag ${r.name} of ${r.table} (was ${s.yellow(r.shortId)})` };
    }
    if (name !== undefined) {
      const r = await repo.createTag({ table: opts.table, name, commit });
      return { result: r, render: () => `tagged ${r.table} ${s.yellow(r.shortId)} as ${r.name}` };
    }
    const tags = await repo.tags({ table: opts.table });
    return { result: tags, render: () => renderTags(tags, s) };
  },
});
