/**
 * What a cold `tripline convert` over the SigmaHQ corpus cannot avoid on this machine, beside what it
 * takes: Node's own start, walking and reading the corpus in a bare process, one rule converted (start,
 * bundle and code cache, set-up), the corpus to splunk, the same on one thread only
 * (`--single-threaded`: no GC or compiler threads, so all CPU lands on the main thread; the flag also
 * makes V8 reject the code cache, ≈ 30 ms), and all seven SIEMs to files. Every command runs in a
 * fresh process, the commands alternated run by run; figures are medians of wall and CPU (user +
 * system) time. See docs/conversion.md, "Where the floor is".
 *
 *   npm run build && node build/bench/convert-floor.js [RUNS]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { walkFiles } from '../src/util/files.js';
import { corpusRuleFiles, repoRoot } from './corpus.js';
import { checkCommand, median, timedCommand } from './measure.js';

// Child mode: walk and read the folders given, as the CLI does, and nothing else.
if (process.argv[2] === '--read') {
  const opts = { encoding: 'utf8' } as const;
  let chars = 0;
  for (const f of walkFiles(process.argv.slice(3), ['.yml', '.yaml']).files)
    chars += readFileSync(f, opts).length;
  process.stdout.write(`${chars}\n`);
  process.exit(0);
}

const { dirs, files } = corpusRuleFiles();
const runs = Math.max(3, Number(process.argv[2] ?? 5));
const node = process.execPath;
const bin = resolve(repoRoot, 'bin/tripline.js');
const outDir = mkdtempSync(join(tmpdir(), 'tripline-bench-floor-'));
const seven = 'splunk,kusto,elastic-lucene,qradar,sumologic,secops,logscale';

/** Label, command, and what its output shows when it did its job (checked once before timing). */
const converted = /converted \d+ of \d+ documents/;
const commands: [string, string[], RegExp, number[]?][] = [
  ["node -e ''", [node, '-e', ''], /^$/],
  ['walk + read the corpus (bare process)', [node, import.meta.filename, '--read', ...dirs], /^\d+\n$/],
  ['convert -t splunk, one rule', [node, bin, 'convert', '-t', 'splunk', files[0]!], /\S/],
  ['convert -t splunk <corpus>', [node, bin, 'convert', '-t', 'splunk', ...dirs], converted, [0, 1]],
  [
    'same, node --single-threaded',
    [node, '--single-threaded', bin, 'convert', '-t', 'splunk', ...dirs],
    converted,
    [0, 1],
  ],
  [
    'convert -t <7 SIEMs> -o DIR <corpus>',
    [node, bin, 'convert', '-t', seven, '-o', outDir, ...dirs],
    converted,
    [0, 1],
  ],
];
for (const [, argv, expect, codes] of commands) checkCommand(argv, expect, codes);

const wall = commands.map((): number[] => []);
const cpu = commands.map((): number[] => []);
for (let r = 0; r < runs; r++) {
  commands.forEach(([, argv], i) => {
    const t = timedCommand(argv);
    wall[i]!.push(t.wall);
    cpu[i]!.push(t.cpu);
  });
}
rmSync(outDir, { recursive: true, force: true });

console.log(
  `${files.length} corpus files, each command in a fresh process, median of ${runs} alternated runs`,
);
commands.forEach(([label], i) => {
  const w = median(wall[i]!);
  const c = median(cpu[i]!);
  console.log(`${label.padEnd(40)} wall ${w.toFixed(0).padStart(5)} ms  cpu ${c.toFixed(0).padStart(5)} ms`);
});
