/**
 * `vsg tui`: the log, a commit, a diff, the branches and tags, full-screen
 * (Ink). Data comes from the library's Repository only, text from
 * src/render (coloured with the CLI's style, NO_COLOR included). Written with
 * createElement, not JSX: one `tsc` builds it with the rest.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import type { Repository } from '../api/repository.js';
import { stripVTControlCharacters } from 'node:util';
import type { BranchesByName, CommitInfo, ConflictList, ConstraintViolation, RefsByName, ShowResult, TableStatus } from '../index.js';
import { renderDiffMany } from '../render/diff.js';
import { renderCheckoutMany, renderRestoreMany, renderRollback } from '../render/blame.js';
import { renderShow } from '../render/misc.js';
import { renderSwitchMany } from '../render/branch.js';
import { graphRows, type GraphRow } from '../render/graph.js';
import { renderMerge, renderViolationTable } from '../render/merge.js';
import { repositoryView } from '../render/log.js';
import type { Style } from '../render/style.js';
import { keyText } from '../render/values.js';
import { conflictLine, logLine, refLine, rowViewItems, statusLine, type ListItem } from '../render/tui.js';
import { splitKeys } from './input.js';
import { KEYS } from './keys.js';
import { wheelSteps } from './mouse.js';
import { LogPages, type LogFilter } from './source.js';

const h = React.createElement;

/**
 * How Ink is asked to draw the App (the CLI and the bench): up to 120 frames a
 * second (Ink's default of 30 holds a key's frame back up to 33 ms), and
 * console output left alone.
 */
export const RENDER_OPTIONS = { maxFps: 120, patchConsole: false } as const;

export interface TuiProps {
  repo: Repository;
  style: Style;
  /** the author of the commits an action makes */
  author: string;
  filter?: LogFilter;
  /** the screen's size (default: the terminal's, followed on resize) */
  size?: { columns: number; rows: number };
  /** log lines read per page */
  pageSize?: number;
  /** "now" for relative dates (tests) */
  now?: number;
  /** called after each frame that changed what the screen shows (bench) */
  onFrame?: (what: string) => void;
}

/** A pane of text: a commit, a diff, the uncommitted changes. */
interface TextPane {
  kind: 'text';
  title: string;
  lines: string[];
  top: number;
  /** the log line it shows (n and p move from it) */
  at?: number;
  /** long lines wrapped instead of clipped (e) */
  wrap?: boolean;
  /** a commit's rows, by the line each starts on ([ and ] select one, enter opens its row view) */
  rows?: { line: number; table: string; key: string }[];
  /** the selected row (none at first: the pane is then exactly `vsg show`) */
  row?: number;
}
/** A list of lines, some naming a commit (enter opens it) or a value (e expands it): the row view. */
interface ListPane {
  kind: 'list';
  title: string;
  items: ListItem[];
  sel: number;
  top: number;
  /** the item shown whole, wrapped */
  open?: number;
}
/** The merge in progress: its conflicts, resolvable one by one, then continued or aborted. */
interface ConflictsPane {
  kind: 'conflicts';
  list: ConflictList;
  sel: number;
  violations?: string[];
}
interface RefsPane {
  kind: 'refs';
  sel: number;
  items: { kind: 'branch' | 'tag'; name: string; line: string }[];
}
type Pane = { kind: 'log' } | TextPane | RefsPane | ListPane | ConflictsPane | { kind: 'help'; top: number };

/** A line typed at the bottom: the search, a tag or branch name, a value. */
interface Prompt {
  label: string;
  value: string;
  done: (value: string) => void;
}

interface Confirm {
  lines: string[];
  run: () => Promise<string>;
  /** what to show after it ran (default: back to the log, read again) */
  after?: 'log' | 'stay';
  /** a refusal it handles itself (a merge's conflicts); true when handled */
  refused?: (e: unknown) => Promise<boolean>;
}

const errorText = (e: unknown) => (e as Error)?.message ?? String(e);

/** The whole TUI. */
export function App(props: TuiProps): React.ReactElement {
  const { repo, style: s } = props;
  const { exit } = useApp();
  const size = useSize(props.size);
  const height = Math.max(size.rows - 1, 5); // a frame as tall as the screen makes Ink clear it on every redraw
  const bodyHeight = height - 2;

  const [filter, setFilter] = useState<LogFilter>(props.filter ?? {});
  const pages = useRef<LogPages | null>(null);
  const [, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  const [status, setStatus] = useState<TableStatus[]>([]);
  const [refHeads, setRefHeads] = useState<string>('');
  // What the keys read is also kept as the keys since the last frame left it
  // (xNow): several keys of one read are handled before the next frame is drawn.
  const [sel, selNow, setSel] = useNow(0);
  const [top, setTop] = useState(0);
  const [mark, markNow, setMark] = useNow<string | null>(null);
  const [stack, stackNow, setStack] = useNow<Pane[]>([{ kind: 'log' }]);
  const [prompt, promptNow, setPrompt] = useNow<Prompt | null>(null);
  const [confirm, confirmNow, setConfirm] = useNow<Confirm | null>(null);
  const [message, setMessage] = useState<string>('');
  const [busy, setBusy] = useState<string | null>('reading the log…');
  const [generation, setGeneration] = useState(0);

  const pane = stack[stack.length - 1];
  const push = (p: Pane) => setStack((st) => [...st, p]);
  const replace = (p: Pane) => setStack((st) => [...st.slice(0, -1), p]);
  const back = () => setStack((st) => (st.length > 1 ? st.slice(0, -1) : st));

  // (Re)read the log and the status: at start, after a search, a refresh or an action.
  useEffect(() => {
    let live = true;
    const p = new LogPages(repo, filter, props.pageSize ?? 200);
    pages.current = p;
    setBusy('reading the log…');
    Promise.all([p.more(), repo.status({ table: filter.table }).catch(() => [] as TableStatus[])])
      .then(([, st]) => {
        if (!live) return;
        setStatus(st);
        setRefHeads(p.heads.map((x) => x.branch).filter((b, i, a) => a.indexOf(b) === i).join(', '));
        setBusy(null);
      })
      .catch((e: unknown) => live && (setBusy(null), setMessage(s.red(errorText(e)))));
    return () => {
      live = false;
    };
  }, [repo, filter, generation]);

  const log = pages.current;
  const commits = log?.commits ?? [];
  // --all: the graph of every branch, its connector lines between the commits
  const graph = useRef<{ n: number; rows: GraphRow[] }>({ n: -1, rows: [] });
  if (graph.current.n !== commits.length || (graph.current.rows.length && !filter.all)) {
    graph.current = { n: commits.length, rows: filter.all ? graphRows(commits) : [] };
  }
  const rows: GraphRow[] = filter.all ? graph.current.rows : commits.map((c) => ({ graph: '', commit: c }));
  const dirty = statusLine(status, s);
  const offset = dirty ? 1 : 0; // the status pseudo-entry comes first
  const count = rows.length + offset;
  const commitAt = (i: number): CommitInfo | undefined => rows[i - offset]?.commit ?? undefined;
  const lineOf = (id: string) => rows.findIndex((r) => r.commit?.id === id) + offset;

  // Read the next page before the selection reaches the end of what is read.
  useEffect(() => {
    if (log && !log.done && !log.busy && sel + bodyHeight * 2 >= count) {
      log.more().then(bump, (e: unknown) => setMessage(s.red(errorText(e))));
    }
  }, [log, sel, count, bodyHeight]);

  const frameKey = `${pane.kind}:${sel}:${top}:${count}:${stack.length}:${busy}:${prompt?.value}:${confirm ? 1 : 0}:${message}`;
  useEffect(() => props.onFrame?.(frameKey), [frameKey]);

  // the pane as the keys since the last frame left it (Ink hands several escape
  // sequences of one read, such as wheel notches, over one by one before it draws;
  // several plain keys of one read are split, splitKeys)
  const paneNow = () => stackNow.current[stackNow.current.length - 1];
  const moveTo = (i: number, dir = Math.sign(i - selNow.current) || 1) => {
    let n = Math.max(0, Math.min(i, count - 1));
    // a connector line of the graph is not a place to stop
    while (n >= offset && n < count && !commitAt(n) && n + dir >= 0 && n + dir < count) n += dir;
    setSel(n);
    setTop((t) => (n < t ? n : n >= t + bodyHeight ? n - bodyHeight + 1 : t));
  };

  const refresh = () => {
    setSel(0);
    setTop(0);
    setGeneration((g) => g + 1);
  };

  const openCommit = async (i: number) => {
    const c = commitAt(i);
    const p = paneNow();
    if (c) await openCommitId(c.id, i, p.kind === 'text' && p.at !== undefined);
  };

  /** A commit's pane; from the log (at: its line), or any commit (the row view's). */
  const openCommitId = async (id: string, at?: number, instead = false) => {
    setBusy(`reading ${id.slice(0, 7)}…`);
    try {
      const r = await repo.show(id, { table: filter.table });
      const lines = renderShow(r, s, props.now).split('\n');
      const p: TextPane = { kind: 'text', title: `commit ${r.commit.shortId}`, lines, top: 0, at, rows: changedRows(r, lines) };
      if (instead) replace(p);
      else push(p);
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
  };

  /** The row view of a row of a commit: its history and, per column, the commit that set its value. */
  const openRow = async (table: string, key: string) => {
    setBusy(`reading the history of ${key}…`);
    try {
      const [hist, blame] = await Promise.all([repo.rowLog({ table, key }), repo.blame({ table, key }).catch(() => null)]);
      const items = rowViewItems(hist, blame, s);
      const first = items.findIndex((it) => it.commit !== undefined);
      push({ kind: 'list', title: `row ${keyText(hist.key, hist.keyColumns)} of ${table}`, items, sel: Math.max(first, 0), top: 0 });
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
  };

  /** The merge in progress, its conflicts (and what a continue found in the way). */
  const openConflicts = async (violations?: string[], instead = false) => {
    const list = await repo.conflicts();
    const p: ConflictsPane = { kind: 'conflicts', list, sel: Math.max(0, list.conflicts.findIndex((c) => !c.resolved)), violations };
    if (instead) replace(p);
    else setStack((st) => [...st.filter((x) => x.kind !== 'conflicts'), p]);
  };

  const openDiff = async (title: string, opts: { from?: string; to?: string }) => {
    setBusy(`${title}…`);
    try {
      const d = await repo.diffMany({ ...opts, tables: filter.table === undefined ? undefined : [filter.table] });
      const text = renderDiffMany(d, s);
      push({ kind: 'text', title, lines: (text || 'no differences').split('\n'), top: 0 });
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
  };

  const openRefs = async () => {
    setBusy('reading branches and tags…');
    try {
      const tables = filter.table === undefined ? undefined : [filter.table];
      const [b, t]: [BranchesByName, RefsByName] = await Promise.all([repo.branchesByName({ tables }), repo.tagsByName({ tables })]);
      const items = [
        ...b.names.map((r) => ({ kind: 'branch' as const, name: r.name, line: refLine('branch', r, b.heads, s) })),
        ...t.names.map((r) => ({ kind: 'tag' as const, name: r.name, line: refLine('tag', r, t.heads, s) })),
      ];
      push({ kind: 'refs', sel: 0, items });
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
  };

  const act = (c: Confirm) => {
    setMessage('');
    setConfirm(c);
  };

  const rollback = (c: CommitInfo) =>
    act({
      lines: [
        `${s.bold('roll back')} ${s.yellow(c.shortId)} ${c.message.split('\n')[0]}`,
        `a new ROLLBACK commit on top of HEAD will undo its change: ${(c.parts ?? [c]).map((p) => `${p.table} ${countsOf(p)}`).join(', ')}`,
        'later changes to the same rows or cells refuse it (nothing is changed then)',
      ],
      run: async () => renderRollback(await repo.rollback({ ref: c.id, table: filter.table, author: props.author }), s),
    });

  const switchTo = (branch: string) =>
    act({
      lines: [
        `${s.bold('switch')} every table${filter.table ? ` (${filter.table})` : ''} to branch ${s.green(branch)}`,
        'the live tables will hold its rows; uncommitted changes refuse it (nothing is changed then)',
      ],
      run: async () => renderSwitchMany(await repo.switchMany({ branch, tables: filter.table === undefined ? undefined : [filter.table] }), s),
    });

  const tables = filter.table === undefined ? undefined : [filter.table];
  const every = `every table${filter.table ? ` (${filter.table})` : ''}`;
  /** A commit of the log as a ref of every table: each as it stood at that commit of the repository. */
  const atCommit = (c: CommitInfo) => (filter.table === undefined ? `${c.id}~0` : c.id);

  const checkout = async (c: CommitInfo) => {
    setBusy('reading what would change…');
    try {
      // what the live tables hold against the commit, reversed: what the checkout writes
      const d = await repo.diffMany({ from: atCommit(c), tables });
      const will = Object.values(d)
        .filter((x) => x.stat.inserted + x.stat.updated + x.stat.deleted > 0)
        .map((x) => `${x.table} ${countsOf({ inserted: x.stat.deleted, updated: x.stat.updated, deleted: x.stat.inserted })}`);
      act({
        lines: [
          `${s.bold('check out')} ${s.yellow(c.shortId)} ${c.message.split('\n')[0]}`,
          `${every} will hold its rows again: a CHECKOUT commit for each table that changes`,
          `  ${will.length ? will.join(', ') : 'no row differs: nothing to commit'}`,
          'uncommitted changes refuse it (nothing is changed then)',
        ],
        run: async () => renderCheckoutMany(await repo.checkoutMany({ ref: atCommit(c), tables, author: props.author, message: `Check out ${c.shortId}` }), s),
      });
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
  };

  const restore = () =>
    act({
      lines: [
        `${s.bold('restore')} ${every} to HEAD: the uncommitted changes are discarded, nothing is committed`,
        `  ${dirty ?? ''}`,
        'the rows will be as HEAD has them; this cannot be undone',
      ],
      run: async () => renderRestoreMany(await repo.restoreMany({ tables }), s),
    });

  const ask = (label: string, done: (value: string) => void) => {
    setMessage('');
    setPrompt({ label, value: '', done });
  };

  const tag = (c: CommitInfo) =>
    ask('tag name: ', (name) =>
      name &&
      act({
        lines: [`${s.bold('tag')} ${s.yellow(c.shortId)} ${c.message.split('\n')[0]} as ${s.yellow(`tag: ${name}`)}`, `in ${every}, each at its commit then; nothing else changes`],
        run: async () => `tagged ${c.shortId} as ${name} in ${Object.keys(await repo.createTags({ name, commit: atCommit(c), tables })).join(', ')}`,
      }),
    );

  const branch = (c: CommitInfo) =>
    ask('branch name: ', (name) =>
      name &&
      act({
        lines: [`${s.bold('branch')} ${s.green(name)} at ${s.yellow(c.shortId)} ${c.message.split('\n')[0]}`, `in ${every}, each at its commit then; the tables stay on the branch they follow`],
        run: async () => `created branch ${name} at ${c.shortId} in ${Object.keys(await repo.createBranches({ name, start: atCommit(c), tables })).join(', ')}`,
      }),
    );

  const merge = (name: string) =>
    act({
      lines: [
        `${s.bold('merge')} branch ${s.green(name)} into ${s.green(refHeads)} (${every} that has it)`,
        'a three-way merge by key and column: a MERGE commit, or a fast-forward',
        'conflicts and broken constraints stop it: listed, resolved one by one, then continued or aborted',
      ],
      run: async () => renderMerge(await repo.merge({ ref: name, tables: tables && tables.length > 1 ? tables : undefined, table: filter.table, author: props.author }), s),
      refused: async (e) => {
        const code = (e as { code?: string }).code;
        if (code === 'E_MERGE_CONFLICT') {
          setMessage(s.red(errorText(e)));
          setStack([{ kind: 'log' }]);
          refresh();
          await openConflicts();
          return true;
        }
        return false;
      },
    });

  /** Resolve the selected conflict: ours, theirs or a typed value. */
  const resolve = async (p: ConflictsPane, take: 'ours' | 'theirs' | 'value', value?: string) => {
    const c = p.list.conflicts[p.sel];
    if (!c) return;
    setBusy('resolving…');
    try {
      const v = value === undefined ? {} : { value: value === 'NULL' ? null : value };
      await repo.resolve({ table: c.table ?? p.list.table, key: JSON.stringify(c.key), column: c.column ?? undefined, take, ...v });
      const list = await repo.conflicts();
      const next = list.conflicts.findIndex((x, i) => !x.resolved && i >= p.sel);
      replace({ ...p, list, sel: next === -1 ? Math.max(0, list.conflicts.findIndex((x) => !x.resolved)) : next });
      setMessage(list.unresolved ? `${list.unresolved} unresolved` : `every conflict resolved: C continues the merge`);
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
  };

  const continueMerge = (p: ConflictsPane) =>
    act({
      lines: [`${s.bold('continue')} the merge of ${s.green(p.list.theirsRef)}: a MERGE commit with the resolutions`, `${p.list.unresolved} conflict${p.list.unresolved === 1 ? '' : 's'} unresolved`],
      run: async () => renderMerge(await repo.mergeContinue({ author: props.author }), s),
      refused: async (e) => {
        const code = (e as { code?: string }).code;
        if (code !== 'E_MERGE_CONSTRAINT' && code !== 'E_MERGE_UNRESOLVED') return false;
        setMessage(s.red(errorText(e)));
        const v = (e as { data?: ConstraintViolation[] }).data;
        await openConflicts(code === 'E_MERGE_CONSTRAINT' && Array.isArray(v) ? renderViolationTable(v, p.list.keyColumns, s).split('\n') : undefined, true);
        return true;
      },
    });

  const abortMerge = (p: ConflictsPane) =>
    act({
      lines: [`${s.bold('abort')} the merge of ${s.green(p.list.theirsRef)}: the tables go back to HEAD, the resolutions are forgotten`],
      run: async () => {
        const r = await repo.mergeAbort();
        return `merge of '${r.theirsRef}' aborted`;
      },
    });

  const onKey = (input: string, key: Key) => {
    const confirm = confirmNow.current;
    const prompt = promptNow.current;
    const pane = paneNow();
    if (confirm) {
      setConfirm(null);
      if (input !== 'y') return setMessage('nothing done');
      setBusy('working…');
      const c = confirm;
      c
        .run()
        .then(
          (text) => {
            setMessage(text.split('\n')[0]);
            setStack([{ kind: 'log' }]);
            refresh();
          },
          async (e: unknown) => {
            if (c.refused && (await c.refused(e).catch(() => false))) return;
            // refused: the message on the last line, the details (what is in the way) as a pane
            const hint = (e as { hint?: string }).hint;
            setMessage(s.red(errorText(e)));
            setStack([{ kind: 'log' }, { kind: 'text', title: 'refused, nothing changed', lines: [s.red(errorText(e)), ...(hint ? ['', ...hint.split('\n')] : [])], top: 0 }]);
          },
        )
        .finally(() => setBusy(null));
      return;
    }
    if (prompt !== null) {
      if (key.escape) return setPrompt(null);
      if (key.return) {
        const { done, value } = prompt;
        setPrompt(null);
        return done(value);
      }
      // keys typed before the next frame: each on the value the one before left
      if (key.backspace || key.delete) return setPrompt((p) => p && { ...p, value: p.value.slice(0, -1) });
      if (input && !key.ctrl && !key.meta && wheelSteps(input) === null) setPrompt((p) => p && { ...p, value: p.value + input });
      return;
    }
    // the mouse wheel: three lines a notch, in whatever pane is shown
    const wheel = wheelSteps(input);
    if (wheel !== null) return wheel === 0 ? undefined : onWheel(wheel * 3);
    if (input === '?') return pane.kind === 'help' ? back() : push({ kind: 'help', top: 0 });
    if (pane.kind === 'log') return logKey(input, key);
    if (input === 'q' || key.escape || key.leftArrow) return back();
    if (pane.kind === 'text' || pane.kind === 'help') {
      const lines = pane.kind === 'text' ? pane.lines.length : helpLines(s).length;
      const scroll = scrollKey(input, key, pane.top, lines, bodyHeight);
      if (scroll !== null) return replace({ ...pane, top: scroll });
      if (pane.kind !== 'text') return;
      if (input === 'e') return replace({ ...pane, wrap: !pane.wrap });
      const rowsOf = pane.rows ?? [];
      if ((input === ']' || input === '[') && rowsOf.length) {
        const r = pane.row === undefined ? 0 : Math.max(0, Math.min(pane.row + (input === ']' ? 1 : -1), rowsOf.length - 1));
        const line = rowsOf[r].line;
        return replace({ ...pane, row: r, top: line < pane.top || line >= pane.top + bodyHeight ? Math.max(0, line - 2) : pane.top });
      }
      if ((key.return || key.rightArrow) && rowsOf.length) {
        const r = rowsOf[pane.row ?? 0];
        return void openRow(r.table, r.key);
      }
      if (pane.at !== undefined && (input === 'n' || input === 'p')) {
        const dir = input === 'n' ? 1 : -1;
        let next = pane.at + dir;
        while (next >= offset && next < count && !commitAt(next)) next += dir;
        if (commitAt(next)) {
          moveTo(next, dir);
          void openCommit(next);
        }
      }
      return;
    }
    if (pane.kind === 'list') {
      const n = pane.items.length;
      const step = (d: number) => {
        let i = pane.sel + d;
        while (i >= 0 && i < n && pane.items[i].commit === undefined && pane.items[i].full === undefined) i += Math.sign(d);
        return i >= 0 && i < n ? i : pane.sel;
      };
      const show = (i: number) => replace({ ...pane, sel: i, open: undefined, top: i < pane.top ? i : i >= pane.top + bodyHeight ? i - bodyHeight + 1 : pane.top });
      if (key.downArrow || input === 'j') return show(step(1));
      if (key.upArrow || input === 'k') return show(step(-1));
      if (input === 'g' || key.home) return show(0);
      if (input === 'e') return replace({ ...pane, open: pane.open === pane.sel ? undefined : pane.sel });
      const it = pane.items[pane.sel];
      if ((key.return || key.rightArrow) && it?.commit) return void openCommitId(it.commit);
      return;
    }
    if (pane.kind === 'conflicts') {
      const n = pane.list.conflicts.length;
      if (key.downArrow || input === 'j') return replace({ ...pane, sel: Math.min(pane.sel + 1, n - 1) });
      if (key.upArrow || input === 'k') return replace({ ...pane, sel: Math.max(pane.sel - 1, 0) });
      if (input === 'o') return void resolve(pane, 'ours');
      if (input === 't') return void resolve(pane, 'theirs');
      if (input === 'v' && pane.list.conflicts[pane.sel]) return ask('value (NULL for NULL): ', (v) => void resolve(pane, 'value', v));
      if (input === 'C') return continueMerge(pane);
      if (input === 'A') return abortMerge(pane);
      return;
    }
    if (pane.kind === 'refs') {
      const n = pane.items.length;
      if (key.downArrow || input === 'j') return replace({ ...pane, sel: Math.min(pane.sel + 1, n - 1) });
      if (key.upArrow || input === 'k') return replace({ ...pane, sel: Math.max(pane.sel - 1, 0) });
      const item = pane.items[pane.sel];
      if (input === 'M' && item?.kind === 'branch') return merge(item.name);
      if (key.return && item) {
        if (item.kind === 'branch') return switchTo(item.name);
        setBusy(`reading ${item.name}…`);
        repo
          .show(item.name, { table: filter.table })
          .then((r) => push({ kind: 'text', title: `tag ${item.name}`, lines: renderShow(r, s, props.now).split('\n'), top: 0 }))
          .catch((e: unknown) => setMessage(s.red(errorText(e))))
          .finally(() => setBusy(null));
      }
    }
  };

  /** The wheel: the log's selection, or the shown pane's text, moves by `n` lines. */
  const onWheel = (n: number) => {
    const pane = paneNow();
    if (pane.kind === 'log') return moveTo(selNow.current + n, Math.sign(n));
    if (pane.kind === 'text' || pane.kind === 'help') {
      const lines = pane.kind === 'text' ? pane.lines.length : helpLines(s).length;
      return replace({ ...pane, top: Math.max(0, Math.min(pane.top + n, lines - bodyHeight)) });
    }
    if (pane.kind === 'list') return replace({ ...pane, top: Math.max(0, Math.min(pane.top + n, pane.items.length - bodyHeight)) });
    if (pane.kind === 'refs') return replace({ ...pane, sel: Math.max(0, Math.min(pane.sel + Math.sign(n), pane.items.length - 1)) });
    if (pane.kind === 'conflicts') return replace({ ...pane, sel: Math.max(0, Math.min(pane.sel + Math.sign(n), pane.list.conflicts.length - 1)) });
  };

  const logKey = (input: string, key: Key) => {
    const sel = selNow.current;
    const mark = markNow.current;
    if (input === 'q') return exit();
    if (key.downArrow || input === 'j') return moveTo(sel + 1, 1);
    if (key.upArrow || input === 'k') return moveTo(sel - 1, -1);
    if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return moveTo(sel + bodyHeight, 1);
    if (key.pageUp || (key.ctrl && input === 'b')) return moveTo(sel - bodyHeight, -1);
    if (key.home || input === 'g') return moveTo(0, 1);
    if (key.end || input === 'G') return moveTo(count - 1, -1);
    if (input === '/')
      return ask('/', (q) => {
        setSel(0);
        setTop(0);
        setFilter((f) => ({ ...f, grep: q || undefined }));
      });
    if (input === 'r') return refresh();
    if (input === 'b') return void openRefs();
    if (input === 'x') return void openConflicts().catch((e: unknown) => setMessage(s.red(errorText(e))));
    if (input === 'X' && dirty) return restore();
    if (key.return || key.rightArrow) {
      if (dirty && sel === 0) return void openDiff('uncommitted changes', {});
      return void openCommit(sel);
    }
    const c = commitAt(sel);
    if (!c) return;
    if (input === 'm') return setMark(mark === c.id ? null : c.id);
    if (input === 'd') {
      const other = mark !== null && mark !== c.id ? lineOf(mark) : -1;
      const o = other >= offset ? commitAt(other) : undefined;
      if (!o) return void openDiff(`diff ${c.shortId}..live tables`, { from: c.id });
      const [older, newer] = other > sel ? [o, c] : [c, o];
      return void openDiff(`diff ${older.shortId}..${newer.shortId}`, { from: older.id, to: newer.id });
    }
    if (input === 'R') return rollback(c);
    if (input === 'c') return void checkout(c);
    if (input === 't') return tag(c);
    if (input === 'B') return branch(c);
  };

  // The handler of the latest render, even for a key that arrives before
  // Ink re-subscribes (after the frame is drawn): a stale one would see the state before it.
  const keyHandler = useRef(onKey);
  keyHandler.current = onKey;
  // keys read together come as one input (qqq): each is handled in order
  useInput(
    useCallback((input: string, key: Key) => {
      const keys = splitKeys(input, key);
      for (const [i, k] of keys) {
        // Ink quits on ctrl-c only when it is the whole input
        if (keys.length > 1 && k.ctrl && i === 'c') return exit();
        keyHandler.current(i, k);
      }
    }, []),
  );

  // The frame: a title line, the pane, a footer line.
  const where = filter.table ? ` -t ${filter.table}` : '';
  const found = filter.grep ? `  /${filter.grep}` : '';
  const paneTitle =
    pane.kind === 'log'
      ? `${commits.length}${log?.done ? '' : '+'} commit${commits.length === 1 && log?.done ? '' : 's'}${filter.all ? ', every branch' : ''}`
      : pane.kind === 'text' || pane.kind === 'list'
        ? pane.title
        : pane.kind === 'refs'
          ? 'branches and tags'
          : pane.kind === 'conflicts'
            ? `merging ${pane.list.theirsRef}: ${pane.list.unresolved} unresolved`
            : 'keys';
  const title = `${s.bold('vsg tui')}${where}  ${s.green(refHeads)}${found}  ${s.dim(paneTitle)}`;
  let body: string[];
  let wrapped = false;
  if (pane.kind === 'log') {
    const view = repositoryView(commits, log?.heads ?? [], log?.at);
    body = [];
    for (let i = top; i < Math.min(count, top + bodyHeight); i++) {
      const c = commitAt(i);
      const g = i >= offset && filter.all ? rows[i - offset] : undefined;
      const graphText = g ? `${g.graph.replace(/\*/g, s.yellow('*')).padEnd(g.graph.length + (g.opens ? 2 : 0))} ` : '';
      const text = c ? `${graphText}${logLine(c, log?.heads ?? [], s, view, props.now)}` : g ? graphText : (dirty as string);
      const marker = `${i === sel ? '>' : ' '}${c && c.id === mark ? s.magenta('*') : ' '}`;
      body.push(i === sel ? `${marker}${s.inverse(text)}` : `${marker}${text}`);
    }
    if (!count && !busy) body.push(filter.grep ? `no commit's message contains '${filter.grep}'` : 'no commits');
  } else if (pane.kind === 'text') {
    const row = pane.row === undefined ? undefined : pane.rows?.[pane.row]?.line;
    body = pane.lines.slice(pane.top, pane.top + bodyHeight).map((l, i) => (row !== undefined ? `${pane.top + i === row ? s.cyan('▸') : ' '}${l}` : l));
    wrapped = pane.wrap === true;
  } else if (pane.kind === 'list') {
    body = [];
    for (let i = pane.top; i < pane.items.length && body.length < bodyHeight; i++) {
      const it = pane.items[i];
      if (i === pane.open && it.full !== undefined) {
        // the value whole, wrapped to the screen
        body.push(`>${it.line.split('  ').slice(0, -1).join('  ')}`);
        for (const l of wrapText(it.full, size.columns - 4)) body.push(`    ${l}`);
      } else body.push(i === pane.sel ? `>${s.inverse(it.line)}` : ` ${it.line}`);
    }
    body = body.slice(0, bodyHeight);
  } else if (pane.kind === 'conflicts') {
    const keyColumns = pane.list.keyColumns;
    body = [
      ...(pane.violations ? [s.red('the merged rows would break these constraints (resolve the rows another way, or abort):'), ...pane.violations, ''] : []),
      ...(pane.list.conflicts.length ? pane.list.conflicts.map((c, i) => (i === pane.sel ? `>${s.inverse(conflictLine(c, keyColumns, s, pane.list.table))}` : ` ${conflictLine(c, keyColumns, s, pane.list.table)}`)) : ['no merge in progress']),
    ];
  } else if (pane.kind === 'refs') {
    body = pane.items.length ? pane.items.map((it, i) => (i === pane.sel ? `>${s.inverse(it.line)}` : ` ${it.line}`)) : ['no branches or tags'];
  } else {
    body = helpLines(s).slice(pane.top, pane.top + bodyHeight);
  }
  if (confirm) body = [...confirm.lines, '', `${s.bold('y')} do it, any other key: do nothing`];
  while (body.length < bodyHeight) body.push('');
  const hints: Record<Pane['kind'], string> = {
    log: 'enter open · / search · b branches · c checkout · t tag · B branch · R rollback · ? help · q quit',
    text: pane.kind === 'text' && pane.rows?.length ? '[ ] row · enter row view · e expand · n p commit · q back · ? help' : 'e expand · q back · ? help',
    list: 'enter open the commit · e expand the value · q back · ? help',
    refs: 'enter switch · M merge into the current branch · q back · ? help',
    conflicts: 'o ours · t theirs · v a value · C continue · A abort · q back',
    help: 'q back',
  };
  const footer = prompt !== null ? `${prompt.label}${prompt.value}▏ ${s.dim('enter: done, esc: cancel')}` : busy ? s.dim(busy) : message || s.dim(hints[pane.kind]);
  if (wrapped && !confirm) {
    // long lines wrapped: as many as fit, each taking the lines it needs
    const out: string[] = [];
    for (const line of body) for (const l of wrapText(line, size.columns)) if (out.length < bodyHeight) out.push(l);
    body = out;
  }
  return h(
    Box,
    { flexDirection: 'column', width: size.columns, height },
    h(Text, { wrap: 'truncate-end' }, title),
    ...body.map((line, i) => h(Text, { key: i, wrap: 'truncate-end' }, line || ' ')),
    h(Text, { wrap: 'truncate-end' }, footer),
  );
}

/** Where each changed row of a commit starts among the lines of its pane (`+ id=2`, `~ id=2`, `- id=2`). */
function changedRows(r: ShowResult, lines: string[]): { line: number; table: string; key: string }[] {
  const parts = r.tables ? Object.values(r.tables) : [r];
  const out: { line: number; table: string; key: string }[] = [];
  const plain = lines.map((l) => stripVTControlCharacters(l));
  let at = 0;
  for (const p of parts) {
    for (const c of p.changes) {
      const key = keyText(c.key, p.keyColumns);
      const i = plain.findIndex((l, n) => n >= at && /^[+~-] /.test(l) && l.slice(2) === key);
      if (i === -1) continue;
      out.push({ line: i, table: p.commit.table, key: JSON.stringify(c.key) });
      at = i + 1;
    }
  }
  return out;
}

/** Text cut into lines of `width` characters (escapes of colour kept where they fall: a line of plain text). */
function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const plain = stripVTControlCharacters(line);
    if (plain.length <= width) out.push(line);
    else for (let i = 0; i < plain.length; i += width) out.push(plain.slice(i, i + width));
  }
  return out;
}

function countsOf(c: { inserted: number | null; updated: number | null; deleted: number | null }): string {
  const n = [c.inserted ? `+${c.inserted}` : '', c.updated ? `~${c.updated}` : '', c.deleted ? `-${c.deleted}` : ''].filter(Boolean);
  return n.length ? n.join(' ') : 'no rows';
}

/** The `?` pane: every key, by pane. */
export function helpLines(s: Style): string[] {
  const width = Math.max(...KEYS.map((k) => k.keys.length));
  const out: string[] = [];
  let pane = '';
  for (const k of KEYS) {
    if (k.pane !== pane) {
      if (pane) out.push('');
      out.push(s.bold(k.pane));
      pane = k.pane;
    }
    out.push(`  ${s.yellow(k.keys.padEnd(width))}  ${k.does}`);
  }
  return out;
}

/** A scrolling key's new top line, or null when the key does not scroll. */
function scrollKey(input: string, key: Key, top: number, lines: number, height: number): number | null {
  const max = Math.max(0, lines - height);
  const to = (n: number) => Math.max(0, Math.min(n, max));
  if (key.downArrow || input === 'j') return to(top + 1);
  if (key.upArrow || input === 'k') return to(top - 1);
  if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return to(top + height);
  if (key.pageUp || (key.ctrl && input === 'b')) return to(top - height);
  if (key.home || input === 'g') return 0;
  if (key.end || input === 'G') return max;
  return null;
}

/** The screen's size: given, or the terminal's, followed on resize. */
function useSize(given?: { columns: number; rows: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => given ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (given) return;
    const on = () => setSize(read());
    stdout.on('resize', on);
    return () => {
      stdout.off('resize', on);
    };
  }, [stdout, given]);
  return given ?? size;
}

/**
 * State that the key handler reads at once: the value (for drawing), the
 * value as the latest update left it (for a key handled before the next
 * frame, when several arrive together) and the setter, which updates both.
 */
function useNow<T>(initial: T): [T, { readonly current: T }, (v: T | ((p: T) => T)) => void] {
  const [value, setValue] = useState(initial);
  const now = useRef(initial);
  const set = useCallback((v: T | ((p: T) => T)) => {
    now.current = typeof v === 'function' ? (v as (p: T) => T)(now.current) : v;
    setValue(now.current);
  }, []);
  return [value, now, set];
}
