// The bench's pure helpers (scripts/bench/lib.mjs): statistics, ratios,
// formatting, arguments. No database and no timings.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import * as lib from '../../scripts/bench/lib.mjs';
// @ts-expect-error plain ESM script without type declarations
import { insertSql, roundsFor, tableSql, trackSizes } from '../../scripts/bench/scenarios/track.mjs';

const { median, ratio, formatRatio, formatValue, formatRows, makeRow, formatTable, formatMarkdown, scalingChecks, parseArgs, sizesFor, resultPath, parseTimeOutput } = lib;

describe('bench helpers', () => {
  it('median of odd and even counts, ignoring non-numbers', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([2, Number.NaN, 4, 3])).toBe(3);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('ratio is value over reference, null when undefined', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
    expect(ratio(undefined, 2)).toBeNull();
  });

  it('formats ratios, values and sizes', () => {
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(123.4)).toBe('123×');
    expect(formatRatio(0.0012345)).toBe('0.0012×');
    expect(formatRatio(null)).toBe('–');
    expect(formatValue(0.5, 'ms')).toBe('0.50 ms');
    expect(formatValue(42.25, 'ms')).toBe('42.3 ms');
    expect(formatValue(1500, 'ms')).toBe('1.50 s');
    expect(formatValue(900, 'B')).toBe('900 B');
    expect(formatValue(3 * 1024 * 1024, 'B')).toBe('3.0 MB');
    expect(formatValue(1234.4, 'tps')).toBe('1234 tps');
    expect(formatValue(Number.NaN, 'ms')).toBe('–');
    expect(formatRows(10_000)).toBe('10k');
    expect(formatRows(1_000_000)).toBe('1M');
    expect(formatRows(1234)).toBe('1234');
  });

  it('makeRow takes medians and ratios to each reference given', () => {
    const r = makeRow({ scenario: '1 commit', name: 'x', rows: 10_000, vsg: [3, 1, 2], refs: { floor: [1, 1, 1], snapshot: 'too large', audit: [4] } });
    expect(r.vsg.median).toBe(2);
    expect(r.ratios.floor).toBe(2);
    expect(r.ratios.audit).toBe(0.5);
    expect(r.refs.snapshot).toEqual({ skipped: 'too large' });
    expect('snapshot' in r.ratios).toBe(false);
  });

  it('goal marks a row whose ratio to its floor is within its limit', () => {
    const row = (v: number) => makeRow({ scenario: '10 reset', name: 'x', vsg: [v], refs: { floor: [2] } });
    expect(lib.goal(row(3), 1.5).goal).toMatchObject({ value: 1.5, limit: 1.5, pass: true, text: '1.50× its floor (goal ≤ 1.5)' });
    expect(lib.goal(row(4), 1.5).goal.pass).toBe(false);
    expect(lib.goal(row(1), 0.7, true).goal).toMatchObject({ pass: false, text: '0.50× its floor (goal ≥ 0.7)' });
    expect(lib.goal(makeRow({ scenario: 's', name: 'x', vsg: [1] }), 1).goal).toMatchObject({ value: null, pass: false });
  });

  it('formats the table with every reference column', () => {
    const rows = [makeRow({ scenario: '5 diff', name: 'd', rows: 1_000_000, vsg: [10], refs: { floor: [100], audit: 'no' } })];
    const text = formatTable(rows);
    for (const s of ['scenario', '×floor', '5 diff d', '1M', '10.0 ms', '100 ms', '0.10×', 'n/a']) expect(text).toContain(s);
    const md = formatMarkdown(rows).split('\n');
    expect(md).toHaveLength(3);
    expect(md[2]).toBe('| 5 diff d | 1M | 10.0 ms | 100 ms | 0.10× |  |  | n/a |  |');
  });

  it('scaling checks compare 1M with 10k by floor ratio or by time', () => {
    const rows = [
      makeRow({ scenario: '1 commit', name: 'c', rows: 10_000, vsg: [2], refs: { floor: [1] }, checkScaling: 'floor' }),
      makeRow({ scenario: '1 commit', name: 'c', rows: 1_000_000, vsg: [4], refs: { floor: [1] }, checkScaling: 'floor' }),
      makeRow({ scenario: '5 diff', name: 'd', rows: 10_000, vsg: [10], refs: { floor: [5] }, checkScaling: 'time' }),
      makeRow({ scenario: '5 diff', name: 'd', rows: 1_000_000, vsg: [12], refs: { floor: [500] }, checkScaling: 'time' }),
      makeRow({ scenario: '3 storage', name: 's', rows: 10_000, vsg: [1] }),
    ];
    const checks = scalingChecks(rows);
    expect(checks).toHaveLength(2);
    expect(checks[0]).toMatchObject({ name: 'c', basis: '×floor', growth: 2, pass: false });
    expect(checks[1]).toMatchObject({ name: 'd', basis: 'time', growth: 1.2, pass: true });
  });

  it('parses arguments and picks sizes', () => {
    expect(parseArgs([])).toMatchObject({ url: 'postgres://postgres@127.0.0.1:5432/postgres', quick: false, out: null });
    const o = parseArgs(['--quick', '--out', 'x.json', '--only=commit,diff', '--url', 'postgres://u@127.0.0.1/db']);
    expect(o).toMatchObject({ quick: true, out: 'x.json', only: ['commit', 'diff'], url: 'postgres://u@127.0.0.1/db' });
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--out'])).toThrow(/needs a value/);
    expect(sizesFor({ quick: true })).toEqual([10_000, 100_000]);
    expect(sizesFor({ quick: false, large: false })).toEqual([10_000, 100_000, 1_000_000]);
    expect(sizesFor({ quick: false, large: true })).toContain(10_000_000);
  });

  it('names result files by time and reads GNU time output', () => {
    expect(resultPath(new Date('2026-01-02T03:04:05.678Z'))).toBe('bench/results/2026-01-02T03-04-05Z.json');
    expect(parseTimeOutput('some stderr\n0.45 61234\n')).toEqual({ wallMs: 450, maxRssKb: 61234 });
    expect(parseTimeOutput('garbage')).toBeNull();
  });

  it("picks scenario 11's sizes and rounds, and builds the issue's table", () => {
    expect(trackSizes({ quick: true })).toEqual([10_000, 100_000]);
    expect(trackSizes({ quick: false, large: false })).toEqual([100_000, 1_000_000]);
    expect(trackSizes({ quick: false, large: true })).toEqual([100_000, 1_000_000, 10_000_000]);
    const reps = { engine: 7, process: 5 };
    expect([roundsFor(100_000, reps), roundsFor(1_000_000, reps), roundsFor(10_000_000, reps)]).toEqual([7, 5, 2]);
    expect(roundsFor(1_000_000, { engine: 1, process: 1 })).toBe(1);
    expect(tableSql('big', 10)).toMatch(/^CREATE TABLE big \(id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, balance numeric\(12,2\), updated_at timestamptz NOT NULL\);/);
    expect(tableSql('big', 10)).toContain('generate_series(1, 10)');
    // scenario 17's INSERTs: the same rows, keys lo..hi
    expect(insertSql('bare', 11, 20)).toMatch(/^INSERT INTO bare SELECT i, 'name ' \|\| i, .*\sFROM generate_series\(11, 20\) AS i$/s);
    expect(tableSql('big', 10)).toContain(insertSql('big', 1, 10));
  });
});
