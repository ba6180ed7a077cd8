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
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = checkFiles(files);
  const ms = performance.now() - t0;
  times.push(ms);
  console.log(
    `run ${i + 1}: ${ms.toFixed(0)} ms (${files.length} files, ${r.rules} rules, ${r.diagnostics.length} diagnostics)`,
  );
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `median ${median.toFixed(0)} ms for ${files.length} files = ${((median / files.length) * 1000).toFixed(0)} µs/file; first (cold) run ${times.length > 0 ? 'included above' : ''}`,
);
