/**
 * `tripline build` over the SigmaHQ corpus (rules/, ~3,100 rules) for every package target, packages
 * and site, exactly as the CLI runs it (conversion worker, site worker). Each run is a fresh Node
 * process building into a fresh folder with the cache off, so every run pays module loading and a
 * cold build, and its peak RSS is its own. Prints the median wall and CPU time (all threads) of RUNS
 * runs, the median and the highest peak RSS, and one warm (fully cached) rebuild.
 *
 *   npm run build && node build/bench/build.js [RUNS]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { sharedDir } from './corpus.js';
import { median } from './measure.js';

interface RunFigures {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  code: number;
  summary: string;
}

const root = resolve(import.meta.dirname, '../..');

async function child(args: string[]): Promise<void> {
  let out = '';
  const sink = (f: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        f(chunk.toString());
        cb();
      },
    });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const code = await main(['build', ...args], {
    stdout: sink((s) => (out += s)),
    stderr: sink(() => undefined),
    cwd: root,
    env: {},
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const figures: RunFigures = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMb: process.resourceUsage().maxRSS / 1024,
    code,
    summary: out.split('\n')[0] ?? '',
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

function run(args: string[]): RunFigures {
  const text = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(text.trim().split('\n').pop() ?? '{}') as RunFigures;
}

if (process.argv.includes('--child')) {
  await child(process.argv.slice(process.argv.indexOf('--child') + 1));
} else {
  const shared = sharedDir;
  if (!shared) {
    console.log('../shared not found: nothing to measure');
    process.exit(0);
  }
  const rules = resolve(shared, 'corpus/sigmahq/rules');
  const runs = Math.max(1, Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3));
  const cold: RunFigures[] = [];
  let warm: RunFigures | undefined;
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'tripline-bench-build-'));
    const r = run(['--rules', rules, '-o', out, '-q', '--no-cache']);
    if (r.code !== 0) throw new Error(`build exited ${r.code}`);
    cold.push(r);
    if (i === runs - 1) warm = run(['--rules', rules, '-o', out, '-q']);
    rmSync(out, { recursive: true, force: true });
  }
  const s = (ms: number): string => (ms / 1000).toFixed(1) + ' s';
  const mb = (x: number): string => x.toFixed(0) + ' MB';
  console.log(
    `tripline build --rules ${rules} -o <tmp> -q --no-cache: ${cold[0]?.summary}, 8 package targets + site`,
  );
  console.log(
    `  wall, cold:  median ${s(median(cold.map((r) => r.wallMs)))} of ${runs} (${cold.map((r) => s(r.wallMs)).join(', ')})`,
  );
  console.log(`  CPU, cold:   median ${s(median(cold.map((r) => r.cpuMs)))} (all threads)`);
  console.log(
    `  peak RSS:    median ${mb(median(cold.map((r) => r.rssMb)))}, highest ${mb(Math.max(...cold.map((r) => r.rssMb)))}`,
  );
  if (warm)
    console.log(
      `  warm rebuild (everything cached): ${s(warm.wallMs)} wall, ${s(warm.cpuMs)} CPU, ${mb(warm.rssMb)}`,
    );
}
