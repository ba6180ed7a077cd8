/**
 * Hunt benchmark: the SigmaHQ Windows rules (rules*\/windows) over ~1 million events in the evtx JSON
 * shape, end to end (reading, line splitting, prefilter, JSON parsing, matching), on one core.
 *
 *   node build/bench/hunt.js [runs=3] [copies=118]
 *
 * The input is built once in the OS temp folder by repeating ../shared/bench/windows-events-base.nested
 * .jsonl.gz `copies` times, adding k×10,000,000 to every EventRecordID in copy k (as ../shared/README.md
 * describes). Prints each run, the median events/s, and the peak RSS of the process; then the CLI end to
 * end, as a user runs it (process start, rule loading, JSONL output to /dev/null): `tripline hunt -r DIR…
 * -f jsonl INPUT`, `runs` times, median wall and CPU (the child's, from the shell's `times`).
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, huntFile } from '../src/engine/index.js';
import type { SigmaDocument } from '../src/sigma/index.js';
import { loadSigmaFile } from '../src/sigma/index.js';
import { walkFiles } from '../src/util/files.js';
import { repoRoot, sharedDir } from './corpus.js';
import { buildInput, ruleDirs } from './hunt-input.js';
import { median, timedCommand } from './measure.js';

function loadRules(): SigmaDocument[] {
  const docs: SigmaDocument[] = [];
  for (const f of walkFiles(ruleDirs(), ['.yml', '.yaml']).files)
    docs.push(...loadSigmaFile(f).file.documents);
  return docs;
}

/** `tripline hunt` end to end, `runs` times: median wall and CPU seconds (the child's, from `times`). */
function cli(input: string, events: number, runs: number): void {
  const args = [process.execPath, join(repoRoot, 'bin/tripline.js'), 'hunt'];
  for (const d of ruleDirs()) args.push('-r', d);
  args.push('-f', 'jsonl', input);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = timedCommand(args);
    if (!t.ok) throw new Error(`tripline hunt failed: ${args.join(' ')}`);
    wall.push(t.wall / 1000);
    cpu.push(t.cpu / 1000);
  }
  console.log(
    `CLI end to end (tripline hunt -f jsonl > /dev/null): median ${median(wall).toFixed(1)} s wall = ` +
      `${Math.round(events / median(wall))} events/s, ${median(cpu).toFixed(1)} s CPU, over ${runs} run(s)`,
  );
}

async function main(): Promise<void> {
  if (!sharedDir) {
    console.log('../shared not found: nothing to benchmark');
    return;
  }
  const runs = Number(process.argv[2] ?? 3);
  const copies = Number(process.argv[3] ?? 118);
  const input = await buildInput(copies);
  console.log(`input: ${input} (${(statSync(input).size / 2 ** 30).toFixed(2)} GiB)`);
  let t = performance.now();
  const docs = loadRules();
  console.log(`parsed ${docs.length} Sigma documents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // The floor on this machine right now: chunked read, line split and JSON.parse of every line.
  {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    let carry: Buffer | undefined;
    for await (const chunk of createReadStream(input, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        JSON.parse(buf.toString('utf8', start, nl));
        n++;
        start = nl + 1;
      }
      carry = buf.subarray(start);
    }
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `floor (read + split + JSON.parse only): ${n} events in ${secs.toFixed(1)} s = ${Math.round(n / secs)} events/s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
    );
  }
  const rates: number[] = [];
  let events = 0;
  const cpuRates: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    const { engine, diagnostics } = Engine.compile(docs);
    const compileMs = performance.now() - t;
    let hits = 0;
    engine.onHit(() => hits++);
    const cpu0 = process.cpuUsage();
    t = performance.now();
    await huntFile(engine, input);
    engine.finish();
    const secs = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    events = engine.stats.events;
    const rate = events / secs;
    rates.push(rate);
    cpuRates.push(engine.stats.events / ((cpu.user + cpu.system) / 1e6));
    console.log(
      `run ${i + 1}: ${engine.rules.length} rules (${diagnostics.filter((d) => d.severity === 'error').length} not compiled) compiled in ${(compileMs / 1000).toFixed(1)} s; ` +
        `${engine.stats.events} events in ${secs.toFixed(1)} s = ${Math.round(rate)} events/s ` +
        `(cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; ${engine.stats.skipped} skipped by the prefilter, ${engine.stats.events - engine.stats.skipped - engine.stats.parsed} read raw, ${engine.stats.parsed} JSON.parsed; ${hits} hits)`,
    );
  }
  console.log(`median: ${Math.round(median(rates))} events/s over ${runs} run(s)`);
  // On a shared machine wall time mostly measures the neighbours; events per CPU-second is steadier.
  console.log(`median: ${Math.round(median(cpuRates))} events per CPU-second`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  cli(input, events, runs);
}

await main();
