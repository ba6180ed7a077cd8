/**
 * Parse and validate the whole SigmaHQ corpus (rules, rules-emerging-threats, rules-threat-hunting) on one
 * core, as `tripline check` does. Prints each run and the median.  Run: npm run build && node build/bench/check.js
 */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { checkFiles } from '../src/sigma/index.js';
import { walkFiles } from '../src/util/files.js';

const corpus = resolve(import.meta.dirname, '../../../shared/corpus/sigmahq');
if (!existsSync(corpus)) {
  console.log('../shared/corpus/sigmahq not found');
  process.exit(0);
}
const { files } = walkFiles(
  ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(corpus, d)),
  ['.yml', '.yaml'],
);
const runs = Number(process.argv[2] ?? 7);
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = checkFiles(files);
  const c = process.cpuUsage(c0);
  wall.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
  console.log(
    `run ${i + 1}: ${wall[i]!.toFixed(0)} ms wall, ${cpu[i]!.toFixed(0)} ms CPU (${files.length} files, ${r.rules} rules, ${r.diagnostics.length} diagnostics)`,
  );
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `median of ${runs} runs (first, cold run included): ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU for ${files.length} files (${((median(cpu) / files.length) * 1000).toFixed(0)} µs CPU/file). On a shared machine CPU time is the fairer figure.`,
);
