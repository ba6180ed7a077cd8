/** Small measuring helpers shared by the benchmarks. */
import { spawnSync } from 'node:child_process';

/** The median (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/**
 * Run a command as a user would (output discarded), in a fresh process: its wall and CPU time
 * (user + system of the child, from the shell's `times`) in milliseconds, and whether it exited 0.
 */
export function timedCommand(argv: readonly string[]): { wall: number; cpu: number; ok: boolean } {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `${argv.map(quote).join(' ')} >/dev/null 2>&1; echo "rc=$?"; times`;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  // `times` prints the shell's, then its children's user and system time: "0m1.234s 0m0.056s".
  const child = r.stdout.trim().split('\n').at(-1) ?? '';
  const cpu = [...child.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (t, m) => t + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  );
  return { wall, cpu, ok: r.stdout.includes('rc=0') };
}

/**
 * Run a command once and check that it did its job, so that a broken command is not timed as a fast
 * one: it exits with one of `codes` and its output (stdout, then stderr) matches `expect`.
 * (`tripline convert` over the corpus exits 1 for the few rules it rejects, as a crash would: its
 * summary line tells the two apart.)
 */
export function checkCommand(argv: readonly string[], expect: RegExp, codes: readonly number[] = [0]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status === null || !codes.includes(r.status) || !expect.test(out)) {
    throw new Error(`${argv.join(' ')}: exit ${r.status}, output ${expect} expected:\n${out.slice(-2000)}`);
  }
}
