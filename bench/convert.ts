/**
 * Conversion speed over the SigmaHQ corpus (rules, rules-emerging-threats, rules-threat-hunting).
 * The machine this runs on is shared, so every figure is CPU time (user + system, process.cpuUsage)
 * as a median of RUNS runs, with wall time beside it:
 *   - read + parse, lower (once per rule), then pipelines + print per target from the lowered rules;
 *   - one target end to end in-process (read, parse, lower, convert);
 *   - every target in-process, parsing and lowering each rule once (convertManyTargets);
 *   - the CLI end to end, process start included (CPU of the child from the shell's `times`):
 *     `convert -t splunk` and `convert -t all -o DIR`, on worker threads (default) and with -j 1.
 *
 *   npm run build && node build/bench/convert.js [RUNS]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Converter, convertManyTargets, RuleCache } from '../src/backends/convert.js';
import { listTargets } from '../src/backends/registry.js';
import type { SigmaFile } from '../src/sigma/ast.js';
import { parseSigmaText } from '../src/sigma/parse.js';
import { corpusRuleFiles, repoRoot as root } from './corpus.js';
import { checkCommand, median, timedCommand } from './measure.js';

const { dirs, files } = corpusRuleFiles();
const runs = Math.max(5, Number(process.argv[2] ?? 5));
const targets = listTargets().map((t) => t.name);

/** Median CPU and wall milliseconds of `runs` calls of f. */
function time<T>(f: () => T): { cpu: number; wall: number; value: T } {
  const cpu: number[] = [];
  const wall: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { cpu: median(cpu), wall: median(wall), value };
}

function report(label: string, t: { cpu: number; wall: number }, extra = ''): void {
  console.log(
    `${label.padEnd(40)} cpu ${t.cpu.toFixed(0).padStart(5)} ms  wall ${t.wall.toFixed(0).padStart(5)} ms  ${(t.cpu / files.length).toFixed(3)} ms/rule${extra}`,
  );
}

const parseAll = (): SigmaFile[] => files.map((f) => parseSigmaText(readFileSync(f, 'utf8'), f).file);
const countQueries = (out: string[] | string): number => (Array.isArray(out) ? out.length : 1);

console.log(`${files.length} files, median of ${runs} runs, CPU = user + system`);
const parsed = time(parseAll);
report('read + parse', parsed);
const docs = parsed.value;
const lowered = time(() => {
  const cache = new RuleCache();
  for (const f of docs) for (const d of f.documents) if (d.kind === 'Rule') cache.lowered(d);
  return cache;
});
report('lower', lowered);
for (const t of targets) {
  const c = Converter.create({ target: t });
  if (!c.ok) throw new Error(`cannot set up ${t}`);
  const conv = time(() => countQueries(c.value.convertFiles(docs, lowered.value).output));
  report(`  pipelines + print: ${t}`, conv, `, ${conv.value} queries`);
}

const one = time(() => {
  const c = Converter.create({ target: 'splunk' });
  if (!c.ok) throw new Error('cannot set up splunk');
  return countQueries(c.value.convertFiles(parseAll()).output);
});
report('in-process, splunk (read → print)', one, `, ${one.value} queries`);
const all = time(() =>
  convertManyTargets(
    parseAll(),
    targets.map((target) => ({ target })),
  ).reduce((n, r) => n + (r.ok ? countQueries(r.value.output) : 0), 0),
);
report(`in-process, all ${targets.length} targets (read → print)`, all, `, ${all.value} queries`);

// End to end, as a user runs it: one process per run, output discarded; `times` gives the child's CPU.
// By default the CLI converts on worker threads (one per core here), so wall time is what a user
// waits and CPU time is the work of all threads; `-j 1` shows the single-threaded figure.
const bin = resolve(root, 'bin/tripline.js');
const outDir = mkdtempSync(join(tmpdir(), 'tripline-bench-convert-'));
const cli: [string, string[]][] = [
  ['convert -t splunk', ['-t', 'splunk']],
  ['convert -t splunk -j 1', ['-t', 'splunk', '-j', '1']],
  ['convert -t all -o DIR', ['-t', 'all', '-o', outDir]],
  ['convert -t all -o DIR -j 1', ['-t', 'all', '-o', outDir, '-j', '1']],
];
for (const [label, args] of cli) {
  const argv = [process.execPath, bin, 'convert', ...args, ...dirs];
  checkCommand(argv, /converted \d+ of \d+ documents/, [0, 1]);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = timedCommand(argv);
    wall.push(t.wall);
    cpu.push(t.cpu);
  }
  report(`node bin/tripline.js ${label}`, { cpu: median(cpu), wall: median(wall) }, ' end to end');
}
rmSync(outDir, { recursive: true, force: true });
