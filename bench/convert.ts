/**
 * Conversion speed over the SigmaHQ corpus (rules, rules-emerging-threats, rules-threat-hunting):
 * read + parse + lower + pipelines + print, to one target and to every registered target, median of
 * RUNS runs in one process; then `node bin/tripline.js convert -t splunk <corpus>` end to end,
 * process start included.
 *
 *   npm run build && node build/bench/convert.js [RUNS]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Converter } from '../src/backends/convert.js';
import { listTargets } from '../src/backends/registry.js';
import { parseSigmaText } from '../src/sigma/parse.js';
import { walkFiles } from '../src/util/files.js';

const root = resolve(import.meta.dirname, '../..');
const shared = [resolve(root, '../shared'), resolve(root, '../../shared')].find((d) => existsSync(d));
if (!shared) {
  console.log('../shared not found: nothing to measure');
  process.exit(0);
}
const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) =>
  resolve(shared, 'corpus/sigmahq', d),
);
const files = walkFiles(dirs, ['.yml', '.yaml']).files;
const runs = Math.max(5, Number(process.argv[2] ?? 5));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function convertAll(targets: readonly string[]): number {
  let queries = 0;
  const docs = files.map((f) => parseSigmaText(readFileSync(f, 'utf8'), f).file);
  for (const t of targets) {
    const c = Converter.create({ target: t });
    if (!c.ok) throw new Error(`cannot set up ${t}`);
    for (const d of docs) {
      const out = c.value.convertFiles([d]).output;
      queries += Array.isArray(out) ? out.length : 1;
    }
  }
  return queries;
}

function measure(label: string, targets: readonly string[]): void {
  const times: number[] = [];
  let queries = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    queries = convertAll(targets);
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  console.log(
    `${label.padEnd(34)} ${files.length} rules, ${queries} queries: median ${ms.toFixed(0)} ms = ${(ms / files.length).toFixed(3)} ms/rule (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`,
  );
}

measure('in-process, splunk', ['splunk']);
const all = listTargets().map((t) => t.name);
measure(`in-process, all ${all.length} targets (${all.join(', ')})`, all);

// End to end, as a user runs it: one process per run, output discarded.
const bin = resolve(root, 'bin/tripline.js');
const e2e: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, [bin, 'convert', '-t', 'splunk', ...dirs], {
      stdio: ['ignore', 'ignore', 'ignore'],
      maxBuffer: 1 << 28,
    });
  } catch {
    // exit 1 when some rules fail to convert: still a complete run
  }
  e2e.push(performance.now() - t0);
}
const ms = median(e2e);
console.log(
  `${'node bin/tripline.js convert -t splunk'.padEnd(34)} median ${ms.toFixed(0)} ms = ${(ms / files.length).toFixed(3)} ms/rule end to end (runs: ${e2e.map((t) => t.toFixed(0)).join(', ')})`,
);
