/**
 * `vsg tui`: the log, a commit, a diff, the branches and tags, full-screen
 * (Ink). Data comes from the library's Repository only, text from
 * src/render (coloured with the CLI's style, NO_COLOR included). Written with
 * createElement, not JSX: one `tsc` builds it with the rest.
 */
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import type { Repository } from '../api/repository.js';
import type { BranchesByName, CommitInfo, RefsByName, TableStatus } from '../index.js';
import { renderDiffMany } from '../render/diff.js';
import { renderRollback } from '../render/blame.js';
import { renderShow } from '../render/misc.js';
import { renderSwitchMany } from '../render/branch.js';
import { repositoryView } from '../render/log.js';
import type { Style } from '../render/style.js';
import { logLine, refLine, statusLine } from '../render/tui.js';
import { KEYS } from './keys.js';
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
}
interface RefsPane {
  kind: 'refs';
  sel: number;
  items: { kind: 'branch' | 'tag'; name: string; line: string }[];
}
type Pane = { kind: 'log' } | TextPane | RefsPane | { kind: 'help'; top: number };

interface Confirm {
  lines: string[];
  run: () => Promise<string>;
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
  const [sel, setSel] = useState(0);
  const [top, setTop] = useState(0);
  const [mark, setMark] = useState<string | null>(null);
  const [stack, setStack] = useState<Pane[]>([{ kind: 'log' }]);
  const [search, setSearch] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
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
  const dirty = statusLine(status, s);
  const offset = dirty ? 1 : 0; // the status pseudo-entry comes first
  const count = commits.length + offset;
  const commitAt = (i: number): CommitInfo | undefined => commits[i - offset];

  // Read the next page before the selection reaches the end of what is read.
  useEffect(() => {
    if (log && !log.done && !log.busy && sel + bodyHeight * 2 >= count) {
      log.more().then(bump, (e: unknown) => setMessage(s.red(errorText(e))));
    }
  }, [log, sel, count, bodyHeight]);

  const frameKey = `${pane.kind}:${sel}:${top}:${count}:${stack.length}:${busy}:${search}:${confirm ? 1 : 0}:${message}`;
  useEffect(() => props.onFrame?.(frameKey), [frameKey]);

  const moveTo = (i: number) => {
    const n = Math.max(0, Math.min(i, count - 1));
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
    if (!c) return;
    setBusy(`reading ${c.shortId}…`);
    try {
      const r = await repo.show(c.id, { table: filter.table });
      const p: TextPane = { kind: 'text', title: `commit ${c.shortId}`, lines: renderShow(r, s, props.now).split('\n'), top: 0, at: i };
      if (pane.kind === 'text') replace(p);
      else push(p);
    } catch (e) {
      setMessage(s.red(errorText(e)));
    } finally {
      setBusy(null);
    }
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

  const onKey = (input: string, key: Key) => {
    if (confirm) {
      setConfirm(null);
      if (input !== 'y') return setMessage('nothing done');
      setBusy('working…');
      confirm
        .run()
        .then(
          (text) => {
            setMessage(text.split('\n')[0]);
            setStack([{ kind: 'log' }]);
            refresh();
          },
          (e: unknown) => {
            // refused: the message on the last line, the details (what is in the way) as a pane
            const hint = (e as { hint?: string }).hint;
            setMessage(s.red(errorText(e)));
            setStack([{ kind: 'log' }, { kind: 'text', title: 'refused, nothing changed', lines: [s.red(errorText(e)), ...(hint ? ['', ...hint.split('\n')] : [])], top: 0 }]);
          },
        )
        .finally(() => setBusy(null));
      return;
    }
    if (search !== null) {
      if (key.escape) return setSearch(null);
      if (key.return) {
        setSearch(null);
        setSel(0);
        setTop(0);
        return setFilter((f) => ({ ...f, grep: search || undefined }));
      }
      if (key.backspace || key.delete) return setSearch((q) => (q ?? '').slice(0, -1));
      if (input && !key.ctrl && !key.meta) setSearch((q) => (q ?? '') + input);
      return;
    }
    if (input === '?') return pane.kind === 'help' ? back() : push({ kind: 'help', top: 0 });
    if (pane.kind === 'log') return logKey(input, key);
    if (input === 'q' || key.escape || key.leftArrow) return back();
    if (pane.kind === 'text' || pane.kind === 'help') {
      const lines = pane.kind === 'text' ? pane.lines.length : helpLines(s).length;
      const scroll = scrollKey(input, key, pane.top, lines, bodyHeight);
      if (scroll !== null) return replace({ ...pane, top: scroll });
      if (pane.kind === 'text' && pane.at !== undefined && (input === 'n' || input === 'p')) {
        const next = pane.at + (input === 'n' ? 1 : -1);
        if (commitAt(next)) {
          moveTo(next);
          void openCommit(next);
        }
      }
      return;
    }
    if (pane.kind === 'refs') {
      const n = pane.items.length;
      if (key.downArrow || input === 'j') return replace({ ...pane, sel: Math.min(pane.sel + 1, n - 1) });
      if (key.upArrow || input === 'k') return replace({ ...pane, sel: Math.max(pane.sel - 1, 0) });
      const item = pane.items[pane.sel];
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

  const logKey = (input: string, key: Key) => {
    if (input === 'q') return exit();
    // keys typed faster than frames arrive together: jjj moves three lines
    if (key.downArrow || /^j+$/.test(input)) return moveTo(sel + Math.max(1, input.length));
    if (key.upArrow || /^k+$/.test(input)) return moveTo(sel - Math.max(1, input.length));
    if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return moveTo(sel + bodyHeight);
    if (key.pageUp || (key.ctrl && input === 'b')) return moveTo(sel - bodyHeight);
    if (key.home || input === 'g') return moveTo(0);
    if (key.end || input === 'G') return moveTo(count - 1);
    if (input === '/') return setSearch('');
    if (input === 'r') return refresh();
    if (input === 'b') return void openRefs();
    if (key.return || key.rightArrow) {
      if (dirty && sel === 0) return void openDiff('uncommitted changes', {});
      return void openCommit(sel);
    }
    const c = commitAt(sel);
    if (!c) return;
    if (input === 'm') return setMark(mark === c.id ? null : c.id);
    if (input === 'd') {
      const other = mark !== null && mark !== c.id ? commits.findIndex((x) => x.id === mark) : -1;
      if (other === -1) return void openDiff(`diff ${c.shortId}..live tables`, { from: c.id });
      const [older, newer] = other + offset > sel ? [commits[other], c] : [c, commits[other]];
      return void openDiff(`diff ${older.shortId}..${newer.shortId}`, { from: older.id, to: newer.id });
    }
    if (input === 'R') return rollback(c);
  };

  // The handler of the latest render, even for a key that arrives before
  // Ink re-subscribes (after the frame is drawn): a stale one would see the state before it.
  const keyHandler = useRef(onKey);
  keyHandler.current = onKey;
  useInput(useCallback((input: string, key: Key) => keyHandler.current(input, key), []));

  // The frame: a title line, the pane, a footer line.
  const where = filter.table ? ` -t ${filter.table}` : '';
  const found = filter.grep ? `  /${filter.grep}` : '';
  const title = `${s.bold('vsg tui')}${where}  ${s.green(refHeads)}${found}  ${s.dim(pane.kind === 'log' ? `${commits.length}${log?.done ? '' : '+'} commits` : pane.kind === 'text' ? pane.title : pane.kind === 'refs' ? 'branches and tags' : 'keys')}`;
  let body: string[];
  if (pane.kind === 'log') {
    const view = repositoryView(commits, log?.heads ?? []);
    body = [];
    for (let i = top; i < Math.min(count, top + bodyHeight); i++) {
      const c = commitAt(i);
      const text = c ? logLine(c, log?.heads ?? [], s, view, props.now) : (dirty as string);
      const marker = `${i === sel ? '>' : ' '}${c && c.id === mark ? s.magenta('*') : ' '}`;
      body.push(i === sel ? `${marker}${s.inverse(text)}` : `${marker}${text}`);
    }
    if (!count && !busy) body.push(filter.grep ? `no commit's message contains '${filter.grep}'` : 'no commits');
  } else if (pane.kind === 'text') {
    body = pane.lines.slice(pane.top, pane.top + bodyHeight);
  } else if (pane.kind === 'refs') {
    body = pane.items.length ? pane.items.map((it, i) => (i === pane.sel ? `>${s.inverse(it.line)}` : ` ${it.line}`)) : ['no branches or tags'];
  } else {
    body = helpLines(s).slice(pane.top, pane.top + bodyHeight);
  }
  if (confirm) body = [...confirm.lines, '', `${s.bold('y')} do it, any other key: do nothing`];
  while (body.length < bodyHeight) body.push('');
  const footer =
    search !== null
      ? `/${search}▏ ${s.dim('enter: search, esc: cancel')}`
      : busy
        ? s.dim(busy)
        : message || s.dim(pane.kind === 'log' ? 'enter open · / search · b branches · m mark · d diff · R rollback · ? help · q quit' : 'q back · ? help');
  return h(
    Box,
    { flexDirection: 'column', width: size.columns, height },
    h(Text, { wrap: 'truncate-end' }, title),
    ...body.map((line, i) => h(Text, { key: i, wrap: 'truncate-end' }, line || ' ')),
    h(Text, { wrap: 'truncate-end' }, footer),
  );
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
