import { renderRefsMany, renderTags, renderTagsByName } from '../../render/branch.js';
import { isVsgError, usage } from '../../errors.js';
import { oneOrMany } from '../many.js';
import { json, option, tables } from '../options.js';
import { verb } from '../verb.js';

/** A name that several tables' tags or branches share is not ambiguous here: it names one commit in each. */
const namedInSeveral = (e: unknown) =>
  isVsgError(e) && e.code === 'E_AMBIGUOUS_REF' && ((e.data as { candidates?: { name: string | null }[] })?.candidates ?? []).every((c) => c.name !== null);

export const tag = verb<{ table: string[]; delete?: boolean }>({
  name: 'tag',
  description: 'list, create or delete tags: fixed names for commits, usable wherever a commit is',
  needs: 'write',
  args: [
    { name: '[name]', description: 'tag to create (or delete, with -d)' },
    { name: '[commit]', description: 'the commit to tag (default HEAD); with several tables HEAD~N or a commit id is a commit of the repository, each table as it stood then; a branch or tag name, that of each table' },
  ],
  options: [tables(), option('-d, --delete', 'delete the tag'), json()],
  help: `With several tables (-t repeated, or none given while several are tracked:
every tracked table), a tag belongs to the repository: 'vsg tag NAME' tags
each table at its HEAD (or at COMMIT: HEAD~N or a commit id counts the
repository's commits, each table as it stood then; a branch or tag name is
each table's own), all in one transaction, and is refused whole, nothing
created, when a table already has the name. 'vsg tag -d NAME' deletes it from
every table having it. Commits are named by the ids 'vsg log' lists: the
list shows one line per name with its commit and message (and the tables it
covers, when not all); --json gives each name with its tables, its refs (each
table's own commit) and repoCommit.`,
  examples: ['vsg tag fixture                 # every tracked table, each at its HEAD', 'vsg tag -t clients v1.0', 'vsg tag before-import 3f2a9c1', 'vsg tag -d fixture', 'vsg diff v1.0 HEAD -t clients'],
  exits: { 0: '', 2: 'bad name', 3: 'unknown table, commit or tag, name taken (by any of the tables)' },
  async run({ repo, style: s }, [name, commit], opts) {
    if (opts.delete) {
      if (name === undefined) throw usage('-d needs a tag name');
      const r = await oneOrMany(opts.table, (table) => repo.deleteTag({ table, name }), (tables) => repo.deleteTags({ tables, name }));
      const line = (t: { name: string; table: string; shortId: string }) => `deleted tag ${t.name} of ${t.table} (was ${s.yellow(t.shortId)})`;
      const all = (t: { name: string; repoShortId?: string }) => `deleted tag ${t.name} (was ${s.yellow(t.repoShortId ?? '')})`;
      return r.one ? { result: r.one, render: () => line(r.one) } : { result: r.many, render: () => renderRefsMany(r.many!, all) };
    }
    if (name !== undefined) {
      const r = await oneOrMany(opts.table, (table) => repo.createTag({ table, name, commit }), (tables) => repo.createTags({ tables, name, commit }), namedInSeveral);
      const line = (t: { name: string; table: string; shortId: string }) => `tagged ${t.table} ${s.yellow(t.shortId)} as ${t.name}`;
      const all = (t: { name: string; repoShortId?: string }) => `tagged ${s.yellow(t.repoShortId ?? '')} as ${t.name}`;
      return r.one ? { result: r.one, render: () => line(r.one) } : { result: r.many, render: () => renderRefsMany(r.many!, all) };
    }
    const names = [...new Set(opts.table)];
    const byName = names.length === 1 ? null : await repo.tagsByName({ tables: names.length ? names : undefined });
    if (byName && byName.tables.length > 1) return { result: byName, render: () => renderTagsByName(byName, s) };
    // one table (one -t, or only one tracked): the one-table list, as before
    const list = await repo.tags({ table: names[0] });
    return { result: list, render: () => renderTags(list, s) };
  },
});
