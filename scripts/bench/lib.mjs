/**
 * Pure helpers of the bench: statistics, ratios, formatting and argument
 * parsing. No database, no clock: test/unit/bench.test.ts runs these.
 */
import Table from 'cli-table3';

/** Median of a list of numbers (mean of the two middle ones for an even count); NaN when empty. */
export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** value / reference, or null when either is missing or the reference is 0. */
export function ratio(value, reference) {
  if (typeof value !== 'number' || typeof reference !== 'number') return null;
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return null;
  return value / reference;
}

/** A ratio as people read it: 3 significant digits and a ×, '–' when missing. */
export function formatRatio(r) {
  if (r === null || r === undefined || !Number.isFinite(r)) return '–';
  if (r >= 100) return `${Math.round(r)}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  if (r >= 0.01) return `${r.toFixed(2)}×`;
  return `${Number(r.toPrecision(2))}×`;
}

/** A measured value in its unit: ms, s, bytes, MB, tps, '–' when missing. */
export function formatValue(v, unit) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  switch (unit) {
    case 'ms':
      if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
      if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
      if (v >= 100) return `${v.toFixed(0)} ms`;
      if (v >= 10) return `${v.toFixed(1)} ms`;
      return `${v.toFixed(2)} ms`;
    case 'B':
      if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MB`;
      if (v >= 10 * 1024) return `${(v / 1024).toFixed(0)} kB`;
      return `${Math.round(v)} B`;
    case 'kB':
      if (v >= 10 * 1024) return `${(v / 1024).toFixed(0)} MB`;
      return `${Math.round(v)} kB`;
    case 'tps':
      return `${Math.round(v)} tps`;
    default:
      return `${Number(v.toPrecision(3))} ${unit}`;
  }
}

/** 10000 -> '10k', 1000000 -> '1M'. */
export function formatRows(n) {
  if (n === null || n === undefined) return '';
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

/** The reference designs every figure is compared with, in column order. */
export const REFERENCES = ['floor', 'snapshot', 'audit'];

/**
 * A result row from raw samples: medians plus ratios to each reference
 * present. For throughput (higher is better) the ratio is still vsg/reference,
 * so 0.9× means vsg keeps 90 % of the reference's throughput.
 */
export function makeRow({ scenario, name, rows = null, unit = 'ms', vsg, refs = {}, note, checkScaling }) {
  const out = { scenario, name, rows, unit, vsg: summarise(vsg), refs: {}, ratios: {} };
  for (const k of REFERENCES) {
    if (refs[k] === undefined) continue;
    if (typeof refs[k] === 'string') {
      out.refs[k] = { skipped: refs[k] };
      continue;
    }
    out.refs[k] = summarise(refs[k]);
    out.ratios[k] = ratio(out.vsg.median, out.refs[k].median);
  }
  if (note) out.note = note;
  if (checkScaling) out.checkScaling = checkScaling;
  return out;
}

/** A goal on a row's ratio to its floor: at most (or at least) `limit`; the row, with its `goal`. */
export function goal(row, limit, atLeast = false) {
  const r = row.ratios.floor ?? null;
  const pass = r !== null && (atLeast ? r >= limit : r <= limit);
  row.goal = { text: `${r === null ? '–' : r.toFixed(2)}× its floor (goal ${atLeast ? '≥' : '≤'} ${limit})`, value: r, limit, pass };
  return row;
}

function summarise(samples) {
  const xs = Array.isArray(samples) ? samples : [samples];
  return { median: median(xs), samples: xs.map((x) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x)) };
}

/** The results table as text (cli-table3, no colour so it pastes into Markdown docs as is). */
export function formatTable(rows) {
  const t = new Table({
    head: ['scenario', 'rows', 'vsg', 'floor', '×floor', 'snapshot', '×snap', 'audit', '×audit'],
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const r of rows) {
    const cells = [`${r.scenario} ${r.name}`, formatRows(r.rows), formatValue(r.vsg.median, r.unit)];
    for (const k of REFERENCES) {
      const ref = r.refs[k];
      if (!ref) cells.push('', '');
      else if (ref.skipped) cells.push('n/a', '');
      else cells.push(formatValue(ref.median, r.unit), formatRatio(r.ratios[k]));
    }
    t.push(cells);
  }
  return t.toString();
}

/** The same rows as a Markdown table (for docs/readme/performance.md). */
export function formatMarkdown(rows) {
  const head = ['scenario', 'rows', 'vsg', 'floor', '×floor', 'snapshot', '×snap', 'audit', '×audit'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) {
    const cells = [`${r.scenario} ${r.name}`, formatRows(r.rows), formatValue(r.vsg.median, r.unit)];
    for (const k of REFERENCES) {
      const ref = r.refs[k];
      if (!ref) cells.push('', '');
      else if (ref.skipped) cells.push('n/a', '');
      else cells.push(formatValue(ref.median, r.unit), formatRatio(r.ratios[k]));
    }
    lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Issue 6's "costs follow the change" check: for each named figure present
 * at both sizes, (ratio to floor at `large`) / (ratio to floor at `small`)
 * must be ≤ limit.
 */
export function scalingChecks(rows, { small = 10_000, large = 1_000_000, limit = 1.5, reference = 'floor' } = {}) {
  const out = [];
  const key = (r) => `${r.scenario}\u0000${r.name}`;
  const bySize = new Map();
  for (const r of rows) {
    if (r.rows !== small && r.rows !== large) continue;
    const k = key(r);
    if (!bySize.has(k)) bySize.set(k, {});
    bySize.get(k)[r.rows] = r;
  }
  for (const [, pair] of bySize) {
    const a = pair[small];
    const b = pair[large];
    if (!a || !b || !a.checkScaling) continue;
    // 'floor': the ratio to a floor that does not grow with the table (a 1-row
    // UPDATE); 'time': vsg's own time, where the floor itself is O(table)
    // (EXCEPT, reload) and its ratio would shrink and flatter vsg.
    const byRatio = a.checkScaling === reference && a.ratios[reference] != null && b.ratios[reference] != null;
    const ra = byRatio ? a.ratios[reference] : a.vsg.median;
    const rb = byRatio ? b.ratios[reference] : b.vsg.median;
    const growth = ratio(rb, ra);
    out.push({
      scenario: a.scenario,
      name: a.name,
      basis: byRatio ? `×${reference}` : 'time',
      small: ra,
      large: rb,
      growth,
      limit,
      pass: growth !== null && growth <= limit,
    });
  }
  return out;
}

/** Parse the bench's command line. Throws on an unknown flag. */
export function parseArgs(argv) {
  const opts = {
    url: 'postgres://postgres@127.0.0.1:5432/postgres',
    quick: false,
    large: false,
    out: null,
    only: null,
    reps: null,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a.split('=')[0]} needs a value`);
      return v;
    };
    const flag = a.split('=')[0];
    if (flag === '--url') opts.url = value();
    else if (flag === '--out') opts.out = value();
    else if (flag === '--only') opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--reps') opts.reps = Number(value());
    else if (a === '--quick') opts.quick = true;
    else if (a === '--large') opts.large = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown option '${a}'`);
  }
  if (opts.reps !== null && !(Number.isInteger(opts.reps) && opts.reps > 0)) throw new Error('--reps needs a positive whole number');
  return opts;
}

/** Table sizes for a run. */
export function sizesFor(opts) {
  if (opts.quick) return [10_000, 100_000];
  return opts.large ? [10_000, 100_000, 1_000_000, 10_000_000] : [10_000, 100_000, 1_000_000];
}

/** bench/results/2026-11-24T01-02-03Z.json for a date. */
export function resultPath(date) {
  return `bench/results/${date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`;
}

/** Parse GNU time's `-f '%e %M'` output (last line): wall seconds, peak RSS kB. */
export function parseTimeOutput(text) {
  const lines = text.trim().split('\n');
  const m = /^([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
  if (!m) return null;
  return { wallMs: Number(m[1]) * 1000, maxRssKb: Number(m[2]) };
}

/**
 * Linear projection of a figure measured at a smaller size to a larger one
 * (what an O(table) cost would take), used to skip runs that would blow the
 * time budget. null without an earlier figure.
 */
export function project(previous, size) {
  if (!previous || !(previous.size > 0) || !Number.isFinite(previous.ms)) return null;
  return previous.ms * (size / previous.size);
}
