/**
 * EVTX reader throughput, single-threaded: records/s and MiB/s over all attack samples and over
 * the densest large sample, median of several runs, for each level of work a caller may ask for:
 *   decode  — records and their resolved XML trees (what every consumer pays),
 *   event   — plus the evtx JSON object (what `tripline hunt` uses),
 *   jsonl   — plus the `tripline evtx dump` line (JSON.stringify),
 *   xml     — plus the python-evtx-style XML text (`--format xml`).
 * Run: npm run build && node build/bench/evtx.js [runs]   (TRIPLINE_SHARED=/path/to/shared if not ../shared)
 * On a busy machine the wall-clock figures drop; the CPU-time rate is steadier.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readEvtx } from '../src/evtx/index.js';
import { recordLine } from '../src/evtx/lines.js';
import { walkFiles } from '../src/util/files.js';
import { sharedDir } from './corpus.js';

const shared = sharedDir ?? '../shared';
const samples = resolve(shared, 'evtx/attack-samples');
const runs = Math.max(5, Number(process.argv[2] ?? 7));
const files = walkFiles([samples], ['.evtx']).files;
if (files.length === 0) {
  console.log(`no EVTX samples under ${samples}; set TRIPLINE_SHARED`);
  process.exit(0);
}

type Mode = 'decode' | 'event' | 'jsonl' | 'xml';

function pass(paths: readonly string[], mode: Mode): number {
  let n = 0;
  let sink = 0;
  for (const p of paths) {
    for (const rec of readEvtx(p).records) {
      n++;
      if (mode === 'event') sink += rec.event.Event === undefined ? 0 : 1;
      else if (mode === 'jsonl') sink += recordLine(rec, 'json').length;
      else if (mode === 'xml') sink += rec.xml.length;
    }
  }
  return n + (sink < 0 ? 1 : 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function bench(label: string, paths: readonly string[], repeat: number): void {
  const bytes = paths.reduce((a, p) => a + statSync(p).size, 0) * repeat;
  const list = Array.from({ length: repeat }, () => paths).flat();
  pass(list, 'event'); // warm up
  for (const mode of ['decode', 'event', 'jsonl', 'xml'] as const) {
    const rates: number[] = [];
    const mibs: number[] = [];
    const cpuRates: number[] = [];
    let records = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      records = pass(list, mode);
      const cpu = process.cpuUsage(c0);
      const s = (performance.now() - t0) / 1000;
      rates.push(records / s);
      mibs.push(bytes / 1048576 / s);
      cpuRates.push(records / ((cpu.user + cpu.system) / 1e6));
    }
    console.log(
      `${label.padEnd(34)} ${mode.padEnd(6)} ${String(records).padStart(7)} records  ${median(rates).toFixed(0).padStart(7)} records/s  ${median(mibs).toFixed(1).padStart(6)} MiB/s  (${median(cpuRates).toFixed(0)} records per CPU-second)`,
    );
  }
}

// The densest of the largest files: most records per byte.
let dense = files[0] ?? '';
let best = -1;
for (const f of files) {
  let n = 0;
  for (const rec of readEvtx(readFileSync(f)).records) n += rec.offset >= 0 ? 1 : 0;
  const score = n * statSync(f).size;
  if (score > best) {
    best = score;
    dense = f;
  }
}

console.log(
  `node ${process.version}, median of ${runs} runs, one thread; wall-clock rates, CPU-time rate in brackets`,
);
bench(`attack samples (${files.length} files)`, files, 1);
bench(`dense: ${dense.slice(samples.length + 1)} ×10`.slice(0, 34), [dense], 10);
