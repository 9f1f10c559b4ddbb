/**
 * Dates as people type them after --since and --until, in the common forms
 * git's approxidate reads: ISO dates and times, `now`, `today`, `yesterday`,
 * `midnight`, and relative ones (`3 days ago`, `2.weeks.ago`, `last week`,
 * `1 day 2 hours ago`, numbers as digits or words). As in git, `yesterday`
 * is 24 hours before now and `today` is now; `midnight` is the start of
 * today, local time.
 */
import { VsgError } from '../errors.js';

const SECOND = 1000;
const UNITS: Record<string, { ms?: number; months?: number }> = {
  second: { ms: SECOND },
  minute: { ms: 60 * SECOND },
  hour: { ms: 3600 * SECOND },
  day: { ms: 86_400 * SECOND },
  week: { ms: 7 * 86_400 * SECOND },
  month: { months: 1 },
  year: { months: 12 },
};
const UNIT_WORDS: Record<string, string> = { s: 'second', sec: 'second', secs: 'second', min: 'minute', mins: 'minute', h: 'hour', hr: 'hour', hrs: 'hour' };
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function unitOf(word: string): string | undefined {
  const w = UNIT_WORDS[word] ?? word.replace(/s$/, '');
  return UNITS[w] ? w : undefined;
}

function numberOf(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  if (word === 'a' || word === 'an' || word === 'last') return 1;
  const i = NUMBERS.indexOf(word);
  return i < 0 ? undefined : i;
}

/** A relative date or a day word as an instant, or undefined when the text is neither. */
export function relativeDate(text: string, now: Date = new Date()): Date | undefined {
  const words = text.trim().toLowerCase().split(/[\s._,]+/).filter(Boolean);
  if (words.length === 1 && (words[0] === 'now' || words[0] === 'today')) return new Date(now);
  if (words.length === 1 && words[0] === 'yesterday') return new Date(now.getTime() - 86_400 * SECOND);
  if (words.length === 1 && words[0] === 'midnight') {
    const d = new Date(now);
    d.setHours(0, 0, 0, 0);
    return d;
  }
  if (words.at(-1) === 'ago') words.pop();
  if (words.length === 0 || words.length % 2 !== 0) return undefined;
  const at = new Date(now);
  for (let i = 0; i < words.length; i += 2) {
    const n = numberOf(words[i]);
    const unit = unitOf(words[i + 1]);
    if (n === undefined || unit === undefined) return undefined;
    const u = UNITS[unit];
    if (u.ms) at.setTime(at.getTime() - n * u.ms);
    else at.setMonth(at.getMonth() - n * (u.months as number));
  }
  return at;
}

/**
 * A --since/--until value as text PostgreSQL reads as a timestamptz (null
 * when absent); what is not a date is a usage error (E_BAD_DATE).
 */
export function parseDate(value: string | undefined, flag: string, now: Date = new Date()): string | null {
  if (value === undefined) return null;
  const rel = relativeDate(value, now);
  if (rel) return rel.toISOString();
  // an absolute date or time, read by PostgreSQL (as UTC when it names no zone)
  if (!Number.isNaN(Date.parse(value))) return value.trim();
  throw new VsgError('E_BAD_DATE', `${flag} '${value}' is not a date`, {
    hint: "use a date like 2026-01-31 or '2026-01-31 14:00', or '2 days ago', 2.weeks.ago, yesterday, now",
  });
}

/**
 * The date of a reference `<ref>@{<date>}` (refs.ts), as parseDate reads
 * --since. A number there is git's count of reflog entries, which vsg has no
 * reflog to count: refused, pointing at ~N.
 */
export function refDate(text: string, ref: string, now: Date = new Date()): string {
  if (/^\s*-?\d+\s*$/.test(text)) {
    throw new VsgError('E_BAD_DATE', `'${ref}' counts reflog entries, which vsg does not keep: @{...} takes a date`, {
      hint: "count back commits with ~N (HEAD~3), or give a date: @{yesterday}, @{'2 hours ago'}, @{2026-01-31 14:00}",
    });
  }
  return parseDate(text, `in '${ref}', the date`, now) as string;
}
