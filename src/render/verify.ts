/** Verify and doctor reports, as `git fsck` prints: one finding per line. */
import type { DoctorResult, Problem, VerifyResult } from '../index.js';
import type { Style } from './style.js';
import { counted } from './values.js';

function subject(p: Problem, s: Style): string {
  if (p.commit && p.seq !== undefined) return `commit ${s.yellow(p.commit.slice(0, 12))} (${p.table}, #${p.seq})`;
  if (p.ref) return `ref ${s.bold(p.ref)} of ${p.table}${p.commit ? ` -> ${s.yellow(p.commit.slice(0, 12))}` : ''}`;
  if (p.commit) return `commit ${s.yellow(p.commit.slice(0, 12))} (${p.table})`;
  return p.table;
}

/** Problems whose expected value is what verify recomputed, and whose actual value is what is stored. */
const RECOMPUTED = new Set<Problem['code']>(['change_hash', 'row_hash', 'id', 'chunk_hash', 'chunk_first_key', 'chunk_last_key', 'root_seal', 'forget_seal']);

function detail(p: Problem): string {
  if (p.expected == null && p.actual == null) return '';
  const [e, a] = RECOMPUTED.has(p.code) ? ['recomputed:', 'stored:'] : ['expected:', 'found:'];
  return `\n    ${e.padEnd(12)}${p.expected ?? '(none)'}\n    ${a.padEnd(12)}${p.actual ?? '(none)'}`;
}

/** The verify report: a one-line verdict, the first bad commit, then every problem. */
export function renderVerify(r: VerifyResult, s: Style): string {
  // `D=$(vsg verify --digest)`: the digest alone, and only of a history that verifies
  if (r.digest && r.ok && !r.against) return r.digest;
  const histories = r.histories ? ` and ${counted(r.histories, 'untracked history', 'untracked histories')}` : '';
  const scope = r.scope === 'all' ? `${counted(r.tables, 'table')}${histories}` : r.scope;
  const checkpoints = r.checkpoints !== undefined ? `, ${counted(r.checkpoints, 'checkpoint')}` : '';
  const what = `${scope}: ${counted(r.commits, 'commit')}, ${counted(r.changes, 'change row')}, ${counted(r.refs, 'ref')}${checkpoints}`;
  const lines: string[] = [];
  if (r.ok) {
    lines.push(`${s.green('ok')} ${what}`);
    if (r.against?.olderThanPrune) {
      // a digest taken before a prune's point: its ids still match, but everything it covered was pruned
      lines.push(`${s.yellow('digest older than the prune')}: its ${counted(r.against.covered, 'commit')} were all pruned since; their ids match, their contents are gone and were not checked`);
    } else if (r.against?.pruned) {
      lines.push(`${s.green('ok')} history matches digest (${counted(r.against.covered, 'commit')} covered; ${r.against.pruned} of them pruned since: their ids match, their contents are gone)`);
    } else if (r.against) lines.push(`${s.green('ok')} history matches digest (${counted(r.against.covered, 'commit')} covered)`);
  } else {
    lines.push(`${s.red('verify failed')} ${what}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`);
    if (r.firstBad) lines.push(`first bad commit: ${s.yellow(r.firstBad.commit)} (${r.firstBad.table}, #${r.firstBad.seq})`);
    for (const p of r.problems) lines.push(`  ${s.red(p.code)}: ${subject(p, s)}: ${p.message}${detail(p)}`);
  }
  if (r.digest && r.ok) lines.push(`digest ${r.digest}`);
  return lines.join('\n');
}

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** The doctor report: one line per check. */
export function renderDoctor(r: DoctorResult, s: Style): string {
  const colour = { ok: s.green, warn: s.yellow, fail: s.red };
  const lines = r.checks.map((c) => {
    const tag = colour[c.status](MARK[c.status]);
    const hint = c.hint ? `\n        ${s.dim(c.hint)}` : '';
    return `${tag}  ${c.name}${c.table ? ` ${s.bold(c.table)}` : ''}: ${c.message}${hint}`;
  });
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  const warned = r.checks.filter((c) => c.status === 'warn').length;
  lines.push(failed ? s.red(`${failed} check${failed === 1 ? '' : 's'} failed`) : warned ? s.yellow(`all checks passed, ${warned} warning${warned === 1 ? '' : 's'}`) : s.green('all checks passed'));
  return lines.join('\n');
}
