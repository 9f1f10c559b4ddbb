#!/usr/bin/env node
/**
 * Markdown of one bench result:
 *   node scripts/bench/report.mjs bench/results/<timestamp>.json
 *   node scripts/bench/report.mjs bench/results/<timestamp>.json --into docs/performance.md
 *
 * With --into, the report replaces what lies between the page's
 * `<!-- bench-report:start -->` and `<!-- bench-report:end -->` markers, so the
 * method written around it stays.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatMarkdown } from './lib.mjs';

const START = '<!-- bench-report:start -->';
const END = '<!-- bench-report:end -->';

const args = process.argv.slice(2);
const intoAt = args.indexOf('--into');
const into = intoAt >= 0 ? args.splice(intoAt, 2)[1] : undefined;
const file = args[0];
if (!file || (intoAt >= 0 && !into)) {
  process.stderr.write('usage: node scripts/bench/report.mjs RESULT.json [--into PAGE.md]\n');
  process.exit(2);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const m = r.machine;
const out = [];
out.push(`Run ${r.date} (${r.mode}, ${Math.round(r.seconds / 60)} min) with \`${r.command}\`; ${m.cpus} × ${m.cpu.trim()}, ${m.memoryGB} GB RAM, ${m.os}, Node ${m.node}, ${m.server?.split(' on ')[0] ?? 'server unknown'}.`);
out.push('');
out.push(formatMarkdown(r.rows));
out.push('');
if (r.scaling.length) {
  out.push('Costs follow the change (the 1M figure within 1.5× of the 10k one):');
  out.push('');
  for (const c of r.scaling) out.push(`- ${c.pass ? 'ok' : '**MISS**'} ${c.scenario} ${c.name}: 1M/10k ${c.basis} = ${c.growth === null ? '–' : c.growth.toFixed(2)}`);
  out.push('');
}
// The row's name beside its goal, as the bench prints it: one scenario has several goals (17: each width, UPDATE and INSERT).
for (const g of r.goals) out.push(`- ${g.pass ? 'ok' : '**MISS**'} ${g.scenario}${g.name ? ` ${g.name}` : ''}: ${g.text}`);
for (const s of r.skipped) out.push(`- skipped ${s.scenario}${s.rows ? ` at ${s.rows} rows` : ''}: ${s.reason}`);
const report = `${out.join('\n').replace(/\n+$/, '')}\n`;

if (into) {
  const page = readFileSync(into, 'utf8');
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  if (a < 0 || b < a) {
    process.stderr.write(`${into} has no ${START} … ${END} section\n`);
    process.exit(1);
  }
  writeFileSync(into, `${page.slice(0, a + START.length)}\n${report}${page.slice(b)}`);
  process.stdout.write(`wrote the report of ${file} into ${into}\n`);
} else {
  process.stdout.write(report);
}
