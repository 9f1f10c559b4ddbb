/**
 * Each verb of the command table (./index.ts), loaded on its own: a command
 * line that names one verb loads that verb's module (and what it imports)
 * only, not every verb's renderers and options. Kept equal to VERBS by
 * test/unit/lazy-verbs.test.ts.
 */
import type { Verb } from '../verb.js';

export const VERB_LOADERS: Readonly<Record<string, () => Promise<Verb>>> = {
  blame: () => import('./blame.js').then((m) => m.blame),
  branch: () => import('./branch.js').then((m) => m.branch),
  checkout: () => import('./checkout.js').then((m) => m.checkout),
  commit: () => import('./commit.js').then((m) => m.commit),
  completion: () => import('./completion.js').then((m) => m.completion),
  conflicts: () => import('./conflicts.js').then((m) => m.conflicts),
  demo: () => import('./demo.js').then((m) => m.demo),
  diff: () => import('./diff.js').then((m) => m.diff),
  doctor: () => import('./doctor.js').then((m) => m.doctor),
  export: () => import('./export.js').then((m) => m.exportVerb),
  forget: () => import('./forget.js').then((m) => m.forget),
  init: () => import('./init.js').then((m) => m.init),
  log: () => import('./log.js').then((m) => m.log),
  merge: () => import('./merge.js').then((m) => m.merge),
  prune: () => import('./prune.js').then((m) => m.prune),
  resolve: () => import('./resolve.js').then((m) => m.resolve),
  restore: () => import('./restore.js').then((m) => m.restore),
  rollback: () => import('./rollback.js').then((m) => m.rollback),
  show: () => import('./show.js').then((m) => m.show),
  sql: () => import('./sql.js').then((m) => m.sql),
  status: () => import('./status.js').then((m) => m.status),
  switch: () => import('./switch.js').then((m) => m.switchVerb),
  tables: () => import('./tables.js').then((m) => m.tables),
  tag: () => import('./tag.js').then((m) => m.tag),
  track: () => import('./track.js').then((m) => m.track),
  tui: () => import('./tui.js').then((m) => m.tui),
  untrack: () => import('./track.js').then((m) => m.untrack),
  verify: () => import('./verify.js').then((m) => m.verify),
};

/** Global options of the program that take a value (the verb is the first word that is neither). */
const VALUED = new Set(['--url']);

/**
 * The verbs a command line needs: the one it names, when it names one that
 * needs no other (completion walks the whole program); else every verb
 * (help, an unknown word to suggest against).
 */
export async function verbsFor(args: string[]): Promise<readonly Verb[]> {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (VALUED.has(a)) {
      i += 1;
      continue;
    }
    if (a.startsWith('-')) continue;
    const load = Object.hasOwn(VERB_LOADERS, a) && a !== 'completion' ? VERB_LOADERS[a] : undefined;
    if (load) return [await load()];
    break;
  }
  return (await import('./index.js')).VERBS;
}
