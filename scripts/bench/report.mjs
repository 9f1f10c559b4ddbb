#!/usr/bin/env node
/**
 * Markdown of one bench result (for docs/readme/performance.md):
 *   node scripts/bench/report.mjs bench/results/<timestamp>.json
 */
import { readFileSync } from 'node:fs';
import { formatMarkdown } from './lib.mjs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node scripts/bench/report.mjs RESULT.json\n');
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
  out.push('Costs follow the change (issue 6: the 1M figure within 1.5× of the 10k one):');
  out.push('');
  for (const c of r.scaling) out.push(`- ${c.pass ? 'ok' : '**MISS**'} ${c.scenario} ${c.name}: 1M/10k ${c.basis} = ${c.growth === null ? '–' : c.growth.toFixed(2)}`);
  out.push('');
}
for (const g of r.goals) out.push(`- ${g.pass ? 'ok' : '**MISS**'} ${g.scenario}: ${g.text}`);
for (const s of r.skipped) out.push(`- skipped ${s.scenario}${s.rows ? ` at ${s.rows} rows` : ''}: ${s.reason}`);
process.stdout.write(`${out.join('\n')}\n`);
