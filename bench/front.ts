/**
 * The front end alone over the SigmaHQ corpus: read + parse (YAML and Sigma) and lowering to the IR.
 * The machine is shared, so figures are CPU time (user + system, process.cpuUsage), median of RUNS runs,
 * with the time garbage collection paused the program beside them.
 *   - cold: a fresh process per run reads, parses and lowers every file once and keeps everything, as
 *     `tripline convert` does (JIT warm-up included, process start excluded);
 *   - warm: the same in this process, RUNS times, after one warm-up run (results kept, as in
 *     bench/convert.ts).
 *
 *   npx tsc -p . && node build/bench/front.js [RUNS]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { lowerRule } from '../src/ir/lower.js';
import type { IrRule } from '../src/ir/types.js';
import type { Result } from '../src/diagnostics/index.js';
import type { SigmaFile } from '../src/sigma/ast.js';
import { parseSigmaText } from '../src/sigma/parse.js';
import { corpusRuleFiles } from './corpus.js';
import { median } from './measure.js';

const { files } = corpusRuleFiles();
const once = process.argv[2] === '--once';
const runs = once ? 1 : Math.max(5, Number(process.argv[2] ?? 9));

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
// GC entries reach the observer only after a timer tick.
const gcSettled = (): Promise<unknown> => new Promise((r) => setTimeout(r, 20));

interface Sample {
  cpu: number;
  gc: number;
}

async function measure<T>(f: () => T): Promise<Sample & { value: T }> {
  await gcSettled();
  gcMs = 0;
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  await gcSettled();
  return { cpu: (c.user + c.system) / 1000, gc: gcMs, value };
}

const readParse = (): SigmaFile[] => files.map((f) => parseSigmaText(readFileSync(f, 'utf8'), f).file);
const lowerAll = (docs: SigmaFile[]): Result<IrRule>[] => {
  const out: Result<IrRule>[] = [];
  for (const f of docs) for (const d of f.documents) if (d.kind === 'Rule') out.push(lowerRule(d));
  return out;
};

function line(label: string, xs: Sample[]): void {
  const cpu = median(xs.map((x) => x.cpu));
  const gc = median(xs.map((x) => x.gc));
  console.log(
    `${label.padEnd(24)} cpu ${cpu.toFixed(0).padStart(5)} ms  gc pauses ${gc.toFixed(0).padStart(4)} ms`,
  );
}

if (once) {
  const p = await measure(readParse);
  const l = await measure(() => lowerAll(p.value));
  console.log(JSON.stringify({ parse: { cpu: p.cpu, gc: p.gc }, lower: { cpu: l.cpu, gc: l.gc } }));
} else {
  console.log(`${files.length} files, median of ${runs} runs, CPU = user + system`);
  const cold: { parse: Sample; lower: Sample }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [import.meta.filename, '--once'], { encoding: 'utf8' });
    cold.push(JSON.parse(r.stdout) as { parse: Sample; lower: Sample });
  }
  line(
    'cold: read + parse',
    cold.map((c) => c.parse),
  );
  line(
    'cold: lower',
    cold.map((c) => c.lower),
  );
  let docs = readParse();
  let lowered = lowerAll(docs);
  const parse: Sample[] = [];
  const lower: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const p = await measure(readParse);
    docs = p.value;
    parse.push(p);
    const l = await measure(() => lowerAll(docs));
    lowered = l.value;
    lower.push(l);
  }
  line('warm: read + parse', parse);
  line('warm: lower', lower);
  console.log(`${docs.length} files parsed, ${lowered.filter((r) => r.ok).length} rules lowered`);
}
