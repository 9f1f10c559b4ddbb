/** --since/--until dates in git's common approxidate forms: no database. */
import { describe, expect, it } from 'vitest';
import { parseDate, relativeDate } from '../../src/core/dates.js';
import { VsgError } from '../../src/errors.js';

const now = new Date('2026-03-15T12:30:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const H = 3_600_000;
const D = 24 * H;

describe('relative dates', () => {
  it('reads N units ago with spaces or dots, numbers as digits or words, with or without ago', () => {
    for (const [text, ms] of [
      ['2.weeks.ago', 14 * D],
      ['2 weeks ago', 14 * D],
      ['3.days.ago', 3 * D],
      ['3 days', 3 * D],
      ['1 day ago', D],
      ['an hour ago', H],
      ['ten minutes ago', 10 * 60_000],
      ['90 seconds ago', 90_000],
      ['5 mins ago', 5 * 60_000],
      ['1.day.2.hours.ago', D + 2 * H],
      ['last week', 7 * D],
      ['  2 Days Ago ', 2 * D],
    ] as const) {
      expect(parseDate(text, '--since', now), text).toBe(ago(ms));
    }
  });
  it('counts months and years by the calendar', () => {
    expect(relativeDate('1 month ago', now)?.toISOString()).toBe('2026-02-15T12:30:00.000Z');
    expect(relativeDate('last year', now)?.toISOString()).toBe('2025-03-15T12:30:00.000Z');
  });
  it('reads now, today and yesterday as git does, midnight as the start of today', () => {
    expect(parseDate('now', '--since', now)).toBe(now.toISOString());
    expect(parseDate('today', '--since', now)).toBe(now.toISOString());
    expect(parseDate('yesterday', '--since', now)).toBe(ago(D));
    const m = relativeDate('midnight', now) as Date;
    expect([m.getHours(), m.getMinutes(), m.getSeconds(), m.getMilliseconds()]).toEqual([0, 0, 0, 0]);
    expect(now.getTime() - m.getTime()).toBeLessThan(D + 2 * H);
  });
  it('passes ISO dates and times on to PostgreSQL as written', () => {
    for (const text of ['2026-01-31', '2026-01-31 14:00', '2026-01-31T14:00:00Z', '2026-01-31T14:00:00+02:00']) {
      expect(parseDate(text, '--since', now)).toBe(text);
    }
    expect(parseDate(undefined, '--since', now)).toBeNull();
  });
  it('refuses what is not a date (E_BAD_DATE, a usage error)', () => {
    for (const text of ['soon', 'two', 'weeks ago', '3 fortnights ago', 'yesterday noon-ish', '']) {
      let err: unknown;
      try {
        parseDate(text, '--since', now);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(VsgError);
      expect((err as VsgError).code).toBe('E_BAD_DATE');
      expect((err as VsgError).hint).toContain('yesterday');
    }
  });
});
