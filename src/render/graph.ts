/**
 * The commit graph as `git log --graph` draws it, and as Graphviz dot.
 * Commits arrive newest first (every parent after its children); each lane
 * holds the commit it is waiting for, and edges move at most one column per
 * connector line, drawn with | / \ as git does.
 */
import type { CommitInfo, LogResult } from '../index.js';
import { decorations, repositoryView } from './log.js';
import type { Style } from './style.js';

export interface GraphRow {
  /** the graph part of the line: '*', '|', '/', '\' and spaces */
  graph: string;
  /** the commit on this line, or null for a connector line */
  commit: CommitInfo | null;
  /** a merge whose second parent opens a new lane */
  opens?: boolean;
}

interface Edge {
  at: number;
  to: number;
}

/** Lay out the graph: one row per commit plus the connector rows between them. */
export function graphRows(commits: CommitInfo[]): GraphRow[] {
  const rows: GraphRow[] = [];
  let lanes: string[] = [];
  for (const c of commits) {
    let idx = lanes.indexOf(c.id);
    if (idx === -1) {
      lanes.push(c.id);
      idx = lanes.length - 1;
    }
    const row: GraphRow = { graph: lanes.map((_, i) => (i === idx ? '*' : '|')).join(' '), commit: c };
    rows.push(row);

    // Where each lane goes next: the commit's own lane becomes its first parent,
    // a second parent gets a new lane to its right unless some lane awaits it already.
    const next: (string | null)[] = [...lanes];
    const edges: { from: number; id: string | null; join?: string }[] = lanes.map((id, i) => ({ from: i, id }));
    const [p1, p2] = c.parents;
    if (p1 !== undefined && lanes.includes(p1) && lanes.indexOf(p1) !== idx) {
      next[idx] = null;
      edges[idx] = { from: idx, id: null, join: p1 };
    } else {
      next[idx] = p1 ?? null;
      edges[idx] = { from: idx, id: p1 ?? null };
    }
    if (p2 !== undefined) {
      if (next.includes(p2)) edges.push({ from: idx, id: null, join: p2 });
      else {
        next.splice(idx + 1, 0, p2);
        row.opens = true;
        edges.splice(idx + 1, 0, { from: idx, id: p2 });
      }
    }
    const compact = next.filter((x): x is string => x !== null);
    const moves: Edge[] = [];
    for (const e of edges) {
      if (e.id !== null) moves.push({ at: e.from, to: compact.indexOf(e.id) });
      else if (e.join !== undefined) moves.push({ at: e.from, to: compact.indexOf(e.join) });
    }
    rows.push(...connectors(moves));
    lanes = compact;
  }
  return rows;
}

/** Connector lines moving every edge toward its target column, one column per line. */
function connectors(moves: Edge[]): GraphRow[] {
  const out: GraphRow[] = [];
  let cur = moves.map((m) => ({ ...m }));
  // A new lane branching right from a merge starts on the same column as its commit.
  const needs = () => cur.some((m) => m.at !== m.to);
  while (needs()) {
    const width = Math.max(...cur.map((m) => Math.max(m.at, m.to))) * 2 + 2;
    const line = Array<string>(width).fill(' ');
    for (const m of cur) {
      if (m.to < m.at) line[2 * m.at - 1] = '/';
      else if (m.to > m.at) line[2 * m.at + 1] = '\\';
      else if (line[2 * m.at] === ' ') line[2 * m.at] = '|';
    }
    out.push({ graph: line.join('').trimEnd(), commit: null });
    cur = cur.map((m) => ({ at: m.at + Math.sign(m.to - m.at), to: m.to }));
  }
  return out;
}

/** `vsg log --graph`, one line per commit (git log --graph --oneline), or full headers. */
export function renderGraph(r: LogResult, s: Style, opts: { oneline?: boolean } = {}): string {
  const rows = graphRows(r.commits);
  const view = repositoryView(r.commits, r.heads, r.at);
  const colour = (g: string) => g.replace(/\*/g, s.yellow('*'));
  const lines: string[] = [];
  for (const row of rows) {
    if (!row.commit) {
      lines.push(colour(row.graph));
      continue;
    }
    const c = row.commit;
    // as git: '* ' before the text, '*   ' on a merge that opens a lane
    const width = row.graph.length + (row.opens ? 2 : 0);
    const first = `${s.yellow(c.shortId)}${decorations(c, r.heads, s, view)} ${c.message.split('\n')[0]}`;
    if (opts.oneline) {
      lines.push(`${colour(row.graph.padEnd(width))} ${first}`);
    } else {
      const cont = row.graph.replace(/\*/g, '|').padEnd(width);
      lines.push(`${colour(row.graph.padEnd(width))} ${first}`);
      lines.push(`${cont} ${s.dim(`${c.author}, ${c.committedAt.slice(0, 19).replace('T', ' ')} — ${c.kind} ${c.operation}`)}`);
    }
  }
  return lines.join('\n');
}

function dotString(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `vsg log --format dot`: the commits, their parent edges (merge edges dashed) and refs, for Graphviz. */
export function renderDot(r: LogResult): string {
  const lines = ['digraph vsg {', '  rankdir=BT;', '  node [shape=box, fontname="monospace", fontsize=10];'];
  const shown = new Set(r.commits.map((c) => c.id));
  for (const c of r.commits) {
    const label = `${c.shortId} ${c.message.split('\n')[0].slice(0, 50)}\n${c.author} · ${c.kind} ${c.operation}`;
    const attrs = c.parents.length > 1 ? ', style=bold' : '';
    lines.push(`  ${dotString(c.id)} [label=${dotString(label)}${attrs}];`);
  }
  for (const c of r.commits) {
    c.parents.forEach((p, i) => {
      if (shown.has(p)) lines.push(`  ${dotString(c.id)} -> ${dotString(p)}${i > 0 ? ' [style=dashed]' : ''};`);
    });
  }
  // Over several tables (a view), each ref and HEAD are drawn once, at their newest entry.
  const view = repositoryView(r.commits, r.heads, r.at);
  const refNode = (kind: string, table: string, name: string) => (view ? `${kind}:${name}` : `${kind}:${table}:${name}`);
  for (const c of r.commits) {
    for (const ref of c.refs) {
      if (view && view.refAt.get(`${ref.kind}:${ref.name}`) !== c.id) continue;
      const id = refNode(ref.kind, c.table, ref.name);
      const shape = ref.kind === 'tag' ? 'shape=note, color=goldenrod' : 'shape=ellipse, color=forestgreen';
      lines.push(`  ${dotString(id)} [label=${dotString(ref.name)}, ${shape}];`);
      lines.push(`  ${dotString(id)} -> ${dotString(c.id)} [style=dotted, arrowhead=none];`);
    }
  }
  if (view) {
    const head = r.commits.find((c) => c.id === view.head);
    const h = head && r.heads.find((x) => (head.parts ?? [head]).some((p) => p.id === x.commit && p.table === x.table));
    if (h) {
      lines.push(`  "HEAD" [label="HEAD", shape=plaintext];`);
      lines.push(`  "HEAD" -> ${dotString(refNode('branch', h.table, h.branch))} [style=dotted];`);
    }
  } else {
    for (const h of r.heads) {
      if (!h.commit || !shown.has(h.commit)) continue;
      const id = `HEAD:${h.table}`;
      lines.push(`  ${dotString(id)} [label=${dotString(`HEAD (${h.table})`)}, shape=plaintext];`);
      lines.push(`  ${dotString(id)} -> ${dotString(refNode('branch', h.table, h.branch))} [style=dotted];`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}
